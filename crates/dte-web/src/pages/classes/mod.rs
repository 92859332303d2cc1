//! The class pages (SPEC steps 2 and 3): the classes in the caller's scope, the plan form,
//! one class with its actions, and real-name enrolment on it. Every rule is the workflow's
//! (`dte_app::classes`); these handlers read a form, call the workflow, and render its answer.

mod enrolment;
mod form;
mod form_text;
mod show;

pub(crate) use enrolment::read_upload;
pub use enrolment::{UPLOAD_LIMIT, enrol, import_roster, upload_document};
pub use form::{create, edit, new, update};
pub use show::{act, page};

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::api::classes::{ClassQuery, class_filter};
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Query, State};
use axum::response::Response;
use chrono::Datelike;
use dte_app::classes::workflow;
use dte_domain::Role;
use dte_domain::access::Action;
use dte_domain::class::ClassStatus;
use dte_store::ClassRow;

/// The most classes one list page shows.
const PAGE_SIZE: u32 = 50;

/// A class as a list shows it: enough to recognise it on a phone.
pub struct ClassCard {
    pub id: i64,
    pub title: String,
    pub institution: String,
    pub occupation: String,
    pub level: &'static str,
    pub funding: &'static str,
    pub region: String,
    pub dates: String,
    pub enrolled: u32,
    pub capacity: u32,
    pub status: &'static str,
    /// `ok`, `warn` or empty: how the status badge is coloured.
    pub tone: &'static str,
}

impl ClassCard {
    pub fn new(class: &ClassRow) -> ClassCard {
        ClassCard {
            id: class.id,
            title: class.title.clone(),
            institution: class.institution_name.clone(),
            occupation: class.occupation_name.clone(),
            level: class.level.label(),
            funding: class.funding.label(),
            region: class.region.clone(),
            dates: format!("{} 至 {}", class.start_date, class.end_date),
            enrolled: class.enrolled,
            capacity: class.capacity,
            status: class.status.label(),
            tone: tone(class.status),
        }
    }
}

/// The badge colour of a state: green once approved, amber while someone must act.
pub fn tone(status: ClassStatus) -> &'static str {
    match status {
        ClassStatus::Approved | ClassStatus::Running => "ok",
        ClassStatus::Submitted | ClassStatus::Rejected => "warn",
        _ => "",
    }
}

/// One message of a refused form, with the part of the form it belongs next to.
pub struct FieldError {
    pub group: String,
    pub message: String,
}

/// Every message of a refused form, shown together at its top and each next to its field.
#[derive(Default)]
pub struct FormErrors {
    items: Vec<FieldError>,
}

impl FormErrors {
    /// The messages of a workflow error, each placed by `group` (field name → form part).
    pub fn from_error(error: &AppError, group: impl Fn(&str) -> String) -> FormErrors {
        let mut items: Vec<FieldError> = error
            .violations
            .iter()
            .map(|detail| FieldError {
                group: detail.field.as_deref().map(&group).unwrap_or_default(),
                message: detail.message.clone(),
            })
            .collect();
        if items.is_empty() {
            items.push(FieldError {
                group: error.field.as_deref().map(&group).unwrap_or_default(),
                message: error.message.clone(),
            });
        }
        FormErrors { items }
    }

    pub fn push(&mut self, group: impl Into<String>, message: impl Into<String>) {
        self.items.push(FieldError {
            group: group.into(),
            message: message.into(),
        });
    }

    pub fn extend(&mut self, other: FormErrors) {
        self.items.extend(other.items);
    }

