//! The signed-in account: its details and a password change.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::{Caller, session_cookie};
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
    let Some(_) = caller.user() else {
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
    let signed_in =
        match dte_app::accounts::change_password(&state, &caller, &form.current, &form.new).await {
            Ok(signed_in) => signed_in,
            Err(error) if error.kind == dte_app::ErrorKind::Internal => {
                return Err(PageError(error.into()));
            }
            Err(error) => {
                let error = AppError::from(error);
                return Ok(account_page(
                    &caller,
                    error.status,
                    error.message,
                    String::new(),
                ));
            }
        };
    let cookie = session_cookie(
        &state,
        &signed_in.token,
        state.accounts.sessions.absolute_seconds,
    );
    let fresh = caller.with_session(
        state
            .store
            .session_by_token(
                &dte_crypto::token_digest(&signed_in.token),
                state.clock.now(),
                state.clock.now() - chrono::Duration::seconds(state.accounts.sessions.idle_seconds),
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
