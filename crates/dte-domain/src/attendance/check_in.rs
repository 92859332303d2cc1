//! Whether an offline session's check-in or check-out counts (SPEC step 4; issue 5 item 1):
//! inside the session's time window, inside the class's electronic fence allowing for the
//! phone's reported accuracy, with the classroom's rotating code (the plan's 四（三）:
//! 电子围栏、定位签到).
//!
//! [`decide_check`] gives a [`Verdict`] (on time, late or early, and how far outside the fence
//! the reported position lay) or every [`Refusal`], each with a stable [`Refusal::code`] and a
//! Chinese [`Refusal::message`] that says why with the numbers.

use super::shanghai_local;
use crate::class::{Delivery, SessionPlan};
use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, Utc};
use dte_geo::{Fence, LatLon, describe_distance, distance_outside_fence_m};

/// How early check-in opens, in minutes before the session starts. The plan sets no window;
/// half an hour lets a class that queues at the door at 07:30 for an 08:00 start check in
/// before the teacher begins, without letting anyone check in for a session long before it.
pub const CHECK_IN_OPENS_BEFORE_START_MINUTES: i64 = 30;

/// How long check-in stays open after the start, in minutes. A check-in after the start is
/// accepted and marked late; after a quarter of an hour the trainee has missed a third of a
/// 45-minute 学时 and the check-in is refused (the institution may still correct the record
/// with a reason).
pub const CHECK_IN_CLOSES_AFTER_START_MINUTES: i64 = 15;

/// How early check-out opens, in minutes before the session ends. A check-out before the end
/// is accepted and marked early; earlier than this it is refused, so that a trainee cannot
/// check in and out at once and leave.
pub const CHECK_OUT_OPENS_BEFORE_END_MINUTES: i64 = 15;

/// How long check-out stays open after the end, in minutes: an hour, for a session that runs
/// over and for the queue at the door, while still on the session's afternoon.
pub const CHECK_OUT_CLOSES_AFTER_END_MINUTES: i64 = 60;

/// The worst reported accuracy accepted, in metres: beyond 200 m a fix is usually from Wi-Fi
/// or cell towers, not GPS, and cannot tell the classroom from the street around it.
pub const MAX_ACCURACY_M: f64 = 200.0;

/// The most the reported accuracy may excuse, in metres: a position counts as inside when its
/// distance outside the fence is at most `min(accuracy, 100 m)`, so a poor fix cannot stretch
/// a fence by more than 100 m.
pub const MAX_ACCURACY_ALLOWANCE_M: f64 = 100.0;

/// How many wrong classroom codes a trainee may type for one session (issue 15 item 2). With
/// two valid codes of a million at any moment, five guesses give one chance in 100,000; a
/// typo or a code that rotated while being typed is forgiven four times. After the fifth
/// wrong code the session takes no more attempts from that trainee: if they were there, the
/// institution corrects the attendance with a reason (and three wrong codes already raise
/// the `code_guessing` flag).
pub const WRONG_CODES_PER_SESSION: u32 = 5;

/// Checking in at the start of a session or out at its end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckKind {
    CheckIn,
    CheckOut,
}

/// One attempt from a trainee's phone, as the web layer received it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attempt {
    pub kind: CheckKind,
    /// When the server received it.
    pub at: DateTime<Utc>,
    /// The browser's reported position (WGS-84).
    pub position: LatLon,
    /// The browser's reported accuracy (`GeolocationCoordinates.accuracy`): the radius in
    /// metres around `position` within which the phone is, with 95 % confidence.
    pub accuracy_m: f64,
    /// Whether the typed classroom code was accepted (`dte_crypto::rotating_code::accepts`).
    pub code_accepted: bool,
}

/// When a check-in or check-out is possible, in China's wall-clock time; both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub opens: NaiveDateTime,
    pub closes: NaiveDateTime,
}

/// When an accepted attempt came, against the session's start (check-in) or end (check-out).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    OnTime,
    /// A check-in after the start, by this many minutes (rounded up).
    Late {
        minutes: u32,
    },
    /// A check-out before the end, by this many minutes (rounded up).
    Early {
        minutes: u32,
    },
}

