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

use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use dte_crypto::CertificateKey;
use dte_domain::Role;
use dte_store::CertificateRow;
use std::sync::{Arc, OnceLock};

/// What certificates need besides the store: the signing key (from outside the database), the
/// PDF renderer (built on first use: ~0.1 s of font parsing), the public verification's rate
/// limiter and the running batch-print jobs.
pub struct Services {
    pub key: CertificateKey,
    renderer: OnceLock<Result<Arc<dte_pdf::Renderer>, String>>,
    pub limiter: verify::RateLimiter,
    pub jobs: print::Jobs,
}

impl std::fmt::Debug for Services {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "certificates::Services({:?})", self.key)
    }
}

impl Services {
    /// Services with `key`, allowing `verifications_per_minute` public look-ups per address.
    pub fn new(key: CertificateKey, verifications_per_minute: u32) -> Services {
        Services {
            key,
            renderer: OnceLock::new(),
            limiter: verify::RateLimiter::new(verifications_per_minute),
            jobs: print::Jobs::default(),
        }
    }

    /// The shared renderer, built on first use.
    pub fn renderer(&self) -> Result<Arc<dte_pdf::Renderer>, AppError> {
        self.renderer
            .get_or_init(|| {
                dte_pdf::Renderer::new()
                    .map(Arc::new)
                    .map_err(|error| error.to_string())
            })
            .clone()
            .map_err(AppError::internal)
    }
}

/// The certificate if the caller's scope holds it; otherwise 404 exactly like an unknown
/// number, audited as denied.
pub async fn certificate_for(
    state: &AppState,
    caller: &Caller,
    number: &str,
) -> Result<CertificateRow, AppError> {
    let scope = crate::classes::scope(caller)?;
    match state.store.certificate_in_scope(&scope, number).await? {
        Some(row) => Ok(row),
        None => {
            let event = crate::audit::Event::success("access.denied", "certificate", number)
                .with_outcome(dte_store::AuditOutcome::Denied);
            crate::audit::record(state, caller, event).await?;
            Err(not_found(number))
        }
    }
}

/// 404 for a certificate number.
pub fn not_found(number: &str) -> AppError {
    let shown: String = number.chars().take(64).collect();
    AppError::not_found(
        "certificate_not_found",
        format!("未找到编号为“{shown}”的证书，请核对证书编号"),
    )
}

/// Whether the caller may revoke this certificate: its issuer, or the province.
pub fn may_revoke(caller: &Caller, row: &CertificateRow) -> bool {
    caller.user().is_some_and(|user| match user.role {
        Role::ProvinceAdmin => true,
        Role::TrainingInstitution | Role::EvaluationInstitution => {
            user.institution_id == Some(row.issuer_institution_id)
        }
        _ => false,
    })
}
