//! The quotas page (附件7, adjusted dynamically): each region's yearly quota with the seats of
//! approved and pending subsidised classes, the history of changes, and the province's form
//! to change a region's quota with a reason.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use chrono_tz::Asia::Shanghai;
use dte_app::classes::workflow;
use serde::Deserialize;

/// One region's line.
pub struct QuotaLine {
    pub region: String,
    pub quota: u32,
    pub approved: u32,
    pub pending: u32,
    pub remaining: u32,
}

/// One change of a quota.
pub struct ChangeLine {
    pub at: String,
    pub region: String,
    pub before: u32,
    pub after: u32,
    pub reason: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "quotas.html")]
struct QuotasPage {
    chrome: Chrome,
    year: i32,
    lines: Vec<QuotaLine>,
    total: QuotaLine,
    changes: Vec<ChangeLine>,
    may_change: bool,
    notice: String,
    error: String,
    typed: QuotaForm,
}

/// Which year (`?year=`, the current year when absent or unreadable), and a notice after a
/// change.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct QuotaQuery {
    year: String,
    changed: String,
}

/// The province's change of one region's quota.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct QuotaForm {
    pub year: String,
    pub region: String,
    pub quota: String,
    pub reason: String,
}

/// `GET /quotas?year=…`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<QuotaQuery>,
) -> Result<Response, PageError> {
    let year = query
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| state.clock.today().year());
    let notice = if query.changed.is_empty() {
        String::new()
    } else {
        format!("已调整{}的 {year} 年名额。", query.changed)
    };
    let page = Answer {
        notice,
        ..Answer::default()
    };
    quotas_page(&state, &caller, year, StatusCode::OK, page).await
}

/// `POST /quotas`: the province sets a region's quota for a year, with a reason.
pub async fn set(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<QuotaForm>,
) -> Result<Response, PageError> {
    let year = form.year.trim().parse::<i32>();
    let outcome = match (&year, form.quota.trim().parse::<u32>()) {
        (Ok(year), Ok(quota)) => {
            workflow::set_quota(&state, &caller, *year, &form.region, quota, &form.reason)
                .await
                .map_err(crate::error::AppError::from)
        }
        (Err(_), _) => Err(AppError::invalid("year", "年份应为四位数字")),
        (_, Err(_)) => Err(AppError::invalid("quota", "名额应为 0 或正整数")),
    };
    let year = year.unwrap_or_else(|_| state.clock.today().year());
    match outcome {
        Ok(()) => {
            let query = serde_urlencoded::to_string([
                ("year", year.to_string()),
                ("changed", form.region.clone()),
            ])
            .unwrap_or_default();
            Ok(Redirect::to(&format!("/quotas?{query}")).into_response())
        }
        Err(error) if error.status.is_server_error() || error.status == StatusCode::FORBIDDEN => {
            Err(PageError(error))
        }
        Err(error) => {
            let status = error.status;
            let answer = Answer {
                error: error.message,
                typed: form,
                ..Answer::default()
            };
            quotas_page(&state, &caller, year, status, answer).await
        }
    }
}

/// What the page says after a form: a notice, or the error with the values typed.
#[derive(Default)]
struct Answer {
    notice: String,
    error: String,
    typed: QuotaForm,
}

async fn quotas_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    status: StatusCode,
    answer: Answer,
) -> Result<Response, PageError> {
    let usage = workflow::quotas(state, caller, year).await?;
    let lines: Vec<QuotaLine> = usage
        .iter()
        .map(|line| QuotaLine {
            region: line.region.clone(),
            quota: line.quota,
            approved: line.approved_seats,
            pending: line.pending_seats,
            remaining: line.remaining(),
        })
        .collect();
    let total = QuotaLine {
        region: "合计".into(),
        quota: lines.iter().map(|line| line.quota).sum(),
        approved: lines.iter().map(|line| line.approved).sum(),
        pending: lines.iter().map(|line| line.pending).sum(),
        remaining: lines.iter().map(|line| line.remaining).sum(),
    };
    let changes = dte_app::catalog::quota_changes(state, caller, year)
        .await?
        .into_iter()
        .filter(|change| lines.iter().any(|line| line.region == change.region))
        .map(|change| ChangeLine {
            at: change
                .changed_at
                .with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
            region: change.region,
            before: change.quota_before,
            after: change.quota_after,
            reason: change.reason,
            by: change.changed_by.unwrap_or_else(|| "—".into()),
        })
        .collect();
    let page = QuotasPage {
        chrome: Chrome::new("workbench", caller),
        year,
        lines,
        total,
        changes,
        may_change: dte_app::access::admits(caller, dte_domain::access::Action::EditQuotas),
        notice: answer.notice,
        error: answer.error,
        typed: answer.typed,
    };
    Ok((status, render(&page)).into_response())
}
