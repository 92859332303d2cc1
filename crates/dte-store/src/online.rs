//! Online learning (issue 5 item 3): the learning page's heartbeats, the random number each
//! trainee's presence confirmations are drawn from, the confirmations asked and answered, and
//! the credit of each trainee in each online session as `dte_domain::attendance::online_credit`
//! computes it from those records.
//!
//! Heartbeats are not copied into the audit log one by one (a page beats every 30 s): like
//! check-ins, each is itself an append-only, attributable record (who, when, which page).
//! Presence confirmations, asked and answered, are audited.

use crate::{Actor, Store, StoreError, audit::AppendAudit, with_db};
use chrono::{DateTime, Utc};
use dte_domain::attendance::{Heartbeat, OnlineCredit, PresenceCheck, online_credit};
use serde_json::json;
use std::collections::BTreeMap;

/// One heartbeat to store, for batches (`dte demo`).
#[derive(Debug, Clone)]
pub struct NewHeartbeat {
    pub session_id: i64,
    pub person_id: i64,
    pub at: DateTime<Utc>,
    pub visible: bool,
    pub page_id: String,
}

/// A presence confirmation as stored.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct PresenceCheckRow {
    pub id: i64,
    pub session_id: i64,
    pub person_id: i64,
    /// The how-many-th confirmation of the session (0 first).
    pub ordinal: i64,
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// A trainee's learning in one online session: the records and the domain's credit of them.
#[derive(Debug, Clone, PartialEq)]
pub struct OnlineLearning {
    pub heartbeats: Vec<Heartbeat>,
    pub checks: Vec<PresenceCheckRow>,
    pub credit: OnlineCredit,
}

/// A trainee's credit in one online session of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnlineCreditRow {
    pub session_id: i64,
    pub person_id: i64,
    pub credit: OnlineCredit,
}

impl From<&PresenceCheckRow> for PresenceCheck {
    fn from(row: &PresenceCheckRow) -> PresenceCheck {
        PresenceCheck {
            asked_at: row.asked_at,
            answered_at: row.answered_at,
        }
    }
}

/// Heartbeats written by one INSERT in [`Store::record_heartbeats`].
const HEARTBEATS_PER_STATEMENT: usize = 1_000;

