//! Who is calling: sessions from the `dte_session` cookie or an `Authorization: Bearer` token,
//! sign-in with throttling and lockout, CSRF checks, and the client address behind trusted
//! proxies. Passwords are verified off the async runtime with bounded concurrency.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{ConnectInfo, Request};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use chrono::{DateTime, Duration, Utc};
use dte_app::{Principal, audit};
use dte_crypto::PasswordParams;
use dte_domain::access::{LockoutPolicy, SessionPolicy};
use dte_store::AuditOutcome;
use dte_store::{NewSession, Session};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "dte_session";
/// The pre-sign-in CSRF cookie (double-submit) of the sign-in form.
pub const FORM_CSRF_COOKIE: &str = "dte_form_csrf";

/// Security settings shared by every request.
#[derive(Debug)]
pub struct Security {
    /// Bounds concurrent password hashing so a login storm cannot starve other requests.
    pub hashing: tokio::sync::Semaphore,
    pub password_params: PasswordParams,
    /// Mark cookies `Secure` (when served over TLS or behind a TLS proxy).
    pub secure_cookies: bool,
    /// Peers whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpAddr>,
    pub sessions: SessionPolicy,
    pub lockout: LockoutPolicy,
}

impl Security {
    /// Production settings: OWASP Argon2id parameters, two hashes at a time.
    pub fn new(secure_cookies: bool, trusted_proxies: Vec<IpAddr>) -> Security {
        Security::with_params(PasswordParams::OWASP, secure_cookies, trusted_proxies)
    }

