//! The life of a claim and of its lines (SPEC step 9, issue 13 items 1–4): the states the
//! contract names, who may take each step when, and the four-eyes rule of the city's review.

use chrono::NaiveDate;
use std::fmt;

/// A claim's state, as `GET /api/v1/claims` answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClaimStatus {
    /// Opened by the institution, lines assembled; not yet sent.
    Draft,
    /// Sent to the city; the review time runs.
    Submitted,
    /// A city account has reviewed every line; a second account approves.
    InReview,
    /// Approved lines are on public notice (公示).
    InNotice,
    /// The notice is over with every objection resolved: ready to pay.
    Approved,
    /// Paid for every line still approved.
    Paid,
    /// Paid for some lines, others rejected.
    PartlyRejected,
    /// Every line rejected.
    Rejected,
    /// Withdrawn by the institution before review.
    Withdrawn,
}

impl ClaimStatus {
    pub const ALL: [ClaimStatus; 9] = [
        ClaimStatus::Draft,
        ClaimStatus::Submitted,
        ClaimStatus::InReview,
        ClaimStatus::InNotice,
        ClaimStatus::Approved,
        ClaimStatus::Paid,
        ClaimStatus::PartlyRejected,
        ClaimStatus::Rejected,
        ClaimStatus::Withdrawn,
    ];

    /// The API and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "draft",
            ClaimStatus::Submitted => "submitted",
            ClaimStatus::InReview => "in_review",
            ClaimStatus::InNotice => "in_notice",
            ClaimStatus::Approved => "approved",
            ClaimStatus::Paid => "paid",
            ClaimStatus::PartlyRejected => "partly_rejected",
            ClaimStatus::Rejected => "rejected",
            ClaimStatus::Withdrawn => "withdrawn",
        }
    }

    /// Parses the API spelling.
    pub fn parse(text: &str) -> Option<ClaimStatus> {
        ClaimStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text.trim())
    }

    /// The state in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            ClaimStatus::Draft => "草稿",
            ClaimStatus::Submitted => "待审核",
            ClaimStatus::InReview => "待复核",
            ClaimStatus::InNotice => "公示中",
            ClaimStatus::Approved => "待拨付",
            ClaimStatus::Paid => "已拨付",
            ClaimStatus::PartlyRejected => "部分核减",
            ClaimStatus::Rejected => "未通过",
            ClaimStatus::Withdrawn => "已撤回",
        }
    }

    /// Whether the institution may still change the claim (withdraw it or a line, claim a
    /// fixed line again): only before the city's review (issue 13 item 1).
    pub fn open_to_institution(self) -> bool {
        matches!(self, ClaimStatus::Draft | ClaimStatus::Submitted)
    }

    /// Whether the claim's lines count as claimed for their person, occupation and level (a
    /// second claim for the same person may not be opened while one is).
    pub fn live(self) -> bool {
        !matches!(self, ClaimStatus::Rejected | ClaimStatus::Withdrawn)
    }
}

impl fmt::Display for ClaimStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// A line's state, as `GET /api/v1/claims/{id}` answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineStatus {
    Claimed,
    Ineligible,
    Approved,
    Rejected,
    Paid,
    ClawedBack,
}

impl LineStatus {
    pub const ALL: [LineStatus; 6] = [
        LineStatus::Claimed,
        LineStatus::Ineligible,
        LineStatus::Approved,
        LineStatus::Rejected,
        LineStatus::Paid,
        LineStatus::ClawedBack,
    ];

    /// The API and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            LineStatus::Claimed => "claimed",
            LineStatus::Ineligible => "ineligible",
            LineStatus::Approved => "approved",
            LineStatus::Rejected => "rejected",
            LineStatus::Paid => "paid",
            LineStatus::ClawedBack => "clawed_back",
        }
    }

    /// Parses the API spelling.
    pub fn parse(text: &str) -> Option<LineStatus> {
        LineStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text.trim())
    }

    /// The state in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            LineStatus::Claimed => "申领",
            LineStatus::Ineligible => "不符合条件",
            LineStatus::Approved => "核准",
            LineStatus::Rejected => "不予核准",
            LineStatus::Paid => "已拨付",
            LineStatus::ClawedBack => "已追回",
        }
    }

    /// Whether the line holds its person, occupation and level: once approved it stays held,
    /// paid or clawed back, so the same subsidy is never approved or paid again (the
    /// database's unique index on approved lines says the same).
    pub fn holds_subsidy(self) -> bool {
        matches!(
            self,
            LineStatus::Approved | LineStatus::Paid | LineStatus::ClawedBack
        )
    }
}

