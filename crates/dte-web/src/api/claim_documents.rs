//! The documents of subsidy claims (issue 13 items 3 and 6): the public notice (公示) for
//! posting as PDF or .xlsx without sign-in, a claim's form (补贴申请表) and training ledger
//! (培训台账) for those who may read it, and the payments and clawbacks report as .xlsx.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, ErrorBody};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use dte_app::ServiceError;
use dte_app::claims::{self, ClaimDocument, DocumentFormat, Download};
use serde::Deserialize;
use utoipa::IntoParams;

/// The file as a response: a PDF opens in the browser, a workbook downloads.
fn file(download: Download) -> Response {
    let disposition = if download.content_type == "application/pdf" {
        "inline"
    } else {
        "attachment"
    };
    (
        [
            (header::CONTENT_TYPE, download.content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{}\"", download.file_name),
            ),
        ],
        download.bytes,
    )
        .into_response()
}

/// Reads `12.pdf` or `12.xlsx`; anything else is no notice.
fn notice_file(name: &str) -> Result<(i64, DocumentFormat), ServiceError> {
    let not_found = || ServiceError::not_found("notice_not_found", "未找到该公示");
    let (id, extension) = name.rsplit_once('.').ok_or_else(not_found)?;
    let format = match extension {
        "pdf" => DocumentFormat::Pdf,
        "xlsx" => DocumentFormat::Xlsx,
        _ => return Err(not_found()),
    };
    let id = id.parse::<i64>().map_err(|_| not_found())?;
    Ok((id, format))
}

/// A public notice for posting, `{id}.pdf` (A4) or `{id}.xlsx`, without sign-in: only a claim
/// that has been on notice, holders and ID numbers masked; limited per address like the other
/// public look-ups.
#[utoipa::path(get, path = "/api/v1/notices/{file}", tag = "subsidy", params(("file" = String, Path, description = "The claim's id with `.pdf` or `.xlsx`, e.g. `12.pdf`")), responses(
    (status = 200, content_type = "application/pdf", description = "The notice as an A4 PDF (or as .xlsx for `{id}.xlsx`)"),
    (status = 404, body = ErrorBody, description = "No claim with this id has been on notice"),
    (status = 429, body = ErrorBody, description = "Too many public look-ups from this address"),
))]
pub async fn notice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(name): Path<String>,
) -> Result<Response, AppError> {
    // Printing costs the server more than a look-up: the public look-ups' limit per address.
    state
        .verification_limit
        .check(caller.address)
        .map_err(crate::rate_limit::too_many)?;
    let (id, format) = notice_file(&name)?;
    Ok(file(claims::notice_document(&state, id, format).await?))
}

async fn claim_file(
    state: &AppState,
    caller: &Caller,
    id: i64,
    which: ClaimDocument,
    format: DocumentFormat,
) -> Result<Response, AppError> {
    Ok(file(
        claims::claim_document(state, caller, id, which, format).await?,
    ))
}

/// A claim's form (补贴申请表) as an A4 PDF, for those who may read the claim (audited).
#[utoipa::path(get, path = "/api/v1/claims/{id}/form.pdf", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, content_type = "application/pdf", description = "The claim form"),
    (status = 404, body = ErrorBody, description = "No such claim in the caller's scope"),
    (status = 422, body = ErrorBody, description = "More lines than one document holds"),
))]
pub async fn form_pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    claim_file(
        &state,
        &caller,
        id,
        ClaimDocument::Form,
        DocumentFormat::Pdf,
    )
    .await
}

/// A claim's form (补贴申请表) as .xlsx.
#[utoipa::path(get, path = "/api/v1/claims/{id}/form.xlsx", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The claim form"),
    (status = 404, body = ErrorBody, description = "No such claim in the caller's scope"),
    (status = 422, body = ErrorBody, description = "More lines than one document holds"),
))]
pub async fn form_xlsx(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    claim_file(
        &state,
        &caller,
        id,
        ClaimDocument::Form,
        DocumentFormat::Xlsx,
    )
    .await
}

/// A claim's training ledger (培训台账) as an A4 PDF: each trainee's hours, certificates and
/// documents on file.
#[utoipa::path(get, path = "/api/v1/claims/{id}/ledger.pdf", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, content_type = "application/pdf", description = "The training ledger"),
    (status = 404, body = ErrorBody, description = "No such claim in the caller's scope"),
    (status = 422, body = ErrorBody, description = "More lines than one document holds"),
))]
pub async fn ledger_pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    claim_file(
        &state,
        &caller,
        id,
        ClaimDocument::Ledger,
        DocumentFormat::Pdf,
    )
    .await
}

/// A claim's training ledger (培训台账) as .xlsx.
#[utoipa::path(get, path = "/api/v1/claims/{id}/ledger.xlsx", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The training ledger"),
    (status = 404, body = ErrorBody, description = "No such claim in the caller's scope"),
    (status = 422, body = ErrorBody, description = "More lines than one document holds"),
))]
pub async fn ledger_xlsx(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    claim_file(
        &state,
        &caller,
        id,
        ClaimDocument::Ledger,
        DocumentFormat::Xlsx,
    )
    .await
}

/// The report's year.
#[derive(Debug, Deserialize, IntoParams)]
pub struct ReportQuery {
    /// The classes' year; this year when absent.
    pub year: Option<i32>,
}

/// Payments and clawbacks by region, year, occupation, level and fund source, in the caller's
/// scope (a city its region, the province everything), as .xlsx.
#[utoipa::path(get, path = "/api/v1/reports/subsidies.xlsx", tag = "subsidy", params(ReportQuery), responses(
    (status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", description = "The report with its totals"),
    (status = 422, body = ErrorBody, description = "A bad year, or more rows than one document holds"),
))]
pub async fn subsidies(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ReportQuery>,
) -> Result<Response, AppError> {
    Ok(file(
        claims::subsidy_report_download(&state, &caller, query.year).await?,
    ))
}