impl Store {
    /// Whether the person holds an active (not withdrawn) enrolment in the class.
    pub async fn actively_enrolled(
        &self,
        class_id: i64,
        person_id: i64,
    ) -> Result<bool, StoreError> {
        let found: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT id FROM enrolments WHERE class_id = $1 AND person_id = $2 AND status = 'active'"
        )
        .bind(class_id)
        .bind(person_id)
        .fetch_optional(pool)
        .await)?;
        Ok(found.is_some())
    }

    /// Stores one heartbeat at `at` (the server's clock).
    pub async fn record_heartbeat(
        &self,
        session_id: i64,
        person_id: i64,
        at: DateTime<Utc>,
        visible: bool,
        page_id: &str,
    ) -> Result<i64, StoreError> {
        let id: i64 = with_db!(self, pool => sqlx::query_scalar(
            "INSERT INTO heartbeats (session_id, person_id, at, visible, page_id)
             VALUES ($1, $2, $3, $4, $5) RETURNING id"
        )
        .bind(session_id)
        .bind(person_id)
        .bind(at)
        .bind(visible)
        .bind(page_id)
        .fetch_one(pool)
        .await)?;
        Ok(id)
    }

    /// Stores many heartbeats in one transaction (a day of learning loaded at once).
    pub async fn record_heartbeats(&self, beats: &[NewHeartbeat]) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Many rows per statement (SQLite allows 32,766 bound values; 5 a row).
            for chunk in beats.chunks(HEARTBEATS_PER_STATEMENT) {
                let mut insert = sqlx::QueryBuilder::new(
                    "INSERT INTO heartbeats (session_id, person_id, at, visible, page_id) ",
                );
                insert.push_values(chunk, |mut row, beat| {
                    row.push_bind(beat.session_id)
                        .push_bind(beat.person_id)
                        .push_bind(beat.at)
                        .push_bind(beat.visible)
                        .push_bind(&beat.page_id);
                });
                insert.build().execute(&mut *tx).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The random number of a trainee's presence schedule in a session: `fresh` is kept if
    /// none was, and the kept one is answered (the first to ask decides, everyone gets it).
    pub async fn presence_seed(
        &self,
        session_id: i64,
        person_id: i64,
        fresh: u64,
        at: DateTime<Utc>,
    ) -> Result<u64, StoreError> {
        let seed: i64 = with_db!(self, pool => {
            sqlx::query(
                "INSERT INTO presence_seeds (session_id, person_id, seed, created_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            )
            .bind(session_id)
            .bind(person_id)
            .bind(i64::from_ne_bytes(fresh.to_ne_bytes()))
            .bind(at)
            .execute(pool)
            .await?;
            sqlx::query_scalar(
                "SELECT seed FROM presence_seeds WHERE session_id = $1 AND person_id = $2",
            )
            .bind(session_id)
            .bind(person_id)
            .fetch_one(pool)
            .await
        })?;
        Ok(u64::from_ne_bytes(seed.to_ne_bytes()))
    }

    /// A trainee's heartbeats and confirmations in a session, and the domain's credit of them
    /// for a session of `session_hours`.
    pub async fn online_learning(
        &self,
        session_id: i64,
        person_id: i64,
        session_hours: u32,
    ) -> Result<OnlineLearning, StoreError> {
        let (beats, checks): (Vec<(DateTime<Utc>, bool)>, Vec<PresenceCheckRow>) = with_db!(self, pool => {
            let beats = sqlx::query_as(
                "SELECT at, visible FROM heartbeats WHERE session_id = $1 AND person_id = $2
                 ORDER BY at",
            )
            .bind(session_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?;
            let checks = sqlx::query_as(
                "SELECT id, session_id, person_id, ordinal, asked_at, answered_at
                     FROM presence_checks WHERE session_id = $1 AND person_id = $2
                     ORDER BY ordinal",
            )
            .bind(session_id)
            .bind(person_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((beats, checks))
        })?;
        let heartbeats: Vec<Heartbeat> = beats
            .into_iter()
            .map(|(at, visible)| Heartbeat { at, visible })
            .collect();
        let presence: Vec<PresenceCheck> = checks.iter().map(PresenceCheck::from).collect();
        let credit = online_credit(session_hours, &heartbeats, &presence);
        Ok(OnlineLearning {
            heartbeats,
            checks,
            credit,
        })
    }

    /// Asks the `ordinal`-th presence confirmation of a trainee in a session, audited as
    /// `presence.ask`. Asked once: a second ask of the same ordinal (two pages at once) answers
    /// the first.
    pub async fn ask_presence_check(
        &self,
        session_id: i64,
        person_id: i64,
        ordinal: i64,
        actor: &Actor,
    ) -> Result<PresenceCheckRow, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted: Option<i64> = sqlx::query_scalar(
                "INSERT INTO presence_checks (session_id, person_id, ordinal, asked_at)
                 VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(session_id)
            .bind(person_id)
            .bind(ordinal)
            .bind(actor.at)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = inserted {
                tx.append_audit_entry(&actor.entry("presence.ask", "presence_check", id, None,
                    Some(json!({"session_id": session_id, "person_id": person_id,
                                "ordinal": ordinal})))).await?;
            }
            let row: PresenceCheckRow = sqlx::query_as(
                "SELECT id, session_id, person_id, ordinal, asked_at, answered_at
                 FROM presence_checks WHERE session_id = $1 AND person_id = $2 AND ordinal = $3",
            )
            .bind(session_id)
            .bind(person_id)
            .bind(ordinal)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(row)
        })
    }

    /// Records the trainee's answer to their own confirmation at `actor.at`, audited as
    /// `presence.answer`. `NotFound` when the confirmation is not the person's; `Conflict`
    /// when it was answered already.
    pub async fn answer_presence_check(
        &self,
        check_id: i64,
        person_id: i64,
        actor: &Actor,
    ) -> Result<PresenceCheckRow, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let current: Option<PresenceCheckRow> = sqlx::query_as(
                "SELECT id, session_id, person_id, ordinal, asked_at, answered_at
                 FROM presence_checks WHERE id = $1 AND person_id = $2",
            )
            .bind(check_id)
            .bind(person_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(mut row) = current else {
                return Err(StoreError::NotFound);
            };
            let updated = sqlx::query(
                "UPDATE presence_checks SET answered_at = $2 WHERE id = $1 AND answered_at IS NULL",
            )
            .bind(check_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry("presence.answer", "presence_check", check_id,
                None, Some(json!({"session_id": row.session_id, "asked_at": row.asked_at,
                                  "answered_at": actor.at})))).await?;
            tx.commit().await?;
            row.answered_at = Some(actor.at);
            Ok(row)
        })
    }

    /// The credit of every trainee with heartbeats in each online session of a class, as the
    /// domain computes it (by session, then person).
    pub async fn online_credits_of_class(
        &self,
        class_id: i64,
    ) -> Result<Vec<OnlineCreditRow>, StoreError> {
        type Beat = (i64, i64, DateTime<Utc>, bool, i64);
        let (beats, checks): (Vec<Beat>, Vec<PresenceCheckRow>) = with_db!(self, pool => {
            let beats = sqlx::query_as(
                "SELECT h.session_id, h.person_id, h.at, h.visible, s.hours
                 FROM heartbeats h JOIN class_sessions s ON s.id = h.session_id
                 WHERE s.class_id = $1 AND s.delivery = 'online'",
            )
            .bind(class_id)
            .fetch_all(pool)
            .await?;
            let checks = sqlx::query_as(
                "SELECT p.id, p.session_id, p.person_id, p.ordinal, p.asked_at, p.answered_at
                 FROM presence_checks p JOIN class_sessions s ON s.id = p.session_id
                 WHERE s.class_id = $1",
            )
            .bind(class_id)
            .fetch_all(pool)
            .await?;
            Ok::<_, sqlx::Error>((beats, checks))
        })?;
        type Learning = (u32, Vec<Heartbeat>, Vec<PresenceCheck>);
        let mut learning: BTreeMap<(i64, i64), Learning> = BTreeMap::new();
        for (session_id, person_id, at, visible, hours) in beats {
            let hours = crate::error::count(hours);
            learning
                .entry((session_id, person_id))
                .or_insert_with(|| (hours, Vec::new(), Vec::new()))
                .1
                .push(Heartbeat { at, visible });
        }
        for check in &checks {
            if let Some(entry) = learning.get_mut(&(check.session_id, check.person_id)) {
                entry.2.push(PresenceCheck::from(check));
            }
        }
        Ok(learning
            .into_iter()
            .map(
                |((session_id, person_id), (hours, heartbeats, checks))| OnlineCreditRow {
                    session_id,
                    person_id,
                    credit: online_credit(hours, &heartbeats, &checks),
                },
            )
            .collect())
    }
}
