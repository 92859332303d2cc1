//! The claim's way through the city (issue 13 items 1–3): the institution submits, withdraws
//! and claims fixed lines again before review; one city account reviews every line within the
//! review time, a second approves (four eyes), approved lines go on public notice (公示), anyone
//! may object during it and the city resolves each objection.

use super::assemble::{class_facts, judge, line_facts};
use super::{claim_for, claim_not_found};
use crate::calendar::working_days_after;
use crate::classes::{actor, class_for};
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::access::Action;
use dte_domain::subsidy::{
    ClaimStatus, LineDecision, LineStatus, check_approver, check_objection_window,
    check_review_window,
};
use dte_store::{ClaimChange, ClaimLineRow, ClaimRow, LineReasonRow};
use utoipa::ToSchema;

/// A refusal of the domain's review rules as the services' refusal.
pub(crate) fn refused(refusal: &dte_domain::subsidy::ReviewRefusal) -> ServiceError {
    let mut error = ServiceError::conflict(refusal.code(), refusal.to_string());
    error.kind = crate::ErrorKind::Refused;
    error.violations = vec![crate::Detail {
        code: refusal.code().to_owned(),
        message: refusal.to_string(),
        field: None,
    }];
    error
}

pub(crate) fn wrong_state(claim: &ClaimRow, doing: &str) -> ServiceError {
    ServiceError::conflict(
        "claim_state",
        format!("该申领当前为“{}”，不能{doing}", claim.status.label()),
    )
}

fn change(from: ClaimStatus, to: ClaimStatus, action: &'static str) -> ClaimChange {
    ClaimChange {
        from,
        to,
        action,
        review_due_on: None,
        notice: None,
        lines: Vec::new(),
        decisions: Vec::new(),
    }
}

/// Judges again every line of `lines` that is still `claimed` or `ineligible` (or, with
/// `approved`, also approved ones), answering the changes: (line, new state, reasons).
async fn rejudge(
    context: &Context,
    principal: &Principal,
    claim: &ClaimRow,
    lines: &[ClaimLineRow],
    approved: bool,
) -> Result<Vec<(i64, LineStatus, Vec<LineReasonRow>)>, ServiceError> {
    let class = class_for(context, principal, claim.class_id).await?;
    let facts = class_facts(context, principal, class).await?;
    let today = context.clock.today();
    let policy = crate::policy_on(context, today).await?;
    let mut changes = Vec::new();
    for line in lines {
        let judged = matches!(line.status, LineStatus::Claimed | LineStatus::Ineligible)
            || approved && line.status == LineStatus::Approved;
        if !judged || line.reasons.iter().any(|reason| reason.code == WITHDRAWN) {
            continue;
        }
        let line_facts =
            line_facts(context, &facts, line.person_id, line.enrolment_id, claim.id).await?;
        let (status, reasons) = judge(&line_facts, &policy, today);
        let status = match (line.status, status) {
            (LineStatus::Approved, LineStatus::Claimed) => LineStatus::Approved,
            (LineStatus::Approved, _) => LineStatus::Rejected,
            (_, status) => status,
        };
        if status != line.status || reasons != line.reasons {
            changes.push((line.id, status, reasons));
        }
    }
    Ok(changes)
}

/// The reason code a line withdrawn by the institution carries.
const WITHDRAWN: &str = "withdrawn_by_institution";

/// The lines as they stand after `changes`.
pub(crate) fn apply(
    lines: &[ClaimLineRow],
    changes: &[(i64, LineStatus, Vec<LineReasonRow>)],
) -> Vec<ClaimLineRow> {
    lines
        .iter()
        .map(|line| {
            let mut line = line.clone();
            if let Some((_, status, reasons)) = changes.iter().find(|(id, _, _)| *id == line.id) {
                line.status = *status;
                line.reasons = reasons.clone();
            }
            line
        })
        .collect()
}

