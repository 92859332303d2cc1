//! Public verification (issue 6 item 4; SPEC's `GET /api/v1/certificates/{number}`): what
//! anyone may learn of a certificate by its number, with personal data masked; the optional
//! holder's name that deters enumeration; and the signature check of a QR code's address. The
//! per-address rate limit is the web layer's (`dte-web/src/rate_limit.rs`).
//!
//! **`name`** — without it, the answer shows the masked name (张*) and is the same for
//! everyone. With it, the name must be the holder's: a wrong name is answered exactly like an
//! unknown number (404), so walking numbers with a guessed name finds nothing; a right name
//! adds `name_matches: true`. The verification page always asks for it as optional.

use super::signing::{masked_holder, signature_matches};
use crate::Context;
use crate::ServiceError;
use dte_store::CertificateRow;
use serde::Serialize;
use utoipa::ToSchema;

/// The public answer for one certificate.
#[derive(Debug, Serialize, ToSchema)]
pub struct Verification {
    pub number: String,
    /// `training` (培训合格证书) or `level` (专业技术等级证书).
    pub kind: String,
    pub kind_label: String,
    /// `valid` or `revoked`.
    pub status: String,
    pub status_label: String,
    pub revocation_reason: Option<String>,
    pub revoked_on: Option<String>,
    /// The holder's name masked (张*).
    pub holder: String,
    /// Present (true) only when `name` was given and is the holder's.
    pub name_matches: Option<bool>,
    pub occupation: String,
    pub occupation_code: String,
    pub direction: Option<String>,
    /// `junior`, `intermediate` or `senior`.
    pub level: String,
    pub level_label: String,
    pub issuer: String,
    pub issued_on: String,
    /// `valid` when `s` was given and is the certificate's signature, `invalid` when given and
    /// not, absent when not asked.
    pub signature: Option<String>,
}

/// What a verifier asks.
#[derive(Debug, Default)]
pub struct Query<'a> {
    pub name: Option<&'a str>,
    pub signature: Option<&'a str>,
}

/// Looks a certificate up for the public; `None` for an unknown number or a wrong name.
pub async fn verify(
    context: &Context,
    number: &str,
    query: &Query<'_>,
) -> Result<Option<Verification>, ServiceError> {
    let Some(row) = context.store.certificate_by_number(number).await? else {
        return Ok(None);
    };
    let name = query.name.map(str::trim).filter(|name| !name.is_empty());
    if name.is_some_and(|name| name != row.holder_name) {
        return Ok(None);
    }
    let signature = query
        .signature
        .map(str::trim)
        .filter(|signature| !signature.is_empty())
        .map(|signature| {
            if signature_matches(&context.certificates.key, &row, signature) {
                "valid".to_owned()
            } else {
                "invalid".to_owned()
            }
        });
    Ok(Some(public_view(&row, name.is_some(), signature)))
}

fn public_view(row: &CertificateRow, name_given: bool, signature: Option<String>) -> Verification {
    Verification {
        number: row.number.clone(),
        kind: row.kind().as_str().to_owned(),
        kind_label: row.kind().label().to_owned(),
        status: row.status.as_str().to_owned(),
        status_label: row.status.label().to_owned(),
        revocation_reason: row.revocation.as_ref().map(|r| r.reason.clone()),
        revoked_on: row.revocation.as_ref().map(|r| r.on.to_string()),
        holder: masked_holder(row),
        name_matches: name_given.then_some(true),
        occupation: row.occupation_name.clone(),
        occupation_code: row.occupation.as_str().to_owned(),
        direction: row.direction.clone(),
        level: row.level.as_str().to_owned(),
        level_label: row.level.label().to_owned(),
        issuer: row.issuer_name.clone(),
        issued_on: row.issued_on.to_string(),
        signature,
    }
}
