//! A flag's identity across detections (issue 14 item 6: a city reviews each flag, and the
//! review must still be found when the flags are computed again tomorrow). The detector runs
//! afresh on every read, so a flag is named by what it is about — its kind, its class and its
//! subject (the device and day, the position, the pair of records, the person, the session) —
//! not by the evidence, which may grow. The name is a digest, so a device id or a position never
//! appears in a URL or a stored review.

use super::{Evidence, Flag};
use sha2::{Digest, Sha256};

impl Flag {
    /// The flag's stable key: 24 hex digits of SHA-256 over `kind:class:subject`.
    pub fn key(&self) -> String {
        let subject = match &self.evidence {
            Evidence::SharedDevice { device_id, day, .. } => format!("device:{device_id}:{day}"),
            Evidence::IdenticalCoordinates { position, .. } => {
                format!("position:{:.7},{:.7}", position.lat, position.lon)
            }
            Evidence::RepeatedCoordinates {
                person, position, ..
            } => format!(
                "person:{}:position:{:.7},{:.7}",
                person.id, position.lat, position.lon
            ),
            Evidence::ImpossibleTravel { from, to, .. } => format!("travel:{}:{}", from.id, to.id),
            Evidence::OverlappingSessions {
                person,
                other_class_id,
                ..
            } => format!("person:{}:other:{other_class_id}", person.id),
            Evidence::OutsideFence { .. } | Evidence::ManyCorrections { .. } => "class".to_owned(),
            Evidence::MissingRecording { session } => format!("session:{}", session.id),
            Evidence::HoursBeyondAttendance { person, .. } => format!("person:{}", person.id),
            Evidence::CodeGuessing {
                person, session_id, ..
            } => format!("person:{}:session:{session_id}", person.id),
        };
        let text = format!("{}:{}:{subject}", self.kind.as_str(), self.class_id);
        let digest = Sha256::digest(text.as_bytes());
        hex::encode(&digest[..12])
    }
}

/// Whether `text` has the form of a flag key (what a route accepts before looking it up).
pub fn is_flag_key(text: &str) -> bool {
    text.len() == 24
        && text
            .bytes()
            .all(|byte| byte.is_ascii_digit() || (b'a'..=b'f').contains(&byte))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flags::{PersonRef, SessionRef};
    use chrono::{TimeZone, Utc};

    fn session(id: i64) -> SessionRef {
        SessionRef {
            id,
            class_id: 7,
            starts_at: Utc.with_ymd_and_hms(2026, 5, 1, 1, 0, 0).unwrap(),
            ends_at: Utc.with_ymd_and_hms(2026, 5, 1, 3, 0, 0).unwrap(),
            delivery: crate::Delivery::Offline,
            hours: 2,
        }
    }

    /// Issue 14 item 6: a review names one flag, found again however its evidence grows.
    #[test]
    fn a_flag_keeps_its_key_as_its_evidence_grows_and_another_subject_has_another() {
        let hours = |person: i64, claimed: u32| {
            Flag::new(
                7,
                Evidence::HoursBeyondAttendance {
                    person: PersonRef {
                        id: person,
                        name: None,
                    },
                    claimed_hours: claimed,
                    attended_hours: 10,
                },
            )
        };
        assert_eq!(hours(3, 40).key(), hours(3, 48).key());
        assert_ne!(hours(3, 40).key(), hours(4, 40).key());
        let missing = Flag::new(
            7,
            Evidence::MissingRecording {
                session: session(11),
            },
        );
        assert_ne!(missing.key(), hours(3, 40).key());
        assert!(is_flag_key(&missing.key()));
        assert!(!is_flag_key("../etc/passwd"));
        assert!(!is_flag_key(&missing.key().to_uppercase()));
    }
}
