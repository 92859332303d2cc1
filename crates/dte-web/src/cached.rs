//! Public reads answered from memory: a JSON body serialised once, served with a strong ETag
//! and `Cache-Control`, and answered `304 Not Modified` when the client already holds it.

use axum::body::Bytes;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sha2::{Digest, Sha256};

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