/// An accepted check-in or check-out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Verdict {
    pub kind: CheckKind,
    pub timing: Timing,
    /// How far outside the fence the reported position lay, in metres (0 inside): a position
    /// accepted thanks to its accuracy keeps its distance on record, though it does not count
    /// as outside the fence ([`counts_as_outside_fence`]).
    pub distance_outside_fence_m: f64,
    pub accuracy_m: f64,
}

/// Why a check-in or check-out does not count.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    /// An online session is attended on the learning page, not by checking in.
    OnlineSession,
    /// Too early: the window opens later. `today` is the attempt's date in China.
    WindowNotOpen {
        kind: CheckKind,
        window: Window,
        today: NaiveDate,
    },
    /// Too late: the window has closed.
    WindowClosed {
        kind: CheckKind,
        window: Window,
        today: NaiveDate,
    },
    /// The reported accuracy is worse than [`MAX_ACCURACY_M`] (or not a number).
    AccuracyTooPoor { kind: CheckKind, accuracy_m: f64 },
    /// The position is further outside the fence than the accuracy allows.
    OutsideFence {
        kind: CheckKind,
        distance_m: f64,
        accuracy_m: f64,
    },
    /// The classroom code was wrong or older than the previous one (one answer for both).
    CodeExpired { kind: CheckKind },
    /// The trainee has typed [`WRONG_CODES_PER_SESSION`] wrong codes for this session: the
    /// attempt is refused without judging its code.
    CodeAttemptsExhausted { kind: CheckKind },
}

/// Decides an attempt to check in or out of `session`, whose class has `fence`.
///
/// Every refusal of time and place is given, in the order window, accuracy, fence. The code
/// is judged only when time and place pass: an answer that listed the code beside a fence
/// refusal would tell someone away from the classroom whether a guessed code was right
/// (issue 15 item 2). An accuracy too poor to trust hides the fence refusal: the position is
/// then too vague to say how far away the trainee is. An online session is refused for that
/// alone.
pub fn decide_check(
    session: &SessionPlan,
    fence: &Fence,
    attempt: &Attempt,
) -> Result<Verdict, Vec<Refusal>> {
    let verdict = decide_time_and_place(session, fence, attempt)?;
    judge_code(attempt.kind, CodeSlot::Free, attempt.code_accepted)?;
    Ok(verdict)
}

/// Whether a code may still be judged for this trainee and session: a slot of the
/// [`WRONG_CODES_PER_SESSION`] was free, or all are used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CodeSlot {
    Free,
    Exhausted,
}

/// The code's part of the decision, once time and place have passed: with every slot used
/// the attempt is refused without judging the code; otherwise a wrong or stale code is
/// refused, always with the same answer.
pub fn judge_code(
    kind: CheckKind,
    slot: CodeSlot,
    code_accepted: bool,
) -> Result<(), Vec<Refusal>> {
    match (slot, code_accepted) {
        (CodeSlot::Exhausted, _) => Err(vec![Refusal::CodeAttemptsExhausted { kind }]),
        (CodeSlot::Free, true) => Ok(()),
        (CodeSlot::Free, false) => Err(vec![Refusal::CodeExpired { kind }]),
    }
}

/// The time and place part of [`decide_check`], without the code.
pub fn decide_time_and_place(
    session: &SessionPlan,
    fence: &Fence,
    attempt: &Attempt,
) -> Result<Verdict, Vec<Refusal>> {
    if session.delivery == Delivery::Online {
        return Err(vec![Refusal::OnlineSession]);
    }
    let kind = attempt.kind;
    let mut refusals = Vec::new();

    let now = shanghai_local(attempt.at);
    let window = Window::of(session, kind);
    let today = now.date();
    if now < window.opens {
        refusals.push(Refusal::WindowNotOpen {
            kind,
            window,
            today,
        });
    } else if now > window.closes {
        refusals.push(Refusal::WindowClosed {
            kind,
            window,
            today,
        });
    }

    let accuracy_m = attempt.accuracy_m;
    let distance_m = distance_outside_fence_m(fence, attempt.position);
    let accuracy_usable = accuracy_m.is_finite() && (0.0..=MAX_ACCURACY_M).contains(&accuracy_m);
    if !accuracy_usable {
        refusals.push(Refusal::AccuracyTooPoor { kind, accuracy_m });
    } else if counts_as_outside_fence(distance_m, accuracy_m) {
        refusals.push(Refusal::OutsideFence {
            kind,
            distance_m,
            accuracy_m,
        });
    }

    if !refusals.is_empty() {
        return Err(refusals);
    }
    Ok(Verdict {
        kind,
        timing: timing(session, kind, now),
        distance_outside_fence_m: distance_m,
        accuracy_m,
    })
}

