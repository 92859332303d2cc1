//! What city supervisors watch (远程监控, issue 5 items 6 and 7): a day's sessions in a scope
//! with their live check-in counts, the attempts from beyond a fence, and the province-wide
//! facts the risk flags are found in (`dte_domain::flags::Dataset`). Reads only.

use crate::classes::{class_scope, scope_binds};
use crate::error::{corrupt_record, count};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use dte_domain::Scope;
use dte_domain::attendance::{
    CheckKind, counts_as_outside_fence, fence_allowance_m, shanghai_instant,
};
use dte_domain::class::Delivery;
use dte_domain::flags::{
    CheckInFact, CorrectionFact, Dataset, EnrolmentFact, MaskedName, PersonFact, SessionFact,
};
use dte_geo::LatLon;

/// A session of the day with its class and its check-ins so far.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveSession {
    pub session_id: i64,
    pub class_id: i64,
    pub class_title: String,
    pub institution_name: String,
    pub region_name: String,
    pub venue_address: String,
    pub venue_lat: f64,
    pub venue_lon: f64,
    pub start_time: NaiveTime,
    pub end_time: NaiveTime,
    pub delivery: String,
    pub hours: i64,
    pub enrolled: i64,
    pub checked_in: i64,
    pub checked_out: i64,
    pub refused: i64,
    /// Attempts that count as outside the fence (`counts_as_outside_fence`), counted in Rust
    /// from the rows so the rule has one definition.
    #[sqlx(skip)]
    pub outside_fence: i64,
}

/// An attempt of the day that counts as outside its session's fence: further out than its
/// accuracy allows (`dte_domain::attendance::counts_as_outside_fence`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FenceViolation {
    pub id: i64,
    pub class_id: i64,
    pub session_id: i64,
    pub at: DateTime<Utc>,
    pub lat: f64,
    pub lon: f64,
    pub accuracy_m: f64,
    pub distance_outside_m: f64,
    pub accepted: bool,
}

/// The classes whose sessions take place (or took place), for SQL on `classes c`.
macro_rules! held {
    () => {
        "c.status IN ('approved', 'running', 'finished', 'closed')"
    };
}

