//! Completion (SPEC step 5, "those who pass with enough attendance get the training
//! certificate"; issue 6 item 1; the plan's 四（一）online share and the setting
//! `minimum_attendance_percent`).
#![allow(clippy::unwrap_used)]

use super::*;
use crate::attendance::{Punch, SessionAttendance, Timing, hours_ledger};
use crate::class::{Delivery, SessionPlan};
use chrono::{NaiveDate, NaiveTime};

fn session(delivery: Delivery, hours: u32) -> SessionPlan {
    SessionPlan {
        date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
        delivery,
        hours,
        teacher: "张老师".into(),
    }
}

fn present() -> SessionAttendance {
    let punch = Some(Punch {
        timing: Timing::OnTime,
        corrected: false,
    });
    SessionAttendance::Offline {
        check_in: punch,
        check_out: punch,
    }
}

/// A ledger of ten 8-hour offline sessions of which `attended` were attended.
fn ledger(attended: usize) -> HoursLedger {
    let sessions = vec![session(Delivery::Offline, 8); 10];
    let attendance: Vec<_> = (0..10)
        .map(|index| {
            if index < attended {
                present()
            } else {
                SessionAttendance::Absent
            }
        })
        .collect();
    hours_ledger(&sessions, &attendance, 90, crate::policy::HALF).unwrap()
}

fn passed() -> CompletionResult {
    CompletionResult {
        passed: true,
        score: Some(86),
        remark: None,
    }
}

fn codes(outcome: Result<(), Vec<CompletionRefusal>>) -> Vec<&'static str> {
    outcome
        .err()
        .unwrap_or_default()
        .iter()
        .map(CompletionRefusal::code)
        .collect()
}

#[test]
fn spec_step_5_a_trainee_who_passed_with_full_attendance_is_certified() {
    let ledger = ledger(10);
    let result = passed();
    let facts = CompletionFacts {
        ledger: &ledger,
        standard_hours: 80,
        result: Some(&result),
        certificate: None,
    };
    assert_eq!(assess(&facts), Ok(()));
}

#[test]
fn setting_minimum_attendance_percent_ninety_percent_of_the_hours_is_enough_and_less_is_refused() {
    let result = passed();
    // 9 of 10 sessions: 72 of 80 hours = 90 %, exactly the minimum.
    let nine = ledger(9);
    let facts = CompletionFacts {
        ledger: &nine,
        standard_hours: 80,
        result: Some(&result),
        certificate: None,
    };
    assert_eq!(assess(&facts), Ok(()));
    // 8 of 10: 80 %, 8 hours missing.
    let eight = ledger(8);
    let refusals = assess(&CompletionFacts {
        ledger: &eight,
        ..facts
    })
    .unwrap_err();
    assert_eq!(refusals.len(), 1);
    assert_eq!(refusals[0].code(), "attendance_below_minimum");
    assert_eq!(
        refusals[0].message(),
        "出勤率 80%，低于结业要求的 90%，还差 8 学时"
    );
}

#[test]
fn plan_4_1_online_hours_beyond_half_do_not_count_and_the_refusal_says_how_many() {
    // 2 offline sessions of 8 hours attended, 8 online sessions of 8 hours fully credited:
    // 16 offline hours let only 16 online hours count (half of 32), of 80 in the timetable.
    let mut sessions = vec![session(Delivery::Offline, 8); 2];
    sessions.extend(vec![session(Delivery::Online, 8); 8]);
    let mut attendance = vec![present(); 2];
    attendance.extend(vec![
        SessionAttendance::Online {
            credited_minutes: 8 * 45
        };
        8
    ]);
    let ledger = hours_ledger(&sessions, &attendance, 90, crate::policy::HALF).unwrap();
    let result = passed();
    let refusals = assess(&CompletionFacts {
        ledger: &ledger,
        standard_hours: 80,
        result: Some(&result),
        certificate: None,
    })
    .unwrap_err();
    assert_eq!(refusals[0].code(), "attendance_below_minimum");
    assert!(
        refusals[0]
            .message()
            .contains("另有 48 学时线上学时超出线上学时上限，不计入"),
        "{}",
        refusals[0].message()
    );
}

#[test]
fn issue_6_the_result_must_be_recorded_and_passed_and_a_failure_names_the_remark() {
    let ledger = ledger(10);
    let facts = CompletionFacts {
        ledger: &ledger,
        standard_hours: 80,
        result: None,
        certificate: None,
    };
    assert_eq!(codes(assess(&facts)), ["no_result"]);
    let failed = CompletionResult {
        passed: false,
        score: Some(40),
        remark: Some("实操未完成".into()),
    };
    let refusals = assess(&CompletionFacts {
        result: Some(&failed),
        ..facts
    })
    .unwrap_err();
    assert_eq!(refusals[0].code(), "failed");
    assert_eq!(refusals[0].message(), "结业考核未通过：实操未完成");
}

#[test]
fn every_reason_is_given_at_once_in_order_and_codes_are_distinct() {
    let sessions = vec![session(Delivery::Offline, 8); 10];
    let mut attendance = vec![SessionAttendance::Absent; 9];
    attendance.push(SessionAttendance::Upcoming);
    let ledger = hours_ledger(&sessions, &attendance, 90, crate::policy::HALF).unwrap();
    let failed = CompletionResult {
        passed: false,
        score: None,
        remark: None,
    };
    let refusals = assess(&CompletionFacts {
        ledger: &ledger,
        standard_hours: 90,
        result: Some(&failed),
        certificate: Some("LNPX2026-00001"),
    })
    .unwrap_err();
    let codes: Vec<_> = refusals.iter().map(CompletionRefusal::code).collect();
    assert_eq!(
        codes,
        [
            "sessions_upcoming",
            "class_hours_below_standard",
            "attendance_below_minimum",
            "failed",
            "already_certified"
        ]
    );
    assert_eq!(refusals[0].message(), "培训尚未结束，还有 8 学时的课程未上");
    assert_eq!(
        refusals[1].message(),
        "班级课表共 80 学时，未达到该职业等级的学时要求 90 学时"
    );
    assert_eq!(
        refusals[4].message(),
        "已为该学员颁发培训合格证书 LNPX2026-00001"
    );
}
