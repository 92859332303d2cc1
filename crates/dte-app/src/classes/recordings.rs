//! Session recordings (全程录像, issue 5 item 5) and learning materials: who may register them
//! (the institution running the class), uploads into the data folder through `files`, reference
//! registrations for external storage, the retention date from
//! `dte_domain::recording::retain_until` with the day's settings, and the list the institution
//! and supervisors see.

use super::check_in::session_in_scope;
use super::{actor, class_for, files};
use crate::Context;
use crate::Principal;
use crate::ServiceError;
use bytes::Bytes;
use chrono::NaiveDate;
use dte_domain::access::Action;
use dte_domain::class::Delivery;
use dte_domain::recording::{Sha256Hex, check_duration, retain_until};
use dte_store::{
    ClassRow, MaterialRow, NewRecording, RecordingRow, RecordingSource, SessionRow, UploadRow,
};
use files::{ChunkRange, StoredFile};
use futures_core::Stream;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The largest recording accepted, in bytes (16 GiB: a whole day of 1080p video).
pub const MAX_RECORDING_BYTES: u64 = 16 << 30;
/// The largest learning material accepted, in bytes (4 GiB).
pub const MAX_MATERIAL_BYTES: u64 = 4 << 30;
/// The largest chunk of one request, in bytes (16 MiB); larger files come in several.
pub const MAX_CHUNK_BYTES: u64 = 16 << 20;

/// Starts an upload of a session's recording or learning material.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UploadRequest {
    /// `recording` (全程录像) or `material` (what an online session's learning page plays).
    pub purpose: String,
    pub file_name: String,
    /// e.g. `video/mp4`; video only.
    pub content_type: String,
    pub size_bytes: u64,
    /// The recording's duration (required for recordings).
    pub duration_seconds: Option<u64>,
    /// The material's title (materials only; the file name when absent).
    pub title: Option<String>,
}

/// An upload in progress: send the bytes with `PUT /api/v1/uploads/{id}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct UploadState {
    pub upload_id: String,
    pub size_bytes: u64,
    /// Bytes received: the next chunk starts here.
    pub received_bytes: u64,
    /// The most one request may carry.
    pub chunk_max_bytes: u64,
    pub complete: bool,
    /// The file's SHA-256, once complete.
    pub sha256: Option<String>,
    /// The recording registered from it, once complete (recordings only).
    pub recording_id: Option<i64>,
}

/// Registers a recording kept in external storage.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReferenceRequest {
    /// Where it is kept (a URL or a storage key).
    pub external_ref: String,
    /// The file's SHA-256, 64 hexadecimal digits.
    pub sha256: String,
    pub size_bytes: u64,
    pub duration_seconds: u64,
    /// Defaults to `video/mp4`.
    pub content_type: Option<String>,
}

/// A session and its recording state, for the institution and supervisors.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionRecordingView {
    pub session_id: i64,
    pub date: NaiveDate,
    pub start: String,
    pub end: String,
    /// `offline` or `online`.
    pub delivery: String,
    pub hours: u32,
    /// `registered`, `missing` (held without a recording) or `upcoming`.
    pub state: String,
    pub recording: Option<RecordingView>,
}

/// A registered recording.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordingView {
    pub id: i64,
    /// `file` (in DTE's data folder) or `reference` (external storage).
    pub source: String,
    pub external_ref: Option<String>,
    pub content_type: String,
    pub sha256: String,
    pub size_bytes: u64,
    pub duration_seconds: u32,
    /// Kept at least until this date (see `dte_domain::recording::retain_until`).
    pub retain_until: NaiveDate,
    pub registered_at: chrono::DateTime<chrono::Utc>,
    /// Plays in the browser (Range supported); files only.
    pub play_url: Option<String>,
    /// Saves the file (audited); files only.
    pub download_url: Option<String>,
}

