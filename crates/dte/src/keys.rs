//! The keyring that encrypts personal data at rest: never in the database. It comes from
//! `DTE_KEYRING` (the key file's lines joined with `;`), or from a key file — `DTE_KEYRING_FILE`
//! or `keyring.txt` in the data folder — which is created with mode 0600 on first start.

use anyhow::Context;
use dte_crypto::Keyring;
use std::io::Write;
use std::path::{Path, PathBuf};

/// The key file's name inside the data folder.
pub const KEY_FILE: &str = "keyring.txt";

/// Loads the keyring, creating the key file when none exists yet.
pub fn load_keyring(data_dir: &Path) -> anyhow::Result<Keyring> {
    if let Ok(text) = std::env::var("DTE_KEYRING")
        && !text.trim().is_empty()
    {
        return Keyring::parse(&text).map_err(|error| anyhow::anyhow!("DTE_KEYRING 无效：{error}"));
    }
    let path = std::env::var_os("DTE_KEYRING_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join(KEY_FILE));
    if !path.exists() {
        create_key_file(&path)?;
        tracing::info!(path = %path.display(), "created a new keyring; back it up: personal data cannot be read without it");
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("无法读取密钥文件 {}", path.display()))?;
    Keyring::parse(&text)
        .map_err(|error| anyhow::anyhow!("密钥文件 {} 无效：{error}", path.display()))
}

/// Writes a new key file readable by its owner only.
fn create_key_file(path: &Path) -> anyhow::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("无法创建密钥文件 {}", path.display()))?;
    file.write_all(Keyring::generate().as_bytes())?;
    file.sync_all()?;
    Ok(())
}
