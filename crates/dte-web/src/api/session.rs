//! Sessions for API clients and the browser: sign in, sign out, who am I.

use crate::AppState;
use crate::auth::{Caller, cleared_session_cookie, session_cookie};
use crate::error::{AppError, ErrorBody};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::accounts::sign_in;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Credentials for `POST /api/v1/session`.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignInRequest {
    pub username: String,
    pub password: String,
}

/// A new session: send `Authorization: Bearer <token>` with later requests.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionCreated {
    /// Shown once; DTE stores only its SHA-256 digest.
    pub token: String,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    pub user: Me,
}

/// The signed-in account.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    pub username: String,
    pub display_name: String,
    /// `province-admin`, `city-admin`, `training-institution`, `evaluation-institution`,
    /// `trainee`, `inspector` or `auditor`.
    pub role: String,
    pub role_label: String,
    pub region: Option<String>,
    pub institution: Option<String>,
}

impl From<&dte_store::User> for Me {
    fn from(user: &dte_store::User) -> Me {
        Me {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            role_label: user.role.label().to_owned(),
            region: user.region.clone(),
            institution: user.institution_name.clone(),
        }
    }
}

/// Signs in with a username and password. Repeated failures lock the account and the client
/// address for 15 minutes (429).
#[utoipa::path(post, path = "/api/v1/session", tag = "session", request_body = SignInRequest, responses(
    (status = 200, body = SessionCreated, description = "Signed in; a session cookie is set for browsers too"),
    (status = 401, body = ErrorBody, description = "Wrong username or password"),
    (status = 429, body = ErrorBody, description = "Too many failures: temporarily locked"),
))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Json(request): Json<SignInRequest>,
) -> Result<Response, AppError> {
    let signed_in = sign_in(
        &state,
        &caller,
        caller.token_digest.as_deref(),
        &request.username,
        &request.password,
    )
    .await?;
    let cookie = session_cookie(
        &state,
        &signed_in.token,
        state.accounts.sessions.absolute_seconds,
    );
    let body = SessionCreated {
        user: Me::from(&signed_in.user),
        token: signed_in.token,
        expires_at: signed_in.expires_at,
    };
    Ok(([(header::SET_COOKIE, cookie)], Json(body)).into_response())
}

/// Signs out: ends the session of this token or cookie.
#[utoipa::path(delete, path = "/api/v1/session", tag = "session", responses(
    (status = 204, description = "Signed out"),
    (status = 401, body = ErrorBody, description = "Not signed in"),
))]
pub async fn delete(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, AppError> {
    dte_app::accounts::end_session(&state, &caller, caller.token_digest.as_deref()).await?;
    Ok((
        StatusCode::NO_CONTENT,
        [(header::SET_COOKIE, cleared_session_cookie(&state))],
    )
        .into_response())
}

/// The signed-in account and its scope.
#[utoipa::path(get, path = "/api/v1/me", tag = "session", responses(
    (status = 200, body = Me, description = "The signed-in account"),
    (status = 401, body = ErrorBody, description = "Not signed in"),
))]
pub async fn me(Extension(caller): Extension<Caller>) -> Result<Json<Me>, AppError> {
    let user = caller.user().ok_or_else(|| AppError {
        status: StatusCode::UNAUTHORIZED,
        code: "unauthenticated",
        message: "请先登录".into(),
        field: None,
        violations: Vec::new(),
    })?;
    Ok(Json(Me::from(user)))
}
