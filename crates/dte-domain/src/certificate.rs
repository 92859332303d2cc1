//! Certificates (SPEC step 7; issue 6 items 2 and 5): the two kinds, the institution's
//! numbering pattern, and the canonical form of a certificate's fields that its Ed25519
//! signature covers. Pure: the signing itself is `dte-crypto`'s, the storage `dte-store`'s.

mod canonical;
mod number;

pub use canonical::{CANONICAL_VERSION, SignedFields};
pub use number::{NumberPattern, PatternError};

use std::fmt;

/// Which certificate: the 培训合格证书 a training institution issues at the end of a class, or
/// the 专业技术等级证书 an evaluation institution issues after the level examination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CertificateKind {
    Training,
    Level,
}

/// The text is not a certificate kind.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("“{0}”不是有效的证书类别，应为 training（培训合格证书）或 level（专业技术等级证书）")]
pub struct UnknownCertificateKind(pub String);

impl CertificateKind {
    pub const ALL: [CertificateKind; 2] = [CertificateKind::Training, CertificateKind::Level];

    /// The API and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateKind::Training => "training",
            CertificateKind::Level => "level",
        }
    }

    /// Parses the API spelling.
    pub fn parse(text: &str) -> Result<CertificateKind, UnknownCertificateKind> {
        match text.trim() {
            "training" => Ok(CertificateKind::Training),
            "level" => Ok(CertificateKind::Level),
            other => Err(UnknownCertificateKind(other.to_owned())),
        }
    }

    /// The certificate's Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            CertificateKind::Training => "培训合格证书",
            CertificateKind::Level => "专业技术等级证书",
        }
    }
}

impl fmt::Display for CertificateKind {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// Whether a certificate still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CertificateStatus {
    Valid,
    Revoked,
}

impl CertificateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "valid",
            CertificateStatus::Revoked => "revoked",
        }
    }

    pub fn parse(text: &str) -> Option<CertificateStatus> {
        match text {
            "valid" => Some(CertificateStatus::Valid),
            "revoked" => Some(CertificateStatus::Revoked),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CertificateStatus::Valid => "有效",
            CertificateStatus::Revoked => "已撤销",
        }
    }
}

/// The longest revocation reason kept.
pub const REVOCATION_REASON_MAX_CHARS: usize = 200;

/// A revocation reason that is not blank and not too long.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationReason(String);

/// Why a revocation reason is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RevocationReasonError {
    #[error("请填写撤销原因")]
    Blank,
    #[error("撤销原因不能超过 {REVOCATION_REASON_MAX_CHARS} 个字")]
    TooLong,
}

impl RevocationReason {
    pub fn parse(text: &str) -> Result<RevocationReason, RevocationReasonError> {
        let text = text.trim();
        if text.is_empty() {
            Err(RevocationReasonError::Blank)
        } else if text.chars().count() > REVOCATION_REASON_MAX_CHARS {
            Err(RevocationReasonError::TooLong)
        } else {
            Ok(RevocationReason(text.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Why a certificate's issue date (发证日期) is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum IssueDateError {
    /// Before what it certifies: the class's last day (培训合格证书) or the exam (等级证书).
    #[error("发证日期不能早于{what}（{earliest}）")]
    BeforeEarliest {
        what: &'static str,
        earliest: chrono::NaiveDate,
    },
    /// A date still to come: a certificate is dated the day it is issued or earlier.
    #[error("发证日期不能晚于今天（{today}）")]
    InTheFuture { today: chrono::NaiveDate },
}

/// The earliest day a certificate of `kind` may carry, given the day its training ended (培训
/// 合格证书, 附件3: "…至…参加…培训，经考核合格，准予结业") or its level exam was held (专业技术等级
/// 证书, 三（二）: issued on the evaluation's result), and what that day is called.
pub fn check_issue_date(
    kind: CertificateKind,
    issued_on: chrono::NaiveDate,
    earliest: chrono::NaiveDate,
    today: chrono::NaiveDate,
) -> Result<(), IssueDateError> {
    let what = match kind {
        CertificateKind::Training => "培训结束日期",
        CertificateKind::Level => "考核日期",
    };
    if issued_on < earliest {
        Err(IssueDateError::BeforeEarliest { what, earliest })
    } else if issued_on > today {
        Err(IssueDateError::InTheFuture { today })
    } else {
        Ok(())
    }
}

#[cfg(test)]
#[path = "certificate/tests.rs"]
mod tests;
