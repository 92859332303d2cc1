//! Online learning: the learning page's heartbeats and the trainee's answers to presence
//! confirmations.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use axum::extract::{Path, State};
use axum::{Extension, Json};
use dte_app::classes::online::{self, HeartbeatRequest, LearningState, PresenceAnswer};

/// A heartbeat of the learning page (every ~30 s while the page is visible). The server's
/// clock stamps it; it counts only for an online session, within its timetable slot, for a
/// trainee actively enrolled. Answers the credit so far and any presence confirmation to answer.
#[utoipa::path(post, path = "/api/v1/sessions/{id}/heartbeats", tag = "online", params(("id" = i64, Path, description = "Session id")), request_body = HeartbeatRequest, responses(
    (status = 200, body = LearningState, description = "Taken; the credit so far"),
    (status = 404, body = ErrorBody, description = "No such session, or not enrolled (`not_enrolled`)"),
    (status = 422, body = ErrorBody, description = "`not_online`, `session_not_started` or `session_ended`"),
))]
pub async fn heartbeat(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(request): AppJson<HeartbeatRequest>,
) -> Result<Json<LearningState>, AppError> {
    Ok(Json(
        online::heartbeat(&state, &caller, id, &request).await?,
    ))
}

/// The trainee answers a presence confirmation (随机在线确认). Answered within 120 s the credit
/// goes on; later, the time from the question on is not credited.
#[utoipa::path(post, path = "/api/v1/presence-checks/{id}/answer", tag = "online", params(("id" = i64, Path, description = "Presence confirmation id")), responses(
    (status = 200, body = PresenceAnswer, description = "Answered"),
    (status = 404, body = ErrorBody, description = "Not the trainee's confirmation"),
    (status = 409, body = ErrorBody, description = "Answered already"),
))]
pub async fn answer(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<PresenceAnswer>, AppError> {
    Ok(Json(online::answer(&state, &caller, id).await?))
}
