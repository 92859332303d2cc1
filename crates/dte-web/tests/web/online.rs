//! Online learning and recordings through the API (issue 5, items 3 and 5): heartbeats
//! credited on the server's clock with presence confirmations, each refusal (not enrolled, not
//! online, out of time, wrong role); recordings uploaded in chunks and resumed with the stored
//! SHA-256 checked against the bytes, played with Range, downloaded with an audit entry,
//! registered by reference, refused when too big, with a bad hash, twice, for another
//! institution or outside a city's region.

use crate::helpers::{TEST_PASSWORD, TestApp, test_now};
use chrono::{Duration, NaiveTime};
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Role, TraineeCategory};
use dte_store::{Actor, Applicant, NewClass, NewEnrolment, NewPerson, NewUser};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    heartbeats_are_credited_on_the_servers_clock_with_presence_confirmations,
    heartbeats_are_refused_outside_an_enrolled_trainees_online_session,
    a_recording_uploads_in_chunks_resumes_and_plays_with_ranges,
    recordings_and_materials_are_refused_with_the_reason,
);

/// A class as the tests need it: its id and its sessions' ids in timetable order.
struct Fixture {
    class: i64,
    /// 08:00–11:00 offline (held before `test_now`), 12:00–15:00 online (3 学时, under way),
    /// tomorrow 09:00–12:00 offline.
    sessions: [i64; 3],
}