    /// Settings with chosen hashing parameters (tests use cheap ones).
    pub fn with_params(
        password_params: PasswordParams,
        secure_cookies: bool,
        trusted_proxies: Vec<IpAddr>,
    ) -> Security {
        Security {
            hashing: tokio::sync::Semaphore::new(2),
            password_params,
            secure_cookies,
            trusted_proxies,
            sessions: SessionPolicy::DEFAULT,
            lockout: LockoutPolicy::DEFAULT,
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
        let idle_since = now - Duration::seconds(state.security.sessions.idle_seconds);
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
    request.extensions_mut().insert(caller);
    Ok(next.run(request).await)
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

/// A successful sign-in: the new token (shown once) and its session's expiry.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: dte_store::User,
}

/// Signs in: checks the credentials, then starts a new session.
pub async fn sign_in(
    state: &AppState,
    caller: &Caller,
    username: &str,
    password: &str,
) -> Result<SignedIn, AppError> {
    let user = check_credentials(state, caller, username, password).await?;
    start_session(state, caller, user).await
}

/// Checks a username and password: throttles per account and per address, verifies the
/// password off the runtime, records and audits failures.
pub async fn check_credentials(
    state: &AppState,
    caller: &Caller,
    username: &str,
    password: &str,
) -> Result<dte_store::User, AppError> {
    let now = state.clock.now();
    let username = username.trim();
    let lockout = state.security.lockout;
    let window_start = now - Duration::seconds(lockout.window_seconds);
    let user_subject = format!("user:{username}");
    let address_subject = caller.address.map(|address| format!("address:{address}"));
    let attempt = || audit::Event::success("session.create", "user", username);
    if state
        .store
        .sign_in_failures_since(&user_subject, window_start)
        .await?
        >= lockout.account_failures
    {
        audit::record_as(
            state,
            caller,
            Some(username),
            attempt().with_outcome(AuditOutcome::Denied),
        )
        .await?;
        return Err(locked(
            "该账号连续登录失败次数过多，已临时锁定，请 15 分钟后再试或联系管理员",
        ));
    }
    if let Some(subject) = &address_subject
        && state
            .store
            .sign_in_failures_since(subject, window_start)
            .await?
            >= lockout.address_failures
    {
        audit::record_as(
            state,
            caller,
            Some(username),
            attempt().with_outcome(AuditOutcome::Denied),
        )
        .await?;
        return Err(locked(
            "本地址登录失败次数过多，已临时限制，请 15 分钟后再试",
        ));
    }
    let user = state.store.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .filter(|user| user.is_active())
        .and_then(|user| user.password_hash.clone());
    let verified = verify_off_runtime(state, password.to_owned(), hash).await?;
    match (verified, user) {
        (true, Some(user)) => {
            state
                .store
                .clear_sign_in_failures(&user_subject, window_start)
                .await?;
            Ok(user)
        }
        _ => {
            state
                .store
                .record_sign_in_failure(&user_subject, now)
                .await?;
            if let Some(subject) = &address_subject {
                state.store.record_sign_in_failure(subject, now).await?;
            }
            audit::record_as(
                state,
                caller,
                Some(username),
                attempt().with_outcome(AuditOutcome::Failed),
            )
            .await?;
            Err(AppError {
                status: StatusCode::UNAUTHORIZED,
                code: "invalid_credentials",
                message: "用户名或密码错误".into(),
                field: Some("password".into()),
                violations: Vec::new(),
            })
        }
    }
}

/// Starts a session for an account whose credentials were checked. The caller's previous
/// session, if any, ends: the session id rotates at sign-in.
pub async fn start_session(
    state: &AppState,
    caller: &Caller,
    user: dte_store::User,
) -> Result<SignedIn, AppError> {
    let now = state.clock.now();
    if let Some(previous) = &caller.token_digest {
        state.store.delete_session(previous).await?;
    }
    let token = dte_crypto::new_token();
    let csrf_token = dte_crypto::new_token();
    let expires_at = now + Duration::seconds(state.security.sessions.absolute_seconds);
    let session = NewSession {
        token_digest: dte_crypto::token_digest(&token),
        csrf_token: csrf_token.clone(),
        user_id: user.id,
        kind: "browser",
        expires_at,
        client_address: caller.address.map(|address| address.to_string()),
    };
    state.store.create_session(&session, now).await?;
    let event = audit::Event::success("session.create", "user", user.username.clone());
    audit::record_as(state, caller, Some(&user.username), event).await?;
    Ok(SignedIn {
        token,
        csrf_token,
        expires_at,
        user,
    })
}

/// Ends the caller's session, if any, and audits it.
pub async fn end_session(state: &AppState, caller: &Caller) -> Result<(), AppError> {
    if let Some(digest) = &caller.token_digest {
        state.store.delete_session(digest).await?;
        let username = caller
            .user()
            .map(|user| user.username.clone())
            .unwrap_or_default();
        audit::record(
            state,
            caller,
            audit::Event::success("session.delete", "user", username),
        )
        .await?;
    }
    Ok(())
}

/// Verifies a password on the blocking pool, at most `hashing` permits at a time. Without a
/// stored hash it still spends the same effort, so timing does not reveal unknown accounts.
async fn verify_off_runtime(
    state: &AppState,
    password: String,
    hash: Option<String>,
) -> Result<bool, AppError> {
    let _permit = state
        .security
        .hashing
        .acquire()
        .await
        .map_err(AppError::internal)?;
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => dte_crypto::verify_password(&password, &hash),
        None => dte_crypto::verify_password_for_unknown_user(&password),
    })
    .await
    .map_err(AppError::internal)
}

/// Hashes a new password on the blocking pool with the configured parameters.
pub async fn hash_off_runtime(state: &AppState, password: String) -> Result<String, AppError> {
    let _permit = state
        .security
        .hashing
        .acquire()
        .await
        .map_err(AppError::internal)?;
    let params = state.security.password_params;
    tokio::task::spawn_blocking(move || dte_crypto::hash_password_with(&password, params))
        .await
        .map_err(AppError::internal)?
        .map_err(AppError::internal)
}

fn locked(message: &str) -> AppError {
    AppError {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "locked",
        message: message.into(),
        field: None,
        violations: Vec::new(),
    }
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
