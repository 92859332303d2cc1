//! Classes (班期): list and read within scope, open and edit (training institution), submit,
//! approve or reject (city), start, finish and close.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::{ClassDetail, ClassSummary, Page};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::classes::plan::{self, ClassInput};
use dte_app::classes::workflow;
use dte_domain::class::{ClassAction, ClassStatus};
use dte_store::{CLASS_PAGE_MAX, ClassFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of the class list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ClassQuery {
    /// Only classes in this state (`submitted` for a review queue).
    pub status: Option<String>,
    /// Only classes of this region (within the caller's scope).
    pub region: Option<String>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// A state change's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct StatusChanged {
    pub id: i64,
    pub status: String,
    pub status_label: String,
}

/// Why a class is rejected.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Rejection {
    pub reason: String,
}

/// A class that was created.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Parses the list filters, naming a bad one.
pub fn class_filter(query: &ClassQuery) -> Result<ClassFilter, AppError> {
    let status = match query.status.as_deref().filter(|status| !status.is_empty()) {
        None => None,
        Some(text) => Some(ClassStatus::parse(text).ok_or_else(|| {
            AppError::invalid(
                "status",
                "状态应为 draft、submitted、approved、rejected、running、finished 或 closed",
            )
        })?),
    };
    let before_id =
        match query.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
            None => None,
            Some(cursor) => Some(cursor.parse::<i64>().map_err(|_| {
                AppError::invalid("cursor", "cursor 无效，请使用上一页返回的 next")
            })?),
        };
    Ok(ClassFilter {
        status,
        region: query.region.clone().filter(|region| !region.is_empty()),
        before_id,
    })
}

/// The classes the caller may see, newest first: the province and inspectors all, a city its
/// region's, an institution its own, an evaluation institution the approved classes of its
/// occupations, a trainee their own.
#[utoipa::path(get, path = "/api/v1/classes", tag = "classes", params(ClassQuery), responses(
    (status = 200, body = Page<ClassSummary>, description = "The classes in scope"),
    (status = 401, body = ErrorBody, description = "Not signed in"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ClassQuery>,
) -> Result<Json<Page<ClassSummary>>, AppError> {
    let filter = class_filter(&query)?;
    let page_size = 50.min(CLASS_PAGE_MAX);
    let rows = dte_app::classes::list(&state, &caller, &filter, page_size).await?;
    let next = (rows.len() == page_size as usize)
        .then(|| rows.last().map(|row| row.id.to_string()))
        .flatten();
    Ok(Json(Page {
        items: rows.iter().map(ClassSummary::from).collect(),
        next,
    }))
}

/// One class with its venue, fence and timetable; 404 outside the caller's scope.
#[utoipa::path(get, path = "/api/v1/classes/{id}", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = ClassDetail, description = "The class"),
    (status = 404, body = ErrorBody, description = "No such class in the caller's scope"),
))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClassDetail>, AppError> {
    let (class, sessions) = dte_app::classes::with_sessions(&state, &caller, id).await?;
    Ok(Json(ClassDetail::new(&class, &sessions)?))
}

/// Opens a class as a draft (training institution): every rule for saving is checked and
/// each broken one named.
#[utoipa::path(post, path = "/api/v1/classes", tag = "classes", request_body = ClassInput, responses(
    (status = 201, body = Created, description = "The draft was created"),
    (status = 422, body = ErrorBody, description = "The plan breaks rules; `violations` lists each"),
))]
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ClassInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let parsed = plan::parse(&input)?;
    let id = workflow::create(&state, &caller, &parsed).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Replaces the plan of a draft or rejected class (its training institution).
#[utoipa::path(put, path = "/api/v1/classes/{id}", tag = "classes", params(("id" = i64, Path, description = "Class id")), request_body = ClassInput, responses(
    (status = 204, description = "Saved"),
    (status = 409, body = ErrorBody, description = "The class is no longer editable"),
    (status = 422, body = ErrorBody, description = "The plan breaks rules"),
))]
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ClassInput>,
) -> Result<StatusCode, AppError> {
    let parsed = plan::parse(&input)?;
    workflow::update(&state, &caller, id, &parsed).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn act(
    state: &AppState,
    caller: &Caller,
    id: i64,
    action: ClassAction,
    reason: Option<&str>,
) -> Result<Json<StatusChanged>, AppError> {
    let status = workflow::act(state, caller, id, action, reason).await?;
    Ok(Json(StatusChanged {
        id,
        status: status.as_str().into(),
        status_label: status.label().into(),
    }))
}

/// Submits a class for the city's review: the submission rules (required hours, online share,
/// lead time) are checked first.
#[utoipa::path(post, path = "/api/v1/classes/{id}/submit", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = StatusChanged, description = "Submitted"),
    (status = 409, body = ErrorBody, description = "Not possible in the class's state"),
    (status = 422, body = ErrorBody, description = "The plan breaks rules"),
))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<StatusChanged>, AppError> {
    act(&state, &caller, id, ClassAction::Submit, None).await
}

/// Approves a submitted class (city of its region, or the province); a subsidised class must
/// fit the region's remaining quota.
#[utoipa::path(post, path = "/api/v1/classes/{id}/approve", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses(
    (status = 200, body = StatusChanged, description = "Approved"),
    (status = 409, body = ErrorBody, description = "Not submitted"),
    (status = 422, body = ErrorBody, description = "Beyond the remaining quota"),
))]
pub async fn approve(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<StatusChanged>, AppError> {
    act(&state, &caller, id, ClassAction::Approve, None).await
}

/// Rejects a submitted class with a reason; the institution may edit and submit it again.
#[utoipa::path(post, path = "/api/v1/classes/{id}/reject", tag = "classes", params(("id" = i64, Path, description = "Class id")), request_body = Rejection, responses(
    (status = 200, body = StatusChanged, description = "Rejected"),
    (status = 422, body = ErrorBody, description = "No reason given"),
))]
pub async fn reject(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(rejection): AppJson<Rejection>,
) -> Result<Json<StatusChanged>, AppError> {
    act(
        &state,
        &caller,
        id,
        ClassAction::Reject,
        Some(&rejection.reason),
    )
    .await
}

/// Starts an approved class (its training institution).
#[utoipa::path(post, path = "/api/v1/classes/{id}/start", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses((status = 200, body = StatusChanged, description = "Running")))]
pub async fn start(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<StatusChanged>, AppError> {
    act(&state, &caller, id, ClassAction::Start, None).await
}

/// Finishes a running class (its training institution).
#[utoipa::path(post, path = "/api/v1/classes/{id}/finish", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses((status = 200, body = StatusChanged, description = "Finished")))]
pub async fn finish(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<StatusChanged>, AppError> {
    act(&state, &caller, id, ClassAction::Finish, None).await
}

/// Closes a finished class (city or province).
#[utoipa::path(post, path = "/api/v1/classes/{id}/close", tag = "classes", params(("id" = i64, Path, description = "Class id")), responses((status = 200, body = StatusChanged, description = "Closed")))]
pub async fn close(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<StatusChanged>, AppError> {
    act(&state, &caller, id, ClassAction::Close, None).await
}
