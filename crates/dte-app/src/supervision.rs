//! Supervision's consequences (issue 14 items 5–7; SPEC step 10): the city of the region
//! reviews each risk flag (confirmed → a violation, or dismissed with a reason), resolves the
//! public's complaints (upheld → a violation), and imposes sanctions for violations — with the
//! province, which alone suspends or removes from the catalog. What may be recorded is
//! `dte_domain::supervision`'s; each effect bites where it is decided: exclusions and the 失信
//! list in a claim's assembly (`excluded_by_sanction`), a clawback by opening the subsidy
//! issue's case for exactly what was paid, a suspension or removal in the catalog's standing.

use crate::access::region_facts;
use crate::classes::{actor, scope};
use crate::monitoring::{ClassFlags, FlagFilter, flags_in_scope};
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::access::{Action, Facts};
use dte_domain::flags::is_flag_key;
use dte_domain::subsidy::LineStatus;
use dte_domain::supervision::{
    ComplaintDraft, ComplaintOutcome, FlagVerdict, SanctionDraft, SanctionKind, Target,
    ViolationKind, ViolationSource, check_complaint, check_lift, check_resolution, check_review,
    check_sanction,
};
use dte_domain::{Role, Scope, Violation};
use dte_store::{
    ComplaintRow, FlagReviewRow, NewComplaint, NewFlagReview, NewSanction, NewViolation,
    SanctionRow, StoreError, ViolationRow,
};
use std::collections::BTreeMap;
use utoipa::ToSchema;

fn refused(list: Vec<Violation>) -> ServiceError {
    crate::classes::plan::violations(list)
}

fn violation_kind(text: Option<&str>) -> Result<ViolationKind, ServiceError> {
    text.and_then(ViolationKind::parse).ok_or_else(|| {
        ServiceError::invalid(
            "violation_kind",
            format!(
                "请选择违规类型：{}",
                ViolationKind::ALL
                    .iter()
                    .map(|kind| format!("{}（{}）", kind.label(), kind.as_str()))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    })
}

/// Every flag review by its flag's key.
pub async fn reviews_by_key(
    context: &Context,
) -> Result<BTreeMap<String, FlagReviewRow>, ServiceError> {
    Ok(context
        .store
        .flag_reviews()
        .await?
        .into_iter()
        .map(|review| (review.flag_key.clone(), review))
        .collect())
}

/// A city's review of a flag.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct FlagReviewInput {
    /// `confirmed` or `dismissed`.
    pub verdict: String,
    /// Why: the grounds of the confirmation, or the innocent cause found.
    pub reason: String,
    /// For a confirmed flag, the violation's kind (e.g. `proxy_attendance`).
    pub violation_kind: Option<String>,
}

/// Reviews one flag of the principal's region (issue 14 item 6), once: a confirmed flag becomes
/// a violation of the class in the same transaction. Audited as `flag.review`.
pub async fn review_flag(
    context: &Context,
    principal: &Principal,
    key: &str,
    input: &FlagReviewInput,
) -> Result<(i64, Option<i64>), ServiceError> {
    let not_found = || ServiceError::not_found("flag_not_found", "未找到该风险提示，或您无权查看");
    if !is_flag_key(key) {
        return Err(not_found());
    }
    let classes = flags_in_scope(context, principal, &FlagFilter::default()).await?;
    let (class, flag) = classes
        .iter()
        .find_map(|class| {
            class
                .flags
                .iter()
                .find(|flag| flag.key() == key)
                .map(|flag| (&class.class, flag))
        })
        .ok_or_else(not_found)?;
    crate::access::authorize(principal, Action::ReviewFlag, &region_facts(&class.region))?;
    let verdict = FlagVerdict::parse(input.verdict.trim()).ok_or_else(|| {
        ServiceError::invalid(
            "verdict",
            "请选择复核结论：确认违规（confirmed）或排除（dismissed）",
        )
    })?;
    let reason =
        check_review(verdict, &input.reason).map_err(|violation| refused(vec![violation]))?;
    let violation = match verdict {
        FlagVerdict::Dismissed => None,
        FlagVerdict::Confirmed => Some(NewViolation {
            region: class.region.clone(),
            kind: violation_kind(input.violation_kind.as_deref())?,
            source: ViolationSource::Flag(key.to_owned()),
            target: Target::Class(class.id),
            institution_id: class.institution_id,
            class_id: Some(class.id),
            description: format!(
                "{}：{}。复核意见：{reason}",
                flag.kind.label(),
                flag.evidence.summary()
            ),
        }),
    };
    let review = NewFlagReview {
        flag_key: key.to_owned(),
        class_id: class.id,
        kind: flag.kind,
        verdict,
        reason,
    };
    context
        .store
        .review_flag(&review, violation.as_ref(), &actor(context, principal))
        .await
        .map_err(|error| match error {
            StoreError::Constraint { .. } => {
                ServiceError::conflict("already_reviewed", "该风险提示已经复核过")
            }
            other => other.into(),
        })
}

/// The flags of the scope that no one has reviewed yet: what holds claim lines
/// (`open_risk_flag`) until the city decides.
pub fn unreviewed<'a>(
    classes: &'a [ClassFlags],
    reviews: &'a BTreeMap<String, FlagReviewRow>,
) -> impl Iterator<Item = &'a dte_domain::flags::Flag> + 'a {
    classes
        .iter()
        .flat_map(|class| class.flags.iter())
        .filter(|flag| !reviews.contains_key(&flag.key()))
}

