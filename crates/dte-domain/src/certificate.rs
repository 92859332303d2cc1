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

#[cfg(test)]
#[path = "certificate/tests.rs"]
mod tests;
