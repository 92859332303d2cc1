//! What an institution keeps for completion and certificates besides the certificates
//! themselves: the 结业考核 results of a class, its certificate numbering pattern and its seal
//! image. Every write is audited in its own transaction.

use crate::audit::{Actor, AppendAudit};
use crate::error::count;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Utc};
use dte_domain::certificate::NumberPattern;
use serde_json::json;

/// One trainee's 结业考核 result as the institution records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewCompletionResult {
    pub person_id: i64,
    pub passed: bool,
    /// 0–100.
    pub score: Option<u32>,
    pub remark: Option<String>,
}

/// A stored result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionResultRow {
    pub class_id: i64,
    pub person_id: i64,
    pub passed: bool,
    pub score: Option<u32>,
    pub remark: Option<String>,
    pub recorded_at: DateTime<Utc>,
}

/// An institution's seal image.
#[derive(Debug, Clone)]
pub struct SealRow {
    pub institution_id: i64,
    pub sha256: String,
    pub content: Vec<u8>,
    pub uploaded_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CompletionRecord {
    class_id: i64,
    person_id: i64,
    passed: bool,
    score: Option<i64>,
    remark: Option<String>,
    recorded_at: DateTime<Utc>,
}

/// An accepted check-in or check-out of a class, as completion counts it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct AcceptedCheck {
    pub session_id: i64,
    pub person_id: i64,
    /// `in` or `out`.
    #[sqlx(try_from = "String")]
    pub kind: CheckSide,
    pub late: bool,
}

/// Which side of a session a check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSide {
    In,
    Out,
}

impl TryFrom<String> for CheckSide {
    type Error = StoreError;
    fn try_from(text: String) -> Result<CheckSide, StoreError> {
        match text.as_str() {
            "in" => Ok(CheckSide::In),
            "out" => Ok(CheckSide::Out),
            _ => Err(crate::error::corrupt("check-in kind", &text)),
        }
    }
}

impl Store {
    /// The accepted check-ins and check-outs of a class (one per trainee, session and side).
    pub async fn accepted_checks(&self, class_id: i64) -> Result<Vec<AcceptedCheck>, StoreError> {
        let checks: Vec<AcceptedCheck> = with_db!(self, pool => sqlx::query_as(
            "SELECT session_id, person_id, kind, late FROM check_ins
             WHERE class_id = $1 AND accepted ORDER BY id"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        Ok(checks)
    }

    /// Records (or replaces) the results of a class's trainees in one transaction, each
    /// audited as `completion.record` with what it replaced.
    pub async fn record_completion_results(
        &self,
        class_id: i64,
        results: &[NewCompletionResult],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            for result in results {
                let before: Option<(bool, Option<i64>, Option<String>)> = sqlx::query_as(
                    "SELECT passed, score, remark FROM completion_results
                     WHERE class_id = $1 AND person_id = $2",
                )
                .bind(class_id)
                .bind(result.person_id)
                .fetch_optional(&mut *tx)
                .await?;
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO completion_results (class_id, person_id, passed, score, remark,
                         recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (class_id, person_id) DO UPDATE SET passed = excluded.passed,
                         score = excluded.score, remark = excluded.remark,
                         recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at
                     RETURNING id",
                )
                .bind(class_id)
                .bind(result.person_id)
                .bind(result.passed)
                .bind(result.score.map(i64::from))
                .bind(&result.remark)
                .bind(actor.user_id)
                .bind(actor.at)
                .fetch_one(&mut *tx)
                .await?;
                tx.append_audit_entry(&actor.entry("completion.record", "completion_result", id,
                    before.map(|(passed, score, remark)|
                        json!({"passed": passed, "score": score, "remark": remark})),
                    Some(json!({"class_id": class_id, "person_id": result.person_id,
                                "passed": result.passed, "score": result.score,
                                "remark": result.remark})))).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// The recorded results of a class, by person.
    pub async fn completion_results(
        &self,
        class_id: i64,
    ) -> Result<Vec<CompletionResultRow>, StoreError> {
        let records: Vec<CompletionRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT class_id, person_id, passed, score, remark, recorded_at
             FROM completion_results WHERE class_id = $1 ORDER BY person_id"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        Ok(records
            .into_iter()
            .map(|record| CompletionResultRow {
                class_id: record.class_id,
                person_id: record.person_id,
                passed: record.passed,
                score: record.score.map(count),
                remark: record.remark,
                recorded_at: record.recorded_at,
            })
            .collect())
    }

    /// Sets an institution's certificate numbering pattern, audited as
    /// `certificate_pattern.set`. Another institution's identical pattern fails with the
    /// constraint `certificate_number_patterns_pattern_key`.
    pub async fn set_certificate_number_pattern(
        &self,
        institution_id: i64,
        pattern: &NumberPattern,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<String> = sqlx::query_scalar(
                "SELECT pattern FROM certificate_number_patterns WHERE institution_id = $1",
            )
            .bind(institution_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO certificate_number_patterns (institution_id, pattern, updated_by,
                     updated_at)
                 VALUES ($1, $2, $3, $4)
                 ON CONFLICT (institution_id) DO UPDATE SET pattern = excluded.pattern,
                     updated_by = excluded.updated_by, updated_at = excluded.updated_at",
            )
            .bind(institution_id)
            .bind(pattern.as_str())
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("certificate_pattern.set", "institution",
                institution_id, before.map(|pattern| json!({"pattern": pattern})),
                Some(json!({"pattern": pattern.as_str()})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// An institution's certificate numbering pattern, as stored (checked when it was set).
    pub async fn certificate_number_pattern(
        &self,
        institution_id: i64,
    ) -> Result<Option<String>, StoreError> {
        let pattern: Option<String> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT pattern FROM certificate_number_patterns WHERE institution_id = $1"
        )
        .bind(institution_id)
        .fetch_optional(pool)
        .await)?;
        Ok(pattern)
    }

    /// Stores (or replaces) an institution's seal image, a PNG the caller has checked,
    /// audited as `seal.set`.
    pub async fn set_institution_seal(
        &self,
        institution_id: i64,
        png: &[u8],
        sha256: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO institution_seals (institution_id, content_type, sha256, size,
                     content, uploaded_by, uploaded_at)
                 VALUES ($1, 'image/png', $2, $3, $4, $5, $6)
                 ON CONFLICT (institution_id) DO UPDATE SET sha256 = excluded.sha256,
                     size = excluded.size, content = excluded.content,
                     uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
            )
            .bind(institution_id)
            .bind(sha256)
            .bind(i64::try_from(png.len()).unwrap_or(i64::MAX))
            .bind(png)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("seal.set", "institution", institution_id, None,
                Some(json!({"sha256": sha256, "size": png.len()})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// An institution's seal image, if it uploaded one.
    pub async fn institution_seal(
        &self,
        institution_id: i64,
    ) -> Result<Option<SealRow>, StoreError> {
        let record: Option<(i64, String, Vec<u8>, DateTime<Utc>)> = with_db!(self, pool =>
            sqlx::query_as(
                "SELECT institution_id, sha256, content, uploaded_at FROM institution_seals
                 WHERE institution_id = $1"
            )
            .bind(institution_id)
            .fetch_optional(pool)
            .await)?;
        Ok(
            record.map(|(institution_id, sha256, content, uploaded_at)| SealRow {
                institution_id,
                sha256,
                content,
                uploaded_at,
            }),
        )
    }
}
