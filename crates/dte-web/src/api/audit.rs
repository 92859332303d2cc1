//! The audit log for the audit administrator alone (MLPS 三权分立): filter and page it.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use crate::wire::Page;
use axum::extract::{Query, State};
use axum::{Extension, Json};
use dte_store::{AuditFilter, AuditOutcome, AuditRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The audit log's page size.
pub const PAGE_SIZE: u32 = 50;

/// Filters of the audit log.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AuditQuery {
    /// The acting account's username.
    pub actor: Option<String>,
    /// An action or its prefix, e.g. `session.` or `user.create`.
    pub action: Option<String>,
    /// `success`, `denied` or `failed`.
    pub outcome: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// One audit entry; personal data in `before` and `after` is masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    pub id: i64,
    pub at: chrono::DateTime<chrono::Utc>,
    pub actor: String,
    pub role: String,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
    pub outcome: String,
    pub hash: String,
}

impl From<AuditRecord> for AuditEntry {
    fn from(record: AuditRecord) -> AuditEntry {
        AuditEntry {
            id: record.id,
            at: record.at,
            actor: record.actor_username,
            role: record.actor_role,
            client_address: record.client_address,
            request_id: record.request_id,
            action: record.action,
            entity: record.entity,
            entity_id: record.entity_id,
            before: record.before_json,
            after: record.after_json,
            outcome: record.outcome.as_str().to_owned(),
            hash: record.hash,
        }
    }
}

/// The audit log, newest first.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditQuery), responses(
    (status = 200, body = Page<AuditEntry>, description = "Entries, newest first"),
    (status = 403, body = ErrorBody, description = "Only the audit administrator reads the log"),
    (status = 422, body = ErrorBody, description = "A filter is malformed"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<AuditQuery>,
) -> Result<Json<Page<AuditEntry>>, AppError> {
    Ok(Json(load(&state, &caller, &query).await?))
}

/// One page of the audit log for a query.
pub async fn load(
    state: &AppState,
    caller: &Caller,
    query: &AuditQuery,
) -> Result<Page<AuditEntry>, AppError> {
    let nonempty = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let outcome = match nonempty(&query.outcome) {
        None => None,
        Some(text) => Some(AuditOutcome::parse(&text).ok_or_else(|| {
            AppError::invalid(
                "outcome",
                format!("结果“{text}”无效，应为 success、denied 或 failed"),
            )
        })?),
    };
    let cursor = match nonempty(&query.cursor) {
        None => None,
        Some(text) => Some(
            text.parse::<i64>()
                .map_err(|_| AppError::invalid("cursor", "翻页标记无效"))?,
        ),
    };
    let filter = AuditFilter {
        actor_username: nonempty(&query.actor),
        action_prefix: nonempty(&query.action),
        outcome,
        ..AuditFilter::default()
    };
    let records = dte_app::audit::entries(state, caller, &filter, cursor, PAGE_SIZE).await?;
    let next = (records.len() == PAGE_SIZE as usize)
        .then(|| records.last().map(|record| record.id.to_string()))
        .flatten();
    Ok(Page {
        items: records.into_iter().map(AuditEntry::from).collect(),
        next,
    })
}
