//! Account management within scope: the province sees and creates every kind of account; a
//! city sees the accounts of its region. Trainee accounts are opened at enrolment instead.

use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dte_domain::Role;
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
    let users = dte_app::accounts::users(state, caller)
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
    let may_create = dte_app::access::admits(caller, dte_domain::access::Action::CreateUser);
    let year = crate::api::catalog::current_year(state).await?;
    let regions = dte_app::catalog::regions(state, year)
        .await?
        .into_iter()
        .map(|region| region.name)
        .collect();
    let institutions = dte_app::catalog::institutions(state, None, None)
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
    let request = dte_app::accounts::NewAccount {
        username: form.username.clone(),
        display_name: form.display_name.clone(),
        role: form.role.clone(),
        region: form.region.clone(),
        institution: form.institution.clone(),
    };
    match dte_app::accounts::create_account(&state, &caller, &request).await {
        Ok(created) => {
            users_page(
                &state,
                &caller,
                StatusCode::OK,
                String::new(),
                Some(created),
            )
            .await
        }
        Err(error) if error.kind == dte_app::ErrorKind::Invalid => refuse(error.message).await,
        Err(error) => Err(PageError(error.into())),
    }
}
