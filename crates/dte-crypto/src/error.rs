//! The one error type of the crate's fallible operations (the password policy has its own).

/// What went wrong in a cryptographic operation.
///
/// No variant carries key material or plaintext: a key-file error names the line number and
/// the rule broken, never the line's text, so an error can be logged as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    /// The key file or key environment value breaks the format of [`crate::KEY_FILE_FORMAT`].
    #[error("key file item {item}: {reason}")]
    KeyFile {
        /// The one-based position of the offending item (a line, or a `;`-separated part).
        item: usize,
        /// The rule that the item breaks, in plain words.
        reason: &'static str,
    },
    /// The key file as a whole is incomplete or inconsistent.
    #[error("key file: {0}")]
    KeyFileIncomplete(&'static str),
    /// The text is not an envelope of a version this crate reads.
    #[error("not an encrypted value of the form v1.<key id>.<data>")]
    MalformedEnvelope,
    /// The envelope names a key that is not in the keyring.
    #[error("the value was encrypted with key `{key_id}`, which the keyring does not hold")]
    UnknownKey {
        /// The key id named in the envelope; key ids are not secret.
        key_id: String,
    },
    /// Authentication failed: the envelope was altered, the associated data differs from the
    /// one used to encrypt, or a different key is filed under the same id.
    #[error("the encrypted value failed authentication (altered, or wrong associated data)")]
    Decryption,
    /// The Argon2 library refused to hash (an out-of-range parameter set).
    #[error("password hashing failed: {0}")]
    PasswordHash(String),
}
