//! Signatures of certificates (issue 6 item 5): each certificate's canonical form
//! (`dte_domain::certificate::SignedFields::canonical`) signed with the service's Ed25519 key;
//! the verification address that carries the signature (the QR code's content); the public
//! keys as a JWK set at `/.well-known/dte-certificate-keys.json`; and the certificate as a
//! W3C Verifiable Credential (Open Badges 3.0 `OpenBadgeCredential`) with a proof that embeds
//! the canonical form and its signature, so it is checked with the published key alone.

use dte_crypto::{CertificateKey, verify_certificate_signature};
use dte_domain::certificate::SignedFields;
use dte_domain::flags::MaskedName;
use dte_store::{CertificateRow, CertificateSignature};
use serde_json::{Value, json};

/// Signs a certificate's fields (the store's callback when issuing).
pub fn sign(key: &CertificateKey, fields: &SignedFields) -> CertificateSignature {
    CertificateSignature {
        signature: key.sign(fields.canonical().as_bytes()),
        key_id: key.key_id().to_owned(),
    }
}

/// Whether `signature` is the service key's signature of the certificate's stored fields.
pub fn signature_matches(key: &CertificateKey, row: &CertificateRow, signature: &str) -> bool {
    verify_certificate_signature(
        &key.public_key(),
        row.signed_fields().canonical().as_bytes(),
        signature,
    )
}

/// The public verification address of a certificate, carrying its signature and key id:
/// what the QR code encodes. `public_url` has no trailing slash.
pub fn verification_url(public_url: &str, row: &CertificateRow) -> String {
    format!(
        "{public_url}/verify?number={}&s={}&k={}",
        query_escape(&row.number),
        row.signature.signature,
        row.signature.key_id
    )
}

/// The published keys: a JWK set (RFC 7517, RFC 8037) with the key id, plus the PEM form for
/// tools such as `openssl pkeyutl -verify -pubin -rawin`.
pub fn key_set(key: &CertificateKey) -> Value {
    json!({
        "keys": [{
            "kty": "OKP",
            "crv": "Ed25519",
            "x": key.public_key_base64url(),
            "kid": key.key_id(),
            "use": "sig",
            "alg": "EdDSA",
            "pem": key.public_key_pem(),
        }],
        "canonical_form": "dte-certificate-v1: the certificate's fields as one JSON object, keys sorted, no whitespace (RFC 8785); see README",
    })
}

/// The certificate as a Verifiable Credential (VC Data Model 2.0, Open Badges 3.0).
pub fn credential(public_url: &str, row: &CertificateRow) -> Value {
    let fields = row.signed_fields();
    let achievement_name = format!(
        "{} {} {}",
        row.kind().label(),
        row.occupation_name,
        row.level.label()
    );
    json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("{public_url}/api/v1/certificates/{}", query_escape(&row.number)),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": row.kind().label(),
        "issuer": {
            "id": format!("{public_url}/institutions#{}", row.issuer_institution_id),
            "type": ["Profile"],
            "name": row.issuer_name,
        },
        "validFrom": format!("{}T00:00:00+08:00", row.issued_on),
        "credentialStatus": {
            "id": format!("{public_url}/api/v1/certificates/{}", query_escape(&row.number)),
            "type": "DteCertificateStatus",
            "status": row.status.as_str(),
        },
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": row.holder_name,
            "achievement": {
                "id": format!("{public_url}/occupations#{}", row.occupation.as_str()),
                "type": ["Achievement"],
                "name": achievement_name,
                "criteria": {"narrative": criteria(row)},
                "description": format!("证书编号 {}", row.number),
            },
        },
        "proof": {
            "type": "DataIntegrityProof",
            "cryptosuite": "dte-ed25519-jcs-2026",
            "created": row.issued_at.to_rfc3339(),
            "verificationMethod": format!(
                "{public_url}/.well-known/dte-certificate-keys.json#{}", row.signature.key_id
            ),
            "proofPurpose": "assertionMethod",
            "canonicalForm": fields.canonical(),
            "proofValue": row.signature.signature,
        },
    })
}

/// The public, masked summary's holder name.
pub fn masked_holder(row: &CertificateRow) -> String {
    MaskedName::mask(&row.holder_name).as_str().to_owned()
}

fn criteria(row: &CertificateRow) -> String {
    match row.kind() {
        dte_domain::CertificateKind::Training => {
            "参加培训并考核合格，出勤达到结业要求（辽宁省数字技术工程师培育项目）".to_owned()
        }
        dte_domain::CertificateKind::Level => {
            "通过专业技术等级考核（理论知识与专业能力）".to_owned()
        }
    }
}

/// Percent-encodes a query value (numbers are ASCII letters, digits and `-`, but be safe).
pub fn query_escape(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}
