//! `dte serve --tls-cert --tls-key`: HTTPS in-process with a self-signed certificate made for
//! the test, HTTP/2 and HTTP/1.1 by ALPN, Secure cookies, clear refusals of bad TLS settings,
//! and a clean stop on SIGTERM.

use super::{Server, closed_after, start_server, stderr, stops_cleanly_on_sigterm, tcp_address};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A temporary folder with a certificate for 127.0.0.1 and localhost, its key, and a data folder.
struct TlsFolder {
    dir: PathBuf,
    cert_pem: String,
}

impl TlsFolder {
    fn new(name: &str) -> TlsFolder {
        let dir = std::env::temp_dir().join(format!("dte-cli-tls-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let made = rcgen::generate_simple_self_signed(vec!["127.0.0.1".into(), "localhost".into()])
            .unwrap();
        let cert_pem = made.cert.pem();
        std::fs::write(dir.join("cert.pem"), &cert_pem).unwrap();
        std::fs::write(dir.join("key.pem"), made.signing_key.serialize_pem()).unwrap();
        TlsFolder { dir, cert_pem }
    }

    fn path(&self, file: &str) -> String {
        self.dir.join(file).to_str().unwrap().to_owned()
    }

    /// A client that trusts only this folder's certificate.
    fn client(&self) -> reqwest::ClientBuilder {
        let root = reqwest::Certificate::from_pem(self.cert_pem.as_bytes()).unwrap();
        reqwest::Client::builder().tls_certs_only([root])
    }

    fn serve(&self) -> Server {
        start_server(&[
            "--tls-cert",
            &self.path("cert.pem"),
            "--tls-key",
            &self.path("key.pem"),
            "--data-dir",
            &self.path("data"),
        ])
    }
}

impl Drop for TlsFolder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// `dte serve` with the given arguments and environment, expected to refuse to start.
fn refused(folder: &TlsFolder, args: &[&str], env: &[(&str, &str)]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_dte"))
        .arg("serve")
        .args(["--addr", "127.0.0.1:0", "--data-dir", &folder.path("data")])
        .args(args)
        .envs(env.iter().copied())
        .output()
        .unwrap();
    assert!(!output.status.success(), "dte serve {args:?} started");
    assert!(
        !Path::new(&folder.path("data")).exists(),
        "refused before touching the data folder"
    );
    stderr(&output)
}

/// Accounts issue: `dte serve` speaks HTTPS itself when given a certificate and key; HTTP/2 and
/// HTTP/1.1 are offered by ALPN, cookies are Secure, plain HTTP is not answered, and SIGTERM
/// still stops it cleanly.
#[tokio::test]
async fn serve_with_a_certificate_and_key_speaks_https_and_stops_on_sigterm() {
    let folder = TlsFolder::new("serve");
    let server = folder.serve();
    assert!(server.address.starts_with("https://127.0.0.1:"));

    let client = folder.client().build().unwrap();
    let health = client
        .get(format!("{}/healthz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.version(), reqwest::Version::HTTP_2, "h2 by ALPN");

    let http1 = folder.client().http1_only().build().unwrap();
    let health = http1
        .get(format!("{}/healthz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert_eq!(health.version(), reqwest::Version::HTTP_11);

    // The sign-in page sets its form cookie; under TLS it carries Secure.
    let login = client
        .get(format!("{}/login", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 200);
    assert_eq!(
        login.headers()[reqwest::header::STRICT_TRANSPORT_SECURITY],
        "max-age=31536000",
        "browsers are told to keep to HTTPS"
    );
    let cookies: Vec<_> = login
        .headers()
        .get_all(reqwest::header::SET_COOKIE)
        .iter()
        .map(|value| value.to_str().unwrap().to_owned())
        .collect();
    assert!(!cookies.is_empty());
    assert!(
        cookies.iter().all(|cookie| cookie.contains("; Secure")),
        "{cookies:?}"
    );

    let plain = server.address.replacen("https://", "http://", 1);
    let refused = reqwest::Client::new()
        .get(format!("{plain}/healthz"))
        .send()
        .await;
    assert!(refused.is_err(), "plain HTTP on the TLS port: {refused:?}");

    // A client that does not trust the certificate refuses it.
    let untrusting = reqwest::Client::new()
        .get(format!("{}/healthz", server.address))
        .send()
        .await;
    assert!(untrusting.is_err());

    // The server still answers after the failed handshakes, then stops on SIGTERM with the
    // client's HTTP/2 connection open: the client, still running here, answers the server's
    // GOAWAY and PING, so the connection closes at once.
    let again = client
        .get(format!("{}/readyz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 200);
    tokio::task::spawn_blocking(move || stops_cleanly_on_sigterm(server))
        .await
        .unwrap();
    drop(client);
}

/// Issue 15 item 6 over TLS: a connection that never finishes its TLS handshake is closed at
/// the header-read timeout, connections beyond the per-address bound are closed at once (before
/// any handshake), and HTTPS is still answered afterwards.
#[tokio::test]
async fn a_tls_handshake_that_never_finishes_is_closed_and_surplus_connections_are_refused() {
    let folder = TlsFolder::new("slow");
    let server = start_server(&[
        "--tls-cert",
        &folder.path("cert.pem"),
        "--tls-key",
        &folder.path("key.pem"),
        "--data-dir",
        &folder.path("data"),
        "--header-read-timeout",
        "1",
        "--connections-per-address",
        "2",
    ]);
    let address = tcp_address(&server);
    let (silent_took, surplus_took) = tokio::task::spawn_blocking(move || {
        let mut silent = std::net::TcpStream::connect(&address).unwrap();
        let _holding = std::net::TcpStream::connect(&address).unwrap();
        let mut surplus = std::net::TcpStream::connect(&address).unwrap();
        let surplus_took = closed_after(&mut surplus);
        (closed_after(&mut silent), surplus_took)
    })
    .await
    .unwrap();
    assert!(
        surplus_took < std::time::Duration::from_millis(500),
        "{surplus_took:?}"
    );
    assert!(
        silent_took < std::time::Duration::from_secs(3),
        "{silent_took:?}"
    );
    let client = folder.client().build().unwrap();
    let health = client
        .get(format!("{}/healthz", server.address))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    drop(client);
    tokio::task::spawn_blocking(move || stops_cleanly_on_sigterm(server))
        .await
        .unwrap();
}

/// Both files or neither: one alone stops the start with a message naming the missing one,
/// whether it came from a flag or the environment.
#[test]
fn a_certificate_without_its_key_or_a_key_without_its_certificate_is_refused() {
    let folder = TlsFolder::new("half");
    let message = refused(&folder, &["--tls-cert", &folder.path("cert.pem")], &[]);
    assert!(message.contains("缺少 --tls-key"), "{message}");
    let message = refused(&folder, &[], &[("DTE_TLS_KEY", &folder.path("key.pem"))]);
    assert!(message.contains("缺少 --tls-cert"), "{message}");
}

/// A wrong path, a file that is not a certificate or not a key, or a key of another
/// certificate: each stops the start naming the file.
#[test]
fn an_unreadable_or_wrong_tls_file_is_named() {
    let folder = TlsFolder::new("wrong");
    let other_key = rcgen::KeyPair::generate().unwrap().serialize_pem();
    std::fs::write(folder.dir.join("other-key.pem"), other_key).unwrap();
    let (cert, key) = (folder.path("cert.pem"), folder.path("key.pem"));
    let missing = folder.path("missing.pem");
    let other_key = folder.path("other-key.pem");
    let cases: [(&str, &str, &str, &str); 4] = [
        (&missing, &key, "无法读取 TLS 证书文件", &missing),
        (&key, &key, "中没有证书", &key),
        (&cert, &cert, "中没有可用的 PEM 私钥", &cert),
        (&cert, &other_key, "无法配对", &other_key),
    ];
    for (cert, key, expected, named) in cases {
        let message = refused(&folder, &["--tls-cert", cert, "--tls-key", key], &[]);
        assert!(message.contains(expected), "{message}");
        assert!(message.contains(named), "{message}");
    }
}
