//! The policy from its settings (SPEC.md, "Policy settings the plan leaves to other rules":
//! each kept as data with an effective date, never as a constant in code).

use super::*;
use crate::class_rules::online_hours_limit;
use crate::reference::{BUNDLED, ReferenceData};

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn bundled_settings() -> Vec<Setting> {
    let (year, text) = BUNDLED[0];
    ReferenceData::parse(year, text).unwrap().settings
}

fn with_value(rows: &[Setting], key: SettingKey, value: i64) -> Vec<Setting> {
    rows.iter()
        .cloned()
        .map(|mut row| {
            if row.key == key {
                row.value = value;
            }
            row
        })
        .collect()
}

/// SPEC "Policy settings the plan leaves to other rules": the shipped defaults (1 subsidised
/// training a year, 12 months to claim, 15 days' lead, 5 working days of review and of
/// notice, 5 years of recordings, 90 % attendance, 60 for theory and for ability) and the
/// plan's 四（一） 50 % online share, each with the date it took effect.
#[test]
fn the_bundled_settings_make_the_spec_defaults_a_policy() {
    let policy = Policy::from_settings(day(2026, 6, 1), &bundled_settings()).unwrap();
    assert_eq!(policy.date, day(2026, 6, 1));
    assert_eq!(policy.subsidised_trainings_per_year, 1);
    assert_eq!(policy.claim_deadline_months, 12);
    assert_eq!(policy.class_application_lead_days, 15);
    assert_eq!(policy.city_review_working_days, 5);
    assert_eq!(policy.public_notice_working_days, 5);
    assert_eq!(policy.recording_retention_years, 5);
    assert_eq!(policy.minimum_attendance_percent.get(), 90);
    assert_eq!(policy.pass_marks, PassMarks::from_settings(60, 60).unwrap());
    assert_eq!(policy.online_share_max_percent.get(), 50);
    assert_eq!(policy.online_share_max_percent.to_string(), "50%");
    for key in SettingKey::ALL {
        assert_eq!(policy.effective_from(key), day(2026, 1, 1), "{key:?}");
    }
}

/// SPEC: no default in code — a setting without a row in force is an error naming it.
#[test]
fn a_missing_setting_is_an_error_naming_its_key() {
    for key in SettingKey::ALL {
        let rows: Vec<Setting> = bundled_settings()
            .into_iter()
            .filter(|row| row.key != key)
            .collect();
        let error = Policy::from_settings(day(2026, 6, 1), &rows).unwrap_err();
        assert_eq!(
            error,
            PolicyError::Missing {
                key: key.as_str(),
                date: day(2026, 6, 1)
            }
        );
        assert!(error.to_string().contains(key.as_str()), "{error}");
    }
}

/// SPEC: before the first effective date no setting is in force, so there is no policy.
#[test]
fn before_the_first_effective_date_there_is_no_policy() {
    let error = Policy::from_settings(day(2025, 12, 31), &bundled_settings()).unwrap_err();
    assert!(matches!(error, PolicyError::Missing { .. }), "{error:?}");
}

/// SPEC: a value that cannot be a setting of its kind (a percent or mark above 100, a
/// negative count, a zero retention) is an error naming the setting, never clamped.
#[test]
fn a_setting_out_of_range_is_an_error_naming_its_key() {
    let cases = [
        (SettingKey::MinimumAttendancePercent, 101),
        (SettingKey::OnlineShareMaxPercent, 101),
        (SettingKey::TheoryPassMark, 101),
        (SettingKey::AbilityPassMark, -1),
        (SettingKey::SubsidisedTrainingsPerYear, -1),
        (SettingKey::ClassApplicationLeadDays, -15),
        (SettingKey::ClaimDeadlineMonths, 0),
        (SettingKey::RecordingRetentionYears, 0),
        (SettingKey::CityReviewWorkingDays, 0),
        (SettingKey::PublicNoticeWorkingDays, i64::MAX),
    ];
    for (key, value) in cases {
        let rows = with_value(&bundled_settings(), key, value);
        let error = Policy::from_settings(day(2026, 6, 1), &rows).unwrap_err();
        assert_eq!(error.key(), key.as_str(), "{error:?}");
        assert!(
            matches!(error, PolicyError::OutOfRange { value: found, .. } if found == value),
            "{error:?}"
        );
    }
    // The ends of a range are settings like any other.
    let rows = with_value(
        &bundled_settings(),
        SettingKey::MinimumAttendancePercent,
        100,
    );
    let policy = Policy::from_settings(day(2026, 6, 1), &rows).unwrap();
    assert_eq!(policy.minimum_attendance_percent.get(), 100);
}

