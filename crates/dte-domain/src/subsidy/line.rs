//! A claim line: one subsidised trainee of a class, with every reason the training institution
//! may not be paid for them (issue 13 item 1), and the amount of the plan's 附件5.

use crate::attendance::HoursLedger;
use crate::money::{Fen, MoneyOverflow, subsidy_quote};
use crate::policy::Policy;
use crate::{Level, OccupationCode};
use chrono::{Months, NaiveDate};
use std::fmt;

/// A certificate of the trainee as the claim sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFact {
    pub number: String,
    pub occupation: OccupationCode,
    pub level: Level,
    /// Not revoked.
    pub valid: bool,
    pub issued_on: NaiveDate,
}

/// A subsidy of the same person approved or paid on another claim line (a clawed-back one
/// included: money recovered for a violation is never paid again).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidSubsidy {
    pub claim_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    /// The year of that line's class (the year its subsidy counts in).
    pub year: i32,
}

/// What the records say about one subsidised trainee of a class, gathered at each step of the
/// claim (the records may change between steps, so the line is judged again each time).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineFacts {
    pub occupation: OccupationCode,
    pub level: Level,
    /// The year of the class's start: its reference data prices the line and its subsidies
    /// count against that year's limit.
    pub class_year: i32,
    pub enrolled_on: NaiveDate,
    /// The subsidy category given at enrolment, if any.
    pub subsidy_category: Option<String>,
    /// The categories subsidised on the enrolment date (the reference data then in force).
    pub categories_subsidised_on_enrolment: Vec<String>,
    /// A proof document of the category (补贴类别证明) is on file.
    pub has_category_proof: bool,
    /// The signed commitment letter (承诺书) is on file.
    pub has_commitment_letter: bool,
    /// The trainee's hours ledger for the class (with corrections and online credit).
    pub ledger: HoursLedger,
    /// Sessions of the class held without a registered recording (全程录像).
    pub sessions_without_recording: u32,
    /// The trainee's 培训合格证书 of this class, if any.
    pub training_certificate: Option<CertificateFact>,
    /// The trainee's 专业技术等级证书 of the class's occupation, if any (the latest).
    pub level_certificate: Option<CertificateFact>,
    /// Subsidies of this person on other lines, approved, paid or clawed back.
    pub other_subsidies: Vec<PaidSubsidy>,
    /// Sanctions excluding the person or the class from subsidy, each described for a person.
    pub sanctions: Vec<String>,
    /// Risk flags on the person or the class not yet reviewed, by their Chinese label.
    pub open_flags: Vec<String>,
}

/// Why a line is `ineligible`: each has a stable code and a Chinese message saying what to fix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineReason {
    /// No valid 培训合格证书 of this class.
    NoTrainingCertificate,
    /// No valid 专业技术等级证书 of the class's occupation and level.
    NoLevelCertificate {
        occupation: OccupationCode,
        level: Level,
    },
    /// Attendance below the minimum share of the class's hours.
    AttendanceBelowMinimum { percent: u32, minimum: u32 },
    /// Sessions of the class without their recording.
    SessionWithoutRecording { sessions: u32 },
    /// No proof of the subsidy category on file.
    CategoryProofMissing,
    /// No signed commitment letter on file.
    CommitmentLetterMissing,
    /// No subsidy category, or one not subsidised on the enrolment date.
    CategoryNotSubsidised {
        category: Option<String>,
        enrolled_on: NaiveDate,
    },
    /// This person, occupation and level was already approved or paid on another claim.
    AlreadyPaid { claim_id: i64 },
    /// A higher level of the same occupation was already approved or paid.
    HigherLevelPaid { claim_id: i64, level: Level },
    /// The person's subsidised trainings of the year already reach the setting.
    YearlyLimit { year: i32, limit: u32, used: u32 },
    /// Claimed after the deadline counted from the level certificate's date.
    PastClaimDeadline { deadline: NaiveDate },
    /// A sanction excludes the person or the class from subsidy.
    ExcludedBySanction { sanction: String },
    /// A risk flag on the person or the class has not been reviewed.
    OpenRiskFlag { flags: Vec<String> },
}

