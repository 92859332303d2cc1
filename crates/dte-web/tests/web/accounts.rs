//! Accounts, sessions, permissions and scope (the accounts issue), on both backends.

use crate::helpers::{TEST_PASSWORD, TestApp};
use dte_domain::Role;
use reqwest::{Method, StatusCode};

both_backends!(
    signing_in_gives_a_bearer_token_and_a_session_cookie,
    a_wrong_password_is_refused_without_saying_which_part_was_wrong,
    repeated_wrong_passwords_lock_the_account,
    signing_out_ends_the_session,
    every_route_answers_every_role_as_its_permission_declares,
    cookie_signed_forms_need_the_csrf_token,
    a_city_admin_sees_only_its_own_regions_accounts,
    the_province_creates_accounts_and_sees_the_password_once,
);

/// SPEC: `POST /api/v1/session` → 200 with `{"token"}` and a session cookie.
async fn signing_in_gives_a_bearer_token_and_a_session_cookie(app: TestApp) {
    app.create_user(Role::CityAdmin, "dalian").await;
    let response = app
        .client
        .post(format!("{}/api/v1/session", app.address))
        .json(&serde_json::json!({"username": "dalian", "password": TEST_PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let cookie = response.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.starts_with("dte_session=")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Lax")
    );
    let body: serde_json::Value = response.json().await.unwrap();
    let token = body["token"].as_str().unwrap();
    assert!(token.len() >= 43);
    let me: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.address))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["role"].as_str(), me["region"].as_str()),
        (Some("city-admin"), Some("大连"))
    );
    let anonymous = reqwest::Client::new()
        .get(format!("{}/api/v1/me", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), 401);
}

