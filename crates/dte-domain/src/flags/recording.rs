//! `missing_recording`: every session, online or offline, has its recording registered
//! (全程录像，可追溯、可查询; issue 5, item 5); one that ended without one is flagged once the
//! grace for uploading has passed.

use super::{Dataset, Evidence, Flag, Thresholds, session_ref};
use chrono::TimeDelta;

/// One flag per session that ended at least the grace before `as_of` without a recording.
pub(super) fn missing_recordings(dataset: &Dataset, thresholds: &Thresholds) -> Vec<Flag> {
    let grace = TimeDelta::try_hours(thresholds.recording_grace_hours).unwrap_or(TimeDelta::MAX);
    dataset
        .sessions
        .iter()
        .filter(|session| !session.has_recording)
        .filter(|session| {
            session
                .ends_at
                .checked_add_signed(grace)
                .is_some_and(|due| due <= dataset.as_of)
        })
        .map(|session| {
            Flag::new(
                session.class_id,
                Evidence::MissingRecording {
                    session: session_ref(session),
                },
            )
        })
        .collect()
}