fn at(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

/// An approved class of `institution` in `region` with `people` trainees who have accounts
/// named `{prefix}-{n}`.
async fn class_of(
    app: &TestApp,
    institution: &str,
    region: &str,
    prefix: &str,
    people: u32,
) -> Fixture {
    let store = &app.database.store;
    let actor = Actor::system(test_now());
    let today = test_now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .date_naive();
    let institution_id = store
        .institution_id_by_name(institution)
        .await
        .unwrap()
        .unwrap();
    let session = |date, start, end, delivery, hours| SessionPlan {
        date,
        start,
        end,
        delivery,
        hours,
        teacher: "王老师".into(),
    };
    let class = NewClass {
        institution_id,
        region: region.into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: None,
        level: Level::Intermediate,
        funding: Funding::Market,
        title: format!("人工智能 线上与录像测试班（{prefix}）"),
        venue_address: "大连市甘井子区凌工路2号".into(),
        venue_lat: 38.88,
        venue_lon: 121.53,
        fence_json:
            json!({"kind": "circle", "center": {"lat": 38.88, "lon": 121.53}, "radius_m": 300.0})
                .to_string(),
        start_date: today,
        end_date: today + Duration::days(1),
        capacity: 30,
        sessions: vec![
            session(today, at(8, 0), at(11, 0), Delivery::Offline, 4),
            session(today, at(12, 0), at(15, 0), Delivery::Online, 3),
            session(
                today + Duration::days(1),
                at(9, 0),
                at(12, 0),
                Delivery::Offline,
                4,
            ),
        ],
    };
    let id = store.create_class(&class, &actor).await.unwrap();
    for (from, to) in [
        (ClassStatus::Draft, ClassStatus::Submitted),
        (ClassStatus::Submitted, ClassStatus::Approved),
    ] {
        store
            .change_class_status(id, from, to, None, "step", &actor)
            .await
            .unwrap();
    }
    let applicants: Vec<Applicant> = (0..people)
        .map(|n| Applicant {
            person: NewPerson {
                name: format!("学员{prefix}{n}"),
                id_number_cipher: format!("v1.k1.{prefix}-{n}"),
                id_number_index: format!("{prefix}-index-{n}"),
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
        })
        .collect();
    let enrolled = store
        .enrol(id, &applicants, &actor, |_, _, _| Ok::<bool, ()>(false))
        .await
        .unwrap()
        .unwrap();
    let hash =
        dte_crypto::hash_password_with(TEST_PASSWORD, dte_crypto::PasswordParams::FOR_TESTS_ONLY)
            .unwrap();
    for (n, enrolment) in enrolled.iter().enumerate() {
        let user = NewUser {
            username: format!("{prefix}-{n}"),
            display_name: format!("学员{n}"),
            role: Role::Trainee,
            region: None,
            institution_id: None,
            person_id: Some(enrolment.person_id),
            password_hash: Some(hash.clone()),
        };
        store.create_user(&user, test_now()).await.unwrap();
    }
    let sessions = store.sessions_of_class(id).await.unwrap();
    Fixture {
        class: id,
        sessions: [sessions[0].id, sessions[1].id, sessions[2].id],
    }
}

/// An account of a training institution other than the helpers' 大连理工大学.
async fn institution_user(app: &TestApp, institution: &str, username: &str) -> String {
    let store = &app.database.store;
    let user = NewUser {
        username: username.into(),
        display_name: institution.into(),
        role: Role::TrainingInstitution,
        region: None,
        institution_id: store.institution_id_by_name(institution).await.unwrap(),
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
    app.own_token(username).await
}

fn beat(visible: bool) -> Option<Value> {
    Some(json!({"page_id": "page-1", "visible": visible}))
}

async fn heartbeats_are_credited_on_the_servers_clock_with_presence_confirmations(app: TestApp) {
    let fixture = class_of(&app, "大连理工大学", "大连", "t", 2).await;
    let online = fixture.sessions[1];
    let first = app.own_token("t-0").await;
    let second = app.own_token("t-1").await;
    let path = format!("/api/v1/sessions/{online}/heartbeats");
    // 50 minutes of visible beats every 30 s from 12:00; each confirmation answered at once.
    let mut confirmations = 0;
    let mut last = Value::Null;
    for step in 0..=100 {
        app.set_now(test_now() + Duration::seconds(30 * step));
        let (status, body) = app.send_json(Method::POST, &path, &first, beat(true)).await;
        assert_eq!(status, 200, "{body}");
        if let Some(check) = body["presence_check"]["id"].as_i64() {
            let (status, answer) = app
                .send_json(
                    Method::POST,
                    &format!("/api/v1/presence-checks/{check}/answer"),
                    &first,
                    None,
                )
                .await;
            assert_eq!(status, 200, "{answer}");
            assert_eq!(answer["in_time"], true, "{answer}");
            confirmations += 1;
        }
        last = body;
    }
    assert_eq!(last["credited_minutes"], 50, "{last}");
    assert_eq!(last["session_minutes"], 135, "3 学时 × 45 minutes");
    assert_eq!(last["credited_hours"], 1);
    // One in the first 45-minute block; the second block's may fall before minute 50.
    assert!((1..=2).contains(&confirmations), "{confirmations}");

    // The second trainee beats for 10 minutes, then hides the page for 10: only the visible
    // stretch counts.
    for step in 0..=20 {
        app.set_now(test_now() + Duration::seconds(30 * step));
        let (_, body) = app
            .send_json(Method::POST, &path, &second, beat(true))
            .await;
        // The schedule is random: a confirmation may fall in these ten minutes too.
        if let Some(check) = body["presence_check"]["id"].as_i64() {
            let answer = format!("/api/v1/presence-checks/{check}/answer");
            assert_eq!(
                app.send_json(Method::POST, &answer, &second, None).await.0,
                200
            );
        }
    }
    for step in 21..=40 {
        app.set_now(test_now() + Duration::seconds(30 * step));
        let (status, body) = app
            .send_json(Method::POST, &path, &second, beat(false))
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["credited_minutes"], 10, "{body}");
    }
    let credits = app
        .database
        .store
        .online_credits_of_class(fixture.class)
        .await
        .unwrap();
    let minutes: Vec<u32> = credits.iter().map(|row| row.credit.minutes).collect();
    assert_eq!(minutes, vec![50, 10]);
    // An answer to someone else's confirmation is not found; a second answer conflicts.
    let check = app
        .database
        .store
        .online_learning(online, credits[0].person_id, 3)
        .await
        .unwrap()
        .checks[0]
        .id;
    let answer_path = format!("/api/v1/presence-checks/{check}/answer");
    assert_eq!(
        app.send_json(Method::POST, &answer_path, &second, None)
            .await
            .0,
        404
    );
    assert_eq!(
        app.send_json(Method::POST, &answer_path, &first, None)
            .await
            .0,
        409
    );
}

async fn heartbeats_are_refused_outside_an_enrolled_trainees_online_session(app: TestApp) {
    let fixture = class_of(&app, "大连理工大学", "大连", "t", 1).await;
    let elsewhere = class_of(&app, "大连理工大学", "大连", "x", 1).await;
    let _ = elsewhere;
    let trainee = app.own_token("t-0").await;
    let outsider = app.own_token("x-0").await;
    let online = format!("/api/v1/sessions/{}/heartbeats", fixture.sessions[1]);
    // Not an online session.
    let offline = format!("/api/v1/sessions/{}/heartbeats", fixture.sessions[0]);
    let (status, body) = app
        .send_json(Method::POST, &offline, &trainee, beat(true))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("not_online")),
        "{body}"
    );
    // Before the session's start and after its end, by the server's clock.
    app.set_now(test_now() - Duration::minutes(1));
    let (status, body) = app
        .send_json(Method::POST, &online, &trainee, beat(true))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "session_not_started");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("12:00"),
        "{body}"
    );
    app.set_now(test_now() + Duration::hours(3));
    // Three hours on, the earlier sign-in has idled out: sign in again.
    let later = app.own_token("t-0").await;
    let (status, body) = app
        .send_json(Method::POST, &online, &later, beat(true))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("session_ended")),
        "{body}"
    );
    app.set_now(test_now());
    // Not enrolled in the class: not found, nothing leaked.
    let (status, body) = app
        .send_json(Method::POST, &online, &outsider, beat(true))
        .await;
    assert_eq!(status, 404, "{body}");
    // Another role: refused by the route.
    app.create_user(Role::CityAdmin, "city").await;
    let city = app.own_token("city").await;
    assert_eq!(
        app.send_json(Method::POST, &online, &city, beat(true))
            .await
            .0,
        403
    );
    // A bad page id names the field.
    let (status, body) = app
        .send_json(
            Method::POST,
            &online,
            &trainee,
            Some(json!({"page_id": "", "visible": true})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("page_id"))
    );
    // Nothing was stored by the refusals.
    let stored = app
        .database
        .store
        .online_credits_of_class(fixture.class)
        .await
        .unwrap();
    assert!(stored.is_empty(), "{stored:?}");
    // The learning page opens for the trainee and links from the class page.
    let (status, page) = get_page(&app, &trainee, &format!("/learn/{}", fixture.sessions[1])).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("assets/learn.js") && page.contains("已计学习时长"),
        "{page}"
    );
    let (_, class_page) = get_page(&app, &trainee, &format!("/classes/{}", fixture.class)).await;
    assert!(class_page.contains(&format!("/learn/{}", fixture.sessions[1])));
}

