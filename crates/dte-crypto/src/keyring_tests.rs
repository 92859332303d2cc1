//! Tests of the key file format, key generation and rotation, and the keyring's redaction.

use rand::SeedableRng;
use rand::rngs::StdRng;

use super::*;

/// Two distinct, valid hex keys and an index key for hand-written key files.
const KEY_A: &str = "1111111111111111111111111111111111111111111111111111111111111111";
const KEY_B: &str = "2222222222222222222222222222222222222222222222222222222222222222";
const INDEX: &str = "3333333333333333333333333333333333333333333333333333333333333333";

/// The 64-hex-digit values of a key file's `name=value` lines.
fn secrets_in(key_file: &str) -> Vec<String> {
    key_file
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once('=').map(|(_, value)| value.to_owned()))
        .filter(|value| value.len() == 64)
        .collect()
}

#[test]
fn a_generated_key_file_parses_with_k1_current_and_256_bit_keys() {
    let text = Keyring::generate();
    assert!(text.contains(KEY_FILE_FORMAT));
    let keyring = Keyring::parse(&text).unwrap();
    assert_eq!(keyring.current_key_id(), "k1");
    assert_eq!(keyring.key_ids().collect::<Vec<_>>(), ["k1"]);
    let secrets = secrets_in(&text);
    assert_eq!(secrets.len(), 2, "the index key and k1");
    assert_ne!(secrets[0], secrets[1]);
    assert_ne!(Keyring::generate(), text, "every generated file is new");
}

#[test]
fn key_generation_from_the_same_seed_repeats_so_tests_can_be_deterministic() {
    let first = Keyring::generate_with_rng(&mut StdRng::seed_from_u64(1));
    let second = Keyring::generate_with_rng(&mut StdRng::seed_from_u64(1));
    assert_eq!(first, second);
}

#[test]
fn gbt_22239_2019_8_1_4_8_debug_of_a_keyring_shows_key_ids_and_no_key_material() {
    let text = Keyring::generate();
    let keyring = Keyring::parse(&text).unwrap();
    let printed = format!("{keyring:?} {keyring:#?}");
    assert!(printed.contains("k1"), "{printed}");
    assert!(printed.contains("<redacted>"), "{printed}");
    for secret in secrets_in(&text) {
        assert!(!printed.contains(&secret[..8]), "{printed}");
        // A derived Debug of raw bytes would print a list such as `[17, 34, 51, …]`.
        let bytes = hex::decode(&secret).unwrap();
        let as_list = format!("{}, {}, {}", bytes[0], bytes[1], bytes[2]);
        assert!(!printed.contains(&as_list), "{printed}");
    }
}

#[test]
fn the_one_line_environment_form_reads_like_the_key_file() {
    let text = Keyring::generate();
    let one_line: Vec<&str> = text.lines().filter(|line| !line.starts_with('#')).collect();
    let from_env = Keyring::parse(&one_line.join(";")).unwrap();
    let from_file: Keyring = text.parse().unwrap();
    let envelope = from_file.encrypt("210102199001011234", b"t");
    assert_eq!(
        from_env.decrypt(&envelope, b"t").unwrap(),
        "210102199001011234"
    );
    assert_eq!(
        from_env.blind_index("phone", "13800000000"),
        from_file.blind_index("phone", "13800000000")
    );
}

#[test]
fn without_a_current_line_the_first_key_is_current() {
    let text = format!("index={INDEX}\nk7={KEY_A}\nk2={KEY_B}\n");
    assert_eq!(Keyring::parse(&text).unwrap().current_key_id(), "k7");
    let text = format!("index={INDEX}\nk7={KEY_A}\nk2={KEY_B}\ncurrent=k2\n");
    assert_eq!(Keyring::parse(&text).unwrap().current_key_id(), "k2");
}

#[test]
fn comments_blank_lines_spaces_and_crlf_are_allowed() {
    let text = format!("# a comment\r\n\r\n  current = k1 \r\nindex={INDEX}\r\n k1 = {KEY_A}\r\n");
    assert_eq!(Keyring::parse(&text).unwrap().current_key_id(), "k1");
}

