//! Encrypted personal data as text envelopes (`v1.<key id>.<data>`) and blind indexes for
//! exact look-up without decryption.

use aes_gcm::aead::{AeadInPlace, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce, Tag};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::rngs::OsRng;
use rand::{CryptoRng, RngCore};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::token::normalize_activation_code;
use crate::{CryptoError, Keyring};

/// The envelope version this crate writes and reads: AES-256-GCM, 96-bit random nonce.
const ENVELOPE_VERSION: &str = "v1";
/// The length of an AES-GCM nonce in bytes (96 bits, the size GCM is specified for).
const NONCE_LEN: usize = 12;
/// The length of an AES-GCM authentication tag in bytes.
const TAG_LEN: usize = 16;
/// The label that separates blind-index sub-keys from any other use of the index key.
const BLIND_INDEX_LABEL: &[u8] = b"dte-blind-index-v1\0";

impl Keyring {
    /// Encrypts `plaintext` with the current key and returns the envelope
    /// `v1.<key id>.<base64url(nonce || ciphertext || tag)>`.
    ///
    /// The 96-bit nonce is drawn at random for every call; with random nonces one key should
    /// seal fewer than 2^32 values (NIST SP 800-38D 8.3), far beyond this system's volume, and
    /// rotation resets the count. `associated_data` binds the ciphertext to its place, for
    /// example `b"trainee.resident_id:42"`: the same bytes must be passed to
    /// [`Keyring::decrypt`], so a value copied into another row or column fails to decrypt.
    /// The version and key id are bound too.
    ///
    /// # Panics
    ///
    /// Only when the plaintext exceeds AES-GCM's limit of 64 GiB, or when the operating
    /// system's random generator fails.
    pub fn encrypt(&self, plaintext: &str, associated_data: &[u8]) -> String {
        self.encrypt_with_rng(&mut OsRng, plaintext, associated_data)
    }

