//! Classes (班期): their funding, the delivery of each session, the timetable and the states a
//! class moves through (SPEC step 2). The rules a class plan must satisfy are in
//! [`crate::class_rules`]; this module is the vocabulary.

use chrono::{NaiveDate, NaiveTime};
use std::fmt;

/// How a class is paid for (SPEC step 2: 市场化 / 政府补贴).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Funding {
    /// 市场化: the trainee or employer pays; no subsidy, no quota.
    Market,
    /// 政府补贴: the city pays the institution per hour; needs the city's approval and quota.
    Subsidised,
}

impl Funding {
    pub const ALL: [Funding; 2] = [Funding::Market, Funding::Subsidised];

    /// The stable spelling used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Funding::Market => "market",
            Funding::Subsidised => "subsidised",
        }
    }

    /// The Chinese label shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Funding::Market => "市场化",
            Funding::Subsidised => "政府补贴",
        }
    }

    /// Parses the API spelling or the Chinese label.
    pub fn parse(text: &str) -> Option<Funding> {
        let text = text.trim();
        Funding::ALL
            .into_iter()
            .find(|funding| funding.as_str() == text || funding.label() == text)
    }
}

impl fmt::Display for Funding {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// Whether a session is taught in the classroom or online (the plan: 线上学时不超过总学时的50%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Delivery {
    /// 线下: in the venue, attendance by location check-in.
    Offline,
    /// 线上: online, attendance by heartbeats.
    Online,
}

impl Delivery {
    pub const ALL: [Delivery; 2] = [Delivery::Offline, Delivery::Online];

    pub fn as_str(self) -> &'static str {
        match self {
            Delivery::Offline => "offline",
            Delivery::Online => "online",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Delivery::Offline => "线下",
            Delivery::Online => "线上",
        }
    }

    /// Parses the API spelling or the Chinese label.
    pub fn parse(text: &str) -> Option<Delivery> {
        let text = text.trim();
        Delivery::ALL
            .into_iter()
            .find(|delivery| delivery.as_str() == text || delivery.label() == text)
    }
}

impl fmt::Display for Delivery {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// One session of a class's timetable (课表): date, time, delivery, hours (学时) and teacher.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionPlan {
    pub date: NaiveDate,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub delivery: Delivery,
    /// Class hours (学时) credited for the session; whole hours.
    pub hours: u32,
    pub teacher: String,
}

/// The states of a class (SPEC step 2): draft → submitted → approved (or rejected with a
/// reason) → running → finished → closed. A rejected class may be edited and submitted again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassStatus {
    Draft,
    Submitted,
    Approved,
    Rejected,
    Running,
    Finished,
    Closed,
}

/// What someone does to a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClassAction {
    /// The institution submits a draft (or a rejected class, after editing) for review.
    Submit,
    /// The city approves a submitted class.
    Approve,
    /// The city rejects a submitted class, with a reason.
    Reject,
    /// The class begins (its first session has come).
    Start,
    /// The last session is over.
    Finish,
    /// Completion and claims are settled; nothing more changes.
    Close,
}

/// The action is not possible from the class's current state.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("班期当前状态为“{}”，不能{}", .from.label(), .action.label())]
pub struct TransitionError {
    pub from: ClassStatus,
    pub action: ClassAction,
}

