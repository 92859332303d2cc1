//! Subsidy claims as pages (issue 13 item 7): `/claims` — the claims in scope with their
//! states, for an institution the classes it may claim for, for a city its review queue with
//! due days, its fund balances with the allocation form, payments and clawbacks; `/claims/{id}`
//! — one claim with each line's reasons and the actions its state allows the caller; and the
//! public `/notices` with the objection form. Every action is the `dte_app::claims` function
//! the API calls; refusals are shown on the page next to what was asked.

use super::evaluation::{every_message, shown_on_page};
use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::claims::{self, Decision};
use dte_domain::access::Action;
use dte_domain::flags::MaskedName;
use dte_domain::subsidy::{ClaimStatus, FundSource, LineDecision, LineStatus};
use dte_domain::{ClassStatus, Fen, Funding};
use dte_store::{ClaimFilter, ClassFilter};
use serde::Deserialize;

/// A claim in the list.
pub struct ClaimCard {
    pub id: i64,
    pub class_title: String,
    pub institution: String,
    pub region: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub amount: String,
    pub paid: String,
    pub due: String,
    pub overdue: bool,
    pub notice: String,
}

fn card(claim: &dte_store::ClaimRow, overdue: bool) -> ClaimCard {
    ClaimCard {
        id: claim.id,
        class_title: claim.class_title.clone(),
        institution: claim.institution_name.clone(),
        region: claim.region.clone(),
        status: claim.status.as_str(),
        status_label: claim.status.label(),
        amount: claim.amount.to_string(),
        paid: claim.paid.to_string(),
        due: claim
            .review_due_on
            .map(|due| due.to_string())
            .unwrap_or_default(),
        overdue,
        notice: match (claim.notice_starts_on, claim.notice_ends_on) {
            (Some(from), Some(to)) => format!("{from} 至 {to}"),
            _ => String::new(),
        },
    }
}

/// A class the institution may open a claim for.
pub struct ClassOption {
    pub id: i64,
    pub label: String,
}

/// A payment line.
pub struct PaymentLine {
    pub claim: i64,
    pub source: &'static str,
    pub amount: String,
    pub paid_on: String,
    pub voucher: String,
}

/// A clawback line.
pub struct ClawbackLine {
    pub id: i64,
    pub claim: i64,
    pub amount: String,
    pub recovered: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "claims.html")]
struct ClaimsPage {
    chrome: Chrome,
    claims: Vec<ClaimCard>,
    /// Tabs: (status code, label, selected).
    tabs: Vec<(&'static str, &'static str, bool)>,
    classes: Vec<ClassOption>,
    /// The city's own region and the year of its fund balances, when it keeps funds.
    funds: Option<(String, i32, String, String)>,
    sources: Vec<(&'static str, &'static str)>,
    payments: Vec<PaymentLine>,
    clawbacks: Vec<ClawbackLine>,
    manages_clawbacks: bool,
    notice: &'static str,
    error: String,
}

/// Filters and the message after an action.
#[derive(Debug, Default, Deserialize)]
pub struct ListQuery {
    pub status: Option<String>,
    pub done: Option<String>,
}

