//! The evidence behind a flag: the records involved, as structured data for the API and as one
//! Chinese sentence (`Evidence::summary`, in `summary.rs`) for a supervisor. People appear by id
//! and masked name only.

use super::FlagKind;
use crate::attendance::CheckKind;
use crate::class::Delivery;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dte_geo::LatLon;
use std::fmt;

/// What was found, with the records that show it.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// `shared_device`: one device checked in several persons on one day (China time).
    SharedDevice {
        device_id: String,
        day: NaiveDate,
        /// Every record of the device that day, in every class.
        check_ins: Vec<CheckInRef>,
    },
    /// `identical_coordinates`: several persons reported exactly the same coordinates.
    IdenticalCoordinates {
        position: LatLon,
        /// Every record at those coordinates, in every class.
        check_ins: Vec<CheckInRef>,
    },
    /// `identical_coordinates`: one person reported exactly the same coordinates in several
    /// sessions.
    RepeatedCoordinates {
        person: PersonRef,
        position: LatLon,
        check_ins: Vec<CheckInRef>,
    },
    /// `impossible_travel`: two consecutive records of a person, too far apart for the time.
    ImpossibleTravel {
        from: CheckInRef,
        to: CheckInRef,
        /// The distance in metres after both readings' accuracy is allowed for.
        distance_m: f64,
        /// The seconds between the two records (0: at the same moment).
        seconds: i64,
    },
    /// `overlapping_sessions`: a person in sessions of this class and of another class at the
    /// same time.
    OverlappingSessions {
        person: PersonRef,
        other_class_id: i64,
        /// Each overlapping pair, this class's session first.
        overlaps: Vec<SessionOverlap>,
        /// The person's counted check-ins in those sessions (empty: enrolled in both, and the
        /// timetables overlap).
        check_ins: Vec<CheckInRef>,
    },
    /// `outside_fence`: the class's records beyond the fence and its allowance.
    OutsideFence { breaches: Vec<FenceBreach> },
    /// `many_corrections`: the institution's corrections in the class.
    ManyCorrections {
        corrections: Vec<CorrectionRef>,
        /// The class's counted check-in records (the share's denominator).
        counted_check_ins: usize,
    },
    /// `missing_recording`: a session that ended without a registered recording.
    MissingRecording { session: SessionRef },
    /// `hours_beyond_attendance`: more hours claimed for a person than attended.
    HoursBeyondAttendance {
        person: PersonRef,
        claimed_hours: u32,
        attended_hours: u32,
    },
    /// `code_guessing`: a trainee's refused attempts at one session with a wrong code (or
    /// after the session's code slots were used up).
    CodeGuessing {
        person: PersonRef,
        session_id: i64,
        /// The refused attempts, in time order.
        attempts: Vec<CheckInRef>,
    },
}

/// A person as evidence names them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PersonRef {
    pub id: i64,
    /// None when the dataset did not name the person.
    pub name: Option<MaskedName>,
}

/// A name with all but its first character hidden (张*, 欧阳**): what evidence may show.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MaskedName(String);

/// A check-in record as evidence cites it.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckInRef {
    pub id: i64,
    pub class_id: i64,
    pub session_id: i64,
    pub person: PersonRef,
    pub at: DateTime<Utc>,
    pub kind: CheckKind,
    pub position: Option<LatLon>,
}

/// A session as evidence cites it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionRef {
    pub id: i64,
    pub class_id: i64,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub delivery: Delivery,
    pub hours: u32,
}

/// Two sessions of different classes that share time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionOverlap {
    pub this: SessionRef,
    pub other: SessionRef,
    pub minutes: i64,
}

/// A record beyond the fence and its allowance.
#[derive(Debug, Clone, PartialEq)]
pub struct FenceBreach {
    pub check_in: CheckInRef,
    /// Metres beyond the fence after the allowance for accuracy.
    pub beyond_m: f64,
    pub accepted: bool,
    pub corrected: bool,
}

/// A correction as evidence cites it (its reason is free text and stays out of evidence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CorrectionRef {
    pub id: i64,
    pub session_id: i64,
    pub person: PersonRef,
    pub at: DateTime<Utc>,
}

impl Evidence {
    /// The people a flag is about, when it is about people (a shared device, coordinates,
    /// travel, overlapping classes, check-ins outside the fence, hours beyond attendance, code
    /// guessing); `None` when it is about the class itself (corrections piling up, a session
    /// without its recording). A subsidy claim holds back exactly these (issue 13 item 1: an
    /// open risk flag "on the person or class").
    pub fn people(&self) -> Option<std::collections::BTreeSet<i64>> {
        let of = |check_ins: &[CheckInRef]| check_ins.iter().map(|check| check.person.id).collect();
        match self {
            Evidence::SharedDevice { check_ins, .. }
            | Evidence::IdenticalCoordinates { check_ins, .. } => Some(of(check_ins)),
            Evidence::RepeatedCoordinates { person, .. }
            | Evidence::OverlappingSessions { person, .. }
            | Evidence::HoursBeyondAttendance { person, .. }
            | Evidence::CodeGuessing { person, .. } => Some([person.id].into()),
            Evidence::ImpossibleTravel { from, to, .. } => {
                Some([from.person.id, to.person.id].into())
            }
            Evidence::OutsideFence { breaches } => Some(
                breaches
                    .iter()
                    .map(|breach| breach.check_in.person.id)
                    .collect(),
            ),
            Evidence::ManyCorrections { .. } | Evidence::MissingRecording { .. } => None,
        }
    }

