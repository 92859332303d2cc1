//! Certificate pages (issue 6): the public verification page `/verify` (form and result, the
//! QR code's signature checked), the certificates in the caller's scope (a trainee's own, with
//! PDF and credential; revocation for the issuer and the province), and the institution's
//! completion page for a class (results, the numbering pattern, issuing, the whole class
//! printed into one PDF with progress polled by htmx).

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::api::certificates::{ListQuery, list_filter, print_job};
use crate::auth::Caller;
use crate::error::AppError;
use crate::wire::CompletionLine;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use dte_app::certificates::{self, completion, issue, verify};
use serde::Deserialize;

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    chrome: Chrome,
    number: String,
    name: String,
    signature: String,
    error: String,
    result: Option<verify::Verification>,
}

/// What the verification page was asked (the QR code's address carries `number`, `s`, `k`).
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct VerifyForm {
    number: String,
    name: String,
    s: String,
}

/// `GET /verify`: the form, and the result when a number is given.
pub async fn verify_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(form): Query<VerifyForm>,
) -> Result<Response, PageError> {
    let number = form.number.trim().to_owned();
    let mut page = VerifyPage {
        chrome: Chrome::new("verify", &caller),
        number: number.clone(),
        name: form.name.clone(),
        signature: form.s.clone(),
        error: String::new(),
        result: None,
    };
    if number.is_empty() {
        return Ok(render(&page));
    }
    if let Err(wait) = state.verification_limit.check(caller.address) {
        page.error = crate::rate_limit::too_many(wait).message;
        return Ok((StatusCode::TOO_MANY_REQUESTS, render(&page)).into_response());
    }
    let asked = verify::Query {
        name: Some(form.name.as_str()),
        signature: Some(form.s.as_str()),
    };
    match verify::verify(&state, &number, &asked).await? {
        Some(result) => page.result = Some(result),
        None => {
            page.error = certificates::not_found(&number).message;
            return Ok((StatusCode::NOT_FOUND, render(&page)).into_response());
        }
    }
    Ok(render(&page))
}

/// One certificate in the list page.
pub struct ListLine {
    pub number: String,
    pub kind: &'static str,
    pub holder: String,
    pub occupation: String,
    pub level: &'static str,
    pub issuer: String,
    pub issued_on: String,
    pub revoked: bool,
    pub revocation: String,
    pub may_revoke: bool,
}

#[derive(Template)]
#[template(path = "certificates.html")]
struct ListPage {
    chrome: Chrome,
    heading: &'static str,
    kind: String,
    items: Vec<ListLine>,
    next: String,
    may_print: bool,
    notice: String,
    error: String,
}