/// `GET /claims`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    let notice = match query.done.as_deref() {
        Some("funds") => "资金记录已登记。",
        Some("recovered") => "追回款已登记。",
        Some("written_off") => "已核销。",
        _ => "",
    };
    show_list(
        &state,
        &caller,
        query.status.as_deref(),
        notice,
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn show_list(
    state: &AppState,
    caller: &Caller,
    status: Option<&str>,
    notice: &'static str,
    error: String,
    code: StatusCode,
) -> Result<Response, PageError> {
    let status = status.and_then(ClaimStatus::parse);
    let filter = ClaimFilter {
        status,
        region: None,
    };
    let rows = claims::list(state, caller, &filter).await?;
    let mut tabs = vec![("", "全部", status.is_none())];
    tabs.extend(
        ClaimStatus::ALL
            .into_iter()
            .map(|each| (each.as_str(), each.label(), Some(each) == status)),
    );
    let classes = if dte_app::access::admits(caller, Action::FileClaim) {
        let filter = ClassFilter {
            status: Some(ClassStatus::Finished),
            ..ClassFilter::default()
        };
        dte_app::classes::list(state, caller, &filter, dte_store::CLASS_PAGE_MAX)
            .await?
            .into_iter()
            .filter(|class| class.funding == Funding::Subsidised)
            .map(|class| ClassOption {
                id: class.id,
                label: format!(
                    "{}（{} 至 {}）",
                    class.title, class.start_date, class.end_date
                ),
            })
            .collect()
    } else {
        Vec::new()
    };
    let year = dte_app::calendar::this_year(state);
    let region = caller.user().and_then(|user| user.region.clone());
    let funds = match region {
        Some(region) if dte_app::access::admits(caller, Action::ManageFunds) => {
            let balances = claims::balances(state, caller, &region, year).await?;
            Some((
                region,
                year,
                balances.skills_upgrading_balance.to_string(),
                balances.employment_subsidy_fund.to_string(),
            ))
        }
        _ => None,
    };
    let payments = claims::payments(state, caller)
        .await?
        .into_iter()
        .map(|row| PaymentLine {
            claim: row.claim_id,
            source: row.source.label(),
            amount: row.amount.to_string(),
            paid_on: row.paid_on.to_string(),
            voucher: row.voucher,
        })
        .collect();
    let clawbacks = claims::clawbacks(state, caller)
        .await?
        .into_iter()
        .map(|row| ClawbackLine {
            id: row.id,
            claim: row.claim_id,
            amount: row.amount.to_string(),
            recovered: row.recovered.to_string(),
            status: row.status.as_str(),
            status_label: row.status.label(),
            reason: row.reason,
        })
        .collect();
    let page = ClaimsPage {
        chrome: Chrome::new("claims", caller),
        claims: rows
            .iter()
            .map(|(claim, overdue)| card(claim, *overdue))
            .collect(),
        tabs,
        classes,
        funds,
        sources: FundSource::ALL
            .into_iter()
            .map(|source| (source.as_str(), source.label()))
            .collect(),
        payments,
        clawbacks,
        manages_clawbacks: dte_app::access::admits(caller, Action::ManageClawbacks),
        notice,
        error,
    };
    Ok((code, render(&page)).into_response())
}

/// The form opening a claim.
#[derive(Debug, Deserialize)]
pub struct OpenForm {
    pub class_id: i64,
}

/// `POST /claims`: opens a claim for a class and shows it.
pub async fn open(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<OpenForm>,
) -> Result<Response, PageError> {
    match claims::open(&state, &caller, form.class_id).await {
        Ok(id) => Ok(Redirect::to(&format!("/claims/{id}?done=opened")).into_response()),
        Err(error) => {
            let error = AppError::from(error);
            if shown_on_page(&error) {
                let status = error.status;
                show_list(&state, &caller, None, "", every_message(&error), status).await
            } else {
                Err(PageError(error))
            }
        }
    }
}

/// A line of the claim's page.
pub struct LinePage {
    pub id: i64,
    pub holder: String,
    pub id_number_masked: String,
    pub amount: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub reasons: Vec<String>,
    pub review: String,
}

/// An objection on the claim's page.
pub struct ObjectionLine {
    pub id: i64,
    pub holder: String,
    pub contact: String,
    pub content: String,
    pub lodged_at: String,
    pub open: bool,
    pub outcome: String,
}

#[derive(Template)]
#[template(path = "claim.html")]
struct ClaimPage {
    chrome: Chrome,
    claim: ClaimCard,
    occupation: String,
    lines: Vec<LinePage>,
    objections: Vec<ObjectionLine>,
    rejections: Vec<(&'static str, &'static str)>,
    /// The actions the caller may take on the claim in its state.
    files: bool,
    reviews: bool,
    approves: bool,
    /// The caller reviewed this claim (four eyes: someone else approves).
    own_review: bool,
    resolves: bool,
    pays: bool,
    claws_back: bool,
    today: String,
    notice: &'static str,
    error: String,
}

/// The message after an action on a claim.
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

/// `GET /claims/{id}`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = match done.done.as_deref() {
        Some("opened") => {
            "申领已生成：每名补贴学员一行，不符合条件的写明原因。补齐后可“重新核对”。"
        }
        Some("submit") => "已提交市人社局审核。",
        Some("recheck") => "已按最新记录重新核对。",
        Some("withdraw") => "申领已撤回。",
        Some("withdraw_line") => "已撤回该人员。",
        Some("review") => "审核意见已保存，等待另一名工作人员复核。",
        Some("approve") => "复核通过，已进入公示。",
        Some("close_notice") => "公示已结束，等待拨付。",
        Some("resolve") => "异议已处理。",
        Some("pay") => "拨付已登记。",
        Some("clawback") => "追回案件已立案。",
        _ => "",
    };
    show_claim(&state, &caller, id, notice, String::new(), StatusCode::OK).await
}

