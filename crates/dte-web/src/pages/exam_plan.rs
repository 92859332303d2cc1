//! One exam plan as a page (`/exam-plans/{id}`): its candidates with their scores and
//! certificates, and for its evaluation institution the action its state allows — agree or
//! decline, the score form and the .xlsx sheet's import, issuing the level certificates. Each
//! action is the `dte_app::evaluation` function the API calls; refusals are shown on the page.

use super::evaluation::{PlanLine, every_message, plan_line, shown_on_page};
use super::{Chrome, PageError, render};
use crate::AppState;
use crate::api::exams::{ScoreInput, ScoresInput, parse_scores};
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_store::CandidateResult;
use serde::Deserialize;

/// One candidate's line on the plan's page.
pub struct CandidateLine {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub training_certificate: String,
    pub absent: bool,
    pub theory: String,
    pub ability: String,
    /// 合格, 不合格, 缺考 or empty before the scores.
    pub verdict: &'static str,
    pub level_certificate: String,
}

#[derive(Template)]
#[template(path = "exam_plan.html")]
struct ExamPlanPage {
    chrome: Chrome,
    plan: PlanLine,
    status_code: &'static str,
    decline_reason: String,
    candidates: Vec<CandidateLine>,
    /// The caller is this plan's evaluation institution.
    evaluator: bool,
    today: String,
    notice: &'static str,
    error: String,
}

/// What a plan's page says after an action.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// `GET /exam-plans/{id}`: one plan, its candidates and, for its evaluation institution, the
/// action the plan's state allows.
pub async fn plan_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = match done.done.as_deref() {
        Some("proposed") => "已提交考核申请，等待评价机构确认。",
        Some("agreed") => "已确认考核计划。考核结束后录入成绩。",
        Some("declined") => "已拒绝考核计划。",
        Some("scores") => "成绩已保存。",
        Some("issued") => "专业技术等级证书已颁发。",
        _ => "",
    };
    show_plan(&state, &caller, id, notice, String::new(), StatusCode::OK).await
}

async fn show_plan(
    state: &AppState,
    caller: &Caller,
    id: i64,
    notice: &'static str,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let plan = dte_app::evaluation::plan_for(state, caller, id).await?;
    let candidates = dte_app::evaluation::visible_candidates(state, caller, id)
        .await?
        .into_iter()
        .map(|candidate| {
            let (absent, theory, ability, verdict) = match candidate.result {
                None => (false, String::new(), String::new(), ""),
                Some(CandidateResult::Absent) => (true, String::new(), String::new(), "缺考"),
                Some(CandidateResult::Sat {
                    theory,
                    ability,
                    passed,
                }) => (
                    false,
                    theory.to_string(),
                    ability.to_string(),
                    if passed { "合格" } else { "不合格" },
                ),
            };
            CandidateLine {
                person_id: candidate.person_id,
                name: candidate.name,
                id_number_masked: candidate.id_number_masked,
                training_certificate: candidate.training_certificate_number.unwrap_or_default(),
                absent,
                theory,
                ability,
                verdict,
                level_certificate: candidate.level_certificate_number.unwrap_or_default(),
            }
        })
        .collect();
    let evaluator = dte_app::access::allows(
        caller,
        dte_domain::access::Action::RecordScores,
        &dte_app::access::exam_plan_facts(&plan),
    );
    let page = ExamPlanPage {
        chrome: Chrome::new("exams", caller),
        status_code: plan.status.as_str(),
        decline_reason: plan.decline_reason.clone().unwrap_or_default(),
        plan: plan_line(&plan),
        candidates,
        evaluator,
        today: state.clock.today().to_string(),
        notice,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// The decline form.
#[derive(Debug, Deserialize)]
pub struct DeclineForm {
    pub reason: String,
}

/// `POST /exam-plans/{id}/agree`.
pub async fn agree(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let outcome = dte_app::evaluation::decide(&state, &caller, id, None)
        .await
        .map_err(crate::error::AppError::from);
    after_action(&state, &caller, id, outcome.map(|_| "agreed")).await
}

/// `POST /exam-plans/{id}/decline`.
pub async fn decline(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<DeclineForm>,
) -> Result<Response, PageError> {
    let outcome = dte_app::evaluation::decide(&state, &caller, id, Some(&form.reason))
        .await
        .map_err(crate::error::AppError::from);
    after_action(&state, &caller, id, outcome.map(|_| "declined")).await
}

/// `POST /exam-plans/{id}/scores`: the score form (`theory_<person>`, `ability_<person>`,
/// `absent_<person>` for each candidate), all or nothing like the API.
pub async fn scores(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: String| {
        fields
            .iter()
            .find(|(key, _)| *key == name)
            .map(|(_, value)| value.trim().to_owned())
    };
    let candidates = dte_app::evaluation::visible_candidates(&state, &caller, id).await?;
    let input = ScoresInput {
        scores: candidates
            .iter()
            .map(|candidate| ScoreInput {
                person_id: candidate.person_id,
                absent: value(format!("absent_{}", candidate.person_id)).is_some(),
                theory: value(format!("theory_{}", candidate.person_id)),
                ability: value(format!("ability_{}", candidate.person_id)),
            })
            .collect(),
    };
    let outcome = match parse_scores(&input) {
        Ok(sheet) => dte_app::evaluation::enter_scores(&state, &caller, id, &sheet)
            .await
            .map(|_| "scores")
            .map_err(crate::error::AppError::from),
        Err(error) => Err(error),
    };
    after_action(&state, &caller, id, outcome).await
}

/// `POST /exam-plans/{id}/scores.xlsx`: the filled-in score sheet (multipart field `file`).
pub async fn import_scores(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, PageError> {
    let outcome = match crate::pages::classes::read_upload(multipart).await {
        Ok(upload) if upload.file.is_empty() => {
            Err(AppError::invalid("file", "请选择填好的成绩单文件（.xlsx）"))
        }
        Ok(upload) => dte_app::evaluation::sheet::import(&state, &caller, id, &upload.file)
            .await
            .map(|()| "scores")
            .map_err(AppError::from),
        Err(error) => Err(error),
    };
    after_action(&state, &caller, id, outcome).await
}

/// The issue form.
#[derive(Debug, Deserialize)]
pub struct IssueForm {
    pub issued_on: String,
}

/// `POST /exam-plans/{id}/certificates`: the level certificates of those who passed.
pub async fn issue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<IssueForm>,
) -> Result<Response, PageError> {
    let outcome = match chrono::NaiveDate::parse_from_str(form.issued_on.trim(), "%Y-%m-%d") {
        Ok(on) => dte_app::evaluation::issue_level(&state, &caller, id, on)
            .await
            .map(|_| "issued")
            .map_err(crate::error::AppError::from),
        Err(_) => Err(AppError::invalid("issued_on", "发证日期应为 YYYY-MM-DD")),
    };
    after_action(&state, &caller, id, outcome).await
}

async fn after_action(
    state: &AppState,
    caller: &Caller,
    id: i64,
    outcome: Result<&'static str, AppError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(done) => Ok(Redirect::to(&format!("/exam-plans/{id}?done={done}")).into_response()),
        Err(error) if shown_on_page(&error) => {
            let status = error.status;
            show_plan(state, caller, id, "", every_message(&error), status).await
        }
        Err(error) => Err(PageError(error)),
    }
}
