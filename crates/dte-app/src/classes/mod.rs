//! The class workflow of the web layer, shared by the API and the pages: a request's class
//! plan parsed into the domain's `ClassPlan`, checked by `dte_domain::class_rules`, written by
//! the store with its audit entry; enrolments decided by `dte_domain::eligibility`. Handlers
//! stay short by calling these functions; no rule of the plan is written here, only which
//! rule applies when and with which reference data.

pub mod attendance;
pub mod check_in;
pub mod documents;
pub mod enrol;
pub mod files;
pub mod online;
pub mod persons;
pub mod plan;
pub mod recordings;
pub mod roster;
pub mod workflow;

use crate::Context;
use crate::Principal;
use crate::ServiceError;
use dte_domain::Scope;
use dte_store::{Actor, ClassRow};

/// The signed-in principal's scope, or 401 when there is none (the guard normally prevents it).
pub fn scope(principal: &Principal) -> Result<Scope, ServiceError> {
    principal
        .user()
        .map(|user| user.scope())
        .ok_or_else(|| ServiceError::not_found("not_found", "未登录"))
}

/// The principal as the store's audit entries name them.
pub fn actor(context: &Context, principal: &Principal) -> Actor {
    let user = principal.user();
    Actor {
        at: context.clock.now(),
        user_id: user.map(|user| user.id),
        username: user.map_or_else(|| "anonymous".to_owned(), |user| user.username.clone()),
        role: user
            .map_or("anonymous", |user| user.role.as_str())
            .to_owned(),
        client_address: principal.address.map(|address| address.to_string()),
        request_id: principal.request_id.clone(),
    }
}

/// The class if the principal's scope holds it. A class outside the scope is answered exactly
/// like a missing one (404, nothing leaked), and the attempt is audited as denied.
pub async fn class_for(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<ClassRow, ServiceError> {
    match context.store.class_in_scope(&scope(principal)?, id).await? {
        Some(class) => Ok(class),
        None => {
            let event = crate::audit::Event::success("access.denied", "class", id.to_string())
                .with_outcome(dte_store::AuditOutcome::Denied);
            crate::audit::record(context, principal, event).await?;
            Err(ServiceError::not_found(
                "class_not_found",
                format!("未找到编号为 {id} 的班期"),
            ))
        }
    }
}

/// The class a record (a session, a recording, an enrolment) belongs to, if the principal's
/// scope holds it; otherwise the record's own `not_found`, the very answer a missing id gets,
/// so the answer cannot tell "not yours" from "does not exist" (issue 15 item 4). The
/// refusal is still audited as `access.denied`.
pub async fn class_of_record(
    context: &Context,
    principal: &Principal,
    class_id: i64,
    not_found: impl FnOnce() -> ServiceError,
) -> Result<ClassRow, ServiceError> {
    match class_for(context, principal, class_id).await {
        Err(error) if error.kind == crate::ErrorKind::NotFound => Err(not_found()),
        other => other,
    }
}

/// The class, if the principal's scope holds it and `access::authorize` lets them take
/// `action` on it (the institution running it, for its enrolment, completion and certificates).
pub async fn class_for_action(
    context: &Context,
    principal: &Principal,
    id: i64,
    action: dte_domain::access::Action,
) -> Result<ClassRow, ServiceError> {
    let class = class_for(context, principal, id).await?;
    crate::access::authorize(principal, action, &crate::access::class_record(&class))?;
    Ok(class)
}

/// The classes in the principal's scope that match `filter`, newest first, at most `limit`.
pub async fn list(
    context: &Context,
    principal: &Principal,
    filter: &dte_store::ClassFilter,
    limit: u32,
) -> Result<Vec<ClassRow>, ServiceError> {
    Ok(context
        .store
        .classes_in_scope(&scope(principal)?, filter, limit)
        .await?)
}

/// A class in the principal's scope with its timetable.
pub async fn with_sessions(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(ClassRow, Vec<dte_domain::SessionPlan>), ServiceError> {
    let class = class_for(context, principal, id).await?;
    let sessions = context.store.class_sessions(class.id).await?;
    Ok((class, sessions))
}

/// A class's roster (masked), for those the rule lets read it.
pub async fn roster_of(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(ClassRow, Vec<dte_store::RosterEntry>), ServiceError> {
    let class = class_for_action(
        context,
        principal,
        id,
        dte_domain::access::Action::ReadRoster,
    )
    .await?;
    let roster = context.store.class_roster(class.id).await?;
    Ok((class, roster))
}