/// Judges the lines of a draft or submitted claim again, so a fixed line is claimed again
/// (issue 13 item 1), audited as `claim.recheck`.
pub async fn recheck(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::FileClaim).await?;
    if !claim.status.open_to_institution() {
        return Err(wrong_state(&claim, "重新核对"));
    }
    let lines = context.store.claim_lines(id).await?;
    let changes = rejudge(context, principal, &claim, &lines, false).await?;
    Ok(context
        .store
        .change_claim(
            id,
            &ClaimChange {
                lines: changes,
                ..change(claim.status, claim.status, "claim.recheck")
            },
            &actor(context, principal),
        )
        .await?)
}

/// Submits a draft claim to the city; the review is due the policy's working days later.
pub async fn submit(context: &Context, principal: &Principal, id: i64) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::FileClaim).await?;
    if claim.status != ClaimStatus::Draft {
        return Err(wrong_state(&claim, "提交"));
    }
    let lines = context.store.claim_lines(id).await?;
    let changes = rejudge(context, principal, &claim, &lines, false).await?;
    if !apply(&lines, &changes)
        .iter()
        .any(|line| line.status == LineStatus::Claimed)
    {
        return Err(ServiceError::invalid(
            "lines",
            "没有符合条件的申领人员：请按每人的原因补齐材料后重新核对",
        ));
    }
    let today = context.clock.today();
    let policy = crate::policy_on(context, today).await?;
    let due = working_days_after(context, today, policy.city_review_working_days).await?;
    Ok(context
        .store
        .change_claim(
            id,
            &ClaimChange {
                review_due_on: Some(due),
                lines: changes,
                ..change(ClaimStatus::Draft, ClaimStatus::Submitted, "claim.submit")
            },
            &actor(context, principal),
        )
        .await?)
}

/// Withdraws a claim before the city's review.
pub async fn withdraw(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::FileClaim).await?;
    if !claim.status.open_to_institution() {
        return Err(wrong_state(&claim, "撤回"));
    }
    Ok(context
        .store
        .change_claim(
            id,
            &change(claim.status, ClaimStatus::Withdrawn, "claim.withdraw"),
            &actor(context, principal),
        )
        .await?)
}

/// Withdraws one line before the city's review: it stays on the claim as `ineligible`, with
/// the reason that the institution withdrew it.
pub async fn withdraw_line(
    context: &Context,
    principal: &Principal,
    id: i64,
    line_id: i64,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::FileClaim).await?;
    if !claim.status.open_to_institution() {
        return Err(wrong_state(&claim, "撤回人员"));
    }
    let lines = context.store.claim_lines(id).await?;
    if !lines.iter().any(|line| line.id == line_id) {
        return Err(ServiceError::not_found(
            "line_not_found",
            "该申领中没有这一行",
        ));
    }
    let reason = LineReasonRow {
        code: WITHDRAWN.to_owned(),
        message: "培训机构已撤回该人员的申领".to_owned(),
    };
    Ok(context
        .store
        .change_claim(
            id,
            &ClaimChange {
                lines: vec![(line_id, LineStatus::Ineligible, vec![reason])],
                ..change(claim.status, claim.status, "claim.withdraw_line")
            },
            &actor(context, principal),
        )
        .await?)
}

/// The reviewer's decision on one line, as the API and the page send it.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct Decision {
    pub line_id: i64,
    /// `approve` or `reject`.
    pub decision: String,
    /// For a rejection: one of the rejection codes.
    #[serde(default)]
    pub reason: Option<String>,
    #[serde(default)]
    pub remark: Option<String>,
}

