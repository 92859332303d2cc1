//! Appending to the audit log: masking, sealing an entry into the chain, and the head lock
//! that keeps concurrent appends in one chain (GB/T 22239-2019 8.1.4.3, 8.1.4.4).

use super::{
    AuditRecord, NewAuditEntry, canonical_time, mask_personal_data, mask_personal_data_in_json,
};
use crate::StoreError;
use chrono::{DateTime, SubsecRound, Utc};
use dte_crypto::chain_hash;
use serde_json::Value;

/// Advances the head and returns the new entry's id with the previous hash. Being a write, it
/// is also the lock: PostgreSQL locks the head row as `SELECT … FOR UPDATE` would, and on
/// SQLite the transaction takes the database's write lock at its first statement, so no other
/// append can read the head until this one commits.
const HEAD_ADVANCE: &str =
    "UPDATE audit_head SET last_id = last_id + 1 WHERE id = 1 RETURNING last_id, last_hash";

/// Appends inside a caller's transaction, for other storage modules: an audited change and its
/// entry then commit or roll back together (`transaction.append_audit_entry(&entry).await?`).
/// The transaction holds the audit head from here to its commit and every other append waits,
/// so append last, just before committing. On SQLite, make sure the transaction has written
/// before it first reads (or starts with this append): a transaction that reads and then
/// writes can fail with "database is locked" under contention instead of waiting.
pub(crate) trait AppendAudit {
    async fn append_audit_entry(&mut self, entry: &NewAuditEntry) -> Result<i64, StoreError>;
}

macro_rules! impl_append_audit {
    ($connection:ty) => {
        impl AppendAudit for $connection {
            async fn append_audit_entry(
                &mut self,
                entry: &NewAuditEntry,
            ) -> Result<i64, StoreError> {
                let (id, prev_hash): (i64, String) =
                    sqlx::query_as(HEAD_ADVANCE).fetch_one(&mut *self).await?;
                let record = seal(id, prev_hash, entry)?;
                sqlx::query(
                    "INSERT INTO audit_log (id, at, actor_user_id, actor_username, actor_role,
                         client_address, request_id, action, entity, entity_id, before_json,
                         after_json, outcome, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
                )
                .bind(record.id)
                .bind(AuditTime(record.at))
                .bind(record.actor_user_id)
                .bind(&record.actor_username)
                .bind(&record.actor_role)
                .bind(&record.client_address)
                .bind(&record.request_id)
                .bind(&record.action)
                .bind(&record.entity)
                .bind(&record.entity_id)
                .bind(&record.before_json)
                .bind(&record.after_json)
                .bind(record.outcome.as_str())
                .bind(&record.prev_hash)
                .bind(&record.hash)
                .execute(&mut *self)
                .await?;
                sqlx::query("UPDATE audit_head SET last_hash = $1 WHERE id = 1")
                    .bind(&record.hash)
                    .execute(&mut *self)
                    .await?;
                Ok(id)
            }
        }
    };
}

impl_append_audit!(sqlx::SqliteConnection);
impl_append_audit!(sqlx::PgConnection);

/// The record an append stores: masked, with `at` truncated to microseconds (what both
/// databases keep), chained to `prev_hash`.
fn seal(id: i64, prev_hash: String, entry: &NewAuditEntry) -> Result<AuditRecord, StoreError> {
    let masked_json = |value: &Option<Value>| {
        value
            .as_ref()
            .map(|value| serde_json::to_string(&mask_personal_data_in_json(value)))
            .transpose()
            .map_err(|error| StoreError::Corrupt(error.to_string()))
    };
    let mut record = AuditRecord {
        id,
        at: entry.at.trunc_subsecs(6),
        actor_user_id: entry.actor_user_id,
        actor_username: entry.actor_username.clone(),
        actor_role: entry.actor_role.clone(),
        client_address: entry.client_address.clone(),
        request_id: entry.request_id.clone(),
        action: entry.action.clone(),
        entity: entry.entity.clone(),
        entity_id: entry.entity_id.as_deref().map(mask_personal_data),
        before_json: masked_json(&entry.before)?,
        after_json: masked_json(&entry.after)?,
        outcome: entry.outcome,
        prev_hash,
        hash: String::new(),
    };
    record.hash = chain_hash(&record.prev_hash, &record.canonical());
    Ok(record)
}

/// A time as the audit log stores it: TIMESTAMPTZ on PostgreSQL; on SQLite the canonical
/// fixed-width text, so that text comparison is time comparison (sqlx's own SQLite encoding
/// varies in width with the fraction, which would misorder bounds).
#[derive(Debug, Clone, Copy)]
pub(super) struct AuditTime(pub(super) DateTime<Utc>);

impl sqlx::Type<sqlx::Sqlite> for AuditTime {
    fn type_info() -> sqlx::sqlite::SqliteTypeInfo {
        <String as sqlx::Type<sqlx::Sqlite>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Sqlite> for AuditTime {
    fn encode_by_ref(
        &self,
        buffer: &mut sqlx::sqlite::SqliteArgumentsBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <String as sqlx::Encode<sqlx::Sqlite>>::encode(canonical_time(self.0), buffer)
    }
}

impl sqlx::Type<sqlx::Postgres> for AuditTime {
    fn type_info() -> sqlx::postgres::PgTypeInfo {
        <DateTime<Utc> as sqlx::Type<sqlx::Postgres>>::type_info()
    }
}

impl sqlx::Encode<'_, sqlx::Postgres> for AuditTime {
    fn encode_by_ref(
        &self,
        buffer: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        <DateTime<Utc> as sqlx::Encode<sqlx::Postgres>>::encode_by_ref(&self.0, buffer)
    }
}
