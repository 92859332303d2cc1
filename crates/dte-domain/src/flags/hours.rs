//! `hours_beyond_attendance`: a claim (补贴申领) for more class hours than the person attended,
//! as the hours ledger credits them — a subsidy paid for hours nobody sat.

use super::{Dataset, Evidence, Flag, People, Thresholds};

/// One flag per claimed person whose claimed hours exceed the attended ones by more than the
/// tolerance (whole class hours, as the ledger counts them).
pub(super) fn hours_beyond_attendance(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    dataset
        .claims
        .iter()
        .filter(|claim| {
            claim.claimed_hours.saturating_sub(claim.attended_hours) > thresholds.hours_tolerance
        })
        .map(|claim| {
            Flag::new(
                claim.class_id,
                Evidence::HoursBeyondAttendance {
                    person: people.person(claim.person_id),
                    claimed_hours: claim.claimed_hours,
                    attended_hours: claim.attended_hours,
                },
            )
        })
        .collect()
}
