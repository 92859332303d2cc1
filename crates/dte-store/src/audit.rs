//! The tamper-evident, append-only audit log (GB/T 22239-2019 8.1.4.3 安全审计, 8.1.4.4
//! integrity): appending chained entries, reading them with filters, and verifying the chain.
//!
//! Every entry stores the hash of the entry before it and its own hash,
//! `dte_crypto::chain_hash(prev_hash, canonical)`, where `canonical` is the text described at
//! [`AuditRecord::canonical`]. The single row of `audit_head` names the last entry; an append
//! locks it first, so concurrent appends queue up and form one unbroken chain. Personal data
//! is masked before it is stored ([`mask_personal_data`]): it never enters the log in full.

mod append;
mod mask;
mod verify;

pub(crate) use append::AppendAudit;
pub use mask::{mask_personal_data, mask_personal_data_in_json};

use crate::{Store, StoreError, with_db};
use append::AuditTime;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// How an audited action ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditOutcome {
    Success,
    /// Refused by access control (a 403/404 answer).
    Denied,
    Failed,
}

/// One entry to append. `at` comes from the caller's clock; it is stored truncated to
/// microseconds. `before` and `after` are masked before they are stored.
#[derive(Debug, Clone)]
pub struct NewAuditEntry {
    pub at: DateTime<Utc>,
    /// The acting account's id; `None` for anonymous requests or the system itself.
    pub actor_user_id: Option<i64>,
    /// The acting account's username at the time (`anonymous` or `system` when there is none).
    pub actor_username: String,
    pub actor_role: String,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    /// What was done, as `entity.verb`: `user.create`, `session.create`, `access.denied`.
    pub action: String,
    /// The kind of thing acted on: `user`, `session`, `person`, `class`.
    pub entity: String,
    pub entity_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub outcome: AuditOutcome,
}

/// One stored entry, exactly as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRecord {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub actor_user_id: Option<i64>,
    pub actor_username: String,
    pub actor_role: String,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
    pub action: String,
    pub entity: String,
    pub entity_id: Option<String>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub outcome: AuditOutcome,
    pub prev_hash: String,
    pub hash: String,
}

/// Which entries `Store::audit_entries` returns; every field left `None` matches everything.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub actor_username: Option<String>,
    /// Matches actions starting with this text: `user.` finds `user.create` and `user.disable`.
    pub action_prefix: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub outcome: Option<AuditOutcome>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries strictly before this time.
    pub until: Option<DateTime<Utc>>,
}

/// The answer of `Store::verify_audit_chain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditVerification {
    /// Every entry hashes to its recorded hash, links to the one before it, and the last one
    /// matches the head. Keep `head_hash` outside the database to detect a rewritten chain.
    Intact { entries: i64, head_hash: String },
    /// The first place where the chain is broken.
    Broken { id: i64, reason: AuditBreak },
}

/// Why the chain is broken at an id. `Display` says it in Chinese, for the person reading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuditBreak {
    /// The entry's stored fields do not hash to its recorded hash: the row was changed.
    HashMismatch,
    /// The entry does not link to the entry before it: a row before it was changed and
    /// re-hashed, or rows were deleted and the rest renumbered.
    PrevHashMismatch,
    /// No entry has this id although a later one (`next_id`) exists: rows were deleted.
    Gap { next_id: i64 },
    /// The head names entries up to `head_id` but the log ends before this id: the tail was
    /// truncated.
    TailTruncated { head_id: i64 },
    /// The last entry is there but its hash is not the head's: the head or the entry was
    /// rewritten.
    HeadMismatch,
    /// An entry lies past the head: it was inserted without going through an append.
    BeyondHead,
    /// The row cannot be read back into an entry (a value of the wrong form).
    Unreadable { detail: String },
}

/// The most entries one `Store::audit_entries` call returns.
pub const AUDIT_PAGE_MAX: u32 = 1000;

/// The version tag that opens every canonical text.
const CANONICAL_VERSION: &str = "dte-audit-v1";

impl AuditOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditOutcome::Success => "success",
            AuditOutcome::Denied => "denied",
            AuditOutcome::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<AuditOutcome> {
        match text {
            "success" => Some(AuditOutcome::Success),
            "denied" => Some(AuditOutcome::Denied),
            "failed" => Some(AuditOutcome::Failed),
            _ => None,
        }
    }
}

