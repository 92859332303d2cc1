//! `impossible_travel`: two consecutive readings of one person, anywhere in the province, too
//! far apart for the time between them — one of them was not the person.

use super::evidence::travel_speed_kmh;
use super::{CheckInFact, Dataset, Evidence, Flag, People, Thresholds, from_phone, per_class};
use dte_geo::distance_m;
use std::collections::BTreeMap;

/// Each of a person's phone readings (counted or refused) against the one before it. The
/// distance allows for both readings' reported accuracy, so only travel that no positioning
/// error explains is flagged, to the class of each of the two records.
pub(super) fn impossible_travel(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut by_person: BTreeMap<i64, Vec<&CheckInFact>> = BTreeMap::new();
    for fact in dataset.check_ins.iter().filter(|fact| from_phone(fact)) {
        if fact.position.is_some() {
            by_person.entry(fact.person_id).or_default().push(fact);
        }
    }
    let mut flags = Vec::new();
    for facts in by_person.values_mut() {
        facts.sort_by_key(|fact| (fact.at, fact.id));
        for pair in facts.windows(2) {
            let (from, to) = (pair[0], pair[1]);
            let (Some(a), Some(b)) = (from.position, to.position) else {
                continue;
            };
            let slack = from.accuracy_m.max(0.0) + to.accuracy_m.max(0.0);
            let distance = (distance_m(a, b) - slack).max(0.0);
            let seconds = (to.at - from.at).num_seconds();
            let too_fast = travel_speed_kmh(distance, seconds)
                .is_none_or(|speed| speed > thresholds.travel_max_speed_kmh);
            if distance > thresholds.travel_min_distance_m && too_fast {
                let evidence = Evidence::ImpossibleTravel {
                    from: people.check_in(from),
                    to: people.check_in(to),
                    distance_m: distance,
                    seconds,
                };
                flags.extend(per_class(&[from, to], &evidence));
            }
        }
    }
    flags
}