fn target_of(kind: &str, id: i64) -> Result<Target, ServiceError> {
    Target::from_parts(kind.trim(), id).ok_or_else(|| {
        ServiceError::invalid(
            "target_kind",
            "对象类型应为 institution（机构）、class（班期）或 person（人员）",
        )
    })
}

/// The violations in the principal's scope.
pub async fn violations(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<ViolationRow>, ServiceError> {
    crate::access::authorize(principal, Action::ReadSupervision, &Facts::default())?;
    Ok(context
        .store
        .violations_in_scope(&scope(principal)?)
        .await?)
}

/// The sanctions in the principal's scope.
pub async fn sanctions(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<SanctionRow>, ServiceError> {
    crate::access::authorize(principal, Action::ReadSupervision, &Facts::default())?;
    Ok(context.store.sanctions_in_scope(&scope(principal)?).await?)
}

/// A sanction as imposed.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct SanctionInput {
    /// `interview`, `correction_order`, `exclude_person`, `exclude_class`, `clawback`,
    /// `suspension`, `removal` or `blacklist`.
    pub kind: String,
    /// The target when it is not the violation's own (e.g. a person of the violation's class):
    /// `institution`, `class` or `person`, with `target_id`.
    pub target_kind: Option<String>,
    pub target_id: Option<i64>,
    /// The first day (an interview's date).
    pub starts_on: NaiveDate,
    /// A correction order's deadline.
    pub deadline: Option<NaiveDate>,
    /// The decision, or an interview's record.
    pub remark: String,
}

/// Imposes a sanction for a violation (issue 14 item 5). The target defaults to the
/// violation's; a person must be of its class, a class or the institution its own. A clawback
/// opens the subsidy issue's case for exactly the paid lines it names, after the sanction is
/// written. Audited as `sanction.impose` (and `clawback.open`).
pub async fn impose_sanction(
    context: &Context,
    principal: &Principal,
    violation_id: i64,
    input: &SanctionInput,
) -> Result<i64, ServiceError> {
    crate::access::authorize(principal, Action::ReadSupervision, &Facts::default())?;
    let violation = context
        .store
        .violation_in_scope(&scope(principal)?, violation_id)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found("violation_not_found", "未找到该违规记录，或您无权查看")
        })?;
    crate::access::authorize(
        principal,
        Action::ImposeSanction,
        &region_facts(&violation.region),
    )?;
    let kind = SanctionKind::parse(input.kind.trim()).ok_or_else(|| {
        ServiceError::invalid(
            "kind",
            format!(
                "请选择处理方式：{}",
                SanctionKind::ALL
                    .iter()
                    .map(|kind| format!("{}（{}）", kind.label(), kind.as_str()))
                    .collect::<Vec<_>>()
                    .join("、")
            ),
        )
    })?;
    let province = principal
        .user()
        .is_some_and(|user| user.role == Role::ProvinceAdmin);
    if kind.province_only() && !province {
        return Err(ServiceError::forbidden(format!(
            "“{}”由省人社厅决定（两目录由省人社厅实行动态管理）",
            kind.label()
        )));
    }
    let target = match (&input.target_kind, input.target_id) {
        (Some(kind), Some(id)) if !kind.trim().is_empty() => target_of(kind, id)?,
        _ => match kind {
            // An institution's sanction on a class's violation names its institution.
            SanctionKind::Interview
            | SanctionKind::Suspension
            | SanctionKind::Removal
            | SanctionKind::Blacklist => Target::Institution(violation.institution_id),
            _ => violation.target,
        },
    };
    check_target_of_violation(context, &violation, target).await?;
    let policy = crate::policy_on(context, input.starts_on).await?;
    let today = context.clock.today();
    let draft = SanctionDraft {
        kind,
        target,
        from: input.starts_on,
        deadline: input.deadline,
        remark: input.remark.clone(),
    };
    let until = check_sanction(&draft, today, policy.blacklist_months).map_err(refused)?;
    let clawbacks = if kind == SanctionKind::Clawback {
        paid_lines(context, principal, &violation, target).await?
    } else {
        Vec::new()
    };
    let sanction = NewSanction {
        violation_id,
        region: violation.region.clone(),
        kind,
        target,
        institution_id: violation.institution_id,
        starts_on: input.starts_on,
        until_on: until,
        remark: draft.remark.trim().to_owned(),
    };
    let id = context
        .store
        .impose_sanction(&sanction, &actor(context, principal))
        .await?;
    for (claim_id, lines) in clawbacks {
        crate::claims::open_clawback(
            context,
            principal,
            claim_id,
            &lines,
            &format!("处理决定 #{id}（{}）：{}", kind.label(), sanction.remark),
        )
        .await?;
    }
    Ok(id)
}

