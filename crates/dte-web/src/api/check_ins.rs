//! Attendance: the classroom's rotating code (the institution's display) and trainees'
//! check-ins and check-outs.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::{CorrectionCreated, Ledger};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::classes::attendance::{self, CorrectionRequest};
use dte_app::classes::check_in::{self, CheckInAnswer, CheckInRequest, ClassroomCode};

/// The code to show in the classroom now (the class's institution); it changes every 30 s and
/// the previous one is still accepted.
#[utoipa::path(get, path = "/api/v1/sessions/{id}/code", tag = "attendance", params(("id" = i64, Path, description = "Session id")), responses(
    (status = 200, body = ClassroomCode, description = "The current code"),
    (status = 404, body = ErrorBody, description = "No such session in scope"),
))]
pub async fn code(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClassroomCode>, AppError> {
    Ok(Json(check_in::classroom_code(&state, &caller, id).await?))
}

/// A trainee checks in or out: inside the session's window, inside the fence allowing for the
/// reported accuracy, with the classroom's current or previous code. Safe to retry with the same
/// `idempotency_key`; the answer says whether it counted. A refusal (422) says why in Chinese
/// and is kept as evidence.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/check-ins", tag = "attendance", params(("id" = i64, Path, description = "Session id")), request_body = CheckInRequest, responses(
    (status = 200, body = CheckInAnswer, description = "Counted (now, or before)"),
    (status = 422, body = ErrorBody, description = "Not counted; `violations` says why (window, fence, accuracy, code)"),
))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(request): AppJson<CheckInRequest>,
) -> Result<Json<CheckInAnswer>, AppError> {
    Ok(Json(
        check_in::check_in(&state, &caller, id, &request).await?,
    ))
}

/// The institution corrects a trainee's check-in or check-out (补签, or a record that does not
/// count), always with a reason; audited as `attendance.correct` and counted by the
/// `many_corrections` risk flag.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/corrections", tag = "attendance", params(("id" = i64, Path, description = "Session id")), request_body = CorrectionRequest, responses(
    (status = 201, body = CorrectionCreated, description = "Recorded"),
    (status = 422, body = ErrorBody, description = "No reason, a wrong kind, an online session, or a person not on the roster"),
    (status = 403, body = ErrorBody, description = "Not the institution running the class"),
))]
pub async fn correct(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(request): AppJson<CorrectionRequest>,
) -> Result<(StatusCode, Json<CorrectionCreated>), AppError> {
    let id = attendance::correct(&state, &caller, id, &request).await?;
    Ok((StatusCode::CREATED, Json(CorrectionCreated { id })))
}

/// A class's hours ledger (学时台账): each active trainee's offline and online hours, the
/// attendance rate and what completion still needs. A trainee sees only their own line.
#[utoipa::path(get, path = "/api/v1/classes/{id}/attendance", tag = "attendance", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = Ledger, description = "The ledger"),
    (status = 404, body = ErrorBody, description = "No such class in scope"),
))]
pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<Ledger>, AppError> {
    let ledger = attendance::class_ledger(&state, &caller, id).await?;
    Ok(Json(Ledger::from(&ledger)))
}