async fn get_page(app: &TestApp, token: &str, path: &str) -> (u16, String) {
    let response = reqwest::Client::new()
        .get(format!("{}{path}", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// Sends bytes of an upload with an optional `Content-Range`.
async fn put_bytes(
    app: &TestApp,
    token: &str,
    upload: &str,
    range: Option<String>,
    bytes: Vec<u8>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .put(format!("{}/api/v1/uploads/{upload}", app.address))
        .bearer_auth(token)
        .header("content-type", "application/octet-stream")
        .body(bytes);
    if let Some(range) = range {
        request = request.header("content-range", range);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// A deterministic "video" of `length` bytes.
fn video(length: usize) -> Vec<u8> {
    (0..length).map(|n| (n * 7 % 251) as u8).collect()
}

async fn a_recording_uploads_in_chunks_resumes_and_plays_with_ranges(app: TestApp) {
    let fixture = class_of(&app, "大连理工大学", "大连", "t", 1).await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let institution = app.own_token("dlut").await;
    let bytes = video(300_000);
    let (status, started) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/sessions/{}/uploads", fixture.sessions[0]),
            &institution,
            Some(json!({"purpose": "recording", "file_name": "第一课.MP4",
                        "content_type": "video/mp4", "size_bytes": bytes.len(),
                        "duration_seconds": 10_800})),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    let upload = started["upload_id"].as_str().unwrap().to_owned();
    let range = |start: usize, end: usize| Some(format!("bytes {start}-{end}/300000"));
    // The first chunk is cut off after 60,000 of its 100,000 bytes (the connection dropped):
    // what arrived is kept.
    let (status, state) = put_bytes(
        &app,
        &institution,
        &upload,
        range(0, 99_999),
        bytes[..60_000].to_vec(),
    )
    .await;
    assert_eq!(
        (status, state["received_bytes"].as_u64()),
        (200, Some(60_000)),
        "{state}"
    );
    // A chunk from elsewhere is refused with where to resume.
    let (status, refused) = put_bytes(
        &app,
        &institution,
        &upload,
        range(100_000, 199_999),
        bytes[100_000..200_000].to_vec(),
    )
    .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (409, Some("offset_mismatch")),
        "{refused}"
    );
    assert!(
        refused["error"]["message"]
            .as_str()
            .unwrap()
            .contains("60000"),
        "{refused}"
    );
    let (status, state) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/uploads/{upload}"),
            &institution,
            None,
        )
        .await;
    assert_eq!(
        (status, state["received_bytes"].as_u64()),
        (200, Some(60_000))
    );
    // Resumed from there in two chunks.
    let (status, state) = put_bytes(
        &app,
        &institution,
        &upload,
        range(60_000, 199_999),
        bytes[60_000..200_000].to_vec(),
    )
    .await;
    assert_eq!(
        (status, state["complete"].as_bool()),
        (200, Some(false)),
        "{state}"
    );
    let (status, done) = put_bytes(
        &app,
        &institution,
        &upload,
        range(200_000, 299_999),
        bytes[200_000..].to_vec(),
    )
    .await;
    assert_eq!(
        (status, done["complete"].as_bool()),
        (200, Some(true)),
        "{done}"
    );
    let expected = dte_crypto::sha256_hex(&bytes);
    assert_eq!(done["sha256"], expected.as_str());
    // Stored: the file in the data folder holds exactly the bytes, under its hash.
    let recording_id = done["recording_id"].as_i64().unwrap();
    let stored = app
        .database
        .store
        .recording(recording_id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.sha256, expected);
    assert_eq!(stored.duration_seconds, 10_800);
    let dte_store::RecordingSource::File(relative) = &stored.source else {
        panic!("{stored:?}")
    };
    assert!(relative.ends_with(".mp4"), "{relative}");
    let on_disk = std::fs::read(app.data_dir.join(relative)).unwrap();
    assert_eq!(dte_crypto::sha256_hex(&on_disk), expected);
    assert!(
        !app.data_dir
            .join("uploads")
            .join(format!("{upload}.part"))
            .exists()
    );
    // Retention: the class ends tomorrow in 2026; 12 months' claim deadline and 5 years.
    assert_eq!(stored.retain_until.to_string(), "2032-12-31");
    // The city of the region lists it; the other sessions are missing or upcoming.
    app.create_user(Role::CityAdmin, "city").await;
    let city = app.own_token("city").await;
    let (status, listed) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/classes/{}/recordings", fixture.class),
            &city,
            None,
        )
        .await;
    assert_eq!(status, 200, "{listed}");
    let states: Vec<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["registered", "missing", "upcoming"]);
    let play = listed["items"][0]["recording"]["play_url"]
        .as_str()
        .unwrap()
        .to_owned();
    // Range requests: a slice, a suffix, and one outside the file.
    let client = reqwest::Client::new();
    let ranged = |range: &'static str| {
        client
            .get(format!("{}{play}", app.address))
            .bearer_auth(&city)
            .header("range", range)
            .send()
    };
    let response = ranged("bytes=100-199").await.unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(response.headers()["content-range"], "bytes 100-199/300000");
    assert_eq!(response.headers()["content-type"], "video/mp4");
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        bytes[100..200].to_vec()
    );
    let response = ranged("bytes=-10").await.unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        bytes[299_990..].to_vec()
    );
    assert_eq!(ranged("bytes=300000-").await.unwrap().status(), 416);
    // A download: the whole file as an attachment, audited.
    let response = client
        .get(format!("{}{play}?download=1", app.address))
        .bearer_auth(&city)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(response.bytes().await.unwrap().to_vec(), bytes);
    let audit = app
        .database
        .store
        .audit_entries(
            &dte_store::AuditFilter {
                action_prefix: Some("recording.download".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].actor_username, "city");
    // The recordings page shows it with play and download links.
    let (status, page) = get_page(
        &app,
        &city,
        &format!("/classes/{}/recordings", fixture.class),
    )
    .await;
    assert_eq!(status, 200);
    assert!(
        page.contains(&expected) && page.contains("缺录像") && page.contains("?download=1"),
        "{page}"
    );

    // Learning material for the online session: the whole file in one request, played by the
    // enrolled trainee with a range.
    let material = video(5_000);
    let (status, started) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/sessions/{}/uploads", fixture.sessions[1]),
            &institution,
            Some(json!({"purpose": "material", "file_name": "导论.webm", "content_type": "video/webm",
                        "size_bytes": material.len(), "title": "第一讲 导论"})),
        )
        .await;
    assert_eq!(status, 201, "{started}");
    let (status, done) = put_bytes(
        &app,
        &institution,
        started["upload_id"].as_str().unwrap(),
        None,
        material.clone(),
    )
    .await;
    assert_eq!(
        (status, done["complete"].as_bool()),
        (200, Some(true)),
        "{done}"
    );
    let trainee = app.own_token("t-0").await;
    let response = client
        .get(format!(
            "{}/api/v1/sessions/{}/material",
            app.address, fixture.sessions[1]
        ))
        .bearer_auth(&trainee)
        .header("range", "bytes=0-99")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 206);
    assert_eq!(
        response.bytes().await.unwrap().to_vec(),
        material[..100].to_vec()
    );
    let (_, page) = get_page(&app, &trainee, &format!("/learn/{}", fixture.sessions[1])).await;
    assert!(
        page.contains("第一讲 导论") && page.contains("<video"),
        "{page}"
    );
}