#[test]
fn a_broken_key_file_is_refused_with_the_item_and_rule_but_never_the_key_text() {
    let cases: Vec<(String, CryptoError)> = vec![
        (
            format!("k1={KEY_A}\n"),
            CryptoError::KeyFileIncomplete("no blind-index key (an item index=<64 hex digits>)"),
        ),
        (
            format!("index={INDEX}\n"),
            CryptoError::KeyFileIncomplete(
                "no data-encryption key (an item such as k1=<64 hex digits>)",
            ),
        ),
        (
            format!("index={INDEX}\nk1={}\n", &KEY_A[..63]),
            CryptoError::KeyFile {
                item: 2,
                reason: "a key is exactly 64 hexadecimal digits (256 bits)",
            },
        ),
        (
            format!("index={INDEX}\nk1={}zz\n", &KEY_A[..62]),
            CryptoError::KeyFile {
                item: 2,
                reason: "a key is exactly 64 hexadecimal digits (256 bits)",
            },
        ),
        (
            format!("index={INDEX}\nk1={KEY_A}\nk1={KEY_B}\n"),
            CryptoError::KeyFile {
                item: 3,
                reason: "a key id appears twice",
            },
        ),
        (
            format!("index={INDEX}\nk.1={KEY_A}\n"),
            CryptoError::KeyFile {
                item: 2,
                reason: "a key id is 1 to 16 ASCII letters, digits, '_' or '-'",
            },
        ),
        (
            format!("index={INDEX};{KEY_A}\n"),
            CryptoError::KeyFile {
                item: 2,
                reason: "expected name=value",
            },
        ),
        (
            format!("current=k9\nindex={INDEX}\nk1={KEY_A}\n"),
            CryptoError::KeyFileIncomplete("current= names a key that is not in the file"),
        ),
        (
            format!("index={INDEX}\nk1={}\n", "0".repeat(64)),
            CryptoError::KeyFile {
                item: 2,
                reason: "a key of all zeros is a placeholder, not a key",
            },
        ),
        (
            format!("index={KEY_A}\nk1={KEY_A}\n"),
            CryptoError::KeyFileIncomplete(
                "the same key appears under two names (keys must be distinct)",
            ),
        ),
        (
            format!("index={INDEX}\nindex={INDEX}\nk1={KEY_A}\n"),
            CryptoError::KeyFile {
                item: 2,
                reason: "a second index= item",
            },
        ),
    ];
    for (text, expected) in cases {
        let error = Keyring::parse(&text).unwrap_err();
        assert_eq!(error, expected, "{text}");
        let message = error.to_string();
        for secret in [KEY_A, KEY_B, INDEX] {
            assert!(!message.contains(&secret[..16]), "{message}");
        }
    }
}

#[test]
fn a_rotated_key_file_adds_a_new_current_key_and_keeps_the_old_keys_and_the_index_key() {
    let original = Keyring::parse(&Keyring::generate()).unwrap();
    let rotated_text = original.rotated_key_file();
    let rotated = Keyring::parse(&rotated_text).unwrap();
    assert_eq!(rotated.current_key_id(), "k2");
    assert_eq!(rotated.key_ids().collect::<Vec<_>>(), ["k1", "k2"]);
    assert_eq!(
        rotated.blind_index("resident_id", "21010219900101123X"),
        original.blind_index("resident_id", "21010219900101123X"),
        "the blind-index key does not rotate"
    );
    let twice = Keyring::parse(&rotated.rotated_key_file()).unwrap();
    assert_eq!(twice.key_ids().collect::<Vec<_>>(), ["k1", "k2", "k3"]);
    assert_eq!(twice.current_key_id(), "k3");
}

#[test]
fn rotation_numbers_the_new_key_after_the_highest_numbered_id() {
    let text = format!("current=main\nindex={INDEX}\nmain={KEY_A}\nk41={KEY_B}\n");
    let keyring = Keyring::parse(&text).unwrap();
    let rotated = Keyring::parse(&keyring.rotated_key_file()).unwrap();
    assert_eq!(rotated.current_key_id(), "k42");
    assert_eq!(
        rotated.key_ids().collect::<Vec<_>>(),
        ["main", "k41", "k42"]
    );
}
