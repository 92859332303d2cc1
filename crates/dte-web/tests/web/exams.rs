//! Level evaluation and continuing-education hours through the API (issue 6 items 3 and 6):
//! an exam plan proposed for a finished class with the training certificate holders as
//! candidates, refusals named by rule, the evaluation institution's agreement, scores as JSON
//! and from the .xlsx sheet (all or nothing), and a trainee's hours per year as JSON and .xlsx.

use crate::helpers::{TEST_PASSWORD, TestApp, test_now};
use chrono::NaiveDate;
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Phone, ResidentId, Role, TraineeCategory};
use dte_store::{
    Actor, Applicant, CertificateDetails, CertificateSignature, NewCertificate, NewClass,
    NewEnrolment, NewPerson, NewUser,
};
use reqwest::Method;
use serde_json::json;

both_backends!(
    exam_plans_are_proposed_agreed_scored_and_certified_on_pages,
    an_exam_plan_goes_from_proposal_to_scores_with_each_refusal_named,
    a_trainee_sees_their_continuing_education_hours_per_year,
    a_score_sheet_bomb_is_refused_with_the_limit_it_exceeds,
);

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn actor() -> Actor {
    Actor::system(test_now())
}

/// A 人工智能 中级 class of 大连理工大学 that ran in October 2026, in `status`.
async fn class(app: &TestApp, status: ClassStatus) -> i64 {
    let store = &app.database.store;
    let institution = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let day = date(2026, 10, 19);
    let new = NewClass {
        institution_id: institution,
        region: "大连".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: None,
        level: Level::Intermediate,
        funding: Funding::Market,
        title: "人工智能中级 2026年第9期".into(),
        venue_address: "大连市甘井子区凌工路2号".into(),
        venue_lat: 38.88,
        venue_lon: 121.53,
        fence_json: r#"{"circle":{"lat":38.88,"lon":121.53,"radius_m":300}}"#.into(),
        start_date: date(2026, 10, 10),
        end_date: day,
        capacity: 30,
        sessions: vec![SessionPlan {
            date: day,
            start: chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
            end: chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
            delivery: Delivery::Offline,
            hours: 80,
            teacher: "王老师".into(),
        }],
    };
    let id = store.create_class(&new, &actor()).await.unwrap();
    if status != ClassStatus::Draft {
        store
            .change_class_status(id, ClassStatus::Draft, status, None, "test", &actor())
            .await
            .unwrap();
    }
    id
}

/// An applicant whose ID number (a valid one, numbered `sequence`) the server can reveal, as
/// the level certificate prints it.
fn applicant(app: &TestApp, sequence: u32, name: &str) -> Applicant {
    let today = date(2026, 11, 1);
    Applicant {
        person: NewPerson::protect(
            &app.keyring,
            name,
            &ResidentId::parse(&crate::classes::id_number(sequence), today).unwrap(),
            &Phone::parse(&format!("1380000{sequence:04}")).unwrap(),
        ),
        enrolment: NewEnrolment {
            category: TraineeCategory::InPost,
            employer_or_school: "某公司".into(),
            graduation_year: None,
            subsidy_category: None,
            commitment_signed: false,
        },
        activation: None,
    }
}

/// Enrols 甲, 乙 and 丙 and gives 甲 and 乙 the class's training certificate (80 学时, issued
/// on 2026-10-25); answers their person ids.
async fn trainees_with_certificates(app: &TestApp, class_id: i64) -> Vec<i64> {
    let store = &app.database.store;
    let enrolled = store
        .enrol(
            class_id,
            &[
                applicant(app, 1, "甲"),
                applicant(app, 2, "乙"),
                applicant(app, 3, "丙"),
            ],
            &actor(),
            |_, _, _| Ok::<bool, ()>(false),
        )
        .await
        .unwrap()
        .unwrap();
    let institution = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let certificates: Vec<NewCertificate> = enrolled[..2]
        .iter()
        .enumerate()
        .map(|(index, written)| NewCertificate {
            number: Some(format!("DLUT-2026-{index}")),
            person_id: written.person_id,
            holder_name: ["甲", "乙"][index].into(),
            issuer_institution_id: institution,
            issuer_name: "大连理工大学".into(),
            region: "大连".into(),
            occupation: OccupationCode::parse("2-02-10-09").unwrap(),
            occupation_name: "人工智能工程技术人员".into(),
            direction: None,
            level: Level::Intermediate,
            issued_on: date(2026, 10, 25),
            details: CertificateDetails::Training {
                class_id,
                start_date: date(2026, 10, 10),
                end_date: date(2026, 10, 19),
                hours: 80,
            },
        })
        .collect();
    store
        .issue_certificates(&certificates, None, &actor(), |_| {
            Ok::<_, ()>(CertificateSignature {
                signature: "test".into(),
                key_id: "test".into(),
            })
        })
        .await
        .unwrap()
        .unwrap();
    enrolled.iter().map(|written| written.person_id).collect()
}

