//! Subsidy claims (SPEC step 9; the plan's 四（一）2 and 五（一）; issue 13).
#![allow(clippy::unwrap_used)]

use super::*;
use crate::attendance::{Punch, SessionAttendance, Timing, hours_ledger};
use crate::class::{Delivery, SessionPlan};
use crate::policy::Policy;
use crate::reference::{BUNDLED, ReferenceData};
use crate::{Fen, Level, OccupationCode};
use chrono::{NaiveDate, NaiveTime};

fn day(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn reference() -> ReferenceData {
    let (year, text) = BUNDLED[0];
    ReferenceData::parse(year, text).unwrap()
}

fn policy() -> Policy {
    reference().policy_on(day(2026, 12, 1)).unwrap()
}

fn ai() -> OccupationCode {
    OccupationCode::parse("2-02-10-09").unwrap()
}

/// Ten 8-hour offline sessions of which `attended` were attended, at the 90 % minimum.
fn ledger(attended: usize) -> crate::HoursLedger {
    let session = SessionPlan {
        date: day(2026, 3, 2),
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        delivery: Delivery::Offline,
        hours: 8,
        teacher: "张老师".into(),
    };
    let punch = Some(Punch {
        timing: Timing::OnTime,
        corrected: false,
    });
    let attendance: Vec<_> = (0..10)
        .map(|index| {
            if index < attended {
                SessionAttendance::Offline {
                    check_in: punch,
                    check_out: punch,
                }
            } else {
                SessionAttendance::Absent
            }
        })
        .collect();
    hours_ledger(&vec![session; 10], &attendance, 90, crate::policy::HALF).unwrap()
}

fn certificate(level: Level, issued_on: NaiveDate) -> CertificateFact {
    CertificateFact {
        number: "X-0001".into(),
        occupation: ai(),
        level,
        valid: true,
        issued_on,
    }
}

/// A fully eligible line: 人工智能 中级 of 2026, both certificates, full attendance, every
/// document, a subsidised category.
fn eligible() -> LineFacts {
    LineFacts {
        occupation: ai(),
        level: Level::Intermediate,
        class_year: 2026,
        enrolled_on: day(2026, 3, 1),
        subsidy_category: Some("registered_unemployed".into()),
        categories_subsidised_on_enrolment: vec!["registered_unemployed".into()],
        has_category_proof: true,
        has_commitment_letter: true,
        ledger: ledger(10),
        sessions_without_recording: 0,
        training_certificate: Some(certificate(Level::Intermediate, day(2026, 3, 20))),
        level_certificate: Some(certificate(Level::Intermediate, day(2026, 4, 20))),
        other_subsidies: vec![],
        sanctions: vec![],
        open_flags: vec![],
    }
}

fn codes(facts: &LineFacts, today: NaiveDate) -> Vec<&'static str> {
    assess_line(facts, &policy(), today)
        .iter()
        .map(LineReason::code)
        .collect()
}

fn paid(claim_id: i64, level: Level, year: i32) -> PaidSubsidy {
    PaidSubsidy {
        claim_id,
        occupation: ai(),
        level,
        year,
    }
}

#[test]
fn plan_4_1_2_a_trainee_holding_both_certificates_with_every_record_may_be_claimed() {
    assert_eq!(codes(&eligible(), day(2026, 5, 1)), Vec::<&str>::new());
}