impl From<&RecordingRow> for RecordingView {
    fn from(row: &RecordingRow) -> RecordingView {
        let (source, external_ref, play, download) = match &row.source {
            RecordingSource::File(_) => (
                "file",
                None,
                Some(format!("/api/v1/recordings/{}/file", row.id)),
                Some(format!("/api/v1/recordings/{}/file?download=1", row.id)),
            ),
            RecordingSource::Reference(reference) => {
                ("reference", Some(reference.clone()), None, None)
            }
        };
        RecordingView {
            id: row.id,
            source: source.into(),
            external_ref,
            content_type: row.content_type.clone(),
            sha256: row.sha256.clone(),
            size_bytes: row.size_bytes,
            duration_seconds: row.duration_seconds,
            retain_until: row.retain_until,
            registered_at: row.registered_at,
            play_url: play,
            download_url: download,
        }
    }
}

/// The session and its class if the principal may take `action` on its recordings (the
/// institution running it: `access::authorize`).
async fn own_session(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    action: Action,
) -> Result<(SessionRow, ClassRow), ServiceError> {
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    crate::access::authorize(principal, action, &crate::access::class_record(&class))?;
    Ok((session, class))
}

/// The date until which the class's recordings are kept, with today's policy.
async fn retention(context: &Context, class: &ClassRow) -> Result<NaiveDate, ServiceError> {
    let policy = context.store.policy_on(context.clock.today()).await?;
    Ok(retain_until(
        class.end_date,
        policy.claim_deadline_months,
        policy.recording_retention_years,
    ))
}

fn too_large(limit: u64) -> ServiceError {
    ServiceError::too_large("size_bytes", format!("文件过大：最多 {} MiB", limit >> 20))
}

async fn refuse_second_recording(
    context: &Context,
    session: &SessionRow,
) -> Result<(), ServiceError> {
    let listed = context.store.recordings_of_class(session.class_id).await?;
    if listed
        .iter()
        .any(|entry| entry.session.id == session.id && entry.recording.is_some())
    {
        return Err(ServiceError::conflict(
            "recording_exists",
            format!("课次 {} 已登记录像，不能重复登记", session.id),
        ));
    }
    Ok(())
}

fn video_type(text: &str) -> Result<String, ServiceError> {
    let text = text.trim().to_ascii_lowercase();
    let valid = text.starts_with("video/")
        && text.len() <= 60
        && text[6..]
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || b"-+.".contains(&byte));
    if valid {
        Ok(text)
    } else {
        Err(ServiceError::invalid(
            "content_type",
            "只接受视频文件（content_type 应为 video/…，例如 video/mp4）",
        ))
    }
}

/// Starts an upload into the data folder.
pub async fn start_upload(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    request: &UploadRequest,
) -> Result<UploadState, ServiceError> {
    let (session, class) =
        own_session(context, principal, session_id, Action::UploadRecording).await?;
    let content_type = video_type(&request.content_type)?;
    let file_name = request.file_name.trim();
    if file_name.is_empty() || file_name.chars().count() > 200 {
        return Err(ServiceError::invalid(
            "file_name",
            "文件名应为 1 至 200 个字符",
        ));
    }
    let (duration, limit) = match request.purpose.as_str() {
        "recording" => {
            refuse_second_recording(context, &session).await?;
            let seconds = request
                .duration_seconds
                .ok_or_else(|| ServiceError::invalid("duration_seconds", "请填写录像时长（秒）"))?;
            let seconds = check_duration(seconds)
                .map_err(|error| ServiceError::invalid("duration_seconds", error.to_string()))?;
            (Some(i64::from(seconds)), MAX_RECORDING_BYTES)
        }
        "material" => {
            if session.delivery != Delivery::Online.as_str() {
                return Err(ServiceError::invalid(
                    "purpose",
                    "线下课次没有在线学习页面，学习资料只能登记到线上课次",
                ));
            }
            (None, MAX_MATERIAL_BYTES)
        }
        _ => {
            return Err(ServiceError::invalid(
                "purpose",
                "purpose 应为 recording（录像）或 material（学习资料）",
            ));
        }
    };
    if request.size_bytes == 0 {
        return Err(ServiceError::invalid("size_bytes", "文件为空"));
    }
    if request.size_bytes > limit {
        return Err(too_large(limit));
    }
    let upload = UploadRow {
        id: dte_crypto::new_token(),
        session_id: session.id,
        class_id: class.id,
        purpose: request.purpose.clone(),
        file_name: file_name.to_owned(),
        content_type,
        total_bytes: i64::try_from(request.size_bytes).unwrap_or(i64::MAX),
        duration_seconds: duration,
        title: request
            .title
            .as_deref()
            .map(str::trim)
            .filter(|title| !title.is_empty())
            .map(|title| title.chars().take(100).collect()),
        created_by: principal.user().map(|user| user.id),
        created_at: context.clock.now(),
        completed_at: None,
    };
    context
        .store
        .create_upload(&upload, &actor(context, principal))
        .await?;
    Ok(UploadState {
        upload_id: upload.id,
        size_bytes: request.size_bytes,
        received_bytes: 0,
        chunk_max_bytes: MAX_CHUNK_BYTES,
        complete: false,
        sha256: None,
        recording_id: None,
    })
}

