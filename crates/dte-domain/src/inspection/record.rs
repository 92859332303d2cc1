//! The vocabulary of an inspection (issue 14 item 4): its target (an institution or a class,
//! published as `institution:12` or `class:34`), its method (现场检查 or 调阅资料), each
//! checklist item's outcome, the checks on what a city types, and the sign-off by two of the
//! inspectors assigned to it, after which its result is published.

use std::fmt;

/// What an inspection target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TargetKind {
    /// A training institution with classes in the region.
    Institution,
    /// A class (班期) of the region.
    Class,
}

/// An inspection target: the id a draw publishes it under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Target {
    pub kind: TargetKind,
    pub id: i64,
}

/// The text is not a target id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("检查对象应写作 institution:编号 或 class:编号")]
pub struct TargetError;

impl Target {
    /// An institution as a target.
    pub fn institution(id: i64) -> Target {
        Target {
            kind: TargetKind::Institution,
            id,
        }
    }

    /// A class as a target.
    pub fn class(id: i64) -> Target {
        Target {
            kind: TargetKind::Class,
            id,
        }
    }

    /// Parses `institution:12` or `class:34`.
    pub fn parse(text: &str) -> Result<Target, TargetError> {
        let (kind, id) = text.trim().split_once(':').ok_or(TargetError)?;
        let kind = match kind {
            "institution" => TargetKind::Institution,
            "class" => TargetKind::Class,
            _ => return Err(TargetError),
        };
        let number: i64 = id.parse().map_err(|_| TargetError)?;
        // Only the canonical form (`class:34`, not `class:034` or `class:+34`), so one target
        // has one id.
        if number <= 0 || number.to_string() != id {
            return Err(TargetError);
        }
        Ok(Target { kind, id: number })
    }
}

/// `institution:12`, `class:34`: the candidate id of the draws.
impl fmt::Display for Target {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            TargetKind::Institution => "institution",
            TargetKind::Class => "class",
        };
        write!(formatter, "{kind}:{}", self.id)
    }
}

/// How an inspection is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InspectionMethod {
    /// 现场检查.
    OnSite,
    /// 调阅资料.
    Documents,
}

impl InspectionMethod {
    pub const ALL: [InspectionMethod; 2] = [InspectionMethod::OnSite, InspectionMethod::Documents];

    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            InspectionMethod::OnSite => "on_site",
            InspectionMethod::Documents => "documents",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            InspectionMethod::OnSite => "现场检查",
            InspectionMethod::Documents => "调阅资料",
        }
    }

    /// Parses the stable code.
    pub fn parse(text: &str) -> Option<InspectionMethod> {
        InspectionMethod::ALL
            .into_iter()
            .find(|method| method.as_str() == text.trim())
    }
}

/// A checklist item's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemOutcome {
    Passed,
    Failed,
}

impl ItemOutcome {
    /// The stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemOutcome::Passed => "passed",
            ItemOutcome::Failed => "failed",
        }
    }

    /// The Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            ItemOutcome::Passed => "合格",
            ItemOutcome::Failed => "不合格",
        }
    }

    /// Parses the stable code.
    pub fn parse(text: &str) -> Option<ItemOutcome> {
        [ItemOutcome::Passed, ItemOutcome::Failed]
            .into_iter()
            .find(|outcome| outcome.as_str() == text.trim())
    }
}

/// A text a city typed that cannot be kept.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    #[error("{label}不能为空")]
    Empty {
        field: &'static str,
        label: &'static str,
    },
    #[error("{label}不能超过 {max} 个字")]
    TooLong {
        field: &'static str,
        label: &'static str,
        max: usize,
    },
}

impl RecordError {
    /// The API field at fault.
    pub fn field(&self) -> &'static str {
        match self {
            RecordError::Empty { field, .. } | RecordError::TooLong { field, .. } => field,
        }
    }
}

/// The trimmed `text` of the field `field` (`label` in Chinese), required and at most `max`
/// characters.
pub fn check_text(
    field: &'static str,
    label: &'static str,
    text: &str,
    max: usize,
) -> Result<String, RecordError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(RecordError::Empty { field, label });
    }
    if text.chars().count() > max {
        return Err(RecordError::TooLong { field, label, max });
    }
    Ok(text.to_owned())
}

/// Why an account may not sign an inspection off.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SignOffError {
    #[error("只有被指派的检查人员可以签字确认")]
    NotAssigned,
    #[error("同一检查人员不能签字两次，须由另一名检查人员签字确认")]
    AlreadySigned,
    #[error("检查已由两名检查人员签字确认")]
    Complete,
    #[error("还有 {0} 个检查事项未录入结果")]
    ResultsMissing(usize),
}

impl SignOffError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            SignOffError::NotAssigned => "not_assigned_inspector",
            SignOffError::AlreadySigned => "same_inspector",
            SignOffError::Complete => "already_signed_off",
            SignOffError::ResultsMissing(_) => "results_missing",
        }
    }
}

/// Whether `signer` may sign off an inspection assigned to `assigned`, already signed by
/// `signed`, with `items_without_result` checklist items still open. The second signature
/// completes it (and publishes its result).
pub fn check_sign_off(
    assigned: &[i64],
    signed: &[i64],
    signer: i64,
    items_without_result: usize,
) -> Result<(), SignOffError> {
    if signed.len() >= super::INSPECTORS_PER_TARGET {
        return Err(SignOffError::Complete);
    }
    if !assigned.contains(&signer) {
        return Err(SignOffError::NotAssigned);
    }
    if signed.contains(&signer) {
        return Err(SignOffError::AlreadySigned);
    }
    if items_without_result > 0 {
        return Err(SignOffError::ResultsMissing(items_without_result));
    }
    Ok(())
}
