//! The check-in and check-out decision (SPEC step 4; issue 5 item 1; the plan's 四（三）:
//! 电子围栏、定位签到).

use super::*;

/// A good attempt of `kind` at Shenyang's `hh:mm:ss` on the session's day, in the classroom.
fn attempt(kind: CheckKind, hour: u32, minute: u32, second: u32) -> Attempt {
    Attempt {
        kind,
        at: shanghai(date(2026, 6, 1), hour, minute, second),
        position: venue(),
        accuracy_m: 15.0,
        code_accepted: true,
    }
}

fn codes(result: &Result<Verdict, Vec<Refusal>>) -> Vec<&'static str> {
    match result {
        Ok(_) => Vec::new(),
        Err(refusals) => refusals.iter().map(Refusal::code).collect(),
    }
}

fn messages(result: &Result<Verdict, Vec<Refusal>>) -> Vec<String> {
    match result {
        Ok(_) => Vec::new(),
        Err(refusals) => refusals.iter().map(Refusal::message).collect(),
    }
}

#[test]
fn spec_step_4_check_in_and_out_count_only_inside_the_sessions_time_windows() {
    use CheckKind::{CheckIn, CheckOut};
    let on_time = Ok(Timing::OnTime);
    let late = |minutes| Ok(Timing::Late { minutes });
    let early = |minutes| Ok(Timing::Early { minutes });
    type Row = (CheckKind, (u32, u32, u32), Result<Timing, &'static str>);
    let table: [Row; 14] = [
        (CheckIn, (7, 29, 59), Err("window_not_open")),
        (CheckIn, (7, 30, 0), on_time),
        (CheckIn, (8, 0, 0), on_time),
        (CheckIn, (8, 0, 1), late(1)),
        (CheckIn, (8, 5, 0), late(5)),
        (CheckIn, (8, 15, 0), late(15)),
        (CheckIn, (8, 15, 1), Err("window_closed")),
        (CheckOut, (10, 44, 59), Err("window_not_open")),
        (CheckOut, (10, 45, 0), early(15)),
        (CheckOut, (10, 59, 1), early(1)),
        (CheckOut, (11, 0, 0), on_time),
        (CheckOut, (12, 0, 0), on_time),
        (CheckOut, (12, 0, 1), Err("window_closed")),
        (CheckIn, (10, 50, 0), Err("window_closed")),
    ];
    for (kind, (hour, minute, second), expected) in table {
        let result = decide_check(&offline(), &fence(), &attempt(kind, hour, minute, second));
        let got = match &result {
            Ok(verdict) => Ok(verdict.timing),
            Err(_) => Err(codes(&result)[0]),
        };
        assert_eq!(
            got, expected,
            "{kind:?} at {hour:02}:{minute:02}:{second:02}"
        );
    }
}

#[test]
fn the_window_constants_are_half_an_hour_before_to_a_quarter_after_the_start_and_a_quarter_before_to_an_hour_after_the_end()
 {
    let check_in = Window::of(&offline(), CheckKind::CheckIn);
    let check_out = Window::of(&offline(), CheckKind::CheckOut);
    let day = date(2026, 6, 1);
    assert_eq!(check_in.describe(day), "07:30–08:15");
    assert_eq!(check_out.describe(day), "10:45–12:00");
    assert_eq!(
        (
            CHECK_IN_OPENS_BEFORE_START_MINUTES,
            CHECK_IN_CLOSES_AFTER_START_MINUTES,
            CHECK_OUT_OPENS_BEFORE_END_MINUTES,
            CHECK_OUT_CLOSES_AFTER_END_MINUTES
        ),
        (30, 15, 15, 60)
    );
}

#[test]
fn session_times_are_shanghai_wall_clock_times_and_attempts_utc_instants() {
    // 00:00 UTC is 08:00 in Shenyang: on time. 08:00 UTC is 16:00 there: long closed.
    let mut at_midnight_utc = attempt(CheckKind::CheckIn, 8, 0, 0);
    at_midnight_utc.at = date(2026, 6, 1).and_hms_opt(0, 0, 0).unwrap().and_utc();
    let verdict = decide_check(&offline(), &fence(), &at_midnight_utc).unwrap();
    assert_eq!(verdict.timing, Timing::OnTime);

    let mut at_eight_utc = at_midnight_utc;
    at_eight_utc.at = date(2026, 6, 1).and_hms_opt(8, 0, 0).unwrap().and_utc();
    assert_eq!(
        codes(&decide_check(&offline(), &fence(), &at_eight_utc)),
        ["window_closed"]
    );
    assert_eq!(
        shanghai_local(at_eight_utc.at),
        date(2026, 6, 1).and_hms_opt(16, 0, 0).unwrap()
    );
}

#[test]
fn issue_5_a_closed_or_unopened_window_says_when_it_was_with_the_times() {
    let result = decide_check(&offline(), &fence(), &attempt(CheckKind::CheckIn, 8, 40, 0));
    assert_eq!(messages(&result), ["签到时间为 07:30–08:15，现已结束"]);

    let result = decide_check(&offline(), &fence(), &attempt(CheckKind::CheckOut, 9, 0, 0));
    assert_eq!(messages(&result), ["签退时间为 10:45–12:00，尚未开始"]);

    // On another day the window names its date.
    let mut next_day = attempt(CheckKind::CheckIn, 8, 0, 0);
    next_day.at = shanghai(date(2026, 6, 2), 8, 0, 0);
    let result = decide_check(&offline(), &fence(), &next_day);
    assert_eq!(
        messages(&result),
        ["签到时间为 2026-06-01 07:30–2026-06-01 08:15，现已结束"]
    );
}

#[test]
fn the_plans_electronic_fence_allows_for_the_reported_accuracy_up_to_100_metres() {
    // (metres outside the fence, reported accuracy, accepted?)
    let table = [
        (-50.0, 10.0, true),
        (0.0, 5.0, true),
        (30.0, 50.0, true),
        (49.0, 50.0, true),
        (60.0, 50.0, false),
        (90.0, 180.0, true),
        (110.0, 180.0, false),
        (150.0, 200.0, false),
        (5.0, 0.0, false),
    ];
    for (outside, accuracy_m, accepted) in table {
        let mut try_it = attempt(CheckKind::CheckIn, 7, 55, 0);
        try_it.position = outside_by(outside);
        try_it.accuracy_m = accuracy_m;
        let result = decide_check(&offline(), &fence(), &try_it);
        assert_eq!(
            result.is_ok(),
            accepted,
            "{outside} m outside, ±{accuracy_m} m"
        );
        if !accepted {
            assert_eq!(codes(&result), ["outside_fence"]);
        }
    }
}

#[test]
fn an_accepted_position_outside_the_fence_reports_its_distance() {
    let mut near = attempt(CheckKind::CheckIn, 7, 55, 0);
    near.position = outside_by(30.0);
    near.accuracy_m = 50.0;
    let verdict = decide_check(&offline(), &fence(), &near).unwrap();
    assert!((verdict.distance_outside_fence_m - 30.0).abs() < 0.5);
    assert_eq!(verdict.accuracy_m, 50.0);

    let inside = decide_check(&offline(), &fence(), &attempt(CheckKind::CheckIn, 7, 55, 0));
    assert_eq!(inside.unwrap().distance_outside_fence_m, 0.0);
}

/// Issue 12 item 7: "outside the fence" is one definition, the check-in rule's allowance for
/// the reported accuracy (at most 100 m), which the live monitor counts by too.
#[test]
fn a_reading_counts_as_outside_the_fence_only_beyond_its_accuracy_allowance() {
    let table = [
        // (metres outside, accuracy, outside?)
        (0.0, 15.0, false),
        (0.0, -5.0, false),
        (30.0, 50.0, false),
        (50.0, 50.0, false),
        (50.5, 50.0, true),
        (100.0, 180.0, false),
        (150.0, 180.0, true),
        (150.0, 50.0, true),
        (5.0, 0.0, true),
    ];
    for (outside_m, accuracy_m, expected) in table {
        assert_eq!(
            counts_as_outside_fence(outside_m, accuracy_m),
            expected,
            "{outside_m} m outside, ±{accuracy_m} m"
        );
    }
}

#[test]
fn issue_5_a_check_in_outside_the_fence_says_how_far_away_the_trainee_is() {
    let mut far = attempt(CheckKind::CheckIn, 7, 55, 0);
    far.position = outside_by(350.0);
    far.accuracy_m = 20.0;
    let result = decide_check(&offline(), &fence(), &far);
    assert_eq!(
        messages(&result),
        ["您距电子围栏约 350 米（定位误差约 20 米），请到培训场地内签到"]
    );
    match &result {
        Err(refusals) => match refusals[0] {
            Refusal::OutsideFence { distance_m, .. } => assert!((distance_m - 350.0).abs() < 0.5),
            ref other => panic!("{other:?}"),
        },
        Ok(verdict) => panic!("{verdict:?}"),
    }
}

#[test]
fn an_accuracy_worse_than_200_metres_is_refused_as_too_poor_and_hides_the_fence_distance() {
    for (accuracy_m, accepted) in [(200.0, true), (200.5, false), (5_000.0, false)] {
        let mut vague = attempt(CheckKind::CheckIn, 7, 55, 0);
        vague.accuracy_m = accuracy_m;
        let result = decide_check(&offline(), &fence(), &vague);
        assert_eq!(result.is_ok(), accepted, "±{accuracy_m} m");
    }
    let mut vague_and_far = attempt(CheckKind::CheckIn, 7, 55, 0);
    vague_and_far.position = outside_by(2_000.0);
    vague_and_far.accuracy_m = 1_500.0;
    let result = decide_check(&offline(), &fence(), &vague_and_far);
    assert_eq!(codes(&result), ["accuracy_too_poor"]);
    assert_eq!(
        messages(&result),
        [
            "定位误差约 1.5 公里，超过 200 米，无法确认您在培训场地内；请打开手机定位（GPS）后重新签到"
        ]
    );
    for nonsense in [f64::NAN, f64::INFINITY, -1.0] {
        let mut broken = attempt(CheckKind::CheckOut, 11, 0, 0);
        broken.accuracy_m = nonsense;
        let result = decide_check(&offline(), &fence(), &broken);
        assert_eq!(codes(&result), ["accuracy_too_poor"], "{nonsense}");
        assert_eq!(
            messages(&result),
            ["未取得定位精度，无法确认您在培训场地内；请打开手机定位（GPS）后重新签退"]
        );
    }
}

#[test]
fn issue_5_a_wrong_or_expired_classroom_code_is_refused() {
    let mut stale = attempt(CheckKind::CheckIn, 7, 55, 0);
    stale.code_accepted = false;
    let result = decide_check(&offline(), &fence(), &stale);
    assert_eq!(codes(&result), ["code_expired"]);
    assert_eq!(
        messages(&result),
        ["课堂签到码不正确或已过期，请输入教室屏幕上当前显示的 6 位数字"]
    );
}

/// Issue 15 item 2: the code is judged only once time and place pass, so a refusal of the
/// place never tells whether a guessed code was right.
#[test]
fn every_refusal_of_time_and_place_is_given_at_once_and_the_code_only_after_them() {
    let mut everything_wrong = attempt(CheckKind::CheckIn, 9, 0, 0);
    everything_wrong.position = outside_by(800.0);
    everything_wrong.code_accepted = false;
    let wrong_code = decide_check(&offline(), &fence(), &everything_wrong);
    assert_eq!(codes(&wrong_code), ["window_closed", "outside_fence"]);
    everything_wrong.code_accepted = true;
    let right_code = decide_check(&offline(), &fence(), &everything_wrong);
    assert_eq!(right_code, wrong_code);
}

/// Issue 15 item 2: after WRONG_CODES_PER_SESSION wrong codes the attempt is refused without
/// judging its code, a right code included; a free slot judges it.
#[test]
fn issue_15_with_every_code_slot_used_the_attempt_is_refused_without_judging_the_code() {
    use crate::attendance::{CodeSlot, WRONG_CODES_PER_SESSION, judge_code};
    assert_eq!(WRONG_CODES_PER_SESSION, 5);
    let kind = CheckKind::CheckIn;
    for right in [true, false] {
        let refused = judge_code(kind, CodeSlot::Exhausted, right).unwrap_err();
        assert_eq!(refused, [Refusal::CodeAttemptsExhausted { kind }]);
        assert_eq!(refused[0].code(), "check_in_locked");
        assert!(
            refused[0].message().contains("已输错 5 次"),
            "{}",
            refused[0].message()
        );
    }
    assert_eq!(judge_code(kind, CodeSlot::Free, true), Ok(()));
    assert_eq!(
        judge_code(kind, CodeSlot::Free, false),
        Err(vec![Refusal::CodeExpired { kind }])
    );
}

#[test]
fn spec_step_4_online_sessions_have_no_check_in_only_heartbeats() {
    let online = session(Delivery::Online, 4);
    let mut wrong = attempt(CheckKind::CheckIn, 3, 0, 0);
    wrong.code_accepted = false;
    let result = decide_check(&online, &fence(), &wrong);
    assert_eq!(codes(&result), ["online_session"]);
    assert_eq!(
        messages(&result),
        ["本节为线上课程，无需签到，请在线上学习页面学习"]
    );
}

#[test]
fn issue_5_the_page_states_clearly_whether_it_counted_and_how() {
    let said = |kind, hour, minute| {
        decide_check(&offline(), &fence(), &attempt(kind, hour, minute, 0))
            .unwrap()
            .message()
    };
    assert_eq!(said(CheckKind::CheckIn, 7, 50), "签到成功");
    assert_eq!(said(CheckKind::CheckIn, 8, 5), "签到成功（迟到 5 分钟）");
    assert_eq!(
        said(CheckKind::CheckOut, 10, 50),
        "签退成功（早退 10 分钟）"
    );
    assert_eq!(said(CheckKind::CheckOut, 11, 20), "签退成功");
}

#[test]
fn refusal_codes_are_stable_and_distinct_and_kinds_round_trip() {
    let window = Window::of(&offline(), CheckKind::CheckIn);
    let today = date(2026, 6, 1);
    let kind = CheckKind::CheckIn;
    let all = [
        Refusal::OnlineSession,
        Refusal::WindowNotOpen {
            kind,
            window,
            today,
        },
        Refusal::WindowClosed {
            kind,
            window,
            today,
        },
        Refusal::AccuracyTooPoor {
            kind,
            accuracy_m: 500.0,
        },
        Refusal::OutsideFence {
            kind,
            distance_m: 1.0,
            accuracy_m: 1.0,
        },
        Refusal::CodeExpired { kind },
        Refusal::CodeAttemptsExhausted { kind },
    ];
    let codes: Vec<_> = all.iter().map(Refusal::code).collect();
    assert_eq!(
        codes,
        [
            "online_session",
            "window_not_open",
            "window_closed",
            "accuracy_too_poor",
            "outside_fence",
            "code_expired",
            "check_in_locked"
        ]
    );
    for kind in [CheckKind::CheckIn, CheckKind::CheckOut] {
        assert_eq!(CheckKind::parse(kind.as_str()), Some(kind));
        assert_eq!(CheckKind::parse(kind.label()), Some(kind));
    }
}

#[test]
fn a_shanghai_wall_clock_time_and_its_instant_convert_both_ways() {
    let local = date(2026, 6, 1).and_time(time(8, 30));
    let instant = crate::attendance::shanghai_instant(local);
    assert_eq!(instant.to_rfc3339(), "2026-06-01T00:30:00+00:00");
    assert_eq!(crate::attendance::shanghai_local(instant), local);
}
