//! Tests of the risk flags (issue 5, item 6 "Risk flags"; SPEC step 10), built on one clean
//! class: 20 trainees of 班期 7 in 沈阳 over five sessions (four in the classroom, one online),
//! with phone-like jitter, their own phones, every recording registered and hours claimed as
//! attended. Issue 5's "Done when": the flags are found on a dataset built to contain each
//! pattern (`plant.rs`, `each_pattern.rs`) and not on a clean one (here); `reading_edges.rs`
//! and `record_edges.rs` walk each threshold (just below, at, above); `sentences.rs` checks
//! the evidence's sentences and names, the order and the scores.
#![allow(clippy::unwrap_used)]

mod each_pattern;
mod plant;
mod reading_edges;
mod record_edges;
mod sentences;

use super::*;
use crate::attendance::CheckKind;
use crate::class::Delivery;
use chrono::{NaiveDate, TimeDelta};
use dte_geo::LatLon;

/// The class under watch.
pub(super) const CLASS: i64 = 7;
/// 班期 7's classroom in 沈阳市和平区 (WGS-84).
pub(super) const VENUE: LatLon = LatLon {
    lat: 41.796_123,
    lon: 123.431_456,
};
/// The trainees of 班期 7.
pub(super) const TRAINEES: std::ops::RangeInclusive<i64> = 101..=120;
/// The classroom sessions of 班期 7, 11–14 January 2027, 08:30–12:00; 705 is online.
pub(super) const OFFLINE_SESSIONS: [i64; 4] = [701, 702, 703, 704];

/// The trainees' full names: they must never appear in evidence.
pub(super) const FULL_NAMES: [&str; 20] = [
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞", "徐涛", "孙丽",
    "马超", "朱琳", "胡斌", "郭颖", "何军", "高峰", "林雪", "罗娟",
];

/// A moment of January 2027, given as a clock in Liaoning shows it (UTC+8).
pub(super) fn china(day: u32, hour: u32, minute: u32) -> DateTime<Utc> {
    let local = NaiveDate::from_ymd_opt(2027, 1, day)
        .unwrap()
        .and_hms_opt(hour, minute, 0)
        .unwrap();
    local.and_utc() - TimeDelta::hours(8)
}

/// A deterministic stand-in for the scatter of real readings (a 64-bit LCG, Knuth's MMIX).
pub(super) struct Jitter(u64);

impl Jitter {
    /// A number in [0, 1).
    pub(super) fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A phone's fix near `centre`: within about 15 m on each axis, never on a round number.
    pub(super) fn near(&mut self, centre: LatLon) -> LatLon {
        LatLon {
            lat: centre.lat + (self.next() - 0.5) * 0.000_27,
            lon: centre.lon + (self.next() - 0.5) * 0.000_36,
        }
    }
}

/// A counted check-in from the person's own phone, inside the fence.
pub(super) fn reading(
    id: i64,
    (class_id, session_id): (i64, i64),
    person_id: i64,
    at: DateTime<Utc>,
    kind: CheckKind,
    position: LatLon,
    accuracy_m: f64,
) -> CheckInFact {
    CheckInFact {
        id,
        class_id,
        session_id,
        person_id,
        at,
        kind,
        position: Some(position),
        accuracy_m,
        device_id: Some(format!("dev-{person_id}")),
        distance_outside_fence_m: 0.0,
        allowance_m: accuracy_m.min(100.0),
        accepted: true,
        wrong_code: false,
        corrected: false,
    }
}

/// A classroom session of `class_id` on a January day, China time.
pub(super) fn session(
    class_id: i64,
    session_id: i64,
    day: u32,
    (start_hour, start_minute): (u32, u32),
    (end_hour, end_minute): (u32, u32),
) -> SessionFact {
    SessionFact {
        class_id,
        session_id,
        starts_at: china(day, start_hour, start_minute),
        ends_at: china(day, end_hour, end_minute),
        delivery: Delivery::Offline,
        hours: 4,
        has_recording: true,
    }
}

/// The clean class: no pattern at all. One trainee (120) forgot the phone on the first day and
/// the institution entered the check-in with a reason, as issue 5 item 2 allows.
pub(super) fn clean() -> Dataset {
    let mut sessions: Vec<SessionFact> = OFFLINE_SESSIONS
        .iter()
        .zip(11..)
        .map(|(&id, day)| session(CLASS, id, day, (8, 30), (12, 0)))
        .collect();
    sessions.push(SessionFact {
        delivery: Delivery::Online,
        hours: 2,
        ..session(CLASS, 705, 15, (19, 0), (21, 0))
    });
    let people = TRAINEES
        .zip(FULL_NAMES)
        .map(|(person_id, name)| PersonFact {
            person_id,
            name: MaskedName::mask(name),
        })
        .collect();
    let mut jitter = Jitter(2027);
    let mut check_ins = Vec::new();
    for (&session_id, day) in OFFLINE_SESSIONS.iter().zip(11..) {
        for person_id in TRAINEES {
            for (kind, hour, minute) in [(CheckKind::CheckIn, 8, 5), (CheckKind::CheckOut, 12, 0)] {
                let offset = (jitter.next() * 20.0 * 60.0) as i64;
                let at = china(day, hour, minute) + TimeDelta::seconds(offset);
                let position = jitter.near(VENUE);
                let accuracy_m = 5.0 + (jitter.next() * 130.0).round() / 10.0;
                let id = check_ins.len() as i64 + 1;
                let record = (CLASS, session_id);
                check_ins.push(reading(
                    id, record, person_id, at, kind, position, accuracy_m,
                ));
            }
        }
    }
    let mut dataset = Dataset {
        as_of: china(20, 9, 0),
        people,
        sessions,
        enrolments: TRAINEES
            .map(|person_id| EnrolmentFact {
                person_id,
                class_id: CLASS,
            })
            .collect(),
        check_ins,
        corrections: Vec::new(),
        claims: TRAINEES
            .map(|person_id| ClaimedHours {
                class_id: CLASS,
                person_id,
                claimed_hours: 18,
                attended_hours: 18,
            })
            .collect(),
    };
    correct(&mut dataset, 120, 701, CheckKind::CheckIn);
    dataset
}

