//! Level evaluation (专业技术等级考核): exam plans proposed by a training institution for a
//! finished class, agreed or declined by the evaluation institution, which then enters the
//! scores on a page, as JSON or from the score sheet .xlsx.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody, ErrorDetail};
use crate::wire::Page;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::evaluation::{self, Proposal, sheet};
use dte_docs::scores::SheetResult;
use dte_domain::evaluation::{ExamPlanStatus, Score};
use dte_store::{CandidateResult, CandidateRow, ExamPlanFilter, ExamPlanRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// The MIME type of .xlsx workbooks.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// An exam plan as lists and details show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamPlan {
    pub id: i64,
    pub class_id: i64,
    pub class_title: String,
    pub region: String,
    pub training_institution: String,
    pub evaluation_institution_id: i64,
    pub evaluation_institution: String,
    pub occupation: String,
    pub occupation_name: String,
    pub level: String,
    pub exam_date: chrono::NaiveDate,
    /// `proposed`, `agreed`, `declined`, `scores_entered` or `certificates_issued`.
    pub status: String,
    pub status_label: String,
    pub decline_reason: Option<String>,
    pub candidates: u32,
    pub passed: u32,
}

/// A candidate with their result; the ID number masked.
#[derive(Debug, Serialize, ToSchema)]
pub struct Candidate {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub training_certificate_number: Option<String>,
    pub absent: bool,
    /// Scores as written, e.g. "85.5"; null until entered or when absent.
    pub theory: Option<String>,
    pub ability: Option<String>,
    pub passed: Option<bool>,
    pub level_certificate_number: Option<String>,
}

/// An exam plan with its candidates.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExamPlanDetail {
    #[serde(flatten)]
    pub plan: ExamPlan,
    pub candidate_list: Vec<Candidate>,
}

/// What the training institution proposes.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProposalInput {
    pub class_id: i64,
    pub evaluation_institution_id: i64,
    /// YYYY-MM-DD.
    pub exam_date: String,
}

/// Why a plan is declined.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Decline {
    pub reason: String,
}

/// A whole score sheet as JSON.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoresInput {
    pub scores: Vec<ScoreInput>,
}

/// One candidate's scores: 0–100 with at most one decimal, as text ("85.5"), or absent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ScoreInput {
    pub person_id: i64,
    #[serde(default)]
    pub absent: bool,
    pub theory: Option<String>,
    pub ability: Option<String>,
}

/// Filters of the exam plan list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ExamPlanQuery {
    pub status: Option<String>,
    pub class: Option<i64>,
}

/// The exam plans the caller may see: both institutions theirs, a city its region's, the
/// province and inspectors all, a trainee those they are a candidate of.
#[utoipa::path(get, path = "/api/v1/exam-plans", tag = "evaluation", params(ExamPlanQuery), responses(
    (status = 200, body = Page<ExamPlan>, description = "The exam plans in scope"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ExamPlanQuery>,
) -> Result<Json<Page<ExamPlan>>, AppError> {
    let status = match query.status.as_deref().filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(ExamPlanStatus::parse(text).ok_or_else(|| {
            AppError::invalid(
                "status",
                "状态应为 proposed、agreed、declined、scores_entered 或 certificates_issued",
            )
        })?),
    };
    let filter = ExamPlanFilter {
        status,
        class_id: query.class,
    };
    let rows = evaluation::list(&state, &caller, &filter).await?;
    Ok(Json(Page::complete(
        rows.iter().map(ExamPlan::from).collect(),
    )))
}

/// Proposes an exam plan for a finished class (training institution); every broken rule is
/// named, and the candidates are those holding the class's training certificate.
#[utoipa::path(post, path = "/api/v1/exam-plans", tag = "evaluation", request_body = ProposalInput, responses(
    (status = 201, body = ExamPlanDetail, description = "The plan, waiting for the evaluation institution"),
    (status = 409, body = ErrorBody, description = "The class has a live plan already"),
    (status = 422, body = ErrorBody, description = "Rules broken; `violations` lists each"),
))]
pub async fn propose(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ProposalInput>,
) -> Result<(StatusCode, Json<ExamPlanDetail>), AppError> {
    let exam_date = chrono::NaiveDate::parse_from_str(input.exam_date.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid("exam_date", "考核日期应为 YYYY-MM-DD，例如 2027-03-01"))?;
    let proposal = Proposal {
        class_id: input.class_id,
        evaluation_institution_id: input.evaluation_institution_id,
        exam_date,
    };
    let id = evaluation::propose(&state, &caller, &proposal).await?;
    Ok((
        StatusCode::CREATED,
        Json(detail(&state, &caller, id).await?),
    ))
}

