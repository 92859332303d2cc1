//! A class's attendance as it counts (issue 5, items 2 and 4): each trainee's hours ledger
//! from the accepted check-ins, the institution's corrections and the online credit, decided
//! by `dte_domain::attendance`; and the institution's corrections, each with its reason.

use super::check_in::session_plan;
use super::{actor, class_for};
use crate::Context;
use crate::Principal;
use crate::ServiceError;
use chrono::{DateTime, Utc};
use dte_domain::Scope;
use dte_domain::attendance::{
    CheckKind, CorrectionReason, HoursLedger, SessionAttendance, check_correctable, counted_punch,
    hours_ledger, offline_attendance,
};
use dte_domain::class::{Delivery, SessionPlan};
use dte_store::{ClassRow, NewCorrection, SessionRow, Store, StoreError};
use serde::Deserialize;
use std::collections::HashMap;
use utoipa::ToSchema;

/// One trainee's line of the class's ledger.
#[derive(Debug, Clone)]
pub struct TraineeLedger {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub ledger: HoursLedger,
}

/// A class's ledger: its sessions and each active trainee's hours.
#[derive(Debug, Clone)]
pub struct ClassLedger {
    pub class: ClassRow,
    pub sessions: Vec<SessionRow>,
    pub trainees: Vec<TraineeLedger>,
    pub minimum_attendance_percent: u32,
}

/// Credited minutes of each trainee's online sessions, by (session, person), from the
/// learning page's heartbeats and presence confirmations (`dte_domain::attendance::online_credit`).
async fn online_minutes(
    store: &Store,
    class: &ClassRow,
) -> Result<HashMap<(i64, i64), u32>, ServiceError> {
    Ok(store
        .online_credits_of_class(class.id)
        .await?
        .into_iter()
        .map(|row| ((row.session_id, row.person_id), row.credit.minutes))
        .collect())
}

/// The ledger of every active trainee of a class the principal may see, as of now; a trainee
/// sees only their own line.
pub async fn class_ledger(
    context: &Context,
    principal: &Principal,
    class_id: i64,
) -> Result<ClassLedger, ServiceError> {
    let class = class_for(context, principal, class_id).await?;
    let own = match principal.user().map(|user| user.scope()) {
        Some(Scope::Person(person_id)) => Some(person_id),
        _ => None,
    };
    ledger_of(context, class, own).await
}

/// The ledger of a class as of now, of every active trainee or only of `only`. The principal
/// has checked the scope.
pub async fn ledger_of(
    context: &Context,
    class: ClassRow,
    only: Option<i64>,
) -> Result<ClassLedger, ServiceError> {
    ledger_at(&context.store, class, only, context.clock.now()).await
}

