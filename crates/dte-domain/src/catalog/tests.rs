//! The managed catalogs (the plan's 六（一）: 两目录实行动态管理).

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn code(text: &str) -> OccupationCode {
    OccupationCode::parse(text).unwrap()
}

fn status(sequence: i64, status: InstitutionStatus, from: &str) -> StatusChange {
    StatusChange {
        sequence,
        status,
        effective_from: day(from),
    }
}

fn listing(sequence: i64, occupation: &str, listed: bool, from: &str) -> ListingChange {
    ListingChange {
        sequence,
        occupation: code(occupation),
        listed,
        effective_from: day(from),
    }
}

/// 六（一）动态管理: the standing on a day is read from the history in force then — a suspension
/// from a day, lifted from a later day; of two changes on one day the later entered wins.
#[test]
fn the_status_on_a_day_is_the_latest_change_in_force_then() {
    let history = [
        status(1, InstitutionStatus::Suspended, "2026-05-01"),
        status(2, InstitutionStatus::Active, "2026-06-01"),
        status(3, InstitutionStatus::Suspended, "2026-07-01"),
        status(4, InstitutionStatus::Removed, "2026-07-01"),
    ];
    assert_eq!(status_on(&[], day("2026-01-01")), InstitutionStatus::Active);
    assert_eq!(
        status_on(&history, day("2026-04-30")),
        InstitutionStatus::Active
    );
    assert_eq!(
        status_on(&history, day("2026-05-01")),
        InstitutionStatus::Suspended
    );
    assert_eq!(
        status_on(&history, day("2026-06-15")),
        InstitutionStatus::Active
    );
    assert_eq!(
        status_on(&history, day("2026-07-01")),
        InstitutionStatus::Removed
    );
}

/// A loaded listing (附件1/附件6) stands until it is unlisted; one the province adds stands from
/// its day only.
#[test]
fn listings_stand_from_the_reference_data_or_from_the_day_they_are_made() {
    let occupation = code("2-02-10-09");
    assert!(listed_on(true, &[], &occupation, day("2026-01-01")));
    assert!(!listed_on(false, &[], &occupation, day("2026-01-01")));
    let unlisted = [listing(1, "2-02-10-09", false, "2026-05-01")];
    assert!(listed_on(true, &unlisted, &occupation, day("2026-04-30")));
    assert!(!listed_on(true, &unlisted, &occupation, day("2026-05-01")));
    let added = [listing(1, "2-02-10-09", true, "2026-05-01")];
    assert!(!listed_on(false, &added, &occupation, day("2026-04-30")));
    assert!(listed_on(false, &added, &occupation, day("2026-05-01")));
    let other = [listing(1, "4-04-05-05", false, "2026-05-01")];
    assert!(listed_on(true, &other, &occupation, day("2026-06-01")));
    let standing = standing_on(
        &[status(1, InstitutionStatus::Suspended, "2026-05-01")],
        true,
        &[],
        &occupation,
        day("2026-05-02"),
    );
    assert!(!standing.active && standing.listed_for_occupation);
}

/// Suspend an active institution, lift a suspension, remove one not yet removed — removal is
/// final; no change takes effect in the past or before the latest one recorded.
#[test]
fn status_changes_follow_the_lifecycle_and_never_rewrite_the_past() {
    let today = day("2026-05-01");
    assert_eq!(
        check_status_change(&[], StatusAction::Suspend, today, today),
        Ok(())
    );
    let lift = check_status_change(&[], StatusAction::Lift, today, today).unwrap_err();
    assert_eq!(lift.code, "invalid_status_change");
    assert!(lift.message.contains("正常"), "{lift:?}");
    let suspended = [status(1, InstitutionStatus::Suspended, "2026-05-01")];
    assert_eq!(
        check_status_change(&suspended, StatusAction::Lift, day("2026-05-10"), today),
        Ok(())
    );
    assert_eq!(
        check_status_change(&suspended, StatusAction::Suspend, day("2026-05-10"), today)
            .unwrap_err()
            .code,
        "invalid_status_change"
    );
    let removed = [status(1, InstitutionStatus::Removed, "2026-05-01")];
    for action in [
        StatusAction::Suspend,
        StatusAction::Lift,
        StatusAction::Remove,
    ] {
        assert!(check_status_change(&removed, action, day("2026-05-10"), today).is_err());
    }
    let past = check_status_change(&[], StatusAction::Suspend, day("2026-04-30"), today);
    assert_eq!(past.unwrap_err().code, "effective_in_past");
    let later = [status(1, InstitutionStatus::Suspended, "2026-06-01")];
    let before = check_status_change(&later, StatusAction::Lift, day("2026-05-15"), today);
    assert_eq!(before.unwrap_err().code, "effective_before_latest");
}

#[test]
fn listing_changes_refuse_a_removed_institution_and_repeats() {
    let today = day("2026-05-01");
    let occupation = code("2-02-10-09");
    let check = |statuses: &[StatusChange], loaded, listed| {
        check_listing_change(statuses, loaded, &[], &occupation, listed, today, today)
    };
    assert_eq!(check(&[], false, true), Ok(()));
    assert_eq!(check(&[], true, false), Ok(()));
    assert_eq!(check(&[], true, true).unwrap_err().code, "already_listed");
    assert_eq!(check(&[], false, false).unwrap_err().code, "not_listed");
    let removed = [status(1, InstitutionStatus::Removed, "2026-05-01")];
    assert_eq!(
        check(&removed, false, true).unwrap_err().code,
        "institution_removed"
    );
}

#[test]
fn a_reason_is_required_and_bounded() {
    assert_eq!(check_reason("  违规收费  "), Ok("违规收费".to_owned()));
    assert_eq!(check_reason("x").unwrap_err().field, "reason");
    assert!(check_reason(&"长".repeat(REASON_MAX_CHARS + 1)).is_err());
    assert!(check_reason("有\u{7}控制字符").is_err());
    for status in [
        InstitutionStatus::Active,
        InstitutionStatus::Suspended,
        InstitutionStatus::Removed,
    ] {
        assert_eq!(InstitutionStatus::parse(status.as_str()), Some(status));
    }
    for action in [
        StatusAction::Suspend,
        StatusAction::Lift,
        StatusAction::Remove,
    ] {
        assert_eq!(StatusAction::parse(action.as_str()), Some(action));
    }
}
