//! The hours ledger (issue 5 item 4: "attended hours per trainee per class, offline and
//! online, the attendance rate, and what completion will need"; the plan's 四（一）50 % rule
//! and 四（二）严格培训学员考勤; the setting `minimum_attendance_percent`).

use super::*;
use crate::class_rules::online_hours_limit;

fn punch(timing: Timing) -> Option<Punch> {
    Some(Punch {
        timing,
        corrected: false,
    })
}

fn attended() -> SessionAttendance {
    SessionAttendance::Offline {
        check_in: punch(Timing::OnTime),
        check_out: punch(Timing::OnTime),
    }
}

/// `count` sessions of `hours` each.
fn sessions(delivery: Delivery, count: usize, hours: u32) -> Vec<SessionPlan> {
    vec![session(delivery, hours); count]
}

#[test]
fn the_strict_reading_an_offline_session_counts_only_with_both_check_in_and_check_out() {
    let on_time = punch(Timing::OnTime);
    // (check-in, check-out, hours counted of a 4-hour session, incomplete?)
    let table = [
        (on_time, on_time, 4, 0),
        (on_time, None, 0, 1),
        (None, on_time, 0, 1),
        (None, None, 0, 0),
    ];
    for (check_in, check_out, hours, incomplete) in table {
        let record = SessionAttendance::Offline {
            check_in,
            check_out,
        };
        let ledger = hours_ledger(&[offline()], &[record], 90, crate::policy::HALF).unwrap();
        assert_eq!(ledger.offline_hours, hours, "{record:?}");
        assert_eq!(ledger.incomplete_sessions, incomplete, "{record:?}");
    }
}

#[test]
fn lateness_and_early_leaving_within_the_windows_keep_the_hours_but_are_counted() {
    let record = SessionAttendance::Offline {
        check_in: punch(Timing::Late { minutes: 10 }),
        check_out: punch(Timing::Early { minutes: 5 }),
    };
    let ledger = hours_ledger(
        &[offline(), offline()],
        &[record, attended()],
        90,
        crate::policy::HALF,
    )
    .unwrap();
    assert_eq!(ledger.offline_hours, 8);
    assert_eq!((ledger.late_arrivals, ledger.early_departures), (1, 1));
}

#[test]
fn spec_step_4_corrected_records_count_and_are_flagged() {
    let corrected = SessionAttendance::Offline {
        check_in: punch(Timing::OnTime),
        check_out: Some(Punch {
            timing: Timing::OnTime,
            corrected: true,
        }),
    };
    let ledger = hours_ledger(
        &[offline(), offline()],
        &[corrected, attended()],
        90,
        crate::policy::HALF,
    )
    .unwrap();
    assert_eq!(ledger.offline_hours, 8);
    assert_eq!(ledger.corrected_sessions, 1);
}

#[test]
fn plan_4_1_a_trainees_online_hours_never_count_for_more_than_half() {
    // A 64-hour timetable: 8 offline days of 4 hours, 8 online sessions of 4 hours.
    let mut timetable = sessions(Delivery::Offline, 8, 4);
    timetable.extend(sessions(Delivery::Online, 8, 4));
    // The trainee attended 5 offline days (20 h) and every online session in full (32 h).
    let mut records = vec![attended(); 5];
    records.extend(vec![SessionAttendance::Absent; 3]);
    records.extend(vec![
        SessionAttendance::Online {
            credited_minutes: 180
        };
        8
    ]);
    let ledger = hours_ledger(&timetable, &records, 90, crate::policy::HALF).unwrap();
    assert_eq!(ledger.timetable_hours, 64);
    assert_eq!(ledger.timetable_online_hours, 32);
    assert_eq!(ledger.offline_hours, 20);
    assert_eq!(ledger.online_credited_hours, 32);
    assert_eq!(ledger.online_hours, 20);
    assert_eq!(ledger.online_hours_beyond_share(), 12);
    assert_eq!(ledger.total_hours, 40);
    assert!(ledger.online_hours <= online_hours_limit(ledger.total_hours, crate::policy::HALF));
}

