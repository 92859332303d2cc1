//! Session recordings (全程录像, SPEC step 4; issue 5 item 5): how long a recording is kept,
//! and the checked forms of what registers one (its SHA-256 and its duration).
//!
//! The plan asks that training be recorded in full so that it can be traced and queried
//! (四（三）: 全程录像，可追溯、可查询) and lets the cities claw subsidies back for violations
//! found after payment (四（四）). A recording is the evidence of those checks, so it must
//! outlive the last moment a subsidy for the session can be claimed and then be examined.

use chrono::{Datelike, Months, NaiveDate};

/// The longest recording registered for one session, in seconds: a whole day. A session is
/// a slot of one day's timetable, so anything longer is a mistake in the form.
pub const MAX_RECORDING_SECONDS: u32 = 24 * 3600;

/// The date until which a session's recording must be kept, from the class's last day, the
/// claim deadline (`claim_deadline_months`, months after the level certificate) and the
/// retention setting (`recording_retention_years`, SPEC default 5 years).
///
/// The rule: the last day of the calendar year in which `class_end + claim deadline +
/// retention years` falls. The claim deadline runs from the level certificate, which comes
/// after the class, so counting it from the class's end is the earliest a claim can close;
/// the retention years then give supervision (and clawback) its time after the last claim;
/// rounding up to 31 December keeps whole budget years together, as the province's yearly
/// quotas and accounts are kept.
pub fn retain_until(
    class_end: NaiveDate,
    claim_deadline_months: u32,
    retention_years: u32,
) -> NaiveDate {
    let months = claim_deadline_months.saturating_add(retention_years.saturating_mul(12));
    let last = class_end
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX);
    NaiveDate::from_ymd_opt(last.year(), 12, 31).unwrap_or(NaiveDate::MAX)
}

/// A SHA-256 digest as 64 lowercase hexadecimal digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Sha256Hex(String);

/// The text is not a SHA-256 digest.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SHA-256 应为 64 位十六进制数字，收到 {length} 个字符")]
pub struct Sha256Error {
    pub length: usize,
}

impl Sha256Hex {
    /// Parses 64 hexadecimal digits in either case; stores them in lowercase.
    pub fn parse(text: &str) -> Result<Sha256Hex, Sha256Error> {
        let text = text.trim();
        if text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit()) {
            Ok(Sha256Hex(text.to_ascii_lowercase()))
        } else {
            Err(Sha256Error {
                length: text.chars().count(),
            })
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a recording's duration is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DurationError {
    #[error("录像时长应大于 0 秒")]
    Zero,
    #[error("录像时长 {0} 秒超过一天（{MAX_RECORDING_SECONDS} 秒），请检查")]
    TooLong(u64),
}

/// Checks a recording's duration in seconds: more than none, at most a day.
pub fn check_duration(seconds: u64) -> Result<u32, DurationError> {
    match u32::try_from(seconds) {
        Ok(0) => Err(DurationError::Zero),
        Ok(valid) if valid <= MAX_RECORDING_SECONDS => Ok(valid),
        _ => Err(DurationError::TooLong(seconds)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn date(year: i32, month: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, month, day).unwrap()
    }

    /// 四（三）全程录像，可追溯、可查询 and SPEC's "Recording retention (default 5 years)": a
    /// class ending in June 2027 may be claimed until June 2028 at the earliest close, so its
    /// recordings are kept to the end of 2033.
    #[test]
    fn plan_4_3_recordings_outlive_the_claim_deadline_by_the_retention_years() {
        assert_eq!(retain_until(date(2027, 6, 30), 12, 5), date(2033, 12, 31));
        // A class ending on 31 December rolls into the next year's deadline.
        assert_eq!(retain_until(date(2027, 12, 31), 12, 5), date(2033, 12, 31));
        assert_eq!(retain_until(date(2028, 1, 1), 12, 5), date(2034, 12, 31));
        // Longer settings keep longer.
        assert_eq!(retain_until(date(2027, 6, 30), 24, 10), date(2039, 12, 31));
    }

    /// Issue 5 item 5: a reference registration gives the file's SHA-256.
    #[test]
    fn issue_5_a_sha256_is_64_hex_digits_kept_in_lowercase() {
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        assert_eq!(
            Sha256Hex::parse(upper).unwrap().as_str(),
            upper.to_lowercase()
        );
        assert_eq!(Sha256Hex::parse("abc123"), Err(Sha256Error { length: 6 }));
        let not_hex = "g".repeat(64);
        assert!(Sha256Hex::parse(&not_hex).is_err());
    }

    /// Issue 5 item 5: each recording has its duration.
    #[test]
    fn issue_5_a_recording_lasts_more_than_nothing_and_at_most_a_day() {
        assert_eq!(check_duration(0), Err(DurationError::Zero));
        assert_eq!(check_duration(3 * 3600), Ok(10_800));
        assert_eq!(check_duration(86_401), Err(DurationError::TooLong(86_401)));
    }
}
