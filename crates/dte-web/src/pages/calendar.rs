//! The holiday calendar page (放假调休, `/calendar`): a year's holiday days off and adjusted
//! working days, a note for a year without a calendar (it counts Monday to Friday), and the
//! province's form to add a day or change a date's entry, each refusal next to its field.

use super::classes::{FormErrors, is_page_error};
use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use chrono_tz::Asia::Shanghai;
use dte_app::calendar::{self, CalendarDayInput};
use dte_domain::access::Action;
use serde::Deserialize;

/// One entered day as the table shows it.
pub struct DayLine {
    pub date: String,
    pub weekday: String,
    pub working: bool,
    pub name: String,
    pub by: String,
    pub at: String,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    note: String,
    days: Vec<DayLine>,
    days_off: usize,
    working_days: usize,
    covered_years: Vec<i32>,
    may_change: bool,
    notice: String,
    errors: FormErrors,
    typed: DayForm,
}

/// Which year (`?year=`, this year when absent or unreadable), and the date just saved.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CalendarQuery {
    year: String,
    saved: String,
}

/// The province's form: a date, whether it is worked, and the holiday's name.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DayForm {
    pub date: String,
    /// `off` (放假) or `working` (调休上班).
    pub kind: String,
    pub name: String,
}

/// `GET /calendar?year=…`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, PageError> {
    let year = query
        .year
        .trim()
        .parse()
        .unwrap_or_else(|_| calendar::this_year(&state));
    let notice = if query.saved.is_empty() {
        String::new()
    } else {
        format!("已保存 {} 的放假安排。", query.saved)
    };
    let answer = Answer {
        notice,
        ..Answer::default()
    };
    calendar_page(&state, &caller, year, StatusCode::OK, answer).await
}

/// `POST /calendar/days`: the province adds a day or changes a date's entry.
pub async fn set_day(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<DayForm>,
) -> Result<Response, PageError> {
    let working = match form.kind.as_str() {
        "working" => Ok(true),
        "off" => Ok(false),
        _ => Err(AppError::invalid("working", "请选择“放假”或“调休上班”")),
    };
    let outcome = match working {
        Ok(working) => {
            let input = CalendarDayInput {
                date: form.date.clone(),
                working,
                name: form.name.clone(),
            };
            calendar::set_day(&state, &caller, &input)
                .await
                .map_err(AppError::from)
        }
        Err(error) => Err(error),
    };
    match outcome {
        Ok(set) => {
            let query = serde_urlencoded::to_string([
                ("year", set.day.date.year().to_string()),
                ("saved", set.day.date.to_string()),
            ])
            .unwrap_or_default();
            Ok(Redirect::to(&format!("/calendar?{query}")).into_response())
        }
        Err(error) if is_page_error(&error) => Err(PageError(error)),
        Err(error) => {
            let status = error.status;
            let year = chrono::NaiveDate::parse_from_str(form.date.trim(), "%Y-%m-%d")
                .map(|date| date.year())
                .unwrap_or_else(|_| calendar::this_year(&state));
            let answer = Answer {
                errors: FormErrors::from_error(&error, str::to_owned),
                typed: form,
                ..Answer::default()
            };
            calendar_page(&state, &caller, year, status, answer).await
        }
    }
}

/// What the page says after a form: a notice, or the refusals with the values typed.
#[derive(Default)]
struct Answer {
    notice: String,
    errors: FormErrors,
    typed: DayForm,
}

async fn calendar_page(
    state: &AppState,
    caller: &Caller,
    year: i32,
    status: StatusCode,
    answer: Answer,
) -> Result<Response, PageError> {
    let year = match calendar::year(state, caller, year).await {
        Ok(found) => found,
        Err(error) => calendar::year(state, caller, calendar::this_year(state))
            .await
            .map_err(|_| PageError(AppError::from(error)))?,
    };
    let days: Vec<DayLine> = year
        .days
        .into_iter()
        .map(|day| DayLine {
            date: day.date.to_string(),
            weekday: day.weekday,
            working: day.working,
            name: day.name,
            by: day.added_by.unwrap_or_else(|| "参考数据".into()),
            at: day
                .added_at
                .with_timezone(&Shanghai)
                .format("%Y-%m-%d %H:%M")
                .to_string(),
        })
        .collect();
    let page = CalendarPage {
        chrome: Chrome::new("workbench", caller),
        year: year.year,
        note: year.note.unwrap_or_default(),
        days_off: days.iter().filter(|day| !day.working).count(),
        working_days: days.iter().filter(|day| day.working).count(),
        days,
        covered_years: year.covered_years,
        may_change: dte_app::access::admits(caller, Action::EditCalendar),
        notice: answer.notice,
        errors: answer.errors,
        typed: answer.typed,
    };
    Ok((status, render(&page)).into_response())
}
