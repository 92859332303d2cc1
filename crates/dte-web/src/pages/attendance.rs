//! The attendance pages (issue 5, items 1, 2 and 4): a trainee's check-in page made for a
//! phone on a weak network, the classroom display with the rotating code as QR and digits,
//! and a class's hours ledger with the institution's corrections. The pages call the same
//! `classes::{check_in, attendance}` functions as the API.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::classes::attendance::{self, CorrectionRequest};
use dte_app::classes::check_in::{self, session_plan};
use dte_app::{shanghai_time, shanghai_today};
use dte_domain::attendance::{CheckKind, Window};
use dte_domain::class::Delivery;
use dte_store::{ClassRow, SessionRow};
use serde::Deserialize;

/// A session as the attendance pages show it.
pub struct SessionCard {
    pub id: i64,
    /// The session's place in the timetable, from 1 (0 where not shown).
    pub number: usize,
    pub class_id: i64,
    pub class_title: String,
    pub venue: String,
    pub date: String,
    pub time: String,
    pub delivery: &'static str,
    pub online: bool,
    pub hours: u32,
    pub check_in_window: String,
    pub check_out_window: String,
    /// What the trainee has done so far, in words (empty for others).
    pub state: String,
}

impl SessionCard {
    fn new(class: &ClassRow, session: &SessionRow) -> SessionCard {
        let plan = session_plan(session);
        SessionCard {
            id: session.id,
            number: 0,
            class_id: class.id,
            class_title: class.title.clone(),
            venue: class.venue_address.clone(),
            date: session.date.format("%Y-%m-%d").to_string(),
            time: format!(
                "{}–{}",
                session.start.format("%H:%M"),
                session.end.format("%H:%M")
            ),
            delivery: plan.delivery.label(),
            online: plan.delivery == Delivery::Online,
            hours: session.hours,
            check_in_window: Window::of(&plan, CheckKind::CheckIn).describe(session.date),
            check_out_window: Window::of(&plan, CheckKind::CheckOut).describe(session.date),
            state: String::new(),
        }
    }
}

#[derive(Template)]
#[template(path = "check_in_list.html")]
struct CheckInListPage {
    chrome: Chrome,
    today: String,
    sessions: Vec<SessionCard>,
}

/// `GET /check-in`: the trainee's sessions today, each with its check-in page.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let today = state.clock.today();
    let sessions = dte_app::classes::check_in::todays_sessions(&state, &caller)
        .await?
        .into_iter()
        .map(|today| {
            let mut card = SessionCard::new(&today.class, &today.session);
            card.state = match (today.checked_in, today.checked_out) {
                (Some(check_in), Some(check_out)) => format!(
                    "已签到 {}，已签退 {}",
                    shanghai_time(check_in),
                    shanghai_time(check_out)
                ),
                (Some(check_in), None) => format!("已签到 {}，未签退", shanghai_time(check_in)),
                (None, Some(check_out)) => format!("未签到，已签退 {}", shanghai_time(check_out)),
                (None, None) if card.online => "线上课次：请在学习页面学习".to_owned(),
                (None, None) => "未签到".to_owned(),
            };
            card
        })
        .collect();
    let page = CheckInListPage {
        chrome: Chrome::new("workbench", &caller),
        today: today.format("%Y年%-m月%-d日").to_string(),
        sessions,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "check_in.html")]
struct CheckInPage {
    chrome: Chrome,
    session: SessionCard,
    /// The code from the classroom's QR, when the page was opened by scanning it.
    code: String,
}

/// The code a scanned QR carries.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CodeQuery {
    code: String,
}

/// `GET /check-in/{session}`: the phone page that checks in or out with the browser's
/// location, the classroom code and a device id (the script is `assets/check-in.js`).
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(session_id): Path<i64>,
    Query(query): Query<CodeQuery>,
) -> Result<Response, PageError> {
    let (session, class) = check_in::session_in_scope(&state, &caller, session_id).await?;
    let code: String = query
        .code
        .chars()
        .filter(char::is_ascii_digit)
        .take(6)
        .collect();
    let page = CheckInPage {
        chrome: Chrome::new("workbench", &caller),
        session: SessionCard::new(&class, &session),
        code,
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "classroom_display.html")]
struct DisplayPage {
    chrome: Chrome,
    session: SessionCard,
}