    /// [`Keyring::encrypt`] with the caller's generator for the nonce (seeded in tests).
    pub fn encrypt_with_rng<R: RngCore + CryptoRng>(
        &self,
        rng: &mut R,
        plaintext: &str,
        associated_data: &[u8],
    ) -> String {
        let (key_id, key) = self.current_key();
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key.bytes()));
        let mut nonce = [0u8; NONCE_LEN];
        rng.fill_bytes(&mut nonce);
        let aad = envelope_aad(key_id, associated_data);
        let mut sealed = Vec::with_capacity(NONCE_LEN + plaintext.len() + TAG_LEN);
        sealed.extend_from_slice(&nonce);
        sealed.extend_from_slice(plaintext.as_bytes());
        let tag = match cipher.encrypt_in_place_detached(
            &Nonce::from(nonce),
            &aad,
            &mut sealed[NONCE_LEN..],
        ) {
            Ok(tag) => tag,
            Err(_) => panic!("AES-GCM refuses plaintexts over 64 GiB"),
        };
        sealed.extend_from_slice(&tag);
        format!(
            "{ENVELOPE_VERSION}.{key_id}.{}",
            URL_SAFE_NO_PAD.encode(&sealed)
        )
    }

    /// Decrypts an envelope made by [`Keyring::encrypt`] with any key still in the keyring.
    ///
    /// Fails with [`CryptoError::Decryption`] when any character of the envelope was changed,
    /// when `associated_data` differs from the one used to encrypt, or when the key filed under
    /// the envelope's id is not the one that encrypted it.
    pub fn decrypt(&self, envelope: &str, associated_data: &[u8]) -> Result<String, CryptoError> {
        let (key_id, data) = split_envelope(envelope).ok_or(CryptoError::MalformedEnvelope)?;
        let key = self.key(key_id).ok_or_else(|| CryptoError::UnknownKey {
            key_id: key_id.to_owned(),
        })?;
        let sealed = URL_SAFE_NO_PAD
            .decode(data)
            .map_err(|_| CryptoError::MalformedEnvelope)?;
        if sealed.len() < NONCE_LEN + TAG_LEN {
            return Err(CryptoError::MalformedEnvelope);
        }
        let (nonce, rest) = sealed.split_at(NONCE_LEN);
        let (ciphertext, tag) = rest.split_at(rest.len() - TAG_LEN);
        let nonce: [u8; NONCE_LEN] = nonce
            .try_into()
            .map_err(|_| CryptoError::MalformedEnvelope)?;
        let tag: [u8; TAG_LEN] = tag.try_into().map_err(|_| CryptoError::MalformedEnvelope)?;
        let cipher = Aes256Gcm::new(&Key::<Aes256Gcm>::from(*key.bytes()));
        let aad = envelope_aad(key_id, associated_data);
        let mut plaintext = Zeroizing::new(ciphertext.to_vec());
        cipher
            .decrypt_in_place_detached(&Nonce::from(nonce), &aad, &mut plaintext, &Tag::from(tag))
            .map_err(|_| CryptoError::Decryption)?;
        // Only this crate writes envelopes, and it seals UTF-8 text, so an authentic envelope
        // always holds UTF-8; the check stays so that no `unsafe` or panic is needed.
        String::from_utf8(std::mem::take(&mut *plaintext)).map_err(|_| CryptoError::Decryption)
    }

    /// Whether the envelope should be re-encrypted: true unless it is a `v1` envelope sealed
    /// with the current key. Text that is not an envelope at all also answers true, so that a
    /// re-encryption pass reaches it and reports the error from [`Keyring::reencrypt`].
    pub fn needs_rotation(&self, envelope: &str) -> bool {
        match split_envelope(envelope) {
            Some((key_id, _)) => key_id != self.current_key_id(),
            None => true,
        }
    }

    /// Decrypts an envelope with whichever key sealed it and encrypts the plaintext again with
    /// the current key, under the same associated data.
    pub fn reencrypt(&self, envelope: &str, associated_data: &[u8]) -> Result<String, CryptoError> {
        let plaintext = Zeroizing::new(self.decrypt(envelope, associated_data)?);
        Ok(self.encrypt(&plaintext, associated_data))
    }

    /// A blind index of `normalized_value`: 64 lowercase hexadecimal digits that are equal for
    /// equal values of the same kind, for exact look-up and for duplicate detection across
    /// institutions without decrypting.
    ///
    /// `kind` separates domains ("resident_id", "phone", "activation_code"): the same value
    /// under two kinds gives unrelated indexes. Each kind gets its own sub-key,
    /// `HMAC-SHA256(index key, "dte-blind-index-v1\0" || kind || 0x01)` (HKDF-Expand of
    /// RFC 5869 for one block, with the uniformly random index key as the pseudorandom key),
    /// and the index is `HMAC-SHA256(sub-key, normalized_value)`.
    ///
    /// The caller normalizes first (a resident ID in its canonical form with an upper-case
    /// `X`, a phone number as its eleven digits), or equal values will not match. The index
    /// key does not rotate with the encryption keys; replacing it means recomputing every
    /// stored index. An index reveals equality, so it is as sensitive as a pseudonym under
    /// PIPL art. 73 (3) (de-identified data): never show it to users and never put it in a URL.
    pub fn blind_index(&self, kind: &str, normalized_value: &str) -> String {
        let sub_key = hmac_sha256(
            self.index_key.bytes(),
            &[BLIND_INDEX_LABEL, kind.as_bytes(), &[1]],
        );
        hex::encode(hmac_sha256(&sub_key, &[normalized_value.as_bytes()]))
    }

    /// The value to store for an activation code: its blind index under the kind
    /// `activation_code`, computed from the normalized code ([`normalize_activation_code`]).
    /// `None` when the typed text cannot be a code.
    ///
    /// An eight-character code holds only about 40 bits, so a plain hash could be reversed
    /// by trying every code; a keyed MAC cannot without the key file (OWASP ASVS 5.0 V6.5.2).
    pub fn activation_code_digest(&self, typed_code: &str) -> Option<String> {
        let code = normalize_activation_code(typed_code)?;
        Some(self.blind_index("activation_code", &code))
    }
}

/// Splits `v1.<key id>.<data>` into the key id and the data, or `None` when the text does
/// not have that shape.
fn split_envelope(envelope: &str) -> Option<(&str, &str)> {
    let mut parts = envelope.splitn(3, '.');
    let version = parts.next()?;
    let key_id = parts.next()?;
    let data = parts.next()?;
    if version != ENVELOPE_VERSION || key_id.is_empty() || data.is_empty() {
        return None;
    }
    Some((key_id, data))
}

/// The associated data actually authenticated: a label, the version and the key id, each
/// ended by a zero byte (none of them can contain one), then the caller's bytes.
fn envelope_aad(key_id: &str, associated_data: &[u8]) -> Vec<u8> {
    let mut aad = Vec::with_capacity(32 + associated_data.len());
    aad.extend_from_slice(b"dte-envelope\0");
    aad.extend_from_slice(ENVELOPE_VERSION.as_bytes());
    aad.push(0);
    aad.extend_from_slice(key_id.as_bytes());
    aad.push(0);
    aad.extend_from_slice(associated_data);
    aad
}

/// HMAC-SHA256 over the concatenation of `parts` with a 256-bit key.
///
/// HMAC pads a key shorter than the hash's 64-byte block with zeros (RFC 2104 section 2), so
/// padding it here first gives the same MAC while using the fixed-size constructor, which
/// cannot fail.
pub(crate) fn hmac_sha256(key: &[u8; 32], parts: &[&[u8]]) -> [u8; 32] {
    let mut block = Zeroizing::new([0u8; 64]);
    block[..32].copy_from_slice(key);
    let mut mac = <Hmac<Sha256> as KeyInit>::new(&(*block).into());
    for part in parts {
        mac.update(part);
    }
    mac.finalize().into_bytes().into()
}

#[cfg(test)]
#[path = "envelope_tests.rs"]
mod tests;
