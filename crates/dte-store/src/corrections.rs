//! Attendance as it counts: the accepted check-ins and the institution's corrections (更正),
//! read together for the hours ledger. A correction is a new row with its reason, never a
//! change to a check-in; each is audited as `attendance.correct` in its own transaction.
//! Which record wins is the domain's rule (`dte_domain::attendance::corrected_punch`).

use crate::audit::{Actor, AppendAudit};
use crate::error::count;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Utc};
use serde_json::json;

/// The institution's correction of one trainee's check-in or check-out of a session.
#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub session_id: i64,
    pub class_id: i64,
    pub person_id: i64,
    /// `in` or `out`.
    pub kind: &'static str,
    /// The trainee was there (补签), or the record does not count.
    pub present: bool,
    /// Checked by `dte_domain::attendance::CorrectionReason` before it reaches the store.
    pub reason: String,
}

/// A stored correction, as the class's attendance page lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CorrectionRow {
    pub id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub present: bool,
    pub reason: String,
    pub made_at: DateTime<Utc>,
    pub made_by: Option<String>,
}

/// An accepted check-in or check-out of a class.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AcceptedCheck {
    pub id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub at: DateTime<Utc>,
    pub late: bool,
}

/// A session's live counts for the supervisors' view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionCounts {
    pub checked_in: u32,
    pub checked_out: u32,
    pub refused: u32,
    pub outside_fence: u32,
}

impl Store {
    /// Records a correction for a trainee enrolled (and active) in the class, audited with the
    /// state before (`accepted check-in present or not`) and the correction. A person not
    /// enrolled, or a session of another class, is `NotFound`.
    pub async fn correct_attendance(
        &self,
        correction: &NewCorrection,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let enrolled: Option<i64> = sqlx::query_scalar(
                "SELECT e.id FROM enrolments e JOIN class_sessions s ON s.class_id = e.class_id
                 WHERE e.class_id = $1 AND e.person_id = $2 AND e.status = 'active' AND s.id = $3",
            )
            .bind(correction.class_id)
            .bind(correction.person_id)
            .bind(correction.session_id)
            .fetch_optional(&mut *tx)
            .await?;
            if enrolled.is_none() {
                return Err(StoreError::NotFound);
            }
            let recorded: Option<DateTime<Utc>> = sqlx::query_scalar(
                "SELECT at FROM check_ins WHERE session_id = $1 AND person_id = $2
                   AND kind = $3 AND accepted",
            )
            .bind(correction.session_id)
            .bind(correction.person_id)
            .bind(correction.kind)
            .fetch_optional(&mut *tx)
            .await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO attendance_corrections (session_id, class_id, person_id, kind,
                     present, reason, made_by, made_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(correction.session_id)
            .bind(correction.class_id)
            .bind(correction.person_id)
            .bind(correction.kind)
            .bind(correction.present)
            .bind(&correction.reason)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            let before = json!({ "checked": recorded.is_some(), "at": recorded });
            let after = json!({
                "class_id": correction.class_id,
                "session_id": correction.session_id,
                "person_id": correction.person_id,
                "kind": correction.kind,
                "present": correction.present,
                "reason": correction.reason,
            });
            tx.append_audit_entry(&actor.entry(
                "attendance.correct", "attendance_correction", id, Some(before), Some(after),
            )).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A class's corrections, oldest first, with who made each.
    pub async fn class_corrections(&self, class_id: i64) -> Result<Vec<CorrectionRow>, StoreError> {
        let rows: Vec<CorrectionRow> = with_db!(self, pool => sqlx::query_as(
            "SELECT c.id, c.session_id, c.person_id, c.kind, c.present, c.reason, c.made_at,
                    u.username AS made_by
             FROM attendance_corrections c LEFT JOIN users u ON u.id = c.made_by
             WHERE c.class_id = $1 ORDER BY c.made_at, c.id"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// A class's accepted check-ins and check-outs.
    pub async fn class_accepted_checks(
        &self,
        class_id: i64,
    ) -> Result<Vec<AcceptedCheck>, StoreError> {
        let rows: Vec<AcceptedCheck> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, session_id, person_id, kind, at, late FROM check_ins
             WHERE class_id = $1 AND accepted ORDER BY at, id"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// A session's check-ins so far: trainees checked in and out, refused attempts, and
    /// attempts from beyond the fence.
    pub async fn session_counts(&self, session_id: i64) -> Result<SessionCounts, StoreError> {
        let (checked_in, checked_out, refused, outside): (i64, i64, i64, i64) = with_db!(self, pool => sqlx::query_as(
                "SELECT
                   CAST(COALESCE(SUM(CASE WHEN accepted AND kind = 'in' THEN 1 ELSE 0 END), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN accepted AND kind = 'out' THEN 1 ELSE 0 END), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN accepted THEN 0 ELSE 1 END), 0) AS BIGINT),
                   CAST(COALESCE(SUM(CASE WHEN distance_outside_m > 0 THEN 1 ELSE 0 END), 0) AS BIGINT)
                 FROM check_ins WHERE session_id = $1"
            )
            .bind(session_id)
            .fetch_one(pool)
            .await)?;
        Ok(SessionCounts {
            checked_in: count(checked_in),
            checked_out: count(checked_out),
            refused: count(refused),
            outside_fence: count(outside),
        })
    }
}