async fn show_claim(
    state: &AppState,
    caller: &Caller,
    id: i64,
    notice: &'static str,
    error: String,
    code: StatusCode,
) -> Result<Response, PageError> {
    let view = claims::claim(state, caller, id).await?;
    let facts = claims::claim_facts(&view.claim);
    let allows = |action| dte_app::access::allows(caller, action, &facts);
    let status = view.claim.status;
    let me = caller.user().map(|user| user.id);
    let holder = |line_id: i64| {
        view.lines
            .iter()
            .find(|line| line.id == line_id)
            .map(|line| MaskedName::mask(&line.holder_name).as_str().to_owned())
            .unwrap_or_default()
    };
    let page = ClaimPage {
        chrome: Chrome::new("claims", caller),
        claim: card(&view.claim, view.overdue),
        occupation: format!("{}（{}）", view.claim.occupation, view.claim.level.label()),
        lines: view
            .lines
            .iter()
            .map(|line| LinePage {
                id: line.id,
                holder: MaskedName::mask(&line.holder_name).as_str().to_owned(),
                id_number_masked: line.id_number_masked.clone(),
                amount: line.amount.to_string(),
                status: line.status.as_str(),
                status_label: line.status.label(),
                reasons: line
                    .reasons
                    .iter()
                    .map(|reason| reason.message.clone())
                    .collect(),
                review: match (
                    line.review_decision.as_deref(),
                    line.review_reason.as_deref(),
                ) {
                    (Some("approve"), _) => "审核同意".to_owned(),
                    (Some("reject"), Some(reason)) => format!(
                        "不同意：{}{}",
                        LineDecision::rejection_label(reason).unwrap_or(reason),
                        line.review_remark
                            .as_deref()
                            .map(|remark| format!("（{remark}）"))
                            .unwrap_or_default()
                    ),
                    _ => String::new(),
                },
            })
            .collect(),
        objections: view
            .objections
            .iter()
            .map(|objection| ObjectionLine {
                id: objection.id,
                holder: holder(objection.line_id),
                contact: objection.contact_masked.clone(),
                content: objection.content.clone(),
                lodged_at: dte_app::shanghai_time(objection.lodged_at),
                open: objection.status == "open",
                outcome: match objection.status.as_str() {
                    "upheld" => format!(
                        "异议成立：{}",
                        objection.resolution.clone().unwrap_or_default()
                    ),
                    "dismissed" => format!(
                        "异议不成立：{}",
                        objection.resolution.clone().unwrap_or_default()
                    ),
                    _ => "待处理".to_owned(),
                },
            })
            .collect(),
        rejections: LineDecision::REJECTIONS.to_vec(),
        files: allows(Action::FileClaim) && status.open_to_institution(),
        reviews: allows(Action::ReviewClaim) && status == ClaimStatus::Submitted,
        approves: allows(Action::ApproveClaim) && status == ClaimStatus::InReview,
        own_review: me.is_some() && view.claim.reviewed_by == me,
        resolves: allows(Action::ResolveObjection) && status == ClaimStatus::InNotice,
        pays: allows(Action::RecordPayment)
            && matches!(status, ClaimStatus::InNotice | ClaimStatus::Approved),
        claws_back: allows(Action::ManageClawbacks)
            && view
                .lines
                .iter()
                .any(|line| line.status == LineStatus::Paid),
        today: state.clock.today().to_string(),
        notice,
        error,
    };
    Ok((code, render(&page)).into_response())
}

