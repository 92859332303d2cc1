//! Account management within scope: the province sees and creates every kind of account; a
//! city sees the accounts of its region. Trainee accounts are opened at enrolment instead.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::{Caller, hash_off_runtime};
use crate::error::AppError;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dte_domain::Role;
use dte_store::AccountRequest;
use serde::Deserialize;

pub struct UserLine {
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub binding: String,
    pub status: &'static str,
}

#[derive(Template)]
#[template(path = "users.html")]
struct UsersPage {
    chrome: Chrome,
    users: Vec<UserLine>,
    may_create: bool,
    roles: Vec<(&'static str, &'static str)>,
    regions: Vec<String>,
    institutions: Vec<String>,
    error: String,
    created: Option<(String, String)>,
}

/// The account-creation form.
#[derive(Debug, Deserialize)]
pub struct CreateForm {
    username: String,
    display_name: String,
    role: String,
    #[serde(default)]
    region: String,
    #[serde(default)]
    institution: String,
}

/// `GET /users`.
pub async fn list(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    users_page(&state, &caller, StatusCode::OK, String::new(), None).await
}

async fn users_page(
    state: &AppState,
    caller: &Caller,
    status: StatusCode,
    error: String,
    created: Option<(String, String)>,
) -> Result<Response, PageError> {
    let Some(user) = caller.user() else {
        return Err(PageError(AppError::not_found("not_found", "未登录")));
    };
    let users = state
        .store
        .users_in_scope(&user.scope())
        .await?
        .into_iter()
        .map(|account| UserLine {
            binding: account
                .region
                .clone()
                .or(account.institution_name.clone())
                .unwrap_or_else(|| "全省".into()),
            status: match account.status.as_str() {
                "active" => "正常",
                "pending_activation" => "待激活",
                _ => "已停用",
            },
            username: account.username,
            display_name: account.display_name,
            role: account.role.label(),
        })
        .collect();
    let may_create = user.role == Role::ProvinceAdmin;
    let year = crate::api::catalog::current_year(state).await?;
    let regions = state
        .store
        .regions(year)
        .await?
        .into_iter()
        .map(|region| region.name)
        .collect();
    let institutions = state
        .store
        .institutions(None, None)
        .await?
        .into_iter()
        .map(|row| row.name)
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|role| *role != Role::Trainee)
        .map(|role| (role.as_str(), role.label()))
        .collect();
    let page = UsersPage {
        chrome: Chrome::new("workbench", caller),
        users,
        may_create,
        roles,
        regions,
        institutions,
        error,
        created,
    };
    Ok((status, render(&page)).into_response())
}

/// `POST /users`: the province creates an account and is shown its initial password once.
pub async fn create(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
    Form(form): Form<CreateForm>,
) -> Result<Response, PageError> {
    let refuse = |message: String| {
        users_page(
            &state,
            &caller,
            StatusCode::UNPROCESSABLE_ENTITY,
            message,
            None,
        )
    };
    if caller.user().map(|user| user.role) != Some(Role::ProvinceAdmin) {
        return Err(PageError(AppError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: "只有省人社厅可以创建账号".into(),
            field: None,
            violations: Vec::new(),
        }));
    }
    let username = match dte_domain::access::parse_username(&form.username) {
        Ok(username) => username,
        Err(error) => return refuse(error.to_string()).await,
    };
    if form.display_name.trim().is_empty() {
        return refuse("请填写姓名或单位名称".into()).await;
    }
    let role = match Role::parse(&form.role) {
        Ok(role) => role,
        Err(error) => return refuse(error.to_string()).await,
    };
    let region = Some(form.region.trim().to_owned())
        .filter(|region| !region.is_empty() && role == Role::CityAdmin);
    let institution = Some(form.institution.trim().to_owned()).filter(|name| {
        !name.is_empty()
            && matches!(
                role,
                Role::TrainingInstitution | Role::EvaluationInstitution
            )
    });
    let password = dte_crypto::generate_password(&username);
    let hash = hash_off_runtime(&state, password.clone()).await?;
    let account = AccountRequest {
        username: username.clone(),
        display_name: form.display_name.trim().to_owned(),
        role,
        region,
        institution,
        password_hash: hash,
    };
    let actor = dte_app::classes::actor(&state, &caller);
    match state.store.create_account(&account, &actor).await? {
        Ok(_) => {
            users_page(
                &state,
                &caller,
                StatusCode::OK,
                String::new(),
                Some((username, password)),
            )
            .await
        }
        Err(refusal) => refuse(refusal.to_string()).await,
    }
}
