//! Online learning (issue 5 item 3): the learning page's heartbeats, taken by
//! `dte_domain::attendance::decide_heartbeat` on the server's clock, credited by
//! `online_credit` (the domain caps a session at its hours; the hours ledger caps the online
//! share at half), and the random presence confirmations drawn by `presence_check_schedule`.

use super::check_in::{session_in_scope, session_plan};
use crate::Context;
use crate::Principal;
use crate::ServiceError;
use chrono::{DateTime, Utc};
use dte_domain::Scope;
use dte_domain::attendance::{
    PRESENCE_ANSWER_SECONDS, PresenceCheck, decide_heartbeat, presence_check_due,
    presence_check_schedule,
};
use dte_domain::class::{ClassStatus, Delivery};
use dte_domain::class_rules::MINUTES_PER_HOUR;
use dte_store::{ClassRow, OnlineLearning, SessionRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// One heartbeat of the learning page.
#[derive(Debug, Deserialize, ToSchema)]
pub struct HeartbeatRequest {
    /// An id the page draws when it opens (two pages at once are told apart, not counted twice).
    pub page_id: String,
    /// `document.visibilityState == "visible"`.
    pub visible: bool,
}

/// Where a trainee stands in an online session.
#[derive(Debug, Serialize, ToSchema)]
pub struct LearningState {
    pub session_id: i64,
    /// Whole minutes credited (capped at the session's hours × 45).
    pub credited_minutes: u32,
    /// Whole minutes heard before the cap.
    pub minutes_heard: u32,
    /// The most the session can credit, in minutes.
    pub session_minutes: u32,
    /// Whole 学时 credited.
    pub credited_hours: u32,
    /// A presence confirmation waiting for the trainee's answer, if one is open.
    pub presence_check: Option<OpenPresenceCheck>,
}

/// A presence confirmation to answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct OpenPresenceCheck {
    pub id: i64,
    pub asked_at: DateTime<Utc>,
    /// Answer before this instant or the credit stops from `asked_at`.
    pub answer_by: DateTime<Utc>,
}

/// The answer to a presence confirmation.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceAnswer {
    pub id: i64,
    pub answered_at: DateTime<Utc>,
    /// Answered within the time allowed: the credit goes on.
    pub in_time: bool,
    pub message: String,
}

/// The trainee's person id when the rule lets the principal learn online at all
/// (`access::authorize`; the session's enrolment is checked where it is loaded), or 403.
fn trainee(principal: &Principal) -> Result<i64, ServiceError> {
    match principal.user().map(|user| user.scope()) {
        Some(Scope::Person(person_id))
            if crate::access::admits(principal, dte_domain::access::Action::LearnOnline) =>
        {
            Ok(person_id)
        }
        _ => Err(ServiceError::forbidden("只有学员本人可以在线学习")),
    }
}

