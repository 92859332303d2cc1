//! The plan's reference data (附件1, 5, 6 and 7 and the policy settings of SPEC.md) as typed
//! records, parsed and checked from the yearly data files under `data/reference/`.
//!
//! The files are data, not code: a new year is a new file, and the province edits loaded
//! values in the database later. This module only parses text handed to it.

use crate::calendar::{CalendarDay, CalendarError, WorkingCalendar, check_year};
use crate::policy::{Policy, PolicyError};
use crate::{Fen, Level, OccupationCode};
use chrono::NaiveDate;
use serde::Deserialize;
use std::collections::BTreeSet;

/// The data files shipped with DTE, by year, embedded at build time.
pub const BUNDLED: &[(i32, &str)] = &[(2026, include_str!("../../../../data/reference/2026.toml"))];

/// One year of reference data.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReferenceData {
    pub year: i32,
    pub source: String,
    pub rates: Rates,
    pub occupations: Vec<Occupation>,
    pub institutions: Vec<Institution>,
    pub training_lists: Vec<Listing>,
    pub evaluation_lists: Vec<Listing>,
    pub regions: Vec<Region>,
    pub settings: Vec<Setting>,
    pub subsidy_categories: Vec<SubsidyCategory>,
    /// The year's holiday calendar (放假调休): every holiday day off and adjusted working day.
    /// A file without one leaves its year counted Monday to Friday.
    #[serde(default)]
    pub calendar: Vec<CalendarDay>,
}

/// 附件5: the subsidy rate per training hour for each level, in fen.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rates {
    pub junior_fen_per_hour: i64,
    pub intermediate_fen_per_hour: i64,
    pub senior_fen_per_hour: i64,
}

/// 附件5: an occupation with its code and required training hours per level.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Occupation {
    pub code: OccupationCode,
    pub name: String,
    pub hours: LevelHours,
}

/// Required training hours (学时要求) per level.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelHours {
    pub junior: u32,
    pub intermediate: u32,
    pub senior: u32,
}

/// What an institution does in the project.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InstitutionKind {
    /// 培训机构 (附件1).
    Training,
    /// 评价机构 (附件6).
    Evaluation,
}

/// A training or evaluation institution with the contact the plan publishes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Institution {
    pub name: String,
    pub kind: InstitutionKind,
    #[serde(default)]
    pub contact_person: Option<String>,
    #[serde(default)]
    pub contact_phone: Option<String>,
}

/// One occupation's list of institutions, in the plan's order.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Listing {
    pub occupation: OccupationCode,
    pub institutions: Vec<String>,
}

/// 附件7: a region (14 cities and 沈抚示范区) and its annual quota (培育名额).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Region {
    pub name: String,
    pub full_name: String,
    /// The GB/T 2260 code; 沈抚示范区 has none of its own.
    #[serde(default)]
    pub division_code: Option<String>,
    pub quota: u32,
}

/// A policy setting the plan leaves to other rules, with the date it takes effect.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Setting {
    pub key: SettingKey,
    pub value: i64,
    pub effective_from: NaiveDate,
}

/// A subsidised category (六类人员, 辽财社〔2019〕276号) and the proof it needs.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubsidyCategory {
    pub code: String,
    pub name: String,
    pub proof: String,
    pub enabled: bool,
    pub effective_from: NaiveDate,
}

/// The policy settings DTE knows. Each is data with an effective date, never a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SettingKey {
    SubsidisedTrainingsPerYear,
    ClaimDeadlineMonths,
    ClassApplicationLeadDays,
    CityReviewWorkingDays,
    PublicNoticeWorkingDays,
    RecordingRetentionYears,
    MinimumAttendancePercent,
    OnlineShareMaxPercent,
    TheoryPassMark,
    AbilityPassMark,
    InspectionRateHighPercent,
    InspectionRateMediumPercent,
    InspectionRateLowPercent,
    InspectionWeightHigh,
    InspectionWeightMedium,
    InspectionWeightLow,
    InspectionTierHighPoints,
    InspectionTierMediumPoints,
    InspectionComplaintPoints,
    InspectionFindingPoints,
    BlacklistMonths,
}

impl SettingKey {
    /// Every setting, in the order the province admin sees them.
    pub const ALL: [SettingKey; 21] = [
        SettingKey::SubsidisedTrainingsPerYear,
        SettingKey::ClaimDeadlineMonths,
        SettingKey::ClassApplicationLeadDays,
        SettingKey::CityReviewWorkingDays,
        SettingKey::PublicNoticeWorkingDays,
        SettingKey::RecordingRetentionYears,
        SettingKey::MinimumAttendancePercent,
        SettingKey::OnlineShareMaxPercent,
        SettingKey::TheoryPassMark,
        SettingKey::AbilityPassMark,
        SettingKey::InspectionRateHighPercent,
        SettingKey::InspectionRateMediumPercent,
        SettingKey::InspectionRateLowPercent,
        SettingKey::InspectionWeightHigh,
        SettingKey::InspectionWeightMedium,
        SettingKey::InspectionWeightLow,
        SettingKey::InspectionTierHighPoints,
        SettingKey::InspectionTierMediumPoints,
        SettingKey::InspectionComplaintPoints,
        SettingKey::InspectionFindingPoints,
        SettingKey::BlacklistMonths,
    ];

