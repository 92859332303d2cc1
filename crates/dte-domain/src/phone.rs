//! Mainland China mobile numbers.

use std::fmt;

/// A mainland mobile number: 11 digits beginning with 13 to 19. Stored without spaces or
/// the +86 prefix.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Phone(String);

/// Why a text is not a mainland mobile number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    #[error("请填写手机号码")]
    Empty,
    #[error("手机号码应为 11 位数字，现为 {0} 位")]
    WrongLength(usize),
    #[error("手机号码只能包含数字")]
    NotDigits,
    #[error("手机号码应以 13 至 19 开头")]
    NotMobile,
}

impl Phone {
    /// Parses a mobile number, allowing spaces, hyphens and a leading +86 or 86.
    pub fn parse(text: &str) -> Result<Phone, PhoneError> {
        let compact: String = text
            .chars()
            .filter(|character| !matches!(character, ' ' | '-' | '\u{3000}'))
            .collect();
        if compact.is_empty() {
            return Err(PhoneError::Empty);
        }
        let digits = compact
            .strip_prefix("+86")
            .or_else(|| compact.strip_prefix("0086"))
            .or_else(|| {
                (compact.len() == 13)
                    .then(|| compact.strip_prefix("86"))
                    .flatten()
            })
            .unwrap_or(&compact);
        if !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(PhoneError::NotDigits);
        }
        if digits.len() != 11 {
            return Err(PhoneError::WrongLength(digits.len()));
        }
        let second = digits.as_bytes()[1];
        if !digits.starts_with('1') || !(b'3'..=b'9').contains(&second) {
            return Err(PhoneError::NotMobile);
        }
        Ok(Phone(digits.to_owned()))
    }

    /// The full number. Show it only where the role needs it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The masked form: `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[0..3], &self.0[7..11])
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Phone({})", self.masked())
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Mainland mobile numbers (YD/T 2.1 numbering plan) are 11 digits in the 13x–19x ranges.
    #[test]
    fn mainland_mobile_numbers_parse_in_common_spellings() {
        for text in [
            "13812345678",
            "138 1234 5678",
            "138-1234-5678",
            "+86 138 1234 5678",
            "8613812345678",
        ] {
            assert_eq!(
                Phone::parse(text).unwrap().expose(),
                "13812345678",
                "{text}"
            );
        }
    }

    #[test]
    fn non_mobile_numbers_are_refused_with_the_reason() {
        assert_eq!(Phone::parse(""), Err(PhoneError::Empty));
        assert_eq!(Phone::parse("1381234567"), Err(PhoneError::WrongLength(10)));
        assert_eq!(Phone::parse("12812345678"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("02412345678"), Err(PhoneError::NotMobile));
        assert_eq!(Phone::parse("1381234567a"), Err(PhoneError::NotDigits));
    }

    /// SPEC: phones are masked as 138****5678 on screens that do not need them in full.
    #[test]
    fn masking_keeps_the_first_three_and_last_four_digits() {
        let phone = Phone::parse("13812345678").unwrap();
        assert_eq!(phone.masked(), "138****5678");
        assert_eq!(format!("{phone:?}"), "Phone(138****5678)");
    }
}
