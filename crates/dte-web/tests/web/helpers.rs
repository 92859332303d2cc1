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

/// Public verifications one address may make per minute in tests.
pub const VERIFICATIONS_PER_MINUTE: u32 = 40;

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    #[allow(dead_code)] // Kept alive so the database outlives the server.
    pub database: TestDatabase,
    /// The app's data folder (recordings, materials, uploads), removed when the app is dropped.
    pub data_dir: std::path::PathBuf,
    /// What the app's clock answers; [`TestApp::set_now`] moves it.
    pub now: std::sync::Arc<std::sync::Mutex<chrono::DateTime<Utc>>>,
    /// The server's keyring, for people whose ID numbers a test must be able to reveal.
    pub keyring: std::sync::Arc<dte_crypto::Keyring>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

impl TestApp {
    /// Sets the app's clock (it starts at [`test_now`]).
    #[allow(dead_code)]
    pub fn set_now(&self, at: chrono::DateTime<Utc>) {
        *self.now.lock().unwrap() = at;
    }
}

/// The instant every test runs at: 2026-11-27 12:00 in Shanghai.
pub fn test_now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 4, 0, 0).unwrap()
}

/// Starts DTE on 127.0.0.1 with a fresh, migrated database holding the reference data.
pub async fn spawn_app(backend: Backend) -> Option<TestApp> {
    spawn_app_with(backend, dte_web::ConnectionLimits::default()).await
}

/// [`spawn_app`] with its connections served under `limits`.
pub async fn spawn_app_with(
    backend: Backend,
    limits: dte_web::ConnectionLimits,
) -> Option<TestApp> {
    let database = fresh_database(backend).await.unwrap()?;
    database
        .store
        .load_bundled_reference(test_now())
        .await
        .unwrap();
    let now = std::sync::Arc::new(std::sync::Mutex::new(test_now()));
    let clock_now = now.clone();
    let data_dir = std::env::temp_dir().join(format!(
        "dte-web-test-{}-{}",
        std::process::id(),
        dte_crypto::new_token()
    ));
    std::fs::create_dir_all(&data_dir).unwrap();
    let keyring =
        std::sync::Arc::new(dte_crypto::Keyring::parse(&dte_crypto::Keyring::generate()).unwrap());
    let context = dte_app::Context {
        store: database.store.clone(),
        clock: Clock::from_fn(move || *clock_now.lock().unwrap()),
        public_url: "http://127.0.0.1".into(),
        keyring: keyring.clone(),
        check_ins: dte_store::CheckInWriter::spawn(
            database.store.clone(),
            64,
            std::time::Duration::from_millis(2),
        ),
        data_dir: std::sync::Arc::from(data_dir.as_path()),
        certificates: std::sync::Arc::new(dte_app::certificates::Services::new(
            dte_crypto::CertificateKey::parse(&dte_crypto::CertificateKey::generate()).unwrap(),
        )),
        accounts: std::sync::Arc::new(dte_app::accounts::Settings::with_params(
            dte_crypto::PasswordParams::FOR_TESTS_ONLY,
        )),
    };
    let state = AppState {
        context,
        security: std::sync::Arc::new(dte_web::auth::Security::new(false, Vec::new())),
        verification_limit: std::sync::Arc::new(dte_web::rate_limit::RateLimiter::new(
            VERIFICATIONS_PER_MINUTE,
        )),
        objection_limit: std::sync::Arc::new(dte_web::rate_limit::RateLimiter::new(
            dte_web::rate_limit::OBJECTIONS_PER_MINUTE,
        )),
        catalog: dte_web::CatalogCache::default(),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(dte_web::serve_with(
        listener,
        state,
        limits,
        dte_web::serve::PlainHttp,
        std::future::pending(),
    ));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    Some(TestApp {
        address,
        client,
        database,
        data_dir,
        now,
        keyring,
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

/// Accounts of every role, bound where the role needs it: the city admin to 大连, the
/// institutions to 大连理工大学 (training) and 中国电子学会 (evaluation).
pub const TEST_PASSWORD: &str = "Liaoning-Test-2026!";

impl TestApp {
    /// Creates an account directly in the store and returns its username.
    pub async fn create_user(&self, role: dte_domain::Role, username: &str) -> String {
        self.create_user_of(role, username, "大连").await
    }

    /// An account of `role` as `create_user` makes it; a city administrator of `region`.
    pub async fn create_user_of(
        &self,
        role: dte_domain::Role,
        username: &str,
        region: &str,
    ) -> String {
        use dte_domain::Role;
        let store = &self.database.store;
        let institution = match role {
            Role::TrainingInstitution => {
                store.institution_id_by_name("大连理工大学").await.unwrap()
            }
            Role::EvaluationInstitution => {
                store.institution_id_by_name("中国电子学会").await.unwrap()
            }
            _ => None,
        };
        let user = dte_store::NewUser {
            username: username.to_owned(),
            display_name: format!("{}（测试）", role.label()),
            role,
            region: (role == Role::CityAdmin).then(|| region.to_owned()),
            institution_id: institution,
            person_id: (role == Role::Trainee).then_some(1),
            password_hash: Some(
                dte_crypto::hash_password_with(
                    TEST_PASSWORD,
                    dte_crypto::PasswordParams::FOR_TESTS_ONLY,
                )
                .unwrap(),
            ),
        };
        store.create_user(&user, test_now()).await.unwrap();
        username.to_owned()
    }

    /// Signs in through the API and returns the bearer token.
    pub async fn token_for(&self, username: &str) -> String {
        let response = self
            .client
            .post(format!("{}/api/v1/session", self.address))
            .json(&serde_json::json!({"username": username, "password": TEST_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "sign-in of {username}");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }
}

impl TestApp {
    /// Sends a JSON request with a bearer token; answers the status and the JSON body (null
    /// when there is none).
    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Option<serde_json::Value>,
    ) -> (u16, serde_json::Value) {
        let mut request = reqwest::Client::new()
            .request(method, format!("{}{path}", self.address))
            .bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        let text = response.text().await.unwrap();
        (
            status,
            serde_json::from_str(&text).unwrap_or(serde_json::Value::Null),
        )
    }

    /// GETs a path with a bearer token; answers the status and the body's bytes.
    pub async fn get_bytes(&self, path: &str, token: &str) -> (u16, Vec<u8>) {
        let response = reqwest::Client::new()
            .get(format!("{}{path}", self.address))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        (
            response.status().as_u16(),
            response.bytes().await.unwrap().to_vec(),
        )
    }
}

impl TestApp {
    /// Signs in with a client of its own and returns the bearer token: unlike
    /// [`TestApp::token_for`], it leaves the shared client's cookie (and the session it names)
    /// alone, so several accounts can act side by side.
    pub async fn own_token(&self, username: &str) -> String {
        let response = reqwest::Client::new()
            .post(format!("{}/api/v1/session", self.address))
            .json(&serde_json::json!({"username": username, "password": TEST_PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "sign-in of {username}");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }
}
