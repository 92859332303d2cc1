//! Tests of the eligibility engine, each naming the plan's clause, SPEC step 3 or the policy
//! setting it comes from: fixtures and the whole answer here, the seat rules in `seat.rs`,
//! the subsidy rules in `subsidy.rs`.
#![allow(clippy::unwrap_used)]

mod seat;
mod subsidy;

use super::*;
use crate::resident_id::check_character;

pub(super) fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// A valid resident ID of someone born on `birth` (YYYYMMDD), registered in 沈阳市和平区.
pub(super) fn id_born(birth: &str) -> ResidentId {
    let first = format!("210102{birth}123");
    let number = format!("{first}{}", check_character(&first));
    ResidentId::parse(&number, date(2026, 5, 1)).unwrap()
}

pub(super) fn occupation(code: &str) -> OccupationCode {
    OccupationCode::parse(code).unwrap()
}

/// A registered unemployed person of 36 in post-seeking (拟从事).
pub(super) fn candidate() -> Candidate {
    Candidate {
        resident_id: id_born("19900307"),
        category: TraineeCategory::Prospective,
        graduation_year: None,
        subsidy_category: Some("registered_unemployed".to_owned()),
    }
}

/// A subsidised, approved 人工智能 中级 class in June 2026 with room left.
pub(super) fn class() -> ClassOffer {
    ClassOffer {
        id: 7,
        occupation: occupation("2-02-10-09"),
        level: Level::Intermediate,
        funding: Funding::Subsidised,
        start_date: date(2026, 6, 1),
        end_date: date(2026, 6, 30),
        capacity: 50,
        seats_taken: 49,
        status: ClassStatus::Approved,
        institution_active: true,
    }
}

pub(super) fn enrolment(
    class_id: i64,
    code: &str,
    level: Level,
    start: NaiveDate,
) -> PriorEnrolment {
    PriorEnrolment {
        class_id,
        occupation: occupation(code),
        level,
        start_date: start,
        end_date: start + chrono::Days::new(20),
        subsidised: true,
        active: true,
    }
}

/// The 2026 defaults of `data/reference/2026.toml`: six categories on, 年度退役军人 off, one
/// subsidised training a year.
pub(super) fn context() -> EligibilityContext {
    EligibilityContext {
        today: date(2026, 5, 20),
        enabled_subsidy_categories: [
            "poor_family",
            "graduate",
            "school_leaver",
            "rural_migrant",
            "registered_unemployed",
            "employee",
        ]
        .map(str::to_owned)
        .to_vec(),
        subsidised_trainings_per_year: 1,
    }
}

pub(super) fn seat_codes(assessment: &Assessment) -> Vec<&'static str> {
    assessment.seat.iter().map(Reason::code).collect()
}

pub(super) fn subsidy_codes(assessment: &Assessment) -> Vec<&'static str> {
    assessment.subsidy.iter().map(Reason::code).collect()
}

#[test]
fn an_eligible_person_gets_a_subsidised_seat() {
    let assessment = assess(&candidate(), &class(), &[], &context());
    assert_eq!(assessment, Assessment::default());
    assert!(assessment.may_enrol() && assessment.subsidised());
}

/// A refused seat is never a subsidised one, whatever the subsidy rules say.
#[test]
fn no_seat_means_no_subsidy() {
    let full = ClassOffer {
        seats_taken: 60,
        ..class()
    };
    let assessment = assess(&candidate(), &full, &[], &context());
    assert!(assessment.subsidy.is_empty() && !assessment.subsidised());
}

/// Every reason is returned, seat and subsidy apart, in a stable order.
#[test]
fn all_reasons_are_returned_in_a_stable_order() {
    let student = Candidate {
        resident_id: id_born("20110101"),
        category: TraineeCategory::GraduatingStudent,
        graduation_year: None,
        subsidy_category: Some("veteran".to_owned()),
    };
    let full = ClassOffer {
        seats_taken: 50,
        status: ClassStatus::Finished,
        ..class()
    };
    let prior = [
        enrolment(4, "2-02-10-09", Level::Senior, date(2026, 5, 25)),
        enrolment(2, "2-02-10-09", Level::Intermediate, date(2026, 1, 5)),
    ];
    let assessment = assess(&student, &full, &prior, &context());
    assert_eq!(
        seat_codes(&assessment),
        [
            "enrolment_closed",
            "class_full",
            "overlapping_class",
            "missing_graduation_year",
            "age"
        ]
    );
    assert_eq!(
        subsidy_codes(&assessment),
        [
            "category_not_listed",
            "subsidy_yearly_limit",
            "subsidised_before",
            "higher_level_subsidised"
        ]
    );
    assert!(
        assessment.subsidy[1]
            .message()
            .contains("已享受补贴培训 2 次")
    );
}