/// `POST /claims/{id}`: one action on a claim, named by the form's `do` field, with its
/// fields (`line_id`; `decision_<line>`, `reason_<line>`, `remark_<line>`; `objection_id`,
/// `upheld`, `resolution`; `paid_on`, `voucher`; `clawback_<line>`, `reason`).
pub async fn act(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| field(&fields, name);
    let number = |name: &str| value(name).parse::<i64>().ok();
    let action = value("do");
    let outcome: Result<(), dte_app::ServiceError> = match action.as_str() {
        "submit" => claims::submit(&state, &caller, id).await,
        "recheck" => claims::recheck(&state, &caller, id).await,
        "withdraw" => claims::withdraw(&state, &caller, id).await,
        "withdraw_line" => match number("line_id") {
            Some(line) => claims::withdraw_line(&state, &caller, id, line).await,
            None => Err(dte_app::ServiceError::invalid(
                "line_id",
                "请选择要撤回的人员",
            )),
        },
        "review" => {
            let decisions: Vec<Decision> = fields
                .iter()
                .filter_map(|(key, decision)| {
                    let line = key.strip_prefix("decision_")?.parse::<i64>().ok()?;
                    Some(Decision {
                        line_id: line,
                        decision: decision.clone(),
                        reason: Some(value(&format!("reason_{line}")))
                            .filter(|text| !text.is_empty()),
                        remark: Some(value(&format!("remark_{line}")))
                            .filter(|text| !text.is_empty()),
                    })
                })
                .take(10_000)
                .collect();
            claims::review(&state, &caller, id, &decisions).await
        }
        "approve" => claims::approve(&state, &caller, id).await,
        "close_notice" => claims::close_notice(&state, &caller, id).await,
        "resolve" => match number("objection_id") {
            Some(objection) => {
                claims::resolve_objection(
                    &state,
                    &caller,
                    id,
                    objection,
                    value("upheld") == "yes",
                    &value("resolution"),
                )
                .await
            }
            None => Err(dte_app::ServiceError::invalid("objection_id", "请选择异议")),
        },
        "pay" => match chrono::NaiveDate::parse_from_str(&value("paid_on"), "%Y-%m-%d") {
            Ok(paid_on) => claims::pay(
                &state,
                &caller,
                id,
                &claims::PaymentInput {
                    paid_on,
                    voucher: value("voucher"),
                },
            )
            .await
            .map(|_| ()),
            Err(_) => Err(dte_app::ServiceError::invalid(
                "paid_on",
                "拨付日期应为 YYYY-MM-DD",
            )),
        },
        "clawback" => {
            let lines: Vec<i64> = fields
                .iter()
                .filter_map(|(key, _)| key.strip_prefix("clawback_")?.parse().ok())
                .take(10_000)
                .collect();
            claims::open_clawback(&state, &caller, id, &lines, &value("reason"))
                .await
                .map(|_| ())
        }
        _ => Err(dte_app::ServiceError::invalid("do", "未知的操作")),
    };
    match outcome.map_err(AppError::from) {
        Ok(()) => Ok(Redirect::to(&format!("/claims/{id}?done={action}")).into_response()),
        Err(error) if shown_on_page(&error) => {
            let status = error.status;
            show_claim(&state, &caller, id, "", every_message(&error), status).await
        }
        Err(error) => Err(PageError(error)),
    }
}

