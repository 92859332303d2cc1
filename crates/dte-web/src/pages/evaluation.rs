//! Level evaluation and continuing-education hours as pages: the exam plans in scope with the
//! training institution's proposal form (one plan's page is `exam_plan.rs`), and a trainee's
//! hours per year with the .xlsx and PDF downloads. Every action is the same
//! `dte_app::evaluation` function the API calls.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::evaluation::Proposal;
use dte_app::evaluation::hours::{self, HoursRecord};
use dte_domain::ClassStatus;
use dte_domain::access::Action;
use dte_domain::reference::InstitutionKind;
use dte_store::{ClassFilter, ExamPlanFilter};
use serde::Deserialize;

/// One plan's line.
pub struct PlanLine {
    pub id: i64,
    pub class_title: String,
    pub region: String,
    pub training_institution: String,
    pub evaluation_institution: String,
    pub occupation: String,
    pub level: &'static str,
    pub exam_date: String,
    pub status: &'static str,
    pub candidates: u32,
    pub passed: u32,
}

/// A choice of a form's drop-down.
pub struct Choice {
    pub id: i64,
    pub label: String,
}

#[derive(Template)]
#[template(path = "exam_plans.html")]
struct ExamPlansPage {
    chrome: Chrome,
    lines: Vec<PlanLine>,
    evaluator: bool,
    /// The training institution's finished classes and the evaluation institutions, for the
    /// proposal form (empty for everyone else).
    classes: Vec<Choice>,
    evaluators: Vec<Choice>,
    error: String,
}

#[derive(Template)]
#[template(path = "hours.html")]
struct HoursPage {
    chrome: Chrome,
    record: HoursRecord,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
}

/// `GET /exam-plans`: the exam plans the caller may see; a training institution also gets the
/// proposal form.
pub async fn plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    plans_page(&state, &caller, String::new(), StatusCode::OK).await
}

async fn plans_page(
    state: &AppState,
    caller: &Caller,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let rows = dte_app::evaluation::list(state, caller, &ExamPlanFilter::default()).await?;
    let lines = rows.iter().map(plan_line).collect();
    let (mut classes, mut evaluators) = (Vec::new(), Vec::new());
    if dte_app::access::admits(caller, Action::ProposeExamPlan) {
        for status in [ClassStatus::Finished, ClassStatus::Closed] {
            let filter = ClassFilter {
                status: Some(status),
                ..ClassFilter::default()
            };
            let rows =
                dte_app::classes::list(state, caller, &filter, dte_store::CLASS_PAGE_MAX).await?;
            classes.extend(rows.into_iter().map(|class| Choice {
                id: class.id,
                label: format!(
                    "{}（{} {}，{} 结业）",
                    class.title,
                    class.occupation_name,
                    class.level.label(),
                    class.end_date
                ),
            }));
        }
        evaluators = dte_app::catalog::institutions(state, Some(InstitutionKind::Evaluation), None)
            .await
            .map_err(AppError::from)?
            .into_iter()
            .map(|institution| Choice {
                id: institution.id,
                label: institution.name,
            })
            .collect();
    }
    let page = ExamPlansPage {
        chrome: Chrome::new("exams", caller),
        lines,
        evaluator: dte_app::access::admits(caller, Action::AgreeExamPlan),
        classes,
        evaluators,
        error,
    };
    Ok((status, render(&page)).into_response())
}

pub(super) fn plan_line(row: &dte_store::ExamPlanRow) -> PlanLine {
    PlanLine {
        id: row.id,
        class_title: row.class_title.clone(),
        region: row.region.clone(),
        training_institution: row.training_institution_name.clone(),
        evaluation_institution: row.evaluation_institution_name.clone(),
        occupation: row.occupation_name.clone(),
        level: row.level.label(),
        exam_date: row.exam_date.to_string(),
        status: row.status.label(),
        candidates: row.candidates,
        passed: row.passed,
    }
}

/// The proposal form.
#[derive(Debug, Deserialize)]
pub struct ProposalForm {
    pub class_id: String,
    pub evaluation_institution_id: String,
    pub exam_date: String,
}

/// `POST /exam-plans`: the training institution proposes a plan; on success its page.
pub async fn propose(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<ProposalForm>,
) -> Result<Response, PageError> {
    let parsed = (|| {
        let class_id = form
            .class_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("class_id", "请选择要申请考核的班期"))?;
        let evaluation_institution_id = form
            .evaluation_institution_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("evaluation_institution_id", "请选择评价机构"))?;
        let exam_date = chrono::NaiveDate::parse_from_str(form.exam_date.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("exam_date", "考核日期应为 YYYY-MM-DD"))?;
        Ok::<_, AppError>(Proposal {
            class_id,
            evaluation_institution_id,
            exam_date,
        })
    })();
    let outcome = match parsed {
        Ok(proposal) => dte_app::evaluation::propose(&state, &caller, &proposal)
            .await
            .map_err(crate::error::AppError::from),
        Err(error) => Err(error),
    };
    match outcome {
        Ok(id) => Ok(Redirect::to(&format!("/exam-plans/{id}?done=proposed")).into_response()),
        Err(error) if shown_on_page(&error) => {
            let status = error.status;
            plans_page(&state, &caller, every_message(&error), status).await
        }
        Err(error) => Err(PageError(error)),
    }
}

/// Refusals a person can act on are shown on the page; the rest answer the error page.
pub(super) fn shown_on_page(error: &AppError) -> bool {
    !error.status.is_server_error()
        && error.status != StatusCode::FORBIDDEN
        && error.status != StatusCode::NOT_FOUND
}

/// The error's message, or each violation's when there are several.
pub(super) fn every_message(error: &AppError) -> String {
    if error.violations.len() > 1 {
        error
            .violations
            .iter()
            .map(|violation| violation.message.as_str())
            .collect::<Vec<_>>()
            .join("；")
    } else {
        error.message.clone()
    }
}

/// `GET /hours`: the trainee's continuing-education hours per year.
pub async fn my_hours(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let record = hours::own_record(&state, &caller).await?;
    Ok(render(&HoursPage {
        chrome: Chrome::new("hours", &caller),
        record,
        online_share: dte_app::policy_today(&state)
            .await?
            .online_share_max_percent
            .to_string(),
    }))
}