/// The upload if the principal is the institution running its class.
async fn own_upload(
    context: &Context,
    principal: &Principal,
    id: &str,
) -> Result<UploadRow, ServiceError> {
    let not_found = || ServiceError::not_found("upload_not_found", "未找到该上传，请重新开始上传");
    if !files::valid_upload_id(id) {
        return Err(not_found());
    }
    let upload = context.store.upload(id).await?.ok_or_else(not_found)?;
    own_session(
        context,
        principal,
        upload.session_id,
        Action::UploadRecording,
    )
    .await?;
    Ok(upload)
}

fn total(upload: &UploadRow) -> u64 {
    u64::try_from(upload.total_bytes).unwrap_or(0)
}

/// Where an upload stands (to resume after a lost connection).
pub async fn upload_state(
    context: &Context,
    principal: &Principal,
    id: &str,
) -> Result<UploadState, ServiceError> {
    let upload = own_upload(context, principal, id).await?;
    let complete = upload.completed_at.is_some();
    Ok(UploadState {
        upload_id: upload.id.clone(),
        size_bytes: total(&upload),
        received_bytes: if complete {
            total(&upload)
        } else {
            files::received(&context.data_dir, &upload.id).await
        },
        chunk_max_bytes: MAX_CHUNK_BYTES,
        complete,
        sha256: None,
        recording_id: None,
    })
}

/// Receives a chunk (or the whole file); on the last byte, moves the file into place and
/// registers it.
pub async fn receive_chunk<E>(
    context: &Context,
    principal: &Principal,
    id: &str,
    range: Option<ChunkRange>,
    body: impl Stream<Item = Result<Bytes, E>> + Unpin,
) -> Result<UploadState, ServiceError> {
    let upload = own_upload(context, principal, id).await?;
    if upload.completed_at.is_some() {
        return Err(ServiceError::conflict(
            "upload_complete",
            "该文件已上传完成",
        ));
    }
    let size = total(&upload);
    if let Some(range) = range
        && (range.end < range.start || range.total != size || range.end >= size)
    {
        return Err(ServiceError::invalid(
            "Content-Range",
            format!("Content-Range 与上传的文件不符（文件共 {size} 字节，结束位置应小于总长）"),
        ));
    }
    let (start, length) = match range {
        Some(range) => (range.start, range.end - range.start + 1),
        None => (0, size),
    };
    if length > MAX_CHUNK_BYTES {
        return Err(ServiceError {
            field: Some("Content-Range".into()),
            ..too_large(MAX_CHUNK_BYTES)
        });
    }
    let outcome =
        files::append_chunk(&context.data_dir, &upload.id, start, length, size, body).await?;
    let Some(sha256) = outcome.sha256 else {
        return Ok(UploadState {
            upload_id: upload.id,
            size_bytes: size,
            received_bytes: outcome.received,
            chunk_max_bytes: MAX_CHUNK_BYTES,
            complete: false,
            sha256: None,
            recording_id: None,
        });
    };
    let recording_id = register_upload(context, principal, &upload, &sha256).await?;
    Ok(UploadState {
        upload_id: upload.id,
        size_bytes: size,
        received_bytes: size,
        chunk_max_bytes: MAX_CHUNK_BYTES,
        complete: true,
        sha256: Some(sha256),
        recording_id,
    })
}

