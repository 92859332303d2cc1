//! Online learning time (SPEC step 4: "learning time from heartbeats, credited up to the
//! session's hours"; issue 5 item 3): credited time from the learning page's heartbeats while
//! the page is visible, interrupted by unanswered presence confirmations, capped at the
//! session's hours.

use crate::class_rules::MINUTES_PER_HOUR;
use chrono::{DateTime, Utc};

/// The longest gap between two consecutive visible heartbeats that still counts, in seconds.
/// The page beats every 30 s; 90 s forgives two lost beats on a weak network, and a longer
/// silence (the phone asleep, the trainee gone) credits nothing.
pub const HEARTBEAT_GAP_MAX_SECONDS: i64 = 90;

/// How long a trainee has to answer a presence confirmation, in seconds. A confirmation not
/// answered within this time stops the credit from the moment it was asked.
pub const PRESENCE_ANSWER_SECONDS: i64 = 120;

/// No confirmation is asked in the first minute of a 学时 block, so that the first one does not
/// greet a trainee who has just opened the page.
const PRESENCE_FIRST_SECOND: u32 = 60;

/// One heartbeat from the learning page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Heartbeat {
    pub at: DateTime<Utc>,
    /// Whether the page was visible (`document.visibilityState == "visible"`).
    pub visible: bool,
}

/// A presence confirmation (随机在线确认) the page showed, and when the trainee answered it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PresenceCheck {
    pub asked_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

/// The time credited for one online session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OnlineCredit {
    /// Whole minutes heard before the cap, for the trainee's own view.
    pub minutes_heard: u32,
    /// Whole minutes credited: `minutes_heard` capped at the session's hours × 45.
    pub minutes: u32,
    /// Whole 学时 credited: `minutes / 45`, rounded down.
    pub hours: u32,
}

impl PresenceCheck {
    /// Answered within [`PRESENCE_ANSWER_SECONDS`] of being asked (an answer stamped before
    /// the question is no answer).
    pub fn answered_in_time(&self) -> bool {
        self.answered_at.is_some_and(|answered| {
            let taken = (answered - self.asked_at).num_milliseconds();
            (0..=PRESENCE_ANSWER_SECONDS * 1000).contains(&taken)
        })
    }
}

/// The credit of an online session of `session_hours` 学时 from its heartbeats and presence
/// confirmations (in any order).
///
/// Credited time is the sum of the spans between consecutive heartbeats (in time order) that
/// are both visible and at most [`HEARTBEAT_GAP_MAX_SECONDS`] apart. A confirmation not
/// answered in time stops the credit from when it was asked until the next confirmation
/// answered in time is answered (or to the end, if none is); a late answer does not resume it.
/// Two pages open at once do not count twice: the heartbeats are merged into one timeline.
/// The result is capped at `session_hours × MINUTES_PER_HOUR` minutes (the 学时 of the plan,
/// `class_rules::MINUTES_PER_HOUR`).
pub fn online_credit(
    session_hours: u32,
    heartbeats: &[Heartbeat],
    checks: &[PresenceCheck],
) -> OnlineCredit {
    let mut beats = heartbeats.to_vec();
    beats.sort_by_key(|beat| beat.at);
    let pauses = pauses(checks);
    let milliseconds: i64 = beats
        .windows(2)
        .filter_map(|pair| match pair {
            [from, to] if from.visible && to.visible => {
                let gap = (to.at - from.at).num_milliseconds();
                (gap <= HEARTBEAT_GAP_MAX_SECONDS * 1000).then_some((from.at, to.at))
            }
            _ => None,
        })
        .map(|span| {
            let paused: i64 = pauses.iter().map(|&pause| overlap_ms(span, pause)).sum();
            (span.1 - span.0).num_milliseconds() - paused
        })
        .sum();
    let minutes_heard = u32::try_from(milliseconds.max(0) / 60_000).unwrap_or(u32::MAX);
    let minutes = minutes_heard.min(session_minutes(session_hours));
    OnlineCredit {
        minutes_heard,
        minutes,
        hours: credited_hours(session_hours, minutes),
    }
}

/// The whole 学时 that `minutes` of online learning earn in a session of `session_hours`:
/// the minutes capped at the session's `session_hours × MINUTES_PER_HOUR`, divided by
/// `MINUTES_PER_HOUR` and rounded down. The hours ledger counts online sessions with it.
pub fn credited_hours(session_hours: u32, minutes: u32) -> u32 {
    minutes.min(session_minutes(session_hours)) / MINUTES_PER_HOUR
}

/// When to ask a trainee to confirm presence in an online session of `session_hours` 学时: one
/// confirmation in each 45-minute block of learning, at a second drawn from `random` (a
/// number the caller draws once per trainee and session, and keeps so that the schedule can be
/// shown again to an auditor). Seconds of learning into the session, ascending.
///
/// Within block `k` the confirmation falls between 60 s after the block starts and
/// [`PRESENCE_ANSWER_SECONDS`] before it ends, so two are never open at once.
pub fn presence_check_schedule(session_hours: u32, random: u64) -> Vec<u32> {
    let block = MINUTES_PER_HOUR * 60;
    let answer = u32::try_from(PRESENCE_ANSWER_SECONDS).unwrap_or(block);
    let span = block.saturating_sub(PRESENCE_FIRST_SECOND + answer).max(1);
    let mut state = random;
    (0..session_hours)
        .map(|k| {
            let draw = split_mix_64(&mut state) % u64::from(span);
            let within = PRESENCE_FIRST_SECOND + u32::try_from(draw).unwrap_or(0);
            k.saturating_mul(block).saturating_add(within)
        })
        .collect()
}

/// The longest a session of `session_hours` can credit, in minutes.
fn session_minutes(session_hours: u32) -> u32 {
    session_hours.saturating_mul(MINUTES_PER_HOUR)
}

/// The spans during which nothing is credited: from a confirmation not answered in time until
/// the answer of the next one answered in time (`DateTime::<Utc>::MAX_UTC` when none is).
fn pauses(checks: &[PresenceCheck]) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut checks = checks.to_vec();
    checks.sort_by_key(|check| check.asked_at);
    let mut pauses = Vec::new();
    let mut paused_since = None;
    for check in &checks {
        match (paused_since, check.answered_in_time()) {
            (None, false) => paused_since = Some(check.asked_at),
            (Some(since), true) => {
                if let Some(answered) = check.answered_at {
                    pauses.push((since, answered));
                }
                paused_since = None;
            }
            _ => {}
        }
    }
    if let Some(since) = paused_since {
        pauses.push((since, DateTime::<Utc>::MAX_UTC));
    }
    pauses
}

/// The milliseconds two spans share.
fn overlap_ms(
    (a_from, a_to): (DateTime<Utc>, DateTime<Utc>),
    (b_from, b_to): (DateTime<Utc>, DateTime<Utc>),
) -> i64 {
    let from = a_from.max(b_from);
    let to = a_to.min(b_to);
    if to > from {
        (to - from).num_milliseconds()
    } else {
        0
    }
}

/// SplitMix64 (Steele, Lea and Flood, 2014): spreads one caller-supplied random number into a
/// sequence, so the domain needs no random number generator of its own.
fn split_mix_64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
