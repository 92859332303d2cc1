//! Live monitoring for supervisors (远程监控, issue 5 item 7): today's sessions in the region
//! with live check-in counts, a map of Liaoning drawn from the boundary data (no map tiles from
//! anywhere) with the venues and the attempts from beyond a fence, and the risk flags by class.
//! The live part is a fragment htmx fetches again every few seconds.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use dte_app::classes::scope;
use dte_app::monitoring::{FlagFilter, flags_in_scope};
use dte_app::shanghai_time;
use dte_domain::Scope;
use dte_geo::{LatLon, city_outlines};
use serde::Deserialize;
use std::fmt::Write;
use std::sync::OnceLock;

/// The map's frame in degrees: Liaoning lies within 118.8–125.8° E, 38.7–43.5° N.
const WEST: f64 = 118.5;
const EAST: f64 = 126.0;
const NORTH: f64 = 43.6;
const SOUTH: f64 = 38.6;
/// Map units per degree of latitude; longitude is scaled by cos(41.1°), the middle latitude.
const UNITS_PER_DEGREE: f64 = 100.0;
/// The outlines' simplification for drawing, in metres (decisions never use these).
const OUTLINE_TOLERANCE_M: f64 = 800.0;

fn project(point: LatLon) -> (f64, f64) {
    let x = (point.lon - WEST) * UNITS_PER_DEGREE * 41.1_f64.to_radians().cos();
    let y = (NORTH - point.lat) * UNITS_PER_DEGREE;
    (x, y)
}

/// The map's outlines, drawn once.
pub struct MapBase {
    pub view_box: String,
    pub cities: Vec<CityShape>,
}

/// One city's outline as SVG path data.
pub struct CityShape {
    pub name: &'static str,
    pub path: String,
    /// Where its name is written: the middle of its largest ring's bounding box.
    pub label_x: String,
    pub label_y: String,
}

fn map_base() -> &'static MapBase {
    static BASE: OnceLock<MapBase> = OnceLock::new();
    BASE.get_or_init(|| {
        let (width, height) = project(LatLon {
            lat: SOUTH,
            lon: EAST,
        });
        let cities = city_outlines(OUTLINE_TOLERANCE_M)
            .into_iter()
            .map(|outline| {
                let mut path = String::new();
                let mut largest: Option<(f64, (f64, f64, f64, f64))> = None;
                for ring in &outline.rings {
                    let mut bounds = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                    for (index, point) in ring.iter().enumerate() {
                        let (x, y) = project(*point);
                        bounds = (
                            bounds.0.min(x),
                            bounds.1.min(y),
                            bounds.2.max(x),
                            bounds.3.max(y),
                        );
                        let command = if index == 0 { 'M' } else { 'L' };
                        let _ = write!(path, "{command}{x:.1} {y:.1}");
                    }
                    path.push('Z');
                    let area = (bounds.2 - bounds.0) * (bounds.3 - bounds.1);
                    if largest.is_none_or(|(best, _)| area > best) {
                        largest = Some((area, bounds));
                    }
                }
                let (_, (x0, y0, x1, y1)) = largest.unwrap_or((0.0, (0.0, 0.0, 0.0, 0.0)));
                CityShape {
                    name: outline.name,
                    path,
                    label_x: format!("{:.1}", (x0 + x1) / 2.0),
                    label_y: format!("{:.1}", (y0 + y1) / 2.0),
                }
            })
            .collect();
        MapBase {
            view_box: format!("0 0 {width:.0} {height:.0}"),
            cities,
        }
    })
}

/// A venue of today on the map.
pub struct VenueDot {
    pub x: String,
    pub y: String,
    pub title: String,
    /// `ok`, or `warn` when an attempt came from beyond the fence.
    pub tone: &'static str,
}

/// An attempt from beyond a fence on the map and in the list.
pub struct ViolationDot {
    pub x: String,
    pub y: String,
    pub time: String,
    pub class_title: String,
    pub distance: String,
    pub accepted: bool,
}

/// A session of today in the table.
pub struct LiveLine {
    pub class_id: i64,
    pub class_title: String,
    pub institution: String,
    pub region: String,
    pub time: String,
    pub delivery: &'static str,
    pub checked_in: i64,
    pub checked_out: i64,
    pub enrolled: i64,
    pub refused: i64,
    pub outside_fence: i64,
}

/// The region a supervisor looks at.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RegionQuery {
    region: String,
}

/// The region to show: a city's own, or the one the province picked (empty: all).
fn region_of(caller: &Caller, query: &RegionQuery) -> Result<String, PageError> {
    Ok(match scope(caller)? {
        Scope::Region(region) => region,
        _ => query.region.trim().to_owned(),
    })
}

