//! Certificates in storage (the certificate schema, issue 6 items 1, 2 and 4): completion
//! results, numbering by the institution's pattern with province-wide unique numbers, batches
//! issued all or nothing with a signature each, both kinds (training and level), lists by
//! scope, revocation with reason and date, seals; every write audited. Both backends.

use crate::classes::{actor, applicant, institution, plan};
use chrono::NaiveDate;
use dte_domain::certificate::{
    CertificateKind, CertificateStatus, NumberPattern, RevocationReason, SignedFields,
};
use dte_domain::{Level, OccupationCode, Scope};
use dte_store::testing::fresh_database;
use dte_store::{
    AuditFilter, Backend, CertificateDetails, CertificateFilter, CertificateSignature,
    IssueRefusal, NewCertificate, NewCompletionResult, Store, StoreError,
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

story!(
    completion_results_are_recorded_replaced_and_audited,
    a_class_is_certified_in_one_numbered_signed_batch,
    a_batch_with_a_used_number_writes_nothing,
    level_certificates_carry_the_evaluation_institution_and_the_exam,
    certificates_are_listed_inside_their_scope_newest_first,
    a_certificate_is_revoked_once_with_reason_and_date,
    patterns_and_seals_are_kept_per_institution,
);

/// A class of 沈阳 by 东北大学 with `people` trainees: (class id, institution id, persons).
async fn class_with_people(store: &Store, people: usize) -> (i64, i64, Vec<i64>) {
    store.load_bundled_reference(actor().at).await.unwrap();
    let neu = institution(store, "东北大学").await;
    let class = store
        .create_class(&plan(neu, "沈阳", 50), &actor())
        .await
        .unwrap();
    let applicants: Vec<_> = (0..people)
        .map(|n| applicant(&format!("cert-{n}"), &format!("学员{n}")))
        .collect();
    let enrolled = store
        .enrol(class, &applicants, &actor(), |_, _, _| {
            Ok::<bool, ()>(false)
        })
        .await
        .unwrap()
        .unwrap();
    (class, neu, enrolled.iter().map(|e| e.person_id).collect())
}

fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).unwrap()
}

fn training(class: i64, institution: i64, person: i64) -> NewCertificate {
    NewCertificate {
        number: None,
        person_id: person,
        holder_name: format!("学员{person}"),
        issuer_institution_id: institution,
        issuer_name: "东北大学".into(),
        region: "沈阳".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        occupation_name: "人工智能工程技术人员".into(),
        direction: None,
        level: Level::Intermediate,
        issued_on: date(1, 20),
        details: CertificateDetails::Training {
            class_id: class,
            start_date: date(1, 10),
            end_date: date(1, 10),
            hours: 4,
        },
    }
}

/// A stand-in signer: the canonical form's length and the number, so the test sees what was
/// signed. The real signature is tested in dte-web with an independent verifier.
fn sign(fields: &SignedFields) -> Result<CertificateSignature, ()> {
    Ok(CertificateSignature {
        signature: format!("{}:{}", fields.number, fields.canonical().len()),
        key_id: "test-key".into(),
    })
}

async fn completion_results_are_recorded_replaced_and_audited(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, _, people) = class_with_people(store, 2).await;
    let results = [
        NewCompletionResult {
            person_id: people[0],
            passed: true,
            score: Some(88),
            remark: None,
        },
        NewCompletionResult {
            person_id: people[1],
            passed: false,
            score: Some(41),
            remark: Some("实操未完成".into()),
        },
    ];
    store
        .record_completion_results(class, &results, &actor())
        .await
        .unwrap();
    // The second trainee retakes and passes: the result is replaced, the old one audited.
    let retake = [NewCompletionResult {
        person_id: people[1],
        passed: true,
        score: Some(75),
        remark: Some("补考通过".into()),
    }];
    store
        .record_completion_results(class, &retake, &actor())
        .await
        .unwrap();
    let stored = store.completion_results(class).await.unwrap();
    assert_eq!(stored.len(), 2);
    assert!(stored.iter().all(|row| row.passed));
    assert_eq!(stored[1].score, Some(75));
    assert_eq!(stored[1].remark.as_deref(), Some("补考通过"));
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("completion.record".into()),
                ..AuditFilter::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 3);
    assert!(audit.iter().any(|entry| {
        entry
            .before_json
            .as_deref()
            .is_some_and(|before| before.contains("实操未完成"))
    }));
    // A score above 100 is refused by the schema.
    let wrong = [NewCompletionResult {
        person_id: people[0],
        passed: true,
        score: Some(101),
        remark: None,
    }];
    assert!(matches!(
        store
            .record_completion_results(class, &wrong, &actor())
            .await,
        Err(StoreError::Constraint { .. })
    ));
}

