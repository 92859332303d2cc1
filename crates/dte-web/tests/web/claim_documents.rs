//! The documents of subsidy claims over HTTP (issue 13 items 3 and 6): the public notice for
//! posting as PDF and .xlsx without sign-in (only once on notice), a claim's form and training
//! ledger for those who may read it (audited), and the payments and clawbacks report whose
//! rows add up to its totals. Every PDF is checked with pdfinfo (A4) and pdftotext, every
//! workbook read back with calamine and searched as unzipped XML: no ID number, phone or full
//! name appears anywhere.

use crate::claims::{class_with, date, trainee};
use crate::helpers::TestApp;
use chrono::{TimeZone, Utc};
use dte_domain::subsidy::FundSource;
use dte_domain::{Fen, Level, OccupationCode, Role};
use dte_store::{ClawbackFact, PaymentFact, RecoveryFact, ReportKey, SubsidyReportFacts};
use reqwest::Method;
use serde_json::{Value, json};
use std::io::Read;

both_backends!(a_claims_documents_are_masked_printable_and_add_up);

/// The names of the story: none may appear in full in a document.
const NAMES: [&str; 3] = ["欧阳明", "李小四", "张三丰"];

fn at(month: u32, day: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, month, day, 2, 0, 0).unwrap()
}

fn tool(program: &str, args: &[&str]) -> String {
    let output = std::process::Command::new(program)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The text of a PDF (whitespace removed), after checking with pdfinfo that every page is A4
/// portrait (595.28 × 841.89 pt).
fn a4_text(pdf: &[u8]) -> String {
    assert!(pdf.starts_with(b"%PDF-"), "not a PDF");
    let folder = std::env::temp_dir().join(format!("dte-claim-doc-{}", dte_crypto::new_token()));
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join("document.pdf");
    std::fs::write(&path, pdf).unwrap();
    let path = path.to_str().unwrap();
    let info = tool("pdfinfo", &["-f", "1", "-l", "99", path]);
    let sizes: Vec<&str> = info
        .lines()
        .filter(|line| line.starts_with("Page") && line.contains("size:"))
        .collect();
    assert!(!sizes.is_empty(), "{info}");
    for size in sizes {
        let numbers: Vec<f64> = size
            .split_whitespace()
            .filter_map(|word| word.parse().ok())
            .collect();
        let (width, height) = (numbers[numbers.len() - 2], numbers[numbers.len() - 1]);
        assert!(
            (width - 595.28).abs() < 0.01 && (height - 841.89).abs() < 0.01,
            "{size}"
        );
        assert!(size.contains("(A4)"), "{size}");
    }
    let text = tool("pdftotext", &["-layout", path, "-"]);
    std::fs::remove_dir_all(&folder).unwrap();
    text.replace(char::is_whitespace, "")
}

/// Every cell of a workbook's first sheet as text, row by row, after checking that no XML part
/// of it holds a full ID number, phone or name.
fn workbook_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut xml = String::new();
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).unwrap();
        part.read_to_string(&mut xml).unwrap();
    }
    assert!(xml.contains("sheet"), "an xlsx");
    no_personal_numbers(&xml);
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = workbook.worksheet_range_at(0).unwrap().unwrap();
    sheet
        .rows()
        .map(|row| row.iter().map(|cell| cell.to_string()).collect())
        .collect()
}

/// No ID number, phone or full name of the story's trainees.
fn no_personal_numbers(text: &str) {
    for sequence in 1..=3 {
        let number = crate::classes::id_number(sequence);
        assert!(!text.contains(&number), "full ID number {number}");
        assert!(!text.contains(&number[..14]), "unmasked ID digits");
        let phone = format!("1390000{sequence:04}");
        assert!(!text.contains(&phone), "phone {phone}");
    }
    for name in NAMES {
        assert!(!text.contains(name), "full name {name}");
    }
}

/// The row of a sheet whose cell `column` is `value`.
fn row_with<'a>(rows: &'a [Vec<String>], column: usize, value: &str) -> &'a [String] {
    rows.iter()
        .find(|row| row.get(column).map(String::as_str) == Some(value))
        .unwrap_or_else(|| panic!("no row with {value}: {rows:?}"))
}

async fn public_get(app: &TestApp, path: &str) -> (u16, Vec<u8>) {
    let response = reqwest::get(format!("{}{path}", app.address))
        .await
        .unwrap();
    (
        response.status().as_u16(),
        response.bytes().await.unwrap().to_vec(),
    )
}

