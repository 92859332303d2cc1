//! Accounts: signing in with per-account and per-address throttling, sessions, trainee
//! activation with the one-time code, password changes and the province's account creation.
//! Passwords are hashed and verified on the blocking pool, a few at a time.

use crate::audit;
use crate::{Context, Principal, ServiceError};
use chrono::{DateTime, Duration, Utc};
use dte_crypto::PasswordParams;
use dte_domain::Role;
use dte_domain::access::{LockoutPolicy, SessionPolicy};
use dte_store::{AccountRequest, AuditOutcome, NewSession};

/// How accounts are protected: password hashing (bounded so a sign-in storm cannot starve
/// other requests), session lifetimes and the lockout after failures.
#[derive(Debug)]
pub struct Settings {
    /// Bounds concurrent password hashing.
    pub hashing: tokio::sync::Semaphore,
    pub password_params: PasswordParams,
    pub sessions: SessionPolicy,
    pub lockout: LockoutPolicy,
}

impl Settings {
    /// Production settings: OWASP Argon2id parameters, two hashes at a time.
    pub fn new() -> Settings {
        Settings::with_params(PasswordParams::OWASP)
    }

    /// Settings with chosen hashing parameters (tests use cheap ones).
    pub fn with_params(password_params: PasswordParams) -> Settings {
        Settings {
            hashing: tokio::sync::Semaphore::new(2),
            password_params,
            sessions: SessionPolicy::DEFAULT,
            lockout: LockoutPolicy::DEFAULT,
        }
    }
}

impl Default for Settings {
    fn default() -> Settings {
        Settings::new()
    }
}

/// A successful sign-in: the new token (shown once) and its session's expiry.
#[derive(Debug)]
pub struct SignedIn {
    pub token: String,
    pub csrf_token: String,
    pub expires_at: DateTime<Utc>,
    pub user: dte_store::User,
}

/// Signs in: checks the credentials, then starts a new session (ending `previous`, the
/// digest of the session the request came with).
pub async fn sign_in(
    context: &Context,
    principal: &Principal,
    previous: Option<&str>,
    username: &str,
    password: &str,
) -> Result<SignedIn, ServiceError> {
    let user = check_credentials(context, principal, username, password).await?;
    start_session(context, principal, previous, user).await
}

/// Checks a username and password: throttles per account and per address, verifies the
/// password off the runtime, records and audits failures.
pub async fn check_credentials(
    context: &Context,
    principal: &Principal,
    username: &str,
    password: &str,
) -> Result<dte_store::User, ServiceError> {
    let now = context.clock.now();
    let username = username.trim();
    let lockout = context.accounts.lockout;
    let window_start = now - Duration::seconds(lockout.window_seconds);
    let user_subject = format!("user:{username}");
    let address_subject = principal
        .address
        .map(|address| format!("address:{address}"));
    let attempt = || audit::Event::attempt("session.create", username);
    refuse_when_locked(
        context,
        principal,
        Throttle {
            subject: &user_subject,
            since: window_start,
            limit: lockout.account_failures,
            event: attempt(),
            message: "该账号连续登录失败次数过多，已临时锁定，请 15 分钟后再试或联系管理员",
        },
    )
    .await?;
    if let Some(subject) = &address_subject {
        refuse_when_locked(
            context,
            principal,
            Throttle {
                subject,
                since: window_start,
                limit: lockout.address_failures,
                event: attempt(),
                message: "本地址登录失败次数过多，已临时限制，请 15 分钟后再试",
            },
        )
        .await?;
    }
    let user = context.store.user_by_username(username).await?;
    let hash = user
        .as_ref()
        .filter(|user| user.is_active())
        .and_then(|user| user.password_hash.clone());
    let verified = verify_password(context, password.to_owned(), hash).await?;
    match (verified, user) {
        (true, Some(user)) => {
            context
                .store
                .clear_sign_in_failures(&user_subject, window_start)
                .await?;
            Ok(user)
        }
        _ => {
            context
                .store
                .record_sign_in_failure(&user_subject, now)
                .await?;
            if let Some(subject) = &address_subject {
                context.store.record_sign_in_failure(subject, now).await?;
            }
            audit::record(
                context,
                principal,
                attempt().with_outcome(AuditOutcome::Failed),
            )
            .await?;
            Err(ServiceError {
                field: Some("password".into()),
                ..ServiceError::unauthenticated("invalid_credentials", "用户名或密码错误")
            })
        }
    }
}

