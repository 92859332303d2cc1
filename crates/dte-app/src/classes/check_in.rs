//! Check-in and check-out through the API (attendance issue, item 1): the classroom's rotating
//! code for the institution's display, and a trainee's attempt decided by
//! `dte_domain::attendance::decide_check` and written through the group-commit
//! `CheckInWriter`. Every attempt is kept; a retry with the same idempotency key is answered
//! with what the first made, and the answer says plainly whether it counted.

use super::plan::FenceInput;
use crate::Context;
use crate::Principal;
use crate::{Detail, ServiceError};
use chrono::{DateTime, Utc};
use dte_crypto::SessionSecret;
use dte_domain::Scope;
use dte_domain::access::Action;
use dte_domain::attendance::{
    Attempt, CheckKind, CodeSlot, Timing, WRONG_CODES_PER_SESSION, decide_time_and_place,
    judge_code,
};
use dte_domain::class::{ClassStatus, Delivery, SessionPlan};
use dte_geo::LatLon;
use dte_store::{CheckInOutcome, ClassRow, NewCheckIn, SessionRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Associated data of a session secret's envelope.
const SECRET_AD: &[u8] = b"session_secrets.secret";

/// The classroom display's current code.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClassroomCode {
    pub session_id: i64,
    /// Six digits; the previous code is accepted too.
    pub code: String,
    /// Seconds until the next code.
    pub seconds_left: u64,
}

/// A trainee's attempt, as the check-in page sends it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CheckInRequest {
    /// `in` (签到) or `out` (签退); `check_in`/`check_out` are accepted too.
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
    /// The browser's reported accuracy in metres.
    pub accuracy_m: f64,
    /// The code shown in the classroom.
    pub code: String,
    /// A stable id the page keeps for this browser.
    pub device_id: String,
    /// A fresh key per attempt; a retry of the same attempt sends the same key.
    pub idempotency_key: String,
}

/// Whether the attempt counted, in words for the trainee.
#[derive(Debug, Serialize, ToSchema)]
pub struct CheckInAnswer {
    /// Whether this check-in (or check-out) counts for attendance.
    pub counted: bool,
    /// `recorded`, `repeated` (the same attempt again) or `already` (counted before).
    pub outcome: String,
    pub message: String,
}

/// A stored session as the domain's plan of it (the teacher is not needed by the rules).
pub fn session_plan(session: &SessionRow) -> SessionPlan {
    SessionPlan {
        date: session.date,
        start: session.start,
        end: session.end,
        delivery: Delivery::parse(&session.delivery).unwrap_or(Delivery::Offline),
        hours: session.hours,
        teacher: String::new(),
    }
}

