//! Journeys in real headless Chromium (Debian's chromium + chromedriver) against the real
//! server on 127.0.0.1. Later capabilities add their journeys here.

use crate::helpers::{TestApp, spawn_app};
use dte_store::Backend;
use fantoccini::{Client, ClientBuilder, Locator};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Headless Chromium's narrowest window: a narrower `--window-size` still lays pages out
/// 500 px wide (485 px beside the scroll bar), so narrower phones are emulated instead.
const HEADLESS_MIN_WIDTH: u32 = 500;

/// A chromedriver process and a browser session; both end when this is dropped.
pub struct Browser {
    pub client: Client,
    driver: Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

impl Browser {
    /// Starts chromedriver on a free port and opens a headless Chromium session with a
    /// phone-sized or desktop window (a phone narrower than [`HEADLESS_MIN_WIDTH`] emulated
    /// with [`Browser::emulate_phone`]). Returns `None` when Chromium is not installed, unless
    /// `DTE_REQUIRE_BROWSER=1` (set by the README's test command), which makes it a failure.
    pub async fn start(width: u32, height: u32) -> Option<Browser> {
        let installed = std::path::Path::new("/usr/bin/chromedriver").exists()
            && std::path::Path::new("/usr/bin/chromium").exists();
        if !installed {
            assert!(
                std::env::var("DTE_REQUIRE_BROWSER").as_deref() != Ok("1"),
                "DTE_REQUIRE_BROWSER=1 but chromium / chromedriver are not installed"
            );
            eprintln!("skipping browser test: chromium or chromedriver missing");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let driver = Command::new("/usr/bin/chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver starts");
        let profile = std::env::temp_dir().join(format!("dte-chromium-{port}"));
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({
                "binary": "/usr/bin/chromium",
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--disable-quic", "--lang=zh-CN",
                    format!("--window-size={width},{height}"),
                    format!("--user-data-dir={}", profile.display()),
                ]
            }),
        );
        let url = format!("http://127.0.0.1:{port}");
        let mut last_error = None;
        for _ in 0..50 {
            let connector = hyper_util::client::legacy::connect::HttpConnector::new();
            match ClientBuilder::new(connector)
                .capabilities(capabilities.clone())
                .connect(&url)
                .await
            {
                Ok(client) => {
                    let browser = Browser {
                        client,
                        driver,
                        profile,
                    };
                    if width < HEADLESS_MIN_WIDTH {
                        browser.emulate_phone(width, height).await;
                    }
                    return Some(browser);
                }
                Err(error) => last_error = Some(error),
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("cannot start a Chromium session: {last_error:?}");
    }
}

/// Opens the sign-in page, fills in the username and password, and submits the form.
pub async fn sign_in_through_the_page(
    client: &Client,
    address: &str,
    username: &str,
    password: &str,
) {
    client.goto(&format!("{address}/login")).await.unwrap();
    client
        .find(Locator::Css("input[name=username]"))
        .await
        .unwrap()
        .send_keys(username)
        .await
        .unwrap();
    client
        .find(Locator::Css("input[name=password]"))
        .await
        .unwrap()
        .send_keys(password)
        .await
        .unwrap();
    client
        .find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

/// A Chrome DevTools Protocol command sent through chromedriver's `goog/cdp/execute`, for
/// what WebDriver has no command for (granting the location permission, emulating a
/// position).
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: serde_json::Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (axum::http::Method, Option<String>) {
        let body = serde_json::json!({"cmd": self.cmd, "params": self.params});
        (axum::http::Method::POST, Some(body.to_string()))
    }
}

impl Browser {
    /// Makes the page a phone's: a `width` × `height` CSS-pixel viewport at 3× density that
    /// honours `<meta name="viewport">`, as headless Chromium's windows cannot be narrower
    /// than [`HEADLESS_MIN_WIDTH`].
    pub async fn emulate_phone(&self, width: u32, height: u32) {
        let metrics = Cdp {
            cmd: "Emulation.setDeviceMetricsOverride",
            params: serde_json::json!({
                "width": width, "height": height, "deviceScaleFactor": 3, "mobile": true,
            }),
        };
        self.client.issue_cmd(metrics).await.unwrap();
    }
}

impl Browser {
    /// Lets pages of `origin` read the location, and makes the browser report this position
    /// with this accuracy (metres), as a phone's GPS would.
    pub async fn emulate_location(&self, origin: &str, lat: f64, lon: f64, accuracy_m: f64) {
        let grant = Cdp {
            cmd: "Browser.grantPermissions",
            params: serde_json::json!({"origin": origin, "permissions": ["geolocation"]}),
        };
        self.client.issue_cmd(grant).await.unwrap();
        let position = Cdp {
            cmd: "Emulation.setGeolocationOverride",
            params: serde_json::json!({"latitude": lat, "longitude": lon, "accuracy": accuracy_m}),
        };
        self.client.issue_cmd(position).await.unwrap();
    }
}

/// Waits for an element and returns its text.
pub async fn text_of(client: &Client, css: &str) -> String {
    let element = client
        .wait()
        .at_most(Duration::from_secs(10))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|error| panic!("{css} did not appear: {error}"));
    element.text().await.unwrap()
}

/// The home page renders in Chinese, and the occupations table read in the browser holds the
/// figures of 附件5 as the API serves them.
#[tokio::test]
async fn the_home_page_renders_in_chinese_and_the_occupations_table_reads_right() {
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let client = &browser.client;
    client.goto(&format!("{}/", app.address)).await.unwrap();
    assert!(
        client
            .title()
            .await
            .unwrap()
            .contains("辽宁省数字技术工程师培育项目管理平台")
    );
    assert_eq!(
        text_of(client, "main h1").await,
        "辽宁省数字技术工程师培育项目管理平台"
    );
    let lang = client
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("zh-CN"));

