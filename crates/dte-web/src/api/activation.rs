//! Trainee activation: the one-time code handed over at enrolment, then the trainee's own
//! password. Throttled like sign-in; every attempt audited.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

/// What the trainee types: username and code from the enrolment slip, and a new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ActivationRequest {
    pub username: String,
    /// The one-time code, e.g. `7KQ4-MZ2P` (case and dash do not matter).
    pub code: String,
    pub password: String,
}

/// Activates a trainee account and sets its password.
#[utoipa::path(post, path = "/api/v1/activation", tag = "session", request_body = ActivationRequest, responses(
    (status = 204, description = "Activated: sign in with the new password"),
    (status = 422, body = ErrorBody, description = "Wrong or expired code, or a weak password"),
    (status = 429, body = ErrorBody, description = "Too many failures"),
))]
pub async fn activate(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(request): AppJson<ActivationRequest>,
) -> Result<StatusCode, AppError> {
    dte_app::accounts::activate(
        &state,
        &caller,
        &request.username,
        &request.code,
        &request.password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
