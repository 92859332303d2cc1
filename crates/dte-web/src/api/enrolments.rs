//! Real-name enrolment: a class's roster (masked), enrolling one person or importing a roster
//! workbook (all or nothing), the roster template, and roster export as .xlsx and CSV.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::{Page, RosterLine};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::classes::enrol::{self, EnrolmentInput, EnrolmentOutcome};
use dte_app::classes::roster;
use dte_domain::access::Action;

/// The MIME type of .xlsx workbooks.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A class's roster, ID numbers and phones masked. Trainees see no roster.
#[utoipa::path(get, path = "/api/v1/classes/{id}/enrolments", tag = "enrolment", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = Page<RosterLine>, description = "The roster"),
    (status = 404, body = ErrorBody, description = "No such class in scope"),
))]
pub async fn roster(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<Page<RosterLine>>, AppError> {
    let (_, roster) = dte_app::classes::roster_of(&state, &caller, id).await?;
    Ok(Json(Page::complete(
        roster.iter().map(RosterLine::from).collect(),
    )))
}

/// Enrols one person (the class's training institution): real-name checks, eligibility with
/// reasons, one person record per human. A new trainee's activation code is in the answer,
/// once.
#[utoipa::path(post, path = "/api/v1/classes/{id}/enrolments", tag = "enrolment", params(("id" = i64, Path, description = "Class id")), request_body = EnrolmentInput, responses(
    (status = 201, body = EnrolmentOutcome, description = "Enrolled"),
    (status = 422, body = ErrorBody, description = "A field is invalid or the person is not eligible; `violations` lists each reason"),
))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<EnrolmentInput>,
) -> Result<(StatusCode, Json<EnrolmentOutcome>), AppError> {
    let class = enrol::own_class(&state, &caller, id, Action::Enrol).await?;
    let trainee = enrol::parse(&input, state.clock.today())?;
    let mut outcome = enrol::enrol(&state, &caller, &class, &[trainee], &[String::new()]).await?;
    let first = outcome
        .pop()
        .ok_or_else(|| AppError::internal("enrolment wrote nothing"))?;
    Ok((StatusCode::CREATED, Json(first)))
}

/// Imports a roster workbook (.xlsx body) into a class: every row is checked and every
/// person's eligibility decided before anything is written; one bad row refuses the file and
/// each is named by its row number.
#[utoipa::path(post, path = "/api/v1/classes/{id}/roster", tag = "enrolment", params(("id" = i64, Path, description = "Class id")),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The filled-in roster template"),
    responses(
        (status = 201, body = Page<EnrolmentOutcome>, description = "Every row was enrolled"),
        (status = 422, body = ErrorBody, description = "Nothing was written; `violations` names each bad row"),
    ))]
pub async fn import(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<(StatusCode, Json<Page<EnrolmentOutcome>>), AppError> {
    let class = enrol::own_class(&state, &caller, id, Action::ImportRoster).await?;
    let outcome = enrol::import(&state, &caller, &class, &body).await?;
    Ok((StatusCode::CREATED, Json(Page::complete(outcome))))
}

/// The roster template to fill in (.xlsx), with the subsidy categories of the day.
#[utoipa::path(get, path = "/api/v1/roster-template.xlsx", tag = "enrolment", responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The template"),
))]
pub async fn template(State(state): State<AppState>) -> Result<Response, AppError> {
    let choices = enrol::subsidy_choices(&state).await?;
    let bytes = dte_docs::roster::roster_template(&choices).map_err(AppError::internal)?;
    Ok(download(bytes, XLSX, "roster-template.xlsx"))
}

fn download(bytes: Vec<u8>, content_type: &'static str, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The roster as an .xlsx workbook (full values for the institution and city; audited).
#[utoipa::path(get, path = "/api/v1/classes/{id}/roster.xlsx", tag = "enrolment", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The roster"),
))]
pub async fn export_xlsx(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (class, rows) = roster::export_rows(&state, &caller, id).await?;
    let bytes =
        dte_docs::roster::roster_workbook(&class.title, &rows).map_err(AppError::internal)?;
    Ok(download(bytes, XLSX, &format!("roster-{id}.xlsx")))
}

/// The roster as CSV (UTF-8 with BOM, for Excel).
#[utoipa::path(get, path = "/api/v1/classes/{id}/roster.csv", tag = "enrolment", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, content_type = "text/csv", description = "The roster"),
))]
pub async fn export_csv(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let (_, rows) = roster::export_rows(&state, &caller, id).await?;
    Ok(download(
        dte_docs::roster::roster_csv(&rows),
        "text/csv; charset=utf-8",
        &format!("roster-{id}.csv"),
    ))
}
