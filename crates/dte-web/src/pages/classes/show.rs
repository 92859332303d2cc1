//! One class: its plan, timetable and fence, its state with the actions open to the caller,
//! and, for those who may read it, the masked roster with the enrolment forms.

use super::enrolment::EnrolForm;
use super::{ClassCard, FormErrors, PageError, is_page_error, render};
use crate::AppState;
use crate::auth::Caller;
use crate::pages::Chrome;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use chrono_tz::Asia::Shanghai;
use dte_app::classes::plan::{FenceInput, input_of};
use dte_app::classes::{enrol, workflow};
use dte_domain::TraineeCategory;
use dte_domain::access::Action;
use dte_domain::class::{ClassAction, ClassStatus};
use dte_domain::class_rules::timetable_hours;
use serde::Deserialize;

/// One session of the timetable as the page shows it.
pub struct SessionLine {
    pub number: usize,
    pub date: String,
    pub time: String,
    pub delivery: &'static str,
    pub hours: u32,
    pub teacher: String,
}

/// One line of the roster, ID number and phone masked.
pub struct RosterLine {
    pub enrolment_id: i64,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub category: &'static str,
    pub employer_or_school: String,
    pub subsidy: String,
    pub active: bool,
    pub account: &'static str,
    pub documents: u32,
    pub commitment_signed: bool,
}

/// A button for a state change open to the caller now.
pub struct ActionButton {
    pub value: &'static str,
    pub label: &'static str,
    /// Rejection needs a reason typed next to the button.
    pub needs_reason: bool,
}

/// A person just enrolled, with the one-time activation code to hand over.
pub struct Enrolled {
    pub name: String,
    pub id_number: String,
    pub subsidised: bool,
    pub username: String,
    pub code: String,
}

impl From<enrol::EnrolmentOutcome> for Enrolled {
    fn from(outcome: enrol::EnrolmentOutcome) -> Enrolled {
        Enrolled {
            name: outcome.name,
            id_number: outcome.id_number,
            subsidised: outcome.subsidised,
            username: outcome.username.unwrap_or_default(),
            code: outcome.activation_code.unwrap_or_default(),
        }
    }
}

/// What a class page shows besides the class: a notice, the answer of a form just sent.
#[derive(Default)]
pub struct Extras {
    pub notice: String,
    pub action_errors: FormErrors,
    pub reason: String,
    pub enrol_form: EnrolForm,
    pub enrol_errors: FormErrors,
    pub roster_errors: FormErrors,
    pub document_errors: FormErrors,
    pub enrolled: Vec<Enrolled>,
}

#[derive(Template)]
#[template(path = "class.html")]
struct ClassPage {
    chrome: Chrome,
    card: ClassCard,
    direction: String,
    venue_address: String,
    venue: String,
    fence: String,
    fence_points: Vec<String>,
    rejection_reason: String,
    submitted_at: String,
    required_hours: Option<u32>,
    sessions: Vec<SessionLine>,
    total_hours: u32,
    online_hours: u32,
    online_limit: u32,
    editable: bool,
    /// The institution's link to completion and certificates (finished or closed classes).
    completion: bool,
    action_path: String,
    actions: Vec<ActionButton>,
    roster: Option<Vec<RosterLine>>,
    own: bool,
    may_enrol: bool,
    categories: Vec<(&'static str, &'static str)>,
    subsidy_choices: Vec<(String, String)>,
    /// For a trainee: the online sessions with their learning page (id, date and time).
    learn_links: Vec<(i64, String)>,
    /// The caller may see the class's recordings (全程录像).
    recordings_link: bool,
    extras: Extras,
}

/// A notice after a redirect (`?done=…`).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    done: Option<String>,
}