/// The online session and its class, if the principal is actively enrolled in it.
pub async fn learner_session(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<(i64, SessionRow, ClassRow), ServiceError> {
    let person_id = trainee(principal)?;
    let (session, class) = session_in_scope(context, principal, session_id).await?;
    if !context.store.actively_enrolled(class.id, person_id).await? {
        return Err(ServiceError::not_found(
            "not_enrolled",
            format!("您未在编号为 {} 的班期中学习（未报名或已退出）", class.id),
        ));
    }
    Ok((person_id, session, class))
}

/// Takes a heartbeat at the server's time, and answers the credit so far with any presence
/// confirmation that is due.
pub async fn heartbeat(
    context: &Context,
    principal: &Principal,
    session_id: i64,
    request: &HeartbeatRequest,
) -> Result<LearningState, ServiceError> {
    let page_id = request.page_id.trim();
    if page_id.is_empty() || page_id.len() > 100 {
        return Err(ServiceError::invalid(
            "page_id",
            "缺少页面标识，请刷新学习页面后重试",
        ));
    }
    let (person_id, session, class) = learner_session(context, principal, session_id).await?;
    if !matches!(class.status, ClassStatus::Approved | ClassStatus::Running) {
        return Err(ServiceError::conflict(
            "class_not_running",
            format!("班期当前状态为“{}”，不能计入学习时长", class.status.label()),
        ));
    }
    let now = context.clock.now();
    if let Err(refusal) = decide_heartbeat(&session_plan(&session), now) {
        return Err(ServiceError {
            code: refusal.code(),
            ..ServiceError::invalid("session_id", refusal.message())
        });
    }
    context
        .store
        .record_heartbeat(session.id, person_id, now, request.visible, page_id)
        .await?;
    learning_state(context, principal, person_id, &session, request.visible).await
}

/// The credit so far and the open presence confirmation; asks the next one when it is due and
/// `may_ask` (the page is visible and beating).
pub async fn learning_state(
    context: &Context,
    principal: &Principal,
    person_id: i64,
    session: &SessionRow,
    may_ask: bool,
) -> Result<LearningState, ServiceError> {
    let now = context.clock.now();
    let learning: OnlineLearning = context
        .store
        .online_learning(session.id, person_id, session.hours)
        .await?;
    let answer_window = chrono::Duration::seconds(PRESENCE_ANSWER_SECONDS);
    let mut open = learning
        .checks
        .iter()
        .find(|check| check.answered_at.is_none() && check.asked_at + answer_window > now)
        .cloned();
    if open.is_none() && may_ask && session.delivery == Delivery::Online.as_str() {
        let fresh = u64::from_le_bytes(
            dte_crypto::token_digest(&dte_crypto::new_token()).as_bytes()[..8]
                .try_into()
                .unwrap_or([0; 8]),
        );
        let seed = context
            .store
            .presence_seed(session.id, person_id, fresh, now)
            .await?;
        let schedule = presence_check_schedule(session.hours, seed);
        let seconds_heard = learning.credit.minutes_heard.saturating_mul(60);
        if presence_check_due(&schedule, learning.checks.len(), seconds_heard) {
            let ordinal = i64::try_from(learning.checks.len()).unwrap_or(i64::MAX);
            let actor = super::actor(context, principal);
            open = Some(
                context
                    .store
                    .ask_presence_check(session.id, person_id, ordinal, &actor)
                    .await?,
            );
        }
    }
    Ok(LearningState {
        session_id: session.id,
        credited_minutes: learning.credit.minutes,
        minutes_heard: learning.credit.minutes_heard,
        session_minutes: session.hours.saturating_mul(MINUTES_PER_HOUR),
        credited_hours: learning.credit.hours,
        presence_check: open.map(|check| OpenPresenceCheck {
            id: check.id,
            asked_at: check.asked_at,
            answer_by: check.asked_at + answer_window,
        }),
    })
}

/// The trainee answers their presence confirmation now.
pub async fn answer(
    context: &Context,
    principal: &Principal,
    check_id: i64,
) -> Result<PresenceAnswer, ServiceError> {
    let person_id = trainee(principal)?;
    let actor = super::actor(context, principal);
    let row = match context
        .store
        .answer_presence_check(check_id, person_id, &actor)
        .await
    {
        Ok(row) => row,
        Err(dte_store::StoreError::NotFound) => {
            return Err(ServiceError::not_found(
                "presence_check_not_found",
                format!("未找到编号为 {check_id} 的在线确认"),
            ));
        }
        Err(dte_store::StoreError::Conflict) => {
            return Err(ServiceError::conflict(
                "presence_check_answered",
                "该在线确认已作答，无需重复确认",
            ));
        }
        Err(other) => return Err(other.into()),
    };
    let in_time = PresenceCheck::from(&row).answered_in_time();
    Ok(PresenceAnswer {
        id: row.id,
        answered_at: actor.at,
        in_time,
        message: if in_time {
            "已确认在线，学习时长继续计入".into()
        } else {
            format!(
                "确认超过 {} 秒，自提示起的学习时长不计入；请继续学习，下次提示时及时确认",
                PRESENCE_ANSWER_SECONDS
            )
        },
    })
}

/// The online sessions of a class in the principal's scope, in timetable order.
pub async fn online_sessions(
    context: &Context,
    principal: &Principal,
    class_id: i64,
) -> Result<Vec<SessionRow>, ServiceError> {
    let class = super::class_for(context, principal, class_id).await?;
    Ok(context
        .store
        .sessions_of_class(class.id)
        .await?
        .into_iter()
        .filter(|session| session.delivery == "online")
        .collect())
}

/// The learning material registered for an online session the principal learns in.
pub async fn material_of(
    context: &Context,
    principal: &Principal,
    session_id: i64,
) -> Result<Option<dte_store::MaterialRow>, ServiceError> {
    let (_, session, _) = learner_session(context, principal, session_id).await?;
    Ok(context.store.material(session.id).await?)
}
