//! Random tokens (sessions, bearer and CSRF tokens, one-time links), their stored digests,
//! activation codes a person can type, and constant-time comparison.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::rngs::OsRng;
use rand::seq::SliceRandom;
use rand::{CryptoRng, RngCore};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// The characters of an activation code: digits and upper-case letters without the ones
/// that read alike on a phone screen or on paper (0 and O, 1, I and L). 31 symbols, so an
/// eight-character code holds 8 × log2(31) ≈ 39.6 bits.
pub const ACTIVATION_CODE_ALPHABET: &str = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The number of code characters in an activation code, not counting the hyphen.
const ACTIVATION_CODE_LEN: usize = 8;

/// A new 256-bit random token as 43 base64url characters (no padding), from the operating
/// system's generator: for session ids, bearer tokens, CSRF tokens and one-time links.
///
/// 256 bits meets OWASP ASVS 5.0 V11.5.1 (at least 128 bits from a CSPRNG) with room to
/// spare, and lets the database store only [`token_digest`] of it (V6.5.2: a secret of at
/// least 112 bits may be stored under a plain hash).
pub fn new_token() -> String {
    new_token_with_rng(&mut OsRng)
}

/// [`new_token`] with the caller's generator (seeded in tests).
pub fn new_token_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> String {
    let mut bytes = [0u8; 32];
    rng.fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

/// 32 random bytes from the operating system's generator: the seed of a random inspection
/// draw (双随机, published after the draw so anyone can replay it).
pub fn random_seed() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    OsRng.fill_bytes(&mut bytes);
    bytes
}

/// The SHA-256 of a token's text as 64 lowercase hexadecimal digits: what the database
/// stores, so that a leaked table holds no usable token. Look a presented token up by its
/// digest; the digest of a high-entropy token needs no salt.
pub fn token_digest(token: &str) -> String {
    sha256_hex(token.as_bytes())
}

/// The SHA-256 of some bytes as 64 lowercase hexadecimal digits (documents, recordings).
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// A new one-time activation code such as `7KQ4-MZ2P`: eight characters from
/// [`ACTIVATION_CODE_ALPHABET`] in two groups of four, for a trainee to type on a phone.
///
/// About 40 bits is enough only for a short-lived, single-use code behind rate limiting
/// (OWASP ASVS 5.0 V6.4.1, V6.5.1, V6.5.4, V6.6.3): expire it within days, count failed
/// attempts, and store [`crate::Keyring::activation_code_digest`] of it, not the code.
pub fn activation_code() -> String {
    activation_code_with_rng(&mut OsRng)
}

/// [`activation_code`] with the caller's generator (seeded in tests).
pub fn activation_code_with_rng<R: RngCore + CryptoRng>(rng: &mut R) -> String {
    let alphabet = ACTIVATION_CODE_ALPHABET.as_bytes();
    let mut code = String::with_capacity(ACTIVATION_CODE_LEN + 1);
    for position in 0..ACTIVATION_CODE_LEN {
        if position == ACTIVATION_CODE_LEN / 2 {
            code.push('-');
        }
        // `choose` draws uniformly (by rejection sampling), so no symbol is favoured; the
        // alphabet is never empty, so the fallback is never taken.
        let symbol = alphabet.choose(rng).copied().unwrap_or(b'2');
        code.push(char::from(symbol));
    }
    code
}

/// Reads an activation code as a person typed it: case, spaces and hyphens do not matter.
/// Returns the canonical `XXXX-XXXX` form, or `None` when the text is not eight characters
/// of the alphabet (a typed `0`, `O`, `1`, `I` or `L` can never be part of a code).
pub fn normalize_activation_code(typed: &str) -> Option<String> {
    let mut symbols = Vec::with_capacity(ACTIVATION_CODE_LEN);
    for character in typed.chars() {
        if character == '-' || character.is_whitespace() {
            continue;
        }
        let upper = character.to_ascii_uppercase();
        if !ACTIVATION_CODE_ALPHABET.contains(upper) || symbols.len() == ACTIVATION_CODE_LEN {
            return None;
        }
        symbols.push(upper);
    }
    if symbols.len() != ACTIVATION_CODE_LEN {
        return None;
    }
    let (first, second) = symbols.split_at(ACTIVATION_CODE_LEN / 2);
    Some(format!(
        "{}-{}",
        first.iter().collect::<String>(),
        second.iter().collect::<String>()
    ))
}

