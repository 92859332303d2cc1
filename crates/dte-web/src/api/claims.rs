//! Subsidy claims (补贴申领, SPEC step 9): the institution's claims, the city's review, the
//! public notice (公示) and its objections, payments, fund balances and clawbacks. The read
//! endpoints follow SPEC's contract under "Money, supervision and reports".

use crate::AppState;
use crate::auth::Caller;
use crate::error::{AppError, AppJson, ErrorBody};
use crate::wire::Page;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use dte_app::claims::{self, ClaimView, Decision, Notice, ObjectionInput};
use dte_domain::flags::MaskedName;
use dte_domain::subsidy::ClaimStatus;
use dte_store::{ClaimFilter, ClaimLineRow, ClaimRow, ClawbackRow, PaymentRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A claim in a list.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimItem {
    pub id: i64,
    /// The class's id.
    pub class: i64,
    pub class_title: String,
    pub institution: String,
    pub region: String,
    pub occupation: String,
    pub level: String,
    /// `draft`, `submitted`, `in_review`, `in_notice`, `approved`, `paid`, `partly_rejected`,
    /// `rejected` or `withdrawn`.
    pub status: String,
    pub status_label: String,
    /// What the lines claimed, approved, paid or clawed back come to, in fen.
    pub amount_fen: i64,
    pub paid_fen: i64,
    pub review_due_on: Option<chrono::NaiveDate>,
    /// Submitted and not reviewed by its due day.
    pub overdue: bool,
    pub notice_starts_on: Option<chrono::NaiveDate>,
    pub notice_ends_on: Option<chrono::NaiveDate>,
}

impl ClaimItem {
    fn of(claim: &ClaimRow, overdue: bool) -> ClaimItem {
        ClaimItem {
            id: claim.id,
            class: claim.class_id,
            class_title: claim.class_title.clone(),
            institution: claim.institution_name.clone(),
            region: claim.region.clone(),
            occupation: claim.occupation.as_str().to_owned(),
            level: claim.level.as_str().to_owned(),
            status: claim.status.as_str().to_owned(),
            status_label: claim.status.label().to_owned(),
            amount_fen: claim.amount.get(),
            paid_fen: claim.paid.get(),
            review_due_on: claim.review_due_on,
            overdue,
            notice_starts_on: claim.notice_starts_on,
            notice_ends_on: claim.notice_ends_on,
        }
    }
}

/// One reason a line is not paid: its stable code and what it means.
#[derive(Debug, Serialize, ToSchema)]
pub struct LineReason {
    pub code: String,
    pub message: String,
}

/// A claim line; the holder's name masked as on certificates.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimLine {
    pub id: i64,
    pub person_id: i64,
    pub enrolment_id: i64,
    pub holder: String,
    pub id_number_masked: String,
    pub occupation: String,
    pub level: String,
    pub hours: u32,
    pub rate_fen_per_hour: i64,
    pub amount_fen: i64,
    /// `claimed`, `ineligible`, `approved`, `rejected`, `paid` or `clawed_back`.
    pub status: String,
    pub status_label: String,
    /// The reasons' stable codes, empty when none.
    pub reasons: Vec<String>,
    /// The reasons with what each means and how to fix it.
    pub reason_details: Vec<LineReason>,
    /// The reviewer's decision: `approve` or `reject`.
    pub review_decision: Option<String>,
    pub review_reason: Option<String>,
    pub review_remark: Option<String>,
}

impl From<&ClaimLineRow> for ClaimLine {
    fn from(line: &ClaimLineRow) -> ClaimLine {
        ClaimLine {
            id: line.id,
            person_id: line.person_id,
            enrolment_id: line.enrolment_id,
            holder: MaskedName::mask(&line.holder_name).as_str().to_owned(),
            id_number_masked: line.id_number_masked.clone(),
            occupation: line.occupation.as_str().to_owned(),
            level: line.level.as_str().to_owned(),
            hours: line.hours,
            rate_fen_per_hour: line.rate_fen_per_hour.get(),
            amount_fen: line.amount.get(),
            status: line.status.as_str().to_owned(),
            status_label: line.status.label().to_owned(),
            reasons: line
                .reasons
                .iter()
                .map(|reason| reason.code.clone())
                .collect(),
            reason_details: line
                .reasons
                .iter()
                .map(|reason| LineReason {
                    code: reason.code.clone(),
                    message: reason.message.clone(),
                })
                .collect(),
            review_decision: line.review_decision.clone(),
            review_reason: line.review_reason.clone(),
            review_remark: line.review_remark.clone(),
        }
    }
}

