//! Money in integer fen (分), and the subsidy quote of the plan's 附件5.

use serde::{Deserialize, Serialize};
use std::fmt;

/// An amount of money in fen (1 元 = 100 分). Never a float.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Fen(i64);

/// Arithmetic on money went out of range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("金额超出范围")]
pub struct MoneyOverflow;

impl Fen {
    /// Zero fen.
    pub const ZERO: Fen = Fen(0);

    /// An amount of `fen` fen.
    pub const fn new(fen: i64) -> Fen {
        Fen(fen)
    }

    /// Whole yuan as fen.
    pub const fn from_yuan(yuan: i64) -> Fen {
        Fen(yuan * 100)
    }

    /// The raw number of fen.
    pub const fn get(self) -> i64 {
        self.0
    }

    /// Adds two amounts, refusing overflow.
    pub fn checked_add(self, other: Fen) -> Result<Fen, MoneyOverflow> {
        self.0.checked_add(other.0).map(Fen).ok_or(MoneyOverflow)
    }

    /// Multiplies by a count (hours, people), refusing overflow.
    pub fn checked_mul(self, count: i64) -> Result<Fen, MoneyOverflow> {
        self.0.checked_mul(count).map(Fen).ok_or(MoneyOverflow)
    }

    /// The amount in 元 with two decimals and thousands separators, e.g. `1,600.00`.
    pub fn yuan(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let absolute = self.0.unsigned_abs();
        let grouped = group_thousands(absolute / 100);
        let cents = absolute % 100;
        format!("{sign}{grouped}.{cents:02}")
    }
}

impl fmt::Display for Fen {
    /// Shows the amount as people read it: `1,600.00 元`.
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{} 元", self.yuan())
    }
}

/// A whole number with thousands separators, as amounts and head counts are shown: `20,000`.
pub fn group_thousands(number: u64) -> String {
    let digits = number.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (position, digit) in digits.chars().enumerate() {
        if position > 0 && (digits.len() - position).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// The subsidy for one trainee (附件5): the required training hours times the hourly rate.
pub fn subsidy_quote(required_hours: u32, rate_per_hour: Fen) -> Result<Fen, MoneyOverflow> {
    rate_per_hour.checked_mul(i64::from(required_hours))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 附件5: 人工智能工程技术人员 中级 requires 80 学时 at 20 元/学时, so 1,600 元.
    #[test]
    fn subsidy_is_required_hours_times_the_rate_per_annex_5() {
        assert_eq!(subsidy_quote(80, Fen::from_yuan(20)), Ok(Fen(160_000)));
        // 附件5: 云计算工程技术人员 高级 requires 192 学时 at 25 元/学时, so 4,800 元.
        assert_eq!(subsidy_quote(192, Fen::from_yuan(25)), Ok(Fen(480_000)));
    }

    #[test]
    fn amounts_display_as_yuan_with_two_decimals() {
        assert_eq!(Fen(160_000).to_string(), "1,600.00 元");
        assert_eq!(Fen(5).yuan(), "0.05");
        assert_eq!(Fen(-123_456_789).yuan(), "-1,234,567.89");
        assert_eq!(Fen(100_000_000).yuan(), "1,000,000.00");
    }

    #[test]
    fn overflowing_money_is_refused_not_wrapped() {
        assert_eq!(Fen(i64::MAX).checked_add(Fen(1)), Err(MoneyOverflow));
        assert_eq!(
            subsidy_quote(u32::MAX, Fen(i64::MAX / 2)),
            Err(MoneyOverflow)
        );
    }
}