impl Store {
    /// The sessions on `date` of the classes the scope sees (optionally of one region), with
    /// their live counts, by start time.
    pub async fn live_sessions(
        &self,
        scope: &Scope,
        region: Option<&str>,
        date: NaiveDate,
    ) -> Result<Vec<LiveSession>, StoreError> {
        let Some((everything, scope_region, institution, person)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        let mut rows: Vec<LiveSession> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT s.id AS session_id, c.id AS class_id, c.title AS class_title,
                    i.name AS institution_name, c.region_name, c.venue_address, c.venue_lat,
                    c.venue_lon, s.start_time, s.end_time, s.delivery, s.hours,
                    (SELECT COUNT(*) FROM enrolments e
                      WHERE e.class_id = c.id AND e.status = 'active') AS enrolled,
                    CAST(COALESCE(k.checked_in, 0) AS BIGINT) AS checked_in,
                    CAST(COALESCE(k.checked_out, 0) AS BIGINT) AS checked_out,
                    CAST(COALESCE(k.refused, 0) AS BIGINT) AS refused
             FROM class_sessions s
             JOIN classes c ON c.id = s.class_id
             JOIN institutions i ON i.id = c.institution_id
             LEFT JOIN (
                 SELECT session_id,
                        SUM(CASE WHEN accepted AND kind = 'in' THEN 1 ELSE 0 END) AS checked_in,
                        SUM(CASE WHEN accepted AND kind = 'out' THEN 1 ELSE 0 END) AS checked_out,
                        SUM(CASE WHEN accepted THEN 0 ELSE 1 END) AS refused
                 FROM check_ins
                 WHERE session_id IN (SELECT id FROM class_sessions WHERE session_date = $6)
                 GROUP BY session_id
             ) k ON k.session_id = s.id
             WHERE ", class_scope!(), " AND ($5 IS NULL OR c.region_name = $5)
               AND s.session_date = $6 AND ", held!(), "
             ORDER BY s.start_time, c.id, s.id"
        ))
        .bind(everything)
        .bind(scope_region)
        .bind(institution)
        .bind(person)
        .bind(region)
        .bind(date)
        .fetch_all(pool)
        .await)?;
        let violations = self.fence_violations(scope, region, date).await?;
        for row in &mut rows {
            row.outside_fence = violations
                .iter()
                .filter(|violation| violation.session_id == row.session_id)
                .map(|_| 1)
                .sum();
        }
        Ok(rows)
    }

    /// The attempts on `date` that count as outside their session's fence, in the classes the
    /// scope sees. The SQL keeps only positions beyond the fence itself (a position inside never
    /// counts as outside, whatever its accuracy); the domain's rule decides the rest.
    pub async fn fence_violations(
        &self,
        scope: &Scope,
        region: Option<&str>,
        date: NaiveDate,
    ) -> Result<Vec<FenceViolation>, StoreError> {
        let Some((everything, scope_region, institution, person)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        let mut rows: Vec<FenceViolation> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT k.id, k.class_id, k.session_id, k.at, k.lat, k.lon, k.accuracy_m,
                    k.distance_outside_m, k.accepted
             FROM check_ins k
             JOIN class_sessions s ON s.id = k.session_id
             JOIN classes c ON c.id = k.class_id
             WHERE ", class_scope!(), " AND ($5 IS NULL OR c.region_name = $5)
               AND s.session_date = $6 AND k.distance_outside_m > 0
             ORDER BY k.at, k.id"
        ))
        .bind(everything)
        .bind(scope_region)
        .bind(institution)
        .bind(person)
        .bind(region)
        .bind(date)
        .fetch_all(pool)
        .await)?;
        rows.retain(|row| counts_as_outside_fence(row.distance_outside_m, row.accuracy_m));
        Ok(rows)
    }

    /// The facts the risk flags are found in, province-wide: every session from `since` to
    /// `as_of`'s date of the classes that are held, their active enrolments, check-ins and
    /// corrections, and the people involved (names masked here, never whole). Claimed hours are
    /// left to the caller, who computes the hours ledger.
    pub async fn flag_facts(
        &self,
        as_of: DateTime<Utc>,
        since: NaiveDate,
    ) -> Result<Dataset, StoreError> {
        let until = dte_domain::attendance::shanghai_local(as_of).date();
        let sessions: Vec<SessionFactRow> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT s.id, s.class_id, s.session_date, s.start_time, s.end_time, s.delivery,
                    s.hours,
                    CASE WHEN EXISTS (SELECT 1 FROM recordings r WHERE r.session_id = s.id)
                         THEN 1 ELSE 0 END AS has_recording
             FROM class_sessions s JOIN classes c ON c.id = s.class_id
             WHERE ", held!(), " AND s.session_date >= $1 AND s.session_date <= $2
             ORDER BY s.id"
        ))
        .bind(since)
        .bind(until)
        .fetch_all(pool)
        .await)?;
        let enrolments: Vec<(i64, i64, String)> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT e.person_id, e.class_id, p.name FROM enrolments e
             JOIN classes c ON c.id = e.class_id JOIN persons p ON p.id = e.person_id
             WHERE e.status = 'active' AND ", held!(), " AND c.end_date >= $1
             ORDER BY e.class_id, e.person_id"
        ))
        .bind(since)
        .fetch_all(pool)
        .await)?;
        let check_ins: Vec<CheckInRow> = with_db!(self, pool => sqlx::query_as(
            "SELECT k.id, k.class_id, k.session_id, k.person_id, k.at, k.kind, k.lat, k.lon,
                    k.accuracy_m, k.device_id, k.distance_outside_m, k.accepted, k.refusal
             FROM check_ins k JOIN class_sessions s ON s.id = k.session_id
             WHERE s.session_date >= $1 AND s.session_date <= $2
             ORDER BY k.id"
        )
        .bind(since)
        .bind(until)
        .fetch_all(pool)
        .await)?;
        let corrections: Vec<(i64, i64, i64, i64, DateTime<Utc>)> = with_db!(self, pool => sqlx::query_as(
            "SELECT a.id, a.class_id, a.session_id, a.person_id, a.made_at
             FROM attendance_corrections a JOIN class_sessions s ON s.id = a.session_id
             WHERE s.session_date >= $1 AND s.session_date <= $2
             ORDER BY a.id"
        )
        .bind(since)
        .bind(until)
        .fetch_all(pool)
        .await)?;
        let mut people: Vec<PersonFact> = enrolments
            .iter()
            .map(|(person_id, _, name)| PersonFact {
                person_id: *person_id,
                name: MaskedName::mask(name),
            })
            .collect();
        people.sort_by_key(|person| person.person_id);
        people.dedup_by_key(|person| person.person_id);
        let sessions = sessions
            .into_iter()
            .map(SessionFact::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        let check_ins = check_ins
            .into_iter()
            .map(CheckInFact::try_from)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Dataset {
            as_of,
            people,
            sessions,
            enrolments: enrolments
                .into_iter()
                .map(|(person_id, class_id, _)| EnrolmentFact {
                    person_id,
                    class_id,
                })
                .collect(),
            check_ins,
            corrections: corrections
                .into_iter()
                .map(|(id, class_id, session_id, person_id, at)| CorrectionFact {
                    id,
                    class_id,
                    session_id,
                    person_id,
                    at,
                })
                .collect(),
            claims: Vec::new(),
        })
    }
}

