//! DTE's application layer: one service per workflow, between the web layer and the store.
//!
//! Every service takes a [`Context`] (the store, the clock, the keys, the certificate signer)
//! and a [`Principal`] (who is acting), decides with the rules of `dte-domain`, writes through
//! `dte-store` with its audit entry, and answers a [`ServiceError`] in the domain's words:
//! refused with violations, forbidden, not found, conflict. HTTP status codes are chosen by the
//! web layer alone; `dte demo` calls the same services as the API and the pages.
//!
//! The services: `calendar` (the holiday calendar and the working days counted with it),
//! `classes` (plans, submission and decisions, quotas, enrolment and activation,
//! attendance and corrections, check-in, online learning, recordings and uploads),
//! `certificates` (completion, issuing, signing, printing, verification), `evaluation` (exam
//! plans, scores, level certificates, continuing-education hours) and `monitoring` (the live
//! monitor and the risk flags).

pub mod access;
pub mod accounts;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod certificates;
pub mod claims;
pub mod classes;
mod clock;
mod error;
pub mod evaluation;
pub mod inspection;
pub mod monitoring;
pub mod supervision;

pub use clock::{Clock, shanghai_time, shanghai_today};
pub use error::{Detail, ErrorKind, ServiceError};

use dte_store::{Store, User};
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;

/// What every service can reach. Cheap to clone.
#[derive(Clone)]
pub struct Context {
    pub store: Store,
    pub clock: Clock,
    /// Where the service is reached from outside, used in links it prints (no trailing slash).
    pub public_url: Arc<str>,
    /// Encrypts personal data at rest and keys its blind indexes; loaded from outside the
    /// database (a key file or the environment).
    pub keyring: Arc<dte_crypto::Keyring>,
    /// Writes check-ins in group commits (the 08:30 burst); see `dte_store::CheckInWriter`.
    pub check_ins: dte_store::CheckInWriter,
    /// The data folder: recordings and learning materials are kept in it (paths stored
    /// relative to it), uploads in progress in its `uploads/`.
    pub data_dir: Arc<Path>,
    /// The certificate signing key (from outside the database), the PDF renderer and the
    /// batch-print jobs.
    pub certificates: Arc<certificates::Services>,
    /// Password hashing, session lifetimes and the lockout after failures.
    pub accounts: Arc<accounts::Settings>,
}

impl std::fmt::Debug for Context {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("Context")
            .field("store", &self.store)
            .finish_non_exhaustive()
    }
}

/// Who is acting: the signed-in account (none for the public), and where the request came
/// from, for the audit log.
#[derive(Debug, Clone, Default)]
pub struct Principal {
    pub account: Option<User>,
    pub address: Option<IpAddr>,
    pub request_id: Option<String>,
}

impl Principal {
    /// The signed-in account, if any.
    pub fn user(&self) -> Option<&User> {
        self.account.as_ref()
    }

    /// An account acting outside any request (the command line, `dte demo`).
    pub fn account(user: User) -> Principal {
        Principal {
            account: Some(user),
            address: None,
            request_id: None,
        }
    }
}

/// The policy in force on `date` (settings with their effective dates; no defaults).
pub async fn policy_on(
    context: &Context,
    date: chrono::NaiveDate,
) -> Result<dte_domain::Policy, ServiceError> {
    Ok(context.store.policy_on(date).await?)
}

/// The policy in force today in Liaoning.
pub async fn policy_today(context: &Context) -> Result<dte_domain::Policy, ServiceError> {
    policy_on(context, context.clock.today()).await
}