/// [`ledger_of`] as of `as_of` (also how `dte demo` completes its classes).
pub async fn ledger_at(
    store: &Store,
    class: ClassRow,
    only: Option<i64>,
    as_of: DateTime<Utc>,
) -> Result<ClassLedger, ServiceError> {
    let sessions = store.sessions_of_class(class.id).await?;
    let plans: Vec<SessionPlan> = sessions.iter().map(session_plan).collect();
    // The policy in force on the class's last day: the attendance minimum and the online share.
    let policy = store.policy_on(class.end_date).await?;
    let percent = policy.minimum_attendance_percent.get();
    let checks = store.class_accepted_checks(class.id).await?;
    let accepted: HashMap<(i64, i64, &str), DateTime<Utc>> = checks
        .iter()
        .map(|check| {
            (
                (check.session_id, check.person_id, check.kind.as_str()),
                check.at,
            )
        })
        .collect();
    // Corrections come oldest first: the last one inserted for a key is the latest.
    let corrections = store.class_corrections(class.id).await?;
    let latest: HashMap<(i64, i64, &str), bool> = corrections
        .iter()
        .map(|row| {
            (
                (row.session_id, row.person_id, row.kind.as_str()),
                row.present,
            )
        })
        .collect();
    let online = online_minutes(store, &class).await?;
    let mut trainees = Vec::new();
    for entry in store.class_roster(class.id).await? {
        if !entry.active || only.is_some_and(|person| person != entry.person_id) {
            continue;
        }
        let person = entry.person_id;
        let attendance: Vec<SessionAttendance> = sessions
            .iter()
            .zip(&plans)
            .map(|(session, plan)| {
                let punch = |kind: CheckKind, key: &'static str| {
                    counted_punch(
                        plan,
                        kind,
                        accepted.get(&(session.id, person, key)).copied(),
                        latest.get(&(session.id, person, key)).copied(),
                    )
                };
                match plan.delivery {
                    Delivery::Offline => offline_attendance(
                        plan,
                        as_of,
                        punch(CheckKind::CheckIn, "in"),
                        punch(CheckKind::CheckOut, "out"),
                    ),
                    Delivery::Online => SessionAttendance::Online {
                        credited_minutes: online.get(&(session.id, person)).copied().unwrap_or(0),
                    },
                }
            })
            .collect();
        let ledger = hours_ledger(
            &plans,
            &attendance,
            percent,
            policy.online_share_max_percent,
        )
        .map_err(ServiceError::internal)?;
        trainees.push(TraineeLedger {
            person_id: person,
            name: entry.name,
            id_number_masked: entry.id_number_masked,
            ledger,
        });
    }
    Ok(ClassLedger {
        class,
        sessions,
        trainees,
        minimum_attendance_percent: percent,
    })
}

/// The institution's correction of one trainee's check-in or check-out.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CorrectionRequest {
    pub person_id: i64,
    /// `in` (签到) or `out` (签退).
    pub kind: String,
    /// `true`: the trainee was there (补签); `false`: the record does not count.
    pub present: bool,
    /// Why (required, at most 200 characters); shown to supervisors and audited.
    pub reason: String,
}

/// Records a correction by the institution running the class; answers its id.
pub async fn correct(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    request: &CorrectionRequest,
) -> Result<i64, ServiceError> {
    let kind = match request.kind.trim() {
        "in" => "in",
        "out" => "out",
        _ => {
            return Err(ServiceError::invalid(
                "kind",
                "kind 应为 in（签到）或 out（签退）",
            ));
        }
    };
    let reason = CorrectionReason::parse(&request.reason)
        .map_err(|error| ServiceError::invalid("reason", error.to_string()))?;
    let session = context.store.session(session_id).await?.ok_or_else(|| {
        ServiceError::not_found(
            "session_not_found",
            format!("未找到编号为 {session_id} 的课次"),
        )
    })?;
    let class = class_for(context, principal, session.class_id).await?;
    crate::access::authorize(
        principal,
        dte_domain::access::Action::CorrectAttendance,
        &crate::access::class_record(&class),
    )?;
    if session_plan(&session).delivery == Delivery::Online {
        return Err(ServiceError::invalid(
            "session",
            "线上课次的学时由学习记录计算，不能更正签到",
        ));
    }
    check_correctable(&session_plan(&session), context.clock.now())
        .map_err(|error| ServiceError::invalid("session", error.to_string()))?;
    let correction = NewCorrection {
        session_id: session.id,
        class_id: class.id,
        person_id: request.person_id,
        kind,
        present: request.present,
        reason: reason.as_str().to_owned(),
    };
    match context
        .store
        .correct_attendance(&correction, &actor(context, principal))
        .await
    {
        Ok(id) => Ok(id),
        Err(StoreError::NotFound) => Err(ServiceError::invalid(
            "person_id",
            format!("学员（编号 {}）不在本班期的在册名单中", request.person_id),
        )),
        Err(error) => Err(error.into()),
    }
}

/// The attendance corrections of a class in the principal's scope, newest first.
pub async fn corrections(
    context: &Context,
    principal: &Principal,
    class_id: i64,
) -> Result<Vec<dte_store::CorrectionRow>, ServiceError> {
    let class = class_for(context, principal, class_id).await?;
    Ok(context.store.class_corrections(class.id).await?)
}
