//! Heartbeats of the learning page (issue 5 item 3: online sessions are learned in their
//! timetable slot; SPEC step 4: "learning time from heartbeats").

use super::*;

#[test]
fn issue_5_a_heartbeat_counts_only_within_an_online_sessions_slot() {
    let online = session(Delivery::Online, 3);
    let day = date(2026, 6, 1);
    assert_eq!(decide_heartbeat(&online, shanghai(day, 8, 0, 0)), Ok(()));
    assert_eq!(decide_heartbeat(&online, shanghai(day, 10, 59, 59)), Ok(()));
    assert_eq!(
        decide_heartbeat(&online, shanghai(day, 7, 59, 59)),
        Err(HeartbeatRefusal::NotStarted {
            starts: day.and_time(time(8, 0))
        })
    );
    let ended = decide_heartbeat(&online, shanghai(day, 11, 0, 0)).unwrap_err();
    assert_eq!(ended.code(), "session_ended");
    assert!(
        ended.message().contains("2026-06-01 11:00"),
        "{}",
        ended.message()
    );
    // The next day is outside the slot too.
    assert!(decide_heartbeat(&online, shanghai(date(2026, 6, 2), 9, 0, 0)).is_err());
}

#[test]
fn issue_5_a_classroom_session_takes_no_heartbeat() {
    let offline = session(Delivery::Offline, 3);
    let refusal = decide_heartbeat(&offline, shanghai(date(2026, 6, 1), 9, 0, 0)).unwrap_err();
    assert_eq!(refusal, HeartbeatRefusal::NotOnline);
    assert_eq!(refusal.code(), "not_online");
}

#[test]
fn issue_5_presence_confirmations_fall_due_as_learning_passes_the_schedule() {
    let schedule = presence_check_schedule(3, 42);
    assert_eq!(schedule.len(), 3);
    assert!(!presence_check_due(&schedule, 0, schedule[0] - 1));
    assert!(presence_check_due(&schedule, 0, schedule[0]));
    // Once asked, the next waits for its own second; after the last, none is due.
    assert!(!presence_check_due(&schedule, 1, schedule[0]));
    assert!(presence_check_due(&schedule, 1, schedule[1]));
    assert!(!presence_check_due(&schedule, 3, u32::MAX));
}
