//! Exam scores: theory (理论知识) and professional ability (专业能力), each out of 100, and who
//! passes under the settings `theory_pass_mark` and `ability_pass_mark` (default 60 each).
//!
//! **A score is 0 to 100 with at most one decimal** (85, 85.5). Exam boards in China publish
//! whole marks or halves; one decimal holds both and a tenth more, while two decimals are far
//! more likely a typing slip (85.55) than a mark anyone gave, so they are refused rather than
//! rounded — rounding would decide a pass at 59.95. Kept as whole tenths, so no float ever
//! decides a pass.

use std::fmt;

/// The highest score, in tenths.
const MAX_TENTHS: u16 = 1000;

/// A score from 0 to 100 with at most one decimal, kept in tenths of a mark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Score(u16);

/// Why a score is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ScoreError {
    #[error("未填写成绩")]
    Missing,
    #[error("成绩须为数字，例如 85 或 85.5")]
    NotANumber,
    #[error("成绩须在 0 到 100 之间")]
    OutOfRange,
    #[error("成绩最多保留一位小数")]
    TooPrecise,
}

/// The pass marks in force: a candidate passes with theory ≥ `theory` and ability ≥ `ability`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassMarks {
    pub theory: Score,
    pub ability: Score,
}

/// A candidate's result under the pass marks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExamOutcome {
    pub theory_passed: bool,
    pub ability_passed: bool,
}

/// The plan's 三（二）: 理论知识和专业能力考核，成绩合格的 — both parts must reach their mark.
pub fn outcome(theory: Score, ability: Score, marks: PassMarks) -> ExamOutcome {
    ExamOutcome {
        theory_passed: theory >= marks.theory,
        ability_passed: ability >= marks.ability,
    }
}

impl Score {
    /// Reads a score as typed: "85", "85.5", " 60.0 ". Not "85.55", "-1", "101" or "八十".
    pub fn parse(text: &str) -> Result<Score, ScoreError> {
        let text = text.trim();
        if text.is_empty() {
            return Err(ScoreError::Missing);
        }
        let (whole, fraction) = match text.split_once('.') {
            Some((whole, fraction)) => (whole, Some(fraction)),
            None => (text, None),
        };
        let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(whole) || fraction.is_some_and(|fraction| !all_digits(fraction)) {
            return Err(ScoreError::NotANumber);
        }
        let fraction = fraction.unwrap_or("0");
        if fraction.len() > 1 && fraction[1..].bytes().any(|b| b != b'0') {
            return Err(ScoreError::TooPrecise);
        }
        let whole: u32 = if whole.len() > 4 {
            return Err(ScoreError::OutOfRange);
        } else {
            whole.parse().map_err(|_| ScoreError::NotANumber)?
        };
        let tenth = u32::from(fraction.as_bytes()[0] - b'0');
        Score::from_tenths(whole * 10 + tenth)
    }

    /// A score read from a spreadsheet's number cell: 85.5 is accepted, 85.55 is not.
    pub fn from_number(value: f64) -> Result<Score, ScoreError> {
        if !value.is_finite() {
            return Err(ScoreError::NotANumber);
        }
        if !(0.0..=100.0).contains(&value) {
            return Err(ScoreError::OutOfRange);
        }
        let tenths = (value * 10.0).round();
        if (value * 10.0 - tenths).abs() > 1e-6 {
            return Err(ScoreError::TooPrecise);
        }
        // In range: 0 ≤ tenths ≤ 1000.
        Score::from_tenths(tenths as u32)
    }

    /// A score of `tenths` tenths of a mark (855 is 85.5).
    pub fn from_tenths(tenths: u32) -> Result<Score, ScoreError> {
        match u16::try_from(tenths) {
            Ok(tenths) if tenths <= MAX_TENTHS => Ok(Score(tenths)),
            _ => Err(ScoreError::OutOfRange),
        }
    }

    /// A whole mark, as the settings give pass marks; `None` above 100 or below 0.
    pub fn whole(mark: i64) -> Option<Score> {
        let tenths = u32::try_from(mark).ok()?.checked_mul(10)?;
        Score::from_tenths(tenths).ok()
    }

    pub fn tenths(self) -> u16 {
        self.0
    }
}

impl ScoreError {
    /// The stable code used in the API and the score sheet's error report.
    pub fn code(self) -> &'static str {
        match self {
            ScoreError::Missing => "score_missing",
            ScoreError::NotANumber => "score_not_a_number",
            ScoreError::OutOfRange => "score_out_of_range",
            ScoreError::TooPrecise => "score_too_precise",
        }
    }
}

impl PassMarks {
    /// The pass marks from the settings `theory_pass_mark` and `ability_pass_mark`; `None` when
    /// a setting is not a mark from 0 to 100.
    pub fn from_settings(theory_pass_mark: i64, ability_pass_mark: i64) -> Option<PassMarks> {
        Some(PassMarks {
            theory: Score::whole(theory_pass_mark)?,
            ability: Score::whole(ability_pass_mark)?,
        })
    }
}

impl ExamOutcome {
    pub fn passed(self) -> bool {
        self.theory_passed && self.ability_passed
    }
}

/// "85", "85.5": a whole score prints without a decimal.
impl fmt::Display for Score {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (whole, tenth) = (self.0 / 10, self.0 % 10);
        if tenth == 0 {
            write!(formatter, "{whole}")
        } else {
            write!(formatter, "{whole}.{tenth}")
        }
    }
}