/// A sanction's target must be what the violation is about: its institution, its class, or a
/// person of its class (on the class's roster).
async fn check_target_of_violation(
    context: &Context,
    violation: &ViolationRow,
    target: Target,
) -> Result<(), ServiceError> {
    let fits = match (target, violation.class_id) {
        (Target::Institution(id), _) => id == violation.institution_id,
        (Target::Class(id), class) => class == Some(id),
        (Target::Person(id), _) if violation.target == Target::Person(id) => true,
        (Target::Person(id), Some(class)) => context
            .store
            .class_roster(class)
            .await?
            .iter()
            .any(|entry| entry.person_id == id),
        (Target::Person(_), None) => false,
    };
    if fits {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "target_id",
            "处理对象应为该违规所涉的机构、班期或班期中的人员",
        ))
    }
}

/// The paid lines a clawback of `target` takes back, claim by claim: every paid line of the
/// violation's class, or the person's paid lines in it. None is a refusal before anything is
/// written.
async fn paid_lines(
    context: &Context,
    principal: &Principal,
    violation: &ViolationRow,
    target: Target,
) -> Result<Vec<(i64, Vec<i64>)>, ServiceError> {
    let class_id = violation
        .class_id
        .ok_or_else(|| ServiceError::invalid("kind", "追回补贴须针对具体班期或班期中的人员"))?;
    let claims = context
        .store
        .claims_in_scope(&scope(principal)?, &dte_store::ClaimFilter::default())
        .await?;
    let mut chosen = Vec::new();
    for claim in claims.iter().filter(|claim| claim.class_id == class_id) {
        crate::access::authorize(
            principal,
            Action::ManageClawbacks,
            &crate::claims::claim_facts(claim),
        )?;
        let lines: Vec<i64> = context
            .store
            .claim_lines(claim.id)
            .await?
            .into_iter()
            .filter(|line| line.status == LineStatus::Paid)
            .filter(|line| match target {
                Target::Person(person) => line.person_id == person,
                _ => true,
            })
            .map(|line| line.id)
            .collect();
        if !lines.is_empty() {
            chosen.push((claim.id, lines));
        }
    }
    if chosen.is_empty() {
        return Err(ServiceError::invalid(
            "kind",
            "该对象没有已拨付的补贴，无需追回",
        ));
    }
    Ok(chosen)
}

