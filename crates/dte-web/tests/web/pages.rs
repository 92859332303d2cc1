//! The Chinese pages, read as HTML: every catalog fact of the plan is on them.

use crate::helpers::TestApp;

both_backends!(
    the_home_page_explains_the_project_and_its_2030_target,
    the_occupations_page_shows_every_hour_and_subsidy,
    the_institutions_page_shows_every_contact,
    the_regions_page_shows_every_quota_and_the_total,
    the_policy_and_api_pages_render,
    an_unknown_page_is_a_chinese_404,
    assets_are_served_by_dte_itself,
    the_catalogs_export_as_a_real_xlsx_workbook,
);

/// The catalogs download as one .xlsx that a spreadsheet program reads.
async fn the_catalogs_export_as_a_real_xlsx_workbook(app: TestApp) {
    use calamine::{Data, Reader, Xlsx};
    let response = app
        .client
        .get(format!("{}/catalog.xlsx", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .contains("dte-catalog-2026.xlsx")
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let occupations = workbook.worksheet_range("职业目录").unwrap();
    assert_eq!(
        occupations.height(),
        12,
        "title, header and ten occupations"
    );
    let regions = workbook.worksheet_range("地区名额").unwrap();
    assert_eq!(regions.get_value((16, 1)), Some(&Data::Float(3000.0)));
    let institutions = workbook.worksheet_range("机构目录").unwrap();
    assert_eq!(
        institutions.height(),
        19,
        "header and eighteen institutions"
    );
}

async fn the_home_page_explains_the_project_and_its_2030_target(app: TestApp) {
    let (status, html) = app.get_text("/").await;
    assert_eq!(status, 200);
    assert!(html.contains(r#"<html lang="zh-CN">"#));
    for text in [
        "辽宁省数字技术工程师培育项目管理平台",
        "2030",
        "20,000",
        "3,000",
        "辽人社发〔2023〕36号",
    ] {
        assert!(html.contains(text), "home page lacks {text}");
    }
    assert!(
        !html.contains("http://cdn") && !html.contains("https://"),
        "no external assets"
    );
}

/// 附件5: every hour and every subsidy per level appears in the table.
async fn the_occupations_page_shows_every_hour_and_subsidy(app: TestApp) {
    let (status, html) = app.get_text("/occupations").await;
    assert_eq!(status, 200);
    for (name, code, subsidies) in [
        (
            "云计算工程技术人员",
            "2-02-10-12",
            ["1,600.00 元", "3,200.00 元", "4,800.00 元"],
        ),
        (
            "人工智能工程技术人员",
            "2-02-10-09",
            ["640.00 元", "1,600.00 元", "2,000.00 元"],
        ),
        (
            "数字化管理师",
            "2-02-30-11",
            ["600.00 元", "1,800.00 元", "3,000.00 元"],
        ),
    ] {
        let row_start = html.find(&format!(r#"data-code="{code}""#)).unwrap();
        let row = &html[row_start..row_start + html[row_start..].find("</tr>").unwrap()];
        assert!(row.contains(name));
        for subsidy in subsidies {
            assert!(row.contains(subsidy), "{name}: {subsidy} missing in {row}");
        }
    }
    assert!(
        html.contains("10 元/学时") && html.contains("20 元/学时") && html.contains("25 元/学时")
    );
}

/// 附件1 and 附件6: every institution and every published contact appears.
async fn the_institutions_page_shows_every_contact(app: TestApp) {
    let (status, html) = app.get_text("/institutions").await;
    assert_eq!(status, 200);
    for (name, person, phone) in [
        ("大连理工大学", "田老师", "15904947042"),
        ("本溪开放大学", "宁老师", "18641435568"),
        ("东北财经大学", "盖老师", "15542325623"),
        ("沈阳化工大学", "龚老师", "13386835861"),
    ] {
        assert!(
            html.contains(name) && html.contains(person) && html.contains(phone),
            "{name}"
        );
    }
    assert!(html.contains("中国工业互联网研究院"));
    let (_, filtered) = app
        .get_text("/institutions?kind=training&occupation=2-02-10-15")
        .await;
    assert!(filtered.contains("东北大学") && !filtered.contains("大连理工大学</th>"));
    let (_, none) = app.get_text("/institutions?occupation=2-02-10-12").await;
    assert!(none.contains("暂无目录内机构"));
    let (status, bad) = app.get_text("/institutions?kind=x").await;
    assert_eq!(status, 422);
    assert!(bad.contains("机构类别"));
}

/// 附件7: fifteen regions and 合计 3,000.
async fn the_regions_page_shows_every_quota_and_the_total(app: TestApp) {
    let (status, html) = app.get_text("/regions").await;
    assert_eq!(status, 200);
    for region in [
        "沈阳",
        "大连",
        "鞍山",
        "抚顺",
        "本溪",
        "丹东",
        "锦州",
        "营口",
        "阜新",
        "辽阳",
        "铁岭",
        "朝阳",
        "盘锦",
        "葫芦岛",
        "沈抚示范区",
    ] {
        assert!(
            html.contains(&format!("<th scope=\"row\">{region}</th>")),
            "{region}"
        );
    }
    assert!(html.contains("3,000"));
}

async fn the_policy_and_api_pages_render(app: TestApp) {
    let (status, html) = app.get_text("/policy").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("结业最低出勤率") && html.contains("年度退役军人") && html.contains("未启用")
    );
    let (status, html) = app.get_text("/api").await;
    assert_eq!(status, 200);
    for path in [
        "/api/v1/occupations",
        "/api/v1/regions",
        "/api/v1/institutions",
        "/api/v1/certificates/{number}",
    ] {
        assert!(html.contains(path), "API page lacks {path}");
    }
}

async fn an_unknown_page_is_a_chinese_404(app: TestApp) {
    let (status, html) = app.get_text("/nowhere").await;
    assert_eq!(status, 404);
    assert!(html.contains("未找到页面") && html.contains("返回首页"));
}

async fn assets_are_served_by_dte_itself(app: TestApp) {
    let response = app
        .client
        .get(format!("{}/assets/htmx.min.js", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(response.text().await.unwrap().contains("htmx"));
    let (status, _) = app.get_text("/assets/missing.js").await;
    assert_eq!(status, 404);
}
