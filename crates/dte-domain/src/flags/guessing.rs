//! `code_guessing`: a trainee typed wrong classroom codes for one session again and again
//! (issue 15 item 2). One typo, or a code that rotated while being typed, is innocent; from
//! the threshold on, someone is trying codes, most likely away from the classroom.

use super::{CheckInRef, Dataset, Evidence, Flag, People, Thresholds};
use std::collections::BTreeMap;

/// One flag per trainee and session with at least the threshold's refused attempts whose code
/// was wrong or that came after the session's code slots were used up, citing them all.
pub(super) fn code_guessing(
    dataset: &Dataset,
    people: &People<'_>,
    thresholds: &Thresholds,
) -> Vec<Flag> {
    let mut by_attempt: BTreeMap<(i64, i64, i64), Vec<CheckInRef>> = BTreeMap::new();
    for fact in dataset.check_ins.iter().filter(|fact| fact.wrong_code) {
        by_attempt
            .entry((fact.class_id, fact.session_id, fact.person_id))
            .or_default()
            .push(people.check_in(fact));
    }
    by_attempt
        .into_iter()
        .filter(|(_, attempts)| attempts.len() >= thresholds.code_guessing_attempts)
        .map(|((class_id, session_id, person_id), mut attempts)| {
            attempts.sort_by_key(|attempt| (attempt.at, attempt.id));
            Flag::new(
                class_id,
                Evidence::CodeGuessing {
                    person: people.person(person_id),
                    session_id,
                    attempts,
                },
            )
        })
        .collect()
}
