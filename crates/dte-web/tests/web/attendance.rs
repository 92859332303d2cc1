//! Check-in through the API (attendance issue, item 1): the classroom's rotating code, and a
//! trainee's attempts refused with the reason (outside the fence by how far, wrong code,
//! window not open), counted once, and safe to retry.

use crate::helpers::{TEST_PASSWORD, TestApp, test_now};
use chrono::NaiveTime;
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Role, TraineeCategory};
use dte_store::{Actor, Applicant, NewClass, NewEnrolment, NewPerson, NewUser};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(a_trainee_checks_in_once_inside_the_fence_with_the_classroom_code);

/// A running class of 大连理工大学 at its campus with a session starting now (12:00 in
/// Shanghai), two enrolled trainees with accounts. Answers (session id, trainee usernames).
async fn class_in_session(app: &TestApp) -> (i64, [String; 2]) {
    let store = &app.database.store;
    let actor = Actor::system(test_now());
    let today = test_now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let institution = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let class = NewClass {
        institution_id: institution,
        region: "大连".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: None,
        level: Level::Intermediate,
        funding: Funding::Market,
        title: "人工智能 考勤测试班".into(),
        venue_address: "大连市甘井子区凌工路2号".into(),
        venue_lat: 38.88,
        venue_lon: 121.53,
        fence_json:
            json!({"kind": "circle", "center": {"lat": 38.88, "lon": 121.53}, "radius_m": 300.0})
                .to_string(),
        start_date: today,
        end_date: today,
        capacity: 30,
        sessions: vec![SessionPlan {
            date: today,
            start: NaiveTime::from_hms_opt(12, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
            delivery: Delivery::Offline,
            hours: 4,
            teacher: "王老师".into(),
        }],
    };
    let id = store.create_class(&class, &actor).await.unwrap();
    store
        .change_class_status(
            id,
            ClassStatus::Draft,
            ClassStatus::Submitted,
            None,
            "submit",
            &actor,
        )
        .await
        .unwrap();
    store
        .change_class_status(
            id,
            ClassStatus::Submitted,
            ClassStatus::Approved,
            None,
            "approve",
            &actor,
        )
        .await
        .unwrap();
    let applicant = |n: u32| Applicant {
        person: NewPerson {
            name: format!("学员{n}"),
            id_number_cipher: format!("v1.k1.stand-in-{n}"),
            id_number_index: format!("index-{n}"),
            id_number_masked: "210202********0000".into(),
            birth_date: chrono::NaiveDate::from_ymd_opt(1995, 1, 1).unwrap(),
            phone_cipher: None,
            phone_index: None,
            phone_masked: None,
        },
        enrolment: NewEnrolment {
            category: TraineeCategory::InPost,
            employer_or_school: "大连某公司".into(),
            graduation_year: None,
            subsidy_category: None,
            commitment_signed: true,
        },
        activation: None,
    };
    let enrolled = store
        .enrol(id, &[applicant(1), applicant(2)], &actor, |_, _, _| {
            Ok::<bool, ()>(false)
        })
        .await
        .unwrap()
        .unwrap();
    let hash =
        dte_crypto::hash_password_with(TEST_PASSWORD, dte_crypto::PasswordParams::FOR_TESTS_ONLY)
            .unwrap();
    let mut usernames = Vec::new();
    for (n, enrolment) in enrolled.iter().enumerate() {
        let username = format!("trainee-{n}");
        let user = NewUser {
            username: username.clone(),
            display_name: format!("学员{n}"),
            role: Role::Trainee,
            region: None,
            institution_id: None,
            person_id: Some(enrolment.person_id),
            password_hash: Some(hash.clone()),
        };
        store.create_user(&user, test_now()).await.unwrap();
        usernames.push(username);
    }
    let session = store.sessions_of_class(id).await.unwrap()[0].id;
    (session, [usernames[0].clone(), usernames[1].clone()])
}

fn attempt(kind: &str, lat: f64, code: &str, key: &str) -> Value {
    json!({"kind": kind, "lat": lat, "lon": 121.53, "accuracy_m": 25.0, "code": code,
           "device_id": "browser-1", "idempotency_key": key})
}

async fn a_trainee_checks_in_once_inside_the_fence_with_the_classroom_code(app: TestApp) {
    let (session, [first, second]) = class_in_session(&app).await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let institution = app.own_token("dlut").await;
    let first = app.own_token(&first).await;
    let second = app.own_token(&second).await;
    let (status, shown) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/sessions/{session}/code"),
            &institution,
            None,
        )
        .await;
    assert_eq!(status, 200, "{shown}");
    let code = shown["code"].as_str().unwrap().to_owned();
    assert_eq!(code.len(), 6);
    let (status, _) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/sessions/{session}/code"),
            &first,
            None,
        )
        .await;
    assert_eq!(status, 403, "a trainee never sees the code through the API");
    let path = format!("/api/v1/sessions/{session}/check-ins");
    // About 2.2 km north of the campus: refused, saying how far.
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &first,
            Some(attempt("in", 38.90, &code, "a-1")),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(
        body["error"]["violations"][0]["code"], "outside_fence",
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("签到未成功"),
        "{body}"
    );
    // A wrong code at the venue.
    let wrong = if code == "000000" { "111111" } else { "000000" };
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &first,
            Some(attempt("in", 38.8801, wrong, "a-2")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["violations"][0]["code"], "code_expired",
        "{body}"
    );
    // At the venue with the code: counted; the phone's retry is answered the same; a new
    // attempt is told it already counted.
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &first,
            Some(attempt("in", 38.8801, &code, "a-3")),
        )
        .await;
    assert_eq!(
        (status, body["counted"].as_bool(), body["outcome"].as_str()),
        (200, Some(true), Some("recorded")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().starts_with("签到成功"),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &first,
            Some(attempt("in", 38.8801, &code, "a-3")),
        )
        .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("repeated")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &first,
            Some(attempt("in", 38.8801, &code, "a-4")),
        )
        .await;
    assert_eq!(
        (status, body["outcome"].as_str()),
        (200, Some("already")),
        "{body}"
    );
    assert!(
        body["message"].as_str().unwrap().contains("12:00"),
        "{body}"
    );
    // Checking out at the start of the session: the window is not open.
    let (status, body) = app
        .send_json(
            Method::POST,
            &path,
            &second,
            Some(attempt("out", 38.8801, &code, "b-1")),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(
        body["error"]["violations"][0]["code"], "window_not_open",
        "{body}"
    );
    // Every attempt is kept: one counted, three refused as evidence.
    assert_eq!(
        app.database.store.check_in_counts(session).await.unwrap(),
        (1, 3)
    );
    // A trainee of another class, or an institution, cannot check in here.
    let (status, _) = app
        .send_json(
            Method::POST,
            &path,
            &institution,
            Some(attempt("in", 38.8801, &code, "c-1")),
        )
        .await;
    assert_eq!(status, 403);
}
