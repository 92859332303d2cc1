//! A class plan as a request gives it (JSON or a form), parsed field by field into the
//! domain's `ClassPlan` and the store's `NewClass`; each bad field is named in Chinese.

use crate::{Detail, ServiceError};
use chrono::{NaiveDate, NaiveTime};
use dte_domain::class::{Delivery, Funding, SessionPlan};
use dte_domain::class_rules::{ClassPlan, Violation};
use dte_domain::{Level, OccupationCode};
use dte_geo::{Fence, LatLon};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A point, WGS-84 as phones and map tools give it.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
pub struct Point {
    pub lat: f64,
    pub lon: f64,
}

/// An electronic fence: a circle around a centre or a polygon.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum FenceInput {
    Circle { center: Point, radius_m: f64 },
    Polygon { vertices: Vec<Point> },
}

/// One session of the timetable. Dates are `YYYY-MM-DD`, times `HH:MM`.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct SessionInput {
    pub date: String,
    pub start: String,
    pub end: String,
    /// `offline` (线下) or `online` (线上).
    pub delivery: String,
    /// Class hours (学时).
    pub hours: u32,
    #[serde(default)]
    pub teacher: String,
}

impl FenceInput {
    /// The fence as the geometry checks it, or why it is not one (in Chinese).
    pub fn to_fence(&self) -> Result<Fence, String> {
        let point =
            |point: Point| LatLon::new(point.lat, point.lon).map_err(|error| error.to_string());
        match self {
            FenceInput::Circle { center, radius_m } => {
                Fence::circle(point(*center)?, *radius_m).map_err(|error| error.to_string())
            }
            FenceInput::Polygon { vertices } => {
                let points = vertices
                    .iter()
                    .map(|vertex| point(*vertex))
                    .collect::<Result<Vec<_>, _>>()?;
                Fence::polygon(points).map_err(|error| error.to_string())
            }
        }
    }
}

/// A class plan: what an institution sends to open a class or change a draft.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ClassInput {
    pub title: String,
    /// Occupation code (职业编码), e.g. `2-02-10-09`.
    pub occupation: String,
    #[serde(default)]
    pub direction: Option<String>,
    /// `junior`, `intermediate`, `senior` (or 初级/中级/高级).
    pub level: String,
    /// `market` (市场化) or `subsidised` (政府补贴).
    pub funding: String,
    /// A region of Liaoning, e.g. `沈阳` or `沈抚示范区`.
    pub region: String,
    pub venue_address: String,
    pub venue: Point,
    pub fence: FenceInput,
    pub start_date: String,
    pub end_date: String,
    pub capacity: u32,
    pub sessions: Vec<SessionInput>,
}

/// The most sessions one timetable may hold (a year of daily sessions).
pub const MAX_SESSIONS: usize = 400;

/// A parsed plan: the domain's view for the rules and the parts the store keeps as they are.
#[derive(Debug, Clone)]
pub struct ParsedPlan {
    pub plan: ClassPlan,
    pub title: String,
    pub fence_json: String,
}

fn detail(field: impl Into<String>, message: impl Into<String>) -> Detail {
    Detail {
        code: "invalid_parameter".into(),
        message: message.into(),
        field: Some(field.into()),
    }
}

/// Rule violations as the error details of one 422 answer.
pub fn violations(list: Vec<Violation>) -> ServiceError {
    ServiceError::violations(
        list.into_iter()
            .map(|violation| Detail {
                code: violation.code.into(),
                message: violation.message,
                field: Some(violation.field),
            })
            .collect(),
    )
}

fn date(field: &str, text: &str, errors: &mut Vec<Detail>) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.push(detail(
            field,
            format!("日期“{text}”无法识别，应为 YYYY-MM-DD，例如 2027-03-01"),
        ));
    }
    parsed
}

fn time(field: &str, text: &str, errors: &mut Vec<Detail>) -> Option<NaiveTime> {
    let text = text.trim();
    let parsed = NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .ok();
    if parsed.is_none() {
        errors.push(detail(
            field,
            format!("时间“{text}”无法识别，应为 HH:MM，例如 09:00"),
        ));
    }
    parsed
}

fn point(field: &str, point: Point, errors: &mut Vec<Detail>) -> Option<LatLon> {
    match LatLon::new(point.lat, point.lon) {
        Ok(point) => Some(point),
        Err(error) => {
            errors.push(detail(field, error.to_string()));
            None
        }
    }
}

