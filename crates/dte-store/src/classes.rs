//! Classes (班期), their timetables and the regions' quotas. The rules a class must satisfy are
//! decided by `dte_domain::class_rules` before anything is written here; what this module
//! guarantees is that a decision and its write see the same data (the quota is checked and
//! the approval written in one transaction holding the region's quota row) and that every
//! change is audited in the same transaction.

use crate::audit::{Actor, AppendAudit};
use crate::error::{corrupt, corrupt_record, count};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use dte_domain::class::{ClassStatus, Delivery, Funding, SessionPlan};
use dte_domain::{Level, OccupationCode, Scope};
use serde_json::json;

/// A class as the institution plans it (a new class, or the new plan of an editable one).
#[derive(Debug, Clone)]
pub struct NewClass {
    pub institution_id: i64,
    pub region: String,
    pub occupation: OccupationCode,
    pub direction: Option<String>,
    pub level: Level,
    pub funding: Funding,
    pub title: String,
    pub venue_address: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    /// The fence as JSON (`{"circle": {…}}` or `{"polygon": […]}`), as the web layer wrote it.
    pub fence_json: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub capacity: u32,
    pub sessions: Vec<SessionPlan>,
}

/// A stored class with the names a list needs.
#[derive(Debug, Clone)]
pub struct ClassRow {
    pub id: i64,
    pub institution_id: i64,
    pub institution_name: String,
    pub region: String,
    pub occupation: OccupationCode,
    pub occupation_name: String,
    pub direction: Option<String>,
    pub level: Level,
    pub funding: Funding,
    pub title: String,
    pub venue_address: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub fence_json: String,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub year: i32,
    pub capacity: u32,
    pub status: ClassStatus,
    pub rejection_reason: Option<String>,
    /// Active enrolments.
    pub enrolled: u32,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Which classes to list, inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct ClassFilter {
    pub status: Option<ClassStatus>,
    pub region: Option<String>,
    /// Only classes with an id below this one (the `cursor` of the previous page).
    pub before_id: Option<i64>,
}

/// The most classes one page holds.
pub const CLASS_PAGE_MAX: u32 = 200;

/// A region's quota for a year and what holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuotaUsage {
    pub region: String,
    pub quota: u32,
    /// Seats of approved (and later) subsidised classes.
    pub approved_seats: u32,
    /// Seats of subsidised classes waiting for the city's decision.
    pub pending_seats: u32,
}

impl QuotaUsage {
    /// Seats still free for subsidised classes.
    pub fn remaining(&self) -> u32 {
        self.quota.saturating_sub(self.approved_seats)
    }
}

