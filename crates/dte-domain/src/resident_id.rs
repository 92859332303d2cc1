//! Citizen identity numbers (公民身份号码) per GB 11643-1999.

use chrono::NaiveDate;
use std::fmt;

/// An 18-character citizen identity number whose structure, birth date and check digit are
/// valid. The last character is a digit or `X`; lower-case `x` is accepted and stored as `X`.
/// How old its holder may be is not the number's business: GB 11643 asks only for a real
/// date not after today, and the eligibility rules decide who is old enough to train.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ResidentId {
    number: String,
    birth_date: NaiveDate,
}

/// Why a text is not a valid citizen identity number. Messages are for the person typing it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("请填写公民身份号码")]
    Empty,
    #[error("15 位的旧身份证号码已停止使用，请填写 18 位公民身份号码")]
    FifteenDigitForm,
    #[error("公民身份号码应为 18 位，现为 {0} 位")]
    WrongLength(usize),
    #[error("公民身份号码第 {0} 位应为数字（仅第 18 位可为 X）")]
    InvalidCharacter(usize),
    #[error("公民身份号码前两位“{0}”不是有效的省级行政区划代码")]
    UnknownProvince(String),
    #[error("公民身份号码中的出生日期“{0}”不是有效日期")]
    InvalidBirthDate(String),
    #[error("公民身份号码中的出生日期“{0}”晚于今天")]
    BirthDateInFuture(String),
    #[error("公民身份号码校验码错误：第 18 位应为 {expected}，现为 {found}")]
    CheckDigit { expected: char, found: char },
}

/// Province-level codes of GB/T 2260 that begin a citizen identity number, plus 81, 82 and
/// 83, which begin the residence-permit numbers of Hong Kong, Macao and Taiwan residents.
const PROVINCE_CODES: [&str; 35] = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41",
    "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71",
    "81", "82", "83",
];

/// GB 11643-1999 §8.2: the weight of each of the first 17 digits, 2^(18-i) mod 11.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// GB 11643-1999 §8.2: the check character for each remainder of the weighted sum mod 11.
const CHECK_CHARACTERS: [char; 11] = ['1', '0', 'X', '9', '8', '7', '6', '5', '4', '3', '2'];

impl ResidentId {
    /// Parses a citizen identity number, given today's date to reject future birth dates.
    pub fn parse(text: &str, today: NaiveDate) -> Result<ResidentId, IdError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(IdError::Empty);
        }
        let characters: Vec<char> = text.chars().collect();
        if characters.len() == 15 && characters.iter().all(char::is_ascii_digit) {
            return Err(IdError::FifteenDigitForm);
        }
        if characters.len() != 18 {
            return Err(IdError::WrongLength(characters.len()));
        }
        let normalized: String = characters
            .iter()
            .map(|character| character.to_ascii_uppercase())
            .collect();
        for (index, character) in normalized.chars().enumerate() {
            let allowed = character.is_ascii_digit() || (index == 17 && character == 'X');
            if !allowed {
                return Err(IdError::InvalidCharacter(index + 1));
            }
        }
        let province = &normalized[0..2];
        if !PROVINCE_CODES.contains(&province) {
            return Err(IdError::UnknownProvince(province.to_owned()));
        }
        let birth_text = &normalized[6..14];
        let birth_date = NaiveDate::parse_from_str(birth_text, "%Y%m%d")
            .map_err(|_| IdError::InvalidBirthDate(birth_text.to_owned()))?;
        if birth_date > today {
            return Err(IdError::BirthDateInFuture(birth_text.to_owned()));
        }
        let expected = check_character(&normalized[0..17]);
        let found = normalized.chars().nth(17).unwrap_or(' ');
        if expected != found {
            return Err(IdError::CheckDigit { expected, found });
        }
        Ok(ResidentId {
            number: normalized,
            birth_date,
        })
    }

    /// The full number. Show it only where the role needs it, and audit that view.
    pub fn expose(&self) -> &str {
        &self.number
    }

    /// The masked form for screens and logs: `210102********1234`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.number[0..6], &self.number[14..18])
    }

    /// The date of birth encoded in positions 7 to 14.
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The six-digit administrative division code of the place of registration.
    pub fn division_code(&self) -> &str {
        &self.number[0..6]
    }
}

/// The GB 11643-1999 check character of the first 17 digits. Callers pass 17 ASCII digits.
pub fn check_character(first_seventeen: &str) -> char {
    let sum: u32 = first_seventeen
        .bytes()
        .zip(WEIGHTS)
        .map(|(digit, weight)| u32::from(digit.wrapping_sub(b'0')) * weight)
        .sum();
    CHECK_CHARACTERS[(sum % 11) as usize]
}

impl fmt::Debug for ResidentId {
    /// Debug output is masked so an ID number never reaches a log by accident.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "ResidentId({})", self.masked())
    }
}

