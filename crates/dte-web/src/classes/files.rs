//! Files in the data folder: an upload streamed chunk by chunk into a temporary file while
//! its SHA-256 is computed, resumable at the bytes already received, then moved into place
//! atomically; and a stored file served with HTTP Range so a `<video>` can seek.
//!
//! The hash state of an upload in progress is kept in memory beside its temporary file; when
//! the two disagree (a chunk cut off mid-way, a restart), the hash is recomputed from the file,
//! so the stored SHA-256 is always that of the bytes on disk.

use crate::error::AppError;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// The hash of an upload's bytes so far, and how many bytes it has seen.
struct Progress {
    hasher: Sha256,
    hashed: u64,
}

/// Uploads in progress in this process, by upload id (random 256-bit tokens). The per-upload
/// lock makes two requests for the same upload take turns.
static IN_PROGRESS: LazyLock<Mutex<HashMap<String, Arc<tokio::sync::Mutex<Progress>>>>> =
    LazyLock::new(Default::default);

/// A chunk's place in the whole file, from `Content-Range: bytes START-END/TOTAL`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRange {
    pub start: u64,
    /// Inclusive.
    pub end: u64,
    pub total: u64,
}

/// After a chunk: the bytes received and, when all arrived, the file's SHA-256.
#[derive(Debug)]
pub struct ChunkOutcome {
    pub received: u64,
    pub sha256: Option<String>,
}

/// Whether an upload id has the shape of `dte_crypto::new_token` (so it is safe in a path).
pub fn valid_upload_id(id: &str) -> bool {
    id.len() == 43
        && id
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
}

/// The temporary file of an upload.
pub fn part_path(data_dir: &Path, upload_id: &str) -> PathBuf {
    data_dir.join("uploads").join(format!("{upload_id}.part"))
}

/// A stored path (relative to the data folder) made absolute; refuses anything that could
/// leave the folder.
pub fn stored_path(data_dir: &Path, relative: &str) -> Result<PathBuf, AppError> {
    let path = Path::new(relative);
    if path
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
    {
        Ok(data_dir.join(path))
    } else {
        Err(AppError::internal(format!(
            "stored path leaves the data folder: {relative}"
        )))
    }
}

/// Reads `Content-Range: bytes START-END/TOTAL`; without the header the body is the whole
/// file of `total` bytes.
pub fn chunk_range(headers: &HeaderMap, total: u64) -> Result<Option<ChunkRange>, AppError> {
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
    let range = ChunkRange {
        start: start.trim().parse().map_err(|_| bad())?,
        end: end.trim().parse().map_err(|_| bad())?,
        total: whole.trim().parse().map_err(|_| bad())?,
    };
    if range.end < range.start || range.total != total || range.end >= total {
        return Err(AppError::invalid(
            "Content-Range",
            format!(
                "Content-Range {text} 与上传的文件不符（文件共 {total} 字节，结束位置应小于总长）"
            ),
        ));
    }
    Ok(Some(range))
}

/// The bytes of an upload already on disk (0 when none).
pub async fn received(data_dir: &Path, upload_id: &str) -> u64 {
    tokio::fs::metadata(part_path(data_dir, upload_id))
        .await
        .map(|meta| meta.len())
        .unwrap_or(0)
}

