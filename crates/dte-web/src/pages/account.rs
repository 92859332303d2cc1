//! The signed-in account: its details and a password change.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::{Caller, check_credentials, hash_off_runtime, session_cookie, start_session};
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    username: String,
    display_name: String,
    role: &'static str,
    binding: String,
    error: String,
    notice: String,
}

/// The password-change form.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    current: String,
    new: String,
    confirm: String,
}

/// `GET /account`.
pub async fn page(Extension(caller): Extension<Caller>) -> Result<Response, PageError> {
    Ok(account_page(
        &caller,
        StatusCode::OK,
        String::new(),
        String::new(),
    ))
}

fn account_page(caller: &Caller, status: StatusCode, error: String, notice: String) -> Response {
    let Some(user) = caller.user() else {
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let binding = user
        .region
        .clone()
        .or_else(|| user.institution_name.clone())
        .unwrap_or_else(|| "—".to_owned());
    let page = AccountPage {
        chrome: Chrome::new("workbench", caller),
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.label(),
        binding,
        error,
        notice,
    };
    (status, render(&page)).into_response()
}

/// `POST /account/password`: checks the current password, the policy and the confirmation;
/// ends every session of the account and signs this browser in again.
pub async fn change_password(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(user) = caller.user().cloned() else {
        return Err(PageError(AppError::not_found("not_found", "未登录")));
    };
    if form.new != form.confirm {
        return Ok(account_page(
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            "两次输入的新密码不一致".into(),
            String::new(),
        ));
    }
    if let Err(error) = dte_crypto::check_password_policy(&form.new, &user.username) {
        return Ok(account_page(
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            error.to_string(),
            String::new(),
        ));
    }
    // Re-authenticate with the current password (ASVS 5.0 V6.2.3).
    if let Err(error) = check_credentials(&state, &caller, &user.username, &form.current).await {
        let message = if error.status == StatusCode::UNAUTHORIZED {
            "当前密码不正确".to_owned()
        } else {
            error.message
        };
        return Ok(account_page(&caller, error.status, message, String::new()));
    }
    let hash = hash_off_runtime(&state, form.new.clone()).await?;
    state
        .store
        .set_password(user.id, &hash, state.clock.now())
        .await?;
    let event =
        dte_app::audit::Event::success("user.password_change", "user", user.username.clone());
    dte_app::audit::record(&state, &caller, event).await?;
    // Every session ended with the change; this browser gets a new one.
    let fresh_caller = Caller {
        token_digest: None,
        ..caller.clone()
    };
    let signed_in = start_session(&state, &fresh_caller, user.clone()).await?;
    let cookie = session_cookie(
        &state,
        &signed_in.token,
        state.security.sessions.absolute_seconds,
    );
    let fresh = caller.with_session(
        state
            .store
            .session_by_token(
                &dte_crypto::token_digest(&signed_in.token),
                state.clock.now(),
                state.clock.now() - chrono::Duration::seconds(state.security.sessions.idle_seconds),
            )
            .await?
            .map(std::sync::Arc::new),
    );
    let page = account_page(
        &fresh,
        StatusCode::OK,
        String::new(),
        "密码已修改，其他设备上的登录已全部退出".into(),
    );
    Ok(([(header::SET_COOKIE, cookie)], page).into_response())
}