/// An objection as the claim shows it (the contact masked).
#[derive(Debug, Serialize, ToSchema)]
pub struct Objection {
    pub id: i64,
    pub line_id: i64,
    pub contact: String,
    pub content: String,
    pub lodged_at: chrono::DateTime<chrono::Utc>,
    /// `open`, `upheld` or `dismissed`.
    pub status: String,
    pub resolution: Option<String>,
}

/// A claim with its lines and objections.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimDetail {
    #[serde(flatten)]
    pub claim: ClaimItem,
    pub lines: Vec<ClaimLine>,
    pub objections: Vec<Objection>,
}

impl From<&ClaimView> for ClaimDetail {
    fn from(view: &ClaimView) -> ClaimDetail {
        ClaimDetail {
            claim: ClaimItem::of(&view.claim, view.overdue),
            lines: view.lines.iter().map(ClaimLine::from).collect(),
            objections: view
                .objections
                .iter()
                .map(|objection| Objection {
                    id: objection.id,
                    line_id: objection.line_id,
                    contact: objection.contact_masked.clone(),
                    content: objection.content.clone(),
                    lodged_at: objection.lodged_at,
                    status: objection.status.clone(),
                    resolution: objection.resolution.clone(),
                })
                .collect(),
        }
    }
}

/// Filters of the claim list.
#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ClaimQuery {
    pub status: Option<String>,
    pub region: Option<String>,
}

/// The claims the caller may see: an institution its own, a city its region's, the province
/// and inspectors all.
#[utoipa::path(get, path = "/api/v1/claims", tag = "subsidy", params(ClaimQuery), responses(
    (status = 200, body = Page<ClaimItem>, description = "The claims in scope, newest first"),
))]
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ClaimQuery>,
) -> Result<Json<Page<ClaimItem>>, AppError> {
    let status = match query.status.as_deref().filter(|text| !text.is_empty()) {
        None => None,
        Some(text) => Some(ClaimStatus::parse(text).ok_or_else(|| {
            AppError::invalid(
                "status",
                "状态应为 draft、submitted、in_review、in_notice、approved、paid、partly_rejected、rejected 或 withdrawn",
            )
        })?),
    };
    let filter = ClaimFilter {
        status,
        region: query.region.filter(|region| !region.is_empty()),
    };
    let rows = claims::list(&state, &caller, &filter).await?;
    Ok(Json(Page::complete(
        rows.iter()
            .map(|(claim, overdue)| ClaimItem::of(claim, *overdue))
            .collect(),
    )))
}

/// The class a claim is opened for.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OpenInput {
    pub class_id: i64,
}

/// Opens a claim for a finished subsidised class of the caller's institution; DTE fills it
/// from the records, one line per subsidised trainee, each with its reasons.
#[utoipa::path(post, path = "/api/v1/claims", tag = "subsidy", request_body = OpenInput, responses(
    (status = 201, body = ClaimDetail, description = "The draft claim with its lines"),
    (status = 409, body = ErrorBody, description = "The class has a claim in progress"),
    (status = 422, body = ErrorBody, description = "Not a finished subsidised class"),
))]
pub async fn open(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<OpenInput>,
) -> Result<(StatusCode, Json<ClaimDetail>), AppError> {
    let id = claims::open(&state, &caller, input.class_id).await?;
    let view = claims::claim(&state, &caller, id).await?;
    Ok((StatusCode::CREATED, Json(ClaimDetail::from(&view))))
}

/// One claim with its lines and objections; 404 outside the caller's scope.
#[utoipa::path(get, path = "/api/v1/claims/{id}", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "The claim"),
    (status = 404, body = ErrorBody, description = "No such claim in the caller's scope"),
))]
pub async fn show(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    let view = claims::claim(&state, &caller, id).await?;
    Ok(Json(ClaimDetail::from(&view)))
}

