//! Public reads answered from memory: a JSON body serialised once, served with a strong ETag
//! and `Cache-Control`, and answered `304 Not Modified` when the client already holds it; and
//! the public catalog's answers, kept per version of the data they were made from.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dte_store::{CatalogVersion, Store, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};

/// A JSON body serialised once, with its strong ETag: a digest of the bytes, so equal bodies
/// have equal tags in every process and a changed body always has a new one.
#[derive(Debug, Clone)]
pub struct CachedJson {
    body: Bytes,
    /// `None` only if the tag were not a valid header value, which a quoted hex digest always
    /// is; the body is then served without a tag rather than with a wrong one.
    etag: Option<HeaderValue>,
}

impl CachedJson {
    /// Serialises `value` and tags the bytes.
    pub fn serialise<T: Serialize>(value: &T) -> Result<CachedJson, serde_json::Error> {
        Ok(CachedJson::new(serde_json::to_vec(value)?))
    }

    /// Tags already serialised JSON.
    pub fn new(body: Vec<u8>) -> CachedJson {
        let digest = Sha256::digest(&body);
        let etag = HeaderValue::from_str(&format!("\"{}\"", hex::encode(&digest[..16]))).ok();
        CachedJson {
            body: Bytes::from(body),
            etag,
        }
    }

    /// Answers a GET: `304` without a body when `If-None-Match` names this body's tag (or is
    /// `*`), the body otherwise; both with the tag and `cache_control`.
    pub fn respond(&self, request: &HeaderMap, cache_control: &'static str) -> Response {
        let cache_control = (
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        match &self.etag {
            Some(etag) if held_by_client(request, etag) => (
                StatusCode::NOT_MODIFIED,
                [cache_control, (header::ETAG, etag.clone())],
            )
                .into_response(),
            Some(etag) => (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    ),
                    cache_control,
                    (header::ETAG, etag.clone()),
                ],
                self.body.clone(),
            )
                .into_response(),
            None => (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("application/json"),
                    ),
                    cache_control,
                ],
                self.body.clone(),
            )
                .into_response(),
        }
    }
}

/// Whether `If-None-Match` names `etag`. The comparison is the weak one RFC 9110 §13.1.2
/// prescribes for `If-None-Match`: a `W/` prefix is ignored.
fn held_by_client(request: &HeaderMap, etag: &HeaderValue) -> bool {
    let Ok(etag) = etag.to_str() else {
        return false;
    };
    request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(str::trim)
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag)
}

/// The public catalog's answers kept in memory. Each is stored with the version of the data
/// it was made from, and every request reads the version again (one cheap query, shared by
/// the requests waiting at the same moment), so an edit is seen at once, by every process
/// sharing the database. Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct CatalogCache {
    occupations: Arc<RwLock<Kept>>,
    version: Arc<SharedVersionRead>,
}

/// An answer with the version of the data it was made from, once one is made.
type Kept = Option<(CatalogVersion, Arc<CachedJson>)>;

impl CatalogCache {
    /// The occupation catalog's version in force for `year` (see
    /// `Store::occupations_version`), from a read that started after this call did.
    pub async fn occupations_version(
        &self,
        store: &Store,
        year: i32,
    ) -> Result<CatalogVersion, StoreError> {
        self.version.read(store, year).await
    }

    /// The `GET /api/v1/occupations` answer made from `version`, if it is kept.
    pub fn occupations(&self, version: &CatalogVersion) -> Option<Arc<CachedJson>> {
        let kept = self.occupations.read().ok()?;
        kept.as_ref()
            .filter(|(kept_version, _)| kept_version == version)
            .map(|(_, answer)| answer.clone())
    }

    /// Keeps the answer made from `version`, in place of any other.
    pub fn keep_occupations(&self, version: CatalogVersion, answer: Arc<CachedJson>) {
        let mut kept = self
            .occupations
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        *kept = Some((version, answer));
    }
}

/// Reads of the catalog's version shared by the requests that wait at the same time, as a
/// group commit shares a write: a request takes the answer of a read that started after it
/// arrived, so it sees every edit committed before it, and of the requests waiting while one
/// read runs only the first runs the next. Under load that is one query per round of waiting
/// requests instead of one per request; alone, a request runs its own.
#[derive(Debug, Default)]
struct SharedVersionRead {
    /// How many reads have started.
    started: AtomicU64,
    /// The last read that finished: its number (from `started`), the year it was asked for and
    /// the version it found. Locked while a read runs.
    last: tokio::sync::Mutex<Option<(u64, i32, CatalogVersion)>>,
}

impl SharedVersionRead {
    async fn read(&self, store: &Store, year: i32) -> Result<CatalogVersion, StoreError> {
        // Reads numbered above this one start after this line.
        let started_before = self.started.load(Ordering::SeqCst);
        let mut last = self.last.lock().await;
        if let Some((number, asked, version)) = last.as_ref()
            && *number > started_before
            && *asked == year
        {
            return Ok(version.clone());
        }
        let number = self.started.fetch_add(1, Ordering::SeqCst) + 1;
        let version = store.occupations_version(year).await?;
        *last = Some((number, year, version.clone()));
        Ok(version)
    }
}
