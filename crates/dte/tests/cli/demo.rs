//! `dte demo` as a person tries it: a year of classes in every region with real-name rosters;
//! the printed trainee signs in and sees their class, the printed province admin pages
//! through every region's classes, the printed pending trainee activates with the printed
//! code; ID numbers are encrypted at rest with the data folder's keyring. (That a second run
//! is refused is `demo_prints_an_account_per_role_and_refuses_a_second_run` in cli.rs.)

use super::{dte, start_server, stdout};
use dte_domain::{ClassStatus, Scope};
use dte_store::{ClassFilter, ClassRow, Store};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// A temporary data folder, removed when the test ends.
pub(super) struct DataFolder(pub(super) PathBuf);

impl DataFolder {
    pub(super) fn new(name: &str) -> DataFolder {
        let dir = std::env::temp_dir().join(format!("dte-cli-demo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        DataFolder(dir)
    }

    pub(super) fn text(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for DataFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One `dte demo` on SQLite for the whole test binary, copied into a fresh data folder for each
/// test that only needs a demo year (a demo takes minutes in a debug build; CI has two cores).
/// Answers the folder and what the demo printed.
pub(super) fn demo_copy(name: &str) -> (DataFolder, String) {
    static TEMPLATE: std::sync::OnceLock<(PathBuf, String)> = std::sync::OnceLock::new();
    let (template, printed) = TEMPLATE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dte-cli-demo-template");
        let _ = std::fs::remove_dir_all(&dir);
        let printed = run_demo(&["--data-dir", dir.to_str().unwrap()]);
        (dir, printed)
    });
    let folder = DataFolder::new(name);
    copy_folder(template, &folder.0);
    (folder, printed.clone())
}

fn copy_folder(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_folder(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Runs `dte demo` with `args`, says how long it took, and answers what it printed.
pub(super) fn run_demo(args: &[&str]) -> String {
    let started = Instant::now();
    let output = dte(&[&["demo"], args].concat());
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("dte demo {args:?} took {took:.2?}");
    stdout(&output)
}

/// The printed account of `username`'s line: its password.
pub(super) fn password_of(printed: &str, username: &str) -> String {
    printed
        .lines()
        .skip_while(|line| !line.starts_with("账号（"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .find_map(|line| {
            let fields: Vec<&str> = line.split_whitespace().collect();
            (fields.len() == 3 && fields[1] == username).then(|| fields[2].to_owned())
        })
        .unwrap_or_else(|| panic!("no account {username} in:\n{printed}"))
}

/// The printed pending trainee: username and one-time code.
fn pending_trainee(printed: &str) -> (String, String) {
    let line = printed
        .lines()
        .find(|line| line.starts_with("待激活的学员账号"))
        .unwrap_or_else(|| panic!("no pending trainee in:\n{printed}"));
    let fields: Vec<&str> = line.split_whitespace().collect();
    let after = |word: &str| {
        let position = fields
            .iter()
            .position(|field| field.ends_with(word))
            .unwrap();
        fields[position + 1].to_owned()
    };
    (after("用户名"), after("激活码"))
}

pub(super) async fn every_class(store: &Store) -> Vec<ClassRow> {
    let mut rows = Vec::new();
    let mut filter = ClassFilter::default();
    loop {
        let page = store
            .classes_in_scope(&Scope::Province, &filter, 50)
            .await
            .unwrap();
        let Some(last) = page.last() else {
            return rows;
        };
        filter.before_id = Some(last.id);
        rows.extend(page);
    }
}

/// SPEC step 2 and the classes issue: classes in all 15 regions, in every state, each with a
/// roster of 8–25 trainees (drafts and rejected classes have none yet), each trainee with an
/// account; 大连 and 沈阳 have classes waiting for review; the rejected class says why; no
/// region's approved subsidised seats exceed its quota.
async fn check_the_year(store: &Store) {
    let classes = every_class(store).await;
    let regions: BTreeSet<&str> = classes.iter().map(|class| class.region.as_str()).collect();
    assert_eq!(regions, dte_geo::REGIONS.into_iter().collect());
    let states: BTreeSet<&str> = classes.iter().map(|class| class.status.as_str()).collect();
    assert_eq!(states.len(), ClassStatus::ALL.len(), "{states:?}");
    for region in ["大连", "沈阳"] {
        assert!(
            classes
                .iter()
                .any(|class| class.region == region && class.status == ClassStatus::Submitted),
            "{region} has nothing to review"
        );
    }
    for class in &classes {
        let roster = store.class_roster(class.id).await.unwrap();
        if matches!(class.status, ClassStatus::Draft | ClassStatus::Rejected) {
            assert!(roster.is_empty(), "{}", class.title);
        } else {
            // 8–25 trainees, and one class also holds the trainee of another class enrolled
            // twice for the flags' overlapping-sessions pattern.
            assert!(
                (8..=26).contains(&roster.len()),
                "{}: {}",
                class.title,
                roster.len()
            );
            assert!(roster.len() <= class.capacity as usize);
            assert!(roster.iter().all(|entry| entry.username.is_some()));
        }
        if class.status == ClassStatus::Rejected {
            assert!(
                class
                    .rejection_reason
                    .as_deref()
                    .is_some_and(|reason| !reason.is_empty())
            );
        }
    }
    let years: BTreeSet<i32> = classes.iter().map(|class| class.year).collect();
    for year in years {
        for usage in store.quota_usage(year).await.unwrap() {
            assert!(usage.approved_seats <= usage.quota, "{usage:?}");
        }
    }
}

/// Issue 5 items 3 and 5: every session held has its recording but one (left for the risk
/// flags), one of them a real file in the data folder whose bytes match its SHA-256; the online
/// sessions of the finished classes and two running ones have credited learning, some of it
/// cut short.
async fn check_recordings(store: &Store, data_dir: &Path) -> i64 {
    let today = dte_web::shanghai_today(chrono::Utc::now());
    let missing = store.sessions_without_recording(today).await.unwrap();
    assert_eq!(missing.len(), 1, "{missing:?}");
    let mut files = Vec::new();
    let mut credited = Vec::new();
    for class in every_class(store).await {
        for entry in store.recordings_of_class(class.id).await.unwrap() {
            if let Some(recording) = entry.recording
                && let dte_store::RecordingSource::File(relative) = &recording.source
            {
                let bytes = std::fs::read(data_dir.join(relative)).unwrap();
                assert_eq!(dte_crypto::sha256_hex(&bytes), recording.sha256);
                assert_eq!(bytes.len() as u64, recording.size_bytes);
                files.push(recording.id);
            }
        }
        for row in store.online_credits_of_class(class.id).await.unwrap() {
            credited.push(row.credit.minutes);
        }
    }
    assert_eq!(files.len(), 1);
    assert!(credited.len() > 20, "{credited:?}");
    let most = *credited.iter().max().unwrap();
    assert!(most >= 135, "a whole online session is credited: {most}");
    assert!(credited.iter().any(|&minutes| minutes < most / 2 + 10));
    files[0]
}

async fn sign_in(
    client: &reqwest::Client,
    address: &str,
    username: &str,
    password: &str,
) -> String {
    let response = client
        .post(format!("{address}/api/v1/session"))
        .json(&serde_json::json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200, "{username} cannot sign in");
    let body: serde_json::Value = response.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

/// Every class the token's holder sees through `GET /api/v1/classes`, following `next`.
async fn classes_seen(
    client: &reqwest::Client,
    address: &str,
    token: &str,
) -> Vec<serde_json::Value> {
    let mut items = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{address}/api/v1/classes");
        if let Some(cursor) = &cursor {
            url.push_str(&format!("?cursor={cursor}"));
        }
        let page: serde_json::Value = client
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        items.extend(page["items"].as_array().unwrap().iter().cloned());
        match page["next"].as_str() {
            Some(next) => cursor = Some(next.to_owned()),
            None => return items,
        }
    }
}

/// The classes and accounts issues: `dte demo` on SQLite makes a year people can use at once.
#[tokio::test]
async fn demo_makes_a_year_of_classes_in_every_region_that_its_printed_accounts_can_use() {
    let (dir, printed) = demo_copy("year");
    assert!(printed.contains("覆盖 15 个地区"), "{printed}");

    let store = Store::connect(&Store::sqlite_url_in(&dir.0)).await.unwrap();
    check_the_year(&store).await;
    let recording = check_recordings(&store, &dir.0).await;
    // PIPL: the ID number is kept encrypted with the data folder's keyring (so `dte serve`
    // can reveal it to those allowed), never in the clear in the database file.
    let keyring_text = std::fs::read_to_string(dir.0.join("keyring.txt")).unwrap();
    let keyring = dte_crypto::Keyring::parse(&keyring_text).unwrap();
    let class = every_class(&store)
        .await
        .into_iter()
        .find(|class| class.enrolled > 0)
        .unwrap();
    let entry = store.class_roster(class.id).await.unwrap().remove(0);
    let (id_number, phone) = entry.reveal(&keyring).unwrap();
    let today = chrono::Utc::now().date_naive();
    assert!(dte_domain::ResidentId::parse(&id_number, today).is_ok());
    assert!(id_number.starts_with("21"), "a Liaoning number");
    store.close().await;
    let database = read_database(&dir.0);
    for secret in [id_number, phone.unwrap()] {
        assert!(
            !database
                .windows(secret.len())
                .any(|window| window == secret.as_bytes()),
            "personal data in the clear in the database"
        );
    }

    let server = start_server(&["--data-dir", dir.text()]);
    let client = reqwest::Client::new();
    let address = &server.address;
    // The printed trainee signs in and sees the class they are enrolled in, running now.
    let trainee = sign_in(
        &client,
        address,
        "demo-trainee",
        &password_of(&printed, "demo-trainee"),
    )
    .await;
    let theirs = classes_seen(&client, address, &trainee).await;
    assert_eq!(theirs.len(), 1, "{theirs:?}");
    assert_eq!(theirs[0]["status"], "running");
    // The printed province admin sees every region's classes, page by page.
    let province = sign_in(
        &client,
        address,
        "demo-province",
        &password_of(&printed, "demo-province"),
    )
    .await;
    let all = classes_seen(&client, address, &province).await;
    let regions: BTreeSet<&str> = all
        .iter()
        .map(|class| class["region"].as_str().unwrap())
        .collect();
    assert_eq!(regions.len(), 15, "{regions:?}");
    // The demo's attendance carries each fraud pattern the flags look for (issue 5 item 8).
    let flags: serde_json::Value = client
        .get(format!("{address}/api/v1/flags"))
        .bearer_auth(&province)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut kinds = BTreeSet::new();
    let mut flagged = BTreeSet::new();
    let mut next = Some(flags);
    while let Some(page) = next.take() {
        for item in page["items"].as_array().unwrap() {
            kinds.insert(item["kind"].as_str().unwrap().to_owned());
            flagged.insert(item["class"].as_i64().unwrap());
        }
        if let Some(cursor) = page["next"].as_str() {
            next = Some(
                client
                    .get(format!("{address}/api/v1/flags?cursor={cursor}"))
                    .bearer_auth(&province)
                    .send()
                    .await
                    .unwrap()
                    .json()
                    .await
                    .unwrap(),
            );
        }
    }
    for kind in [
        "shared_device",
        "identical_coordinates",
        "impossible_travel",
        "overlapping_sessions",
        "outside_fence",
        "many_corrections",
        "missing_recording",
        "hours_beyond_attendance",
    ] {
        assert!(
            kinds.contains(kind),
            "{kind} missing from the demo's flags: {kinds:?}"
        );
    }
    // …and honest classes that have begun carry none.
    let begun = all
        .iter()
        .filter(|class| {
            ["running", "finished", "closed"].contains(&class["status"].as_str().unwrap())
        })
        .count();
    assert!(
        flagged.len() < begun,
        "every begun class is flagged: {flagged:?}"
    );
    // Certificates of both kinds (issue 6): the printed revoked one verifies as revoked, a
    // level certificate as valid, publicly.
    for kind in ["training", "level"] {
        let listed: serde_json::Value = client
            .get(format!("{address}/api/v1/certificates?kind={kind}"))
            .bearer_auth(&province)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let items = listed["items"].as_array().unwrap();
        assert!(!items.is_empty(), "no {kind} certificate in the demo");
        let number = items[0]["number"].as_str().unwrap();
        let verified: serde_json::Value = client
            .get(format!("{address}/api/v1/certificates/{number}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(verified["kind"], kind, "{verified}");
    }
    let revoked = printed
        .lines()
        .find_map(|line| line.trim().strip_prefix("已撤销证书："))
        .and_then(|rest| rest.split('（').next())
        .unwrap_or_else(|| panic!("no revoked certificate printed: {printed}"));
    let verified: serde_json::Value = client
        .get(format!("{address}/api/v1/certificates/{revoked}"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(verified["status"], "revoked", "{verified}");
    // The province plays the demo's recording file from its first bytes.
    let played = client
        .get(format!("{address}/api/v1/recordings/{recording}/file"))
        .bearer_auth(&province)
        .header("range", "bytes=0-3")
        .send()
        .await
        .unwrap();
    assert_eq!(played.status(), 206);
    assert_eq!(
        played.bytes().await.unwrap().to_vec(),
        [0x1a, 0x45, 0xdf, 0xa3],
        "WebM"
    );
    // Issue 13 item 8: claims in every state of SPEC's contract, lived through the services;
    // a notice open now with an objection; payments from both funds; a clawback in part.
    let get = async |path: &str, token: Option<&str>| -> serde_json::Value {
        let mut request = client.get(format!("{address}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.unwrap().json().await.unwrap()
    };
    let listed = get("/api/v1/claims", Some(&province)).await;
    let states: BTreeSet<&str> = listed["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|claim| claim["status"].as_str().unwrap())
        .collect();
    for state in [
        "draft",
        "submitted",
        "in_review",
        "in_notice",
        "approved",
        "paid",
        "partly_rejected",
        "rejected",
        "withdrawn",
    ] {
        assert!(states.contains(state), "no {state} claim: {states:?}");
    }
    let notices = get("/api/v1/notices", None).await;
    let open: Vec<&serde_json::Value> = notices["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|notice| notice["status"] == "open")
        .collect();
    assert_eq!(open.len(), 1, "{notices}");
    let on_notice = open[0]["id"].as_i64().unwrap();
    let claim = get(&format!("/api/v1/claims/{on_notice}"), Some(&province)).await;
    assert_eq!(claim["objections"][0]["status"], "open", "{claim}");
    let payments = get("/api/v1/payments", Some(&province)).await;
    let sources: BTreeSet<&str> = payments["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|payment| payment["fund_source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        BTreeSet::from(["employment_subsidy_fund", "skills_upgrading_balance"])
    );
    let clawbacks = get("/api/v1/clawbacks", Some(&province)).await;
    assert_eq!(
        clawbacks["items"][0]["status"], "partly_recovered",
        "{clawbacks}"
    );
    // The reasons of the lines not paid are several, each a stable code.
    let mut reasons = BTreeSet::new();
    for item in listed["items"].as_array().unwrap() {
        let claim = get(&format!("/api/v1/claims/{}", item["id"]), Some(&province)).await;
        for line in claim["lines"].as_array().unwrap() {
            for code in line["reasons"].as_array().unwrap() {
                reasons.insert(code.as_str().unwrap().to_owned());
            }
            if let Some(reason) = line["review_reason"].as_str() {
                reasons.insert(reason.to_owned());
            }
        }
    }
    assert!(reasons.len() >= 4, "{reasons:?}");
    // The printed pending trainee activates with the printed code, then signs in.
    let (username, code) = pending_trainee(&printed);
    let password = "Liaohe-Delta-Reed-2026";
    let activation = client
        .post(format!("{address}/api/v1/activation"))
        .json(&serde_json::json!({"username": username, "code": code, "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        activation.status(),
        204,
        "{}",
        activation.text().await.unwrap()
    );
    let pending = sign_in(&client, address, &username, password).await;
    assert_eq!(classes_seen(&client, address, &pending).await.len(), 1);
}

/// SPEC: `dte demo` takes the same database flags as `serve`; on PostgreSQL it makes the same
/// year (runs when `DTE_TEST_DATABASE_URL` is set).
#[tokio::test]
async fn demo_makes_the_same_year_on_postgres() {
    let Some(database) = dte_store::testing::fresh_database(dte_store::Backend::Postgres)
        .await
        .unwrap()
    else {
        return;
    };
    let dir = DataFolder::new("postgres");
    let printed = run_demo(&["--database-url", &database.url, "--data-dir", dir.text()]);
    assert!(printed.contains("覆盖 15 个地区"), "{printed}");
    check_the_year(&database.store).await;
    check_recordings(&database.store, &dir.0).await;
}

/// The database file and its write-ahead log, as bytes.
fn read_database(dir: &Path) -> Vec<u8> {
    let mut bytes = std::fs::read(dir.join("dte.sqlite3")).unwrap();
    if let Ok(wal) = std::fs::read(dir.join("dte.sqlite3-wal")) {
        bytes.extend(wal);
    }
    bytes
}