/// A sanction's lifting.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct LiftInput {
    pub lifted_on: NaiveDate,
    /// Why (a correction order: the follow-up's result).
    pub reason: String,
}

/// Lifts a sanction (issue 14 item 5: "lifting a sanction is recorded the same way"): by whom
/// could impose it, once. Audited as `sanction.lift`.
pub async fn lift_sanction(
    context: &Context,
    principal: &Principal,
    id: i64,
    input: &LiftInput,
) -> Result<(), ServiceError> {
    crate::access::authorize(principal, Action::ReadSupervision, &Facts::default())?;
    let sanction = context
        .store
        .sanction_in_scope(&scope(principal)?, id)
        .await?
        .ok_or_else(|| {
            ServiceError::not_found("sanction_not_found", "未找到该处理决定，或您无权查看")
        })?;
    crate::access::authorize(
        principal,
        Action::ImposeSanction,
        &region_facts(&sanction.region),
    )?;
    let province = principal
        .user()
        .is_some_and(|user| user.role == Role::ProvinceAdmin);
    if sanction.fact.kind.province_only() && !province {
        return Err(ServiceError::forbidden(format!(
            "“{}”由省人社厅解除",
            sanction.fact.kind.label()
        )));
    }
    let already = || ServiceError::conflict("already_lifted", "该处理已经解除");
    let reason = check_lift(&sanction.fact, input.lifted_on, &input.reason).map_err(|v| {
        // Lifted while this request read it: the same answer as the store's race.
        if v.code == "already_lifted" {
            already()
        } else {
            refused(vec![v])
        }
    })?;
    context
        .store
        .lift_sanction(id, input.lifted_on, &reason, &actor(context, principal))
        .await
        .map_err(|error| match error {
            StoreError::Conflict => already(),
            other => other.into(),
        })
}

/// A complaint from the public.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct ComplaintInput {
    /// `institution` or `class`.
    pub target_kind: String,
    pub target_id: i64,
    /// The city concerned, for a complaint about an institution (e.g. 大连).
    pub region: Option<String>,
    pub content: String,
    /// A mobile number to reach the complainant (kept encrypted, never shown in full).
    pub contact: String,
    #[serde(default)]
    pub name: String,
}

