//! Wire types of classes, rosters and quotas.

use dte_app::classes::plan::{ClassInput, FenceInput, Point, SessionInput};
use dte_domain::class_rules::timetable_hours;
use dte_store::{ClassRow, QuotaUsage, RosterEntry};
use serde::Serialize;
use utoipa::ToSchema;

/// A class in a list (SPEC: `id`, `region`, `institution`, `occupation`, `level`, `status`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassSummary {
    pub id: i64,
    pub title: String,
    pub region: String,
    pub institution: String,
    /// Occupation code.
    pub occupation: String,
    pub occupation_name: String,
    /// `junior`, `intermediate` or `senior`.
    pub level: String,
    /// `market` or `subsidised`.
    pub funding: String,
    /// `draft`, `submitted`, `approved`, `rejected`, `running`, `finished` or `closed`.
    pub status: String,
    pub status_label: String,
    pub start_date: String,
    pub end_date: String,
    pub capacity: u32,
    pub enrolled: u32,
}

/// A class with its plan: venue, fence and timetable.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassDetail {
    #[serde(flatten)]
    pub summary: ClassSummary,
    pub direction: Option<String>,
    pub venue_address: String,
    pub venue: Point,
    pub fence: FenceInput,
    pub sessions: Vec<SessionInput>,
    pub total_hours: u32,
    pub online_hours: u32,
    pub rejection_reason: Option<String>,
}

/// One line of a class roster; ID number and phone masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterLine {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: Option<String>,
    /// `in_post`, `prospective` or `graduating_student`.
    pub category: String,
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    pub subsidy_category: Option<String>,
    pub subsidised: bool,
    /// `active` or `withdrawn`.
    pub status: String,
    pub commitment_signed: bool,
    pub documents: u32,
    /// The trainee account's state: `pending_activation`, `active`, or null when none.
    pub account_status: Option<String>,
}

/// A region's quota for a year and the seats holding it.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuotaLine {
    pub region: String,
    pub year: i32,
    pub quota: u32,
    /// Seats of approved (and later) subsidised classes.
    pub approved_seats: u32,
    /// Seats of subsidised classes waiting for review.
    pub pending_seats: u32,
    pub remaining: u32,
}

impl From<&ClassRow> for ClassSummary {
    fn from(class: &ClassRow) -> ClassSummary {
        ClassSummary {
            id: class.id,
            title: class.title.clone(),
            region: class.region.clone(),
            institution: class.institution_name.clone(),
            occupation: class.occupation.as_str().to_owned(),
            occupation_name: class.occupation_name.clone(),
            level: class.level.as_str().to_owned(),
            funding: class.funding.as_str().to_owned(),
            status: class.status.as_str().to_owned(),
            status_label: class.status.label().to_owned(),
            start_date: class.start_date.to_string(),
            end_date: class.end_date.to_string(),
            capacity: class.capacity,
            enrolled: class.enrolled,
        }
    }
}

impl ClassDetail {
    pub fn new(
        class: &ClassRow,
        sessions: &[dte_domain::SessionPlan],
    ) -> Result<ClassDetail, dte_app::ServiceError> {
        let ClassInput {
            venue,
            fence,
            sessions: session_inputs,
            ..
        } = dte_app::classes::plan::input_of(class, sessions)?;
        let hours = timetable_hours(sessions);
        Ok(ClassDetail {
            summary: ClassSummary::from(class),
            direction: class.direction.clone(),
            venue_address: class.venue_address.clone(),
            venue,
            fence,
            sessions: session_inputs,
            total_hours: hours.total,
            online_hours: hours.online,
            rejection_reason: class.rejection_reason.clone(),
        })
    }
}

impl From<&RosterEntry> for RosterLine {
    fn from(entry: &RosterEntry) -> RosterLine {
        RosterLine {
            enrolment_id: entry.enrolment_id,
            person_id: entry.person_id,
            name: entry.name.clone(),
            id_number: entry.id_number_masked.clone(),
            phone: entry.phone_masked.clone(),
            category: entry.category.as_str().to_owned(),
            employer_or_school: entry.employer_or_school.clone(),
            graduation_year: entry.graduation_year,
            subsidy_category: entry.subsidy_category.clone(),
            subsidised: entry.subsidised,
            status: if entry.active { "active" } else { "withdrawn" }.to_owned(),
            commitment_signed: entry.commitment_signed,
            documents: entry.documents,
            account_status: entry.account_status.clone(),
        }
    }
}

impl QuotaLine {
    pub fn new(usage: &QuotaUsage, year: i32) -> QuotaLine {
        QuotaLine {
            region: usage.region.clone(),
            year,
            quota: usage.quota,
            approved_seats: usage.approved_seats,
            pending_seats: usage.pending_seats,
            remaining: usage.remaining(),
        }
    }
}
