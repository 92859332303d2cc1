//! The keyring: the data-encryption keys and the blind-index key, loaded from a key file's text.

use std::fmt::{self, Write as _};
use std::str::FromStr;

use rand::rngs::OsRng;
use rand::{CryptoRng, RngCore};
use zeroize::Zeroizing;

use crate::CryptoError;

/// The name of the key file format, written into the header of every generated key file.
pub const KEY_FILE_FORMAT: &str = "dte-keyring-v1";

/// The longest key id accepted; ids travel in every envelope, so they stay short.
const MAX_KEY_ID_LEN: usize = 16;

/// The comment that opens every generated key file. It must not contain `;`, which separates
/// items in the one-line form.
const KEY_FILE_HEADER: &str = "\
# DTE keyring (dte-keyring-v1). SECRET: readable by the service account only (mode 0600).
# Back it up apart from the database: without it the encrypted personal data cannot be read.
# kN= lines are AES-256-GCM data keys and current= names the one that encrypts new values.
# index= is the blind-index key. It never rotates: changing it means recomputing every blind
# index from the decrypted data.
";

/// Personal-data keys: one or more 256-bit AES-256-GCM keys, each under a short id with one of
/// them current, and one 256-bit blind-index key that never rotates.
///
/// The keys never print: `Debug` shows the key ids only, and no method returns a key except
/// the two that write a whole key file ([`Keyring::generate`], [`Keyring::rotated_key_file`]).
#[derive(Clone)]
pub struct Keyring {
    /// The data-encryption keys in the order of the key file.
    pub(crate) keys: Vec<(String, SecretKey)>,
    /// The position in `keys` of the key that encrypts.
    pub(crate) current: usize,
    /// The root key of the blind indexes; one sub-key per kind is derived from it.
    pub(crate) index_key: SecretKey,
}

/// A 256-bit secret that is wiped from memory when dropped and never printed.
#[derive(Clone)]
pub(crate) struct SecretKey(Zeroizing<[u8; 32]>);

impl Keyring {
    /// Reads a keyring from a key file's text or from its one-line environment form.
    ///
    /// The grammar (format `dte-keyring-v1`):
    ///
    /// * The text is split into lines, and each line that does not start with `#` is split
    ///   again at `;`. Each resulting item is trimmed; empty items and `#` comment lines are
    ///   skipped. So `current=k1;index=…;k1=…` on one line reads the same as three lines.
    /// * `current=<id>` (at most once) names the key that encrypts. Without it the first key
    ///   in the text is current.
    /// * `index=<64 hex digits>` (exactly once) is the blind-index key.
    /// * `<id>=<64 hex digits>` (one or more) is a data-encryption key. An id is 1 to 16 ASCII
    ///   letters, digits, `_` or `-`, other than `current` and `index`; ids must be distinct.
    ///
    /// Keys of all zeros, and the same key under two names (including the index key), are
    /// refused as copy-paste accidents. Errors name the item's position, never its text.
    pub fn parse(text: &str) -> Result<Keyring, CryptoError> {
        let mut current_id: Option<String> = None;
        let mut index_key: Option<SecretKey> = None;
        let mut keys: Vec<(String, SecretKey)> = Vec::new();
        let mut position = 0;
        for line in text.lines() {
            if line.trim_start().starts_with('#') {
                position += 1;
                continue;
            }
            for raw_item in line.split(';') {
                position += 1;
                let item = raw_item.trim();
                if item.is_empty() {
                    continue;
                }
                let error = |reason| CryptoError::KeyFile {
                    item: position,
                    reason,
                };
                let Some((name, value)) = item.split_once('=') else {
                    return Err(error("expected name=value"));
                };
                let (name, value) = (name.trim(), value.trim());
                match name {
                    "current" => {
                        if current_id.is_some() {
                            return Err(error("a second current= item"));
                        }
                        if !is_valid_key_id(value) {
                            return Err(error("current= names an invalid key id"));
                        }
                        current_id = Some(value.to_owned());
                    }
                    "index" => {
                        if index_key.is_some() {
                            return Err(error("a second index= item"));
                        }
                        index_key = Some(SecretKey::from_hex(value).map_err(error)?);
                    }
                    id => {
                        if !is_valid_key_id(id) {
                            return Err(error(
                                "a key id is 1 to 16 ASCII letters, digits, '_' or '-'",
                            ));
                        }
                        if keys.iter().any(|(known, _)| known == id) {
                            return Err(error("a key id appears twice"));
                        }
                        keys.push((id.to_owned(), SecretKey::from_hex(value).map_err(error)?));
                    }
                }
            }
        }
        let Some(index_key) = index_key else {
            return Err(CryptoError::KeyFileIncomplete(
                "no blind-index key (an item index=<64 hex digits>)",
            ));
        };
        if keys.is_empty() {
            return Err(CryptoError::KeyFileIncomplete(
                "no data-encryption key (an item such as k1=<64 hex digits>)",
            ));
        }
        let current = match current_id {
            None => 0,
            Some(id) => keys.iter().position(|(known, _)| *known == id).ok_or(
                CryptoError::KeyFileIncomplete("current= names a key that is not in the file"),
            )?,
        };
        let mut all_secrets: Vec<&[u8; 32]> = keys.iter().map(|(_, key)| key.bytes()).collect();
        all_secrets.push(index_key.bytes());
        for (position, secret) in all_secrets.iter().enumerate() {
            if all_secrets[position + 1..].contains(secret) {
                return Err(CryptoError::KeyFileIncomplete(
                    "the same key appears under two names (keys must be distinct)",
                ));
            }
        }
        Ok(Keyring {
            keys,
            current,
            index_key,
        })
    }