/// `GET /sessions/{id}/display`: the page the teacher opens on the classroom screen; the code
/// itself comes from [`display_code`] every few seconds.
pub async fn display(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(session_id): Path<i64>,
) -> Result<Response, PageError> {
    // Asking for the code checks that the caller runs the class (and creates the secret).
    check_in::classroom_code(&state, &caller, session_id).await?;
    let (session, class) = check_in::session_in_scope(&state, &caller, session_id).await?;
    let page = DisplayPage {
        chrome: Chrome::new("workbench", &caller),
        session: SessionCard::new(&class, &session),
    };
    Ok(render(&page))
}

#[derive(Template)]
#[template(path = "classroom_code.html")]
struct CodeFragment {
    digits: String,
    seconds_left: u64,
    qr_svg: String,
    link: String,
    checked_in: u32,
    checked_out: u32,
    enrolled: u32,
}

/// `GET /sessions/{id}/display/code`: the current code as QR (the check-in page's address with
/// the code) and digits, with the session's live counts; htmx swaps it in every few seconds.
pub async fn display_code(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(session_id): Path<i64>,
) -> Result<Response, PageError> {
    let code = check_in::classroom_code(&state, &caller, session_id).await?;
    let (_, class) = check_in::session_in_scope(&state, &caller, session_id).await?;
    let counts = check_in::session_counts(&state, &caller, session_id).await?;
    let link = format!(
        "{}/check-in/{session_id}?code={}",
        state.public_url, code.code
    );
    let qr_svg = qr_svg(&link).map_err(crate::error::AppError::internal)?;
    let fragment = CodeFragment {
        digits: format!("{} {}", &code.code[..3], &code.code[3..]),
        seconds_left: code.seconds_left,
        qr_svg,
        link,
        checked_in: counts.checked_in,
        checked_out: counts.checked_out,
        enrolled: class.enrolled,
    };
    Ok(render(&fragment))
}

/// A QR code of `text` as an inline SVG element (no XML declaration, no style attribute).
fn qr_svg(text: &str) -> Result<String, qrcode::types::QrError> {
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(320, 320)
        .quiet_zone(true)
        .build();
    Ok(match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    })
}

/// One line of the ledger page.
pub struct LedgerRow {
    pub person_id: i64,
    pub name: String,
    pub offline_hours: u32,
    pub online_hours: u32,
    pub online_credited_hours: u32,
    pub total_hours: u32,
    pub timetable_hours: u32,
    pub percent: u32,
    pub required_hours: u32,
    pub missing_hours: u32,
    pub verdict: &'static str,
    pub tone: &'static str,
    pub notes: String,
}

/// A correction as the ledger page lists it.
pub struct CorrectionLine {
    pub when: String,
    pub session: String,
    pub person: String,
    pub what: String,
    pub reason: String,
    pub by: String,
}

#[derive(Template)]
#[template(path = "attendance.html")]
struct LedgerPage {
    chrome: Chrome,
    class_id: i64,
    class_title: String,
    minimum_percent: u32,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
    rows: Vec<LedgerRow>,
    sessions: Vec<SessionCard>,
    corrections: Vec<CorrectionLine>,
    /// The institution running the class may correct.
    may_correct: bool,
    error: String,
    notice: String,
    form: CorrectionForm,
}

/// The correction form as typed.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CorrectionForm {
    pub session_id: i64,
    pub person_id: i64,
    pub kind: String,
    pub present: String,
    pub reason: String,
}

/// A notice after a redirect (`?done=…`).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /classes/{id}/attendance`.
pub async fn ledger(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = if done.done.as_deref() == Some("corrected") {
        "考勤更正已记录并留痕。".to_owned()
    } else {
        String::new()
    };
    ledger_page(
        &state,
        &caller,
        id,
        StatusCode::OK,
        String::new(),
        notice,
        CorrectionForm::default(),
    )
    .await
}

/// `POST /classes/{id}/attendance/corrections` (the institution).
pub async fn correct(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<CorrectionForm>,
) -> Result<Response, PageError> {
    let request = CorrectionRequest {
        person_id: form.person_id,
        kind: form.kind.clone(),
        present: form.present != "no",
        reason: form.reason.clone(),
    };
    let session_of_class = state
        .store
        .session(form.session_id)
        .await?
        .is_some_and(|session| session.class_id == id);
    let outcome = if session_of_class {
        attendance::correct(&state, &caller, form.session_id, &request)
            .await
            .map_err(crate::error::AppError::from)
    } else {
        Err(crate::error::AppError::invalid(
            "session_id",
            "请选择本班期的课次",
        ))
    };
    match outcome {
        Ok(_) => {
            Ok(Redirect::to(&format!("/classes/{id}/attendance?done=corrected")).into_response())
        }
        Err(error) if error.status.is_client_error() && error.status != StatusCode::NOT_FOUND => {
            ledger_page(
                &state,
                &caller,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                error.message.clone(),
                String::new(),
                form,
            )
            .await
        }
        Err(error) => Err(PageError(error)),
    }
}

