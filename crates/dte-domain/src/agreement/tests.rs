//! Training agreements (the plan's 六（一）: 与培训机构签订培训协议).

use super::*;

fn day(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn code(text: &str) -> OccupationCode {
    OccupationCode::parse(text).unwrap()
}

fn agreement() -> NewAgreement {
    NewAgreement {
        number: "沈人社培协〔2026〕1号".to_owned(),
        signed_on: day("2026-03-01"),
        terms: AgreementTerms {
            region: "沈阳".to_owned(),
            institution_id: 7,
            occupations: vec![code("2-02-10-09")],
            valid_from: day("2026-03-01"),
            valid_to: day("2026-12-31"),
        },
    }
}

/// 六（一）: an agreement covers its own city's classes of the institution, of the occupations
/// it names, that start within its validity — both ends included.
#[test]
fn an_agreement_covers_its_city_institution_occupations_and_validity() {
    let terms = agreement().terms;
    let occupation = code("2-02-10-09");
    assert!(terms.covers("沈阳", 7, &occupation, day("2026-03-01")));
    assert!(terms.covers("沈阳", 7, &occupation, day("2026-12-31")));
    assert!(!terms.covers("沈阳", 7, &occupation, day("2027-01-01")));
    assert!(!terms.covers("沈阳", 7, &occupation, day("2026-02-28")));
    assert!(!terms.covers("大连", 7, &occupation, day("2026-06-01")));
    assert!(!terms.covers("沈阳", 8, &occupation, day("2026-06-01")));
    assert!(!terms.covers("沈阳", 7, &code("4-04-05-05"), day("2026-06-01")));
}

#[test]
fn a_well_formed_agreement_of_a_listed_active_institution_is_signed() {
    assert_eq!(
        check_terms(&agreement(), day("2026-03-02"), true, |_| true),
        vec![]
    );
}

/// Every fault is named with its field, in field order, so the form can show them all at once.
#[test]
fn every_fault_of_an_agreement_names_its_field() {
    let mut bad = agreement();
    bad.number = "  ".to_owned();
    bad.signed_on = day("2026-04-01");
    bad.terms.valid_to = day("2026-02-01");
    bad.terms.occupations = vec![code("2-02-10-09"), code("2-02-10-09")];
    let refusals = check_terms(&bad, day("2026-03-02"), false, |_| false);
    let codes: Vec<(&str, &str)> = refusals
        .iter()
        .map(|refusal| (refusal.field, refusal.code))
        .collect();
    assert_eq!(
        codes,
        vec![
            ("number", "number_invalid"),
            ("signed_on", "signed_in_future"),
            ("valid_to", "validity_reversed"),
            ("occupations", "occupation_repeated"),
            ("institution_id", "institution_inactive"),
            ("occupations", "institution_not_listed"),
            ("occupations", "institution_not_listed"),
        ]
    );
    assert!(refusals[1].message.contains("2026-04-01"), "{refusals:?}");
}

#[test]
fn a_validity_over_ten_years_or_ending_before_signing_is_refused() {
    let mut long = agreement();
    long.terms.valid_to = day("2062-12-31");
    let refusals = check_terms(&long, day("2026-03-02"), true, |_| true);
    assert_eq!(refusals[0].code, "validity_too_long");
    let mut early = agreement();
    early.signed_on = day("2026-03-01");
    early.terms.valid_from = day("2026-01-01");
    early.terms.valid_to = day("2026-02-01");
    let refusals = check_terms(&early, day("2026-03-02"), true, |_| true);
    assert_eq!(refusals[0].code, "validity_before_signing");
    let mut none = agreement();
    none.terms.occupations.clear();
    let refusals = check_terms(&none, day("2026-03-02"), true, |_| true);
    assert_eq!(refusals[0].code, "occupations_missing");
}
