//! Risk tiers of inspection targets and the size of a draw (issue 14 item 3): a target's risk
//! points are its flags' risk score (`flags::risk_scores`) plus the settings' points for each
//! open or upheld complaint and each failed finding of past inspections; the tier starts at the
//! settings' points; the tier sets the target's weight in the draw and the share of the tier's
//! targets a draw inspects. Every number is a setting of the policy (`Policy::inspection`).

use crate::policy::Percent;

/// A target's risk tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RiskTier {
    Low,
    Medium,
    High,
}

impl RiskTier {
    /// Every tier, highest first.
    pub const ALL: [RiskTier; 3] = [RiskTier::High, RiskTier::Medium, RiskTier::Low];

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            RiskTier::High => "high",
            RiskTier::Medium => "medium",
            RiskTier::Low => "low",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            RiskTier::High => "高风险",
            RiskTier::Medium => "中风险",
            RiskTier::Low => "低风险",
        }
    }

    /// Parses the stable code.
    pub fn parse(text: &str) -> Option<RiskTier> {
        RiskTier::ALL
            .into_iter()
            .find(|tier| tier.as_str() == text.trim())
    }
}

/// One value per tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TierValues<T> {
    pub high: T,
    pub medium: T,
    pub low: T,
}

impl<T: Copy> TierValues<T> {
    /// The value of `tier`.
    pub fn of(&self, tier: RiskTier) -> T {
        match tier {
            RiskTier::High => self.high,
            RiskTier::Medium => self.medium,
            RiskTier::Low => self.low,
        }
    }
}

/// The inspection settings of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InspectionSettings {
    /// The share of each tier's targets a draw inspects (defaults 50 %, 20 %, 5 %).
    pub rates: TierValues<Percent>,
    /// Each tier's weight in dte-draw-v1 (positive).
    pub weights: TierValues<u32>,
    /// The risk points from which a target is high risk.
    pub high_points: u32,
    /// The risk points from which a target is medium risk (below: low).
    pub medium_points: u32,
    /// The points of each open or upheld complaint about the target.
    pub complaint_points: u32,
    /// The points of each failed finding of the target's past inspections.
    pub finding_points: u32,
}

/// What a target's risk is computed from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RiskInputs {
    /// The sum of its flags' weights (`flags::risk_scores`; an institution's is its classes').
    pub flag_score: u32,
    /// Open or upheld complaints (举报投诉) about it.
    pub complaints: u32,
    /// Failed findings of its past inspections.
    pub failed_findings: u32,
}

impl InspectionSettings {
    /// The risk points of `inputs`.
    pub fn points(&self, inputs: RiskInputs) -> u32 {
        inputs
            .flag_score
            .saturating_add(inputs.complaints.saturating_mul(self.complaint_points))
            .saturating_add(inputs.failed_findings.saturating_mul(self.finding_points))
    }
}

/// The tier of a target with `inputs` under `settings`.
pub fn risk_tier(settings: &InspectionSettings, inputs: RiskInputs) -> RiskTier {
    let points = settings.points(inputs);
    if points >= settings.high_points {
        RiskTier::High
    } else if points >= settings.medium_points {
        RiskTier::Medium
    } else {
        RiskTier::Low
    }
}

/// How many targets a draw over a pool of these tiers inspects: each tier's rate of its
/// targets, summed in hundredths and rounded up, at least one target when the pool has any,
/// at most the pool.
pub fn draw_count(settings: &InspectionSettings, tiers: &[RiskTier]) -> usize {
    if tiers.is_empty() {
        return 0;
    }
    let hundredths: u64 = tiers
        .iter()
        .map(|tier| u64::from(settings.rates.of(*tier).get()))
        .sum();
    let count = usize::try_from(hundredths.div_ceil(100)).unwrap_or(tiers.len());
    count.clamp(1, tiers.len())
}
