//! Risk flags through the API and the monitoring page (issue 5, items 6 and 7): a class built
//! to carry the 骗补 patterns is flagged with each, with evidence naming people masked; a
//! clean class is not; a city sees only its region's flags.

use crate::attendance::{class_of_people, offline_session, shanghai_today};
use crate::helpers::{TestApp, test_now};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use dte_domain::Role;
use dte_domain::attendance::shanghai_instant;
use dte_store::{
    Actor, CertificateDetails, CertificateSignature, NewCertificate, NewCheckIn, NewCorrection,
    NewRecording, RecordingSource,
};
use reqwest::Method;
use serde_json::Value;
use std::collections::BTreeSet;

both_backends!(a_class_built_with_each_pattern_is_flagged_and_a_clean_one_is_not);

/// A check-in record as a phone would have sent it.
#[allow(clippy::too_many_arguments)]
fn record(
    class: i64,
    session: i64,
    person: i64,
    kind: &'static str,
    at: DateTime<Utc>,
    (lat, lon): (f64, f64),
    accuracy_m: f64,
    device: &str,
    distance_outside_m: f64,
) -> NewCheckIn {
    NewCheckIn {
        session_id: session,
        class_id: class,
        person_id: person,
        kind,
        at,
        lat,
        lon,
        accuracy_m,
        device_id: device.to_owned(),
        distance_outside_m,
        late: false,
        accepted: distance_outside_m <= accuracy_m.min(100.0),
        refusal: (distance_outside_m > accuracy_m.min(100.0)).then(|| "outside_fence".to_owned()),
        idempotency_key: format!("{session}-{person}-{kind}-{}", at.timestamp()),
    }
}

/// 08:00 (or `hour`) on `date` in Shanghai, plus `minutes`.
fn at(date: NaiveDate, hour: u32, minutes: i64) -> DateTime<Utc> {
    shanghai_instant(date.and_hms_opt(hour, 0, 0).unwrap()) + Duration::minutes(minutes)
}