async fn a_class_is_certified_in_one_numbered_signed_batch(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, neu, people) = class_with_people(store, 3).await;
    let pattern = NumberPattern::parse("NEU{year}-{seq:4}").unwrap();
    let batch: Vec<_> = people.iter().map(|&p| training(class, neu, p)).collect();
    let issued = store
        .issue_certificates(&batch, Some(&pattern), &actor(), sign)
        .await
        .unwrap()
        .unwrap();
    let numbers: Vec<_> = issued.iter().map(|row| row.number.as_str()).collect();
    assert_eq!(numbers, ["NEU2027-0001", "NEU2027-0002", "NEU2027-0003"]);
    let first = &issued[0];
    assert_eq!(first.kind(), CertificateKind::Training);
    assert_eq!(first.status, CertificateStatus::Valid);
    assert_eq!(first.holder_id_number_masked, "210102********1234");
    assert_eq!(first.training_institution_id, Some(neu));
    assert_eq!(first.class_id(), Some(class));
    // The stored signature covers the stored fields' canonical form.
    assert_eq!(
        first.signature.signature,
        format!("NEU2027-0001:{}", first.signed_fields().canonical().len())
    );
    assert_eq!(first.signed_fields().hours, Some(4));
    let found = store
        .certificate_by_number(" NEU2027-0002 ")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.person_id, people[1]);
    assert!(
        store
            .certificate_by_number("NEU2027-9999")
            .await
            .unwrap()
            .is_none()
    );
    // The same trainee cannot be certified twice for one class; nothing of that batch stays,
    // and its sequence numbers are not used up either.
    let again = store
        .issue_certificates(&batch[..1], Some(&pattern), &actor(), sign)
        .await;
    assert!(
        matches!(&again, Err(StoreError::Constraint { constraint }) if constraint.contains("certificates")),
        "{again:?}"
    );
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("certificate.issue".into()),
                ..AuditFilter::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 3);
    // Without a pattern and without a given number, nothing is issued.
    let (other_class, _, others) = {
        let class = store
            .create_class(&plan(neu, "沈阳", 50), &actor())
            .await
            .unwrap();
        let enrolled = store
            .enrol(
                class,
                &[applicant("cert-x", "学员X")],
                &actor(),
                |_, _, _| Ok::<bool, ()>(false),
            )
            .await
            .unwrap()
            .unwrap();
        (class, (), vec![enrolled[0].person_id])
    };
    let refused = store
        .issue_certificates(
            &[training(other_class, neu, others[0])],
            None,
            &actor(),
            sign,
        )
        .await
        .unwrap();
    assert!(matches!(refused, Err(IssueRefusal::NoNumberPattern { .. })));
    // The next certificate continues the year's sequence.
    let next = store
        .issue_certificates(
            &[training(other_class, neu, others[0])],
            Some(&pattern),
            &actor(),
            sign,
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(next[0].number, "NEU2027-0004");
}

async fn a_batch_with_a_used_number_writes_nothing(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, neu, people) = class_with_people(store, 3).await;
    let mut first = training(class, neu, people[0]);
    first.number = Some("SAME-0001".into());
    store
        .issue_certificates(&[first.clone()], None, &actor(), sign)
        .await
        .unwrap()
        .unwrap();
    let mut second = training(class, neu, people[1]);
    second.number = Some("OTHER-0001".into());
    let mut clash = training(class, neu, people[2]);
    clash.number = Some("SAME-0001".into());
    // Province-wide: the used number fails the whole batch, the first of it included.
    let outcome = store
        .issue_certificates(&[second, clash], None, &actor(), sign)
        .await;
    assert!(
        matches!(&outcome, Err(StoreError::Constraint { constraint }) if constraint.contains("number")),
        "{outcome:?}"
    );
    assert!(
        store
            .certificate_by_number("OTHER-0001")
            .await
            .unwrap()
            .is_none()
    );
    // A failing signer stops the batch too.
    let mut unsigned = training(class, neu, people[1]);
    unsigned.number = Some("UNSIGNED-1".into());
    let refused = store
        .issue_certificates(&[unsigned], None, &actor(), |_| Err("no key"))
        .await
        .unwrap();
    assert!(matches!(refused, Err(IssueRefusal::Signing("no key"))));
    assert!(
        store
            .certificate_by_number("UNSIGNED-1")
            .await
            .unwrap()
            .is_none()
    );
}

