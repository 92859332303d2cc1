//! Certificates in the web layer (issue 6), shared by the API and the pages: completion of a
//! class decided by `dte_domain::completion` on the hours ledger (`completion.rs`), issuing a
//! class's training certificates in one signed batch (`issue.rs`), signatures, the published
//! keys and the Verifiable Credential (`signing.rs`), printing through `dte-pdf` with batch jobs
//! whose progress a page polls (`print.rs`), and public verification with its rate limit
//! (`verify.rs`).

pub mod completion;
pub mod issue;
pub mod print;
pub mod signing;
pub mod verify;

use crate::Context;
use crate::Principal;
use crate::ServiceError;
use dte_crypto::CertificateKey;
use dte_store::CertificateRow;
use std::sync::{Arc, OnceLock};

/// What certificates need besides the store: the signing key (from outside the database), the
/// PDF renderer (built on first use: ~0.1 s of font parsing) and the running batch-print jobs.
pub struct Services {
    pub key: CertificateKey,
    renderer: OnceLock<Result<Arc<dte_pdf::Renderer>, String>>,
    pub jobs: print::Jobs,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "certificates::Services({:?})", self.key)
    }
}

impl Services {
    /// Services signing with `key`.
    pub fn new(key: CertificateKey) -> Services {
        Services {
            key,
            renderer: OnceLock::new(),
            jobs: print::Jobs::default(),
        }
    }

    /// The shared renderer, built on first use.
    pub fn renderer(&self) -> Result<Arc<dte_pdf::Renderer>, ServiceError> {
        self.renderer
            .get_or_init(|| {
                dte_pdf::Renderer::new()
                    .map(Arc::new)
                    .map_err(|error| error.to_string())
            })
            .clone()
            .map_err(ServiceError::internal)
    }
}

/// The certificate if the principal's scope holds it; otherwise 404 exactly like an unknown
/// number, audited as denied.
pub async fn certificate_for(
    context: &Context,
    principal: &Principal,
    number: &str,
) -> Result<CertificateRow, ServiceError> {
    let scope = crate::classes::scope(principal)?;
    match context.store.certificate_in_scope(&scope, number).await? {
        Some(row) => Ok(row),
        None => {
            let event = crate::audit::Event::success("access.denied", "certificate", number)
                .with_outcome(dte_store::AuditOutcome::Denied);
            crate::audit::record(context, principal, event).await?;
            Err(not_found(number))
        }
    }
}

/// 404 for a certificate number.
pub fn not_found(number: &str) -> ServiceError {
    let shown: String = number.chars().take(64).collect();
    ServiceError::not_found(
        "certificate_not_found",
        format!("未找到编号为“{shown}”的证书，请核对证书编号"),
    )
}

/// Whether the principal may revoke this certificate (`access::authorize`: its issuer, or the
/// province).
pub fn may_revoke(principal: &Principal, row: &CertificateRow) -> bool {
    crate::access::allows(
        principal,
        dte_domain::access::Action::RevokeCertificate,
        &crate::access::certificate_facts(row),
    )
}

/// Revokes a certificate in the principal's scope, with the reason and the day it takes
/// effect; verification shows it at once. Only its issuer or the province may.
pub async fn revoke(
    context: &Context,
    principal: &Principal,
    number: &str,
    reason: &str,
    on: chrono::NaiveDate,
) -> Result<CertificateRow, ServiceError> {
    let row = certificate_for(context, principal, number).await?;
    crate::access::authorize(
        principal,
        dte_domain::access::Action::RevokeCertificate,
        &crate::access::certificate_facts(&row),
    )?;
    let reason = dte_domain::certificate::RevocationReason::parse(reason)
        .map_err(|error| ServiceError::invalid("reason", error.to_string()))?;
    let actor = crate::classes::actor(context, principal);
    match context
        .store
        .revoke_certificate(&row.number, &reason, on, &actor)
        .await
    {
        Ok(revoked) => Ok(revoked),
        Err(dte_store::StoreError::Conflict) => Err(ServiceError::conflict(
            "already_revoked",
            format!("证书 {} 已被撤销", row.number),
        )),
        Err(error) => Err(error.into()),
    }
}

/// The certificates in the principal's scope that match `filter`, newest first.
pub async fn list(
    context: &Context,
    principal: &Principal,
    filter: &dte_store::CertificateFilter,
) -> Result<Vec<CertificateRow>, ServiceError> {
    Ok(context
        .store
        .certificates_in_scope(&crate::classes::scope(principal)?, filter)
        .await?)
}
