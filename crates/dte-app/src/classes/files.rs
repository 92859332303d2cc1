//! Files in the data folder: an upload streamed chunk by chunk into a temporary file while
//! its SHA-256 is computed, resumable at the bytes already received, then moved into place
//! atomically. Serving a stored file over HTTP (with Range) is the web layer's.
//!
//! The hash state of an upload in progress is kept in memory beside its temporary file; when
//! the two disagree (a chunk cut off mid-way, a restart), the hash is recomputed from the file,
//! so the stored SHA-256 is always that of the bytes on disk.

use crate::ServiceError;
use bytes::Bytes;
use futures_core::Stream;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use tokio::io::{AsyncReadExt, AsyncSeekExt, AsyncWriteExt};

/// A stored file a principal may read: where it is, its type, and the name to save it under
/// when it is downloaded rather than played.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub path: PathBuf,
    pub content_type: String,
    pub download_name: Option<String>,
}

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
pub fn stored_path(data_dir: &Path, relative: &str) -> Result<PathBuf, ServiceError> {
    let path = Path::new(relative);
    if path
        .components()
        .all(|component| matches!(component, Component::Normal(_)))
    {
        Ok(data_dir.join(path))
    } else {
        Err(ServiceError::internal(format!(
            "stored path leaves the data folder: {relative}"
        )))
    }
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
pub async fn append_chunk<E>(
    data_dir: &Path,
    upload_id: &str,
    start: u64,
    max_len: u64,
    total: u64,
    mut body: impl Stream<Item = Result<Bytes, E>> + Unpin,
) -> Result<ChunkOutcome, ServiceError> {
    let progress = {
        let mut map = IN_PROGRESS
            .lock()
            .map_err(|_| ServiceError::internal("upload table poisoned"))?;
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
        return Err(ServiceError::conflict(
            "upload_busy",
            "该文件的另一段正在上传，请等待其完成后再续传",
        ));
    };
    let path = part_path(data_dir, upload_id);
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(ServiceError::internal)?;
    }
    let mut file = tokio::fs::OpenOptions::new()
        .create(true)
        .read(true)
        .append(true)
        .open(&path)
        .await
        .map_err(ServiceError::internal)?;
    let on_disk = file.metadata().await.map_err(ServiceError::internal)?.len();
    if start != on_disk {
        return Err(ServiceError {
            field: Some("Content-Range".into()),
            ..ServiceError::conflict(
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
    let mut written = 0u64;
    let outcome = loop {
        let Some(frame) = next_chunk(&mut body).await else {
            break Ok(());
        };
        let bytes = match frame {
            Ok(bytes) => bytes,
            // The client went away: keep what arrived, it resumes from there.
            Err(_) => break Ok(()),
        };
        let length = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
        if written + length > max_len || on_disk + written + length > total {
            break Err(ServiceError::too_large(
                "Content-Range",
                format!("本段内容超过了声明的长度（最多 {max_len} 字节），多出的部分未保存"),
            ));
        }
        file.write_all(&bytes)
            .await
            .map_err(ServiceError::internal)?;
        progress.hasher.update(&bytes);
        progress.hashed += length;
        written += length;
    };
    file.sync_data().await.map_err(ServiceError::internal)?;
    outcome?;
    let received = on_disk + written;
    let sha256 = (received == total).then(|| hex::encode(progress.hasher.clone().finalize()));
    Ok(ChunkOutcome { received, sha256 })
}

/// Moves a complete upload into place (same file system: an atomic rename) and forgets its
/// progress.
pub async fn finish(data_dir: &Path, upload_id: &str, relative: &str) -> Result<(), ServiceError> {
    let target = stored_path(data_dir, relative)?;
    if let Some(folder) = target.parent() {
        tokio::fs::create_dir_all(folder)
            .await
            .map_err(ServiceError::internal)?;
    }
    tokio::fs::rename(part_path(data_dir, upload_id), &target)
        .await
        .map_err(ServiceError::internal)?;
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
async fn rehash(file: &mut tokio::fs::File, length: u64) -> Result<Progress, ServiceError> {
    file.seek(std::io::SeekFrom::Start(0))
        .await
        .map_err(ServiceError::internal)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    let mut left = length;
    while left > 0 {
        let want = usize::try_from(left.min(1 << 16)).unwrap_or(1 << 16);
        let read = file
            .read(&mut buffer[..want])
            .await
            .map_err(ServiceError::internal)?;
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

/// The next chunk of a body's stream.
async fn next_chunk<E>(
    stream: &mut (impl Stream<Item = Result<Bytes, E>> + Unpin),
) -> Option<Result<Bytes, E>> {
    std::future::poll_fn(|context| Stream::poll_next(std::pin::Pin::new(&mut *stream), context))
        .await
}