    /// The setting's position in [`SettingKey::ALL`] (the variants are declared in that order).
    pub fn index(self) -> usize {
        self as usize
    }

    /// The stable key stored in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            SettingKey::SubsidisedTrainingsPerYear => "subsidised_trainings_per_year",
            SettingKey::ClaimDeadlineMonths => "claim_deadline_months",
            SettingKey::ClassApplicationLeadDays => "class_application_lead_days",
            SettingKey::CityReviewWorkingDays => "city_review_working_days",
            SettingKey::PublicNoticeWorkingDays => "public_notice_working_days",
            SettingKey::RecordingRetentionYears => "recording_retention_years",
            SettingKey::MinimumAttendancePercent => "minimum_attendance_percent",
            SettingKey::OnlineShareMaxPercent => "online_share_max_percent",
            SettingKey::TheoryPassMark => "theory_pass_mark",
            SettingKey::AbilityPassMark => "ability_pass_mark",
            SettingKey::InspectionRateHighPercent => "inspection_rate_high_percent",
            SettingKey::InspectionRateMediumPercent => "inspection_rate_medium_percent",
            SettingKey::InspectionRateLowPercent => "inspection_rate_low_percent",
            SettingKey::InspectionWeightHigh => "inspection_weight_high",
            SettingKey::InspectionWeightMedium => "inspection_weight_medium",
            SettingKey::InspectionWeightLow => "inspection_weight_low",
            SettingKey::InspectionTierHighPoints => "inspection_tier_high_points",
            SettingKey::InspectionTierMediumPoints => "inspection_tier_medium_points",
            SettingKey::InspectionComplaintPoints => "inspection_complaint_points",
            SettingKey::InspectionFindingPoints => "inspection_finding_points",
            SettingKey::BlacklistMonths => "blacklist_months",
        }
    }

    /// Parses a stored key.
    pub fn parse(text: &str) -> Option<SettingKey> {
        SettingKey::ALL.into_iter().find(|key| key.as_str() == text)
    }

    /// What the setting means, in Chinese, with its unit.
    pub fn label(self) -> &'static str {
        match self {
            SettingKey::SubsidisedTrainingsPerYear => "每人每年可享受补贴培训次数",
            SettingKey::ClaimDeadlineMonths => "补贴申领期限（取得等级证书后，月）",
            SettingKey::ClassApplicationLeadDays => "开班申请提前天数（开班前，天）",
            SettingKey::CityReviewWorkingDays => "市级审核时限（工作日）",
            SettingKey::PublicNoticeWorkingDays => "拨付前公示期（工作日）",
            SettingKey::RecordingRetentionYears => "培训录像保存期限（年）",
            SettingKey::MinimumAttendancePercent => "结业最低出勤率（%）",
            SettingKey::OnlineShareMaxPercent => "线上学时占总学时上限（%）",
            SettingKey::TheoryPassMark => "理论知识考核合格分（百分制）",
            SettingKey::AbilityPassMark => "专业能力考核合格分（百分制）",
            SettingKey::InspectionRateHighPercent => "抽查比例：高风险对象（%）",
            SettingKey::InspectionRateMediumPercent => "抽查比例：中风险对象（%）",
            SettingKey::InspectionRateLowPercent => "抽查比例：低风险对象（%）",
            SettingKey::InspectionWeightHigh => "抽取权重：高风险对象",
            SettingKey::InspectionWeightMedium => "抽取权重：中风险对象",
            SettingKey::InspectionWeightLow => "抽取权重：低风险对象",
            SettingKey::InspectionTierHighPoints => "高风险等级起点（风险分）",
            SettingKey::InspectionTierMediumPoints => "中风险等级起点（风险分）",
            SettingKey::InspectionComplaintPoints => "每件未结或查实的投诉举报计风险分",
            SettingKey::InspectionFindingPoints => "每项以往检查不合格发现计风险分",
            SettingKey::BlacklistMonths => "列入失信名单期限（月）",
        }
    }
}

