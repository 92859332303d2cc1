//! Password storage: Argon2id in PHC string form, verification, and rehash detection.
//!
//! Both hashing and verifying are deliberately slow. Async callers run them with
//! `tokio::task::spawn_blocking` behind a semaphore that bounds how many run at once; see the
//! crate documentation.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use rand::rngs::OsRng;
use rand::{CryptoRng, RngCore};

use crate::CryptoError;
use crate::token::new_token;

/// Passwords longer than this many bytes are never verified (they cannot have passed the
/// policy's 128-character limit, which is at most 512 bytes of UTF-8); this bounds the work an
/// anonymous request can cause.
const MAX_VERIFIED_PASSWORD_BYTES: usize = 1024;

/// Argon2id cost parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PasswordParams {
    /// Memory per hash in KiB (Argon2's `m`).
    pub memory_kib: u32,
    /// Passes over the memory (Argon2's `t`).
    pub iterations: u32,
    /// Lanes (Argon2's `p`).
    pub parallelism: u32,
}

impl PasswordParams {
    /// The production parameters: m = 19456 KiB (19 MiB), t = 2, p = 1, the first Argon2id
    /// configuration of the OWASP Password Storage Cheat Sheet, which OWASP ASVS 5.0 V11.4.2
    /// points to. Each hash takes 19 MiB and tens of milliseconds of one core.
    pub const OWASP: PasswordParams = PasswordParams {
        memory_kib: 19_456,
        iterations: 2,
        parallelism: 1,
    };

    /// Argon2's minimum cost (8 KiB, one pass), so that test suites can create many accounts
    /// quickly. Never use it for a real account: [`password_needs_rehash`] reports every hash
    /// made with it.
    pub const FOR_TESTS_ONLY: PasswordParams = PasswordParams {
        memory_kib: 8,
        iterations: 1,
        parallelism: 1,
    };
}

/// Hashes a password with Argon2id and [`PasswordParams::OWASP`], with a fresh 128-bit salt,
/// and returns the PHC string (`$argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>`) to store.
///
/// CPU- and memory-heavy: run it off the async runtime (see the module documentation).
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    hash_password_with(password, PasswordParams::OWASP)
}

/// [`hash_password`] with chosen parameters, for tests ([`PasswordParams::FOR_TESTS_ONLY`])
/// or a future, costlier production setting.
pub fn hash_password_with(password: &str, params: PasswordParams) -> Result<String, CryptoError> {
    hash_password_with_rng(&mut OsRng, password, params)
}

/// Checks a password against a stored PHC string in constant time (the comparison is the
/// argon2 crate's). Answers false for a wrong password, for a PHC string that does not parse
/// or is not Argon2id, and for a password too long to have passed the policy.
///
/// CPU- and memory-heavy: run it off the async runtime (see the module documentation).
pub fn verify_password(password: &str, phc: &str) -> bool {
    if password.len() > MAX_VERIFIED_PASSWORD_BYTES {
        return false;
    }
    let Ok(hash) = PasswordHash::new(phc) else {
        return false;
    };
    if hash.algorithm != argon2::ARGON2ID_IDENT {
        return false;
    }
    Argon2::default()
        .verify_password(password.as_bytes(), &hash)
        .is_ok()
}

/// Does the work of a real [`verify_password`] and answers false. Call it when the user name
/// is unknown, so that the response time does not tell which user names exist (OWASP ASVS 5.0
/// V6.3.8).
pub fn verify_password_for_unknown_user(password: &str) -> bool {
    /// A hash of a random password nobody knows, made once with the production parameters.
    static UNKNOWN_USER_HASH: LazyLock<Option<String>> =
        LazyLock::new(|| hash_password(&new_token()).ok());
    if let Some(phc) = UNKNOWN_USER_HASH.as_deref() {
        // `black_box` keeps the optimizer from dropping work whose result is unused.
        std::hint::black_box(verify_password(std::hint::black_box(password), phc));
    }
    false
}