/// SPEC: each setting is data with an effective date — the row with the latest date on or
/// before the day is in force, and a later row takes over on its own date.
#[test]
fn a_later_row_takes_effect_on_its_date() {
    let mut rows = bundled_settings();
    rows.push(Setting {
        key: SettingKey::MinimumAttendancePercent,
        value: 80,
        effective_from: day(2026, 7, 1),
    });
    let before = Policy::from_settings(day(2026, 6, 30), &rows).unwrap();
    assert_eq!(before.minimum_attendance_percent.get(), 90);
    assert_eq!(
        before.effective_from(SettingKey::MinimumAttendancePercent),
        day(2026, 1, 1)
    );
    let after = Policy::from_settings(day(2026, 7, 1), &rows).unwrap();
    assert_eq!(after.minimum_attendance_percent.get(), 80);
    assert_eq!(
        after.effective_from(SettingKey::MinimumAttendancePercent),
        day(2026, 7, 1)
    );
    assert_eq!(
        after.effective_from(SettingKey::TheoryPassMark),
        day(2026, 1, 1)
    );
    // A row ahead of the date is ignored even when it is out of range.
    rows.push(Setting {
        key: SettingKey::TheoryPassMark,
        value: 1000,
        effective_from: day(2027, 1, 1),
    });
    assert!(Policy::from_settings(day(2026, 12, 31), &rows).is_ok());
}

/// SPEC: one value per setting and date — two rows of one setting on one date are refused
/// rather than one chosen by order.
#[test]
fn two_rows_of_one_setting_on_one_date_are_refused() {
    let mut rows = bundled_settings();
    rows.push(Setting {
        key: SettingKey::ClaimDeadlineMonths,
        value: 6,
        effective_from: day(2026, 1, 1),
    });
    assert_eq!(
        Policy::from_settings(day(2026, 6, 1), &rows).unwrap_err(),
        PolicyError::Duplicate {
            key: "claim_deadline_months",
            effective_from: day(2026, 1, 1)
        }
    );
}

/// The plan's 四（一）: 线上培训课时一般不得超过培训总课时的 50% — the bundled policy's share is
/// half, rounded down, and another share gives its own limit.
#[test]
fn the_online_limit_follows_the_policy_share() {
    let policy = Policy::from_settings(day(2026, 6, 1), &bundled_settings()).unwrap();
    for (total, half) in [
        (0, 0),
        (1, 0),
        (80, 40),
        (81, 40),
        (192, 96),
        (u32::MAX, u32::MAX / 2),
    ] {
        assert_eq!(policy.online_hours_limit(total), half, "{total}");
    }
    let forty = Percent::new(40).unwrap();
    assert_eq!(online_hours_limit(80, forty), 32);
    assert_eq!(online_hours_limit(81, forty), 32);
}

#[test]
fn a_percent_is_a_whole_number_from_0_to_100() {
    assert_eq!(Percent::new(0).map(Percent::get), Some(0));
    assert_eq!(Percent::new(100).map(Percent::get), Some(100));
    assert_eq!(Percent::new(101), None);
    assert_eq!(Percent::new(u32::MAX), None);
    assert_eq!(Percent::new(100).unwrap().of_floor(u32::MAX), u32::MAX);
}

#[test]
fn each_setting_key_indexes_its_place_in_all() {
    for (position, key) in SettingKey::ALL.into_iter().enumerate() {
        assert_eq!(key.index(), position);
        assert_eq!(SettingKey::parse(key.as_str()), Some(key));
    }
}
