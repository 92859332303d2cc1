//! DTE's web layer: the JSON API under `/api/v1`, its OpenAPI document, and the Chinese pages.
//!
//! Handlers are short: extract typed input, call the domain or the store, render JSON or a
//! template. `router.rs` lists every route with the permission it needs.

mod api;
mod assets;
mod audit;
pub mod auth;
mod cached;
pub mod certificates;
pub mod classes;
mod clock;
mod error;
pub mod evaluation;
mod guard;
mod monitoring;
mod pages;
mod router;
mod wire;

pub use api::openapi::ApiDoc;
pub use cached::CatalogCache;
pub use clock::{Clock, shanghai_today};
pub use router::{Permission, RouteInfo, app, routes};

use dte_store::Store;
use std::sync::Arc;

/// What every handler can reach. Cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub clock: Clock,
    /// Where the service is reached from outside, used in links it prints (no trailing slash).
    pub public_url: Arc<str>,
    pub security: Arc<auth::Security>,
    /// Encrypts personal data at rest and keys its blind indexes; loaded from outside the
    /// database (a key file or the environment).
    pub keyring: Arc<dte_crypto::Keyring>,
    /// Writes check-ins in group commits (the 08:30 burst); see `dte_store::CheckInWriter`.
    pub check_ins: dte_store::CheckInWriter,
    /// The data folder: recordings and learning materials are kept in it (paths stored
    /// relative to it), uploads in progress in its `uploads/`.
    pub data_dir: Arc<std::path::Path>,
    /// The certificate signing key (from outside the database), the PDF renderer, the public
    /// verification's rate limit and the batch-print jobs.
    pub certificates: Arc<certificates::Services>,
    /// The public catalog's answers kept in memory, each with the version of the data it was
    /// made from (see `cached::CatalogCache`). Start with `CatalogCache::default()`.
    pub catalog: CatalogCache,
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AppState")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// Serves the app on an already bound listener until `shutdown` resolves, then finishes the
/// requests in flight.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let service = app(state).into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await
}