/// Starts a session for an account whose credentials were checked. The principal's previous
/// session, if any, ends: the session id rotates at sign-in.
pub async fn start_session(
    context: &Context,
    principal: &Principal,
    previous: Option<&str>,
    user: dte_store::User,
) -> Result<SignedIn, ServiceError> {
    let now = context.clock.now();
    if let Some(previous) = previous {
        context.store.delete_session(previous).await?;
    }
    let token = dte_crypto::new_token();
    let csrf_token = dte_crypto::new_token();
    let expires_at = now + Duration::seconds(context.accounts.sessions.absolute_seconds);
    let session = NewSession {
        token_digest: dte_crypto::token_digest(&token),
        csrf_token: csrf_token.clone(),
        user_id: user.id,
        kind: "browser",
        expires_at,
        client_address: principal.address.map(|address| address.to_string()),
    };
    context.store.create_session(&session, now).await?;
    let event = audit::Event::success("session.create", "user", user.username.clone());
    audit::record_as(context, principal, Some(&user.username), event).await?;
    Ok(SignedIn {
        token,
        csrf_token,
        expires_at,
        user,
    })
}

/// Ends the session with this token digest, if any, and audits it.
pub async fn end_session(
    context: &Context,
    principal: &Principal,
    token_digest: Option<&str>,
) -> Result<(), ServiceError> {
    if let Some(digest) = token_digest {
        context.store.delete_session(digest).await?;
        let username = principal
            .user()
            .map(|user| user.username.clone())
            .unwrap_or_default();
        audit::record(
            context,
            principal,
            audit::Event::success("session.delete", "user", username),
        )
        .await?;
    }
    Ok(())
}

/// Verifies a password on the blocking pool, at most `hashing` permits at a time. Without a
/// stored hash it still spends the same effort, so timing does not reveal unknown accounts.
async fn verify_password(
    context: &Context,
    password: String,
    hash: Option<String>,
) -> Result<bool, ServiceError> {
    let _permit = context
        .accounts
        .hashing
        .acquire()
        .await
        .map_err(ServiceError::internal)?;
    tokio::task::spawn_blocking(move || match hash {
        Some(hash) => dte_crypto::verify_password(&password, &hash),
        None => dte_crypto::verify_password_for_unknown_user(&password),
    })
    .await
    .map_err(ServiceError::internal)
}

/// Hashes a new password on the blocking pool with the configured parameters.
pub async fn hash_password(context: &Context, password: String) -> Result<String, ServiceError> {
    let _permit = context
        .accounts
        .hashing
        .acquire()
        .await
        .map_err(ServiceError::internal)?;
    let params = context.accounts.password_params;
    tokio::task::spawn_blocking(move || dte_crypto::hash_password_with(&password, params))
        .await
        .map_err(ServiceError::internal)?
        .map_err(ServiceError::internal)
}

/// A limit of failures for one subject (an account, an address, an activation) in a window.
struct Throttle<'a> {
    subject: &'a str,
    since: DateTime<Utc>,
    limit: u32,
    /// The attempt's audit entry, recorded as denied when the limit is reached.
    event: audit::Event<'a>,
    message: &'a str,
}

/// Refuses (429, audited as denied) when the subject has failed `limit` times since the
/// window began.
async fn refuse_when_locked(
    context: &Context,
    principal: &Principal,
    throttle: Throttle<'_>,
) -> Result<(), ServiceError> {
    let failures = context
        .store
        .sign_in_failures_since(throttle.subject, throttle.since)
        .await?;
    if failures < throttle.limit {
        return Ok(());
    }
    audit::record(
        context,
        principal,
        throttle.event.with_outcome(AuditOutcome::Denied),
    )
    .await?;
    Err(locked(throttle.message))
}

fn locked(message: &str) -> ServiceError {
    ServiceError {
        code: "locked",
        ..ServiceError::too_many_requests(message)
    }
}

