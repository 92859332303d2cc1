//! Whether the learning page's heartbeat may count (issue 5 item 3: online sessions are
//! learned in their timetable slot), and when the next presence confirmation is due.

use super::shanghai_local;
use crate::class::{Delivery, SessionPlan};
use chrono::{DateTime, NaiveDateTime, Utc};

/// Why a heartbeat is not taken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HeartbeatRefusal {
    /// The session is taught in the classroom: its attendance is checked in, not heard.
    NotOnline,
    /// The session has not begun (wall-clock time in China).
    NotStarted { starts: NaiveDateTime },
    /// The session is over.
    Ended { ended: NaiveDateTime },
}

/// Takes a heartbeat at `at` (the server's clock) for `session` only if the session is online
/// and `at` lies within its timetable slot, start included and end excluded: the plan's online
/// hours are hours of the timetable (四（一）: 线上学时不超过总学时的50%), so learning outside the
/// slot is not the session's learning.
pub fn decide_heartbeat(session: &SessionPlan, at: DateTime<Utc>) -> Result<(), HeartbeatRefusal> {
    if session.delivery != Delivery::Online {
        return Err(HeartbeatRefusal::NotOnline);
    }
    let local = shanghai_local(at);
    let starts = session.date.and_time(session.start);
    let ends = session.date.and_time(session.end);
    if local < starts {
        Err(HeartbeatRefusal::NotStarted { starts })
    } else if local >= ends {
        Err(HeartbeatRefusal::Ended { ended: ends })
    } else {
        Ok(())
    }
}

/// Whether a presence confirmation is due: `asked` confirmations were asked already, the
/// trainee has `seconds_heard` seconds of learning, and `schedule` comes from
/// [`super::presence_check_schedule`] (seconds of learning, ascending).
pub fn presence_check_due(schedule: &[u32], asked: usize, seconds_heard: u32) -> bool {
    schedule
        .get(asked)
        .is_some_and(|&second| seconds_heard >= second)
}

impl HeartbeatRefusal {
    /// A stable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            HeartbeatRefusal::NotOnline => "not_online",
            HeartbeatRefusal::NotStarted { .. } => "session_not_started",
            HeartbeatRefusal::Ended { .. } => "session_ended",
        }
    }

    /// What the trainee reads.
    pub fn message(&self) -> String {
        match self {
            HeartbeatRefusal::NotOnline => "该课次为线下授课，不计线上学习时长".to_owned(),
            HeartbeatRefusal::NotStarted { starts } => format!(
                "课次尚未开始（{}开始），开始后学习才计入学时",
                starts.format("%Y-%m-%d %H:%M")
            ),
            HeartbeatRefusal::Ended { ended } => format!(
                "课次已于 {} 结束，结束后的学习不计入学时",
                ended.format("%Y-%m-%d %H:%M")
            ),
        }
    }
}