/// Issue 13 item 1: each reason alone, with its stable code.
#[test]
fn issue_13_each_reason_alone_makes_a_line_ineligible_with_its_code() {
    let today = day(2026, 5, 1);
    type Change = Box<dyn Fn(&mut LineFacts)>;
    let cases: Vec<(&str, Change)> = vec![
        (
            "no_training_certificate",
            Box::new(|facts| {
                facts.training_certificate.as_mut().unwrap().valid = false;
            }),
        ),
        (
            "no_level_certificate",
            Box::new(|facts| {
                facts.level_certificate.as_mut().unwrap().level = Level::Junior;
            }),
        ),
        (
            "attendance_below_minimum",
            Box::new(|facts| facts.ledger = ledger(8)),
        ),
        (
            "session_without_recording",
            Box::new(|facts| facts.sessions_without_recording = 2),
        ),
        (
            "category_proof_missing",
            Box::new(|facts| facts.has_category_proof = false),
        ),
        (
            "commitment_letter_missing",
            Box::new(|facts| facts.has_commitment_letter = false),
        ),
        (
            "category_not_subsidised",
            Box::new(|facts| facts.categories_subsidised_on_enrolment = vec!["veterans".into()]),
        ),
        (
            "already_paid",
            Box::new(|facts| {
                facts.other_subsidies = vec![paid(7, Level::Intermediate, 2025)];
            }),
        ),
        (
            "higher_level_paid",
            Box::new(|facts| facts.other_subsidies = vec![paid(8, Level::Senior, 2025)]),
        ),
        (
            "yearly_limit",
            Box::new(|facts| {
                facts.other_subsidies = vec![PaidSubsidy {
                    occupation: OccupationCode::parse("2-02-10-11").unwrap(),
                    ..paid(9, Level::Junior, 2026)
                }];
            }),
        ),
        (
            "past_claim_deadline",
            Box::new(|facts| {
                facts.level_certificate.as_mut().unwrap().issued_on = day(2025, 4, 30);
            }),
        ),
        (
            "excluded_by_sanction",
            Box::new(|facts| {
                facts.sanctions = vec!["班期不予补贴（2026-04-01 检查发现代签到）".into()]
            }),
        ),
        (
            "open_risk_flag",
            Box::new(|facts| facts.open_flags = vec!["同一设备为多人签到".into()]),
        ),
    ];
    assert_eq!(cases.len(), LineReason::CODES.len());
    for (code, change) in &cases {
        let mut facts = eligible();
        change(&mut facts);
        assert_eq!(codes(&facts, today), vec![*code], "{code}");
        let reason = &assess_line(&facts, &policy(), today)[0];
        assert!(!reason.message().is_empty() && reason.message().is_char_boundary(0));
    }
    let order: Vec<&str> = cases.iter().map(|(code, _)| *code).collect();
    assert_eq!(order, LineReason::CODES);
}

/// SPEC "Policy settings": the claim deadline is 12 months after the level certificate's
/// date by default; the last day itself is in time.
#[test]
fn spec_settings_a_claim_is_in_time_up_to_twelve_months_after_the_level_certificate() {
    let mut facts = eligible();
    facts.level_certificate.as_mut().unwrap().issued_on = day(2026, 4, 30);
    assert_eq!(codes(&facts, day(2027, 4, 30)), Vec::<&str>::new());
    assert_eq!(codes(&facts, day(2027, 5, 1)), vec!["past_claim_deadline"]);
    assert_eq!(
        claim_deadline(day(2026, 3, 31), &policy()),
        Some(day(2027, 3, 31))
    );
}

/// SPEC: "the same occupation+level is subsidised once ever, and a subsidy at a higher level
/// blocks the lower one"; a lower level paid before does not block a higher one, and another
/// year's subsidy does not count against this year's limit.
#[test]
fn spec_settings_once_per_occupation_and_level_and_a_higher_level_blocks_the_lower() {
    let mut facts = eligible();
    facts.other_subsidies = vec![paid(3, Level::Junior, 2025)];
    assert_eq!(codes(&facts, day(2026, 5, 1)), Vec::<&str>::new());
    facts.other_subsidies = vec![paid(3, Level::Senior, 2024), paid(4, Level::Senior, 2025)];
    let reasons = assess_line(&facts, &policy(), day(2026, 5, 1));
    assert_eq!(
        reasons,
        vec![LineReason::HigherLevelPaid {
            claim_id: 3,
            level: Level::Senior
        }]
    );
}

