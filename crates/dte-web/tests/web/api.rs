//! The API's contract (SPEC "Interfaces"), on both backends.

use crate::helpers::TestApp;
use serde_json::Value;

both_backends!(
    occupations_carry_hours_rates_and_subsidy_per_level,
    regions_carry_the_quotas_of_annex_7,
    institutions_filter_by_kind_and_occupation,
    a_malformed_filter_is_refused_naming_the_field,
    an_unknown_certificate_is_404_with_the_error_shape,
    health_and_readiness_answer,
    the_openapi_document_lists_every_api_route,
    settings_show_the_policy_in_force,
);

/// SPEC: each occupation with code, name and levels {junior, intermediate, senior} each with
/// hours, rate_fen_per_hour and subsidy_fen; 附件5 figures.
async fn occupations_carry_hours_rates_and_subsidy_per_level(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/occupations").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 10);
    assert_eq!(body["next"], Value::Null);
    let ai = items.iter().find(|o| o["code"] == "2-02-10-09").unwrap();
    assert_eq!(ai["name"], "人工智能工程技术人员");
    assert_eq!(ai["levels"]["intermediate"]["hours"], 80);
    assert_eq!(ai["levels"]["intermediate"]["rate_fen_per_hour"], 2000);
    assert_eq!(ai["levels"]["intermediate"]["subsidy_fen"], 160_000);
    let cloud = items.iter().find(|o| o["code"] == "2-02-10-12").unwrap();
    assert_eq!(cloud["levels"]["senior"]["subsidy_fen"], 480_000);
    for occupation in items {
        for level in ["junior", "intermediate", "senior"] {
            let cell = &occupation["levels"][level];
            let expected =
                cell["hours"].as_i64().unwrap() * cell["rate_fen_per_hour"].as_i64().unwrap();
            assert_eq!(cell["subsidy_fen"].as_i64().unwrap(), expected);
        }
    }
}

/// SPEC / 附件7: each region with name and quota for the current year; total 3000.
async fn regions_carry_the_quotas_of_annex_7(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/regions").await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    let pairs: Vec<(String, i64)> = items
        .iter()
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["quota"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 15);
    assert!(pairs.contains(&("大连".into(), 600)));
    assert!(pairs.contains(&("沈抚示范区".into(), 100)));
    assert_eq!(pairs.iter().map(|(_, quota)| quota).sum::<i64>(), 3000);
}

/// SPEC: `GET /api/v1/institutions?kind=training|evaluation&occupation=CODE`.
async fn institutions_filter_by_kind_and_occupation(app: TestApp) {
    let (status, body) = app
        .get_json("/api/v1/institutions?kind=training&occupation=2-02-10-15")
        .await;
    assert_eq!(status, 200);
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["name"], "东北大学");
    assert_eq!(items[0]["contact_person"], "滕老师");
    assert_eq!(items[0]["contact_phone"], "15140003658");
    let (_, body) = app
        .get_json("/api/v1/institutions?kind=evaluation&occupation=2-02-10-10")
        .await;
    let names: Vec<&str> = body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["工业和信息化部教育与考试中心"]);
    let (_, body) = app
        .get_json("/api/v1/institutions?occupation=2-02-30-11")
        .await;
    assert!(
        body["items"].as_array().unwrap().is_empty(),
        "数字化管理师 has none listed"
    );
    let (_, body) = app.get_json("/api/v1/institutions").await;
    assert_eq!(body["items"].as_array().unwrap().len(), 18);
}

/// SPEC: errors answer {"error": {"code", "message" (Chinese), "field"}}.
async fn a_malformed_filter_is_refused_naming_the_field(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/institutions?kind=school").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "kind");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("培训机构")
    );
    let (status, body) = app.get_json("/api/v1/institutions?occupation=2-02").await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "occupation");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("职业代码")
    );
}

/// SPEC: `GET /api/v1/certificates/{number}` is 404 for an unknown number.
async fn an_unknown_certificate_is_404_with_the_error_shape(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/certificates/DTE-2026-000001").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "certificate_not_found");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("DTE-2026-000001")
    );
    let (status, body) = app.get_json("/api/v1/no-such-thing").await;
    assert_eq!(status, 404);
    assert_eq!(body["error"]["code"], "not_found");
}

/// SPEC: `GET /healthz` → 200; `/readyz` reports the database reachable.
async fn health_and_readiness_answer(app: TestApp) {
    assert_eq!(app.get_text("/healthz").await, (200, "ok".to_owned()));
    assert_eq!(app.get_text("/readyz").await, (200, "ready".to_owned()));
    let response = app
        .client
        .get(format!("{}/healthz", app.address))
        .send()
        .await
        .unwrap();
    assert!(response.headers().contains_key("x-request-id"));
    assert_eq!(response.headers()["x-content-type-options"], "nosniff");
    assert!(
        !response.headers().contains_key("strict-transport-security"),
        "no HSTS over plain HTTP (the TLS test checks it is sent over HTTPS)"
    );
}

/// SPEC: the OpenAPI document lists the whole API: every `/api/v1` route of the router (and
/// the probes) appears with its method, and nothing is documented that is not routed.
async fn the_openapi_document_lists_every_api_route(app: TestApp) {
    let (status, document) = app.get_json("/api/v1/openapi.json").await;
    assert_eq!(status, 200);
    assert!(document["openapi"].as_str().unwrap().starts_with("3."));
    let documented: std::collections::BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .map(move |method| (method.to_uppercase(), path.clone()))
        })
        .collect();
    let routed: std::collections::BTreeSet<(String, String)> = dte_web::routes()
        .into_iter()
        .filter(|route| {
            route.path.starts_with("/api/v1")
                || route.path.starts_with("/.well-known/")
                || route.path.ends_with("z")
        })
        .map(|route| (route.method.to_owned(), route.path.to_owned()))
        .collect();
    assert_eq!(documented, routed);
    assert!(document["components"]["schemas"]["ErrorBody"].is_object());
}

/// SPEC policy settings: data with an effective date, shown with the current value.
async fn settings_show_the_policy_in_force(app: TestApp) {
    let (status, body) = app.get_json("/api/v1/settings").await;
    assert_eq!(status, 200);
    let settings = body["settings"].as_array().unwrap();
    let attendance = settings
        .iter()
        .find(|s| s["key"] == "minimum_attendance_percent")
        .unwrap();
    assert_eq!(attendance["value"], 90);
    assert_eq!(attendance["effective_from"], "2026-01-01");
    let categories = body["subsidy_categories"].as_array().unwrap();
    assert_eq!(
        categories.iter().filter(|c| c["enabled"] == true).count(),
        6
    );
}
