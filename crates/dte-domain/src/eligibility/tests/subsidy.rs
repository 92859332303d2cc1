//! The subsidy rules (the plan's 四（一）2 政府补贴培训 and SPEC's policy settings).

use super::*;

/// The plan's 四（一）1 市场化培训: a market class has no subsidy to ask for.
#[test]
fn a_market_class_seat_is_never_subsidised() {
    let market = ClassOffer {
        funding: Funding::Market,
        ..class()
    };
    let assessment = assess(&candidate(), &market, &[], &context());
    assert!(assessment.may_enrol() && !assessment.subsidised());
    assert_eq!(subsidy_codes(&assessment), ["class_not_subsidised"]);
}

/// The plan's 四（一）2: only the 六类人员 of 辽财社〔2019〕276号 are subsidised, so a category
/// must be given.
#[test]
fn a_subsidised_seat_needs_a_subsidy_category() {
    for missing in [None, Some(" ".to_owned())] {
        let person = Candidate {
            subsidy_category: missing,
            ..candidate()
        };
        let assessment = assess(&person, &class(), &[], &context());
        assert!(assessment.may_enrol());
        assert_eq!(subsidy_codes(&assessment), ["no_subsidy_category"]);
    }
}

/// SPEC policy settings: the subsidised categories are data with an effective date; 年度退役军人
/// is available but off by default.
#[test]
fn a_category_not_enabled_on_the_day_is_not_subsidised() {
    let veteran = Candidate {
        subsidy_category: Some("veteran".to_owned()),
        ..candidate()
    };
    let assessment = assess(&veteran, &class(), &[], &context());
    assert_eq!(subsidy_codes(&assessment), ["category_not_listed"]);
    assert!(assessment.subsidy[0].message().contains("veteran"));
    let mut context = context();
    context
        .enabled_subsidy_categories
        .push("veteran".to_owned());
    assert!(assess(&veteran, &class(), &[], &context).subsidised());
}

/// SPEC policy setting `subsidised_trainings_per_year` (default 1), counted by the calendar
/// year in which the classes start.
#[test]
fn subsidised_trainings_are_limited_per_calendar_year() {
    let earlier_this_year = enrolment(3, "2-02-10-11", Level::Junior, date(2026, 1, 5));
    let assessment = assess(
        &candidate(),
        &class(),
        std::slice::from_ref(&earlier_this_year),
        &context(),
    );
    assert!(assessment.may_enrol());
    assert_eq!(subsidy_codes(&assessment), ["subsidy_yearly_limit"]);
    let message = assessment.subsidy[0].message();
    assert!(message.contains("2026 年已享受补贴培训 1 次") && message.contains("最多 1 次"));

    let last_year = enrolment(3, "2-02-10-11", Level::Junior, date(2025, 12, 1));
    assert!(assess(&candidate(), &class(), &[last_year], &context()).subsidised());

    let unsubsidised = PriorEnrolment {
        subsidised: false,
        ..earlier_this_year.clone()
    };
    assert!(assess(&candidate(), &class(), &[unsubsidised], &context()).subsidised());

    let mut two_a_year = context();
    two_a_year.subsidised_trainings_per_year = 2;
    assert!(assess(&candidate(), &class(), &[earlier_this_year], &two_a_year).subsidised());
}

/// SPEC policy settings: the same occupation+level is subsidised once ever (and step 9:
/// never paid twice for a person+occupation+level).
#[test]
fn the_same_occupation_and_level_is_subsidised_only_once() {
    let years_ago = enrolment(2, "2-02-10-09", Level::Intermediate, date(2023, 4, 1));
    let assessment = assess(
        &candidate(),
        &class(),
        std::slice::from_ref(&years_ago),
        &context(),
    );
    assert_eq!(subsidy_codes(&assessment), ["subsidised_before"]);
    assert!(assessment.subsidy[0].message().contains("班期 2"));

    let paid_by_themselves = PriorEnrolment {
        subsidised: false,
        ..years_ago
    };
    assert!(assess(&candidate(), &class(), &[paid_by_themselves], &context()).subsidised());
}

/// SPEC policy settings: a subsidy at a higher level blocks the lower one; a lower one does
/// not block a higher.
#[test]
fn a_subsidy_at_a_higher_level_blocks_the_lower_one() {
    let senior = enrolment(4, "2-02-10-09", Level::Senior, date(2024, 4, 1));
    let assessment = assess(&candidate(), &class(), &[senior], &context());
    assert_eq!(subsidy_codes(&assessment), ["higher_level_subsidised"]);
    assert!(assessment.subsidy[0].message().contains("高级"));

    let junior = enrolment(5, "2-02-10-09", Level::Junior, date(2024, 4, 1));
    assert!(assess(&candidate(), &class(), &[junior], &context()).subsidised());

    let other_occupation = enrolment(6, "2-02-10-11", Level::Senior, date(2024, 4, 1));
    assert!(assess(&candidate(), &class(), &[other_occupation], &context()).subsidised());
}
