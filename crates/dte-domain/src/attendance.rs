//! Attendance (考勤, SPEC step 4; issue 5): whether a check-in or check-out counts, how much
//! online learning is credited, and the hours ledger of a trainee in a class.
//!
//! The plan asks institutions to 严格培训学员考勤 (四（二）) and the cities to supervise remotely
//! 利用电子围栏、定位签到等信息化手段 (四（三）); online hours may not pass 50 % of the total
//! (四（一）). Each rule lives in one submodule:
//!
//! - [`check_in`] — [`decide_check`]: the session's time window, the electronic fence allowing
//!   for the reported accuracy, the classroom code, and online sessions (which have no
//!   check-in); every refusal with a stable code and a Chinese message with the numbers.
//! - [`online`] — [`online_credit`]: credited time from heartbeats and presence
//!   confirmations, up to the session's hours; [`presence_check_schedule`] draws when to ask.
//! - [`learning`] — [`decide_heartbeat`]: a heartbeat counts only for an online session within
//!   its timetable slot; [`presence_check_due`] says when to ask the next confirmation.
//! - [`ledger`] — [`hours_ledger`]: offline and online hours, the online share capped by
//!   `class_rules::online_hours_limit`, the attendance rate and what completion still needs.
//! - [`correction`] — [`CorrectionReason`]: an institution corrects a record only with a reason.
//!
//! # Time
//!
//! Attempts and heartbeats arrive as UTC instants (`DateTime<Utc>`); a timetable's dates and
//! times are wall-clock times in China. This module converts with a fixed offset of +08:00
//! ([`SHANGHAI_OFFSET_SECONDS`]) instead of the tz database: China Standard Time has had no
//! daylight saving time since 1991, so the fixed offset is exact for every date a class can
//! have, and the domain crate keeps its dependencies to chrono alone.
//!
//! No clock is read here: every "now" is a parameter.

pub mod check_in;
pub mod correction;
pub mod learning;
pub mod ledger;
pub mod online;

pub use check_in::{
    Attempt, CHECK_IN_CLOSES_AFTER_START_MINUTES, CHECK_IN_OPENS_BEFORE_START_MINUTES,
    CHECK_OUT_CLOSES_AFTER_END_MINUTES, CHECK_OUT_OPENS_BEFORE_END_MINUTES, CheckKind, CodeSlot,
    MAX_ACCURACY_ALLOWANCE_M, MAX_ACCURACY_M, Refusal, Timing, Verdict, WRONG_CODES_PER_SESSION,
    Window, counts_as_outside_fence, decide_check, decide_time_and_place, fence_allowance_m,
    judge_code,
};
pub use correction::{
    CorrectionReason, CorrectionReasonError, CorrectionTooEarly, MAX_CORRECTION_REASON_CHARS,
    check_correctable,
};
pub use learning::{HeartbeatRefusal, decide_heartbeat, presence_check_due};
pub use ledger::{
    AttendanceMismatch, HoursLedger, Punch, SessionAttendance, counted_punch, hours_ledger,
    offline_attendance,
};
pub use online::{
    HEARTBEAT_GAP_MAX_SECONDS, Heartbeat, OnlineCredit, PRESENCE_ANSWER_SECONDS, PresenceCheck,
    credited_hours, online_credit, presence_check_schedule,
};

use chrono::{DateTime, FixedOffset, NaiveDateTime, Utc};

/// China Standard Time, UTC+08:00, in seconds east of UTC: the offset of every session's
/// wall-clock times (no daylight saving time since 1991).
pub const SHANGHAI_OFFSET_SECONDS: i32 = 8 * 3600;

/// The wall-clock time in China (Asia/Shanghai) of an instant.
pub fn shanghai_local(at: DateTime<Utc>) -> NaiveDateTime {
    match FixedOffset::east_opt(SHANGHAI_OFFSET_SECONDS) {
        Some(offset) => at.with_timezone(&offset).naive_local(),
        // Unreachable: eight hours is within a day, the range `east_opt` accepts.
        None => at.naive_utc(),
    }
}

/// The instant of a wall-clock time in China (Asia/Shanghai, +08:00): the inverse of
/// [`shanghai_local`], for a session's start and end.
pub fn shanghai_instant(local: NaiveDateTime) -> DateTime<Utc> {
    DateTime::<Utc>::from_naive_utc_and_offset(
        local - chrono::TimeDelta::seconds(i64::from(SHANGHAI_OFFSET_SECONDS)),
        Utc,
    )
}

#[cfg(test)]
mod tests;
