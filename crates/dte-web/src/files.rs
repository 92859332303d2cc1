//! Files over HTTP: an upload chunk's `Content-Range`, and a stored file served whole or by
//! the one byte range asked (RFC 9110), so a `<video>` can seek.

use crate::error::AppError;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dte_app::classes::files::{ChunkRange, StoredFile};
use tokio::io::{AsyncReadExt, AsyncSeekExt};

/// Reads `Content-Range: bytes START-END/TOTAL`; without the header the body is the whole
/// file. Whether the range fits the upload is the upload service's to say.
pub fn chunk_range(headers: &HeaderMap) -> Result<Option<ChunkRange>, AppError> {
    let Some(value) = headers.get(header::CONTENT_RANGE) else {
        return Ok(None);
    };
    let bad = || {
        AppError::invalid(
            "Content-Range",
            "Content-Range 应为 bytes 起始-结束/总长，例如 bytes 0-8388607/52428800",
        )
    };
    let text = value.to_str().map_err(|_| bad())?;
    let rest = text.trim().strip_prefix("bytes ").ok_or_else(bad)?;
    let (span, whole) = rest.split_once('/').ok_or_else(bad)?;
    let (start, end) = span.split_once('-').ok_or_else(bad)?;
    Ok(Some(ChunkRange {
        start: start.trim().parse().map_err(|_| bad())?,
        end: end.trim().parse().map_err(|_| bad())?,
        total: whole.trim().parse().map_err(|_| bad())?,
    }))
}

/// Serves a file a service handed out, with the request's Range.
pub async fn serve_stored(
    file: &StoredFile,
    request_headers: &HeaderMap,
) -> Result<Response, AppError> {
    serve(
        &file.path,
        &file.content_type,
        request_headers,
        file.download_name.as_deref(),
    )
    .await
}

/// Serves a stored file: all of it, or the one byte range asked (`Range: bytes=a-b`, `a-`,
/// `-n`) as 206; 416 when the range lies outside. With `download_name` the browser saves it.
pub async fn serve(
    path: &std::path::Path,
    content_type: &str,
    request_headers: &HeaderMap,
    download_name: Option<&str>,
) -> Result<Response, AppError> {
    let mut file = tokio::fs::File::open(path)
        .await
        .map_err(AppError::internal)?;
    let length = file.metadata().await.map_err(AppError::internal)?.len();
    let range = request_headers
        .get(header::RANGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|text| byte_range(text, length));
    let mut headers = HeaderMap::new();
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_str(content_type)
            .unwrap_or(HeaderValue::from_static("application/octet-stream")),
    );
    if let Some(name) = download_name
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    let (status, start, count) = match range {
        None => (StatusCode::OK, 0, length),
        Some(Err(())) => {
            if let Ok(value) = HeaderValue::from_str(&format!("bytes */{length}")) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            return Ok((StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response());
        }
        Some(Ok((start, end))) => {
            if let Ok(value) = HeaderValue::from_str(&format!("bytes {start}-{end}/{length}")) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
    };
    file.seek(std::io::SeekFrom::Start(start))
        .await
        .map_err(AppError::internal)?;
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    let stream = tokio_util::io::ReaderStream::new(file.take(count));
    Ok((status, headers, Body::from_stream(stream)).into_response())
}

/// One byte range of a file of `length` bytes: `None` to send it whole (no usable range: a
/// unit other than bytes, several ranges), `Some(Err(()))` when unsatisfiable.
fn byte_range(text: &str, length: u64) -> Option<Result<(u64, u64), ()>> {
    let spec = text.trim().strip_prefix("bytes=")?;
    if spec.contains(',') {
        return None;
    }
    let (first, last) = spec.split_once('-')?;
    let (first, last) = (first.trim(), last.trim());
    let range = if first.is_empty() {
        let suffix: u64 = last.parse().ok()?;
        if suffix == 0 || length == 0 {
            return Some(Err(()));
        }
        (length.saturating_sub(suffix), length - 1)
    } else {
        let start: u64 = first.parse().ok()?;
        let end = if last.is_empty() {
            length.saturating_sub(1)
        } else {
            last.parse::<u64>().ok()?.min(length.saturating_sub(1))
        };
        if start >= length || end < start {
            return Some(Err(()));
        }
        (start, end)
    };
    Some(Ok(range))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::byte_range;

    #[test]
    fn byte_ranges_follow_rfc_9110() {
        assert_eq!(byte_range("bytes=0-99", 1000), Some(Ok((0, 99))));
        assert_eq!(byte_range("bytes=900-", 1000), Some(Ok((900, 999))));
        assert_eq!(byte_range("bytes=-100", 1000), Some(Ok((900, 999))));
        assert_eq!(byte_range("bytes=990-2000", 1000), Some(Ok((990, 999))));
        assert_eq!(byte_range("bytes=1000-", 1000), Some(Err(())));
        assert_eq!(byte_range("bytes=0-1,5-9", 1000), None);
        assert_eq!(byte_range("items=0-1", 1000), None);
    }
}
