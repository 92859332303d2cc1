//! Opening, editing, submitting and deciding classes, and the regions' quotas: which rule of
//! `dte_domain::class_rules` applies at each step, with the reference data of the day.

use super::plan::{ParsedPlan, violations};
use super::{actor, class_for};
use crate::Context;
use crate::Principal;
use crate::ServiceError;
use crate::access::{authorize, class_record};
use chrono::Datelike;
use chrono::NaiveDate;
use dte_domain::Scope;
use dte_domain::access::{Action, Facts};
use dte_domain::class::{ClassAction, ClassStatus};
use dte_domain::class_rules::{
    ClassContext, ClassPlan, check_draft, check_quota, check_submission,
};
use dte_domain::reference::InstitutionKind;
use dte_store::{ClassRow, NewClass, QuotaUsage, Store, StoreError};

/// The institution the principal opens a class for, when `access::authorize` lets them open
/// one (a training institution's staff).
fn own_institution(principal: &Principal) -> Result<i64, ServiceError> {
    authorize(principal, Action::OpenClass, &Facts::default())?;
    principal
        .user()
        .and_then(|user| user.institution_id)
        .ok_or_else(|| ServiceError::forbidden("只有培训机构可以开设和编辑班期"))
}

/// An occupation's 学时要求 at a level (附件5) in the catalog in force for `year`; `None` when
/// the occupation or the level is not in it.
pub async fn standard_hours(
    store: &Store,
    year: i32,
    occupation: &dte_domain::OccupationCode,
    level: dte_domain::Level,
) -> Result<Option<u32>, StoreError> {
    let catalog = store.catalog_year(year).await?;
    Ok(store
        .occupations(catalog)
        .await?
        .into_iter()
        .find(|row| row.code == *occupation)
        .and_then(|row| row.levels.into_iter().find(|row| row.level == level))
        .map(|row| row.hours))
}

/// The reference data the class rules need for this plan on `today`: the required hours of
/// its occupation and level (附件5, from the catalog year of its start), the application lead
/// time in force, and the institution's listing. `None` when the occupation or level is not in
/// that year's catalog. Shared by the API, the pages and `dte demo`.
pub async fn class_context(
    store: &Store,
    plan: &ClassPlan,
    institution_id: i64,
    today: NaiveDate,
) -> Result<Option<ClassContext>, StoreError> {
    let Some(required_hours) =
        standard_hours(store, plan.start_date.year(), &plan.occupation, plan.level).await?
    else {
        return Ok(None);
    };
    let policy = store.policy_on(today).await?;
    let institution = crate::catalog::standing(
        store,
        InstitutionKind::Training,
        &plan.occupation,
        institution_id,
        today,
    )
    .await?;
    Ok(Some(ClassContext {
        today,
        required_hours,
        lead_days: policy.class_application_lead_days,
        online_share_max: policy.online_share_max_percent,
        institution,
    }))
}

/// [`class_context`] for a request, today; an occupation outside the catalog names its field.
async fn rules_of(
    context: &Context,
    plan: &ClassPlan,
    institution_id: i64,
) -> Result<ClassContext, ServiceError> {
    class_context(&context.store, plan, institution_id, context.clock.today())
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "occupation",
                format!(
                    "职业编码 {} 的{}不在职业目录中",
                    plan.occupation.as_str(),
                    plan.level.label()
                ),
            )
        })
}

fn new_class(parsed: &ParsedPlan, institution_id: i64) -> NewClass {
    let plan = &parsed.plan;
    let (venue_lat, venue_lon) = (plan.venue.lat, plan.venue.lon);
    NewClass {
        institution_id,
        region: plan.region.clone(),
        occupation: plan.occupation.clone(),
        direction: plan.direction.clone(),
        level: plan.level,
        funding: plan.funding,
        title: parsed.title.clone(),
        venue_address: plan.venue_address.clone(),
        venue_lat,
        venue_lon,
        fence_json: parsed.fence_json.clone(),
        start_date: plan.start_date,
        end_date: plan.end_date,
        capacity: plan.capacity,
        sessions: plan.sessions.clone(),
    }
}

/// Opens a class as a draft for the principal's institution, if the draft rules hold.
pub async fn create(
    context: &Context,
    principal: &Principal,
    parsed: &ParsedPlan,
) -> Result<i64, ServiceError> {
    let institution_id = own_institution(principal)?;
    let rules = rules_of(context, &parsed.plan, institution_id).await?;
    let broken = check_draft(&parsed.plan, &rules);
    if !broken.is_empty() {
        return Err(violations(broken));
    }
    let id = context
        .store
        .create_class(
            &new_class(parsed, institution_id),
            &actor(context, principal),
        )
        .await?;
    Ok(id)
}

