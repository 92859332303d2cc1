//! Tests of the class rules, each naming the plan's clause or the SPEC step it comes from.
//! The geography of venues and fences is in `geography.rs`.
#![allow(clippy::unwrap_used)]

mod agreement;
mod geography;

use super::timetable::first_overlaps;
use super::*;
use crate::class::{Delivery, Funding, SessionPlan};
use chrono::{NaiveDate, NaiveTime};
use dte_geo::{Fence, LatLon};

/// 中街 (Zhongjie), Shenyang's old shopping street by the Mukden Palace: 41°48′04.8″N
/// 123°27′24.8″E (English Wikipedia, "Middle Street (Shenyang)").
pub(super) const ZHONGJIE: (f64, f64) = (41.801333, 123.456889);

pub(super) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

pub(super) fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

pub(super) fn point((lat, lon): (f64, f64)) -> LatLon {
    LatLon::new(lat, lon).unwrap()
}

pub(super) fn circle_around(place: (f64, f64), radius_m: f64) -> Fence {
    Fence::circle(point(place), radius_m).unwrap()
}

fn session(day: NaiveDate, start: NaiveTime, end: NaiveTime, hours: u32) -> SessionPlan {
    SessionPlan {
        date: day,
        start,
        end,
        delivery: Delivery::Offline,
        hours,
        teacher: "王老师".to_owned(),
    }
}

/// A class that breaks no rule: 人工智能工程技术人员 中级 (80 hours, 附件5) in 沈阳 at 中街,
/// 1–30 June 2026, ten offline days of 8 hours from 08:00 to 17:00.
pub(super) fn plan() -> ClassPlan {
    ClassPlan {
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: None,
        level: Level::Intermediate,
        funding: Funding::Subsidised,
        region: "沈阳".to_owned(),
        venue_address: "沈阳市沈河区中街路 1 号".to_owned(),
        venue: point(ZHONGJIE),
        fence: circle_around(ZHONGJIE, 300.0),
        start_date: date(2026, 6, 1),
        end_date: date(2026, 6, 30),
        capacity: 50,
        sessions: (1..=10)
            .map(|day| session(date(2026, 6, day), time(8, 0), time(17, 0), 8))
            .collect(),
    }
}

pub(super) fn context() -> ClassContext {
    ClassContext {
        today: date(2026, 5, 1),
        required_hours: 80,
        lead_days: 15,
        online_share_max: crate::policy::HALF,
        institution: InstitutionStanding {
            active: true,
            listed_for_occupation: true,
        },
    }
}

pub(super) fn codes(violations: &[Violation]) -> Vec<&'static str> {
    violations.iter().map(|violation| violation.code).collect()
}

fn only(violations: &[Violation], code: &str) -> Violation {
    let found: Vec<&Violation> = violations.iter().filter(|v| v.code == code).collect();
    assert_eq!(found.len(), 1, "expected one {code} in {violations:#?}");
    found[0].clone()
}

#[test]
fn a_plan_that_breaks_no_rule_is_saved_and_submitted() {
    assert_eq!(check_draft(&plan(), &context()), []);
    assert_eq!(check_submission(&plan(), &context()), []);
}

/// The plan's 四（一）: 培训工作统一由纳入……培训机构目录的培训机构负责; SPEC step 2: the
/// institution is active.
#[test]
fn a_suspended_or_removed_institution_cannot_save_a_class() {
    let mut context = context();
    context.institution.active = false;
    let violation = only(&check_draft(&plan(), &context), "institution_inactive");
    assert_eq!(violation.field, "institution");
    assert!(violation.message.contains("暂停或移出目录"));
}

/// The plan's 四（一） and 附件1: an institution trains only in the occupations it is listed
/// for (SPEC roles: "may only open classes in occupations it is listed for").
#[test]
fn an_institution_not_listed_for_the_occupation_cannot_save_a_class() {
    let mut context = context();
    context.institution.listed_for_occupation = false;
    let violation = only(&check_draft(&plan(), &context), "institution_not_listed");
    assert_eq!(violation.field, "institution");
    assert!(violation.message.contains("2-02-10-09"), "{violation:?}");
}