/// An account of the evaluation institution listed for 人工智能 (附件6: 工业和信息化部电子工业
/// 标准化研究院); `create_user` binds evaluation accounts to 中国电子学会, listed for 区块链 only.
async fn listed_evaluator(app: &TestApp) -> String {
    let store = &app.database.store;
    let institution = store
        .institution_id_by_name("工业和信息化部电子工业标准化研究院")
        .await
        .unwrap();
    let user = NewUser {
        username: "cesi".into(),
        display_name: "评价机构（测试）".into(),
        role: Role::EvaluationInstitution,
        region: None,
        institution_id: institution,
        person_id: None,
        password_hash: Some(
            dte_crypto::hash_password_with(
                TEST_PASSWORD,
                dte_crypto::PasswordParams::FOR_TESTS_ONLY,
            )
            .unwrap(),
        ),
    };
    store.create_user(&user, test_now()).await.unwrap();
    app.own_token("cesi").await
}

/// Issue 15 item 1: a score sheet whose shared strings expand to 300 MB is refused from its
/// zip headers with the limit it exceeds, and no score is entered.
async fn a_score_sheet_bomb_is_refused_with_the_limit_it_exceeds(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let institution = app.own_token("dlut").await;
    let evaluator = listed_evaluator(&app).await;
    let cesi = app
        .database
        .store
        .institution_id_by_name("工业和信息化部电子工业标准化研究院")
        .await
        .unwrap()
        .unwrap();
    let finished = class(&app, ClassStatus::Finished).await;
    trainees_with_certificates(&app, finished).await;
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(json!({"class_id": finished, "evaluation_institution_id": cesi, "exam_date": "2026-11-27"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();
    let (status, sheet) = app
        .get_bytes(&format!("/api/v1/exam-plans/{id}/scores.xlsx"), &evaluator)
        .await;
    assert_eq!(status, 200);
    let answer = crate::bombs::send_bomb(
        &app,
        Method::POST,
        &format!("/api/v1/exam-plans/{id}/scores.xlsx"),
        &evaluator,
        crate::bombs::xlsx_bomb(&sheet),
    )
    .await;
    crate::bombs::assert_refused(&answer, "workbook_too_large", "32 MB");
    assert!(
        answer.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("成绩单"),
        "{}",
        answer.1
    );
    let (_, plan) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/exam-plans/{id}"),
            &evaluator,
            None,
        )
        .await;
    assert_eq!(plan["status"], "proposed", "{plan}");
}

async fn an_exam_plan_goes_from_proposal_to_scores_with_each_refusal_named(app: TestApp) {
    let store = &app.database.store;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    app.create_user(Role::EvaluationInstitution, "cie").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    let institution = app.own_token("dlut").await;
    let unlisted = app.own_token("cie").await;
    let city = app.own_token("dalian").await;
    let evaluator = listed_evaluator(&app).await;
    let cesi = store
        .institution_id_by_name("工业和信息化部电子工业标准化研究院")
        .await
        .unwrap()
        .unwrap();
    let cie = store
        .institution_id_by_name("中国电子学会")
        .await
        .unwrap()
        .unwrap();

    let running = class(&app, ClassStatus::Running).await;
    let finished = class(&app, ClassStatus::Finished).await;
    let people = trainees_with_certificates(&app, finished).await;
    let propose = |class_id: i64, evaluation: i64, exam_date: &str| json!({"class_id": class_id, "evaluation_institution_id": evaluation, "exam_date": exam_date});

    // 三（二）: the class must be finished, the evaluator listed in 附件6 for the occupation,
    // the exam after the training and not in the past.
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(propose(running, cesi, "2026-12-01")),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["violations"][0]["code"], "class_not_finished");
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(propose(finished, cie, "2026-11-20")),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let codes: Vec<&str> = body["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|violation| violation["code"].as_str().unwrap())
        .collect();
    assert_eq!(
        codes,
        ["evaluation_institution_not_listed", "exam_date_past"]
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("附件6"));
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(propose(finished, cesi, "27-11-2026")),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("exam_date"))
    );
    // An evaluation institution cannot propose.
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &evaluator,
            Some(propose(finished, cesi, "2026-11-27")),
        )
        .await;
    assert_eq!(status, 403);

    // Proposed: only the two holders of the training certificate are candidates.
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(propose(finished, cesi, "2026-11-27")),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let id = body["id"].as_i64().unwrap();
    assert_eq!(body["status"], "proposed");
    assert_eq!(body["candidates"], 2);
    assert_eq!(
        body["candidate_list"][0]["training_certificate_number"],
        "DLUT-2026-0"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/exam-plans",
            &institution,
            Some(propose(finished, cesi, "2026-11-27")),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("exam_plan_exists"))
    );

    // Scope: the city sees it; an evaluation institution not on the plan does not.
    let (status, body) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/exam-plans/{id}"),
            &city,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/exam-plans/{id}/agree"),
            &unlisted,
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/exam-plans/{id}/agree"),
            &institution,
            None,
        )
        .await;
    assert_eq!(status, 403);
    // No scores before the plan is agreed.
    let scores = json!({"scores": [
        {"person_id": people[0], "theory": "85.5", "ability": "60"},
        {"person_id": people[1], "theory": "59.9", "ability": "90"},
    ]});
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/exam-plans/{id}/scores"),
            &evaluator,
            Some(scores.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("exam_plan_state"))
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/exam-plans/{id}/agree"),
            &evaluator,
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("agreed")),
        "{body}"
    );
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/exam-plans/{id}/decline"),
            &evaluator,
            Some(json!({"reason": "晚了"})),
        )
        .await;
    assert_eq!(status, 409);

    // Bad scores write nothing and name each field.
    let bad = json!({"scores": [
        {"person_id": people[0], "theory": "85.55", "ability": "60"},
        {"person_id": people[1], "theory": "101", "ability": ""},
    ]});
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/exam-plans/{id}/scores"),
            &evaluator,
            Some(bad),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let fields: Vec<&str> = body["error"]["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|violation| violation["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        ["scores[0].theory", "scores[1].theory", "scores[1].ability"]
    );
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/exam-plans/{id}/scores"),
            &evaluator,
            Some(json!({"scores": [scores["scores"][0].clone()]})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("rule_violated"))
    );
    assert!(body["error"]["message"].as_str().unwrap().contains("乙"));

    // Pass = theory ≥ 60 and ability ≥ 60 (the settings).
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/exam-plans/{id}/scores"),
            &evaluator,
            Some(scores),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "scores_entered");
    assert_eq!(body["passed"], 1);
    assert_eq!(body["candidate_list"][0]["theory"], "85.5");
    assert_eq!(body["candidate_list"][0]["passed"], true);
    assert_eq!(body["candidate_list"][1]["passed"], false);

    // The sheet as downloaded carries the scores; a corrected sheet imports all or nothing.
    let (status, sheet) = app
        .get_bytes(&format!("/api/v1/exam-plans/{id}/scores.xlsx"), &evaluator)
        .await;
    assert_eq!(status, 200);
    assert_eq!(&sheet[..2], b"PK");
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let page = workbook.add_worksheet();
    for (column, header) in ["考生号", "姓名", "证件号码", "理论知识成绩", "专业能力成绩"]
        .into_iter()
        .enumerate()
    {
        page.write_string(0, column as u16, header).unwrap();
    }
    page.write_string(1, 0, people[0].to_string()).unwrap();
    page.write_string(1, 1, "甲").unwrap();
    page.write_number(1, 3, 70.0).unwrap();
    page.write_number(1, 4, 70.0).unwrap();
    page.write_string(2, 0, people[1].to_string()).unwrap();
    page.write_string(2, 1, "丙").unwrap();
    page.write_number(2, 3, 61.0).unwrap();
    page.write_number(2, 4, 61.0).unwrap();
    let upload = |bytes: Vec<u8>| {
        let evaluator = evaluator.clone();
        let address = app.address.clone();
        async move {
            let response = reqwest::Client::new()
                .post(format!("{address}/api/v1/exam-plans/{id}/scores.xlsx"))
                .bearer_auth(evaluator)
                .header(
                    "content-type",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                )
                .body(bytes)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, body) = upload(workbook.save_to_buffer().unwrap()).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .starts_with("第 3 行 [姓名]"),
        "{body}"
    );
    let (status, unchanged) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/exam-plans/{id}"),
            &evaluator,
            None,
        )
        .await;
    assert_eq!((status, unchanged["passed"].as_i64()), (200, Some(1)));
    page_fix(&mut workbook);
    let (status, body) = upload(workbook.save_to_buffer().unwrap()).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["passed"], 2);

    // The page of exam plans, from each role's home.
    let page = page_text(&app, "/exam-plans", &city).await;
    assert!(
        page.contains("人工智能中级 2026年第9期") && page.contains("已录入成绩"),
        "{page}"
    );
    assert!(
        page_text(&app, "/workbench", &evaluator)
            .await
            .contains("/exam-plans")
    );
    assert!(
        page_text(&app, "/exam-plans", &evaluator)
            .await
            .contains(&format!("/api/v1/exam-plans/{id}/scores.xlsx"))
    );

    // Level certificates: the evaluation institution's numbering pattern first; issued to
    // both who passed in one action, the plan then 已发证; the PDF per 附件4 read back.
    let app_ref = &app;
    let issue = move |token: String| async move {
        app_ref
            .send_json(
                Method::POST,
                &format!("/api/v1/exam-plans/{id}/certificates"),
                &token,
                Some(json!({"issued_on": "2026-11-27"})),
            )
            .await
    };
    let (status, body) = issue(evaluator.clone()).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("pattern")),
        "{body}"
    );
    let (status, _) = issue(institution.clone()).await;
    assert_eq!(
        status, 403,
        "the training institution issues no level certificate"
    );
    let (status, body) = app
        .send_json(
            Method::PUT,
            "/api/v1/institution/certificate-pattern",
            &evaluator,
            Some(json!({"pattern": "CESI{year}{seq:6}"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/exam-plans/{id}/certificates"),
            &evaluator,
            Some(json!({"issued_on": "2026-11-28"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("issued_on")),
        "a certificate is not dated ahead: {body}"
    );
    let (status, body) = issue(evaluator.clone()).await;
    assert_eq!(status, 201, "{body}");
    let numbers: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["number"].as_str().unwrap())
        .collect();
    assert_eq!(numbers, ["CESI2026000001", "CESI2026000002"]);
    assert_eq!(body["items"][0]["kind"], "level");
    let (status, body) = issue(evaluator.clone()).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("exam_plan_state"))
    );
    let (_, plan) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/exam-plans/{id}"),
            &evaluator,
            None,
        )
        .await;
    assert_eq!(plan["status"], "certificates_issued");
    assert_eq!(
        plan["candidate_list"][0]["level_certificate_number"],
        "CESI2026000001"
    );
    let (_, verified) = app.get_json("/api/v1/certificates/CESI2026000001").await;
    assert_eq!(
        (
            verified["kind"].as_str(),
            verified["status"].as_str(),
            verified["issuer"].as_str()
        ),
        (
            Some("level"),
            Some("valid"),
            Some("工业和信息化部电子工业标准化研究院")
        )
    );
    let (status, pdf) = app
        .get_bytes("/api/v1/certificates/CESI2026000001/pdf", &evaluator)
        .await;
    assert_eq!(status, 200);
    let text = crate::certificates::pdf_text(&pdf).replace(char::is_whitespace, "");
    for field in [
        "专业技术等级证书",
        "甲",
        "居民身份证",
        &crate::classes::id_number(1),
        "人工智能工程技术人员",
        "——",
        "中级",
        "CESI2026000001",
        "工业和信息化部电子工业标准化研究院",
        "2026年11月27日",
    ] {
        assert!(
            text.contains(field),
            "the level certificate lacks {field}: {text}"
        );
    }

    // The audit log has every step.
    let audit = store
        .audit_entries(
            &dte_store::AuditFilter {
                action_prefix: Some("exam_plan.".into()),
                ..Default::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    let mut actions: Vec<&str> = audit.iter().map(|entry| entry.action.as_str()).collect();
    actions.sort_unstable();
    actions.dedup();
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

/// A page's HTML as the holder of `token` sees it.
async fn page_text(app: &TestApp, path: &str, token: &str) -> String {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{path}");
    response.text().await.unwrap()
}

/// Puts 乙's name back on the second row of the sheet.
fn page_fix(workbook: &mut rust_xlsxwriter::Workbook) {
    let page = workbook.worksheet_from_index(0).unwrap();
    page.write_string(2, 1, "乙").unwrap();
}

async fn a_trainee_sees_their_continuing_education_hours_per_year(app: TestApp) {
    let finished = class(&app, ClassStatus::Finished).await;
    let people = trainees_with_certificates(&app, finished).await;
    assert_eq!(people[0], 1, "create_user binds trainees to person 1");
    app.create_user(Role::Trainee, "jia").await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let trainee = app.own_token("jia").await;
    let institution = app.own_token("dlut").await;
    let (status, body) = app
        .send_json(Method::GET, "/api/v1/me/hours", &trainee, None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["total_hours"], 80);
    assert_eq!(body["years"][0]["year"], 2026);
    assert_eq!(body["years"][0]["hours"], 80);
    assert_eq!(
        body["years"][0]["trainings"][0]["class_title"],
        "人工智能中级 2026年第9期"
    );
    assert_eq!(
        body["years"][0]["trainings"][0]["institution"],
        "大连理工大学"
    );
    let (status, bytes) = app.get_bytes("/api/v1/me/hours.xlsx", &trainee).await;
    assert_eq!(status, 200);
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    use calamine::Reader;
    let sheet = workbook.worksheet_range("年度汇总").unwrap();
    assert_eq!(sheet.get_value((1, 1)), Some(&calamine::Data::Float(80.0)));
    let (status, pdf) = app.get_bytes("/api/v1/me/hours.pdf", &trainee).await;
    assert_eq!(status, 200);
    let text = crate::certificates::pdf_text(&pdf).replace(char::is_whitespace, "");
    for field in [
        "继续教育学时记录",
        "姓名：甲",
        "2026年度：80学时",
        "人工智能中级",
        "大连理工大学",
    ] {
        assert!(
            text.contains(field),
            "the hours record lacks {field}: {text}"
        );
    }
    let page = page_text(&app, "/hours", &trainee).await;
    assert!(page.contains("2026 年度：80 学时"), "{page}");
    assert!(
        page_text(&app, "/workbench", &trainee)
            .await
            .contains("/hours")
    );
    // 丙 has no certificate: no hours. The institution sees its trainees' records.
    let (status, body) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/persons/{}/hours", people[2]),
            &institution,
            None,
        )
        .await;
    assert_eq!(
        (status, body["total_hours"].as_i64()),
        (200, Some(0)),
        "{body}"
    );
    // A trainee reads only their own.
    let (status, _) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/persons/{}/hours", people[1]),
            &trainee,
            None,
        )
        .await;
    assert_eq!(status, 403);
}

/// Posts a page's form with a bearer token (no CSRF: no cookie), following the redirect as a
/// browser does; answers the status, the path it ended on and the HTML.
async fn post_page(
    app: &TestApp,
    token: &str,
    action: &str,
    fields: &[(&str, &str)],
) -> (u16, String, String) {
    let response = reqwest::Client::new()
        .post(format!("{}{action}", app.address))
        .bearer_auth(token)
        .form(fields)
        .send()
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.url().path().to_owned(),
        response.text().await.unwrap(),
    )
}

