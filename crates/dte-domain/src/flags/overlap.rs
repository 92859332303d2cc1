//! `overlapping_sessions`: a person in sessions of two classes at the same time, anywhere in
//! the province — enrolled in both classes while their timetables overlap, or checked in to
//! both sessions. Sessions of one class never overlap (`class_rules` refuses such a timetable),
//! so only pairs of different classes are compared.

use super::{
    CheckInFact, Dataset, Evidence, Flag, People, SessionFact, SessionOverlap, Thresholds,
    session_ref,
};
use std::collections::{BTreeMap, BTreeSet};

/// One flag per person and pair of classes, to each of the two classes, listing every
/// overlapping pair of sessions and the person's counted check-ins in them.
pub(super) fn overlapping_sessions(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let sessions: BTreeMap<i64, &SessionFact> = dataset
        .sessions
        .iter()
        .map(|session| (session.session_id, session))
        .collect();
    let mut sessions_of_class: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
    for session in &dataset.sessions {
        sessions_of_class
            .entry(session.class_id)
            .or_default()
            .push(session.session_id);
    }
    let mut sessions_of_person: BTreeMap<i64, BTreeSet<i64>> = BTreeMap::new();
    let mut attended: BTreeMap<(i64, i64), Vec<&CheckInFact>> = BTreeMap::new();
    for enrolment in &dataset.enrolments {
        let taken = sessions_of_class
            .get(&enrolment.class_id)
            .into_iter()
            .flatten();
        sessions_of_person
            .entry(enrolment.person_id)
            .or_default()
            .extend(taken);
    }
    for fact in dataset.check_ins.iter().filter(|fact| fact.accepted) {
        sessions_of_person
            .entry(fact.person_id)
            .or_default()
            .insert(fact.session_id);
        attended
            .entry((fact.person_id, fact.session_id))
            .or_default()
            .push(fact);
    }

    let mut flags = Vec::new();
    for (person_id, ids) in sessions_of_person {
        let taken: Vec<&SessionFact> = ids
            .iter()
            .filter_map(|id| sessions.get(id).copied())
            .collect();
        let pairs = overlaps_between_classes(taken, thresholds.overlap_tolerance_minutes);
        for ((class_a, class_b), overlaps) in pairs {
            let mut facts: Vec<&CheckInFact> = Vec::new();
            let involved: BTreeSet<i64> = overlaps
                .iter()
                .flat_map(|(a, b, _)| [a.session_id, b.session_id])
                .collect();
            for session_id in involved {
                facts.extend(attended.get(&(person_id, session_id)).into_iter().flatten());
            }
            let check_ins = people.check_ins(&facts);
            for (this_class, other_class, this_first) in
                [(class_a, class_b, true), (class_b, class_a, false)]
            {
                let overlaps = overlaps
                    .iter()
                    .map(|&(a, b, minutes)| {
                        let (this, other) = if this_first { (a, b) } else { (b, a) };
                        SessionOverlap {
                            this: session_ref(this),
                            other: session_ref(other),
                            minutes,
                        }
                    })
                    .collect();
                flags.push(Flag::new(
                    this_class,
                    Evidence::OverlappingSessions {
                        person: people.person(person_id),
                        other_class_id: other_class,
                        overlaps,
                        check_ins: check_ins.clone(),
                    },
                ));
            }
        }
    }
    flags
}

/// Overlapping sessions, each pair with the lower class id first and the shared minutes.
type Overlaps<'a> = Vec<(&'a SessionFact, &'a SessionFact, i64)>;

/// The pairs of sessions of different classes that share more than `tolerance` minutes,
/// grouped by the pair of classes (lower id first).
fn overlaps_between_classes(
    mut taken: Vec<&SessionFact>,
    tolerance: i64,
) -> BTreeMap<(i64, i64), Overlaps<'_>> {
    taken.sort_by_key(|session| (session.starts_at, session.session_id));
    let mut pairs: BTreeMap<(i64, i64), Overlaps<'_>> = BTreeMap::new();
    for (index, &first) in taken.iter().enumerate() {
        // Sorted by start: once a session starts after `first` ends, so do all later ones.
        for &second in taken[index + 1..]
            .iter()
            .take_while(|second| second.starts_at < first.ends_at)
        {
            let minutes = (first.ends_at.min(second.ends_at) - second.starts_at).num_minutes();
            if first.class_id == second.class_id || minutes <= tolerance {
                continue;
            }
            let (a, b) = if first.class_id < second.class_id {
                (first, second)
            } else {
                (second, first)
            };
            pairs
                .entry((a.class_id, b.class_id))
                .or_default()
                .push((a, b, minutes));
        }
    }
    pairs
}
