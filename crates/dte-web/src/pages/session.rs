//! The sign-in page and sign-out. The anonymous sign-in form is protected from CSRF by a
//! double-submit cookie; after sign-in the session's own token protects every form.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::{Caller, FORM_CSRF_COOKIE, cleared_session_cookie, cookie, session_cookie};
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    chrome: Chrome,
    form_token: String,
    next: String,
    username: String,
    error: String,
}

/// Where to go after signing in.
#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// The sign-in form's fields.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    username: String,
    password: String,
    form_token: String,
    #[serde(default)]
    next: String,
}

/// `GET /login`.
pub async fn form(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(next): Query<Next>,
) -> Response {
    if caller.user().is_some() {
        return Redirect::to("/workbench").into_response();
    }
    login_page(
        &state,
        StatusCode::OK,
        safe_next(next.next.as_deref()),
        String::new(),
        String::new(),
    )
}

fn login_page(
    state: &AppState,
    status: StatusCode,
    next: String,
    username: String,
    error: String,
) -> Response {
    let form_token = dte_crypto::new_token();
    let secure = if state.security.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let cookie = format!(
        "{FORM_CSRF_COOKIE}={form_token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    );
    let page = LoginPage {
        chrome: Chrome::anonymous_at("login"),
        form_token,
        next,
        username,
        error,
    };
    (status, [(header::SET_COOKIE, cookie)], render(&page)).into_response()
}

/// `POST /login`: signs in and goes to `next` or the workbench.
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, PageError> {
    let next = safe_next(Some(&form.next));
    let expected = cookie(&headers, FORM_CSRF_COOKIE).unwrap_or_default();
    if expected.is_empty()
        || !dte_crypto::constant_time_eq(expected.as_bytes(), form.form_token.as_bytes())
    {
        let message = "页面已过期，请重新输入用户名和密码".to_owned();
        return Ok(login_page(
            &state,
            StatusCode::BAD_REQUEST,
            next,
            form.username,
            message,
        ));
    }
    let signed_in = dte_app::accounts::sign_in(
        &state,
        &caller,
        caller.token_digest.as_deref(),
        &form.username,
        &form.password,
    )
    .await
    .map_err(AppError::from);
    match signed_in {
        Ok(signed_in) => {
            let cookie = session_cookie(
                &state,
                &signed_in.token,
                state.accounts.sessions.absolute_seconds,
            );
            let target = if next.is_empty() {
                "/workbench".to_owned()
            } else {
                next
            };
            Ok(([(header::SET_COOKIE, cookie)], Redirect::to(&target)).into_response())
        }
        Err(
            error @ AppError {
                status: StatusCode::UNAUTHORIZED | StatusCode::TOO_MANY_REQUESTS,
                ..
            },
        ) => Ok(login_page(
            &state,
            error.status,
            next,
            form.username,
            error.message,
        )),
        Err(other) => Err(PageError(other)),
    }
}

/// `POST /logout`.
pub async fn logout(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    dte_app::accounts::end_session(&state, &caller, caller.token_digest.as_deref()).await?;
    Ok((
        [(header::SET_COOKIE, cleared_session_cookie(&state))],
        Redirect::to("/"),
    )
        .into_response())
}

/// Only local paths are followed after sign-in (no open redirect): `next` must be a path of
/// this site with no control characters, spaces or backslashes, and what is followed is its
/// parsed, normalised form (dot segments resolved), which must still be a local path.
fn safe_next(next: Option<&str>) -> String {
    let Some(path) = next else {
        return String::new();
    };
    let suspicious = |c: char| c.is_control() || c.is_whitespace() || c == '\\';
    if !path.starts_with('/') || path.starts_with("//") || path.chars().any(suspicious) {
        return String::new();
    }
    let Ok(base) = url::Url::parse("http://dte.invalid/") else {
        return String::new();
    };
    let Ok(parsed) = base.join(path) else {
        return String::new();
    };
    if parsed.origin() != base.origin() || parsed.path().starts_with("//") {
        return String::new();
    }
    match parsed.query() {
        Some(query) => format!("{}?{query}", parsed.path()),
        None => parsed.path().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    /// ASVS 5.0 V3.7.2: redirects after sign-in go to local paths only.
    #[test]
    fn only_local_paths_are_followed_after_sign_in() {
        assert_eq!(super::safe_next(Some("/users")), "/users");
        assert_eq!(super::safe_next(Some("//evil.example")), "");
        assert_eq!(super::safe_next(Some("https://evil.example")), "");
        assert_eq!(super::safe_next(Some("/\\evil")), "");
    }

    /// Issue 15 item 3: a tab, a line break or a dot segment cannot turn `next` into another
    /// host; what is followed is the normalised path.
    #[test]
    fn next_with_control_characters_or_dot_segments_goes_to_the_workbench() {
        assert_eq!(super::safe_next(Some("/\t/evil.example/path")), "");
        assert_eq!(super::safe_next(Some("/\r\nSet-Cookie: x=1")), "");
        assert_eq!(super::safe_next(Some("/ /evil.example")), "");
        assert_eq!(super::safe_next(Some("/.//evil.example")), "");
        assert_eq!(super::safe_next(Some("/a/../../evil")), "/evil");
        assert_eq!(
            super::safe_next(Some("/classes?year=2026")),
            "/classes?year=2026"
        );
        assert_eq!(super::safe_next(None), "");
    }
}
