//! The patterns of issue 5, item 6, each planted in the clean class by one function, and all
//! of them at once.

use super::*;

/// 班期 8's classroom in 抚顺 (about 44 km from 班期 7's).
pub(super) const FUSHUN: LatLon = LatLon {
    lat: 41.880_211,
    lon: 123.957_308,
};
/// 班期 9's classroom in 大连 (about 355 km from 班期 7's).
pub(super) const DALIAN: LatLon = LatLon {
    lat: 38.914_003,
    lon: 121.614_682,
};
/// A position a location-faking app reports, inside 班期 7's fence.
pub(super) const SPOOFED: LatLon = LatLon {
    lat: 41.796_2,
    lon: 123.431_5,
};

/// 101 lends his phone: on 12 January it also checks in 103, 104 and 105.
pub(super) fn plant_shared_device(dataset: &mut Dataset) {
    for person_id in [103, 104, 105] {
        record(dataset, person_id, 702, CheckKind::CheckIn).device_id = Some("dev-101".to_owned());
    }
}

/// 106, 107 and 108 check in on 13 January from one faked position.
pub(super) fn plant_identical_coordinates(dataset: &mut Dataset) {
    for person_id in [106, 107, 108] {
        let fact = record(dataset, person_id, 703, CheckKind::CheckIn);
        fact.position = Some(SPOOFED);
        fact.accuracy_m = 5.0;
        fact.allowance_m = 5.0;
    }
}

/// 110 checks in to all four classroom sessions from the same faked position.
pub(super) fn plant_repeated_coordinates(dataset: &mut Dataset) {
    for session_id in OFFLINE_SESSIONS {
        let fact = record(dataset, 110, session_id, CheckKind::CheckIn);
        fact.position = Some(LatLon {
            lat: 41.796_5,
            lon: 123.431_9,
        });
        fact.accuracy_m = 10.0;
    }
}

/// 112 checks out in 沈阳 at noon on 13 January and in to 班期 9 in 大连 at 12:55.
pub(super) fn plant_impossible_travel(dataset: &mut Dataset) {
    dataset.sessions.push(session(9, 901, 13, (13, 0), (17, 0)));
    dataset.enrolments.push(EnrolmentFact {
        person_id: 112,
        class_id: 9,
    });
    for (kind, at) in [
        (CheckKind::CheckIn, china(13, 12, 55)),
        (CheckKind::CheckOut, china(13, 17, 5)),
    ] {
        let id = next_id(dataset);
        let position = Jitter(id as u64).near(DALIAN);
        let fact = reading(id, (9, 901), 112, at, kind, position, 9.0);
        dataset.check_ins.push(fact);
    }
}

/// 班期 8 in 抚顺 has a session on 14 January, 09:00–11:00, while 班期 7 sits 08:30–12:00.
pub(super) fn add_class_8(dataset: &mut Dataset) {
    if !dataset.sessions.iter().any(|session| session.class_id == 8) {
        dataset.sessions.push(session(8, 801, 14, (9, 0), (11, 0)));
    }
}

/// 115 is enrolled in 班期 8 as well, whose session overlaps 班期 7's by two hours.
pub(super) fn plant_overlapping_enrolment(dataset: &mut Dataset) {
    add_class_8(dataset);
    dataset.enrolments.push(EnrolmentFact {
        person_id: 115,
        class_id: 8,
    });
}

/// 116 checks in and out of 班期 8's session in 抚顺 while signed in to 班期 7 in 沈阳.
pub(super) fn plant_overlapping_check_ins(dataset: &mut Dataset) {
    add_class_8(dataset);
    for (kind, at) in [
        (CheckKind::CheckIn, china(14, 9, 10)),
        (CheckKind::CheckOut, china(14, 11, 0)),
    ] {
        let id = next_id(dataset);
        let position = Jitter(id as u64).near(FUSHUN);
        let fact = reading(id, (8, 801), 116, at, kind, position, 11.0);
        dataset.check_ins.push(fact);
    }
}

/// On 12 January the institution counts 117's check-in from 180 m outside the fence, and 118
/// tries from the street before walking in.
pub(super) fn plant_outside_fence(dataset: &mut Dataset) {
    let fact = record(dataset, 117, 702, CheckKind::CheckIn);
    fact.position = Some(LatLon {
        lat: VENUE.lat + 0.001_8,
        lon: VENUE.lon,
    });
    fact.accuracy_m = 15.0;
    fact.allowance_m = 15.0;
    fact.distance_outside_fence_m = 180.0;
    fact.corrected = true;
    let correction = CorrectionFact {
        id: 100,
        class_id: CLASS,
        session_id: 702,
        person_id: 117,
        at: china(12, 9, 0),
    };
    dataset.corrections.push(correction);
    let id = next_id(dataset);
    let street = LatLon {
        lat: VENUE.lat + 0.006_5,
        lon: VENUE.lon,
    };
    let mut attempt = reading(
        id,
        (CLASS, 702),
        118,
        china(12, 7, 58),
        CheckKind::CheckIn,
        street,
        12.0,
    );
    attempt.distance_outside_fence_m = 650.0;
    attempt.accepted = false;
    dataset.check_ins.push(attempt);
}

/// The institution enters 16 more check-outs by hand: 17 corrections of 160 records.
pub(super) fn plant_many_corrections(dataset: &mut Dataset) {
    for person_id in [102, 109, 111, 113] {
        for session_id in OFFLINE_SESSIONS {
            correct(dataset, person_id, session_id, CheckKind::CheckOut);
        }
    }
}

/// 13 January's session has no recording a week later.
pub(super) fn plant_missing_recording(dataset: &mut Dataset) {
    let session = dataset
        .sessions
        .iter_mut()
        .find(|session| session.session_id == 703)
        .unwrap();
    session.has_recording = false;
}

/// 18 class hours are claimed for 119, who attended 14.
pub(super) fn plant_hours_beyond_attendance(dataset: &mut Dataset) {
    let claim = dataset
        .claims
        .iter_mut()
        .find(|claim| claim.person_id == 119)
        .unwrap();
    claim.attended_hours = 14;
}

/// Every pattern at once.
pub(super) fn all_patterns() -> Dataset {
    let mut dataset = clean();
    plant_shared_device(&mut dataset);
    plant_identical_coordinates(&mut dataset);
    plant_repeated_coordinates(&mut dataset);
    plant_impossible_travel(&mut dataset);
    plant_overlapping_enrolment(&mut dataset);
    plant_overlapping_check_ins(&mut dataset);
    plant_outside_fence(&mut dataset);
    plant_many_corrections(&mut dataset);
    plant_missing_recording(&mut dataset);
    plant_hours_beyond_attendance(&mut dataset);
    dataset
}
