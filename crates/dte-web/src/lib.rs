//! DTE's web layer: the JSON API under `/api/v1`, its OpenAPI document, and the Chinese pages.
//!
//! Handlers are short: extract typed input, call a service of `dte-app`, render JSON or a
//! template. `router.rs` lists every route with the permission it needs; `error.rs` is the one
//! place that turns a service's error into an HTTP status.

mod api;
mod assets;
pub mod auth;
mod cached;
mod error;
mod files;
mod guard;
mod pages;
pub mod rate_limit;
mod router;
pub mod serve;
mod wire;

pub use api::openapi::ApiDoc;
pub use cached::CatalogCache;
pub use dte_app::{Clock, shanghai_today};
pub use router::{Permission, RouteInfo, app, routes};
pub use serve::{ConnectionLimits, serve, serve_with};

use std::sync::Arc;

/// What every handler can reach: the services' context and what only the web layer keeps.
/// It dereferences to the context, so a handler hands `&state` to a service as it is. Cheap
/// to clone.
#[derive(Clone)]
pub struct AppState {
    pub context: dte_app::Context,
    pub security: Arc<auth::Security>,
    /// The public look-ups' limit per client address and minute: certificate verification and
    /// the notices' downloads.
    pub verification_limit: Arc<rate_limit::RateLimiter>,
    /// The public notice's limit of objections per client address and minute.
    pub objection_limit: Arc<rate_limit::RateLimiter>,
    /// The public catalog's answers kept in memory, each with the version of the data it was
    /// made from (see `cached::CatalogCache`). Start with `CatalogCache::default()`.
    pub catalog: CatalogCache,
}

impl std::ops::Deref for AppState {
    type Target = dte_app::Context;

    fn deref(&self) -> &dte_app::Context {
        &self.context
    }
}

impl std::fmt::Debug for AppState {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("AppState")
            .field("context", &self.context)
            .finish_non_exhaustive()
    }
}
