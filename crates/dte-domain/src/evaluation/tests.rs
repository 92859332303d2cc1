//! Tests of level evaluation and continuing-education hours, each naming the plan's clause
//! (三（二）标准化评价, 五（二）继续教育学时) or the setting it comes from.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::attendance::{HoursLedger, SessionAttendance, hours_ledger};
use crate::class::{ClassStatus, Delivery, SessionPlan};
use crate::class_rules::InstitutionStanding;
use crate::{Level, OccupationCode};
use chrono::{NaiveDate, NaiveTime};

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn ai() -> OccupationCode {
    OccupationCode::parse("2-02-10-09").unwrap()
}

const STANDING: InstitutionStanding = InstitutionStanding {
    active: true,
    listed_for_occupation: true,
};

/// A finished 人工智能 中级 class that ended on 30 June 2026, examined on 20 July, proposed on
/// 1 July.
fn proposal() -> ExamPlanProposal {
    ExamPlanProposal {
        occupation: ai(),
        level: Level::Intermediate,
        class_status: ClassStatus::Finished,
        class_end_date: date(2026, 6, 30),
        exam_date: date(2026, 7, 20),
    }
}

fn context() -> ExamPlanContext {
    ExamPlanContext {
        today: date(2026, 7, 1),
        training_institution: STANDING,
        evaluation_institution: STANDING,
    }
}

fn codes(violations: &[crate::Violation]) -> Vec<&'static str> {
    violations.iter().map(|violation| violation.code).collect()
}

#[test]
fn an_exam_plan_of_two_listed_active_institutions_for_a_finished_class_is_accepted() {
    assert_eq!(check_plan(&proposal(), &context()), vec![]);
}

#[test]
fn the_evaluation_institution_must_be_listed_in_annex_6_for_the_occupation() {
    // 三（二）: 与纳入……评价目录的评价机构（见附件6）共同确定……考核计划.
    let mut context = context();
    context.evaluation_institution.listed_for_occupation = false;
    let violations = check_plan(&proposal(), &context);
    assert_eq!(codes(&violations), ["evaluation_institution_not_listed"]);
    assert_eq!(violations[0].field, "evaluation_institution");
    assert!(violations[0].message.contains("附件6"));
    assert!(violations[0].message.contains("2-02-10-09"));
}

#[test]
fn both_institutions_must_be_active_and_the_training_one_listed_in_annex_1() {
    // 三（一）and 三（二）: only institutions of the two catalogs train and examine; the plan's
    // 实行动态管理 suspends and removes them.
    let inactive = InstitutionStanding {
        active: false,
        listed_for_occupation: false,
    };
    let context = ExamPlanContext {
        training_institution: inactive,
        evaluation_institution: inactive,
        ..context()
    };
    assert_eq!(
        codes(&check_plan(&proposal(), &context)),
        [
            "training_institution_inactive",
            "training_institution_not_listed",
            "evaluation_institution_inactive",
            "evaluation_institution_not_listed",
        ]
    );
}

#[test]
fn only_a_finished_or_closed_class_is_examined() {
    // 三（二）: the exam is for 取得培训合格证书 trainees, and completion ends the training.
    for (status, accepted) in [
        (ClassStatus::Draft, false),
        (ClassStatus::Approved, false),
        (ClassStatus::Running, false),
        (ClassStatus::Rejected, false),
        (ClassStatus::Finished, true),
        (ClassStatus::Closed, true),
    ] {
        let proposal = ExamPlanProposal {
            class_status: status,
            ..proposal()
        };
        let violations = check_plan(&proposal, &context());
        assert_eq!(violations.is_empty(), accepted, "{status:?}");
        if !accepted {
            assert_eq!(codes(&violations), ["class_not_finished"]);
            assert!(violations[0].message.contains(status.label()));
        }
    }
}

#[test]
fn the_exam_is_after_the_last_day_of_training_not_in_the_past_and_within_180_days() {
    // 三（二）: 对取得培训合格证书……的培训人员，及时组织专业技术等级考核.
    let table = [
        (
            date(2026, 6, 30),
            vec!["exam_before_class_end", "exam_date_past"],
        ),
        (date(2026, 7, 1), vec![]),
        (date(2026, 12, 27), vec![]),
        (date(2026, 12, 28), vec!["exam_too_late"]),
    ];
    for (exam_date, expected) in table {
        let proposal = ExamPlanProposal {
            exam_date,
            ..proposal()
        };
        assert_eq!(
            codes(&check_plan(&proposal, &context())),
            expected,
            "{exam_date}"
        );
    }
    assert_eq!(
        date(2026, 12, 27) - date(2026, 6, 30),
        chrono::TimeDelta::days(180)
    );
}

