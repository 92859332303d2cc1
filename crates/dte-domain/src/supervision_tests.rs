//! Tests of the supervision rules: sanction kinds and targets, the 失信 period, lifts, flag reviews, complaints and the subsidy exclusions.

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn sanction(kind: SanctionKind, target: Target) -> SanctionFact {
    SanctionFact {
        id: 9,
        kind,
        target,
        from: day("2026-04-01"),
        until: None,
        lifted_on: None,
    }
}

/// Issue 14 item 5 (the plan's 七（二）: 骗取补贴的…严肃处理): an exclusion of the person or the
/// class, or the 失信 list of the person or the institution, refuses the line from its first
/// day until it is lifted; other sanctions and other people's do not.
#[test]
fn exclusions_and_the_blacklist_refuse_the_lines_they_name_while_in_force() {
    let person = sanction(SanctionKind::ExcludePerson, Target::Person(5));
    let class = sanction(SanctionKind::ExcludeClass, Target::Class(3));
    let listed = sanction(SanctionKind::Blacklist, Target::Institution(2));
    let interview = sanction(SanctionKind::Interview, Target::Institution(2));
    let on = day("2026-05-01");
    assert_eq!(
        subsidy_exclusions(std::slice::from_ref(&person), 2, 3, 5, on),
        vec!["取消个人补贴资格（#9，2026-04-01 起）".to_owned()]
    );
    assert!(subsidy_exclusions(std::slice::from_ref(&person), 2, 3, 6, on).is_empty());
    assert_eq!(
        subsidy_exclusions(std::slice::from_ref(&class), 2, 3, 6, on).len(),
        1
    );
    assert!(subsidy_exclusions(std::slice::from_ref(&class), 2, 4, 6, on).is_empty());
    assert_eq!(
        subsidy_exclusions(std::slice::from_ref(&listed), 2, 4, 6, on).len(),
        1
    );
    assert!(subsidy_exclusions(std::slice::from_ref(&interview), 2, 3, 5, on).is_empty());
    // Before it began, and from the day it was lifted, it does not bite.
    assert!(
        subsidy_exclusions(std::slice::from_ref(&person), 2, 3, 5, day("2026-03-31")).is_empty()
    );
    let lifted = SanctionFact {
        lifted_on: Some(day("2026-05-01")),
        ..person.clone()
    };
    assert!(subsidy_exclusions(std::slice::from_ref(&lifted), 2, 3, 5, on).is_empty());
    assert_eq!(
        subsidy_exclusions(&[lifted], 2, 3, 5, day("2026-04-30")).len(),
        1
    );
}

/// Issue 14 item 5: the 失信 list lasts the settings' months, ending the day before the same date
/// of the last month; a correction order needs a deadline after it starts.
#[test]
fn the_blacklist_lasts_the_settings_period_and_a_correction_order_its_deadline() {
    let mut draft = SanctionDraft {
        kind: SanctionKind::Blacklist,
        target: Target::Person(5),
        from: day("2026-04-01"),
        deadline: None,
        remark: "参与代签到骗取补贴".to_owned(),
    };
    assert_eq!(
        check_sanction(&draft, day("2026-05-01"), 36),
        Ok(Some(day("2029-03-31")))
    );
    let listed = SanctionFact {
        until: Some(day("2029-03-31")),
        ..sanction(SanctionKind::Blacklist, Target::Person(5))
    };
    assert!(listed.in_force(day("2029-03-31")));
    assert!(!listed.in_force(day("2029-04-01")));

    draft.kind = SanctionKind::CorrectionOrder;
    draft.target = Target::Institution(2);
    let codes = |result: Result<Option<NaiveDate>, Vec<Violation>>| -> Vec<&'static str> {
        result
            .err()
            .unwrap_or_default()
            .iter()
            .map(|v| v.code)
            .collect()
    };
    assert_eq!(
        codes(check_sanction(&draft, day("2026-05-01"), 36)),
        ["deadline_required"]
    );
    draft.deadline = Some(day("2026-04-01"));
    assert_eq!(
        codes(check_sanction(&draft, day("2026-05-01"), 36)),
        ["deadline_before_start"]
    );
    draft.deadline = Some(day("2026-06-30"));
    assert_eq!(
        check_sanction(&draft, day("2026-05-01"), 36),
        Ok(Some(day("2026-06-30")))
    );
}

/// Issue 14 item 5: each sanction has its targets; the province alone suspends or removes from
/// the catalog (the plan's 六（一）: 两目录…实行动态管理); an interview is recorded after it
/// took place, with its record.
#[test]
fn a_sanction_fits_its_target_and_an_interview_is_recorded_after_it_happened() {
    assert!(SanctionKind::Suspension.fits(Target::Institution(1)));
    assert!(!SanctionKind::Suspension.fits(Target::Class(1)));
    assert!(!SanctionKind::ExcludePerson.fits(Target::Class(1)));
    assert!(SanctionKind::Clawback.fits(Target::Person(1)));
    assert!(SanctionKind::Suspension.province_only() && SanctionKind::Removal.province_only());
    assert!(!SanctionKind::ExcludeClass.province_only());
    let draft = SanctionDraft {
        kind: SanctionKind::Interview,
        target: Target::Class(1),
        from: day("2026-05-02"),
        deadline: Some(day("2026-06-01")),
        remark: "短".to_owned(),
    };
    let codes: Vec<&str> = check_sanction(&draft, day("2026-05-01"), 36)
        .unwrap_err()
        .iter()
        .map(|violation| violation.code)
        .collect();
    assert_eq!(
        codes,
        [
            "sanction_target_mismatch",
            "invalid_text",
            "interview_in_future",
            "deadline_not_applicable"
        ]
    );
    for kind in SanctionKind::ALL {
        assert_eq!(SanctionKind::parse(kind.as_str()), Some(kind));
    }
}