/// `GET /certificates?kind=…&cursor=…`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Query(query): Query<ListQuery>,
) -> Result<Response, PageError> {
    list_page(
        &state,
        &caller,
        &query,
        String::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

async fn list_page(
    state: &AppState,
    caller: &Caller,
    query: &ListQuery,
    notice: String,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let filter = list_filter(query, 50)?;
    let rows = certificates::list(state, caller, &filter).await?;
    let next = if rows.len() == filter.limit as usize {
        rows.last()
            .map(|row| row.id.to_string())
            .unwrap_or_default()
    } else {
        String::new()
    };
    // A trainee sees their own certificates with their name in full.
    let own_person = caller.user().and_then(|user| user.person_id);
    let items = rows
        .iter()
        .map(|row| ListLine {
            number: row.number.clone(),
            kind: row.kind().label(),
            holder: if own_person == Some(row.person_id) {
                row.holder_name.clone()
            } else {
                certificates::signing::masked_holder(row)
            },
            occupation: row.occupation_name.clone(),
            level: row.level.label(),
            issuer: row.issuer_name.clone(),
            issued_on: row.issued_on.to_string(),
            revoked: row.revocation.is_some(),
            revocation: row
                .revocation
                .as_ref()
                .map(|r| format!("{}：{}", r.on, r.reason))
                .unwrap_or_default(),
            may_revoke: row.revocation.is_none() && certificates::may_revoke(caller, row),
        })
        .collect();
    let page = ListPage {
        chrome: Chrome::new("workbench", caller),
        heading: if own_person.is_some() {
            "我的证书"
        } else {
            "证书"
        },
        kind: query.kind.clone().unwrap_or_default(),
        items,
        next,
        may_print: dte_app::access::admits(caller, dte_domain::access::Action::PrintCertificate),
        notice,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// A revocation from the list page.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct RevocationForm {
    reason: String,
}

/// `POST /certificates/{number}/revocation`.
pub async fn revoke(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(number): Path<String>,
    Form(form): Form<RevocationForm>,
) -> Result<Response, PageError> {
    let outcome = async {
        certificates::revoke(&state, &caller, &number, &form.reason, state.clock.today())
            .await
            .map_err(AppError::from)
    }
    .await;
    let query = ListQuery::default();
    match outcome {
        Ok(row) => {
            let notice = format!("已撤销证书 {}，查验时立即显示为已撤销。", row.number);
            list_page(
                &state,
                &caller,
                &query,
                notice,
                String::new(),
                StatusCode::OK,
            )
            .await
        }
        Err(error) if error.status.is_server_error() => Err(PageError(error)),
        Err(error) => {
            let status = error.status;
            list_page(
                &state,
                &caller,
                &query,
                String::new(),
                error.message,
                status,
            )
            .await
        }
    }
}

#[derive(Template)]
#[template(path = "completion.html")]
struct CompletionPage {
    chrome: Chrome,
    class_id: i64,
    title: String,
    minimum: u32,
    /// The policy's online share (the plan's 四（一）), as "50%".
    online_share: String,
    pattern: String,
    lines: Vec<CompletionLine>,
    eligible: usize,
    issued: usize,
    notice: String,
    error: String,
}

/// A notice after a form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct Notice {
    done: String,
}

/// `GET /classes/{id}/completion`: the institution's completion page.
pub async fn completion_page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
    Query(notice): Query<Notice>,
) -> Result<Response, PageError> {
    let notice = match notice.done.as_str() {
        "results" => "已保存结业考核结果。".to_owned(),
        "pattern" => "已保存证书编号规则。".to_owned(),
        text if text.starts_with("issued-") => {
            format!("已颁发 {} 份培训合格证书。", &text["issued-".len()..])
        }
        _ => String::new(),
    };
    show_completion(&state, &caller, id, notice, String::new(), StatusCode::OK).await
}

async fn show_completion(
    state: &AppState,
    caller: &Caller,
    id: i64,
    notice: String,
    error: String,
    status: StatusCode,
) -> Result<Response, PageError> {
    let class = issue::own_class(
        state,
        caller,
        id,
        dte_domain::access::Action::RecordCompletion,
    )
    .await?;
    let trainees = completion::class_completion(state, &class).await?;
    // The policy the ledger counts with: the one in force on the class's last day.
    let policy = dte_app::policy_on(state, class.end_date).await?;
    let pattern = issue::pattern_of(state, &class).await?.unwrap_or_default();
    let lines: Vec<CompletionLine> = trainees.iter().map(CompletionLine::from).collect();
    let page = CompletionPage {
        chrome: Chrome::new("workbench", caller),
        class_id: class.id,
        title: format!("{} · 结业考核与证书", class.title),
        minimum: policy.minimum_attendance_percent.get(),
        online_share: policy.online_share_max_percent.to_string(),
        pattern,
        eligible: lines.iter().filter(|line| line.eligible).count(),
        issued: lines
            .iter()
            .filter(|line| line.certificate.is_some())
            .count(),
        lines,
        notice,
        error,
    };
    Ok((status, render(&page)).into_response())
}

/// `POST /classes/{id}/completion`: the results form (`passed_<person>`, `score_<person>`,
/// `remark_<person>`); a trainee left 未录入 is not changed.
pub async fn record(
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
            .unwrap_or_default()
    };
    let mut results = Vec::new();
    let mut problem = None;
    for (key, passed) in &fields {
        let Some(person) = key.strip_prefix("passed_") else {
            continue;
        };
        let Ok(person_id) = person.parse::<i64>() else {
            continue;
        };
        let passed = match passed.as_str() {
            "yes" => true,
            "no" => false,
            _ => continue,
        };
        let score_text = value(format!("score_{person_id}"));
        let score = if score_text.is_empty() {
            None
        } else {
            match score_text.parse::<u32>() {
                Ok(score) => Some(score),
                Err(_) => {
                    problem = Some(AppError::invalid("score", "成绩应为 0–100 的整数"));
                    break;
                }
            }
        };
        let remark = Some(value(format!("remark_{person_id}")));
        results.push(issue::ResultInput {
            person_id,
            passed,
            score,
            remark,
        });
    }
    let outcome = match problem {
        Some(error) => Err(error),
        None => issue::record_results(&state, &caller, id, &results)
            .await
            .map_err(crate::error::AppError::from),
    };
    after_form(&state, &caller, id, outcome.map(|()| "results".to_owned())).await
}

