//! Who is calling: sessions from the `dte_session` cookie or an `Authorization: Bearer` token,
//! sign-in with throttling and lockout, CSRF checks, and the client address behind trusted
//! proxies. Passwords are verified off the async runtime with bounded concurrency.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::Duration;
use dte_app::Principal;
use dte_store::Session;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "dte_session";
/// The pre-sign-in CSRF cookie (double-submit) of the sign-in form.
pub const FORM_CSRF_COOKIE: &str = "dte_form_csrf";

/// What the web layer adds to the accounts' settings (`dte_app::accounts::Settings`): how
/// cookies are marked and whose `X-Forwarded-For` is believed.
#[derive(Debug)]
pub struct Security {
    /// Mark cookies `Secure` (when served over TLS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
}

impl Security {
    pub fn new(secure_cookies: bool, trusted_proxies: Vec<IpAddr>) -> Security {
        Security {
            secure_cookies,
            trusted_proxies,
        }
    }
}

/// The caller of a request, put into its extensions by `identify`: the services' principal
/// (who, from where) and the session it came with. It dereferences to the principal, so a
/// handler hands `&caller` to a service as it is.
#[derive(Debug, Clone, Default)]
pub struct Caller {
    pub principal: Principal,
    pub session: Option<Arc<Session>>,
    /// The session came from the cookie (so unsafe requests need a CSRF token).
    pub via_cookie: bool,
    pub token_digest: Option<String>,
}

impl Caller {
    /// The same caller signed in with `session` (or signed out with none).
    pub fn with_session(self, session: Option<Arc<Session>>) -> Caller {
        Caller {
            principal: Principal {
                account: session.as_ref().map(|session| session.user.clone()),
                ..self.principal
            },
            session,
            ..self
        }
    }
}

impl std::ops::Deref for Caller {
    type Target = Principal;

    fn deref(&self) -> &Principal {
        &self.principal
    }
}

/// Middleware: resolves the caller of every request from its cookie or bearer token.
pub async fn identify(
    axum::extract::State(state): axum::extract::State<AppState>,
    mut request: Request,
    next: Next,
) -> Result<Response, AppError> {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    let address = client_address(peer, request.headers(), &state.security.trusted_proxies);
    let request_id = request
        .headers()
        .get("x-request-id")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let (token, via_cookie) = match bearer_token(request.headers()) {
        Some(token) => (Some(token), false),
        None => (cookie(request.headers(), SESSION_COOKIE), true),
    };
    let mut caller = Caller {
        principal: Principal {
            account: None,
            address,
            request_id,
        },
        ..Caller::default()
    };
    if let Some(token) = token {
        let digest = dte_crypto::token_digest(&token);
        let now = state.clock.now();
        let idle_since = now - Duration::seconds(state.accounts.sessions.idle_seconds);
        if let Some(session) = state
            .store
            .session_by_token(&digest, now, idle_since)
            .await?
        {
            caller = caller.with_session(Some(Arc::new(session)));
            caller.via_cookie = via_cookie;
            caller.token_digest = Some(digest);
        }
    }
    let signed_in = caller.session.is_some();
    request.extensions_mut().insert(caller);
    let mut response = next.run(request).await;
    // What a signed-in person sees is theirs: no shared or browser cache keeps it (issue 15
    // item 7). Answers that say how they may be cached (public catalogs, assets) keep that.
    if signed_in && !response.headers().contains_key(header::CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// Whether a request changes state (and so needs CSRF protection when cookie-authenticated).
pub fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The token of `Authorization: Bearer <token>`.
fn bearer_token(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let token = value
        .strip_prefix("Bearer ")
        .or_else(|| value.strip_prefix("bearer "))?;
    Some(token.trim().to_owned()).filter(|token| !token.is_empty())
}

/// One cookie's value.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

/// The client's address: the peer, or the last untrusted hop of `X-Forwarded-For` when the
/// peer is a trusted proxy (nginx example in README).
pub fn client_address(
    peer: Option<IpAddr>,
    headers: &HeaderMap,
    trusted: &[IpAddr],
) -> Option<IpAddr> {
    let peer = peer?;
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = headers
        .get("x-forwarded-for")
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let hops: Vec<IpAddr> = forwarded
        .split(',')
        .filter_map(|hop| hop.trim().parse().ok())
        .collect();
    Some(
        hops.into_iter()
            .rev()
            .find(|hop| !trusted.contains(hop))
            .unwrap_or(peer),
    )
}

/// The `Set-Cookie` value of a session cookie (HttpOnly, SameSite=Lax, Secure under TLS).
pub fn session_cookie(state: &AppState, token: &str, max_age_seconds: i64) -> String {
    let secure = if state.security.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_session_cookie(state: &AppState) -> String {
    session_cookie(state, "", 0)
}