async fn a_class_built_with_each_pattern_is_flagged_and_a_clean_one_is_not(app: TestApp) {
    let store = &app.database.store;
    let today = shanghai_today();
    let day = |back: i64| today - Duration::days(back);
    // The dirty class: three sessions 4, 3 and 2 days ago, people 1, 2 and 3.
    let dirty = class_of_people(
        &app,
        vec![
            offline_session(day(4), 8, 12),
            offline_session(day(3), 8, 12),
            offline_session(day(2), 8, 12),
        ],
        &[1, 2, 3],
    )
    .await;
    // Person 1 is also in a class whose session overlaps the dirty class's on day −3.
    let overlapping = class_of_people(&app, vec![offline_session(day(3), 10, 14)], &[1]).await;
    // The clean class: people 4 and 5, honest check-ins, its recording registered.
    let clean = class_of_people(&app, vec![offline_session(day(2), 14, 17)], &[4, 5]).await;
    let venue = (38.88, 121.53);
    let jitter = |n: u32| {
        (
            38.88 + f64::from(n) * 0.00011,
            121.53 - f64::from(n) * 0.00013,
        )
    };
    let (d, p) = (dirty.id, &dirty.persons);
    let s = &dirty.sessions;
    let mut records = vec![
        // Session 1: people 1 and 2 checked in from one phone (shared_device).
        record(
            d,
            s[0],
            p[0],
            "in",
            at(day(4), 8, -10),
            jitter(1),
            10.0,
            "phone-A",
            0.0,
        ),
        record(
            d,
            s[0],
            p[1],
            "in",
            at(day(4), 8, -9),
            jitter(2),
            10.0,
            "phone-A",
            0.0,
        ),
        // Session 2: all three at exactly the same coordinates (identical_coordinates).
        record(
            d,
            s[1],
            p[0],
            "in",
            at(day(3), 8, -5),
            venue,
            5.0,
            "phone-1",
            0.0,
        ),
        record(
            d,
            s[1],
            p[1],
            "in",
            at(day(3), 8, -4),
            venue,
            5.0,
            "phone-2",
            0.0,
        ),
        record(
            d,
            s[1],
            p[2],
            "in",
            at(day(3), 8, -3),
            venue,
            5.0,
            "phone-3",
            0.0,
        ),
        // Session 3: person 3 at the venue, then 60 km away ten minutes later
        // (impossible_travel), which is also beyond the fence (outside_fence).
        record(
            d,
            s[2],
            p[2],
            "in",
            at(day(2), 8, -10),
            jitter(3),
            10.0,
            "phone-3",
            0.0,
        ),
        record(
            d,
            s[2],
            p[2],
            "out",
            at(day(2), 8, 0),
            (39.42, 121.53),
            10.0,
            "phone-3",
            59_700.0,
        ),
    ];
    // The clean class: each person on their own phone, near the venue, in and out.
    for (n, &person) in clean.persons.iter().enumerate() {
        let n = u32::try_from(n).unwrap();
        let device = format!("clean-{n}");
        records.push(record(
            clean.id,
            clean.sessions[0],
            person,
            "in",
            at(day(2), 14, -8),
            jitter(10 + n),
            12.0,
            &device,
            0.0,
        ));
        records.push(record(
            clean.id,
            clean.sessions[0],
            person,
            "out",
            at(day(2), 17, 3),
            jitter(20 + n),
            12.0,
            &device,
            0.0,
        ));
    }
    store.record_check_ins(&records).await.unwrap();
    // The institution "makes up" check-outs for everyone in every session (many_corrections).
    for &session in s {
        for &person in p {
            let correction = NewCorrection {
                session_id: session,
                class_id: d,
                person_id: person,
                kind: "out",
                present: true,
                reason: "忘记签退".into(),
            };
            store
                .correct_attendance(&correction, &Actor::system(test_now()))
                .await
                .unwrap();
        }
    }
    // Only the clean class's session has its recording (missing_recording for the others).
    let recording = NewRecording {
        session_id: clean.sessions[0],
        class_id: clean.id,
        source: RecordingSource::Reference("nas://dlut/2026/clean.mp4".into()),
        content_type: "video/mp4".into(),
        sha256: "a".repeat(64),
        size_bytes: 1_000_000,
        duration_seconds: 3 * 3600,
        retain_until: day(-3650),
        upload_id: None,
    };
    store
        .register_recording(&recording, &Actor::system(test_now()))
        .await
        .unwrap();

    // A training certificate for person 1 claims the minimum attendance, 11 of the 12 hours
    // (90 %); the ledger counts 8 (two sessions with a check-in and a made-up check-out) —
    // hours_beyond_attendance.
    let institution = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let certificate = NewCertificate {
        number: Some("DLUT-2026-00001".into()),
        person_id: p[0],
        holder_name: "学员1".into(),
        issuer_institution_id: institution,
        issuer_name: "大连理工大学".into(),
        region: "大连".into(),
        occupation: dte_domain::OccupationCode::parse("2-02-10-09").unwrap(),
        occupation_name: "人工智能工程技术人员".into(),
        direction: None,
        level: dte_domain::Level::Intermediate,
        issued_on: today,
        details: CertificateDetails::Training {
            class_id: d,
            start_date: day(4),
            end_date: day(2),
            hours: 12,
        },
    };
    store
        .issue_certificates(&[certificate], None, &Actor::system(test_now()), |_| {
            Ok::<CertificateSignature, ()>(CertificateSignature {
                signature: "test".into(),
                key_id: "test-key".into(),
            })
        })
        .await
        .unwrap()
        .unwrap();
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    let province = app.own_token("province").await;
    let dalian = app.own_token("dalian").await;
    let (status, body) = app
        .send_json(Method::GET, "/api/v1/flags", &province, None)
        .await;
    assert_eq!(status, 200, "{body}");
    let items = body["items"].as_array().unwrap().clone();
    let kinds_of = |class: i64| -> BTreeSet<String> {
        items
            .iter()
            .filter(|item| item["class"] == class)
            .map(|item| item["kind"].as_str().unwrap().to_owned())
            .collect()
    };
    let expected: BTreeSet<String> = [
        "shared_device",
        "identical_coordinates",
        "impossible_travel",
        "overlapping_sessions",
        "outside_fence",
        "many_corrections",
        "missing_recording",
        "hours_beyond_attendance",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(kinds_of(d), expected, "{body}");
    assert!(kinds_of(overlapping.id).contains("overlapping_sessions"));
    assert!(
        kinds_of(clean.id).is_empty(),
        "the clean class has no flag: {body}"
    );
    let hours = items
        .iter()
        .find(|item| item["kind"] == "hours_beyond_attendance")
        .unwrap();
    assert!(
        hours["evidence"]["summary"]
            .as_str()
            .unwrap()
            .contains("申报 11 学时，实际出勤 8 学时"),
        "{hours}"
    );
    // Evidence names people masked, with a Chinese summary; the riskiest class comes first.
    let shared: &Value = items
        .iter()
        .find(|item| item["kind"] == "shared_device")
        .unwrap();
    assert_eq!(shared["evidence"]["device_id"], "phone-A");
    let names: Vec<&str> = shared["evidence"]["persons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|person| person["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["学**", "学**"], "{shared}");
    assert!(!shared["evidence"]["summary"].as_str().unwrap().is_empty());
    assert_eq!(
        items[0]["class"], d,
        "the dirty class has the highest score"
    );
    // Filters: one class; and a region.
    let (_, only) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/flags?class={}", clean.id),
            &province,
            None,
        )
        .await;
    assert_eq!(only["items"], Value::Array(Vec::new()));
    let (_, shenyang) = app
        .send_json(Method::GET, "/api/v1/flags?region=沈阳", &province, None)
        .await;
    assert_eq!(shenyang["items"], Value::Array(Vec::new()));
    // The city of 大连 sees the same; a trainee or institution may not ask.
    let (status, city) = app
        .send_json(Method::GET, "/api/v1/flags", &dalian, None)
        .await;
    assert_eq!(
        (status, city["items"].as_array().unwrap().len()),
        (200, items.len())
    );
    let trainee = app.own_token(&dirty.usernames[0]).await;
    let (status, _) = app
        .send_json(Method::GET, "/api/v1/flags", &trainee, None)
        .await;
    assert_eq!(status, 403);
    // The monitoring page lists the class with its flags.
    let (status, page) = app.get_bytes("/monitor", &dalian).await;
    let page = String::from_utf8(page).unwrap();
    assert_eq!(status, 200);
    assert!(
        page.contains("一机多人签到") && page.contains(&format!("data-class=\"{d}\"")),
        "{page}"
    );
    assert!(
        page.contains("<svg") && page.contains("class=\"city mine\""),
        "{page}"
    );
}