impl Store {
    /// The holders of valid training certificates of classes that ended on or after `since`:
    /// (class, person).
    pub async fn certified_trainees(
        &self,
        since: NaiveDate,
    ) -> Result<Vec<(i64, i64)>, StoreError> {
        let rows: Vec<(i64, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT class_id, person_id FROM certificates
             WHERE kind = 'training' AND status = 'valid' AND end_date >= $1
             ORDER BY class_id, person_id"
        )
        .bind(since)
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }
}

#[derive(sqlx::FromRow)]
struct SessionFactRow {
    id: i64,
    class_id: i64,
    session_date: NaiveDate,
    start_time: NaiveTime,
    end_time: NaiveTime,
    delivery: String,
    hours: i64,
    has_recording: i32,
}

impl TryFrom<SessionFactRow> for SessionFact {
    type Error = StoreError;
    fn try_from(row: SessionFactRow) -> Result<SessionFact, StoreError> {
        let delivery = Delivery::parse(&row.delivery)
            .ok_or_else(|| corrupt_record("class_sessions", row.id, "delivery", &row.delivery))?;
        Ok(SessionFact {
            class_id: row.class_id,
            session_id: row.id,
            starts_at: shanghai_instant(row.session_date.and_time(row.start_time)),
            ends_at: shanghai_instant(row.session_date.and_time(row.end_time)),
            delivery,
            hours: count(row.hours),
            has_recording: row.has_recording != 0,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CheckInRow {
    id: i64,
    class_id: i64,
    session_id: i64,
    person_id: i64,
    at: DateTime<Utc>,
    kind: String,
    lat: f64,
    lon: f64,
    accuracy_m: f64,
    device_id: String,
    distance_outside_m: f64,
    accepted: bool,
    refusal: Option<String>,
}

impl TryFrom<CheckInRow> for CheckInFact {
    type Error = StoreError;
    fn try_from(row: CheckInRow) -> Result<CheckInFact, StoreError> {
        let kind = match row.kind.as_str() {
            "in" => CheckKind::CheckIn,
            "out" => CheckKind::CheckOut,
            other => return Err(corrupt_record("check_ins", row.id, "kind", other)),
        };
        let position = LatLon::new(row.lat, row.lon).map_err(|_| {
            corrupt_record(
                "check_ins",
                row.id,
                "position",
                &format!("{}, {}", row.lat, row.lon),
            )
        })?;
        Ok(CheckInFact {
            id: row.id,
            class_id: row.class_id,
            session_id: row.session_id,
            person_id: row.person_id,
            at: row.at,
            kind,
            position: Some(position),
            accuracy_m: row.accuracy_m,
            device_id: Some(row.device_id),
            distance_outside_fence_m: row.distance_outside_m,
            allowance_m: fence_allowance_m(row.accuracy_m),
            accepted: row.accepted,
            wrong_code: row.refusal.as_deref().is_some_and(|refusal| {
                refusal
                    .split(',')
                    .any(|code| matches!(code, "code_expired" | "check_in_locked"))
            }),
            corrected: false,
        })
    }
}