impl fmt::Display for LineStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// The reviewer's decision on one line. A rejection carries one of [`LineDecision::REJECTIONS`]
/// and a remark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineDecision {
    Approve,
    Reject { reason: String, remark: String },
}

impl LineDecision {
    /// The reason codes a city may reject a line with, and their Chinese names.
    pub const REJECTIONS: [(&'static str, &'static str); 6] = [
        ("documents_insufficient", "材料不全或不实"),
        ("attendance_doubtful", "考勤记录存疑"),
        ("recording_doubtful", "录像不能证明培训真实"),
        ("identity_doubtful", "学员身份存疑"),
        ("objection_upheld", "公示异议成立"),
        ("other", "其他"),
    ];

    /// A rejection of `reason` with `remark`, checked: a listed reason, and a remark of 2 to
    /// 500 characters saying why.
    pub fn reject(reason: &str, remark: &str) -> Result<LineDecision, ReviewRefusal> {
        let reason = reason.trim();
        if !LineDecision::REJECTIONS
            .iter()
            .any(|(code, _)| *code == reason)
        {
            return Err(ReviewRefusal::UnknownRejection {
                reason: reason.to_owned(),
            });
        }
        let remark = remark.trim();
        let length = remark.chars().count();
        if !(2..=500).contains(&length) {
            return Err(ReviewRefusal::RemarkRequired);
        }
        Ok(LineDecision::Reject {
            reason: reason.to_owned(),
            remark: remark.to_owned(),
        })
    }

    /// The Chinese name of a rejection reason code.
    pub fn rejection_label(code: &str) -> Option<&'static str> {
        LineDecision::REJECTIONS
            .iter()
            .find(|(listed, _)| *listed == code)
            .map(|(_, label)| *label)
    }
}

/// Why a step of the review may not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReviewRefusal {
    #[error("审核期限已过（应于 {due} 前完成审核）")]
    ReviewOverdue { due: NaiveDate },
    #[error("复核须由另一名市级账号进行：审核人不得核准本人审核的申领")]
    SameAccount,
    #[error("不予核准的原因“{reason}”不在可选范围内")]
    UnknownRejection { reason: String },
    #[error("不予核准须填写说明（2 至 500 字）")]
    RemarkRequired,
    #[error("公示期至 {ends_on} 结束，公示期满后才能拨付")]
    NoticeNotOver { ends_on: NaiveDate },
    #[error("还有 {open} 条公示异议未处理，处理完毕后才能拨付")]
    ObjectionsOpen { open: u32 },
    #[error("公示期已于 {ends_on} 结束，不再受理异议")]
    NoticeOver { ends_on: NaiveDate },
}

impl ReviewRefusal {
    /// The stable code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            ReviewRefusal::ReviewOverdue { .. } => "review_overdue",
            ReviewRefusal::SameAccount => "same_reviewer",
            ReviewRefusal::UnknownRejection { .. } => "unknown_rejection_reason",
            ReviewRefusal::RemarkRequired => "remark_required",
            ReviewRefusal::NoticeNotOver { .. } => "notice_not_over",
            ReviewRefusal::ObjectionsOpen { .. } => "objections_open",
            ReviewRefusal::NoticeOver { .. } => "notice_over",
        }
    }
}

/// The city reviews on or before `due` (SPEC: within the review time, counted in working
/// days from the day after submission; the caller counts them with the holiday calendar).
pub fn check_review_window(due: NaiveDate, today: NaiveDate) -> Result<(), ReviewRefusal> {
    if today > due {
        return Err(ReviewRefusal::ReviewOverdue { due });
    }
    Ok(())
}

/// Four eyes (issue 13 item 2): the account that reviewed a claim may not approve it.
pub fn check_approver(reviewer: i64, approver: i64) -> Result<(), ReviewRefusal> {
    if reviewer == approver {
        return Err(ReviewRefusal::SameAccount);
    }
    Ok(())
}

/// A payment is recorded only once the notice ended on `ends_on` (so from the next day) and
/// every objection is resolved.
pub fn check_payable(
    ends_on: NaiveDate,
    open_objections: u32,
    today: NaiveDate,
) -> Result<(), ReviewRefusal> {
    if today <= ends_on {
        return Err(ReviewRefusal::NoticeNotOver { ends_on });
    }
    if open_objections > 0 {
        return Err(ReviewRefusal::ObjectionsOpen {
            open: open_objections,
        });
    }
    Ok(())
}

/// An objection is lodged within the notice period, up to its last day.
pub fn check_objection_window(
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), ReviewRefusal> {
    if today > ends_on || today < starts_on {
        return Err(ReviewRefusal::NoticeOver { ends_on });
    }
    Ok(())
}