/// One exam plan with its candidates; 404 outside the caller's scope.
#[utoipa::path(get, path = "/api/v1/exam-plans/{id}", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")), responses(
    (status = 200, body = ExamPlanDetail, description = "The plan"),
    (status = 404, body = ErrorBody, description = "No such plan in the caller's scope"),
))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ExamPlanDetail>, AppError> {
    Ok(Json(detail(&state, &caller, id).await?))
}

/// The evaluation institution agrees a proposed plan (its rules checked again today).
#[utoipa::path(post, path = "/api/v1/exam-plans/{id}/agree", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")), responses(
    (status = 200, body = ExamPlan, description = "Agreed"),
    (status = 403, body = ErrorBody, description = "Not this plan's evaluation institution"),
    (status = 409, body = ErrorBody, description = "Not waiting for a decision"),
))]
pub async fn agree(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ExamPlan>, AppError> {
    evaluation::decide(&state, &caller, id, None).await?;
    Ok(Json(ExamPlan::from(
        &evaluation::plan_for(&state, &caller, id).await?,
    )))
}

/// The evaluation institution declines a proposed plan, with a reason.
#[utoipa::path(post, path = "/api/v1/exam-plans/{id}/decline", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")), request_body = Decline, responses(
    (status = 200, body = ExamPlan, description = "Declined"),
    (status = 409, body = ErrorBody, description = "Not waiting for a decision"),
))]
pub async fn decline(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<Decline>,
) -> Result<Json<ExamPlan>, AppError> {
    evaluation::decide(&state, &caller, id, Some(&input.reason)).await?;
    Ok(Json(ExamPlan::from(
        &evaluation::plan_for(&state, &caller, id).await?,
    )))
}

/// Enters the whole score sheet as JSON (evaluation institution): every candidate once, each
/// score 0–100 with at most one decimal; pass marks from the settings.
#[utoipa::path(put, path = "/api/v1/exam-plans/{id}/scores", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")), request_body = ScoresInput, responses(
    (status = 200, body = ExamPlanDetail, description = "Scores entered"),
    (status = 422, body = ErrorBody, description = "Nothing written; `violations` names each bad score"),
))]
pub async fn enter_scores(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ScoresInput>,
) -> Result<Json<ExamPlanDetail>, AppError> {
    let sheet = parse_scores(&input)?;
    evaluation::enter_scores(&state, &caller, id, &sheet).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// The score sheet to fill in (.xlsx): the candidates listed, scores entered so far included.
#[utoipa::path(get, path = "/api/v1/exam-plans/{id}/scores.xlsx", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The score sheet"),
))]
pub async fn score_sheet(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bytes = sheet::template(&state, &caller, id).await?;
    Ok(download(bytes, &format!("scores-{id}.xlsx")))
}

/// Imports a filled-in score sheet (.xlsx body), all or nothing: each bad row is named.
#[utoipa::path(post, path = "/api/v1/exam-plans/{id}/scores.xlsx", tag = "evaluation", params(("id" = i64, Path, description = "Exam plan id")),
    request_body(content = Vec<u8>, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The filled-in score sheet"),
    responses(
        (status = 200, body = ExamPlanDetail, description = "Every score was entered"),
        (status = 422, body = ErrorBody, description = "Nothing written; `violations` names each bad row"),
    ))]
pub async fn import_scores(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    body: Bytes,
) -> Result<Json<ExamPlanDetail>, AppError> {
    sheet::import(&state, &caller, id, &body).await?;
    Ok(Json(detail(&state, &caller, id).await?))
}

