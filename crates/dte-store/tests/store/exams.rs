//! The level evaluation story of storage: exam plans seen inside their scope, one live plan per
//! class, state changes only from the state read, score sheets all or nothing, level
//! certificates issued once to those who passed, every write audited. Every test runs on both backends.

use crate::classes::{actor, applicant, institution, plan};
use chrono::NaiveDate;
use dte_domain::certificate::{NumberPattern, SignedFields};
use dte_domain::evaluation::{ExamPlanStatus, Score};
use dte_domain::{Level, OccupationCode, Scope};
use dte_store::testing::fresh_database;
use dte_store::{
    AuditFilter, Backend, CandidateResult, CertificateDetails, CertificateFilter,
    CertificateSignature, ExamPlanFilter, NewCandidate, NewCertificate, NewExamPlan, StoreError,
};

macro_rules! story {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name(dte_store::Backend::Sqlite).await }
            #[tokio::test]
            async fn postgres() { super::$name(dte_store::Backend::Postgres).await }
        }
    )*};
}

story!(an_exam_plan_goes_from_proposal_to_certificates_all_audited);

/// A stand-in signer (the real signature is tested in dte-web with an independent verifier).
fn sign(fields: &SignedFields) -> Result<CertificateSignature, ()> {
    Ok(CertificateSignature {
        signature: fields.number.clone(),
        key_id: "test-key".into(),
    })
}

fn score(text: &str) -> Score {
    Score::parse(text).unwrap()
}

