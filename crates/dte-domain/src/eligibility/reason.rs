//! The reasons a seat or a subsidy is refused, each with a stable code and a Chinese message.

use super::{MINIMUM_AGE, graduating_academic_year};
use crate::class::ClassStatus;
use crate::{Level, OccupationCode};
use chrono::NaiveDate;
use std::fmt;

/// Why a seat or a subsidy is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// The class's state takes no enrolments (`ClassStatus::accepts_enrolment`).
    EnrolmentClosed { status: ClassStatus },
    /// The institution running the class is suspended or removed from the catalog today (the
    /// plan's 六（一）: 两目录实行动态管理).
    InstitutionInactive,
    /// The class's last day has passed, whatever its state says.
    ClassEnded { end_date: NaiveDate },
    /// Every seat is taken.
    ClassFull { capacity: u32 },
    /// The person already holds a seat in this class.
    AlreadyEnrolled { class_id: i64 },
    /// The person is in another class whose dates overlap this one's.
    OverlappingClass {
        class_id: i64,
        start_date: NaiveDate,
        end_date: NaiveDate,
    },
    /// A graduating student without a graduation year.
    MissingGraduationYear,
    /// A graduating student's class starts outside the graduating academic year.
    GraduationWindow {
        graduation_year: i32,
        class_start: NaiveDate,
    },
    /// The person is under [`MINIMUM_AGE`] on the first day of the class.
    Age { age: u32, class_start: NaiveDate },
    /// The class is a market class: no subsidy to ask for.
    ClassNotSubsidised,
    /// No subsidy category was given.
    NoSubsidyCategory,
    /// The category given is not enabled today.
    CategoryNotListed { category: String },
    /// The person's subsidised trainings in the class's start year already reach the limit.
    SubsidyYearlyLimit { year: i32, limit: u32, used: u32 },
    /// The same occupation and level was subsidised before.
    SubsidisedBefore {
        class_id: i64,
        occupation: OccupationCode,
        level: Level,
    },
    /// A higher level of the same occupation was subsidised before.
    HigherLevelSubsidised {
        class_id: i64,
        occupation: OccupationCode,
        level: Level,
    },
}

impl Reason {
    /// The stable code used in the API and the roster import's error report.
    pub fn code(&self) -> &'static str {
        match self {
            Reason::EnrolmentClosed { .. } => "enrolment_closed",
            Reason::InstitutionInactive => "institution_inactive",
            Reason::ClassEnded { .. } => "class_ended",
            Reason::ClassFull { .. } => "class_full",
            Reason::AlreadyEnrolled { .. } => "already_enrolled",
            Reason::OverlappingClass { .. } => "overlapping_class",
            Reason::MissingGraduationYear => "missing_graduation_year",
            Reason::GraduationWindow { .. } => "graduation_window",
            Reason::Age { .. } => "age",
            Reason::ClassNotSubsidised => "class_not_subsidised",
            Reason::NoSubsidyCategory => "no_subsidy_category",
            Reason::CategoryNotListed { .. } => "category_not_listed",
            Reason::SubsidyYearlyLimit { .. } => "subsidy_yearly_limit",
            Reason::SubsidisedBefore { .. } => "subsidised_before",
            Reason::HigherLevelSubsidised { .. } => "higher_level_subsidised",
        }
    }

    /// The reason in Chinese for a person, with the dates and numbers involved.
    pub fn message(&self) -> String {
        match self {
            Reason::EnrolmentClosed { status } => {
                format!("班期当前状态为“{}”，不再招收学员", status.label())
            }
            Reason::InstitutionInactive => "培训机构已被暂停或移出目录，不能招收学员".to_owned(),
            Reason::ClassEnded { end_date } => {
                format!("班期已于 {end_date} 结束，不再招收学员")
            }
            Reason::ClassFull { capacity } => {
                format!("班期已满员（共 {capacity} 个名额）")
            }
            Reason::AlreadyEnrolled { class_id } => {
                format!("该学员已在本班期（编号 {class_id}）中，不能重复报名")
            }
            Reason::OverlappingClass {
                class_id,
                start_date,
                end_date,
            } => format!(
                "该学员已报名班期 {class_id}（{start_date} 至 {end_date}），与本班期时间重叠，同一时间只能参加一个班期"
            ),
            Reason::MissingGraduationYear => "全日制高校毕业学年学生须填写毕业年份".to_owned(),
            Reason::GraduationWindow {
                graduation_year,
                class_start,
            } => match graduating_academic_year(*graduation_year) {
                Some((first, last)) => format!(
                    "班期于 {class_start} 开班，不在 {graduation_year} 年毕业生的毕业学年（{first} 至 {last}）内"
                ),
                None => format!("毕业年份 {graduation_year} 无效"),
            },
            Reason::Age { age, class_start } => format!(
                "按公民身份号码中的出生日期，开班日 {class_start} 时年满 {age} 周岁，未满 {MINIMUM_AGE} 周岁不能参加培训"
            ),
            Reason::ClassNotSubsidised => "本班期为市场化培训，不享受政府补贴".to_owned(),
            Reason::NoSubsidyCategory => "未填写补贴人员类别，不能享受政府补贴培训".to_owned(),
            Reason::CategoryNotListed { category } => {
                format!("补贴人员类别“{category}”目前不在享受职业培训补贴的人员范围内")
            }
            Reason::SubsidyYearlyLimit { year, limit, used } => {
                format!("该学员 {year} 年已享受补贴培训 {used} 次，每人每年最多 {limit} 次")
            }
            Reason::SubsidisedBefore {
                class_id,
                occupation,
                level,
            } => format!(
                "该学员已在班期 {class_id} 享受过职业 {occupation} {level}的补贴培训，同一职业同一等级只补贴一次"
            ),
            Reason::HigherLevelSubsidised {
                class_id,
                occupation,
                level,
            } => format!(
                "该学员已在班期 {class_id} 享受过职业 {occupation} 更高等级（{level}）的补贴培训，不再补贴较低等级"
            ),
        }
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message())
    }
}