impl AuditRecord {
    /// The text the entry's hash covers, so that an auditor can recompute
    /// `hash = chain_hash(prev_hash, canonical)` (see `dte_crypto::chain_hash`) without DTE:
    ///
    /// ```text
    /// canonical = "dte-audit-v1" field × 13
    /// field     = netstring(value) when the value is present, "-" when it is NULL
    /// netstring = decimal byte length of the UTF-8 value, ":", the value, ","
    /// ```
    ///
    /// The fields, in this order: `id` (decimal), `at` (RFC 3339 UTC with exactly six
    /// fractional digits and `Z`, e.g. `2026-11-27T01:00:00.000000Z`), `actor_user_id`
    /// (decimal), `actor_username`, `actor_role`, `client_address`, `request_id`, `action`,
    /// `entity`, `entity_id`, `before_json`, `after_json` (the stored text, byte for byte),
    /// `outcome`. A netstring starts with a digit, so `-` cannot be mistaken for a value, and
    /// the length prefixes keep fields apart whatever characters they hold. Entry 2, a failed
    /// anonymous sign-in without client address, entity id, before or after, reads:
    ///
    /// ```text
    /// dte-audit-v11:2,27:2026-11-27T01:00:00.500123Z,-9:anonymous,14:province-admin,-5:req-1,14:session.create,7:session,---6:failed,
    /// ```
    pub fn canonical(&self) -> String {
        let id = self.id.to_string();
        let at = canonical_time(self.at);
        let actor_user_id = self.actor_user_id.map(|id| id.to_string());
        let fields = [
            Some(id.as_str()),
            Some(at.as_str()),
            actor_user_id.as_deref(),
            Some(self.actor_username.as_str()),
            Some(self.actor_role.as_str()),
            self.client_address.as_deref(),
            self.request_id.as_deref(),
            Some(self.action.as_str()),
            Some(self.entity.as_str()),
            self.entity_id.as_deref(),
            self.before_json.as_deref(),
            self.after_json.as_deref(),
            Some(self.outcome.as_str()),
        ];
        let mut text = String::from(CANONICAL_VERSION);
        for field in fields {
            match field {
                Some(value) => text.push_str(&format!("{}:{value},", value.len())),
                None => text.push('-'),
            }
        }
        text
    }
}

impl std::fmt::Display for AuditBreak {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuditBreak::HashMismatch => write!(formatter, "记录内容与其哈希不符：该记录被修改"),
            AuditBreak::PrevHashMismatch => {
                write!(
                    formatter,
                    "记录未链接到前一条记录：其前的记录被改写、删除或插入"
                )
            }
            AuditBreak::Gap { next_id } => {
                write!(
                    formatter,
                    "记录缺失（下一条现存记录为 {next_id}）：记录被删除"
                )
            }
            AuditBreak::TailTruncated { head_id } => {
                write!(
                    formatter,
                    "日志应延续到第 {head_id} 条，此后记录缺失：末尾被截断"
                )
            }
            AuditBreak::HeadMismatch => write!(formatter, "最后一条记录的哈希与链头不符"),
            AuditBreak::BeyondHead => write!(formatter, "链头之后出现记录：记录被绕过追加流程插入"),
            AuditBreak::Unreadable { detail } => write!(formatter, "记录无法读取：{detail}"),
        }
    }
}

