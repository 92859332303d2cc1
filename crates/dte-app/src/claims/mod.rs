//! Subsidy claims (补贴申领, SPEC step 9, issue 13): the institution's claim for a subsidised
//! class, assembled from the records (`assemble`); the city's review with four eyes, the public
//! notice and its objections (`review`); the payment from the city's funds and the recovery of
//! money paid for a violation (`money`); the documents — the public notice for posting, the
//! claim form and training ledger (`documents`, `ledger`) — and the payments and clawbacks
//! report (`report`). Every line is judged again by
//! `dte_domain::subsidy::assess_line` at each step, since the records may change between them.

mod assemble;
mod documents;
mod ledger;
mod money;
mod report;
mod review;

pub use assemble::open;
pub use documents::{
    ClaimDocument, DOCUMENT_LINES_MAX, DocumentFormat, Download, check_lines, claim_document,
    notice_document,
};
pub use money::{
    Allocation, PaymentInput, RecoveryInput, allocate, balances, open_clawback, pay,
    record_recovery, write_off,
};
pub use report::{
    REPORT_FACTS_MAX, ReportFigures, ReportRow, SubsidyReport, subsidy_report,
    subsidy_report_download,
};
pub use review::{
    Decision, Notice, ObjectionInput, approve, close_notice, lodge_objection, notices, recheck,
    resolve_objection, review, submit, withdraw, withdraw_line,
};

use crate::classes::scope;
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::access::{Action, Facts};
use dte_store::{ClaimFilter, ClaimLineRow, ClaimRow, ClawbackRow, ObjectionRow, PaymentRow};

/// A claim with its lines and the objections lodged against them.
#[derive(Debug, Clone)]
pub struct ClaimView {
    pub claim: ClaimRow,
    pub lines: Vec<ClaimLineRow>,
    pub objections: Vec<ObjectionRow>,
    /// Submitted and not reviewed by its due day.
    pub overdue: bool,
}

/// The facts of a claim for the access rule: its class's region and institution.
pub fn claim_facts(claim: &ClaimRow) -> Facts {
    Facts {
        region: Some(claim.region.clone()),
        training_institution: Some(claim.institution_id),
        ..Facts::default()
    }
}

/// The one answer for a claim that is missing or outside the caller's scope.
fn claim_not_found() -> ServiceError {
    ServiceError::not_found("claim_not_found", "未找到该补贴申领，或您无权查看")
}

/// The claim if the principal's scope holds it and the rule lets them take `action` on it.
pub(crate) async fn claim_for(
    context: &Context,
    principal: &Principal,
    id: i64,
    action: Action,
) -> Result<ClaimRow, ServiceError> {
    let claim = context
        .store
        .claim_in_scope(&scope(principal)?, id)
        .await?
        .ok_or_else(claim_not_found)?;
    crate::access::authorize(principal, action, &claim_facts(&claim))?;
    Ok(claim)
}

/// Whether a submitted claim's review is past its due day.
fn overdue(claim: &ClaimRow, today: NaiveDate) -> bool {
    claim.status == dte_domain::subsidy::ClaimStatus::Submitted
        && claim.review_due_on.is_some_and(|due| today > due)
}

/// The claims in the principal's scope, newest first.
pub async fn list(
    context: &Context,
    principal: &Principal,
    filter: &ClaimFilter,
) -> Result<Vec<(ClaimRow, bool)>, ServiceError> {
    crate::access::authorize(principal, Action::ListClaims, &Facts::default())?;
    let today = context.clock.today();
    Ok(context
        .store
        .claims_in_scope(&scope(principal)?, filter)
        .await?
        .into_iter()
        .map(|claim| {
            let late = overdue(&claim, today);
            (claim, late)
        })
        .collect())
}

/// One claim with its lines and objections.
pub async fn claim(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<ClaimView, ServiceError> {
    let claim = claim_for(context, principal, id, Action::ReadClaim).await?;
    let lines = context.store.claim_lines(id).await?;
    let objections = context.store.claim_objections(id).await?;
    let overdue = overdue(&claim, context.clock.today());
    Ok(ClaimView {
        claim,
        lines,
        objections,
        overdue,
    })
}

/// The payments in the principal's scope.
pub async fn payments(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<PaymentRow>, ServiceError> {
    crate::access::authorize(principal, Action::ListClaims, &Facts::default())?;
    Ok(context.store.payments_in_scope(&scope(principal)?).await?)
}

/// The clawback cases in the principal's scope.
pub async fn clawbacks(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<ClawbackRow>, ServiceError> {
    crate::access::authorize(principal, Action::ListClaims, &Facts::default())?;
    Ok(context.store.clawbacks_in_scope(&scope(principal)?).await?)
}