/// `GET /classes/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = match done.done.as_deref().unwrap_or_default() {
        "created" => "班期已保存为草稿。核对课表后请“提交审核”。".to_owned(),
        "saved" => "修改已保存。".to_owned(),
        "document" => "材料已上传。".to_owned(),
        action => ClassAction::parse(action)
            .map(|action| format!("已{}。", action.label()))
            .unwrap_or_default(),
    };
    let extras = Extras {
        notice,
        ..Extras::default()
    };
    class_page(&state, &caller, id, StatusCode::OK, extras).await
}

/// The state-change form: which action, and the reason of a rejection.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ActionForm {
    action: String,
    reason: String,
}

/// `POST /classes/{id}/actions` (the institution: submit, start, finish) and
/// `POST /classes/{id}/decisions` (the city or province: approve, reject, close).
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<ActionForm>,
) -> Result<Response, PageError> {
    let outcome = match ClassAction::parse(&form.action) {
        Some(action) => workflow::act(&state, &caller, id, action, Some(&form.reason))
            .await
            .map(|_| action)
            .map_err(crate::error::AppError::from),
        None => Err(crate::error::AppError::invalid("action", "未知的操作")),
    };
    match outcome {
        Ok(action) => {
            Ok(Redirect::to(&format!("/classes/{id}?done={}", action.as_str())).into_response())
        }
        Err(error) if is_page_error(&error) => Err(PageError(error)),
        Err(error) => {
            let extras = Extras {
                action_errors: FormErrors::from_error(&error, |_| String::new()),
                reason: form.reason,
                ..Extras::default()
            };
            class_page(&state, &caller, id, error.status, extras).await
        }
    }
}

/// The state changes open to the caller: exactly those `access::authorize` allows on this
/// class (as `workflow::act` asks it) and its state allows (`ClassStatus::after`).
fn actions(
    may: impl Fn(dte_domain::access::Action) -> bool,
    status: ClassStatus,
) -> Vec<ActionButton> {
    const ALL: [ClassAction; 6] = [
        ClassAction::Submit,
        ClassAction::Approve,
        ClassAction::Reject,
        ClassAction::Start,
        ClassAction::Finish,
        ClassAction::Close,
    ];
    ALL.iter()
        .filter(|action| may(workflow::class_action(**action)) && status.after(**action).is_ok())
        .map(|action| ActionButton {
            value: action.as_str(),
            label: action.label(),
            needs_reason: *action == ClassAction::Reject,
        })
        .collect()
}