async fn a_claims_documents_are_masked_printable_and_add_up(app: TestApp) {
    let mut without_level = trainee(NAMES[2], 3);
    without_level.level_certificate = None;
    let trainees = [trainee(NAMES[0], 1), trainee(NAMES[1], 2), without_level];
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
    let dlut = app.own_token("dlut").await;
    let (status, claim) = app
        .send_json(
            Method::POST,
            "/api/v1/claims",
            &dlut,
            Some(json!({"class_id": class})),
        )
        .await;
    assert_eq!(status, 201, "{claim}");
    let id = claim["id"].as_i64().unwrap();
    let line_of = |claim: &Value, person: i64| {
        claim["lines"]
            .as_array()
            .unwrap()
            .iter()
            .find(|line| line["person_id"] == person)
            .unwrap()
            .clone()
    };
    let no_level = line_of(&claim, people[2].1)["reason_details"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();

    // A claim never on notice has no public notice; nor has a missing id or another format.
    for path in [
        format!("/api/v1/notices/{id}.pdf"),
        format!("/api/v1/notices/{id}.xlsx"),
        format!("/api/v1/notices/{id}.csv"),
        "/api/v1/notices/999999.pdf".to_owned(),
        "/api/v1/notices/x.pdf".to_owned(),
    ] {
        let (status, _) = public_get(&app, &path).await;
        assert_eq!(status, 404, "{path}");
    }

    // Submitted, reviewed and approved by two accounts: on notice from 2026-12-01 to 12-08.
    let (status, claim) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/submit"),
            &dlut,
            None,
        )
        .await;
    assert_eq!(status, 200, "{claim}");
    app.set_now(at(12, 1));
    let reviewer = app.own_token("dalian-a").await;
    let approver = app.own_token("dalian-b").await;
    let decisions: Vec<Value> = claim["lines"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|line| line["status"] == "claimed")
        .map(|line| json!({"line_id": line["id"], "decision": "approve"}))
        .collect();
    assert_eq!(decisions.len(), 2);
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/review"),
            &reviewer,
            Some(json!({ "decisions": decisions })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/approve"),
            &approver,
            None,
        )
        .await;
    assert_eq!((status, body["status"].as_str()), (200, Some("in_notice")));

    // Item 3: the notice for posting, without sign-in, A4, nothing personal unmasked.
    let (status, pdf) = public_get(&app, &format!("/api/v1/notices/{id}.pdf")).await;
    assert_eq!(status, 200);
    let text = a4_text(&pdf);
    no_personal_numbers(&text);
    for expected in [
        "大连职业技能培训补贴公示",
        "2026-12-01至2026-12-08",
        "欧**",
        "李**",
        "210202********",
        "大连理工大学",
        "人工智能工程技术人员",
        "中级",
        "1,600.00",
        "2人，3,200.00元",
        "异议",
        "大连人社局",
    ] {
        assert!(
            text.contains(expected),
            "notice PDF lacks {expected}: {text}"
        );
    }
    assert!(
        !text.contains("张**"),
        "an ineligible line is not on notice"
    );
    let (status, xlsx) = public_get(&app, &format!("/api/v1/notices/{id}.xlsx")).await;
    assert_eq!(status, 200);
    let rows = workbook_rows(&xlsx);
    let first = row_with(&rows, 1, "欧**");
    let masked = &first[2];
    assert_eq!(
        (masked.len(), &masked[6..14], &first[6]),
        (18, "********", &"1,600.00".to_owned()),
        "{first:?}"
    );
    assert_eq!(first[4], "人工智能工程技术人员");
    assert_eq!(first[5], "中级");
    assert!(
        rows.iter()
            .flatten()
            .any(|cell| cell.contains("2026-12-08 前")),
        "how to object: {rows:?}"
    );

    // Paid after the notice: 1,000 元 from 专账结余, 2,200 元 from 就业补助资金; 欧阳明's line is
    // clawed back and recovered in two parts, into each fund.
    app.set_now(at(12, 10));
    let reviewer = app.own_token("dalian-a").await;
    let dlut = app.own_token("dlut").await;
    for (source, fen) in [
        ("skills_upgrading_balance", 100_000),
        ("employment_subsidy_fund", 1_000_000),
    ] {
        let (status, body) = app
            .send_json(
                Method::POST,
                "/api/v1/funds",
                &reviewer,
                Some(
                    json!({"year": 2026, "fund_source": source, "amount_fen": fen,
                            "kind": "allocation", "note": "大人社〔2026〕12号"}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, body) = app
        .send_json(
            Method::POST,
            &format!("/api/v1/claims/{id}/payment"),
            &reviewer,
            Some(json!({"paid_on": "2026-12-09", "voucher": "DL-2026-0042"})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let (_, claim) = app
        .send_json(Method::GET, &format!("/api/v1/claims/{id}"), &dlut, None)
        .await;
    let first_line = line_of(&claim, people[0].1)["id"].clone();
    let (status, case) = app
        .send_json(
            Method::POST,
            "/api/v1/clawbacks",
            &reviewer,
            Some(json!({"claim_id": id, "line_ids": [first_line], "reason": "抽查发现代签到"})),
        )
        .await;
    assert_eq!(status, 201, "{case}");
    let case = case["id"].as_i64().unwrap();
    for (fen, voucher, source) in [
        (60_000, "R-1", "skills_upgrading_balance"),
        (100_000, "R-2", "employment_subsidy_fund"),
    ] {
        let (status, body) = app
            .send_json(
                Method::POST,
                &format!("/api/v1/clawbacks/{case}/recoveries"),
                &reviewer,
                Some(json!({"amount_fen": fen, "recovered_on": "2026-12-10",
                            "voucher": voucher, "fund_source": source})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // The notice is still there to read once it is over, the clawed-back line marked.
    let (status, pdf) = public_get(&app, &format!("/api/v1/notices/{id}.pdf")).await;
    assert_eq!(status, 200);
    assert!(a4_text(&pdf).contains("已追回"));

    // Item 6: the claim form, for those who may read the claim.
    let inspector = app.own_token("inspector").await;
    let shenyang = app.own_token("shenyang").await;
    let (status, pdf) = app
        .get_bytes(&format!("/api/v1/claims/{id}/form.pdf"), &dlut)
        .await;
    assert_eq!(status, 200);
    let text = a4_text(&pdf);
    no_personal_numbers(&text);
    for expected in [
        "职业技能培训补贴申请表",
        "大连理工大学",
        "大连",
        "人工智能工程技术人员",
        "中级",
        "2026-10-12至2026-10-13",
        "张**",
        "20.00",
        "已拨付",
        "已追回",
        "不符合条件",
        &no_level.replace(char::is_whitespace, ""),
        "申领合计：2人，3,200.00元",
        "核准合计：2人，3,200.00元",
        "已拨付：3,200.00元",
    ] {
        assert!(text.contains(expected), "form PDF lacks {expected}: {text}");
    }
    let (status, xlsx) = app
        .get_bytes(&format!("/api/v1/claims/{id}/form.xlsx"), &inspector)
        .await;
    assert_eq!(status, 200);
    let rows = workbook_rows(&xlsx);
    let ineligible = row_with(&rows, 1, "张**");
    assert_eq!(
        (
            ineligible[3].as_str(),
            ineligible[5].as_str(),
            ineligible[6].as_str()
        ),
        ("80", "1,600.00", "不符合条件"),
        "{ineligible:?}"
    );
    assert_eq!(ineligible[7], no_level);
    assert_eq!(row_with(&rows, 1, "欧**")[6], "已追回");
    assert_eq!(row_with(&rows, 1, "李**")[6], "已拨付");

    // The training ledger: hours, attendance, both certificates' numbers, documents on file.
    let (status, pdf) = app
        .get_bytes(&format!("/api/v1/claims/{id}/ledger.pdf"), &inspector)
        .await;
    assert_eq!(status, 200);
    let text = a4_text(&pdf);
    no_personal_numbers(&text);
    for expected in [
        "职业技能培训台账",
        "100%",
        &format!("PX-{class}-1"),
        &format!("DJ-{class}-2"),
        "已提交",
        "3人",
    ] {
        assert!(
            text.contains(expected),
            "ledger PDF lacks {expected}: {text}"
        );
    }
    let (status, xlsx) = app
        .get_bytes(&format!("/api/v1/claims/{id}/ledger.xlsx"), &reviewer)
        .await;
    assert_eq!(status, 200);
    let rows = workbook_rows(&xlsx);
    let third = row_with(&rows, 1, "张**");
    assert_eq!(
        third[3..].to_vec(),
        [
            "80",
            "80",
            "0",
            "100%",
            &format!("PX-{class}-3"),
            "—",
            "已提交",
            "已提交"
        ],
        "{third:?}"
    );
    // Outside the scope, a claim's documents answer as a missing claim; audited by document.
    for document in ["form.pdf", "form.xlsx", "ledger.pdf", "ledger.xlsx"] {
        let (status, _) = app
            .get_bytes(&format!("/api/v1/claims/{id}/{document}"), &shenyang)
            .await;
        assert_eq!(status, 404, "{document}");
        let (status, _) = app
            .get_bytes(&format!("/api/v1/claims/999999/{document}"), &inspector)
            .await;
        assert_eq!(status, 404, "{document}");
    }
    let audit = app
        .database
        .store
        .audit_entries(&dte_store::AuditFilter::default(), None, 1_000)
        .await
        .unwrap();
    let mut printed: Vec<String> = audit
        .iter()
        .filter(|entry| entry.action == "claim.document")
        .map(|entry| {
            let after: Value = serde_json::from_str(entry.after_json.as_ref().unwrap()).unwrap();
            after["document"].as_str().unwrap().to_owned()
        })
        .collect();
    printed.sort();
    assert_eq!(
        printed,
        ["form.pdf", "form.xlsx", "ledger.pdf", "ledger.xlsx"]
    );

    // The report: by region, year, occupation, level and fund source; rows add up to 合计.
    let province = app.own_token("province").await;
    let expected_rows = [
        [
            "职业技能提升行动专账结余",
            "1",
            "1,000.00",
            "0",
            "0.00",
            "1",
            "600.00",
        ],
        [
            "就业补助资金",
            "1",
            "2,200.00",
            "0",
            "0.00",
            "1",
            "1,000.00",
        ],
        [
            "（追回案件，不分资金来源）",
            "0",
            "0.00",
            "1",
            "1,600.00",
            "0",
            "0.00",
        ],
        ["", "2", "3,200.00", "1", "1,600.00", "2", "1,600.00"],
    ];
    for token in [&province, &reviewer] {
        let (status, xlsx) = app
            .get_bytes("/api/v1/reports/subsidies.xlsx?year=2026", token)
            .await;
        assert_eq!(status, 200);
        let rows = workbook_rows(&xlsx);
        let header = rows
            .iter()
            .position(|row| row.first().map(String::as_str) == Some("地区"))
            .unwrap();
        let body: Vec<&Vec<String>> = rows[header + 1..]
            .iter()
            .take_while(|row| row.iter().any(|cell| !cell.is_empty()))
            .collect();
        assert_eq!(body.len(), 4, "{body:?}");
        for (row, expected) in body.iter().zip(&expected_rows) {
            if row[0] != "合计" {
                assert_eq!(
                    row[..4],
                    ["大连", "2026", "人工智能工程技术人员", "中级"],
                    "{row:?}"
                );
            }
            assert_eq!(row[4..], expected[..], "{row:?}");
        }
        let fen = |cell: &str| -> i64 { cell.replace([',', '.'], "").parse().unwrap() };
        for column in [6, 8, 10] {
            let sum: i64 = body[..3].iter().map(|row| fen(&row[column])).sum();
            assert_eq!(sum, fen(&body[3][column]), "column {column}");
        }
    }
    // 沈阳 sees nothing of 大连; another year has nothing; a year out of range is refused.
    for (token, path) in [
        (&shenyang, "/api/v1/reports/subsidies.xlsx?year=2026"),
        (&province, "/api/v1/reports/subsidies.xlsx?year=2025"),
    ] {
        let (status, xlsx) = app.get_bytes(path, token).await;
        assert_eq!(status, 200);
        let rows = workbook_rows(&xlsx);
        let total = row_with(&rows, 0, "合计");
        assert_eq!(
            total[5..],
            ["0", "0.00", "0", "0.00", "0", "0.00"],
            "{path}"
        );
    }
    let (status, _) = app
        .get_bytes("/api/v1/reports/subsidies.xlsx?year=1999", &province)
        .await;
    assert_eq!(status, 422);
    // Public downloads count against the address's public look-ups, like verification.
    let mut statuses = Vec::new();
    for _ in 0..crate::helpers::VERIFICATIONS_PER_MINUTE {
        statuses.push(public_get(&app, "/api/v1/notices/x.pdf").await.0);
    }
    assert_eq!(statuses.last(), Some(&429), "{statuses:?}");
    assert!(statuses.iter().all(|status| [404, 429].contains(status)));
    let trainee_account = app.create_user(Role::Trainee, "trainee").await;
    let trainee_token = app.own_token(&trainee_account).await;
    let (status, _) = app
        .get_bytes("/api/v1/reports/subsidies.xlsx?year=2026", &trainee_token)
        .await;
    assert_eq!(status, 403);
}

fn key(region: &str, level: Level) -> ReportKey {
    ReportKey {
        region: region.into(),
        year: 2026,
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        level,
    }
}

/// The report's rows add up to its totals, which are summed from the facts directly; each
/// figure lands on its region, level and fund source.
#[test]
fn the_subsidy_report_rows_add_up_to_its_totals() {
    use dte_domain::subsidy::ClawbackStatus;
    let dalian = key("大连", Level::Intermediate);
    let shenyang = key("沈阳", Level::Junior);
    let payment = |key: &ReportKey, source, fen| PaymentFact {
        key: key.clone(),
        claim_id: 1,
        source,
        amount: Fen::new(fen),
    };
    let facts = SubsidyReportFacts {
        payments: vec![
            payment(&dalian, FundSource::SkillsUpgradingBalance, 100_000),
            payment(&dalian, FundSource::EmploymentSubsidyFund, 60_000),
            payment(&dalian, FundSource::EmploymentSubsidyFund, 160_000),
            payment(&shenyang, FundSource::SkillsUpgradingBalance, 48_000),
        ],
        clawbacks: vec![ClawbackFact {
            key: dalian.clone(),
            id: 7,
            claim_id: 1,
            amount: Fen::new(160_000),
            recovered: Fen::new(60_000),
            status: ClawbackStatus::PartlyRecovered,
        }],
        recoveries: vec![RecoveryFact {
            key: dalian.clone(),
            clawback_id: 7,
            source: FundSource::EmploymentSubsidyFund,
            amount: Fen::new(60_000),
        }],
    };
    let report = dte_app::claims::subsidy_report(&facts).unwrap();
    type Shape<'a> = (&'a str, Option<FundSource>, u64, i64, u64, i64, u64, i64);
    let shape: Vec<Shape> = report
        .rows
        .iter()
        .map(|row| {
            let f = row.figures;
            (
                row.key.region.as_str(),
                row.source,
                f.payments,
                f.paid.get(),
                f.clawbacks,
                f.clawed_back.get(),
                f.recoveries,
                f.recovered.get(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            (
                "大连",
                Some(FundSource::SkillsUpgradingBalance),
                1,
                100_000,
                0,
                0,
                0,
                0
            ),
            (
                "大连",
                Some(FundSource::EmploymentSubsidyFund),
                2,
                220_000,
                0,
                0,
                1,
                60_000
            ),
            ("大连", None, 0, 0, 1, 160_000, 0, 0),
            (
                "沈阳",
                Some(FundSource::SkillsUpgradingBalance),
                1,
                48_000,
                0,
                0,
                0,
                0
            ),
        ]
    );
    let mut sum = dte_app::claims::ReportFigures::default();
    for row in &report.rows {
        sum.payments += row.figures.payments;
        sum.paid = sum.paid.checked_add(row.figures.paid).unwrap();
        sum.clawbacks += row.figures.clawbacks;
        sum.clawed_back = sum
            .clawed_back
            .checked_add(row.figures.clawed_back)
            .unwrap();
        sum.recoveries += row.figures.recoveries;
        sum.recovered = sum.recovered.checked_add(row.figures.recovered).unwrap();
    }
    assert_eq!(sum, report.totals);
    assert_eq!(report.totals.paid, Fen::new(368_000));
    assert_eq!(
        dte_app::claims::subsidy_report(&SubsidyReportFacts::default()).unwrap(),
        dte_app::claims::SubsidyReport::default()
    );
}

/// A document holds at most 5,000 lines; more is refused with a clear message (422), never
/// cut short.
#[test]
fn a_document_of_more_than_5000_lines_is_refused() {
    assert_eq!(dte_app::claims::DOCUMENT_LINES_MAX, 5_000);
    assert!(dte_app::claims::check_lines(5_000, "该申领").is_ok());
    let error = dte_app::claims::check_lines(5_001, "该申领").unwrap_err();
    assert_eq!(
        (error.kind, error.code),
        (dte_app::ErrorKind::Invalid, "document_too_long")
    );
    assert!(error.message.contains("5,001 行"), "{}", error.message);
    assert!(
        error.message.contains("5,000 行的上限"),
        "{}",
        error.message
    );
}
