//! Tests of envelope encryption (round trip, tampering, rotation) and of blind indexes.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::SeedableRng;
use rand::rngs::StdRng;
use sha2::Sha256;

use super::*;

/// A fresh keyring with one key, `k1`.
fn keyring() -> Keyring {
    Keyring::parse(&Keyring::generate()).unwrap()
}

/// The associated data a storage layer would pass for a trainee's resident ID.
const AD: &[u8] = b"trainee.resident_id:42";

#[test]
fn pipl_art_51_personal_data_round_trips_through_an_aes_256_gcm_envelope() {
    let keyring = keyring();
    for plaintext in ["21010219900101123X", "张三", "13800000000", ""] {
        let envelope = keyring.encrypt(plaintext, AD);
        assert!(envelope.starts_with("v1.k1."), "{envelope}");
        assert!(!envelope.contains(plaintext) || plaintext.is_empty());
        assert_eq!(keyring.decrypt(&envelope, AD).unwrap(), plaintext);
        let data = URL_SAFE_NO_PAD.decode(&envelope[6..]).unwrap();
        assert_eq!(data.len(), NONCE_LEN + plaintext.len() + TAG_LEN);
    }
}

#[test]
fn asvs_v11_3_4_every_encryption_draws_a_new_nonce_so_equal_values_do_not_look_equal() {
    let keyring = keyring();
    let first = keyring.encrypt("21010219900101123X", AD);
    let second = keyring.encrypt("21010219900101123X", AD);
    assert_ne!(first, second);
    assert_ne!(first[6..22], second[6..22], "the nonces differ");
}

#[test]
fn encryption_with_a_seeded_generator_repeats_so_tests_can_be_deterministic() {
    let keyring = keyring();
    let first = keyring.encrypt_with_rng(&mut StdRng::seed_from_u64(3), "x", AD);
    let second = keyring.encrypt_with_rng(&mut StdRng::seed_from_u64(3), "x", AD);
    assert_eq!(first, second);
}

#[test]
fn asvs_v11_3_3_changing_any_character_of_the_envelope_fails_decryption() {
    let keyring = keyring();
    let envelope = keyring.encrypt("21010219900101123X", AD);
    let prefix = "v1.k1.".len();
    for position in prefix..envelope.len() {
        let mut altered = envelope.clone().into_bytes();
        altered[position] = if altered[position] == b'A' {
            b'B'
        } else {
            b'A'
        };
        let altered = String::from_utf8(altered).unwrap();
        let result = keyring.decrypt(&altered, AD);
        assert!(
            matches!(
                result,
                Err(CryptoError::Decryption | CryptoError::MalformedEnvelope)
            ),
            "position {position}: {result:?}"
        );
    }
    let truncated = &envelope[..envelope.len() - 1];
    assert!(keyring.decrypt(truncated, AD).is_err());
}

#[test]
fn gbt_35273_2020_6_3_a_value_moved_to_another_row_fails_because_the_associated_data_differs() {
    let keyring = keyring();
    let envelope = keyring.encrypt("21010219900101123X", b"trainee.resident_id:42");
    assert_eq!(
        keyring.decrypt(&envelope, b"trainee.resident_id:43"),
        Err(CryptoError::Decryption)
    );
    assert_eq!(
        keyring.decrypt(&envelope, b""),
        Err(CryptoError::Decryption)
    );
}

#[test]
fn an_envelope_from_another_keyring_under_the_same_id_fails_authentication() {
    let envelope = keyring().encrypt("张三", AD);
    assert_eq!(
        keyring().decrypt(&envelope, AD),
        Err(CryptoError::Decryption)
    );
}

#[test]
fn text_that_is_not_a_v1_envelope_is_reported_as_malformed() {
    let keyring = keyring();
    let good = keyring.encrypt("x", AD);
    let data = &good[6..];
    for text in [
        String::new(),
        "21010219900101123X".to_owned(),
        format!("v2.k1.{data}"),
        format!("v1..{data}"),
        "v1.k1.".to_owned(),
        "v1.k1.AAAA".to_owned(),
        format!("v1.k1.{data}="),
        "v1.k1.***".to_owned(),
    ] {
        assert_eq!(
            keyring.decrypt(&text, AD),
            Err(CryptoError::MalformedEnvelope),
            "{text}"
        );
    }
}

