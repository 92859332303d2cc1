//! Documents of an enrolment: the photo (二寸免冠照片), the proofs of a subsidised category and
//! the signed commitment letter (承诺书). Uploaded by the class's institution, read within
//! scope; each file is checked by its first bytes, hashed (SHA-256) and audited.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::classes::{class_for, enrol};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

/// What is uploaded.
#[derive(Debug, Deserialize, IntoParams)]
pub struct DocumentQuery {
    /// `photo`, `proof` or `commitment`.
    pub kind: String,
    /// The file's name as the uploader knows it.
    pub file_name: String,
}

/// A stored document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Document {
    pub id: i64,
    pub enrolment_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
}

impl From<dte_store::DocumentMeta> for Document {
    fn from(meta: dte_store::DocumentMeta) -> Document {
        Document {
            id: meta.id,
            enrolment_id: meta.enrolment_id,
            kind: meta.kind,
            file_name: meta.file_name,
            content_type: meta.content_type,
            sha256: meta.sha256,
            size: meta.size,
        }
    }
}

/// The type of a file by its first bytes: JPEG, PNG or PDF, nothing else.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// Checks and stores one document for an enrolment of the caller's own class.
pub async fn store_document(
    state: &AppState,
    caller: &Caller,
    enrolment_id: i64,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<Document, AppError> {
    let kind = match kind {
        "photo" | "proof" | "commitment" => kind,
        _ => {
            return Err(AppError::invalid(
                "kind",
                "材料类型应为 photo（照片）、proof（补贴类别证明）或 commitment（承诺书）",
            ));
        }
    };
    let not_found = || {
        AppError::not_found(
            "enrolment_not_found",
            format!("未找到编号为 {enrolment_id} 的报名记录"),
        )
    };
    let class_id = state
        .store
        .enrolment_class(enrolment_id)
        .await?
        .ok_or_else(not_found)?;
    enrol::own_class(state, caller, class_id).await?;
    if bytes.is_empty() || bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(AppError::invalid("file", "文件须为 1 字节至 5 MB"));
    }
    let content_type = sniff(bytes)
        .ok_or_else(|| AppError::invalid("file", "只接受 JPEG、PNG 图片或 PDF 文件"))?;
    if kind == "photo" && content_type == "application/pdf" {
        return Err(AppError::invalid("file", "照片须为 JPEG 或 PNG 图片"));
    }
    let file_name: String = file_name
        .trim()
        .chars()
        .filter(|character| !character.is_control() && !"/\\\"".contains(*character))
        .take(100)
        .collect();
    let file_name = if file_name.is_empty() {
        kind.to_owned()
    } else {
        file_name
    };
    let sha256 = dte_crypto::sha256_hex(bytes);
    let document = dte_store::NewDocument {
        enrolment_id,
        kind,
        file_name: &file_name,
        content_type,
        sha256: &sha256,
        content: bytes,
    };
    let id = state
        .store
        .add_document(&document, &dte_app::classes::actor(state, caller))
        .await?;
    Ok(Document {
        id,
        enrolment_id,
        kind: kind.to_owned(),
        file_name,
        content_type: content_type.to_owned(),
        sha256,
        size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
    })
}

/// Uploads a document (the file as the body) for an enrolment of the caller's own class.
#[utoipa::path(post, path = "/api/v1/enrolments/{id}/documents", tag = "enrolment", params(("id" = i64, Path, description = "Enrolment id"), DocumentQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "JPEG, PNG or PDF, at most 5 MB"),
    responses(
        (status = 201, body = Document, description = "Stored"),
        (status = 422, body = ErrorBody, description = "Wrong kind, type or size"),
    ))]
pub async fn upload(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(query): Query<DocumentQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<Document>), AppError> {
    let document =
        store_document(&state, &caller, id, &query.kind, &query.file_name, &body).await?;
    Ok((StatusCode::CREATED, Json(document)))
}

/// The documents of an enrolment within scope.
#[utoipa::path(get, path = "/api/v1/enrolments/{id}/documents", tag = "enrolment", params(("id" = i64, Path, description = "Enrolment id")), responses(
    (status = 200, body = crate::wire::Page<Document>, description = "The documents"),
    (status = 404, body = ErrorBody, description = "No such enrolment in scope"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<crate::wire::Page<Document>>, AppError> {
    let class_id = state
        .store
        .enrolment_class(id)
        .await?
        .ok_or_else(|| AppError::not_found("enrolment_not_found", "未找到该报名记录"))?;
    class_for(&state, &caller, class_id).await?;
    let documents = state.store.documents(id).await?;
    Ok(Json(crate::wire::Page::complete(
        documents.into_iter().map(Document::from).collect(),
    )))
}

/// One document's file, within scope; every download is audited.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "enrolment", params(("id" = i64, Path, description = "Document id")), responses(
    (status = 200, description = "The file"),
    (status = 404, body = ErrorBody, description = "No such document in scope"),
))]
pub async fn download(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let not_found =
        || AppError::not_found("document_not_found", format!("未找到编号为 {id} 的材料"));
    let (meta, bytes) = state.store.document(id).await?.ok_or_else(not_found)?;
    let class_id = state
        .store
        .enrolment_class(meta.enrolment_id)
        .await?
        .ok_or_else(not_found)?;
    class_for(&state, &caller, class_id).await?;
    dte_app::audit::record(
        &state,
        &caller,
        dte_app::audit::Event::success("document.read", "document", id.to_string()),
    )
    .await?;
    Ok((
        [
            (header::CONTENT_TYPE, meta.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"document-{id}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response())
}
