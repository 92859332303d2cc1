//! Attendance on the wire: a class's hours ledger, line by line.

use dte_app::classes::attendance::{ClassLedger, TraineeLedger};
use serde::Serialize;
use utoipa::ToSchema;

/// A class's hours ledger (学时台账).
#[derive(Debug, Serialize, ToSchema)]
pub struct Ledger {
    pub class_id: i64,
    /// The setting in force on the class's last day.
    pub minimum_attendance_percent: u32,
    /// One line per active trainee (a trainee sees only their own).
    pub items: Vec<LedgerLine>,
    /// Always null: a class's ledger fits on one page (capacity ≤ 200).
    pub next: Option<String>,
}

/// One trainee's hours in a class. Hours are whole 学时 of 45 minutes.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerLine {
    pub person_id: i64,
    pub name: String,
    pub timetable_hours: u32,
    /// Offline sessions attended (check-in and check-out, after corrections).
    pub offline_hours: u32,
    /// Online hours credited by the sessions, before the policy's online share caps them.
    pub online_credited_hours: u32,
    /// Online hours counted (never more than half of the counted total).
    pub online_hours: u32,
    pub total_hours: u32,
    /// Counted hours against the timetable's, rounded down.
    pub attendance_percent: u32,
    /// The hours completion needs.
    pub required_hours: u32,
    pub missing_hours: u32,
    pub upcoming_hours: u32,
    /// Whether attendance already meets the minimum for completion.
    pub meets_minimum: bool,
    /// Whether attending every remaining session would still reach it.
    pub can_still_complete: bool,
    pub incomplete_sessions: u32,
    pub late_arrivals: u32,
    pub early_departures: u32,
    pub corrected_sessions: u32,
}

impl From<&TraineeLedger> for LedgerLine {
    fn from(line: &TraineeLedger) -> LedgerLine {
        let ledger = &line.ledger;
        LedgerLine {
            person_id: line.person_id,
            name: line.name.clone(),
            timetable_hours: ledger.timetable_hours,
            offline_hours: ledger.offline_hours,
            online_credited_hours: ledger.online_credited_hours,
            online_hours: ledger.online_hours,
            total_hours: ledger.total_hours,
            attendance_percent: ledger.attendance_percent(),
            required_hours: ledger.required_hours,
            missing_hours: ledger.missing_hours,
            upcoming_hours: ledger.upcoming_hours,
            meets_minimum: ledger.meets_minimum(),
            can_still_complete: ledger.can_still_complete(),
            incomplete_sessions: ledger.incomplete_sessions,
            late_arrivals: ledger.late_arrivals,
            early_departures: ledger.early_departures,
            corrected_sessions: ledger.corrected_sessions,
        }
    }
}

impl From<&ClassLedger> for Ledger {
    fn from(ledger: &ClassLedger) -> Ledger {
        Ledger {
            class_id: ledger.class.id,
            minimum_attendance_percent: ledger.minimum_attendance_percent,
            items: ledger.trainees.iter().map(LedgerLine::from).collect(),
            next: None,
        }
    }
}

/// A correction just recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct CorrectionCreated {
    pub id: i64,
}
