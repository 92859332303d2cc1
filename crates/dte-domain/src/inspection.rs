//! 双随机一公开 random inspections (the plan's 七（二）抽查检查; SPEC step 10 and the contract under
//! "Money, supervision and reports"): the reproducible draw **dte-draw-v1** (`draw.rs`), the
//! targets' risk tiers and how many a draw picks (`risk.rs`), the inspectors drawn per target
//! (`inspectors.rs`), and the vocabulary of an inspection — its target, method, checklist
//! results and the two inspectors' sign-off (`record.rs`).

mod draw;
mod inspectors;
mod record;
mod risk;

pub use draw::{ALGORITHM, Candidate, DrawError, Seed, SeedError, draw, draw_key, inspector_seed};
pub use inspectors::{
    INSPECTORS_PER_TARGET, InspectorCandidate, InspectorError, choose_inspectors, inspector_id,
};
pub use record::{
    InspectionMethod, ItemOutcome, RecordError, SignOffError, Target, TargetError, TargetKind,
    check_sign_off, check_text,
};
pub use risk::{InspectionSettings, RiskInputs, RiskTier, TierValues, draw_count, risk_tier};

#[cfg(test)]
mod tests;