/// Parses every field, collecting every problem; the answer is the plan or one 422 naming
/// each bad field.
pub fn parse(input: &ClassInput) -> Result<ParsedPlan, ServiceError> {
    let mut errors = Vec::new();
    let title = input.title.trim().to_owned();
    if title.is_empty() || title.chars().count() > 100 {
        errors.push(detail("title", "请填写班期名称（不超过 100 个字）"));
    }
    let occupation = OccupationCode::parse(&input.occupation)
        .map_err(|error| errors.push(detail("occupation", error.to_string())))
        .ok();
    let level = Level::parse(&input.level)
        .map_err(|error| errors.push(detail("level", error.to_string())))
        .ok();
    let funding = Funding::parse(&input.funding);
    if funding.is_none() {
        errors.push(detail(
            "funding",
            "资金来源应为 市场化（market）或 政府补贴（subsidised）",
        ));
    }
    let venue = point("venue", input.venue, &mut errors);
    let fence = input
        .fence
        .to_fence()
        .map_err(|message| errors.push(detail("fence", message)))
        .ok();
    let start_date = date("start_date", &input.start_date, &mut errors);
    let end_date = date("end_date", &input.end_date, &mut errors);
    if input.sessions.len() > MAX_SESSIONS {
        errors.push(detail(
            "sessions",
            format!(
                "课表最多 {MAX_SESSIONS} 节，收到 {} 节",
                input.sessions.len()
            ),
        ));
    }
    let mut sessions = Vec::new();
    for (index, session) in input.sessions.iter().enumerate().take(MAX_SESSIONS) {
        let field = |name: &str| format!("sessions[{index}].{name}");
        let date = date(&field("date"), &session.date, &mut errors);
        let start = time(&field("start"), &session.start, &mut errors);
        let end = time(&field("end"), &session.end, &mut errors);
        let delivery = Delivery::parse(&session.delivery);
        if delivery.is_none() {
            errors.push(detail(
                field("delivery"),
                format!(
                    "第 {} 节的授课方式应为 线下（offline）或 线上（online）",
                    index + 1
                ),
            ));
        }
        if let (Some(date), Some(start), Some(end), Some(delivery)) = (date, start, end, delivery) {
            sessions.push(SessionPlan {
                date,
                start,
                end,
                delivery,
                hours: session.hours,
                teacher: session.teacher.trim().to_owned(),
            });
        }
    }
    let direction = input
        .direction
        .as_deref()
        .map(str::trim)
        .filter(|direction| !direction.is_empty())
        .map(str::to_owned);
    match (
        occupation, level, funding, venue, fence, start_date, end_date,
    ) {
        (
            Some(occupation),
            Some(level),
            Some(funding),
            Some(venue),
            Some(fence),
            Some(start_date),
            Some(end_date),
        ) if errors.is_empty() => {
            let fence_json = serde_json::to_string(&input.fence).map_err(ServiceError::internal)?;
            Ok(ParsedPlan {
                plan: ClassPlan {
                    occupation,
                    direction,
                    level,
                    funding,
                    region: input.region.trim().to_owned(),
                    venue_address: input.venue_address.trim().to_owned(),
                    venue,
                    fence,
                    start_date,
                    end_date,
                    capacity: input.capacity,
                    sessions,
                },
                title,
                fence_json,
            })
        }
        _ => Err(ServiceError::violations(errors)),
    }
}

/// The stored plan as the input that would recreate it (for the edit form and the API). A
/// stored fence that does not read is an error naming the class, never a made-up circle.
pub fn input_of(
    class: &dte_store::ClassRow,
    sessions: &[SessionPlan],
) -> Result<ClassInput, ServiceError> {
    let fence = serde_json::from_str(&class.fence_json).map_err(|error| {
        ServiceError::internal(format!(
            "class {}: the stored fence does not read: {error}",
            class.id
        ))
    })?;
    Ok(ClassInput {
        title: class.title.clone(),
        occupation: class.occupation.as_str().to_owned(),
        direction: class.direction.clone(),
        level: class.level.as_str().to_owned(),
        funding: class.funding.as_str().to_owned(),
        region: class.region.clone(),
        venue_address: class.venue_address.clone(),
        venue: Point {
            lat: class.venue_lat,
            lon: class.venue_lon,
        },
        fence,
        start_date: class.start_date.to_string(),
        end_date: class.end_date.to_string(),
        capacity: class.capacity,
        sessions: sessions
            .iter()
            .map(|session| SessionInput {
                date: session.date.to_string(),
                start: session.start.format("%H:%M").to_string(),
                end: session.end.format("%H:%M").to_string(),
                delivery: session.delivery.as_str().to_owned(),
                hours: session.hours,
                teacher: session.teacher.clone(),
            })
            .collect(),
    })
}
