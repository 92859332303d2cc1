//! 双随机一公开 random inspections over HTTP (issue 14 item 3; SPEC's contract for
//! `/api/v1/inspection-draws`): the cities' published inspection items, conflicts declared by
//! their staff, and the draws, public so that anyone can replay them by dte-draw-v1 — without
//! the inspectors' names, which only the city, the province and the inspector (纪检) see.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::inspection::{self, ConflictInput, DrawInput, ItemInput};
use dte_store::{DrawRow, InspectionItemRow};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

/// What was recorded.
#[derive(Debug, Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A published inspection item (检查事项).
#[derive(Debug, Serialize, ToSchema)]
pub struct InspectionItem {
    pub id: i64,
    pub region: String,
    pub legal_basis: String,
    pub subject: String,
    pub content: String,
    /// `on_site` or `documents`.
    pub method: &'static str,
    pub method_label: &'static str,
    pub published_at: chrono::DateTime<chrono::Utc>,
}

impl From<InspectionItemRow> for InspectionItem {
    fn from(row: InspectionItemRow) -> InspectionItem {
        InspectionItem {
            id: row.id,
            region: row.region,
            legal_basis: row.legal_basis,
            subject: row.subject,
            content: row.content,
            method: row.method.as_str(),
            method_label: row.method.label(),
            published_at: row.created_at,
        }
    }
}

/// A candidate of a draw as dte-draw-v1 takes it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawCandidate {
    /// `institution:12` or `class:34`.
    pub id: String,
    pub weight: u32,
}

/// A selected target with what a person reads.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawnTargetItem {
    pub id: String,
    pub label: String,
    /// `high`, `medium` or `low`.
    pub tier: &'static str,
    pub tier_label: &'static str,
    /// The inspectors drawn for it, for the city, the province and the inspector only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub inspectors: Option<Vec<DrawnInspector>>,
}

/// An inspector drawn for a target (city staff).
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawnInspector {
    /// The account's id.
    pub id: i64,
    pub name: String,
}

/// A random draw of inspection targets (双随机一公开).
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawItem {
    pub id: i64,
    pub region: String,
    pub drawn_at: chrono::DateTime<chrono::Utc>,
    /// `dte-draw-v1`.
    pub algorithm: String,
    /// 64 hex digits: the HMAC key of every candidate's draw key.
    pub seed: String,
    pub count: u32,
    /// In the order drawn from.
    pub candidates: Vec<DrawCandidate>,
    /// Candidate ids, best key first.
    pub selected: Vec<String>,
    /// `institution` or `class`.
    pub target_kind: &'static str,
    pub targets: Vec<DrawnTargetItem>,
}

async fn draw_items(
    state: &AppState,
    caller: &Caller,
    rows: Vec<DrawRow>,
) -> Result<Vec<DrawItem>, AppError> {
    let targets: Vec<_> = rows
        .iter()
        .flat_map(|row| row.selected.iter().map(|drawn| drawn.target))
        .collect();
    let labels: BTreeMap<_, _> = inspection::target_labels(state, targets).await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let sees = inspection::sees_inspectors(caller, &row.region);
            DrawItem {
                id: row.id,
                drawn_at: row.drawn_at,
                algorithm: row.algorithm,
                seed: row.seed,
                count: row.count,
                candidates: row
                    .candidates
                    .into_iter()
                    .map(|candidate| DrawCandidate {
                        id: candidate.id,
                        weight: candidate.weight,
                    })
                    .collect(),
                selected: row
                    .selected
                    .iter()
                    .map(|drawn| drawn.target.to_string())
                    .collect(),
                target_kind: match row.target_kind {
                    dte_domain::inspection::TargetKind::Institution => "institution",
                    dte_domain::inspection::TargetKind::Class => "class",
                },
                targets: row
                    .selected
                    .into_iter()
                    .map(|drawn| DrawnTargetItem {
                        id: drawn.target.to_string(),
                        label: labels
                            .get(&drawn.target)
                            .cloned()
                            .unwrap_or_else(|| drawn.target.to_string()),
                        tier: drawn.tier.as_str(),
                        tier_label: drawn.tier.label(),
                        inspectors: sees.then(|| {
                            drawn
                                .inspectors
                                .into_iter()
                                .map(|(id, name)| DrawnInspector { id, name })
                                .collect()
                        }),
                    })
                    .collect(),
                region: row.region,
            }
        })
        .collect())
}

