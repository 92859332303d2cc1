//! Enforces each route's declared permission and CSRF protection before its handler runs.
//! A refused request answers 401/403 (JSON under `/api/`, a page or a sign-in redirect
//! elsewhere), reveals no row, and is logged for the audit trail.

use crate::AppState;
use crate::auth::{Caller, is_unsafe};
use crate::error::AppError;
use crate::pages::PageError;
use crate::router::Permission;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::audit;
use dte_store::AuditOutcome;

/// The most a form body may hold when it is read for its CSRF token.
const FORM_LIMIT: usize = 1024 * 1024;

/// Runs the route's handler only when the caller's role is allowed and, for cookie-signed
/// unsafe requests, the CSRF token matches the session's.
pub async fn enforce(
    state: AppState,
    permission: Permission,
    request: Request,
    next: Next,
) -> Response {
    let caller = request
        .extensions()
        .get::<Caller>()
        .cloned()
        .unwrap_or_default();
    let is_api = request.uri().path().starts_with("/api/");
    let role = caller.user().map(|user| user.role);
    if !permission.allows(role) {
        let path = request.uri().path().to_owned();
        return match caller.user() {
            None if is_api => AppError {
                status: StatusCode::UNAUTHORIZED,
                code: "unauthenticated",
                message: "请先登录".into(),
                field: None,
                violations: Vec::new(),
            }
            .into_response(),
            None => Redirect::to(&format!("/login?next={}", urlencode(&path))).into_response(),
            Some(user) => {
                tracing::warn!(username = %user.username, role = user.role.as_str(), %path, "access denied");
                let event = audit::Event::success(
                    "access.denied",
                    "route",
                    format!("{} {path}", request.method()),
                )
                .with_outcome(AuditOutcome::Denied);
                if let Err(error) = audit::record(&state, &caller, event).await {
                    tracing::error!(?error, "cannot audit a refused request");
                }
                let error = AppError {
                    status: StatusCode::FORBIDDEN,
                    code: "forbidden",
                    message: "当前账号无权访问该功能".into(),
                    field: None,
                    violations: Vec::new(),
                };
                if is_api {
                    error.into_response()
                } else {
                    PageError(error).into_response()
                }
            }
        };
    }
    // Public unsafe routes (the sign-in form and API) protect themselves: a stale cookie must
    // not stand in the way of signing in again.
    let needs_csrf =
        permission != Permission::Public && caller.via_cookie && caller.session.is_some();
    if needs_csrf && is_unsafe(request.method()) {
        return match check_csrf(&caller, request).await {
            Ok(request) => next.run(request).await,
            Err(error) if is_api => error.into_response(),
            Err(error) => PageError(error).into_response(),
        };
    }
    next.run(request).await
}

/// Checks the `X-CSRF-Token` header or, for a form, its `csrf_token` field; gives the request
/// back with its body intact.
async fn check_csrf(caller: &Caller, request: Request) -> Result<Request, AppError> {
    let expected = caller
        .session
        .as_ref()
        .map(|session| session.csrf_token.clone())
        .unwrap_or_default();
    let refused = || AppError {
        status: StatusCode::FORBIDDEN,
        code: "csrf",
        message: "页面已过期或来源不明，请刷新页面后重试".into(),
        field: None,
        violations: Vec::new(),
    };
    if let Some(token) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|value| value.to_str().ok())
    {
        return if dte_crypto::constant_time_eq(token.as_bytes(), expected.as_bytes()) {
            Ok(request)
        } else {
            Err(refused())
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(refused());
    }
    let (parts, body) = request.into_parts();
    let bytes = axum::body::to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "too_large",
            message: "提交的内容过大".into(),
            field: None,
            violations: Vec::new(),
        })?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let token = fields
        .iter()
        .find(|(name, _)| name == "csrf_token")
        .map(|(_, value)| value.as_str());
    match token {
        Some(token) if dte_crypto::constant_time_eq(token.as_bytes(), expected.as_bytes()) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(refused()),
    }
}

/// Percent-encodes a path for a query string.
pub fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("", text)])
        .map(|encoded| encoded[1..].to_owned())
        .unwrap_or_default()
}
