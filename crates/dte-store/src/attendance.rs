//! Check-ins and check-outs (考勤): written in batches so that the 08:30 burst of a whole city
//! becomes a few durable commits instead of thousands. Whether an attempt is accepted is
//! decided by the domain before it reaches this module; here every attempt is kept (refused
//! ones too, as evidence for the risk flags), a retry with the same idempotency key returns
//! the record it made, and at most one accepted record exists per trainee, session and kind.
//!
//! Check-ins are not copied into the audit log one by one: each is itself an append-only,
//! attributable record (who, when, where, which device). Corrections, which change what
//! counts, are audited.

use crate::error::count;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// One attempt to check in or out, as decided.
#[derive(Debug, Clone)]
pub struct NewCheckIn {
    pub session_id: i64,
    pub class_id: i64,
    pub person_id: i64,
    /// `in` or `out`.
    pub kind: &'static str,
    pub at: DateTime<Utc>,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub device_id: String,
    pub distance_outside_m: f64,
    pub late: bool,
    pub accepted: bool,
    /// The refusal codes, comma-separated, when not accepted.
    pub refusal: Option<String>,
    /// Chosen by the trainee's page for each attempt; a retry sends the same key.
    pub idempotency_key: String,
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckInOutcome {
    /// Stored now.
    Recorded { id: i64, accepted: bool },
    /// The same attempt was stored before (same idempotency key): nothing new.
    Repeated { id: i64, accepted: bool },
    /// Accepted before by another attempt: the trainee is already checked in (or out).
    AlreadyDone { id: i64, at: DateTime<Utc> },
}

/// A session of a class with its id, for check-in.
#[derive(Debug, Clone)]
pub struct SessionRow {
    pub id: i64,
    pub class_id: i64,
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub delivery: String,
    pub hours: u32,
}

#[derive(sqlx::FromRow)]
struct SessionRecord {
    id: i64,
    class_id: i64,
    session_date: NaiveDate,
    start_time: NaiveTime,
    end_time: NaiveTime,
    delivery: String,
    hours: i64,
}

impl From<SessionRecord> for SessionRow {
    fn from(record: SessionRecord) -> SessionRow {
        SessionRow {
            id: record.id,
            class_id: record.class_id,
            date: record.session_date,
            start: record.start_time,
            end: record.end_time,
            delivery: record.delivery,
            hours: count(record.hours),
        }
    }
}

impl Store {
    /// A class's sessions with their ids, in timetable order.
    pub async fn sessions_of_class(&self, class_id: i64) -> Result<Vec<SessionRow>, StoreError> {
        let records: Vec<SessionRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, class_id, session_date, start_time, end_time, delivery, hours
             FROM class_sessions WHERE class_id = $1 ORDER BY position"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        Ok(records.into_iter().map(SessionRow::from).collect())
    }

