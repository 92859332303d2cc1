//! Session recordings (全程录像, issue 5 item 5), the material the learning page plays, and the
//! resumable uploads that bring their files into the data folder. This module keeps the
//! records; the files themselves are written by the web layer (paths here are relative to the
//! data folder). Every write appends its audit entry in the same transaction.

use crate::audit::{Actor, AppendAudit};
use crate::error::count;
use crate::{SessionRow, Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use serde_json::json;
use std::collections::BTreeSet;

/// Where a recording's bytes are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RecordingSource {
    /// A file in the data folder, by its path relative to the folder.
    File(String),
    /// External storage, by its reference (a URL or a storage key).
    Reference(String),
}

/// A recording to register.
#[derive(Debug, Clone)]
pub struct NewRecording {
    pub session_id: i64,
    pub class_id: i64,
    pub source: RecordingSource,
    pub content_type: String,
    /// 64 lowercase hexadecimal digits.
    pub sha256: String,
    pub size_bytes: u64,
    pub duration_seconds: u32,
    pub retain_until: NaiveDate,
    /// The upload that brought the file, marked complete in the same transaction.
    pub upload_id: Option<String>,
}

/// A registered recording.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordingRow {
    pub id: i64,
    pub session_id: i64,
    pub class_id: i64,
    pub source: RecordingSource,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub duration_seconds: u32,
    pub retain_until: NaiveDate,
    pub registered_by: Option<i64>,
    pub registered_at: DateTime<Utc>,
}

/// A session of a class with its recording, if one is registered.
#[derive(Debug, Clone)]
pub struct SessionRecording {
    pub session: SessionRow,
    pub recording: Option<RecordingRow>,
}

/// What an online session's learning page plays.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct MaterialRow {
    pub session_id: i64,
    pub title: String,
    /// Relative to the data folder.
    pub file_path: String,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: i64,
    pub registered_at: DateTime<Utc>,
}

/// A resumable upload, as started.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UploadRow {
    pub id: String,
    pub session_id: i64,
    pub class_id: i64,
    /// `recording` or `material`.
    pub purpose: String,
    pub file_name: String,
    pub content_type: String,
    pub total_bytes: i64,
    pub duration_seconds: Option<i64>,
    pub title: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct RecordingRecord {
    id: i64,
    session_id: i64,
    class_id: i64,
    file_path: Option<String>,
    external_ref: Option<String>,
    content_type: String,
    sha256: String,
    size_bytes: i64,
    duration_seconds: i64,
    retain_until: NaiveDate,
    registered_by: Option<i64>,
    registered_at: DateTime<Utc>,
}

/// The columns of a [`RecordingRecord`] from `recordings r`.
macro_rules! recording_columns {
    () => {
        "r.id, r.session_id, r.class_id, r.file_path, r.external_ref, r.content_type, r.sha256,
         r.size_bytes, r.duration_seconds, r.retain_until, r.registered_by, r.registered_at"
    };
}

impl TryFrom<RecordingRecord> for RecordingRow {
    type Error = StoreError;

    fn try_from(record: RecordingRecord) -> Result<RecordingRow, StoreError> {
        let source = match (record.file_path, record.external_ref) {
            (Some(path), None) => RecordingSource::File(path),
            (None, Some(reference)) => RecordingSource::Reference(reference),
            _ => {
                return Err(crate::error::corrupt(
                    "recording source",
                    &record.id.to_string(),
                ));
            }
        };
        Ok(RecordingRow {
            id: record.id,
            session_id: record.session_id,
            class_id: record.class_id,
            source,
            content_type: record.content_type,
            sha256: record.sha256,
            size_bytes: u64::try_from(record.size_bytes).map_err(|_| {
                crate::error::corrupt_record(
                    "recordings",
                    record.id,
                    "size_bytes",
                    &record.size_bytes.to_string(),
                )
            })?,
            duration_seconds: count(record.duration_seconds),
            retain_until: record.retain_until,
            registered_by: record.registered_by,
            registered_at: record.registered_at,
        })
    }
}

fn size(bytes: u64) -> i64 {
    i64::try_from(bytes).unwrap_or(i64::MAX)
}