/// `POST /clawbacks/{id}`: a recovery (`do=recover`: `amount`, in 元, `recovered_on`,
/// `voucher`, `fund_source`) or a write-off (`do=write_off`: `reason`).
pub async fn clawback(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| field(&fields, name);
    let outcome = match value("do").as_str() {
        "recover" => match (
            yuan_to_fen(&value("amount")),
            chrono::NaiveDate::parse_from_str(&value("recovered_on"), "%Y-%m-%d"),
        ) {
            (Some(amount), Ok(recovered_on)) => claims::record_recovery(
                &state,
                &caller,
                id,
                &claims::RecoveryInput {
                    amount_fen: amount.get(),
                    recovered_on,
                    voucher: value("voucher"),
                    fund_source: value("fund_source"),
                },
            )
            .await
            .map(|_| "recovered"),
            (None, _) => Err(dte_app::ServiceError::invalid(
                "amount",
                "金额应为元，最多两位小数，例如 600 或 600.50",
            )),
            (_, Err(_)) => Err(dte_app::ServiceError::invalid(
                "recovered_on",
                "追回日期应为 YYYY-MM-DD",
            )),
        },
        "write_off" => claims::write_off(&state, &caller, id, &value("reason"))
            .await
            .map(|()| "written_off"),
        _ => Err(dte_app::ServiceError::invalid("do", "未知的操作")),
    };
    after_list_action(&state, &caller, outcome).await
}

/// `POST /funds`: the city's allocation or correction (`amount` in 元).
pub async fn funds(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let value = |name: &str| field(&fields, name);
    let outcome = match (yuan_to_fen(&value("amount")), value("year").parse::<i32>()) {
        (Some(amount), Ok(year)) => claims::allocate(
            &state,
            &caller,
            &claims::Allocation {
                year,
                fund_source: value("fund_source"),
                amount_fen: amount.get(),
                kind: value("kind"),
                note: value("note"),
            },
        )
        .await
        .map(|_| "funds"),
        (None, _) => Err(dte_app::ServiceError::invalid(
            "amount",
            "金额应为元，最多两位小数，例如 100000 或 -250.50",
        )),
        (_, Err(_)) => Err(dte_app::ServiceError::invalid("year", "年度应为四位数字")),
    };
    after_list_action(&state, &caller, outcome).await
}

async fn after_list_action(
    state: &AppState,
    caller: &Caller,
    outcome: Result<&'static str, dte_app::ServiceError>,
) -> Result<Response, PageError> {
    match outcome.map_err(AppError::from) {
        Ok(done) => Ok(Redirect::to(&format!("/claims?done={done}")).into_response()),
        Err(error) if shown_on_page(&error) => {
            let status = error.status;
            show_list(state, caller, None, "", every_message(&error), status).await
        }
        Err(error) => Err(PageError(error)),
    }
}

/// The value of a form field, trimmed; empty when the form has none.
fn field(fields: &[(String, String)], name: &str) -> String {
    fields
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.trim().to_owned())
        .unwrap_or_default()
}

/// An amount typed in 元 (at most two decimals, a sign allowed) as fen; `None` when it is not
/// one.
pub fn yuan_to_fen(text: &str) -> Option<Fen> {
    let text = text.trim().replace([',', '，'], "");
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest.to_owned()),
        None => (false, text),
    };
    let (whole, cents) = match digits.split_once('.') {
        Some((whole, cents)) if (1..=2).contains(&cents.len()) => (whole, format!("{cents:0<2}")),
        Some(_) => return None,
        None => (digits.as_str(), "00".to_owned()),
    };
    if whole.is_empty()
        || whole.len() > 12
        || !whole.chars().all(|digit| digit.is_ascii_digit())
        || !cents.chars().all(|digit| digit.is_ascii_digit())
    {
        return None;
    }
    let fen = whole.parse::<i64>().ok()?.checked_mul(100)? + cents.parse::<i64>().ok()?;
    Some(Fen::new(if negative { -fen } else { fen }))
}

/// A notice as the public page shows it.
pub struct NoticeCard {
    pub id: i64,
    pub title: String,
    pub region: String,
    pub period: String,
    pub open: bool,
    pub how: String,
    pub lines: Vec<NoticeRow>,
    pub total: String,
}

