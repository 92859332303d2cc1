//! The holiday calendar (放假调休) the working days are counted with: a year's entered days for
//! every signed-in account, and the province's additions and changes.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::calendar::{self, CalendarDayInput, CalendarDaySet, CalendarYear};
use serde::Deserialize;
use utoipa::IntoParams;

/// Which year of the calendar.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct CalendarQuery {
    /// Defaults to the current year in Liaoning.
    pub year: Option<i32>,
}

/// A year's holiday days off and adjusted working days (调休上班), whether the year is covered
/// (otherwise it counts Monday to Friday, and `note` says so) and which years are.
#[utoipa::path(get, path = "/api/v1/calendar", tag = "calendar", params(CalendarQuery), responses(
    (status = 200, body = CalendarYear, description = "The year's calendar"),
    (status = 422, body = ErrorBody, description = "A year outside 2000–2100"),
))]
pub async fn year(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<CalendarQuery>,
) -> Result<Json<CalendarYear>, AppError> {
    let year = query.year.unwrap_or_else(|| calendar::this_year(&state));
    Ok(Json(calendar::year(&state, &caller, year).await?))
}

/// Adds a day or changes the date's entry (province only), audited.
#[utoipa::path(post, path = "/api/v1/calendar/days", tag = "calendar", request_body = CalendarDayInput, responses(
    (status = 201, body = CalendarDaySet, description = "The day was added"),
    (status = 200, body = CalendarDaySet, description = "The date's entry was changed"),
    (status = 422, body = ErrorBody, description = "A date, kind or name refused, naming the field"),
))]
pub async fn set_day(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<CalendarDayInput>,
) -> Result<(StatusCode, Json<CalendarDaySet>), AppError> {
    let set = calendar::set_day(&state, &caller, &input).await?;
    let status = if set.added {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(set)))
}
