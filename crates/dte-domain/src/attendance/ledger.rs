//! The hours ledger (学时台账) of one trainee in one class (SPEC step 4; issue 5 item 4):
//! offline and online hours attended, the online share capped at half, the attendance rate
//! against the timetable, and what completion (SPEC step 5: "those who pass with enough
//! attendance") still needs under the setting `minimum_attendance_percent`.
//!
//! **How an offline session counts — the strict reading.** The plan asks institutions to
//! 严格培训学员考勤 (四（二）). A session counts for all its hours only when the trainee both
//! checked in and checked out; a check-in alone, or a check-out alone, counts nothing, because
//! it proves an arrival or a departure but not the session in between. There are no half
//! sessions. A late check-in or an early check-out does not cut the hours: the windows of
//! [`super::check_in`] already bound them to a quarter of an hour, and the ledger counts them so
//! that the institution sees them. A forgotten check-out is mended by a correction with a
//! reason ([`super::CorrectionReason`]), which the ledger counts as corrected.
//!
//! **Online sessions** earn [`super::credited_hours`] of their credited minutes, session by
//! session; and the online hours counted can never make more than half of the trainee's
//! counted hours (the plan's 四（一）, through `class_rules::online_hours_limit`).

use super::check_in::{CheckKind, Timing, Window, timing};
use super::online::credited_hours;
use super::shanghai_local;
use crate::class::{Delivery, SessionPlan};
use crate::class_rules::{online_hours_limit, timetable_hours};
use crate::policy::Percent;
use chrono::{DateTime, Utc};

/// A check-in or check-out as recorded: its timing, and whether the institution made or
/// changed it by a correction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Punch {
    pub timing: Timing,
    pub corrected: bool,
}

/// A trainee's attendance of one session of the timetable.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionAttendance {
    /// Not over yet (for an offline session: its check-out window has not closed), whatever
    /// has been recorded so far. Counts nothing now, and all its hours in the best case.
    Upcoming,
    /// Over, and nothing recorded.
    Absent,
    /// An offline session's check-in and check-out (after any correction).
    Offline {
        check_in: Option<Punch>,
        check_out: Option<Punch>,
    },
    /// An online session's credited minutes (`online_credit(..).minutes`).
    Online { credited_minutes: u32 },
}

/// The ledger of one trainee in one class. Hours are whole 学时.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HoursLedger {
    /// The timetable's hours: all sessions, and the online ones.
    pub timetable_hours: u32,
    pub timetable_online_hours: u32,
    /// Offline hours attended (sessions with both check-in and check-out).
    pub offline_hours: u32,
    /// Online hours credited by the sessions, before the cap on the online share.
    pub online_credited_hours: u32,
    /// Online hours counted: `online_credited_hours` within half of the counted total.
    pub online_hours: u32,
    /// `offline_hours + online_hours`.
    pub total_hours: u32,
    /// The setting `minimum_attendance_percent` in force (default 90).
    pub minimum_attendance_percent: u32,
    /// The hours completion needs: the timetable's hours × the minimum percent, rounded up.
    pub required_hours: u32,
    /// `required_hours − total_hours`, or 0.
    pub missing_hours: u32,
    /// The hours of sessions still to come.
    pub upcoming_hours: u32,
    /// The total the trainee would reach by attending every upcoming session in full.
    pub reachable_hours: u32,
    /// Offline sessions with a check-in but no check-out, or the other way round.
    pub incomplete_sessions: u32,
    pub late_arrivals: u32,
    pub early_departures: u32,
    /// Offline sessions with a corrected check-in or check-out.
    pub corrected_sessions: u32,
}

/// The sessions and their attendance records do not pair up: a caller's mistake.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("课表有 {sessions} 节，但考勤记录有 {records} 条")]
pub struct AttendanceMismatch {
    pub sessions: usize,
    pub records: usize,
}

/// The ledger of a trainee whose attendance of `sessions[i]` is `attendance[i]`, under the
/// setting `minimum_attendance_percent`. A record of the other delivery (an online record
/// for an offline session, or the reverse) counts nothing.
pub fn hours_ledger(
    sessions: &[SessionPlan],
    attendance: &[SessionAttendance],
    minimum_attendance_percent: u32,
    online_share_max: Percent,
) -> Result<HoursLedger, AttendanceMismatch> {
    if sessions.len() != attendance.len() {
        return Err(AttendanceMismatch {
            sessions: sessions.len(),
            records: attendance.len(),
        });
    }
    let timetable = timetable_hours(sessions);
    let mut ledger = HoursLedger {
        timetable_hours: timetable.total,
        timetable_online_hours: timetable.online,
        offline_hours: 0,
        online_credited_hours: 0,
        online_hours: 0,
        total_hours: 0,
        minimum_attendance_percent,
        required_hours: required_hours(timetable.total, minimum_attendance_percent),
        missing_hours: 0,
        upcoming_hours: 0,
        reachable_hours: 0,
        incomplete_sessions: 0,
        late_arrivals: 0,
        early_departures: 0,
        corrected_sessions: 0,
    };
    let (mut upcoming_offline, mut upcoming_online) = (0u32, 0u32);
    for (session, record) in sessions.iter().zip(attendance) {
        match (session.delivery, record) {
            (Delivery::Offline, SessionAttendance::Upcoming) => {
                upcoming_offline = upcoming_offline.saturating_add(session.hours);
            }
            (Delivery::Online, SessionAttendance::Upcoming) => {
                upcoming_online = upcoming_online.saturating_add(session.hours);
            }
            (
                Delivery::Offline,
                SessionAttendance::Offline {
                    check_in,
                    check_out,
                },
            ) => ledger.count_offline(session.hours, *check_in, *check_out),
            (Delivery::Online, SessionAttendance::Online { credited_minutes }) => {
                let hours = credited_hours(session.hours, *credited_minutes);
                ledger.online_credited_hours = ledger.online_credited_hours.saturating_add(hours);
            }
            _ => {}
        }
    }
    ledger.online_hours = counted_online_hours(
        ledger.offline_hours,
        ledger.online_credited_hours,
        online_share_max,
    );
    ledger.total_hours = ledger.offline_hours.saturating_add(ledger.online_hours);
    ledger.missing_hours = ledger.required_hours.saturating_sub(ledger.total_hours);
    ledger.upcoming_hours = upcoming_offline.saturating_add(upcoming_online);
    let best_offline = ledger.offline_hours.saturating_add(upcoming_offline);
    let best_online = ledger.online_credited_hours.saturating_add(upcoming_online);
    ledger.reachable_hours = best_offline.saturating_add(counted_online_hours(
        best_offline,
        best_online,
        online_share_max,
    ));
    Ok(ledger)
}

