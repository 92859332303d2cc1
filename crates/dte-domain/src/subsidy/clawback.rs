//! Recovering money paid for a violation (追回; the plan's 五（一）: 已发放的由培训机构负责追回).
//! A case's amount is exactly what was paid for its lines; recoveries are recorded until it is
//! recovered, or the rest is written off by a second account with a reason.

use crate::money::Fen;
use std::fmt;

/// A clawback case's state, as `GET /api/v1/clawbacks` answers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ClawbackStatus {
    Open,
    PartlyRecovered,
    Recovered,
    WrittenOff,
}

impl ClawbackStatus {
    pub const ALL: [ClawbackStatus; 4] = [
        ClawbackStatus::Open,
        ClawbackStatus::PartlyRecovered,
        ClawbackStatus::Recovered,
        ClawbackStatus::WrittenOff,
    ];

    /// The API and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ClawbackStatus::Open => "open",
            ClawbackStatus::PartlyRecovered => "partly_recovered",
            ClawbackStatus::Recovered => "recovered",
            ClawbackStatus::WrittenOff => "written_off",
        }
    }

    /// Parses the API spelling.
    pub fn parse(text: &str) -> Option<ClawbackStatus> {
        ClawbackStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == text.trim())
    }

    /// The state in Chinese.
    pub fn label(self) -> &'static str {
        match self {
            ClawbackStatus::Open => "待追回",
            ClawbackStatus::PartlyRecovered => "部分追回",
            ClawbackStatus::Recovered => "已追回",
            ClawbackStatus::WrittenOff => "已核销",
        }
    }

    /// The state of a case of `amount` once `recovered` has come back.
    pub fn of(amount: Fen, recovered: Fen) -> ClawbackStatus {
        if recovered >= amount {
            ClawbackStatus::Recovered
        } else if recovered > Fen::ZERO {
            ClawbackStatus::PartlyRecovered
        } else {
            ClawbackStatus::Open
        }
    }

    /// Whether the case is closed (nothing more is recorded on it).
    pub fn closed(self) -> bool {
        matches!(self, ClawbackStatus::Recovered | ClawbackStatus::WrittenOff)
    }
}

impl fmt::Display for ClawbackStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// Why a recovery or a write-off is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClawbackRefusal {
    #[error("追回金额须大于 0")]
    NotPositive,
    #[error("本次追回 {amount} 超过尚未追回的 {outstanding}")]
    MoreThanOutstanding { amount: Fen, outstanding: Fen },
    #[error("该追回案件已{status}，不能再登记")]
    Closed { status: ClawbackStatus },
    #[error("核销须由立案以外的另一名账号办理")]
    SameAccount,
    #[error("核销须写明原因（2 至 500 字）")]
    ReasonRequired,
}

impl ClawbackRefusal {
    /// The stable code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            ClawbackRefusal::NotPositive => "amount_not_positive",
            ClawbackRefusal::MoreThanOutstanding { .. } => "more_than_outstanding",
            ClawbackRefusal::Closed { .. } => "clawback_closed",
            ClawbackRefusal::SameAccount => "same_account",
            ClawbackRefusal::ReasonRequired => "reason_required",
        }
    }
}

/// A recovery of `amount` on a case of `case_amount` of which `recovered` came back already:
/// positive, never beyond what is outstanding, on an open case. Answers the case's new state.
pub fn check_recovery(
    case_amount: Fen,
    recovered: Fen,
    status: ClawbackStatus,
    amount: Fen,
) -> Result<ClawbackStatus, ClawbackRefusal> {
    if status.closed() {
        return Err(ClawbackRefusal::Closed { status });
    }
    if amount <= Fen::ZERO {
        return Err(ClawbackRefusal::NotPositive);
    }
    let outstanding = Fen::new(case_amount.get().saturating_sub(recovered.get()));
    if amount > outstanding {
        return Err(ClawbackRefusal::MoreThanOutstanding {
            amount,
            outstanding,
        });
    }
    Ok(ClawbackStatus::of(
        case_amount,
        Fen::new(recovered.get().saturating_add(amount.get())),
    ))
}

/// Writing off what is outstanding needs a reason and an account other than the one that
/// opened the case (issue 13 item 5).
pub fn check_write_off(
    opened_by: i64,
    by: i64,
    status: ClawbackStatus,
    reason: &str,
) -> Result<(), ClawbackRefusal> {
    if status.closed() {
        return Err(ClawbackRefusal::Closed { status });
    }
    if opened_by == by {
        return Err(ClawbackRefusal::SameAccount);
    }
    if !(2..=500).contains(&reason.trim().chars().count()) {
        return Err(ClawbackRefusal::ReasonRequired);
    }
    Ok(())
}