/// One change of a region's quota.
#[derive(Debug, Clone)]
pub struct QuotaChange {
    pub year: i32,
    pub region: String,
    pub quota_before: u32,
    pub quota_after: u32,
    pub reason: String,
    pub changed_by: Option<String>,
    pub changed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ClassRecord {
    id: i64,
    institution_id: i64,
    institution_name: String,
    region_name: String,
    occupation_code: String,
    occupation_name: String,
    direction: Option<String>,
    level: String,
    funding: String,
    title: String,
    venue_address: String,
    venue_lat: f64,
    venue_lon: f64,
    fence_json: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    year: i64,
    capacity: i64,
    status: String,
    rejection_reason: Option<String>,
    enrolled: i64,
    created_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
}

#[derive(sqlx::FromRow)]
struct SessionRecord {
    session_date: NaiveDate,
    start_time: NaiveTime,
    end_time: NaiveTime,
    delivery: String,
    hours: i64,
    teacher: String,
}

#[derive(sqlx::FromRow)]
struct QuotaRecord {
    region_name: String,
    quota: i64,
    approved_seats: i64,
    pending_seats: i64,
}

#[derive(sqlx::FromRow)]
struct QuotaChangeRecord {
    id: i64,
    year: i64,
    region_name: String,
    quota_before: i64,
    quota_after: i64,
    reason: String,
    changed_by: Option<String>,
    changed_at: DateTime<Utc>,
}

impl TryFrom<ClassRecord> for ClassRow {
    type Error = StoreError;
    fn try_from(record: ClassRecord) -> Result<ClassRow, StoreError> {
        Ok(ClassRow {
            id: record.id,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            region: record.region_name,
            occupation: OccupationCode::parse(&record.occupation_code)
                .map_err(|_| corrupt("occupation", &record.occupation_code))?,
            occupation_name: record.occupation_name,
            direction: record.direction,
            level: Level::parse(&record.level).map_err(|_| corrupt("level", &record.level))?,
            funding: Funding::parse(&record.funding)
                .ok_or_else(|| corrupt("funding", &record.funding))?,
            title: record.title,
            venue_address: record.venue_address,
            venue_lat: record.venue_lat,
            venue_lon: record.venue_lon,
            fence_json: record.fence_json,
            start_date: record.start_date,
            end_date: record.end_date,
            year: i32::try_from(record.year).map_err(|_| corrupt("year", "out of range"))?,
            capacity: count(record.capacity),
            status: ClassStatus::parse(&record.status)
                .ok_or_else(|| corrupt("class status", &record.status))?,
            rejection_reason: record.rejection_reason,
            enrolled: count(record.enrolled),
            created_at: record.created_at,
            submitted_at: record.submitted_at,
        })
    }
}

impl TryFrom<SessionRecord> for SessionPlan {
    type Error = StoreError;
    fn try_from(record: SessionRecord) -> Result<SessionPlan, StoreError> {
        Ok(SessionPlan {
            date: record.session_date,
            start: record.start_time,
            end: record.end_time,
            delivery: Delivery::parse(&record.delivery)
                .ok_or_else(|| corrupt("delivery", &record.delivery))?,
            hours: count(record.hours),
            teacher: record.teacher,
        })
    }
}

/// The columns of a class with its names and enrolment count; `c` is `classes`.
macro_rules! class_select {
    () => {
        "SELECT c.id, c.institution_id, i.name AS institution_name, c.region_name,
                c.occupation_code, o.name AS occupation_name, c.direction, c.level, c.funding,
                c.title, c.venue_address, c.venue_lat, c.venue_lon, c.fence_json, c.start_date,
                c.end_date, c.year, c.capacity, c.status, c.rejection_reason,
                (SELECT COUNT(*) FROM enrolments e
                  WHERE e.class_id = c.id AND e.status = 'active') AS enrolled,
                c.created_at, c.submitted_at
         FROM classes c
         JOIN institutions i ON i.id = c.institution_id
         JOIN occupations o ON o.code = c.occupation_code"
    };
}
pub(crate) use class_select;

/// The rows of `classes c` a scope may see, with binds $1 (everything), $2 (region),
/// $3 (institution) and $4 (person). An evaluation institution sees the approved and later
/// classes of the occupations it is listed for; a trainee the classes they are enrolled in.
macro_rules! class_scope {
    () => {
        "($1 OR c.region_name = $2 OR c.institution_id = $3
           OR (c.status NOT IN ('draft', 'submitted', 'rejected') AND c.occupation_code IN (
                 SELECT l.occupation_code FROM institution_listings l
                 JOIN institutions ei ON ei.id = l.institution_id
                 WHERE l.institution_id = $3 AND ei.kind = 'evaluation' AND l.status = 'active'))
           OR c.id IN (SELECT e.class_id FROM enrolments e WHERE e.person_id = $4))"
    };
}
pub(crate) use class_scope;

/// The binds of [`class_scope!`]: everything, region, institution, person.
pub(crate) type ScopeBinds = (bool, Option<String>, Option<i64>, Option<i64>);

/// The binds of [`class_scope!`] for a scope; `None` when the scope sees no class at all.
pub(crate) fn scope_binds(scope: &Scope) -> Option<ScopeBinds> {
    match scope {
        Scope::Province => Some((true, None, None, None)),
        Scope::Region(region) => Some((false, Some(region.clone()), None, None)),
        Scope::Institution(id) => Some((false, None, Some(*id), None)),
        Scope::Person(id) => Some((false, None, None, Some(*id))),
        Scope::Nothing => None,
    }
}

fn class_audit_view(class: &NewClass) -> serde_json::Value {
    json!({
        "institution_id": class.institution_id,
        "region": class.region,
        "occupation": class.occupation.as_str(),
        "direction": class.direction,
        "level": class.level.as_str(),
        "funding": class.funding.as_str(),
        "title": class.title,
        "venue_address": class.venue_address,
        "start_date": class.start_date,
        "end_date": class.end_date,
        "capacity": class.capacity,
        "sessions": class.sessions.len(),
        "hours": class.sessions.iter().map(|session| session.hours).sum::<u32>(),
    })
}