/// A line of a public notice: masked name and ID number.
pub struct NoticeRow {
    pub id: i64,
    pub holder: String,
    pub id_number: String,
    pub institution: String,
    pub occupation: String,
    pub level: &'static str,
    pub amount: String,
}

#[derive(Template)]
#[template(path = "notices.html")]
struct NoticesPage {
    chrome: Chrome,
    notices: Vec<NoticeCard>,
    notice: &'static str,
    error: String,
}

/// `GET /notices`: the public notices (公示), for anyone, on a phone too.
pub async fn notices(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(done): Query<Done>,
) -> Result<Response, PageError> {
    let notice = match done.done.as_deref() {
        Some("objected") => "异议已提交，市人社局将核实处理并与您联系。",
        _ => "",
    };
    show_notices(&state, &caller, notice, String::new(), StatusCode::OK).await
}

async fn show_notices(
    state: &AppState,
    caller: &Caller,
    notice: &'static str,
    error: String,
    code: StatusCode,
) -> Result<Response, PageError> {
    let notices = claims::notices(state).await?;
    let cards = notices
        .iter()
        .map(|item| {
            let wire = crate::api::claims::NoticeItem::from(item);
            let total: i64 = item.lines.iter().map(|line| line.amount.get()).sum();
            NoticeCard {
                id: wire.id,
                title: wire.title,
                region: wire.region,
                period: format!("{} 至 {}", wire.starts_on, wire.ends_on),
                open: item.open,
                how: wire.objection,
                lines: item
                    .lines
                    .iter()
                    .zip(wire.lines)
                    .map(|(line, shown)| NoticeRow {
                        id: line.id,
                        holder: shown.holder,
                        id_number: shown.id_number,
                        institution: shown.institution,
                        occupation: line.occupation.to_string(),
                        level: line.level.label(),
                        amount: line.amount.to_string(),
                    })
                    .collect(),
                total: Fen::new(total).to_string(),
            }
        })
        .collect();
    let page = NoticesPage {
        chrome: match caller.user() {
            Some(_) => Chrome::new("notices", caller),
            None => Chrome::anonymous_at("notices"),
        },
        notices: cards,
        notice,
        error,
    };
    Ok((code, render(&page)).into_response())
}

/// The public objection form.
#[derive(Debug, Deserialize)]
pub struct ObjectionForm {
    pub line_id: i64,
    pub contact: String,
    pub content: String,
}

/// `POST /notices/{id}/objections`: anyone objects to a line on notice (limited per address).
pub async fn object(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Form(form): Form<ObjectionForm>,
) -> Result<Response, PageError> {
    if let Err(wait) = state.objection_limit.check(caller.address) {
        let error = crate::rate_limit::too_many(wait);
        let status = error.status;
        return show_notices(&state, &caller, "", error.message, status).await;
    }
    let input = dte_app::claims::ObjectionInput {
        line_id: form.line_id,
        contact: form.contact,
        content: form.content,
    };
    match claims::lodge_objection(&state, &caller, id, &input)
        .await
        .map_err(AppError::from)
    {
        Ok(_) => Ok(Redirect::to("/notices?done=objected").into_response()),
        Err(error) if shown_on_page(&error) || error.status == StatusCode::NOT_FOUND => {
            let status = error.status;
            show_notices(&state, &caller, "", every_message(&error), status).await
        }
        Err(error) => Err(PageError(error)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_typed_in_yuan_become_fen() {
        assert_eq!(yuan_to_fen("1600"), Some(Fen::new(160_000)));
        assert_eq!(yuan_to_fen("1,600.5"), Some(Fen::new(160_050)));
        assert_eq!(yuan_to_fen("-250.25"), Some(Fen::new(-25_025)));
        for bad in ["", "1.234", "abc", "1e5", ".5", "1 600", "9999999999999"] {
            assert_eq!(yuan_to_fen(bad), None, "{bad}");
        }
    }
}