impl LineReason {
    /// The stable code of the API (`reasons`) and of the claim form.
    pub fn code(&self) -> &'static str {
        match self {
            LineReason::NoTrainingCertificate => "no_training_certificate",
            LineReason::NoLevelCertificate { .. } => "no_level_certificate",
            LineReason::AttendanceBelowMinimum { .. } => "attendance_below_minimum",
            LineReason::SessionWithoutRecording { .. } => "session_without_recording",
            LineReason::CategoryProofMissing => "category_proof_missing",
            LineReason::CommitmentLetterMissing => "commitment_letter_missing",
            LineReason::CategoryNotSubsidised { .. } => "category_not_subsidised",
            LineReason::AlreadyPaid { .. } => "already_paid",
            LineReason::HigherLevelPaid { .. } => "higher_level_paid",
            LineReason::YearlyLimit { .. } => "yearly_limit",
            LineReason::PastClaimDeadline { .. } => "past_claim_deadline",
            LineReason::ExcludedBySanction { .. } => "excluded_by_sanction",
            LineReason::OpenRiskFlag { .. } => "open_risk_flag",
        }
    }

    /// Every code, in the order lines list their reasons.
    pub const CODES: [&'static str; 13] = [
        "no_training_certificate",
        "no_level_certificate",
        "attendance_below_minimum",
        "session_without_recording",
        "category_proof_missing",
        "commitment_letter_missing",
        "category_not_subsidised",
        "already_paid",
        "higher_level_paid",
        "yearly_limit",
        "past_claim_deadline",
        "excluded_by_sanction",
        "open_risk_flag",
    ];

    /// The reason in Chinese, with what would fix it where something can.
    pub fn message(&self) -> String {
        match self {
            LineReason::NoTrainingCertificate => {
                "没有本班期有效的培训合格证书：须先结业考核合格并发证".to_owned()
            }
            LineReason::NoLevelCertificate { occupation, level } => format!(
                "没有职业 {occupation} {level}的有效专业技术等级证书：须考核合格取得证书后申领"
            ),
            LineReason::AttendanceBelowMinimum { percent, minimum } => {
                format!("出勤率 {percent}% 低于要求的 {minimum}%")
            }
            LineReason::SessionWithoutRecording { sessions } => {
                format!("本班期有 {sessions} 节课没有登记全程录像：请先补登录像")
            }
            LineReason::CategoryProofMissing => {
                "缺少补贴人员类别证明材料：请在报名材料中上传".to_owned()
            }
            LineReason::CommitmentLetterMissing => {
                "缺少学员签字的承诺书：请在报名材料中上传".to_owned()
            }
            LineReason::CategoryNotSubsidised { category: None, .. } => {
                "报名时未填写补贴人员类别".to_owned()
            }
            LineReason::CategoryNotSubsidised {
                category: Some(category),
                enrolled_on,
            } => format!("补贴人员类别“{category}”在报名日 {enrolled_on} 不在补贴范围内"),
            LineReason::AlreadyPaid { claim_id } => {
                format!("同一人员、职业和等级已在第 {claim_id} 号申领中核准或发放，不得重复补贴")
            }
            LineReason::HigherLevelPaid { claim_id, level } => format!(
                "该人员同一职业的{level}已在第 {claim_id} 号申领中核准或发放，不再补贴较低等级"
            ),
            LineReason::YearlyLimit { year, limit, used } => {
                format!("该人员 {year} 年已享受 {used} 次培训补贴，每年最多 {limit} 次")
            }
            LineReason::PastClaimDeadline { deadline } => {
                format!("已过申领期限（专业技术等级证书发证后至 {deadline}）")
            }
            LineReason::ExcludedBySanction { sanction } => {
                format!("因处理决定不予补贴：{sanction}")
            }
            LineReason::OpenRiskFlag { flags } => format!(
                "有尚未核查的风险提示（{}）：须由市级核查后再申领",
                flags.join("、")
            ),
        }
    }
}

impl fmt::Display for LineReason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message())
    }
}

