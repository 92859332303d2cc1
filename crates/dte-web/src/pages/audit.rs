//! The audit log viewer for the audit administrator, with filters and paging.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::api::audit::{AuditEntry, AuditQuery, load};
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono_tz::Asia::Shanghai;

pub struct Line {
    pub id: i64,
    pub at: String,
    pub entry: AuditEntry,
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    actor: String,
    action: String,
    outcome: String,
    lines: Vec<Line>,
    next: Option<String>,
}

/// `GET /audit`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    let page = load(&state, &caller, &query).await?;
    let next = page.next.map(|cursor| {
        let pairs = [
            ("actor", query.actor.clone().unwrap_or_default()),
            ("action", query.action.clone().unwrap_or_default()),
            ("outcome", query.outcome.clone().unwrap_or_default()),
            ("cursor", cursor),
        ];
        serde_urlencoded::to_string(pairs).unwrap_or_default()
    });
    let lines = page
        .items
        .into_iter()
        .map(|entry| Line {
            id: entry.id,
            at: entry
                .at
                .with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string(),
            entry,
        })
        .collect();
    Ok(render(&AuditPage {
        chrome: Chrome::new("workbench", &caller),
        actor: query.actor.unwrap_or_default(),
        action: query.action.unwrap_or_default(),
        outcome: query.outcome.unwrap_or_default(),
        lines,
        next,
    }))
}
