//! Catalog pages: occupations with hours and subsidy per level, institutions per occupation,
//! regions with quotas, and the policy settings in force.

use super::Chrome;
use super::home::thousands;
use super::{PageError, render};
use crate::AppState;
use crate::api::catalog::{
    InstitutionFilter, current_year, load_occupations, load_policy, parse_institution_filter,
};
use crate::auth::Caller;
use crate::wire::{Occupation, OccupationLevel, Policy};
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use dte_domain::Fen;
use dte_domain::reference::InstitutionKind;

/// One level's cell: hours, rate and subsidy as people read them.
pub struct LevelCell {
    pub hours: u32,
    pub rate: String,
    pub subsidy: String,
}

impl From<OccupationLevel> for LevelCell {
    fn from(level: OccupationLevel) -> LevelCell {
        LevelCell {
            hours: level.hours,
            rate: format!(
                "{} 元/学时",
                Fen::new(level.rate_fen_per_hour)
                    .yuan()
                    .trim_end_matches(".00")
            ),
            subsidy: Fen::new(level.subsidy_fen).to_string(),
        }
    }
}

pub struct OccupationLine {
    pub code: String,
    pub name: String,
    pub levels: [LevelCell; 3],
}

impl From<Occupation> for OccupationLine {
    fn from(occupation: Occupation) -> OccupationLine {
        let levels = occupation.levels;
        OccupationLine {
            code: occupation.code,
            name: occupation.name,
            levels: [
                levels.junior.into(),
                levels.intermediate.into(),
                levels.senior.into(),
            ],
        }
    }
}

#[derive(Template)]
#[template(path = "occupations.html")]
struct OccupationsPage {
    chrome: Chrome,
    year: i32,
    occupations: Vec<OccupationLine>,
}

/// `GET /occupations`.
pub async fn occupations(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let year = current_year(&state).await?;
    let occupations = load_occupations(&state)
        .await?
        .into_iter()
        .map(Into::into)
        .collect();
    Ok(render(&OccupationsPage {
        chrome: Chrome::new("occupations", &caller),
        year,
        occupations,
    }))
}

pub struct InstitutionLine {
    pub name: String,
    pub kind: &'static str,
    pub contact_person: String,
    pub contact_phone: String,
    pub occupations: Vec<(String, bool)>,
}

#[derive(Template)]
#[template(path = "institutions.html")]
struct InstitutionsPage {
    chrome: Chrome,
    kind: String,
    occupation: String,
    choices: Vec<(String, String)>,
    institutions: Vec<InstitutionLine>,
}

/// `GET /institutions?kind=…&occupation=…`.
pub async fn institutions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(filter): Query<InstitutionFilter>,
) -> Result<Response, PageError> {
    let (kind, occupation) = parse_institution_filter(&filter)?;
    let rows = dte_app::catalog::institutions(&state, kind, occupation.as_ref()).await?;
    let choices = load_occupations(&state)
        .await?
        .into_iter()
        .map(|occupation| (occupation.code, occupation.name))
        .collect();
    let institutions = rows
        .into_iter()
        .map(|row| InstitutionLine {
            name: row.name,
            kind: row.kind.label(),
            contact_person: row.contact_person.unwrap_or_else(|| "—".into()),
            contact_phone: row.contact_phone.unwrap_or_else(|| "—".into()),
            occupations: row
                .listings
                .into_iter()
                .map(|listing| (listing.occupation_name, listing.status == "suspended"))
                .collect(),
        })
        .collect();
    Ok(render(&InstitutionsPage {
        chrome: Chrome::new("institutions", &caller),
        kind: kind
            .map(InstitutionKind::as_str)
            .unwrap_or_default()
            .to_owned(),
        occupation: occupation.map(|code| code.to_string()).unwrap_or_default(),
        choices,
        institutions,
    }))
}

pub struct RegionLine {
    pub name: String,
    pub full_name: String,
    pub division_code: String,
    pub quota: String,
}

#[derive(Template)]
#[template(path = "regions.html")]
struct RegionsPage {
    chrome: Chrome,
    year: i32,
    regions: Vec<RegionLine>,
    total: String,
}

/// `GET /regions`.
pub async fn regions(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let year = current_year(&state).await?;
    let rows = dte_app::catalog::regions(&state, year).await?;
    let total = thousands(rows.iter().map(|region| region.quota).sum());
    let regions = rows
        .into_iter()
        .map(|row| RegionLine {
            name: row.name,
            full_name: row.full_name,
            division_code: row
                .division_code
                .unwrap_or_else(|| "（跨沈阳、抚顺）".into()),
            quota: thousands(row.quota),
        })
        .collect();
    Ok(render(&RegionsPage {
        chrome: Chrome::new("regions", &caller),
        year,
        regions,
        total,
    }))
}

#[derive(Template)]
#[template(path = "policy.html")]
struct PolicyPage {
    chrome: Chrome,
    policy: Policy,
}

/// `GET /policy`: the settings and subsidised categories in force today.
pub async fn policy(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let policy = load_policy(&state).await?;
    Ok(render(&PolicyPage {
        chrome: Chrome::new("policy", &caller),
        policy,
    }))
}

/// `GET /catalog.xlsx`: the three catalogs as one Excel workbook.
pub async fn export(State(state): State<AppState>) -> Result<Response, PageError> {
    use axum::http::header;
    use axum::response::IntoResponse;
    use dte_docs::catalog::{
        InstitutionLine as Institution, OccupationLine as Occupation, RegionLine as Region,
    };
    let year = current_year(&state).await?;
    let occupations: Vec<Occupation> = load_occupations(&state)
        .await?
        .into_iter()
        .map(|occupation| {
            let cell = |level: OccupationLevel| {
                (
                    level.hours,
                    Fen::new(level.rate_fen_per_hour),
                    Fen::new(level.subsidy_fen),
                )
            };
            let levels = occupation.levels;
            Occupation {
                name: occupation.name,
                code: occupation.code,
                levels: [
                    cell(levels.junior),
                    cell(levels.intermediate),
                    cell(levels.senior),
                ],
            }
        })
        .collect();
    let institutions: Vec<Institution> = dte_app::catalog::institutions(&state, None, None)
        .await?
        .into_iter()
        .map(|row| Institution {
            name: row.name,
            kind: row.kind.label().to_owned(),
            contact_person: row.contact_person.unwrap_or_default(),
            contact_phone: row.contact_phone.unwrap_or_default(),
            occupations: row
                .listings
                .iter()
                .map(|listing| listing.occupation_name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
        })
        .collect();
    let regions: Vec<Region> = dte_app::catalog::regions(&state, year)
        .await?
        .into_iter()
        .map(|row| Region {
            name: row.name,
            quota: row.quota,
        })
        .collect();
    let bytes = dte_docs::catalog::catalog_workbook(year, &occupations, &institutions, &regions)
        .map_err(crate::error::AppError::internal)?;
    let disposition = format!("attachment; filename=\"dte-catalog-{year}.xlsx\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
