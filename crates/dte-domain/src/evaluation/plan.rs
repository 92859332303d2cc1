//! An exam plan (专业技术等级考核计划): the training institution proposes it for one of its
//! finished classes, the evaluation institution agrees or declines, enters the scores, and
//! issues the level certificates.
//!
//! The plan's 三（二）: the two institutions 共同确定专业技术等级考核计划和方案 — the training
//! institution one of 附件1's for the occupation, the evaluation institution one of 附件6's —
//! and the exam is held for people who 取得培训合格证书, 及时. Which is read as:
//!
//! - both institutions are active (not suspended or removed) and listed for the class's
//!   occupation in the year's catalog ([`crate::InstitutionStanding`]);
//! - the class is finished (or closed): completion, and so the training certificates, come at
//!   the end of the training (SPEC step 5);
//! - the exam date lies after the class's last day, is not in the past when proposed or agreed,
//!   and is at most [`EXAM_WITHIN_DAYS_AFTER_CLASS_END`] days after the class's last day;
//! - scores are entered only on or after the exam date.

use crate::class::ClassStatus;
use crate::class_rules::{InstitutionStanding, Violation};
use crate::{Level, OccupationCode};
use chrono::{Days, NaiveDate};
use std::fmt;

/// "及时组织" (三（二）) as a number: the exam is held at most 180 days after the class's last
/// day. The plan gives no figure; half a year leaves room for two exam sittings a year, which is
/// how evaluation institutions schedule, while the claim deadline (12 months after the level
/// certificate) still leaves the subsidy reachable.
pub const EXAM_WITHIN_DAYS_AFTER_CLASS_END: u64 = 180;

/// What the training institution proposes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExamPlanProposal {
    pub occupation: OccupationCode,
    pub level: Level,
    /// The state of the class the plan examines.
    pub class_status: ClassStatus,
    /// The class's last day of training.
    pub class_end_date: NaiveDate,
    /// The day of the exam.
    pub exam_date: NaiveDate,
}

/// What the rules need besides the proposal: the day of the check and the two institutions'
/// standing in that day's catalog (附件1 for training, 附件6 for evaluation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExamPlanContext {
    pub today: NaiveDate,
    pub training_institution: InstitutionStanding,
    pub evaluation_institution: InstitutionStanding,
}

/// The states of an exam plan: proposed → agreed (or declined with a reason) → scores entered
/// → certificates issued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExamPlanStatus {
    Proposed,
    Agreed,
    Declined,
    ScoresEntered,
    CertificatesIssued,
}

/// What someone does to an exam plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExamAction {
    /// The evaluation institution agrees a proposed plan.
    Agree,
    /// The evaluation institution declines a proposed plan, with a reason.
    Decline,
    /// The evaluation institution enters (or corrects) scores, before issuing.
    EnterScores,
    /// The evaluation institution issues the level certificates of those who passed.
    Issue,
}

/// The action is not possible from the plan's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("考核计划当前为“{}”，不能{}", .status.label(), .action.label())]
pub struct ExamTransitionError {
    pub status: ExamPlanStatus,
    pub action: ExamAction,
}

/// Every rule a proposal breaks, in a stable order: the training institution, the evaluation
/// institution, the class, then the exam date. Checked when the plan is proposed and again
/// when it is agreed (the catalog may have changed in between).
pub fn check_plan(proposal: &ExamPlanProposal, context: &ExamPlanContext) -> Vec<Violation> {
    let mut violations = Vec::new();
    let training = &context.training_institution;
    if !training.active {
        violations.push(Violation::new(
            "training_institution",
            "training_institution_inactive",
            "培训机构已被暂停或移出目录，不能组织考核",
        ));
    }
    if !training.listed_for_occupation {
        violations.push(Violation::new(
            "training_institution",
            "training_institution_not_listed",
            format!(
                "培训机构不在 {} 的培训机构名单（附件1）中",
                proposal.occupation
            ),
        ));
    }
    let evaluation = &context.evaluation_institution;
    if !evaluation.active {
        violations.push(Violation::new(
            "evaluation_institution",
            "evaluation_institution_inactive",
            "评价机构已被暂停或移出目录，不能承担考核",
        ));
    }
    if !evaluation.listed_for_occupation {
        violations.push(Violation::new(
            "evaluation_institution",
            "evaluation_institution_not_listed",
            format!(
                "评价机构不在 {} 的评价机构名单（附件6）中",
                proposal.occupation
            ),
        ));
    }
    if !matches!(
        proposal.class_status,
        ClassStatus::Finished | ClassStatus::Closed
    ) {
        violations.push(Violation::new(
            "class",
            "class_not_finished",
            format!(
                "班期当前为“{}”，培训结束后才能安排等级考核",
                proposal.class_status.label()
            ),
        ));
    }
    check_exam_date(proposal, context.today, &mut violations);
    violations
}