/// Moves a complete upload into place and registers it as the session's recording or material.
async fn register_upload(
    context: &Context,
    principal: &Principal,
    upload: &UploadRow,
    sha256: &str,
) -> Result<Option<i64>, ServiceError> {
    let extension = std::path::Path::new(&upload.file_name)
        .extension()
        .and_then(|extension| extension.to_str())
        .filter(|extension| {
            extension.len() <= 8 && extension.bytes().all(|b| b.is_ascii_alphanumeric())
        })
        .map_or_else(|| "bin".to_owned(), str::to_ascii_lowercase);
    let folder = if upload.purpose == "recording" {
        "recordings"
    } else {
        "materials"
    };
    let relative = format!(
        "{folder}/{}/{}-{}.{extension}",
        upload.class_id,
        upload.session_id,
        &sha256[..16]
    );
    files::finish(&context.data_dir, &upload.id, &relative).await?;
    let actor = actor(context, principal);
    if upload.purpose == "recording" {
        let class = class_for(context, principal, upload.class_id).await?;
        let recording = NewRecording {
            session_id: upload.session_id,
            class_id: upload.class_id,
            source: RecordingSource::File(relative.clone()),
            content_type: upload.content_type.clone(),
            sha256: sha256.to_owned(),
            size_bytes: total(upload),
            duration_seconds: u32::try_from(upload.duration_seconds.unwrap_or(1)).unwrap_or(1),
            retain_until: retention(context, &class).await?,
            upload_id: Some(upload.id.clone()),
        };
        match context.store.register_recording(&recording, &actor).await {
            Ok(id) => Ok(Some(id)),
            Err(error) => {
                let _ =
                    tokio::fs::remove_file(files::stored_path(&context.data_dir, &relative)?).await;
                Err(error.into())
            }
        }
    } else {
        let material = MaterialRow {
            session_id: upload.session_id,
            title: upload
                .title
                .clone()
                .unwrap_or_else(|| upload.file_name.clone()),
            file_path: relative,
            content_type: upload.content_type.clone(),
            sha256: sha256.to_owned(),
            size_bytes: upload.total_bytes,
            registered_at: actor.at,
        };
        context
            .store
            .set_material(&material, Some(&upload.id), &actor)
            .await?;
        Ok(None)
    }
}

/// Registers a recording kept in external storage by its hash, size and duration.
pub async fn register_reference(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    request: &ReferenceRequest,
) -> Result<RecordingView, ServiceError> {
    let (session, class) =
        own_session(context, principal, session_id, Action::RegisterRecording).await?;
    let reference = request.external_ref.trim();
    if reference.is_empty() || reference.chars().count() > 500 {
        return Err(ServiceError::invalid(
            "external_ref",
            "请填写录像的存放位置（网址或存储编号，最多 500 个字符）",
        ));
    }
    let sha256 = Sha256Hex::parse(&request.sha256)
        .map_err(|error| ServiceError::invalid("sha256", error.to_string()))?;
    if request.size_bytes == 0 {
        return Err(ServiceError::invalid(
            "size_bytes",
            "录像文件大小应大于 0 字节",
        ));
    }
    let duration = check_duration(request.duration_seconds)
        .map_err(|error| ServiceError::invalid("duration_seconds", error.to_string()))?;
    let content_type = video_type(request.content_type.as_deref().unwrap_or("video/mp4"))?;
    refuse_second_recording(context, &session).await?;
    let recording = NewRecording {
        session_id: session.id,
        class_id: class.id,
        source: RecordingSource::Reference(reference.to_owned()),
        content_type,
        sha256: sha256.as_str().to_owned(),
        size_bytes: request.size_bytes,
        duration_seconds: duration,
        retain_until: retention(context, &class).await?,
        upload_id: None,
    };
    let id = context
        .store
        .register_recording(&recording, &actor(context, principal))
        .await?;
    let stored = context
        .store
        .recording(id)
        .await?
        .ok_or_else(|| ServiceError::internal("a registered recording is gone"))?;
    Ok(RecordingView::from(&stored))
}