/// SPEC step 2: dates — a class cannot end before it starts.
#[test]
fn a_class_ending_before_it_starts_is_refused_naming_both_dates() {
    let mut plan = plan();
    plan.end_date = date(2026, 5, 31);
    let violations = check_draft(&plan, &context());
    let violation = only(&violations, "end_before_start");
    assert_eq!(violation.field, "end_date");
    assert!(violation.message.contains("2026-05-31") && violation.message.contains("2026-06-01"));
}

/// SPEC step 2: capacity, between 1 and [`MAX_CAPACITY`] (200).
#[test]
fn capacity_must_be_between_one_and_two_hundred() {
    for (capacity, accepted) in [(0, false), (1, true), (200, true), (201, false)] {
        let mut plan = plan();
        plan.capacity = capacity;
        let violations = check_draft(&plan, &context());
        if accepted {
            assert_eq!(violations, [], "{capacity}");
        } else {
            let violation = only(&violations, "capacity_out_of_range");
            assert_eq!(violation.field, "capacity");
            assert!(violation.message.contains(&format!("现为 {capacity} 人")));
        }
    }
}

/// SPEC step 2: the venue has an address.
#[test]
fn a_venue_without_an_address_is_refused() {
    let mut plan = plan();
    plan.venue_address = "  ".to_owned();
    let violation = only(&check_draft(&plan, &context()), "venue_address_missing");
    assert_eq!(violation.field, "venue_address");
}

/// SPEC step 2: a timetable of sessions (date, time, …): a session ends after it starts.
#[test]
fn a_session_must_end_after_it_starts() {
    let mut plan = plan();
    plan.sessions[3].end = time(8, 0);
    let violation = only(&check_draft(&plan, &context()), "session_time_reversed");
    assert_eq!(violation.field, "sessions[3].end");
    assert!(violation.message.starts_with("第 4 节"), "{violation:?}");
}

/// SPEC step 2: the sessions are the class's own, so they fall between its start and end.
#[test]
fn a_session_outside_the_class_dates_is_refused() {
    let mut plan = plan();
    plan.sessions[9].date = date(2026, 7, 1);
    let violation = only(
        &check_draft(&plan, &context()),
        "session_outside_class_dates",
    );
    assert_eq!(violation.field, "sessions[9].date");
    assert!(violation.message.contains("第 10 节") && violation.message.contains("2026-07-01"));
}

/// SPEC step 2: each session credits hours (学时), at least one.
#[test]
fn a_session_of_zero_hours_is_refused() {
    let mut plan = plan();
    plan.sessions[0].hours = 0;
    let violation = only(&check_draft(&plan, &context()), "session_hours_zero");
    assert_eq!(violation.field, "sessions[0].hours");
}

/// SPEC step 2 (hours of a session) and the usual length of a 学时: at least 45 minutes, so
/// a session's hours × 45 minutes fit between its start and end.
#[test]
fn a_session_cannot_credit_more_hours_than_its_clock_time_allows() {
    let cases = [
        (time(9, 0), time(12, 0), 4, true),
        (time(9, 0), time(11, 59), 4, false),
        (time(8, 0), time(10, 0), 2, true),
        (time(8, 0), time(10, 0), 3, false),
    ];
    for (start, end, hours, accepted) in cases {
        let mut plan = plan();
        plan.sessions[3] = session(date(2026, 6, 4), start, end, hours);
        let violations = check_draft(&plan, &context());
        if accepted {
            assert_eq!(violations, [], "{start}–{end} {hours}");
        } else {
            let violation = only(&violations, "session_hours_exceed_time");
            assert_eq!(violation.field, "sessions[3].hours");
            assert!(
                violation.message.contains("第 4 节")
                    && violation.message.contains(&format!("{hours} 学时")),
                "{violation:?}"
            );
        }
    }
}

