//! Risk flags on the wire (`GET /api/v1/flags`, SPEC): each flag's stable `kind`, its `class`
//! and its `evidence` — a Chinese summary with the records it rests on, people by id and
//! masked name only.

use dte_app::monitoring::ClassFlags;
use dte_domain::flags::{CheckInRef, Evidence, Flag, PersonRef, SessionRef};
use dte_store::FlagReviewRow;
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// One flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagItem {
    /// One of `shared_device`, `identical_coordinates`, `impossible_travel`,
    /// `overlapping_sessions`, `outside_fence`, `many_corrections`, `missing_recording`,
    /// `hours_beyond_attendance`, `code_guessing`.
    pub kind: &'static str,
    /// The kind in Chinese, e.g. 一机多人签到.
    pub label: &'static str,
    /// The class's id.
    pub class: i64,
    pub class_title: String,
    pub region: String,
    pub institution: String,
    /// The class's risk score: the sum of its flags' weights.
    pub class_score: u32,
    pub evidence: FlagEvidence,
    /// The flag's stable key (24 hex digits): what a review names (`POST
    /// /api/v1/flags/{key}/review`).
    pub key: String,
    /// The city's review, if any; an unreviewed flag holds its claim lines.
    pub review: Option<FlagReview>,
}

/// A city's review of a flag.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagReview {
    /// `confirmed` (a violation was recorded) or `dismissed`.
    pub verdict: &'static str,
    pub verdict_label: &'static str,
    pub reason: String,
    pub reviewed_by: String,
    pub reviewed_at: chrono::DateTime<chrono::Utc>,
}

impl From<&FlagReviewRow> for FlagReview {
    fn from(row: &FlagReviewRow) -> FlagReview {
        FlagReview {
            verdict: row.verdict.as_str(),
            verdict_label: row.verdict.label(),
            reason: row.reason.clone(),
            reviewed_by: row.reviewed_by.clone(),
            reviewed_at: row.reviewed_at,
        }
    }
}

/// What a flag rests on.
#[derive(Debug, Serialize, ToSchema)]
pub struct FlagEvidence {
    /// The finding in Chinese, for a supervisor to act on.
    pub summary: String,
    /// The people involved, by id and masked name.
    pub persons: Vec<FlagPerson>,
    /// The check-in records cited, by id.
    pub check_ins: Vec<i64>,
    /// The sessions cited, by id.
    pub sessions: Vec<i64>,
    /// The device, for `shared_device`.
    pub device_id: Option<String>,
    /// The other class, for `overlapping_sessions`.
    pub other_class: Option<i64>,
}

/// A person as evidence names them.
#[derive(Debug, Serialize, ToSchema, PartialEq, Eq, PartialOrd, Ord)]
pub struct FlagPerson {
    pub id: i64,
    /// Masked: the first character and stars (张*).
    pub name: Option<String>,
}

/// Collects the records a piece of evidence cites.
#[derive(Default)]
struct Cited {
    persons: Vec<FlagPerson>,
    check_ins: Vec<i64>,
    sessions: Vec<i64>,
}

impl Cited {
    fn person(&mut self, person: &PersonRef) {
        self.persons.push(FlagPerson {
            id: person.id,
            name: person.name.as_ref().map(ToString::to_string),
        });
    }

    fn check_in(&mut self, check_in: &CheckInRef) {
        self.check_ins.push(check_in.id);
        self.sessions.push(check_in.session_id);
        self.person(&check_in.person);
    }

    fn session(&mut self, session: &SessionRef) {
        self.sessions.push(session.id);
    }
}

impl From<&Evidence> for FlagEvidence {
    fn from(evidence: &Evidence) -> FlagEvidence {
        let mut cited = Cited::default();
        let mut device_id = None;
        let mut other_class = None;
        match evidence {
            Evidence::SharedDevice {
                device_id: device,
                check_ins,
                ..
            } => {
                device_id = Some(device.clone());
                check_ins.iter().for_each(|c| cited.check_in(c));
            }
            Evidence::IdenticalCoordinates { check_ins, .. } => {
                check_ins.iter().for_each(|c| cited.check_in(c));
            }
            Evidence::RepeatedCoordinates {
                person, check_ins, ..
            } => {
                cited.person(person);
                check_ins.iter().for_each(|c| cited.check_in(c));
            }
            Evidence::ImpossibleTravel { from, to, .. } => {
                cited.check_in(from);
                cited.check_in(to);
            }
            Evidence::OverlappingSessions {
                person,
                other_class_id,
                overlaps,
                check_ins,
            } => {
                other_class = Some(*other_class_id);
                cited.person(person);
                for overlap in overlaps {
                    cited.session(&overlap.this);
                    cited.session(&overlap.other);
                }
                check_ins.iter().for_each(|c| cited.check_in(c));
            }
            Evidence::OutsideFence { breaches } => {
                breaches.iter().for_each(|b| cited.check_in(&b.check_in));
            }
            Evidence::ManyCorrections { corrections, .. } => {
                for correction in corrections {
                    cited.sessions.push(correction.session_id);
                    cited.person(&correction.person);
                }
            }
            Evidence::MissingRecording { session } => cited.session(session),
            Evidence::HoursBeyondAttendance { person, .. } => cited.person(person),
            Evidence::CodeGuessing {
                person,
                session_id,
                attempts,
            } => {
                cited.person(person);
                cited.sessions.push(*session_id);
                attempts.iter().for_each(|c| cited.check_in(c));
            }
        }
        cited.persons.sort();
        cited.persons.dedup();
        cited.check_ins.sort_unstable();
        cited.check_ins.dedup();
        cited.sessions.sort_unstable();
        cited.sessions.dedup();
        FlagEvidence {
            summary: evidence.summary(),
            persons: cited.persons,
            check_ins: cited.check_ins,
            sessions: cited.sessions,
            device_id,
            other_class,
        }
    }
}

impl FlagItem {
    fn new(class: &ClassFlags, flag: &Flag, reviews: &BTreeMap<String, FlagReviewRow>) -> FlagItem {
        let key = flag.key();
        FlagItem {
            review: reviews.get(&key).map(FlagReview::from),
            key,
            kind: flag.kind.as_str(),
            label: flag.kind.label(),
            class: flag.class_id,
            class_title: class.class.title.clone(),
            region: class.class.region.clone(),
            institution: class.class.institution_name.clone(),
            class_score: class.score,
            evidence: FlagEvidence::from(&flag.evidence),
        }
    }

    /// Every flag of these classes, riskiest class first, with its review.
    pub fn all(classes: &[ClassFlags], reviews: &BTreeMap<String, FlagReviewRow>) -> Vec<FlagItem> {
        classes
            .iter()
            .flat_map(|class| {
                class
                    .flags
                    .iter()
                    .map(move |flag| FlagItem::new(class, flag, reviews))
            })
            .collect()
    }
}