/// Enters the scores of a filled-in score sheet (.xlsx), all or nothing (also the page's).
#[utoipa::path(post, path = "/api/v1/exam-plans/{id}/certificates", tag = "evaluation",
    params(("id" = i64, Path, description = "Exam plan id")), request_body = crate::api::certificates::IssueInput,
    responses(
        (status = 201, body = Page<crate::wire::CertificateItem>, description = "Issued"),
        (status = 409, body = ErrorBody, description = "Scores not entered, nobody passed, or a number is taken"),
        (status = 422, body = ErrorBody, description = "No numbering pattern set"),
    ))]
pub async fn issue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<crate::api::certificates::IssueInput>,
) -> Result<(StatusCode, Json<Page<crate::wire::CertificateItem>>), AppError> {
    let on = input.issued_on.unwrap_or_else(|| state.clock.today());
    let rows = evaluation::issue_level(&state, &caller, id, on).await?;
    Ok((
        StatusCode::CREATED,
        Json(Page::complete(
            rows.iter()
                .map(crate::wire::CertificateItem::from)
                .collect(),
        )),
    ))
}

async fn detail(state: &AppState, caller: &Caller, id: i64) -> Result<ExamPlanDetail, AppError> {
    let plan = evaluation::plan_for(state, caller, id).await?;
    let candidates = evaluation::visible_candidates(state, caller, id).await?;
    Ok(ExamPlanDetail {
        plan: ExamPlan::from(&plan),
        candidate_list: candidates.iter().map(Candidate::from).collect(),
    })
}

pub(crate) fn parse_scores(input: &ScoresInput) -> Result<Vec<(i64, SheetResult)>, AppError> {
    let mut errors = Vec::new();
    let mut sheet = Vec::new();
    for (index, line) in input.scores.iter().enumerate() {
        if line.absent {
            sheet.push((line.person_id, SheetResult::Absent));
            continue;
        }
        let mut score = |name: &str, label: &str, text: &Option<String>| match Score::parse(
            text.as_deref().unwrap_or(""),
        ) {
            Ok(score) => Some(score),
            Err(error) => {
                errors.push(ErrorDetail {
                    code: error.code().into(),
                    message: format!("第 {} 名考生的{label}：{error}", index + 1),
                    field: Some(format!("scores[{index}].{name}")),
                    violations: Vec::new(),
                });
                None
            }
        };
        let theory = score("theory", "理论知识成绩", &line.theory);
        let ability = score("ability", "专业能力成绩", &line.ability);
        if let (Some(theory), Some(ability)) = (theory, ability) {
            sheet.push((line.person_id, SheetResult::Sat { theory, ability }));
        }
    }
    if errors.is_empty() {
        Ok(sheet)
    } else {
        Err(AppError::violations(errors))
    }
}

fn download(bytes: Vec<u8>, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, XLSX.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

impl From<&ExamPlanRow> for ExamPlan {
    fn from(row: &ExamPlanRow) -> ExamPlan {
        ExamPlan {
            id: row.id,
            class_id: row.class_id,
            class_title: row.class_title.clone(),
            region: row.region.clone(),
            training_institution: row.training_institution_name.clone(),
            evaluation_institution_id: row.evaluation_institution_id,
            evaluation_institution: row.evaluation_institution_name.clone(),
            occupation: row.occupation.as_str().to_owned(),
            occupation_name: row.occupation_name.clone(),
            level: row.level.as_str().to_owned(),
            exam_date: row.exam_date,
            status: row.status.as_str().to_owned(),
            status_label: row.status.label().to_owned(),
            decline_reason: row.decline_reason.clone(),
            candidates: row.candidates,
            passed: row.passed,
        }
    }
}

impl From<&CandidateRow> for Candidate {
    fn from(row: &CandidateRow) -> Candidate {
        let (absent, theory, ability, passed) = match row.result {
            None => (false, None, None, None),
            Some(CandidateResult::Absent) => (true, None, None, Some(false)),
            Some(CandidateResult::Sat {
                theory,
                ability,
                passed,
            }) => (
                false,
                Some(theory.to_string()),
                Some(ability.to_string()),
                Some(passed),
            ),
        };
        Candidate {
            person_id: row.person_id,
            name: row.name.clone(),
            id_number_masked: row.id_number_masked.clone(),
            training_certificate_number: row.training_certificate_number.clone(),
            absent,
            theory,
            ability,
            passed,
            level_certificate_number: row.level_certificate_number.clone(),
        }
    }
}