/// `at` in the canonical form: RFC 3339 UTC, six fractional digits, `Z`.
fn canonical_time(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The stored columns in the canonical order, for every `SELECT` of entries.
macro_rules! audit_columns {
    () => {
        "id, at, actor_user_id, actor_username, actor_role, client_address, request_id, action, \
         entity, entity_id, before_json, after_json, outcome, prev_hash, hash"
    };
}
pub(crate) use audit_columns;

impl Store {
    /// Appends one entry in its own transaction and returns its id. Personal data in
    /// `before`, `after` and `entity_id` is masked first ([`mask_personal_data`]); the hash
    /// covers the stored, masked text. Appends from many tasks queue on the audit head and
    /// form one chain with ids 1, 2, 3, … and no gaps.
    pub async fn append_audit(&self, entry: &NewAuditEntry) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut transaction = pool.begin().await?;
            let id = transaction.append_audit_entry(entry).await?;
            transaction.commit().await?;
            Ok(id)
        })
    }

    /// Entries matching `filter`, newest first (descending id), at most `limit` of them (and
    /// never more than [`AUDIT_PAGE_MAX`]). To page, pass the last id of one page as
    /// `after_id` of the next: the next page holds the entries older than it. Ids, not times,
    /// give the order: `at` is the caller's clock and two appends may commit out of time order.
    pub async fn audit_entries(
        &self,
        filter: &AuditFilter,
        after_id: Option<i64>,
        limit: u32,
    ) -> Result<Vec<AuditRecord>, StoreError> {
        let rows: Vec<AuditRow> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT ", audit_columns!(), " FROM audit_log
             WHERE ($1 IS NULL OR id < $1)
               AND ($2 IS NULL OR actor_username = $2)
               AND ($3 IS NULL OR substr(action, 1, length($3)) = $3)
               AND ($4 IS NULL OR entity = $4)
               AND ($5 IS NULL OR entity_id = $5)
               AND ($6 IS NULL OR outcome = $6)
               AND ($7 IS NULL OR at >= $7)
               AND ($8 IS NULL OR at < $8)
             ORDER BY id DESC
             LIMIT $9"
        ))
        .bind(after_id)
        .bind(filter.actor_username.as_deref())
        .bind(filter.action_prefix.as_deref())
        .bind(filter.entity.as_deref())
        .bind(filter.entity_id.as_deref())
        .bind(filter.outcome.map(AuditOutcome::as_str))
        .bind(filter.from.map(AuditTime))
        .bind(filter.until.map(AuditTime))
        .bind(i64::from(limit.min(AUDIT_PAGE_MAX)))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| row.into_record().map_err(StoreError::Corrupt))
            .collect()
    }

    /// Runs one SQL statement as it is, for tests that must tamper with the log (drop a
    /// trigger, change a row) to prove that verification notices. Test-only: nothing in DTE
    /// may call it, and its input must never come from a request. Only built with the
    /// `testing` feature, which only test targets enable.
    #[cfg(feature = "testing")]
    #[doc(hidden)]
    pub async fn execute_raw_for_tests(&self, sql: &str) -> Result<u64, StoreError> {
        let statement = sqlx::AssertSqlSafe(sql.to_owned());
        let result = with_db!(self, pool => sqlx::query(statement)
            .execute(pool)
            .await
            .map(|done| done.rows_affected()))?;
        Ok(result)
    }
}

/// An entry as read from either database, before its outcome is parsed.
#[derive(sqlx::FromRow)]
struct AuditRow {
    id: i64,
    at: DateTime<Utc>,
    actor_user_id: Option<i64>,
    actor_username: String,
    actor_role: String,
    client_address: Option<String>,
    request_id: Option<String>,
    action: String,
    entity: String,
    entity_id: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
    outcome: String,
    prev_hash: String,
    hash: String,
}

impl AuditRow {
    /// The record, or what is wrong with the row.
    fn into_record(self) -> Result<AuditRecord, String> {
        let Some(outcome) = AuditOutcome::parse(&self.outcome) else {
            return Err(format!(
                "audit entry {}: unknown outcome {:?}",
                self.id, self.outcome
            ));
        };
        Ok(AuditRecord {
            id: self.id,
            at: self.at,
            actor_user_id: self.actor_user_id,
            actor_username: self.actor_username,
            actor_role: self.actor_role,
            client_address: self.client_address,
            request_id: self.request_id,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            before_json: self.before_json,
            after_json: self.after_json,
            outcome,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// Who is acting, for the audit entries a storage write appends in its own transaction: the
/// change and its entry commit together or not at all.
#[derive(Debug, Clone)]
pub struct Actor {
    pub at: DateTime<Utc>,
    pub user_id: Option<i64>,
    pub username: String,
    pub role: String,
    pub client_address: Option<String>,
    pub request_id: Option<String>,
}

impl Actor {
    /// The system itself (the CLI, `dte demo`), acting at `at`.
    pub fn system(at: DateTime<Utc>) -> Actor {
        Actor {
            at,
            user_id: None,
            username: "system".into(),
            role: "system".into(),
            client_address: None,
            request_id: None,
        }
    }

    /// A successful action of this actor on an entity.
    pub fn entry(
        &self,
        action: &str,
        entity: &str,
        entity_id: impl ToString,
        before: Option<Value>,
        after: Option<Value>,
    ) -> NewAuditEntry {
        NewAuditEntry {
            at: self.at,
            actor_user_id: self.user_id,
            actor_username: self.username.clone(),
            actor_role: self.role.clone(),
            client_address: self.client_address.clone(),
            request_id: self.request_id.clone(),
            action: action.to_owned(),
            entity: entity.to_owned(),
            entity_id: Some(entity_id.to_string()),
            before,
            after,
            outcome: AuditOutcome::Success,
        }
    }
}
