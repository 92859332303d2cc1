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
use dte_app::classes::documents;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

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
        documents::store_document(&state, &caller, id, &query.kind, &query.file_name, &body)
            .await?;
    Ok((StatusCode::CREATED, Json(Document::from(document))))
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
    let documents = documents::documents(&state, &caller, id).await?;
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
    let (meta, bytes) = documents::read(&state, &caller, id).await?;
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
