//! DTE's security primitives: encryption of personal data at rest, blind indexes, random
//! tokens and the audit log's hash chain (password hashing and policy to come).
//!
//! This crate only computes. It opens no file, database or socket and reads no clock; the
//! caller passes times in and stores what it returns. Randomness comes from the operating
//! system's generator (`rand::rngs::OsRng`), and every function that draws randomness has a
//! `_with_rng` twin so that tests can pass a seeded generator.

mod chain;
mod envelope;
mod error;
mod keyring;
mod token;

pub use chain::{GENESIS, chain_hash, verify_chain};
pub use error::CryptoError;
pub use keyring::{KEY_FILE_FORMAT, Keyring};
pub use token::{
    ACTIVATION_CODE_ALPHABET, activation_code, activation_code_with_rng, constant_time_eq,
    new_token, new_token_with_rng, normalize_activation_code, token_digest,
};