/// Scores are entered only on or after the exam date: before it, no one has sat the exam.
pub fn check_score_entry(exam_date: NaiveDate, today: NaiveDate) -> Result<(), Violation> {
    if today >= exam_date {
        return Ok(());
    }
    Err(Violation::new(
        "scores",
        "exam_not_held",
        format!("考核日期为 {exam_date}，考核之后才能录入成绩"),
    ))
}

impl ExamPlanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ExamPlanStatus::Proposed => "proposed",
            ExamPlanStatus::Agreed => "agreed",
            ExamPlanStatus::Declined => "declined",
            ExamPlanStatus::ScoresEntered => "scores_entered",
            ExamPlanStatus::CertificatesIssued => "certificates_issued",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExamPlanStatus::Proposed => "待评价机构确认",
            ExamPlanStatus::Agreed => "已确认",
            ExamPlanStatus::Declined => "已拒绝",
            ExamPlanStatus::ScoresEntered => "已录入成绩",
            ExamPlanStatus::CertificatesIssued => "已发证",
        }
    }

    pub fn parse(text: &str) -> Option<ExamPlanStatus> {
        [
            ExamPlanStatus::Proposed,
            ExamPlanStatus::Agreed,
            ExamPlanStatus::Declined,
            ExamPlanStatus::ScoresEntered,
            ExamPlanStatus::CertificatesIssued,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// The state after `action`, or why the action is not possible now. Scores may be entered
    /// again (corrected) until the certificates are issued; nothing changes after that.
    pub fn after(self, action: ExamAction) -> Result<ExamPlanStatus, ExamTransitionError> {
        use ExamAction as A;
        use ExamPlanStatus as S;
        match (self, action) {
            (S::Proposed, A::Agree) => Ok(S::Agreed),
            (S::Proposed, A::Decline) => Ok(S::Declined),
            (S::Agreed | S::ScoresEntered, A::EnterScores) => Ok(S::ScoresEntered),
            (S::ScoresEntered, A::Issue) => Ok(S::CertificatesIssued),
            (status, action) => Err(ExamTransitionError { status, action }),
        }
    }
}

impl ExamAction {
    pub fn label(self) -> &'static str {
        match self {
            ExamAction::Agree => "确认",
            ExamAction::Decline => "拒绝",
            ExamAction::EnterScores => "录入成绩",
            ExamAction::Issue => "发证",
        }
    }
}

impl fmt::Display for ExamPlanStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// The exam date: after the last day of training, not in the past, and 及时.
fn check_exam_date(proposal: &ExamPlanProposal, today: NaiveDate, out: &mut Vec<Violation>) {
    let exam = proposal.exam_date;
    let end = proposal.class_end_date;
    if exam <= end {
        out.push(Violation::new(
            "exam_date",
            "exam_before_class_end",
            format!("考核日期 {exam} 须晚于培训结束日期 {end}"),
        ));
    }
    if exam < today {
        out.push(Violation::new(
            "exam_date",
            "exam_date_past",
            format!("考核日期 {exam} 已过（今天是 {today}）"),
        ));
    }
    let latest = end.checked_add_days(Days::new(EXAM_WITHIN_DAYS_AFTER_CLASS_END));
    if latest.is_some_and(|latest| exam > latest) {
        out.push(Violation::new(
            "exam_date",
            "exam_too_late",
            format!(
                "考核日期 {exam} 距培训结束超过 {EXAM_WITHIN_DAYS_AFTER_CLASS_END} 天，须及时组织考核"
            ),
        ));
    }
}