async fn exam_plans_are_proposed_agreed_scored_and_certified_on_pages(app: TestApp) {
    let store = &app.database.store;
    let finished = class(&app, ClassStatus::Finished).await;
    let people = trainees_with_certificates(&app, finished).await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let institution = app.own_token("dlut").await;
    let evaluator = listed_evaluator(&app).await;
    let cesi = store
        .institution_id_by_name("工业和信息化部电子工业标准化研究院")
        .await
        .unwrap()
        .unwrap()
        .to_string();
    let class_id = finished.to_string();

    // The training institution's form offers its finished class and the evaluators.
    let page = page_text(&app, "/exam-plans", &institution).await;
    assert!(
        page.contains("id=\"propose-form\"") && page.contains(&format!("value=\"{class_id}\"")),
        "{page}"
    );
    let (status, _, html) = post_page(
        &app,
        &institution,
        "/exam-plans",
        &[
            ("class_id", &class_id),
            ("evaluation_institution_id", &cesi),
            ("exam_date", "明天"),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains("考核日期应为 YYYY-MM-DD"), "{html}");
    let (status, path, html) = post_page(
        &app,
        &institution,
        "/exam-plans",
        &[
            ("class_id", &class_id),
            ("evaluation_institution_id", &cesi),
            ("exam_date", "2026-11-27"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已提交考核申请"), "{html}");
    let id = path.strip_prefix("/exam-plans/").unwrap().to_owned();
    assert!(
        !html.contains("agree-form"),
        "the training institution does not agree"
    );

    // The evaluation institution agrees, types the scores (one wrong), then corrects them.
    let (status, _, html) =
        post_page(&app, &evaluator, &format!("/exam-plans/{id}/agree"), &[]).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("已确认考核计划") && html.contains("scores-form"),
        "{html}"
    );
    let (a, b) = (people[0].to_string(), people[1].to_string());
    let theory_a = format!("theory_{a}");
    let ability_a = format!("ability_{a}");
    let theory_b = format!("theory_{b}");
    let ability_b = format!("ability_{b}");
    let (status, _, html) = post_page(
        &app,
        &evaluator,
        &format!("/exam-plans/{id}/scores"),
        &[
            (&theory_a, "85.55"),
            (&ability_a, "70"),
            (&theory_b, "50"),
            (&ability_b, "90"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("第 1 名考生的理论知识成绩"), "{html}");
    assert!(
        store
            .exam_candidates(id.parse().unwrap())
            .await
            .unwrap()
            .iter()
            .all(|c| c.result.is_none()),
        "nothing written"
    );
    let (status, _, html) = post_page(
        &app,
        &evaluator,
        &format!("/exam-plans/{id}/scores"),
        &[
            (&theory_a, "85.5"),
            (&ability_a, "70"),
            (&theory_b, "50"),
            (&ability_b, "90"),
        ],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("成绩已保存") && html.contains("不合格"),
        "{html}"
    );

    // Issuing needs the evaluation institution's pattern; then 甲 alone gets the certificate.
    let (status, _, html) = post_page(
        &app,
        &evaluator,
        &format!("/exam-plans/{id}/certificates"),
        &[("issued_on", "2026-11-27")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    assert!(html.contains("证书编号规则"), "{html}");
    app.send_json(
        Method::PUT,
        "/api/v1/institution/certificate-pattern",
        &evaluator,
        Some(json!({"pattern": "CESI-{seq:4}"})),
    )
    .await;
    let (status, _, html) = post_page(
        &app,
        &evaluator,
        &format!("/exam-plans/{id}/certificates"),
        &[("issued_on", "2026-11-27")],
    )
    .await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("专业技术等级证书已颁发")
            && html.contains("CESI-0001")
            && html.contains("已发证"),
        "{html}"
    );
    assert!(
        !html.contains("scores-form"),
        "no more scores once certified"
    );
}
