//! Certificates end to end (issue 6): completion with the domain's refusals, issuing a class in
//! one action, the PDF checked with real tools (pdfinfo, pdftotext, pdffonts, zbarimg), the QR
//! code's address verified through the public API, the signature checked by an independent
//! implementation (OpenSSL's Ed25519 over a canonical form rebuilt by Python's json), the
//! credential, revocation shown at once, scope, and the public rate limit.

use crate::helpers::{TestApp, VERIFICATIONS_PER_MINUTE, test_now};
use chrono::{NaiveDate, NaiveTime, TimeZone, Utc};
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Role, TraineeCategory};
use dte_store::{Actor, Applicant, NewCheckIn, NewClass, NewEnrolment, NewPerson, NewUser};
use reqwest::Method;
use serde_json::{Value, json};
use std::process::Command;

both_backends!(
    a_finished_class_is_certified_printed_verified_and_revoked,
    public_verification_is_rate_limited_per_address,
);

/// 大连理工大学's finished class: ten 8-hour offline sessions (80 h, the 学时要求 of 人工智能
/// 工程技术人员 中级) from 2026-11-02, and three trainees — 张晓明 and 李婉清 attended all, 王磊
/// eight sessions (80 %). Answers (class id, person ids).
async fn finished_class(app: &TestApp) -> (i64, Vec<i64>) {
    let store = &app.database.store;
    let actor = Actor::system(test_now());
    let institution = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let first = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
    let sessions: Vec<SessionPlan> = (0..10)
        .map(|day| SessionPlan {
            date: first + chrono::Duration::days(day),
            start: NaiveTime::from_hms_opt(9, 0, 0).unwrap(),
            end: NaiveTime::from_hms_opt(17, 0, 0).unwrap(),
            delivery: Delivery::Offline,
            hours: 8,
            teacher: "王老师".into(),
        })
        .collect();
    let class = NewClass {
        institution_id: institution,
        region: "大连".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: Some("机器学习".into()),
        level: Level::Intermediate,
        funding: Funding::Market,
        title: "人工智能中级 结业测试班".into(),
        venue_address: "大连市甘井子区凌工路2号".into(),
        venue_lat: 38.88,
        venue_lon: 121.53,
        fence_json:
            json!({"kind": "circle", "center": {"lat": 38.88, "lon": 121.53}, "radius_m": 300.0})
                .to_string(),
        start_date: first,
        end_date: first + chrono::Duration::days(9),
        capacity: 30,
        sessions,
    };
    let id = store.create_class(&class, &actor).await.unwrap();
    for (from, to, action) in [
        (ClassStatus::Draft, ClassStatus::Submitted, "submit"),
        (ClassStatus::Submitted, ClassStatus::Approved, "approve"),
        (ClassStatus::Approved, ClassStatus::Running, "start"),
        (ClassStatus::Running, ClassStatus::Finished, "finish"),
    ] {
        store
            .change_class_status(id, from, to, None, action, &actor)
            .await
            .unwrap();
    }
    let names = ["张晓明", "李婉清", "王磊"];
    let applicants: Vec<Applicant> = names
        .iter()
        .enumerate()
        .map(|(n, name)| Applicant {
            person: NewPerson {
                name: (*name).into(),
                id_number_cipher: format!("v1.k1.stand-in-{n}"),
                id_number_index: format!("cert-index-{n}"),
                id_number_masked: "210202********0000".into(),
                birth_date: NaiveDate::from_ymd_opt(1995, 1, 1).unwrap(),
                phone_cipher: None,
                phone_index: None,
                phone_masked: None,
            },
            enrolment: NewEnrolment {
                category: TraineeCategory::InPost,
                employer_or_school: "大连某公司".into(),
                graduation_year: None,
                subsidy_category: None,
                commitment_signed: true,
            },
            activation: None,
        })
        .collect();
    let enrolled = store
        .enrol(id, &applicants, &actor, |_, _, _| Ok::<bool, ()>(false))
        .await
        .unwrap()
        .unwrap();
    let people: Vec<i64> = enrolled.iter().map(|e| e.person_id).collect();
    let mut checks = Vec::new();
    for (index, session) in store
        .sessions_of_class(id)
        .await
        .unwrap()
        .iter()
        .enumerate()
    {
        for (n, person) in people.iter().enumerate() {
            if n == 2 && index >= 8 {
                continue;
            }
            for (kind, hour) in [("in", 0), ("out", 9)] {
                checks.push(NewCheckIn {
                    session_id: session.id,
                    class_id: id,
                    person_id: *person,
                    kind,
                    at: Utc.from_utc_datetime(&session.date.and_hms_opt(hour, 55, 0).unwrap()),
                    lat: 38.88,
                    lon: 121.53,
                    accuracy_m: 20.0,
                    device_id: format!("device-{n}"),
                    distance_outside_m: 0.0,
                    late: false,
                    accepted: true,
                    refusal: None,
                    idempotency_key: format!("{}-{n}-{kind}", session.id),
                });
            }
        }
    }
    store.record_check_ins(&checks).await.unwrap();
    (id, people)
}

