//! Subsidy claims over HTTP (issue 13; SPEC step 9 and the contract under "Money, supervision
//! and reports"): a claim that assembles itself with each line's reasons, a fixed line claimed
//! again, the review within its working days, four eyes, the public notice with nothing
//! personal unmasked, an upheld objection, payment split by the plan's rule, two payments and
//! two approvals racing, a clawback recovered in two parts, and the same subsidy never paid
//! twice.

use crate::helpers::{TestApp, test_now};
use chrono::{NaiveDate, TimeZone, Utc};
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Phone, ResidentId, Role, TraineeCategory};
use dte_store::{
    Actor, Applicant, CertificateDetails, CertificateSignature, NewCertificate, NewCheckIn,
    NewClass, NewDocument, NewEnrolment, NewPerson, NewRecording, RecordingSource,
};
use reqwest::Method;
use serde_json::{Value, json};

both_backends!(
    a_claim_goes_from_the_records_to_payment_and_clawback,
    the_claim_pages_offer_each_role_its_steps,
);

pub(crate) fn date(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, month, day).unwrap()
}

fn actor() -> Actor {
    Actor::system(test_now())
}

/// One trainee of the fixture and what the records say of them.
pub(crate) struct Trainee {
    name: &'static str,
    sequence: u32,
    category: &'static str,
    both_sessions: bool,
    training_certificate: bool,
    /// The level certificate's level and date, if any.
    pub(crate) level_certificate: Option<(Level, NaiveDate)>,
    proof: bool,
    commitment: bool,
    /// The phone they check in from; by default one of their own.
    pub(crate) device: Option<&'static str>,
}

pub(crate) fn trainee(name: &'static str, sequence: u32) -> Trainee {
    Trainee {
        name,
        sequence,
        category: "registered_unemployed",
        both_sessions: true,
        training_certificate: true,
        level_certificate: Some((Level::Intermediate, date(11, 1))),
        proof: true,
        commitment: true,
        device: None,
    }
}