/// The session and its class, if the principal's scope holds the class.
pub async fn session_in_scope(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<(SessionRow, ClassRow), ServiceError> {
    let not_found = session_not_found;
    let session = context
        .store
        .session(session_id)
        .await?
        .ok_or_else(not_found)?;
    let class = super::class_of_record(context, principal, session.class_id, not_found).await?;
    Ok((session, class))
}

/// The one answer for a session that does not exist or is not the principal's to see.
/// It names no id and no class, so it is the same bytes for every session.
pub fn session_not_found() -> ServiceError {
    ServiceError::not_found("session_not_found", "未找到该课次，或您无权查看")
}

/// Opens a stored secret envelope.
fn open_secret(context: &Context, cipher: &str) -> Result<SessionSecret, ServiceError> {
    let hex = context
        .keyring
        .decrypt(cipher, SECRET_AD)
        .map_err(ServiceError::internal)?;
    SessionSecret::from_hex(&hex)
        .ok_or_else(|| ServiceError::internal("stored session secret is not hex"))
}

/// The session's secret for the classroom display: created on first use, kept encrypted.
async fn display_secret(context: &Context, session_id: i64) -> Result<SessionSecret, ServiceError> {
    let cipher = match context.store.session_secret(session_id).await? {
        Some(cipher) => cipher,
        None => {
            let fresh = context
                .keyring
                .encrypt(&SessionSecret::generate().to_hex(), SECRET_AD);
            context
                .store
                .create_session_secret(session_id, &fresh, context.clock.now())
                .await?
        }
    };
    open_secret(context, &cipher)
}

/// The code to show in the classroom, for the institution running the class.
pub async fn classroom_code(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<ClassroomCode, ServiceError> {
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    crate::access::authorize(
        principal,
        Action::ShowCheckInCode,
        &crate::access::class_record(&class),
    )?;
    let secret = display_secret(context, session.id).await?;
    let now = context.clock.now().timestamp();
    Ok(ClassroomCode {
        session_id,
        code: dte_crypto::rotating_code::code_at(&secret, now),
        seconds_left: dte_crypto::rotating_code::seconds_until_next_code(now),
    })
}

/// A trainee checks in or out of a session of a class they are enrolled in.
pub async fn check_in(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    request: &CheckInRequest,
) -> Result<CheckInAnswer, ServiceError> {
    let person_id = match principal.user().map(|user| user.scope()) {
        Some(Scope::Person(person_id)) if crate::access::admits(principal, Action::CheckIn) => {
            person_id
        }
        _ => return Err(ServiceError::forbidden("只有学员本人可以签到")),
    };
    let kind = match request.kind.trim() {
        "in" => Some(CheckKind::CheckIn),
        "out" => Some(CheckKind::CheckOut),
        other => CheckKind::parse(other),
    }
    .ok_or_else(|| ServiceError::invalid("kind", "kind 应为 in（签到）或 out（签退）"))?;
    let position = LatLon::new(request.lat, request.lon)
        .map_err(|error| ServiceError::invalid("lat", error.to_string()))?;
    if !request.accuracy_m.is_finite() || request.accuracy_m < 0.0 {
        return Err(ServiceError::invalid(
            "accuracy_m",
            "定位精度应为不小于 0 的米数",
        ));
    }
    let device_id = request.device_id.trim();
    let key = request.idempotency_key.trim();
    if device_id.is_empty() || device_id.len() > 100 {
        return Err(ServiceError::invalid(
            "device_id",
            "缺少设备标识，请刷新签到页面后重试",
        ));
    }
    if key.is_empty() || key.len() > 100 {
        return Err(ServiceError::invalid(
            "idempotency_key",
            "缺少请求标识，请刷新签到页面后重试",
        ));
    }
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    let facts = crate::access::class_facts(context, principal, &class).await?;
    crate::access::authorize(principal, Action::CheckIn, &facts)?;
    if !matches!(class.status, ClassStatus::Approved | ClassStatus::Running) {
        return Err(ServiceError::conflict(
            "class_not_running",
            format!("班期当前状态为“{}”，不能签到", class.status.label()),
        ));
    }
    let fence: FenceInput =
        serde_json::from_str(&class.fence_json).map_err(ServiceError::internal)?;
    let fence = fence.to_fence().map_err(ServiceError::internal)?;
    let now = context.clock.now();
    // A check-in only reads the secret: with none, no code was ever shown, so none is right.
    let code_accepted = match context.store.session_secret(session.id).await? {
        Some(cipher) => dte_crypto::rotating_code::accepts(
            &open_secret(context, &cipher)?,
            &request.code,
            now.timestamp(),
        ),
        None => false,
    };
    let attempt = Attempt {
        kind,
        at: now,
        position,
        accuracy_m: request.accuracy_m,
        code_accepted,
    };
    let decision = decide(context, &session, &fence, &attempt, person_id).await?;
    let record = NewCheckIn {
        session_id: session.id,
        class_id: class.id,
        person_id,
        kind: if kind == CheckKind::CheckIn {
            "in"
        } else {
            "out"
        },
        at: now,
        lat: position.lat,
        lon: position.lon,
        accuracy_m: request.accuracy_m,
        device_id: device_id.to_owned(),
        distance_outside_m: match &decision {
            Ok(verdict) => verdict.distance_outside_fence_m,
            Err(_) => dte_geo::distance_outside_fence_m(&fence, position),
        },
        late: matches!(&decision, Ok(verdict) if matches!(verdict.timing, Timing::Late { .. })),
        accepted: decision.is_ok(),
        refusal: decision.as_ref().err().map(|refusals| {
            refusals
                .iter()
                .map(|refusal| refusal.code())
                .collect::<Vec<_>>()
                .join(",")
        }),
        idempotency_key: format!("{person_id}:{key}"),
    };
    let outcome = context.check_ins.submit(record).await?;
    let label = kind.label();
    match (outcome, &decision) {
        (CheckInOutcome::AlreadyDone { at, .. }, _) => Ok(CheckInAnswer {
            counted: true,
            outcome: "already".into(),
            message: format!(
                "您已于 {} {}成功，本次不重复计入",
                crate::shanghai_time(at),
                label
            ),
        }),
        (
            CheckInOutcome::Recorded { accepted: true, .. }
            | CheckInOutcome::Repeated { accepted: true, .. },
            Ok(verdict),
        ) => Ok(CheckInAnswer {
            counted: true,
            outcome: if matches!(outcome, CheckInOutcome::Recorded { .. }) {
                "recorded"
            } else {
                "repeated"
            }
            .into(),
            message: verdict.message(),
        }),
        (_, Err(refusals)) => Err(ServiceError::violations(
            refusals
                .iter()
                .map(|refusal| Detail {
                    code: refusal.code().into(),
                    message: format!("{label}未成功：{}", refusal.message()),
                    field: None,
                })
                .collect(),
        )),
        (_, Ok(_)) => Err(ServiceError::internal(
            "a refused record for an accepted attempt",
        )),
    }
}

/// `decide_time_and_place`, then, only when that passes, the code: each code judged takes one
/// of the trainee's `WRONG_CODES_PER_SESSION` slots for the session (atomically in the store,
/// so concurrent guesses cannot exceed it) and a right code gives it back (issue 15 item 2).
async fn decide(
    context: &Context,
    session: &SessionRow,
    fence: &dte_geo::Fence,
    attempt: &Attempt,
    person_id: i64,
) -> Result<
    Result<dte_domain::attendance::Verdict, Vec<dte_domain::attendance::Refusal>>,
    ServiceError,
> {
    let verdict = match decide_time_and_place(&session_plan(session), fence, attempt) {
        Ok(verdict) => verdict,
        Err(refusals) => return Ok(Err(refusals)),
    };
    let slot = if context
        .store
        .reserve_code_attempt(session.id, person_id, WRONG_CODES_PER_SESSION)
        .await?
    {
        CodeSlot::Free
    } else {
        CodeSlot::Exhausted
    };
    if slot == CodeSlot::Free && attempt.code_accepted {
        context
            .store
            .release_code_attempt(session.id, person_id)
            .await?;
    }
    Ok(judge_code(attempt.kind, slot, attempt.code_accepted).map(|()| verdict))
}

/// One of the trainee's sessions today, with their accepted check-in and check-out.
#[derive(Debug, Clone)]
pub struct TodaysSession {
    pub class: ClassRow,
    pub session: SessionRow,
    pub checked_in: Option<DateTime<Utc>>,
    pub checked_out: Option<DateTime<Utc>>,
}

/// The principal's sessions today in their approved or running classes (`access::authorize`:
/// only a trainee checks in), each with what they have checked so far.
pub async fn todays_sessions(
    context: &Context,
    principal: &Principal,
) -> Result<Vec<TodaysSession>, ServiceError> {
    let person_id = match principal.user().map(|user| user.scope()) {
        Some(Scope::Person(person_id))
            if crate::access::admits(principal, Action::ListCheckIns) =>
        {
            person_id
        }
        _ => return Err(ServiceError::forbidden("只有学员可以签到")),
    };
    let today = context.clock.today();
    let classes = context
        .store
        .classes_in_scope(
            &Scope::Person(person_id),
            &dte_store::ClassFilter::default(),
            dte_store::CLASS_PAGE_MAX,
        )
        .await?;
    let mut sessions = Vec::new();
    for class in classes
        .into_iter()
        .filter(|class| matches!(class.status, ClassStatus::Approved | ClassStatus::Running))
    {
        let checks = context.store.class_accepted_checks(class.id).await?;
        for session in context.store.sessions_of_class(class.id).await? {
            if session.date != today {
                continue;
            }
            let mine = |kind: &str| {
                checks
                    .iter()
                    .find(|check| {
                        check.session_id == session.id
                            && check.person_id == person_id
                            && check.kind == kind
                    })
                    .map(|check| check.at)
            };
            sessions.push(TodaysSession {
                checked_in: mine("in"),
                checked_out: mine("out"),
                class: class.clone(),
                session,
            });
        }
    }
    Ok(sessions)
}

/// A session's live counts (checked in, out, refused, outside), for the classroom display of
/// the institution running the class.
pub async fn session_counts(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<dte_store::SessionCounts, ServiceError> {
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    crate::access::authorize(
        principal,
        Action::ShowCheckInCode,
        &crate::access::class_record(&class),
    )?;
    Ok(context.store.session_counts(session.id).await?)
}