macro_rules! write_sessions {
    ($tx:expr, $class_id:expr, $sessions:expr) => {{
        sqlx::query("DELETE FROM class_sessions WHERE class_id = $1")
            .bind($class_id)
            .execute(&mut *$tx)
            .await?;
        for (position, session) in $sessions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO class_sessions (class_id, position, session_date, start_time,
                     end_time, delivery, hours, teacher)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind($class_id)
            .bind(i64::try_from(position).unwrap_or(i64::MAX))
            .bind(session.date)
            .bind(session.start)
            .bind(session.end)
            .bind(session.delivery.as_str())
            .bind(i64::from(session.hours))
            .bind(&session.teacher)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

impl Store {
    /// Creates a class as a draft with its timetable, audited as `class.create`.
    pub async fn create_class(&self, class: &NewClass, actor: &Actor) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO classes (institution_id, region_name, occupation_code, direction,
                     level, funding, title, venue_address, venue_lat, venue_lon, fence_json,
                     start_date, end_date, year, capacity, status, created_by, created_at,
                     updated_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                         'draft', $16, $17, $17)
                 RETURNING id",
            )
            .bind(class.institution_id)
            .bind(&class.region)
            .bind(class.occupation.as_str())
            .bind(&class.direction)
            .bind(class.level.as_str())
            .bind(class.funding.as_str())
            .bind(&class.title)
            .bind(&class.venue_address)
            .bind(class.venue_lat)
            .bind(class.venue_lon)
            .bind(&class.fence_json)
            .bind(class.start_date)
            .bind(class.end_date)
            .bind(i64::from(class.start_date.year()))
            .bind(i64::from(class.capacity))
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            write_sessions!(tx, id, class.sessions);
            tx.append_audit_entry(&actor.entry("class.create", "class", id, None,
                Some(class_audit_view(class)))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Replaces the plan of a class that is still editable (draft or rejected), audited as
    /// `class.update`. A class in another state is `Conflict`.
    pub async fn update_class(
        &self,
        id: i64,
        class: &NewClass,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE classes SET region_name = $2, occupation_code = $3, direction = $4,
                     level = $5, funding = $6, title = $7, venue_address = $8, venue_lat = $9,
                     venue_lon = $10, fence_json = $11, start_date = $12, end_date = $13,
                     year = $14, capacity = $15, updated_at = $16
                 WHERE id = $1 AND status IN ('draft', 'rejected')",
            )
            .bind(id)
            .bind(&class.region)
            .bind(class.occupation.as_str())
            .bind(&class.direction)
            .bind(class.level.as_str())
            .bind(class.funding.as_str())
            .bind(&class.title)
            .bind(&class.venue_address)
            .bind(class.venue_lat)
            .bind(class.venue_lon)
            .bind(&class.fence_json)
            .bind(class.start_date)
            .bind(class.end_date)
            .bind(i64::from(class.start_date.year()))
            .bind(i64::from(class.capacity))
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            write_sessions!(tx, id, class.sessions);
            tx.append_audit_entry(&actor.entry("class.update", "class", id, None,
                Some(class_audit_view(class)))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The classes a scope may see, newest first, at most `limit` (≤ [`CLASS_PAGE_MAX`]).
    pub async fn classes_in_scope(
        &self,
        scope: &Scope,
        filter: &ClassFilter,
        limit: u32,
    ) -> Result<Vec<ClassRow>, StoreError> {
        let Some((everything, region, institution, person)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        let records: Vec<ClassRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            class_select!(), " WHERE ", class_scope!(), "
               AND ($5 IS NULL OR c.status = $5)
               AND ($6 IS NULL OR c.region_name = $6)
               AND ($7 IS NULL OR c.id < $7)
             ORDER BY c.id DESC LIMIT $8"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(filter.status.map(ClassStatus::as_str))
        .bind(filter.region.as_deref())
        .bind(filter.before_id)
        .bind(i64::from(limit.min(CLASS_PAGE_MAX)))
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ClassRow::try_from).collect()
    }

    /// One class if the scope may see it; `None` both when it does not exist and when it lies
    /// outside the scope, so a refusal leaks nothing.
    pub async fn class_in_scope(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Option<ClassRow>, StoreError> {
        let Some((everything, region, institution, person)) = scope_binds(scope) else {
            return Ok(None);
        };
        let record: Option<ClassRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            class_select!(), " WHERE ", class_scope!(), " AND c.id = $5"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(ClassRow::try_from).transpose()
    }

    /// A class's timetable in order.
    pub async fn class_sessions(&self, class_id: i64) -> Result<Vec<SessionPlan>, StoreError> {
        let records: Vec<SessionRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT session_date, start_time, end_time, delivery, hours, teacher
             FROM class_sessions WHERE class_id = $1 ORDER BY position"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(SessionPlan::try_from).collect()
    }

    /// Moves a class from `from` to `to` (the domain decided the transition is allowed),
    /// audited as `class.<action>`. If the class is no longer in `from` (someone else acted
    /// first) nothing changes and the answer is `Conflict`.
    pub async fn change_class_status(
        &self,
        id: i64,
        from: ClassStatus,
        to: ClassStatus,
        reason: Option<&str>,
        action: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE classes SET status = $3, updated_at = $4,
                     rejection_reason = CASE WHEN $3 = 'rejected' THEN $5 ELSE rejection_reason END,
                     submitted_at = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_at END,
                     decided_at = CASE WHEN $3 IN ('approved', 'rejected') THEN $4 ELSE decided_at END,
                     decided_by = CASE WHEN $3 IN ('approved', 'rejected') THEN $6 ELSE decided_by END
                 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(actor.at)
            .bind(reason)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry(
                &format!("class.{action}"), "class", id,
                Some(json!({"status": from.as_str()})),
                Some(json!({"status": to.as_str(), "reason": reason})),
            )).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Approves a submitted subsidised class against its region's quota: holding the region's
    /// quota row, reads the quota and the seats already approved, asks `decide` (the domain's
    /// quota rule) and writes the approval only if it agrees. Two cities' clerks approving at
    /// once cannot both take the last seats.
    pub async fn approve_within_quota<E>(
        &self,
        id: i64,
        actor: &Actor,
        decide: impl FnOnce(&QuotaUsage, u32) -> Result<(), E>,
    ) -> Result<Result<(), E>, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Write first (a no-op that takes the lock), then read.
            sqlx::query("UPDATE classes SET updated_at = updated_at WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            let (region, year, capacity): (String, i64, i64) = sqlx::query_as(
                "SELECT region_name, year, capacity FROM classes WHERE id = $1 AND status = 'submitted'",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            // A year without quotas yet carries the latest earlier year's forward.
            sqlx::query(CARRY_QUOTAS_FORWARD).bind(year).execute(&mut *tx).await?;
            // The write that locks the quota row until commit.
            sqlx::query("UPDATE region_quotas SET quota = quota WHERE year = $1 AND region_name = $2")
                .bind(year)
                .bind(&region)
                .execute(&mut *tx)
                .await?;
            let usage: Option<QuotaRecord> = sqlx::query_as(QUOTA_USAGE_ONE)
                .bind(year)
                .bind(year)
                .bind(&region)
                .fetch_optional(&mut *tx)
                .await?;
            let usage = usage.map(QuotaUsage::from).unwrap_or(QuotaUsage {
                region: region.clone(),
                quota: 0,
                approved_seats: 0,
                pending_seats: 0,
            });
            if let Err(refusal) = decide(&usage, count(capacity)) {
                return Ok(Err(refusal));
            }
            sqlx::query(
                "UPDATE classes SET status = 'approved', updated_at = $2, decided_at = $2,
                     decided_by = $3
                 WHERE id = $1 AND status = 'submitted'",
            )
            .bind(id)
            .bind(actor.at)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry(
                "class.approve", "class", id,
                Some(json!({"status": "submitted"})),
                Some(json!({"status": "approved", "quota": usage.quota,
                    "approved_seats_before": usage.approved_seats, "seats": capacity})),
            )).await?;
            tx.commit().await?;
            Ok(Ok(()))
        })
    }

    /// Every region's quota for `year` with the seats holding it, in the catalog's order. A
    /// year without quotas yet shows the latest earlier year's, which it will carry forward.
    pub async fn quota_usage(&self, year: i32) -> Result<Vec<QuotaUsage>, StoreError> {
        let quota_year: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT MAX(year) FROM region_quotas WHERE year <= $1"
        )
        .bind(i64::from(year))
        .fetch_one(pool)
        .await)?;
        let Some(quota_year) = quota_year else {
            return Ok(Vec::new());
        };
        let records: Vec<QuotaRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            quota_usage_select!(), " ORDER BY r.position"
        ))
        .bind(quota_year)
        .bind(i64::from(year))
        .fetch_all(pool)
        .await)?;
        Ok(records.into_iter().map(QuotaUsage::from).collect())
    }

    /// Sets a region's quota for a year, keeping the history with the reason, audited as
    /// `quota.update`. An unknown region or year without a quota is `NotFound`.
    pub async fn set_region_quota(
        &self,
        year: i32,
        region: &str,
        quota: u32,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            sqlx::query(CARRY_QUOTAS_FORWARD).bind(i64::from(year)).execute(&mut *tx).await?;
            // Write first, then read: the write takes the lock (see `AppendAudit`).
            let touched = sqlx::query(
                "UPDATE region_quotas SET quota = quota WHERE year = $1 AND region_name = $2",
            )
            .bind(i64::from(year))
            .bind(region)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if touched == 0 {
                return Err(StoreError::NotFound);
            }
            let before: i64 = sqlx::query_scalar(
                "SELECT quota FROM region_quotas WHERE year = $1 AND region_name = $2",
            )
            .bind(i64::from(year))
            .bind(region)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query("UPDATE region_quotas SET quota = $3 WHERE year = $1 AND region_name = $2")
                .bind(i64::from(year))
                .bind(region)
                .bind(i64::from(quota))
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO region_quota_changes (year, region_name, quota_before, quota_after,
                     reason, changed_by, changed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(i64::from(year))
            .bind(region)
            .bind(before)
            .bind(i64::from(quota))
            .bind(reason)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry(
                "quota.update", "region_quota", format!("{year}/{region}"),
                Some(json!({"quota": before})),
                Some(json!({"quota": quota, "reason": reason})),
            )).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The history of quota changes of a year, newest first.
    pub async fn quota_changes(&self, year: i32) -> Result<Vec<QuotaChange>, StoreError> {
        let records: Vec<QuotaChangeRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT q.id, q.year, q.region_name, q.quota_before, q.quota_after, q.reason,
                    u.username AS changed_by, q.changed_at
             FROM region_quota_changes q LEFT JOIN users u ON u.id = q.changed_by
             WHERE q.year = $1 ORDER BY q.id DESC"
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await)?;
        records
            .into_iter()
            .map(|record| {
                Ok(QuotaChange {
                    year: i32::try_from(record.year).map_err(|_| {
                        corrupt_record(
                            "region_quota_changes",
                            record.id,
                            "year",
                            &record.year.to_string(),
                        )
                    })?,
                    region: record.region_name,
                    quota_before: count(record.quota_before),
                    quota_after: count(record.quota_after),
                    reason: record.reason,
                    changed_by: record.changed_by,
                    changed_at: record.changed_at,
                })
            })
            .collect()
    }
}

