//! `many_corrections`: the institution corrected too many of a class's check-ins (issue 5,
//! item 2: corrections are allowed with a reason, audited and flagged when they pile up).

use super::{CorrectionRef, Dataset, Evidence, Flag, People, Thresholds};
use std::collections::BTreeMap;

/// One flag per class whose corrections are above the share of its counted check-in records
/// (from the minimum count on) or above the absolute count. The share is compared in whole
/// numbers, so 10 corrections of 100 records is exactly 10 % and not above it.
pub(super) fn many_corrections(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut counted: BTreeMap<i64, usize> = BTreeMap::new();
    for fact in dataset.check_ins.iter().filter(|fact| fact.accepted) {
        *counted.entry(fact.class_id).or_default() += 1;
    }
    let mut by_class: BTreeMap<i64, Vec<CorrectionRef>> = BTreeMap::new();
    for correction in &dataset.corrections {
        by_class
            .entry(correction.class_id)
            .or_default()
            .push(CorrectionRef {
                id: correction.id,
                session_id: correction.session_id,
                person: people.person(correction.person_id),
                at: correction.at,
            });
    }
    let mut flags = Vec::new();
    for (class_id, mut corrections) in by_class {
        let counted_check_ins = counted.get(&class_id).copied().unwrap_or(0);
        let count = corrections.len();
        let above_share = count >= thresholds.corrections_share_minimum
            && count.saturating_mul(100)
                > counted_check_ins.saturating_mul(thresholds.corrections_share_percent as usize);
        if above_share || count > thresholds.corrections_count_max {
            corrections.sort_by_key(|correction| (correction.at, correction.id));
            flags.push(Flag::new(
                class_id,
                Evidence::ManyCorrections {
                    corrections,
                    counted_check_ins,
                },
            ));
        }
    }
    flags
}
