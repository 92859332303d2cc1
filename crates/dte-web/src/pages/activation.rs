//! The trainee's activation page: the username and one-time code from the enrolment slip,
//! and a password of their own. The check, throttling and audit are `dte_app::accounts::activate`'s.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "activate.html")]
struct ActivatePage {
    chrome: Chrome,
    username: String,
    code: String,
    error: String,
    activated: bool,
}

/// The activation form. The passwords are never shown again.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActivationForm {
    username: String,
    code: String,
    password: String,
    confirm: String,
}

/// `GET /activate`.
pub async fn form(Extension(caller): Extension<Caller>) -> Response {
    render(&ActivatePage {
        chrome: chrome(&caller),
        username: String::new(),
        code: String::new(),
        error: String::new(),
        activated: false,
    })
}

/// `POST /activate`: activates the account, or says why not with the username and code kept.
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<ActivationForm>,
) -> Result<Response, PageError> {
    let outcome = if form.password != form.confirm {
        Err(crate::error::AppError::invalid(
            "confirm",
            "两次输入的新密码不一致",
        ))
    } else {
        dte_app::accounts::activate(&state, &caller, &form.username, &form.code, &form.password)
            .await
            .map_err(crate::error::AppError::from)
    };
    let (status, error, activated) = match outcome {
        Ok(()) => (StatusCode::OK, String::new(), true),
        Err(error) if error.status.is_server_error() => return Err(PageError(error)),
        Err(error) => (error.status, error.message, false),
    };
    let page = ActivatePage {
        chrome: chrome(&caller),
        username: form.username.trim().to_owned(),
        code: if activated { String::new() } else { form.code },
        error,
        activated,
    };
    Ok((status, render(&page)).into_response())
}

fn chrome(caller: &Caller) -> Chrome {
    Chrome::new("login", caller)
}
