//! The 08:30 burst (attendance issue, item 9): a whole class of a city checks in at once.
//!
//! Reports, in one run on the same database and rows:
//! - **validated**: check-ins per second through the real path: the rotating classroom code
//!   checked (`dte_crypto::rotating_code::accepts`), the domain's decision on window, fence and
//!   accuracy (`dte_domain::attendance::decide_check`), and the write through `CheckInWriter`
//!   (group commit; each batch one durable transaction), every caller waiting for its commit;
//! - **raw**: the same rows inserted one durable transaction each, from the same number of
//!   concurrent tasks, with no validation — what the database does without batching.
//!
//! Run: `cargo bench -p dte-store --bench check_in_burst` (SQLite in a temporary folder with
//! `synchronous=FULL`, as `dte serve` uses it); set `DTE_BENCH_DATABASE_URL=postgres://…` to
//! measure a PostgreSQL server too. Bounded: 4,000 check-ins per figure, 400 concurrent tasks.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap is a failed run.

use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use dte_crypto::SessionSecret;
use dte_crypto::rotating_code::{accepts, code_at};
use dte_domain::attendance::{Attempt, CheckKind, decide_check};
use dte_domain::class::{Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, TraineeCategory};
use dte_geo::{Fence, LatLon};
use dte_store::{
    Actor, Applicant, CheckInWriter, NewCheckIn, NewClass, NewEnrolment, NewPerson, Store,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

const TRAINEES: usize = 4_000;
const CONCURRENCY: usize = 400;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let directory = std::env::temp_dir().join(format!("dte-bench-burst-{}", std::process::id()));
    std::fs::create_dir_all(&directory).unwrap();
    let mut targets = vec![(
        "SQLite (synchronous=FULL)".to_owned(),
        Store::sqlite_url_in(&directory),
    )];
    if let Ok(url) = std::env::var("DTE_BENCH_DATABASE_URL") {
        targets.push(("PostgreSQL".to_owned(), url));
    }
    for (label, url) in targets {
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let (validated, raw, batches) = run(&store).await;
        println!(
            "{label}: validated {validated:.0} check-ins/s in {batches} commits; raw one-per-transaction inserts {raw:.0} rows/s ({TRAINEES} rows, {CONCURRENCY} concurrent)"
        );
        store.close().await;
    }
    let _ = std::fs::remove_dir_all(&directory);
}

