//! The class plan form: opening a class and editing a draft or rejected one. The form's text
//! is read by `form_text`; `plan::parse` and the workflow decide everything else, and their
//! messages are placed next to the part of the form they name.

use super::form_text::{ClassForm, read};
use super::{FormErrors, PageError, is_page_error, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use crate::pages::Chrome;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::classes::plan;
use dte_app::classes::workflow;
use dte_domain::Level;
use dte_domain::class::Funding;
use dte_domain::reference::InstitutionKind;

/// A choice of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
}

/// Required hours of an occupation by level (附件5), as a hint next to the timetable.
pub struct HoursLine {
    pub name: String,
    pub hours: Vec<u32>,
}

#[derive(Template)]
#[template(path = "class_form.html")]
struct ClassFormPage {
    chrome: Chrome,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
    heading: String,
    action: String,
    cancel: String,
    form: ClassForm,
    errors: FormErrors,
    occupations: Vec<Choice>,
    levels: Vec<Choice>,
    fundings: Vec<Choice>,
    regions: Vec<String>,
    hours: Vec<HoursLine>,
}

/// Where a form is sent and what it is called.
struct Target {
    heading: String,
    action: String,
    cancel: String,
}

impl Target {
    fn new_class() -> Target {
        Target {
            heading: "开设班期".into(),
            action: "/classes".into(),
            cancel: "/classes".into(),
        }
    }

    fn edit(id: i64) -> Target {
        Target {
            heading: "修改班期".into(),
            action: format!("/classes/{id}/edit"),
            cancel: format!("/classes/{id}"),
        }
    }
}

/// `GET /classes/new`.
pub async fn new(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let form = ClassForm {
        fence_kind: "circle".into(),
        ..ClassForm::default()
    };
    form_page(
        &state,
        &caller,
        Target::new_class(),
        form,
        FormErrors::default(),
        StatusCode::OK,
    )
    .await
}

/// `POST /classes`: opens the class as a draft and shows it, or shows the form again with
/// every problem.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<ClassForm>,
) -> Result<Response, PageError> {
    save(&state, &caller, None, form).await
}

/// `GET /classes/{id}/edit`: the form filled with the stored plan.
pub async fn edit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (class, sessions) = dte_app::classes::with_sessions(&state, &caller, id).await?;
    if !class.status.is_editable() {
        return Err(PageError(AppError::conflict(
            "not_editable",
            format!(
                "班期当前状态为“{}”，只有草稿或已驳回的班期可以修改",
                class.status.label()
            ),
        )));
    }
    let form = ClassForm::from_input(&plan::input_of(&class, &sessions)?);
    let errors = FormErrors::default();
    form_page(
        &state,
        &caller,
        Target::edit(id),
        form,
        errors,
        StatusCode::OK,
    )
    .await
}

/// `POST /classes/{id}/edit`: replaces the plan of a draft or rejected class.
pub async fn update(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<ClassForm>,
) -> Result<Response, PageError> {
    save(&state, &caller, Some(id), form).await
}

/// Reads the form, then opens the class (`None`) or replaces a class's plan: on success the
/// class is shown; otherwise the form again, with every message and what was typed.
async fn save(
    state: &AppState,
    caller: &Caller,
    id: Option<i64>,
    form: ClassForm,
) -> Result<Response, PageError> {
    let (input, lines, mut errors) = read(&form);
    let outcome = match plan::parse(&input) {
        Ok(parsed) if errors.is_empty() => match id {
            None => workflow::create(state, caller, &parsed)
                .await
                .map_err(crate::error::AppError::from),
            Some(id) => workflow::update(state, caller, id, &parsed)
                .await
                .map(|()| id)
                .map_err(crate::error::AppError::from),
        },
        // The form's own problems are already in `errors`; the rules run on a whole plan.
        Ok(_) => Err(AppError::violations(Vec::new())),
        Err(error) => Err(error.into()),
    };
    let target = id.map_or_else(Target::new_class, Target::edit);
    match outcome {
        Ok(saved) => {
            let done = if id.is_some() { "saved" } else { "created" };
            Ok(Redirect::to(&format!("/classes/{saved}?done={done}")).into_response())
        }
        Err(error) if is_page_error(&error) => Err(PageError(error)),
        Err(error) => {
            merge(&mut errors, &error, &lines);
            form_page(state, caller, target, form, errors, error.status).await
        }
    }
}

