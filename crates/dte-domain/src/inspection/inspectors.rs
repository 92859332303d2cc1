//! The inspectors drawn for each target (双随机: random targets and random inspectors; issue 14
//! item 3). The pool is the region's city staff; one who declared a conflict with the target is
//! never a candidate; at least [`INSPECTORS_PER_TARGET`] are drawn; and the pair of the target's
//! previous inspection is not drawn again when the pool allows another.
//!
//! Replay: the inspectors of a target are dte-draw-v1 over the eligible inspectors' ids
//! (`user:<id>`), each of weight 1, with the seed [`inspector_seed`] derives from the draw's
//! seed and the target's id, ranking every eligible inspector. The first two of the ranking are
//! drawn; when they are the previous pair and a third is eligible, the first and the third are.

use super::draw::{Candidate, Seed, draw, inspector_seed};
use std::collections::BTreeSet;

/// Inspectors per target: 行政执法人员不得少于两人 (行政处罚法 第四十二条), the issue's "at
/// least two".
pub const INSPECTORS_PER_TARGET: usize = 2;

/// An inspector of the pool and whether they declared a conflict with the target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectorCandidate {
    pub user_id: i64,
    pub conflicted: bool,
}

/// Why inspectors cannot be drawn for a target.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InspectorError {
    #[error(
        "检查对象“{target}”可选的检查人员只有 {eligible} 人（已排除申报利益冲突的人员），至少需要 {needed} 人"
    )]
    NotEnough {
        target: String,
        eligible: usize,
        needed: usize,
    },
}

/// The id an inspector takes part in a draw with.
pub fn inspector_id(user_id: i64) -> String {
    format!("user:{user_id}")
}

/// The inspectors drawn for `target_id` from `pool` with the draw's `seed`, in the order drawn.
/// `previous` is the pair of the target's previous inspection, if any.
pub fn choose_inspectors(
    seed: &Seed,
    target_id: &str,
    pool: &[InspectorCandidate],
    previous: &[i64],
) -> Result<Vec<i64>, InspectorError> {
    let eligible: BTreeSet<i64> = pool
        .iter()
        .filter(|inspector| !inspector.conflicted)
        .map(|inspector| inspector.user_id)
        .collect();
    // An inspector listed twice, once with a conflict, is conflicted.
    let conflicted: BTreeSet<i64> = pool
        .iter()
        .filter(|inspector| inspector.conflicted)
        .map(|inspector| inspector.user_id)
        .collect();
    let eligible: Vec<i64> = eligible.difference(&conflicted).copied().collect();
    if eligible.len() < INSPECTORS_PER_TARGET {
        return Err(InspectorError::NotEnough {
            target: target_id.to_owned(),
            eligible: eligible.len(),
            needed: INSPECTORS_PER_TARGET,
        });
    }
    let candidates: Vec<Candidate> = eligible
        .iter()
        .map(|user_id| Candidate {
            id: inspector_id(*user_id),
            weight: 1,
        })
        .collect();
    let ranking = draw(
        &inspector_seed(seed, target_id),
        &candidates,
        candidates.len(),
    )
    .unwrap_or_default();
    let ranked: Vec<i64> = ranking
        .iter()
        .filter_map(|id| id.strip_prefix("user:")?.parse().ok())
        .collect();
    let mut chosen: Vec<i64> = ranked.iter().take(INSPECTORS_PER_TARGET).copied().collect();
    let previous: BTreeSet<i64> = previous.iter().copied().collect();
    let same_pair = previous.len() == INSPECTORS_PER_TARGET
        && chosen.iter().all(|user_id| previous.contains(user_id));
    if same_pair && ranked.len() > INSPECTORS_PER_TARGET {
        chosen[INSPECTORS_PER_TARGET - 1] = ranked[INSPECTORS_PER_TARGET];
    }
    Ok(chosen)
}