    client
        .find(Locator::LinkText("职业目录"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_of(client, "#occupations").await;
    let rows = client
        .find_all(Locator::Css("#occupations tbody tr"))
        .await
        .unwrap();
    let (_, api) = app.get_json("/api/v1/occupations").await;
    let expected = api["items"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    for (row, occupation) in rows.iter().zip(expected) {
        let name = row
            .find(Locator::Css("th"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert_eq!(name, occupation["name"].as_str().unwrap());
        let cells = row.find_all(Locator::Css("td")).await.unwrap();
        let mut texts = Vec::new();
        for cell in &cells {
            texts.push(cell.text().await.unwrap());
        }
        assert_eq!(texts[0], occupation["code"].as_str().unwrap());
        for (index, level) in ["junior", "intermediate", "senior"].iter().enumerate() {
            assert_eq!(
                texts[1 + index * 3],
                occupation["levels"][level]["hours"].to_string(),
                "{name} {level}"
            );
        }
    }
    browser.client.clone().close().await.unwrap();
}

/// On a phone the navigation folds behind the 菜单 button, and the catalog filter works
/// through htmx without a full reload.
#[tokio::test]
async fn on_a_phone_the_menu_opens_and_the_institution_filter_updates_the_list() {
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    let Some(browser) = Browser::start(390, 844).await else {
        return;
    };
    let client = &browser.client;
    client.goto(&format!("{}/", app.address)).await.unwrap();
    let nav_link = client
        .find(Locator::Css("nav#nav a[href=\"/institutions\"]"))
        .await
        .unwrap();
    assert!(
        !nav_link.is_displayed().await.unwrap(),
        "navigation is folded on a phone"
    );
    client
        .find(Locator::Css("button.menu"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(
        nav_link.is_displayed().await.unwrap(),
        "the menu button opens the navigation"
    );
    nav_link.click().await.unwrap();
    text_of(client, "#institutions").await;
    let before = client
        .find_all(Locator::Css("#institutions tbody tr"))
        .await
        .unwrap()
        .len();
    assert_eq!(before, 18);
    let select = client
        .find(Locator::Css("select[name=occupation]"))
        .await
        .unwrap();
    select.select_by_value("2-02-10-15").await.unwrap();
    let mut rows = before;
    for _ in 0..50 {
        rows = client
            .find_all(Locator::Css("#institutions tbody tr"))
            .await
            .unwrap()
            .len();
        if rows != before {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // 区块链工程技术人员: 东北大学 (附件1) and 中国电子学会 (附件6).
    assert_eq!(rows, 2);
    assert!(
        client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("occupation=2-02-10-15")
    );
    browser.client.clone().close().await.unwrap();
}

/// Every role signs in through the sign-in page in a real browser and lands on its own
/// workbench, which names the role and its data scope; signing out returns to the public home.
#[tokio::test]
async fn each_role_signs_in_through_the_page_and_sees_its_home() {
    use dte_domain::Role;
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    for role in Role::ALL {
        app.create_user(role, role.as_str()).await;
    }
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let client = &browser.client;
    for role in Role::ALL {
        sign_in_through_the_page(
            client,
            &app.address,
            role.as_str(),
            crate::helpers::TEST_PASSWORD,
        )
        .await;
        assert_eq!(text_of(client, "#role").await, role.label(), "{role:?}");
        let scope = text_of(client, "#scope").await;
        let expected = match role {
            Role::CityAdmin => "大连",
            Role::TrainingInstitution => "大连理工大学",
            Role::EvaluationInstitution => "中国电子学会",
            Role::Trainee => "本人",
            Role::Auditor => "审计",
            Role::ProvinceAdmin | Role::Inspector => "全省",
        };
        assert!(scope.contains(expected), "{role:?}: {scope}");
        client
            .find(Locator::Css("nav form.inline button"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        text_of(client, ".hero h1").await;
        let login_link = client
            .find_all(Locator::Css("nav a[href='/login']"))
            .await
            .unwrap();
        assert_eq!(login_link.len(), 1, "{role:?} signed out");
    }
    // A wrong password stays on the page with the reason, in Chinese.
    sign_in_through_the_page(client, &app.address, "province-admin", "Wrong-Password-1").await;
    assert_eq!(text_of(client, "p.alert").await, "用户名或密码错误");
    browser.client.clone().close().await.unwrap();
}

/// A training institution opens a class through the real form on a phone-sized window (fields
/// typed, selects chosen, the timetable pasted line by line) and finds it in its list.
#[tokio::test]
async fn an_institution_opens_a_class_through_the_form_and_sees_it_listed() {
    use dte_domain::Role;
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let Some(browser) = Browser::start(390, 844).await else {
        return;
    };
    let client = &browser.client;
    sign_in_through_the_page(client, &app.address, "dlut", crate::helpers::TEST_PASSWORD).await;
    text_of(client, "#role").await;
    client
        .goto(&format!("{}/classes/new", app.address))
        .await
        .unwrap();
    let title = "人工智能工程技术人员（中级）浏览器开班";
    let timetable: Vec<String> = (10..20)
        .map(|day| format!("2027-01-{day} 08:30-17:30 线下 8 王老师"))
        .collect();
    let typed = [
        ("title", title.to_owned()),
        ("venue_address", "大连市甘井子区凌工路2号".to_owned()),
        ("venue_lat", "38.88".to_owned()),
        ("venue_lon", "121.53".to_owned()),
        ("fence_lat", "38.88".to_owned()),
        ("fence_lon", "121.53".to_owned()),
        ("fence_radius", "300".to_owned()),
        ("capacity", "30".to_owned()),
        ("timetable", timetable.join("\n")),
    ];
    for (name, value) in typed {
        client
            .find(Locator::Css(&format!("[name={name}]")))
            .await
            .unwrap()
            .send_keys(&value)
            .await
            .unwrap();
    }
    for (name, value) in [
        ("occupation", "2-02-10-09"),
        ("level", "intermediate"),
        ("funding", "subsidised"),
        ("region", "大连"),
    ] {
        client
            .find(Locator::Css(&format!("select[name={name}]")))
            .await
            .unwrap()
            .select_by_value(value)
            .await
            .unwrap();
    }
    // Date inputs take their value in the page's own format; set it as a date picker would.
    for (name, value) in [("start_date", "2027-01-10"), ("end_date", "2027-01-19")] {
        client
            .execute(
                "document.querySelector(`[name=${arguments[0]}]`).value = arguments[1];",
                vec![serde_json::json!(name), serde_json::json!(value)],
            )
            .await
            .unwrap();
    }
    client
        .find(Locator::Css("#class-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert_eq!(text_of(client, "#class-title").await, title);
    assert_eq!(text_of(client, "#class-status").await, "草稿");
    client
        .find(Locator::Css(".crumbs a[href='/classes']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let listed = text_of(client, "#classes").await;
    assert!(
        listed.contains(title) && listed.contains("0 / 30"),
        "{listed}"
    );
    browser.client.clone().close().await.unwrap();
}

/// What is wider than the window, for the failure message: each element whose right edge is
/// past the viewport, with its tag, class and the start of its text.
const OVERFLOWING: &str = "const width = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')]
    .filter(element => element.getBoundingClientRect().right > width + 0.5)
    .slice(0, 12)
    .map(element => element.tagName.toLowerCase() + '.' + element.className + ' ' + Math.round(element.getBoundingClientRect().right) + 'px: ' + (element.textContent || '').trim().slice(0, 30))
    .join(' | ');";

/// Issue 12: a trainee's pages fit a 390 px phone, with no horizontal scrolling: the
/// workbench (with a class in it), the check-in list and page, the class, learning,
/// certificates and hours. The phone is emulated: a 390 px headless window still lays pages
/// out 485 px wide beside its scroll bar, which is where the issue's 485 px came from.
#[tokio::test]
async fn a_trainees_pages_fit_a_390_px_phone_without_horizontal_scrolling() {
    use crate::attendance::{class_of_people, offline_session, shanghai_today};
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    let today = shanghai_today();
    let mut online = offline_session(today, 17, 21);
    online.delivery = dte_domain::class::Delivery::Online;
    let class = class_of_people(&app, vec![offline_session(today, 12, 16), online], &[1]).await;
    let Some(browser) = Browser::start(390, 844).await else {
        return;
    };
    let client = &browser.client;
    sign_in_through_the_page(
        client,
        &app.address,
        &class.usernames[0],
        crate::helpers::TEST_PASSWORD,
    )
    .await;
    assert_eq!(text_of(client, "#role").await, "学员");
    let pages = [
        "/workbench".to_owned(),
        "/check-in".to_owned(),
        format!("/check-in/{}", class.sessions[0]),
        format!("/classes/{}", class.id),
        format!("/learn/{}", class.sessions[1]),
        "/certificates".to_owned(),
        "/hours".to_owned(),
    ];
    for path in pages {
        client
            .goto(&format!("{}{path}", app.address))
            .await
            .unwrap();
        text_of(client, "main h1").await;
        let viewport = client
            .execute("return document.documentElement.clientWidth;", Vec::new())
            .await
            .unwrap();
        assert_eq!(viewport, 390, "the viewport is a 390 px phone's");
        let width = client
            .execute("return document.documentElement.scrollWidth;", Vec::new())
            .await
            .unwrap()
            .as_u64()
            .unwrap();
        if width > 390 {
            let overflowing = client.execute(OVERFLOWING, Vec::new()).await.unwrap();
            panic!("{path} is {width} px wide in a 390 px window: {overflowing}");
        }
    }
    browser.client.clone().close().await.unwrap();
}

/// Issue 15 item 3: a `next` that a browser would read as another host (`/%09/host/path` is
/// followed as `//host/path`) sends the person to the workbench after signing in, and a line
/// break in `next` is not a server error.
#[tokio::test]
async fn sign_in_never_redirects_to_another_host() {
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    app.create_user(dte_domain::Role::ProvinceAdmin, "province-admin")
        .await;
    let (status, page) = app.get_text("/login?next=/%0D%0ASet-Cookie:%20x=1").await;
    assert_eq!(status, 200);
    assert!(page.contains(r#"name="next" value="""#), "{page}");
    let Some(browser) = Browser::start(1280, 900).await else {
        return;
    };
    let client = &browser.client;
    let login = format!("{}/login?next=/%09/evil.example/path", app.address);
    client.goto(&login).await.unwrap();
    for (field, value) in [
        ("username", "province-admin"),
        ("password", crate::helpers::TEST_PASSWORD),
    ] {
        client
            .find(Locator::Css(&format!("input[name={field}]")))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    client
        .find(Locator::Css("form.stack button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    text_of(client, "#role").await;
    let landed = client.current_url().await.unwrap();
    assert_eq!(landed.host_str(), Some("127.0.0.1"), "{landed}");
    assert_eq!(landed.path(), "/workbench", "{landed}");
    browser.client.clone().close().await.unwrap();
}

/// Issue 13 item 3: the public notice opens on a 390 px phone without signing in, fits it
/// without horizontal scrolling, shows ID numbers masked only, and takes an objection.
#[tokio::test]
async fn the_public_notice_opens_on_a_phone_and_takes_an_objection() {
    let app: TestApp = spawn_app(Backend::Sqlite).await.unwrap();
    let claim = crate::claims::claim_on_notice(&app).await;
    let Some(browser) = Browser::start(390, 844).await else {
        return;
    };
    let client = &browser.client;
    client
        .goto(&format!("{}/notices", app.address))
        .await
        .unwrap();
    assert_eq!(text_of(client, "main h1").await, "培训补贴公示");
    let width = client
        .execute("return document.documentElement.scrollWidth;", Vec::new())
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    if width > 390 {
        let overflowing = client.execute(OVERFLOWING, Vec::new()).await.unwrap();
        panic!("/notices is {width} px wide in a 390 px window: {overflowing}");
    }
    let source = client.source().await.unwrap();
    assert!(source.contains("********"), "masked ID numbers shown");
    assert!(!source.contains(&crate::classes::id_number(1)));
    let card = format!("[data-notice=\"{claim}\"] ");
    client
        .find(Locator::Css(&format!("{card}input[name=contact]")))
        .await
        .unwrap()
        .send_keys("13900002222")
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!("{card}textarea[name=content]")))
        .await
        .unwrap()
        .send_keys("该学员培训期间在外地工作")
        .await
        .unwrap();
    client
        .find(Locator::Css(&format!(
            "{card}.objection-form button[type=submit]"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    assert!(text_of(client, "#notice").await.contains("异议已提交"));
    browser.client.clone().close().await.unwrap();
}
