//! The holiday calendar (放假调休, issue 13 item 2) over HTTP: the 2026 calendar read by every
//! signed-in account but the auditor, a year without one said to count Monday to Friday, the
//! province's additions and changes through the API and the `/calendar` page (refusals next to
//! their field, audited), and nothing for a city to change.

use crate::helpers::TestApp;
use dte_domain::Role;
use dte_store::AuditFilter;
use reqwest::Method;
use serde_json::json;

both_backends!(
    the_calendar_api_reads_a_year_and_only_the_province_adds_or_changes_a_day,
    the_province_keeps_the_calendar_through_its_page_and_a_city_only_reads_it,
);

async fn the_calendar_api_reads_a_year_and_only_the_province_adds_or_changes_a_day(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    app.create_user(Role::Auditor, "auditor").await;
    let province = app.own_token("province").await;
    let dalian = app.own_token("dalian").await;
    let auditor = app.own_token("auditor").await;

    let (status, _) = app.get_json("/api/v1/calendar?year=2026").await;
    assert_eq!(status, 401, "signed in only");
    let (status, _) = app
        .send_json(Method::GET, "/api/v1/calendar?year=2026", &auditor, None)
        .await;
    assert_eq!(status, 403, "the auditor has the audit log only");

    let (status, year) = app
        .send_json(Method::GET, "/api/v1/calendar?year=2026", &dalian, None)
        .await;
    assert_eq!(status, 200, "{year}");
    assert_eq!(year["covered"], true);
    assert!(year["note"].is_null());
    let days = year["days"].as_array().unwrap();
    assert_eq!(days.len(), 39);
    let national_day_saturday = days.iter().find(|day| day["date"] == "2026-10-10").unwrap();
    assert_eq!(national_day_saturday["working"], true);
    assert_eq!(national_day_saturday["weekday"], "周六");
    let (_, uncovered) = app
        .send_json(Method::GET, "/api/v1/calendar?year=2027", &dalian, None)
        .await;
    assert_eq!(uncovered["covered"], false);
    assert_eq!(uncovered["note"], "该年度未录入放假安排，按周一至周五计算");
    let (status, refused) = app
        .send_json(Method::GET, "/api/v1/calendar?year=226", &dalian, None)
        .await;
    assert_eq!(
        (status, refused["error"]["field"].clone()),
        (422, json!("year"))
    );

    let new_year = json!({"date": "2027-01-01", "working": false, "name": "元旦"});
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/calendar/days",
            &dalian,
            Some(new_year.clone()),
        )
        .await;
    assert_eq!(status, 403, "a city does not keep the calendar");
    for (body, field, code) in [
        (
            json!({"date": "2027-01-04", "working": true, "name": "元旦调休上班"}),
            "working",
            "working_day_on_weekday",
        ),
        (
            json!({"date": "2027-01-02", "working": false, "name": " "}),
            "name",
            "calendar_name_empty",
        ),
        (
            json!({"date": "2027-13-01", "working": false, "name": "元旦"}),
            "date",
            "invalid_parameter",
        ),
    ] {
        let (status, refused) = app
            .send_json(Method::POST, "/api/v1/calendar/days", &province, Some(body))
            .await;
        assert_eq!(status, 422, "{refused}");
        assert_eq!(refused["error"]["field"], field, "{refused}");
        let codes = [
            refused["error"]["code"].clone(),
            refused["error"]["violations"][0]["code"].clone(),
        ];
        assert!(codes.contains(&json!(code)), "{refused}");
    }
    let (status, added) = app
        .send_json(
            Method::POST,
            "/api/v1/calendar/days",
            &province,
            Some(new_year),
        )
        .await;
    assert_eq!(status, 201, "{added}");
    assert_eq!(added["added"], true);
    assert_eq!(added["day"]["added_by"], "province");
    let (status, changed) = app
        .send_json(
            Method::POST,
            "/api/v1/calendar/days",
            &province,
            Some(json!({"date": "2027-01-01", "working": false, "name": "元旦节"})),
        )
        .await;
    assert_eq!(
        (status, changed["added"].clone()),
        (200, json!(false)),
        "{changed}"
    );
    let (_, covered) = app
        .send_json(Method::GET, "/api/v1/calendar?year=2027", &dalian, None)
        .await;
    assert_eq!(covered["covered"], true);
    assert_eq!(covered["days"][0]["name"], "元旦节");

    let entries = app
        .database
        .store
        .audit_entries(
            &AuditFilter {
                entity: Some("calendar_day".into()),
                ..AuditFilter::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    let mut actions: Vec<&str> = entries.iter().map(|entry| entry.action.as_str()).collect();
    actions.sort();
    assert_eq!(actions, ["calendar_day.add", "calendar_day.change"]);

    let (_, document) = app.get_json("/api/v1/openapi.json").await;
    for path in ["/api/v1/calendar", "/api/v1/calendar/days"] {
        assert!(
            document["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }
    assert!(document["components"]["schemas"]["CalendarYear"].is_object());
}

/// The CSRF token of the first form on a page.
fn csrf(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("a form with a csrf_token") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// Posts the calendar form with the token of `/calendar`, as the signed-in shared client.
async fn post_day(app: &TestApp, date: &str, kind: &str, name: &str) -> (u16, String) {
    let (status, page) = app.get_text("/calendar").await;
    assert_eq!(status, 200, "{page}");
    let response = app
        .client
        .post(format!("{}/calendar/days", app.address))
        .form(&[
            ("csrf_token", csrf(&page).as_str()),
            ("date", date),
            ("kind", kind),
            ("name", name),
        ])
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn the_province_keeps_the_calendar_through_its_page_and_a_city_only_reads_it(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    app.token_for("province").await;
    let (_, workbench) = app.get_text("/workbench").await;
    assert!(
        workbench.contains(r#"href="/calendar""#),
        "linked from the province's workbench"
    );
    let (status, page) = app.get_text("/calendar?year=2026").await;
    assert_eq!(status, 200);
    assert!(page.contains("2026 年放假调休安排"), "{page}");
    assert!(page.contains(r#"data-date="2026-10-10""#) && page.contains("国庆节调休上班"));
    assert!(page.contains("放假 33 天，调休上班 6 天"), "{page}");
    assert!(!page.contains("该年度未录入放假安排"));

    // A working day on a Monday: refused next to its field, with what was typed.
    let (status, html) = post_day(&app, "2026-10-12", "working", "国庆节调休上班").await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains(r#"<p class="field-error">日期 2026-10-12 是周一至周五"#),
        "{html}"
    );
    assert!(html.contains(r#"value="2026-10-12""#), "typed date kept");
    let (status, html) = post_day(&app, "明天", "off", "元旦").await;
    assert_eq!(status, 422);
    assert!(
        html.contains(r#"<p class="field-error">日期应为 YYYY-MM-DD 格式"#),
        "{html}"
    );

    let (status, html) = post_day(&app, "2027-01-01", "off", "元旦").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已保存 2027-01-01 的放假安排"), "{html}");
    assert!(html.contains(r#"data-date="2027-01-01""#) && html.contains("province"));
    let (_, uncovered) = app.get_text("/calendar?year=2028").await;
    assert!(uncovered.contains("该年度未录入放假安排，按周一至周五计算"));

    app.token_for("dalian").await;
    let (status, page) = app.get_text("/calendar?year=2026").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-date="2026-10-01""#));
    assert!(
        !page.contains(r#"action="/calendar/days""#),
        "a city has no form"
    );
    let (_, workbench) = app.get_text("/workbench").await;
    assert!(!workbench.contains(r#"href="/calendar""#));
    let response = app
        .client
        .post(format!("{}/calendar/days", app.address))
        .form(&[
            ("csrf_token", csrf(&page).as_str()),
            ("date", "2027-01-02"),
            ("kind", "off"),
            ("name", "元旦"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        403,
        "only the province keeps the calendar"
    );
}