async fn form_page(
    state: &AppState,
    caller: &Caller,
    target: Target,
    form: ClassForm,
    errors: FormErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let year = crate::api::catalog::current_year(state).await?;
    let catalog = dte_app::catalog::occupations(state, year).await?;
    // The occupations the institution is listed for (附件1), or all when it has none.
    let own = caller.user().and_then(|user| user.institution_id);
    let listed: Vec<String> =
        dte_app::catalog::institutions(state, Some(InstitutionKind::Training), None)
            .await?
            .into_iter()
            .filter(|institution| Some(institution.id) == own)
            .flat_map(|institution| institution.listings)
            .filter(|listing| listing.status == "active")
            .map(|listing| listing.occupation_code.as_str().to_owned())
            .collect();
    let offered: Vec<_> = catalog
        .iter()
        .filter(|row| listed.is_empty() || listed.iter().any(|code| code == row.code.as_str()))
        .collect();
    let page = ClassFormPage {
        chrome: Chrome::new("workbench", caller),
        online_share: dte_app::policy_today(state)
            .await?
            .online_share_max_percent
            .to_string(),
        heading: target.heading,
        action: target.action,
        cancel: target.cancel,
        form,
        errors,
        occupations: offered
            .iter()
            .map(|row| Choice {
                value: row.code.as_str().to_owned(),
                label: format!("{}（{}）", row.name, row.code.as_str()),
            })
            .collect(),
        levels: Level::ALL
            .into_iter()
            .map(|level| Choice {
                value: level.as_str().into(),
                label: level.label().into(),
            })
            .collect(),
        fundings: Funding::ALL
            .into_iter()
            .map(|funding| Choice {
                value: funding.as_str().into(),
                label: funding.label().into(),
            })
            .collect(),
        regions: dte_app::catalog::regions(state, year)
            .await?
            .into_iter()
            .map(|region| region.name)
            .collect(),
        hours: offered
            .iter()
            .map(|row| HoursLine {
                name: row.name.clone(),
                hours: Level::ALL
                    .into_iter()
                    .map(|level| {
                        row.levels
                            .iter()
                            .find(|row| row.level == level)
                            .map_or(0, |row| row.hours)
                    })
                    .collect(),
            })
            .collect(),
    };
    Ok((status, render(&page)).into_response())
}

/// Which part of the form a field of the plan belongs next to.
fn group(field: &str) -> String {
    if field.starts_with("sessions") {
        return "timetable".into();
    }
    field
        .split(['[', '.'])
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Adds the workflow's messages to the form's own, skipping parts the form already faulted
/// (an empty select is not also "not a valid code", a coordinate that was not a number not
/// also "out of range"), and naming each session by its line of the timetable.
pub fn merge(errors: &mut FormErrors, error: &AppError, lines: &[usize]) {
    let details = if error.violations.is_empty() {
        vec![(error.field.clone(), error.message.clone())]
    } else {
        error
            .violations
            .iter()
            .map(|detail| (detail.field.clone(), detail.message.clone()))
            .collect()
    };
    let mut added = FormErrors::default();
    for (field, message) in details {
        let field = field.unwrap_or_default();
        let part = group(&field);
        if message.is_empty() || (errors.has(&part) && part != "timetable") {
            continue;
        }
        let line = session_index(&field).and_then(|index| lines.get(index));
        match line {
            Some(line) => added.push(part, format!("课表第 {line} 行：{message}")),
            None => added.push(part, message),
        }
    }
    errors.extend(added);
    errors.sort_by_group(&FORM_ORDER);
}

/// The parts of the form from top to bottom, so the messages read in the same order.
const FORM_ORDER: [&str; 13] = [
    "title",
    "occupation",
    "institution",
    "level",
    "funding",
    "start_date",
    "end_date",
    "capacity",
    "region",
    "venue_address",
    "venue",
    "fence",
    "timetable",
];

/// `sessions[3].date` → 3.
fn session_index(field: &str) -> Option<usize> {
    let rest = field.strip_prefix("sessions[")?;
    rest[..rest.find(']')?].parse().ok()
}