impl Window {
    /// The window of a session for a kind of attempt: check-in from
    /// [`CHECK_IN_OPENS_BEFORE_START_MINUTES`] before the start to
    /// [`CHECK_IN_CLOSES_AFTER_START_MINUTES`] after it; check-out from
    /// [`CHECK_OUT_OPENS_BEFORE_END_MINUTES`] before the end to
    /// [`CHECK_OUT_CLOSES_AFTER_END_MINUTES`] after it.
    pub fn of(session: &SessionPlan, kind: CheckKind) -> Window {
        let start = session.date.and_time(session.start);
        let end = session.date.and_time(session.end);
        match kind {
            CheckKind::CheckIn => Window {
                opens: shift(start, -CHECK_IN_OPENS_BEFORE_START_MINUTES),
                closes: shift(start, CHECK_IN_CLOSES_AFTER_START_MINUTES),
            },
            CheckKind::CheckOut => Window {
                opens: shift(end, -CHECK_OUT_OPENS_BEFORE_END_MINUTES),
                closes: shift(end, CHECK_OUT_CLOSES_AFTER_END_MINUTES),
            },
        }
    }

    /// "07:30–08:15" when the window lies on `today`, else with dates:
    /// "2026-06-01 07:30–2026-06-01 08:15".
    pub fn describe(&self, today: NaiveDate) -> String {
        if self.opens.date() == today && self.closes.date() == today {
            format!(
                "{}–{}",
                self.opens.format("%H:%M"),
                self.closes.format("%H:%M")
            )
        } else {
            format!(
                "{}–{}",
                self.opens.format("%Y-%m-%d %H:%M"),
                self.closes.format("%Y-%m-%d %H:%M")
            )
        }
    }
}

impl CheckKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckKind::CheckIn => "check_in",
            CheckKind::CheckOut => "check_out",
        }
    }

    /// 签到 or 签退.
    pub fn label(self) -> &'static str {
        match self {
            CheckKind::CheckIn => "签到",
            CheckKind::CheckOut => "签退",
        }
    }

    pub fn parse(text: &str) -> Option<CheckKind> {
        [CheckKind::CheckIn, CheckKind::CheckOut]
            .into_iter()
            .find(|kind| kind.as_str() == text.trim() || kind.label() == text.trim())
    }
}

impl Verdict {
    /// What the phone page says: "签到成功", "签到成功（迟到 5 分钟）", "签退成功（早退 10 分钟）".
    pub fn message(&self) -> String {
        let done = format!("{}成功", self.kind.label());
        match self.timing {
            Timing::OnTime => done,
            Timing::Late { minutes } => format!("{done}（迟到 {minutes} 分钟）"),
            Timing::Early { minutes } => format!("{done}（早退 {minutes} 分钟）"),
        }
    }
}