impl ClassStatus {
    pub const ALL: [ClassStatus; 7] = [
        ClassStatus::Draft,
        ClassStatus::Submitted,
        ClassStatus::Approved,
        ClassStatus::Rejected,
        ClassStatus::Running,
        ClassStatus::Finished,
        ClassStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ClassStatus::Draft => "draft",
            ClassStatus::Submitted => "submitted",
            ClassStatus::Approved => "approved",
            ClassStatus::Rejected => "rejected",
            ClassStatus::Running => "running",
            ClassStatus::Finished => "finished",
            ClassStatus::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClassStatus::Draft => "草稿",
            ClassStatus::Submitted => "待审核",
            ClassStatus::Approved => "已批准",
            ClassStatus::Rejected => "已驳回",
            ClassStatus::Running => "开班中",
            ClassStatus::Finished => "已结班",
            ClassStatus::Closed => "已关闭",
        }
    }

    pub fn parse(text: &str) -> Option<ClassStatus> {
        let text = text.trim();
        ClassStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text || status.label() == text)
    }

    /// Whether the institution may still change the class's plan (timetable, fence, dates).
    pub fn is_editable(self) -> bool {
        matches!(self, ClassStatus::Draft | ClassStatus::Rejected)
    }

    /// Whether the class holds its seats against the region's quota (SPEC step 2: approved
    /// seats of subsidised classes count against it).
    pub fn holds_quota(self) -> bool {
        matches!(
            self,
            ClassStatus::Approved
                | ClassStatus::Running
                | ClassStatus::Finished
                | ClassStatus::Closed
        )
    }

    /// Whether trainees may be enrolled: before approval the institution prepares its roster,
    /// and enrolment stays open until the class has finished.
    pub fn accepts_enrolment(self) -> bool {
        matches!(
            self,
            ClassStatus::Draft
                | ClassStatus::Rejected
                | ClassStatus::Submitted
                | ClassStatus::Approved
                | ClassStatus::Running
        )
    }

    /// The state after `action`, or why it is not possible.
    pub fn after(self, action: ClassAction) -> Result<ClassStatus, TransitionError> {
        use ClassAction as A;
        use ClassStatus as S;
        match (self, action) {
            (S::Draft | S::Rejected, A::Submit) => Ok(S::Submitted),
            (S::Submitted, A::Approve) => Ok(S::Approved),
            (S::Submitted, A::Reject) => Ok(S::Rejected),
            (S::Approved, A::Start) => Ok(S::Running),
            (S::Running, A::Finish) => Ok(S::Finished),
            (S::Finished, A::Close) => Ok(S::Closed),
            (from, action) => Err(TransitionError { from, action }),
        }
    }
}

impl fmt::Display for ClassStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

impl ClassAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ClassAction::Submit => "submit",
            ClassAction::Approve => "approve",
            ClassAction::Reject => "reject",
            ClassAction::Start => "start",
            ClassAction::Finish => "finish",
            ClassAction::Close => "close",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ClassAction::Submit => "提交审核",
            ClassAction::Approve => "批准",
            ClassAction::Reject => "驳回",
            ClassAction::Start => "开班",
            ClassAction::Finish => "结班",
            ClassAction::Close => "关闭",
        }
    }

    pub fn parse(text: &str) -> Option<ClassAction> {
        [
            ClassAction::Submit,
            ClassAction::Approve,
            ClassAction::Reject,
            ClassAction::Start,
            ClassAction::Finish,
            ClassAction::Close,
        ]
        .into_iter()
        .find(|action| action.as_str() == text.trim())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SPEC step 2: draft → submitted → approved (or rejected with reason) → running →
    /// finished → closed.
    #[test]
    fn a_class_moves_through_the_states_of_spec_step_2_in_order() {
        let mut status = ClassStatus::Draft;
        for action in [
            ClassAction::Submit,
            ClassAction::Approve,
            ClassAction::Start,
            ClassAction::Finish,
            ClassAction::Close,
        ] {
            status = status
                .after(action)
                .unwrap_or_else(|error| panic!("{error}"));
        }
        assert_eq!(status, ClassStatus::Closed);
    }

    #[test]
    fn a_rejected_class_can_be_edited_and_submitted_again_but_not_started() {
        let rejected = ClassStatus::Submitted.after(ClassAction::Reject);
        assert_eq!(rejected, Ok(ClassStatus::Rejected));
        assert!(ClassStatus::Rejected.is_editable());
        assert_eq!(
            ClassStatus::Rejected.after(ClassAction::Submit),
            Ok(ClassStatus::Submitted)
        );
        let error = ClassStatus::Rejected.after(ClassAction::Start).unwrap_err();
        assert_eq!(error.to_string(), "班期当前状态为“已驳回”，不能开班");
    }

    #[test]
    fn a_draft_cannot_be_approved_without_being_submitted() {
        assert!(ClassStatus::Draft.after(ClassAction::Approve).is_err());
        assert!(!ClassStatus::Submitted.is_editable());
    }

    #[test]
    fn only_approved_and_later_classes_hold_quota() {
        let holding: Vec<_> = ClassStatus::ALL
            .into_iter()
            .filter(|status| status.holds_quota())
            .collect();
        assert_eq!(
            holding,
            [
                ClassStatus::Approved,
                ClassStatus::Running,
                ClassStatus::Finished,
                ClassStatus::Closed
            ]
        );
    }

    #[test]
    fn names_round_trip() {
        for status in ClassStatus::ALL {
            assert_eq!(ClassStatus::parse(status.as_str()), Some(status));
            assert_eq!(ClassStatus::parse(status.label()), Some(status));
        }
        assert_eq!(Funding::parse("政府补贴"), Some(Funding::Subsidised));
        assert_eq!(Delivery::parse("online"), Some(Delivery::Online));
        assert_eq!(ClassAction::parse("reject"), Some(ClassAction::Reject));
    }
}