/// The last day a subsidy may be claimed for a level certificate dated `issued_on`: the
/// policy's `claim_deadline_months` later (SPEC: default 12 months). A date past the end of a
/// shorter month falls on its last day.
pub fn claim_deadline(issued_on: NaiveDate, policy: &Policy) -> Option<NaiveDate> {
    issued_on.checked_add_months(Months::new(policy.claim_deadline_months))
}

/// Every reason the line may not be claimed on `today`, in the order of [`LineReason::CODES`];
/// empty when it may. `policy` is the policy in force on `today`.
pub fn assess_line(facts: &LineFacts, policy: &Policy, today: NaiveDate) -> Vec<LineReason> {
    let mut reasons = Vec::new();
    if !facts
        .training_certificate
        .as_ref()
        .is_some_and(|certificate| certificate.valid)
    {
        reasons.push(LineReason::NoTrainingCertificate);
    }
    let level_certificate = facts.level_certificate.as_ref().filter(|certificate| {
        certificate.valid
            && certificate.occupation == facts.occupation
            && certificate.level == facts.level
    });
    if level_certificate.is_none() {
        reasons.push(LineReason::NoLevelCertificate {
            occupation: facts.occupation.clone(),
            level: facts.level,
        });
    }
    if !facts.ledger.meets_minimum() {
        reasons.push(LineReason::AttendanceBelowMinimum {
            percent: facts.ledger.attendance_percent(),
            minimum: facts.ledger.minimum_attendance_percent,
        });
    }
    if facts.sessions_without_recording > 0 {
        reasons.push(LineReason::SessionWithoutRecording {
            sessions: facts.sessions_without_recording,
        });
    }
    if !facts.has_category_proof {
        reasons.push(LineReason::CategoryProofMissing);
    }
    if !facts.has_commitment_letter {
        reasons.push(LineReason::CommitmentLetterMissing);
    }
    let category = facts
        .subsidy_category
        .as_deref()
        .map(str::trim)
        .filter(|category| !category.is_empty());
    if !category.is_some_and(|category| {
        facts
            .categories_subsidised_on_enrolment
            .iter()
            .any(|listed| listed == category)
    }) {
        reasons.push(LineReason::CategoryNotSubsidised {
            category: category.map(str::to_owned),
            enrolled_on: facts.enrolled_on,
        });
    }
    let same_occupation = facts
        .other_subsidies
        .iter()
        .filter(|other| other.occupation == facts.occupation);
    if let Some(same) = same_occupation
        .clone()
        .filter(|other| other.level == facts.level)
        .min_by_key(|other| other.claim_id)
    {
        reasons.push(LineReason::AlreadyPaid {
            claim_id: same.claim_id,
        });
    }
    if let Some(higher) = same_occupation
        .filter(|other| other.level > facts.level)
        .max_by_key(|other| (other.level, std::cmp::Reverse(other.claim_id)))
    {
        reasons.push(LineReason::HigherLevelPaid {
            claim_id: higher.claim_id,
            level: higher.level,
        });
    }
    let used = facts
        .other_subsidies
        .iter()
        .filter(|other| other.year == facts.class_year)
        .count();
    let used = u32::try_from(used).unwrap_or(u32::MAX);
    if used >= policy.subsidised_trainings_per_year {
        reasons.push(LineReason::YearlyLimit {
            year: facts.class_year,
            limit: policy.subsidised_trainings_per_year,
            used,
        });
    }
    if let Some(certificate) = level_certificate
        && let Some(deadline) = claim_deadline(certificate.issued_on, policy)
        && today > deadline
    {
        reasons.push(LineReason::PastClaimDeadline { deadline });
    }
    for sanction in &facts.sanctions {
        reasons.push(LineReason::ExcludedBySanction {
            sanction: sanction.clone(),
        });
    }
    if !facts.open_flags.is_empty() {
        reasons.push(LineReason::OpenRiskFlag {
            flags: facts.open_flags.clone(),
        });
    }
    reasons
}

/// The subsidy of one line (附件5): the occupation's required hours at the level times the
/// level's rate, from the reference data of the class's year.
pub fn line_amount(required_hours: u32, rate_per_hour: Fen) -> Result<Fen, MoneyOverflow> {
    subsidy_quote(required_hours, rate_per_hour)
}
