//! When a pattern is worth a supervisor's look: every number of the detectors, in one place,
//! with the reason for its default.

/// When a pattern is worth a supervisor's look. [`Thresholds::DEFAULT`] says why each number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Thresholds {
    /// A device is shared when it checks in at least this many different persons on one day.
    pub shared_device_persons: usize,
    /// Coordinates are identical when at least this many different persons report them.
    pub identical_position_persons: usize,
    /// One person's coordinates are too regular when identical in at least this many sessions.
    pub repeated_position_sessions: usize,
    /// Only fixes claiming at least this precision (accuracy ≤ this, in metres) count for
    /// identical coordinates.
    pub precise_fix_accuracy_m: f64,
    /// Travel is impossible above this speed (km/h) …
    pub travel_max_speed_kmh: f64,
    /// … over more than this distance (metres, after both readings' accuracy is allowed for).
    pub travel_min_distance_m: f64,
    /// Sessions overlap when they share more than this many minutes.
    pub overlap_tolerance_minutes: i64,
    /// A class is flagged when at least this many of its records lie beyond the fence.
    pub outside_fence_check_ins: usize,
    /// Corrections are too many above this percentage of the class's counted check-ins …
    pub corrections_share_percent: u32,
    /// … once there are at least this many of them;
    pub corrections_share_minimum: usize,
    /// or above this many, whatever the share.
    pub corrections_count_max: usize,
    /// A session's recording is missing once this many hours have passed since it ended.
    pub recording_grace_hours: i64,
    /// Claimed hours exceed attended hours by more than this many class hours.
    pub hours_tolerance: u32,
    /// A trainee is guessing codes with at least this many wrong codes for one session.
    pub code_guessing_attempts: usize,
}

impl Thresholds {
    /// The defaults, and why:
    ///
    /// - `shared_device_persons: 2` — a phone belongs to one trainee; a second person checked in
    ///   from it on the same day is already the 代签 pattern.
    /// - `identical_position_persons: 3` — two real fixes agreeing to 1e-6° (about 0.1 m) is
    ///   near impossible, but two phones fed the same network position can; a third leaves no
    ///   innocent reading.
    /// - `repeated_position_sessions: 3` — a browser may repeat a cached fix within a session;
    ///   the same 0.1 m in three different sessions, days apart, is a fixed fake location.
    /// - `precise_fix_accuracy_m: 20` — satellite fixes report 3–20 m and jitter; coarser fixes
    ///   come from Wi-Fi or cell positioning, which may answer one access point's stored
    ///   position to every phone that sees it, so they are not held to jitter.
    /// - `travel_max_speed_kmh: 120` — the expressway speed limit (《道路交通安全法实施条例》第
    ///   七十八条); door to door, even 沈大高铁 with the trips to and from its stations averages
    ///   less. `travel_min_distance_m: 1000` — below a kilometre, positioning error and a short
    ///   walk explain anything.
    /// - `overlap_tolerance_minutes: 0` — nobody sits in two classrooms at once; back-to-back
    ///   sessions (one ends as the other starts) do not overlap.
    /// - `outside_fence_check_ins: 1` — the check-in rule already allows for accuracy, so any
    ///   record beyond it is a fence violation supervisors are to see (SPEC step 4).
    /// - `corrections_share_percent: 10`, `corrections_share_minimum: 3` — a forgotten phone
    ///   or a flat battery is a few percent of a class; one or two corrections are no pattern,
    ///   whatever the share in a small class. `corrections_count_max: 30` — a whole typical
    ///   class (30 trainees) entered by hand is worth a look however long the class.
    /// - `recording_grace_hours: 24` — recordings are uploaded after the session; by the next
    ///   day every session must have one (全程录像).
    /// - `hours_tolerance: 0` — the ledger counts whole class hours, so there is no rounding to
    ///   absorb: a claim is never owed more than the ledger says.
    /// - `code_guessing_attempts: 3` — one wrong code is a typo, a second may be a code that
    ///   rotated while it was typed; a third, for the same session, is trying codes (issue 15
    ///   item 2; the session closes to the trainee at the fifth,
    ///   `attendance::WRONG_CODES_PER_SESSION`).
    pub const DEFAULT: Thresholds = Thresholds {
        shared_device_persons: 2,
        identical_position_persons: 3,
        repeated_position_sessions: 3,
        precise_fix_accuracy_m: 20.0,
        travel_max_speed_kmh: 120.0,
        travel_min_distance_m: 1_000.0,
        overlap_tolerance_minutes: 0,
        outside_fence_check_ins: 1,
        corrections_share_percent: 10,
        corrections_share_minimum: 3,
        corrections_count_max: 30,
        recording_grace_hours: 24,
        hours_tolerance: 0,
        code_guessing_attempts: 3,
    };
}

impl Default for Thresholds {
    fn default() -> Thresholds {
        Thresholds::DEFAULT
    }
}
