//! The reason an institution gives for correcting an attendance record (SPEC step 4: "the
//! institution may correct a record only with a reason, audited"; issue 5 item 2). The record
//! and the audit entry are the storage's business; this is the rule that there is a reason.

use std::fmt;

/// The longest reason accepted, in characters: two or three sentences.
pub const MAX_CORRECTION_REASON_CHARS: usize = 200;

/// A correction's reason: not blank, at most [`MAX_CORRECTION_REASON_CHARS`] characters,
/// trimmed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionReason(String);

/// Why a text is not a correction's reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionReasonError {
    #[error("更正考勤记录须填写原因")]
    Missing,
    #[error("更正原因不能超过 {MAX_CORRECTION_REASON_CHARS} 个字，现有 {chars} 个字")]
    TooLong { chars: usize },
}

impl CorrectionReason {
    pub fn parse(text: &str) -> Result<CorrectionReason, CorrectionReasonError> {
        let text = text.trim();
        let chars = text.chars().count();
        if chars == 0 {
            return Err(CorrectionReasonError::Missing);
        }
        if chars > MAX_CORRECTION_REASON_CHARS {
            return Err(CorrectionReasonError::TooLong { chars });
        }
        Ok(CorrectionReason(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CorrectionReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// Why a session's attendance cannot be corrected yet.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CorrectionTooEarly {
    /// The session starts later: nobody has attended it, so there is nothing to correct.
    #[error("该课次将于 {starts} 开始，尚未开课，不能更正考勤；只能更正已开始或已结束课次的考勤")]
    NotStarted { starts: String },
}

/// Whether a session's attendance may be corrected at `now` (issue 15 item 8): only a session
/// that is running or over, i.e. whose start (China wall-clock time, +08:00) has come. A
/// correction of a session still ahead would record attendance that never took place.
pub fn check_correctable(
    session: &crate::class::SessionPlan,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<(), CorrectionTooEarly> {
    let start = session.date.and_time(session.start);
    if super::shanghai_local(now) < start {
        return Err(CorrectionTooEarly::NotStarted {
            starts: start.format("%Y-%m-%d %H:%M").to_string(),
        });
    }
    Ok(())
}
