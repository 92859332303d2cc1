//! The authorization rule (SPEC "Who uses it", steps 2–8; MLPS 三权分立), table by table.
#![allow(clippy::unwrap_used)]

use super::*;

const DLUT: i64 = 3;
const NEU: i64 = 4;
const CIE: i64 = 7;
const TRAINEE: i64 = 42;

fn province() -> Principal {
    Principal::new(Role::ProvinceAdmin, None, None, None).unwrap()
}
fn dalian() -> Principal {
    Principal::new(Role::CityAdmin, Some("大连"), None, None).unwrap()
}
fn dlut() -> Principal {
    Principal::new(Role::TrainingInstitution, None, Some(DLUT), None).unwrap()
}
fn cie() -> Principal {
    Principal::new(Role::EvaluationInstitution, None, Some(CIE), None).unwrap()
}
fn trainee() -> Principal {
    Principal::new(Role::Trainee, None, None, Some(TRAINEE)).unwrap()
}
fn inspector() -> Principal {
    Principal::new(Role::Inspector, None, None, None).unwrap()
}
fn auditor() -> Principal {
    Principal::new(Role::Auditor, None, None, None).unwrap()
}

/// A class of DLUT's in 大连 with the trainee enrolled, past approval, examinable by CIE.
fn dalian_class() -> Facts {
    Facts {
        region: Some("大连".into()),
        training_institution: Some(DLUT),
        listed_evaluators: vec![CIE],
        people: vec![TRAINEE],
        ..Facts::default()
    }
}

/// A class of NEU's in 沈阳 that nobody above is bound to.
fn shenyang_class() -> Facts {
    Facts {
        region: Some("沈阳".into()),
        training_institution: Some(NEU),
        ..Facts::default()
    }
}

fn check(cases: &[(Principal, Action, Facts, bool)]) {
    for (principal, action, facts, allowed) in cases {
        assert_eq!(
            authorize(principal, *action, facts).is_ok(),
            *allowed,
            "{:?} {action:?} on {facts:?}",
            principal.role
        );
    }
}

/// SPEC step 2: "subsidised classes need the city's approval": the city of the class's region
/// approves or rejects; the province, another city and the institution do not.
#[test]
fn a_class_is_approved_by_the_city_of_its_region_alone() {
    let shenyang = Principal::new(Role::CityAdmin, Some("沈阳"), None, None).unwrap();
    check(&[
        (dalian(), Action::ApproveClass, dalian_class(), true),
        (dalian(), Action::RejectClass, dalian_class(), true),
        (
            shenyang.clone(),
            Action::ApproveClass,
            dalian_class(),
            false,
        ),
        (shenyang, Action::ApproveClass, shenyang_class(), true),
        (province(), Action::ApproveClass, dalian_class(), false),
        (dlut(), Action::ApproveClass, dalian_class(), false),
        (inspector(), Action::ApproveClass, dalian_class(), false),
    ]);
    let denied = authorize(&province(), Action::ApproveClass, &dalian_class()).unwrap_err();
    assert_eq!(denied.code, "role_not_allowed");
    let denied = authorize(&dalian(), Action::ApproveClass, &shenyang_class()).unwrap_err();
    assert_eq!(denied.code, "other_region");
    assert!(denied.message.contains("沈阳"), "{}", denied.message);
    assert!(!Action::ApproveClass.roles().contains(&Role::ProvinceAdmin));
}

/// SPEC step 2: a class is run by the institution that opened it; another institution may
/// not edit, submit, start, finish, enrol into or correct it.
#[test]
fn only_the_institution_running_a_class_changes_it() {
    let neu = Principal::new(Role::TrainingInstitution, None, Some(NEU), None).unwrap();
    for action in [
        Action::EditClass,
        Action::SubmitClass,
        Action::StartClass,
        Action::FinishClass,
        Action::Enrol,
        Action::ImportRoster,
        Action::UploadDocument,
        Action::ShowCheckInCode,
        Action::CorrectAttendance,
        Action::UploadRecording,
        Action::RegisterRecording,
        Action::RecordCompletion,
        Action::IssueTrainingCertificates,
        Action::ProposeExamPlan,
    ] {
        check(&[
            (dlut(), action, dalian_class(), true),
            (neu.clone(), action, dalian_class(), false),
            (dalian(), action, dalian_class(), false),
            (province(), action, dalian_class(), false),
        ]);
        assert_eq!(
            authorize(&neu, action, &dalian_class()).unwrap_err().code,
            "not_running_institution"
        );
    }
}

