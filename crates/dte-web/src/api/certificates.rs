//! Certificates (issue 6): public verification by number, the published signing keys, the
//! scoped list, each certificate's PDF and Verifiable Credential, revocation; a class's
//! completion (结业考核) and issuing its training certificates; batch printing with progress;
//! the institution's numbering pattern and seal.

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::{CertificateItem, CompletionLine, Page};
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use dte_app::certificates::{self, issue, print, signing, verify};
use dte_app::classes::class_for;
use dte_domain::CertificateKind;
use dte_store::CertificateFilter;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};

/// What a verifier may add to the number.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct VerifyQuery {
    /// The holder's full name: a wrong one is answered 404 like an unknown number.
    pub name: Option<String>,
    /// The signature carried by the QR code's address; answered `signature: valid|invalid`.
    pub s: Option<String>,
}

/// Verifies a certificate by its number (public, rate limited per client address): kind,
/// status (valid, or revoked with reason and date), masked holder name, occupation, level,
/// issuer and issue date; 404 for an unknown number (or a wrong `name`).
#[utoipa::path(get, path = "/api/v1/certificates/{number}", tag = "certificates",
    params(("number" = String, Path, description = "The certificate number printed on it"), VerifyQuery),
    responses(
        (status = 200, body = verify::Verification, description = "The certificate"),
        (status = 404, body = ErrorBody, description = "No certificate has this number (or the name is not the holder's)"),
        (status = 429, body = ErrorBody, description = "Too many look-ups from this address"),
    ))]
pub async fn verify(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
    Query(query): Query<VerifyQuery>,
) -> Result<Json<verify::Verification>, AppError> {
    state
        .verification_limit
        .check(caller.address)
        .map_err(crate::rate_limit::too_many)?;
    let asked = verify::Query {
        name: query.name.as_deref(),
        signature: query.s.as_deref(),
    };
    verify::verify(&state, &number, &asked)
        .await?
        .map(Json)
        .ok_or_else(|| certificates::not_found(&number).into())
}

/// The public keys that sign certificates, as a JWK set (Ed25519, with `kid`) and PEM.
#[utoipa::path(get, path = "/.well-known/dte-certificate-keys.json", tag = "certificates",
    responses((status = 200, description = "The JWK set")))]
pub async fn keys(State(state): State<AppState>) -> Json<Value> {
    Json(signing::key_set(&state.certificates.key))
}

/// Filters of the certificate list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ListQuery {
    /// `training` or `level`.
    pub kind: Option<String>,
    /// Only the certificates of this class.
    pub class: Option<i64>,
    /// The `next` of the previous page.
    pub cursor: Option<String>,
}

/// The certificates the caller may see, newest first: an institution those it issued (and
/// its trainees' level certificates), a city its region's, the province and inspectors all,
/// a trainee their own.
#[utoipa::path(get, path = "/api/v1/certificates", tag = "certificates", params(ListQuery),
    responses(
        (status = 200, body = Page<CertificateItem>, description = "The certificates in scope"),
        (status = 422, body = ErrorBody, description = "A filter is invalid"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ListQuery>,
) -> Result<Json<Page<CertificateItem>>, AppError> {
    let filter = list_filter(&query, 100)?;
    let rows = certificates::list(&state, &caller, &filter).await?;
    let next = (rows.len() == filter.limit as usize)
        .then(|| rows.last().map(|row| row.id.to_string()))
        .flatten();
    Ok(Json(Page {
        items: rows.iter().map(CertificateItem::from).collect(),
        next,
    }))
}

/// Parses the list's filters, naming a bad one.
pub fn list_filter(query: &ListQuery, limit: u32) -> Result<CertificateFilter, AppError> {
    let kind = match query.kind.as_deref().filter(|kind| !kind.is_empty()) {
        None => None,
        Some(text) => Some(
            CertificateKind::parse(text)
                .map_err(|error| AppError::invalid("kind", error.to_string()))?,
        ),
    };
    let before_id =
        match query.cursor.as_deref().filter(|cursor| !cursor.is_empty()) {
            None => None,
            Some(cursor) => Some(cursor.parse::<i64>().map_err(|_| {
                AppError::invalid("cursor", "cursor 无效，请使用上一页返回的 next")
            })?),
        };
    Ok(CertificateFilter {
        kind,
        class_id: query.class,
        person_id: None,
        before_id,
        limit,
    })
}

/// The printable PDF (附件3 or 附件4), for the roles allowed to print it, within scope.
#[utoipa::path(get, path = "/api/v1/certificates/{number}/pdf", tag = "certificates",
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, content_type = "application/pdf", description = "The PDF"),
        (status = 404, body = ErrorBody, description = "No such certificate in scope"),
    ))]
