//! DTE's security primitives: encryption of personal data at rest, blind indexes, password
//! hashing and policy, random tokens, the classroom's rotating check-in code, and the audit
//! log's hash chain.
//!
//! This crate only computes. It opens no file, database or socket and reads no clock; the
//! caller passes times in and stores what it returns. Randomness comes from the operating
//! system's generator (`rand::rngs::OsRng`), and every function that draws randomness has a
//! `_with_rng` twin so that tests can pass a seeded generator.
//!
//! # What each part answers to
//!
//! | part | module | anchors |
//! |---|---|---|
//! | [`Keyring::encrypt`], [`Keyring::decrypt`]: AES-256-GCM envelopes with key ids | `keyring`, `envelope` | PIPL art. 51 (encryption of personal information); GB/T 35273-2020 6.3 a (sensitive personal information stored encrypted); GB/T 22239-2019 8.1.4.8 b (confidentiality of important personal data in storage); ASVS 5.0 V11.3.2, V11.3.3, V11.2.2 (crypto agility and re-encryption) |
//! | [`Keyring::blind_index`]: keyed HMAC-SHA256 look-up values | `keyring`, `envelope` | PIPL art. 51 (de-identification); ASVS 5.0 V11.4.1 |
//! | [`hash_password`], [`verify_password`]: Argon2id PHC strings | `password` | ASVS 5.0 V11.4.2; GB/T 22239-2019 8.1.4.8 b (authentication data kept confidential) |
//! | [`check_password_policy`] | `policy` | ASVS 5.0 V6.2.1, V6.2.4, V6.2.9, V6.2.11; GB/T 22239-2019 8.1.4.1 a (complexity) |
//! | [`new_token`], [`token_digest`], [`activation_code`], [`constant_time_eq`] | `token` | ASVS 5.0 V11.5.1, V6.4.1, V6.5.2–V6.5.4, V11.2.4 |
//! | [`rotating_code::code_for`], [`rotating_code::accepts`], [`SessionSecret`]: the classroom's rotating check-in code (TOTP with HMAC-SHA256, 30 s, 6 digits) | `rotating_code` (public, called by its path) | RFC 6238; RFC 4226 5.3 (dynamic truncation); ASVS 5.0 V11.2.4 (constant-time comparison) |
//! | [`CertificateKey`], [`verify_certificate_signature`]: Ed25519 signatures of certificates' canonical forms, the public key as JWK and PEM | `certificate_key` | RFC 8032; RFC 8037 (JWK `OKP`); RFC 8410 (SubjectPublicKeyInfo); issue 6 item 5 |
//! | [`chain_hash`], [`GENESIS`] | `chain` | GB/T 22239-2019 8.1.4.3 c (audit records protected from modification) |
//!
//! # The key file
//!
//! A keyring is text, one `name=value` item a line (see [`Keyring::parse`] for the full
//! grammar). [`Keyring::generate`] writes a fresh one:
//!
//! ```text
//! # DTE keyring (dte-keyring-v1). ...
//! current=k1
//! index=<64 hex digits>
//! k1=<64 hex digits>
//! ```
//!
//! The same items separated by `;` make the one-line form for an environment variable
//! (`DTE_KEYRING="current=k1;index=…;k1=…"`).
//!
//! * `kN=` lines are the 256-bit data-encryption keys. Encryption always uses the `current=`
//!   key (or the first key when there is no `current=` line); decryption finds the key named in
//!   the envelope, so old keys stay in the file until every envelope has been re-encrypted.
//!   To rotate: add a new key, point `current=` at it ([`Keyring::rotated_key_file`] does
//!   both), restart, then re-encrypt every row for which [`Keyring::needs_rotation`] is true
//!   with [`Keyring::reencrypt`], and only then delete the old line.
//! * `index=` is the blind-index key. It does **not** rotate with the encryption keys: every
//!   stored blind index was computed with it, so changing it means recomputing every blind
//!   index from the decrypted values (a full re-indexing) before look-ups work again.
//!
//! Losing the key file makes every encrypted field unreadable: back it up apart from the
//! database (a stolen database backup must not carry its own key).
//!
//! # Passwords are CPU-heavy
//!
//! [`hash_password`] and [`verify_password`] with the production parameters each take tens of
//! milliseconds of one core and 19 MiB of memory. An async caller must run them on a blocking
//! thread (`tokio::task::spawn_blocking`) behind a semaphore that bounds how many run at once
//! (for example the number of cores), or a burst of log-ins stalls the runtime and exhausts
//! memory. Log-in must also be rate limited (ASVS 5.0 V6.3.1).
//!
//! # Algorithms and the Chinese commercial ciphers (SM3, SM4)
//!
//! AES-256-GCM, HMAC-SHA256, SHA-256 and Argon2id are the internationally approved choices
//! that ASVS 5.0 Appendix V names. An assessment against GB/T 39786-2021 (密码应用安全性评估,
//! 密评) for an MLPS level 3 system usually expects the commercial cipher suite instead: SM4 in
//! GCM mode for data at rest, HMAC-SM3 for blind indexes and SM3 for the audit chain. The
//! formats here leave room for that switch without a flag day: envelopes carry a version
//! (`v1.` today, an `v2.` could mean SM4-GCM) and the key id, and the chain hash could gain a
//! version prefix. The RustCrypto `sm3` and `sm4` crates exist, but they are not certified
//! products, which is what 密评 asks for; the switch is a procurement question as much as a
//! code change, so this crate does not make it.

mod certificate_key;
mod chain;
mod envelope;
mod error;
mod keyring;
mod password;
mod policy;
pub mod rotating_code;
mod token;

pub use certificate_key::{CertificateKey, CertificateKeyError, verify_certificate_signature};
pub use chain::{GENESIS, chain_hash, verify_chain};
pub use error::CryptoError;
pub use keyring::{KEY_FILE_FORMAT, Keyring};
pub use password::{
    PasswordParams, hash_password, hash_password_with, password_needs_rehash, verify_password,
    verify_password_for_unknown_user,
};
pub use policy::{
    CharClass, MAX_PASSWORD_CHARS, MIN_CHAR_CLASSES, MIN_PASSWORD_CHARS, PasswordPolicyError,
    check_password_policy, generate_password, password_policy_violations,
};
pub use rotating_code::SessionSecret;
pub use token::{
    ACTIVATION_CODE_ALPHABET, activation_code, activation_code_with_rng, constant_time_eq,
    new_token, new_token_with_rng, normalize_activation_code, random_seed, sha256_hex,
    token_digest,
};
