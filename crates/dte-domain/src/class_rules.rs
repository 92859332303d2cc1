//! The rules a class plan (班期) must satisfy to be saved and to be submitted for review (SPEC
//! step 2; the plan's 四（一）规范化培训 and 五（二）"不得……开展跨省培训"), and the quota check of a
//! subsidised class's approval.
//!
//! Every rule lives here once. [`check_draft`] and [`check_submission`] return every
//! violation, not just the first, in a stable order: institution, region, venue address,
//! venue, fence, dates, capacity, then each session in timetable order (its own faults, then
//! an overlap with an earlier session), then — for a submission — the timetable's totals and
//! the lead time. Each [`Violation`] names the API field at fault (`sessions[3].hours`, index
//! from 0) and says in Chinese what is wrong with the numbers involved ("第 4 节", from 1).

mod agreement;
mod timetable;

pub use agreement::{check_approval, check_training_agreement};
pub use timetable::{MINUTES_PER_HOUR, TimetableHours, online_hours_limit, timetable_hours};

use crate::class::{Funding, SessionPlan};
use crate::{Level, OccupationCode};
use chrono::{Days, NaiveDate};
use dte_geo::{Fence, FenceError, LatLon, Location};
use std::fmt;
use timetable::{check_sessions, check_timetable_totals};

/// The most trainees one class may take. The plan sets no number; 200 is a generous bound
/// (four classrooms of 50, a third of the largest city's yearly quota of 600), so a larger
/// figure is a typing mistake, not a class.
pub const MAX_CAPACITY: u32 = 200;

/// How far the venue point may lie outside its own fence, in metres, before it is refused:
/// a point drawn on the fence's edge is inside, whatever the rounding of the drawing tool.
pub const VENUE_FENCE_TOLERANCE_M: f64 = 1.0;

/// A class as the institution plans it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassPlan {
    pub occupation: OccupationCode,
    pub direction: Option<String>,
    pub level: Level,
    pub funding: Funding,
    /// One of `dte_geo::REGIONS`: "沈阳", …, "沈抚示范区".
    pub region: String,
    pub venue_address: String,
    /// The venue's point, WGS-84.
    pub venue: LatLon,
    pub fence: Fence,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub capacity: u32,
    pub sessions: Vec<SessionPlan>,
}

/// Where the institution stands in the catalog (附件1) on the day of the check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InstitutionStanding {
    /// Not suspended or removed.
    pub active: bool,
    /// Listed as a training institution for the class's occupation.
    pub listed_for_occupation: bool,
}

/// What the rules need besides the plan: today's date and the reference data of the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClassContext {
    pub today: NaiveDate,
    /// The required training hours (学时要求, 附件5) of the class's occupation and level.
    pub required_hours: u32,
    /// The policy's `class_application_lead_days` in force today.
    pub lead_days: u32,
    /// The policy's `online_share_max_percent` in force today (the plan's 四（一）: 50 %).
    pub online_share_max: crate::policy::Percent,
    pub institution: InstitutionStanding,
}

/// One rule a plan breaks: the API field at fault, a stable snake_case code, and a Chinese
/// message for a person that names the field and the numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    pub field: String,
    pub code: &'static str,
    pub message: String,
}

/// What must hold to save a class at all (as a draft, or an edit of a rejected class).
pub fn check_draft(plan: &ClassPlan, context: &ClassContext) -> Vec<Violation> {
    let mut violations = Vec::new();
    check_institution(plan, &context.institution, &mut violations);
    check_place(plan, &mut violations);
    check_dates_and_capacity(plan, &mut violations);
    check_sessions(plan, &mut violations);
    violations
}

/// What must hold to submit a class for review: everything [`check_draft`] checks, plus a
/// timetable with at least one session, the required hours, at most half of them online, and
/// the application lead time.
pub fn check_submission(plan: &ClassPlan, context: &ClassContext) -> Vec<Violation> {
    let mut violations = check_draft(plan, context);
    check_timetable_totals(plan, context, &mut violations);
    check_lead_time(plan, context, &mut violations);
    violations
}

/// A subsidised class's approval (SPEC step 2: subsidised classes fit the region's remaining
/// quota): `seats` must not exceed `quota − used`, where `used` counts the seats of the
/// region's other approved subsidised classes of the year.
pub fn check_quota(seats: u32, quota: u32, used: u32) -> Result<(), Violation> {
    let remaining = quota.saturating_sub(used);
    if seats <= remaining {
        return Ok(());
    }
    Err(Violation::new(
        "capacity",
        "quota_exceeded",
        format!(
            "本班申请 {seats} 个补贴名额，超过本地区剩余名额 {remaining} 个（年度名额 {quota} 个，已批准 {used} 个）"
        ),
    ))
}

impl Violation {
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        Violation {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.message)
    }
}