/// Appends the request body at `start` of the upload's temporary file, hashing while it
/// streams; refuses a start other than the bytes already received (the answer says where to
/// resume) and a body longer than `max_len`. When `total` bytes are in, answers the SHA-256.
pub async fn append_chunk(
    data_dir: &Path,
    upload_id: &str,
    start: u64,
    max_len: u64,
    total: u64,
    body: Body,
) -> Result<ChunkOutcome, AppError> {
    let progress = {
        let mut map = IN_PROGRESS
            .lock()
            .map_err(|_| AppError::internal("upload table poisoned"))?;
        map.entry(upload_id.to_owned())
            .or_insert_with(|| {
                Arc::new(tokio::sync::Mutex::new(Progress {
                    hasher: Sha256::new(),
                    hashed: 0,
                }))
            })
            .clone()
    };
    let Ok(mut progress) = progress.try_lock() else {
        return Err(AppError::conflict(
            "upload_busy",
            "该文件的另一段正在上传，请等待其完成后再续传",
        ));
    };
    let path = part_path(data_dir, upload_id);
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(AppError::internal)?;
    }
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(&path)
        .await
        .map_err(AppError::internal)?;
    let on_disk = file.metadata().await.map_err(AppError::internal)?.len();
    if start != on_disk {
        return Err(AppError {
            field: Some("Content-Range".into()),
            ..AppError::conflict(
                "offset_mismatch",
                format!(
                    "已收到 {on_disk} 字节，请从第 {on_disk} 字节处续传（收到的起始位置为 {start}）"
                ),
            )
        });
    }
    if progress.hashed != on_disk {
        *progress = rehash(&mut file, on_disk).await?;
    }
    let mut body = body.into_data_stream();
    let mut written = 0u64;
    let outcome = loop {
        let Some(frame) = futures_next(&mut body).await else {
            break Ok(());
        };
        let bytes = match frame {
            Ok(bytes) => bytes,
            // The client went away: keep what arrived, it resumes from there.
            Err(_) => break Ok(()),
        };
        let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if written + length > max_len || on_disk + written + length > total {
            break Err(AppError {
                status: StatusCode::PAYLOAD_TOO_LARGE,
                code: "too_large",
                message: format!(
                    "本段内容超过了声明的长度（最多 {max_len} 字节），多出的部分未保存"
                ),
                field: Some("Content-Range".into()),
                violations: Vec::new(),
            });
        }
        file.write_all(&bytes).await.map_err(AppError::internal)?;
        progress.hasher.update(&bytes);
        progress.hashed += length;
        written += length;
    };
    file.sync_data().await.map_err(AppError::internal)?;
    outcome?;
    let received = on_disk + written;
    let sha256 = (received == total).then(|| hex::encode(progress.hasher.clone().finalize()));
    Ok(ChunkOutcome { received, sha256 })
}

/// Moves a complete upload into place (same file system: an atomic rename) and forgets its
/// progress.
pub async fn finish(data_dir: &Path, upload_id: &str, relative: &str) -> Result<(), AppError> {
    let target = stored_path(data_dir, relative)?;
    if let Some(folder) = target.parent() {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(AppError::internal)?;
    }
    tokio::fs::rename(part_path(data_dir, upload_id), &target)
        .await
        .map_err(AppError::internal)?;
    if let Some(folder) = target.parent()
        && let Ok(directory) = tokio::fs::File::open(folder).await
    {
        let _ = directory.sync_all().await;
    }
    if let Ok(mut map) = IN_PROGRESS.lock() {
        map.remove(upload_id);
    }
    Ok(())
}

/// The hash of the first `length` bytes of a file.
async fn rehash(file: &mut tokio::fs::File, length: u64) -> Result<Progress, AppError> {
    file.seek(std::io::SeekFrom::Start(0))
        .await
        .map_err(AppError::internal)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut left = length;
    while left > 0 {
        let want = usize::try_from(left.min(1 << 16)).unwrap_or(1 << 16);
        let read = file
            .read(&mut buffer[..want])
            .await
            .map_err(AppError::internal)?;
        if read == 0 {
            break;
        }
        hasher.update(&buffer[..read]);
        left -= u64::try_from(read).unwrap_or(left);
    }
    Ok(Progress {
        hasher,
        hashed: length - left,
    })
}

/// The next frame of a body's data stream.
async fn futures_next(
    stream: &mut axum::body::BodyDataStream,
) -> Option<Result<axum::body::Bytes, axum::Error>> {
    std::future::poll_fn(|context| {
        futures_core::Stream::poll_next(std::pin::Pin::new(&mut *stream), context)
    })
    .await
}

/// Serves a stored file: all of it, or the one byte range asked (`Range: bytes=a-b`, `a-`,
/// `-n`) as 206; 416 when the range lies outside. With `download_name` the browser saves it.
pub async fn serve(
    path: &Path,
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
