//! Subsidy claims (补贴申领, SPEC step 9; the plan's 四（一）2 and 五（一）; issue 13): who of a
//! subsidised class the training institution may be paid for, and how much; the city's review
//! with four eyes; the public notice (公示) and its objections; the payment from the fund the
//! plan names first; and the recovery (追回) of money paid for a violation.
//!
//! Pure: the facts come from the records (the store reads them, the application layer gathers
//! them), the dates from the caller; nothing here reads a clock or a database.
//!
//! - `line`: a claim line's reasons ([`LineReason`]) and its amount (附件5).
//! - `review`: the claim's and the line's states, the review window and the maker-checker rule.
//! - `funds`: the fund sources and the split of a payment between them.
//! - `clawback`: the recovery case, from amount to recovered or written off.

mod clawback;
mod funds;
mod line;
mod review;

pub use clawback::{ClawbackRefusal, ClawbackStatus, check_recovery, check_write_off};
pub use funds::{FundBalances, FundSource, PaymentShare, Shortfall, split_payment};
pub use line::{
    CertificateFact, LineFacts, LineReason, PaidSubsidy, assess_line, claim_deadline, line_amount,
};
pub use review::{
    ClaimStatus, LineDecision, LineStatus, ReviewRefusal, check_approver, check_objection_window,
    check_payable, check_review_window,
};

#[cfg(test)]
mod tests;