/// ASVS 5.0 V6.3.8: the answer does not reveal whether the account exists.
async fn a_wrong_password_is_refused_without_saying_which_part_was_wrong(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    let mut messages = Vec::new();
    for (username, password) in [("province", "wrong-Password-1"), ("nobody", TEST_PASSWORD)] {
        let response = app
            .client
            .post(format!("{}/api/v1/session", app.address))
            .json(&serde_json::json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let body: serde_json::Value = response.json().await.unwrap();
        messages.push(body["error"]["message"].as_str().unwrap().to_owned());
    }
    assert_eq!(messages[0], messages[1]);
    assert_eq!(messages[0], "用户名或密码错误");
}

/// GB/T 22239-2019 8.1.4.1 b 登录失败处理; ASVS 5.0 V6.3.1: five failures lock the account
/// for 15 minutes, even against the right password.
async fn repeated_wrong_passwords_lock_the_account(app: TestApp) {
    app.create_user(Role::Inspector, "inspector").await;
    let attempt = |password: &'static str| {
        let client = app.client.clone();
        let url = format!("{}/api/v1/session", app.address);
        async move {
            client
                .post(url)
                .json(&serde_json::json!({"username": "inspector", "password": password}))
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    for _ in 0..5 {
        assert_eq!(
            attempt("Not-The-Password-9").await,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(attempt(TEST_PASSWORD).await, StatusCode::TOO_MANY_REQUESTS);
}

async fn signing_out_ends_the_session(app: TestApp) {
    app.create_user(Role::Auditor, "auditor").await;
    let token = app.token_for("auditor").await;
    let client = reqwest::Client::new();
    let me = |token: String| {
        let client = client.clone();
        let url = format!("{}/api/v1/me", app.address);
        async move {
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    assert_eq!(me(token.clone()).await, 200);
    let out = client
        .delete(format!("{}/api/v1/session", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(me(token).await, 401);
}

/// The authorization matrix: every route of the router × every role and anonymous. A denied
/// request is 401 (API) or a redirect to sign-in (pages) when anonymous, 403 when signed in;
/// an allowed one is neither. A route added without a rule cannot exist: the table needs one.
async fn every_route_answers_every_role_as_its_permission_declares(app: TestApp) {
    let mut usernames = Vec::new();
    for role in Role::ALL {
        usernames.push((Some(role), app.create_user(role, role.as_str()).await));
    }
    usernames.push((None, String::new()));
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut checked = 0;
    for route in dte_web::routes() {
        let path = route
            .path
            .replace("{number}", "DTE-NONE")
            .replace("{id}", "1")
            .replace("{year}", "2026")
            .replace("{region}", "沈阳")
            .replace("{file}", "dte.css");
        for (role, username) in &usernames {
            let method = Method::from_bytes(route.method.as_bytes()).unwrap();
            let mut request = client.request(method, format!("{}{path}", app.address));
            if role.is_some() {
                // A fresh session per request: some routes (sign-out) end the one they use.
                request = request.bearer_auth(app.token_for(username).await);
            }
            let status = request.send().await.unwrap().status();
            let allowed = route.permission.allows(*role);
            let label = format!("{} {} as {:?}: {status}", route.method, route.path, role);
            if allowed {
                assert!(
                    status != StatusCode::UNAUTHORIZED && status != StatusCode::FORBIDDEN,
                    "{label} should be allowed"
                );
            } else if role.is_none() && path.starts_with("/api/") {
                assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}");
            } else if role.is_none() {
                assert_eq!(
                    status,
                    StatusCode::SEE_OTHER,
                    "{label} should redirect to sign-in"
                );
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{label}");
            }
            checked += 1;
        }
    }
    assert_eq!(checked, dte_web::routes().len() * (Role::ALL.len() + 1));
}

/// ASVS 5.0 V3.5.1: a cookie-signed state change needs the session's CSRF token.
async fn cookie_signed_forms_need_the_csrf_token(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.token_for("province").await; // The shared client now holds the session cookie.
    let without = app
        .client
        .post(format!("{}/logout", app.address))
        .form(&[("x", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(without.status(), 403);
    let (_, workbench) = app.get_text("/workbench").await;
    let marker = r#"name="csrf_token" value=""#;
    let start = workbench.find(marker).unwrap() + marker.len();
    let token = &workbench[start..start + workbench[start..].find('"').unwrap()];
    let with = app
        .client
        .post(format!("{}/logout", app.address))
        .form(&[("csrf_token", token)])
        .send()
        .await
        .unwrap();
    assert!(
        with.status().is_success() || with.status().is_redirection(),
        "{}",
        with.status()
    );
    let (_, home) = app.get_text("/").await;
    assert!(home.contains(r#"href="/login""#), "signed out");
}

/// SPEC scope: a city admin sees the accounts of its own region only.
async fn a_city_admin_sees_only_its_own_regions_accounts(app: TestApp) {
    app.create_user(Role::CityAdmin, "dalian").await;
    app.create_user(Role::ProvinceAdmin, "province").await;
    let store = &app.database.store;
    let shenyang = dte_store::NewUser {
        username: "shenyang".into(),
        display_name: "沈阳市人社局".into(),
        role: Role::CityAdmin,
        region: Some("沈阳".into()),
        institution_id: None,
        person_id: None,
        password_hash: None,
    };
    store
        .create_user(&shenyang, crate::helpers::test_now())
        .await
        .unwrap();
    let token = app.token_for("dalian").await;
    let page = reqwest::Client::new()
        .get(format!("{}/users", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(">dalian<"));
    assert!(
        !html.contains(">shenyang<") && !html.contains(">province<"),
        "another region's accounts leak"
    );
    // A training institution may not manage accounts at all.
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let token = app.token_for("dlut").await;
    let refused = reqwest::Client::new()
        .get(format!("{}/users", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    assert!(!refused.text().await.unwrap().contains("dalian"));
}

/// The province creates a city account; the initial password is shown once and works.
async fn the_province_creates_accounts_and_sees_the_password_once(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    let token = app.token_for("province").await;
    let client = reqwest::Client::new();
    let form = [
        ("username", "anshan"),
        ("display_name", "鞍山市人社局"),
        ("role", "city-admin"),
        ("region", "鞍山"),
        ("institution", ""),
    ];
    let response = client
        .post(format!("{}/users", app.address))
        .bearer_auth(&token)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let html = response.text().await.unwrap();
    let marker = r#"<code id="initial-password">"#;
    let start = html.find(marker).unwrap() + marker.len();
    let password = &html[start..start + html[start..].find('<').unwrap()];
    let signed_in = client
        .post(format!("{}/api/v1/session", app.address))
        .json(&serde_json::json!({"username": "anshan", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), 200);
    let again = client
        .get(format!("{}/users", app.address))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(!again.contains(password), "the password is shown only once");
    // A city admin without a region is refused, naming what is missing.
    let form = [
        ("username", "nowhere"),
        ("display_name", "x"),
        ("role", "city-admin"),
        ("region", ""),
        ("institution", ""),
    ];
    let refused = client
        .post(format!("{}/users", app.address))
        .bearer_auth(&token)
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    assert!(refused.text().await.unwrap().contains("所属地区"));
}

both_backends!(sign_ins_and_refusals_are_audited_and_only_the_auditor_reads_the_log);

/// GB/T 22239-2019 8.1.4.3: sign-ins (failed and successful), refusals and account changes
/// are audited with who, role and address; MLPS 三权分立: only the auditor reads the log.
async fn sign_ins_and_refusals_are_audited_and_only_the_auditor_reads_the_log(app: TestApp) {
    app.create_user(Role::Auditor, "auditor").await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let failed = app
        .client
        .post(format!("{}/api/v1/session", app.address))
        .json(&serde_json::json!({"username": "dlut", "password": "Wrong-Password-77"}))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);
    let dlut = app.token_for("dlut").await;
    let refused = reqwest::Client::new()
        .get(format!("{}/users", app.address))
        .bearer_auth(&dlut)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);
    let denied_log = reqwest::Client::new()
        .get(format!("{}/api/v1/audit", app.address))
        .bearer_auth(&dlut)
        .send()
        .await
        .unwrap();
    assert_eq!(denied_log.status(), 403);

    let auditor = app.token_for("auditor").await;
    let log: serde_json::Value = reqwest::Client::new()
        .get(format!("{}/api/v1/audit?actor=dlut", app.address))
        .bearer_auth(&auditor)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let entries = log["items"].as_array().unwrap();
    let has = |action: &str, outcome: &str| {
        entries
            .iter()
            .any(|entry| entry["action"] == action && entry["outcome"] == outcome)
    };
    assert!(has("session.create", "success"), "{log}");
    // The failed attempt was not proven to be dlut's: it is anonymous, naming the account it
    // tried as its entity.
    assert!(!has("session.create", "failed"), "{log}");
    let (_, anonymous) = app
        .send_json(
            reqwest::Method::GET,
            "/api/v1/audit?actor=anonymous&action=session.create",
            &auditor,
            None,
        )
        .await;
    let attempt = anonymous["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|entry| entry["outcome"] == "failed" && entry["entity_id"] == "dlut")
        .unwrap_or_else(|| panic!("no anonymous failed attempt on dlut in {anonymous}"));
    assert_eq!(attempt["role"], "anonymous");
    assert!(has("access.denied", "denied"), "{log}");
    let denied = entries
        .iter()
        .find(|entry| entry["action"] == "access.denied" && entry["entity_id"] == "GET /users")
        .unwrap_or_else(|| panic!("no refusal of GET /users in {log}"));
    assert_eq!(denied["role"], "training-institution");
    assert_eq!(denied["client_address"], "127.0.0.1");
    let verification = app.database.store.verify_audit_chain().await.unwrap();
    assert!(
        matches!(verification, dte_store::AuditVerification::Intact { .. }),
        "{verification:?}"
    );
}

both_backends!(an_activation_flood_from_one_address_is_throttled_and_recorded_as_anonymous);

/// Issue 15 item 5: activation attempts with ever-new usernames from one address are
/// throttled after the address's share of failures, and each is audited as anonymous with
/// the submitted username as data — a forged `demo-province` is never an actor.
async fn an_activation_flood_from_one_address_is_throttled_and_recorded_as_anonymous(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "demo-province").await;
    app.create_user(Role::Auditor, "auditor").await;
    let limit = dte_domain::access::LockoutPolicy::DEFAULT.address_failures;
    let attempt = |username: String| {
        app.client
            .post(format!("{}/api/v1/activation", app.address))
            .json(&serde_json::json!({
                "username": username, "code": "AAAA-AAAA", "password": "Trainee-Pass-2026!"
            }))
            .send()
    };
    for n in 0..limit {
        let username = if n == 0 {
            "demo-province".to_owned()
        } else {
            format!("nobody-{n}")
        };
        let status = attempt(username).await.unwrap().status();
        assert_eq!(status, 422, "attempt {n} is refused as a wrong code");
    }
    let flooded = attempt("nobody-new".to_owned()).await.unwrap();
    assert_eq!(flooded.status(), 429, "the address has used its share");
    let body: serde_json::Value = flooded.json().await.unwrap();
    assert_eq!(body["error"]["code"], "locked", "{body}");

    let auditor = app.token_for("auditor").await;
    let (_, forged) = app
        .send_json(
            reqwest::Method::GET,
            "/api/v1/audit?actor=demo-province",
            &auditor,
            None,
        )
        .await;
    assert_eq!(forged["items"].as_array().unwrap().len(), 0, "{forged}");
    let (_, attempts) = app
        .send_json(
            reqwest::Method::GET,
            "/api/v1/audit?action=user.activate",
            &auditor,
            None,
        )
        .await;
    let attempts = attempts["items"].as_array().unwrap();
    assert_eq!(attempts.len() as u32, limit + 1, "{attempts:?}");
    assert!(attempts.iter().all(|entry| entry["actor"] == "anonymous"));
    let forged_attempt = attempts
        .iter()
        .find(|entry| entry["entity_id"] == "demo-province")
        .expect("the forged attempt is kept");
    assert!(
        forged_attempt["after"]
            .as_str()
            .unwrap()
            .contains("demo-province"),
        "{forged_attempt}"
    );
}

both_backends!(a_malformed_request_id_is_replaced_and_a_well_formed_one_kept);

/// Issue 15 item 5: `X-Request-Id` is echoed and stored only when it is well formed and
/// bounded; otherwise DTE makes its own.
async fn a_malformed_request_id_is_replaced_and_a_well_formed_one_kept(app: TestApp) {
    let echoed = |id: String| {
        let request = app
            .client
            .get(format!("{}/healthz", app.address))
            .header("x-request-id", id);
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            response.headers()["x-request-id"]
                .to_str()
                .unwrap()
                .to_owned()
        }
    };
    assert_eq!(echoed("client-42.a_b".to_owned()).await, "client-42.a_b");
    for forged in [
        "47ea2fdf-4a000 forged <b>x</b>".to_owned(),
        "a".repeat(65),
        "id;drop".to_owned(),
    ] {
        let id = echoed(forged.clone()).await;
        assert_ne!(id, forged);
        assert!(
            !id.is_empty()
                && id.len() <= 64
                && id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)),
            "{forged:?} was replaced by {id:?}"
        );
    }
}

both_backends!(personal_answers_and_signed_in_pages_are_not_stored_by_caches);

/// Issue 15 item 7: every page and answer for a signed-in person carries
/// `Cache-Control: no-store`; the public catalog stays cacheable.
async fn personal_answers_and_signed_in_pages_are_not_stored_by_caches(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    let token = app.token_for("province").await;
    let cache_control = |path: &'static str, token: Option<String>| {
        let mut request = app.client.get(format!("{}{path}", app.address));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        async move {
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200, "{path}");
            response
                .headers()
                .get("cache-control")
                .map(|value| value.to_str().unwrap().to_owned())
                .unwrap_or_default()
        }
    };
    for path in [
        "/workbench",
        "/api/v1/me",
        "/api/v1/classes",
        "/api/v1/certificates",
        "/users",
    ] {
        assert_eq!(
            cache_control(path, Some(token.clone())).await,
            "no-store",
            "{path}"
        );
    }
    let catalog = cache_control("/api/v1/occupations", None).await;
    assert!(catalog.starts_with("public"), "{catalog}");
}