/// Whether a stored hash should be replaced at the user's next successful log-in: true when
/// it is not Argon2id version 0x13 or when any of its costs is below [`PasswordParams::OWASP`]
/// (and for text that does not parse).
pub fn password_needs_rehash(phc: &str) -> bool {
    let Ok(hash) = PasswordHash::new(phc) else {
        return true;
    };
    if hash.algorithm != argon2::ARGON2ID_IDENT || hash.version != Some(Version::V0x13.into()) {
        return true;
    }
    let Ok(params) = Params::try_from(&hash) else {
        return true;
    };
    let wanted = PasswordParams::OWASP;
    params.m_cost() < wanted.memory_kib
        || params.t_cost() < wanted.iterations
        || params.p_cost() < wanted.parallelism
}

/// Hashes with the caller's generator for the salt.
fn hash_password_with_rng<R: RngCore + CryptoRng>(
    rng: &mut R,
    password: &str,
    params: PasswordParams,
) -> Result<String, CryptoError> {
    let argon2_params = Params::new(
        params.memory_kib,
        params.iterations,
        params.parallelism,
        None,
    )
    .map_err(|error| CryptoError::PasswordHash(error.to_string()))?;
    let hasher = Argon2::new(Algorithm::Argon2id, Version::V0x13, argon2_params);
    let salt = SaltString::generate(rng);
    hasher
        .hash_password(password.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|error| CryptoError::PasswordHash(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asvs_v11_4_2_production_hashes_are_argon2id_phc_strings_with_the_owasp_costs() {
        let phc = hash_password("Liaoning-训练-2026!").unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(verify_password("Liaoning-训练-2026!", &phc));
        assert!(!verify_password("Liaoning-训练-2026?", &phc));
        assert!(!password_needs_rehash(&phc));
    }

    #[test]
    fn asvs_v11_4_2_a_password_verifies_only_against_its_own_salted_hash() {
        let params = PasswordParams::FOR_TESTS_ONLY;
        let first = hash_password_with("correct horse battery", params).unwrap();
        let second = hash_password_with("correct horse battery", params).unwrap();
        assert!(first.starts_with("$argon2id$"), "{first}");
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify_password("correct horse battery", &first));
        assert!(verify_password("correct horse battery", &second));
        assert!(!verify_password("correct horse batterY", &first));
        assert!(!verify_password("", &first));
    }

    #[test]
    fn asvs_v6_2_8_a_password_is_verified_exactly_as_typed_without_trimming_or_case_folding() {
        let phc = hash_password_with("Tab\tand space ", PasswordParams::FOR_TESTS_ONLY).unwrap();
        assert!(verify_password("Tab\tand space ", &phc));
        assert!(!verify_password("Tab\tand space", &phc));
        assert!(!verify_password("tab\tand space ", &phc));
    }

    #[test]
    fn malformed_foreign_or_oversized_input_never_verifies() {
        let phc = hash_password_with("x", PasswordParams::FOR_TESTS_ONLY).unwrap();
        assert!(!verify_password("x", "not a phc string"));
        assert!(!verify_password("x", ""));
        let argon2i = phc.replacen("$argon2id$", "$argon2i$", 1);
        assert!(!verify_password("x", &argon2i), "only Argon2id is accepted");
        let long = "x".repeat(MAX_VERIFIED_PASSWORD_BYTES + 1);
        let long_phc = hash_password_with(&long, PasswordParams::FOR_TESTS_ONLY).unwrap();
        assert!(!verify_password(&long, &long_phc));
    }

    #[test]
    fn hashes_below_the_owasp_costs_or_unparseable_need_rehashing() {
        let cheap = hash_password_with("x", PasswordParams::FOR_TESTS_ONLY).unwrap();
        assert!(cheap.starts_with("$argon2id$v=19$m=8,t=1,p=1$"), "{cheap}");
        assert!(password_needs_rehash(&cheap));
        assert!(password_needs_rehash("$2b$12$bcrypt.hash"));
        assert!(password_needs_rehash(""));
    }

    #[test]
    fn out_of_range_parameters_are_an_error_not_a_panic() {
        let zero_memory = PasswordParams {
            memory_kib: 0,
            iterations: 1,
            parallelism: 1,
        };
        assert!(matches!(
            hash_password_with("x", zero_memory),
            Err(CryptoError::PasswordHash(_))
        ));
    }

    #[test]
    fn asvs_v6_3_8_an_unknown_user_never_verifies() {
        assert!(!verify_password_for_unknown_user("anything at all"));
    }
}
