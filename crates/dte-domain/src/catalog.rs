//! The managed catalogs (两目录): where an institution stands on a date, from its history.
//!
//! The plan's 六（一）: 两目录 (附件1 training institutions, 附件6 evaluation institutions)
//! 实行动态管理. The province adds institutions, lists and unlists them per occupation, suspends
//! them (from a date, with a reason) and lifts the suspension, or removes them. Nothing is
//! edited in place: every change is a row with the day it takes effect, and the standing on a
//! day is read from the rows in force then ([`status_on`], [`listed_on`], [`standing_on`]) —
//! the one place the rule lives. A suspended or removed institution opens no class
//! (`class_rules`), enrols no one (`eligibility`), gets no exam plan (`evaluation`) and is paid
//! no claim (`subsidy::check_payee`); classes already running finish.

use crate::OccupationCode;
use crate::class_rules::InstitutionStanding;
use chrono::NaiveDate;
use std::fmt;

/// An institution's status in the catalog (SPEC step 1: active / suspended / removed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum InstitutionStatus {
    Active,
    Suspended,
    Removed,
}

/// One change of an institution's status: the new status, from which day, and its order of
/// entry (two changes effective on one day: the later entered wins).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusChange {
    pub sequence: i64,
    pub status: InstitutionStatus,
    pub effective_from: NaiveDate,
}

/// One change of a listing: listed for (or unlisted from) an occupation from a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingChange {
    pub sequence: i64,
    pub occupation: OccupationCode,
    pub listed: bool,
    pub effective_from: NaiveDate,
}

/// What the province asks to do to an institution's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusAction {
    /// 暂停: from a day, with a reason.
    Suspend,
    /// 恢复: lift a suspension.
    Lift,
    /// 移出目录: final.
    Remove,
}

/// Why a catalog change is refused: a stable code, the field at fault and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CatalogRefusal {
    pub field: &'static str,
    pub code: &'static str,
    pub message: String,
}

/// The longest reason kept with a change, in characters.
pub const REASON_MAX_CHARS: usize = 500;

impl InstitutionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionStatus::Active => "active",
            InstitutionStatus::Suspended => "suspended",
            InstitutionStatus::Removed => "removed",
        }
    }

    pub fn parse(text: &str) -> Option<InstitutionStatus> {
        [
            InstitutionStatus::Active,
            InstitutionStatus::Suspended,
            InstitutionStatus::Removed,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// The Chinese name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            InstitutionStatus::Active => "正常",
            InstitutionStatus::Suspended => "暂停",
            InstitutionStatus::Removed => "已移出目录",
        }
    }
}

impl fmt::Display for InstitutionStatus {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

impl StatusAction {
    pub fn as_str(self) -> &'static str {
        match self {
            StatusAction::Suspend => "suspend",
            StatusAction::Lift => "lift",
            StatusAction::Remove => "remove",
        }
    }

    pub fn parse(text: &str) -> Option<StatusAction> {
        [
            StatusAction::Suspend,
            StatusAction::Lift,
            StatusAction::Remove,
        ]
        .into_iter()
        .find(|action| action.as_str() == text)
    }

    pub fn label(self) -> &'static str {
        match self {
            StatusAction::Suspend => "暂停",
            StatusAction::Lift => "恢复",
            StatusAction::Remove => "移出目录",
        }
    }

    /// The status the institution has once the action takes effect.
    pub fn target(self) -> InstitutionStatus {
        match self {
            StatusAction::Suspend => InstitutionStatus::Suspended,
            StatusAction::Lift => InstitutionStatus::Active,
            StatusAction::Remove => InstitutionStatus::Removed,
        }
    }
}

/// The change in force on `date` among `changes`: the latest effective on or before it, the
/// later entered of two on one day.
fn in_force<'a, T>(
    changes: impl Iterator<Item = &'a T>,
    date: NaiveDate,
    key: impl Fn(&T) -> (NaiveDate, i64),
) -> Option<&'a T>
where
    T: 'a,
{
    changes
        .filter(|change| key(change).0 <= date)
        .max_by_key(|change| key(change))
}

/// The status on `date`: the latest change in force then; active without any (the catalog as
/// the reference data loaded it).
pub fn status_on(changes: &[StatusChange], date: NaiveDate) -> InstitutionStatus {
    in_force(changes.iter(), date, |change| {
        (change.effective_from, change.sequence)
    })
    .map_or(InstitutionStatus::Active, |change| change.status)
}

