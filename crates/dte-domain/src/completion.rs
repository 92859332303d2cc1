//! Completion (结业考核, SPEC step 5; issue 6 item 1): who of a finished class may receive the
//! 培训合格证书, and why not for the others.
//!
//! The plan (四（二）, SPEC step 5): "those who pass with enough attendance get the training
//! certificate". A trainee is certified when all of these hold:
//! - the class is over (no session still to come);
//! - the class's timetable reaches the occupation's 学时要求 (附件5);
//! - the counted hours reach `minimum_attendance_percent` of the timetable
//!   ([`HoursLedger::meets_minimum`]); online hours count only up to half of the counted hours
//!   (四（一）) — the ledger applies that cap through `class_rules::online_hours_limit`, the one
//!   place of the rule, and the refusal says how many online hours it left out;
//! - the institution recorded the 结业考核 as passed;
//! - no training certificate was issued to them for this class already.

use crate::attendance::HoursLedger;
use std::fmt;

/// The institution's 结业考核 result of one trainee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompletionResult {
    pub passed: bool,
    /// 0–100, when the assessment gives a score.
    pub score: Option<u32>,
    pub remark: Option<String>,
}

/// What completion knows of one trainee.
#[derive(Debug, Clone)]
pub struct CompletionFacts<'a> {
    pub ledger: &'a HoursLedger,
    /// The occupation's 学时要求 at the class's level (附件5).
    pub standard_hours: u32,
    pub result: Option<&'a CompletionResult>,
    /// The number of the training certificate already issued for this class, if any.
    pub certificate: Option<&'a str>,
}

/// Why a trainee may not be certified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompletionRefusal {
    /// Sessions of this many hours are still to come.
    SessionsUpcoming { hours: u32 },
    /// The timetable is shorter than the occupation's 学时要求.
    ClassHoursBelowStandard { timetable: u32, standard: u32 },
    /// Not enough counted hours.
    AttendanceBelowMinimum {
        percent: u32,
        minimum: u32,
        missing_hours: u32,
        /// Online hours credited but left out by the half-online cap.
        online_not_counted: u32,
    },
    /// No 结业考核 result recorded.
    NoResult,
    /// The 结业考核 was not passed.
    Failed { remark: Option<String> },
    /// A training certificate was issued already.
    AlreadyCertified { number: String },
}

/// The highest score a result may carry.
pub const SCORE_MAX: u32 = 100;

/// Whether a trainee may be certified: `Ok` or every reason why not, in the order above.
pub fn assess(facts: &CompletionFacts<'_>) -> Result<(), Vec<CompletionRefusal>> {
    let ledger = facts.ledger;
    let mut refusals = Vec::new();
    if ledger.upcoming_hours > 0 {
        refusals.push(CompletionRefusal::SessionsUpcoming {
            hours: ledger.upcoming_hours,
        });
    }
    if ledger.timetable_hours < facts.standard_hours {
        refusals.push(CompletionRefusal::ClassHoursBelowStandard {
            timetable: ledger.timetable_hours,
            standard: facts.standard_hours,
        });
    }
    if !ledger.meets_minimum() {
        refusals.push(CompletionRefusal::AttendanceBelowMinimum {
            percent: ledger.attendance_percent(),
            minimum: ledger.minimum_attendance_percent,
            missing_hours: ledger.missing_hours,
            online_not_counted: ledger.online_hours_beyond_share(),
        });
    }
    match facts.result {
        None => refusals.push(CompletionRefusal::NoResult),
        Some(result) if !result.passed => refusals.push(CompletionRefusal::Failed {
            remark: result.remark.clone(),
        }),
        Some(_) => {}
    }
    if let Some(number) = facts.certificate {
        refusals.push(CompletionRefusal::AlreadyCertified {
            number: number.to_owned(),
        });
    }
    if refusals.is_empty() {
        Ok(())
    } else {
        Err(refusals)
    }
}

impl CompletionRefusal {
    /// The stable code used in the API.
    pub fn code(&self) -> &'static str {
        match self {
            CompletionRefusal::SessionsUpcoming { .. } => "sessions_upcoming",
            CompletionRefusal::ClassHoursBelowStandard { .. } => "class_hours_below_standard",
            CompletionRefusal::AttendanceBelowMinimum { .. } => "attendance_below_minimum",
            CompletionRefusal::NoResult => "no_result",
            CompletionRefusal::Failed { .. } => "failed",
            CompletionRefusal::AlreadyCertified { .. } => "already_certified",
        }
    }

    /// The Chinese message shown to the institution.
    pub fn message(&self) -> String {
        match self {
            CompletionRefusal::SessionsUpcoming { hours } => {
                format!("培训尚未结束，还有 {hours} 学时的课程未上")
            }
            CompletionRefusal::ClassHoursBelowStandard {
                timetable,
                standard,
            } => format!("班级课表共 {timetable} 学时，未达到该职业等级的学时要求 {standard} 学时"),
            CompletionRefusal::AttendanceBelowMinimum {
                percent,
                minimum,
                missing_hours,
                online_not_counted,
            } => {
                let mut message = format!(
                    "出勤率 {percent}%，低于结业要求的 {minimum}%，还差 {missing_hours} 学时"
                );
                if *online_not_counted > 0 {
                    message.push_str(&format!(
                        "（另有 {online_not_counted} 学时线上学时超出线上学时上限，不计入）"
                    ));
                }
                message
            }
            CompletionRefusal::NoResult => "尚未录入结业考核结果".to_owned(),
            CompletionRefusal::Failed { remark: None } => "结业考核未通过".to_owned(),
            CompletionRefusal::Failed {
                remark: Some(remark),
            } => format!("结业考核未通过：{remark}"),
            CompletionRefusal::AlreadyCertified { number } => {
                format!("已为该学员颁发培训合格证书 {number}")
            }
        }
    }
}

impl fmt::Display for CompletionRefusal {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message())
    }
}

#[cfg(test)]
#[path = "completion_tests.rs"]
mod tests;
