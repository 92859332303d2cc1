//! The holiday calendar (放假调休): the days that differ from Monday to Friday, loaded from the
//! reference data with its year and added or changed by the province, every change audited.
//! Which day may be entered is `dte_domain::calendar`'s rule; this module keeps what it decided.

use crate::audit::{Actor, AppendAudit};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dte_domain::calendar::{CalendarDay, WorkingCalendar};
use serde_json::json;
use std::collections::BTreeSet;
use std::ops::RangeInclusive;

/// One stored calendar day with who entered it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDayRow {
    pub day: CalendarDay,
    /// The account that entered or last changed the day; `None` for the reference data.
    pub added_by: Option<String>,
    pub added_at: DateTime<Utc>,
}

/// What [`Store::set_calendar_day`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CalendarChange {
    /// The date had no entry; it has one now.
    Added,
    /// The date's entry was changed from this one.
    Changed { before: CalendarDay },
}

impl Store {
    /// The calendar of the years in `years` that have entries: those years are covered, the
    /// others count Monday to Friday. A stored day the domain refuses is `Corrupt`.
    pub async fn working_calendar(
        &self,
        years: RangeInclusive<i32>,
    ) -> Result<WorkingCalendar, StoreError> {
        let rows: Vec<CalendarDayRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT c.date, c.working, c.name, u.username AS added_by, c.added_at
             FROM calendar_days c LEFT JOIN users u ON u.id = c.added_by
             WHERE c.year BETWEEN $1 AND $2 ORDER BY c.date",
        )
        .bind(i64::from(*years.start()))
        .bind(i64::from(*years.end()))
        .fetch_all(pool)
        .await)?;
        let covered: BTreeSet<i32> = rows.iter().map(|row| row.date.year()).collect();
        WorkingCalendar::new(covered, rows.into_iter().map(|row| row.into_row().day))
            .map_err(|error| StoreError::Corrupt(format!("calendar_days: {error}")))
    }

    /// Every entered day of `year`, in date order, with who entered it.
    pub async fn calendar_days(&self, year: i32) -> Result<Vec<CalendarDayRow>, StoreError> {
        let rows: Vec<CalendarDayRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT c.date, c.working, c.name, u.username AS added_by, c.added_at
             FROM calendar_days c LEFT JOIN users u ON u.id = c.added_by
             WHERE c.year = $1 ORDER BY c.date",
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await)?;
        Ok(rows.into_iter().map(CalendarDayRecord::into_row).collect())
    }

    /// The years that have entries, in order.
    pub async fn calendar_years(&self) -> Result<Vec<i32>, StoreError> {
        let years: Vec<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT DISTINCT year FROM calendar_days ORDER BY year",
        )
        .fetch_all(pool)
        .await)?;
        years
            .into_iter()
            .map(|year| {
                i32::try_from(year).map_err(|_| StoreError::Corrupt(format!("year {year}")))
            })
            .collect()
    }

    /// Adds a day or changes the date's entry (the province's edit), audited as
    /// `calendar_day.add` or `calendar_day.change` in the same transaction. The caller has
    /// checked the day with `dte_domain::calendar`.
    pub async fn set_calendar_day(
        &self,
        day: &CalendarDay,
        actor: &Actor,
    ) -> Result<CalendarChange, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Write first, then read: the write takes the lock (see `AppendAudit`).
            sqlx::query("UPDATE calendar_days SET date = date WHERE date = $1")
                .bind(day.date)
                .execute(&mut *tx)
                .await?;
            let before: Option<(bool, String)> = sqlx::query_as(
                "SELECT working, name FROM calendar_days WHERE date = $1",
            )
            .bind(day.date)
            .fetch_optional(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO calendar_days (date, year, working, name, added_by, added_at)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (date) DO UPDATE SET working = excluded.working, name = excluded.name,
                     added_by = excluded.added_by, added_at = excluded.added_at",
            )
            .bind(day.date)
            .bind(i64::from(day.date.year()))
            .bind(day.working)
            .bind(day.name.trim())
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            let after = json!({"working": day.working, "name": day.name.trim()});
            let (action, change, before_json) = match before {
                None => ("calendar_day.add", CalendarChange::Added, None),
                Some((working, name)) => (
                    "calendar_day.change",
                    CalendarChange::Changed {
                        before: CalendarDay { date: day.date, working, name: name.clone() },
                    },
                    Some(json!({"working": working, "name": name})),
                ),
            };
            tx.append_audit_entry(&actor.entry(
                action, "calendar_day", day.date, before_json, Some(after),
            )).await?;
            tx.commit().await?;
            Ok(change)
        })
    }
}

#[derive(sqlx::FromRow)]
struct CalendarDayRecord {
    date: NaiveDate,
    working: bool,
    name: String,
    added_by: Option<String>,
    added_at: DateTime<Utc>,
}

impl CalendarDayRecord {
    fn into_row(self) -> CalendarDayRow {
        CalendarDayRow {
            day: CalendarDay {
                date: self.date,
                working: self.working,
                name: self.name,
            },
            added_by: self.added_by,
            added_at: self.added_at,
        }
    }
}
