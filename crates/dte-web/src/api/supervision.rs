//! Supervision's consequences (issue 14 items 5–7): flag reviews, violations, sanctions and
//! their lifting, and complaints from the public (no sign-in, limited per address with the
//! notice's objections).

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::Page;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::supervision::{
    self, ComplaintInput, FlagReviewInput, LiftInput, ResolutionInput, SanctionInput,
};
use dte_store::{ComplaintRow, SanctionRow, ViolationRow};
use serde::Serialize;
use utoipa::ToSchema;

/// What was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Recorded {
    pub id: i64,
    /// The violation recorded with it (a confirmed flag, an upheld complaint).
    pub violation: Option<i64>,
}

/// A violation.
#[derive(Debug, Serialize, ToSchema)]
pub struct ViolationItem {
    pub id: i64,
    pub region: String,
    /// E.g. `proxy_attendance`, `false_training`, `inflated_hours`.
    pub kind: &'static str,
    pub kind_label: &'static str,
    /// `finding`, `flag` or `complaint`.
    pub source: &'static str,
    pub source_label: String,
    /// `institution`, `class` or `person`.
    pub target_kind: &'static str,
    pub target_id: i64,
    pub institution: String,
    pub class: Option<i64>,
    pub description: String,
    pub recorded_by: String,
    pub recorded_at: chrono::DateTime<chrono::Utc>,
}

impl From<ViolationRow> for ViolationItem {
    fn from(row: ViolationRow) -> ViolationItem {
        let (target_kind, target_id) = row.target.parts();
        ViolationItem {
            id: row.id,
            region: row.region,
            kind: row.kind.as_str(),
            kind_label: row.kind.label(),
            source: row.source.parts().0,
            source_label: row.source.label(),
            target_kind,
            target_id,
            institution: row.institution_name,
            class: row.class_id,
            description: row.description,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        }
    }
}

/// A sanction.
#[derive(Debug, Serialize, ToSchema)]
pub struct SanctionItem {
    pub id: i64,
    pub violation: i64,
    pub region: String,
    /// `interview`, `correction_order`, `exclude_person`, `exclude_class`, `clawback`,
    /// `suspension`, `removal` or `blacklist`.
    pub kind: &'static str,
    pub kind_label: &'static str,
    pub target_kind: &'static str,
    pub target_id: i64,
    pub institution: String,
    pub starts_on: chrono::NaiveDate,
    /// The last day (a correction order's deadline, the 失信 list's end).
    pub until_on: Option<chrono::NaiveDate>,
    pub lifted_on: Option<chrono::NaiveDate>,
    pub lift_reason: Option<String>,
    /// Whether it holds today.
    pub in_force: bool,
    pub remark: String,
    pub imposed_by: String,
    pub imposed_at: chrono::DateTime<chrono::Utc>,
}

impl SanctionItem {
    pub fn new(row: SanctionRow, today: chrono::NaiveDate) -> SanctionItem {
        let (target_kind, target_id) = row.fact.target.parts();
        SanctionItem {
            id: row.fact.id,
            violation: row.violation_id,
            region: row.region,
            kind: row.fact.kind.as_str(),
            kind_label: row.fact.kind.label(),
            target_kind,
            target_id,
            institution: row.institution_name,
            starts_on: row.fact.from,
            until_on: row.fact.until,
            lifted_on: row.fact.lifted_on,
            lift_reason: row.lift_reason,
            in_force: row.fact.in_force(today),
            remark: row.remark,
            imposed_by: row.imposed_by,
            imposed_at: row.imposed_at,
        }
    }
}

