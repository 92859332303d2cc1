//! `spawn_app()` and friends: a real DTE server on 127.0.0.1:0 with a fresh database.

use chrono::{TimeZone, Utc};
use dte_store::Backend;
use dte_store::testing::{TestDatabase, fresh_database};
use dte_web::{AppState, Clock};

/// Generates one test per backend from an async function taking a `TestApp`. The PostgreSQL
/// variant returns early when no test server is configured (and fails under
/// `DTE_REQUIRE_POSTGRES=1`, which the README's test command sets).
macro_rules! both_backends {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let app = crate::helpers::spawn_app(dte_store::Backend::Sqlite).await.unwrap();
                super::$name(app).await
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(app) = crate::helpers::spawn_app(dte_store::Backend::Postgres).await {
                    super::$name(app).await
                }
            }
        }
    )*};
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    #[allow(dead_code)] // Kept alive so the database outlives the server.
    pub database: TestDatabase,
}

/// The instant every test runs at: 2026-11-27 12:00 in Shanghai.
pub fn test_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 4, 0, 0).unwrap()
}

/// Starts DTE on 127.0.0.1 with a fresh, migrated database holding the reference data.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    let database = fresh_database(backend).await.unwrap()?;
    database
        .store
        .load_bundled_reference(test_now())
        .await
        .unwrap();
    let state = AppState {
        store: database.store.clone(),
        clock: Clock::fixed(test_now()),
        public_url: "http://127.0.0.1".into(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dte_web::serve(listener, state, std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    Some(TestApp {
        address,
        client,
        database,
    })
}

impl TestApp {
    /// GETs a path and returns the status and the JSON body.
    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// GETs a path and returns the status and the text body.
    pub async fn get_text(&self, path: &str) -> (u16, String) {
        let response = self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.text().await.unwrap())
    }
}
