//! The catalogs (两目录): occupations, institutions, regions and quotas, policy settings.

use crate::AppState;
use crate::cached::CachedJson;
use crate::error::{AppError, ErrorBody};
use crate::wire::{Institution, Occupation, Page, Policy, Region};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use chrono::Datelike;
use dte_domain::OccupationCode;
use dte_domain::reference::InstitutionKind;
use serde::Deserialize;
use std::sync::Arc;
use utoipa::IntoParams;

/// Filters for `GET /api/v1/institutions`.
#[derive(Debug, Deserialize, IntoParams)]
pub struct InstitutionFilter {
    /// `training` (附件1) or `evaluation` (附件6).
    pub kind: Option<String>,
    /// An occupation code such as `2-02-10-09`.
    pub occupation: Option<String>,
}

/// The current catalog year: the latest loaded year not after this year in Asia/Shanghai.
pub async fn current_year(state: &AppState) -> Result<i32, AppError> {
    Ok(dte_app::catalog::catalog_year(state, state.clock.today().year()).await?)
}

/// How long anyone may keep a catalog answer before asking again (with its ETag). Short, as
/// the province edits the catalog; the server itself never answers from stale data.
const CATALOG_CACHE_CONTROL: &str = "public, max-age=60";

/// Every occupation with required hours, rate and subsidy per level (附件5). Answered from
/// memory while the catalog's version (one cheap query) is unchanged.
#[utoipa::path(get, path = "/api/v1/occupations", tag = "catalog", responses(
    (status = 200, body = Page<Occupation>, description = "The ten occupations of the plan, in 附件5's order, with a strong ETag"),
    (status = 304, description = "The client's copy (`If-None-Match`) is current"),
))]
pub async fn occupations(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let version = state
        .catalog
        .occupations_version(&state.store, state.clock.today().year())
        .await?;
    let answer = match state.catalog.occupations(&version) {
        Some(answer) => answer,
        None => {
            let items = occupations_of_year(&state, version.year).await?;
            let answer = Arc::new(
                CachedJson::serialise(&Page::complete(items)).map_err(AppError::internal)?,
            );
            state.catalog.keep_occupations(version, answer.clone());
            answer
        }
    };
    Ok(answer.respond(&headers, CATALOG_CACHE_CONTROL))
}

/// The occupations of the current year as wire records.
pub async fn load_occupations(state: &AppState) -> Result<Vec<Occupation>, AppError> {
    let year = current_year(state).await?;
    occupations_of_year(state, year).await
}

/// The occupations of a catalog year as wire records.
async fn occupations_of_year(state: &AppState, year: i32) -> Result<Vec<Occupation>, AppError> {
    let rows = dte_app::catalog::occupations(state, year).await?;
    rows.iter()
        .map(|row| Occupation::from_row(row, year).map_err(AppError::internal))
        .collect()
}

/// Every region with its quota for the current year (附件7).
#[utoipa::path(get, path = "/api/v1/regions", tag = "catalog", responses(
    (status = 200, body = Page<Region>, description = "The 14 cities and 沈抚示范区 with their quotas, with a strong ETag"),
    (status = 304, description = "The client's copy (`If-None-Match`) is current"),
))]
pub async fn regions(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let year = current_year(&state).await?;
    let rows = dte_app::catalog::regions(&state, year).await?;
    let items = rows
        .into_iter()
        .map(|row| Region::from_row(row, year))
        .collect();
    let answer =
        CachedJson::serialise(&Page::<Region>::complete(items)).map_err(AppError::internal)?;
    Ok(answer.respond(&headers, CATALOG_CACHE_CONTROL))
}

/// The listed institutions, optionally of one kind and for one occupation (附件1, 附件6).
#[utoipa::path(get, path = "/api/v1/institutions", tag = "catalog", params(InstitutionFilter), responses(
    (status = 200, body = Page<Institution>, description = "Listed institutions; removed listings are left out. With a strong ETag"),
    (status = 304, description = "The client's copy (`If-None-Match`) is current"),
    (status = 422, body = ErrorBody, description = "A filter is malformed; `field` names it"),
))]
pub async fn institutions(
    State(state): State<AppState>,
    Query(filter): Query<InstitutionFilter>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let (kind, occupation) = parse_institution_filter(&filter)?;
    let rows = dte_app::catalog::institutions(&state, kind, occupation.as_ref()).await?;
    let items: Vec<Institution> = rows.into_iter().map(Institution::from).collect();
    let answer = CachedJson::serialise(&Page::complete(items)).map_err(AppError::internal)?;
    Ok(answer.respond(&headers, CATALOG_CACHE_CONTROL))
}

/// Parses the institution filter, naming the field at fault.
pub fn parse_institution_filter(
    filter: &InstitutionFilter,
) -> Result<(Option<InstitutionKind>, Option<OccupationCode>), AppError> {
    let kind = match filter.kind.as_deref().filter(|kind| !kind.is_empty()) {
        None => None,
        Some(text) => Some(InstitutionKind::parse(text).ok_or_else(|| {
            AppError::invalid(
                "kind",
                format!("机构类别“{text}”无效，应为 training（培训机构）或 evaluation（评价机构）"),
            )
        })?),
    };
    let occupation = match filter.occupation.as_deref().filter(|code| !code.is_empty()) {
        None => None,
        Some(text) => Some(
            OccupationCode::parse(text)
                .map_err(|error| AppError::invalid("occupation", error.to_string()))?,
        ),
    };
    Ok((kind, occupation))
}

/// The policy settings and subsidised categories in force today.
#[utoipa::path(get, path = "/api/v1/settings", tag = "catalog", responses(
    (status = 200, body = Policy, description = "Settings with their effective dates, and the subsidised categories"),
))]
pub async fn settings(State(state): State<AppState>) -> Result<Json<Policy>, AppError> {
    Ok(Json(load_policy(&state).await?))
}

/// The policy in force today.
pub async fn load_policy(state: &AppState) -> Result<Policy, AppError> {
    let date = state.clock.today();
    let settings = dte_app::catalog::settings(state, date).await?;
    let categories = dte_app::catalog::subsidy_categories(state, date).await?;
    Ok(Policy {
        date,
        settings: settings.into_iter().map(Into::into).collect(),
        subsidy_categories: categories.into_iter().map(Into::into).collect(),
    })
}
