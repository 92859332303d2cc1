//! The exam score sheet (成绩单) of an exam plan: the template the evaluation institution
//! downloads, and the filled-in sheet imported all or nothing, each bad row named.

use crate::{Context, Detail, Principal, ServiceError};
use dte_docs::scores::{ScoreSheetErrors, SheetCandidate, SheetResult};
use dte_domain::access::Action;
use dte_store::{CandidateResult, CandidateRow};

/// The score sheet template of the evaluation institution's plan, with its candidates.
pub async fn template(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<Vec<u8>, ServiceError> {
    let plan = super::evaluator_plan(context, principal, id, Action::RecordScores).await?;
    let candidates = sheet_candidates(&context.store.exam_candidates(id).await?);
    let title = format!(
        "{} {} 专业技术等级考核 {}",
        plan.occupation_name,
        plan.level.label(),
        plan.exam_date
    );
    dte_docs::scores::score_sheet_template(&title, &candidates).map_err(ServiceError::internal)
}

/// Imports a filled-in score sheet: all rows or none.
pub async fn import(
    context: &Context,
    principal: &Principal,
    id: i64,
    body: &[u8],
) -> Result<(), ServiceError> {
    super::evaluator_plan(context, principal, id, Action::RecordScores).await?;
    let candidates = sheet_candidates(&context.store.exam_candidates(id).await?);
    let rows = dte_docs::scores::parse_score_sheet(body, &candidates).map_err(sheet_errors)?;
    let sheet: Vec<(i64, SheetResult)> = rows.iter().map(|row| (row.key, row.result)).collect();
    super::enter_scores(context, principal, id, &sheet).await?;
    Ok(())
}

/// Issues the level certificates of the candidates who passed (evaluation institution, after
/// the scores): numbered by its pattern, signed, the plan then 已发证; all or nothing.
fn sheet_candidates(candidates: &[CandidateRow]) -> Vec<SheetCandidate> {
    candidates
        .iter()
        .map(|candidate| SheetCandidate {
            key: candidate.person_id,
            name: candidate.name.clone(),
            id_number_masked: candidate.id_number_masked.clone(),
            scores: candidate.result.map(|result| match result {
                CandidateResult::Absent => SheetResult::Absent,
                CandidateResult::Sat {
                    theory, ability, ..
                } => SheetResult::Sat { theory, ability },
            }),
        })
        .collect()
}

fn sheet_errors(errors: ScoreSheetErrors) -> ServiceError {
    match errors {
        ScoreSheetErrors::Rows(rows) => ServiceError::violations(
            rows.iter()
                .map(|row| Detail {
                    code: "invalid_row".into(),
                    message: row.to_string(),
                    field: Some(if row.row == 0 {
                        "file".to_owned()
                    } else {
                        format!("row {}", row.row)
                    }),
                })
                .collect(),
        ),
        other => {
            let mut refusal = ServiceError::invalid("file", other.to_string());
            if let ScoreSheetErrors::File(error) = &other
                && let Some(code) = error.code()
            {
                refusal.code = code;
            }
            refusal
        }
    }
}
