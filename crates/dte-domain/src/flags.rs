//! Risk flags (风险提示): the patterns of subsidy fraud (骗补) that city supervisors look for in
//! attendance, found by pure functions over facts the storage gathers (SPEC step 10; issue 5,
//! item 6 "Risk flags").
//!
//! [`detect`] runs nine detectors over one [`Dataset`] and answers every [`Flag`]: its
//! [`FlagKind`] (the stable codes of `GET /api/v1/flags`), the class it concerns and structured
//! [`Evidence`] — the check-ins, persons, devices, sessions, distances and times involved — with
//! a Chinese [`Evidence::summary`] a supervisor can act on. [`risk_scores`] sums
//! [`FlagKind::weight`] per class, so classes can be sorted by risk and spot checks weighted.
//!
//! - `shared_device`: one device checks in several persons on one day (代签).
//! - `identical_coordinates`: several persons at exactly the same coordinates, or one person at
//!   exactly the same coordinates session after session (虚拟定位: real fixes always jitter).
//! - `impossible_travel`: two consecutive check-ins of a person too far apart for the time.
//! - `overlapping_sessions`: a person enrolled in, or checked in to, sessions of two classes at
//!   the same time, anywhere in the province.
//! - `outside_fence`: check-ins beyond the fence and its allowance, counted or refused.
//! - `many_corrections`: the institution corrected too many of a class's check-ins.
//! - `missing_recording`: a session ended without its recording (全程录像) registered.
//! - `hours_beyond_attendance`: more hours claimed for a person than they attended.
//! - `code_guessing`: a trainee typed wrong classroom codes for one session again and again.
//!
//! Personal data: evidence names people by id and [`MaskedName`] only, never by full name or ID
//! number. Time: "now" is [`Dataset::as_of`]; days are counted in China Standard Time (UTC+8,
//! no daylight saving), the day a trainee lives. The output is sorted by (kind, class,
//! evidence), so the same facts always give the same list.

mod coordinates;
mod corrections;
mod device;
mod evidence;
mod facts;
mod fence;
mod guessing;
mod hours;
mod key;
mod overlap;
mod recording;
mod summary;
mod thresholds;
mod travel;

#[cfg(test)]
mod tests;

pub use evidence::{
    CheckInRef, CorrectionRef, Evidence, FenceBreach, MaskedName, PersonRef, SessionOverlap,
    SessionRef, travel_speed_kmh,
};
pub use facts::{
    CheckInFact, ClaimedHours, CorrectionFact, Dataset, EnrolmentFact, PersonFact, SessionFact,
};
pub use key::is_flag_key;
pub use thresholds::Thresholds;

use crate::attendance::shanghai_local;
use chrono::{DateTime, NaiveDate, Utc};
use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// One finding: what pattern, in which class, on what evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub kind: FlagKind,
    pub class_id: i64,
    pub evidence: Evidence,
}

/// The patterns, in SPEC's order (`GET /api/v1/flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FlagKind {
    SharedDevice,
    IdenticalCoordinates,
    ImpossibleTravel,
    OverlappingSessions,
    OutsideFence,
    ManyCorrections,
    MissingRecording,
    HoursBeyondAttendance,
    CodeGuessing,
}

impl FlagKind {
    pub const ALL: [FlagKind; 9] = [
        FlagKind::SharedDevice,
        FlagKind::IdenticalCoordinates,
        FlagKind::ImpossibleTravel,
        FlagKind::OverlappingSessions,
        FlagKind::OutsideFence,
        FlagKind::ManyCorrections,
        FlagKind::MissingRecording,
        FlagKind::HoursBeyondAttendance,
        FlagKind::CodeGuessing,
    ];

    /// The stable code of the API.
    pub fn as_str(self) -> &'static str {
        match self {
            FlagKind::SharedDevice => "shared_device",
            FlagKind::IdenticalCoordinates => "identical_coordinates",
            FlagKind::ImpossibleTravel => "impossible_travel",
            FlagKind::OverlappingSessions => "overlapping_sessions",
            FlagKind::OutsideFence => "outside_fence",
            FlagKind::ManyCorrections => "many_corrections",
            FlagKind::MissingRecording => "missing_recording",
            FlagKind::HoursBeyondAttendance => "hours_beyond_attendance",
            FlagKind::CodeGuessing => "code_guessing",
        }
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            FlagKind::SharedDevice => "一机多人签到",
            FlagKind::IdenticalCoordinates => "签到坐标雷同",
            FlagKind::ImpossibleTravel => "签到行程不可能",
            FlagKind::OverlappingSessions => "参训时间重叠",
            FlagKind::OutsideFence => "围栏外签到",
            FlagKind::ManyCorrections => "考勤更正过多",
            FlagKind::MissingRecording => "课次缺少录像",
            FlagKind::HoursBeyondAttendance => "申报学时超过出勤",
            FlagKind::CodeGuessing => "反复输错课堂码",
        }
    }

    /// What one flag of this kind adds to its class's risk score: 5 for patterns that show
    /// fraud directly (someone else checked in, a faked location, hours paid but not attended),
    /// 4 for what a person cannot do (be in two places) or would not do in a classroom (try
    /// code after code), 3 for corrections piling up (the
    /// institution's word replacing the phone's), 2 for what often has an innocent cause (a
    /// trainee trying from the street, a recording uploaded late).
    pub fn weight(self) -> u32 {
        match self {
            FlagKind::SharedDevice
            | FlagKind::IdenticalCoordinates
            | FlagKind::HoursBeyondAttendance => 5,
            FlagKind::ImpossibleTravel | FlagKind::OverlappingSessions | FlagKind::CodeGuessing => {
                4
            }
            FlagKind::ManyCorrections => 3,
            FlagKind::OutsideFence | FlagKind::MissingRecording => 2,
        }
    }

    /// Parses the API code.
    pub fn parse(text: &str) -> Option<FlagKind> {
        let text = text.trim();
        FlagKind::ALL.into_iter().find(|kind| kind.as_str() == text)
    }
}