#[test]
fn an_exam_plan_goes_proposed_agreed_scores_entered_certificates_issued() {
    use ExamAction as A;
    use ExamPlanStatus as S;
    assert_eq!(S::Proposed.after(A::Agree), Ok(S::Agreed));
    assert_eq!(S::Proposed.after(A::Decline), Ok(S::Declined));
    assert_eq!(S::Agreed.after(A::EnterScores), Ok(S::ScoresEntered));
    assert_eq!(S::ScoresEntered.after(A::EnterScores), Ok(S::ScoresEntered));
    assert_eq!(S::ScoresEntered.after(A::Issue), Ok(S::CertificatesIssued));
    for (status, action) in [
        (S::Proposed, A::EnterScores),
        (S::Proposed, A::Issue),
        (S::Agreed, A::Issue),
        (S::Declined, A::Agree),
        (S::CertificatesIssued, A::EnterScores),
        (S::Agreed, A::Agree),
    ] {
        let error = status.after(action).unwrap_err();
        assert!(error.to_string().contains(status.label()), "{error}");
    }
    for status in [
        S::Proposed,
        S::Agreed,
        S::Declined,
        S::ScoresEntered,
        S::CertificatesIssued,
    ] {
        assert_eq!(ExamPlanStatus::parse(status.as_str()), Some(status));
    }
}

#[test]
fn scores_are_entered_only_once_the_exam_was_held() {
    assert!(check_score_entry(date(2026, 7, 20), date(2026, 7, 20)).is_ok());
    let refused = check_score_entry(date(2026, 7, 20), date(2026, 7, 19)).unwrap_err();
    assert_eq!(refused.code, "exam_not_held");
}

fn held(number: &str, level: Level, valid: bool) -> HeldCertificate {
    HeldCertificate {
        number: number.to_owned(),
        occupation: ai(),
        level,
        valid,
    }
}

#[test]
fn a_candidate_must_hold_a_valid_training_certificate_of_the_occupation_and_level() {
    // 三（二）: 对取得培训合格证书……的培训人员……组织专业技术等级考核.
    let check = |facts: &CandidateFacts| {
        check_candidate(&ai(), Level::Intermediate, facts).map_err(|refusal| refusal.code)
    };
    let holder = CandidateFacts {
        training: vec![held("PX-1", Level::Intermediate, true)],
        level: vec![],
    };
    assert_eq!(check(&holder), Ok(()));
    assert_eq!(
        check(&CandidateFacts::default()),
        Err("no_training_certificate")
    );
    let other_level = CandidateFacts {
        training: vec![held("PX-1", Level::Junior, true)],
        level: vec![],
    };
    assert_eq!(check(&other_level), Err("no_training_certificate"));
    let revoked = CandidateFacts {
        training: vec![held("PX-1", Level::Intermediate, false)],
        level: vec![],
    };
    let refusal = check_candidate(&ai(), Level::Intermediate, &revoked).unwrap_err();
    assert_eq!(refusal.code, "training_certificate_revoked");
    assert!(refusal.message.contains("PX-1"));
}

#[test]
fn a_level_certificate_is_earned_once_per_occupation_and_level() {
    let mut facts = CandidateFacts {
        training: vec![held("PX-1", Level::Intermediate, true)],
        level: vec![held("DJ-9", Level::Intermediate, true)],
    };
    let refusal = check_candidate(&ai(), Level::Intermediate, &facts).unwrap_err();
    assert_eq!(refusal.code, "already_certified");
    assert!(refusal.message.contains("DJ-9"));
    // A revoked level certificate may be earned again.
    facts.level[0].valid = false;
    assert_eq!(check_candidate(&ai(), Level::Intermediate, &facts), Ok(()));
}