/// SPEC "Who uses it": the province and the inspector read everything, a city its region, an
/// institution its own classes, an evaluation institution those it examines, a trainee theirs.
#[test]
fn a_class_is_read_by_everyone_bound_to_it_and_no_one_else() {
    check(&[
        (province(), Action::ReadClass, shenyang_class(), true),
        (inspector(), Action::ReadClass, shenyang_class(), true),
        (dalian(), Action::ReadClass, dalian_class(), true),
        (dalian(), Action::ReadClass, shenyang_class(), false),
        (dlut(), Action::ReadClass, dalian_class(), true),
        (dlut(), Action::ReadClass, shenyang_class(), false),
        (cie(), Action::ReadClass, dalian_class(), true),
        (cie(), Action::ReadClass, shenyang_class(), false),
        (trainee(), Action::ReadClass, dalian_class(), true),
        (trainee(), Action::ReadClass, shenyang_class(), false),
        (trainee(), Action::ReadRoster, dalian_class(), false),
        (auditor(), Action::ReadClass, dalian_class(), false),
    ]);
}

/// SPEC "Who uses it": the inspector reads everything and changes nothing; MLPS 8.1.4.3 c
/// (三权分立): the auditor reads the audit log and nothing else, and no one else reads it.
#[test]
fn the_inspector_only_reads_and_the_auditor_only_reads_the_audit_log() {
    for action in Action::ALL {
        if action.writes() {
            assert!(
                !action.admits(Role::Inspector),
                "the inspector may {action:?}"
            );
        }
        let auditor_may = matches!(action, Action::ReadAuditLog | Action::UseOwnAccount);
        assert_eq!(action.admits(Role::Auditor), auditor_may, "{action:?}");
    }
    assert_eq!(Action::ReadAuditLog.roles(), vec![Role::Auditor]);
    for action in [
        Action::ReadClass,
        Action::ReadRoster,
        Action::ReadRecordings,
        Action::ReadHours,
    ] {
        assert!(action.admits(Role::Inspector), "{action:?}");
    }
}

/// SPEC step 7: a certificate is revoked by the institution that issued it, or the province.
#[test]
fn a_certificate_is_revoked_by_its_issuer_or_the_province() {
    let issued_by_dlut = Facts {
        region: Some("大连".into()),
        training_institution: Some(DLUT),
        issuer: Some(DLUT),
        people: vec![TRAINEE],
        ..Facts::default()
    };
    let issued_by_cie = Facts {
        issuer: Some(CIE),
        ..issued_by_dlut.clone()
    };
    check(&[
        (
            province(),
            Action::RevokeCertificate,
            issued_by_dlut.clone(),
            true,
        ),
        (
            dlut(),
            Action::RevokeCertificate,
            issued_by_dlut.clone(),
            true,
        ),
        (
            dlut(),
            Action::RevokeCertificate,
            issued_by_cie.clone(),
            false,
        ),
        (
            cie(),
            Action::RevokeCertificate,
            issued_by_cie.clone(),
            true,
        ),
        (
            cie(),
            Action::RevokeCertificate,
            issued_by_dlut.clone(),
            false,
        ),
        (
            dalian(),
            Action::RevokeCertificate,
            issued_by_dlut.clone(),
            false,
        ),
        (
            trainee(),
            Action::RevokeCertificate,
            issued_by_dlut.clone(),
            false,
        ),
        // The holder and the holder's training institution print it; the inspector does not.
        (
            trainee(),
            Action::PrintCertificate,
            issued_by_cie.clone(),
            true,
        ),
        (
            dlut(),
            Action::PrintCertificate,
            issued_by_cie.clone(),
            true,
        ),
        (inspector(), Action::PrintCertificate, issued_by_cie, false),
    ]);
    assert_eq!(
        authorize(&cie(), Action::RevokeCertificate, &issued_by_dlut)
            .unwrap_err()
            .code,
        "not_issuer"
    );
}

/// SPEC step 6: the plan's evaluation institution agrees, scores and issues; one merely listed
/// for the occupation does not, and neither does the training institution.
#[test]
fn an_exam_plan_is_decided_by_its_evaluation_institution() {
    let plan = Facts {
        region: Some("大连".into()),
        training_institution: Some(DLUT),
        evaluation_institution: Some(CIE),
        people: vec![TRAINEE],
        ..Facts::default()
    };
    let other = Principal::new(Role::EvaluationInstitution, None, Some(8), None).unwrap();
    let listed_only = Facts {
        evaluation_institution: Some(8),
        listed_evaluators: vec![CIE],
        ..plan.clone()
    };
    for action in [
        Action::AgreeExamPlan,
        Action::DeclineExamPlan,
        Action::RecordScores,
        Action::IssueLevelCertificates,
    ] {
        check(&[
            (cie(), action, plan.clone(), true),
            (other.clone(), action, plan.clone(), false),
            (cie(), action, listed_only.clone(), false),
            (dlut(), action, plan.clone(), false),
        ]);
    }
    check(&[
        (trainee(), Action::ReadExamPlan, plan.clone(), true),
        (other, Action::ReadExamPlan, plan, false),
    ]);
}

