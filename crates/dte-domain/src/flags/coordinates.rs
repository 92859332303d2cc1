//! `identical_coordinates`: coordinates that repeat exactly. A phone's satellite fix jitters by
//! metres from one reading to the next, so identical coordinates (to a micro-degree, about
//! 0.1 m) from several persons, or from one person session after session, are a faked location
//! (虚拟定位) rather than a reading.

use super::evidence::micro_degrees;
use super::{CheckInFact, Dataset, Evidence, Flag, People, Thresholds, from_phone, per_class};
use dte_geo::LatLon;
use std::collections::{BTreeMap, BTreeSet};

/// Both patterns: several persons at one point, and one person at one point in several
/// sessions — the latter only at points not already flagged for several persons, whose
/// evidence cites those records anyway. Each flag goes to every class involved.
pub(super) fn identical_coordinates(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut by_point: BTreeMap<(i64, i64), (LatLon, Vec<&CheckInFact>)> = BTreeMap::new();
    for fact in dataset.check_ins.iter().filter(|fact| from_phone(fact)) {
        let Some(position) = fact.position else {
            continue;
        };
        if fact.accuracy_m <= thresholds.precise_fix_accuracy_m {
            by_point
                .entry(micro_degrees(position))
                .or_insert_with(|| (position, Vec::new()))
                .1
                .push(fact);
        }
    }
    let mut flags = Vec::new();
    for (position, facts) in by_point.values() {
        let persons: BTreeSet<i64> = facts.iter().map(|fact| fact.person_id).collect();
        if persons.len() >= thresholds.identical_position_persons {
            let evidence = Evidence::IdenticalCoordinates {
                position: *position,
                check_ins: people.check_ins(facts),
            };
            flags.extend(per_class(facts, &evidence));
            continue;
        }
        for person_id in persons {
            let own: Vec<&CheckInFact> = facts
                .iter()
                .copied()
                .filter(|fact| fact.person_id == person_id)
                .collect();
            let sessions: BTreeSet<i64> = own.iter().map(|fact| fact.session_id).collect();
            if sessions.len() >= thresholds.repeated_position_sessions {
                let evidence = Evidence::RepeatedCoordinates {
                    person: people.person(person_id),
                    position: *position,
                    check_ins: people.check_ins(&own),
                };
                flags.extend(per_class(&own, &evidence));
            }
        }
    }
    flags
}