async fn answer(state: &AppState, caller: &Caller, id: i64) -> Result<Json<ClaimDetail>, AppError> {
    let view = claims::claim(state, caller, id).await?;
    Ok(Json(ClaimDetail::from(&view)))
}

/// The institution submits its draft claim to the city (the lines judged again first).
#[utoipa::path(post, path = "/api/v1/claims/{id}/submit", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "Submitted; the review is due on `review_due_on`"),
    (status = 409, body = ErrorBody, description = "Not a draft"),
    (status = 422, body = ErrorBody, description = "No line may be claimed"),
))]
pub async fn submit(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::submit(&state, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// The institution judges its lines again after fixing records (a fixed line is claimed).
#[utoipa::path(post, path = "/api/v1/claims/{id}/recheck", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "The lines as they stand now"),
    (status = 409, body = ErrorBody, description = "Already under review"),
))]
pub async fn recheck(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::recheck(&state, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// The institution withdraws its claim before the city's review.
#[utoipa::path(post, path = "/api/v1/claims/{id}/withdraw", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "Withdrawn"),
    (status = 409, body = ErrorBody, description = "Already under review"),
))]
pub async fn withdraw(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::withdraw(&state, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// A line of a claim.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LineInput {
    pub line_id: i64,
}

/// The institution withdraws one line before the city's review.
#[utoipa::path(post, path = "/api/v1/claims/{id}/withdraw-line", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), request_body = LineInput, responses(
    (status = 200, body = ClaimDetail, description = "The line is withdrawn"),
    (status = 409, body = ErrorBody, description = "Already under review"),
))]
pub async fn withdraw_line(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<LineInput>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::withdraw_line(&state, &caller, id, input.line_id).await?;
    answer(&state, &caller, id).await
}

/// The reviewer's decisions, one per line still claimed.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ReviewInput {
    pub decisions: Vec<Decision>,
}

/// A city account reviews a submitted claim within the review time: approve or reject (with a
/// reason code and remark) every line still claimed.
#[utoipa::path(post, path = "/api/v1/claims/{id}/review", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), request_body = ReviewInput, responses(
    (status = 200, body = ClaimDetail, description = "Reviewed; a second account approves"),
    (status = 409, body = ErrorBody, description = "Not submitted"),
    (status = 422, body = ErrorBody, description = "Past the review time, or a line without a decision"),
))]
pub async fn review(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ReviewInput>,
) -> Result<Json<ClaimDetail>, AppError> {
    if input.decisions.len() > 10_000 {
        return Err(AppError::invalid("decisions", "审核意见过多"));
    }
    claims::review(&state, &caller, id, &input.decisions).await?;
    answer(&state, &caller, id).await
}

/// A second city account approves the reviewed claim; its approved lines go on public notice.
#[utoipa::path(post, path = "/api/v1/claims/{id}/approve", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "On notice (or rejected when no line is approved)"),
    (status = 409, body = ErrorBody, description = "Not reviewed, or a line's subsidy is held by another claim"),
    (status = 422, body = ErrorBody, description = "The reviewer may not approve their own review"),
))]
pub async fn approve(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::approve(&state, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// The city closes the notice once it is over with every objection resolved.
#[utoipa::path(post, path = "/api/v1/claims/{id}/close-notice", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), responses(
    (status = 200, body = ClaimDetail, description = "Approved, waiting for payment"),
    (status = 422, body = ErrorBody, description = "The notice is not over, or objections are open"),
))]
pub async fn close_notice(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::close_notice(&state, &caller, id).await?;
    answer(&state, &caller, id).await
}

/// Lodged.
#[derive(Debug, Serialize, ToSchema)]
pub struct Lodged {
    pub id: i64,
}