/// Whether the institution is listed for `occupation` on `date`. `loaded` says whether the
/// reference data listed it (附件1 or 附件6). A listing the province made starts with a
/// "listed" change, so before it the occupation is unlisted; a loaded one can only be unlisted
/// first, so before its first change it stands as loaded.
pub fn listed_on(
    loaded: bool,
    changes: &[ListingChange],
    occupation: &OccupationCode,
    date: NaiveDate,
) -> bool {
    let of_occupation = || {
        changes
            .iter()
            .filter(move |change| change.occupation == *occupation)
    };
    if let Some(change) = in_force(of_occupation(), date, |change| {
        (change.effective_from, change.sequence)
    }) {
        return change.listed;
    }
    let first = of_occupation().min_by_key(|change| (change.effective_from, change.sequence));
    loaded && first.is_none_or(|change| !change.listed)
}

/// Where the institution stands for `occupation` on `date`: active (neither suspended nor
/// removed) and listed for it. The class, enrolment, exam-plan and payment rules read this.
pub fn standing_on(
    statuses: &[StatusChange],
    loaded: bool,
    listings: &[ListingChange],
    occupation: &OccupationCode,
    date: NaiveDate,
) -> InstitutionStanding {
    InstitutionStanding {
        active: status_on(statuses, date) == InstitutionStatus::Active,
        listed_for_occupation: listed_on(loaded, listings, occupation, date),
    }
}

/// A reason for a change: 2 to [`REASON_MAX_CHARS`] characters, trimmed.
pub fn check_reason(reason: &str) -> Result<String, CatalogRefusal> {
    let reason = reason.trim();
    let count = reason.chars().count();
    if (2..=REASON_MAX_CHARS).contains(&count) && !reason.chars().any(char::is_control) {
        Ok(reason.to_owned())
    } else {
        Err(CatalogRefusal {
            field: "reason",
            code: "reason_required",
            message: format!("请写明理由（2 至 {REASON_MAX_CHARS} 字）"),
        })
    }
}

/// A change takes effect no earlier than today (history is not rewritten: what was decided on
/// the catalog of a past day stays decided) and no earlier than the latest change already
/// recorded, so the history reads in order.
fn check_effective(
    effective_from: NaiveDate,
    latest: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), CatalogRefusal> {
    if effective_from < today {
        return Err(CatalogRefusal {
            field: "effective_from",
            code: "effective_in_past",
            message: format!("生效日期 {effective_from} 早于今天（{today}），不能追溯变更目录"),
        });
    }
    if let Some(latest) = latest
        && effective_from < latest
    {
        return Err(CatalogRefusal {
            field: "effective_from",
            code: "effective_before_latest",
            message: format!(
                "生效日期 {effective_from} 早于已登记的最近一次变更（{latest} 生效），请按时间顺序登记"
            ),
        });
    }
    Ok(())
}

/// Whether the province may take `action` on an institution with this history, effective from
/// `effective_from`: suspend an active one, lift a suspension, remove one not yet removed
/// (removal is final). The status judged is the one on the effective day.
pub fn check_status_change(
    changes: &[StatusChange],
    action: StatusAction,
    effective_from: NaiveDate,
    today: NaiveDate,
) -> Result<(), CatalogRefusal> {
    let latest = changes.iter().map(|change| change.effective_from).max();
    check_effective(effective_from, latest, today)?;
    let current = status_on(changes, effective_from);
    let allowed = match action {
        StatusAction::Suspend => current == InstitutionStatus::Active,
        StatusAction::Lift => current == InstitutionStatus::Suspended,
        StatusAction::Remove => current != InstitutionStatus::Removed,
    };
    if allowed {
        return Ok(());
    }
    Err(CatalogRefusal {
        field: "action",
        code: "invalid_status_change",
        message: format!(
            "机构在 {effective_from} 的状态为“{}”，不能{}",
            current.label(),
            action.label()
        ),
    })
}

/// Whether the province may list (`listed`) or unlist the institution for `occupation` from
/// `effective_from`: not a removed institution, not listed twice nor unlisted when not listed.
pub fn check_listing_change(
    statuses: &[StatusChange],
    loaded: bool,
    listings: &[ListingChange],
    occupation: &OccupationCode,
    listed: bool,
    effective_from: NaiveDate,
    today: NaiveDate,
) -> Result<(), CatalogRefusal> {
    let latest = listings
        .iter()
        .filter(|change| change.occupation == *occupation)
        .map(|change| change.effective_from)
        .max();
    check_effective(effective_from, latest, today)?;
    if status_on(statuses, effective_from) == InstitutionStatus::Removed {
        return Err(CatalogRefusal {
            field: "institution",
            code: "institution_removed",
            message: "机构已移出目录，不能再列入或调整职业".to_owned(),
        });
    }
    let now = listed_on(loaded, listings, occupation, effective_from);
    match (now, listed) {
        (true, true) => Err(CatalogRefusal {
            field: "occupation",
            code: "already_listed",
            message: format!("机构在 {effective_from} 已列入职业 {occupation} 的目录"),
        }),
        (false, false) => Err(CatalogRefusal {
            field: "occupation",
            code: "not_listed",
            message: format!("机构在 {effective_from} 未列入职业 {occupation} 的目录，无需移出"),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests;