/// The city reviews a submitted claim within the review time: a decision on every line still
/// claimed after the lines are judged again. The claim moves to `in_review`, waiting for a
/// second account.
pub async fn review(
    context: &Context,
    principal: &Principal,
    id: i64,
    decisions: &[Decision],
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::ReviewClaim).await?;
    if claim.status != ClaimStatus::Submitted {
        return Err(wrong_state(&claim, "审核"));
    }
    let today = context.clock.today();
    if let Some(due) = claim.review_due_on {
        check_review_window(due, today).map_err(|refusal| refused(&refusal))?;
    }
    let lines = context.store.claim_lines(id).await?;
    let changes = rejudge(context, principal, &claim, &lines, false).await?;
    let lines = apply(&lines, &changes);
    let mut recorded = Vec::new();
    for line in lines
        .iter()
        .filter(|line| line.status == LineStatus::Claimed)
    {
        let decision = decisions
            .iter()
            .find(|decision| decision.line_id == line.id)
            .ok_or_else(|| {
                ServiceError::invalid(
                    format!("decisions[{}]", line.id),
                    format!("请对 {} 作出审核意见", line.holder_name),
                )
            })?;
        let decided = match decision.decision.as_str() {
            "approve" => LineDecision::Approve,
            "reject" => LineDecision::reject(
                decision.reason.as_deref().unwrap_or_default(),
                decision.remark.as_deref().unwrap_or_default(),
            )
            .map_err(|refusal| {
                ServiceError::invalid(format!("decisions[{}]", line.id), refusal.to_string())
            })?,
            _ => {
                return Err(ServiceError::invalid(
                    format!("decisions[{}]", line.id),
                    "审核意见应为 approve（同意）或 reject（不同意）",
                ));
            }
        };
        recorded.push(match decided {
            LineDecision::Approve => (line.id, "approve", None, None),
            LineDecision::Reject { reason, remark } => {
                (line.id, "reject", Some(reason), Some(remark))
            }
        });
    }
    Ok(context
        .store
        .change_claim(
            id,
            &ClaimChange {
                lines: changes,
                decisions: recorded,
                ..change(
                    ClaimStatus::Submitted,
                    ClaimStatus::InReview,
                    "claim.review",
                )
            },
            &actor(context, principal),
        )
        .await?)
}

/// A second city account approves the reviewed claim (four eyes): the lines are judged again,
/// those the reviewer approved and still eligible are approved and go on public notice for the
/// policy's working days; those rejected are rejected. A claim left with no approved line is
/// rejected.
pub async fn approve(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::ApproveClaim).await?;
    if claim.status != ClaimStatus::InReview {
        return Err(wrong_state(&claim, "复核"));
    }
    let me = principal.user().map(|user| user.id).unwrap_or_default();
    check_approver(claim.reviewed_by.unwrap_or_default(), me)
        .map_err(|refusal| refused(&refusal))?;
    let lines = context.store.claim_lines(id).await?;
    let mut changes = rejudge(context, principal, &claim, &lines, false).await?;
    let judged = apply(&lines, &changes);
    for line in judged
        .iter()
        .filter(|line| line.status == LineStatus::Claimed)
    {
        let status = match line.review_decision.as_deref() {
            Some("approve") => LineStatus::Approved,
            _ => LineStatus::Rejected,
        };
        changes.retain(|(changed, _, _)| *changed != line.id);
        changes.push((line.id, status, line.reasons.clone()));
    }
    let any_approved = changes
        .iter()
        .any(|(_, status, _)| *status == LineStatus::Approved);
    let today = context.clock.today();
    let policy = crate::policy_on(context, today).await?;
    let (to, notice) = if any_approved {
        let ends_on = working_days_after(context, today, policy.public_notice_working_days).await?;
        (ClaimStatus::InNotice, Some((today, ends_on)))
    } else {
        (ClaimStatus::Rejected, None)
    };
    context
        .store
        .change_claim(
            id,
            &ClaimChange {
                notice,
                lines: changes,
                ..change(ClaimStatus::InReview, to, "claim.approve")
            },
            &actor(context, principal),
        )
        .await
        .map_err(|error| match error {
            dte_store::StoreError::Constraint { constraint }
                if constraint == "claim_lines_subsidy_held" =>
            {
                ServiceError::conflict(
                    "already_paid",
                    "其中有人员的同一职业和等级已在另一申领中核准，不得重复补贴；请刷新后重新审核",
                )
            }
            dte_store::StoreError::Constraint { constraint }
                if constraint == "claims_four_eyes" =>
            {
                refused(&dte_domain::subsidy::ReviewRefusal::SameAccount)
            }
            other => other.into(),
        })
}