/// Anyone objects to a line on notice, with a contact (no sign-in; limited per address).
#[utoipa::path(post, path = "/api/v1/claims/{id}/objections", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), request_body = ObjectionInput, responses(
    (status = 201, body = Lodged, description = "Recorded; the city resolves it"),
    (status = 404, body = ErrorBody, description = "No claim on notice with this id"),
    (status = 422, body = ErrorBody, description = "A field is wrong, or the notice is over"),
    (status = 429, body = ErrorBody, description = "Too many objections from this address"),
))]
pub async fn object(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<ObjectionInput>,
) -> Result<(StatusCode, Json<Lodged>), AppError> {
    state
        .objection_limit
        .check(caller.address)
        .map_err(crate::rate_limit::too_many)?;
    let id = claims::lodge_objection(&state, &caller, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Lodged { id })))
}

/// How the city resolves an objection.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Resolution {
    pub objection_id: i64,
    /// Upheld: the line is rejected; dismissed: the line stays approved.
    pub upheld: bool,
    pub resolution: String,
}

/// The city resolves an objection, with its reason.
#[utoipa::path(post, path = "/api/v1/claims/{id}/objections/resolve", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), request_body = Resolution, responses(
    (status = 200, body = ClaimDetail, description = "Resolved"),
    (status = 409, body = ErrorBody, description = "Already resolved"),
))]
pub async fn resolve(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<Resolution>,
) -> Result<Json<ClaimDetail>, AppError> {
    claims::resolve_objection(
        &state,
        &caller,
        id,
        input.objection_id,
        input.upheld,
        &input.resolution,
    )
    .await?;
    answer(&state, &caller, id).await
}

/// A payment's share from one fund.
#[derive(Debug, Serialize, ToSchema)]
pub struct Share {
    pub fund_source: String,
    pub amount_fen: i64,
}

/// The city records the payment once the notice is over with every objection resolved.
#[utoipa::path(post, path = "/api/v1/claims/{id}/payment", tag = "subsidy", params(("id" = i64, Path, description = "Claim id")), request_body = dte_app::claims::PaymentInput, responses(
    (status = 201, body = Vec<Share>, description = "Paid, from these funds"),
    (status = 409, body = ErrorBody, description = "Paid already, or the same subsidy was paid before"),
    (status = 422, body = ErrorBody, description = "Notice not over, objections open, or the funds fall short"),
))]
pub async fn pay(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<dte_app::claims::PaymentInput>,
) -> Result<(StatusCode, Json<Vec<Share>>), AppError> {
    let shares = claims::pay(&state, &caller, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(
            shares
                .into_iter()
                .map(|(source, amount)| Share {
                    fund_source: source.as_str().to_owned(),
                    amount_fen: amount.get(),
                })
                .collect(),
        ),
    ))
}

/// A line of a public notice: nothing personal unmasked.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeLine {
    pub line_id: i64,
    pub holder: String,
    pub id_number: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub amount_fen: i64,
}

/// A public notice (公示) of a claim's approved lines.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoticeItem {
    /// The claim's id (objections are lodged against it).
    pub id: i64,
    pub region: String,
    pub title: String,
    pub starts_on: chrono::NaiveDate,
    pub ends_on: chrono::NaiveDate,
    /// `open` during the notice period, `closed` after it.
    pub status: String,
    /// How to object.
    pub objection: String,
    pub lines: Vec<NoticeLine>,
}

impl From<&Notice> for NoticeItem {
    fn from(notice: &Notice) -> NoticeItem {
        let claim = &notice.claim;
        NoticeItem {
            id: claim.id,
            region: claim.region.clone(),
            title: format!(
                "{}“{}”培训补贴公示",
                claim.institution_name, claim.class_title
            ),
            starts_on: notice.starts_on,
            ends_on: notice.ends_on,
            status: if notice.open { "open" } else { "closed" }.to_owned(),
            objection: format!(
                "对公示人员有异议的，请于 {} 前在本页提交异议并留下联系方式，由{}人社局核实处理",
                notice.ends_on, claim.region
            ),
            lines: notice
                .lines
                .iter()
                .map(|line| NoticeLine {
                    line_id: line.id,
                    holder: MaskedName::mask(&line.holder_name).as_str().to_owned(),
                    id_number: line.id_number_masked.clone(),
                    institution: claim.institution_name.clone(),
                    occupation: line.occupation.as_str().to_owned(),
                    level: line.level.as_str().to_owned(),
                    amount_fen: line.amount.get(),
                })
                .collect(),
        }
    }
}