    /// Returns the text of a new key file: key `k1` (current) and a blind-index key, each
    /// 256 bits from the operating system's generator.
    ///
    /// The caller writes it once, with mode 0600, and reads it back with [`Keyring::parse`].
    pub fn generate() -> String {
        Self::generate_with_rng(&mut OsRng)
    }

    /// [`Keyring::generate`] with the caller's generator (seeded in tests).
    pub fn generate_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> String {
        let index_key = SecretKey::random(rng);
        let first_key = SecretKey::random(rng);
        key_file_text("k1", &index_key, &[("k1", &first_key)])
    }

    /// Returns the text of this keyring's key file with one more data key, made current.
    ///
    /// The new key's id is `k<N+1>` where `N` is the highest number among ids of the form
    /// `k<number>`. The old keys stay so that existing envelopes still decrypt; the blind-index
    /// key is carried over unchanged. After restarting with the new file, re-encrypt every value
    /// for which [`Keyring::needs_rotation`] is true.
    pub fn rotated_key_file(&self) -> String {
        self.rotated_key_file_with_rng(&mut OsRng)
    }

    /// [`Keyring::rotated_key_file`] with the caller's generator (seeded in tests).
    pub fn rotated_key_file_with_rng<R: RngCore + CryptoRng>(&self, rng: &mut R) -> String {
        let highest = self
            .keys
            .iter()
            .filter_map(|(id, _)| id.strip_prefix('k')?.parse::<u32>().ok())
            .max()
            .unwrap_or(0);
        let new_id = format!("k{}", highest.saturating_add(1));
        let new_key = SecretKey::random(rng);
        let mut keys: Vec<(&str, &SecretKey)> = self
            .keys
            .iter()
            .map(|(id, key)| (id.as_str(), key))
            .collect();
        keys.push((&new_id, &new_key));
        key_file_text(&new_id, &self.index_key, &keys)
    }

    /// The id of the key that encrypts new values.
    pub fn current_key_id(&self) -> &str {
        &self.keys[self.current].0
    }

    /// The ids of all data-encryption keys, in the order of the key file.
    pub fn key_ids(&self) -> impl Iterator<Item = &str> {
        self.keys.iter().map(|(id, _)| id.as_str())
    }

    /// The current key and its id.
    pub(crate) fn current_key(&self) -> (&str, &SecretKey) {
        let (id, key) = &self.keys[self.current];
        (id, key)
    }

    /// The key filed under `key_id`, if the keyring holds it.
    pub(crate) fn key(&self, key_id: &str) -> Option<&SecretKey> {
        self.keys
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, key)| key)
    }
}

impl FromStr for Keyring {
    type Err = CryptoError;

    fn from_str(text: &str) -> Result<Keyring, CryptoError> {
        Keyring::parse(text)
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ids: Vec<&str> = self.key_ids().collect();
        formatter
            .debug_struct("Keyring")
            .field("current", &self.current_key_id())
            .field("keys", &ids)
            .field("index_key", &self.index_key)
            .finish()
    }
}

impl SecretKey {
    /// Draws a fresh key from `rng`.
    fn random<R: RngCore + CryptoRng>(rng: &mut R) -> SecretKey {
        let mut bytes = Zeroizing::new([0u8; 32]);
        rng.fill_bytes(bytes.as_mut());
        SecretKey(bytes)
    }

    /// Reads a key written as exactly 64 hexadecimal digits.
    fn from_hex(text: &str) -> Result<SecretKey, &'static str> {
        let mut bytes = Zeroizing::new([0u8; 32]);
        if text.len() != 64 {
            return Err("a key is exactly 64 hexadecimal digits (256 bits)");
        }
        hex::decode_to_slice(text, bytes.as_mut())
            .map_err(|_| "a key is exactly 64 hexadecimal digits (256 bits)")?;
        if bytes.iter().all(|byte| *byte == 0) {
            return Err("a key of all zeros is a placeholder, not a key");
        }
        Ok(SecretKey(bytes))
    }

    /// The key's bytes, for the cipher and the MAC only.
    pub(crate) fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The key as 64 lowercase hexadecimal digits, for writing a key file only.
    fn to_hex(&self) -> Zeroizing<String> {
        Zeroizing::new(hex::encode(self.0.as_ref()))
    }
}

impl fmt::Debug for SecretKey {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("<redacted>")
    }
}

/// Whether `id` may name a key: short, and free of the envelope's `.` separator.
fn is_valid_key_id(id: &str) -> bool {
    (1..=MAX_KEY_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
        && id != "current"
        && id != "index"
}

/// Writes a key file: the header, `current=`, `index=` and the data keys in order.
fn key_file_text(current: &str, index_key: &SecretKey, keys: &[(&str, &SecretKey)]) -> String {
    // Writing into a `String` cannot fail, so the `fmt::Result`s are ignored.
    let mut text = String::from(KEY_FILE_HEADER);
    let _ = writeln!(text, "current={current}");
    let _ = writeln!(text, "index={}", index_key.to_hex().as_str());
    for (id, key) in keys {
        let _ = writeln!(text, "{id}={}", key.to_hex().as_str());
    }
    text
}

#[cfg(test)]
#[path = "keyring_tests.rs"]
mod tests;