/// The notice of claim `id`, ending on `ends_on`, is over and every objection to it resolved
/// (`dte_domain::subsidy::check_payable`): what closing the notice and paying both need.
pub(crate) async fn check_notice_over(
    context: &Context,
    id: i64,
    ends_on: NaiveDate,
) -> Result<(), ServiceError> {
    let open = context
        .store
        .claim_objections(id)
        .await?
        .iter()
        .filter(|objection| objection.status == "open")
        .count();
    dte_domain::subsidy::check_payable(
        ends_on,
        u32::try_from(open).unwrap_or(u32::MAX),
        context.clock.today(),
    )
    .map_err(|refusal| refused(&refusal))
}

/// Closes a claim's notice once it is over with every objection resolved: the claim is
/// `approved`, waiting for payment (or `rejected` when objections left no line approved).
pub async fn close_notice(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, id, Action::ApproveClaim).await?;
    let (ClaimStatus::InNotice, Some(ends_on)) = (claim.status, claim.notice_ends_on) else {
        return Err(wrong_state(&claim, "结束公示"));
    };
    check_notice_over(context, id, ends_on).await?;
    let lines = context.store.claim_lines(id).await?;
    let to = if lines.iter().any(|line| line.status == LineStatus::Approved) {
        ClaimStatus::Approved
    } else {
        ClaimStatus::Rejected
    };
    Ok(context
        .store
        .change_claim(
            id,
            &change(ClaimStatus::InNotice, to, "claim.close_notice"),
            &actor(context, principal),
        )
        .await?)
}

/// An objection to a line on notice, from anyone.
#[derive(Debug, Clone, serde::Deserialize, ToSchema)]
pub struct ObjectionInput {
    pub line_id: i64,
    /// A phone number or an e-mail address to reach the objector.
    pub contact: String,
    /// What is wrong, 5 to 1,000 characters.
    pub content: String,
}

/// Lodges an objection (异议) against a line on notice, within the notice period; the contact is
/// sealed like ID numbers and shown masked. Audited as `claim.object`.
pub async fn lodge_objection(
    context: &Context,
    principal: &Principal,
    claim_id: i64,
    input: &ObjectionInput,
) -> Result<i64, ServiceError> {
    let claim = context
        .store
        .claim_in_scope(&dte_domain::Scope::Province, claim_id)
        .await?
        .filter(|claim| claim.status == ClaimStatus::InNotice)
        .ok_or_else(claim_not_found)?;
    let (Some(starts_on), Some(ends_on)) = (claim.notice_starts_on, claim.notice_ends_on) else {
        return Err(claim_not_found());
    };
    check_objection_window(starts_on, ends_on, context.clock.today())
        .map_err(|refusal| refused(&refusal))?;
    let contact = input.contact.trim();
    if !(5..=100).contains(&contact.chars().count()) || contact.chars().any(char::is_control) {
        return Err(ServiceError::invalid(
            "contact",
            "请填写联系电话或电子邮箱（5 至 100 个字符）",
        ));
    }
    let content = input.content.trim();
    if !(5..=1000).contains(&content.chars().count()) {
        return Err(ServiceError::invalid(
            "content",
            "异议内容须为 5 至 1000 字",
        ));
    }
    let sealed = context.keyring.encrypt(contact, b"claim_objection.contact");
    let masked = mask_contact(contact);
    context
        .store
        .lodge_objection(
            claim_id,
            input.line_id,
            &sealed,
            &masked,
            content,
            &actor(context, principal),
        )
        .await
        .map_err(|error| match error {
            dte_store::StoreError::Conflict => {
                ServiceError::invalid("line_id", "该行不在公示中，不能提出异议")
            }
            other => other.into(),
        })
}

