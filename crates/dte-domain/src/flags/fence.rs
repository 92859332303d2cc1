//! `outside_fence`: records beyond the session's electronic fence and the allowance the
//! check-in rule gave for the reported accuracy — counted ones (the institution's corrections
//! included) and refused attempts alike (SPEC step 4: supervisors see fence violations).

use super::{Dataset, Evidence, FenceBreach, Flag, People, Thresholds};
use std::collections::BTreeMap;

/// One flag per class with at least the threshold's number of breaches, citing them all.
pub(super) fn outside_fence(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut by_class: BTreeMap<i64, Vec<FenceBreach>> = BTreeMap::new();
    for fact in &dataset.check_ins {
        let beyond_m = fact.distance_outside_fence_m - fact.allowance_m.max(0.0);
        if beyond_m > 0.0 {
            by_class
                .entry(fact.class_id)
                .or_default()
                .push(FenceBreach {
                    check_in: people.check_in(fact),
                    beyond_m,
                    accepted: fact.accepted,
                    corrected: fact.corrected,
                });
        }
    }
    by_class
        .into_iter()
        .filter(|(_, breaches)| breaches.len() >= thresholds.outside_fence_check_ins)
        .map(|(class_id, mut breaches)| {
            breaches.sort_by_key(|breach| (breach.check_in.at, breach.check_in.id));
            Flag::new(class_id, Evidence::OutsideFence { breaches })
        })
        .collect()
}