impl fmt::Display for ResidentId {
    /// Display is masked too; use `expose` for the full number.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.masked())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
    }

    /// Builds a number with a correct check character from its first 17 digits.
    fn with_check(first_seventeen: &str) -> String {
        format!("{first_seventeen}{}", check_character(first_seventeen))
    }

    /// GB 11643-1999 §8.2 gives 11010519491231002X as its worked example.
    #[test]
    fn the_standards_worked_example_is_valid() {
        let id = ResidentId::parse("11010519491231002X", today()).unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.division_code(), "110105");
    }

    /// GB 11643-1999 gives 440524188001010014 as an example of a citizen identity number; its
    /// holder was born on 1 January 1880, which is a real date, so the number is valid.
    #[test]
    fn the_standards_example_born_in_1880_is_valid() {
        let id = ResidentId::parse("440524188001010014", today()).unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1880, 1, 1).unwrap()
        );
        assert_eq!(id.division_code(), "440524");
        assert_eq!(id.expose(), "440524188001010014");
    }

    /// GB 11643-1999 §5: any real date not after today is a birth date, however long ago.
    #[test]
    fn a_birth_date_long_ago_is_a_valid_birth_date() {
        for birth in ["18991231", "18000101", "16440101"] {
            let number = with_check(&format!("210102{birth}123"));
            let id = ResidentId::parse(&number, today()).unwrap();
            assert_eq!(id.birth_date().format("%Y%m%d").to_string(), birth);
        }
    }

    /// GB 11643-1999 §8.2: a lower-case x check character is the same as X.
    #[test]
    fn a_lower_case_x_is_accepted_and_normalized() {
        let id = ResidentId::parse("11010519491231002x", today()).unwrap();
        assert_eq!(id.expose(), "11010519491231002X");
    }

    /// GB 11643-1999 §8.2: a wrong check character is refused, naming the expected one.
    #[test]
    fn a_wrong_check_digit_is_refused_naming_the_right_one() {
        let error = ResidentId::parse("110105194912310021", today()).unwrap_err();
        assert_eq!(
            error,
            IdError::CheckDigit {
                expected: 'X',
                found: '1'
            }
        );
        assert!(error.to_string().contains("应为 X"));
    }

    /// GB 11643-1999 replaced the 15-digit form of GB 11643-1989; the message says so.
    #[test]
    fn the_fifteen_digit_form_is_refused_with_a_message_saying_so() {
        let error = ResidentId::parse("110105491231002", today()).unwrap_err();
        assert_eq!(error, IdError::FifteenDigitForm);
        assert!(error.to_string().contains("15 位"));
    }

    /// GB 11643-1999 §5: the birth date code must be a real date.
    #[test]
    fn impossible_birth_dates_are_refused() {
        for birth in ["19900230", "19901301", "19900100", "20230229"] {
            let number = with_check(&format!("210102{birth}123"));
            assert_eq!(
                ResidentId::parse(&number, today()),
                Err(IdError::InvalidBirthDate(birth.to_owned())),
                "{number}"
            );
        }
        let leap_day = with_check("21010220000229123");
        assert!(ResidentId::parse(&leap_day, today()).is_ok());
    }

    /// GB 11643-1999 §5: a person cannot be born after today.
    #[test]
    fn a_birth_date_in_the_future_is_refused() {
        let tomorrow = with_check("21010220261128123");
        assert!(matches!(
            ResidentId::parse(&tomorrow, today()),
            Err(IdError::BirthDateInFuture(_))
        ));
        let born_today = with_check("21010220261127123");
        assert!(ResidentId::parse(&born_today, today()).is_ok());
    }

    /// GB 11643-1999 §5 and GB/T 2260: the number begins with a province-level code.
    #[test]
    fn an_unknown_province_code_is_refused() {
        let number = with_check("991021199003071234"[0..17].as_ref());
        assert_eq!(
            ResidentId::parse(&number, today()),
            Err(IdError::UnknownProvince("99".into()))
        );
    }

    #[test]
    fn wrong_lengths_and_characters_are_refused_with_the_position() {
        assert_eq!(ResidentId::parse("", today()), Err(IdError::Empty));
        assert_eq!(
            ResidentId::parse("2101021990", today()),
            Err(IdError::WrongLength(10))
        );
        assert_eq!(
            ResidentId::parse("21010219900307X234", today()),
            Err(IdError::InvalidCharacter(15))
        );
    }

    /// SPEC: ID numbers are masked as 210102********1234 except where the full value is needed.
    #[test]
    fn masking_keeps_the_first_six_and_last_four_characters() {
        let number = with_check("21010219900307123");
        let id = ResidentId::parse(&number, today()).unwrap();
        assert_eq!(id.masked(), format!("210102********123{}", &number[17..]));
        assert_eq!(format!("{id:?}"), format!("ResidentId({})", id.masked()));
        assert!(!format!("{id} {id:?}").contains("19900307"));
    }

    proptest::proptest! {
        /// Every well-formed number with its computed check character parses.
        #[test]
        fn any_number_with_a_computed_check_character_parses(
            sequence in 0u32..1000,
            year in 1950i32..2008,
            month in 1u32..=12,
            day in 1u32..=28,
        ) {
            let first = format!("210102{year:04}{month:02}{day:02}{sequence:03}");
            let number = with_check(&first);
            let id = ResidentId::parse(&number, today()).unwrap();
            proptest::prop_assert_eq!(id.expose(), number.as_str());
        }
    }
}