async fn an_exam_plan_goes_from_proposal_to_certificates_all_audited(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(actor().at).await.unwrap();
    let neu = institution(store, "东北大学").await;
    let evaluator = institution(store, "工业和信息化部电子工业标准化研究院").await;
    let class = store
        .create_class(&plan(neu, "沈阳", 5), &actor())
        .await
        .unwrap();
    let enrolled = store
        .enrol(
            class,
            &[
                applicant("a", "甲"),
                applicant("b", "乙"),
                applicant("c", "丙"),
            ],
            &actor(),
            |_, _, _| Ok::<bool, ()>(false),
        )
        .await
        .unwrap()
        .unwrap();
    let new_plan = NewExamPlan {
        class_id: class,
        training_institution_id: neu,
        evaluation_institution_id: evaluator,
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        level: Level::Intermediate,
        exam_date: NaiveDate::from_ymd_opt(2027, 2, 1).unwrap(),
        candidates: enrolled
            .iter()
            .map(|written| NewCandidate {
                person_id: written.person_id,
                enrolment_id: written.enrolment_id,
                training_certificate_number: Some(format!("PX-{}", written.person_id)),
            })
            .collect(),
    };
    let id = store.propose_exam_plan(&new_plan, &actor()).await.unwrap();
    // One live plan per class.
    let again = store.propose_exam_plan(&new_plan, &actor()).await;
    assert!(
        matches!(&again, Err(StoreError::Constraint { constraint })
            if constraint == "exam_plans_one_live_per_class"),
        "{again:?}"
    );

    // Scope: both institutions, the class's city, the candidates; not another city or
    // institution.
    let sees = |scope: Scope| async move {
        store
            .exam_plan_in_scope(&scope, id)
            .await
            .unwrap()
            .is_some()
    };
    assert!(sees(Scope::Province).await);
    assert!(sees(Scope::Institution(neu)).await);
    assert!(sees(Scope::Institution(evaluator)).await);
    assert!(sees(Scope::Region("沈阳".into())).await);
    assert!(sees(Scope::Person(enrolled[0].person_id)).await);
    assert!(!sees(Scope::Region("大连".into())).await);
    assert!(!sees(Scope::Institution(evaluator + 1000)).await);
    assert!(!sees(Scope::Nothing).await);
    let listed = store
        .exam_plans_in_scope(&Scope::Institution(evaluator), &ExamPlanFilter::default())
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].status, ExamPlanStatus::Proposed);
    assert_eq!(listed[0].candidates, 3);
    assert_eq!(
        listed[0].evaluation_institution_name,
        "工业和信息化部电子工业标准化研究院"
    );

    // Agreed once: a second decision from "proposed" is a conflict.
    let (proposed, agreed) = (ExamPlanStatus::Proposed, ExamPlanStatus::Agreed);
    store
        .change_exam_plan_status(id, proposed, agreed, None, "agree", &actor())
        .await
        .unwrap();
    let late = store
        .change_exam_plan_status(
            id,
            proposed,
            ExamPlanStatus::Declined,
            Some("x"),
            "decline",
            &actor(),
        )
        .await;
    assert!(matches!(late, Err(StoreError::Conflict)));

    // A score sheet naming a stranger writes nothing.
    let passed = CandidateResult::Sat {
        theory: score("85.5"),
        ability: score("60"),
        passed: true,
    };
    let failed = CandidateResult::Sat {
        theory: score("59.9"),
        ability: score("90"),
        passed: false,
    };
    let (a, b, c) = (
        enrolled[0].person_id,
        enrolled[1].person_id,
        enrolled[2].person_id,
    );
    let stranger = store
        .record_exam_scores(id, agreed, &[(a, passed), (a + 1000, failed)], &actor())
        .await;
    assert!(matches!(stranger, Err(StoreError::NotFound)));
    let untouched = store.exam_candidates(id).await.unwrap();
    assert!(untouched.iter().all(|candidate| candidate.result.is_none()));
    store
        .record_exam_scores(
            id,
            agreed,
            &[(a, passed), (b, failed), (c, CandidateResult::Absent)],
            &actor(),
        )
        .await
        .unwrap();
    let candidates = store.exam_candidates(id).await.unwrap();
    let results: Vec<_> = candidates
        .iter()
        .map(|candidate| candidate.result)
        .collect();
    assert_eq!(
        results,
        [Some(passed), Some(failed), Some(CandidateResult::Absent)]
    );
    assert_eq!(candidates[0].name, "甲");
    assert_eq!(
        candidates[0].training_certificate_number.as_deref(),
        Some(format!("PX-{a}").as_str())
    );
    let row = store
        .exam_plan_in_scope(&Scope::Province, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((row.status, row.passed), (ExamPlanStatus::ScoresEntered, 1));

    // Level certificates only for those who passed, once, numbered on the candidate's line
    // and moving the plan to certificates issued in the same transaction.
    let level = |person: i64| NewCertificate {
        number: None,
        person_id: person,
        holder_name: "甲".into(),
        issuer_institution_id: evaluator,
        issuer_name: "工业和信息化部电子工业标准化研究院".into(),
        region: "沈阳".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        occupation_name: "人工智能工程技术人员".into(),
        direction: None,
        level: Level::Intermediate,
        issued_on: NaiveDate::from_ymd_opt(2027, 3, 1).unwrap(),
        details: CertificateDetails::Level {
            id_kind: "居民身份证".into(),
            photo_document_id: None,
            exam_id: Some(id),
            class_id: Some(class),
            training_institution_id: Some(neu),
        },
    };
    let pattern = NumberPattern::parse("DJ-{seq:4}").unwrap();
    let refused = store
        .issue_certificates(&[level(a), level(b)], Some(&pattern), &actor(), sign)
        .await;
    assert!(matches!(refused, Err(StoreError::Conflict)), "{refused:?}");
    let none = store
        .certificates_in_scope(&Scope::Province, &CertificateFilter::default())
        .await
        .unwrap();
    assert!(none.is_empty(), "a refused batch writes nothing");
    let issued = store
        .issue_certificates(&[level(a)], Some(&pattern), &actor(), sign)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        issued[0].number, "DJ-0001",
        "the refused batch left no number behind"
    );
    let again = store
        .issue_certificates(&[level(a)], Some(&pattern), &actor(), sign)
        .await;
    assert!(
        matches!(again, Err(StoreError::Constraint { .. })),
        "one level certificate per candidate and exam: {again:?}"
    );
    let row = store
        .exam_plan_in_scope(&Scope::Province, id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.status, ExamPlanStatus::CertificatesIssued);
    let candidates = store.exam_candidates(id).await.unwrap();
    assert_eq!(
        candidates[0].level_certificate_number.as_deref(),
        Some("DJ-0001")
    );
    assert_eq!(candidates[1].level_certificate_number, None);

    let audit = store
        .audit_entries(
            &AuditFilter {
                entity: Some("exam_plan".into()),
                ..AuditFilter::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    let mut actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    actions.sort_unstable();
    assert_eq!(
        actions,
        [
            "exam_plan.agree",
            "exam_plan.issue",
            "exam_plan.propose",
            "exam_plan.scores"
        ]
    );
}
