//! The key that signs certificates: Ed25519 (RFC 8032) over each certificate's canonical form
//! (`dte_domain::certificate::SignedFields::canonical`).
//!
//! The secret is 32 bytes, kept as text `dte-certificate-key-v1:<64 hex digits>` in a 0600 file
//! in the data folder or in the environment, never in the database. Its id is the first 16
//! hex digits of the SHA-256 of the public key, so a verifier can pick the right public key
//! after a rotation. Signatures are written base64url without padding (86 characters); the
//! public key is published as a JWK (RFC 8037: `kty` `OKP`, `crv` `Ed25519`, `x`).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand::RngCore;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// The prefix of a certificate key's text form.
const KEY_PREFIX: &str = "dte-certificate-key-v1:";

/// The key that signs certificates. Its `Debug` shows the key id only.
pub struct CertificateKey {
    signing: SigningKey,
    key_id: String,
}

/// The text is not a certificate key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("证书签名密钥应为 dte-certificate-key-v1: 后接 64 位十六进制数字")]
pub struct CertificateKeyError;

impl std::fmt::Debug for CertificateKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "CertificateKey({})", self.key_id)
    }
}

impl CertificateKey {
    /// A fresh key's text form, from the operating system's generator.
    pub fn generate() -> String {
        let mut secret = Zeroizing::new([0u8; 32]);
        rand::rngs::OsRng.fill_bytes(secret.as_mut());
        format!("{KEY_PREFIX}{}\n", hex::encode(secret.as_ref()))
    }

    /// Reads a key's text form (surrounding whitespace ignored).
    pub fn parse(text: &str) -> Result<CertificateKey, CertificateKeyError> {
        let digits = text
            .trim()
            .strip_prefix(KEY_PREFIX)
            .ok_or(CertificateKeyError)?;
        let bytes = Zeroizing::new(hex::decode(digits).map_err(|_| CertificateKeyError)?);
        let secret: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| CertificateKeyError)?;
        let signing = SigningKey::from_bytes(&secret);
        let key_id = key_id_of(&signing.verifying_key());
        Ok(CertificateKey { signing, key_id })
    }

    /// The key's id: 16 hex digits of the SHA-256 of the public key.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// Signs `message` (the canonical form's UTF-8 bytes): base64url, no padding.
    pub fn sign(&self, message: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(self.signing.sign(message).to_bytes())
    }

    /// The public key, raw (32 bytes).
    pub fn public_key(&self) -> [u8; 32] {
        self.signing.verifying_key().to_bytes()
    }

    /// The public key as base64url (the JWK's `x`).
    pub fn public_key_base64url(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.public_key())
    }

    /// The public key as a PEM SubjectPublicKeyInfo (RFC 8410), for tools such as openssl.
    pub fn public_key_pem(&self) -> String {
        // SEQUENCE { SEQUENCE { OID 1.3.101.112 } BIT STRING { 0x00, key } }
        let mut der = vec![
            0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
        ];
        der.extend_from_slice(&self.public_key());
        let body = base64::engine::general_purpose::STANDARD.encode(der);
        format!("-----BEGIN PUBLIC KEY-----\n{body}\n-----END PUBLIC KEY-----\n")
    }
}

/// Checks a base64url Ed25519 signature of `message` by the raw public key `public_key`.
pub fn verify_certificate_signature(
    public_key: &[u8; 32],
    message: &[u8],
    signature: &str,
) -> bool {
    let Ok(bytes) = URL_SAFE_NO_PAD.decode(signature.trim()) else {
        return false;
    };
    let Ok(bytes): Result<[u8; 64], _> = bytes.as_slice().try_into() else {
        return false;
    };
    let Ok(key) = VerifyingKey::from_bytes(public_key) else {
        return false;
    };
    key.verify(message, &Signature::from_bytes(&bytes)).is_ok()
}

fn key_id_of(key: &VerifyingKey) -> String {
    hex::encode(&Sha256::digest(key.as_bytes())[..8])
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    /// RFC 8032 section 7.1, TEST 1: the empty message.
    #[test]
    fn rfc_8032_test_vector_1_signs_as_published() {
        let key = CertificateKey::parse(
            "dte-certificate-key-v1:9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
        )
        .unwrap();
        assert_eq!(
            hex::encode(key.public_key()),
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
        );
        let signature = URL_SAFE_NO_PAD.decode(key.sign(b"")).unwrap();
        assert_eq!(
            hex::encode(signature),
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        );
    }

    #[test]
    fn a_signature_verifies_and_fails_for_another_message_or_key() {
        let key = CertificateKey::parse(&CertificateKey::generate()).unwrap();
        let signature = key.sign("证书".as_bytes());
        assert_eq!(signature.len(), 86);
        assert!(verify_certificate_signature(
            &key.public_key(),
            "证书".as_bytes(),
            &signature
        ));
        assert!(!verify_certificate_signature(
            &key.public_key(),
            "证明".as_bytes(),
            &signature
        ));
        let other = CertificateKey::parse(&CertificateKey::generate()).unwrap();
        assert!(!verify_certificate_signature(
            &other.public_key(),
            "证书".as_bytes(),
            &signature
        ));
        assert!(!verify_certificate_signature(
            &key.public_key(),
            b"x",
            "not-base64!"
        ));
        assert_ne!(key.key_id(), other.key_id());
        assert_eq!(key.key_id().len(), 16);
        assert!(format!("{key:?}").contains(key.key_id()));
        assert!(!format!("{key:?}").contains(&CertificateKey::generate()[23..]));
        assert!(CertificateKey::parse("dte-certificate-key-v1:00").is_err());
        assert!(
            key.public_key_pem()
                .starts_with("-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA")
        );
    }
}