/// Every flag the dataset shows, sorted by kind, class and evidence.
pub fn detect(dataset: &Dataset, thresholds: &Thresholds) -> Vec<Flag> {
    let people = People::of(&dataset.people);
    let mut flags = device::shared_devices(dataset, &people, thresholds);
    flags.extend(coordinates::identical_coordinates(
        dataset, &people, thresholds,
    ));
    flags.extend(travel::impossible_travel(dataset, &people, thresholds));
    flags.extend(overlap::overlapping_sessions(dataset, &people, thresholds));
    flags.extend(fence::outside_fence(dataset, &people, thresholds));
    flags.extend(corrections::many_corrections(dataset, &people, thresholds));
    flags.extend(recording::missing_recordings(dataset, thresholds));
    flags.extend(hours::hours_beyond_attendance(dataset, &people, thresholds));
    flags.extend(guessing::code_guessing(dataset, &people, thresholds));
    flags.sort_by(Flag::order);
    flags
}

/// Each flagged class with the sum of its flags' [`FlagKind::weight`], highest first (ties by
/// class id). Classes without flags are not listed: their score is 0.
pub fn risk_scores(flags: &[Flag]) -> Vec<(i64, u32)> {
    let mut scores: BTreeMap<i64, u32> = BTreeMap::new();
    for flag in flags {
        let score = scores.entry(flag.class_id).or_default();
        *score = score.saturating_add(flag.kind.weight());
    }
    let mut scores: Vec<(i64, u32)> = scores.into_iter().collect();
    scores.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    scores
}

impl Flag {
    /// A flag of the kind its evidence shows.
    pub fn new(class_id: i64, evidence: Evidence) -> Flag {
        Flag {
            kind: evidence.kind(),
            class_id,
            evidence,
        }
    }

    fn order(a: &Flag, b: &Flag) -> Ordering {
        (a.kind, a.class_id)
            .cmp(&(b.kind, b.class_id))
            .then_with(|| a.evidence.sort_key().cmp(&b.evidence.sort_key()))
    }
}

/// The day in Liaoning a moment falls on (China time, `attendance::shanghai_local`).
fn china_day(at: DateTime<Utc>) -> NaiveDate {
    shanghai_local(at).date()
}

/// The masked names of the dataset, by person id.
struct People<'a>(BTreeMap<i64, &'a MaskedName>);

impl<'a> People<'a> {
    fn of(people: &'a [PersonFact]) -> People<'a> {
        People(
            people
                .iter()
                .map(|person| (person.person_id, &person.name))
                .collect(),
        )
    }

    fn person(&self, id: i64) -> PersonRef {
        PersonRef {
            id,
            name: self.0.get(&id).map(|&name| name.clone()),
        }
    }

    fn check_in(&self, fact: &CheckInFact) -> CheckInRef {
        CheckInRef {
            id: fact.id,
            class_id: fact.class_id,
            session_id: fact.session_id,
            person: self.person(fact.person_id),
            at: fact.at,
            kind: fact.kind,
            position: fact.position,
        }
    }

    /// The records as evidence cites them, in time order.
    fn check_ins(&self, facts: &[&CheckInFact]) -> Vec<CheckInRef> {
        let mut check_ins: Vec<CheckInRef> = facts.iter().map(|fact| self.check_in(fact)).collect();
        check_ins.sort_by_key(|check_in| (check_in.at, check_in.id));
        check_ins
    }
}

/// The same evidence flagged for every class the records belong to.
fn per_class(facts: &[&CheckInFact], evidence: &Evidence) -> Vec<Flag> {
    let classes: BTreeSet<i64> = facts.iter().map(|fact| fact.class_id).collect();
    classes
        .into_iter()
        .map(|class_id| Flag::new(class_id, evidence.clone()))
        .collect()
}

/// A record that is a phone's own reading: not entered or changed by the institution.
fn from_phone(fact: &CheckInFact) -> bool {
    !fact.corrected
}

/// A session as evidence cites it.
fn session_ref(session: &SessionFact) -> SessionRef {
    SessionRef {
        id: session.session_id,
        class_id: session.class_id,
        starts_at: session.starts_at,
        ends_at: session.ends_at,
        delivery: session.delivery,
        hours: session.hours,
    }
}
