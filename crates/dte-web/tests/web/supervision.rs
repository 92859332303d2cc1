//! Supervision over HTTP (issue 14 items 5–7; SPEC step 10): a risk flag holds its claim lines
//! until the city reviews it, once, in its own region; a confirmed flag becomes a violation; a
//! person excluded from subsidy has their line refused until the exclusion is lifted, once; only
//! the province suspends an institution, which then opens no class; a complaint from the
//! public, its contact masked, upheld, becomes a violation whose clawback opens a case for
//! exactly what was paid; the 失信 list lasts its 36 months; every step is audited.

use crate::claims::{claim_on_notice, class_with, date, trainee};
use crate::helpers::TestApp;
use chrono::{TimeZone, Utc};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(supervision_reviews_flags_sanctions_and_resolves_complaints);

fn at(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0).unwrap()
}

fn line_codes(claim: &Value, person: i64) -> Vec<String> {
    let line = claim["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["person_id"] == person)
        .unwrap();
    line["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect()
}

/// Two requests at once with two tokens; answers their statuses, sorted.
async fn race(app: &TestApp, path: &str, tokens: [&str; 2], body: &Value) -> [u16; 2] {
    let send = |token: String| {
        let url = format!("{}{path}", app.address);
        let body = body.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let (a, b) = tokio::join!(send(tokens[0].to_owned()), send(tokens[1].to_owned()));
    let mut statuses = [a, b];
    statuses.sort_unstable();
    statuses
}

async fn supervision_reviews_flags_sanctions_and_resolves_complaints(app: TestApp) {
    // A claim of 甲 and 乙 on its notice (the accounts dlut, dalian-a, dalian-b, shenyang,
    // province and inspector come with it), and a second class where 丙 and 丁 checked in
    // from one phone on both days.
    let paid_claim = claim_on_notice(&app).await;
    let sharing = |name, sequence| {
        let mut trainee = trainee(name, sequence);
        trainee.device = Some("phone-of-丙");
        trainee
    };
    let (class, people) = class_with(
        &app,
        [date(10, 19), date(10, 20)],
        &[sharing("丙", 11), sharing("丁", 12), trainee("戊", 13)],
    )
    .await;
    let [bing, ding, wu] = [people[0].1, people[1].1, people[2].1];
    let dlut = app.own_token("dlut").await;
    let city_a = app.own_token("dalian-a").await;
    let city_b = app.own_token("dalian-b").await;
    let shenyang = app.own_token("shenyang").await;
    let province = app.own_token("province").await;
    let inspector = app.own_token("inspector").await;

    // Item 6: one shared_device flag a day, each holding the lines of the two it names.
    let (status, flags) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/flags?class={class}"),
            &city_a,
            None,
        )
        .await;
    assert_eq!(status, 200, "{flags}");
    let keys: Vec<String> = flags["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["kind"] == "shared_device")
        .map(|item| {
            assert!(item["review"].is_null(), "{item}");
            item["key"].as_str().unwrap().to_owned()
        })
        .collect();
    assert_eq!(keys.len(), 2, "{flags}");
    let (status, claim) = app
        .send_json(
            Method::POST,
            "/api/v1/claims",
            &dlut,
            Some(json!({"class_id": class})),
        )
        .await;
    assert_eq!(status, 201, "{claim}");
    let claim_id = claim["id"].as_i64().unwrap();
    assert_eq!(line_codes(&claim, bing), ["open_risk_flag"]);
    assert_eq!(line_codes(&claim, ding), ["open_risk_flag"]);
    assert!(line_codes(&claim, wu).is_empty(), "{claim}");
    let recheck = || async {
        let (status, claim) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/claims/{claim_id}/recheck"),
                &dlut,
                None,
            )
            .await;
        assert_eq!(status, 200, "{claim}");
        claim
    };

    // The inspector reads but does not review; another city does not see the flag; a review
    // without a verdict names its field, and nothing is written.
    let confirm = json!({"verdict": "confirmed", "reason": "经调取录像核实，丁由丙代签到",
                         "violation_kind": "proxy_attendance"});
    let review_path = |key: &str| format!("/api/v1/flags/{key}/review");
    let (status, _) = app
        .send_json(
            Method::POST,
            &review_path(&keys[0]),
            &inspector,
            Some(confirm.clone()),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app
        .send_json(
            Method::POST,
            &review_path(&keys[0]),
            &shenyang,
            Some(confirm.clone()),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .send_json(
            Method::POST,
            &review_path(&keys[0]),
            &city_a,
            Some(json!({"verdict": "maybe", "reason": "不确定"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("verdict"))
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &review_path("shared_device-0-0"),
            &city_a,
            Some(confirm.clone()),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    // Two reviewers at once: one review, one violation.
    assert_eq!(
        race(&app, &review_path(&keys[0]), [&city_a, &city_b], &confirm).await,
        [201, 409]
    );
    let (_, violations) = app
        .send_json(Method::GET, "/api/v1/violations", &city_a, None)
        .await;
    let violations = violations["items"].as_array().unwrap().clone();
    assert_eq!(violations.len(), 1, "{violations:?}");
    let flag_violation = &violations[0];
    assert_eq!(
        (
            flag_violation["source"].as_str(),
            flag_violation["kind"].as_str(),
            flag_violation["class"].as_i64(),
            flag_violation["target_kind"].as_str(),
        ),
        (
            Some("flag"),
            Some("proxy_attendance"),
            Some(class),
            Some("class")
        )
    );
    let (_, other) = app
        .send_json(Method::GET, "/api/v1/violations", &shenyang, None)
        .await;
    assert_eq!(other["items"].as_array().unwrap().len(), 0);
    // The other day's flag still holds the lines until it, too, is reviewed.
    let claim = recheck().await;
    assert_eq!(line_codes(&claim, ding), ["open_risk_flag"]);
    let (status, body) = app
        .send_json(
            Method::POST,
            &review_path(&keys[1]),
            &city_b,
            Some(json!({"verdict": "dismissed", "reason": "同一事项，已并入前一条复核"})),
        )
        .await;
    assert_eq!((status, body["violation"].is_null()), (201, true), "{body}");
    let claim = recheck().await;
    for person in [bing, ding, wu] {
        assert!(line_codes(&claim, person).is_empty(), "{claim}");
    }
    let (_, flags) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/flags?class={class}"),
            &province,
            None,
        )
        .await;
    let verdicts: Vec<&str> = flags["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["kind"] == "shared_device")
        .map(|item| item["review"]["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(verdicts.len(), 2);
    assert!(verdicts.contains(&"confirmed") && verdicts.contains(&"dismissed"));

    // Item 5: 丁 is excluded from subsidy; the line says so until the exclusion is lifted.
    let violation = flag_violation["id"].as_i64().unwrap();
    let sanction_path = format!("/api/v1/violations/{violation}/sanctions");
    let (status, body) = app
        .send_json(
            Method::POST,
            &sanction_path,
            &city_a,
            Some(
                json!({"kind": "exclude_person", "target_kind": "person", "target_id": wu + 1000,
                        "starts_on": "2026-11-27", "remark": "代签到，取消补贴资格"}),
            ),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("target_id")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &sanction_path,
            &city_a,
            Some(
                json!({"kind": "exclude_person", "target_kind": "person", "target_id": ding,
                        "starts_on": "2026-11-27", "remark": "代签到，取消补贴资格"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let exclusion = body["id"].as_i64().unwrap();
    let claim = recheck().await;
    assert_eq!(line_codes(&claim, ding), ["excluded_by_sanction"]);
    assert!(line_codes(&claim, bing).is_empty());
    let lift = json!({"lifted_on": "2026-11-27", "reason": "复议后撤销该处理"});
    let lift_path = |id: i64| format!("/api/v1/sanctions/{id}/lift");
    let (status, _) = app
        .send_json(
            Method::POST,
            &lift_path(exclusion),
            &shenyang,
            Some(lift.clone()),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(
        race(&app, &lift_path(exclusion), [&city_a, &city_b], &lift).await,
        [204, 409]
    );
    let claim = recheck().await;
    assert!(line_codes(&claim, ding).is_empty(), "{claim}");

    // Only the province suspends (两目录由省人社厅管理); suspended, the institution opens
    // no class and its lines are refused.
    let suspend = json!({"kind": "suspension", "starts_on": "2026-11-27",
                         "remark": "组织代签到，暂停培训资格"});
    let (status, _) = app
        .send_json(Method::POST, &sanction_path, &city_a, Some(suspend.clone()))
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .send_json(Method::POST, &sanction_path, &province, Some(suspend))
        .await;
    assert_eq!(status, 201, "{body}");
    let suspension = body["id"].as_i64().unwrap();
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/classes",
            &dlut,
            Some(crate::classes::class_plan()),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert!(body.to_string().contains("institution_inactive"), "{body}");
    let claim = recheck().await;
    assert_eq!(line_codes(&claim, wu), ["excluded_by_sanction"]);
    let (status, _) = app
        .send_json(
            Method::POST,
            &lift_path(suspension),
            &city_a,
            Some(lift.clone()),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .send_json(
            Method::POST,
            &lift_path(suspension),
            &province,
            Some(lift.clone()),
        )
        .await;
    assert_eq!(status, 204, "{body}");
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/classes",
            &dlut,
            Some(crate::classes::class_plan()),
        )
        .await;
    assert_eq!(status, 201, "{body}");

    // Item 7: the first claim is paid; then a complaint about its class, from anyone.
    app.set_now(at(12, 10));
    let dlut = app.own_token("dlut").await;
    let shenyang = app.own_token("shenyang").await;
    let city_a = app.own_token("dalian-a").await;
    let city_b = app.own_token("dalian-b").await;
    let province = app.own_token("province").await;
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/funds",
            &city_a,
            Some(json!({"year": 2026, "fund_source": "employment_subsidy_fund",
                        "amount_fen": 1_000_000, "kind": "allocation", "note": "大人社〔2026〕12号"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{paid_claim}/payment"),
            &city_b,
            Some(json!({"paid_on": "2026-12-10", "voucher": "DL-2026-0077"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, paid) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/claims/{paid_claim}"),
            &city_a,
            None,
        )
        .await;
    let paid_class = paid["class"].as_i64().unwrap();
    let jia = paid["lines"][0]["person_id"].as_i64().unwrap();
    let complain = |body: Value| {
        let url = format!("{}/api/v1/complaints", app.address);
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let content = "该班期学员多数未到场，由机构人员代为签到";
    let (status, body) = complain(json!({"target_kind": "class", "target_id": paid_class,
                                         "content": content, "contact": ""}))
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("contact")),
        "{body}"
    );
    let (status, body) = complain(json!({"target_kind": "class", "target_id": paid_class,
                                         "content": content, "contact": "13812345678"}))
    .await;
    assert_eq!(status, 201, "{body}");
    let complaint = body["id"].as_i64().unwrap();
    let (_, listed) = app
        .send_json(Method::GET, "/api/v1/complaints", &city_a, None)
        .await;
    assert!(!listed.to_string().contains("13812345678"), "{listed}");
    assert_eq!(listed["items"][0]["contact"], "138****5678");
    assert!(listed["items"][0]["outcome"].is_null());
    for token in [&dlut, &shenyang] {
        let (status, listed) = app
            .send_json(Method::GET, "/api/v1/complaints", token, None)
            .await;
        assert!(
            status == 403 || listed["items"].as_array().is_some_and(Vec::is_empty),
            "{status} {listed}"
        );
    }
    let resolve_path = format!("/api/v1/complaints/{complaint}/resolve");
    let upheld = json!({"outcome": "upheld", "remark": "经现场核查属实",
                        "violation_kind": "false_training"});
    let (status, body) = app
        .send_json(Method::POST, &resolve_path, &city_a, Some(upheld.clone()))
        .await;
    assert_eq!(status, 200, "{body}");
    let violation = body["violation"].as_i64().unwrap();
    let (status, _) = app
        .send_json(Method::POST, &resolve_path, &city_b, Some(upheld))
        .await;
    assert_eq!(status, 409);

    // The clawback of 甲's subsidy opens a case for exactly what was paid to them: 1,600 元.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/violations/{violation}/sanctions"),
            &city_a,
            Some(
                json!({"kind": "clawback", "target_kind": "person", "target_id": jia,
                        "starts_on": "2026-12-10", "remark": "虚假培训，追回已拨付补贴"}),
            ),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, cases) = app
        .send_json(Method::GET, "/api/v1/clawbacks", &city_a, None)
        .await;
    let cases = cases["items"].as_array().unwrap().clone();
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(
        (cases[0]["claim"].as_i64(), cases[0]["amount_fen"].as_i64()),
        (Some(paid_claim), Some(160_000))
    );
    // The 失信 list, imposed by the province, lasts 36 months to the day before.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/violations/{violation}/sanctions"),
            &province,
            Some(json!({"kind": "blacklist", "starts_on": "2026-12-10",
                        "remark": "虚假培训骗取补贴，列入失信名单"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let blacklist = body["id"].as_i64().unwrap();
    let (_, sanctions) = app
        .send_json(Method::GET, "/api/v1/sanctions", &city_a, None)
        .await;
    let entry = sanctions["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|item| item["id"] == blacklist)
        .unwrap()
        .clone();
    assert_eq!(
        (
            entry["until_on"].as_str(),
            entry["in_force"].as_bool(),
            entry["target_kind"].as_str()
        ),
        (Some("2029-12-09"), Some(true), Some("institution"))
    );
    assert_eq!(
        sanctions["items"].as_array().unwrap().len(),
        4,
        "{sanctions}"
    );

    // Every step is audited.
    let audit = app
        .database
        .store
        .audit_entries(&dte_store::AuditFilter::default(), None, 1_000)
        .await
        .unwrap();
    for action in [
        "flag.review",
        "sanction.impose",
        "sanction.lift",
        "complaint.lodge",
        "complaint.resolve",
        "clawback.open",
    ] {
        assert!(
            audit.iter().any(|entry| entry.action == action),
            "{action} audited"
        );
    }
}
