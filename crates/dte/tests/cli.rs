//! The `dte` binary as a user runs it: checks, migrations, serving and graceful shutdown, on
//! SQLite and on PostgreSQL.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test crate: a failed unwrap is a failed test.

#[path = "cli/access_matrix.rs"]
mod access_matrix;
#[path = "cli/demo.rs"]
mod demo;
#[path = "cli/tls.rs"]
mod tls;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn dte(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_dte"))
        .args(args)
        .output()
        .unwrap()
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// GB 11643: `dte check id` prints 有效 and exits 0, or the reason and exits non-zero.
#[test]
fn check_id_says_valid_or_why_not() {
    let valid = dte(&["check", "id", "11010519491231002X"]);
    assert!(valid.status.success());
    assert!(stdout(&valid).starts_with("有效"));
    assert!(
        !stdout(&valid).contains("19491231002X"),
        "the number is masked"
    );
    let old = dte(&["check", "id", "110105491231002"]);
    assert!(!old.status.success());
    assert!(stdout(&old).contains("15 位"));
    let wrong = dte(&["check", "id", "110105194912310021"]);
    assert!(!wrong.status.success());
    assert!(stdout(&wrong).contains("校验码"));
}

/// GB 11643-1999's own example number, 440524188001010014, is valid: its holder was born on
/// 1 January 1880, a real date, and how old a trainee may be is the eligibility rules' business.
#[test]
fn check_id_finds_the_standards_example_born_in_1880_valid() {
    let example = dte(&["check", "id", "440524188001010014"]);
    assert!(example.status.success(), "{}", stdout(&example));
    assert!(stdout(&example).starts_with("有效"));
}

/// SPEC: `dte check location LAT LON` names the region, or says outside with a non-zero exit.
#[test]
fn check_location_names_the_region_or_exits_non_zero_outside() {
    // 沈阳市人民政府 (41.80 N, 123.43 E).
    let shenyang = dte(&["check", "location", "41.7968", "123.4294"]);
    assert!(shenyang.status.success(), "{}", stdout(&shenyang));
    assert!(stdout(&shenyang).contains("沈阳"));
    // 山海关 in Hebei, just across the border from 绥中.
    let hebei = dte(&["check", "location", "40.0092", "119.7539"]);
    assert!(!hebei.status.success());
    assert!(stdout(&hebei).contains("省外"));
    let garbage = dte(&["check", "location", "north", "123"]);
    assert!(!garbage.status.success());
}

#[test]
fn help_explains_the_commands_in_plain_words() {
    let help = dte(&["--help"]);
    assert!(help.status.success());
    let text = stdout(&help);
    for word in [
        "serve",
        "demo",
        "check",
        "db",
        "辽宁省数字技术工程师培育项目管理平台",
    ] {
        assert!(text.contains(word), "--help lacks {word}");
    }
    let serve = stdout(&dte(&["serve", "--help"]));
    for flag in [
        "--addr",
        "--data-dir",
        "--database-url",
        "DTE_ADDR",
        "DTE_DATA_DIR",
        "DATABASE_URL",
        "--tls-cert",
        "--tls-key",
        "DTE_TLS_CERT",
        "DTE_TLS_KEY",
        "--header-read-timeout",
        "DTE_HEADER_READ_TIMEOUT",
        "--connections-per-address",
        "DTE_CONNECTIONS_PER_ADDRESS",
    ] {
        assert!(serve.contains(flag), "serve --help lacks {flag}");
    }
}

/// A `dte serve` child process that is killed if the test fails.
struct Server {
    child: Child,
    address: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start_server(extra: &[&str]) -> Server {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let address = format!("127.0.0.1:{port}");
    let scheme = if extra.contains(&"--tls-cert") {
        "https"
    } else {
        "http"
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_dte"))
        .arg("serve")
        .args(["--addr", &address])
        .args(extra)
        .env("RUST_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines.next().unwrap().unwrap();
    assert!(started.contains("DTE 已启动"), "{started}");
    let address = format!("{scheme}://{address}");
    assert!(started.contains(&format!("{address}/")), "{started}");
    Server { child, address }
}

async fn serves_the_catalogs_then_stops_gracefully(server: Server) {
    let client = reqwest::Client::new();
    let occupations: serde_json::Value = client
        .get(format!("{}/api/v1/occupations", server.address))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(occupations["items"].as_array().unwrap().len(), 10);
    let ready = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    stops_cleanly_on_sigterm(server);
}

/// Sends SIGTERM and waits up to 10 s for a zero exit.
fn stops_cleanly_on_sigterm(mut server: Server) {
    let pid = nix::unistd::Pid::from_raw(server.child.id() as i32);
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(status) = server.child.try_wait().unwrap() {
            assert!(
                status.success(),
                "dte serve exits 0 on SIGTERM, got {status}"
            );
            break;
        }
        assert!(
            Instant::now() < deadline,
            "dte serve did not stop within 10 s of SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// How long the server took to close `stream` (reading and discarding what it sent); fails
/// if it is still open after 5 s.
fn closed_after(stream: &mut std::net::TcpStream) -> Duration {
    use std::io::Read;
    let started = Instant::now();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let mut buffer = [0u8; 1024];
    loop {
        match stream.read(&mut buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                panic!("still open after {:?}", started.elapsed())
            }
            Err(_) => break,
        }
    }
    started.elapsed()
}

/// The TCP address of a server's URL.
fn tcp_address(server: &Server) -> String {
    server
        .address
        .trim_start_matches("https://")
        .trim_start_matches("http://")
        .to_owned()
}

/// Issue 15 item 6, as configured by flags: a connection sending half a request line is closed
/// at `--header-read-timeout`, one beyond `--connections-per-address` at once, and SIGTERM
/// still stops the server cleanly with an idle connection open.
#[test]
fn serve_closes_slow_and_surplus_connections_as_configured_and_still_stops_on_sigterm() {
    use std::io::Write;
    use std::net::TcpStream;
    let dir = std::env::temp_dir().join(format!("dte-cli-slow-{}", std::process::id()));
    let server = start_server(&[
        "--data-dir",
        dir.to_str().unwrap(),
        "--header-read-timeout",
        "1",
        "--connections-per-address",
        "2",
    ]);
    let address = tcp_address(&server);
    let mut slow = TcpStream::connect(&address).unwrap();
    slow.write_all(b"GET /healthz HT").unwrap();
    let took = closed_after(&mut slow);
    assert!(
        took >= Duration::from_millis(900) && took < Duration::from_secs(3),
        "closed after {took:?}"
    );
    let _first = TcpStream::connect(&address).unwrap();
    let _second = TcpStream::connect(&address).unwrap();
    let mut third = TcpStream::connect(&address).unwrap();
    let took = closed_after(&mut third);
    assert!(took < Duration::from_millis(500), "closed after {took:?}");
    stops_cleanly_on_sigterm(server);
    let _ = std::fs::remove_dir_all(dir);
}

/// SPEC: with no configuration `dte serve` uses SQLite in a data folder and loads the plan's
/// reference data; SIGTERM stops it cleanly.
#[tokio::test]
async fn serve_on_sqlite_in_a_data_folder_loads_reference_data_and_stops_on_sigterm() {
    let dir = std::env::temp_dir().join(format!("dte-cli-{}", std::process::id()));
    let dir_text = dir.to_str().unwrap().to_owned();
    let server = start_server(&["--data-dir", &dir_text]);
    serves_the_catalogs_then_stops_gracefully(server).await;
    assert!(dir.join("dte.sqlite3").exists());
    // PIPL / GB/T 22239-2019 8.1.4.8: the key that encrypts personal data lives outside the
    // database, readable by its owner only, and is kept across restarts.
    let key_file = dir.join("keyring.txt");
    let first_key = std::fs::read_to_string(&key_file).unwrap();
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key_file).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // A second start finds the year loaded and still serves it.
    let server = start_server(&["--data-dir", &dir_text]);
    serves_the_catalogs_then_stops_gracefully(server).await;
    assert_eq!(
        std::fs::read_to_string(&key_file).unwrap(),
        first_key,
        "the keyring is reused, not replaced"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// SPEC: a postgres:// URL selects PostgreSQL; `dte db migrate` then `dte serve` serve the same.
#[tokio::test]
async fn serve_on_postgres_with_a_database_url() {
    let Some(database) = dte_store::testing::fresh_database(dte_store::Backend::Postgres)
        .await
        .unwrap()
    else {
        return;
    };
    let migrate = dte(&["db", "migrate", "--database-url", &database.url]);
    assert!(
        migrate.status.success(),
        "{}",
        String::from_utf8_lossy(&migrate.stderr)
    );
    // The keys live in the data folder even with PostgreSQL: a temporary one, not the default.
    let dir = std::env::temp_dir().join(format!("dte-cli-pg-{}", std::process::id()));
    let dir_text = dir.to_str().unwrap().to_owned();
    let server = start_server(&["--database-url", &database.url, "--data-dir", &dir_text]);
    serves_the_catalogs_then_stops_gracefully(server).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// There are no default accounts: `dte user create` makes the first province admin, with the
/// password from standard input; a weak one is refused with the reason.
#[tokio::test]
async fn user_create_makes_the_first_province_admin_who_can_sign_in() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("dte-cli-user-{}", std::process::id()));
    let dir_text = dir.to_str().unwrap().to_owned();
    let create = |password: &'static str, username: &'static str| {
        let dir_text = dir_text.clone();
        move || {
            let mut child = Command::new(env!("CARGO_BIN_EXE_dte"))
                .args([
                    "user",
                    "create",
                    "--role",
                    "province-admin",
                    "--username",
                    username,
                    "--password-stdin",
                ])
                .args(["--data-dir", &dir_text])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            child
                .stdin
                .take()
                .unwrap()
                .write_all(format!("{password}\n").as_bytes())
                .unwrap();
            child.wait_with_output().unwrap()
        }
    };
    let weak = create("password123", "admin")();
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("密码不符合要求"));
    let made = create("Hunhe-River-Bridge-88", "admin")();
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(stdout(&made).contains("已创建"));
    assert!(
        !stdout(&made).contains("Hunhe-River-Bridge-88"),
        "a given password is not echoed"
    );
    let taken = create("Hunhe-River-Bridge-88", "admin")();
    assert!(String::from_utf8_lossy(&taken.stderr).contains("已被使用"));

    let server = start_server(&["--data-dir", &dir_text]);
    let response = reqwest::Client::new()
        .post(format!("{}/api/v1/session", server.address))
        .json(&serde_json::json!({"username": "admin", "password": "Hunhe-River-Bridge-88"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    drop(server);
    std::fs::remove_dir_all(dir).unwrap();
}

/// SPEC: `dte demo` fills a fresh database and prints one account per role; a second run on
/// the same database is refused.
#[test]
fn demo_prints_an_account_per_role_and_refuses_a_second_run() {
    let (dir, text) = demo::demo_copy("again");
    for label in [
        "省人社厅管理员",
        "市人社局管理员",
        "培训机构",
        "评价机构",
        "纪检监督",
        "审计管理员",
        "学员",
    ] {
        assert!(text.contains(label), "demo output lacks {label}");
    }
    let second = dte(&["demo", "--data-dir", dir.text()]);
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("已有演示数据"));
}

/// GB/T 22239-2019 8.1.4.4: `dte audit verify` passes on an untouched log and, after one row
/// is changed behind the application's back, fails naming that row.
#[tokio::test]
async fn audit_verify_passes_then_names_the_changed_entry() {
    let (folder, _) = demo::demo_copy("audit");
    let dir = folder.0.clone();
    let dir_text = folder.text().to_owned();
    let intact = dte(&["audit", "verify", "--data-dir", &dir_text]);
    assert!(intact.status.success(), "{}", stdout(&intact));
    assert!(
        stdout(&intact).contains("审计日志完整：共 "),
        "{}",
        stdout(&intact)
    );

    let store = dte_store::Store::connect(&dte_store::Store::sqlite_url_in(&dir))
        .await
        .unwrap();
    store
        .execute_raw_for_tests("DROP TRIGGER audit_log_no_update")
        .await
        .unwrap();
    store
        .execute_raw_for_tests("UPDATE audit_log SET actor_username = 'someone-else' WHERE id = 3")
        .await
        .unwrap();
    store.close().await;
    let broken = dte(&["audit", "verify", "--data-dir", &dir_text]);
    assert!(!broken.status.success());
    assert!(stdout(&broken).contains("第 3 条"), "{}", stdout(&broken));
}

/// The accounts issue, item 4: keys rotate. `dte keys rotate` adds a key, keeps the old one,
/// and re-encrypts every ID number and phone under the new key, audited.
#[tokio::test]
async fn keys_rotate_reencrypts_personal_data_under_a_new_key() {
    use dte_store::{Actor, Applicant, NewEnrolment, NewPerson};
    let dir = std::env::temp_dir().join(format!("dte-cli-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let data_dir = dir.to_str().unwrap();
    assert!(
        dte(&["db", "migrate", "--data-dir", data_dir])
            .status
            .success()
    );
    let key_file = dir.join("keyring.txt");
    std::fs::write(&key_file, dte_crypto::Keyring::generate()).unwrap();
    let keyring = dte_crypto::Keyring::parse(&std::fs::read_to_string(&key_file).unwrap()).unwrap();
    let store = dte_store::Store::connect(&dte_store::Store::sqlite_url_in(&dir))
        .await
        .unwrap();
    let actor = Actor::system(chrono::Utc::now());
    let date = chrono::NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    let institution = store
        .institution_id_by_name("东北大学")
        .await
        .unwrap()
        .unwrap();
    let class = dte_store::NewClass {
        institution_id: institution,
        region: "沈阳".into(),
        occupation: dte_domain::OccupationCode::parse("2-02-10-15").unwrap(),
        direction: None,
        level: dte_domain::Level::Junior,
        funding: dte_domain::Funding::Market,
        title: "区块链初级".into(),
        venue_address: "沈阳市和平区文化路三巷11号".into(),
        venue_lat: 41.76,
        venue_lon: 123.42,
        fence_json: "{}".into(),
        start_date: date,
        end_date: date,
        capacity: 10,
        sessions: Vec::new(),
    };
    let class_id = store.create_class(&class, &actor).await.unwrap();
    let resident_id = dte_domain::ResidentId::parse("11010519491231002X", date).unwrap();
    let phone = dte_domain::Phone::parse("13800001234").unwrap();
    let applicant = Applicant {
        person: NewPerson::protect(&keyring, "钱七", &resident_id, &phone),
        enrolment: NewEnrolment {
            category: dte_domain::TraineeCategory::InPost,
            employer_or_school: "某公司".into(),
            graduation_year: None,
            subsidy_category: None,
            commitment_signed: false,
        },
        activation: None,
    };
    let written = store
        .enrol(class_id, &[applicant], &actor, |_, _, _| {
            Ok::<bool, ()>(false)
        })
        .await
        .unwrap()
        .unwrap();
    store.close().await;

    let output = dte(&["keys", "rotate", "--data-dir", data_dir]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("k2"), "{}", stdout(&output));
    let rotated = dte_crypto::Keyring::parse(&std::fs::read_to_string(&key_file).unwrap()).unwrap();
    assert_eq!(rotated.current_key_id(), "k2");
    assert_eq!(rotated.key_ids().collect::<Vec<_>>(), ["k1", "k2"]);
    let store = dte_store::Store::connect(&dte_store::Store::sqlite_url_in(&dir))
        .await
        .unwrap();
    let person = store.person(written[0].person_id).await.unwrap().unwrap();
    assert!(
        person.id_number_cipher.starts_with("v1.k2."),
        "{}",
        person.id_number_cipher
    );
    let (id_number, phone) = person.reveal(&rotated).unwrap();
    assert_eq!(
        (id_number.as_str(), phone.as_deref()),
        ("11010519491231002X", Some("13800001234"))
    );
    assert!(
        person.reveal(&keyring).is_err(),
        "the old keyring alone no longer opens it"
    );
    let audit = store
        .audit_entries(
            &dte_store::AuditFilter {
                action_prefix: Some("person.reencrypt".into()),
                ..Default::default()
            },
            None,
            5,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    store.close().await;
    let _ = std::fs::remove_dir_all(&dir);
}