/// The record of a person's check-in or check-out in a session of the dataset.
pub(super) fn record(
    dataset: &mut Dataset,
    person_id: i64,
    session_id: i64,
    kind: CheckKind,
) -> &mut CheckInFact {
    dataset
        .check_ins
        .iter_mut()
        .find(|fact| {
            fact.person_id == person_id && fact.session_id == session_id && fact.kind == kind
        })
        .unwrap()
}

/// The institution enters a person's record by hand (no phone, no position) and records the
/// correction.
pub(super) fn correct(dataset: &mut Dataset, person_id: i64, session_id: i64, kind: CheckKind) {
    let id = dataset.corrections.len() as i64 + 1;
    let fact = record(dataset, person_id, session_id, kind);
    fact.corrected = true;
    fact.device_id = None;
    fact.position = None;
    let correction = CorrectionFact {
        id,
        class_id: fact.class_id,
        session_id,
        person_id,
        at: fact.at + TimeDelta::minutes(30),
    };
    dataset.corrections.push(correction);
}

/// The next free check-in id.
pub(super) fn next_id(dataset: &Dataset) -> i64 {
    dataset
        .check_ins
        .iter()
        .map(|fact| fact.id)
        .max()
        .unwrap_or(0)
        + 1
}

/// The kinds and classes of the flags, in order.
pub(super) fn found(flags: &[Flag]) -> Vec<(FlagKind, i64)> {
    flags
        .iter()
        .map(|flag| (flag.kind, flag.class_id))
        .collect()
}

/// A dataset of these records alone (no sessions, enrolments or claims).
pub(super) fn only(check_ins: Vec<CheckInFact>) -> Dataset {
    Dataset {
        as_of: china(20, 9, 0),
        check_ins,
        ..Dataset::default()
    }
}

/// The kinds of the flags found under `thresholds`, in order.
pub(super) fn kinds(dataset: &Dataset, thresholds: &Thresholds) -> Vec<FlagKind> {
    detect(dataset, thresholds)
        .iter()
        .map(|flag| flag.kind)
        .collect()
}

pub(super) fn detect_default(dataset: &Dataset) -> Vec<Flag> {
    detect(dataset, &Thresholds::DEFAULT)
}

/// Issue 5 "Done when": the flags are not found on a clean dataset — a realistic class, with
/// its jitter, its own phones, its recordings, one honest correction and no overlaps.
#[test]
fn a_clean_class_raises_no_flag_at_all() {
    let dataset = clean();
    assert_eq!(dataset.check_ins.len(), 160);
    assert_eq!(detect_default(&dataset), Vec::new());
    assert_eq!(risk_scores(&detect_default(&dataset)), Vec::new());
}

/// The clean fixture is what it claims to be: readings scattered around the venue like real
/// fixes (none repeats to the micro-degree), one phone per trainee, the one hand-entered
/// record without phone or position.
#[test]
fn the_clean_class_jitters_like_real_phones() {
    let dataset = clean();
    let mut points: Vec<(i64, i64)> = dataset
        .check_ins
        .iter()
        .filter_map(|fact| fact.position)
        .map(super::evidence::micro_degrees)
        .collect();
    assert_eq!(points.len(), 159);
    points.sort_unstable();
    points.dedup();
    assert_eq!(
        points.len(),
        159,
        "no two readings at the same micro-degree"
    );
    for fact in dataset.check_ins.iter().filter_map(|fact| fact.position) {
        assert!(dte_geo::distance_m(fact, VENUE) < 22.0);
    }
    let devices: std::collections::BTreeSet<_> = dataset
        .check_ins
        .iter()
        .filter_map(|fact| fact.device_id.clone())
        .collect();
    assert_eq!(devices.len(), 20);
    assert_eq!(dataset.corrections.len(), 1);
}

/// The detectors look at the whole province at once: a second clean class in 抚顺, with other
/// trainees on the same days, adds nothing.
#[test]
fn two_clean_classes_in_two_cities_raise_no_flag() {
    let mut dataset = clean();
    let fushun = LatLon {
        lat: 41.880_211,
        lon: 123.957_308,
    };
    let mut jitter = Jitter(8);
    dataset.sessions.push(session(8, 801, 12, (14, 0), (17, 0)));
    for person_id in 201..=210 {
        dataset.enrolments.push(EnrolmentFact {
            person_id,
            class_id: 8,
        });
        for (kind, at) in [
            (CheckKind::CheckIn, china(12, 13, 50)),
            (CheckKind::CheckOut, china(12, 17, 5)),
        ] {
            let id = next_id(&dataset);
            let position = jitter.near(fushun);
            let at = at + TimeDelta::seconds(person_id);
            dataset
                .check_ins
                .push(reading(id, (8, 801), person_id, at, kind, position, 8.5));
        }
    }
    assert_eq!(detect_default(&dataset), Vec::new());
}