impl Store {
    /// Registers a session's recording, audited as `recording.register`. A session has one:
    /// a second is `Constraint { recordings_session_key }`.
    pub async fn register_recording(
        &self,
        recording: &NewRecording,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (path, reference) = match &recording.source {
            RecordingSource::File(path) => (Some(path.as_str()), None),
            RecordingSource::Reference(reference) => (None, Some(reference.as_str())),
        };
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO recordings (session_id, class_id, file_path, external_ref,
                     content_type, sha256, size_bytes, duration_seconds, retain_until,
                     registered_by, registered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(recording.session_id)
            .bind(recording.class_id)
            .bind(path)
            .bind(reference)
            .bind(&recording.content_type)
            .bind(&recording.sha256)
            .bind(size(recording.size_bytes))
            .bind(i64::from(recording.duration_seconds))
            .bind(recording.retain_until)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(upload) = &recording.upload_id {
                sqlx::query("UPDATE uploads SET completed_at = $2 WHERE id = $1")
                    .bind(upload)
                    .bind(actor.at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.append_audit_entry(&actor.entry("recording.register", "recording", id, None,
                Some(json!({"session_id": recording.session_id, "class_id": recording.class_id,
                            "file_path": path, "external_ref": reference,
                            "sha256": recording.sha256, "size_bytes": recording.size_bytes,
                            "duration_seconds": recording.duration_seconds,
                            "retain_until": recording.retain_until})))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// One recording by id.
    pub async fn recording(&self, id: i64) -> Result<Option<RecordingRow>, StoreError> {
        let record: Option<RecordingRecord> = with_db!(self, pool => sqlx::query_as(
            concat!("SELECT ", recording_columns!(), " FROM recordings r WHERE r.id = $1")
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(RecordingRow::try_from).transpose()
    }

    /// Every session of a class, in timetable order, with its recording if registered.
    pub async fn recordings_of_class(
        &self,
        class_id: i64,
    ) -> Result<Vec<SessionRecording>, StoreError> {
        let sessions = self.sessions_of_class(class_id).await?;
        let records: Vec<RecordingRecord> = with_db!(self, pool => sqlx::query_as(
            concat!("SELECT ", recording_columns!(), " FROM recordings r WHERE r.class_id = $1")
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        let mut recordings = records
            .into_iter()
            .map(RecordingRow::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(sessions
            .into_iter()
            .map(|session| {
                let position = recordings.iter().position(|r| r.session_id == session.id);
                SessionRecording {
                    recording: position.map(|index| recordings.swap_remove(index)),
                    session,
                }
            })
            .collect())
    }

    /// The sessions, province-wide, that have a recording registered (for the risk flags'
    /// `SessionFact::has_recording`).
    pub async fn recorded_session_ids(&self) -> Result<BTreeSet<i64>, StoreError> {
        let ids: Vec<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT session_id FROM recordings"
        )
        .fetch_all(pool)
        .await)?;
        Ok(ids.into_iter().collect())
    }

    /// The sessions held before `before` (a date in China) of classes that were approved (or
    /// later) without a recording, as (class id, session id), oldest first.
    pub async fn sessions_without_recording(
        &self,
        before: NaiveDate,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT s.class_id, s.id FROM class_sessions s JOIN classes c ON c.id = s.class_id
             WHERE s.session_date < $1
               AND c.status IN ('approved', 'running', 'finished', 'closed')
               AND NOT EXISTS (SELECT 1 FROM recordings r WHERE r.session_id = s.id)
             ORDER BY s.session_date, s.id"
        )
        .bind(before)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// Starts a resumable upload, audited as `upload.start`.
    pub async fn create_upload(&self, upload: &UploadRow, actor: &Actor) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(
                "INSERT INTO uploads (id, session_id, class_id, purpose, file_name, content_type,
                     total_bytes, duration_seconds, title, created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(&upload.id)
            .bind(upload.session_id)
            .bind(upload.class_id)
            .bind(&upload.purpose)
            .bind(&upload.file_name)
            .bind(&upload.content_type)
            .bind(upload.total_bytes)
            .bind(upload.duration_seconds)
            .bind(&upload.title)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("upload.start", "upload", &upload.id, None,
                Some(json!({"session_id": upload.session_id, "purpose": upload.purpose,
                            "file_name": upload.file_name,
                            "total_bytes": upload.total_bytes})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// One upload by id.
    pub async fn upload(&self, id: &str) -> Result<Option<UploadRow>, StoreError> {
        let row: Option<UploadRow> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, session_id, class_id, purpose, file_name, content_type, total_bytes,
                    duration_seconds, title, created_by, created_at, completed_at
             FROM uploads WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }

    /// Sets what an online session's learning page plays (replacing what it played), audited
    /// as `material.register`; marks the upload that brought it (if any) complete.
    pub async fn set_material(
        &self,
        material: &MaterialRow,
        upload_id: Option<&str>,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let before: Option<MaterialRow> = sqlx::query_as(
                "SELECT session_id, title, file_path, content_type, sha256, size_bytes,
                        registered_at FROM session_materials WHERE session_id = $1",
            )
            .bind(material.session_id)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO session_materials (session_id, title, file_path, content_type,
                     sha256, size_bytes, registered_by, registered_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                 ON CONFLICT (session_id) DO UPDATE SET title = $2, file_path = $3,
                     content_type = $4, sha256 = $5, size_bytes = $6, registered_by = $7,
                     registered_at = $8",
            )
            .bind(material.session_id)
            .bind(&material.title)
            .bind(&material.file_path)
            .bind(&material.content_type)
            .bind(&material.sha256)
            .bind(material.size_bytes)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            sqlx::query("UPDATE uploads SET completed_at = $2 WHERE id = $1")
                .bind(upload_id)
                .bind(actor.at)
                .execute(&mut *tx)
                .await?;
            let view = |m: &MaterialRow| json!({"title": m.title, "file_path": m.file_path,
                "sha256": m.sha256, "size_bytes": m.size_bytes});
            tx.append_audit_entry(&actor.entry("material.register", "session",
                material.session_id, before.as_ref().map(view), Some(view(material)))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// What an online session's learning page plays, if set.
    pub async fn material(&self, session_id: i64) -> Result<Option<MaterialRow>, StoreError> {
        let row: Option<MaterialRow> = with_db!(self, pool => sqlx::query_as(
            "SELECT session_id, title, file_path, content_type, sha256, size_bytes, registered_at
             FROM session_materials WHERE session_id = $1"
        )
        .bind(session_id)
        .fetch_optional(pool)
        .await)?;
        Ok(row)
    }
}