/// Compares two byte strings in time that depends only on their lengths, not on where they
/// first differ (OWASP ASVS 5.0 V11.2.4). Use it for any secret compared outside the
/// database, such as a CSRF token against the session's copy.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.ct_eq(b).into()
}

#[cfg(test)]
mod tests {
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    use super::*;

    #[test]
    fn asvs_v11_5_1_a_token_is_256_random_bits_in_base64url() {
        let token = new_token();
        assert_eq!(token.len(), 43);
        let bytes = URL_SAFE_NO_PAD.decode(&token).unwrap();
        assert_eq!(bytes.len(), 32);
        assert_ne!(new_token(), token, "two tokens must differ");
    }

    #[test]
    fn tokens_from_the_same_seed_repeat_so_tests_can_be_deterministic() {
        let first = new_token_with_rng(&mut StdRng::seed_from_u64(7));
        let second = new_token_with_rng(&mut StdRng::seed_from_u64(7));
        assert_eq!(first, second);
    }

    #[test]
    fn asvs_v6_5_2_the_stored_digest_is_sha256_hex_of_the_token() {
        // The SHA-256 of "abc" from FIPS 180-2, appendix B.1.
        assert_eq!(
            token_digest("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let token = new_token();
        assert_eq!(token_digest(&token), token_digest(&token));
        assert_ne!(token_digest(&token), token);
    }

    #[test]
    fn asvs_v6_4_1_activation_codes_use_only_the_unambiguous_alphabet_in_two_groups() {
        for forbidden in ['0', 'O', '1', 'I', 'L'] {
            assert!(!ACTIVATION_CODE_ALPHABET.contains(forbidden), "{forbidden}");
        }
        assert_eq!(ACTIVATION_CODE_ALPHABET.len(), 31);
        let mut rng = StdRng::seed_from_u64(2026);
        let mut seen = std::collections::HashSet::new();
        for _ in 0..2_000 {
            let code = activation_code_with_rng(&mut rng);
            assert_eq!(code.len(), 9, "{code}");
            assert_eq!(&code[4..5], "-", "{code}");
            for (position, character) in code.chars().enumerate() {
                if position != 4 {
                    assert!(ACTIVATION_CODE_ALPHABET.contains(character), "{code}");
                    seen.insert(character);
                }
            }
        }
        assert_eq!(seen.len(), 31, "every symbol of the alphabet is drawn");
        assert_ne!(activation_code(), activation_code());
    }

    #[test]
    fn a_typed_activation_code_is_read_regardless_of_case_spaces_and_hyphens() {
        assert_eq!(
            normalize_activation_code(" 7kq4 mz2p ").as_deref(),
            Some("7KQ4-MZ2P")
        );
        assert_eq!(
            normalize_activation_code("7KQ4-MZ2P").as_deref(),
            Some("7KQ4-MZ2P")
        );
        assert_eq!(normalize_activation_code("7KQ4-MZ2"), None, "too short");
        assert_eq!(normalize_activation_code("7KQ4-MZ2PP"), None, "too long");
        assert_eq!(
            normalize_activation_code("7KQ0-MZ2P"),
            None,
            "0 is no symbol"
        );
        assert_eq!(normalize_activation_code("7KQ4-MZ2Ｐ"), None, "full width");
        let code = activation_code();
        assert_eq!(normalize_activation_code(&code), Some(code));
    }

    #[test]
    fn asvs_v11_2_4_constant_time_eq_answers_like_plain_equality() {
        assert!(constant_time_eq(b"same token", b"same token"));
        assert!(!constant_time_eq(b"same token", b"same tokeN"));
        assert!(!constant_time_eq(b"short", b"longer"));
        assert!(constant_time_eq(b"", b""));
    }
}
