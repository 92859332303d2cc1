//! Configuration: defaults, then an optional TOML file, then `DTE_*` environment variables and
//! command-line flags (clap reads both; flags win over the environment).

use anyhow::Context;
use clap::Args;
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// The default listening address (SPEC: 127.0.0.1:8080).
pub const DEFAULT_ADDR: &str = "127.0.0.1:8080";
/// The default data folder, relative to the working directory.
pub const DEFAULT_DATA_DIR: &str = "dte-data";
/// The longest header-read timeout accepted, in seconds.
const MAX_HEADER_READ_TIMEOUT_SECONDS: u64 = 3_600;
/// The most connections per address accepted as a setting.
const MAX_CONNECTIONS_PER_ADDRESS: u64 = 1_000_000;

/// Where the data lives; every command that opens the database takes these flags.
#[derive(Debug, Args)]
pub struct DatabaseArgs {
    /// Data folder: holds the SQLite database (dte.sqlite3) and uploaded files. [default: ./dte-data]
    #[arg(long, env = "DTE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Database URL: postgres://user@host/db for PostgreSQL, or sqlite:///path/file.sqlite3.
    /// [default: the SQLite file in the data folder]
    #[arg(long, env = "DATABASE_URL", value_name = "URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// A TOML file with any of: addr, data_dir, database_url, public_url, tls_cert, tls_key,
    /// header_read_timeout, connections_per_address.
    #[arg(long, env = "DTE_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,
}

/// The flags of `dte serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address to listen on. [default: 127.0.0.1:8080]
    #[arg(long, env = "DTE_ADDR", value_name = "HOST:PORT")]
    pub addr: Option<String>,
    /// The address people reach DTE at, used in printed links and QR codes; an https:// URL
    /// marks cookies Secure. [default: http://ADDR, or https://ADDR with --tls-cert]
    #[arg(long, env = "DTE_PUBLIC_URL", value_name = "URL")]
    pub public_url: Option<String>,
    /// Reverse proxies whose X-Forwarded-For is believed, comma-separated IP addresses.
    #[arg(
        long,
        env = "DTE_TRUSTED_PROXIES",
        value_name = "IPS",
        value_delimiter = ','
    )]
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve HTTPS with this certificate chain (PEM, the server's certificate first); needs
    /// --tls-key.
    #[arg(long, env = "DTE_TLS_CERT", value_name = "PATH")]
    pub tls_cert: Option<PathBuf>,
    /// The private key of --tls-cert (PEM: PKCS#8, PKCS#1 or SEC1, unencrypted).
    #[arg(long, env = "DTE_TLS_KEY", value_name = "PATH")]
    pub tls_key: Option<PathBuf>,
    /// Seconds a connection may take to send a request's headers (and to finish its TLS
    /// handshake) before it is closed, so slow clients cannot hold the server. [default: 10]
    #[arg(long, env = "DTE_HEADER_READ_TIMEOUT", value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..=MAX_HEADER_READ_TIMEOUT_SECONDS))]
    pub header_read_timeout: Option<u64>,
    /// Connections one client address may hold at once; more are closed as soon as they open
    /// (the trusted proxies are not bounded). [default: 64]
    #[arg(long, env = "DTE_CONNECTIONS_PER_ADDRESS", value_name = "N",
          value_parser = clap::value_parser!(u64).range(1..=MAX_CONNECTIONS_PER_ADDRESS))]
    pub connections_per_address: Option<u64>,
    #[command(flatten)]
    pub database: DatabaseArgs,
}

/// The settings after every layer is applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database_url: Secret,
    pub public_url: String,
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve HTTPS in-process with these files; `None` serves plain HTTP (e.g. behind a proxy).
    pub tls: Option<TlsFiles>,
    /// How long a connection may take to send a request's headers before it is closed.
    pub header_read_timeout: std::time::Duration,
    /// How many connections one client address may hold at once.
    pub connections_per_address: usize,
}

/// The certificate chain and private key `dte serve` speaks HTTPS with (both PEM files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

/// A value that never prints (database URLs may hold passwords).
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("Secret(…)")
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    addr: Option<String>,
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    public_url: Option<String>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    header_read_timeout: Option<u64>,
    connections_per_address: Option<u64>,
}