/// Renders the class page with the answer of a form just sent.
pub async fn class_page(
    state: &AppState,
    caller: &Caller,
    id: i64,
    status: StatusCode,
    extras: Extras,
) -> Result<Response, PageError> {
    let (class, sessions) = dte_app::classes::with_sessions(state, caller, id).await?;
    let hours = timetable_hours(&sessions);
    // What the page offers is what `access::authorize` allows on this class.
    let facts = dte_app::access::class_facts(state, caller, &class).await?;
    let may = |action: Action| dte_app::access::allows(caller, action, &facts);
    let own = may(Action::Enrol);
    let required_hours = workflow::standard_hours(
        &state.store,
        class.start_date.year(),
        &class.occupation,
        class.level,
    )
    .await?;
    let subsidy_names: Vec<(String, String)> = enrol::subsidy_choices(state)
        .await?
        .into_iter()
        .map(|choice| (choice.code, choice.name))
        .collect();
    let roster = match may(Action::ReadRoster) {
        false => None,
        true => Some(
            dte_app::classes::roster_of(state, caller, class.id)
                .await?
                .1
                .into_iter()
                .map(|entry| RosterLine {
                    enrolment_id: entry.enrolment_id,
                    name: entry.name,
                    id_number: entry.id_number_masked,
                    phone: entry.phone_masked.unwrap_or_default(),
                    category: entry.category.label(),
                    employer_or_school: entry.employer_or_school,
                    subsidy: entry
                        .subsidy_category
                        .map(|code| {
                            let name = subsidy_names
                                .iter()
                                .find(|(known, _)| *known == code)
                                .map_or(code.as_str(), |(_, name)| name.as_str());
                            let granted = if entry.subsidised {
                                ""
                            } else {
                                "（未享受）"
                            };
                            format!("{name}{granted}")
                        })
                        .unwrap_or_else(|| "—".into()),
                    active: entry.active,
                    account: match entry.account_status.as_deref() {
                        Some("active") => "已激活",
                        Some("pending_activation") => "待激活",
                        Some(_) => "已停用",
                        None => "—",
                    },
                    documents: entry.documents,
                    commitment_signed: entry.commitment_signed,
                })
                .collect(),
        ),
    };
    let input = input_of(&class, &sessions)?;
    let (fence, fence_points) = match &input.fence {
        FenceInput::Circle { center, radius_m } => (
            format!(
                "圆形：圆心 {:.6}, {:.6}，半径 {radius_m} 米",
                center.lat, center.lon
            ),
            Vec::new(),
        ),
        FenceInput::Polygon { vertices } => (
            format!("多边形，{} 个顶点（纬度, 经度）：", vertices.len()),
            vertices
                .iter()
                .map(|point| format!("{:.6}, {:.6}", point.lat, point.lon))
                .collect(),
        ),
    };
    let learn_links = if may(Action::LearnOnline) {
        dte_app::classes::online::online_sessions(state, caller, class.id)
            .await?
            .into_iter()
            .map(|session| {
                (
                    session.id,
                    format!(
                        "{} {}–{}",
                        session.date,
                        session.start.format("%H:%M"),
                        session.end.format("%H:%M")
                    ),
                )
            })
            .collect()
    } else {
        Vec::new()
    };
    let actions = actions(may, class.status);
    // The institution's changes go to `/actions`, the bureaus' decisions to `/decisions`
    // (the router admits each form for its own actions).
    let institution_acts = actions.iter().any(|button| {
        ClassAction::parse(button.value).is_some_and(|action| {
            matches!(
                action,
                ClassAction::Submit | ClassAction::Start | ClassAction::Finish
            )
        })
    });
    let action_path = if institution_acts {
        format!("/classes/{id}/actions")
    } else {
        format!("/classes/{id}/decisions")
    };
    let page = ClassPage {
        chrome: Chrome::new("workbench", caller),
        card: ClassCard::new(&class),
        direction: class.direction.clone().unwrap_or_default(),
        venue_address: class.venue_address.clone(),
        venue: format!("{:.6}, {:.6}", class.venue_lat, class.venue_lon),
        fence,
        fence_points,
        rejection_reason: class.rejection_reason.clone().unwrap_or_default(),
        submitted_at: class
            .submitted_at
            .map(|at| {
                at.with_timezone(&Shanghai)
                    .format("%Y-%m-%d %H:%M")
                    .to_string()
            })
            .unwrap_or_default(),
        required_hours,
        sessions: sessions
            .iter()
            .enumerate()
            .map(|(index, session)| SessionLine {
                number: index + 1,
                date: session.date.to_string(),
                time: format!(
                    "{}–{}",
                    session.start.format("%H:%M"),
                    session.end.format("%H:%M")
                ),
                delivery: session.delivery.label(),
                hours: session.hours,
                teacher: session.teacher.clone(),
            })
            .collect(),
        total_hours: hours.total,
        online_hours: hours.online,
        online_limit: dte_app::policy_today(state)
            .await?
            .online_hours_limit(hours.total),
        editable: may(Action::EditClass) && class.status.is_editable(),
        completion: may(Action::RecordCompletion)
            && matches!(
                class.status,
                dte_domain::ClassStatus::Finished | dte_domain::ClassStatus::Closed
            ),
        action_path,
        actions,
        roster,
        own,
        may_enrol: may(Action::Enrol) && class.status.accepts_enrolment(),
        categories: TraineeCategory::ALL
            .into_iter()
            .map(|category| (category.as_str(), category.label()))
            .collect(),
        subsidy_choices: subsidy_names,
        learn_links,
        recordings_link: may(Action::ReadRecordings),
        extras,
    };
    Ok((status, render(&page)).into_response())
}