/// The public notices, without sign-in; names and ID numbers masked.
#[utoipa::path(get, path = "/api/v1/notices", tag = "subsidy", responses(
    (status = 200, body = Page<NoticeItem>, description = "The notices, newest first"),
))]
pub async fn notices(State(state): State<AppState>) -> Result<Json<Page<NoticeItem>>, AppError> {
    let notices = claims::notices(&state).await?;
    Ok(Json(Page::complete(
        notices.iter().map(NoticeItem::from).collect(),
    )))
}

/// A payment from one fund.
#[derive(Debug, Serialize, ToSchema)]
pub struct PaymentItem {
    pub id: i64,
    pub claim: i64,
    pub region: String,
    pub amount_fen: i64,
    /// `skills_upgrading_balance` (职业技能提升行动专账结余) or `employment_subsidy_fund` (就业补助资金).
    pub fund_source: String,
    pub paid_on: chrono::NaiveDate,
    pub voucher: String,
}

impl From<&PaymentRow> for PaymentItem {
    fn from(row: &PaymentRow) -> PaymentItem {
        PaymentItem {
            id: row.id,
            claim: row.claim_id,
            region: row.region.clone(),
            amount_fen: row.amount.get(),
            fund_source: row.source.as_str().to_owned(),
            paid_on: row.paid_on,
            voucher: row.voucher.clone(),
        }
    }
}

/// The payments in the caller's scope.
#[utoipa::path(get, path = "/api/v1/payments", tag = "subsidy", responses(
    (status = 200, body = Page<PaymentItem>, description = "The payments, newest first"),
))]
pub async fn payments(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Page<PaymentItem>>, AppError> {
    let rows = claims::payments(&state, &caller).await?;
    Ok(Json(Page::complete(
        rows.iter().map(PaymentItem::from).collect(),
    )))
}

/// A clawback case.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClawbackItem {
    pub id: i64,
    pub claim: i64,
    pub region: String,
    pub amount_fen: i64,
    pub recovered_fen: i64,
    /// `open`, `partly_recovered`, `recovered` or `written_off`.
    pub status: String,
    pub status_label: String,
    pub reason: String,
}

impl From<&ClawbackRow> for ClawbackItem {
    fn from(row: &ClawbackRow) -> ClawbackItem {
        ClawbackItem {
            id: row.id,
            claim: row.claim_id,
            region: row.region.clone(),
            amount_fen: row.amount.get(),
            recovered_fen: row.recovered.get(),
            status: row.status.as_str().to_owned(),
            status_label: row.status.label().to_owned(),
            reason: row.reason.clone(),
        }
    }
}

/// The clawback cases in the caller's scope.
#[utoipa::path(get, path = "/api/v1/clawbacks", tag = "subsidy", responses(
    (status = 200, body = Page<ClawbackItem>, description = "The cases, newest first"),
))]
pub async fn clawbacks(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Json<Page<ClawbackItem>>, AppError> {
    let rows = claims::clawbacks(&state, &caller).await?;
    Ok(Json(Page::complete(
        rows.iter().map(ClawbackItem::from).collect(),
    )))
}

/// A clawback case to open.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ClawbackInput {
    pub claim_id: i64,
    pub line_ids: Vec<i64>,
    pub reason: String,
}

/// The city opens a clawback case on paid lines of a claim.
#[utoipa::path(post, path = "/api/v1/clawbacks", tag = "subsidy", request_body = ClawbackInput, responses(
    (status = 201, body = Lodged, description = "Opened; its amount is what was paid for the lines"),
    (status = 422, body = ErrorBody, description = "A line is not paid"),
))]
pub async fn open_clawback(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<ClawbackInput>,
) -> Result<(StatusCode, Json<Lodged>), AppError> {
    if input.line_ids.len() > 10_000 {
        return Err(AppError::invalid("line_ids", "人员过多"));
    }
    let id = claims::open_clawback(
        &state,
        &caller,
        input.claim_id,
        &input.line_ids,
        &input.reason,
    )
    .await?;
    Ok((StatusCode::CREATED, Json(Lodged { id })))
}

