//! Online learning credit (SPEC step 4: "learning time from heartbeats, credited up to the
//! session's hours"; issue 5 item 3: "credited time = time with valid heartbeats while visible,
//! up to the session's hours, with random presence confirmations").

use super::*;

/// 09:00 in Shenyang on the session's day, plus `seconds`.
fn at(seconds: i64) -> DateTime<Utc> {
    shanghai(date(2026, 6, 1), 9, 0, 0) + TimeDelta::seconds(seconds)
}

/// Visible heartbeats every `every` seconds from `from` to `to` (both included).
fn beats(from: i64, to: i64, every: i64) -> Vec<Heartbeat> {
    (from..=to)
        .step_by(usize::try_from(every).unwrap())
        .map(|second| Heartbeat {
            at: at(second),
            visible: true,
        })
        .collect()
}

fn asked(second: i64, answered_after: Option<i64>) -> PresenceCheck {
    PresenceCheck {
        asked_at: at(second),
        answered_at: answered_after.map(|after| at(second + after)),
    }
}

#[test]
fn issue_5_visible_heartbeats_credit_the_time_between_them() {
    let credit = online_credit(2, &beats(0, 3_600, 30), &[]);
    assert_eq!(
        credit,
        OnlineCredit {
            minutes_heard: 60,
            minutes: 60,
            hours: 1
        }
    );
}

#[test]
fn a_gap_of_more_than_90_seconds_between_heartbeats_credits_nothing() {
    // Gaps: 30 s, 120 s (lost), 30 s, 90 s (kept), 91 s (lost).
    let seconds = [0, 30, 150, 180, 270, 361];
    let heartbeats: Vec<_> = seconds
        .iter()
        .map(|&second| Heartbeat {
            at: at(second),
            visible: true,
        })
        .collect();
    assert_eq!(HEARTBEAT_GAP_MAX_SECONDS, 90);
    // 30 + 30 + 90 = 150 s: two whole minutes.
    assert_eq!(online_credit(1, &heartbeats, &[]).minutes, 2);
    let mut longer = heartbeats.clone();
    longer.push(Heartbeat {
        at: at(391),
        visible: true,
    });
    // + 30 s = 180 s.
    assert_eq!(online_credit(1, &longer, &[]).minutes, 3);
}

#[test]
fn issue_5_time_while_the_page_is_hidden_is_not_credited() {
    let mut heartbeats = beats(0, 1_200, 30);
    for beat in heartbeats
        .iter_mut()
        .filter(|beat| beat.at > at(300) && beat.at < at(900))
    {
        beat.visible = false;
    }
    // Visible 0–300 and 900–1200: the spans touching a hidden beat do not count.
    assert_eq!(online_credit(1, &heartbeats, &[]).minutes, 10);
}

#[test]
fn spec_step_4_online_time_is_credited_up_to_the_sessions_hours_of_45_minutes() {
    let credit = online_credit(2, &beats(0, 3 * 3_600, 30), &[]);
    assert_eq!(credit.minutes_heard, 180);
    assert_eq!(credit.minutes, 2 * crate::class_rules::MINUTES_PER_HOUR);
    assert_eq!(credit.hours, 2);
    // 学时 are whole: 89 minutes of a two-hour session are one.
    for (minutes, hours) in [(0, 0), (44, 0), (45, 1), (89, 1), (90, 2), (500, 2)] {
        assert_eq!(credited_hours(2, minutes), hours, "{minutes} min");
    }
}

#[test]
fn issue_5_an_unanswered_presence_confirmation_stops_the_credit_until_the_next_answered_one() {
    let heartbeats = beats(0, 3_600, 30);
    // Asked at 10:00 into the hour and not answered; asked at 20:00 and answered 30 s later.
    let checks = [asked(600, None), asked(1_200, Some(30))];
    // 60 min − 10.5 min paused = 49.5 min.
    assert_eq!(online_credit(2, &heartbeats, &checks).minutes, 49);
    // Answered in time, both: nothing paused.
    let checks = [asked(600, Some(100)), asked(1_200, Some(30))];
    assert_eq!(online_credit(2, &heartbeats, &checks).minutes, 60);
}

#[test]
fn a_confirmation_answered_after_120_seconds_counts_as_unanswered_and_does_not_resume() {
    let heartbeats = beats(0, 3_600, 30);
    let late = [asked(600, Some(150))];
    assert_eq!(online_credit(2, &heartbeats, &late).minutes, 10);
    let never_answered_again = [asked(600, None), asked(1_200, None)];
    assert_eq!(
        online_credit(2, &heartbeats, &never_answered_again).minutes,
        10
    );
    assert!(asked(0, Some(120)).answered_in_time());
    assert!(!asked(0, Some(121)).answered_in_time());
    assert!(!asked(0, Some(-1)).answered_in_time());
    assert!(!asked(0, None).answered_in_time());
}

#[test]
fn two_pages_open_at_once_do_not_count_twice_and_input_order_does_not_matter() {
    let mut heartbeats = beats(0, 1_800, 30);
    heartbeats.extend(beats(10, 1_810, 30));
    heartbeats.reverse();
    let credit = online_credit(2, &heartbeats, &[]);
    // 0 to 1810 s: 30 minutes and 10 seconds.
    assert_eq!(credit.minutes, 30);
    assert_eq!(online_credit(2, &[], &[]).minutes, 0);
}

#[test]
fn issue_5_random_presence_confirmations_fall_once_in_each_45_minute_block() {
    let block = 45 * 60;
    for random in [0, 1, 42, u64::MAX, 0x5EED_0000_0000_0001] {
        let schedule = presence_check_schedule(4, random);
        assert_eq!(schedule.len(), 4, "{random}");
        for (k, &second) in (0u32..).zip(&schedule) {
            let within = second - k * block;
            assert!(
                (60..=block - 120).contains(&within),
                "block {k}: {within} s into it"
            );
        }
        assert_eq!(presence_check_schedule(4, random), schedule, "reproducible");
    }
    assert_ne!(
        presence_check_schedule(8, 1),
        presence_check_schedule(8, 2),
        "the caller's random number decides"
    );
    assert!(presence_check_schedule(0, 7).is_empty());
}
