//! Verifying the audit chain (GB/T 22239-2019 8.1.4.3 c, 8.1.4.4): walking the log in id order,
//! a batch at a time, and naming the first entry where the chain breaks.

use super::{AuditBreak, AuditRow, AuditVerification, audit_columns};
use crate::{Store, StoreError, with_db};
use dte_crypto::{GENESIS, chain_hash};

/// How many rows `Store::verify_audit_chain` reads at a time.
const VERIFY_BATCH: i64 = 1000;

impl Store {
    /// Recomputes the whole chain from the first entry to the head, reading
    /// [`VERIFY_BATCH`] rows at a time, and answers either that it is intact (with the number
    /// of entries and the head hash) or the first broken place and why. Entries appended while
    /// the walk runs are left for the next run. Checks, in order: ids run 1, 2, 3, … without
    /// gaps ([`AuditBreak::Gap`]), each entry links to the one before ([`AuditBreak::PrevHashMismatch`]),
    /// each entry hashes to its hash ([`AuditBreak::HashMismatch`]), the log reaches the head
    /// ([`AuditBreak::TailTruncated`]) and ends on its hash ([`AuditBreak::HeadMismatch`]), and
    /// nothing lies past it ([`AuditBreak::BeyondHead`]).
    pub async fn verify_audit_chain(&self) -> Result<AuditVerification, StoreError> {
        let (head_id, head_hash) = self.audit_head().await?;
        let mut expected_id: i64 = 1;
        let mut previous = GENESIS.to_owned();
        let mut batch = VERIFY_BATCH;
        while expected_id <= head_id {
            let rows = match self.audit_rows(expected_id - 1, head_id, batch).await {
                Ok(rows) => rows,
                // A row that cannot be decoded fails its whole batch: find it one row at a time.
                Err(error) if is_decode_error(&error) && batch > 1 => {
                    batch = 1;
                    continue;
                }
                Err(error) if is_decode_error(&error) => {
                    let id = self
                        .next_audit_id(expected_id - 1)
                        .await?
                        .unwrap_or(expected_id);
                    let reason = if id == expected_id {
                        AuditBreak::Unreadable {
                            detail: error.to_string(),
                        }
                    } else {
                        AuditBreak::Gap { next_id: id }
                    };
                    return Ok(broken(expected_id, reason));
                }
                Err(error) => return Err(error.into()),
            };
            if rows.is_empty() {
                return Ok(broken(expected_id, AuditBreak::TailTruncated { head_id }));
            }
            for row in rows {
                if row.id != expected_id {
                    return Ok(broken(expected_id, AuditBreak::Gap { next_id: row.id }));
                }
                let record = match row.into_record() {
                    Ok(record) => record,
                    Err(detail) => {
                        return Ok(broken(expected_id, AuditBreak::Unreadable { detail }));
                    }
                };
                if record.prev_hash != previous {
                    return Ok(broken(record.id, AuditBreak::PrevHashMismatch));
                }
                if chain_hash(&previous, &record.canonical()) != record.hash {
                    return Ok(broken(record.id, AuditBreak::HashMismatch));
                }
                previous = record.hash;
                expected_id += 1;
            }
        }
        if previous != head_hash {
            return Ok(broken(head_id, AuditBreak::HeadMismatch));
        }
        // The largest id is read before the head: an append commits its row and the head
        // together, so a legitimate row seen here is always covered by the head read after.
        let largest: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT MAX(id) FROM audit_log"
        )
        .fetch_one(pool)
        .await)?;
        let (current_head_id, _) = self.audit_head().await?;
        if largest.is_some_and(|largest| largest > current_head_id) {
            let id = self
                .next_audit_id(current_head_id)
                .await?
                .unwrap_or(current_head_id + 1);
            return Ok(broken(id, AuditBreak::BeyondHead));
        }
        Ok(AuditVerification::Intact {
            entries: head_id,
            head_hash,
        })
    }

    /// The head: the last entry's id and hash (0 and `GENESIS` for an empty log).
    async fn audit_head(&self) -> Result<(i64, String), StoreError> {
        let head = with_db!(self, pool => sqlx::query_as(
            "SELECT last_id, last_hash FROM audit_head WHERE id = 1"
        )
        .fetch_one(pool)
        .await)?;
        Ok(head)
    }

    /// Up to `limit` rows with `after < id <= up_to`, in id order.
    async fn audit_rows(
        &self,
        after: i64,
        up_to: i64,
        limit: i64,
    ) -> Result<Vec<AuditRow>, sqlx::Error> {
        with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT ", audit_columns!(), " FROM audit_log
             WHERE id > $1 AND id <= $2 ORDER BY id LIMIT $3"
        ))
        .bind(after)
        .bind(up_to)
        .bind(limit)
        .fetch_all(pool)
        .await)
    }

    /// The smallest id above `after`, if any.
    async fn next_audit_id(&self, after: i64) -> Result<Option<i64>, StoreError> {
        let id = with_db!(self, pool => sqlx::query_scalar(
            "SELECT MIN(id) FROM audit_log WHERE id > $1"
        )
        .bind(after)
        .fetch_one(pool)
        .await)?;
        Ok(id)
    }
}

fn broken(id: i64, reason: AuditBreak) -> AuditVerification {
    AuditVerification::Broken { id, reason }
}

/// Whether a query failed because a stored value could not be decoded (a tampered row), as
/// opposed to the database failing.
fn is_decode_error(error: &sqlx::Error) -> bool {
    matches!(
        error,
        sqlx::Error::ColumnDecode { .. } | sqlx::Error::Decode(_)
    )
}
