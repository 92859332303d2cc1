//! The class pages (SPEC steps 2 and 3) as a person uses them, with a cookie session and the
//! CSRF token scraped from each form: opening a class through the form (errors shown with
//! what was typed, nothing written), review by the city, enrolment with the one-time code,
//! activation, the trainee's home, roster upload, and quotas.

use crate::classes::{class_plan, id_number};
use crate::helpers::TestApp;
use dte_domain::{Role, Scope};

both_backends!(
    a_class_opened_through_the_form_shows_each_error_with_what_was_typed,
    a_class_is_reviewed_enrolled_and_activated_through_the_pages,
    a_roster_uploaded_through_the_page_is_all_or_nothing,
    a_submitted_class_offers_approval_only_to_its_city,
    the_province_adjusts_a_quota_through_the_page_and_a_city_only_reads_its_own,
);

/// SPEC step 2 (subsidised classes need the city's approval): the class page offers Approve
/// and Reject exactly to those `access::authorize` lets decide — the city of the class's
/// region, not the province (which used to see buttons that ended in 403) nor another city.
async fn a_submitted_class_offers_approval_only_to_its_city(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    app.create_user_of(Role::CityAdmin, "shenyang", "沈阳")
        .await;
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.token_for("dlut").await;
    let id = open_through_the_form(&app).await;
    let class_page = format!("/classes/{id}");
    let answer = post_form(
        &app,
        &class_page,
        &format!("/classes/{id}/actions"),
        &fields(&[("action", "submit")]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(
        !answer.html.contains(r#"value="approve""#),
        "{}",
        answer.html
    );
    app.token_for("province").await;
    let (status, province) = app.get_text(&class_page).await;
    assert_eq!(status, 200);
    assert!(province.contains("待审核"), "{province}");
    assert!(!province.contains(r#"value="approve""#), "{province}");
    assert!(!province.contains(r#"value="reject""#), "{province}");
    let refused = post_form(
        &app,
        &class_page,
        &format!("/classes/{id}/decisions"),
        &fields(&[("action", "approve")]),
    )
    .await;
    assert_eq!(refused.status, 403, "{}", refused.html);
    app.token_for("shenyang").await;
    let (status, _) = app.get_text(&class_page).await;
    assert_eq!(status, 404, "another city does not see the class at all");
    app.token_for("dalian").await;
    let (_, city) = app.get_text(&class_page).await;
    assert!(city.contains(r#"value="approve""#), "{city}");
    assert!(city.contains(r#"value="reject""#), "{city}");
    let approved = post_form(
        &app,
        &class_page,
        &format!("/classes/{id}/decisions"),
        &fields(&[("action", "approve")]),
    )
    .await;
    assert_eq!(approved.status, 200, "{}", approved.html);
    assert!(
        !approved.html.contains(r#"value="approve""#),
        "{}",
        approved.html
    );
}

/// The plan of `class_plan()` as the class form sends it, the timetable as pasted lines.
fn plan_form() -> Vec<(String, String)> {
    let plan = class_plan();
    let text = |key: &str| plan[key].as_str().unwrap().to_owned();
    let timetable: Vec<String> = plan["sessions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|session| {
            format!(
                "{} {}-{} 线下 {} {}",
                session["date"].as_str().unwrap(),
                session["start"].as_str().unwrap(),
                session["end"].as_str().unwrap(),
                session["hours"],
                session["teacher"].as_str().unwrap()
            )
        })
        .collect();
    [
        ("title", text("title")),
        ("occupation", text("occupation")),
        ("direction", String::new()),
        ("level", text("level")),
        ("funding", text("funding")),
        ("region", text("region")),
        ("venue_address", text("venue_address")),
        ("venue_lat", plan["venue"]["lat"].to_string()),
        ("venue_lon", plan["venue"]["lon"].to_string()),
        ("fence_kind", "circle".to_owned()),
        ("fence_lat", plan["fence"]["center"]["lat"].to_string()),
        ("fence_lon", plan["fence"]["center"]["lon"].to_string()),
        ("fence_radius", plan["fence"]["radius_m"].to_string()),
        ("fence_vertices", String::new()),
        ("start_date", text("start_date")),
        ("end_date", text("end_date")),
        ("capacity", plan["capacity"].to_string()),
        ("timetable", timetable.join("\n")),
    ]
    .into_iter()
    .map(|(name, value)| (name.to_owned(), value))
    .collect()
}

fn with(mut form: Vec<(String, String)>, name: &str, value: &str) -> Vec<(String, String)> {
    for field in &mut form {
        if field.0 == name {
            field.1 = value.to_owned();
        }
    }
    form
}

/// The session's CSRF token as a page's form carries it.
fn csrf(html: &str) -> String {
    let marker = r#"name="csrf_token" value=""#;
    let start = html.find(marker).expect("a form with a csrf_token") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_owned()
}

/// The text of the first element with this class attribute.
fn element_text(html: &str, class: &str) -> String {
    let marker = format!(r#"class="{class}">"#);
    let start = html.find(&marker).unwrap_or_else(|| panic!("no .{class}")) + marker.len();
    html[start..start + html[start..].find('<').unwrap()].to_owned()
}

/// A page's answer: status, the path it ended on after redirects, and the HTML.
struct Answer {
    status: u16,
    path: String,
    html: String,
}

/// Fetches `form_page` with the shared client's session, then posts the fields with its
/// CSRF token, following the redirect as a browser does.
async fn post_form(
    app: &TestApp,
    form_page: &str,
    action: &str,
    fields: &[(String, String)],
) -> Answer {
    let (status, page) = app.get_text(form_page).await;
    assert_eq!(status, 200, "{form_page}: {page}");
    let mut fields = fields.to_vec();
    fields.push(("csrf_token".into(), csrf(&page)));
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&fields)
        .send()
        .await
        .unwrap();
    Answer {
        status: response.status().as_u16(),
        path: response.url().path().to_owned(),
        html: response.text().await.unwrap(),
    }
}

fn fields(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
        .collect()
}

async fn classes_written(app: &TestApp) -> usize {
    app.database
        .store
        .classes_in_scope(&Scope::Province, &Default::default(), 100)
        .await
        .unwrap()
        .len()
}

/// Opens the standard class through the form as `dlut` (whose session the shared client
/// holds) and answers its id.
async fn open_through_the_form(app: &TestApp) -> i64 {
    let answer = post_form(app, "/classes/new", "/classes", &plan_form()).await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(answer.html.contains("班期已保存为草稿"), "{}", answer.html);
    answer
        .path
        .strip_prefix("/classes/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("redirected to {}", answer.path))
}

/// SPEC step 2 through the form: a timetable line that cannot be read is named by its line
/// number, a venue across the border is refused, each time with the typed values kept and
/// nothing written; a good plan becomes a draft.
async fn a_class_opened_through_the_form_shows_each_error_with_what_was_typed(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    app.token_for("dlut").await;
    let (status, form) = app.get_text("/classes/new").await;
    assert_eq!(status, 200);
    assert!(
        form.contains("人工智能工程技术人员（2-02-10-09）"),
        "listed occupation offered"
    );
    assert!(
        !form.contains("区块链工程技术人员（"),
        "大连理工大学 is not listed for 区块链 (附件1)"
    );
    // Line 3 has hours in Chinese numerals; line 5 has no time.
    let mut lines: Vec<String> = plan_form()
        .into_iter()
        .find(|(name, _)| name == "timetable")
        .unwrap()
        .1
        .lines()
        .map(str::to_owned)
        .collect();
    lines[2] = "2027-01-12 08:30-17:30 线下 八 王老师".into();
    lines[4] = "2027-01-14 线下 8 王老师".into();
    let bad = with(plan_form(), "timetable", &lines.join("\n"));
    let answer = post_form(&app, "/classes/new", "/classes", &bad).await;
    assert_eq!(answer.status, 422, "{}", answer.html);
    assert!(
        answer.html.contains("课表第 3 行无法识别"),
        "{}",
        answer.html
    );
    assert!(answer.html.contains("学时“八”应为整数"), "{}", answer.html);
    assert!(
        answer.html.contains("课表第 5 行无法识别"),
        "{}",
        answer.html
    );
    assert!(
        answer
            .html
            .contains("人工智能工程技术人员（中级）2027年第1期")
            && answer
                .html
                .contains("2027-01-12 08:30-17:30 线下 八 王老师"),
        "what was typed is kept"
    );
    assert_eq!(classes_written(&app).await, 0, "nothing written");
    // 山海关, Hebei, just across the border from 葫芦岛: no cross-province training.
    let across = [
        ("region", "葫芦岛"),
        ("venue_lat", "40.00944"),
        ("venue_lon", "119.75417"),
        ("fence_lat", "40.00944"),
        ("fence_lon", "119.75417"),
    ]
    .iter()
    .fold(plan_form(), |form, (name, value)| with(form, name, value));
    let answer = post_form(&app, "/classes/new", "/classes", &across).await;
    assert_eq!(answer.status, 422, "{}", answer.html);
    assert!(answer.html.contains("辽宁省外"), "{}", answer.html);
    assert!(
        answer.html.contains(r#"value="40.00944""#),
        "typed venue kept"
    );
    assert!(
        answer
            .html
            .contains(r#"<option value="葫芦岛" selected>葫芦岛</option>"#)
    );
    assert_eq!(classes_written(&app).await, 0, "nothing written");
    // A polygon fence with a vertex that is not a coordinate is named by its line.
    let polygon = with(
        with(plan_form(), "fence_kind", "polygon"),
        "fence_vertices",
        "38.879,121.528\n38.883,121.528\n北纬38度",
    );
    let answer = post_form(&app, "/classes/new", "/classes", &polygon).await;
    assert_eq!(answer.status, 422);
    assert!(answer.html.contains("电子围栏第 3 行"), "{}", answer.html);
    // An empty select is asked for, not reported as an invalid code.
    let answer = post_form(
        &app,
        "/classes/new",
        "/classes",
        &with(plan_form(), "occupation", ""),
    )
    .await;
    assert_eq!(answer.status, 422);
    assert!(answer.html.contains("请选择职业"), "{}", answer.html);
    assert!(
        !answer.html.contains("不是有效的职业代码"),
        "{}",
        answer.html
    );
    // The good plan is saved as a draft and can be edited in the same form.
    let id = open_through_the_form(&app).await;
    assert_eq!(classes_written(&app).await, 1);
    let (status, edit) = app.get_text(&format!("/classes/{id}/edit")).await;
    assert_eq!(status, 200);
    assert!(
        edit.contains("2027-01-19 08:30-17:30 线下 8 王老师"),
        "{edit}"
    );
    let changed = with(plan_form(), "title", "人工智能（中级）改期后");
    let answer = post_form(
        &app,
        &format!("/classes/{id}/edit"),
        &format!("/classes/{id}/edit"),
        &changed,
    )
    .await;
    assert_eq!(
        (answer.status, answer.path.as_str()),
        (200, format!("/classes/{id}").as_str())
    );
    assert!(answer.html.contains("人工智能（中级）改期后"));
    let (_, list) = app.get_text("/classes").await;
    assert!(
        list.contains("人工智能（中级）改期后") && list.contains("草稿"),
        "{list}"
    );
}

/// SPEC steps 2 and 3: submit, a rejection needs a reason, the city approves within its quota,
/// the institution enrols a person and sees the one-time code, the trainee activates and finds
/// their class on their home page.
async fn a_class_is_reviewed_enrolled_and_activated_through_the_pages(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    app.token_for("dlut").await;
    let id = open_through_the_form(&app).await;
    let class_page = format!("/classes/{id}");
    let answer = post_form(
        &app,
        &class_page,
        &format!("/classes/{id}/actions"),
        &fields(&[("action", "submit")]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(answer.html.contains("已提交审核") && answer.html.contains("待审核"));
    // The city's queue and remaining quota (附件7: 大连 600, 30 seats pending).
    app.token_for("dalian").await;
    let (_, workbench) = app.get_text("/workbench").await;
    assert!(workbench.contains("待审核 1"), "{workbench}");
    let (_, queue) = app.get_text("/classes?status=submitted").await;
    assert!(
        queue.contains(&format!(r#"href="/classes/{id}""#)),
        "{queue}"
    );
    assert!(
        queue.contains("大连 2027 年剩余名额（名额 600，已批准 0，待审核 30）"),
        "{queue}"
    );
    let decide = format!("/classes/{id}/decisions");
    let answer = post_form(
        &app,
        &class_page,
        &decide,
        &fields(&[("action", "reject"), ("reason", " ")]),
    )
    .await;
    assert_eq!(answer.status, 422);
    assert!(
        answer.html.contains("驳回班期须填写驳回理由"),
        "{}",
        answer.html
    );
    let answer = post_form(
        &app,
        &class_page,
        &decide,
        &fields(&[("action", "approve")]),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(answer.html.contains("已批准"));
    let (_, list) = app.get_text("/classes").await;
    assert!(
        list.contains("大连 2027 年剩余名额（名额 600，已批准 30，待审核 0）"),
        "{list}"
    );
    // A city cannot use the institution's actions.
    let answer = post_form(
        &app,
        &class_page,
        &format!("/classes/{id}/actions"),
        &fields(&[("action", "start")]),
    )
    .await;
    assert_eq!(answer.status, 403);
    // Enrolment: a wrong ID number is named with what was typed kept; a good one gives a code.
    app.token_for("dlut").await;
    let person = |id_number: &str| {
        fields(&[
            ("name", "李明"),
            ("id_number", id_number),
            ("phone", "13800000001"),
            ("category", "in_post"),
            ("employer_or_school", "大连某科技公司"),
            ("graduation_year", ""),
            ("subsidy_category", "registered_unemployed"),
        ])
    };
    let enrol = format!("/classes/{id}/enrolments");
    let answer = post_form(&app, &class_page, &enrol, &person("210202199001010021")).await;
    assert_eq!(answer.status, 422, "{}", answer.html);
    assert!(
        answer.html.contains("未能报名") && answer.html.contains(r#"value="210202199001010021""#)
    );
    let answer = post_form(&app, &class_page, &enrol, &person(&id_number(1))).await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(answer.html.contains("激活码（仅显示这一次）"));
    let username = element_text(&answer.html, "username");
    let code = element_text(&answer.html, "activation-code");
    assert!(
        username.starts_with("xy") && code.len() >= 8,
        "{username} {code}"
    );
    let (_, page) = app.get_text(&class_page).await;
    assert!(
        page.contains("李明") && page.contains("待激活"),
        "roster line"
    );
    assert!(!page.contains(&code), "the code is shown once");
    assert!(!page.contains(&id_number(1)), "the roster is masked");
    // Activation through /activate, by someone not signed in.
    let visitor = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let activate = |code: String, confirm: &'static str| {
        let visitor = visitor.clone();
        let url = format!("{}/activate", app.address);
        let username = username.clone();
        async move {
            let response = visitor
                .post(url)
                .form(&[
                    ("username", username.as_str()),
                    ("code", code.as_str()),
                    ("password", "Trainee-Pass-2026!"),
                    ("confirm", confirm),
                ])
                .send()
                .await
                .unwrap();
            (response.status().as_u16(), response.text().await.unwrap())
        }
    };
    let (status, html) = activate(code.clone(), "Trainee-Pass-2027!").await;
    assert_eq!(status, 422);
    assert!(
        html.contains("两次输入的新密码不一致") && html.contains(&code),
        "{html}"
    );
    let (status, html) = activate(code.clone(), "Trainee-Pass-2026!").await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已激活") && html.contains(r#"href="/login""#));
    // The trainee's home lists their class; the class page shows no roster.
    let response = visitor
        .post(format!("{}/api/v1/session", app.address))
        .json(&serde_json::json!({"username": username, "password": "Trainee-Pass-2026!"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let home = visitor
        .get(format!("{}/workbench", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("我的培训") && home.contains(&format!(r#"href="/classes/{id}""#)),
        "{home}"
    );
    let page = visitor
        .get(format!("{}{class_page}", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let page = page.text().await.unwrap();
    assert!(
        page.contains("课表") && page.contains("总学时 <strong>80</strong>"),
        "{page}"
    );
    assert!(!page.contains("花名册"), "a trainee sees no roster");
}

/// A multipart body with a `file` part (and other text parts), by hand: the test client has
/// no multipart support.
fn multipart(parts: &[(&str, &str)], file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "dte-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, value) in parts {
        body.extend(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

fn roster_workbook(rows: &[[String; 4]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in ["姓名", "公民身份号码", "手机号码", "学员类别"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *header).unwrap();
    }
    for (row, values) in rows.iter().enumerate() {
        for (column, value) in values.iter().enumerate() {
            sheet
                .write_string(row as u32 + 1, column as u16, value)
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

/// Uploads through the page as htmx does: multipart with the CSRF token in a header.
async fn upload(
    app: &TestApp,
    path: &str,
    token: Option<&str>,
    body: (String, Vec<u8>),
) -> (u16, String) {
    let mut request = app
        .client
        .post(format!("{}{path}", app.address))
        .header("content-type", body.0)
        .body(body.1);
    if let Some(token) = token {
        request = request.header("x-csrf-token", token);
    }
    let response = request.send().await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

/// SPEC step 3 on the page: a roster with one bad row writes nothing and names the row; the
/// good roster shows each new account's code; a roster line takes a photo.
async fn a_roster_uploaded_through_the_page_is_all_or_nothing(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    app.token_for("dlut").await;
    let id = open_through_the_form(&app).await;
    let (_, page) = app.get_text(&format!("/classes/{id}")).await;
    assert!(page.contains(r#"href="/api/v1/roster-template.xlsx""#));
    let token = csrf(&page);
    let names = ["周一", "吴二", "郑三"];
    let mut rows: Vec<[String; 4]> = (1..=3)
        .map(|sequence: u32| {
            [
                names[sequence as usize - 1].to_owned(),
                id_number(sequence),
                format!("1390000{sequence:04}"),
                "拟从事".to_owned(),
            ]
        })
        .collect();
    rows[1][1] = "210202199001010041".into(); // a wrong check digit, spreadsheet row 3
    let path = format!("/classes/{id}/roster");
    let body = || multipart(&[], "花名册.xlsx", &roster_workbook(&rows));
    let (status, _) = upload(&app, &path, None, body()).await;
    assert_eq!(status, 403, "a cookie-signed upload needs the CSRF token");
    let (status, html) = upload(&app, &path, Some(&token), body()).await;
    assert_eq!(status, 422, "{html}");
    assert!(
        html.contains("花名册未导入") && html.contains("第 3 行"),
        "{html}"
    );
    let roster = app.database.store.class_roster(id).await.unwrap();
    assert!(roster.is_empty(), "nothing written");
    rows[1][1] = id_number(2);
    let body = multipart(&[], "花名册.xlsx", &roster_workbook(&rows));
    let (status, html) = upload(&app, &path, Some(&token), body).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("花名册导入成功，共 3 人"), "{html}");
    assert_eq!(html.matches(r#"class="activation-code""#).count(), 3);
    // A roster line's photo: a PNG is stored, a text file is refused with the reason.
    let enrolment = app.database.store.class_roster(id).await.unwrap()[0].enrolment_id;
    let path = format!("/enrolments/{enrolment}/documents");
    let text = multipart(&[("kind", "photo")], "photo.txt", b"hello");
    let (status, html) = upload(&app, &path, Some(&token), text).await;
    assert_eq!(status, 422);
    assert!(
        html.contains("材料未上传") && html.contains("JPEG"),
        "{html}"
    );
    let png = multipart(
        &[("kind", "photo")],
        "photo.png",
        b"\x89PNG\r\n\x1a\nnot-really-a-picture",
    );
    let (status, html) = upload(&app, &path, Some(&token), png).await;
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("材料已上传") && html.contains("1 份"),
        "{html}"
    );
}

/// 附件7 adjusted dynamically: the province changes a quota with a reason through the page and
/// sees the history; a change without a reason is refused; a city reads only its own region.
async fn the_province_adjusts_a_quota_through_the_page_and_a_city_only_reads_its_own(app: TestApp) {
    app.create_user(Role::ProvinceAdmin, "province").await;
    app.create_user(Role::CityAdmin, "dalian").await;
    app.token_for("province").await;
    let (status, page) = app.get_text("/quotas?year=2027").await;
    assert_eq!(status, 200);
    assert!(page.contains("2027 年培育名额") && page.contains(r#"data-region="沈抚示范区""#));
    let change = |quota: &str, reason: &str| {
        fields(&[
            ("year", "2027"),
            ("region", "大连"),
            ("quota", quota),
            ("reason", reason),
        ])
    };
    let answer = post_form(&app, "/quotas?year=2027", "/quotas", &change("650", "")).await;
    assert_eq!(answer.status, 422);
    assert!(
        answer.html.contains("调整名额须填写调整理由"),
        "{}",
        answer.html
    );
    assert!(answer.html.contains(r#"value="650""#), "typed quota kept");
    let answer = post_form(
        &app,
        "/quotas?year=2027",
        "/quotas",
        &change("650", "增加两个班"),
    )
    .await;
    assert_eq!(answer.status, 200, "{}", answer.html);
    assert!(answer.html.contains("已调整大连的 2027 年名额"));
    assert!(answer.html.contains("增加两个班") && answer.html.contains("province"));
    app.token_for("dalian").await;
    let (status, page) = app.get_text("/quotas?year=2027").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"data-region="大连""#) && !page.contains(r#"data-region="沈阳""#));
    assert!(page.contains("增加两个班"), "the city sees its own history");
    assert!(!page.contains(r#"action="/quotas""#), "a city has no form");
    let response = app
        .client
        .post(format!("{}/quotas", app.address))
        .form(&[
            ("csrf_token", csrf(&page).as_str()),
            ("year", "2027"),
            ("region", "大连"),
            ("quota", "1"),
            ("reason", "x"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403, "only the province sets quotas");
}