/// SPEC step 2: a session has a teacher; an offline one must name the teacher in the room.
#[test]
fn an_offline_session_needs_a_teacher_and_an_online_one_may_be_recorded() {
    let mut plan = plan();
    plan.sessions[2].teacher = String::new();
    let violation = only(&check_draft(&plan, &context()), "session_teacher_missing");
    assert_eq!(violation.field, "sessions[2].teacher");
    plan.sessions[2].delivery = Delivery::Online;
    assert_eq!(check_draft(&plan, &context()), []);
}

/// SPEC step 2: a timetable's sessions cannot run at the same time; the later session is
/// named, with the earlier one it overlaps.
#[test]
fn overlapping_sessions_are_refused_on_the_later_one() {
    let mut plan = plan();
    plan.sessions
        .push(session(date(2026, 6, 2), time(16, 0), time(18, 0), 2));
    let violation = only(&check_draft(&plan, &context()), "sessions_overlap");
    assert_eq!(violation.field, "sessions[10]");
    assert!(violation.message.contains("第 11 节") && violation.message.contains("第 2 节"));
}

#[test]
fn back_to_back_sessions_and_the_same_hours_on_other_days_do_not_overlap() {
    let mut plan = plan();
    for (index, day) in (1..=10).enumerate() {
        plan.sessions[index] = session(date(2026, 6, day), time(8, 0), time(12, 0), 4);
    }
    for day in 1..=10 {
        plan.sessions
            .push(session(date(2026, 6, day), time(12, 0), time(16, 0), 4));
    }
    assert_eq!(check_submission(&plan, &context()), []);
}

#[test]
fn every_session_overlapping_an_earlier_one_is_reported_once() {
    let mut plan = plan();
    plan.sessions.truncate(1);
    for _ in 0..3 {
        plan.sessions.push(plan.sessions[0].clone());
    }
    let violations = check_draft(&plan, &context());
    let fields: Vec<&str> = violations.iter().map(|v| v.field.as_str()).collect();
    assert_eq!(fields, ["sessions[1]", "sessions[2]", "sessions[3]"]);
}

/// SPEC step 2: submitting needs a timetable; a draft may be saved without one.
#[test]
fn a_draft_may_have_no_sessions_but_a_submission_needs_one() {
    let mut plan = plan();
    plan.sessions.clear();
    assert_eq!(check_draft(&plan, &context()), []);
    assert_eq!(codes(&check_submission(&plan, &context())), ["no_sessions"]);
}

/// SPEC step 2: timetable hours ≥ required hours for occupation+level (附件5: 人工智能 中级
/// 80 学时); the message gives both numbers.
#[test]
fn a_timetable_below_the_required_hours_cannot_be_submitted() {
    let mut plan = plan();
    plan.sessions.pop();
    assert_eq!(check_draft(&plan, &context()), []);
    let violation = only(&check_submission(&plan, &context()), "hours_below_required");
    assert_eq!(violation.field, "sessions");
    assert!(violation.message.contains("72") && violation.message.contains("80 学时"));
    assert!(violation.message.contains("中级"));
}

/// The plan's 四（一）: 线上培训课时一般不得超过培训总课时的 50%. Exactly half is allowed.
#[test]
fn online_hours_above_half_are_rejected_and_exactly_half_is_allowed() {
    let mut plan = plan();
    for session in &mut plan.sessions[..5] {
        session.delivery = Delivery::Online;
    }
    assert_eq!(check_submission(&plan, &context()), []);
    plan.sessions[5].delivery = Delivery::Online;
    let violation = only(
        &check_submission(&plan, &context()),
        "online_hours_above_half",
    );
    assert_eq!(violation.field, "sessions");
    assert!(violation.message.contains("线上学时为 48") && violation.message.contains("最多 40"));
}

/// The plan's 四（一）: the 50 % cap, rounded down for an odd total.
#[test]
fn the_online_limit_is_half_the_total_rounded_down() {
    for (total, limit) in [(0, 0), (1, 0), (80, 40), (81, 40), (192, 96)] {
        assert_eq!(
            online_hours_limit(total, crate::policy::HALF),
            limit,
            "{total}"
        );
    }
    assert_eq!(
        online_hours_limit(u32::MAX, crate::policy::HALF),
        u32::MAX / 2
    );
}

