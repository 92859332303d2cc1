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
use dte_domain::access::scope_of;
use dte_store::{NewUser, StoreError};
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
        Ok(Role::Trainee) => return refuse("学员账号须在实名招收时开通".into()).await,
        Ok(role) => role,
        Err(error) => return refuse(error.to_string()).await,
    };
    let region = Some(form.region.trim().to_owned())
        .filter(|region| !region.is_empty() && role == Role::CityAdmin);
    if let Some(region) = &region
        && !state.store.region_exists(region).await?
    {
        return refuse(format!("地区“{region}”不存在")).await;
    }
    let institution_id = match form.institution.trim() {
        name if name.is_empty()
            || !matches!(
                role,
                Role::TrainingInstitution | Role::EvaluationInstitution
            ) =>
        {
            None
        }
        name => match state.store.institution_id_by_name(name).await? {
            Some(id) => Some(id),
            None => return refuse(format!("机构“{name}”不在目录中")).await,
        },
    };
    if let Err(error) = scope_of(role, region.as_deref(), institution_id, None) {
        return refuse(error.to_string()).await;
    }
    let password = dte_crypto::generate_password(&username);
    let hash = hash_off_runtime(&state, password.clone()).await?;
    let user = NewUser {
        username: username.clone(),
        display_name: form.display_name.trim().to_owned(),
        role,
        region,
        institution_id,
        person_id: None,
        password_hash: Some(hash),
    };
    match state.store.create_user(&user, state.clock.now()).await {
        Ok(id) => {
            let after = serde_json::json!({
                "username": user.username, "display_name": user.display_name, "role": role.as_str(),
                "region": user.region, "institution_id": user.institution_id,
            });
            let event = crate::audit::Event::success("user.create", "user", id.to_string())
                .with_after(after);
            crate::audit::record(&state, &caller, event).await?;
            users_page(
                &state,
                &caller,
                StatusCode::OK,
                String::new(),
                Some((username, password)),
            )
            .await
        }
        Err(StoreError::Constraint { constraint }) if constraint.contains("username") => {
            refuse(format!("用户名“{username}”已被使用")).await
        }
        Err(other) => Err(other.into()),
    }
}