    /// One session by id.
    pub async fn session(&self, session_id: i64) -> Result<Option<SessionRow>, StoreError> {
        let record: Option<SessionRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, class_id, session_date, start_time, end_time, delivery, hours
             FROM class_sessions WHERE id = $1"
        )
        .bind(session_id)
        .fetch_optional(pool)
        .await)?;
        Ok(record.map(SessionRow::from))
    }

    /// Takes one of a trainee's `limit` classroom-code slots for a session, atomically: true
    /// when a slot was free (the code may be judged), false when all are used by wrong codes
    /// (or held by codes being judged at this moment). Concurrent attempts never take more
    /// than `limit` slots.
    pub async fn reserve_code_attempt(
        &self,
        session_id: i64,
        person_id: i64,
        limit: u32,
    ) -> Result<bool, StoreError> {
        let taken: Option<i32> = with_db!(self, pool => sqlx::query_scalar(
            "INSERT INTO check_code_attempts (session_id, person_id, wrong_codes)
             SELECT $1, $2, 1 WHERE $3 > 0
             ON CONFLICT (session_id, person_id) DO UPDATE
                SET wrong_codes = check_code_attempts.wrong_codes + 1
                WHERE check_code_attempts.wrong_codes < $3
             RETURNING wrong_codes"
        )
        .bind(session_id)
        .bind(person_id)
        .bind(i64::from(limit))
        .fetch_optional(pool)
        .await)?;
        Ok(taken.is_some())
    }

    /// Gives back the slot a right code held ([`Store::reserve_code_attempt`]).
    pub async fn release_code_attempt(
        &self,
        session_id: i64,
        person_id: i64,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => sqlx::query(
            "UPDATE check_code_attempts SET wrong_codes = wrong_codes - 1
             WHERE session_id = $1 AND person_id = $2 AND wrong_codes > 0"
        )
        .bind(session_id)
        .bind(person_id)
        .execute(pool)
        .await
        .map(|_| ()))?;
        Ok(())
    }

    /// The envelope of a session's code secret, if one was made (a read: the check-in path
    /// calls it for every attempt).
    pub async fn session_secret(&self, session_id: i64) -> Result<Option<String>, StoreError> {
        let cipher: Option<String> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT secret_cipher FROM session_secrets WHERE session_id = $1"
        )
        .bind(session_id)
        .fetch_optional(pool)
        .await)?;
        Ok(cipher)
    }

    /// Stores `new_cipher` as a session's code secret unless it has one, and answers the one
    /// kept: the first to ask creates it, everyone gets the same one.
    pub async fn create_session_secret(
        &self,
        session_id: i64,
        new_cipher: &str,
        now: DateTime<Utc>,
    ) -> Result<String, StoreError> {
        with_db!(self, pool => sqlx::query(
            "INSERT INTO session_secrets (session_id, secret_cipher, created_at)
             VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(session_id)
        .bind(new_cipher)
        .bind(now)
        .execute(pool)
        .await
        .map(|_| ()))?;
        self.session_secret(session_id)
            .await?
            .ok_or(StoreError::NotFound)
    }

    /// How many attempts of a session were accepted and how many refused.
    pub async fn check_in_counts(&self, session_id: i64) -> Result<(u32, u32), StoreError> {
        let (accepted, refused): (i64, i64) = with_db!(self, pool => sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(CASE WHEN accepted THEN 1 ELSE 0 END), 0) AS BIGINT),
                    CAST(COALESCE(SUM(CASE WHEN accepted THEN 0 ELSE 1 END), 0) AS BIGINT)
             FROM check_ins WHERE session_id = $1"
        )
        .bind(session_id)
        .fetch_one(pool)
        .await)?;
        Ok((count(accepted), count(refused)))
    }

    /// Stores a batch of attempts in one transaction and answers each in order. Never fails
    /// one attempt because of another: duplicates are answered, not raised.
    pub async fn record_check_ins(
        &self,
        batch: &[NewCheckIn],
    ) -> Result<Vec<CheckInOutcome>, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut outcomes = Vec::with_capacity(batch.len());
            for attempt in batch {
                let inserted: Option<i64> = sqlx::query_scalar(
                    "INSERT INTO check_ins (session_id, class_id, person_id, kind, at, lat, lon,
                         accuracy_m, device_id, distance_outside_m, late, accepted, refusal,
                         idempotency_key)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
                     ON CONFLICT DO NOTHING RETURNING id",
                )
                .bind(attempt.session_id)
                .bind(attempt.class_id)
                .bind(attempt.person_id)
                .bind(attempt.kind)
                .bind(attempt.at)
                .bind(attempt.lat)
                .bind(attempt.lon)
                .bind(attempt.accuracy_m)
                .bind(&attempt.device_id)
                .bind(attempt.distance_outside_m)
                .bind(attempt.late)
                .bind(attempt.accepted)
                .bind(&attempt.refusal)
                .bind(&attempt.idempotency_key)
                .fetch_optional(&mut *tx)
                .await?;
                let outcome = match inserted {
                    Some(id) => CheckInOutcome::Recorded { id, accepted: attempt.accepted },
                    None => {
                        let same: Option<(i64, bool)> = sqlx::query_as(
                            "SELECT id, accepted FROM check_ins WHERE idempotency_key = $1",
                        )
                        .bind(&attempt.idempotency_key)
                        .fetch_optional(&mut *tx)
                        .await?;
                        match same {
                            Some((id, accepted)) => CheckInOutcome::Repeated { id, accepted },
                            None => {
                                let (id, at): (i64, DateTime<Utc>) = sqlx::query_as(
                                    "SELECT id, at FROM check_ins WHERE session_id = $1
                                       AND person_id = $2 AND kind = $3 AND accepted",
                                )
                                .bind(attempt.session_id)
                                .bind(attempt.person_id)
                                .bind(attempt.kind)
                                .fetch_one(&mut *tx)
                                .await?;
                                CheckInOutcome::AlreadyDone { id, at }
                            }
                        }
                    }
                };
                outcomes.push(outcome);
            }
            tx.commit().await?;
            Ok(outcomes)
        })
    }
}