#[test]
fn timetable_hours_add_up_all_and_online_sessions() {
    let mut plan = plan();
    plan.sessions[0].delivery = Delivery::Online;
    assert_eq!(
        timetable_hours(&plan.sessions),
        TimetableHours {
            total: 80,
            online: 8
        }
    );
}

/// Policy setting `class_application_lead_days` (SPEC, default 15 days before start): 15
/// days ahead is in time, 14 is not, and the message gives the earliest start allowed.
#[test]
fn a_class_must_be_submitted_the_lead_time_before_it_starts() {
    let mut context = context();
    context.today = date(2026, 5, 17);
    assert_eq!(check_submission(&plan(), &context), []);
    context.today = date(2026, 5, 18);
    let violation = only(&check_submission(&plan(), &context), "lead_time_too_short");
    assert_eq!(violation.field, "start_date");
    assert!(
        violation.message.contains("只有 14 天")
            && violation.message.contains("15 天")
            && violation.message.contains("最早可定于 2026-06-02"),
        "{violation:?}"
    );
    context.today = date(2026, 6, 5);
    let violation = only(&check_submission(&plan(), &context), "lead_time_too_short");
    assert!(
        violation.message.contains("不晚于今天 2026-06-05"),
        "{violation:?}"
    );
    assert_eq!(
        check_draft(&plan(), &context),
        [],
        "a draft has no lead time"
    );
}

/// SPEC step 2: every violation is returned, in the order of the form.
#[test]
fn all_violations_are_returned_in_a_stable_order() {
    let mut plan = plan();
    plan.venue_address.clear();
    plan.capacity = 0;
    plan.sessions[1].hours = 0;
    plan.sessions[0].teacher.clear();
    plan.sessions[0].delivery = Delivery::Offline;
    let mut context = context();
    context.institution = InstitutionStanding {
        active: false,
        listed_for_occupation: false,
    };
    context.today = date(2026, 5, 30);
    let expected = [
        "institution_inactive",
        "institution_not_listed",
        "venue_address_missing",
        "capacity_out_of_range",
        "session_teacher_missing",
        "session_hours_zero",
        "hours_below_required",
        "lead_time_too_short",
    ];
    assert_eq!(codes(&check_submission(&plan, &context)), expected);
    assert_eq!(codes(&check_submission(&plan, &context)), expected);
}

/// SPEC step 2: subsidised classes fit the region's remaining quota; the message shows what
/// remains.
#[test]
fn a_subsidised_approval_must_fit_the_remaining_quota() {
    assert_eq!(check_quota(20, 100, 80), Ok(()));
    let violation = check_quota(21, 100, 80).unwrap_err();
    assert_eq!(
        (violation.field.as_str(), violation.code),
        ("capacity", "quota_exceeded")
    );
    assert!(violation.message.contains("剩余名额 20 个") && violation.message.contains("21"));
    let over = check_quota(1, 100, 120).unwrap_err();
    assert!(over.message.contains("剩余名额 0 个"), "{over:?}");
}

proptest::proptest! {
    /// Whether two sessions overlap does not depend on their order in the timetable.
    #[test]
    fn overlap_is_found_whatever_the_order_of_the_two_sessions(
        start_a in 0u32..18, length_a in 1u32..6, start_b in 0u32..18, length_b in 1u32..6,
    ) {
        let make = |start: u32, length: u32| {
            session(date(2026, 6, 1), time(start, 0), time(start + length, 0), 1)
        };
        let (a, b) = (make(start_a, length_a), make(start_b, length_b));
        let expected = start_a < start_b + length_b && start_b < start_a + length_a;
        for pair in [[a.clone(), b.clone()], [b, a]] {
            let overlaps = first_overlaps(&pair);
            proptest::prop_assert_eq!(overlaps.iter().flatten().count(), usize::from(expected));
        }
    }
}
