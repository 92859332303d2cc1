//! Completion of a class (结业考核, issue 6 item 1) as the institution sees it: for each active
//! trainee the hours ledger (`dte_domain::attendance::hours_ledger` on the accepted check-ins
//! and the online credit), the recorded result, and the domain's verdict
//! (`dte_domain::completion::assess`) with every reason why not.

use crate::AppState;
use crate::error::AppError;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use dte_domain::attendance::{HoursLedger, Punch, SessionAttendance, Timing, hours_ledger};
use dte_domain::class::Delivery;
use dte_domain::completion::{CompletionFacts, CompletionRefusal, CompletionResult, assess};
use dte_domain::reference::SettingKey;
use dte_store::{CheckSide, ClassRow, SessionRow, Store};
use std::collections::HashMap;

/// One trainee's completion.
#[derive(Debug, Clone)]
pub struct TraineeCompletion {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub ledger: HoursLedger,
    pub result: Option<CompletionResult>,
    pub certificate: Option<String>,
    /// Empty when the trainee may be certified.
    pub refusals: Vec<CompletionRefusal>,
}

impl TraineeCompletion {
    pub fn eligible(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// How long after a session's end its check-out still counts: the attendance rules' window.
const CHECK_OUT_GRACE_MINUTES: i64 = 60;

/// The completion of every active trainee of a class, in roster order.
pub async fn class_completion(
    state: &AppState,
    class: &ClassRow,
) -> Result<Vec<TraineeCompletion>, AppError> {
    class_completion_at(&state.store, class, state.clock.now()).await
}

/// [`class_completion`] at `now`, with the settings in force then (also used by `dte demo`).
pub async fn class_completion_at(
    store: &Store,
    class: &ClassRow,
    now: DateTime<Utc>,
) -> Result<Vec<TraineeCompletion>, AppError> {
    let sessions = store.sessions_of_class(class.id).await?;
    let plans = store.class_sessions(class.id).await?;
    let minimum = store
        .settings(crate::clock::shanghai_today(now))
        .await?
        .into_iter()
        .find(|setting| setting.key == SettingKey::MinimumAttendancePercent)
        .map_or(90, |setting| u32::try_from(setting.value).unwrap_or(90));
    let standard_hours = standard_hours(store, class).await?;
    let mut checks: HashMap<(i64, i64), (bool, bool, bool)> = HashMap::new();
    for check in store.accepted_checks(class.id).await? {
        let entry = checks
            .entry((check.person_id, check.session_id))
            .or_default();
        match check.kind {
            CheckSide::In => {
                entry.0 = true;
                entry.2 = check.late;
            }
            CheckSide::Out => entry.1 = true,
        }
    }
    let results: HashMap<i64, CompletionResult> = store
        .completion_results(class.id)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.person_id,
                CompletionResult {
                    passed: row.passed,
                    score: row.score,
                    remark: row.remark,
                },
            )
        })
        .collect();
    let certificates: HashMap<i64, String> = store
        .certificates_in_scope(
            &dte_domain::Scope::Province,
            &dte_store::CertificateFilter {
                kind: Some(dte_domain::CertificateKind::Training),
                class_id: Some(class.id),
                limit: dte_store::CERTIFICATE_PAGE_MAX,
                ..Default::default()
            },
        )
        .await?
        .into_iter()
        .map(|row| (row.person_id, row.number))
        .collect();
    let mut trainees = Vec::new();
    for entry in store.class_roster(class.id).await? {
        if !entry.active {
            continue;
        }
        let mut attendance = Vec::with_capacity(sessions.len());
        for session in &sessions {
            attendance
                .push(session_attendance(store, session, entry.person_id, &checks, now).await?);
        }
        let ledger = hours_ledger(&plans, &attendance, minimum).map_err(AppError::internal)?;
        let result = results.get(&entry.person_id).cloned();
        let certificate = certificates.get(&entry.person_id).cloned();
        let refusals = assess(&CompletionFacts {
            ledger: &ledger,
            standard_hours,
            result: result.as_ref(),
            certificate: certificate.as_deref(),
        })
        .err()
        .unwrap_or_default();
        trainees.push(TraineeCompletion {
            person_id: entry.person_id,
            name: entry.name,
            id_number_masked: entry.id_number_masked,
            ledger,
            result,
            certificate,
            refusals,
        });
    }
    Ok(trainees)
}

/// The occupation's 学时要求 at the class's level (附件5), from the catalog of its start year.
async fn standard_hours(store: &Store, class: &ClassRow) -> Result<u32, AppError> {
    let year = store.catalog_year(class.year).await?;
    Ok(store
        .occupations(year)
        .await?
        .into_iter()
        .find(|occupation| occupation.code == class.occupation)
        .and_then(|occupation| {
            occupation
                .levels
                .into_iter()
                .find(|level| level.level == class.level)
        })
        .map_or(0, |level| level.hours))
}

/// A trainee's attendance of one session, as the ledger counts it.
async fn session_attendance(
    store: &Store,
    session: &SessionRow,
    person_id: i64,
    checks: &HashMap<(i64, i64), (bool, bool, bool)>,
    now: DateTime<Utc>,
) -> Result<SessionAttendance, AppError> {
    let ends = shanghai_instant(session.date.and_time(session.end));
    if ends + Duration::minutes(CHECK_OUT_GRACE_MINUTES) > now {
        return Ok(SessionAttendance::Upcoming);
    }
    match Delivery::parse(&session.delivery) {
        Some(Delivery::Online) => Ok(SessionAttendance::Online {
            credited_minutes: online_credited_minutes(store, session.id, person_id).await?,
        }),
        _ => {
            let (checked_in, checked_out, late) = checks
                .get(&(person_id, session.id))
                .copied()
                .unwrap_or_default();
            if !checked_in && !checked_out {
                return Ok(SessionAttendance::Absent);
            }
            let punch = |timing| Punch {
                timing,
                corrected: false,
            };
            Ok(SessionAttendance::Offline {
                check_in: checked_in.then(|| {
                    punch(if late {
                        Timing::Late { minutes: 1 }
                    } else {
                        Timing::OnTime
                    })
                }),
                check_out: checked_out.then(|| punch(Timing::OnTime)),
            })
        }
    }
}

/// The minutes of an online session credited to a trainee by the online-learning records.
///
/// The one place completion reads online credit. Online learning (heartbeats and presence
/// confirmations, `dte_domain::attendance::online_credit`) is being stored on another branch;
/// until it lands here, no online minute is credited, so online sessions count nothing.
pub async fn online_credited_minutes(
    _store: &Store,
    _session_id: i64,
    _person_id: i64,
) -> Result<u32, AppError> {
    Ok(0)
}

/// A wall-clock time in Shanghai (UTC+8, no daylight saving) as an instant.
fn shanghai_instant(local: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(local - Duration::hours(8), Utc)
}
