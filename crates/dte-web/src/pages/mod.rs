//! The Chinese pages: the shell, the home page, the catalogs and the API reference.

pub mod account;
pub mod activation;
pub mod api_reference;
pub mod attendance;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod certificates;
pub mod claims;
pub mod classes;
pub mod evaluation;
pub mod exam_plan;
pub mod home;
pub mod learning;
pub mod monitor;
pub mod quotas;
pub mod session;
pub mod users;
pub mod workbench;

use crate::error::AppError;
use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

/// What every page's frame shows: the active navigation entry and who is signed in.
pub struct Chrome {
    pub nav: &'static str,
    pub user: Option<ChromeUser>,
    /// The session's CSRF token for the sign-out form and any other form on the page.
    pub csrf: String,
}

/// The signed-in account as the frame shows it.
pub struct ChromeUser {
    pub name: String,
    pub role: &'static str,
}

impl Chrome {
    /// The frame for a caller.
    pub fn new(nav: &'static str, caller: &crate::auth::Caller) -> Chrome {
        Chrome {
            nav,
            user: caller.user().map(|user| ChromeUser {
                name: user.display_name.clone(),
                role: user.role.label(),
            }),
            csrf: caller
                .session
                .as_ref()
                .map(|session| session.csrf_token.clone())
                .unwrap_or_default(),
        }
    }

    /// The frame of a page shown without knowing the caller (error pages).
    pub fn anonymous() -> Chrome {
        Chrome::anonymous_at("")
    }

    /// The frame of a page for nobody signed in, with a navigation entry marked.
    pub fn anonymous_at(nav: &'static str) -> Chrome {
        Chrome {
            nav,
            user: None,
            csrf: String::new(),
        }
    }
}

/// Renders a template into a page, or a 500 page if rendering fails.
pub fn render(template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => Html(html).into_response(),
        Err(error) => PageError(AppError::internal(error)).into_response(),
    }
}

/// An error shown as a page rather than JSON.
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(error: AppError) -> PageError {
        PageError(error)
    }
}

impl From<dte_app::ServiceError> for PageError {
    fn from(error: dte_app::ServiceError) -> PageError {
        PageError(error.into())
    }
}

impl From<dte_store::StoreError> for PageError {
    fn from(error: dte_store::StoreError) -> PageError {
        PageError(error.into())
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    chrome: Chrome,
    status: u16,
    title: &'a str,
    message: &'a str,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.0.status;
        let title = match status {
            StatusCode::NOT_FOUND => "未找到页面",
            StatusCode::FORBIDDEN => "无权访问",
            status if status.is_client_error() => "请求有误",
            _ => "系统错误",
        };
        let page = ErrorPage {
            chrome: Chrome::anonymous(),
            status: status.as_u16(),
            title,
            message: &self.0.message,
        };
        let html = page.render().unwrap_or_else(|_| self.0.message.clone());
        (status, Html(html)).into_response()
    }
}

/// The answer for any path without a route: JSON under `/api/`, a page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    let error = AppError::not_found("not_found", format!("未找到“{}”", uri.path()));
    if uri.path().starts_with("/api/") {
        error.into_response()
    } else {
        PageError(error).into_response()
    }
}