/// SPEC step 4: a trainee checks in and learns in their own classes only.
#[test]
fn a_trainee_checks_in_and_learns_only_in_their_own_classes() {
    for action in [
        Action::CheckIn,
        Action::Heartbeat,
        Action::AnswerPresenceCheck,
        Action::LearnOnline,
    ] {
        check(&[
            (trainee(), action, dalian_class(), true),
            (trainee(), action, shenyang_class(), false),
            (dlut(), action, dalian_class(), false),
        ]);
        assert_eq!(action.roles(), vec![Role::Trainee]);
    }
}

/// A record-bound grant never passes on a list's empty facts, and a person is in reach when
/// one of their classes is (the store's `person_in_scope`).
#[test]
fn empty_facts_allow_only_unconditional_grants_and_any_of_a_persons_classes_will_do() {
    check(&[
        (dlut(), Action::ListClasses, Facts::default(), true),
        (dlut(), Action::EditClass, Facts::default(), false),
        (dalian(), Action::ReadClass, Facts::default(), false),
        (trainee(), Action::CheckIn, Facts::default(), false),
    ]);
    let classes = [shenyang_class(), dalian_class()];
    assert!(authorize_any(&dalian(), Action::ReadPerson, &classes).is_ok());
    assert!(authorize_any(&dalian(), Action::ReadPerson, &classes[..1]).is_err());
    assert!(authorize_any(&dalian(), Action::ReadPerson, &[]).is_err());
}

/// The router asks `roles()`: each is exactly the roles whose grant is not `Never`, and every
/// action is open to someone.
#[test]
fn the_roles_of_an_action_are_those_some_record_would_allow() {
    for action in Action::ALL {
        let roles = action.roles();
        assert!(!roles.is_empty(), "{action:?} is open to no one");
        for role in Role::ALL {
            assert_eq!(
                roles.contains(&role),
                grant(role, action) != Grant::Never,
                "{action:?} {role:?}"
            );
        }
    }
}

/// Every refusal says why in Chinese with a stable code.
#[test]
fn every_refusal_has_a_stable_code_and_a_chinese_sentence() {
    for action in Action::ALL {
        for principal in [
            province(),
            dalian(),
            dlut(),
            cie(),
            trainee(),
            inspector(),
            auditor(),
        ] {
            if let Err(denied) = authorize(&principal, action, &shenyang_class()) {
                assert!(!denied.code.is_empty());
                assert!(
                    denied
                        .message
                        .chars()
                        .any(|character| ('\u{4e00}'..='\u{9fff}').contains(&character)),
                    "{}",
                    denied.message
                );
            }
        }
    }
}

/// SPEC "Personal data ... masked on screens that don't need it in full": the roster leaves in
/// full only with the institution running the class and the city of its region, who file it.
#[test]
fn a_roster_is_exported_in_full_only_by_those_who_file_it() {
    check(&[
        (dlut(), Action::RevealRoster, dalian_class(), true),
        (dlut(), Action::RevealRoster, shenyang_class(), false),
        (dalian(), Action::RevealRoster, dalian_class(), true),
        (dalian(), Action::RevealRoster, shenyang_class(), false),
        (province(), Action::RevealRoster, dalian_class(), false),
        (inspector(), Action::RevealRoster, dalian_class(), false),
        (cie(), Action::RevealRoster, dalian_class(), false),
    ]);
    assert!(Action::ReadRoster.admits(Role::ProvinceAdmin));
}

/// SPEC step 9 and issue 13: the institution claims for its own class; the city of the class's
/// region reviews, approves, pays and claws back; the province and the inspector read claims
/// and change none; a trainee and an evaluation institution have nothing to do with them.
#[test]
fn a_claim_is_filed_by_the_running_institution_and_decided_by_the_city_of_its_region() {
    use Action::*;
    let mut cases = Vec::new();
    for action in [
        ReviewClaim,
        ApproveClaim,
        ResolveObjection,
        RecordPayment,
        ManageFunds,
        ManageClawbacks,
    ] {
        cases.extend([
            (dalian(), action, dalian_class(), true),
            (dalian(), action, shenyang_class(), false),
            (province(), action, dalian_class(), false),
            (inspector(), action, dalian_class(), false),
            (dlut(), action, dalian_class(), false),
        ]);
    }
    cases.extend([
        (dlut(), FileClaim, dalian_class(), true),
        (dlut(), FileClaim, shenyang_class(), false),
        (dalian(), FileClaim, dalian_class(), false),
        (dlut(), ReadClaim, dalian_class(), true),
        (dalian(), ReadClaim, dalian_class(), true),
        (dalian(), ReadClaim, shenyang_class(), false),
        (province(), ReadClaim, shenyang_class(), true),
        (inspector(), ReadClaim, shenyang_class(), true),
        (trainee(), ReadClaim, dalian_class(), false),
        (cie(), ReadClaim, dalian_class(), false),
        (province(), ReadFunds, shenyang_class(), true),
        (dalian(), ReadFunds, dalian_class(), true),
        (dlut(), ReadFunds, dalian_class(), false),
        (trainee(), ReadFunds, dalian_class(), false),
        (auditor(), ListClaims, Facts::default(), false),
        (trainee(), ListClaims, Facts::default(), false),
    ]);
    check(&cases);
}

