//! Issue 5, item 6 and "Done when": each pattern, planted in the clean class, is found — exactly
//! the expected flags, with the right class and evidence — and all of them at once.

use super::plant::*;
use super::*;

fn planted(plant: fn(&mut Dataset)) -> Vec<Flag> {
    let mut dataset = clean();
    plant(&mut dataset);
    detect_default(&dataset)
}

fn person_ids(check_ins: &[CheckInRef]) -> Vec<i64> {
    let mut ids: Vec<i64> = check_ins.iter().map(|c| c.person.id).collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Issue 5, item 6: "one device checking in several trainees".
#[test]
fn one_phone_checking_in_four_trainees_on_one_day_is_a_shared_device() {
    let flags = planted(plant_shared_device);
    assert_eq!(found(&flags), [(FlagKind::SharedDevice, CLASS)]);
    let Evidence::SharedDevice {
        device_id,
        day,
        check_ins,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!(device_id, "dev-101");
    assert_eq!(*day, NaiveDate::from_ymd_opt(2027, 1, 12).unwrap());
    assert_eq!(person_ids(check_ins), [101, 103, 104, 105]);
    assert_eq!(
        check_ins.len(),
        5,
        "101's check-in and check-out, and the three others'"
    );
}

/// Issue 5, item 6: "identical … coordinates" from several persons.
#[test]
fn three_trainees_at_the_same_micro_degree_are_identical_coordinates() {
    let flags = planted(plant_identical_coordinates);
    assert_eq!(found(&flags), [(FlagKind::IdenticalCoordinates, CLASS)]);
    let Evidence::IdenticalCoordinates {
        position,
        check_ins,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!(*position, SPOOFED);
    assert_eq!(person_ids(check_ins), [106, 107, 108]);
    assert!(check_ins.iter().all(|c| c.session_id == 703));
}

/// Issue 5, item 6: "too-regular coordinates" of one person.
#[test]
fn one_trainee_at_the_same_micro_degree_in_four_sessions_is_too_regular() {
    let flags = planted(plant_repeated_coordinates);
    assert_eq!(found(&flags), [(FlagKind::IdenticalCoordinates, CLASS)]);
    let Evidence::RepeatedCoordinates {
        person, check_ins, ..
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!(person.id, 110);
    let sessions: Vec<i64> = check_ins.iter().map(|c| c.session_id).collect();
    assert_eq!(sessions, OFFLINE_SESSIONS);
}

/// Issue 5, item 6: "impossible travel between check-ins", across classes and cities.
#[test]
fn checking_out_in_shenyang_and_in_to_dalian_within_the_hour_is_impossible_travel() {
    let flags = planted(plant_impossible_travel);
    assert_eq!(
        found(&flags),
        [
            (FlagKind::ImpossibleTravel, CLASS),
            (FlagKind::ImpossibleTravel, 9)
        ]
    );
    assert_eq!(
        flags[0].evidence, flags[1].evidence,
        "both classes see the same pair"
    );
    let Evidence::ImpossibleTravel {
        from,
        to,
        distance_m,
        seconds,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!(
        (from.person.id, from.class_id, from.session_id),
        (112, 7, 703)
    );
    assert_eq!(
        (from.kind, to.kind),
        (CheckKind::CheckOut, CheckKind::CheckIn)
    );
    assert_eq!((to.class_id, to.at), (9, china(13, 12, 55)));
    assert!((340_000.0..370_000.0).contains(distance_m), "{distance_m}");
    assert!(travel_speed_kmh(*distance_m, *seconds).unwrap() > 500.0);
}

/// Issue 5, item 6: "a person in overlapping sessions anywhere in the province" — enrolled in
/// two classes whose timetables overlap.
#[test]
fn a_trainee_enrolled_in_two_classes_at_the_same_time_is_flagged_in_both() {
    let flags = planted(plant_overlapping_enrolment);
    assert_eq!(
        found(&flags),
        [
            (FlagKind::OverlappingSessions, 7),
            (FlagKind::OverlappingSessions, 8)
        ]
    );
    for (flag, (this, other)) in flags.iter().zip([(704, 801), (801, 704)]) {
        let Evidence::OverlappingSessions {
            person,
            other_class_id,
            overlaps,
            check_ins,
        } = &flag.evidence
        else {
            panic!("{flags:?}");
        };
        assert_eq!(person.id, 115);
        assert_eq!(*other_class_id, if flag.class_id == 7 { 8 } else { 7 });
        assert_eq!(overlaps.len(), 1);
        assert_eq!((overlaps[0].this.id, overlaps[0].other.id), (this, other));
        assert_eq!(overlaps[0].minutes, 120);
        let sessions: Vec<i64> = check_ins.iter().map(|c| c.session_id).collect();
        assert_eq!(
            sessions,
            [704, 704],
            "115's check-in and check-out of 班期 7"
        );
    }
}

/// Issue 5, item 6: "a person in overlapping sessions" — checked in to both, enrolled or not.
#[test]
fn a_trainee_checked_in_to_two_classes_at_the_same_time_is_flagged_in_both() {
    let flags = planted(plant_overlapping_check_ins);
    assert_eq!(
        found(&flags),
        [
            (FlagKind::OverlappingSessions, 7),
            (FlagKind::OverlappingSessions, 8)
        ]
    );
    let Evidence::OverlappingSessions {
        person, check_ins, ..
    } = &flags[1].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!(person.id, 116);
    let sessions: Vec<i64> = check_ins.iter().map(|c| c.session_id).collect();
    assert_eq!(sessions, [704, 801, 801, 704], "in time order");
}

/// Issue 5, item 6: "check-ins outside the fence" — one counted by the institution's
/// correction, one refused attempt; one flag for the class.
#[test]
fn a_corrected_check_in_and_a_refused_attempt_outside_the_fence_are_flagged_once() {
    let flags = planted(plant_outside_fence);
    assert_eq!(found(&flags), [(FlagKind::OutsideFence, CLASS)]);
    let Evidence::OutsideFence { breaches } = &flags[0].evidence else {
        panic!("{flags:?}");
    };
    let seen: Vec<(i64, bool, bool, f64)> = breaches
        .iter()
        .map(|b| (b.check_in.person.id, b.accepted, b.corrected, b.beyond_m))
        .collect();
    assert_eq!(seen, [(118, false, false, 638.0), (117, true, true, 165.0)]);
}

/// Issue 5, item 2 and item 6: "corrections piling up" — 17 of 160 records (10.6 %).
#[test]
fn seventeen_corrections_of_a_hundred_and_sixty_check_ins_are_too_many() {
    let flags = planted(plant_many_corrections);
    assert_eq!(found(&flags), [(FlagKind::ManyCorrections, CLASS)]);
    let Evidence::ManyCorrections {
        corrections,
        counted_check_ins,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!((corrections.len(), *counted_check_ins), (17, 160));
}

/// Issue 5, items 5 and 6: "sessions without recordings".
#[test]
fn a_session_a_week_past_without_its_recording_is_flagged() {
    let flags = planted(plant_missing_recording);
    assert_eq!(found(&flags), [(FlagKind::MissingRecording, CLASS)]);
    let Evidence::MissingRecording { session } = &flags[0].evidence else {
        panic!("{flags:?}");
    };
    assert_eq!((session.id, session.starts_at), (703, china(13, 8, 30)));
}

/// Issue 5, item 6: "hours claimed beyond hours attended".
#[test]
fn eighteen_hours_claimed_for_fourteen_attended_are_flagged() {
    let flags = planted(plant_hours_beyond_attendance);
    assert_eq!(found(&flags), [(FlagKind::HoursBeyondAttendance, CLASS)]);
    let Evidence::HoursBeyondAttendance {
        person,
        claimed_hours,
        attended_hours,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!((person.id, *claimed_hours, *attended_hours), (119, 18, 14));
}

/// Issue 5 "Done when": every pattern in one dataset gives exactly the flags of each, in the
/// order of SPEC's kinds, then class, then evidence.
#[test]
fn every_pattern_at_once_gives_exactly_their_flags_in_order() {
    use FlagKind::*;
    let flags = detect_default(&all_patterns());
    assert_eq!(
        found(&flags),
        [
            (SharedDevice, 7),
            (IdenticalCoordinates, 7),
            (IdenticalCoordinates, 7),
            (ImpossibleTravel, 7),
            (ImpossibleTravel, 9),
            (OverlappingSessions, 7),
            (OverlappingSessions, 7),
            (OverlappingSessions, 8),
            (OverlappingSessions, 8),
            (OutsideFence, 7),
            (ManyCorrections, 7),
            (MissingRecording, 7),
            (HoursBeyondAttendance, 7),
        ]
    );
    assert!(matches!(
        flags[1].evidence,
        Evidence::IdenticalCoordinates { .. }
    ));
    assert!(matches!(
        flags[2].evidence,
        Evidence::RepeatedCoordinates { .. }
    ));
    let Evidence::ManyCorrections { corrections, .. } = &flags[10].evidence else {
        panic!("{flags:?}");
    };
    assert_eq!(corrections.len(), 18, "the clean one, 16 planted and 117's");
}

/// Issue 15 item 2: three wrong classroom codes of one trainee for one session are
/// `code_guessing`, citing the attempts; two (a typo and a code that rotated) are not.
#[test]
fn three_wrong_codes_for_one_session_are_code_guessing_and_two_are_not() {
    let mut dataset = clean();
    let wrong = |dataset: &mut Dataset, person_id: i64, minute: i64| {
        let id = dataset.check_ins.len() as i64 + 1;
        let mut attempt = reading(
            id,
            (CLASS, 702),
            person_id,
            china(12, 8, 0) + TimeDelta::minutes(minute),
            CheckKind::CheckIn,
            VENUE,
            8.0,
        );
        attempt.accepted = false;
        attempt.wrong_code = true;
        dataset.check_ins.push(attempt);
        id
    };
    let guesses: Vec<i64> = (0..3)
        .map(|minute| wrong(&mut dataset, 110, minute))
        .collect();
    wrong(&mut dataset, 111, 0);
    wrong(&mut dataset, 111, 1);
    let flags = detect_default(&dataset);
    assert_eq!(found(&flags), [(FlagKind::CodeGuessing, CLASS)]);
    let Evidence::CodeGuessing {
        person,
        session_id,
        attempts,
    } = &flags[0].evidence
    else {
        panic!("{flags:?}");
    };
    assert_eq!((person.id, *session_id), (110, 702));
    let cited: Vec<i64> = attempts.iter().map(|attempt| attempt.id).collect();
    assert_eq!(cited, guesses);
    let summary = flags[0].evidence.summary();
    assert!(summary.contains("输错课堂码 3 次"), "{summary}");
    assert_eq!(FlagKind::CodeGuessing.as_str(), "code_guessing");
    assert_eq!(
        FlagKind::parse("code_guessing"),
        Some(FlagKind::CodeGuessing)
    );
}
