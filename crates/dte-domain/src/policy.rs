//! The policy in force on a date: every setting the plan leaves to other rules (SPEC.md,
//! "Policy settings the plan leaves to other rules") as one typed value, built from the
//! settings' rows with their effective dates.
//!
//! There are no defaults here. A setting with no row in force on the date, a value outside
//! its range, or two rows of one setting on one date is a [`PolicyError`] naming the setting:
//! the numbers live in the reference data (`data/reference/*.toml`) and the database, and
//! nowhere else. The ranges below are not policy; they bound what can be a setting of its
//! kind at all (a percent above 100, a pass mark above 100, a count that is negative), so a
//! typing slip is refused where it is read.

use crate::evaluation::{PassMarks, Score};
use crate::inspection::{InspectionSettings, TierValues};
use crate::reference::{Setting, SettingKey};
use chrono::NaiveDate;
use std::fmt;

/// A whole percent from 0 to 100.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u8);

/// Half, the plan's online share (四（一）) as the bundled reference data sets it; for tests that
/// need a policy share without loading a policy.
#[cfg(test)]
pub(crate) const HALF: Percent = Percent(50);

impl Percent {
    /// The percent `value`, or `None` above 100.
    pub fn new(value: u32) -> Option<Percent> {
        u8::try_from(value)
            .ok()
            .filter(|value| *value <= 100)
            .map(Percent)
    }

    /// The percent as a number from 0 to 100.
    pub fn get(self) -> u32 {
        u32::from(self.0)
    }

    /// `self` percent of `whole`, rounded down.
    pub fn of_floor(self, whole: u32) -> u32 {
        let part = u64::from(whole) * u64::from(self.0) / 100;
        // At most `whole`, because the percent is at most 100.
        u32::try_from(part).unwrap_or(whole)
    }
}

/// "50%", as the plan writes it.
impl fmt::Display for Percent {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}%", self.0)
    }
}

/// Every policy setting in force on [`Policy::date`], typed. Made only by
/// [`Policy::from_settings`], so a `Policy` is always complete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    /// The date the policy is for.
    pub date: NaiveDate,
    /// Subsidised trainings per person per year (SPEC: default 1).
    pub subsidised_trainings_per_year: u32,
    /// Months after the level certificate's date within which a subsidy is claimed (default 12).
    pub claim_deadline_months: u32,
    /// Days before its start by which a class is applied for (default 15).
    pub class_application_lead_days: u32,
    /// Working days the city has to review (default 5).
    pub city_review_working_days: u32,
    /// Working days of public notice (公示) before payment (default 5).
    pub public_notice_working_days: u32,
    /// Years a session's recording is kept (default 5).
    pub recording_retention_years: u32,
    /// The share of a class's hours a trainee attends to complete (default 90 %).
    pub minimum_attendance_percent: Percent,
    /// The exam pass marks for theory and professional ability (default 60 each).
    pub pass_marks: PassMarks,
    /// The largest share of a class's hours that may be online (the plan's 四（一）: 50 %).
    pub online_share_max_percent: Percent,
    /// How long a person or institution stays on the 失信 list (issue 14 item 5), in months.
    pub blacklist_months: u32,
    /// How random inspections (双随机一公开, the plan's 七（二）) weigh and sample targets by risk.
    pub inspection: InspectionSettings,
    /// The date each setting's value took effect, by [`SettingKey::index`].
    effective_from: [NaiveDate; SettingKey::ALL.len()],
}

/// Why the settings do not make a policy. Each names the setting's stored key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PolicyError {
    #[error("设置“{key}”在 {date} 没有生效的值")]
    Missing { key: &'static str, date: NaiveDate },
    #[error("设置“{key}”的值 {value} 超出允许范围 {min} 至 {max}")]
    OutOfRange {
        key: &'static str,
        value: i64,
        min: i64,
        max: i64,
    },
    #[error("设置“{key}”自 {effective_from} 起有两个值")]
    Duplicate {
        key: &'static str,
        effective_from: NaiveDate,
    },
}

impl PolicyError {
    /// The stored key of the setting at fault.
    pub fn key(&self) -> &'static str {
        match self {
            PolicyError::Missing { key, .. }
            | PolicyError::OutOfRange { key, .. }
            | PolicyError::Duplicate { key, .. } => key,
        }
    }
}

/// The values a setting of `key`'s kind can take at all (both ends included). Not policy:
/// a percent or a mark is 0 to 100; a count of days, months or years is not negative and
/// stays below what no rule could mean (ten years of days, a century).
pub fn allowed_range(key: SettingKey) -> (i64, i64) {
    match key {
        SettingKey::SubsidisedTrainingsPerYear => (0, 365),
        SettingKey::ClaimDeadlineMonths => (1, 1200),
        SettingKey::ClassApplicationLeadDays => (0, 3650),
        SettingKey::CityReviewWorkingDays | SettingKey::PublicNoticeWorkingDays => (1, 3650),
        SettingKey::RecordingRetentionYears => (1, 100),
        SettingKey::BlacklistMonths => (1, 120),
        SettingKey::MinimumAttendancePercent
        | SettingKey::OnlineShareMaxPercent
        | SettingKey::TheoryPassMark
        | SettingKey::AbilityPassMark
        | SettingKey::InspectionRateHighPercent
        | SettingKey::InspectionRateMediumPercent
        | SettingKey::InspectionRateLowPercent => (0, 100),
        // A weight is positive (dte-draw-v1 divides by it); a thousand to one is already more
        // than any ratio of risks means.
        SettingKey::InspectionWeightHigh
        | SettingKey::InspectionWeightMedium
        | SettingKey::InspectionWeightLow => (1, 1000),
        SettingKey::InspectionTierHighPoints | SettingKey::InspectionTierMediumPoints => {
            (1, 10_000)
        }
        SettingKey::InspectionComplaintPoints | SettingKey::InspectionFindingPoints => (0, 10_000),
    }
}