/// Issue 14 item 5 ("lifting a sanction is recorded the same way"): once, not before it began,
/// only for a sanction that lasts, with a reason.
#[test]
fn a_sanction_is_lifted_once_with_a_reason_and_only_if_it_lasts() {
    let exclusion = sanction(SanctionKind::ExcludeClass, Target::Class(3));
    assert_eq!(
        check_lift(&exclusion, day("2026-05-01"), " 复查合格 "),
        Ok("复查合格".to_owned())
    );
    assert_eq!(
        check_lift(&exclusion, day("2026-03-01"), "复查合格")
            .unwrap_err()
            .code,
        "lift_before_start"
    );
    let lifted = SanctionFact {
        lifted_on: Some(day("2026-05-01")),
        ..exclusion.clone()
    };
    assert_eq!(
        check_lift(&lifted, day("2026-05-02"), "复查合格")
            .unwrap_err()
            .code,
        "already_lifted"
    );
    let interview = sanction(SanctionKind::Interview, Target::Institution(2));
    assert_eq!(
        check_lift(&interview, day("2026-05-02"), "复查合格")
            .unwrap_err()
            .code,
        "sanction_not_liftable"
    );
    assert_eq!(
        check_lift(&exclusion, day("2026-05-01"), " ")
            .unwrap_err()
            .field,
        "reason"
    );
}

/// Issue 14 items 6 and 7: a dismissed flag needs its reason; a complaint is about an
/// institution or a class, with content and a mobile number to reach the complainant.
#[test]
fn a_review_needs_its_reason_and_a_complaint_its_content_and_contact() {
    assert!(check_review(FlagVerdict::Dismissed, "").is_err());
    assert_eq!(
        check_review(FlagVerdict::Dismissed, "同一家庭共用手机，已核实本人到场"),
        Ok("同一家庭共用手机，已核实本人到场".to_owned())
    );
    let draft = ComplaintDraft {
        target: Target::Person(1),
        content: "太短".to_owned(),
        contact: "12345".to_owned(),
        name: "张".repeat(33),
    };
    let fields: Vec<String> = check_complaint(&draft)
        .unwrap_err()
        .into_iter()
        .map(|violation| violation.field)
        .collect();
    assert_eq!(fields, ["target", "content", "contact", "name"]);
    let good = ComplaintDraft {
        target: Target::Class(4),
        content: "该班期学员大多未到场，由他人代为签到。".to_owned(),
        contact: "138 0013 8000".to_owned(),
        name: " ".to_owned(),
    };
    let checked = check_complaint(&good).unwrap();
    assert_eq!(checked.contact.masked(), "138****8000");
    assert_eq!(checked.name, None);
    assert_eq!(
        ComplaintOutcome::parse("upheld"),
        Some(ComplaintOutcome::Upheld)
    );
}

/// Issue 14 item 1 (the plan's 六（一）: 两目录实行动态管理): an institution suspended or removed
/// by a sanction in force stands out of the catalog — it opens no class, enrols no one, gets no
/// exam plan — and no claim line of it is paid; from the day the suspension is lifted it
/// stands again. Another institution's suspension, or an interview, changes nothing.
#[test]
fn a_suspension_or_removal_takes_the_institution_out_of_the_catalog_until_lifted() {
    let suspension = sanction(SanctionKind::Suspension, Target::Institution(2));
    let removal = sanction(SanctionKind::Removal, Target::Institution(4));
    let interview = sanction(SanctionKind::Interview, Target::Institution(2));
    let on = day("2026-05-01");
    assert!(suspended_by_sanction(
        std::slice::from_ref(&suspension),
        2,
        on
    ));
    assert!(!suspended_by_sanction(
        std::slice::from_ref(&suspension),
        3,
        on
    ));
    assert!(!suspended_by_sanction(
        std::slice::from_ref(&suspension),
        2,
        day("2026-03-31")
    ));
    assert!(suspended_by_sanction(std::slice::from_ref(&removal), 4, on));
    assert!(!suspended_by_sanction(
        std::slice::from_ref(&interview),
        2,
        on
    ));
    let lifted = SanctionFact {
        lifted_on: Some(day("2026-05-01")),
        ..suspension.clone()
    };
    assert!(!suspended_by_sanction(std::slice::from_ref(&lifted), 2, on));
    assert_eq!(
        subsidy_exclusions(std::slice::from_ref(&suspension), 2, 3, 5, on),
        vec![suspension.label()]
    );
    assert!(subsidy_exclusions(&[lifted], 2, 3, 5, on).is_empty());
}