impl Config {
    /// The configuration of `dte serve`.
    pub fn from_serve(args: ServeArgs) -> anyhow::Result<Config> {
        let file = read_file(args.database.config.as_deref())?;
        let addr_text = args
            .addr
            .or(file.addr.clone())
            .unwrap_or_else(|| DEFAULT_ADDR.to_owned());
        let addr: SocketAddr = addr_text.parse().with_context(|| {
            format!("--addr “{addr_text}” 不是有效的 HOST:PORT 地址，例如 127.0.0.1:8080")
        })?;
        let tls = tls_files(
            args.tls_cert.or(file.tls_cert.clone()),
            args.tls_key.or(file.tls_key.clone()),
        )?;
        let scheme = if tls.is_some() { "https" } else { "http" };
        let public_url = args
            .public_url
            .or(file.public_url.clone())
            .unwrap_or_else(|| format!("{scheme}://{addr}"));
        let header_read_timeout = match args.header_read_timeout.or(file.header_read_timeout) {
            Some(seconds @ 1..=MAX_HEADER_READ_TIMEOUT_SECONDS) => {
                std::time::Duration::from_secs(seconds)
            }
            Some(seconds) => anyhow::bail!(
                "header_read_timeout = {seconds} 超出范围：应为 1 至 {MAX_HEADER_READ_TIMEOUT_SECONDS} 秒"
            ),
            None => dte_web::serve::DEFAULT_HEADER_READ_TIMEOUT,
        };
        let connections_per_address = match args
            .connections_per_address
            .or(file.connections_per_address)
        {
            Some(count @ 1..=MAX_CONNECTIONS_PER_ADDRESS) => {
                usize::try_from(count).context("connections_per_address")?
            }
            Some(count) => anyhow::bail!(
                "connections_per_address = {count} 超出范围：应为 1 至 {MAX_CONNECTIONS_PER_ADDRESS}"
            ),
            None => dte_web::serve::DEFAULT_CONNECTIONS_PER_ADDRESS,
        };
        let mut config = Config::layered(args.database, file)?;
        config.addr = addr;
        config.header_read_timeout = header_read_timeout;
        config.connections_per_address = connections_per_address;
        config.trusted_proxies = args.trusted_proxies;
        config.public_url = public_url.trim_end_matches('/').to_owned();
        config.tls = tls;
        Ok(config)
    }

    /// Whether session and form cookies carry `Secure`: when DTE speaks TLS itself, or when
    /// people reach it at an https:// URL (TLS ended by a reverse proxy).
    pub fn secure_cookies(&self) -> bool {
        self.tls.is_some() || self.public_url.starts_with("https://")
    }

    /// The configuration of commands that only open the database.
    pub fn from_database(args: DatabaseArgs) -> anyhow::Result<Config> {
        let file = read_file(args.config.as_deref())?;
        Config::layered(args, file)
    }

    fn layered(args: DatabaseArgs, file: FileConfig) -> anyhow::Result<Config> {
        let data_dir = args
            .data_dir
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from(DEFAULT_DATA_DIR));
        let database_url = args
            .database_url
            .or(file.database_url)
            .filter(|url| !url.is_empty());
        let database_url = match database_url {
            Some(url) => url,
            None => dte_store::Store::sqlite_url_in(&data_dir),
        };
        Ok(Config {
            addr: DEFAULT_ADDR.parse().context("default address")?,
            data_dir,
            database_url: Secret(database_url),
            public_url: format!("http://{DEFAULT_ADDR}"),
            trusted_proxies: Vec::new(),
            tls: None,
            header_read_timeout: dte_web::serve::DEFAULT_HEADER_READ_TIMEOUT,
            connections_per_address: dte_web::serve::DEFAULT_CONNECTIONS_PER_ADDRESS,
        })
    }

    /// The database as it may be printed: the SQLite path, or a PostgreSQL URL without password.
    pub fn database_display(&self) -> String {
        let url = self.database_url.expose();
        match (url.find("://"), url.rfind('@')) {
            (Some(scheme), Some(at)) if url.starts_with("postgres") => {
                let user_info = &url[scheme + 3..at];
                let user = user_info.split(':').next().unwrap_or_default();
                format!("{}{user}@{}", &url[..scheme + 3], &url[at + 1..])
            }
            _ => url.to_owned(),
        }
    }
}

/// Both TLS files or neither: one alone is a mistake worth stopping for, not a silent HTTP start.
fn tls_files(cert: Option<PathBuf>, key: Option<PathBuf>) -> anyhow::Result<Option<TlsFiles>> {
    match (cert, key) {
        (Some(cert), Some(key)) => Ok(Some(TlsFiles { cert, key })),
        (None, None) => Ok(None),
        (Some(cert), None) => anyhow::bail!(
            "缺少 --tls-key（或 DTE_TLS_KEY、配置文件的 tls_key）：已给出证书 {}，HTTPS 还需要它的私钥",
            cert.display()
        ),
        (None, Some(key)) => anyhow::bail!(
            "缺少 --tls-cert（或 DTE_TLS_CERT、配置文件的 tls_cert）：已给出私钥 {}，HTTPS 还需要它的证书",
            key.display()
        ),
    }
}

