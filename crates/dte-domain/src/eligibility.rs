//! Who may take a seat in a class, and whether that seat is subsidised: the eligibility engine
//! of real-name enrolment (学员招收, SPEC step 3; the plan's 三、培育对象 and 四（一）2 政府补贴培训).
//!
//! [`assess`] answers two questions at once and gives every reason, each with a stable
//! [`Reason::code`] and a Chinese [`Reason::message`] naming the dates and numbers:
//!
//! - **seat** — the class takes enrolments and has room; the person is not already in it and
//!   in no other class at the same time; a graduating student's class starts in the graduating
//!   academic year; the person is at least 16 when the class starts.
//! - **subsidy** — asked of subsidised classes only (a market class answers
//!   `class_not_subsidised`): an enabled subsidy category; at most N subsidised trainings per
//!   calendar year; the same occupation and level never subsidised twice; a subsidy at a higher
//!   level of the occupation blocks the lower ones.
//!
//! A withdrawn or cancelled enrolment (`active == false`) counts for nothing: it holds no seat
//! and earned no subsidy. The region's quota is not checked here: it is spent when a subsidised
//! class is approved (`class_rules::check_quota`), and a class's capacity keeps enrolment within it.

mod reason;

pub use reason::Reason;

use crate::class::{ClassStatus, Funding};
use crate::{Level, OccupationCode, ResidentId, TraineeCategory};
use chrono::{Datelike, NaiveDate};

/// The youngest a trainee may be on the first day of the class. The plan trains 从业人员
/// (三、培育对象: 在岗或拟从事数字经济领域工作的各类从业人员, and graduating students), that is
/// people of working age, and the Labour Law (《劳动法》第十五条) forbids employing anyone under 16.
pub const MINIMUM_AGE: u32 = 16;

/// The person who asks for a seat, as the roster records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub resident_id: ResidentId,
    pub category: TraineeCategory,
    /// The calendar year a graduating student graduates in (毕业年份, e.g. 2027 for the summer
    /// of 2027); required for [`TraineeCategory::GraduatingStudent`], ignored for the others.
    pub graduation_year: Option<i32>,
    /// The code of the subsidy category claimed (`reference::SubsidyCategory::code`, e.g.
    /// `registered_unemployed`), or none.
    pub subsidy_category: Option<String>,
}

/// The class asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassOffer {
    pub id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub funding: Funding,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub capacity: u32,
    /// Seats held by active enrolments now.
    pub seats_taken: u32,
    pub status: ClassStatus,
    /// The institution running the class is active in the catalog today
    /// (`catalog::standing_on`): a suspended or removed one enrols no one.
    pub institution_active: bool,
}

/// One of the person's enrolments, in any class (this one included), at any time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriorEnrolment {
    pub class_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    /// The enrolment holds (or held) a subsidised seat.
    pub subsidised: bool,
    /// The enrolment stands: not withdrawn or cancelled (finished ones stay active).
    pub active: bool,
}

/// The day of the check and the policy settings in force on it (SPEC "Policy settings").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EligibilityContext {
    pub today: NaiveDate,
    /// The codes of the subsidy categories (六类人员) enabled today.
    pub enabled_subsidy_categories: Vec<String>,
    /// The setting `subsidised_trainings_per_year` in force today (default 1).
    pub subsidised_trainings_per_year: u32,
}

/// The answer: why the person may not take the seat (empty: they may) and why the seat would
/// not be subsidised (empty: it would be).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Assessment {
    pub seat: Vec<Reason>,
    pub subsidy: Vec<Reason>,
}

/// Decides the seat and the subsidy for `candidate` in `class`, given all the person's
/// enrolments (`enrolments` may include one in this class; it is recognised by its class id).
pub fn assess(
    candidate: &Candidate,
    class: &ClassOffer,
    enrolments: &[PriorEnrolment],
    context: &EligibilityContext,
) -> Assessment {
    let standing: Vec<&PriorEnrolment> = enrolments.iter().filter(|e| e.active).collect();
    let others: Vec<&PriorEnrolment> = standing
        .iter()
        .copied()
        .filter(|enrolment| enrolment.class_id != class.id)
        .collect();
    let already_enrolled = standing.len() != others.len();
    Assessment {
        seat: seat_reasons(candidate, class, already_enrolled, &others, context),
        subsidy: subsidy_reasons(candidate, class, &others, context),
    }
}

/// Whether two date ranges, both inclusive, share at least one day. A class ending on the
/// day another starts overlaps it: classes are planned by the day.
pub fn periods_overlap(
    a_start: NaiveDate,
    a_end: NaiveDate,
    b_start: NaiveDate,
    b_end: NaiveDate,
) -> bool {
    a_start <= b_end && b_start <= a_end
}