/// Filters of the public lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct RegionQuery {
    /// A city, e.g. 大连.
    pub region: Option<String>,
}

#[utoipa::path(get, path = "/api/v1/inspection-items", tag = "supervision", params(RegionQuery), responses(
    (status = 200, body = Page<InspectionItem>, description = "The published inspection items (public)"),
))]
pub async fn items(
    State(state): State<AppState>,
    Query(query): Query<RegionQuery>,
) -> Result<Json<Page<InspectionItem>>, AppError> {
    let items = inspection::items(&state, query.region.as_deref())
        .await?
        .into_iter()
        .map(InspectionItem::from)
        .collect();
    Ok(Json(Page::complete(items)))
}

#[utoipa::path(post, path = "/api/v1/inspection-items", tag = "supervision", request_body = ItemInput, responses(
    (status = 201, body = Created, description = "Published"),
    (status = 403, body = ErrorBody, description = "Only a city keeps its list"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn add_item(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ItemInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = inspection::add_item(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(post, path = "/api/v1/inspector-conflicts", tag = "supervision", request_body = ConflictInput, responses(
    (status = 201, body = Created, description = "Declared: never drawn for that target"),
    (status = 409, body = ErrorBody, description = "Declared already"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn declare_conflict(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ConflictInput>,
) -> Result<(StatusCode, Json<Created>), AppError> {
    let id = inspection::declare_conflict(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[utoipa::path(post, path = "/api/v1/inspection-draws", tag = "supervision", request_body = DrawInput, responses(
    (status = 201, body = DrawItem, description = "Drawn and published"),
    (status = 403, body = ErrorBody, description = "Only a city draws"),
    (status = 422, body = ErrorBody, description = "Nothing to draw, or too few inspectors without a conflict"),
))]
pub async fn run_draw(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<DrawInput>,
) -> Result<(StatusCode, Json<DrawItem>), AppError> {
    let id = inspection::run_draw(&state, &caller, &input).await?;
    let row = inspection::draw_by_id(&state, id).await?;
    let mut items = draw_items(&state, &caller, vec![row]).await?;
    let item = items
        .pop()
        .ok_or_else(|| AppError::internal("the draw just written"))?;
    Ok((StatusCode::CREATED, Json(item)))
}

#[utoipa::path(get, path = "/api/v1/inspection-draws", tag = "supervision", params(RegionQuery), responses(
    (status = 200, body = Page<DrawItem>, description = "The draws, newest first (public)"),
))]
pub async fn draws(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<RegionQuery>,
) -> Result<Json<Page<DrawItem>>, AppError> {
    let rows = inspection::draws(&state, query.region.as_deref()).await?;
    Ok(Json(Page::complete(
        draw_items(&state, &caller, rows).await?,
    )))
}

#[utoipa::path(get, path = "/api/v1/inspection-draws/{id}", tag = "supervision", params(("id" = i64, Path, description = "Draw id")), responses(
    (status = 200, body = DrawItem, description = "The draw (public)"),
    (status = 404, body = ErrorBody, description = "No such draw"),
))]
pub async fn draw(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<DrawItem>, AppError> {
    let row = inspection::draw_by_id(&state, id).await?;
    let mut items = draw_items(&state, &caller, vec![row]).await?;
    items
        .pop()
        .map(Json)
        .ok_or_else(|| AppError::internal("the draw just read"))
}