/// A reference data file that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReferenceError {
    #[error("参考数据文件格式错误：{0}")]
    Syntax(String),
    #[error("参考数据文件年份为 {found}，但文件登记为 {expected} 年")]
    YearMismatch { expected: i32, found: i32 },
    #[error("职业“{0}”重复")]
    DuplicateOccupation(String),
    #[error("职业“{occupation}”的{level}学时要求必须大于 0")]
    ZeroHours {
        occupation: String,
        level: &'static str,
    },
    #[error("机构“{0}”重复")]
    DuplicateInstitution(String),
    #[error("名单引用了未登记的职业“{0}”")]
    UnknownOccupation(String),
    #[error("名单引用了未登记或类别不符的机构“{0}”")]
    UnknownInstitution(String),
    #[error("地区“{0}”重复")]
    DuplicateRegion(String),
    #[error("设置“{0}”重复")]
    DuplicateSetting(&'static str),
    #[error("缺少设置“{0}”")]
    MissingSetting(&'static str),
    #[error("补贴标准必须大于 0")]
    NonPositiveRate,
    #[error("设置不构成完整的政策：{0}")]
    Policy(#[from] PolicyError),
    #[error("放假安排有误：{0}")]
    Calendar(#[from] CalendarError),
}

impl ReferenceData {
    /// Parses and checks one year's file.
    pub fn parse(expected_year: i32, text: &str) -> Result<ReferenceData, ReferenceError> {
        let data: ReferenceData =
            toml::from_str(text).map_err(|error| ReferenceError::Syntax(error.to_string()))?;
        if data.year != expected_year {
            return Err(ReferenceError::YearMismatch {
                expected: expected_year,
                found: data.year,
            });
        }
        data.check()?;
        Ok(data)
    }

    /// The policy this file's settings put in force on `date`.
    pub fn policy_on(&self, date: NaiveDate) -> Result<Policy, PolicyError> {
        Policy::from_settings(date, &self.settings)
    }

    /// This file's holiday calendar, covering its year when it has one.
    pub fn working_calendar(&self) -> Result<WorkingCalendar, CalendarError> {
        let years = (!self.calendar.is_empty()).then_some(self.year);
        WorkingCalendar::new(years, self.calendar.iter().cloned())
    }

    /// The rate per hour for a level (附件5).
    pub fn rate(&self, level: Level) -> Fen {
        Fen::new(match level {
            Level::Junior => self.rates.junior_fen_per_hour,
            Level::Intermediate => self.rates.intermediate_fen_per_hour,
            Level::Senior => self.rates.senior_fen_per_hour,
        })
    }

    fn check(&self) -> Result<(), ReferenceError> {
        if Level::ALL.iter().any(|level| self.rate(*level).get() <= 0) {
            return Err(ReferenceError::NonPositiveRate);
        }
        let mut codes = BTreeSet::new();
        for occupation in &self.occupations {
            if !codes.insert(occupation.code.as_str()) {
                return Err(ReferenceError::DuplicateOccupation(
                    occupation.code.to_string(),
                ));
            }
            for level in Level::ALL {
                if occupation.hours.get(level) == 0 {
                    return Err(ReferenceError::ZeroHours {
                        occupation: occupation.name.clone(),
                        level: level.label(),
                    });
                }
            }
        }
        let mut institutions = BTreeSet::new();
        for institution in &self.institutions {
            if !institutions.insert((institution.kind, institution.name.as_str())) {
                return Err(ReferenceError::DuplicateInstitution(
                    institution.name.clone(),
                ));
            }
        }
        let lists = [
            (InstitutionKind::Training, &self.training_lists),
            (InstitutionKind::Evaluation, &self.evaluation_lists),
        ];
        for (kind, listings) in lists {
            for listing in listings {
                if !codes.contains(listing.occupation.as_str()) {
                    return Err(ReferenceError::UnknownOccupation(
                        listing.occupation.to_string(),
                    ));
                }
                for name in &listing.institutions {
                    if !institutions.contains(&(kind, name.as_str())) {
                        return Err(ReferenceError::UnknownInstitution(name.clone()));
                    }
                }
            }
        }
        let mut regions = BTreeSet::new();
        for region in &self.regions {
            if !regions.insert(region.name.as_str()) {
                return Err(ReferenceError::DuplicateRegion(region.name.clone()));
            }
        }
        for key in SettingKey::ALL {
            match self
                .settings
                .iter()
                .filter(|setting| setting.key == key)
                .count()
            {
                0 => return Err(ReferenceError::MissingSetting(key.as_str())),
                1 => {}
                _ => return Err(ReferenceError::DuplicateSetting(key.as_str())),
            }
        }
        // Each setting has one row, so on the latest of their dates every row is in force:
        // the file's settings must make a complete policy there, each value in its range.
        if let Some(latest) = self.settings.iter().map(|row| row.effective_from).max() {
            self.policy_on(latest)?;
        }
        check_year(self.year, &self.calendar)?;
        Ok(())
    }
}

impl LevelHours {
    /// The required hours for one level.
    pub fn get(&self, level: Level) -> u32 {
        match level {
            Level::Junior => self.junior,
            Level::Intermediate => self.intermediate,
            Level::Senior => self.senior,
        }
    }
}

impl InstitutionKind {
    /// The stable spelling used in the API and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::Training => "training",
            InstitutionKind::Evaluation => "evaluation",
        }
    }

    /// Parses the stable spelling.
    pub fn parse(text: &str) -> Option<InstitutionKind> {
        match text {
            "training" => Some(InstitutionKind::Training),
            "evaluation" => Some(InstitutionKind::Evaluation),
            _ => None,
        }
    }

    /// The Chinese name of the kind.
    pub fn label(self) -> &'static str {
        match self {
            InstitutionKind::Training => "培训机构",
            InstitutionKind::Evaluation => "评价机构",
        }
    }
}

#[cfg(test)]
mod tests;