#[test]
fn asvs_v11_2_2_after_rotation_old_envelopes_still_decrypt_and_report_that_they_need_rotation() {
    let old = keyring();
    let old_envelope = old.encrypt("21010219900101123X", AD);
    assert!(!old.needs_rotation(&old_envelope));

    let rotated = Keyring::parse(&old.rotated_key_file()).unwrap();
    assert_eq!(
        rotated.decrypt(&old_envelope, AD).unwrap(),
        "21010219900101123X"
    );
    assert!(rotated.needs_rotation(&old_envelope));

    let new_envelope = rotated.reencrypt(&old_envelope, AD).unwrap();
    assert!(new_envelope.starts_with("v1.k2."), "{new_envelope}");
    assert!(!rotated.needs_rotation(&new_envelope));
    assert_eq!(
        rotated.decrypt(&new_envelope, AD).unwrap(),
        "21010219900101123X"
    );
    assert_eq!(
        old.decrypt(&new_envelope, AD),
        Err(CryptoError::UnknownKey {
            key_id: "k2".to_owned()
        })
    );
    assert!(rotated.needs_rotation("not an envelope"));
    assert_eq!(
        rotated.reencrypt("not an envelope", AD),
        Err(CryptoError::MalformedEnvelope)
    );
}

#[test]
fn pipl_art_51_a_blind_index_is_stable_for_equal_values_and_hides_the_value() {
    let text = Keyring::generate();
    let first = Keyring::parse(&text).unwrap();
    let second = Keyring::parse(&text).unwrap();
    let index = first.blind_index("resident_id", "21010219900101123X");
    assert_eq!(
        index,
        second.blind_index("resident_id", "21010219900101123X")
    );
    assert_eq!(index.len(), 64);
    assert!(
        index
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
    );
    assert_ne!(
        index,
        first.blind_index("resident_id", "210102199001011234")
    );
    assert_ne!(
        index,
        keyring().blind_index("resident_id", "21010219900101123X"),
        "another index key gives other indexes"
    );
}

#[test]
fn pipl_art_51_blind_indexes_of_different_kinds_are_domain_separated() {
    let keyring = keyring();
    let value = "13800000000";
    let as_phone = keyring.blind_index("phone", value);
    let as_resident_id = keyring.blind_index("resident_id", value);
    assert_ne!(as_phone, as_resident_id);
    assert_ne!(keyring.blind_index("", value), as_phone);
    // Moving characters between the kind and the value changes the index.
    assert_ne!(
        keyring.blind_index("phone1", "3800000000"),
        keyring.blind_index("phone", "13800000000")
    );
}

#[test]
fn the_zero_padded_hmac_key_gives_the_same_mac_as_the_variable_length_constructor() {
    let key = [0x5au8; 32];
    let mut reference = <Hmac<Sha256> as Mac>::new_from_slice(&key).unwrap();
    reference.update(b"dte");
    reference.update(b" blind index");
    let expected: [u8; 32] = reference.finalize().into_bytes().into();
    assert_eq!(hmac_sha256(&key, &[b"dte", b" blind index"]), expected);
}

#[test]
fn asvs_v6_5_2_an_activation_code_is_stored_as_a_keyed_digest_of_its_normal_form() {
    let keyring = keyring();
    let digest = keyring.activation_code_digest("7KQ4-MZ2P").unwrap();
    assert_eq!(
        keyring.activation_code_digest(" 7kq4mz2p ").unwrap(),
        digest
    );
    assert_eq!(digest, keyring.blind_index("activation_code", "7KQ4-MZ2P"));
    assert_ne!(digest, crate::token_digest("7KQ4-MZ2P"));
    assert_eq!(keyring.activation_code_digest("7KQ4-MZ2"), None);
}
