//! The money (issue 13 items 4 and 5): the city's fund accounts, the payment to the training
//! institution (直补培训机构) once the notice is over, split by the plan's rule between 专账结余 and
//! 就业补助资金, and the recovery (追回) of what was paid for a violation.

use super::review::rejudge_approved;
use super::{claim_for, claim_not_found};
use crate::classes::actor;
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::Fen;
use dte_domain::access::Action;
use dte_domain::subsidy::{
    ClaimStatus, ClawbackStatus, FundBalances, FundSource, LineStatus, check_recovery,
    check_write_off, split_payment,
};
use dte_store::{NewFundEntry, NewPayment, StoreError};
use utoipa::ToSchema;

/// A city's allocation (or correction) of one fund for a year.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct Allocation {
    pub year: i32,
    /// `skills_upgrading_balance` or `employment_subsidy_fund`.
    pub fund_source: String,
    /// In fen; positive for an allocation, either sign for a correction.
    pub amount_fen: i64,
    /// `allocation` or `correction`.
    pub kind: String,
    pub note: String,
}

fn fund_source(text: &str) -> Result<FundSource, ServiceError> {
    FundSource::parse(text).ok_or_else(|| {
        ServiceError::invalid(
            "fund_source",
            "资金来源应为 skills_upgrading_balance（职业技能提升行动专账结余）或 employment_subsidy_fund（就业补助资金）",
        )
    })
}

fn own_region(principal: &Principal) -> Result<String, ServiceError> {
    principal
        .user()
        .and_then(|user| user.region.clone())
        .ok_or_else(|| ServiceError::forbidden("只有市人社局可以管理本地区的补贴资金"))
}

/// Adds an entry to the principal's city's fund account; entries are never edited, a mistake
/// is corrected by a new entry. Audited as `fund.entry`.
pub async fn allocate(
    context: &Context,
    principal: &Principal,
    input: &Allocation,
) -> Result<i64, ServiceError> {
    let region = own_region(principal)?;
    crate::access::authorize(
        principal,
        Action::ManageFunds,
        &crate::access::region_facts(&region),
    )?;
    let source = fund_source(&input.fund_source)?;
    let kind = match input.kind.as_str() {
        "allocation" if input.amount_fen > 0 => "allocation",
        "allocation" => return Err(ServiceError::invalid("amount_fen", "下达金额须大于 0")),
        "correction" if input.amount_fen != 0 => "correction",
        "correction" => return Err(ServiceError::invalid("amount_fen", "更正金额不能为 0")),
        _ => {
            return Err(ServiceError::invalid(
                "kind",
                "类型应为 allocation（下达）或 correction（更正）",
            ));
        }
    };
    if !(2000..=2100).contains(&input.year) {
        return Err(ServiceError::invalid("year", "年度应为 2000 至 2100"));
    }
    if input.amount_fen.unsigned_abs() > 100_000_000_000 {
        return Err(ServiceError::invalid(
            "amount_fen",
            "金额超出允许范围（10 亿元）",
        ));
    }
    let note = input.note.trim();
    if !(2..=200).contains(&note.chars().count()) {
        return Err(ServiceError::invalid(
            "note",
            "请填写文号或说明（2 至 200 字）",
        ));
    }
    Ok(context
        .store
        .add_fund_entry(
            &NewFundEntry {
                region,
                year: input.year,
                source,
                kind,
                amount: Fen::new(input.amount_fen),
                note: note.to_owned(),
            },
            &actor(context, principal),
        )
        .await?)
}

/// The balances of a region's funds for a year, for its city and the province.
pub async fn balances(
    context: &Context,
    principal: &Principal,
    region: &str,
    year: i32,
) -> Result<FundBalances, ServiceError> {
    let facts = crate::access::region_facts(region);
    crate::access::authorize(principal, Action::ReadFunds, &facts)?;
    // A city reads its own region's funds only: its scope, as lists are filtered by scope.
    if let dte_domain::Scope::Region(own) = crate::classes::scope(principal)?
        && own != region
    {
        return Err(ServiceError::forbidden("只能查看本地区的补贴资金"));
    }
    Ok(context.store.fund_balances(region, year).await?)
}

