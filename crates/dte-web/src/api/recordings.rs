//! Session recordings (全程录像) and learning materials: resumable uploads into the data folder,
//! reference registrations, the class's recording list, and playing or downloading a file.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::Page;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::{Extension, Json};
use dte_app::classes::recordings::{
    self, RecordingView, ReferenceRequest, SessionRecordingView, UploadRequest, UploadState,
};
use serde::Deserialize;

/// Starts an upload of a session's recording (`purpose: recording`, with its duration) or of an
/// online session's learning material (`purpose: material`), for the institution running the
/// class. Then send the bytes with `PUT /api/v1/uploads/{upload_id}`: the whole file in one
/// request up to 16 MiB, or chunks of at most 16 MiB each with `Content-Range: bytes
/// START-END/TOTAL`, in order. After a lost connection, `GET /api/v1/uploads/{upload_id}`
/// says how many bytes arrived; resume from there. The SHA-256 is computed while the bytes
/// stream in; on the last byte the file moves into place and is registered. Recordings up to
/// 16 GiB, materials up to 4 GiB.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/uploads", tag = "recordings", params(("id" = i64, Path, description = "Session id")), request_body = UploadRequest, responses(
    (status = 201, body = UploadState, description = "Started; send the bytes"),
    (status = 403, body = ErrorBody, description = "Not the institution running the class"),
    (status = 409, body = ErrorBody, description = "The session has a recording already"),
    (status = 413, body = ErrorBody, description = "Larger than allowed"),
    (status = 422, body = ErrorBody, description = "A field is wrong (named in `field`)"),
))]
pub async fn start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(request): AppJson<UploadRequest>,
) -> Result<(StatusCode, Json<UploadState>), AppError> {
    let started = recordings::start_upload(&state, &caller, id, &request).await?;
    Ok((StatusCode::CREATED, Json(started)))
}

/// How many bytes of an upload arrived (to resume).
#[utoipa::path(get, path = "/api/v1/uploads/{id}", tag = "recordings", params(("id" = String, Path, description = "Upload id")), responses(
    (status = 200, body = UploadState, description = "Bytes received so far"),
    (status = 404, body = ErrorBody, description = "No such upload for the caller"),
))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<UploadState>, AppError> {
    Ok(Json(recordings::upload_state(&state, &caller, &id).await?))
}

/// Sends bytes of an upload: the whole file, or the chunk named by `Content-Range: bytes
/// START-END/TOTAL` starting at the bytes already received (otherwise 409 `offset_mismatch`
/// says where to resume). On the last byte answers `complete` with the SHA-256 and the
/// registered recording.
#[utoipa::path(put, path = "/api/v1/uploads/{id}", tag = "recordings", params(("id" = String, Path, description = "Upload id")), request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The file's bytes, or one chunk of them"), responses(
    (status = 200, body = UploadState, description = "Received; complete when all bytes are in"),
    (status = 409, body = ErrorBody, description = "`offset_mismatch` (resume at the bytes received), `upload_busy` or `upload_complete`"),
    (status = 413, body = ErrorBody, description = "A chunk above 16 MiB, or more bytes than declared"),
))]
pub async fn put(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<UploadState>, AppError> {
    Ok(Json(
        recordings::receive_chunk(
            &state,
            &caller,
            &id,
            crate::files::chunk_range(&headers)?,
            body.into_data_stream(),
        )
        .await?,
    ))
}

/// Registers a recording kept in external storage, by its SHA-256, size and duration.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/recording", tag = "recordings", params(("id" = i64, Path, description = "Session id")), request_body = ReferenceRequest, responses(
    (status = 201, body = RecordingView, description = "Registered"),
    (status = 403, body = ErrorBody, description = "Not the institution running the class"),
    (status = 409, body = ErrorBody, description = "The session has a recording already"),
    (status = 422, body = ErrorBody, description = "A field is wrong (named in `field`), e.g. `sha256`"),
))]
pub async fn register(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(request): AppJson<ReferenceRequest>,
) -> Result<(StatusCode, Json<RecordingView>), AppError> {
    let registered = recordings::register_reference(&state, &caller, id, &request).await?;
    Ok((StatusCode::CREATED, Json(registered)))
}

/// Every session of a class with its recording state (`registered`, `missing`, `upcoming`).
#[utoipa::path(get, path = "/api/v1/classes/{id}/recordings", tag = "recordings", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = Page<SessionRecordingView>, description = "The class's sessions"),
    (status = 404, body = ErrorBody, description = "No such class in scope"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<Page<SessionRecordingView>>, AppError> {
    Ok(Json(Page::complete(
        recordings::class_recordings(&state, &caller, id).await?,
    )))
}

/// `?download=1` saves the file instead of playing it.
#[derive(Debug, Deserialize)]
pub struct FileQuery {
    pub download: Option<u8>,
}

/// A recording's file: plays in the browser with HTTP Range (206 for a range, 416 outside the
/// file) or, with `download=1`, downloads. Every download is audited, and so is each play from
/// the start.
#[utoipa::path(get, path = "/api/v1/recordings/{id}/file", tag = "recordings", params(("id" = i64, Path, description = "Recording id"), ("download" = Option<u8>, Query, description = "1 to download")), responses(
    (status = 200, description = "The whole file"),
    (status = 206, description = "The range asked"),
    (status = 404, body = ErrorBody, description = "No such recording in scope"),
    (status = 409, body = ErrorBody, description = "Kept in external storage"),
    (status = 416, description = "The range lies outside the file"),
))]
pub async fn file(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(query): Query<FileQuery>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let range = headers
        .get(axum::http::header::RANGE)
        .and_then(|value| value.to_str().ok());
    let file =
        recordings::recording_file(&state, &caller, id, query.download == Some(1), range).await?;
    crate::files::serve_stored(&file, &headers).await
}

/// The learning material of an online session (for its `<video>`, with HTTP Range).
#[utoipa::path(get, path = "/api/v1/sessions/{id}/material", tag = "online", params(("id" = i64, Path, description = "Session id")), responses(
    (status = 200, description = "The whole file"),
    (status = 206, description = "The range asked"),
    (status = 404, body = ErrorBody, description = "No material, or not in scope"),
))]
pub async fn material(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let file = recordings::material_file(&state, &caller, id).await?;
    crate::files::serve_stored(&file, &headers).await
}