/// `value` as a setting of `key`, if it lies in [`allowed_range`].
fn checked(key: SettingKey, value: i64) -> Result<u32, PolicyError> {
    let (min, max) = allowed_range(key);
    let out_of_range = PolicyError::OutOfRange {
        key: key.as_str(),
        value,
        min,
        max,
    };
    if !(min..=max).contains(&value) {
        return Err(out_of_range);
    }
    u32::try_from(value).map_err(|_| out_of_range)
}

impl Policy {
    /// The policy in force on `date`: for each setting, the row with the latest effective date
    /// on or before `date` (rows of later dates are ignored). Every setting must have such a
    /// row with a value in its range; two rows of one setting on one date are refused.
    pub fn from_settings(date: NaiveDate, rows: &[Setting]) -> Result<Policy, PolicyError> {
        let mut in_force: [Option<&Setting>; SettingKey::ALL.len()] = [None; SettingKey::ALL.len()];
        for row in rows.iter().filter(|row| row.effective_from <= date) {
            let slot = &mut in_force[row.key.index()];
            match slot {
                Some(held) if held.effective_from == row.effective_from => {
                    return Err(PolicyError::Duplicate {
                        key: row.key.as_str(),
                        effective_from: row.effective_from,
                    });
                }
                Some(held) if held.effective_from > row.effective_from => {}
                _ => *slot = Some(row),
            }
        }
        let mut values = [0u32; SettingKey::ALL.len()];
        let mut effective_from = [date; SettingKey::ALL.len()];
        for key in SettingKey::ALL {
            let row = in_force[key.index()].ok_or(PolicyError::Missing {
                key: key.as_str(),
                date,
            })?;
            values[key.index()] = checked(key, row.value)?;
            effective_from[key.index()] = row.effective_from;
        }
        let value = |key: SettingKey| values[key.index()];
        let percent = |key: SettingKey| {
            Percent::new(value(key)).ok_or(PolicyError::OutOfRange {
                key: key.as_str(),
                value: i64::from(value(key)),
                min: 0,
                max: 100,
            })
        };
        let mark = |key: SettingKey| {
            Score::whole(i64::from(value(key))).ok_or(PolicyError::OutOfRange {
                key: key.as_str(),
                value: i64::from(value(key)),
                min: 0,
                max: 100,
            })
        };
        Ok(Policy {
            date,
            subsidised_trainings_per_year: value(SettingKey::SubsidisedTrainingsPerYear),
            claim_deadline_months: value(SettingKey::ClaimDeadlineMonths),
            class_application_lead_days: value(SettingKey::ClassApplicationLeadDays),
            city_review_working_days: value(SettingKey::CityReviewWorkingDays),
            public_notice_working_days: value(SettingKey::PublicNoticeWorkingDays),
            recording_retention_years: value(SettingKey::RecordingRetentionYears),
            blacklist_months: value(SettingKey::BlacklistMonths),
            minimum_attendance_percent: percent(SettingKey::MinimumAttendancePercent)?,
            pass_marks: PassMarks {
                theory: mark(SettingKey::TheoryPassMark)?,
                ability: mark(SettingKey::AbilityPassMark)?,
            },
            online_share_max_percent: percent(SettingKey::OnlineShareMaxPercent)?,
            inspection: InspectionSettings {
                rates: TierValues {
                    high: percent(SettingKey::InspectionRateHighPercent)?,
                    medium: percent(SettingKey::InspectionRateMediumPercent)?,
                    low: percent(SettingKey::InspectionRateLowPercent)?,
                },
                weights: TierValues {
                    high: value(SettingKey::InspectionWeightHigh),
                    medium: value(SettingKey::InspectionWeightMedium),
                    low: value(SettingKey::InspectionWeightLow),
                },
                high_points: value(SettingKey::InspectionTierHighPoints),
                medium_points: value(SettingKey::InspectionTierMediumPoints),
                complaint_points: value(SettingKey::InspectionComplaintPoints),
                finding_points: value(SettingKey::InspectionFindingPoints),
            },
            effective_from,
        })
    }

    /// The date the value of `key` in this policy took effect.
    pub fn effective_from(&self, key: SettingKey) -> NaiveDate {
        self.effective_from[key.index()]
    }

    /// The most online hours a timetable of `total_hours` may have under this policy, rounded
    /// down (the plan's 四（一）).
    pub fn online_hours_limit(&self, total_hours: u32) -> u32 {
        crate::class_rules::online_hours_limit(total_hours, self.online_share_max_percent)
    }
}

#[cfg(test)]
mod tests;