impl HoursLedger {
    /// Counted hours against the timetable's, in percent rounded down (0 for an empty
    /// timetable). Completion is decided on hours ([`HoursLedger::meets_minimum`]), not on
    /// this rounded figure.
    pub fn attendance_percent(&self) -> u32 {
        if self.timetable_hours == 0 {
            return 0;
        }
        let percent = u64::from(self.total_hours) * 100 / u64::from(self.timetable_hours);
        u32::try_from(percent).unwrap_or(u32::MAX)
    }

    /// Whether the counted hours reach the minimum attendance for completion.
    pub fn meets_minimum(&self) -> bool {
        self.missing_hours == 0
    }

    /// Whether attending every upcoming session in full would still reach the minimum.
    pub fn can_still_complete(&self) -> bool {
        self.reachable_hours >= self.required_hours
    }

    /// Online hours credited but not counted, because they would make the online share more
    /// than half.
    pub fn online_hours_beyond_share(&self) -> u32 {
        self.online_credited_hours - self.online_hours
    }

    fn count_offline(&mut self, hours: u32, check_in: Option<Punch>, check_out: Option<Punch>) {
        match (check_in, check_out) {
            (Some(_), Some(_)) => self.offline_hours = self.offline_hours.saturating_add(hours),
            (Some(_), None) | (None, Some(_)) => self.incomplete_sessions += 1,
            (None, None) => {}
        }
        if matches!(
            check_in,
            Some(Punch {
                timing: Timing::Late { .. },
                ..
            })
        ) {
            self.late_arrivals += 1;
        }
        if matches!(
            check_out,
            Some(Punch {
                timing: Timing::Early { .. },
                ..
            })
        ) {
            self.early_departures += 1;
        }
        if [check_in, check_out]
            .iter()
            .flatten()
            .any(|punch| punch.corrected)
        {
            self.corrected_sessions += 1;
        }
    }
}

/// A trainee's check-in (or check-out) of an offline session as it counts, from the accepted
/// record (`accepted_at`) and the institution's latest correction of it (`Some(true)`: the
/// trainee was there, 补签; `Some(false)`: the record does not count). The latest correction
/// decides (SPEC step 4: "the institution may correct a record only with a reason"); a 补签
/// counts as on time, because the institution vouches for the whole session, and is marked
/// corrected so that the ledger and the `many_corrections` flag see it.
pub fn counted_punch(
    session: &SessionPlan,
    kind: CheckKind,
    accepted_at: Option<DateTime<Utc>>,
    latest_correction: Option<bool>,
) -> Option<Punch> {
    match latest_correction {
        Some(true) => Some(Punch {
            timing: Timing::OnTime,
            corrected: true,
        }),
        Some(false) => None,
        None => accepted_at.map(|at| Punch {
            timing: timing(session, kind, shanghai_local(at)),
            corrected: false,
        }),
    }
}

/// An offline session's attendance at `as_of`: upcoming until its check-out window closes
/// (a trainee may still check out), then what was counted, or absent.
pub fn offline_attendance(
    session: &SessionPlan,
    as_of: DateTime<Utc>,
    check_in: Option<Punch>,
    check_out: Option<Punch>,
) -> SessionAttendance {
    if shanghai_local(as_of) <= Window::of(session, CheckKind::CheckOut).closes {
        return SessionAttendance::Upcoming;
    }
    match (check_in, check_out) {
        (None, None) => SessionAttendance::Absent,
        _ => SessionAttendance::Offline {
            check_in,
            check_out,
        },
    }
}

/// The hours completion needs: `timetable_hours × percent / 100`, rounded up, so that 90 % of
/// 64 hours is 58 (57 would be 89.06 %).
fn required_hours(timetable_hours: u32, percent: u32) -> u32 {
    let needed = (u64::from(timetable_hours) * u64::from(percent)).div_ceil(100);
    u32::try_from(needed).unwrap_or(u32::MAX)
}

/// The most of `online` credited hours that count next to `offline` hours: the largest
/// `counted ≤ online` with `counted ≤ online_hours_limit(offline + counted)`, so the rule of
/// the plan's 四（一）stays in `class_rules` whatever its share.
fn counted_online_hours(offline: u32, online: u32, share: Percent) -> u32 {
    (0..=online)
        .rev()
        .find(|&counted| counted <= online_hours_limit(offline.saturating_add(counted), share))
        .unwrap_or(0)
}
