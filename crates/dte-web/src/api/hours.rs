//! Continuing-education hours (继续教育学时): a trainee's own record, and a person's record for
//! the institutions and cities that see them, as JSON and .xlsx.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::evaluation::hours::{self, HoursRecord};

/// The caller's own record (trainee).
#[utoipa::path(get, path = "/api/v1/me/hours", tag = "evaluation", responses(
    (status = 200, body = HoursRecord, description = "Hours per year"),
))]
pub async fn mine(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<HoursRecord>, AppError> {
    Ok(Json(hours::own_record(&state, &caller).await?))
}

/// The caller's own record as .xlsx (trainee).
#[utoipa::path(get, path = "/api/v1/me/hours.xlsx", tag = "evaluation", responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "Hours per year"),
))]
pub async fn mine_xlsx(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, AppError> {
    xlsx(&hours::own_record(&state, &caller).await?)
}

/// The caller's own record as a printable PDF (A4; trainee).
#[utoipa::path(get, path = "/api/v1/me/hours.pdf", tag = "evaluation", responses(
    (status = 200, content_type = "application/pdf", description = "Hours per year, printable"),
))]
pub async fn mine_pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, AppError> {
    pdf(&state, &hours::own_record(&state, &caller).await?).await
}

/// A person's record, for whoever sees them (their institutions, their city, the province).
#[utoipa::path(get, path = "/api/v1/persons/{id}/hours", tag = "evaluation", params(("id" = i64, Path, description = "Person id")), responses(
    (status = 200, body = HoursRecord, description = "Hours per year"),
    (status = 404, body = ErrorBody, description = "No such person in the caller's scope"),
))]
pub async fn of_person(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<HoursRecord>, AppError> {
    Ok(Json(hours::person_record(&state, &caller, id).await?))
}

/// A person's record as .xlsx.
#[utoipa::path(get, path = "/api/v1/persons/{id}/hours.xlsx", tag = "evaluation", params(("id" = i64, Path, description = "Person id")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "Hours per year"),
    (status = 404, body = ErrorBody, description = "No such person in the caller's scope"),
))]
pub async fn of_person_xlsx(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    xlsx(&hours::person_record(&state, &caller, id).await?)
}

/// A person's record as a printable PDF.
#[utoipa::path(get, path = "/api/v1/persons/{id}/hours.pdf", tag = "evaluation", params(("id" = i64, Path, description = "Person id")), responses(
    (status = 200, content_type = "application/pdf", description = "Hours per year, printable"),
    (status = 404, body = ErrorBody, description = "No such person in the caller's scope"),
))]
pub async fn of_person_pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    pdf(&state, &hours::person_record(&state, &caller, id).await?).await
}

fn xlsx(record: &HoursRecord) -> Result<Response, AppError> {
    let bytes = hours::workbook(record)?;
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"hours-{}.xlsx\"", record.person_id),
            ),
        ],
        bytes,
    )
        .into_response())
}

async fn pdf(state: &AppState, record: &HoursRecord) -> Result<Response, AppError> {
    let bytes = hours::pdf(state, record).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"hours-{}.pdf\"", record.person_id),
            ),
        ],
        bytes,
    )
        .into_response())
}
