//! Where a payment's money comes from (the plan's 四（一）2): 职业技能提升行动专账结余 first,
//! and only what that balance cannot cover from 就业补助资金.

use crate::money::Fen;
use std::fmt;

/// A fund a city pays subsidies from, as `GET /api/v1/payments` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FundSource {
    /// 职业技能提升行动专账结余: used first.
    SkillsUpgradingBalance,
    /// 就业补助资金: for what the balance does not cover.
    EmploymentSubsidyFund,
}

impl FundSource {
    /// In the order the plan uses them.
    pub const ALL: [FundSource; 2] = [
        FundSource::SkillsUpgradingBalance,
        FundSource::EmploymentSubsidyFund,
    ];

    /// The API and database spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            FundSource::SkillsUpgradingBalance => "skills_upgrading_balance",
            FundSource::EmploymentSubsidyFund => "employment_subsidy_fund",
        }
    }

    /// Parses the API spelling.
    pub fn parse(text: &str) -> Option<FundSource> {
        FundSource::ALL
            .into_iter()
            .find(|source| source.as_str() == text.trim())
    }

    /// The fund's Chinese name.
    pub fn label(self) -> &'static str {
        match self {
            FundSource::SkillsUpgradingBalance => "职业技能提升行动专账结余",
            FundSource::EmploymentSubsidyFund => "就业补助资金",
        }
    }
}

impl fmt::Display for FundSource {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// What a city's fund accounts hold for a year: allocations less payments, plus recoveries,
/// as the sum of their entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundBalances {
    pub skills_upgrading_balance: Fen,
    pub employment_subsidy_fund: Fen,
}

impl FundBalances {
    /// The balance of one source.
    pub fn of(&self, source: FundSource) -> Fen {
        match source {
            FundSource::SkillsUpgradingBalance => self.skills_upgrading_balance,
            FundSource::EmploymentSubsidyFund => self.employment_subsidy_fund,
        }
    }
}

/// The part of a payment taken from one source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaymentShare {
    pub source: FundSource,
    pub amount: Fen,
}

/// No source can cover the payment: `shortfall` is what is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("资金余额不足：本次拨付 {amount}，两项资金合计可用 {available}，还差 {shortfall}")]
pub struct Shortfall {
    pub amount: Fen,
    pub available: Fen,
    pub shortfall: Fen,
}

/// Splits a payment of `amount` between the sources by the plan's rule (四（一）2): the
/// skills-upgrading balance while it covers it, the rest from the employment subsidy fund; one
/// share when one source suffices, two when the payment is split. A negative balance counts
/// as empty; an amount no source can cover is refused with the shortfall.
pub fn split_payment(amount: Fen, balances: &FundBalances) -> Result<Vec<PaymentShare>, Shortfall> {
    let mut shares = Vec::new();
    let mut rest = amount.get().max(0);
    let mut available = 0i64;
    for source in FundSource::ALL {
        let balance = balances.of(source).get().max(0);
        available = available.saturating_add(balance);
        let taken = rest.min(balance);
        if taken > 0 {
            shares.push(PaymentShare {
                source,
                amount: Fen::new(taken),
            });
            rest -= taken;
        }
    }
    if rest > 0 {
        return Err(Shortfall {
            amount,
            available: Fen::new(available),
            shortfall: Fen::new(rest),
        });
    }
    Ok(shares)
}
