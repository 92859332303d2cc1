//! Regions' yearly quotas (附件7, adjusted dynamically): read with the seats holding them, and
//! set by the province with a reason and history.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::{Page, QuotaLine};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use chrono::Datelike;
use dte_app::classes::workflow;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Which year's quotas.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct QuotaQuery {
    /// Defaults to the current year.
    pub year: Option<i32>,
}

/// A new quota with the reason for the change.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QuotaChange {
    pub quota: u32,
    pub reason: String,
}

/// Each region's quota for a year with approved and pending subsidised seats and what remains:
/// the province and inspectors see every region, a city its own.
#[utoipa::path(get, path = "/api/v1/quotas", tag = "classes", params(QuotaQuery), responses(
    (status = 200, body = Page<QuotaLine>, description = "Quotas and their use"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<QuotaQuery>,
) -> Result<Json<Page<QuotaLine>>, AppError> {
    let year = query.year.unwrap_or_else(|| state.clock.today().year());
    let usage = workflow::quotas(&state, &caller, year).await?;
    Ok(Json(Page::complete(
        usage
            .iter()
            .map(|usage| QuotaLine::new(usage, year))
            .collect(),
    )))
}

/// Sets a region's quota for a year (province only), keeping the history.
#[utoipa::path(put, path = "/api/v1/quotas/{year}/{region}", tag = "classes", params(
    ("year" = i32, Path, description = "Year"), ("region" = String, Path, description = "Region, e.g. 沈阳"),
), request_body = QuotaChange, responses(
    (status = 204, description = "Saved"),
    (status = 404, body = ErrorBody, description = "No such region"),
    (status = 422, body = ErrorBody, description = "No reason or an impossible quota"),
))]
pub async fn set(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path((year, region)): Path<(i32, String)>,
    AppJson(change): AppJson<QuotaChange>,
) -> Result<StatusCode, AppError> {
    workflow::set_quota(&state, &caller, year, &region, change.quota, &change.reason).await?;
    Ok(StatusCode::NO_CONTENT)
}
