//! Working days (工作日) under China's holiday calendar (放假调休): the city's review time, the
//! 公示 period and objection deadlines are counted with it (issue 13 item 2).
//!
//! The calendar is data, not code: each year's holidays and adjusted working days come from the
//! State Council's notice (国务院办公厅关于部分节假日安排的通知) through the reference data and
//! the province's edits, and reach this module as [`CalendarDay`] overrides. A day without an
//! override is a working day from Monday to Friday. A year without any entry is counted Monday
//! to Friday too, and [`WorkingCalendar::covers`] says so, so a page can tell its reader.
//!
//! Counting is bounded: at most [`MAX_WORKING_DAYS`] working days and a span of at most
//! [`MAX_SPAN_DAYS`] calendar days, so no input makes a loop run without end.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The most working days counted at once: a year's worth, far beyond any period of the plan.
pub const MAX_WORKING_DAYS: u32 = 366;

/// The longest span of calendar days looked at in one count: four years.
pub const MAX_SPAN_DAYS: i64 = 4 * 366;

/// The longest name of a calendar day, in characters.
pub const MAX_NAME_CHARS: usize = 32;

/// One day that differs from Monday–Friday: a holiday day off (放假, `working = false`) or an
/// adjusted working day (调休上班, `working = true`), with the holiday it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarDay {
    pub date: NaiveDate,
    pub working: bool,
    /// The holiday, e.g. “国庆节”, or for a working day “国庆节调休上班”.
    pub name: String,
}

/// The working-day calendar of the covered years: the overrides, by date.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorkingCalendar {
    days: BTreeMap<NaiveDate, CalendarDay>,
    years: BTreeSet<i32>,
}

/// Why a calendar day or a count of working days is refused. Each names its field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("工作日天数必须大于 0")]
    ZeroDays,
    #[error("工作日天数 {days} 超过上限 {MAX_WORKING_DAYS} 天")]
    TooManyDays { days: u32 },
    #[error("日期 {from} 至 {to} 相隔超过 {MAX_SPAN_DAYS} 天，无法计算工作日")]
    RangeTooLong { from: NaiveDate, to: NaiveDate },
    #[error("自 {start} 起 {MAX_SPAN_DAYS} 天内凑不足所需的工作日，请检查放假安排")]
    NotEnoughWorkingDays { start: NaiveDate },
    #[error("日期 {0} 重复录入")]
    DuplicateDate(NaiveDate),
    #[error("日期 {date} 不在 {year} 年内")]
    OutsideYear { date: NaiveDate, year: i32 },
    #[error("日期 {0} 是周一至周五，本来就上班，不能录入为调休上班日")]
    WorkingWeekday(NaiveDate),
    #[error("日期 {0} 的名称不能为空")]
    EmptyName(NaiveDate),
    #[error("日期 {date} 的名称不能超过 {MAX_NAME_CHARS} 个字")]
    NameTooLong { date: NaiveDate },
}

impl CalendarError {
    /// The stable code of the refusal.
    pub fn code(&self) -> &'static str {
        match self {
            CalendarError::ZeroDays => "working_days_zero",
            CalendarError::TooManyDays { .. } => "working_days_too_many",
            CalendarError::RangeTooLong { .. } => "calendar_range_too_long",
            CalendarError::NotEnoughWorkingDays { .. } => "not_enough_working_days",
            CalendarError::DuplicateDate(_) => "calendar_date_duplicate",
            CalendarError::OutsideYear { .. } => "calendar_date_outside_year",
            CalendarError::WorkingWeekday(_) => "working_day_on_weekday",
            CalendarError::EmptyName(_) => "calendar_name_empty",
            CalendarError::NameTooLong { .. } => "calendar_name_too_long",
        }
    }

    /// The field of a calendar day (or of a count) the refusal is about.
    pub fn field(&self) -> &'static str {
        match self {
            CalendarError::ZeroDays | CalendarError::TooManyDays { .. } => "days",
            CalendarError::RangeTooLong { .. } => "to",
            CalendarError::NotEnoughWorkingDays { .. } => "start",
            CalendarError::DuplicateDate(_) | CalendarError::OutsideYear { .. } => "date",
            CalendarError::WorkingWeekday(_) => "working",
            CalendarError::EmptyName(_) | CalendarError::NameTooLong { .. } => "name",
        }
    }
}

impl CalendarDay {
    /// Checks one day on its own: a name of 1 to [`MAX_NAME_CHARS`] characters, and an adjusted
    /// working day only on a Saturday or Sunday (Monday to Friday are working days anyway). A
    /// day off may fall on any day: a holiday's weekend days are part of it as the notice
    /// lists them (春节 2026-02-15 – 02-23).
    pub fn check(&self) -> Result<(), CalendarError> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err(CalendarError::EmptyName(self.date));
        }
        if name.chars().count() > MAX_NAME_CHARS {
            return Err(CalendarError::NameTooLong { date: self.date });
        }
        if self.working && !is_weekend(self.date) {
            return Err(CalendarError::WorkingWeekday(self.date));
        }
        Ok(())
    }
}