fn reason_codes(line: &Value) -> Vec<String> {
    line["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|reason| reason["code"].as_str().unwrap().to_owned())
        .collect()
}

/// Runs a tool on a file and answers its standard output.
fn tool(program: &str, args: &[&str]) -> String {
    let output = Command::new(program).args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

async fn a_finished_class_is_certified_printed_verified_and_revoked(app: TestApp) {
    let (class, people) = finished_class(&app).await;
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let dlut = app.own_token("dlut").await;

    // Nothing is issued without a numbering pattern; a bad pattern is refused with why.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/classes/{class}/certificates"),
            &dlut,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, body) = app
        .send_json(
            Method::PUT,
            "/api/v1/institution/certificate-pattern",
            &dlut,
            Some(json!({"pattern": "{seq:5}"})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "pattern");
    let (status, _) = app
        .send_json(
            Method::PUT,
            "/api/v1/institution/certificate-pattern",
            &dlut,
            Some(json!({"pattern": "DLUT{year}-{seq:4}"})),
        )
        .await;
    assert_eq!(status, 200);

    // Results: 张晓明 passed, 李婉清 failed, 王磊 passed but attended 80 %.
    let results = json!({"results": [
        {"person_id": people[0], "passed": true, "score": 91},
        {"person_id": people[1], "passed": false, "score": 48, "remark": "实操未完成"},
        {"person_id": people[2], "passed": true, "score": 80},
    ]});
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/classes/{class}/completion"),
            &dlut,
            Some(results),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let lines = body["items"].as_array().unwrap();
    assert_eq!(lines[0]["eligible"], true);
    assert_eq!(lines[0]["total_hours"], 80);
    assert_eq!(reason_codes(&lines[1]), ["failed"]);
    assert_eq!(
        lines[1]["reasons"][0]["message"],
        "结业考核未通过：实操未完成"
    );
    assert_eq!(reason_codes(&lines[2]), ["attendance_below_minimum"]);
    assert_eq!(
        lines[2]["reasons"][0]["message"],
        "出勤率 80%，低于结业要求的 90%，还差 8 学时"
    );
    assert_eq!(lines[0]["name"], "张**");

    // A score above 100 is refused naming the field.
    let (status, body) = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/classes/{class}/completion"),
            &dlut,
            Some(json!({"results": [{"person_id": people[0], "passed": true, "score": 101}]})),
        )
        .await;
    assert_eq!(status, 422);
    assert_eq!(body["error"]["field"], "results[0].score");

    // Dated before the class ended: refused, naming the field.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/classes/{class}/certificates"),
            &dlut,
            Some(json!({"issued_on": "2026-11-10"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("issued_on")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("不能早于培训结束日期")
    );

    // Issue: one certificate, numbered by the pattern.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/classes/{class}/certificates"),
            &dlut,
            Some(json!({"issued_on": "2026-11-20"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let items = body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let number = items[0]["number"].as_str().unwrap().to_owned();
    assert_eq!(number, "DLUT2026-0001");
    // Issuing again finds nobody left.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/classes/{class}/certificates"),
            &dlut,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    let (_, body) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/classes/{class}/completion"),
            &dlut,
            None,
        )
        .await;
    assert_eq!(reason_codes(&body["items"][0]), ["already_certified"]);

    // The PDF, checked with real tools.
    let (status, pdf) = app
        .get_bytes(&format!("/api/v1/certificates/{number}/pdf"), &dlut)
        .await;
    assert_eq!(status, 200);
    let folder = tempfile_dir();
    let path = folder.join("certificate.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let path_text = path.to_str().unwrap();
    let info = tool("pdfinfo", &[path_text]);
    assert!(info.contains("Pages:           1"), "{info}");
    let size: Vec<f64> = info
        .lines()
        .find(|line| line.starts_with("Page size:"))
        .unwrap()
        .split_whitespace()
        .filter_map(|word| word.parse().ok())
        .take(2)
        .collect();
    let points = |millimetres: f64| millimetres / 25.4 * 72.0;
    assert!(
        (size[0] - points(148.0)).abs() < 0.01 && (size[1] - points(210.0)).abs() < 0.01,
        "A5: {info}"
    );
    let text = tool("pdftotext", &["-layout", path_text, "-"]).replace(char::is_whitespace, "");
    for field in [
        "张晓明",
        "2026年11月2日",
        "2026年11月11日",
        "人工智能工程技术人员",
        "机器学习",
        "中级",
        "80",
        "大连理工大学",
        "2026年11月20日",
        "DLUT2026-0001",
        "培训合格证书",
    ] {
        assert!(text.contains(field), "pdftotext lacks {field}: {text}");
    }
    let fonts = tool("pdffonts", &[path_text]);
    assert!(
        fonts.lines().skip(2).all(|line| line.contains(" yes ")),
        "{fonts}"
    );
    assert!(fonts.contains("LXGW"), "{fonts}");
    let page = folder.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "150",
            "-png",
            "-singlefile",
            path_text,
            page.to_str().unwrap(),
        ],
    );
    let scanned = tool(
        "zbarimg",
        &[
            "--quiet",
            "--raw",
            folder.join("page.png").to_str().unwrap(),
        ],
    );
    let url = scanned.trim();
    assert!(
        url.starts_with("http://127.0.0.1/verify?number=DLUT2026-0001&s="),
        "{url}"
    );
    let query = url.split_once('?').unwrap().1;
    let (status, verified) = app
        .get_json(&format!("/api/v1/certificates/{number}?{query}"))
        .await;
    assert_eq!(status, 200);
    assert_eq!(verified["status"], "valid");
    assert_eq!(verified["signature"], "valid");
    assert_eq!(verified["kind"], "training");
    assert_eq!(verified["holder"], "张**");
    assert_eq!(verified["issuer"], "大连理工大学");
    assert_eq!(verified["level"], "intermediate");
    assert_eq!(verified["issued_on"], "2026-11-20");
    // The verification page shows the same, from the QR code's address.
    let (status, page) = app.get_text(&format!("/verify?{query}")).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("签名有效") && page.contains("有效") && page.contains("张**"),
        "{page}"
    );
    // A tampered signature and a wrong name.
    let (_, tampered) = app
        .get_json(&format!(
            "/api/v1/certificates/{number}?s=AAAA{}",
            &query[query.find("&s=").unwrap() + 7..]
        ))
        .await;
    assert_eq!(tampered["signature"], "invalid");
    let (status, _) = app
        .get_json(&format!("/api/v1/certificates/{number}?name=李四"))
        .await;
    assert_eq!(status, 404);
    let (status, named) = app
        .get_json(&format!("/api/v1/certificates/{number}?name=张晓明"))
        .await;
    assert_eq!((status, named["name_matches"].clone()), (200, json!(true)));
    let (status, unknown) = app.get_json("/api/v1/certificates/DLUT2026-9999").await;
    assert_eq!(status, 404);
    assert_eq!(unknown["error"]["code"], "certificate_not_found");

    // The independent check: the canonical form rebuilt by Python from the printed fields,
    // the signature from the QR code, the published key, verified by OpenSSL.
    let signature = query
        .split('&')
        .find_map(|pair| pair.strip_prefix("s="))
        .unwrap();
    let (_, keys) = app.get_json("/.well-known/dte-certificate-keys.json").await;
    assert_eq!(keys["keys"][0]["kty"], "OKP");
    assert_eq!(keys["keys"][0]["crv"], "Ed25519");
    std::fs::write(
        folder.join("key.pem"),
        keys["keys"][0]["pem"].as_str().unwrap(),
    )
    .unwrap();
    let fields = json!({
        "direction": "机器学习", "end": "2026-11-11", "holder": "张晓明", "hours": 80,
        "id_kind": null, "issued": "2026-11-20", "issuer": "大连理工大学", "kind": "training",
        "level": "intermediate", "number": "DLUT2026-0001", "occupation": "2-02-10-09",
        "occupation_name": "人工智能工程技术人员", "start": "2026-11-02",
        "version": "dte-certificate-v1"
    });
    assert!(
        independently_verified(&folder, &fields, signature),
        "the genuine fields must verify"
    );
    for (key, altered) in [
        ("holder", json!("张晓鸣")),
        ("hours", json!(81)),
        ("issued", json!("2026-11-21")),
        ("number", json!("DLUT2026-0002")),
        ("level", json!("senior")),
    ] {
        let mut changed = fields.clone();
        changed[key] = altered;
        assert!(
            !independently_verified(&folder, &changed, signature),
            "{key} altered must fail"
        );
    }

    // The credential carries the same canonical form and proof.
    let (status, credential) = app
        .get_bytes(&format!("/api/v1/certificates/{number}/credential"), &dlut)
        .await;
    assert_eq!(status, 200);
    let credential: Value = serde_json::from_slice(&credential).unwrap();
    assert_eq!(
        credential["type"],
        json!(["VerifiableCredential", "OpenBadgeCredential"])
    );
    assert_eq!(credential["proof"]["proofValue"], signature);
    assert_eq!(credential["credentialSubject"]["name"], "张晓明");

    // Scope: the city of 大连 and the province see it; another institution and 沈阳 do not.
    for (role, username) in [
        (Role::CityAdmin, "dalian"),
        (Role::ProvinceAdmin, "province"),
        (Role::Inspector, "inspector"),
        (Role::EvaluationInstitution, "cie"),
    ] {
        app.create_user(role, username).await;
    }
    let dalian = app.own_token("dalian").await;
    let (_, listed) = app
        .send_json(
            Method::GET,
            "/api/v1/certificates?kind=training",
            &dalian,
            None,
        )
        .await;
    assert_eq!(listed["items"][0]["number"], number.as_str());
    let cie = app.own_token("cie").await;
    let (_, listed) = app
        .send_json(Method::GET, "/api/v1/certificates", &cie, None)
        .await;
    assert_eq!(listed["items"], json!([]));
    let (status, _) = app
        .get_bytes(&format!("/api/v1/certificates/{number}/pdf"), &cie)
        .await;
    assert_eq!(
        status, 404,
        "outside the scope is answered like a missing certificate"
    );
    let inspector = app.own_token("inspector").await;
    let (status, _) = app
        .get_bytes(&format!("/api/v1/certificates/{number}/pdf"), &inspector)
        .await;
    assert_eq!(status, 403, "the inspector reads but prints no certificate");
    let (_, listed) = app
        .send_json(
            Method::GET,
            "/api/v1/certificates?kind=diploma",
            &inspector,
            None,
        )
        .await;
    assert_eq!(listed["error"]["field"], "kind");
    // The trainee sees their own.
    let store = &app.database.store;
    let hash = dte_crypto::hash_password_with(
        crate::helpers::TEST_PASSWORD,
        dte_crypto::PasswordParams::FOR_TESTS_ONLY,
    )
    .unwrap();
    store
        .create_user(
            &NewUser {
                username: "zhang".into(),
                display_name: "张晓明".into(),
                role: Role::Trainee,
                region: None,
                institution_id: None,
                person_id: Some(people[0]),
                password_hash: Some(hash),
            },
            test_now(),
        )
        .await
        .unwrap();
    let zhang = app.own_token("zhang").await;
    let (_, mine) = app
        .send_json(Method::GET, "/api/v1/certificates", &zhang, None)
        .await;
    assert_eq!(mine["items"][0]["number"], number.as_str());
    let (status, _) = app
        .get_bytes(&format!("/api/v1/certificates/{number}/pdf"), &zhang)
        .await;
    assert_eq!(status, 200);

    // The merged class PDF through a print job.
    let (status, job) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/classes/{class}/certificates/print"),
            &dlut,
            None,
        )
        .await;
    assert_eq!(status, 202, "{job}");
    let id = job["id"].as_str().unwrap().to_owned();
    let mut finished = Value::Null;
    for _ in 0..100 {
        let (_, polled) = app
            .send_json(
                Method::GET,
                &format!("/api/v1/print-jobs/{id}"),
                &dlut,
                None,
            )
            .await;
        if polled["state"] != "running" {
            finished = polled;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(finished["state"], "finished", "{finished}");
    assert_eq!(
        (finished["done"].clone(), finished["total"].clone()),
        (json!(1), json!(1))
    );
    let (status, merged) = app
        .get_bytes(finished["pdf"].as_str().unwrap(), &dlut)
        .await;
    assert_eq!(status, 200);
    assert!(merged.starts_with(b"%PDF"));

    // Revocation: not by another institution; by the issuer, shown at once.
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/certificates/{number}/revocation"),
            &cie,
            Some(json!({"reason": "冒名"})),
        )
        .await;
    assert_eq!(status, 404);
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/certificates/{number}/revocation"),
            &dlut,
            Some(json!({"reason": " "})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["field"].clone()),
        (422, json!("reason"))
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/certificates/{number}/revocation"),
            &dlut,
            Some(json!({"reason": "考勤记录造假", "revoked_on": "2026-11-25"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (_, verified) = app
        .get_json(&format!("/api/v1/certificates/{number}"))
        .await;
    assert_eq!(verified["status"], "revoked");
    assert_eq!(verified["revocation_reason"], "考勤记录造假");
    assert_eq!(verified["revoked_on"], "2026-11-25");
    let (_, page) = app.get_text(&format!("/verify?number={number}")).await;
    assert!(
        page.contains("已撤销") && page.contains("考勤记录造假"),
        "{page}"
    );
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/certificates/{number}/revocation"),
            &dlut,
            Some(json!({"reason": "再次"})),
        )
        .await;
    assert_eq!(status, 409);
}

/// The text of a PDF as `pdftotext -layout` reads it.
pub fn pdf_text(pdf: &[u8]) -> String {
    let folder = tempfile_dir();
    let path = folder.join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let text = tool("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
    std::fs::remove_dir_all(&folder).unwrap();
    text
}

/// A temporary folder for the tools' files.
fn tempfile_dir() -> std::path::PathBuf {
    let folder = std::env::temp_dir().join(format!("dte-cert-{}", dte_crypto::new_token()));
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

/// Python writes the canonical form (json.dumps, sorted keys, compact, UTF-8) and the
/// signature's bytes; `openssl pkeyutl -verify -rawin` checks them with the published PEM key.
fn independently_verified(folder: &std::path::Path, fields: &Value, signature: &str) -> bool {
    let script = r#"
import base64, json, sys
fields = json.loads(sys.argv[1])
open(sys.argv[2] + "/canonical", "wb").write(json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))
signature = sys.argv[3]
open(sys.argv[2] + "/signature", "wb").write(base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)))
"#;
    let folder_text = folder.to_str().unwrap();
    let written = Command::new("python3")
        .args(["-c", script, &fields.to_string(), folder_text, signature])
        .status()
        .unwrap();
    assert!(written.success());
    Command::new("openssl")
        .args(["pkeyutl", "-verify", "-pubin", "-inkey"])
        .arg(folder.join("key.pem"))
        .arg("-rawin")
        .arg("-in")
        .arg(folder.join("canonical"))
        .arg("-sigfile")
        .arg(folder.join("signature"))
        .output()
        .unwrap()
        .status
        .success()
}

async fn public_verification_is_rate_limited_per_address(app: TestApp) {
    for _ in 0..VERIFICATIONS_PER_MINUTE {
        let (status, _) = app.get_json("/api/v1/certificates/NONE-1").await;
        assert_eq!(status, 404);
    }
    let (status, body) = app.get_json("/api/v1/certificates/NONE-1").await;
    assert_eq!(status, 429);
    assert_eq!(body["error"]["code"], "too_many_requests");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("查询过于频繁")
    );
    let (status, page) = app.get_text("/verify?number=NONE-1").await;
    assert_eq!(status, 429);
    assert!(page.contains("查询过于频繁"));
}
