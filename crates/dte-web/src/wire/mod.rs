//! JSON wire types of the API, with explicit conversions from the store's rows. Only this
//! module decides how DTE's data looks on the wire; the OpenAPI schemas come from here.

use dte_domain::Level;
use dte_store::{
    InstitutionRow, LevelRow, OccupationRow, RegionRow, SettingRow, SubsidyCategoryRow,
};
use serde::Serialize;
use utoipa::ToSchema;

/// A collection: the items of this page and the cursor of the next (null on the last page).
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// Add `cursor=<next>` to the same URL for the next page; null when there is none.
    pub next: Option<String>,
}

impl<T> Page<T> {
    /// A collection that fits on one page.
    pub fn complete(items: Vec<T>) -> Page<T> {
        Page { items, next: None }
    }
}

/// An occupation of 附件5 with its required hours and subsidy per level.
#[derive(Debug, Serialize, ToSchema)]
pub struct Occupation {
    /// 职业大典 code, e.g. `2-02-10-11`.
    pub code: String,
    /// e.g. 大数据工程技术人员.
    pub name: String,
    pub levels: OccupationLevels,
    /// The catalog year these figures are for.
    pub year: i32,
}

/// The three levels of an occupation.
#[derive(Debug, Serialize, ToSchema)]
pub struct OccupationLevels {
    pub junior: OccupationLevel,
    pub intermediate: OccupationLevel,
    pub senior: OccupationLevel,
}

/// One level: required hours, rate and the resulting subsidy, money in fen.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
pub struct OccupationLevel {
    /// 学时要求.
    pub hours: u32,
    /// 补贴标准 in fen per hour (1000 = 10 元/学时).
    pub rate_fen_per_hour: i64,
    /// hours × rate, in fen.
    pub subsidy_fen: i64,
}

/// A region (14 cities and 沈抚示范区) with its quota for the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Region {
    /// e.g. 沈阳.
    pub name: String,
    /// e.g. 沈阳市.
    pub full_name: String,
    /// GB/T 2260 code; null for 沈抚示范区.
    pub division_code: Option<String>,
    /// 培育名额 for the year.
    pub quota: u32,
    pub year: i32,
}

/// A listed training or evaluation institution.
#[derive(Debug, Serialize, ToSchema)]
pub struct Institution {
    pub id: i64,
    pub name: String,
    /// `training` (附件1) or `evaluation` (附件6).
    pub kind: String,
    /// The contact the plan publishes, e.g. 田老师.
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub occupations: Vec<InstitutionListing>,
}

/// An occupation an institution is listed for, and the listing's status.
#[derive(Debug, Serialize, ToSchema)]
pub struct InstitutionListing {
    pub code: String,
    pub name: String,
    /// `active` or `suspended`.
    pub status: String,
}

/// A policy setting in force today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Setting {
    pub key: String,
    pub label: String,
    pub value: i64,
    pub effective_from: chrono::NaiveDate,
}

/// A subsidised category in force today.
#[derive(Debug, Serialize, ToSchema)]
pub struct SubsidyCategory {
    pub code: String,
    pub name: String,
    pub proof: String,
    pub enabled: bool,
    pub effective_from: chrono::NaiveDate,
}

/// The policy in force today: settings and subsidised categories.
#[derive(Debug, Serialize, ToSchema)]
pub struct Policy {
    pub date: chrono::NaiveDate,
    pub settings: Vec<Setting>,
    pub subsidy_categories: Vec<SubsidyCategory>,
}

impl Occupation {
    /// Converts a stored occupation; an error naming it when a level is missing from the store
    /// or its subsidy does not fit in fen.
    pub fn from_row(row: &OccupationRow, year: i32) -> Result<Occupation, String> {
        let level = |wanted: Level| {
            let stored = row
                .levels
                .iter()
                .find(|level| level.level == wanted)
                .ok_or_else(|| format!("occupation {} lacks the level {wanted:?}", row.code))?;
            OccupationLevel::try_from(stored)
                .map_err(|error| format!("occupation {} at {wanted:?}: {error}", row.code))
        };
        Ok(Occupation {
            code: row.code.to_string(),
            name: row.name.clone(),
            levels: OccupationLevels {
                junior: level(Level::Junior)?,
                intermediate: level(Level::Intermediate)?,
                senior: level(Level::Senior)?,
            },
            year,
        })
    }
}

impl TryFrom<&LevelRow> for OccupationLevel {
    type Error = dte_domain::money::MoneyOverflow;

    /// The level with its subsidy (附件5: hours × rate); a subsidy beyond what fen can hold
    /// is an error, never a made-up maximum.
    fn try_from(row: &LevelRow) -> Result<OccupationLevel, dte_domain::money::MoneyOverflow> {
        Ok(OccupationLevel {
            hours: row.hours,
            rate_fen_per_hour: row.rate_per_hour.get(),
            subsidy_fen: dte_domain::subsidy_quote(row.hours, row.rate_per_hour)?.get(),
        })
    }
}

impl Region {
    pub fn from_row(row: RegionRow, year: i32) -> Region {
        Region {
            name: row.name,
            full_name: row.full_name,
            division_code: row.division_code,
            quota: row.quota,
            year,
        }
    }
}

impl From<InstitutionRow> for Institution {
    fn from(row: InstitutionRow) -> Institution {
        Institution {
            id: row.id,
            name: row.name,
            kind: row.kind.as_str().to_owned(),
            contact_person: row.contact_person,
            contact_phone: row.contact_phone,
            occupations: row
                .listings
                .into_iter()
                .map(|listing| InstitutionListing {
                    code: listing.occupation_code.to_string(),
                    name: listing.occupation_name,
                    status: listing.status,
                })
                .collect(),
        }
    }
}

impl From<SettingRow> for Setting {
    fn from(row: SettingRow) -> Setting {
        Setting {
            key: row.key.as_str().to_owned(),
            label: row.key.label().to_owned(),
            value: row.value,
            effective_from: row.effective_from,
        }
    }
}

impl From<SubsidyCategoryRow> for SubsidyCategory {
    fn from(row: SubsidyCategoryRow) -> SubsidyCategory {
        SubsidyCategory {
            code: row.code,
            name: row.name,
            proof: row.proof,
            enabled: row.enabled,
            effective_from: row.effective_from,
        }
    }
}

mod attendance;
mod certificates;
mod classes;
mod flags;
pub use attendance::{CorrectionCreated, Ledger, LedgerLine};
pub use certificates::{CertificateItem, CompletionLine, CompletionReason};
pub use classes::{ClassDetail, ClassSummary, QuotaLine, RosterLine};
pub use flags::{FlagEvidence, FlagItem, FlagPerson, FlagReview};