#[test]
fn scores_are_0_to_100_with_at_most_one_decimal() {
    let table: [(&str, Result<u16, ScoreError>); 14] = [
        ("85", Ok(850)),
        ("85.5", Ok(855)),
        (" 60.0 ", Ok(600)),
        ("100", Ok(1000)),
        ("0", Ok(0)),
        ("59.90", Ok(599)),
        ("", Err(ScoreError::Missing)),
        ("85.55", Err(ScoreError::TooPrecise)),
        ("100.1", Err(ScoreError::OutOfRange)),
        ("101", Err(ScoreError::OutOfRange)),
        ("-1", Err(ScoreError::NotANumber)),
        ("八十", Err(ScoreError::NotANumber)),
        ("85.", Err(ScoreError::NotANumber)),
        ("99999999999", Err(ScoreError::OutOfRange)),
    ];
    for (text, expected) in table {
        assert_eq!(Score::parse(text).map(Score::tenths), expected, "{text:?}");
    }
    assert_eq!(Score::from_number(85.5).map(Score::tenths), Ok(855));
    assert_eq!(Score::from_number(59.95), Err(ScoreError::TooPrecise));
    assert_eq!(Score::from_number(100.5), Err(ScoreError::OutOfRange));
    assert_eq!(Score::from_number(f64::NAN), Err(ScoreError::NotANumber));
    assert_eq!(Score::parse("85.5").unwrap().to_string(), "85.5");
    assert_eq!(Score::parse("60.0").unwrap().to_string(), "60");
}

#[test]
fn a_candidate_passes_with_theory_and_ability_both_at_their_pass_marks() {
    // 三（二）: 理论知识和专业能力考核，成绩合格的 — settings theory_pass_mark and
    // ability_pass_mark, 60 by default.
    let marks = PassMarks::from_settings(60, 60).unwrap();
    let score = |text| Score::parse(text).unwrap();
    let table = [
        ("60", "60", true, true),
        ("59.9", "90", false, true),
        ("90", "59.9", true, false),
        ("100", "100", true, true),
    ];
    for (theory, ability, theory_passed, ability_passed) in table {
        let result = outcome(score(theory), score(ability), marks);
        assert_eq!(result.theory_passed, theory_passed);
        assert_eq!(result.ability_passed, ability_passed);
        assert_eq!(result.passed(), theory_passed && ability_passed);
    }
    // The settings are data: a stricter ability mark.
    let strict = PassMarks::from_settings(60, 70).unwrap();
    assert!(!outcome(score("80"), score("65"), strict).passed());
    assert_eq!(PassMarks::from_settings(60, 101), None);
    assert_eq!(PassMarks::from_settings(-1, 60), None);
}

fn session(delivery: Delivery, hours: u32) -> SessionPlan {
    SessionPlan {
        date: date(2026, 6, 1),
        start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
        delivery,
        hours,
        teacher: "王老师".to_owned(),
    }
}

/// A ledger of ten 8-hour sessions, `offline` of them offline and attended, the rest online
/// and fully credited.
fn ledger(offline: usize, online: usize) -> HoursLedger {
    let mut sessions = vec![session(Delivery::Offline, 8); offline];
    sessions.extend(vec![session(Delivery::Online, 8); online]);
    let attended = crate::attendance::Punch {
        timing: crate::attendance::Timing::OnTime,
        corrected: false,
    };
    let mut records = vec![
        SessionAttendance::Offline {
            check_in: Some(attended),
            check_out: Some(attended),
        };
        offline
    ];
    records.extend(vec![
        SessionAttendance::Online {
            credited_minutes: 8 * 45
        };
        online
    ]);
    hours_ledger(&sessions, &records, 90, crate::policy::HALF).unwrap()
}

fn training(class_id: i64, completed_on: NaiveDate, ledger: HoursLedger) -> CompletedTraining {
    CompletedTraining {
        class_id,
        occupation: ai(),
        level: Level::Intermediate,
        start_date: completed_on,
        end_date: completed_on,
        completed_on,
        hours: hours::counted_hours(&ledger),
    }
}

#[test]
fn continuing_education_hours_are_the_ledger_hours_counted_in_the_year_of_completion() {
    // 五（二）: 取得的相应学时记入《专业技术人员继续教育证书》，当年度全国有效.
    let trainings = [
        training(3, date(2027, 1, 8), ledger(10, 0)),
        training(1, date(2026, 5, 30), ledger(5, 5)),
        training(2, date(2026, 11, 2), ledger(8, 0)),
    ];
    let years = continuing_education_hours(&trainings);
    assert_eq!(years.len(), 2);
    assert_eq!((years[0].year, years[0].hours), (2026, 80 + 64));
    let classes: Vec<i64> = years[0].trainings.iter().map(|(t, _)| t.class_id).collect();
    assert_eq!(classes, [1, 2]);
    assert_eq!((years[1].year, years[1].hours), (2027, 80));
}

#[test]
fn online_hours_beyond_half_earn_no_continuing_education_hours() {
    // 四（一）: 线上培训课时一般不得超过培训总课时的 50%; the ledger caps the online share.
    let years = continuing_education_hours(&[training(1, date(2026, 6, 1), ledger(2, 8))]);
    assert_eq!(years[0].hours, 16 + 16);
}
