//! Online learning and recordings in storage (issue 5, items 3 and 5): heartbeats and presence
//! confirmations credited by the domain, one recording per session with its audit entry, the
//! sessions still without one, materials and uploads.

use crate::classes::{actor, applicant, institution, plan};
use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use dte_domain::class::{ClassStatus, Delivery, SessionPlan};
use dte_store::testing::fresh_database;
use dte_store::{
    AuditFilter, Backend, MaterialRow, NewRecording, RecordingSource, Store, StoreError, UploadRow,
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
    heartbeats_and_confirmations_are_credited_by_the_domain,
    a_session_has_one_recording_and_the_rest_are_listed_as_missing,
    uploads_and_materials_are_kept_and_audited,
);

/// 2027-01-10 09:00 in Shenyang plus `seconds`.
fn at(seconds: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 1, 10, 1, 0, 0).unwrap() + Duration::seconds(seconds)
}

/// An approved class of 东北大学 with an offline and an online session (2027-01-10) and one
/// trainee; answers (class, offline session, online session, person).
async fn class_with_online_session(store: &Store) -> (i64, i64, i64, i64) {
    store.load_bundled_reference(actor().at).await.unwrap();
    let neu = institution(store, "东北大学").await;
    let mut class = plan(neu, "沈阳", 20);
    class.sessions.push(SessionPlan {
        date: NaiveDate::from_ymd_opt(2027, 1, 10).unwrap(),
        start: NaiveTime::from_hms_opt(13, 0, 0).unwrap(),
        end: NaiveTime::from_hms_opt(16, 0, 0).unwrap(),
        delivery: Delivery::Online,
        hours: 2,
        teacher: "李老师".into(),
    });
    let id = store.create_class(&class, &actor()).await.unwrap();
    for (from, to) in [
        (ClassStatus::Draft, ClassStatus::Submitted),
        (ClassStatus::Submitted, ClassStatus::Approved),
    ] {
        store
            .change_class_status(id, from, to, None, "step", &actor())
            .await
            .unwrap();
    }
    let enrolled = store
        .enrol(
            id,
            &[applicant("online-1", "线上学员")],
            &actor(),
            |_, _, _| Ok::<bool, ()>(false),
        )
        .await
        .unwrap()
        .unwrap();
    let sessions = store.sessions_of_class(id).await.unwrap();
    (id, sessions[0].id, sessions[1].id, enrolled[0].person_id)
}

async fn heartbeats_and_confirmations_are_credited_by_the_domain(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, _, online, person) = class_with_online_session(store).await;
    // 40 minutes of visible beats every 30 s, then a hidden stretch that earns nothing.
    for second in (0..=2_400).step_by(30) {
        store
            .record_heartbeat(online, person, at(second), true, "page-1")
            .await
            .unwrap();
    }
    for second in (2_430..=3_000).step_by(30) {
        store
            .record_heartbeat(online, person, at(second), false, "page-1")
            .await
            .unwrap();
    }
    let learning = store.online_learning(online, person, 2).await.unwrap();
    assert_eq!(learning.heartbeats.len(), 81 + 20);
    assert_eq!(learning.credit.minutes, 40);

    // The seed is kept: a second page gets the first page's number.
    // A seed above i64::MAX survives the round trip.
    let seed = store
        .presence_seed(online, person, u64::MAX - 6, at(0))
        .await
        .unwrap();
    assert_eq!(seed, u64::MAX - 6);
    assert_eq!(
        store
            .presence_seed(online, person, 99, at(5))
            .await
            .unwrap(),
        u64::MAX - 6
    );

    // A confirmation asked at 10 minutes and never answered stops the credit from then.
    let mut asking = actor();
    asking.at = at(600);
    let check = store
        .ask_presence_check(online, person, 0, &asking)
        .await
        .unwrap();
    let again = store
        .ask_presence_check(online, person, 0, &asking)
        .await
        .unwrap();
    assert_eq!(
        check, again,
        "a second ask of the same ordinal answers the first"
    );
    assert_eq!(
        store
            .online_learning(online, person, 2)
            .await
            .unwrap()
            .credit
            .minutes,
        10
    );
    // Answered in time: the credit comes back.
    let mut answering = actor();
    answering.at = at(660);
    let answered = store
        .answer_presence_check(check.id, person, &answering)
        .await
        .unwrap();
    assert_eq!(answered.answered_at, Some(at(660)));
    assert_eq!(
        store
            .online_learning(online, person, 2)
            .await
            .unwrap()
            .credit
            .minutes,
        40
    );
    // Answered twice, or by someone else: refused.
    assert!(matches!(
        store
            .answer_presence_check(check.id, person, &answering)
            .await,
        Err(StoreError::Conflict)
    ));
    assert!(matches!(
        store
            .answer_presence_check(check.id, person + 1, &answering)
            .await,
        Err(StoreError::NotFound)
    ));
    // The class-wide read gives the same credit.
    let credits = store.online_credits_of_class(class).await.unwrap();
    assert_eq!(credits.len(), 1);
    assert_eq!(
        (credits[0].session_id, credits[0].person_id),
        (online, person)
    );
    assert_eq!(credits[0].credit.minutes, 40);
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("presence.".into()),
                ..AuditFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 2, "one ask and one answer");
}

