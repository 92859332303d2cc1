//! Issue 5, item 6: the thresholds of the patterns in phones' readings (shared device,
//! identical coordinates, impossible travel), each walked just below, at and just above, with
//! the defaults and, where a default leaves no "below", with a raised threshold.

use super::plant::SPOOFED;
use super::*;

/// Issue 5, item 6 "one device checking in several trainees": with the default (2 persons)
/// a phone of one trainee is no pattern, two or three are; with 3, two are not.
#[test]
fn a_device_is_shared_from_the_threshold_s_number_of_persons() {
    let at_three = Thresholds {
        shared_device_persons: 3,
        ..Thresholds::DEFAULT
    };
    for (borrowers, default, raised) in [(0, false, false), (1, true, false), (2, true, true)] {
        let mut dataset = clean();
        for person_id in [103, 104].into_iter().take(borrowers) {
            record(&mut dataset, person_id, 702, CheckKind::CheckIn).device_id =
                Some("dev-101".to_owned());
        }
        let flagged = |t: &Thresholds| kinds(&dataset, t) == [FlagKind::SharedDevice];
        assert_eq!(
            flagged(&Thresholds::DEFAULT),
            default,
            "{borrowers} borrowers"
        );
        assert_eq!(
            flagged(&at_three),
            raised,
            "{borrowers} borrowers, threshold 3"
        );
        if !default {
            assert_eq!(kinds(&dataset, &Thresholds::DEFAULT), []);
        }
    }
}

/// Issue 5, item 6: "the same day" is a day in Liaoning (UTC+8). 102 borrowing 101's phone at
/// 07:50 on 15 January (23:50 UTC on the 14th) is another day than 101's last session on the
/// 14th; at 23:50 on the 14th it is the same day.
#[test]
fn a_device_s_day_is_the_day_in_liaoning_not_in_utc() {
    for (at, flagged) in [(china(15, 7, 50), false), (china(14, 23, 50), true)] {
        let mut dataset = clean();
        let id = next_id(&dataset);
        let position = Jitter(5).near(VENUE);
        let mut borrowed = reading(id, (CLASS, 704), 102, at, CheckKind::CheckIn, position, 9.0);
        borrowed.device_id = Some("dev-101".to_owned());
        borrowed.accepted = false;
        dataset.check_ins.push(borrowed);
        let expected: &[FlagKind] = if flagged {
            &[FlagKind::SharedDevice]
        } else {
            &[]
        };
        assert_eq!(kinds(&dataset, &Thresholds::DEFAULT), expected, "{at}");
    }
}

/// Issue 5, item 2: a record the institution entered is its word, not a phone's; its device
/// does not make a shared device (the corrections have their own flag).
#[test]
fn records_entered_by_the_institution_do_not_share_a_device() {
    let mut dataset = clean();
    for person_id in [103, 104] {
        let fact = record(&mut dataset, person_id, 702, CheckKind::CheckIn);
        fact.device_id = Some("dev-101".to_owned());
        fact.corrected = true;
    }
    assert_eq!(kinds(&dataset, &Thresholds::DEFAULT), []);
}

/// Issue 5, item 6 "identical coordinates": two persons at one micro-degree are not enough
/// (a shared network fix), three are, four too.
#[test]
fn coordinates_are_identical_from_three_persons() {
    for (persons, flagged) in [(2, false), (3, true), (4, true)] {
        let mut dataset = clean();
        for person_id in [106, 107, 108, 109].into_iter().take(persons) {
            record(&mut dataset, person_id, 703, CheckKind::CheckIn).position = Some(SPOOFED);
        }
        let expected: &[FlagKind] = if flagged {
            &[FlagKind::IdenticalCoordinates]
        } else {
            &[]
        };
        assert_eq!(
            kinds(&dataset, &Thresholds::DEFAULT),
            expected,
            "{persons} persons"
        );
    }
}

/// Issue 5, item 6: "identical" is to the micro-degree (about 0.1 m): readings 0.4 µ° apart
/// round to one point, readings 1 µ° apart are different readings.
#[test]
fn coordinates_are_identical_to_the_micro_degree() {
    for (step, flagged) in [(0.000_000_4, true), (0.000_001, false)] {
        let mut dataset = clean();
        for (index, person_id) in [106, 107, 108].into_iter().enumerate() {
            let position = LatLon {
                lat: SPOOFED.lat + step * index as f64 / 2.0,
                lon: SPOOFED.lon,
            };
            record(&mut dataset, person_id, 703, CheckKind::CheckIn).position = Some(position);
        }
        let found = kinds(&dataset, &Thresholds::DEFAULT);
        assert_eq!(found == [FlagKind::IdenticalCoordinates], flagged, "{step}");
    }
}

/// Issue 5, item 6: identical coordinates count only from fixes claiming satellite precision
/// (accuracy ≤ 20 m); a coarse network fix may be one access point's stored position.
#[test]
fn identical_coordinates_count_only_precise_fixes() {
    for (accuracy_m, flagged) in [(19.5, true), (20.0, true), (20.5, false)] {
        let mut dataset = clean();
        for person_id in [106, 107, 108] {
            let fact = record(&mut dataset, person_id, 703, CheckKind::CheckIn);
            fact.position = Some(SPOOFED);
            fact.accuracy_m = accuracy_m;
        }
        let found = kinds(&dataset, &Thresholds::DEFAULT);
        assert_eq!(
            found == [FlagKind::IdenticalCoordinates],
            flagged,
            "{accuracy_m}"
        );
    }
}