/// Each region's quota of year $1 with the approved and pending subsidised seats of classes
/// in year $2; `r` is regions.
macro_rules! quota_usage_select {
    () => {
        "SELECT r.name AS region_name, q.quota,
                CAST(COALESCE((SELECT SUM(c.capacity) FROM classes c
                     WHERE c.region_name = r.name AND c.year = $2 AND c.funding = 'subsidised'
                       AND c.status IN ('approved', 'running', 'finished', 'closed')), 0) AS BIGINT)
                    AS approved_seats,
                CAST(COALESCE((SELECT SUM(c.capacity) FROM classes c
                     WHERE c.region_name = r.name AND c.year = $2 AND c.funding = 'subsidised'
                       AND c.status = 'submitted'), 0) AS BIGINT) AS pending_seats
         FROM regions r JOIN region_quotas q ON q.region_name = r.name AND q.year = $1"
    };
}
use quota_usage_select;

/// Copies the latest earlier year's quotas into year $1 when it has none: quotas carry over
/// to a new year until the province adjusts them (the plan: 名额动态调整).
const CARRY_QUOTAS_FORWARD: &str = "INSERT INTO region_quotas (year, region_name, quota)
     SELECT $1, q.region_name, q.quota FROM region_quotas q
     WHERE q.year = (SELECT MAX(p.year) FROM region_quotas p WHERE p.year < $1)
       AND NOT EXISTS (SELECT 1 FROM region_quotas n WHERE n.year = $1)";

const QUOTA_USAGE_ONE: &str = concat!(quota_usage_select!(), " WHERE r.name = $3");

impl From<QuotaRecord> for QuotaUsage {
    fn from(record: QuotaRecord) -> QuotaUsage {
        QuotaUsage {
            region: record.region_name,
            quota: count(record.quota),
            approved_seats: count(record.approved_seats),
            pending_seats: count(record.pending_seats),
        }
    }
}
