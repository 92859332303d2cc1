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
    assert!(has("session.create", "failed"), "{log}");
    assert!(has("session.create", "success"), "{log}");
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
