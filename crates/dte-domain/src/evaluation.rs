//! Level evaluation (专业技术等级考核, SPEC step 6; issue 6 item 3) and continuing-education
//! hours (继续教育学时, SPEC step 8; issue 6 item 6).
//!
//! The plan's 三（二）标准化评价: 培训机构应与……评价机构（见附件6）共同确定专业技术等级考核计划和方案，
//! 对取得培训合格证书……的培训人员，及时组织专业技术等级考核（理论知识和专业能力考核），成绩合格的，
//! 由评价机构……颁发……专业技术等级证书. Each rule lives in one submodule:
//!
//! - [`plan`] — [`check_plan`]: who may agree an exam plan with whom and for which class, and
//!   when the exam may be held; [`ExamPlanStatus`] and its transitions.
//! - [`candidate`] — [`check_candidate`]: a candidate holds a valid training certificate of the
//!   plan's occupation and level and no level certificate of it yet.
//! - [`score`] — [`Score`] (0–100, at most one decimal), [`PassMarks`] from the settings
//!   `theory_pass_mark` and `ability_pass_mark`, and [`outcome`].
//! - [`hours`] — [`continuing_education_hours`]: a trainee's hours per calendar year.
//!
//! Refusals are [`crate::Violation`]s (field, stable code, Chinese message), like the class
//! rules, so the web layer shows them the same way.

pub mod candidate;
pub mod hours;
pub mod plan;
pub mod score;

pub use candidate::{CandidateFacts, HeldCertificate, check_candidate};
pub use hours::{CompletedTraining, YearHours, continuing_education_hours, counted_hours};
pub use plan::{
    EXAM_WITHIN_DAYS_AFTER_CLASS_END, ExamAction, ExamPlanContext, ExamPlanProposal,
    ExamPlanStatus, ExamTransitionError, check_plan, check_score_entry,
};
pub use score::{ExamOutcome, PassMarks, Score, ScoreError, outcome};

#[cfg(test)]
mod tests;