/// A finished subsidised 人工智能 中级 class of 大连理工大学 in 大连 with two 40-hour offline
/// sessions, each recorded; every trainee checked in and out (from a device and a spot of
/// their own) and given the documents and certificates `trainees` says. Answers the class and
/// each trainee's (enrolment, person).
pub(crate) async fn class_with(
    app: &TestApp,
    days: [NaiveDate; 2],
    trainees: &[Trainee],
) -> (i64, Vec<(i64, i64)>) {
    let store = &app.database.store;
    let dlut = store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    let evaluator = store
        .institution_id_by_name("工业和信息化部电子工业标准化研究院")
        .await
        .unwrap()
        .unwrap();
    let session = |day: NaiveDate| SessionPlan {
        date: day,
        start: chrono::NaiveTime::from_hms_opt(8, 30, 0).unwrap(),
        end: chrono::NaiveTime::from_hms_opt(17, 30, 0).unwrap(),
        delivery: Delivery::Offline,
        hours: 40,
        teacher: "王老师".into(),
    };
    let class = NewClass {
        institution_id: dlut,
        region: "大连".into(),
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        direction: None,
        level: Level::Intermediate,
        funding: Funding::Subsidised,
        title: format!("人工智能中级 {}", days[0]),
        venue_address: "大连市甘井子区凌工路2号".into(),
        venue_lat: 38.88,
        venue_lon: 121.53,
        fence_json: r#"{"circle":{"lat":38.88,"lon":121.53,"radius_m":300}}"#.into(),
        start_date: days[0],
        end_date: days[1],
        capacity: 30,
        sessions: days.iter().map(|day| session(*day)).collect(),
    };
    let id = store.create_class(&class, &actor()).await.unwrap();
    for (from, to) in [
        (ClassStatus::Draft, ClassStatus::Submitted),
        (ClassStatus::Submitted, ClassStatus::Approved),
        (ClassStatus::Approved, ClassStatus::Running),
        (ClassStatus::Running, ClassStatus::Finished),
    ] {
        store
            .change_class_status(id, from, to, None, "test", &actor())
            .await
            .unwrap();
    }
    let applicants: Vec<Applicant> = trainees
        .iter()
        .map(|trainee| Applicant {
            person: NewPerson::protect(
                &app.keyring,
                trainee.name,
                &ResidentId::parse(&crate::classes::id_number(trainee.sequence), date(11, 1))
                    .unwrap(),
                &Phone::parse(&format!("1390000{:04}", trainee.sequence)).unwrap(),
            ),
            enrolment: NewEnrolment {
                category: TraineeCategory::InPost,
                employer_or_school: "大连某公司".into(),
                graduation_year: None,
                subsidy_category: Some(trainee.category.into()),
                commitment_signed: trainee.commitment,
            },
            activation: None,
        })
        .collect();
    let enrolled = store
        .enrol(id, &applicants, &actor(), |_, _, _| Ok::<bool, ()>(true))
        .await
        .unwrap()
        .unwrap();
    let sessions = store.sessions_of_class(id).await.unwrap();
    let mut checks = Vec::new();
    for (index, session) in sessions.iter().enumerate() {
        store
            .register_recording(
                &NewRecording {
                    session_id: session.id,
                    class_id: id,
                    source: RecordingSource::Reference(format!("oss://dte/{id}/{index}.mp4")),
                    content_type: "video/mp4".into(),
                    sha256: "ab".repeat(32),
                    size_bytes: 1_000_000,
                    duration_seconds: 32_400,
                    retain_until: NaiveDate::from_ymd_opt(2032, 12, 31).unwrap(),
                    upload_id: None,
                },
                &actor(),
            )
            .await
            .unwrap();
        for (n, (trainee, written)) in trainees.iter().zip(&enrolled).enumerate() {
            if index == 1 && !trainee.both_sessions {
                continue;
            }
            for (kind, hour) in [("in", 0), ("out", 9)] {
                checks.push(NewCheckIn {
                    session_id: session.id,
                    class_id: id,
                    person_id: written.person_id,
                    kind,
                    at: Utc.from_utc_datetime(&session.date.and_hms_opt(hour, 25, 0).unwrap()),
                    lat: 38.88 + 0.0001 * n as f64,
                    lon: 121.53 + 0.0001 * index as f64,
                    accuracy_m: 35.0,
                    device_id: trainee
                        .device
                        .map_or_else(|| format!("device-{}-{n}", trainee.sequence), str::to_owned),
                    distance_outside_m: 0.0,
                    late: false,
                    accepted: true,
                    refusal: None,
                    idempotency_key: format!("{}-{}-{kind}", session.id, written.person_id),
                });
            }
        }
    }
    store.record_check_ins(&checks).await.unwrap();
    let mut certificates = Vec::new();
    for (trainee, written) in trainees.iter().zip(&enrolled) {
        for (kind, wanted) in [("proof", trainee.proof), ("commitment", trainee.commitment)] {
            if wanted {
                let content = format!("%PDF-1.7 {kind} {}", written.person_id).into_bytes();
                store
                    .add_document(
                        &NewDocument {
                            enrolment_id: written.enrolment_id,
                            kind,
                            file_name: "scan.pdf",
                            content_type: "application/pdf",
                            sha256: &dte_crypto::sha256_hex(&content),
                            content: &content,
                        },
                        &actor(),
                    )
                    .await
                    .unwrap();
            }
        }
        let base = NewCertificate {
            number: None,
            person_id: written.person_id,
            holder_name: trainee.name.into(),
            issuer_institution_id: dlut,
            issuer_name: "大连理工大学".into(),
            region: "大连".into(),
            occupation: OccupationCode::parse("2-02-10-09").unwrap(),
            occupation_name: "人工智能工程技术人员".into(),
            direction: None,
            level: Level::Intermediate,
            issued_on: days[1],
            details: CertificateDetails::Training {
                class_id: id,
                start_date: days[0],
                end_date: days[1],
                hours: 80,
            },
        };
        if trainee.training_certificate {
            certificates.push(NewCertificate {
                number: Some(format!("PX-{id}-{}", trainee.sequence)),
                ..base.clone()
            });
        }
        if let Some((level, issued_on)) = trainee.level_certificate {
            certificates.push(NewCertificate {
                number: Some(format!("DJ-{id}-{}", trainee.sequence)),
                issuer_institution_id: evaluator,
                issuer_name: "工业和信息化部电子工业标准化研究院".into(),
                level,
                issued_on,
                details: CertificateDetails::Level {
                    id_kind: "居民身份证".into(),
                    photo_document_id: None,
                    exam_id: None,
                    class_id: Some(id),
                    training_institution_id: Some(dlut),
                },
                ..base
            });
        }
    }
    // One batch per kind, as issuing does.
    for kind in [
        dte_domain::CertificateKind::Training,
        dte_domain::CertificateKind::Level,
    ] {
        let batch: Vec<NewCertificate> = certificates
            .iter()
            .filter(|certificate| certificate.details.kind() == kind)
            .cloned()
            .collect();
        if batch.is_empty() {
            continue;
        }
        store
            .issue_certificates(&batch, None, &actor(), |_| {
                Ok::<_, ()>(CertificateSignature {
                    signature: "test".into(),
                    key_id: "test".into(),
                })
            })
            .await
            .unwrap()
            .unwrap();
    }
    (
        id,
        enrolled
            .iter()
            .map(|written| (written.enrolment_id, written.person_id))
            .collect(),
    )
}

