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

/// The certificate signing key's file name inside the data folder.
pub const CERTIFICATE_KEY_FILE: &str = "certificate-signing.key";

/// Loads the Ed25519 key that signs certificates: from `DTE_CERTIFICATE_KEY` (its text form),
/// or from `DTE_CERTIFICATE_KEY_FILE` or `certificate-signing.key` in the data folder, created
/// with mode 0600 on first start. Never in the database.
pub fn load_certificate_key(data_dir: &Path) -> anyhow::Result<dte_crypto::CertificateKey> {
    if let Ok(text) = std::env::var("DTE_CERTIFICATE_KEY")
        && !text.trim().is_empty()
    {
        return dte_crypto::CertificateKey::parse(&text)
            .map_err(|error| anyhow::anyhow!("DTE_CERTIFICATE_KEY 无效：{error}"));
    }
    let path = std::env::var_os("DTE_CERTIFICATE_KEY_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir.join(CERTIFICATE_KEY_FILE));
    if !path.exists() {
        create_key_file_with(&path, &dte_crypto::CertificateKey::generate())?;
        tracing::info!(path = %path.display(), "created a new certificate signing key; back it up: certificates already issued are verified with its public key");
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("无法读取证书签名密钥 {}", path.display()))?;
    dte_crypto::CertificateKey::parse(&text)
        .map_err(|error| anyhow::anyhow!("证书签名密钥 {} 无效：{error}", path.display()))
}

/// Writes a new key file readable by its owner only.
fn create_key_file(path: &Path) -> anyhow::Result<()> {
    create_key_file_with(path, &Keyring::generate())
}

/// Writes `text` to a new file readable by its owner only, synced to disk.
fn create_key_file_with(path: &Path, text: &str) -> anyhow::Result<()> {
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
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// `dte keys rotate`: adds a new data key to the key file and makes it current (the old keys
/// stay, so nothing becomes unreadable at any moment), then re-encrypts every person's ID
/// number and phone under it, in audited batches. Safe to run again after an interruption:
/// it re-encrypts only what the current key did not seal. Returns (key id, values re-encrypted).
pub async fn rotate(config: &crate::config::Config) -> anyhow::Result<(String, usize)> {
    if std::env::var("DTE_KEYRING").is_ok_and(|text| !text.trim().is_empty()) {
        anyhow::bail!(
            "密钥来自环境变量 DTE_KEYRING，无法自动轮换：请改用密钥文件（DTE_KEYRING_FILE），或手工生成新密钥后设置"
        );
    }
    let path = std::env::var_os("DTE_KEYRING_FILE")
        .map(PathBuf::from)
        .unwrap_or_else(|| config.data_dir.join(KEY_FILE));
    let old = load_keyring(&config.data_dir)?;
    let rotated_text = old.rotated_key_file();
    let keyring =
        Keyring::parse(&rotated_text).map_err(|error| anyhow::anyhow!("新密钥无效：{error}"))?;
    replace_key_file(&path, &rotated_text)?;
    let store = crate::serve::open_store(config).await?;
    let key_id = keyring.current_key_id().to_owned();
    let mut after = 0;
    let mut count = 0;
    loop {
        let page = store.person_envelopes(after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.0;
        let mut changed = Vec::new();
        for (id, id_cipher, phone_cipher) in &page {
            let id_needs = keyring.needs_rotation(id_cipher);
            let phone_needs = phone_cipher
                .as_deref()
                .is_some_and(|cipher| keyring.needs_rotation(cipher));
            if !id_needs && !phone_needs {
                continue;
            }
            let id_new = if id_needs {
                keyring.reencrypt(id_cipher, dte_store::ID_NUMBER_AD)?
            } else {
                id_cipher.clone()
            };
            let phone_new = match phone_cipher {
                Some(cipher) if phone_needs => {
                    Some(keyring.reencrypt(cipher, dte_store::PHONE_AD)?)
                }
                _ => None,
            };
            changed.push((*id, id_new, phone_new));
        }
        count += changed.len();
        let actor = dte_store::Actor::system(chrono::Utc::now());
        store
            .replace_person_envelopes(&changed, &key_id, &actor)
            .await?;
    }
    store.close().await;
    Ok((key_id, count))
}

/// Replaces the key file atomically (a 0600 temporary file renamed over it), so a crash
/// leaves either the old file or the new one.
fn replace_key_file(path: &Path, text: &str) -> anyhow::Result<()> {
    let temporary = path.with_extension("rotating");
    let _ = std::fs::remove_file(&temporary);
    create_key_file_with(&temporary, text)?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("无法替换密钥文件 {}", path.display()))?;
    Ok(())
}
