//! Documents of an enrolment: the photo (二寸免冠照片), the proofs of a subsidised category and
//! the signed commitment letter (承诺书). Uploaded by the class's institution, read within
//! scope; each file is checked by its first bytes, hashed (SHA-256) and audited.

use super::{actor, class_of_record};
use crate::{Context, Principal, ServiceError};
use dte_store::DocumentMeta;

/// The largest document accepted, in bytes.
pub const MAX_DOCUMENT_BYTES: usize = 5 * 1024 * 1024;

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

/// A picture refused by `dte_pdf::picture::check_picture`, as the service's refusal of `field`
/// (with the code `image_too_large` when it is too large).
pub(crate) fn refused_picture(field: &str, error: &dte_pdf::picture::PictureError) -> ServiceError {
    let mut refusal = ServiceError::invalid(field, error.to_string());
    if let Some(code) = error.code() {
        refusal.code = code;
    }
    refusal
}

/// Checks and stores one document for an enrolment of the principal's own class.
pub async fn store_document(
    context: &Context,
    principal: &Principal,
    enrolment_id: i64,
    kind: &str,
    file_name: &str,
    bytes: &[u8],
) -> Result<DocumentMeta, ServiceError> {
    let kind = match kind {
        "photo" | "proof" | "commitment" => kind,
        _ => {
            return Err(ServiceError::invalid(
                "kind",
                "材料类型应为 photo（照片）、proof（补贴类别证明）或 commitment（承诺书）",
            ));
        }
    };
    let class = enrolment_in_scope(context, principal, enrolment_id, enrolment_not_found).await?;
    crate::access::authorize(
        principal,
        dte_domain::access::Action::UploadDocument,
        &crate::access::class_record(&class),
    )?;
    if bytes.is_empty() || bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ServiceError::invalid("file", "文件须为 1 字节至 5 MB"));
    }
    let content_type = sniff(bytes)
        .ok_or_else(|| ServiceError::invalid("file", "只接受 JPEG、PNG 图片或 PDF 文件"))?;
    if kind == "photo" && content_type == "application/pdf" {
        return Err(ServiceError::invalid("file", "照片须为 JPEG 或 PNG 图片"));
    }
    // A picture is measured from its header, so that none decoded later (a photo is printed on
    // the level certificate) can be a bomb.
    if content_type != "application/pdf"
        && let Err(error @ dte_pdf::picture::PictureError::TooLarge(_)) =
            dte_pdf::picture::check_picture(bytes)
    {
        return Err(refused_picture("file", &error));
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
    let id = context
        .store
        .add_document(&document, &actor(context, principal))
        .await?;
    Ok(DocumentMeta {
        id,
        enrolment_id,
        kind: kind.to_owned(),
        file_name,
        content_type: content_type.to_owned(),
        sha256,
        size: i64::try_from(bytes.len())
            .map_err(|_| ServiceError::invalid("file", "文件须为 1 字节至 5 MB"))?,
        uploaded_at: context.clock.now(),
    })
}

/// The answer for an enrolment that is missing or outside the caller's scope: one answer for
/// both, without the id (issue 15 item 4).
fn enrolment_not_found() -> ServiceError {
    ServiceError::not_found("enrolment_not_found", "未找到该报名记录，或您无权查看")
}

/// The class of an enrolment, if the principal's scope holds it; a missing enrolment and one
/// of a class outside the scope both get `not_found`.
async fn enrolment_in_scope(
    context: &Context,
    principal: &Principal,
    enrolment_id: i64,
    not_found: impl Fn() -> ServiceError,
) -> Result<dte_store::ClassRow, ServiceError> {
    let class_id = context
        .store
        .enrolment_class(enrolment_id)
        .await?
        .ok_or_else(&not_found)?;
    class_of_record(context, principal, class_id, not_found).await
}

/// The class id of an enrolment in the principal's scope (a page goes back to it).
pub async fn class_of_enrolment(
    context: &Context,
    principal: &Principal,
    enrolment_id: i64,
) -> Result<i64, ServiceError> {
    Ok(
        enrolment_in_scope(context, principal, enrolment_id, enrolment_not_found)
            .await?
            .id,
    )
}

/// The documents of an enrolment within scope.
pub async fn documents(
    context: &Context,
    principal: &Principal,
    enrolment_id: i64,
) -> Result<Vec<DocumentMeta>, ServiceError> {
    enrolment_in_scope(context, principal, enrolment_id, enrolment_not_found).await?;
    Ok(context.store.documents(enrolment_id).await?)
}

/// One document with its bytes, within scope; every read is audited.
pub async fn read(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<(DocumentMeta, Vec<u8>), ServiceError> {
    let not_found = || ServiceError::not_found("document_not_found", "未找到该材料，或您无权查看");
    let (meta, bytes) = context.store.document(id).await?.ok_or_else(not_found)?;
    enrolment_in_scope(context, principal, meta.enrolment_id, not_found).await?;
    crate::audit::record(
        context,
        principal,
        crate::audit::Event::success("document.read", "document", id.to_string()),
    )
    .await?;
    Ok((meta, bytes))
}
