//! `dte serve`: open the database, load the reference data, serve until SIGTERM or Ctrl-C.

use crate::config::Config;
use anyhow::Context;
use dte_store::Store;
use dte_web::auth::Security;
use dte_web::{AppState, Clock};

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
    let store = open_store(&config).await?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .with_context(|| format!("无法监听 {}（端口可能已被占用）", config.addr))?;
    let address = listener.local_addr().context("listener address")?;
    tracing::info!(%address, database = %config.database_display(), "DTE serving");
    println!(
        "DTE 已启动：http://{address}/ （数据库：{}）按 Ctrl-C 停止",
        config.database_display()
    );
    let secure_cookies = config.public_url.starts_with("https://");
    let security = Security::new(secure_cookies, config.trusted_proxies.clone());
    let state = AppState {
        store: store.clone(),
        clock: Clock::system(),
        public_url: config.public_url.into(),
        security: std::sync::Arc::new(security),
        keyring: std::sync::Arc::new(crate::keys::load_keyring(&config.data_dir)?),
    };
    dte_web::serve(listener, state, shutdown_signal())
        .await
        .context("服务异常退出")?;
    store.close().await;
    tracing::info!("DTE stopped");
    Ok(())
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