/// Replaces the plan of the principal's own draft or rejected class.
pub async fn update(
    context: &Context,
    principal: &Principal,
    id: i64,
    parsed: &ParsedPlan,
) -> Result<(), ServiceError> {
    let institution_id = own_institution(principal)?;
    let class = class_for(context, principal, id).await?;
    authorize(principal, Action::EditClass, &class_record(&class))?;
    if !class.status.is_editable() {
        return Err(ServiceError::conflict(
            "not_editable",
            format!(
                "班期当前状态为“{}”，只有草稿或已驳回的班期可以修改",
                class.status.label()
            ),
        ));
    }
    let rules = rules_of(context, &parsed.plan, institution_id).await?;
    let broken = check_draft(&parsed.plan, &rules);
    if !broken.is_empty() {
        return Err(violations(broken));
    }
    context
        .store
        .update_class(
            id,
            &new_class(parsed, institution_id),
            &actor(context, principal),
        )
        .await?;
    Ok(())
}

/// The stored class as the domain's plan, for the submission rules.
fn stored_plan(
    class: &ClassRow,
    sessions: Vec<dte_domain::SessionPlan>,
) -> Result<ClassPlan, ServiceError> {
    let input = super::plan::input_of(class, &sessions)?;
    Ok(super::plan::parse(&input)?.plan)
}

/// Performs a state change on a class the principal can see: who may do what is decided here,
/// whether the state allows it by `ClassStatus::after`, the rules by `class_rules`.
pub async fn act(
    context: &Context,
    principal: &Principal,
    id: i64,
    action: ClassAction,
    reason: Option<&str>,
) -> Result<ClassStatus, ServiceError> {
    let class = class_for(context, principal, id).await?;
    authorize(principal, class_action(action), &class_record(&class))?;
    let next = class
        .status
        .after(action)
        .map_err(|error| ServiceError::conflict("invalid_transition", error.to_string()))?;
    let reason = reason.map(str::trim).filter(|reason| !reason.is_empty());
    let actor = actor(context, principal);
    match action {
        ClassAction::Submit => {
            let sessions = context.store.class_sessions(id).await?;
            let plan = stored_plan(&class, sessions)?;
            let rules = rules_of(context, &plan, class.institution_id).await?;
            let broken = check_submission(&plan, &rules);
            if !broken.is_empty() {
                return Err(violations(broken));
            }
        }
        ClassAction::Reject if reason.is_none() => {
            return Err(ServiceError::invalid("reason", "驳回班期须填写驳回理由"));
        }
        ClassAction::Approve if class.funding == dte_domain::Funding::Subsidised => {
            let decision = context
                .store
                .approve_within_quota(id, &actor, |usage: &QuotaUsage, seats| {
                    check_quota(seats, usage.quota, usage.approved_seats)
                })
                .await?;
            decision.map_err(|violation| violations(vec![violation]))?;
            return Ok(ClassStatus::Approved);
        }
        _ => {}
    }
    context
        .store
        .change_class_status(id, class.status, next, reason, action.as_str(), &actor)
        .await?;
    Ok(next)
}

/// The action of the authorization rule that a class's state change is.
pub fn class_action(action: ClassAction) -> Action {
    match action {
        ClassAction::Submit => Action::SubmitClass,
        ClassAction::Approve => Action::ApproveClass,
        ClassAction::Reject => Action::RejectClass,
        ClassAction::Start => Action::StartClass,
        ClassAction::Finish => Action::FinishClass,
        ClassAction::Close => Action::CloseClass,
    }
}

/// The quotas of a year as the principal may see them: the province and inspectors every
/// region, a city its own.
pub async fn quotas(
    context: &Context,
    principal: &Principal,
    year: i32,
) -> Result<Vec<QuotaUsage>, ServiceError> {
    let all = context.store.quota_usage(year).await?;
    Ok(match super::scope(principal)? {
        Scope::Province => all,
        Scope::Region(region) => all
            .into_iter()
            .filter(|usage| usage.region == region)
            .collect(),
        _ => Vec::new(),
    })
}

/// Sets a region's quota (the province: `access::authorize`), with a reason.
pub async fn set_quota(
    context: &Context,
    principal: &Principal,
    year: i32,
    region: &str,
    quota: u32,
    reason: &str,
) -> Result<(), ServiceError> {
    authorize(principal, Action::EditQuotas, &Facts::default())?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid("reason", "调整名额须填写调整理由"));
    }
    if quota > 100_000 {
        return Err(ServiceError::invalid(
            "quota",
            "名额应为 0 至 100000 之间的整数",
        ));
    }
    context
        .store
        .set_region_quota(year, region, quota, reason, &actor(context, principal))
        .await
        .map_err(|error| match error {
            dte_store::StoreError::NotFound => ServiceError::not_found(
                "region_not_found",
                format!("没有地区“{region}”的 {year} 年名额"),
            ),
            other => other.into(),
        })
}