#[test]
fn reason_codes_are_distinct_snake_case() {
    let day = date(2026, 6, 1);
    let reasons = [
        Reason::EnrolmentClosed {
            status: ClassStatus::Closed,
        },
        Reason::ClassEnded { end_date: day },
        Reason::ClassFull { capacity: 1 },
        Reason::AlreadyEnrolled { class_id: 1 },
        Reason::OverlappingClass {
            class_id: 1,
            start_date: day,
            end_date: day,
        },
        Reason::MissingGraduationYear,
        Reason::GraduationWindow {
            graduation_year: 2027,
            class_start: day,
        },
        Reason::Age {
            age: 15,
            class_start: day,
        },
        Reason::ClassNotSubsidised,
        Reason::NoSubsidyCategory,
        Reason::CategoryNotListed {
            category: "x".to_owned(),
        },
        Reason::SubsidyYearlyLimit {
            year: 2026,
            limit: 1,
            used: 1,
        },
        Reason::SubsidisedBefore {
            class_id: 1,
            occupation: occupation("2-02-10-09"),
            level: Level::Junior,
        },
        Reason::HigherLevelSubsidised {
            class_id: 1,
            occupation: occupation("2-02-10-09"),
            level: Level::Senior,
        },
    ];
    let codes: std::collections::BTreeSet<&str> = reasons.iter().map(Reason::code).collect();
    assert_eq!(codes.len(), reasons.len());
    for reason in &reasons {
        let code = reason.code();
        assert!(
            code.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
            "{code}"
        );
        assert_eq!(reason.to_string(), reason.message());
        assert!(!reason.message().is_empty());
    }
}

fn any_date() -> impl proptest::strategy::Strategy<Value = NaiveDate> {
    use proptest::strategy::Strategy;
    (0i64..1_000).prop_map(|offset| date(2026, 1, 1) + chrono::Duration::days(offset))
}

proptest::proptest! {
    /// Overlap is symmetric, and a non-empty period overlaps itself.
    #[test]
    fn overlap_is_symmetric(a in any_date(), a_len in 0u64..60, b in any_date(), b_len in 0u64..60) {
        let a_end = a + chrono::Days::new(a_len);
        let b_end = b + chrono::Days::new(b_len);
        proptest::prop_assert_eq!(
            periods_overlap(a, a_end, b, b_end),
            periods_overlap(b, b_end, a, a_end)
        );
        proptest::prop_assert!(periods_overlap(a, a_end, a, a_end));
    }

    /// A person in class A is refused class B exactly when a person in B is refused A.
    #[test]
    fn an_overlapping_enrolment_refuses_both_ways(
        a in any_date(), a_len in 0u64..60, b in any_date(), b_len in 0u64..60,
    ) {
        let offer = |id: i64, start: NaiveDate, length: u64| ClassOffer {
            id,
            start_date: start,
            end_date: start + chrono::Days::new(length),
            funding: Funding::Market,
            ..class()
        };
        let held = |offer: &ClassOffer| PriorEnrolment {
            class_id: offer.id,
            occupation: offer.occupation.clone(),
            level: offer.level,
            start_date: offer.start_date,
            end_date: offer.end_date,
            subsidised: false,
            active: true,
        };
        let (first, second) = (offer(1, a, a_len), offer(2, b, b_len));
        let mut context = context();
        context.today = date(2025, 1, 1);
        let one_way = assess(&candidate(), &second, &[held(&first)], &context).may_enrol();
        let other_way = assess(&candidate(), &first, &[held(&second)], &context).may_enrol();
        proptest::prop_assert_eq!(one_way, other_way);
    }
}
