//! 双随机一公开 over HTTP (issue 14 item 3; SPEC's contract for `/api/v1/inspection-draws`): a
//! city publishes its inspection items; its staff declare conflicts, once; a draw picks targets
//! and two inspectors each, never one with a conflict; the public reads every draw without the
//! inspectors and replays the selection from the published seed with an implementation of its
//! own (HMAC-SHA256 written out here over `sha2`, not the domain's).

use crate::claims::{class_with, date, trainee};
use crate::helpers::TestApp;
use dte_domain::Role;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

both_backends!(draws_are_public_replayable_and_avoid_conflicted_inspectors);

/// HMAC-SHA256 (RFC 2104) from the hash alone: the replay must not share the domain's code.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let pad = |byte: u8| block.iter().map(|k| k ^ byte).collect::<Vec<u8>>();
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// SPEC's dte-draw-v1 in its own words: key = ln((first 8 bytes big-endian + 0.5) / 2^64) /
/// weight; the `count` largest keys, equal keys by the smaller id.
fn replay(draw: &Value) -> Vec<String> {
    let seed: Vec<u8> = (0..32)
        .map(|i| u8::from_str_radix(&draw["seed"].as_str().unwrap()[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    let mut keyed: Vec<(String, f64)> = draw["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|candidate| {
            let id = candidate["id"].as_str().unwrap().to_owned();
            let h = hmac_sha256(&seed, id.as_bytes());
            let top = u64::from_be_bytes(h[..8].try_into().unwrap());
            let u = (top as f64 + 0.5) / 2f64.powi(64);
            (id, u.ln() / candidate["weight"].as_f64().unwrap())
        })
        .collect();
    keyed.sort_by(|a, b| b.1.partial_cmp(&a.1).unwrap().then_with(|| a.0.cmp(&b.0)));
    keyed
        .into_iter()
        .take(draw["count"].as_u64().unwrap() as usize)
        .map(|(id, _)| id)
        .collect()
}

async fn public_get(app: &TestApp, path: &str) -> (u16, String) {
    let response = reqwest::get(format!("{}{path}", app.address))
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

async fn draws_are_public_replayable_and_avoid_conflicted_inspectors(app: TestApp) {
    for (role, username, region) in [
        (Role::CityAdmin, "dalian-a", "大连"),
        (Role::CityAdmin, "dalian-b", "大连"),
        (Role::CityAdmin, "dalian-c", "大连"),
        (Role::CityAdmin, "shenyang", "沈阳"),
        (Role::ProvinceAdmin, "province", "大连"),
        (Role::Inspector, "inspector", "大连"),
    ] {
        app.create_user_of(role, username, region).await;
    }
    let token = |name: &'static str| app.own_token(name);
    let (city_a, city_b, city_c) = (
        token("dalian-a").await,
        token("dalian-b").await,
        token("dalian-c").await,
    );
    let (shenyang, province, inspector) = (
        token("shenyang").await,
        token("province").await,
        token("inspector").await,
    );
    let store = &app.database.store;
    let id_of =
        |name: &'static str| async move { store.user_by_username(name).await.unwrap().unwrap().id };
    let (a, b, c) = (
        id_of("dalian-a").await,
        id_of("dalian-b").await,
        id_of("dalian-c").await,
    );
    let mut classes = Vec::new();
    for (n, day) in [12, 19, 26].into_iter().enumerate() {
        let sequence = u32::try_from(20 + n).unwrap();
        let (class, _) = class_with(
            &app,
            [date(10, day), date(10, day + 1)],
            &[trainee("甲", sequence)],
        )
        .await;
        classes.push(class);
    }
    let dlut = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();

    // The city's inspection items: published by the city alone, each field checked, public.
    let item = json!({"legal_basis": "《辽宁省职业技能培训补贴资金管理办法》第二十条",
                      "subject": "承担数字技术工程师培育项目的培训机构",
                      "content": "培训真实性：学员到课、签到记录与全程录像是否一致",
                      "method": "on_site"});
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspection-items",
            &city_a,
            Some(item.clone()),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    for token in [&province, &inspector] {
        let (status, _) = app
            .send_json(
                Method::POST,
                "/api/v1/inspection-items",
                token,
                Some(item.clone()),
            )
            .await;
        assert_eq!(status, 403);
    }
    let mut bad = item.clone();
    bad["legal_basis"] = json!("  ");
    let (status, body) = app
        .send_json(Method::POST, "/api/v1/inspection-items", &city_a, Some(bad))
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("legal_basis")),
        "{body}"
    );
    let (status, text) = public_get(&app, "/api/v1/inspection-items?region=大连").await;
    let items: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(status, 200);
    assert_eq!(items["items"].as_array().unwrap().len(), 1, "{items}");
    assert_eq!(
        (
            items["items"][0]["region"].as_str(),
            items["items"][0]["method"].as_str()
        ),
        (Some("大连"), Some("on_site"))
    );

    // dalian-c declares a conflict with 大连理工大学, once.
    let conflict = json!({"target": format!("institution:{dlut}"), "reason": "配偶在该机构任职"});
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspector-conflicts",
            &city_c,
            Some(conflict.clone()),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/inspector-conflicts",
            &city_c,
            Some(conflict),
        )
        .await;
    assert_eq!(status, 409);
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspector-conflicts",
            &city_c,
            Some(json!({"target": "institution:012", "reason": "亲属"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("target"))
    );

    // Draws: only a city draws, only where it has targets.
    for token in [&province, &inspector] {
        let (status, _) = app
            .send_json(
                Method::POST,
                "/api/v1/inspection-draws",
                token,
                Some(json!({"target_kind": "class"})),
            )
            .await;
        assert_eq!(status, 403);
    }
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspection-draws",
            &shenyang,
            Some(json!({"target_kind": "class"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("target_kind")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspection-draws",
            &city_a,
            Some(json!({"target_kind": "everything"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("target_kind"))
    );

    // Five draws of institutions (the pool is 大连理工大学 alone) and five of classes: the
    // conflicted inspector is never drawn for the institution, two distinct inspectors always.
    let mut ids = Vec::new();
    for kind in ["institution", "class"] {
        for _ in 0..5 {
            let (status, drawn) = app
                .send_json(
                    Method::POST,
                    "/api/v1/inspection-draws",
                    &city_b,
                    Some(json!({"target_kind": kind})),
                )
                .await;
            assert_eq!(status, 201, "{drawn}");
            assert_eq!(drawn["algorithm"], "dte-draw-v1");
            for target in drawn["targets"].as_array().unwrap() {
                let inspectors: Vec<i64> = target["inspectors"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|inspector| inspector["id"].as_i64().unwrap())
                    .collect();
                assert_eq!(inspectors.len(), 2, "{target}");
                assert_ne!(inspectors[0], inspectors[1]);
                assert!(inspectors.iter().all(|id| [a, b, c].contains(id)));
                if target["id"] == format!("institution:{dlut}") {
                    assert!(
                        !inspectors.contains(&c),
                        "conflicted inspector drawn: {target}"
                    );
                }
            }
            ids.push(drawn["id"].as_i64().unwrap());
        }
    }

    // The public reads each draw, without the inspectors, and replays its selection.
    let (status, text) = public_get(&app, "/api/v1/inspection-draws?region=大连").await;
    assert_eq!(status, 200);
    assert!(!text.contains("inspectors"), "{text}");
    let listed: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 10);
    for id in &ids {
        let (status, text) = public_get(&app, &format!("/api/v1/inspection-draws/{id}")).await;
        assert_eq!(status, 200, "{text}");
        let draw: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(draw["seed"].as_str().unwrap().len(), 64);
        let selected: Vec<String> = draw["selected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|id| id.as_str().unwrap().to_owned())
            .collect();
        assert_eq!(replay(&draw), selected, "{draw}");
        assert!(draw["count"].as_u64().unwrap() >= 1);
        let candidates: Vec<&str> = draw["candidates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|candidate| candidate["id"].as_str().unwrap())
            .collect();
        if draw["target_kind"] == "class" {
            let mut expected: Vec<String> =
                classes.iter().map(|id| format!("class:{id}")).collect();
            expected.sort();
            assert_eq!(candidates, expected, "{draw}");
        } else {
            assert_eq!(candidates, [format!("institution:{dlut}")]);
            assert_eq!(draw["targets"][0]["label"], "大连理工大学");
        }
    }
    let (status, _) = public_get(&app, "/api/v1/inspection-draws/999999").await;
    assert_eq!(status, 404);
    // Another city sees the draw but not who inspects; the province does.
    let path = format!("/api/v1/inspection-draws/{}", ids[0]);
    let (_, other) = app.send_json(Method::GET, &path, &shenyang, None).await;
    assert!(other["targets"][0].get("inspectors").is_none(), "{other}");
    let (_, full) = app.send_json(Method::GET, &path, &province, None).await;
    assert_eq!(
        full["targets"][0]["inspectors"].as_array().unwrap().len(),
        2
    );

    // With dalian-b conflicted too, one inspector is left for the institution: refused, named.
    let (status, _) = app
        .send_json(
            Method::POST,
            "/api/v1/inspector-conflicts",
            &city_b,
            Some(json!({"target": format!("institution:{dlut}"), "reason": "曾在该机构兼职授课"})),
        )
        .await;
    assert_eq!(status, 201);
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/inspection-draws",
            &city_a,
            Some(json!({"target_kind": "institution"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("inspectors")),
        "{body}"
    );
    let (_, listed) = app
        .send_json(Method::GET, "/api/v1/inspection-draws", &city_a, None)
        .await;
    assert_eq!(
        listed["items"].as_array().unwrap().len(),
        10,
        "nothing written"
    );

    // A draw, its targets, the items and the conflicts are never changed or deleted.
    for statement in [
        "UPDATE inspection_draws SET seed = '00' || substr(seed, 3)",
        "DELETE FROM inspection_draws",
        "UPDATE inspection_draw_targets SET first_inspector = second_inspector + 0",
        "DELETE FROM inspection_draw_targets",
        "UPDATE inspection_items SET content = '无'",
        "DELETE FROM inspection_items",
        "UPDATE inspector_conflicts SET reason = '无'",
        "DELETE FROM inspector_conflicts",
    ] {
        let refused = store.execute_raw_for_tests(statement).await;
        assert!(
            refused.is_err_and(|error| error.to_string().contains("keeps its history")),
            "{statement} was allowed"
        );
    }
    let (_, text) = public_get(&app, &format!("/api/v1/inspection-draws/{}", ids[0])).await;
    let draw: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        draw["selected"].as_array().unwrap().len(),
        draw["count"].as_u64().unwrap() as usize
    );

    let audit = store
        .audit_entries(&dte_store::AuditFilter::default(), None, 1_000)
        .await
        .unwrap();
    for action in [
        "inspection_item.add",
        "inspector.conflict",
        "inspection.draw",
    ] {
        assert!(
            audit.iter().any(|entry| entry.action == action),
            "{action} audited"
        );
    }
}