/// Sets up one class with 4,000 trainees in two sessions, then measures both figures.
async fn run(store: &Store) -> (f64, f64, u64) {
    let now = Utc.with_ymd_and_hms(2027, 1, 10, 0, 25, 0).unwrap(); // 08:25 in Shanghai
    store.load_bundled_reference(now).await.unwrap();
    let actor = Actor::system(now);
    let institution = store
        .institution_id_by_name("东北大学")
        .await
        .unwrap()
        .unwrap();
    let date = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
    let session = |start: u32| SessionPlan {
        date,
        start: NaiveTime::from_hms_opt(start, 30, 0).unwrap(),
        end: NaiveTime::from_hms_opt(start + 3, 30, 0).unwrap(),
        delivery: Delivery::Offline,
        hours: 4,
        teacher: "王老师".into(),
    };
    let class = NewClass {
        institution_id: institution,
        region: "沈阳".into(),
        occupation: OccupationCode::parse("2-02-10-15").unwrap(),
        direction: None,
        level: Level::Junior,
        funding: Funding::Market,
        title: "压力测试班".into(),
        venue_address: "沈阳市和平区文化路三巷11号".into(),
        venue_lat: 41.7655,
        venue_lon: 123.4203,
        fence_json: "{}".into(),
        start_date: date,
        end_date: date,
        capacity: 5_000,
        sessions: vec![session(8), session(13)],
    };
    let class_id = store.create_class(&class, &actor).await.unwrap();
    let keyring = dte_crypto::Keyring::parse(&dte_crypto::Keyring::generate()).unwrap();
    let mut people = Vec::with_capacity(TRAINEES);
    for chunk in (0..TRAINEES).collect::<Vec<_>>().chunks(500) {
        let applicants: Vec<Applicant> = chunk
            .iter()
            .map(|n| {
                let born =
                    NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Days::new(*n as u64);
                let first = format!("210102{}001", born.format("%Y%m%d"));
                let number = format!(
                    "{first}{}",
                    dte_domain::resident_id::check_character(&first)
                );
                let id = dte_domain::ResidentId::parse(&number, date).unwrap();
                let phone = dte_domain::Phone::parse(&format!("139{:08}", n)).unwrap();
                Applicant {
                    person: NewPerson::protect(&keyring, "学员", &id, &phone),
                    enrolment: NewEnrolment {
                        category: TraineeCategory::InPost,
                        employer_or_school: "某公司".into(),
                        graduation_year: None,
                        subsidy_category: None,
                        commitment_signed: true,
                    },
                    activation: None,
                }
            })
            .collect();
        let written = store
            .enrol(class_id, &applicants, &actor, |_, _, _| {
                Ok::<bool, ()>(false)
            })
            .await
            .unwrap()
            .unwrap();
        people.extend(written.iter().map(|enrolled| enrolled.person_id));
    }
    let sessions = store.sessions_of_class(class_id).await.unwrap();
    let fence = Fence::circle(LatLon::new(41.7655, 123.4203).unwrap(), 300.0).unwrap();
    let secret = Arc::new(SessionSecret::generate());
    let code = code_at(&secret, now.timestamp());

    // Validated: code, domain decision, group commit; every caller waits for its commit.
    let writer = CheckInWriter::spawn(store.clone(), 512, Duration::from_millis(5));
    let plan = Arc::new(session(8));
    let fence = Arc::new(fence);
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let (writer, plan, fence, secret, code) = (
            writer.clone(),
            plan.clone(),
            fence.clone(),
            secret.clone(),
            code.clone(),
        );
        let mine: Vec<i64> = people
            .iter()
            .copied()
            .skip(worker)
            .step_by(CONCURRENCY)
            .collect();
        let session_id = sessions[0].id;
        tasks.push(tokio::spawn(async move {
            for person in mine {
                let position = LatLon::new(41.7655 + (person % 7) as f64 * 1e-5, 123.4203).unwrap();
                let attempt = Attempt {
                    kind: CheckKind::CheckIn,
                    at: now,
                    position,
                    accuracy_m: 20.0,
                    code_accepted: accepts(&secret, &code, now.timestamp()),
                };
                let verdict = decide_check(&plan, &fence, &attempt).unwrap();
                writer
                    .submit(row(
                        session_id,
                        class_id,
                        person,
                        &format!("v-{person}"),
                        verdict.distance_outside_fence_m,
                    ))
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let validated = TRAINEES as f64 / started.elapsed().as_secs_f64();
    let batches = writer.batches();

    // Raw: the same rows, one durable transaction each, no validation, same concurrency.
    let started = Instant::now();
    let mut tasks = Vec::new();
    for worker in 0..CONCURRENCY {
        let store = store.clone();
        let mine: Vec<i64> = people
            .iter()
            .copied()
            .skip(worker)
            .step_by(CONCURRENCY)
            .collect();
        let session_id = sessions[1].id;
        tasks.push(tokio::spawn(async move {
            for person in mine {
                store
                    .record_check_ins(&[row(
                        session_id,
                        class_id,
                        person,
                        &format!("r-{person}"),
                        0.0,
                    )])
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let raw = TRAINEES as f64 / started.elapsed().as_secs_f64();
    assert_eq!(
        store.check_in_counts(sessions[0].id).await.unwrap(),
        (TRAINEES as u32, 0)
    );
    assert_eq!(
        store.check_in_counts(sessions[1].id).await.unwrap(),
        (TRAINEES as u32, 0)
    );
    (validated, raw, batches)
}

fn row(session_id: i64, class_id: i64, person_id: i64, key: &str, outside: f64) -> NewCheckIn {
    NewCheckIn {
        session_id,
        class_id,
        person_id,
        kind: "in",
        at: Utc.with_ymd_and_hms(2027, 1, 10, 0, 25, 0).unwrap(),
        lat: 41.7655,
        lon: 123.4203,
        accuracy_m: 20.0,
        device_id: format!("device-{person_id}"),
        distance_outside_m: outside,
        late: false,
        accepted: true,
        refusal: None,
        idempotency_key: key.to_owned(),
    }
}
