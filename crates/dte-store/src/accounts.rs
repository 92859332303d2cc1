//! Accounts, sessions and sign-in failures. Passwords arrive hashed, tokens as digests: this
//! module never sees a secret in the clear.

use crate::audit::AppendAudit;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Utc};
use dte_domain::access::{Role, Scope, scope_of};

/// An account to create.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<String>,
    pub institution_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Argon2id PHC string; `None` for an account waiting for activation.
    pub password_hash: Option<String>,
}

/// An account asked for by a person (the CLI or the users page), bound by names.
#[derive(Debug, Clone)]
pub struct AccountRequest {
    /// Already checked with `dte_domain::access::parse_username`.
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<String>,
    pub institution: Option<String>,
    /// Argon2id PHC string.
    pub password_hash: String,
}

/// Why an account cannot be created as asked, naming the field at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountRefusal {
    #[error("学员账号须在实名招收时由培训机构开通，不能直接创建")]
    Trainee,
    #[error("地区“{0}”不存在（应为 沈阳、大连 … 沈抚示范区 之一）")]
    UnknownRegion(String),
    #[error("机构“{0}”不在目录中")]
    UnknownInstitution(String),
    #[error("{0}")]
    Binding(#[from] dte_domain::access::BindingError),
    #[error("用户名“{0}”已被使用")]
    UsernameTaken(String),
}

impl AccountRefusal {
    /// The request field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            AccountRefusal::Trainee => "role",
            AccountRefusal::UnknownRegion(_) => "region",
            AccountRefusal::UnknownInstitution(_) => "institution",
            AccountRefusal::Binding(dte_domain::access::BindingError::RegionRequired) => "region",
            AccountRefusal::Binding(_) => "institution",
            AccountRefusal::UsernameTaken(_) => "username",
        }
    }
}

/// A stored account.
#[derive(Debug, Clone)]
pub struct User {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub region: Option<String>,
    pub institution_id: Option<i64>,
    pub institution_name: Option<String>,
    pub person_id: Option<i64>,
    pub status: String,
    pub password_hash: Option<String>,
}

impl User {
    /// The rows this account may see.
    pub fn scope(&self) -> Scope {
        scope_of(
            self.role,
            self.region.as_deref(),
            self.institution_id,
            self.person_id,
        )
        .unwrap_or(Scope::Nothing)
    }

    /// Whether the account may sign in.
    pub fn is_active(&self) -> bool {
        self.status == "active"
    }
}

/// A session to create.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_digest: String,
    pub csrf_token: String,
    pub user_id: i64,
    /// `browser` (cookie) or `api` (bearer token).
    pub kind: &'static str,
    pub expires_at: DateTime<Utc>,
    pub client_address: Option<String>,
}

/// A live session with its account.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: i64,
    pub kind: String,
    pub csrf_token: String,
    pub user: User,
}

#[derive(sqlx::FromRow)]
struct UserRecord {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    region_name: Option<String>,
    institution_id: Option<i64>,
    institution_name: Option<String>,
    person_id: Option<i64>,
    status: String,
    password_hash: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SessionRecord {
    session_id: i64,
    kind: String,
    csrf_token: String,
    #[sqlx(flatten)]
    user: UserRecord,
}

const USER_COLUMNS: &str = "u.id, u.username, u.display_name, u.role, u.region_name, u.institution_id, \
     i.name AS institution_name, u.person_id, u.status, u.password_hash";

impl TryFrom<UserRecord> for User {
    type Error = StoreError;
    fn try_from(record: UserRecord) -> Result<User, StoreError> {
        Ok(User {
            id: record.id,
            username: record.username,
            display_name: record.display_name,
            role: Role::parse(&record.role).map_err(|error| StoreError::Corrupt(error.0))?,
            region: record.region_name,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            person_id: record.person_id,
            status: record.status,
            password_hash: record.password_hash,
        })
    }
}

impl Store {
    /// Creates an account; a taken username is `Constraint { users_username_key }`.
    pub async fn create_user(&self, user: &NewUser, now: DateTime<Utc>) -> Result<i64, StoreError> {
        let status = if user.password_hash.is_some() {
            "active"
        } else {
            "pending_activation"
        };
        let id: i64 = with_db!(self, pool => sqlx::query_scalar(
            "INSERT INTO users (username, display_name, role, region_name, institution_id, person_id,
                                password_hash, status, created_at, password_changed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id",
        )
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&user.region)
        .bind(user.institution_id)
        .bind(user.person_id)
        .bind(&user.password_hash)
        .bind(status)
        .bind(now)
        .bind(user.password_hash.as_ref().map(|_| now))
        .fetch_one(pool)
        .await)?;
        Ok(id)
    }