/// `POST /classes/{id}/certificates`: issue to everyone who may be certified.
pub async fn issue_certificates(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let outcome = issue::issue_for_class(&state, &caller, id, state.clock.today())
        .await
        .map_err(crate::error::AppError::from);
    after_form(
        &state,
        &caller,
        id,
        outcome.map(|rows| format!("issued-{}", rows.len())),
    )
    .await
}

/// The pattern form.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PatternForm {
    pattern: String,
    class_id: String,
}

/// `POST /institution/certificate-pattern`, from a class's completion page.
pub async fn set_pattern(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<PatternForm>,
) -> Result<Response, PageError> {
    let outcome = issue::set_pattern(&state, &caller, &form.pattern)
        .await
        .map_err(crate::error::AppError::from);
    match form.class_id.trim().parse::<i64>() {
        Ok(id) => after_form(&state, &caller, id, outcome.map(|_| "pattern".to_owned())).await,
        Err(_) => match outcome {
            Ok(_) => Ok(Redirect::to("/certificates").into_response()),
            Err(error) => Err(PageError(error)),
        },
    }
}

async fn after_form(
    state: &AppState,
    caller: &Caller,
    id: i64,
    outcome: Result<String, AppError>,
) -> Result<Response, PageError> {
    match outcome {
        Ok(done) => {
            Ok(Redirect::to(&format!("/classes/{id}/completion?done={done}")).into_response())
        }
        Err(error) if error.status.is_server_error() || error.status == StatusCode::FORBIDDEN => {
            Err(PageError(error))
        }
        Err(error) => {
            let status = error.status;
            show_completion(state, caller, id, String::new(), error.message, status).await
        }
    }
}

#[derive(Template)]
#[template(path = "partials/print_job.html")]
struct PrintJobPartial {
    id: String,
    done: usize,
    total: usize,
    finished: bool,
    failed: bool,
}

/// `POST /classes/{id}/print` (htmx): starts the class's batch print, answers the progress.
pub async fn print(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let job = dte_app::certificates::print::start_print(&state, &caller, id).await?;
    progress_of(&state, &caller, &job)
}

/// `GET /print-jobs/{id}` (htmx, every second): the progress, or the download when done.
pub async fn progress(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    progress_of(&state, &caller, &id)
}

fn progress_of(state: &AppState, caller: &Caller, id: &str) -> Result<Response, PageError> {
    let job = print_job(state, caller, id)?;
    Ok(render(&PrintJobPartial {
        id: job.id,
        done: job.done,
        total: job.total,
        finished: job.state == "finished",
        failed: job.state == "failed",
    }))
}