pub async fn pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let (row, bytes) = print::print_one(&state, &caller, &number).await?;
    Ok(pdf_response(bytes, &format!("{}.pdf", row.number)))
}

/// A PDF download.
pub fn pdf_response(bytes: Vec<u8>, file_name: &str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The certificate as a W3C Verifiable Credential (Open Badges 3.0) with its Ed25519 proof.
#[utoipa::path(get, path = "/api/v1/certificates/{number}/credential", tag = "certificates",
    params(("number" = String, Path, description = "Certificate number")),
    responses(
        (status = 200, content_type = "application/vc+ld+json", description = "The credential"),
        (status = 404, body = ErrorBody, description = "No such certificate in scope"),
    ))]
pub async fn credential(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
) -> Result<Response, AppError> {
    let row = certificates::certificate_for(&state, &caller, &number).await?;
    let document = signing::credential(&state.public_url, &row);
    Ok((
        [
            (header::CONTENT_TYPE, "application/vc+ld+json".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}.credential.json\"", row.number),
            ),
        ],
        document.to_string(),
    )
        .into_response())
}

/// A revocation.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RevocationInput {
    pub reason: String,
    /// The date it takes effect (YYYY-MM-DD); today when absent.
    pub revoked_on: Option<chrono::NaiveDate>,
}

/// Revokes a certificate (its issuer, or the province); verification shows it at once.
#[utoipa::path(post, path = "/api/v1/certificates/{number}/revocation", tag = "certificates",
    params(("number" = String, Path, description = "Certificate number")), request_body = RevocationInput,
    responses(
        (status = 200, body = CertificateItem, description = "Revoked"),
        (status = 403, body = ErrorBody, description = "Not the issuer"),
        (status = 409, body = ErrorBody, description = "Already revoked"),
    ))]
pub async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
    AppJson(input): AppJson<RevocationInput>,
) -> Result<Json<CertificateItem>, AppError> {
    let on = input.revoked_on.unwrap_or_else(|| state.clock.today());
    let revoked = certificates::revoke(&state, &caller, &number, &input.reason, on).await?;
    Ok(Json(CertificateItem::from(&revoked)))
}

/// A class's completion: every active trainee's hours, result and whether they may be
/// certified, with every reason why not.
#[utoipa::path(get, path = "/api/v1/classes/{id}/completion", tag = "certificates",
    params(("id" = i64, Path, description = "Class id")),
    responses(
        (status = 200, body = Page<CompletionLine>, description = "The class's trainees"),
        (status = 404, body = ErrorBody, description = "No such class in scope"),
    ))]
pub async fn completion(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<Page<CompletionLine>>, AppError> {
    let class = class_for(&state, &caller, id).await?;
    let trainees = certificates::completion::class_completion(&state, &class).await?;
    Ok(Json(Page::complete(
        trainees.iter().map(CompletionLine::from).collect(),
    )))
}

/// One 结业考核 result.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResultLine {
    pub person_id: i64,
    pub passed: bool,
    /// 0–100.
    pub score: Option<u32>,
    pub remark: Option<String>,
}

/// Results to record.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResultsInput {
    pub results: Vec<ResultLine>,
}

/// Records 结业考核 results of a finished class (its training institution); answers the
/// completion as it now stands.
#[utoipa::path(put, path = "/api/v1/classes/{id}/completion", tag = "certificates",
    params(("id" = i64, Path, description = "Class id")), request_body = ResultsInput,
    responses(
        (status = 200, body = Page<CompletionLine>, description = "Recorded"),
        (status = 409, body = ErrorBody, description = "The class is not finished"),
        (status = 422, body = ErrorBody, description = "A result is invalid"),
    ))]
pub async fn record(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ResultsInput>,
) -> Result<Json<Page<CompletionLine>>, AppError> {
    let results: Vec<issue::ResultInput> = input
        .results
        .into_iter()
        .map(|line| issue::ResultInput {
            person_id: line.person_id,
            passed: line.passed,
            score: line.score,
            remark: line.remark,
        })
        .collect();
    issue::record_results(&state, &caller, id, &results).await?;
    completion(State(state), Extension(caller), Path(id)).await
}

/// Issuing a class's certificates.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct IssueInput {
    /// 发证日期 (YYYY-MM-DD); today when absent.
    pub issued_on: Option<chrono::NaiveDate>,
}

/// Issues the training certificate to every trainee of the finished class who may be
/// certified, in one action (all or nothing, numbered by the institution's pattern, signed).
#[utoipa::path(post, path = "/api/v1/classes/{id}/certificates", tag = "certificates",
    params(("id" = i64, Path, description = "Class id")), request_body = IssueInput,
    responses(
        (status = 201, body = Page<CertificateItem>, description = "Issued"),
        (status = 409, body = ErrorBody, description = "Nobody may be certified, or a number is taken"),
        (status = 422, body = ErrorBody, description = "No numbering pattern set"),
    ))]