    /// Orders the messages as the parts of the form are laid out; others go last.
    pub fn sort_by_group(&mut self, order: &[&str]) {
        self.items.sort_by_key(|item| {
            order
                .iter()
                .position(|group| *group == item.group)
                .unwrap_or(order.len())
        });
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Whether a part of the form already has a message.
    pub fn has(&self, group: &str) -> bool {
        self.items.iter().any(|item| item.group == group)
    }

    /// Every message, in order.
    pub fn messages(&self) -> Vec<&str> {
        self.items
            .iter()
            .map(|item| item.message.as_str())
            .collect()
    }

    /// The messages that belong next to one part of the form.
    pub fn of(&self, group: &str) -> Vec<&str> {
        self.items
            .iter()
            .filter(|item| item.group == group)
            .map(|item| item.message.as_str())
            .collect()
    }
}

/// Errors a page cannot show next to a form: nothing there, or not allowed.
pub fn is_page_error(error: &AppError) -> bool {
    use axum::http::StatusCode;
    matches!(
        error.status,
        StatusCode::NOT_FOUND | StatusCode::FORBIDDEN | StatusCode::UNAUTHORIZED
    ) || error.status.is_server_error()
}

/// A status tab of the list.
pub struct Tab {
    pub value: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The subsidised quota of the regions in the caller's scope for one year.
pub struct QuotaSummary {
    pub year: i32,
    pub label: String,
    pub quota: u32,
    pub approved: u32,
    pub pending: u32,
    pub remaining: u32,
}

#[derive(Template)]
#[template(path = "classes.html")]
struct ClassesPage {
    chrome: Chrome,
    heading: &'static str,
    tabs: Vec<Tab>,
    classes: Vec<ClassCard>,
    quotas: Vec<QuotaSummary>,
    may_open: bool,
    next: Option<String>,
}

/// `GET /classes?status=…`: the classes in the caller's scope, newest first; the city's
/// review queue is `?status=submitted`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ClassQuery>,
) -> Result<Response, PageError> {
    let filter = class_filter(&query)?;
    let rows = dte_app::classes::list(&state, &caller, &filter, PAGE_SIZE).await?;
    let next = (rows.len() == PAGE_SIZE as usize)
        .then(|| rows.last())
        .flatten()
        .map(|last| {
            let status = filter.status.map_or("", ClassStatus::as_str);
            serde_urlencoded::to_string([("status", status), ("cursor", &last.id.to_string())])
                .unwrap_or_default()
        });
    let role = caller.user().map(|user| user.role);
    let mut tabs = vec![Tab {
        value: "",
        label: "全部",
        current: filter.status.is_none(),
    }];
    tabs.extend(ClassStatus::ALL.into_iter().map(|status| Tab {
        value: status.as_str(),
        label: status.label(),
        current: filter.status == Some(status),
    }));
    // A reviewer sees the quota left beside the classes to decide.
    let quotas = if dte_app::access::admits(&caller, Action::ApproveClass)
        || dte_app::access::admits(&caller, Action::EditQuotas)
    {
        quota_summaries(&state, &caller).await?
    } else {
        Vec::new()
    };
    let heading = match role {
        Some(Role::TrainingInstitution) => "我的班期",
        Some(Role::Trainee) => "我的培训",
        Some(Role::CityAdmin) => "本地区班期",
        Some(Role::ProvinceAdmin) => "全省班期",
        _ => "班期",
    };
    Ok(render(&ClassesPage {
        chrome: Chrome::new("workbench", &caller),
        heading,
        tabs,
        classes: rows.iter().map(ClassCard::new).collect(),
        quotas,
        may_open: dte_app::access::admits(&caller, Action::OpenClass),
        next,
    }))
}

/// This year's and next year's quota of the caller's regions: classes are reviewed up to a
/// year ahead of their start.
async fn quota_summaries(state: &AppState, caller: &Caller) -> Result<Vec<QuotaSummary>, AppError> {
    let this_year = state.clock.today().year();
    let label = caller
        .user()
        .and_then(|user| user.region.clone())
        .unwrap_or_else(|| "全省".to_owned());
    let mut summaries = Vec::new();
    for year in [this_year, this_year + 1] {
        let usage = workflow::quotas(state, caller, year).await?;
        summaries.push(QuotaSummary {
            year,
            label: label.clone(),
            quota: usage.iter().map(|line| line.quota).sum(),
            approved: usage.iter().map(|line| line.approved_seats).sum(),
            pending: usage.iter().map(|line| line.pending_seats).sum(),
            remaining: usage.iter().map(|line| line.remaining()).sum(),
        });
    }
    Ok(summaries)
}