#[test]
fn online_sessions_earn_whole_hours_of_their_credited_minutes_each() {
    let mut timetable = sessions(Delivery::Offline, 2, 4);
    timetable.extend(sessions(Delivery::Online, 2, 2));
    let records = [
        attended(),
        attended(),
        // 89 minutes of a 2-hour session: 1 h; 200 minutes: capped at 2 h.
        SessionAttendance::Online {
            credited_minutes: 89,
        },
        SessionAttendance::Online {
            credited_minutes: 200,
        },
    ];
    let ledger = hours_ledger(&timetable, &records, 90, crate::policy::HALF).unwrap();
    assert_eq!(ledger.online_credited_hours, 3);
    assert_eq!(ledger.online_hours, 3);
    assert_eq!(ledger.total_hours, 11);
}

#[test]
fn spec_policy_completion_needs_90_percent_of_the_timetables_hours_rounded_up() {
    // 16 sessions of 4 hours: 64 hours; 90 % is 57.6, so 58 hours.
    let timetable = sessions(Delivery::Offline, 16, 4);
    let mut records = vec![attended(); 14];
    records.extend(vec![SessionAttendance::Absent; 2]);
    let ledger = hours_ledger(&timetable, &records, 90, crate::policy::HALF).unwrap();
    assert_eq!(ledger.required_hours, 58);
    assert_eq!(ledger.total_hours, 56);
    assert_eq!(ledger.missing_hours, 2);
    assert_eq!(ledger.attendance_percent(), 87);
    assert!(!ledger.meets_minimum());
    assert!(!ledger.can_still_complete());

    // The setting is data: at 85 % the same record completes.
    let lenient = hours_ledger(&timetable, &records, 85, crate::policy::HALF).unwrap();
    assert_eq!(lenient.required_hours, 55);
    assert!(lenient.meets_minimum());
}

#[test]
fn issue_5_what_completion_will_need_counts_the_sessions_still_to_come_under_the_online_cap() {
    let mut timetable = sessions(Delivery::Offline, 8, 4);
    timetable.extend(sessions(Delivery::Online, 8, 4));
    // Halfway: 4 offline days attended, 4 to come; no online learning yet.
    let mut records = vec![attended(); 4];
    records.extend(vec![SessionAttendance::Upcoming; 4]);
    records.extend(vec![SessionAttendance::Upcoming; 8]);
    let ledger = hours_ledger(&timetable, &records, 90, crate::policy::HALF).unwrap();
    assert_eq!(ledger.total_hours, 16);
    assert_eq!(ledger.upcoming_hours, 48);
    assert_eq!(ledger.required_hours, 58);
    assert_eq!(ledger.missing_hours, 42);
    assert_eq!(ledger.reachable_hours, 64);
    assert!(ledger.can_still_complete());

    // One offline day missed: at most 28 offline hours, so at most 28 online hours count
    // (the plan's 四（一）for the trainee), 56 < 58: the missed day costs its hours twice.
    records[4] = SessionAttendance::Absent;
    let ledger = hours_ledger(&timetable, &records, 90, crate::policy::HALF).unwrap();
    assert_eq!(ledger.reachable_hours, 28 + 28);
    assert!(!ledger.can_still_complete());
}

#[test]
fn a_record_of_the_other_delivery_counts_nothing_and_records_must_pair_with_sessions() {
    let online = session(Delivery::Online, 4);
    let ledger = hours_ledger(
        &[offline(), online],
        &[
            SessionAttendance::Online {
                credited_minutes: 180,
            },
            attended(),
        ],
        90,
        crate::policy::HALF,
    )
    .unwrap();
    assert_eq!(ledger.total_hours, 0);

    let mismatch = hours_ledger(&[offline()], &[], 90, crate::policy::HALF).unwrap_err();
    assert_eq!(
        mismatch,
        AttendanceMismatch {
            sessions: 1,
            records: 0
        }
    );
    assert_eq!(mismatch.to_string(), "课表有 1 节，但考勤记录有 0 条");
}