/// Activates a trainee account with the one-time code from the enrolment slip and sets its
/// password; throttled like sign-in, every attempt audited.
pub async fn activate(
    context: &Context,
    principal: &Principal,
    username: &str,
    code: &str,
    password: &str,
) -> Result<(), ServiceError> {
    let now = context.clock.now();
    let username = username.trim();
    let lockout = context.accounts.lockout;
    let window_start = now - Duration::seconds(lockout.window_seconds);
    let subject = format!("activation:{username}");
    let attempt = || audit::Event::attempt("user.activate", username);
    refuse_when_locked(
        context,
        principal,
        Throttle {
            subject: &subject,
            since: window_start,
            limit: lockout.account_failures,
            event: attempt(),
            message: "激活失败次数过多，请 15 分钟后再试",
        },
    )
    .await?;
    // Ever-new usernames from one address are throttled too (issue 15 item 5).
    let address_subject = principal
        .address
        .map(|address| format!("activation-address:{address}"));
    if let Some(subject) = &address_subject {
        refuse_when_locked(
            context,
            principal,
            Throttle {
                subject,
                since: window_start,
                limit: lockout.address_failures,
                event: attempt(),
                message: "本地址激活失败次数过多，已临时限制，请 15 分钟后再试",
            },
        )
        .await?;
    }
    let pending = context.store.pending_activation(username).await?;
    let typed = context.keyring.activation_code_digest(code);
    let valid = match (&pending, &typed) {
        (Some((_, digest, expires_at)), Some(typed)) => {
            *expires_at > now && dte_crypto::constant_time_eq(digest.as_bytes(), typed.as_bytes())
        }
        _ => false,
    };
    let Some((user_id, _, _)) = pending.filter(|_| valid) else {
        context.store.record_sign_in_failure(&subject, now).await?;
        if let Some(subject) = &address_subject {
            context.store.record_sign_in_failure(subject, now).await?;
        }
        audit::record(
            context,
            principal,
            attempt().with_outcome(AuditOutcome::Failed),
        )
        .await?;
        return Err(ServiceError::invalid(
            "code",
            "用户名或激活码不正确，或激活码已过期（有效期 30 天），请向培训机构核对",
        ));
    };
    dte_crypto::check_password_policy(password, username)
        .map_err(|error| ServiceError::invalid("password", error.to_string()))?;
    let hash = hash_password(context, password.to_owned()).await?;
    context
        .store
        .activate_account(user_id, &hash, &crate::classes::actor(context, principal))
        .await?;
    Ok(())
}

/// Changes the principal's own password after checking the current one (ASVS 5.0 V6.2.3) and
/// the policy. Every session of the account ends; the answer is a new one for this browser.
pub async fn change_password(
    context: &Context,
    principal: &Principal,
    current: &str,
    new: &str,
) -> Result<SignedIn, ServiceError> {
    let Some(user) = principal.user().cloned() else {
        return Err(ServiceError::not_found("not_found", "未登录"));
    };
    dte_crypto::check_password_policy(new, &user.username)
        .map_err(|error| ServiceError::invalid("new", error.to_string()))?;
    if let Err(error) = check_credentials(context, principal, &user.username, current).await {
        return Err(if error.kind == crate::ErrorKind::Unauthenticated {
            ServiceError {
                message: "当前密码不正确".into(),
                field: Some("current".into()),
                ..error
            }
        } else {
            error
        });
    }
    let hash = hash_password(context, new.to_owned()).await?;
    context
        .store
        .set_password(user.id, &hash, context.clock.now())
        .await?;
    let event = audit::Event::success("user.password_change", "user", user.username.clone());
    audit::record(context, principal, event).await?;
    start_session(context, principal, None, user).await
}

/// An account the province asks for; the password is generated.
#[derive(Debug, Clone, Default)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: String,
    /// The region of a city administrator.
    pub region: String,
    /// The institution of an institution's account, by name.
    pub institution: String,
}

/// Creates an account (the province only); answers its username and the generated password,
/// to be shown once.
pub async fn create_account(
    context: &Context,
    principal: &Principal,
    request: &NewAccount,
) -> Result<(String, String), ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::CreateUser,
        &dte_domain::access::Facts::default(),
    )?;
    let username = dte_domain::access::parse_username(&request.username)
        .map_err(|error| ServiceError::invalid("username", error.to_string()))?;
    if request.display_name.trim().is_empty() {
        return Err(ServiceError::invalid(
            "display_name",
            "请填写姓名或单位名称",
        ));
    }
    let role = Role::parse(&request.role)
        .map_err(|error| ServiceError::invalid("role", error.to_string()))?;
    let region = Some(request.region.trim().to_owned())
        .filter(|region| !region.is_empty() && role == Role::CityAdmin);
    let institution = Some(request.institution.trim().to_owned()).filter(|name| {
        !name.is_empty()
            && matches!(
                role,
                Role::TrainingInstitution | Role::EvaluationInstitution
            )
    });
    let password = dte_crypto::generate_password(&username);
    let hash = hash_password(context, password.clone()).await?;
    let account = AccountRequest {
        username: username.clone(),
        display_name: request.display_name.trim().to_owned(),
        role,
        region,
        institution,
        password_hash: hash,
    };
    let actor = crate::classes::actor(context, principal);
    match context.store.create_account(&account, &actor).await? {
        Ok(_) => Ok((username, password)),
        Err(refusal) => Err(ServiceError::invalid("username", refusal.to_string())),
    }
}

/// The accounts in the principal's scope (`access::authorize`: the province, a city its own).
pub async fn users(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<dte_store::User>, ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::ListUsers,
        &dte_domain::access::Facts::default(),
    )?;
    Ok(context
        .store
        .users_in_scope(&crate::classes::scope(principal)?)
        .await?)
}