/// 附件5, re-transcribed from the plan: required hours per level and the rates 10, 20 and 25
/// 元/学时; every line's amount is hours × rate in fen, e.g. 人工智能 中级 80 × 20 = 1,600 元.
#[test]
fn annex_5_every_amount_is_the_required_hours_times_the_rate() {
    let table: [(&str, [u32; 3]); 10] = [
        ("2-02-10-11", [128, 128, 160]),
        ("2-02-10-15", [80, 64, 64]),
        ("2-02-07-13", [90, 90, 80]),
        ("2-02-10-12", [160, 160, 192]),
        ("2-02-10-10", [128, 128, 160]),
        ("2-02-10-09", [64, 80, 80]),
        ("2-02-30-11", [60, 90, 120]),
        ("2-02-10-13", [90, 120, 120]),
        ("2-02-10-14", [120, 100, 100]),
        ("2-02-09-06", [128, 128, 160]),
    ];
    let yuan_per_hour = [10, 20, 25];
    let data = reference();
    for (code, hours) in table {
        let occupation = data
            .occupations
            .iter()
            .find(|occupation| occupation.code.as_str() == code)
            .unwrap();
        for (index, level) in Level::ALL.into_iter().enumerate() {
            let amount = line_amount(occupation.hours.get(level), data.rate(level)).unwrap();
            let expected = Fen::from_yuan(i64::from(hours[index]) * yuan_per_hour[index]);
            assert_eq!(amount, expected, "{code} {level}");
        }
    }
    assert_eq!(
        line_amount(80, data.rate(Level::Intermediate)).unwrap(),
        Fen::from_yuan(1_600)
    );
    assert_eq!(
        line_amount(192, data.rate(Level::Senior)).unwrap(),
        Fen::from_yuan(4_800)
    );
}

/// The plan's 四（一）2: 优先使用职业技能提升行动专账结余资金，无专账结余资金的市从就业补助资金列支.
#[test]
fn plan_4_1_2_the_skills_upgrading_balance_pays_first_and_the_employment_fund_the_rest() {
    let balances = |skills: i64, employment: i64| FundBalances {
        skills_upgrading_balance: Fen::from_yuan(skills),
        employment_subsidy_fund: Fen::from_yuan(employment),
    };
    let share = |source, yuan| PaymentShare {
        source,
        amount: Fen::from_yuan(yuan),
    };
    assert_eq!(
        split_payment(Fen::from_yuan(1_600), &balances(10_000, 10_000)).unwrap(),
        vec![share(FundSource::SkillsUpgradingBalance, 1_600)]
    );
    assert_eq!(
        split_payment(Fen::from_yuan(1_600), &balances(1_000, 10_000)).unwrap(),
        vec![
            share(FundSource::SkillsUpgradingBalance, 1_000),
            share(FundSource::EmploymentSubsidyFund, 600)
        ]
    );
    assert_eq!(
        split_payment(Fen::from_yuan(1_600), &balances(0, 10_000)).unwrap(),
        vec![share(FundSource::EmploymentSubsidyFund, 1_600)]
    );
    let shortfall = split_payment(Fen::from_yuan(1_600), &balances(500, 600)).unwrap_err();
    assert_eq!(shortfall.shortfall, Fen::from_yuan(500));
    assert!(
        shortfall.to_string().contains("还差 500.00 元"),
        "{shortfall}"
    );
    assert_eq!(
        split_payment(Fen::from_yuan(100), &balances(-50, 100)).unwrap(),
        vec![share(FundSource::EmploymentSubsidyFund, 100)]
    );
    assert_eq!(
        FundSource::parse("skills_upgrading_balance"),
        Some(FundSource::SkillsUpgradingBalance)
    );
}

/// Issue 13 item 2: the account that reviewed a claim may not approve it; a review after its
/// window is refused, naming the day it was due.
#[test]
fn issue_13_four_eyes_and_the_review_window() {
    assert_eq!(check_approver(5, 5), Err(ReviewRefusal::SameAccount));
    assert_eq!(check_approver(5, 6), Ok(()));
    assert_eq!(
        check_review_window(day(2026, 10, 8), day(2026, 10, 8)),
        Ok(())
    );
    let late = check_review_window(day(2026, 10, 8), day(2026, 10, 9)).unwrap_err();
    assert_eq!(late.code(), "review_overdue");
    assert!(late.to_string().contains("2026-10-08"));
    assert!(LineDecision::reject("made_up", "理由充分").is_err());
    assert_eq!(
        LineDecision::reject("attendance_doubtful", " ").unwrap_err(),
        ReviewRefusal::RemarkRequired
    );
    assert!(LineDecision::reject("attendance_doubtful", "签到位置与教室不符").is_ok());
}