/// Issue 5, item 6 "too-regular coordinates": one person at one micro-degree in two sessions
/// is not enough, in three it is, in four too.
#[test]
fn one_person_s_coordinates_are_too_regular_from_three_sessions() {
    for (sessions, flagged) in [(2, false), (3, true), (4, true)] {
        let mut dataset = clean();
        for session_id in OFFLINE_SESSIONS.into_iter().take(sessions) {
            record(&mut dataset, 110, session_id, CheckKind::CheckIn).position = Some(SPOOFED);
        }
        let found = kinds(&dataset, &Thresholds::DEFAULT);
        assert_eq!(
            found == [FlagKind::IdenticalCoordinates],
            flagged,
            "{sessions}"
        );
    }
}

/// Issue 5, item 6: a browser may hand out a cached fix twice in one session; check-in and
/// check-out at one point count as one session.
#[test]
fn a_fix_repeated_within_one_session_counts_once() {
    let mut dataset = clean();
    for (session_id, kind) in [
        (701, CheckKind::CheckIn),
        (701, CheckKind::CheckOut),
        (702, CheckKind::CheckIn),
    ] {
        record(&mut dataset, 110, session_id, kind).position = Some(SPOOFED);
    }
    assert_eq!(kinds(&dataset, &Thresholds::DEFAULT), []);
}

/// Two readings of person 112, `seconds` apart and 0.2° of latitude (about 22 km) apart, each
/// with `accuracy_m`; and the distance left once the detector allows for both accuracies.
fn trip(seconds: i64, accuracy_m: f64) -> (Dataset, f64) {
    let far = LatLon {
        lat: VENUE.lat + 0.2,
        lon: VENUE.lon,
    };
    let start = china(13, 12, 0);
    let end = start + TimeDelta::seconds(seconds);
    let dataset = only(vec![
        reading(
            1,
            (CLASS, 703),
            112,
            start,
            CheckKind::CheckOut,
            VENUE,
            accuracy_m,
        ),
        reading(2, (9, 901), 112, end, CheckKind::CheckIn, far, accuracy_m),
    ]);
    (dataset, dte_geo::distance_m(VENUE, far) - 2.0 * accuracy_m)
}

/// Issue 5, item 6 "impossible travel": 22 km in 10 minutes (133 km/h) is flagged, in 12
/// minutes (111 km/h) not; at exactly the threshold's speed it is not (only above).
#[test]
fn travel_is_impossible_above_the_threshold_s_speed() {
    for (seconds, flagged) in [(600, true), (720, false)] {
        let (dataset, _) = trip(seconds, 10.0);
        let found = kinds(&dataset, &Thresholds::DEFAULT);
        assert_eq!(
            found == [FlagKind::ImpossibleTravel; 2],
            flagged,
            "{seconds} s"
        );
    }
    let (dataset, distance_m) = trip(600, 10.0);
    let exact = travel_speed_kmh(distance_m, 600).unwrap();
    for (limit, flagged) in [(exact - 0.01, true), (exact, false), (exact + 0.01, false)] {
        let thresholds = Thresholds {
            travel_max_speed_kmh: limit,
            ..Thresholds::DEFAULT
        };
        let found = kinds(&dataset, &thresholds);
        assert_eq!(
            found == [FlagKind::ImpossibleTravel; 2],
            flagged,
            "{limit} km/h"
        );
    }
}

/// Issue 5, item 6: travel counts only beyond 1 km after both readings' accuracy is allowed
/// for — a jump of 1.2 km in 20 seconds is flagged with 10 m fixes and not with 150 m fixes
/// (0.9 km left); at exactly the minimum distance it is not.
#[test]
fn travel_counts_beyond_the_minimum_distance_after_accuracy() {
    let short = |accuracy_m: f64| {
        let near = LatLon {
            lat: VENUE.lat + 0.010_8,
            lon: VENUE.lon,
        };
        let start = china(13, 12, 0);
        let dataset = only(vec![
            reading(
                1,
                (CLASS, 703),
                112,
                start,
                CheckKind::CheckOut,
                VENUE,
                accuracy_m,
            ),
            reading(
                2,
                (CLASS, 703),
                112,
                start + TimeDelta::seconds(20),
                CheckKind::CheckIn,
                near,
                accuracy_m,
            ),
        ]);
        (dataset, dte_geo::distance_m(VENUE, near) - 2.0 * accuracy_m)
    };
    let (precise, left) = short(10.0);
    assert!(left > 1_000.0);
    assert_eq!(
        kinds(&precise, &Thresholds::DEFAULT),
        [FlagKind::ImpossibleTravel]
    );
    let (coarse, left) = short(150.0);
    assert!(left < 1_000.0);
    assert_eq!(kinds(&coarse, &Thresholds::DEFAULT), []);
    let (precise, left) = short(10.0);
    for (minimum, flagged) in [(left - 0.01, true), (left, false)] {
        let thresholds = Thresholds {
            travel_min_distance_m: minimum,
            ..Thresholds::DEFAULT
        };
        let found = kinds(&precise, &thresholds);
        assert_eq!(
            found == [FlagKind::ImpossibleTravel],
            flagged,
            "{minimum} m"
        );
    }
}

/// Issue 5, item 6: two readings 22 km apart at the same second are impossible travel, and a
/// record the institution entered is not a reading.
#[test]
fn simultaneous_readings_far_apart_are_impossible_and_corrections_are_not_readings() {
    let (dataset, _) = trip(0, 10.0);
    assert_eq!(
        kinds(&dataset, &Thresholds::DEFAULT),
        [FlagKind::ImpossibleTravel; 2]
    );
    let (mut dataset, _) = trip(0, 10.0);
    dataset.check_ins[1].corrected = true;
    assert_eq!(kinds(&dataset, &Thresholds::DEFAULT), Vec::new());
}