/// A complaint as the city sees it (the contact masked).
#[derive(Debug, Serialize, ToSchema)]
pub struct ComplaintItem {
    pub id: i64,
    pub region: String,
    /// `institution` or `class`.
    pub target_kind: &'static str,
    pub target_id: i64,
    pub institution: String,
    pub content: String,
    /// Masked: 138****8000.
    pub contact: String,
    pub name: Option<String>,
    pub lodged_at: chrono::DateTime<chrono::Utc>,
    /// `upheld` or `not_upheld`; none while open.
    pub outcome: Option<&'static str>,
    pub remark: Option<String>,
    pub resolved_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl From<ComplaintRow> for ComplaintItem {
    fn from(row: ComplaintRow) -> ComplaintItem {
        let (target_kind, target_id) = row.target.parts();
        ComplaintItem {
            id: row.id,
            region: row.region,
            target_kind,
            target_id,
            institution: row.institution_name,
            content: row.content,
            contact: row.contact_masked,
            name: row.name,
            lodged_at: row.lodged_at,
            outcome: row.outcome.map(|outcome| outcome.as_str()),
            remark: row.remark,
            resolved_at: row.resolved_at,
        }
    }
}

/// The city of the flag's region reviews it once: confirmed (a violation of the class is
/// recorded) or dismissed with its reason. A reviewed flag no longer holds claim lines.
#[utoipa::path(post, path = "/api/v1/flags/{key}/review", tag = "supervision", params(("key" = String, Path, description = "The flag's key")), request_body = FlagReviewInput, responses(
    (status = 201, body = Recorded, description = "Reviewed"),
    (status = 404, body = ErrorBody, description = "No such flag in the caller's scope"),
    (status = 409, body = ErrorBody, description = "Reviewed already"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn review_flag(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(key): Path<String>,
    AppJson(input): AppJson<FlagReviewInput>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let (id, violation) = supervision::review_flag(&state, &caller, &key, &input).await?;
    Ok((StatusCode::CREATED, Json(Recorded { id, violation })))
}

/// The violations the caller may see (the province and the inspector all, a city its region,
/// an institution its own), newest first.
#[utoipa::path(get, path = "/api/v1/violations", tag = "supervision", responses(
    (status = 200, body = Page<ViolationItem>, description = "The violations"),
))]
pub async fn violations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Page<ViolationItem>>, AppError> {
    let items = supervision::violations(&state, &caller)
        .await?
        .into_iter()
        .map(ViolationItem::from)
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// The sanctions the caller may see, newest first, each saying whether it holds today.
#[utoipa::path(get, path = "/api/v1/sanctions", tag = "supervision", responses(
    (status = 200, body = Page<SanctionItem>, description = "The sanctions"),
))]
pub async fn sanctions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Page<SanctionItem>>, AppError> {
    let today = state.clock.today();
    let items = supervision::sanctions(&state, &caller)
        .await?
        .into_iter()
        .map(|row| SanctionItem::new(row, today))
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// A sanction for a violation: the city of its region, or the province (which alone suspends
/// or removes from the catalog). A clawback opens the case for exactly what was paid.
#[utoipa::path(post, path = "/api/v1/violations/{id}/sanctions", tag = "supervision", params(("id" = i64, Path, description = "Violation id")), request_body = SanctionInput, responses(
    (status = 201, body = Recorded, description = "Imposed"),
    (status = 403, body = ErrorBody, description = "Not the caller's to impose"),
    (status = 404, body = ErrorBody, description = "No such violation in scope"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn impose(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<SanctionInput>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    let id = supervision::impose_sanction(&state, &caller, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            id,
            violation: None,
        }),
    ))
}

/// Lifts a sanction that lasts, once, with the reason (a correction order: the follow-up).
#[utoipa::path(post, path = "/api/v1/sanctions/{id}/lift", tag = "supervision", params(("id" = i64, Path, description = "Sanction id")), request_body = LiftInput, responses(
    (status = 204, description = "Lifted"),
    (status = 409, body = ErrorBody, description = "Lifted already"),
    (status = 422, body = ErrorBody, description = "A field is wrong, or the sanction does not last"),
))]
pub async fn lift(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<LiftInput>,
) -> Result<StatusCode, AppError> {
    supervision::lift_sanction(&state, &caller, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The complaints the caller may see (the province, the inspector, the city of the region).
#[utoipa::path(get, path = "/api/v1/complaints", tag = "supervision", responses(
    (status = 200, body = Page<ComplaintItem>, description = "The complaints"),
))]
pub async fn complaints(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Page<ComplaintItem>>, AppError> {
    let items = supervision::complaints(&state, &caller)
        .await?
        .into_iter()
        .map(ComplaintItem::from)
        .collect();
    Ok(Json(Page { items, next: None }))
}

/// Anyone complains about an institution or a class (举报投诉), with a mobile number to be
/// reached at (no sign-in; limited per address).
#[utoipa::path(post, path = "/api/v1/complaints", tag = "supervision", request_body = ComplaintInput, responses(
    (status = 201, body = Recorded, description = "Recorded; the city resolves it"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
    (status = 429, body = ErrorBody, description = "Too many submissions from this address"),
))]
pub async fn lodge(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ComplaintInput>,
) -> Result<(StatusCode, Json<Recorded>), AppError> {
    state
        .objection_limit
        .check(caller.address)
        .map_err(crate::rate_limit::too_many)?;
    let id = supervision::lodge_complaint(&state, &caller, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Recorded {
            id,
            violation: None,
        }),
    ))
}

/// The city of the region resolves a complaint once: upheld (a violation is recorded) or not.
#[utoipa::path(post, path = "/api/v1/complaints/{id}/resolve", tag = "supervision", params(("id" = i64, Path, description = "Complaint id")), request_body = ResolutionInput, responses(
    (status = 200, body = Recorded, description = "Resolved"),
    (status = 409, body = ErrorBody, description = "Resolved already"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn resolve(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ResolutionInput>,
) -> Result<Json<Recorded>, AppError> {
    let violation = supervision::resolve_complaint(&state, &caller, id, &input).await?;
    Ok(Json(Recorded { id, violation }))
}