fn line_of(claim: &Value, person: i64) -> &Value {
    claim["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|line| line["person_id"] == person)
        .unwrap()
}

fn codes(line: &Value) -> Vec<String> {
    line["reasons"]
        .as_array()
        .unwrap()
        .iter()
        .map(|code| code.as_str().unwrap().to_owned())
        .collect()
}

/// The signed-in accounts of the story.
struct Cast {
    dlut: String,
    reviewer: String,
    approver: String,
    shenyang: String,
    province: String,
    inspector: String,
}

/// Fresh tokens of every account (sessions expire as the clock moves).
async fn tokens(app: &TestApp) -> Cast {
    Cast {
        dlut: app.own_token("dlut").await,
        reviewer: app.own_token("dalian-a").await,
        approver: app.own_token("dalian-b").await,
        shenyang: app.own_token("shenyang").await,
        province: app.own_token("province").await,
        inspector: app.own_token("inspector").await,
    }
}

fn at(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0).unwrap()
}

async fn a_claim_goes_from_the_records_to_payment_and_clawback(app: TestApp) {
    let trainees = [
        trainee("甲", 1),
        Trainee {
            training_certificate: false,
            ..trainee("乙", 2)
        },
        Trainee {
            level_certificate: None,
            ..trainee("丙", 3)
        },
        Trainee {
            both_sessions: false,
            training_certificate: false,
            ..trainee("丁", 4)
        },
        Trainee {
            proof: false,
            ..trainee("戊", 5)
        },
        Trainee {
            commitment: false,
            ..trainee("己", 6)
        },
        Trainee {
            category: "veterans",
            ..trainee("庚", 7)
        },
        Trainee {
            // Twelve months before today and a day more: past the claim deadline.
            level_certificate: Some((
                Level::Intermediate,
                NaiveDate::from_ymd_opt(2025, 11, 26).unwrap(),
            )),
            ..trainee("辛", 8)
        },
        Trainee {
            level_certificate: Some((Level::Junior, date(11, 1))),
            ..trainee("壬", 9)
        },
    ];
    let (class, people) = class_with(&app, [date(10, 12), date(10, 13)], &trainees).await;
    for (role, username, region) in [
        (Role::TrainingInstitution, "dlut", "大连"),
        (Role::CityAdmin, "dalian-a", "大连"),
        (Role::CityAdmin, "dalian-b", "大连"),
        (Role::CityAdmin, "shenyang", "沈阳"),
        (Role::ProvinceAdmin, "province", "大连"),
        (Role::Inspector, "inspector", "大连"),
    ] {
        app.create_user_of(role, username, region).await;
    }
    let mut cast = tokens(&app).await;

    // Item 1: the claim assembles itself, one line per subsidised trainee with its reasons.
    let (status, claim) = app
        .send_json(
            Method::POST,
            "/api/v1/claims",
            &cast.dlut,
            Some(json!({"class_id": class})),
        )
        .await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    assert_eq!(claim["status"], "draft");
    let expected: [&[&str]; 9] = [
        &[],
        &["no_training_certificate"],
        &["no_level_certificate"],
        &["no_training_certificate", "attendance_below_minimum"],
        &["category_proof_missing"],
        &["commitment_letter_missing"],
        &["category_not_subsidised"],
        &["past_claim_deadline"],
        &["no_level_certificate"],
    ];
    for ((_, person), codes_expected) in people.iter().zip(expected) {
        let line = line_of(&claim, *person);
        assert_eq!(codes(line), codes_expected, "{line}");
        let status = if codes_expected.is_empty() {
            "claimed"
        } else {
            "ineligible"
        };
        assert_eq!(line["status"], status, "{line}");
        // 附件5: 人工智能 中级 80 学时 × 20 元 = 1,600 元, in fen.
        assert_eq!(
            (
                line["hours"].as_i64(),
                line["rate_fen_per_hour"].as_i64(),
                line["amount_fen"].as_i64()
            ),
            (Some(80), Some(2_000), Some(160_000)),
        );
        for detail in line["reason_details"].as_array().unwrap() {
            assert!(!detail["message"].as_str().unwrap().is_empty());
        }
    }
    assert_eq!(claim["amount_fen"], 160_000);
    // One claim in progress per class; scope: 沈阳 sees nothing, the inspector reads only.
    let (status, body) = app
        .send_json(
            Method::POST,
            "/api/v1/claims",
            &cast.dlut,
            Some(json!({"class_id": class})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (409, Some("claim_in_progress"))
    );
    let (status, _) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/claims/{id}"),
            &cast.shenyang,
            None,
        )
        .await;
    assert_eq!(status, 404);
    let (status, listed) = app
        .send_json(Method::GET, "/api/v1/claims", &cast.shenyang, None)
        .await;
    assert_eq!(
        (status, listed["items"].as_array().unwrap().len()),
        (200, 0)
    );
    for token in [&cast.province, &cast.inspector] {
        let (status, _) = app
            .send_json(Method::GET, &format!("/api/v1/claims/{id}"), token, None)
            .await;
        assert_eq!(status, 200);
    }
    let (status, _) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/approve"),
            &cast.inspector,
            None,
        )
        .await;
    assert_eq!(status, 403);

    // A fixed line is claimed again: 戊's category proof arrives, the claim is checked again.
    let proof = b"%PDF-1.7 proof of 5".to_vec();
    let uploaded = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/enrolments/{}/documents?kind=proof&file_name=proof.pdf",
            app.address, people[4].0
        ))
        .bearer_auth(&cast.dlut)
        .body(proof)
        .send()
        .await
        .unwrap();
    assert_eq!(uploaded.status(), 201);
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/recheck"),
            &cast.dlut,
            None,
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(line_of(&claim, people[4].1)["status"], "claimed");
    assert_eq!(claim["amount_fen"], 320_000);
    // A line withdrawn by the institution stays on the claim, ineligible, with why.
    let line_id = line_of(&claim, people[8].1)["id"].clone();
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/withdraw-line"),
            &cast.dlut,
            Some(json!({"line_id": line_id})),
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(
        codes(line_of(&claim, people[8].1)),
        ["withdrawn_by_institution"]
    );

    // Item 2: submitted on Friday 2026-11-27, the review is due five working days later.
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/submit"),
            &cast.dlut,
            None,
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "submitted");
    assert_eq!(claim["review_due_on"], "2026-12-04");
    let first = line_of(&claim, people[0].1)["id"].as_i64().unwrap();
    let fifth = line_of(&claim, people[4].1)["id"].as_i64().unwrap();
    let approve_both = json!({"decisions": [
        {"line_id": first, "decision": "approve"},
        {"line_id": fifth, "decision": "approve"},
    ]});
    // After the window the review is refused, naming the due day, and nothing is written.
    app.set_now(at(12, 5));
    cast = tokens(&app).await;
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/review"),
            &cast.reviewer,
            Some(approve_both.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("review_overdue")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("2026-12-04")
    );
    let (_, listed) = app
        .send_json(Method::GET, "/api/v1/claims", &cast.reviewer, None)
        .await;
    assert_eq!(listed["items"][0]["overdue"], true);
    assert_eq!(listed["items"][0]["status"], "submitted");
    app.set_now(at(12, 1));
    cast = tokens(&app).await;
    // Every claimed line needs a decision; a rejection needs a listed reason and a remark.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/review"),
            &cast.reviewer,
            Some(json!({"decisions": [{"line_id": first, "decision": "approve"},
                                       {"line_id": fifth, "decision": "reject", "reason": "whim"}]})),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/review"),
            &cast.reviewer,
            Some(approve_both),
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "in_review");
    // Four eyes: the reviewer may not approve their own review; nothing changes.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/approve"),
            &cast.reviewer,
            None,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("same_reviewer")),
        "{body}"
    );
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/approve"),
            &cast.approver,
            None,
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(claim["status"], "in_notice");
    assert_eq!(claim["notice_starts_on"], "2026-12-01");
    assert_eq!(claim["notice_ends_on"], "2026-12-08");

    // Item 3: the public notice, without sign-in; nothing personal unmasked.
    let response = reqwest::get(format!("{}/api/v1/notices", app.address))
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let text = response.text().await.unwrap();
    for trainee in &trainees {
        let number = crate::classes::id_number(trainee.sequence);
        assert!(!text.contains(&number), "full ID number in the notice");
        assert!(
            !text.contains(&format!("1390000{:04}", trainee.sequence)),
            "phone in the notice"
        );
        assert!(
            !text.contains(&format!("\"{}\"", trainee.name)) || trainee.name.chars().count() == 1
        );
    }
    let notices: Value = serde_json::from_str(&text).unwrap();
    let notice = &notices["items"][0];
    assert_eq!(
        (notice["id"].as_i64(), notice["status"].as_str()),
        (Some(id), Some("open"))
    );
    let lines = notice["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 2);
    for line in lines {
        let masked = line["id_number"].as_str().unwrap();
        assert_eq!(masked.len(), 18, "{masked}");
        assert_eq!(&masked[6..14], "********", "{masked}");
        assert_eq!(line["amount_fen"], 160_000);
    }
    // An objection against 戊's line, from anyone; payment waits for the notice and for it.
    let lodged = reqwest::Client::new()
        .post(format!("{}/api/v1/claims/{id}/objections", app.address))
        .json(&json!({"line_id": fifth, "contact": "13812345678", "content": "此人培训期间在外地上班，未参加培训"}))
        .send()
        .await
        .unwrap();
    assert_eq!(lodged.status(), 201);
    let pay = json!({"paid_on": "2026-12-09", "voucher": "DL-2026-0042"});
    app.set_now(at(12, 8));
    cast = tokens(&app).await;
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/payment"),
            &cast.approver,
            Some(pay.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("notice_not_over")),
        "{body}"
    );
    app.set_now(at(12, 10));
    cast = tokens(&app).await;
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/payment"),
            &cast.approver,
            Some(pay.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("objections_open")),
        "{body}"
    );
    let (_, claim) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/claims/{id}"),
            &cast.reviewer,
            None,
        )
        .await;
    let objection = claim["objections"][0]["id"].clone();
    assert_eq!(claim["objections"][0]["contact"], "138****78");
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/objections/resolve"),
            &cast.reviewer,
            Some(json!({"objection_id": objection, "upheld": true, "resolution": "经核实，该学员未参加线下培训"})),
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    assert_eq!(line_of(&claim, people[4].1)["status"], "rejected");

    // Item 4: no money yet — refused with the shortfall, nothing written.
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/payment"),
            &cast.approver,
            Some(pay.clone()),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("insufficient_funds")),
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("还差 1,600.00 元"),
        "{body}"
    );
    let (_, claim) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/claims/{id}"),
            &cast.reviewer,
            None,
        )
        .await;
    assert_eq!(claim["status"], "in_notice");
    for (source, fen) in [
        ("skills_upgrading_balance", 100_000),
        ("employment_subsidy_fund", 1_000_000),
    ] {
        let (status, body) = app
            .send_json(
                Method::POST,
                "/api/v1/funds",
                &cast.reviewer,
                Some(
                    json!({"year": 2026, "fund_source": source, "amount_fen": fen,
                            "kind": "allocation", "note": "大人社〔2026〕12号"}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // Two payments at once: exactly one pays, 1,000 元 of 专账结余 and 600 元 of 就业补助资金.
    let request = |token: String| {
        let url = format!("{}/api/v1/claims/{id}/payment", app.address);
        let pay = pay.clone();
        async move {
            reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .json(&pay)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    };
    let (a, b) = tokio::join!(
        request(cast.approver.clone()),
        request(cast.reviewer.clone())
    );
    let mut statuses = [a, b];
    statuses.sort_unstable();
    assert_eq!(statuses, [201, 409]);
    let (_, payments) = app
        .send_json(Method::GET, "/api/v1/payments", &cast.province, None)
        .await;
    let mut paid: Vec<(String, i64)> = payments["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            (
                item["fund_source"].as_str().unwrap().to_owned(),
                item["amount_fen"].as_i64().unwrap(),
            )
        })
        .collect();
    paid.sort();
    assert_eq!(
        paid,
        [
            ("employment_subsidy_fund".to_owned(), 60_000),
            ("skills_upgrading_balance".to_owned(), 100_000)
        ]
    );
    let (_, funds) = app
        .send_json(Method::GET, "/api/v1/funds?year=2026", &cast.reviewer, None)
        .await;
    assert_eq!(
        (
            funds["skills_upgrading_balance_fen"].as_i64(),
            funds["employment_subsidy_fund_fen"].as_i64()
        ),
        (Some(0), Some(940_000))
    );
    let (_, claim) = app
        .send_json(
            Method::GET,
            &format!("/api/v1/claims/{id}"),
            &cast.dlut,
            None,
        )
        .await;
    assert_eq!(
        (claim["status"].as_str(), claim["paid_fen"].as_i64()),
        (Some("partly_rejected"), Some(160_000))
    );
    assert_eq!(line_of(&claim, people[0].1)["status"], "paid");

    // Item 5: a clawback of exactly what was paid, recovered in two parts; the account that
    // opened it may not write it off.
    let (status, case) = app
        .send_json(
            Method::POST,
            "/api/v1/clawbacks",
            &cast.reviewer,
            Some(json!({"claim_id": id, "line_ids": [first], "reason": "抽查发现代签到"})),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let case = case["id"].as_i64().unwrap();
    // The institution is told on its workbench that money is to be repaid.
    let home = page_text(&app, "/workbench", &cast.dlut).await;
    assert!(home.contains("待追回 1"), "{home}");
    let (_, cases) = app
        .send_json(Method::GET, "/api/v1/clawbacks", &cast.dlut, None)
        .await;
    assert_eq!(
        (
            cases["items"][0]["amount_fen"].as_i64(),
            cases["items"][0]["status"].as_str()
        ),
        (Some(160_000), Some("open"))
    );
    let recover = |fen: i64, voucher: &str| {
        json!({"amount_fen": fen, "recovered_on": "2026-12-10", "voucher": voucher,
               "fund_source": "skills_upgrading_balance"})
    };
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/clawbacks/{case}/recoveries"),
            &cast.reviewer,
            Some(recover(60_000, "R-1")),
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (201, Some("partly_recovered")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/clawbacks/{case}/write-off"),
            &cast.reviewer,
            Some(json!({"reason": "机构无力偿还"})),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("same_account")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/clawbacks/{case}/recoveries"),
            &cast.reviewer,
            Some(recover(100_001, "R-2")),
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (422, Some("more_than_outstanding")),
        "{body}"
    );
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/clawbacks/{case}/recoveries"),
            &cast.reviewer,
            Some(recover(100_000, "R-2")),
        )
        .await;
    assert_eq!(
        (
            status,
            body["status"].as_str(),
            body["recovered_fen"].as_i64()
        ),
        (201, Some("recovered"), Some(160_000)),
        "{body}"
    );

    // Never twice: 甲 in a later class of the same occupation and level is not paid again (the
    // clawed-back line still holds it); 壬 claimed in two classes at once is approved once.
    let later = [trainee("甲", 1), trainee("癸", 10)];
    let (second, second_people) = class_with(&app, [date(11, 2), date(11, 3)], &later).await;
    let third_trainees = [trainee("癸", 10)];
    let (third, _) = class_with(&app, [date(11, 9), date(11, 10)], &third_trainees).await;
    let mut reviewed = Vec::new();
    for class in [second, third] {
        let (status, claim) = app
            .send_json(
                Method::POST,
                "/api/v1/claims",
                &cast.dlut,
                Some(json!({"class_id": class})),
            )
            .await;
        assert_eq!(status, 201, "{claim}");
        let claim_id = claim["id"].as_i64().unwrap();
        if class == second {
            let reasons = codes(line_of(&claim, second_people[0].1));
            assert!(reasons.contains(&"already_paid".to_owned()), "{reasons:?}");
        }
        let (status, claim) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/claims/{claim_id}/submit"),
                &cast.dlut,
                None,
            )
            .await;
        assert_eq!(status, 200, "{claim}");
        let decisions: Vec<Value> = claim["lines"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|line| line["status"] == "claimed")
            .map(|line| json!({"line_id": line["id"], "decision": "approve"}))
            .collect();
        let (status, body) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/claims/{claim_id}/review"),
                &cast.reviewer,
                Some(json!({"decisions": decisions})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        reviewed.push(claim_id);
    }
    let approve = |claim_id: i64| {
        let url = format!("{}/api/v1/claims/{claim_id}/approve", app.address);
        let token = cast.approver.clone();
        async move {
            let response = reqwest::Client::new()
                .post(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap())
        }
    };
    let (a, b) = tokio::join!(approve(reviewed[0]), approve(reviewed[1]));
    // The loser either lost the race in the database (409 already_paid) or judged its line
    // after the winner had approved it (the line ineligible with already_paid): one approval.
    for (status, body) in [&a, &b] {
        assert!(
            *status == 200 || (*status == 409 && body["error"]["code"] == "already_paid"),
            "{status} {body}"
        );
    }
    let gui = second_people[1].1;
    let mut approved = 0;
    for claim_id in &reviewed {
        let (_, claim) = app
            .send_json(
                Method::GET,
                &format!("/api/v1/claims/{claim_id}"),
                &cast.reviewer,
                None,
            )
            .await;
        approved += usize::from(line_of(&claim, gui)["status"] == "approved");
    }
    assert_eq!(approved, 1, "{a:?} {b:?}");

    // Every step is audited.
    let audit = app
        .database
        .store
        .audit_entries(&dte_store::AuditFilter::default(), None, 1_000)
        .await
        .unwrap();
    for action in [
        "claim.open",
        "claim.recheck",
        "claim.withdraw_line",
        "claim.submit",
        "claim.review",
        "claim.approve",
        "claim.object",
        "claim.objection_upheld",
        "claim.pay",
        "fund.entry",
        "clawback.open",
        "clawback.recover",
    ] {
        assert!(
            audit.iter().any(|entry| entry.action == action),
            "{action} audited"
        );
    }
}

/// A claim of two eligible trainees taken through the API to its public notice: the accounts
/// of `tokens` are created, the claim opened, submitted, reviewed by `dalian-a` and approved by
/// `dalian-b`. Answers the claim's id.
pub async fn claim_on_notice(app: &TestApp) -> i64 {
    for (role, username, region) in [
        (Role::TrainingInstitution, "dlut", "大连"),
        (Role::CityAdmin, "dalian-a", "大连"),
        (Role::CityAdmin, "dalian-b", "大连"),
        (Role::CityAdmin, "shenyang", "沈阳"),
        (Role::ProvinceAdmin, "province", "大连"),
        (Role::Inspector, "inspector", "大连"),
    ] {
        app.create_user_of(role, username, region).await;
    }
    let cast = tokens(app).await;
    let (class, _) = class_with(
        app,
        [date(10, 12), date(10, 13)],
        &[trainee("甲", 1), trainee("乙", 2)],
    )
    .await;
    let (status, claim) = app
        .send_json(
            Method::POST,
            "/api/v1/claims",
            &cast.dlut,
            Some(json!({"class_id": class})),
        )
        .await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/submit"),
            &cast.dlut,
            None,
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    let decisions: Vec<Value> = claim["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|line| json!({"line_id": line["id"], "decision": "approve"}))
        .collect();
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/review"),
            &cast.reviewer,
            Some(json!({"decisions": decisions})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/approve"),
            &cast.approver,
            None,
        )
        .await;
    assert_eq!(
        (status, body["status"].as_str()),
        (200, Some("in_notice")),
        "{body}"
    );
    id
}

/// Sends a page form with a bearer token; answers the status, the redirect and the page.
async fn post_form(
    app: &TestApp,
    path: &str,
    token: &str,
    fields: &[(&str, String)],
) -> (u16, String, String) {
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}{path}", app.address))
        .bearer_auth(token)
        .form(fields)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap().to_owned())
        .unwrap_or_default();
    (status, location, response.text().await.unwrap())
}

async fn page_text(app: &TestApp, path: &str, token: &str) -> String {
    let (status, bytes) = app.get_bytes(path, token).await;
    assert_eq!(status, 200, "{path}");
    String::from_utf8(bytes).unwrap()
}

/// Issue 13 item 7: each role reaches its claim pages from its workbench and sees exactly the
/// actions the rule allows it; the forms take the same steps as the API, with refusals shown
/// on the page.
async fn the_claim_pages_offer_each_role_its_steps(app: TestApp) {
    let id = claim_on_notice(&app).await;
    let cast = tokens(&app).await;
    for (token, link) in [
        (&cast.dlut, "/claims"),
        (&cast.reviewer, "/claims?status=submitted"),
        (&cast.province, "/claims"),
        (&cast.inspector, "/claims"),
    ] {
        let home = page_text(&app, "/workbench", token).await;
        assert!(
            home.contains(&format!("href=\"{}\"", link.replace('&', "&amp;"))),
            "{link}: {home}"
        );
    }
    // The city: the notice's objections and payment; the inspector: reading only.
    let city = page_text(&app, &format!("/claims/{id}"), &cast.reviewer).await;
    assert!(city.contains(&format!("/api/v1/claims/{id}/ledger.xlsx")));
    assert!(city.contains("id=\"pay-form\"") && city.contains("data-status=\"in_notice\""));
    let inspector = page_text(&app, &format!("/claims/{id}"), &cast.inspector).await;
    assert!(
        !inspector.contains("<form method=\"post\" action=\"/claims/"),
        "{inspector}"
    );
    let listed = page_text(&app, "/claims", &cast.shenyang).await;
    assert!(!listed.contains(&format!("data-claim=\"{id}\"")));
    // A payment during the notice is refused on the page, with why.
    let (status, _, page) = post_form(
        &app,
        &format!("/claims/{id}"),
        &cast.reviewer,
        &[
            ("do", "pay".into()),
            ("paid_on", "2026-11-27".into()),
            ("voucher", "V-1".into()),
        ],
    )
    .await;
    assert_eq!(status, 422);
    assert!(page.contains("公示期满后才能拨付"), "{page}");
    // The public notice page: masked, with the objection form; an objection through it.
    let notices = reqwest::get(format!("{}/notices", app.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(notices.contains("class=\"stack objection-form\""));
    assert!(!notices.contains(&crate::classes::id_number(1)));
    let line: i64 = {
        let (_, claim) = app
            .send_json(
                Method::GET,
                &format!("/api/v1/claims/{id}"),
                &cast.reviewer,
                None,
            )
            .await;
        claim["lines"][0]["id"].as_i64().unwrap()
    };
    let response = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .post(format!("{}/notices/{id}/objections", app.address))
        .form(&[
            ("line_id", line.to_string()),
            ("contact", "13900001111".into()),
            ("content", "该学员培训期间不在大连".into()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 303);
    // The objection shows on the city's page with its resolution form, and resolving it there
    // works; the close-notice form then refuses until the notice is over.
    let city = page_text(&app, &format!("/claims/{id}"), &cast.reviewer).await;
    assert!(
        city.contains("139****11") && city.contains("name=\"objection_id\""),
        "{city}"
    );
    let objection: i64 = {
        let (_, claim) = app
            .send_json(
                Method::GET,
                &format!("/api/v1/claims/{id}"),
                &cast.reviewer,
                None,
            )
            .await;
        claim["objections"][0]["id"].as_i64().unwrap()
    };
    let (status, location, _) = post_form(
        &app,
        &format!("/claims/{id}"),
        &cast.reviewer,
        &[
            ("do", "resolve".into()),
            ("objection_id", objection.to_string()),
            ("upheld", "no".into()),
            ("resolution", "经核实，该学员按时参加培训".into()),
        ],
    )
    .await;
    assert_eq!(
        (status, location.as_str()),
        (303, format!("/claims/{id}?done=resolve").as_str())
    );
    // The city's funds on the list page, entered in 元 through the form.
    let (status, location, _) = post_form(
        &app,
        "/funds",
        &cast.reviewer,
        &[
            ("year", "2026".into()),
            ("fund_source", "skills_upgrading_balance".into()),
            ("kind", "allocation".into()),
            ("amount", "5,000.50".into()),
            ("note", "大人社〔2026〕3号".into()),
        ],
    )
    .await;
    assert_eq!((status, location.as_str()), (303, "/claims?done=funds"));
    let listed = page_text(&app, "/claims", &cast.reviewer).await;
    assert!(listed.contains("5,000.50 元"), "{listed}");
}