/// Every session of a class in the principal's scope with its recording state.
pub async fn class_recordings(
    context: &Context,
    principal: &Principal,
    class_id: i64,
) -> Result<Vec<SessionRecordingView>, ServiceError> {
    class_for(context, principal, class_id).await?;
    let today = context.clock.today();
    let listed = context.store.recordings_of_class(class_id).await?;
    Ok(listed
        .iter()
        .map(|entry| SessionRecordingView {
            session_id: entry.session.id,
            date: entry.session.date,
            start: entry.session.start.format("%H:%M").to_string(),
            end: entry.session.end.format("%H:%M").to_string(),
            delivery: entry.session.delivery.clone(),
            hours: entry.session.hours,
            state: match (&entry.recording, entry.session.date <= today) {
                (Some(_), _) => "registered",
                (None, true) => "missing",
                (None, false) => "upcoming",
            }
            .into(),
            recording: entry.recording.as_ref().map(RecordingView::from),
        })
        .collect())
}

/// A recording's file if the principal may see its class; the download is audited.
pub async fn recording_file(
    context: &Context,
    principal: &Principal,
    id: i64,
    download: bool,
    range: Option<&str>,
) -> Result<StoredFile, ServiceError> {
    // One answer, naming no id or class, for a recording missing or out of scope.
    let not_found = || ServiceError::not_found("recording_not_found", "未找到该录像，或您无权查看");
    let recording = context.store.recording(id).await?.ok_or_else(not_found)?;
    super::class_of_record(context, principal, recording.class_id, not_found).await?;
    let RecordingSource::File(relative) = &recording.source else {
        return Err(ServiceError::conflict(
            "recording_external",
            "该录像存放在外部存储，请按登记的位置调阅",
        ));
    };
    let path = files::stored_path(&context.data_dir, relative)?;
    // Every download is audited; a play is audited when it starts (not at every seek).
    let starts = range
        .is_none_or(|range| range.trim() == "bytes=0-" || range.trim().starts_with("bytes=0-"));
    if download || starts {
        let action = if download {
            "recording.download"
        } else {
            "recording.play"
        };
        crate::audit::record(
            context,
            principal,
            crate::audit::Event::success(action, "recording", id.to_string()),
        )
        .await?;
    }
    let extension = relative.rsplit('.').next().unwrap_or("bin");
    let name = format!(
        "recording-{}-session-{}.{extension}",
        recording.id, recording.session_id
    );
    Ok(StoredFile {
        path,
        content_type: recording.content_type.clone(),
        download_name: download.then_some(name),
    })
}

/// The learning material of an online session: for its enrolled trainees, the institution and
/// supervisors in scope.
pub async fn material_file(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<StoredFile, ServiceError> {
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    if let Some(dte_domain::Scope::Person(person_id)) = principal.user().map(|user| user.scope())
        && !context.store.actively_enrolled(class.id, person_id).await?
    {
        return Err(super::check_in::session_not_found());
    }
    let material =
        context.store.material(session.id).await?.ok_or_else(|| {
            ServiceError::not_found("material_not_found", "该课次尚未上传学习资料")
        })?;
    let path = files::stored_path(&context.data_dir, &material.file_path)?;
    Ok(StoredFile {
        path,
        content_type: material.content_type,
        download_name: None,
    })
}