pub async fn issue(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<IssueInput>,
) -> Result<(axum::http::StatusCode, Json<Page<CertificateItem>>), AppError> {
    let on = input.issued_on.unwrap_or_else(|| state.clock.today());
    let rows = issue::issue_for_class(&state, &caller, id, on).await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(Page::complete(
            rows.iter().map(CertificateItem::from).collect(),
        )),
    ))
}

/// A batch print job.
#[derive(Debug, Serialize, ToSchema)]
pub struct PrintJob {
    pub id: String,
    pub class_id: i64,
    pub done: usize,
    pub total: usize,
    /// `running`, `finished` or `failed`.
    pub state: String,
    /// Where the merged PDF is downloaded once finished.
    pub pdf: Option<String>,
}

/// Starts printing a class's training certificates into one merged PDF; poll the job.
#[utoipa::path(post, path = "/api/v1/classes/{id}/certificates/print", tag = "certificates",
    params(("id" = i64, Path, description = "Class id")),
    responses(
        (status = 202, body = PrintJob, description = "Started"),
        (status = 409, body = ErrorBody, description = "No certificate issued yet"),
    ))]
pub async fn print_class(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<(axum::http::StatusCode, Json<PrintJob>), AppError> {
    let job = print::start_print(&state, &caller, id).await?;
    let shown = print_job(&state, &caller, &job)?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(shown)))
}

/// Starts a class's batch print for the caller; answers the job id.
/// A job's progress as the API shows it.
pub fn print_job(state: &AppState, caller: &Caller, id: &str) -> Result<PrintJob, AppError> {
    let job = print::job_progress(state, caller, id)?;
    let (state_text, pdf) = match job.state {
        print::JobState::Running => ("running", None),
        print::JobState::Finished => ("finished", Some(format!("/api/v1/print-jobs/{id}/pdf"))),
        print::JobState::Failed => ("failed", None),
    };
    Ok(PrintJob {
        id: id.to_owned(),
        class_id: job.class_id,
        done: job.done,
        total: job.total,
        state: state_text.to_owned(),
        pdf,
    })
}

/// A batch print's progress.
#[utoipa::path(get, path = "/api/v1/print-jobs/{id}", tag = "certificates",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, body = PrintJob, description = "The job"),
        (status = 404, body = ErrorBody, description = "No such job of the caller"),
    ))]
pub async fn job(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Json<PrintJob>, AppError> {
    Ok(Json(print_job(&state, &caller, &id)?))
}

/// A finished batch print's merged PDF.
#[utoipa::path(get, path = "/api/v1/print-jobs/{id}/pdf", tag = "certificates",
    params(("id" = String, Path, description = "Job id")),
    responses(
        (status = 200, content_type = "application/pdf", description = "The merged PDF"),
        (status = 404, body = ErrorBody, description = "No such finished job of the caller"),
    ))]
pub async fn job_pdf(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (class_id, bytes) = print::finished_pdf(&state, &caller, &id)?;
    Ok(pdf_response(
        bytes.as_ref().clone(),
        &format!("class-{class_id}-certificates.pdf"),
    ))
}

/// An institution's numbering pattern.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PatternInput {
    /// e.g. `LNPX{year}-{seq:5}`: a letter prefix, `{year}`, one `{seq:N}`.
    pub pattern: String,
}

/// Sets the caller institution's certificate numbering pattern.
#[utoipa::path(put, path = "/api/v1/institution/certificate-pattern", tag = "certificates",
    request_body = PatternInput,
    responses(
        (status = 200, body = PatternInput, description = "Set"),
        (status = 422, body = ErrorBody, description = "The pattern is invalid or another institution's"),
    ))]
pub async fn set_pattern(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<PatternInput>,
) -> Result<Json<PatternInput>, AppError> {
    let pattern = issue::set_pattern(&state, &caller, &input.pattern).await?;
    Ok(Json(PatternInput { pattern }))
}

/// Uploads the caller institution's seal image (the request body is the PNG).
#[utoipa::path(put, path = "/api/v1/institution/seal", tag = "certificates",
    request_body(content = Vec<u8>, content_type = "image/png"),
    responses(
        (status = 204, description = "Stored"),
        (status = 422, body = ErrorBody, description = "Not a PNG, or too large"),
    ))]
pub async fn set_seal(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    body: Bytes,
) -> Result<axum::http::StatusCode, AppError> {
    issue::set_seal(&state, &caller, &body).await?;
    Ok(axum::http::StatusCode::NO_CONTENT)
}