/// The plan's 四（一）: only institutions of the catalog (附件1) train, each in its occupations.
fn check_institution(plan: &ClassPlan, standing: &InstitutionStanding, out: &mut Vec<Violation>) {
    if !standing.active {
        out.push(Violation::new(
            "institution",
            "institution_inactive",
            "培训机构已被暂停或移出目录，不能开设或修改班期",
        ));
    }
    if !standing.listed_for_occupation {
        out.push(Violation::new(
            "institution",
            "institution_not_listed",
            format!(
                "培训机构未列入职业 {} 的培训机构目录（附件1），不能开设该职业的班期",
                plan.occupation
            ),
        ));
    }
}

/// SPEC step 2 and the plan's 五（二）: the venue and its whole fence lie inside Liaoning and
/// inside the class's region, and the venue inside its own fence.
fn check_place(plan: &ClassPlan, out: &mut Vec<Violation>) {
    let region = plan.region.as_str();
    let region_known = dte_geo::REGIONS.contains(&region);
    if !region_known {
        let error = FenceError::UnknownRegion {
            region: plan.region.clone(),
        };
        out.push(Violation::new(
            "region",
            "unknown_region",
            error.to_string(),
        ));
    }
    if plan.venue_address.trim().is_empty() {
        out.push(Violation::new(
            "venue_address",
            "venue_address_missing",
            "请填写培训场地地址",
        ));
    }
    match LatLon::new(plan.venue.lat, plan.venue.lon) {
        Err(error) => out.push(Violation::new(
            "venue",
            "venue_invalid",
            format!("培训场地坐标无效：{error}"),
        )),
        Ok(venue) => match dte_geo::locate(venue) {
            location @ Location::Outside { .. } => out.push(Violation::new(
                "venue",
                "venue_outside_province",
                format!("培训场地坐标位于{location}，不得跨省培训"),
            )),
            location if region_known && !location.is_in(region) => out.push(Violation::new(
                "venue",
                "venue_outside_region",
                format!("培训场地坐标位于{location}，不在班期所属地区{region}"),
            )),
            _ => {}
        },
    }
    let fence_check = if region_known {
        dte_geo::check_fence(&plan.fence, region)
    } else {
        plan.fence.validate()
    };
    if let Err(error) = fence_check {
        out.push(Violation::new(
            "fence",
            fence_code(&error),
            error.to_string(),
        ));
    }
    let venue_valid = LatLon::new(plan.venue.lat, plan.venue.lon).is_ok();
    if venue_valid && plan.fence.validate().is_ok() {
        let outside_m = dte_geo::distance_outside_fence_m(&plan.fence, plan.venue);
        if outside_m > VENUE_FENCE_TOLERANCE_M {
            out.push(Violation::new(
                "venue",
                "venue_outside_fence",
                format!(
                    "培训场地坐标不在本班电子围栏内（距围栏{}），电子围栏应圈住培训场地",
                    dte_geo::describe_distance(outside_m)
                ),
            ));
        }
    }
}

/// The stable code of a fence the geography refuses.
fn fence_code(error: &FenceError) -> &'static str {
    match error {
        FenceError::UnknownRegion { .. } => "unknown_region",
        FenceError::OutsideProvince { .. } | FenceError::PartlyOutsideProvince { .. } => {
            "fence_outside_province"
        }
        FenceError::VenueInOtherRegion { .. } | FenceError::PartlyInOtherRegion { .. } => {
            "fence_outside_region"
        }
        _ => "fence_invalid",
    }
}

fn check_dates_and_capacity(plan: &ClassPlan, out: &mut Vec<Violation>) {
    if plan.end_date < plan.start_date {
        out.push(Violation::new(
            "end_date",
            "end_before_start",
            format!(
                "结束日期 {} 早于开始日期 {}",
                plan.end_date, plan.start_date
            ),
        ));
    }
    if !(1..=MAX_CAPACITY).contains(&plan.capacity) {
        out.push(Violation::new(
            "capacity",
            "capacity_out_of_range",
            format!(
                "招收人数应为 1 至 {MAX_CAPACITY} 人，现为 {} 人",
                plan.capacity
            ),
        ));
    }
}

/// The setting `class_application_lead_days`: a class is submitted at least that many days
/// before it starts.
fn check_lead_time(plan: &ClassPlan, context: &ClassContext, out: &mut Vec<Violation>) {
    let days_ahead = (plan.start_date - context.today).num_days();
    if days_ahead >= i64::from(context.lead_days) {
        return;
    }
    let earliest = context
        .today
        .checked_add_days(Days::new(u64::from(context.lead_days)))
        .map_or_else(|| "——".to_owned(), |date| date.to_string());
    let gap = if days_ahead > 0 {
        format!("距今天 {} 只有 {days_ahead} 天", context.today)
    } else {
        format!("不晚于今天 {}", context.today)
    };
    out.push(Violation::new(
        "start_date",
        "lead_time_too_short",
        format!(
            "开班日期 {} {gap}，开班申请须至少提前 {} 天提交，最早可定于 {earliest} 开班",
            plan.start_date, context.lead_days
        ),
    ));
}

#[cfg(test)]
mod tests;