    /// Creates an account a person asked for: resolves the region and institution by name,
    /// checks the binding fits the role (`dte_domain::access::scope_of`), and writes the
    /// account with its `user.create` audit entry in one transaction. The one way accounts
    /// other than trainees come to exist (CLI and users page alike).
    pub async fn create_account(
        &self,
        request: &AccountRequest,
        actor: &crate::Actor,
    ) -> Result<Result<i64, AccountRefusal>, StoreError> {
        if request.role == Role::Trainee {
            return Ok(Err(AccountRefusal::Trainee));
        }
        if let Some(region) = &request.region
            && !self.region_exists(region).await?
        {
            return Ok(Err(AccountRefusal::UnknownRegion(region.clone())));
        }
        let institution_id = match &request.institution {
            None => None,
            Some(name) => match self.institution_id_by_name(name).await? {
                Some(id) => Some(id),
                None => return Ok(Err(AccountRefusal::UnknownInstitution(name.clone()))),
            },
        };
        if let Err(error) = scope_of(
            request.role,
            request.region.as_deref(),
            institution_id,
            None,
        ) {
            return Ok(Err(error.into()));
        }
        let inserted = with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
                "INSERT INTO users (username, display_name, role, region_name, institution_id,
                                    password_hash, status, created_at, password_changed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'active', $7, $7) RETURNING id",
            )
            .bind(&request.username)
            .bind(&request.display_name)
            .bind(request.role.as_str())
            .bind(&request.region)
            .bind(institution_id)
            .bind(&request.password_hash)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await;
            match inserted.map_err(StoreError::from) {
                Ok(id) => {
                    let after = serde_json::json!({
                        "username": request.username, "display_name": request.display_name,
                        "role": request.role.as_str(), "region": request.region,
                        "institution_id": institution_id,
                    });
                    tx.append_audit_entry(&actor.entry("user.create", "user", id, None, Some(after)))
                        .await?;
                    tx.commit().await?;
                    Ok(id)
                }
                Err(error) => Err(error),
            }
        });
        match inserted {
            Ok(id) => Ok(Ok(id)),
            Err(StoreError::Constraint { constraint }) if constraint.contains("username") => {
                Ok(Err(AccountRefusal::UsernameTaken(request.username.clone())))
            }
            Err(other) => Err(other),
        }
    }

    /// The account with this username, if any.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<User>, StoreError> {
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN institutions i ON i.id = u.institution_id
             WHERE u.username = $1"
        );
        let record: Option<UserRecord> = with_db!(self, pool =>
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(username).fetch_optional(pool).await)?;
        record.map(User::try_from).transpose()
    }

    /// The accounts a scope may see, by username.
    pub async fn users_in_scope(&self, scope: &Scope) -> Result<Vec<User>, StoreError> {
        let (region, institution, everything) = match scope {
            Scope::Province => (None, None, true),
            Scope::Region(region) => (Some(region.clone()), None, false),
            Scope::Institution(id) => (None, Some(*id), false),
            Scope::Person(_) | Scope::Nothing => return Ok(Vec::new()),
        };
        let sql = format!(
            "SELECT {USER_COLUMNS} FROM users u LEFT JOIN institutions i ON i.id = u.institution_id
             WHERE $1 OR u.region_name = $2 OR u.institution_id = $3
             ORDER BY u.username"
        );
        let records: Vec<UserRecord> = with_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(everything)
            .bind(region)
            .bind(institution)
            .fetch_all(pool)
            .await)?;
        records.into_iter().map(User::try_from).collect()
    }

    /// Replaces an account's password hash and ends all its sessions.
    pub async fn set_password(
        &self,
        user_id: i64,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "UPDATE users SET password_hash = $2, password_changed_at = $3, status = 'active',
                     activation_digest = NULL, activation_expires_at = NULL
                 WHERE id = $1",
            )
            .bind(user_id)
            .bind(password_hash)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user_id).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })
    }

    /// Records one failed sign-in against a subject (`user:NAME` or `address:IP`).
    pub async fn record_sign_in_failure(
        &self,
        subject: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query("INSERT INTO sign_in_failures (subject, failed_at) VALUES ($1, $2)")
            .bind(subject)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// How many sign-ins failed for a subject since an instant.
    pub async fn sign_in_failures_since(
        &self,
        subject: &str,
        since: DateTime<Utc>,
    ) -> Result<u32, StoreError> {
        let count: i64 = with_db!(self, pool => sqlx::query_scalar(
            "SELECT COUNT(*) FROM sign_in_failures WHERE subject = $1 AND failed_at > $2",
        )
        .bind(subject)
        .bind(since)
        .fetch_one(pool)
        .await)?;
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Forgets a subject's failures (after a successful sign-in) and any older than `before`.
    pub async fn clear_sign_in_failures(
        &self,
        subject: &str,
        before: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query("DELETE FROM sign_in_failures WHERE subject = $1 OR failed_at < $2")
            .bind(subject)
            .bind(before)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// Stores a new session.
    pub async fn create_session(
        &self,
        session: &NewSession,
        now: DateTime<Utc>,
    ) -> Result<i64, StoreError> {
        let id: i64 = with_db!(self, pool => sqlx::query_scalar(
            "INSERT INTO sessions (token_digest, csrf_token, user_id, kind, created_at, last_seen_at, expires_at, client_address)
             VALUES ($1, $2, $3, $4, $5, $5, $6, $7) RETURNING id",
        )
        .bind(&session.token_digest)
        .bind(&session.csrf_token)
        .bind(session.user_id)
        .bind(session.kind)
        .bind(now)
        .bind(session.expires_at)
        .bind(&session.client_address)
        .fetch_one(pool)
        .await)?;
        Ok(id)
    }

    /// The live session for a token digest: not past its absolute expiry, seen since
    /// `idle_since`, and of an active account. Touches `last_seen_at`.
    pub async fn session_by_token(
        &self,
        token_digest: &str,
        now: DateTime<Utc>,
        idle_since: DateTime<Utc>,
    ) -> Result<Option<Session>, StoreError> {
        let sql = format!(
            "SELECT s.id AS session_id, s.kind, s.csrf_token, {USER_COLUMNS}
             FROM sessions s JOIN users u ON u.id = s.user_id
             LEFT JOIN institutions i ON i.id = u.institution_id
             WHERE s.token_digest = $1 AND s.expires_at > $2 AND s.last_seen_at > $3 AND u.status = 'active'"
        );
        let record: Option<SessionRecord> = with_db!(self, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(token_digest)
            .bind(now)
            .bind(idle_since)
            .fetch_optional(pool)
            .await)?;
        let Some(record) = record else {
            return Ok(None);
        };
        with_db!(self, pool => sqlx::query("UPDATE sessions SET last_seen_at = $2 WHERE id = $1")
            .bind(record.session_id)
            .bind(now)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(Some(Session {
            id: record.session_id,
            kind: record.kind,
            csrf_token: record.csrf_token,
            user: User::try_from(record.user)?,
        }))
    }

    /// Ends one session.
    pub async fn delete_session(&self, token_digest: &str) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query("DELETE FROM sessions WHERE token_digest = $1")
            .bind(token_digest)
            .execute(pool)
            .await
            .map(|_| ()))?;
        Ok(())
    }

    /// The id of a listed institution by name (either kind), for binding accounts.
    pub async fn institution_id_by_name(&self, name: &str) -> Result<Option<i64>, StoreError> {
        let id: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM institutions WHERE name = $1 ORDER BY id LIMIT 1",
        )
        .bind(name)
        .fetch_optional(pool)
        .await)?;
        Ok(id)
    }

    /// Whether a region of this name exists.
    pub async fn region_exists(&self, name: &str) -> Result<bool, StoreError> {
        let found: Option<String> = with_db!(self, pool => sqlx::query_scalar("SELECT name FROM regions WHERE name = $1")
            .bind(name)
            .fetch_optional(pool)
            .await)?;
        Ok(found.is_some())
    }
}
