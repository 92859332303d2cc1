//! The public reads served from memory (the OpenAPI document, the catalog): strong ETags,
//! `Cache-Control`, `304 Not Modified`, and a fresh answer as soon as the catalog changes.

use crate::helpers::{TestApp, test_now};
use chrono::TimeZone;
use dte_domain::Role;

both_backends!(
    the_openapi_document_is_served_once_made_with_an_etag_and_304,
    the_occupations_carry_a_strong_etag_and_answer_304_when_held,
    loading_a_new_catalog_year_gives_the_occupations_a_new_etag_and_body,
    a_quota_change_gives_the_regions_a_new_etag_and_body,
    the_institutions_carry_an_etag_per_filter_and_answer_304_when_held,
);

/// A GET with an optional `If-None-Match`: the status, the ETag, `Cache-Control`,
/// `Content-Type` and the body.
struct Answer {
    status: u16,
    etag: Option<String>,
    cache_control: Option<String>,
    content_type: Option<String>,
    body: String,
}

async fn get(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Answer {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    Answer {
        status: response.status().as_u16(),
        etag: header("etag"),
        cache_control: header("cache-control"),
        content_type: header("content-type"),
        body: response.text().await.unwrap(),
    }
}

/// Asserts the revalidation contract of one path: a quoted strong tag, the same on a second
/// request, `304` with no body for that tag (also in a list and with `W/`), `200` for another.
async fn check_revalidation(app: &TestApp, path: &str, cache_control: &str) -> Answer {
    let first = get(app, path, None).await;
    assert_eq!(first.status, 200, "{path}");
    assert_eq!(first.content_type.as_deref(), Some("application/json"));
    assert_eq!(first.cache_control.as_deref(), Some(cache_control));
    let etag = first.etag.clone().expect("an ETag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "a strong tag: {etag}"
    );
    let again = get(app, path, None).await;
    assert_eq!(again.etag.as_deref(), Some(etag.as_str()));
    assert_eq!(again.body, first.body);
    for held in [
        etag.clone(),
        format!("\"other\", {etag}"),
        format!("W/{etag}"),
    ] {
        let revalidated = get(app, path, Some(&held)).await;
        assert_eq!(revalidated.status, 304, "{path} with If-None-Match {held}");
        assert_eq!(revalidated.body, "");
        assert_eq!(revalidated.etag.as_deref(), Some(etag.as_str()));
        assert_eq!(revalidated.cache_control.as_deref(), Some(cache_control));
    }
    let other = get(app, path, Some("\"not-this-one\"")).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);
    first
}

/// Issue 12: the document is made once per process; clients revalidate it by its ETag.
async fn the_openapi_document_is_served_once_made_with_an_etag_and_304(app: TestApp) {
    let first = check_revalidation(&app, "/api/v1/openapi.json", "public, max-age=300").await;
    let document: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert!(document["paths"]["/api/v1/occupations"]["get"].is_object());
}

/// Issue 12: the public catalog carries a strong ETag and a short public max-age; SPEC's
/// shape is unchanged (each occupation with code, name and levels with hours, rate, subsidy).
async fn the_occupations_carry_a_strong_etag_and_answer_304_when_held(app: TestApp) {
    let first = check_revalidation(&app, "/api/v1/occupations", "public, max-age=60").await;
    let body: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    let ai = items.iter().find(|o| o["code"] == "2-02-10-09").unwrap();
    assert_eq!(ai["levels"]["intermediate"]["rate_fen_per_hour"], 2000);
    assert_eq!(ai["levels"]["intermediate"]["subsidy_fen"], 160_000);
    assert_eq!(ai["year"], 2026);
}

/// Issue 12: the kept answer is never served after the catalog changes. In 2027 the 2026
/// catalog is in force until 2027's reference data is loaded; loading it (a new rate) must
/// show at once, with a new tag, to a client holding the old one.
async fn loading_a_new_catalog_year_gives_the_occupations_a_new_etag_and_body(app: TestApp) {
    app.set_now(chrono::Utc.with_ymd_and_hms(2027, 3, 1, 4, 0, 0).unwrap());
    let before = get(&app, "/api/v1/occupations", None).await;
    assert_eq!(before.status, 200);
    let old_tag = before.etag.clone().unwrap();
    let body: serde_json::Value = serde_json::from_str(&before.body).unwrap();
    assert_eq!(body["items"][0]["year"], 2026);
    assert_eq!(
        get(&app, "/api/v1/occupations", Some(&old_tag))
            .await
            .status,
        304
    );

    let (_, text_2026) = dte_domain::reference::BUNDLED[0];
    // The 2026 holiday calendar closes the file; 2027 has none yet (counted Monday to Friday).
    let text_2026 = text_2026.split("[[calendar]]").next().unwrap();
    let text_2027 = text_2026.replace("year = 2026", "year = 2027").replace(
        "intermediate_fen_per_hour = 2000",
        "intermediate_fen_per_hour = 2200",
    );
    let data = dte_domain::reference::ReferenceData::parse(2027, &text_2027).unwrap();
    app.database
        .store
        .load_reference(&data, &text_2027, test_now())
        .await
        .unwrap();

    let after = get(&app, "/api/v1/occupations", Some(&old_tag)).await;
    assert_eq!(after.status, 200, "the old tag no longer matches");
    let new_tag = after.etag.clone().unwrap();
    assert_ne!(new_tag, old_tag);
    let body: serde_json::Value = serde_json::from_str(&after.body).unwrap();
    let ai = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["code"] == "2-02-10-09")
        .unwrap();
    assert_eq!(ai["year"], 2027);
    assert_eq!(ai["levels"]["intermediate"]["rate_fen_per_hour"], 2200);
    assert_eq!(ai["levels"]["intermediate"]["subsidy_fen"], 80 * 2200);
    assert_eq!(
        get(&app, "/api/v1/occupations", Some(&new_tag))
            .await
            .status,
        304
    );
}

/// Issue 12: the province edits quotas (附件7 实行动态管理); the regions' tag follows the answer.
async fn a_quota_change_gives_the_regions_a_new_etag_and_body(app: TestApp) {
    let before = check_revalidation(&app, "/api/v1/regions", "public, max-age=60").await;
    let old_tag = before.etag.unwrap();
    let province = app.create_user(Role::ProvinceAdmin, "province").await;
    let token = app.own_token(&province).await;
    let (status, _) = app
        .send_json(
            reqwest::Method::PUT,
            "/api/v1/quotas/2026/大连",
            &token,
            Some(serde_json::json!({"quota": 777, "reason": "动态调整"})),
        )
        .await;
    assert_eq!(status, 204);
    let after = get(&app, "/api/v1/regions", Some(&old_tag)).await;
    assert_eq!(after.status, 200);
    assert_ne!(after.etag.as_deref(), Some(old_tag.as_str()));
    let body: serde_json::Value = serde_json::from_str(&after.body).unwrap();
    let dalian = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "大连")
        .unwrap();
    assert_eq!(dalian["quota"], 777);
}

/// Issue 12: each filter of the institutions is its own answer with its own tag.
async fn the_institutions_carry_an_etag_per_filter_and_answer_304_when_held(app: TestApp) {
    let all = check_revalidation(&app, "/api/v1/institutions", "public, max-age=60").await;
    let training = check_revalidation(
        &app,
        "/api/v1/institutions?kind=training",
        "public, max-age=60",
    )
    .await;
    assert_ne!(all.etag, training.etag);
    let refused = get(&app, "/api/v1/institutions?kind=nonsense", None).await;
    assert_eq!(refused.status, 422);
    assert_eq!(refused.etag, None);
}
