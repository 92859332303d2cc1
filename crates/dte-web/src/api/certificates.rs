//! Public certificate verification by number.
//!
//! No certificate is issued yet (issuing comes with the certificates capability), so every
//! number is answered 404 with the error body; the route, its contract and its rate of
//! answers are fixed now so that verifiers can be built against it.

use crate::error::{AppError, ErrorBody};
use axum::extract::Path;

/// Verifies a certificate by its number: kind, status, masked holder, occupation, level,
/// issuer and date; 404 for an unknown number.
#[utoipa::path(get, path = "/api/v1/certificates/{number}", tag = "certificates",
    params(("number" = String, Path, description = "The certificate number printed on it")),
    responses(
        (status = 404, body = ErrorBody, description = "No certificate has this number"),
    ))]
pub async fn verify(Path(number): Path<String>) -> AppError {
    let shown: String = number.chars().take(64).collect();
    AppError::not_found(
        "certificate_not_found",
        format!("未找到编号为“{shown}”的证书，请核对证书编号"),
    )
}
