//! Trainee activation: the one-time code handed over at enrolment, then the trainee's own
//! password. Throttled like sign-in; every attempt audited.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Duration;
use dte_app::classes::actor;
use dte_store::AuditOutcome;
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
    activate_account(
        &state,
        &caller,
        &request.username,
        &request.code,
        &request.password,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The activation itself, shared with the activation page.
pub async fn activate_account(
    state: &AppState,
    caller: &Caller,
    username: &str,
    code: &str,
    password: &str,
) -> Result<(), AppError> {
    let now = state.clock.now();
    let username = username.trim();
    let lockout = state.security.lockout;
    let window_start = now - Duration::seconds(lockout.window_seconds);
    let subject = format!("activation:{username}");
    let attempt = || dte_app::audit::Event::success("user.activate", "user", username);
    if state
        .store
        .sign_in_failures_since(&subject, window_start)
        .await?
        >= lockout.account_failures
    {
        dte_app::audit::record_as(
            state,
            caller,
            Some(username),
            attempt().with_outcome(AuditOutcome::Denied),
        )
        .await?;
        return Err(AppError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "locked",
            message: "激活失败次数过多，请 15 分钟后再试".into(),
            field: None,
            violations: Vec::new(),
        });
    }
    let pending = state.store.pending_activation(username).await?;
    let typed = state.keyring.activation_code_digest(code);
    let valid = match (&pending, &typed) {
        (Some((_, digest, expires_at)), Some(typed)) => {
            *expires_at > now && dte_crypto::constant_time_eq(digest.as_bytes(), typed.as_bytes())
        }
        _ => false,
    };
    let Some((user_id, _, _)) = pending.filter(|_| valid) else {
        state.store.record_sign_in_failure(&subject, now).await?;
        dte_app::audit::record_as(
            state,
            caller,
            Some(username),
            attempt().with_outcome(AuditOutcome::Failed),
        )
        .await?;
        return Err(AppError::invalid(
            "code",
            "用户名或激活码不正确，或激活码已过期（有效期 30 天），请向培训机构核对",
        ));
    };
    dte_crypto::check_password_policy(password, username)
        .map_err(|error| AppError::invalid("password", error.to_string()))?;
    let hash = crate::auth::hash_off_runtime(state, password.to_owned()).await?;
    state
        .store
        .activate_account(user_id, &hash, &actor(state, caller))
        .await?;
    Ok(())
}
