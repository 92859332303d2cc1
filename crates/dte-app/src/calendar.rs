//! The holiday calendar (放假调休, issue 13 item 2): a year's days as every signed-in account
//! reads them, the province's additions and changes (audited by the store), and
//! [`working_calendar`], the calendar the services count working days with (the city's review
//! time, the 公示 period). Which day may be entered is `dte_domain::calendar`'s rule.

use crate::access::authorize;
use crate::classes::actor;
use crate::{Context, Detail, Principal, ServiceError};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dte_domain::access::{Action, Facts};
use dte_domain::calendar::{CalendarDay, CalendarError, WorkingCalendar};
use dte_store::{CalendarChange, CalendarDayRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The earliest and latest year the calendar is kept for: a bound on what can be a year of the
/// project at all, so a typing slip (“226”) is refused where it is read.
const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

/// One year of the calendar.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarYear {
    pub year: i32,
    /// Whether the year's holidays are entered; otherwise its days count Monday to Friday.
    pub covered: bool,
    /// What a reader of an uncovered year is told, in Chinese; none for a covered year.
    pub note: Option<String>,
    /// The entered days, in date order.
    pub days: Vec<CalendarEntry>,
    /// Every year with entries, in order.
    pub covered_years: Vec<i32>,
}

/// An entered day: a holiday day off or an adjusted working day (调休上班).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarEntry {
    pub date: NaiveDate,
    /// The day of the week in Chinese, “周六”.
    pub weekday: String,
    /// `true` for an adjusted working day, `false` for a day off.
    pub working: bool,
    pub name: String,
    /// Who entered or last changed the day; none for the reference data.
    pub added_by: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// A day the province adds or changes.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct CalendarDayInput {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// `true`: an adjusted working day (a Saturday or Sunday); `false`: a holiday day off.
    pub working: bool,
    /// The holiday, e.g. “国庆节”, or “国庆节调休上班”.
    pub name: String,
}

/// What [`set_day`] did: the day as it is now, and whether it was new.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CalendarDaySet {
    pub day: CalendarEntry,
    /// `true` when the date had no entry before.
    pub added: bool,
}

/// The note shown for a year without a calendar.
pub const UNCOVERED_NOTE: &str = "该年度未录入放假安排，按周一至周五计算";

/// A year of the calendar (every signed-in account: `Action::ReadCalendar`).
pub async fn year(
    context: &Context,
    principal: &Principal,
    year: i32,
) -> Result<CalendarYear, ServiceError> {
    authorize(principal, Action::ReadCalendar, &Facts::default())?;
    check_year(year)?;
    let days = context.store.calendar_days(year).await?;
    let covered_years = context.store.calendar_years().await?;
    let covered = covered_years.contains(&year);
    Ok(CalendarYear {
        year,
        covered,
        note: (!covered).then(|| UNCOVERED_NOTE.to_owned()),
        days: days.into_iter().map(entry).collect(),
        covered_years,
    })
}

/// The year the calendar opens on: today's in Liaoning.
pub fn this_year(context: &Context) -> i32 {
    context.clock.today().year()
}

/// Adds a day or changes the date's entry (the province only: `Action::EditCalendar`),
/// checked by `dte_domain::calendar` and audited by the store in the same transaction.
pub async fn set_day(
    context: &Context,
    principal: &Principal,
    input: &CalendarDayInput,
) -> Result<CalendarDaySet, ServiceError> {
    authorize(principal, Action::EditCalendar, &Facts::default())?;
    let date = NaiveDate::parse_from_str(input.date.trim(), "%Y-%m-%d")
        .map_err(|_| ServiceError::invalid("date", "日期应为 YYYY-MM-DD 格式，例如 2027-01-01"))?;
    check_year(date.year()).map_err(|error| ServiceError {
        field: Some("date".into()),
        ..error
    })?;
    let day = CalendarDay {
        date,
        working: input.working,
        name: input.name.trim().to_owned(),
    };
    day.check().map_err(refusal)?;
    let change = context
        .store
        .set_calendar_day(&day, &actor(context, principal))
        .await?;
    let stored = context
        .store
        .calendar_days(date.year())
        .await?
        .into_iter()
        .find(|row| row.day.date == date)
        .ok_or_else(|| ServiceError::internal(format!("calendar day {date} not stored")))?;
    Ok(CalendarDaySet {
        day: entry(stored),
        added: change == CalendarChange::Added,
    })
}

/// The holiday calendar of every entered year, for the services that count working days
/// (the review time, the 公示 period). A year without entries counts Monday to Friday; ask
/// [`WorkingCalendar::covers`] to tell the reader so ([`UNCOVERED_NOTE`]).
pub async fn working_calendar(context: &Context) -> Result<WorkingCalendar, ServiceError> {
    Ok(context.store.working_calendar(i32::MIN..=i32::MAX).await?)
}

/// The `days`-th working day after `start` (the day after it counted first) under the holiday
/// calendar: the due day of a period that begins the day after an event.
pub async fn working_days_after(
    context: &Context,
    start: NaiveDate,
    days: u32,
) -> Result<NaiveDate, ServiceError> {
    working_calendar(context)
        .await?
        .working_days_after(start, days)
        .map_err(refusal)
}

/// A refusal of the calendar's rule as a service error naming its field.
pub fn refusal(error: CalendarError) -> ServiceError {
    ServiceError::violations(vec![Detail {
        code: error.code().to_owned(),
        message: error.to_string(),
        field: Some(error.field().to_owned()),
    }])
}

/// The day of the week in Chinese.
pub fn weekday_label(date: NaiveDate) -> &'static str {
    ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]
        [date.weekday().num_days_from_monday() as usize]
}

fn check_year(year: i32) -> Result<(), ServiceError> {
    if YEARS.contains(&year) {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "year",
            format!("年度应在 {} 至 {} 之间", YEARS.start(), YEARS.end()),
        ))
    }
}

fn entry(row: CalendarDayRow) -> CalendarEntry {
    CalendarEntry {
        weekday: weekday_label(row.day.date).to_owned(),
        date: row.day.date,
        working: row.day.working,
        name: row.day.name,
        added_by: row.added_by,
        added_at: row.added_at,
    }
}
