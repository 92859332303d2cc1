//! The training agreement a subsidised class needs (the plan's 六（一）: 签订培训协议).

use super::super::check_training_agreement;
use super::plan;
use crate::agreement::AgreementTerms;
use crate::{Funding, OccupationCode};
use chrono::NaiveDate;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn code(text: &str) -> OccupationCode {
    OccupationCode::parse(text).unwrap()
}

fn terms() -> AgreementTerms {
    AgreementTerms {
        region: "沈阳".to_owned(),
        institution_id: 7,
        occupations: vec![code("2-02-10-09")],
        valid_from: day("2026-03-01"),
        valid_to: day("2026-12-31"),
    }
}

/// 六（一）: a subsidised class needs an agreement of its city valid on its start date; the
/// answer says what is missing (none with the city, not this occupation, not on this date). A
/// market class needs none.
#[test]
fn a_subsidised_class_without_a_covering_agreement_is_refused_naming_what_is_missing() {
    let mut plan = plan();
    plan.region = "沈阳".to_owned();
    plan.occupation = code("2-02-10-09");
    plan.start_date = day("2026-06-01");
    let terms = terms();
    assert_eq!(
        check_training_agreement(&plan, 7, std::slice::from_ref(&terms)),
        None
    );
    let none = check_training_agreement(&plan, 7, &[]).unwrap();
    assert_eq!(
        (none.field.as_str(), none.code),
        ("institution_id", "no_training_agreement")
    );
    let other_occupation = AgreementTerms {
        occupations: vec![code("4-04-05-05")],
        ..terms.clone()
    };
    let wrong = check_training_agreement(&plan, 7, &[other_occupation]).unwrap();
    assert_eq!(wrong.field, "occupation");
    let expired = AgreementTerms {
        valid_to: day("2026-05-31"),
        ..terms.clone()
    };
    let late = check_training_agreement(&plan, 7, std::slice::from_ref(&expired)).unwrap();
    assert_eq!(late.field, "starts_on");
    assert!(late.message.contains("2026-06-01"), "{late:?}");
    plan.funding = Funding::Market;
    assert_eq!(check_training_agreement(&plan, 7, &[expired]), None);
}
