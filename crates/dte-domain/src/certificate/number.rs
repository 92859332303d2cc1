//! The institution's own numbering scheme for its certificates (SPEC step 5: "number set by
//! the institution's scheme"): literal text with `{year}` and one `{seq:N}` placeholder.

use std::fmt;

/// The most digits `{seq:N}` may ask for.
pub const SEQUENCE_DIGITS_MAX: usize = 9;
/// The longest pattern and the longest number it may produce.
pub const PATTERN_MAX_CHARS: usize = 40;

/// A checked numbering pattern, e.g. `LNPX{year}-{seq:5}` → `LNPX2026-00001`.
///
/// Placeholders: `{year}` (the issue year, four digits) and exactly one `{seq}` or `{seq:N}`
/// (the sequence number, zero-padded to N digits, 1 ≤ N ≤ 9; a bare `{seq}` is not padded).
/// Literal text is ASCII letters, digits and `-`; it must start with a letter, so that the
/// institution's numbers are told apart from others' by their prefix. The sequence restarts
/// every year when the pattern has `{year}`, and never otherwise.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NumberPattern {
    text: String,
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Year,
    Sequence { digits: usize },
}

/// Why a numbering pattern is refused, in words the institution can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("请填写证书编号规则")]
    Blank,
    #[error("证书编号规则不能超过 {PATTERN_MAX_CHARS} 个字符")]
    TooLong,
    #[error("证书编号规则应以英文字母开头（机构自己的前缀），如 LNPX{{year}}-{{seq:5}}")]
    NoPrefix,
    #[error("证书编号规则只能包含英文字母、数字、“-”和占位符 {{year}}、{{seq:N}}，不能包含“{0}”")]
    BadCharacter(char),
    #[error("证书编号规则中的占位符“{0}”无法识别，可用 {{year}} 和 {{seq:N}}（N 为 1–9）")]
    UnknownPlaceholder(String),
    #[error("证书编号规则必须包含且只包含一个序号占位符 {{seq:N}}")]
    Sequence,
    #[error("证书编号规则中 {{year}} 只能出现一次")]
    RepeatedYear,
}

impl NumberPattern {
    /// Checks a pattern as the institution typed it.
    pub fn parse(text: &str) -> Result<NumberPattern, PatternError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(PatternError::Blank);
        }
        if text.chars().count() > PATTERN_MAX_CHARS {
            return Err(PatternError::TooLong);
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(character) = rest.chars().next() {
            if character == '{' {
                let Some(close) = rest.find('}') else {
                    return Err(PatternError::UnknownPlaceholder(rest.to_owned()));
                };
                let placeholder = &rest[1..close];
                if !literal.is_empty() {
                    parts.push(Part::Literal(std::mem::take(&mut literal)));
                }
                parts.push(placeholder_part(placeholder)?);
                rest = &rest[close + 1..];
            } else {
                if !(character.is_ascii_alphanumeric() || character == '-') {
                    return Err(PatternError::BadCharacter(character));
                }
                literal.push(character);
                rest = &rest[character.len_utf8()..];
            }
        }
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        let starts_with_letter = matches!(parts.first(),
            Some(Part::Literal(prefix)) if prefix.starts_with(|c: char| c.is_ascii_alphabetic()));
        if !starts_with_letter {
            return Err(PatternError::NoPrefix);
        }
        let sequences = parts
            .iter()
            .filter(|part| matches!(part, Part::Sequence { .. }))
            .count();
        if sequences != 1 {
            return Err(PatternError::Sequence);
        }
        if parts.iter().filter(|part| **part == Part::Year).count() > 1 {
            return Err(PatternError::RepeatedYear);
        }
        Ok(NumberPattern {
            text: text.to_owned(),
            parts,
        })
    }

    /// The pattern as stored.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Which run of the sequence a certificate issued in `year` belongs to: the year when the
    /// pattern has `{year}` (the sequence restarts each year), else 0 (one run for ever).
    pub fn period(&self, year: i32) -> i32 {
        if self.parts.contains(&Part::Year) {
            year
        } else {
            0
        }
    }

    /// The number of the `sequence`-th certificate (from 1) issued in `year`.
    pub fn render(&self, year: i32, sequence: u64) -> String {
        let mut number = String::new();
        for part in &self.parts {
            match part {
                Part::Literal(text) => number.push_str(text),
                Part::Year => number.push_str(&format!("{year:04}")),
                Part::Sequence { digits } => {
                    number.push_str(&format!("{sequence:0width$}", width = *digits))
                }
            }
        }
        number
    }
}

impl fmt::Display for NumberPattern {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.text)
    }
}

fn placeholder_part(placeholder: &str) -> Result<Part, PatternError> {
    match placeholder {
        "year" => Ok(Part::Year),
        "seq" => Ok(Part::Sequence { digits: 1 }),
        _ => placeholder
            .strip_prefix("seq:")
            .and_then(|digits| digits.parse::<usize>().ok())
            .filter(|digits| (1..=SEQUENCE_DIGITS_MAX).contains(digits))
            .map(|digits| Part::Sequence { digits })
            .ok_or_else(|| PatternError::UnknownPlaceholder(format!("{{{placeholder}}}"))),
    }
}