type Reply = oneshot::Sender<Result<CheckInOutcome, String>>;

/// Group commit for check-ins: callers submit one attempt each and wait; a single task takes
/// whatever has arrived (up to `max_batch`, waiting at most `max_wait` after the first) and
/// writes it in one durable transaction. Under a burst, thousands of check-ins share a few
/// commits (and one fsync each); when idle, an attempt is written at once.
#[derive(Clone)]
pub struct CheckInWriter {
    sender: mpsc::Sender<(NewCheckIn, Reply)>,
    batches: Arc<AtomicU64>,
}

impl std::fmt::Debug for CheckInWriter {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "CheckInWriter({} batches)", self.batches())
    }
}

impl CheckInWriter {
    /// Starts the writing task on the current Tokio runtime.
    pub fn spawn(store: Store, max_batch: usize, max_wait: Duration) -> CheckInWriter {
        let (sender, mut receiver) = mpsc::channel::<(NewCheckIn, Reply)>(max_batch.max(1) * 4);
        let batches = Arc::new(AtomicU64::new(0));
        let counter = batches.clone();
        tokio::spawn(async move {
            while let Some(first) = receiver.recv().await {
                let mut pending = vec![first];
                let deadline = tokio::time::Instant::now() + max_wait;
                while pending.len() < max_batch {
                    match tokio::time::timeout_at(deadline, receiver.recv()).await {
                        Ok(Some(next)) => pending.push(next),
                        Ok(None) | Err(_) => break,
                    }
                }
                let (attempts, replies): (Vec<NewCheckIn>, Vec<Reply>) =
                    pending.into_iter().unzip();
                counter.fetch_add(1, Ordering::Relaxed);
                match store.record_check_ins(&attempts).await {
                    Ok(outcomes) => {
                        for (reply, outcome) in replies.into_iter().zip(outcomes) {
                            let _ = reply.send(Ok(outcome));
                        }
                    }
                    Err(error) => {
                        tracing::error!(%error, size = attempts.len(), "check-in batch failed");
                        for reply in replies {
                            let _ = reply.send(Err(error.to_string()));
                        }
                    }
                }
            }
        });
        CheckInWriter { sender, batches }
    }

    /// Submits one attempt and waits until its batch is committed.
    pub async fn submit(&self, attempt: NewCheckIn) -> Result<CheckInOutcome, StoreError> {
        let (reply, answer) = oneshot::channel();
        self.sender
            .send((attempt, reply))
            .await
            .map_err(|_| StoreError::Corrupt("check-in writer stopped".into()))?;
        answer
            .await
            .map_err(|_| StoreError::Corrupt("check-in writer stopped".into()))?
            .map_err(StoreError::Corrupt)
    }

    /// How many transactions the writer has committed (or tried), for measurements.
    pub fn batches(&self) -> u64 {
        self.batches.load(Ordering::Relaxed)
    }
}
