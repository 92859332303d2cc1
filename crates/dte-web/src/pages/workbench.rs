//! Each role's home page: what the account may do and the data it may see.

use super::{Chrome, render};
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::response::Response;
use dte_domain::{Role, Scope};

/// A link on the workbench.
pub struct Task {
    pub href: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    chrome: Chrome,
    role: &'static str,
    scope: String,
    tasks: Vec<Task>,
    read_only: bool,
}

/// `GET /workbench`.
pub async fn page(Extension(caller): Extension<Caller>) -> Response {
    let Some(user) = caller.user() else {
        return super::not_found(axum::http::Uri::from_static("/workbench")).await;
    };
    let scope = match user.scope() {
        Scope::Province => "全省".to_owned(),
        Scope::Region(region) => format!("{region}（本地区）"),
        Scope::Institution(_) => format!(
            "{}（本机构）",
            user.institution_name.clone().unwrap_or_default()
        ),
        Scope::Person(_) => "本人".to_owned(),
        Scope::Nothing => "仅审计日志".to_owned(),
    };
    let page = WorkbenchPage {
        chrome: Chrome::new("workbench", &caller),
        role: user.role.label(),
        scope,
        tasks: tasks(user.role),
        read_only: !user.role.may_write(),
    };
    render(&page)
}

/// The pages each role reaches from its home.
fn tasks(role: Role) -> Vec<Task> {
    let account = Task {
        href: "/account",
        title: "我的账号",
        description: "查看账号信息、修改密码",
    };
    let catalogs = Task {
        href: "/occupations",
        title: "职业目录",
        description: "学时要求与补贴标准",
    };
    let institutions = Task {
        href: "/institutions",
        title: "机构目录",
        description: "培训机构与评价机构名单",
    };
    let regions = Task {
        href: "/regions",
        title: "地区名额",
        description: "各地区年度培育名额",
    };
    let policy = Task {
        href: "/policy",
        title: "政策设置",
        description: "补贴人员类别、考勤与考核标准",
    };
    let users = Task {
        href: "/users",
        title: "账号管理",
        description: "创建和查看本范围内的账号",
    };
    match role {
        Role::ProvinceAdmin => vec![users, catalogs, institutions, regions, policy, account],
        Role::CityAdmin => vec![users, regions, institutions, catalogs, account],
        Role::TrainingInstitution | Role::EvaluationInstitution => {
            vec![catalogs, institutions, account]
        }
        Role::Inspector => vec![catalogs, institutions, regions, policy, account],
        Role::Auditor => {
            let audit = Task {
                href: "/audit",
                title: "审计日志",
                description: "查询全部操作记录，校验防篡改链",
            };
            vec![audit, account]
        }
        Role::Trainee => vec![account],
    }
}
