//! Level evaluation and continuing-education hours as pages: the exam plans in scope with their
//! state and score sheet, and a trainee's hours per year with the .xlsx download. The actions
//! (propose, agree, scores) are in the API (`/api`), which these pages link to.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::classes::scope;
use crate::error::AppError;
use crate::evaluation::hours::{self, HoursRecord};
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use dte_domain::Role;
use dte_store::ExamPlanFilter;

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

#[derive(Template)]
#[template(path = "exam_plans.html")]
struct ExamPlansPage {
    chrome: Chrome,
    lines: Vec<PlanLine>,
    evaluator: bool,
}

#[derive(Template)]
#[template(path = "hours.html")]
struct HoursPage {
    chrome: Chrome,
    record: HoursRecord,
}

/// `GET /exam-plans`: the exam plans the caller may see.
pub async fn plans(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let rows = state
        .store
        .exam_plans_in_scope(&scope(&caller)?, &ExamPlanFilter::default())
        .await
        .map_err(AppError::from)?;
    let lines = rows
        .iter()
        .map(|row| PlanLine {
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
        })
        .collect();
    let evaluator = caller
        .user()
        .is_some_and(|user| user.role == Role::EvaluationInstitution);
    Ok(render(&ExamPlansPage {
        chrome: Chrome::new("exams", &caller),
        lines,
        evaluator,
    }))
}

/// `GET /hours`: the trainee's continuing-education hours per year.
pub async fn my_hours(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let person_id = caller
        .user()
        .and_then(|user| user.person_id)
        .ok_or_else(|| AppError::forbidden("只有学员本人可以查看自己的学时"))?;
    let person = state
        .store
        .person_in_scope(&scope(&caller)?, person_id)
        .await
        .map_err(AppError::from)?
        .ok_or_else(|| AppError::not_found("person_not_found", "未找到学员信息"))?;
    let record = hours::record(&state.store, &person).await?;
    Ok(render(&HoursPage {
        chrome: Chrome::new("hours", &caller),
        record,
    }))
}