/// The payment as the city records it.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct PaymentInput {
    pub paid_on: NaiveDate,
    /// The payment voucher's number.
    pub voucher: String,
}

fn voucher(text: &str) -> Result<String, ServiceError> {
    let voucher = text.trim();
    if (1..=64).contains(&voucher.chars().count()) && !voucher.chars().any(char::is_control) {
        Ok(voucher.to_owned())
    } else {
        Err(ServiceError::invalid(
            "voucher",
            "请填写凭证号（1 至 64 个字符）",
        ))
    }
}

/// Records the payment of a claim whose notice is over with every objection resolved: the
/// approved lines are judged once more (one that fails now is rejected), the amount is theirs,
/// split by `split_payment` on the balances of the class's year read under the region's lock.
/// A payment no fund can cover is refused with the shortfall and writes nothing. Audited as
/// `claim.pay`; the same person, occupation and level is never paid twice.
pub async fn pay(
    context: &Context,
    principal: &Principal,
    id: i64,
    input: &PaymentInput,
) -> Result<Vec<(FundSource, Fen)>, ServiceError> {
    let claim = claim_for(context, principal, id, Action::RecordPayment).await?;
    let today = context.clock.today();
    let voucher = voucher(&input.voucher)?;
    let (ClaimStatus::InNotice | ClaimStatus::Approved, Some(ends_on)) =
        (claim.status, claim.notice_ends_on)
    else {
        return Err(super::review::wrong_state(&claim, "拨付"));
    };
    super::review::check_notice_over(context, id, ends_on).await?;
    if input.paid_on > today || input.paid_on <= ends_on {
        return Err(ServiceError::invalid(
            "paid_on",
            format!("拨付日期应在公示期结束（{ends_on}）之后，且不晚于今天（{today}）"),
        ));
    }
    let lines = context.store.claim_lines(id).await?;
    let changes = rejudge_approved(context, principal, &claim, &lines).await?;
    let lines = super::review::apply(&lines, &changes);
    let payable: Vec<_> = lines
        .iter()
        .filter(|line| line.status == LineStatus::Approved)
        .cloned()
        .collect();
    if payable.is_empty() {
        return Err(ServiceError::invalid(
            "lines",
            "没有可拨付的人员：已核准的人员均未通过复查",
        ));
    }
    let amount = payable
        .iter()
        .try_fold(Fen::ZERO, |sum, line| sum.checked_add(line.amount))
        .map_err(ServiceError::internal)?;
    let partly = lines.iter().any(|line| line.status == LineStatus::Rejected);
    let payment = NewPayment {
        claim_id: id,
        region: &claim.region,
        year: claim.class_year,
        lines: &payable,
        changes: &changes,
        paid_on: input.paid_on,
        voucher: &voucher,
        partly,
    };
    let outcome = context
        .store
        .record_payment(&payment, &actor(context, principal), |balances| {
            split_payment(amount, balances).map(|shares| {
                shares
                    .into_iter()
                    .map(|share| (share.source, share.amount))
                    .collect()
            })
        })
        .await
        .map_err(|error| match error {
            StoreError::Conflict => {
                ServiceError::conflict("already_paid", "该申领已拨付或状态已变化，不能重复拨付")
            }
            StoreError::Constraint { constraint } if constraint == "paid_subsidies_once" => {
                ServiceError::conflict(
                    "already_paid",
                    "其中有人员的同一职业和等级已拨付过补贴，不得重复拨付",
                )
            }
            other => other.into(),
        })?;
    outcome.map_err(|shortfall| {
        let mut error = ServiceError::conflict("insufficient_funds", shortfall.to_string());
        error.kind = crate::ErrorKind::Refused;
        error.field = Some("amount_fen".into());
        error
    })
}