/// The graduating academic year (毕业学年) of a student graduating in `graduation_year`: from
/// 1 September of the year before to 31 August of the graduation year, as Chinese universities
/// count their academic year (秋季学期 starts in September; graduation is in June or July).
/// It differs from the 毕业年度 of the subsidy category "毕业年度高校毕业生", a calendar year.
/// `None` only for years chrono cannot represent.
pub fn graduating_academic_year(graduation_year: i32) -> Option<(NaiveDate, NaiveDate)> {
    let first = NaiveDate::from_ymd_opt(graduation_year.checked_sub(1)?, 9, 1)?;
    let last = NaiveDate::from_ymd_opt(graduation_year, 8, 31)?;
    Some((first, last))
}

/// Age in whole years on `on` for someone born on `birth` (0 before birth). Someone born on
/// 29 February has their birthday on 1 March in common years.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> u32 {
    on.years_since(birth).unwrap_or(0)
}

impl Assessment {
    /// Whether the person may take the seat.
    pub fn may_enrol(&self) -> bool {
        self.seat.is_empty()
    }

    /// Whether the person may take the seat and it is subsidised.
    pub fn subsidised(&self) -> bool {
        self.may_enrol() && self.subsidy.is_empty()
    }
}

fn seat_reasons(
    candidate: &Candidate,
    class: &ClassOffer,
    already_enrolled: bool,
    others: &[&PriorEnrolment],
    context: &EligibilityContext,
) -> Vec<Reason> {
    let mut reasons = Vec::new();
    if !class.institution_active {
        reasons.push(Reason::InstitutionInactive);
    }
    if !class.status.accepts_enrolment() {
        reasons.push(Reason::EnrolmentClosed {
            status: class.status,
        });
    } else if class.end_date < context.today {
        reasons.push(Reason::ClassEnded {
            end_date: class.end_date,
        });
    }
    if already_enrolled {
        reasons.push(Reason::AlreadyEnrolled { class_id: class.id });
    } else if class.seats_taken >= class.capacity {
        reasons.push(Reason::ClassFull {
            capacity: class.capacity,
        });
    }
    for other in others {
        if periods_overlap(
            class.start_date,
            class.end_date,
            other.start_date,
            other.end_date,
        ) {
            reasons.push(Reason::OverlappingClass {
                class_id: other.class_id,
                start_date: other.start_date,
                end_date: other.end_date,
            });
        }
    }
    if candidate.category == TraineeCategory::GraduatingStudent {
        match candidate.graduation_year {
            None => reasons.push(Reason::MissingGraduationYear),
            Some(graduation_year) => {
                let within = graduating_academic_year(graduation_year)
                    .is_some_and(|(first, last)| (first..=last).contains(&class.start_date));
                if !within {
                    reasons.push(Reason::GraduationWindow {
                        graduation_year,
                        class_start: class.start_date,
                    });
                }
            }
        }
    }
    let age = age_on(candidate.resident_id.birth_date(), class.start_date);
    if age < MINIMUM_AGE {
        reasons.push(Reason::Age {
            age,
            class_start: class.start_date,
        });
    }
    reasons
}

fn subsidy_reasons(
    candidate: &Candidate,
    class: &ClassOffer,
    others: &[&PriorEnrolment],
    context: &EligibilityContext,
) -> Vec<Reason> {
    if class.funding != Funding::Subsidised {
        return vec![Reason::ClassNotSubsidised];
    }
    let mut reasons = Vec::new();
    match candidate.subsidy_category.as_deref().map(str::trim) {
        None | Some("") => reasons.push(Reason::NoSubsidyCategory),
        Some(category) => {
            let enabled = context
                .enabled_subsidy_categories
                .iter()
                .any(|code| code == category);
            if !enabled {
                reasons.push(Reason::CategoryNotListed {
                    category: category.to_owned(),
                });
            }
        }
    }
    let subsidised: Vec<&PriorEnrolment> = others
        .iter()
        .copied()
        .filter(|enrolment| enrolment.subsidised)
        .collect();
    let year = class.start_date.year();
    let used = subsidised
        .iter()
        .filter(|enrolment| enrolment.start_date.year() == year)
        .count();
    let used = u32::try_from(used).unwrap_or(u32::MAX);
    if used >= context.subsidised_trainings_per_year {
        reasons.push(Reason::SubsidyYearlyLimit {
            year,
            limit: context.subsidised_trainings_per_year,
            used,
        });
    }
    let same_occupation = subsidised
        .iter()
        .filter(|enrolment| enrolment.occupation == class.occupation);
    if let Some(same) = same_occupation
        .clone()
        .find(|enrolment| enrolment.level == class.level)
    {
        reasons.push(Reason::SubsidisedBefore {
            class_id: same.class_id,
            occupation: same.occupation.clone(),
            level: same.level,
        });
    }
    if let Some(higher) = same_occupation
        .filter(|enrolment| enrolment.level > class.level)
        .max_by_key(|enrolment| enrolment.level)
    {
        reasons.push(Reason::HigherLevelSubsidised {
            class_id: higher.class_id,
            occupation: higher.occupation.clone(),
            level: higher.level,
        });
    }
    reasons
}

#[cfg(test)]
mod tests;
