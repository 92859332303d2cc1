//! The timetable (课表) of a class: each session's own rules, overlaps between sessions, and
//! the timetable's totals — the required hours (SPEC step 2) and the online cap (the plan's
//! 四（一）: 线上培训课时一般不得超过培训总课时的 50%).

use super::{ClassContext, ClassPlan, Violation};
use crate::class::{Delivery, SessionPlan};
use crate::policy::Percent;

/// The shortest a class hour (学时) may be, in minutes: a session of `h` hours needs at least
/// `h × 45` minutes between its start and end.
pub const MINUTES_PER_HOUR: u32 = 45;

/// A timetable's hours: all of them and the online ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TimetableHours {
    pub total: u32,
    pub online: u32,
}

/// The most online hours a timetable of `total_hours` may have when at most `share` of them
/// may be online, rounded down: the plan's 四（一）(线上培训课时一般不得超过培训总课时的
/// 50%), whose share is the policy's `online_share_max_percent`. The one place of the rule:
/// the class rules and the hours ledger both ask it.
pub fn online_hours_limit(total_hours: u32, share: Percent) -> u32 {
    share.of_floor(total_hours)
}

/// The total and online hours of a timetable (saturating; a sum beyond `u32::MAX` is absurd).
pub fn timetable_hours(sessions: &[SessionPlan]) -> TimetableHours {
    sessions
        .iter()
        .fold(TimetableHours::default(), |sum, session| TimetableHours {
            total: sum.total.saturating_add(session.hours),
            online: match session.delivery {
                Delivery::Online => sum.online.saturating_add(session.hours),
                Delivery::Offline => sum.online,
            },
        })
}

/// Each session on its own, then whether it overlaps an earlier one.
pub(super) fn check_sessions(plan: &ClassPlan, out: &mut Vec<Violation>) {
    let overlaps = first_overlaps(&plan.sessions);
    for (index, session) in plan.sessions.iter().enumerate() {
        let number = index + 1;
        let field = |name: &str| format!("sessions[{index}].{name}");
        let has_time = session.end > session.start;
        if !has_time {
            out.push(Violation::new(
                field("end"),
                "session_time_reversed",
                format!(
                    "第 {number} 节的结束时间 {} 应晚于开始时间 {}",
                    session.end.format("%H:%M"),
                    session.start.format("%H:%M")
                ),
            ));
        }
        if session.date < plan.start_date || session.date > plan.end_date {
            out.push(Violation::new(
                field("date"),
                "session_outside_class_dates",
                format!(
                    "第 {number} 节的日期 {} 不在班期起止日期 {} 至 {} 之内",
                    session.date, plan.start_date, plan.end_date
                ),
            ));
        }
        if session.hours == 0 {
            out.push(Violation::new(
                field("hours"),
                "session_hours_zero",
                format!("第 {number} 节的学时应至少为 1"),
            ));
        } else if has_time {
            let available = (session.end - session.start).num_minutes();
            let needed = i64::from(session.hours) * i64::from(MINUTES_PER_HOUR);
            if needed > available {
                out.push(Violation::new(
                    field("hours"),
                    "session_hours_exceed_time",
                    format!(
                        "第 {number} 节安排 {} 学时，至少需要 {needed} 分钟（每学时不少于 {MINUTES_PER_HOUR} 分钟），但 {}–{} 只有 {available} 分钟",
                        session.hours,
                        session.start.format("%H:%M"),
                        session.end.format("%H:%M")
                    ),
                ));
            }
        }
        if session.delivery == Delivery::Offline && session.teacher.trim().is_empty() {
            out.push(Violation::new(
                field("teacher"),
                "session_teacher_missing",
                format!("第 {number} 节为线下课程，请填写授课教师"),
            ));
        }
        if let Some(&earlier) = overlaps.get(index).and_then(Option::as_ref) {
            let other = &plan.sessions[earlier];
            out.push(Violation::new(
                format!("sessions[{index}]"),
                "sessions_overlap",
                format!(
                    "第 {number} 节（{} {}–{}）与第 {} 节（{}–{}）时间重叠",
                    session.date,
                    session.start.format("%H:%M"),
                    session.end.format("%H:%M"),
                    earlier + 1,
                    other.start.format("%H:%M"),
                    other.end.format("%H:%M")
                ),
            ));
        }
    }
}

/// For each session, another session it overlaps that comes before it in (date, start, end,
/// position) order, if any: sessions sorted that way are swept once, remembering the one that
/// ends last on the current date. Sessions whose end is not after their start take no time
/// and overlap nothing (they are refused on their own). `a` and `b` overlap when
/// `a.start < b.end && b.start < a.end` on the same date, so back-to-back sessions do not.
pub(super) fn first_overlaps(sessions: &[SessionPlan]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..sessions.len())
        .filter(|&index| sessions[index].end > sessions[index].start)
        .collect();
    order.sort_by_key(|&index| {
        let session = &sessions[index];
        (session.date, session.start, session.end, index)
    });
    let mut overlaps = vec![None; sessions.len()];
    let mut latest: Option<usize> = None;
    for index in order {
        let session = &sessions[index];
        match latest {
            Some(previous)
                if sessions[previous].date == session.date
                    && session.start < sessions[previous].end =>
            {
                overlaps[index] = Some(previous);
                if session.end > sessions[previous].end {
                    latest = Some(index);
                }
            }
            _ => latest = Some(index),
        }
    }
    overlaps
}

/// SPEC step 2: timetable hours ≥ required hours for occupation+level, and the plan's
/// 四（一）: online hours ≤ the policy's share of the total (50 %).
pub(super) fn check_timetable_totals(
    plan: &ClassPlan,
    context: &ClassContext,
    out: &mut Vec<Violation>,
) {
    if plan.sessions.is_empty() {
        out.push(Violation::new(
            "sessions",
            "no_sessions",
            "课表为空：提交审核前请至少安排一节课",
        ));
        return;
    }
    let hours = timetable_hours(&plan.sessions);
    if hours.total < context.required_hours {
        out.push(Violation::new(
            "sessions",
            "hours_below_required",
            format!(
                "课表总学时为 {}，少于职业 {} {}要求的 {} 学时",
                hours.total, plan.occupation, plan.level, context.required_hours
            ),
        ));
    }
    let share = context.online_share_max;
    let limit = online_hours_limit(hours.total, share);
    if hours.online > limit {
        out.push(Violation::new(
            "sessions",
            "online_hours_above_half",
            format!(
                "线上学时为 {}，超过总学时 {} 的 {share}（最多 {limit} 学时）",
                hours.online, hours.total
            ),
        ));
    }
}
