//! Tests of the password policy: each rule's rejection and its Chinese message.

use super::*;

/// The first violation's message, or "ok".
fn verdict(password: &str, username: &str) -> String {
    match check_password_policy(password, username) {
        Ok(()) => "ok".to_owned(),
        Err(violation) => violation.to_string(),
    }
}

#[test]
fn asvs_5_0_v6_2_1_a_password_under_12_characters_is_rejected_naming_the_minimum() {
    assert_eq!(
        check_password_policy("Xk9#mQ2$vL7", "trainee01"),
        Err(PasswordPolicyError::TooShort {
            min: 12,
            actual: 11
        })
    );
    assert_eq!(
        verdict("Xk9#mQ2$vL7", "trainee01"),
        "密码太短：至少需要 12 个字符，现在只有 11 个。"
    );
    assert_eq!(verdict("Xk9#mQ2$vL7p", "trainee01"), "ok");
}

#[test]
fn asvs_5_0_v6_2_1_length_counts_characters_not_bytes() {
    // Eleven characters (33 bytes of UTF-8 for the Chinese ones) are still too short.
    assert_eq!(
        check_password_policy("数字技术工程师Ab1!", "trainee01"),
        Err(PasswordPolicyError::TooShort {
            min: 12,
            actual: 11
        })
    );
    assert_eq!(verdict("辽宁数字技术工程师Ab1!", "trainee01"), "ok");
}

#[test]
fn asvs_5_0_v6_2_9_passwords_of_64_characters_are_allowed_and_over_128_are_rejected() {
    let sixty_four = "Ab1!".repeat(15) + "Zy9?";
    assert_eq!(sixty_four.chars().count(), 64);
    assert_eq!(verdict(&sixty_four, "trainee01"), "ok");
    let long = "Ab1!".repeat(32) + "x";
    assert_eq!(
        check_password_policy(&long, "trainee01"),
        Err(PasswordPolicyError::TooLong {
            max: 128,
            actual: 129
        })
    );
    assert_eq!(
        verdict(&long, "trainee01"),
        "密码太长：最多 128 个字符，现在有 129 个。"
    );
}

#[test]
fn gbt_22239_2019_8_1_4_1_a_a_password_needs_three_of_the_four_character_classes() {
    assert_eq!(
        check_password_policy("horsebattery2026", "trainee01"),
        Err(PasswordPolicyError::TooFewClasses {
            present: vec![CharClass::Lower, CharClass::Digit],
            missing: vec![CharClass::Upper, CharClass::Symbol],
        })
    );
    assert_eq!(
        verdict("horsebattery2026", "trainee01"),
        "密码需要包含大写字母、小写字母、数字、特殊字符中的至少三类，现在只有 2 类，可以加上：大写字母、特殊字符。"
    );
    assert_eq!(
        verdict("horsebatterystaple", "trainee01"),
        "密码需要包含大写字母、小写字母、数字、特殊字符中的至少三类，现在只有 1 类，可以加上：大写字母、数字、特殊字符。"
    );
    for three_classes in [
        "horsebattery2026!",
        "HorseBattery2026",
        "HorseBattery!?#@",
        "HORSEBATTERY2026!",
    ] {
        assert_eq!(verdict(three_classes, "trainee01"), "ok", "{three_classes}");
    }
}

#[test]
fn gbt_22239_2019_8_1_4_1_a_spaces_and_chinese_characters_count_as_special_characters() {
    assert_eq!(verdict("horse battery 2026", "trainee01"), "ok");
    assert_eq!(verdict("沈阳大连鞍山horse2026", "trainee01"), "ok");
    assert_eq!(char_class('沈'), CharClass::Symbol);
    assert_eq!(char_class(' '), CharClass::Symbol);
    assert_eq!(char_class('Ä'), CharClass::Upper);
    assert_eq!(char_class('７'), CharClass::Digit);
}

#[test]
fn gbt_22239_2019_8_1_4_1_a_a_password_may_not_contain_the_user_name_in_any_case() {
    assert_eq!(
        check_password_policy("Zhangsan#2026x", "zhangsan"),
        Err(PasswordPolicyError::ContainsUsername)
    );
    assert_eq!(
        verdict("x2026#ZHANGSANx", " ZhangSan "),
        "密码不能包含用户名。"
    );
    assert_eq!(
        verdict("Xk9#mQ2$vL7pli", "li"),
        "ok",
        "user names under three characters are not looked for"
    );
    assert_eq!(verdict("Xk9#mQ2$vL7p", ""), "ok");
}

#[test]
fn asvs_5_0_v6_2_4_a_common_password_is_rejected_case_insensitively() {
    let message = "这个密码太常见，容易被猜中（它在常见密码清单里，或只是在常见密码、地名、本项目相关词语前后加了数字和符号），请换一个。";
    for common in [
        // From the SecLists top 10,000, in any case.
        "Qwerty123456",
        "qweRTY123456!",
        "1Qaz2wsx3edc",
        // From the Chinese list.
        "Woaini1314520",
        "1qaz@WSX3edc",
        "Admin@123456",
        "QQ123456789!",
        // A listed word with digits and symbols around it, and with letters swapped for digits.
        "Password2026!",
        "P@ssw0rd2026",
        "2026!Dragon!!",
    ] {
        assert_eq!(
            check_password_policy(common, "trainee01"),
            Err(PasswordPolicyError::Common),
            "{common}"
        );
        assert_eq!(verdict(common, "trainee01"), message);
    }
}

#[test]
fn asvs_5_0_v6_2_11_context_words_of_the_project_and_the_province_are_rejected() {
    for context in [
        "Liaoning@2026",
        "SHENYANG2026!",
        "Dalian#123456",
        "Rengongzhineng1!",
    ] {
        assert_eq!(
            check_password_policy(context, "trainee01"),
            Err(PasswordPolicyError::Common),
            "{context}"
        );
    }
}

#[test]
fn a_random_password_that_merely_contains_a_short_word_is_accepted() {
    for accepted in [
        "Xk9#mQ2$vL7p",
        "Sun!84736251q",
        "Tiger-Lamp-Seven-42",
        "晴天-Orange-47-码头",
    ] {
        assert_eq!(verdict(accepted, "trainee01"), "ok", "{accepted}");
    }
}

#[test]
fn every_violation_is_listed_in_order_for_a_form() {
    assert_eq!(
        password_policy_violations("password", "password"),
        vec![
            PasswordPolicyError::TooShort { min: 12, actual: 8 },
            PasswordPolicyError::TooFewClasses {
                present: vec![CharClass::Lower],
                missing: vec![CharClass::Upper, CharClass::Digit, CharClass::Symbol],
            },
            PasswordPolicyError::ContainsUsername,
            PasswordPolicyError::Common,
        ]
    );
    assert!(password_policy_violations("Xk9#mQ2$vL7p", "trainee01").is_empty());
}

#[test]
fn the_shipped_lists_load_with_the_seclists_top_10000_and_the_chinese_favourites() {
    assert!(
        COMMON_PASSWORDS.len() > 10_000,
        "{}",
        COMMON_PASSWORDS.len()
    );
    for listed in [
        "123456",
        "password",
        "qwerty123456",
        "woaini1314",
        "qq123456",
        "a123456789",
        "1qaz@wsx",
        "liaoning",
    ] {
        assert!(COMMON_PASSWORDS.contains(listed), "{listed}");
    }
    assert!(
        COMMON_PASSWORDS
            .iter()
            .all(|entry| *entry == entry.to_lowercase())
    );
}
