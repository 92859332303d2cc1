//! Public reads (issue 12, item 7): requests per second for `/healthz`,
//! `/api/v1/occupations` and `/api/v1/openapi.json` on the same server, and each one's ratio
//! to `/healthz` (the target: the catalog and the document at least half of `/healthz`).
//!
//! Starts the real app on 127.0.0.1:0 with a fresh SQLite store holding the bundled reference
//! data, built as the tests' `spawn_app` builds it, then drives each path from
//! [`CLIENTS`] concurrent keep-alive clients, in [`ROUNDS`] rounds that take the paths in
//! turn (so a burst of load elsewhere on the machine does not fall on one path only), and
//! reports each path's best round. Bounded per path: at most [`MAX_REQUESTS`] requests and
//! [`MAX_TIME`] in all. Also reports the occupations revalidated with `If-None-Match`
//! (answered `304`).
//!
//! Run: `cargo bench -p dte-web --bench public_reads` (optimised), or
//! `cargo bench --profile dev -p dte-web --bench public_reads` to skip the optimised build of
//! typst (dependencies at `opt-level = 1`, this crate unoptimised).

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap is a failed run.

use dte_store::Backend;
use dte_store::testing::fresh_database;
use dte_web::{AppState, CatalogCache, Clock};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Concurrent keep-alive clients, one connection each.
const CLIENTS: usize = 8;
/// At most this many requests per path, over all rounds.
const MAX_REQUESTS: usize = 20_000;
/// At most this long per path, over all rounds.
const MAX_TIME: Duration = Duration::from_secs(10);
/// Rounds over the paths; each round of a path is bounded by its share of both limits.
const ROUNDS: usize = 4;
/// Requests per path before measuring, to open the connections and fill the caches.
const WARM_UP: usize = 200;

#[tokio::main(flavor = "multi_thread")]
async fn main() {
    let database = fresh_database(Backend::Sqlite).await.unwrap().unwrap();
    database
        .store
        .load_bundled_reference(chrono::Utc::now())
        .await
        .unwrap();
    let data_dir =
        std::env::temp_dir().join(format!("dte-bench-public-reads-{}", std::process::id()));
    std::fs::create_dir_all(&data_dir).unwrap();
    let context = dte_app::Context {
        store: database.store.clone(),
        clock: Clock::from_fn(chrono::Utc::now),
        public_url: "http://127.0.0.1".into(),
        keyring: Arc::new(dte_crypto::Keyring::parse(&dte_crypto::Keyring::generate()).unwrap()),
        check_ins: dte_store::CheckInWriter::spawn(
            database.store.clone(),
            64,
            Duration::from_millis(2),
        ),
        data_dir: Arc::from(data_dir.as_path()),
        certificates: Arc::new(dte_app::certificates::Services::new(
            dte_crypto::CertificateKey::parse(&dte_crypto::CertificateKey::generate()).unwrap(),
        )),
        accounts: Arc::new(dte_app::accounts::Settings::with_params(
            dte_crypto::PasswordParams::FOR_TESTS_ONLY,
        )),
    };
    let state = AppState {
        context,
        security: Arc::new(dte_web::auth::Security::new(false, Vec::new())),
        verification_limit: Arc::new(dte_web::rate_limit::RateLimiter::new(40)),
        objection_limit: Arc::new(dte_web::rate_limit::RateLimiter::new(
            dte_web::rate_limit::OBJECTIONS_PER_MINUTE,
        )),
        catalog: CatalogCache::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dte_web::serve(listener, state, std::future::pending()));

    let clients: Vec<reqwest::Client> = (0..CLIENTS).map(|_| reqwest::Client::new()).collect();
    let occupations_tag = clients[0]
        .get(format!("{address}/api/v1/occupations"))
        .send()
        .await
        .unwrap()
        .headers()["etag"]
        .to_str()
        .unwrap()
        .to_owned();
    let runs = [
        ("/healthz", None, 200),
        ("/api/v1/occupations", None, 200),
        ("/api/v1/openapi.json", None, 200),
        ("/api/v1/occupations", Some(occupations_tag), 304),
    ];
    let mut best = vec![0.0_f64; runs.len()];
    let mut total = vec![0_usize; runs.len()];
    for (path, tag, status) in &runs {
        let url = format!("{address}{path}");
        drive(&clients, &url, tag.as_deref(), *status, WARM_UP, MAX_TIME).await;
    }
    for _ in 0..ROUNDS {
        for (index, (path, tag, status)) in runs.iter().enumerate() {
            let url = format!("{address}{path}");
            let limit = MAX_REQUESTS / ROUNDS;
            let started = Instant::now();
            let done = drive(
                &clients,
                &url,
                tag.as_deref(),
                *status,
                limit,
                MAX_TIME / ROUNDS as u32,
            )
            .await;
            best[index] = best[index].max(done as f64 / started.elapsed().as_secs_f64());
            total[index] += done;
        }
    }
    println!(
        "{CLIENTS} keep-alive clients; best of {ROUNDS} rounds; at most {MAX_REQUESTS} requests and {MAX_TIME:?} per path"
    );
    for (index, (path, tag, _)) in runs.iter().enumerate() {
        let label = match tag {
            Some(_) => format!("{path} (If-None-Match, 304)"),
            None => (*path).to_owned(),
        };
        println!(
            "{label:<44} {:>9.0} requests/s ({} requests)  {:.2} × /healthz",
            best[index],
            total[index],
            best[index] / best[0]
        );
    }
    drop(database);
    let _ = std::fs::remove_dir_all(&data_dir);
}

/// Sends GETs of `url` from every client at once until `limit` requests are done or `time`
/// has passed; checks each status and reads each body. Answers how many were done.
async fn drive(
    clients: &[reqwest::Client],
    url: &str,
    if_none_match: Option<&str>,
    status: u16,
    limit: usize,
    time: Duration,
) -> usize {
    let deadline = Instant::now() + time;
    let claimed = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for client in clients {
        let (client, url, claimed, done) = (
            client.clone(),
            url.to_owned(),
            claimed.clone(),
            done.clone(),
        );
        let tag = if_none_match.map(str::to_owned);
        tasks.push(tokio::spawn(async move {
            while claimed.fetch_add(1, Ordering::Relaxed) < limit && Instant::now() < deadline {
                let mut request = client.get(&url);
                if let Some(tag) = &tag {
                    request = request.header("if-none-match", tag);
                }
                let response = request.send().await.unwrap();
                assert_eq!(response.status().as_u16(), status, "{url}");
                response.bytes().await.unwrap();
                done.fetch_add(1, Ordering::Relaxed);
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    done.load(Ordering::Relaxed)
}
