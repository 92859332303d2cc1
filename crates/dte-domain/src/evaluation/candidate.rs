//! Who may sit a level exam: the plan's 三（二） examines 取得培训合格证书……的培训人员, and a level
//! certificate is issued once per person, occupation and level.

use crate::class_rules::Violation;
use crate::{Level, OccupationCode};

/// A certificate a person holds, as the candidate check needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldCertificate {
    pub number: String,
    pub occupation: OccupationCode,
    pub level: Level,
    /// Not revoked.
    pub valid: bool,
}

/// A person's certificates of both kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateFacts {
    /// 培训合格证书.
    pub training: Vec<HeldCertificate>,
    /// 专业技术等级证书.
    pub level: Vec<HeldCertificate>,
}

/// Whether a person may be a candidate of an exam of `occupation` at `level`: they hold a valid
/// training certificate of that occupation and level (a revoked one does not count), and no
/// valid level certificate of it (a revoked one may be earned again).
pub fn check_candidate(
    occupation: &OccupationCode,
    level: Level,
    facts: &CandidateFacts,
) -> Result<(), Violation> {
    let same = |held: &&HeldCertificate| held.occupation == *occupation && held.level == level;
    if let Some(held) = facts.level.iter().filter(same).find(|held| held.valid) {
        return Err(Violation::new(
            "candidate",
            "already_certified",
            format!(
                "已持有 {occupation} {} 专业技术等级证书（编号 {}）",
                level.label(),
                held.number
            ),
        ));
    }
    let mut training = facts.training.iter().filter(same);
    if training.clone().any(|held| held.valid) {
        return Ok(());
    }
    match training.next() {
        Some(held) => Err(Violation::new(
            "candidate",
            "training_certificate_revoked",
            format!(
                "培训合格证书（编号 {}）已被撤销，不能参加等级考核",
                held.number
            ),
        )),
        None => Err(Violation::new(
            "candidate",
            "no_training_certificate",
            format!(
                "未取得 {occupation} {} 培训合格证书，不能参加等级考核",
                level.label()
            ),
        )),
    }
}