#[derive(Template)]
#[template(path = "monitor_live.html")]
struct LiveFragment {
    map: &'static MapBase,
    region: String,
    now: String,
    venues: Vec<VenueDot>,
    violations: Vec<ViolationDot>,
    lines: Vec<LiveLine>,
}

async fn live_fragment(
    state: &AppState,
    caller: &Caller,
    region: &str,
) -> Result<LiveFragment, PageError> {
    let filter = (!region.is_empty()).then_some(region);
    let (sessions, breaches) = dte_app::monitoring::live(state, caller, filter).await?;
    let mut venues: Vec<VenueDot> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for session in &sessions {
        if session.delivery != "offline" || !seen.insert(session.class_id) {
            continue;
        }
        let (x, y) = project(LatLon {
            lat: session.venue_lat,
            lon: session.venue_lon,
        });
        let outside: i64 = sessions
            .iter()
            .filter(|other| other.class_id == session.class_id)
            .map(|other| other.outside_fence)
            .sum();
        venues.push(VenueDot {
            x: format!("{x:.1}"),
            y: format!("{y:.1}"),
            title: format!("{}（{}）", session.class_title, session.venue_address),
            tone: if outside > 0 { "warn" } else { "ok" },
        });
    }
    let title_of = |class_id: i64| {
        sessions
            .iter()
            .find(|session| session.class_id == class_id)
            .map(|session| session.class_title.clone())
            .unwrap_or_default()
    };
    let violations = breaches
        .iter()
        .map(|breach| {
            let (x, y) = project(LatLon {
                lat: breach.lat,
                lon: breach.lon,
            });
            ViolationDot {
                x: format!("{x:.1}"),
                y: format!("{y:.1}"),
                time: shanghai_time(breach.at),
                class_title: title_of(breach.class_id),
                distance: dte_geo::describe_distance(breach.distance_outside_m),
                accepted: breach.accepted,
            }
        })
        .collect();
    let lines = sessions
        .iter()
        .map(|session| LiveLine {
            class_id: session.class_id,
            class_title: session.class_title.clone(),
            institution: session.institution_name.clone(),
            region: session.region_name.clone(),
            time: format!(
                "{}–{}",
                session.start_time.format("%H:%M"),
                session.end_time.format("%H:%M")
            ),
            delivery: if session.delivery == "online" {
                "线上"
            } else {
                "线下"
            },
            checked_in: session.checked_in,
            checked_out: session.checked_out,
            enrolled: session.enrolled,
            refused: session.refused,
            outside_fence: session.outside_fence,
        })
        .collect();
    Ok(LiveFragment {
        map: map_base(),
        region: region.to_owned(),
        now: shanghai_time(state.clock.now()),
        venues,
        violations,
        lines,
    })
}

/// A class with its risk score and the summaries of its flags.
pub struct RiskLine {
    pub class_id: i64,
    pub class_title: String,
    pub institution: String,
    pub region: String,
    pub score: u32,
    pub flags: Vec<(&'static str, String)>,
}

#[derive(Template)]
#[template(path = "monitor.html")]
struct MonitorPage {
    chrome: Chrome,
    region: String,
    /// The province and inspectors pick a region; a city sees its own.
    regions: Option<Vec<&'static str>>,
    /// The live fragment, rendered.
    live: String,
    risks: Vec<RiskLine>,
}

/// `GET /monitor`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<RegionQuery>,
) -> Result<Response, PageError> {
    let region = region_of(&caller, &query)?;
    let live = live_fragment(&state, &caller, &region)
        .await?
        .render()
        .map_err(crate::error::AppError::internal)?;
    let filter = FlagFilter {
        region: (!region.is_empty()).then(|| region.clone()),
        class_id: None,
    };
    let risks = flags_in_scope(&state, &caller, &filter)
        .await?
        .into_iter()
        .map(|class| RiskLine {
            class_id: class.class.id,
            class_title: class.class.title.clone(),
            institution: class.class.institution_name.clone(),
            region: class.class.region.clone(),
            score: class.score,
            flags: class
                .flags
                .iter()
                .map(|flag| (flag.kind.label(), flag.evidence.summary()))
                .collect(),
        })
        .collect();
    let regions = match scope(&caller)? {
        Scope::Region(_) => None,
        _ => Some(dte_geo::REGIONS.to_vec()),
    };
    let page = MonitorPage {
        chrome: Chrome::new("workbench", &caller),
        region,
        regions,
        live,
        risks,
    };
    Ok(render(&page))
}

/// `GET /monitor/live`: the live part alone, for htmx.
pub async fn live(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<RegionQuery>,
) -> Result<Response, PageError> {
    let region = region_of(&caller, &query)?;
    Ok(render(&live_fragment(&state, &caller, &region).await?))
}
