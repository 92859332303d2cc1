//! Writing the audit trail from the web layer: who (account, role, address, request id), what
//! (action, entity, id, before/after with personal data masked by the store) and the outcome.

use crate::Context;
use crate::Principal;
use crate::ServiceError;
use dte_store::{AuditOutcome, NewAuditEntry};
use serde_json::Value;

/// How much of a submitted username an attempt's entry keeps.
const SUBMITTED_USERNAME_MAX_CHARS: usize = 64;

/// One event to record.
#[derive(Debug)]
pub struct Event<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub outcome: AuditOutcome,
}

impl<'a> Event<'a> {
    /// A successful action on an entity.
    pub fn success(action: &'a str, entity: &'a str, entity_id: impl Into<String>) -> Event<'a> {
        Event {
            action,
            entity,
            entity_id: Some(entity_id.into()),
            before: None,
            after: None,
            outcome: AuditOutcome::Success,
        }
    }

    /// An attempt by someone not signed in (a sign-in, an activation) on the account named
    /// `submitted_username`. Its actor is anonymous: what was submitted is the entry's data,
    /// never its actor, so a forged name cannot pose as someone (issue 15 item 5).
    pub fn attempt(action: &'a str, submitted_username: &str) -> Event<'a> {
        let submitted_username: String = submitted_username
            .chars()
            .take(SUBMITTED_USERNAME_MAX_CHARS)
            .collect();
        Event {
            action,
            entity: "user",
            entity_id: Some(submitted_username.clone()),
            before: None,
            after: Some(serde_json::json!({ "submitted_username": submitted_username })),
            outcome: AuditOutcome::Success,
        }
    }

    /// The same event with another outcome.
    pub fn with_outcome(self, outcome: AuditOutcome) -> Event<'a> {
        Event { outcome, ..self }
    }

    /// The same event with the entity's state after the action.
    pub fn with_after(self, after: Value) -> Event<'a> {
        Event {
            after: Some(after),
            ..self
        }
    }
}

/// Appends an event for the principal. A write whose audit entry cannot be stored fails: an
/// action that leaves no trace must not look done.
pub async fn record(
    context: &Context,
    principal: &Principal,
    event: Event<'_>,
) -> Result<(), ServiceError> {
    record_as(context, principal, None, event).await
}

/// Appends an event, naming the actor explicitly when the caller has just proved who they
/// are and is not signed in yet (the session a sign-in creates). An unproven attempt is
/// recorded with [`record`] and [`Event::attempt`], as anonymous.
pub async fn record_as(
    context: &Context,
    principal: &Principal,
    attempted_username: Option<&str>,
    event: Event<'_>,
) -> Result<(), ServiceError> {
    let user = principal.user();
    let entry = NewAuditEntry {
        at: context.clock.now(),
        actor_user_id: user.map(|user| user.id),
        actor_username: user
            .map(|user| user.username.clone())
            .or(attempted_username.map(str::to_owned))
            .unwrap_or_else(|| "anonymous".to_owned()),
        actor_role: user
            .map(|user| user.role.as_str())
            .unwrap_or("anonymous")
            .to_owned(),
        client_address: principal.address.map(|address| address.to_string()),
        request_id: principal.request_id.clone(),
        action: event.action.to_owned(),
        entity: event.entity.to_owned(),
        entity_id: event.entity_id,
        before: event.before,
        after: event.after,
        outcome: event.outcome,
    };
    context.store.append_audit(&entry).await?;
    Ok(())
}

/// The audit log's entries after `after_id` that match `filter`: the auditor's alone
/// (`access::authorize`, MLPS 三权分立).
pub async fn entries(
    context: &Context,
    principal: &Principal,
    filter: &dte_store::AuditFilter,
    after_id: Option<i64>,
    limit: u32,
) -> Result<Vec<dte_store::AuditRecord>, ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::ReadAuditLog,
        &dte_domain::access::Facts::default(),
    )?;
    Ok(context.store.audit_entries(filter, after_id, limit).await?)
}
