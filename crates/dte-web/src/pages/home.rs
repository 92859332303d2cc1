//! The home page: what the project is, its 2030 target, and where to go next.

use super::Chrome;
use super::{PageError, render};
use crate::AppState;
use crate::api::catalog::{current_year, load_occupations};
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;

/// The plan's target (二、培育目标): about 3,000 a year, at least 20,000 in all by 2030.
const YEARLY_TARGET: u32 = 3_000;
const CUMULATIVE_TARGET: u32 = 20_000;
const TARGET_YEAR: i32 = 2030;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    chrome: Chrome,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
    year: i32,
    yearly_target: String,
    cumulative_target: String,
    target_year: i32,
    quota_total: String,
    occupations: Vec<(String, String)>,
}

/// `GET /`.
pub async fn home(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let year = current_year(&state).await?;
    let quota: u32 = dte_app::catalog::regions(&state, year)
        .await?
        .iter()
        .map(|region| region.quota)
        .sum();
    let occupations = load_occupations(&state)
        .await?
        .into_iter()
        .map(|occupation| (occupation.code, occupation.name))
        .collect();
    Ok(render(&HomePage {
        chrome: Chrome::new("home", &caller),
        online_share: dte_app::policy_today(&state)
            .await?
            .online_share_max_percent
            .to_string(),
        year,
        yearly_target: thousands(YEARLY_TARGET),
        cumulative_target: thousands(CUMULATIVE_TARGET),
        target_year: TARGET_YEAR,
        quota_total: thousands(quota),
        occupations,
    }))
}

/// `20000` → `20,000`.
pub fn thousands(number: u32) -> String {
    dte_domain::group_thousands(u64::from(number))
}