/// Lodges a complaint (举报投诉, issue 14 item 7) without signing in; the web layer throttles
/// it per address. The contact is sealed like ID numbers and shown masked. Audited as
/// `complaint.lodge`.
pub async fn lodge_complaint(
    context: &Context,
    principal: &Principal,
    input: &ComplaintInput,
) -> Result<i64, ServiceError> {
    let target = target_of(&input.target_kind, input.target_id)?;
    let draft = ComplaintDraft {
        target,
        content: input.content.clone(),
        contact: input.contact.clone(),
        name: input.name.clone(),
    };
    let checked = check_complaint(&draft).map_err(refused)?;
    let (region, institution_id) = match target {
        Target::Class(id) => {
            let class = context
                .store
                .class_in_scope(&Scope::Province, id)
                .await?
                .ok_or_else(|| ServiceError::invalid("target_id", format!("未找到班期 {id}")))?;
            (class.region, class.institution_id)
        }
        _ => {
            let known = context
                .store
                .institutions(None, None)
                .await?
                .iter()
                .any(|institution| institution.id == input.target_id);
            if !known {
                return Err(ServiceError::invalid(
                    "target_id",
                    format!("未找到机构 {}", input.target_id),
                ));
            }
            let region = input.region.as_deref().map(str::trim).unwrap_or_default();
            let year = chrono::Datelike::year(&context.clock.today());
            let regions = context.store.regions(year).await?;
            if !regions.iter().any(|row| row.name == region) {
                return Err(ServiceError::invalid(
                    "region",
                    format!(
                        "请选择所涉地区：{}",
                        regions
                            .iter()
                            .map(|row| row.name.as_str())
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                ));
            }
            (region.to_owned(), input.target_id)
        }
    };
    let contact = checked.contact.expose();
    let complaint = NewComplaint {
        region,
        target,
        institution_id,
        content: checked.content,
        contact_cipher: context.keyring.encrypt(contact, b"complaint.contact"),
        contact_masked: checked.contact.masked(),
        name: checked.name,
    };
    Ok(context
        .store
        .lodge_complaint(&complaint, &actor(context, principal))
        .await?)
}

/// The complaints in the principal's scope (never the institution's own).
pub async fn complaints(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<ComplaintRow>, ServiceError> {
    crate::access::authorize(principal, Action::ReadSupervision, &Facts::default())?;
    Ok(context
        .store
        .complaints_in_scope(&scope(principal)?)
        .await?)
}

/// A city's resolution of a complaint.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct ResolutionInput {
    /// `upheld` or `not_upheld`.
    pub outcome: String,
    pub remark: String,
    /// For an upheld complaint, the violation's kind.
    pub violation_kind: Option<String>,
}

/// Resolves a complaint of the principal's region once (issue 14 item 7): upheld, it becomes a
/// violation in the same transaction. Audited as `complaint.resolve`.
pub async fn resolve_complaint(
    context: &Context,
    principal: &Principal,
    id: i64,
    input: &ResolutionInput,
) -> Result<Option<i64>, ServiceError> {
    let complaint = complaints(context, principal)
        .await?
        .into_iter()
        .find(|complaint| complaint.id == id)
        .ok_or_else(|| {
            ServiceError::not_found("complaint_not_found", "未找到该举报投诉，或您无权查看")
        })?;
    crate::access::authorize(
        principal,
        Action::ResolveComplaint,
        &region_facts(&complaint.region),
    )?;
    let outcome = ComplaintOutcome::parse(input.outcome.trim()).ok_or_else(|| {
        ServiceError::invalid(
            "outcome",
            "请选择处理结果：查实（upheld）或不属实（not_upheld）",
        )
    })?;
    let remark = check_resolution(&input.remark).map_err(|v| refused(vec![v]))?;
    let violation = match outcome {
        ComplaintOutcome::NotUpheld => None,
        ComplaintOutcome::Upheld => Some(NewViolation {
            region: complaint.region.clone(),
            kind: violation_kind(input.violation_kind.as_deref())?,
            source: ViolationSource::Complaint(id),
            target: complaint.target,
            institution_id: complaint.institution_id,
            class_id: match complaint.target {
                Target::Class(class) => Some(class),
                _ => None,
            },
            description: format!("举报内容：{}。核查结果：{remark}", complaint.content),
        }),
    };
    context
        .store
        .resolve_complaint(
            id,
            outcome,
            &remark,
            violation.as_ref(),
            &actor(context, principal),
        )
        .await
        .map_err(|error| match error {
            StoreError::Conflict | StoreError::Constraint { .. } => {
                ServiceError::conflict("already_resolved", "该举报投诉已经处理过")
            }
            other => other.into(),
        })
}