async fn ledger_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    error: String,
    notice: String,
    form: CorrectionForm,
) -> Result<Response, PageError> {
    let ledger = attendance::class_ledger(state, caller, id).await?;
    let class = &ledger.class;
    let may_correct = dte_app::access::allows(
        caller,
        dte_domain::access::Action::CorrectAttendance,
        &dte_app::access::class_record(class),
    );
    let names: std::collections::HashMap<i64, String> = ledger
        .trainees
        .iter()
        .map(|line| (line.person_id, line.name.clone()))
        .collect();
    let rows = ledger
        .trainees
        .iter()
        .map(|line| {
            let l = &line.ledger;
            let (verdict, tone) = if l.meets_minimum() {
                ("已达到结业要求", "ok")
            } else if l.can_still_complete() {
                ("尚未达到", "")
            } else {
                ("已无法达到", "warn")
            };
            let mut notes = Vec::new();
            if l.incomplete_sessions > 0 {
                notes.push(format!("{} 次只签到或只签退", l.incomplete_sessions));
            }
            if l.late_arrivals > 0 {
                notes.push(format!("迟到 {} 次", l.late_arrivals));
            }
            if l.early_departures > 0 {
                notes.push(format!("早退 {} 次", l.early_departures));
            }
            if l.corrected_sessions > 0 {
                notes.push(format!("更正 {} 节", l.corrected_sessions));
            }
            if l.online_hours_beyond_share() > 0 {
                notes.push(format!(
                    "线上 {} 学时超出线上学时上限，不计入",
                    l.online_hours_beyond_share()
                ));
            }
            LedgerRow {
                person_id: line.person_id,
                name: line.name.clone(),
                offline_hours: l.offline_hours,
                online_hours: l.online_hours,
                online_credited_hours: l.online_credited_hours,
                total_hours: l.total_hours,
                timetable_hours: l.timetable_hours,
                percent: l.attendance_percent(),
                required_hours: l.required_hours,
                missing_hours: l.missing_hours,
                verdict,
                tone,
                notes: notes.join("；"),
            }
        })
        .collect();
    let sessions: Vec<SessionCard> = ledger
        .sessions
        .iter()
        .enumerate()
        .map(|(index, session)| SessionCard {
            number: index + 1,
            ..SessionCard::new(class, session)
        })
        .collect();
    let session_label = |session_id: i64| {
        sessions
            .iter()
            .find(|card| card.id == session_id)
            .map(|card| format!("第 {} 节 {} {}", card.number, card.date, card.time))
            .unwrap_or_default()
    };
    // The corrections are the institution's and the supervisors' to see (a trainee reads
    // only their own line of the ledger).
    let corrections = if !dte_app::access::admits(caller, dte_domain::access::Action::ReadRoster) {
        Vec::new()
    } else {
        attendance::corrections(state, caller, class.id)
            .await?
            .into_iter()
            .map(|row| CorrectionLine {
                when: format!(
                    "{} {}",
                    shanghai_today(row.made_at).format("%Y-%m-%d"),
                    shanghai_time(row.made_at)
                ),
                session: session_label(row.session_id),
                person: names.get(&row.person_id).cloned().unwrap_or_default(),
                what: format!(
                    "{}：{}",
                    if row.kind == "in" { "签到" } else { "签退" },
                    if row.present {
                        "补记为出勤"
                    } else {
                        "记为不计入"
                    }
                ),
                reason: row.reason,
                by: row.made_by.unwrap_or_default(),
            })
            .collect()
    };
    let page = LedgerPage {
        chrome: Chrome::new("workbench", caller),
        class_id: class.id,
        class_title: class.title.clone(),
        minimum_percent: ledger.minimum_attendance_percent,
        online_share: dte_app::policy_on(state, ledger.class.end_date)
            .await?
            .online_share_max_percent
            .to_string(),
        rows,
        sessions: sessions.into_iter().filter(|card| !card.online).collect(),
        corrections,
        may_correct,
        error,
        notice,
        form,
    };
    Ok((status, render(&page)).into_response())
}