#[test]
fn spec_step_4_a_correction_needs_a_reason() {
    assert_eq!(
        CorrectionReason::parse("  学员手机没电，已由班主任当面核实  ")
            .unwrap()
            .as_str(),
        "学员手机没电，已由班主任当面核实"
    );
    assert_eq!(
        CorrectionReason::parse(" \n "),
        Err(CorrectionReasonError::Missing)
    );
    let long = "因".repeat(MAX_CORRECTION_REASON_CHARS + 1);
    assert_eq!(
        CorrectionReason::parse(&long).unwrap_err().to_string(),
        "更正原因不能超过 200 个字，现有 201 个字"
    );
}

#[test]
fn spec_step_4_the_latest_correction_decides_and_a_make_up_counts_as_on_time() {
    // The session of `offline()` starts at 09:00 China time on its date.
    let session = offline();
    let start = session.date.and_time(session.start);
    let late = start + chrono::TimeDelta::minutes(10);
    let late_utc = chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(
        late - chrono::TimeDelta::hours(8),
        chrono::Utc,
    );
    let recorded = counted_punch(&session, CheckKind::CheckIn, Some(late_utc), None);
    assert_eq!(
        recorded,
        Some(Punch {
            timing: Timing::Late { minutes: 10 },
            corrected: false
        })
    );
    let made_up = counted_punch(&session, CheckKind::CheckIn, None, Some(true));
    assert_eq!(
        made_up,
        Some(Punch {
            timing: Timing::OnTime,
            corrected: true
        })
    );
    assert_eq!(
        counted_punch(&session, CheckKind::CheckIn, Some(late_utc), Some(false)),
        None,
        "a voiding correction removes an accepted record"
    );
    assert_eq!(
        counted_punch(&session, CheckKind::CheckIn, None, None),
        None
    );
}

#[test]
fn an_offline_session_is_upcoming_until_its_check_out_window_closes() {
    let session = offline();
    let end = session.date.and_time(session.end);
    let china = |at: chrono::NaiveDateTime| {
        chrono::DateTime::<chrono::Utc>::from_naive_utc_and_offset(
            at - chrono::TimeDelta::hours(8),
            chrono::Utc,
        )
    };
    let closes = end + chrono::TimeDelta::minutes(CHECK_OUT_CLOSES_AFTER_END_MINUTES);
    let on_time = punch(Timing::OnTime);
    assert_eq!(
        offline_attendance(&session, china(closes), on_time, None),
        SessionAttendance::Upcoming
    );
    let after = china(closes + chrono::TimeDelta::minutes(1));
    assert_eq!(
        offline_attendance(&session, after, None, None),
        SessionAttendance::Absent
    );
    assert_eq!(
        offline_attendance(&session, after, on_time, None),
        SessionAttendance::Offline {
            check_in: on_time,
            check_out: None
        }
    );
}

#[test]
fn issue_15_only_a_running_or_past_session_can_be_corrected() {
    // The session of `session()` runs 08:00–11:00 China time on 2026-06-01.
    let plan = session(Delivery::Offline, 3);
    let day = date(2026, 6, 1);
    let refused = check_correctable(&plan, shanghai(day, 7, 59, 59)).unwrap_err();
    assert_eq!(
        refused.to_string(),
        "该课次将于 2026-06-01 08:00 开始，尚未开课，不能更正考勤；只能更正已开始或已结束课次的考勤"
    );
    assert!(check_correctable(&plan, shanghai(date(2026, 5, 20), 9, 0, 0)).is_err());
    assert_eq!(check_correctable(&plan, shanghai(day, 8, 0, 0)), Ok(()));
    assert_eq!(check_correctable(&plan, shanghai(day, 10, 0, 0)), Ok(()));
    assert_eq!(
        check_correctable(&plan, shanghai(date(2026, 6, 2), 9, 0, 0)),
        Ok(())
    );
}