/// The city records money recovered on a case.
#[utoipa::path(post, path = "/api/v1/clawbacks/{id}/recoveries", tag = "subsidy", params(("id" = i64, Path, description = "Clawback id")), request_body = dte_app::claims::RecoveryInput, responses(
    (status = 201, body = ClawbackItem, description = "Recorded"),
    (status = 422, body = ErrorBody, description = "More than outstanding, or the case is closed"),
))]
pub async fn recover(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<dte_app::claims::RecoveryInput>,
) -> Result<(StatusCode, Json<ClawbackItem>), AppError> {
    claims::record_recovery(&state, &caller, id, &input).await?;
    Ok((StatusCode::CREATED, Json(case(&state, &caller, id).await?)))
}

async fn case(state: &AppState, caller: &Caller, id: i64) -> Result<ClawbackItem, AppError> {
    let rows = claims::clawbacks(state, caller).await?;
    rows.iter()
        .find(|row| row.id == id)
        .map(ClawbackItem::from)
        .ok_or_else(|| AppError::not_found("clawback_not_found", "未找到该追回案件，或您无权查看"))
}

/// Why what is outstanding is written off.
#[derive(Debug, Deserialize, ToSchema)]
pub struct WriteOffInput {
    pub reason: String,
}

/// A second account writes off what is outstanding of a case, with a reason.
#[utoipa::path(post, path = "/api/v1/clawbacks/{id}/write-off", tag = "subsidy", params(("id" = i64, Path, description = "Clawback id")), request_body = WriteOffInput, responses(
    (status = 200, body = ClawbackItem, description = "Written off"),
    (status = 422, body = ErrorBody, description = "The account that opened the case, or no reason"),
))]
pub async fn write_off(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    AppJson(input): AppJson<WriteOffInput>,
) -> Result<Json<ClawbackItem>, AppError> {
    claims::write_off(&state, &caller, id, &input.reason).await?;
    Ok(Json(case(&state, &caller, id).await?))
}

/// Which fund balances to read.
#[derive(Debug, Deserialize, IntoParams)]
pub struct FundQuery {
    /// The region; a city's own by default.
    pub region: Option<String>,
    /// The year; this year by default.
    pub year: Option<i32>,
}

/// A region's fund balances for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct Balances {
    pub region: String,
    pub year: i32,
    pub skills_upgrading_balance_fen: i64,
    pub employment_subsidy_fund_fen: i64,
}

/// A region's fund balances for a year: its city and the province.
#[utoipa::path(get, path = "/api/v1/funds", tag = "subsidy", params(FundQuery), responses(
    (status = 200, body = Balances, description = "The balances: the sum of the accounts' entries"),
))]
pub async fn balances(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<FundQuery>,
) -> Result<Json<Balances>, AppError> {
    let region = query
        .region
        .filter(|region| !region.is_empty())
        .or_else(|| caller.user().and_then(|user| user.region.clone()))
        .ok_or_else(|| AppError::invalid("region", "请指定地区"))?;
    let year = query.year.unwrap_or_else(|| {
        use chrono::Datelike;
        state.clock.today().year()
    });
    let balances = claims::balances(&state, &caller, &region, year).await?;
    Ok(Json(Balances {
        region,
        year,
        skills_upgrading_balance_fen: balances.skills_upgrading_balance.get(),
        employment_subsidy_fund_fen: balances.employment_subsidy_fund.get(),
    }))
}

/// The city adds an entry to its fund account (an allocation or a correction).
#[utoipa::path(post, path = "/api/v1/funds", tag = "subsidy", request_body = dte_app::claims::Allocation, responses(
    (status = 201, body = Lodged, description = "Entered"),
    (status = 422, body = ErrorBody, description = "A field is wrong"),
))]
pub async fn allocate(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    AppJson(input): AppJson<dte_app::claims::Allocation>,
) -> Result<(StatusCode, Json<Lodged>), AppError> {
    let id = claims::allocate(&state, &caller, &input).await?;
    Ok((StatusCode::CREATED, Json(Lodged { id })))
}