async fn level_certificates_carry_the_evaluation_institution_and_the_exam(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, neu, people) = class_with_people(store, 1).await;
    let evaluator = institution(store, "中国机械工程学会").await;
    let pattern = NumberPattern::parse("CMES{year}{seq:6}").unwrap();
    let level = NewCertificate {
        number: None,
        person_id: people[0],
        holder_name: "学员0".into(),
        issuer_institution_id: evaluator,
        issuer_name: "中国机械工程学会".into(),
        region: "沈阳".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        occupation_name: "人工智能工程技术人员".into(),
        direction: Some("机器学习".into()),
        level: Level::Intermediate,
        issued_on: date(3, 1),
        details: CertificateDetails::Level {
            id_kind: "居民身份证".into(),
            photo_document_id: None,
            exam_id: None,
            class_id: Some(class),
            training_institution_id: Some(neu),
        },
    };
    let issued = store
        .issue_certificates(std::slice::from_ref(&level), Some(&pattern), &actor(), sign)
        .await
        .unwrap()
        .unwrap();
    let row = &issued[0];
    assert_eq!(row.number, "CMES2027000001");
    assert_eq!(row.kind(), CertificateKind::Level);
    assert_eq!(row.issuer_name, "中国机械工程学会");
    assert_eq!(row.details, level.details);
    let fields = row.signed_fields();
    assert_eq!(fields.id_kind.as_deref(), Some("居民身份证"));
    assert_eq!((fields.start, fields.hours), (None, None));
    // The evaluation institution and the training institution both see it.
    let filter = CertificateFilter {
        kind: Some(CertificateKind::Level),
        limit: 10,
        ..CertificateFilter::default()
    };
    for scope in [Scope::Institution(evaluator), Scope::Institution(neu)] {
        let seen = store.certificates_in_scope(&scope, &filter).await.unwrap();
        assert_eq!(seen.len(), 1, "{scope:?}");
    }
}

async fn certificates_are_listed_inside_their_scope_newest_first(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, neu, people) = class_with_people(store, 3).await;
    let pattern = NumberPattern::parse("NEU-{seq:3}").unwrap();
    let batch: Vec<_> = people.iter().map(|&p| training(class, neu, p)).collect();
    store
        .issue_certificates(&batch, Some(&pattern), &actor(), sign)
        .await
        .unwrap()
        .unwrap();
    let all = CertificateFilter {
        limit: 50,
        ..CertificateFilter::default()
    };
    let numbers = |rows: Vec<dte_store::CertificateRow>| -> Vec<String> {
        rows.into_iter().map(|row| row.number).collect()
    };
    let province = store
        .certificates_in_scope(&Scope::Province, &all)
        .await
        .unwrap();
    assert_eq!(numbers(province), ["NEU-003", "NEU-002", "NEU-001"]);
    let shenyang = Scope::Region("沈阳".into());
    assert_eq!(
        store
            .certificates_in_scope(&shenyang, &all)
            .await
            .unwrap()
            .len(),
        3
    );
    let dalian = Scope::Region("大连".into());
    assert!(
        store
            .certificates_in_scope(&dalian, &all)
            .await
            .unwrap()
            .is_empty()
    );
    let other = institution(store, "大连理工大学").await;
    assert!(
        store
            .certificates_in_scope(&Scope::Institution(other), &all)
            .await
            .unwrap()
            .is_empty()
    );
    let mine = store
        .certificates_in_scope(&Scope::Person(people[1]), &all)
        .await
        .unwrap();
    assert_eq!(numbers(mine), ["NEU-002"]);
    assert!(
        store
            .certificates_in_scope(&Scope::Nothing, &all)
            .await
            .unwrap()
            .is_empty()
    );
    // Pages: two, then the rest below the cursor.
    let page = CertificateFilter {
        limit: 2,
        ..CertificateFilter::default()
    };
    let first = store
        .certificates_in_scope(&Scope::Province, &page)
        .await
        .unwrap();
    assert_eq!(first.len(), 2);
    let rest = store
        .certificates_in_scope(
            &Scope::Province,
            &CertificateFilter {
                before_id: Some(first[1].id),
                ..page
            },
        )
        .await
        .unwrap();
    assert_eq!(numbers(rest), ["NEU-001"]);
    let training_only = CertificateFilter {
        kind: Some(CertificateKind::Level),
        ..all.clone()
    };
    assert!(
        store
            .certificates_in_scope(&Scope::Province, &training_only)
            .await
            .unwrap()
            .is_empty()
    );
    // By number, within scope only.
    assert!(
        store
            .certificate_in_scope(&shenyang, "NEU-001")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        store
            .certificate_in_scope(&dalian, "NEU-001")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .certificate_in_scope(&Scope::Person(people[0]), "NEU-002")
            .await
            .unwrap()
            .is_none()
    );
}

