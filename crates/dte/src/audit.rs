//! `dte audit verify`: walks the audit log's hash chain and names the first broken entry.

use crate::config::Config;
use dte_store::AuditVerification;
use std::process::ExitCode;

/// Verifies the chain; exit 0 when intact, 1 naming the first broken entry.
pub async fn verify(config: &Config) -> anyhow::Result<ExitCode> {
    let store = crate::serve::open_store(config).await?;
    let outcome = store.verify_audit_chain().await?;
    store.close().await;
    Ok(match outcome {
        AuditVerification::Intact { entries, head_hash } => {
            println!("审计日志完整：共 {entries} 条，链头哈希 {head_hash}");
            println!("请将链头哈希另行保存，以便日后发现整条链被重写。");
            ExitCode::SUCCESS
        }
        AuditVerification::Broken { id, reason } => {
            println!("审计日志已被篡改：第 {id} 条记录处断裂（{reason}）");
            ExitCode::FAILURE
        }
    })
}