/// Issue 13 items 3 and 4: objections within the notice period; payment only after it, with
/// every objection resolved.
#[test]
fn issue_13_objections_during_the_notice_and_payment_after_it() {
    let (starts, ends) = (day(2026, 9, 24), day(2026, 10, 8));
    assert_eq!(check_objection_window(starts, ends, ends), Ok(()));
    assert_eq!(
        check_objection_window(starts, ends, day(2026, 10, 9))
            .unwrap_err()
            .code(),
        "notice_over"
    );
    assert_eq!(
        check_payable(ends, 0, ends).unwrap_err().code(),
        "notice_not_over"
    );
    assert_eq!(
        check_payable(ends, 1, day(2026, 10, 9)).unwrap_err().code(),
        "objections_open"
    );
    assert_eq!(check_payable(ends, 0, day(2026, 10, 9)), Ok(()));
}

/// Issue 13 item 5: a case is recovered in parts up to exactly its amount; a write-off needs
/// a reason and a second account.
#[test]
fn issue_13_a_clawback_is_recovered_in_parts_and_written_off_by_a_second_account() {
    let amount = Fen::from_yuan(1_600);
    let first = check_recovery(amount, Fen::ZERO, ClawbackStatus::Open, Fen::from_yuan(600));
    assert_eq!(first, Ok(ClawbackStatus::PartlyRecovered));
    assert_eq!(
        check_recovery(
            amount,
            Fen::from_yuan(600),
            ClawbackStatus::PartlyRecovered,
            Fen::from_yuan(1_001)
        )
        .unwrap_err()
        .code(),
        "more_than_outstanding"
    );
    assert_eq!(
        check_recovery(
            amount,
            Fen::from_yuan(600),
            ClawbackStatus::PartlyRecovered,
            Fen::from_yuan(1_000)
        ),
        Ok(ClawbackStatus::Recovered)
    );
    assert_eq!(
        check_recovery(amount, amount, ClawbackStatus::Recovered, Fen::new(1))
            .unwrap_err()
            .code(),
        "clawback_closed"
    );
    assert_eq!(
        check_recovery(amount, Fen::ZERO, ClawbackStatus::Open, Fen::ZERO)
            .unwrap_err()
            .code(),
        "amount_not_positive"
    );
    assert_eq!(
        check_write_off(3, 3, ClawbackStatus::Open, "机构已注销，无法追回").unwrap_err(),
        ClawbackRefusal::SameAccount
    );
    assert_eq!(
        check_write_off(3, 4, ClawbackStatus::Open, "").unwrap_err(),
        ClawbackRefusal::ReasonRequired
    );
    assert_eq!(
        check_write_off(3, 4, ClawbackStatus::Open, "机构已注销，无法追回"),
        Ok(())
    );
}

/// SPEC's contract names the states of claims, lines, payments' sources and clawbacks.
#[test]
fn spec_contract_the_state_spellings() {
    let claims: Vec<&str> = ClaimStatus::ALL
        .iter()
        .map(|status| status.as_str())
        .collect();
    assert_eq!(
        claims,
        [
            "draft",
            "submitted",
            "in_review",
            "in_notice",
            "approved",
            "paid",
            "partly_rejected",
            "rejected",
            "withdrawn"
        ]
    );
    let lines: Vec<&str> = LineStatus::ALL
        .iter()
        .map(|status| status.as_str())
        .collect();
    assert_eq!(
        lines,
        [
            "claimed",
            "ineligible",
            "approved",
            "rejected",
            "paid",
            "clawed_back"
        ]
    );
    let cases: Vec<&str> = ClawbackStatus::ALL
        .iter()
        .map(|status| status.as_str())
        .collect();
    assert_eq!(
        cases,
        ["open", "partly_recovered", "recovered", "written_off"]
    );
    for status in ClaimStatus::ALL {
        assert_eq!(ClaimStatus::parse(status.as_str()), Some(status));
    }
    for status in LineStatus::ALL {
        assert_eq!(LineStatus::parse(status.as_str()), Some(status));
    }
    assert!(LineStatus::ClawedBack.holds_subsidy() && !LineStatus::Rejected.holds_subsidy());
}