impl Refusal {
    /// The stable code used in the API.
    pub fn code(&self) -> &'static str {
        match self {
            Refusal::OnlineSession => "online_session",
            Refusal::WindowNotOpen { .. } => "window_not_open",
            Refusal::WindowClosed { .. } => "window_closed",
            Refusal::AccuracyTooPoor { .. } => "accuracy_too_poor",
            Refusal::OutsideFence { .. } => "outside_fence",
            Refusal::CodeExpired { .. } => "code_expired",
            Refusal::CodeAttemptsExhausted { .. } => "check_in_locked",
        }
    }

    /// Why, in Chinese, with the times and distances involved.
    pub fn message(&self) -> String {
        match self {
            Refusal::OnlineSession => "本节为线上课程，无需签到，请在线上学习页面学习".to_owned(),
            Refusal::WindowNotOpen {
                kind,
                window,
                today,
            } => format!(
                "{}时间为 {}，尚未开始",
                kind.label(),
                window.describe(*today)
            ),
            Refusal::WindowClosed {
                kind,
                window,
                today,
            } => format!(
                "{}时间为 {}，现已结束",
                kind.label(),
                window.describe(*today)
            ),
            Refusal::AccuracyTooPoor { kind, accuracy_m }
                if accuracy_m.is_finite() && *accuracy_m > MAX_ACCURACY_M =>
            {
                format!(
                    "定位误差{}，超过 {MAX_ACCURACY_M} 米，无法确认您在培训场地内；请打开手机定位（GPS）后重新{}",
                    describe_distance(*accuracy_m),
                    kind.label()
                )
            }
            Refusal::AccuracyTooPoor { kind, .. } => format!(
                "未取得定位精度，无法确认您在培训场地内；请打开手机定位（GPS）后重新{}",
                kind.label()
            ),
            Refusal::OutsideFence {
                kind,
                distance_m,
                accuracy_m,
            } => format!(
                "您距电子围栏{}（定位误差{}），请到培训场地内{}",
                describe_distance(*distance_m),
                describe_distance(*accuracy_m),
                kind.label()
            ),
            Refusal::CodeExpired { kind } => format!(
                "课堂{}码不正确或已过期，请输入教室屏幕上当前显示的 6 位数字",
                kind.label()
            ),
            Refusal::CodeAttemptsExhausted { kind } => format!(
                "本课次课堂码已输错 {WRONG_CODES_PER_SESSION} 次，不能再{}；如您在现场，请联系培训机构更正考勤",
                kind.label()
            ),
        }
    }
}

/// How far outside the fence a reading of this accuracy may lie and still count: its accuracy,
/// up to [`MAX_ACCURACY_ALLOWANCE_M`]. The risk flags compare against the same allowance.
pub fn fence_allowance_m(accuracy_m: f64) -> f64 {
    accuracy_m.min(MAX_ACCURACY_ALLOWANCE_M)
}

/// Whether a reading `distance_outside_m` metres outside the fence (0 inside), reported with
/// `accuracy_m`, counts as outside it: further out than [`fence_allowance_m`] allows. The one
/// definition of "outside the fence", used by the check-in rule and by the live monitor's
/// counts and violation list; a reading inside the fence is never outside, whatever its accuracy.
pub fn counts_as_outside_fence(distance_outside_m: f64, accuracy_m: f64) -> bool {
    distance_outside_m > fence_allowance_m(accuracy_m).max(0.0)
}

/// On time, late after the start (check-in) or early before the end (check-out), for a
/// moment in China's wall-clock time.
pub(super) fn timing(session: &SessionPlan, kind: CheckKind, now: NaiveDateTime) -> Timing {
    match kind {
        CheckKind::CheckIn => {
            let start = session.date.and_time(session.start);
            match whole_minutes_up(now - start) {
                0 => Timing::OnTime,
                minutes => Timing::Late { minutes },
            }
        }
        CheckKind::CheckOut => {
            let end = session.date.and_time(session.end);
            match whole_minutes_up(end - now) {
                0 => Timing::OnTime,
                minutes => Timing::Early { minutes },
            }
        }
    }
}

/// A positive span in minutes rounded up (61 s is 2 minutes); 0 for a span of zero or less.
fn whole_minutes_up(span: TimeDelta) -> u32 {
    let seconds = span.num_seconds().max(0);
    u32::try_from((seconds + 59) / 60).unwrap_or(u32::MAX)
}

/// `at` moved by `minutes`, held at the ends of chrono's range rather than overflowing.
fn shift(at: NaiveDateTime, minutes: i64) -> NaiveDateTime {
    at.checked_add_signed(TimeDelta::minutes(minutes))
        .unwrap_or(if minutes < 0 {
            NaiveDateTime::MIN
        } else {
            NaiveDateTime::MAX
        })
}
