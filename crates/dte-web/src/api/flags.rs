//! Risk flags (风险提示) for supervisors: the 骗补 patterns found in attendance, with evidence.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use crate::wire::{FlagItem, Page};
use axum::extract::{Query, State};
use axum::{Extension, Json};
use dte_app::monitoring::{FlagFilter, flags_in_scope};
use serde::Deserialize;
use utoipa::IntoParams;

/// The most flags on one page.
const FLAGS_PAGE: usize = 200;

/// Which flags.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(default)]
pub struct FlagQuery {
    /// A region's name, e.g. 大连.
    pub region: Option<String>,
    /// A class's id.
    pub class: Option<i64>,
    /// From `next` of the previous page.
    pub cursor: Option<String>,
}

/// The risk flags the caller may see (the province and inspectors everywhere, a city in its
/// region), riskiest class first, each with its `kind`, `class` and `evidence`, its stable `key`
/// and the city's `review` (none yet: it holds the class's or the people's claim lines).
#[utoipa::path(get, path = "/api/v1/flags", tag = "attendance", params(FlagQuery), responses(
    (status = 200, body = Page<FlagItem>, description = "The flags"),
    (status = 422, body = ErrorBody, description = "A cursor that is not from `next`"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<FlagQuery>,
) -> Result<Json<Page<FlagItem>>, AppError> {
    let offset = match query.cursor.as_deref() {
        None | Some("") => 0,
        Some(cursor) => cursor
            .parse::<usize>()
            .map_err(|_| AppError::invalid("cursor", "cursor 应取自上一页的 next"))?,
    };
    let filter = FlagFilter {
        region: query.region.filter(|region| !region.trim().is_empty()),
        class_id: query.class,
    };
    let classes = flags_in_scope(&state, &caller, &filter).await?;
    let reviews = dte_app::supervision::reviews_by_key(&state).await?;
    let all = FlagItem::all(&classes, &reviews);
    let total = all.len();
    let items: Vec<FlagItem> = all.into_iter().skip(offset).take(FLAGS_PAGE).collect();
    let next = (offset + FLAGS_PAGE < total).then(|| (offset + FLAGS_PAGE).to_string());
    Ok(Json(Page { items, next }))
}