async fn recordings_and_materials_are_refused_with_the_reason(app: TestApp) {
    let fixture = class_of(&app, "大连理工大学", "大连", "t", 1).await;
    let shenyang = class_of(&app, "东北大学", "沈阳", "s", 1).await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let institution = app.own_token("dlut").await;
    let other = institution_user(&app, "东北大学", "neu").await;
    let trainee = app.own_token("t-0").await;
    app.create_user(Role::CityAdmin, "city").await;
    let city = app.own_token("city").await;
    let uploads = format!("/api/v1/sessions/{}/uploads", fixture.sessions[0]);
    let start = |size: u64| {
        Some(
            json!({"purpose": "recording", "file_name": "a.mp4", "content_type": "video/mp4",
                    "size_bytes": size, "duration_seconds": 3600}),
        )
    };
    // Too big.
    let (status, body) = app
        .send_json(Method::POST, &uploads, &institution, start(17 << 30))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (413, Some("size_bytes")),
        "{body}"
    );
    // Not a video; no duration.
    let (status, body) = app
        .send_json(Method::POST, &uploads, &institution,
            Some(json!({"purpose": "recording", "file_name": "a.exe", "content_type": "application/x-msdownload",
                        "size_bytes": 10, "duration_seconds": 3600})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("content_type")),
        "{body}"
    );
    let (status, body) = app
        .send_json(Method::POST, &uploads, &institution,
            Some(json!({"purpose": "recording", "file_name": "a.mp4", "content_type": "video/mp4", "size_bytes": 10})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("duration_seconds")),
        "{body}"
    );
    // Material on a classroom session.
    let (status, body) = app
        .send_json(Method::POST, &uploads, &institution,
            Some(json!({"purpose": "material", "file_name": "a.mp4", "content_type": "video/mp4", "size_bytes": 10})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("purpose")),
        "{body}"
    );
    // More bytes than the chunk declares.
    let (_, started) = app
        .send_json(Method::POST, &uploads, &institution, start(100))
        .await;
    let upload = started["upload_id"].as_str().unwrap().to_owned();
    let (status, body) = put_bytes(
        &app,
        &institution,
        &upload,
        Some("bytes 0-9/100".into()),
        vec![1; 50],
    )
    .await;
    assert_eq!(status, 413, "{body}");
    // Wrong role, another institution, a trainee.
    assert_eq!(
        app.send_json(Method::POST, &uploads, &trainee, start(100))
            .await
            .0,
        403
    );
    assert_eq!(
        app.send_json(Method::POST, &uploads, &city, start(100))
            .await
            .0,
        403
    );
    assert_eq!(
        app.send_json(Method::POST, &uploads, &other, start(100))
            .await
            .0,
        404
    );
    assert_eq!(
        put_bytes(&app, &other, &upload, None, vec![1; 100]).await.0,
        404
    );
    // A reference registration with a wrong hash names the field; a good one registers once.
    let reference = format!("/api/v1/sessions/{}/recording", fixture.sessions[0]);
    let good_hash = "a".repeat(64);
    let (status, body) = app
        .send_json(Method::POST, &reference, &institution,
            Some(json!({"external_ref": "oss://dte/1.mp4", "sha256": "abc", "size_bytes": 1000, "duration_seconds": 3600})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("sha256")),
        "{body}"
    );
    let (status, body) = app
        .send_json(Method::POST, &reference, &institution,
            Some(json!({"external_ref": "oss://dte/1.mp4", "sha256": good_hash, "size_bytes": 1000, "duration_seconds": 0})))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("duration_seconds")),
        "{body}"
    );
    let (status, body) = app
        .send_json(Method::POST, &reference, &institution,
            Some(json!({"external_ref": "oss://dte/1.mp4", "sha256": good_hash.to_uppercase(), "size_bytes": 1000, "duration_seconds": 3600})))
        .await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["sha256"], good_hash.as_str());
    assert_eq!(body["source"], "reference");
    let (status, body) = app
        .send_json(Method::POST, &reference, &institution,
            Some(json!({"external_ref": "oss://dte/2.mp4", "sha256": good_hash, "size_bytes": 1000, "duration_seconds": 3600})))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("recording_exists")),
        "{body}"
    );
    // Playing a reference: it is elsewhere.
    let id = body_id(&app, fixture.class, &city).await;
    assert_eq!(
        app.send_json(
            Method::GET,
            &format!("/api/v1/recordings/{id}/file"),
            &city,
            None
        )
        .await
        .0,
        409
    );
    // Another region: 大连's city sees nothing of 沈阳's class; the institution of 沈阳 neither.
    let (status, _) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/classes/{}/recordings", shenyang.class),
            &city,
            None,
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        app.send_json(
            Method::GET,
            &format!("/api/v1/recordings/{id}/file"),
            &other,
            None
        )
        .await
        .0,
        404
    );
    // Issue 15 item 4: out of scope and missing answer the same bytes, for a recording and a
    // session's material, for another institution and another class's trainee, so ids cannot
    // be mapped across regions.
    for (in_other_scope, missing) in [
        (
            format!("/api/v1/recordings/{id}/file"),
            format!("/api/v1/recordings/{}/file", id + 1_000_000),
        ),
        (
            format!("/api/v1/sessions/{}/material", fixture.sessions[0]),
            format!(
                "/api/v1/sessions/{}/material",
                fixture.sessions[0] + 1_000_000
            ),
        ),
    ] {
        let out_of_scope = app.get_bytes(&in_other_scope, &other).await;
        let absent = app.get_bytes(&missing, &other).await;
        assert_eq!(out_of_scope.0, 404, "{in_other_scope}");
        assert_eq!(
            String::from_utf8_lossy(&out_of_scope.1),
            String::from_utf8_lossy(&absent.1),
            "{in_other_scope}"
        );
    }
    let other_trainee = app.own_token("s-0").await;
    let not_enrolled = app
        .get_bytes(
            &format!("/api/v1/sessions/{}/material", fixture.sessions[0]),
            &other_trainee,
        )
        .await;
    let absent = app
        .get_bytes(
            &format!(
                "/api/v1/sessions/{}/material",
                fixture.sessions[0] + 1_000_000
            ),
            &other_trainee,
        )
        .await;
    assert_eq!((not_enrolled.0, &not_enrolled.1), (404, &absent.1));
    // Trainees do not list recordings.
    assert_eq!(
        app.send_json(
            Method::GET,
            &format!("/api/v1/classes/{}/recordings", fixture.class),
            &trainee,
            None
        )
        .await
        .0,
        403
    );
}

/// The id of the first session's recording, as the class's list gives it.
async fn body_id(app: &TestApp, class: i64, token: &str) -> i64 {
    let (_, listed) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/classes/{class}/recordings"),
            token,
            None,
        )
        .await;
    listed["items"][0]["recording"]["id"].as_i64().unwrap()
}