    /// The kind of flag this evidence shows.
    pub fn kind(&self) -> FlagKind {
        match self {
            Evidence::SharedDevice { .. } => FlagKind::SharedDevice,
            Evidence::IdenticalCoordinates { .. } | Evidence::RepeatedCoordinates { .. } => {
                FlagKind::IdenticalCoordinates
            }
            Evidence::ImpossibleTravel { .. } => FlagKind::ImpossibleTravel,
            Evidence::OverlappingSessions { .. } => FlagKind::OverlappingSessions,
            Evidence::OutsideFence { .. } => FlagKind::OutsideFence,
            Evidence::ManyCorrections { .. } => FlagKind::ManyCorrections,
            Evidence::MissingRecording { .. } => FlagKind::MissingRecording,
            Evidence::HoursBeyondAttendance { .. } => FlagKind::HoursBeyondAttendance,
            Evidence::CodeGuessing { .. } => FlagKind::CodeGuessing,
        }
    }

    /// Orders evidence of one kind and class: a variant number, then ids and text.
    pub(super) fn sort_key(&self) -> (Vec<i64>, &str) {
        match self {
            Evidence::SharedDevice { device_id, day, .. } => {
                (vec![0, i64::from(day.num_days_from_ce())], device_id)
            }
            Evidence::IdenticalCoordinates { position, .. } => {
                let (lat, lon) = micro_degrees(*position);
                (vec![1, lat, lon], "")
            }
            Evidence::RepeatedCoordinates {
                person, position, ..
            } => {
                let (lat, lon) = micro_degrees(*position);
                (vec![2, person.id, lat, lon], "")
            }
            Evidence::ImpossibleTravel { from, to, .. } => {
                (vec![3, from.person.id, from.id, to.id], "")
            }
            Evidence::OverlappingSessions {
                person,
                other_class_id,
                ..
            } => (vec![4, person.id, *other_class_id], ""),
            Evidence::OutsideFence { .. } => (vec![5], ""),
            Evidence::ManyCorrections { .. } => (vec![6], ""),
            Evidence::MissingRecording { session } => (vec![7, session.id], ""),
            Evidence::HoursBeyondAttendance { person, .. } => (vec![8, person.id], ""),
            Evidence::CodeGuessing {
                person, session_id, ..
            } => (vec![9, person.id, *session_id], ""),
        }
    }
}

/// The speed in km/h that covering `distance_m` in `seconds` needs; none for no time at all.
pub fn travel_speed_kmh(distance_m: f64, seconds: i64) -> Option<f64> {
    (seconds > 0).then(|| distance_m / seconds as f64 * 3.6)
}

/// Coordinates rounded to micro-degrees (about 0.1 m): the grain at which two readings are
/// "the same".
pub(super) fn micro_degrees(position: LatLon) -> (i64, i64) {
    (
        (position.lat * 1e6).round() as i64,
        (position.lon * 1e6).round() as i64,
    )
}

impl MaskedName {
    /// Hides all but the first character of a full name: 张三 → 张*, 欧阳娜娜 → 欧***. A
    /// one-character name still gets a star, so no full name ever shows.
    pub fn mask(full_name: &str) -> MaskedName {
        let mut characters = full_name.trim().chars();
        let Some(first) = characters.next() else {
            return MaskedName("*".to_owned());
        };
        let hidden = characters.count().max(1);
        MaskedName(
            std::iter::once(first)
                .chain(std::iter::repeat_n('*', hidden))
                .collect(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MaskedName {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl fmt::Display for PersonRef {
    /// The masked name, or the person's number when the dataset gave no name.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(formatter, "{name}"),
            None => write!(formatter, "#{}", self.id),
        }
    }
}

#[cfg(test)]
mod people_tests {
    use super::*;

    fn person(id: i64) -> PersonRef {
        PersonRef { id, name: None }
    }

    /// Issue 13 item 1: a flag holds back the claim lines of the people it is about, or all of
    /// the class's when it is about the class.
    #[test]
    fn issue_13_a_flag_is_about_its_people_or_about_the_class() {
        let hours = Evidence::HoursBeyondAttendance {
            person: person(7),
            claimed_hours: 80,
            attended_hours: 40,
        };
        assert_eq!(hours.people(), Some([7].into()));
        let at = DateTime::<Utc>::from_timestamp(1_790_000_000, 0).unwrap();
        let check = |id: i64| CheckInRef {
            id,
            class_id: 1,
            session_id: 2,
            person: person(id * 10),
            at,
            kind: CheckKind::CheckIn,
            position: None,
        };
        let travel = Evidence::ImpossibleTravel {
            from: check(1),
            to: check(2),
            distance_m: 50_000.0,
            seconds: 600,
        };
        assert_eq!(travel.people(), Some([10, 20].into()));
        let missing = Evidence::MissingRecording {
            session: SessionRef {
                id: 2,
                class_id: 1,
                starts_at: at,
                ends_at: at,
                delivery: Delivery::Offline,
                hours: 8,
            },
        };
        assert_eq!(missing.people(), None);
    }
}