async fn a_certificate_is_revoked_once_with_reason_and_date(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, neu, people) = class_with_people(store, 1).await;
    let pattern = NumberPattern::parse("NEU-{seq:3}").unwrap();
    store
        .issue_certificates(
            &[training(class, neu, people[0])],
            Some(&pattern),
            &actor(),
            sign,
        )
        .await
        .unwrap()
        .unwrap();
    let reason = RevocationReason::parse("考勤记录造假").unwrap();
    let revoked = store
        .revoke_certificate("NEU-001", &reason, date(2, 1), &actor())
        .await
        .unwrap();
    assert_eq!(revoked.status, CertificateStatus::Revoked);
    let revocation = revoked.revocation.unwrap();
    assert_eq!(
        (revocation.on, revocation.reason.as_str()),
        (date(2, 1), "考勤记录造假")
    );
    // Shown at once to whoever looks it up.
    let found = store
        .certificate_by_number("NEU-001")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(found.status, CertificateStatus::Revoked);
    assert!(matches!(
        store
            .revoke_certificate("NEU-001", &reason, date(2, 2), &actor())
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store
            .revoke_certificate("NEU-404", &reason, date(2, 2), &actor())
            .await,
        Err(StoreError::NotFound)
    ));
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("certificate.revoke".into()),
                ..AuditFilter::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert!(
        audit[0]
            .after_json
            .as_deref()
            .unwrap()
            .contains("考勤记录造假")
    );
}

async fn patterns_and_seals_are_kept_per_institution(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(actor().at).await.unwrap();
    let neu = institution(store, "东北大学").await;
    let dlut = institution(store, "大连理工大学").await;
    assert_eq!(store.certificate_number_pattern(neu).await.unwrap(), None);
    let pattern = NumberPattern::parse("NEU{year}-{seq:5}").unwrap();
    store
        .set_certificate_number_pattern(neu, &pattern, &actor())
        .await
        .unwrap();
    let changed = NumberPattern::parse("NEUPX{year}-{seq:5}").unwrap();
    store
        .set_certificate_number_pattern(neu, &changed, &actor())
        .await
        .unwrap();
    assert_eq!(
        store
            .certificate_number_pattern(neu)
            .await
            .unwrap()
            .as_deref(),
        Some("NEUPX{year}-{seq:5}")
    );
    // Another institution may not take the same pattern.
    assert!(matches!(
        store
            .set_certificate_number_pattern(dlut, &changed, &actor())
            .await,
        Err(StoreError::Constraint { .. })
    ));
    assert!(store.institution_seal(neu).await.unwrap().is_none());
    let png = b"\x89PNG\r\n\x1a\nfake".to_vec();
    store
        .set_institution_seal(neu, &png, "abc", &actor())
        .await
        .unwrap();
    let seal = store.institution_seal(neu).await.unwrap().unwrap();
    assert_eq!((seal.content, seal.sha256.as_str()), (png, "abc"));
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("certificate_pattern.set".into()),
                ..AuditFilter::default()
            },
            None,
            100,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
}
