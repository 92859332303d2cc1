//! Continuing-education hours (继续教育学时, SPEC step 8; issue 6 item 6): a trainee's hours per
//! calendar year.
//!
//! The plan's 五（二）: 参加数字技术工程师培育项目取得的相应学时记入《专业技术人员继续教育证书》，
//! 当年度全国有效. Which hours, and which year:
//!
//! - **Only completed trainings count.** Hours are 取得 (obtained) by completing the training:
//!   a class the trainee left, failed or has not finished yet gives none. The caller passes the
//!   classes whose completion the trainee passed: those of their valid training certificates
//!   (a revoked certificate gives no hours).
//! - **The hours are those of the hours ledger** ([`crate::HoursLedger::total_hours`]): offline
//!   sessions attended with both check-in and check-out, plus online hours credited from
//!   heartbeats and capped so that online makes at most half of the counted hours (the plan's
//!   四（一）). They are the hours the trainee proved, not the timetable's: a trainee who
//!   completed with 92 % attendance earns 92 % of the hours. Never more than the timetable.
//!   Completion takes them from the ledger with [`counted_hours`] and the training certificate
//!   keeps them, so the record reads them from there.
//! - **The year is the year of completion** (the training certificate's date): 当年度有效 ties
//!   the hours to the year they are recorded in, and they are recorded once obtained, so a class
//!   from December to January counts all its hours in January's year.

use crate::attendance::HoursLedger;
use crate::{Level, OccupationCode};
use chrono::{Datelike, NaiveDate};

/// A training the trainee completed, with its hours ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletedTraining {
    pub class_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The day completion was recorded (the training certificate's date).
    pub completed_on: NaiveDate,
    /// The hours completion counted ([`counted_hours`] of the ledger at completion).
    pub hours: u32,
}

/// One calendar year of a trainee's continuing-education hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YearHours {
    pub year: i32,
    /// The sum of `trainings`' counted hours.
    pub hours: u32,
    /// Each training completed in the year, in order of completion, with its counted hours.
    pub trainings: Vec<(CompletedTraining, u32)>,
}

/// A trainee's hours per calendar year, earliest year first; years without a completed
/// training are left out.
pub fn continuing_education_hours(trainings: &[CompletedTraining]) -> Vec<YearHours> {
    let mut sorted: Vec<&CompletedTraining> = trainings.iter().collect();
    sorted.sort_by_key(|training| (training.completed_on, training.class_id));
    let mut years: Vec<YearHours> = Vec::new();
    for training in sorted {
        let year = training.completed_on.year();
        let hours = training.hours;
        match years.last_mut() {
            Some(last) if last.year == year => {
                last.hours = last.hours.saturating_add(hours);
                last.trainings.push((training.clone(), hours));
            }
            _ => years.push(YearHours {
                year,
                hours,
                trainings: vec![(training.clone(), hours)],
            }),
        }
    }
    years
}

/// The hours a completed training gives: the ledger's counted total, never above the timetable.
pub fn counted_hours(ledger: &HoursLedger) -> u32 {
    ledger.total_hours.min(ledger.timetable_hours)
}