fn recording(class: i64, session: i64, source: RecordingSource) -> NewRecording {
    NewRecording {
        session_id: session,
        class_id: class,
        source,
        content_type: "video/mp4".into(),
        sha256: "ab".repeat(32),
        size_bytes: 5_000_000_000,
        duration_seconds: 10_800,
        retain_until: NaiveDate::from_ymd_opt(2033, 12, 31).unwrap(),
        upload_id: None,
    }
}

async fn a_session_has_one_recording_and_the_rest_are_listed_as_missing(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, offline, online, _) = class_with_online_session(store).await;
    let after = NaiveDate::from_ymd_opt(2027, 1, 11).unwrap();
    assert_eq!(
        store.sessions_without_recording(after).await.unwrap(),
        vec![(class, offline), (class, online)]
    );
    let reference = RecordingSource::Reference("oss://dte-recordings/2027/0110.mp4".into());
    let id = store
        .register_recording(&recording(class, offline, reference.clone()), &actor())
        .await
        .unwrap();
    let stored = store.recording(id).await.unwrap().unwrap();
    assert_eq!(stored.source, reference);
    assert_eq!(
        stored.size_bytes, 5_000_000_000,
        "sizes above 4 GiB are kept"
    );
    assert_eq!(
        stored.retain_until,
        NaiveDate::from_ymd_opt(2033, 12, 31).unwrap()
    );
    // One per session.
    let second = store
        .register_recording(
            &recording(
                class,
                offline,
                RecordingSource::File("recordings/x.mp4".into()),
            ),
            &actor(),
        )
        .await;
    assert!(
        // PostgreSQL names the constraint; SQLite names the column.
        matches!(&second, Err(StoreError::Constraint { constraint })
            if constraint.contains("recordings_session_key")
                || constraint.contains("recordings.session_id")),
        "{second:?}"
    );
    assert_eq!(
        store.sessions_without_recording(after).await.unwrap(),
        vec![(class, online)]
    );
    // Sessions not yet held are not missing anything.
    assert!(
        store
            .sessions_without_recording(NaiveDate::from_ymd_opt(2027, 1, 10).unwrap())
            .await
            .unwrap()
            .is_empty()
    );
    let listed = store.recordings_of_class(class).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].recording.as_ref().map(|r| r.id), Some(id));
    assert!(listed[1].recording.is_none());
    assert_eq!(
        store
            .recorded_session_ids()
            .await
            .unwrap()
            .into_iter()
            .collect::<Vec<_>>(),
        vec![offline]
    );
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("recording.".into()),
                ..AuditFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].entity_id.as_deref(), Some(id.to_string().as_str()));
}

async fn uploads_and_materials_are_kept_and_audited(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (class, _, online, _) = class_with_online_session(store).await;
    let upload = UploadRow {
        id: "upload-token-1".into(),
        session_id: online,
        class_id: class,
        purpose: "material".into(),
        file_name: "第一讲.mp4".into(),
        content_type: "video/mp4".into(),
        total_bytes: 1_024,
        duration_seconds: None,
        title: Some("第一讲 人工智能导论".into()),
        created_by: None,
        created_at: actor().at,
        completed_at: None,
    };
    store.create_upload(&upload, &actor()).await.unwrap();
    assert_eq!(store.upload("upload-token-1").await.unwrap(), Some(upload));
    assert_eq!(store.upload("another").await.unwrap(), None);
    let material = MaterialRow {
        session_id: online,
        title: "第一讲 人工智能导论".into(),
        file_path: "materials/1.mp4".into(),
        content_type: "video/mp4".into(),
        sha256: "cd".repeat(32),
        size_bytes: 1_024,
        registered_at: actor().at,
    };
    store
        .set_material(&material, Some("upload-token-1"), &actor())
        .await
        .unwrap();
    assert_eq!(
        store.material(online).await.unwrap(),
        Some(material.clone())
    );
    assert!(
        store
            .upload("upload-token-1")
            .await
            .unwrap()
            .unwrap()
            .completed_at
            .is_some()
    );
    // Replaced, with the previous one in the audit entry.
    let replacement = MaterialRow {
        file_path: "materials/2.mp4".into(),
        ..material
    };
    store
        .set_material(&replacement, None, &actor())
        .await
        .unwrap();
    assert_eq!(
        store.material(online).await.unwrap().unwrap().file_path,
        "materials/2.mp4"
    );
    let audit = store
        .audit_entries(
            &AuditFilter {
                action_prefix: Some("material.".into()),
                ..AuditFilter::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 2);
    assert!(audit[0].before_json.is_some());
}