/// Issue 13 item 2: every account but the auditor reads the holiday calendar; only the province
/// adds or changes a day.
#[test]
fn the_holiday_calendar_is_read_by_every_account_and_kept_by_the_province() {
    use Action::*;
    let mut cases = Vec::new();
    for principal in [province(), dalian(), dlut(), cie(), trainee(), inspector()] {
        cases.push((principal.clone(), ReadCalendar, Facts::default(), true));
        let province = principal.role == Role::ProvinceAdmin;
        cases.push((principal, EditCalendar, Facts::default(), province));
    }
    cases.push((auditor(), ReadCalendar, Facts::default(), false));
    cases.push((auditor(), EditCalendar, Facts::default(), false));
    check(&cases);
    assert_eq!(EditCalendar.roles(), vec![Role::ProvinceAdmin]);
}

/// The plan's 七（二） (抽查检查) and issue 14 items 3–4: the city of a region keeps its item list,
/// draws, records and signs off its inspections; the province and the inspector (纪检) read
/// every region's and change nothing; institutions, trainees and the auditor have no part.
#[test]
fn inspections_are_kept_by_the_city_of_their_region_and_read_by_the_province_and_inspector() {
    use Action::*;
    let mut cases = Vec::new();
    for action in [
        ManageInspectionItems,
        DeclareConflict,
        DrawInspections,
        RecordInspection,
        SignOffInspection,
    ] {
        cases.extend([
            (dalian(), action, dalian_class(), true),
            (dalian(), action, shenyang_class(), false),
            (province(), action, dalian_class(), false),
            (inspector(), action, dalian_class(), false),
            (dlut(), action, dalian_class(), false),
            (trainee(), action, dalian_class(), false),
        ]);
        assert!(action.writes(), "{action:?}");
    }
    cases.extend([
        (dalian(), ReadInspection, dalian_class(), true),
        (dalian(), ReadInspection, shenyang_class(), false),
        (province(), ReadInspection, shenyang_class(), true),
        (inspector(), ReadInspection, shenyang_class(), true),
        (dlut(), ReadInspection, dalian_class(), false),
        (cie(), ReadInspection, dalian_class(), false),
        (trainee(), ReadInspection, dalian_class(), false),
        (auditor(), ReadInspection, dalian_class(), false),
        (dalian(), ListInspections, Facts::default(), true),
        (inspector(), ListInspections, Facts::default(), true),
        (dlut(), ListInspections, Facts::default(), false),
        (auditor(), ListInspections, Facts::default(), false),
    ]);
    check(&cases);
    assert!(!ReadInspection.writes() && !ListInspections.writes());
}

/// SPEC step 10 and issue 14 items 5-7: the city of the region reviews flags, records
/// violations, resolves complaints and imposes sanctions; the province imposes too; the
/// inspector (纪检) reads and changes nothing; trainees, evaluation institutions and the auditor
/// see none of it.
#[test]
fn sanctions_are_decided_by_the_city_of_the_region_or_the_province_and_read_by_the_inspector() {
    use Action::*;
    let mut cases = Vec::new();
    for action in [
        ReviewFlag,
        RecordViolation,
        ImposeSanction,
        ResolveComplaint,
    ] {
        cases.extend([
            (dalian(), action, dalian_class(), true),
            (dalian(), action, shenyang_class(), false),
            (inspector(), action, dalian_class(), false),
            (dlut(), action, dalian_class(), false),
            (auditor(), action, dalian_class(), false),
        ]);
    }
    cases.extend([
        (province(), ImposeSanction, shenyang_class(), true),
        (province(), ReviewFlag, shenyang_class(), false),
        (province(), ResolveComplaint, shenyang_class(), false),
        (inspector(), ReadSupervision, Facts::default(), true),
        (province(), ReadSupervision, Facts::default(), true),
        (dalian(), ReadSupervision, Facts::default(), true),
        (dlut(), ReadSupervision, Facts::default(), true),
        (trainee(), ReadSupervision, Facts::default(), false),
        (cie(), ReadSupervision, Facts::default(), false),
        (auditor(), ReadSupervision, Facts::default(), false),
    ]);
    check(&cases);
    assert!(!ReadSupervision.writes() && ImposeSanction.writes());
}