fn read_file(path: Option<&Path>) -> anyhow::Result<FileConfig> {
    let Some(path) = path else {
        return Ok(FileConfig::default());
    };
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("无法读取配置文件 {}", path.display()))?;
    toml::from_str(&text).with_context(|| format!("配置文件 {} 格式错误", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_postgres_password_is_never_displayed() {
        let config = Config {
            addr: DEFAULT_ADDR.parse().unwrap(),
            data_dir: PathBuf::from("x"),
            database_url: Secret("postgres://dte:hunter2@db:5432/dte".into()),
            public_url: String::new(),
            trusted_proxies: Vec::new(),
            tls: None,
            header_read_timeout: dte_web::serve::DEFAULT_HEADER_READ_TIMEOUT,
            connections_per_address: dte_web::serve::DEFAULT_CONNECTIONS_PER_ADDRESS,
        };
        assert_eq!(config.database_display(), "postgres://dte@db:5432/dte");
        assert!(!format!("{config:?}").contains("hunter2"));
    }

    #[test]
    fn without_configuration_the_database_is_sqlite_in_the_data_folder() {
        let args = DatabaseArgs {
            data_dir: None,
            database_url: None,
            config: None,
        };
        let config = Config::from_database(args).unwrap();
        assert_eq!(config.data_dir, PathBuf::from("dte-data"));
        assert_eq!(
            config.database_url.expose(),
            "sqlite://dte-data/dte.sqlite3"
        );
    }

    fn serve_args(cert: Option<&str>, key: Option<&str>, config: Option<PathBuf>) -> ServeArgs {
        ServeArgs {
            addr: Some("127.0.0.1:8443".into()),
            public_url: None,
            trusted_proxies: Vec::new(),
            tls_cert: cert.map(PathBuf::from),
            tls_key: key.map(PathBuf::from),
            header_read_timeout: None,
            connections_per_address: None,
            database: DatabaseArgs {
                data_dir: None,
                database_url: None,
                config,
            },
        }
    }

    #[test]
    fn with_a_certificate_and_key_the_public_url_is_https_and_cookies_are_secure() {
        let config = Config::from_serve(serve_args(Some("c.pem"), Some("k.pem"), None)).unwrap();
        assert_eq!(
            config.tls,
            Some(TlsFiles {
                cert: PathBuf::from("c.pem"),
                key: PathBuf::from("k.pem")
            })
        );
        assert_eq!(config.public_url, "https://127.0.0.1:8443");
        assert!(config.secure_cookies());

        let plain = Config::from_serve(serve_args(None, None, None)).unwrap();
        assert_eq!(plain.tls, None);
        assert_eq!(plain.public_url, "http://127.0.0.1:8443");
        assert!(!plain.secure_cookies());
    }

    #[test]
    fn a_certificate_without_its_key_or_a_key_without_its_certificate_is_refused() {
        let error = Config::from_serve(serve_args(Some("c.pem"), None, None)).unwrap_err();
        assert!(error.to_string().contains("缺少 --tls-key"), "{error}");
        let error = Config::from_serve(serve_args(None, Some("k.pem"), None)).unwrap_err();
        assert!(error.to_string().contains("缺少 --tls-cert"), "{error}");
    }

    #[test]
    fn connection_bounds_default_to_10_s_and_64_and_come_from_the_file_or_a_flag() {
        let defaults = Config::from_serve(serve_args(None, None, None)).unwrap();
        assert_eq!(
            (
                defaults.header_read_timeout,
                defaults.connections_per_address
            ),
            (std::time::Duration::from_secs(10), 64)
        );
        let dir = std::env::temp_dir().join(format!("dte-config-bounds-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("dte.toml");
        std::fs::write(
            &file,
            "header_read_timeout = 5\nconnections_per_address = 8\n",
        )
        .unwrap();
        let from_file = Config::from_serve(serve_args(None, None, Some(file.clone()))).unwrap();
        assert_eq!(
            (
                from_file.header_read_timeout,
                from_file.connections_per_address
            ),
            (std::time::Duration::from_secs(5), 8)
        );
        let mut args = serve_args(None, None, Some(file.clone()));
        args.header_read_timeout = Some(2);
        args.connections_per_address = Some(3);
        let flags_win = Config::from_serve(args).unwrap();
        assert_eq!(
            (
                flags_win.header_read_timeout,
                flags_win.connections_per_address
            ),
            (std::time::Duration::from_secs(2), 3)
        );
        std::fs::write(&file, "connections_per_address = 0\n").unwrap();
        let error = Config::from_serve(serve_args(None, None, Some(file))).unwrap_err();
        assert!(
            error.to_string().contains("connections_per_address"),
            "{error}"
        );
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn the_config_file_may_name_the_tls_files_and_a_flag_wins_over_it() {
        let dir = std::env::temp_dir().join(format!("dte-config-tls-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("dte.toml");
        std::fs::write(
            &file,
            "tls_cert = \"/etc/dte/cert.pem\"\ntls_key = \"/etc/dte/key.pem\"\n",
        )
        .unwrap();
        let from_file = Config::from_serve(serve_args(None, None, Some(file.clone()))).unwrap();
        assert_eq!(
            from_file.tls,
            Some(TlsFiles {
                cert: PathBuf::from("/etc/dte/cert.pem"),
                key: PathBuf::from("/etc/dte/key.pem")
            })
        );
        let flag_wins =
            Config::from_serve(serve_args(None, Some("/tmp/other-key.pem"), Some(file))).unwrap();
        assert_eq!(
            flag_wins.tls.map(|tls| tls.key),
            Some(PathBuf::from("/tmp/other-key.pem"))
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