/// Checks one year's list of days: each inside `year`, none twice, each by [`CalendarDay::check`].
pub fn check_year(year: i32, days: &[CalendarDay]) -> Result<(), CalendarError> {
    let mut seen = BTreeSet::new();
    for day in days {
        if day.date.year() != year {
            return Err(CalendarError::OutsideYear {
                date: day.date,
                year,
            });
        }
        if !seen.insert(day.date) {
            return Err(CalendarError::DuplicateDate(day.date));
        }
        day.check()?;
    }
    Ok(())
}

impl WorkingCalendar {
    /// The calendar of the covered `years` from their days. Each day must lie in a covered
    /// year, appear once and pass [`CalendarDay::check`].
    pub fn new(
        years: impl IntoIterator<Item = i32>,
        days: impl IntoIterator<Item = CalendarDay>,
    ) -> Result<WorkingCalendar, CalendarError> {
        let years: BTreeSet<i32> = years.into_iter().collect();
        let mut by_date = BTreeMap::new();
        for day in days {
            if !years.contains(&day.date.year()) {
                return Err(CalendarError::OutsideYear {
                    date: day.date,
                    year: day.date.year(),
                });
            }
            day.check()?;
            let date = day.date;
            if by_date.insert(date, day).is_some() {
                return Err(CalendarError::DuplicateDate(date));
            }
        }
        Ok(WorkingCalendar {
            days: by_date,
            years,
        })
    }

    /// A calendar covering no year: Monday to Friday everywhere.
    pub fn weekdays_only() -> WorkingCalendar {
        WorkingCalendar::default()
    }

    /// Whether `year`'s holidays are entered; otherwise its days count Monday to Friday.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains(&year)
    }

    /// The covered years, in order.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }

    /// The years from `from`'s to `to`'s that are not covered, for a page's notice.
    pub fn uncovered_years(&self, from: NaiveDate, to: NaiveDate) -> Vec<i32> {
        (from.year()..=to.year())
            .filter(|year| !self.covers(*year))
            .collect()
    }

    /// The override of `date`, if any.
    pub fn day(&self, date: NaiveDate) -> Option<&CalendarDay> {
        self.days.get(&date)
    }

    /// Every override, in date order.
    pub fn days(&self) -> impl Iterator<Item = &CalendarDay> + '_ {
        self.days.values()
    }

    /// Whether `date` is a working day: its override, else Monday to Friday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(day) => day.working,
            None => !is_weekend(date),
        }
    }

    /// The `days`-th working day counting from `start`, `start` itself included when it is a
    /// working day: 5 working days from Thursday 2026-09-24 end on 2026-10-08.
    pub fn working_days_from(
        &self,
        start: NaiveDate,
        days: u32,
    ) -> Result<NaiveDate, CalendarError> {
        check_count(days)?;
        let mut counted = 0;
        for date in start.iter_days().take(span_len()) {
            if self.is_working_day(date) {
                counted += 1;
                if counted == days {
                    return Ok(date);
                }
            }
        }
        Err(CalendarError::NotEnoughWorkingDays { start })
    }

    /// The `days`-th working day after `start` (the first day counted is the one after it): a
    /// period that begins the day after an event, such as the review time after submission.
    pub fn working_days_after(
        &self,
        start: NaiveDate,
        days: u32,
    ) -> Result<NaiveDate, CalendarError> {
        let next = start
            .succ_opt()
            .ok_or(CalendarError::NotEnoughWorkingDays { start })?;
        self.working_days_from(next, days)
    }

    /// How many working days lie from `from` to `to`, both included; none when `to` is before
    /// `from`. `working_days_between(start, working_days_from(start, n)) == n`.
    pub fn working_days_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<u32, CalendarError> {
        if to < from {
            return Ok(0);
        }
        if (to - from).num_days() >= MAX_SPAN_DAYS {
            return Err(CalendarError::RangeTooLong { from, to });
        }
        let mut counted = 0;
        for date in from.iter_days().take_while(|date| *date <= to) {
            if self.is_working_day(date) {
                counted += 1;
            }
        }
        Ok(counted)
    }
}

/// Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

fn check_count(days: u32) -> Result<(), CalendarError> {
    if days == 0 {
        return Err(CalendarError::ZeroDays);
    }
    if days > MAX_WORKING_DAYS {
        return Err(CalendarError::TooManyDays { days });
    }
    Ok(())
}

fn span_len() -> usize {
    usize::try_from(MAX_SPAN_DAYS).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests;