/// A contact as lists show it: the first three and last two characters.
fn mask_contact(contact: &str) -> String {
    let characters: Vec<char> = contact.chars().collect();
    let head: String = characters.iter().take(3).collect();
    let tail: String = characters[characters.len().saturating_sub(2)..]
        .iter()
        .collect();
    format!("{head}****{tail}")
}

/// The city resolves an objection: upheld (the line is rejected) or dismissed, with a reason.
pub async fn resolve_objection(
    context: &Context,
    principal: &Principal,
    claim_id: i64,
    objection_id: i64,
    upheld: bool,
    resolution: &str,
) -> Result<(), ServiceError> {
    let claim = claim_for(context, principal, claim_id, Action::ResolveObjection).await?;
    let objections = context.store.claim_objections(claim.id).await?;
    if !objections
        .iter()
        .any(|objection| objection.id == objection_id)
    {
        return Err(ServiceError::not_found(
            "objection_not_found",
            "该申领中没有这条异议",
        ));
    }
    let resolution = resolution.trim();
    if !(2..=500).contains(&resolution.chars().count()) {
        return Err(ServiceError::invalid(
            "resolution",
            "请写明处理理由（2 至 500 字）",
        ));
    }
    context
        .store
        .resolve_objection(objection_id, upheld, resolution, &actor(context, principal))
        .await
        .map_err(|error| match error {
            dte_store::StoreError::Conflict => {
                ServiceError::conflict("objection_resolved", "该异议已处理")
            }
            other => other.into(),
        })
}

/// A public notice: a claim on notice or one whose notice has ended, with its approved lines.
#[derive(Debug, Clone)]
pub struct Notice {
    pub claim: ClaimRow,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub open: bool,
    pub lines: Vec<ClaimLineRow>,
}

/// Whether a line of a claim noticed shows on its notice: approved (and later paid or clawed
/// back), or rejected after an objection against it was upheld.
pub(crate) fn on_notice(line: &ClaimLineRow) -> bool {
    matches!(
        line.status,
        LineStatus::Approved | LineStatus::Paid | LineStatus::ClawedBack
    ) || line.review_reason.as_deref() == Some("objection_upheld")
}

/// The public notices (公示), newest first: claims on notice now, and those noticed before.
/// Nobody signs in; names and ID numbers are masked by the wire.
pub async fn notices(context: &Context) -> Result<Vec<Notice>, ServiceError> {
    let today = context.clock.today();
    let claims = context
        .store
        .claims_in_scope(
            &dte_domain::Scope::Province,
            &dte_store::ClaimFilter::default(),
        )
        .await?;
    let mut notices = Vec::new();
    for claim in claims {
        let (Some(starts_on), Some(ends_on)) = (claim.notice_starts_on, claim.notice_ends_on)
        else {
            continue;
        };
        let lines = context
            .store
            .claim_lines(claim.id)
            .await?
            .into_iter()
            .filter(on_notice)
            .collect();
        notices.push(Notice {
            open: claim.status == ClaimStatus::InNotice && today <= ends_on,
            claim,
            starts_on,
            ends_on,
            lines,
        });
    }
    Ok(notices)
}

/// Judges the approved lines again before a payment: one that fails now is rejected, with its
/// reasons.
pub(crate) async fn rejudge_approved(
    context: &Context,
    principal: &Principal,
    claim: &ClaimRow,
    lines: &[ClaimLineRow],
) -> Result<Vec<(i64, LineStatus, Vec<LineReasonRow>)>, ServiceError> {
    let approved: Vec<ClaimLineRow> = lines
        .iter()
        .filter(|line| line.status == LineStatus::Approved)
        .cloned()
        .collect();
    rejudge(context, principal, claim, &approved, true).await
}
