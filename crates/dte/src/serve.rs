//! `dte serve`: open the database, load the reference data, serve HTTP — or HTTPS with a
//! certificate and key — until SIGTERM or Ctrl-C.

use crate::config::{Config, TlsFiles};
use anyhow::Context;
use dte_store::Store;
use dte_web::auth::Security;
use dte_web::serve::{Handshake, Protocol};
use dte_web::{AppState, Clock};
use std::sync::Arc;

/// Opens the configured database: creates the data folder, migrates, loads reference data.
pub async fn open_store(config: &Config) -> anyhow::Result<Store> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("无法创建数据目录 {}", config.data_dir.display()))?;
    let store = Store::connect(config.database_url.expose())
        .await
        .with_context(|| format!("无法连接数据库 {}", config.database_display()))?;
    store.migrate().await.context("数据库迁移失败")?;
    for (year, outcome) in store
        .load_bundled_reference(chrono::Utc::now())
        .await
        .context("参考数据载入失败")?
    {
        tracing::info!(year, ?outcome, "reference data");
    }
    Ok(store)
}

/// Serves until a shutdown signal, then finishes the requests in flight and closes the pool.
pub async fn serve(config: Config) -> anyhow::Result<()> {
    init_tracing();
    // The certificate and key are checked before anything else, so a wrong path stops the start
    // before the database is touched.
    let tls = config.tls.as_ref().map(tls_settings).transpose()?;
    let store = open_store(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("无法监听 {}（端口可能已被占用）", config.addr))?;
    let address = listener.local_addr().context("listener address")?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    tracing::info!(%address, scheme, database = %config.database_display(), "DTE serving");
    println!(
        "DTE 已启动：{scheme}://{address}/ （数据库：{}）按 Ctrl-C 停止",
        config.database_display()
    );
    let security = Security::new(config.secure_cookies(), config.trusted_proxies.clone());
    let context = dte_app::Context {
        store: store.clone(),
        clock: Clock::from_fn(chrono::Utc::now),
        public_url: config.public_url.into(),
        keyring: Arc::new(crate::keys::load_keyring(&config.data_dir)?),
        // Up to 512 check-ins per durable commit, waiting at most 5 ms for company: see the
        // burst benchmark (`cargo bench -p dte-store --bench check_in_burst`).
        check_ins: dte_store::CheckInWriter::spawn(
            store.clone(),
            512,
            std::time::Duration::from_millis(5),
        ),
        data_dir: Arc::from(config.data_dir.as_path()),
        certificates: Arc::new(dte_app::certificates::Services::new(
            crate::keys::load_certificate_key(&config.data_dir)?,
        )),
        accounts: Arc::new(dte_app::accounts::Settings::new()),
    };
    let state = AppState {
        context,
        security: Arc::new(security),
        verification_limit: Arc::new(dte_web::rate_limit::RateLimiter::new(
            dte_web::rate_limit::PER_MINUTE,
        )),
        objection_limit: Arc::new(dte_web::rate_limit::RateLimiter::new(
            dte_web::rate_limit::OBJECTIONS_PER_MINUTE,
        )),
        catalog: dte_web::CatalogCache::default(),
    };
    // Plain HTTP and TLS alike go through dte-web's accept loop and its bounds on slow and
    // numerous connections; the trusted proxies, through which every client comes, are not
    // bounded per address.
    let limits = dte_web::ConnectionLimits {
        header_read_timeout: config.header_read_timeout,
        connections_per_address: config.connections_per_address,
        unbounded: config.trusted_proxies.clone(),
    };
    let served = match tls {
        None => {
            dte_web::serve_with(
                listener,
                state,
                limits,
                dte_web::serve::PlainHttp,
                shutdown_signal(),
            )
            .await
        }
        Some(tls) => {
            let tls = Tls(tokio_rustls::TlsAcceptor::from(Arc::new(tls)));
            dte_web::serve_with(listener, state, limits, tls, shutdown_signal()).await
        }
    };
    served.context("服务异常退出")?;
    store.close().await;
    tracing::info!("DTE stopped");
    Ok(())
}

/// Reads the PEM certificate chain and private key and builds the TLS settings: rustls's safe
/// defaults (TLS 1.2 and 1.3 only) with the aws-lc-rs provider, HTTP/2 and HTTP/1.1 by ALPN.
fn tls_settings(files: &TlsFiles) -> anyhow::Result<rustls::ServerConfig> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let cert = files.cert.display();
    let key = files.key.display();
    let cert_pem =
        std::fs::read(&files.cert).with_context(|| format!("无法读取 TLS 证书文件 {cert}"))?;
    let chain = CertificateDer::pem_slice_iter(&cert_pem)
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("TLS 证书文件 {cert} 不是有效的 PEM"))?;
    if chain.is_empty() {
        anyhow::bail!("TLS 证书文件 {cert} 中没有证书（应含 -----BEGIN CERTIFICATE-----）");
    }
    let key_pem =
        std::fs::read(&files.key).with_context(|| format!("无法读取 TLS 私钥文件 {key}"))?;
    let private_key = PrivateKeyDer::from_pem_slice(&key_pem).with_context(|| {
        format!("TLS 私钥文件 {key} 中没有可用的 PEM 私钥（应为未加密的 PKCS#8、PKCS#1 或 SEC1）")
    })?;
    // The provider is named rather than taken from the process default, so the choice does not
    // depend on which rustls features other crates happen to enable.
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut settings = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("TLS protocol versions")?
        .with_no_client_auth()
        .with_single_cert(chain, private_key)
        .with_context(|| format!("TLS 证书 {cert} 与私钥 {key} 无法配对使用"))?;
    settings.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(settings)
}

/// TLS on each accepted connection (rustls, the settings of [`tls_settings`]); HTTP/2 when ALPN
/// chose it. A client that fails the handshake (plain HTTP, an untrusted certificate, a
/// scanner) only loses its own connection.
#[derive(Clone)]
struct Tls(tokio_rustls::TlsAcceptor);

impl Handshake for Tls {
    type Stream = tokio_rustls::server::TlsStream<tokio::net::TcpStream>;

    async fn handshake(
        &self,
        tcp: tokio::net::TcpStream,
    ) -> std::io::Result<(Self::Stream, Protocol)> {
        let stream = self.0.accept(tcp).await?;
        let protocol = match stream.get_ref().1.alpn_protocol() {
            Some(b"h2") => Protocol::Http2,
            _ => Protocol::Http1,
        };
        Ok((stream, protocol))
    }
}

/// Structured logs on standard error: `RUST_LOG` filters (default info); `DTE_LOG_FORMAT=json`
/// for JSON lines.
fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_target(false)
        .with_writer(std::io::stderr);
    let result = if std::env::var("DTE_LOG_FORMAT").as_deref() == Ok("json") {
        builder.json().try_init()
    } else {
        builder.compact().try_init()
    };
    if let Err(error) = result {
        eprintln!("logging already initialised: {error}");
    }
}

/// Resolves on SIGTERM or Ctrl-C.
async fn shutdown_signal() {
    let interrupt = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
    tracing::info!("shutdown signal received; finishing requests in flight");
}