/// Opens a clawback case on paid lines of a claim for a violation found after payment: the
/// amount is exactly what was paid for them. Audited as `clawback.open`.
pub async fn open_clawback(
    context: &Context,
    principal: &Principal,
    claim_id: i64,
    line_ids: &[i64],
    reason: &str,
) -> Result<i64, ServiceError> {
    let claim = claim_for(context, principal, claim_id, Action::ManageClawbacks).await?;
    let reason = reason.trim();
    if !(2..=500).contains(&reason.chars().count()) {
        return Err(ServiceError::invalid(
            "reason",
            "请写明追回原因（2 至 500 字）",
        ));
    }
    let lines = context.store.claim_lines(claim.id).await?;
    let mut chosen = Vec::new();
    for id in line_ids {
        let line = lines
            .iter()
            .find(|line| line.id == *id)
            .ok_or_else(|| ServiceError::invalid("line_ids", format!("该申领中没有第 {id} 行")))?;
        if line.status != LineStatus::Paid {
            return Err(ServiceError::invalid(
                "line_ids",
                format!(
                    "{} 的补贴状态为“{}”，只有已拨付的才能追回",
                    line.holder_name,
                    line.status.label()
                ),
            ));
        }
        chosen.push(line.clone());
    }
    if chosen.is_empty() {
        return Err(ServiceError::invalid("line_ids", "请选择要追回的人员"));
    }
    context
        .store
        .open_clawback(claim.id, &chosen, reason, &actor(context, principal))
        .await
        .map_err(|error| match error {
            StoreError::Conflict | StoreError::Constraint { .. } => {
                ServiceError::conflict("already_clawed_back", "其中有人员已在追回中")
            }
            other => other.into(),
        })
}

/// The clawback case if the principal may manage it.
async fn case_for(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<dte_store::ClawbackRow, ServiceError> {
    let scope = crate::classes::scope(principal)?;
    let case = context
        .store
        .clawbacks_in_scope(&scope)
        .await?
        .into_iter()
        .find(|case| case.id == id)
        .ok_or_else(|| {
            ServiceError::not_found("clawback_not_found", "未找到该追回案件，或您无权查看")
        })?;
    let claim = context
        .store
        .claim_in_scope(&scope, case.claim_id)
        .await?
        .ok_or_else(claim_not_found)?;
    crate::access::authorize(
        principal,
        Action::ManageClawbacks,
        &super::claim_facts(&claim),
    )?;
    Ok(case)
}

/// A recovery as the city records it.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct RecoveryInput {
    pub amount_fen: i64,
    pub recovered_on: NaiveDate,
    pub voucher: String,
    /// The fund the money returns to.
    pub fund_source: String,
}

/// Records money recovered on a case, up to what is outstanding; it returns to the fund named,
/// in the year of the claim's class. Audited as `clawback.recover`.
pub async fn record_recovery(
    context: &Context,
    principal: &Principal,
    id: i64,
    input: &RecoveryInput,
) -> Result<ClawbackStatus, ServiceError> {
    let case = case_for(context, principal, id).await?;
    let source = fund_source(&input.fund_source)?;
    let voucher = voucher(&input.voucher)?;
    if input.recovered_on > context.clock.today() {
        return Err(ServiceError::invalid(
            "recovered_on",
            "追回日期不能晚于今天",
        ));
    }
    let amount = Fen::new(input.amount_fen);
    let status =
        check_recovery(case.amount, case.recovered, case.status, amount).map_err(|refusal| {
            let mut error = ServiceError::invalid("amount_fen", refusal.to_string());
            error.code = refusal.code();
            error
        })?;
    let claim = context
        .store
        .claim_in_scope(&dte_domain::Scope::Province, case.claim_id)
        .await?
        .ok_or_else(claim_not_found)?;
    context
        .store
        .record_recovery(
            id,
            case.recovered,
            amount,
            status,
            input.recovered_on,
            &voucher,
            (&case.region, claim.class_year, source),
            &actor(context, principal),
        )
        .await?;
    Ok(status)
}

/// Writes off what is outstanding of a case, by an account other than the one that opened it,
/// with a reason. Audited as `clawback.write_off`.
pub async fn write_off(
    context: &Context,
    principal: &Principal,
    id: i64,
    reason: &str,
) -> Result<(), ServiceError> {
    let case = case_for(context, principal, id).await?;
    let me = principal.user().map(|user| user.id).unwrap_or_default();
    check_write_off(case.opened_by, me, case.status, reason).map_err(|refusal| {
        let mut error = ServiceError::conflict(refusal.code(), refusal.to_string());
        error.kind = crate::ErrorKind::Refused;
        error
    })?;
    Ok(context
        .store
        .write_off_clawback(id, reason.trim(), &actor(context, principal))
        .await?)
}
