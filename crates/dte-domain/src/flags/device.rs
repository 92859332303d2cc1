//! `shared_device`: one device checks in several persons on one day (代签, proxy check-in),
//! in one class or across classes.

use super::{
    CheckInFact, Dataset, Evidence, Flag, People, Thresholds, china_day, from_phone, per_class,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// One flag per class the device checked in for that day, each citing all of the device's
/// records of the day.
pub(super) fn shared_devices(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut by_device_and_day: BTreeMap<(&str, NaiveDate), Vec<&CheckInFact>> = BTreeMap::new();
    for fact in dataset.check_ins.iter().filter(|fact| from_phone(fact)) {
        let Some(device) = fact.device_id.as_deref().map(str::trim) else {
            continue;
        };
        if device.is_empty() {
            continue;
        }
        by_device_and_day
            .entry((device, china_day(fact.at)))
            .or_default()
            .push(fact);
    }
    let mut flags = Vec::new();
    for ((device, day), facts) in by_device_and_day {
        let persons: BTreeSet<i64> = facts.iter().map(|fact| fact.person_id).collect();
        if persons.len() < thresholds.shared_device_persons {
            continue;
        }
        let evidence = Evidence::SharedDevice {
            device_id: device.to_owned(),
            day,
            check_ins: people.check_ins(&facts),
        };
        flags.extend(per_class(&facts, &evidence));
    }
    flags
}
