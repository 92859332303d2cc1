//! The facts the detectors read: plain records the storage gathers province-wide, with ids
//! for evidence and nothing a detector would have to look up elsewhere.

use super::MaskedName;
use crate::attendance::CheckKind;
use crate::class::Delivery;
use chrono::{DateTime, Utc};
use dte_geo::LatLon;

/// Everything the detectors look at, province-wide: the storage fills it; the web layer filters
/// the flags by the caller's scope afterwards (a pattern may span classes of several regions).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Dataset {
    /// The moment of the check ("now"), for sessions that have ended.
    pub as_of: DateTime<Utc>,
    pub people: Vec<PersonFact>,
    pub sessions: Vec<SessionFact>,
    /// Active enrolments only (withdrawn or cancelled ones hold no seat).
    pub enrolments: Vec<EnrolmentFact>,
    /// Every check-in and check-out record and every refused attempt.
    pub check_ins: Vec<CheckInFact>,
    pub corrections: Vec<CorrectionFact>,
    pub claims: Vec<ClaimedHours>,
}

/// A person as evidence may name them: the id and the masked name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFact {
    pub person_id: i64,
    pub name: MaskedName,
}

/// One session of a class's timetable, with its moments in UTC.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionFact {
    pub class_id: i64,
    pub session_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub delivery: Delivery,
    /// Class hours (学时) of the session.
    pub hours: u32,
    /// A recording (file or reference) is registered for the session.
    pub has_recording: bool,
}

/// A person's active enrolment in a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrolmentFact {
    pub person_id: i64,
    pub class_id: i64,
}

/// One check-in or check-out of an offline session as recorded: counted, refused, or entered
/// or changed by the institution.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInFact {
    /// The record's id, cited in evidence.
    pub id: i64,
    pub class_id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub at: DateTime<Utc>,
    pub kind: CheckKind,
    /// The browser's reading (WGS-84); none when the institution entered the record without one.
    pub position: Option<LatLon>,
    /// The accuracy the browser reported, in metres (the radius of 95 % confidence).
    pub accuracy_m: f64,
    /// The device id bound to the browser; none for records the institution entered.
    pub device_id: Option<String>,
    /// How far the position lies outside the session's fence, in metres (0 inside).
    pub distance_outside_fence_m: f64,
    /// How far outside the fence the check-in rule tolerated for the reported accuracy, in
    /// metres: the attendance rule decides it, this module only compares against it.
    pub allowance_m: f64,
    /// The record counts as attendance.
    pub accepted: bool,
    /// A refused attempt whose classroom code was wrong, or that came after the session's
    /// code slots were used up (`code_expired`, `check_in_locked`).
    pub wrong_code: bool,
    /// The institution entered or changed the record (补签/更正): it is the institution's word,
    /// not a phone's reading, so the device, coordinate and travel detectors skip it.
    pub corrected: bool,
}

/// One correction of attendance by the institution (issue 5, item 2: only with a reason).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CorrectionFact {
    pub id: i64,
    pub class_id: i64,
    pub session_id: i64,
    pub person_id: i64,
    pub at: DateTime<Utc>,
}

/// The hours claimed for a person in a class (补贴申领) next to the hours the ledger credits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimedHours {
    pub class_id: i64,
    pub person_id: i64,
    /// Class hours (学时) claimed.
    pub claimed_hours: u32,
    /// Class hours (学时) attended, offline and online: the hours ledger's `total_hours`
    /// (`attendance::hours_ledger`).
    pub attended_hours: u32,
}
