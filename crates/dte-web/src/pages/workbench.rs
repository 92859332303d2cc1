//! Each role's home page: what the account may do and the data it may see. A trainee's home
//! lists their own classes (我的培训) directly, for a phone.

use super::classes::ClassCard;
use super::{Chrome, PageError, render};
use crate::AppState;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use dte_domain::access::Action;
use dte_domain::class::ClassStatus;
use dte_domain::{Role, Scope};
use dte_store::ClassFilter;

/// A link on the workbench.
pub struct Task {
    pub href: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// A count that needs attention, e.g. classes waiting for review.
    pub badge: Option<String>,
}

/// The most classes the workbench counts or lists.
const WORKBENCH_CLASSES: u32 = 200;

#[derive(Template)]
#[template(path = "workbench.html")]
struct WorkbenchPage {
    chrome: Chrome,
    role: &'static str,
    scope: String,
    tasks: Vec<Task>,
    read_only: bool,
    /// The trainee's own classes, shown on their home.
    classes: Option<Vec<ClassCard>>,
}

/// `GET /workbench`.
pub async fn page(
    State(state): State<AppState>,
    Extension(caller): Extension<Caller>,
) -> Result<Response, PageError> {
    let Some(user) = caller.user() else {
        return Ok(super::not_found(axum::http::Uri::from_static("/workbench")).await);
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
    let mut tasks = tasks(user.role);
    // A link is offered only where the router lets this role in.
    tasks.retain(|task| crate::router::may_open(task.href, Some(user.role)));
    // The classes awaiting a decision the caller may take, or a trainee's own classes.
    let reviews = dte_app::access::admits(&caller, Action::ApproveClass)
        || dte_app::access::admits(&caller, Action::CloseClass);
    let own_classes = dte_app::access::admits(&caller, Action::CheckIn);
    let classes = if reviews || own_classes {
        let status = reviews.then_some(ClassStatus::Submitted);
        let filter = ClassFilter {
            status,
            ..ClassFilter::default()
        };
        dte_app::classes::list(&state, &caller, &filter, WORKBENCH_CLASSES).await?
    } else {
        Vec::new()
    };
    if reviews && let Some(review) = tasks.first_mut() {
        review.badge = Some(format!("待审核 {}", classes.len()));
    }
    // Subsidy claims needing attention: an institution's clawbacks still to repay (it is
    // notified here), a city's claims waiting for review.
    if dte_app::access::admits(&caller, Action::ListClaims) && user.role != Role::Inspector {
        let badge = if dte_app::access::admits(&caller, Action::FileClaim) {
            let open = dte_app::claims::clawbacks(&state, &caller)
                .await?
                .iter()
                .filter(|case| !case.status.closed())
                .count();
            (open > 0).then(|| format!("待追回 {open}"))
        } else if dte_app::access::admits(&caller, Action::ReviewClaim) {
            let filter = dte_store::ClaimFilter {
                status: Some(dte_domain::subsidy::ClaimStatus::Submitted),
                region: None,
            };
            let waiting = dte_app::claims::list(&state, &caller, &filter).await?;
            let overdue = waiting.iter().filter(|(_, late)| *late).count();
            Some(if overdue > 0 {
                format!("待审核 {}（超期 {overdue}）", waiting.len())
            } else {
                format!("待审核 {}", waiting.len())
            })
        } else {
            None
        };
        if let Some(task) = tasks
            .iter_mut()
            .find(|task| task.href.starts_with("/claims"))
        {
            task.badge = badge;
        }
    }
    let page = WorkbenchPage {
        chrome: Chrome::new("workbench", &caller),
        role: user.role.label(),
        scope,
        tasks,
        read_only: !Action::ALL
            .iter()
            .any(|action| action.writes() && action.admits(user.role)),
        classes: own_classes.then(|| classes.iter().map(ClassCard::new).collect()),
    };
    Ok(render(&page))
}

/// A workbench link without a count.
const fn task(href: &'static str, title: &'static str, description: &'static str) -> Task {
    Task {
        href,
        title,
        description,
        badge: None,
    }
}

/// The pages each role reaches from its home.
fn tasks(role: Role) -> Vec<Task> {
    let account = task("/account", "我的账号", "查看账号信息、修改密码");
    let catalogs = task("/occupations", "职业目录", "学时要求与补贴标准");
    let institutions = task("/institutions", "机构目录", "培训机构与评价机构名单");
    let regions = task("/regions", "地区名额", "各地区年度培育名额");
    let policy = task("/policy", "政策设置", "补贴人员类别、考勤与考核标准");
    let users = task("/users", "账号管理", "创建和查看本范围内的账号");
    let quotas = |title| task("/quotas", title, "各地区名额、已批准与待审核人数、调整记录");
    let monitor = task(
        "/monitor",
        "远程监控",
        "今日签到实况、围栏外签到地图与骗补风险提示",
    );
    let exams = |description| task("/exam-plans", "等级考核", description);
    let certificates = |title, description| task("/certificates", title, description);
    let verify = task("/verify", "证书查验", "按编号或二维码查验证书真伪与状态");
    match role {
        Role::ProvinceAdmin => vec![
            task(
                "/classes?status=submitted",
                "班期审核",
                "审核各地区提交的班期",
            ),
            task("/classes", "全省班期", "各地区、各机构的班期与花名册"),
            monitor,
            quotas("名额管理"),
            task(
                "/calendar",
                "放假安排",
                "各年度放假调休安排，审核时限和公示期按工作日计算",
            ),
            exams("全省专业技术等级考核计划与成绩"),
            task("/claims", "培训补贴", "各地区补贴申领、公示、拨付与追回"),
            certificates("全省证书", "培训合格证书与专业技术等级证书，撤销"),
            users,
            catalogs,
            institutions,
            regions,
            policy,
            account,
        ],
        Role::CityAdmin => vec![
            task(
                "/classes?status=submitted",
                "班期审核",
                "批准或驳回本地区提交的班期",
            ),
            task("/classes", "本地区班期", "本地区全部班期与花名册"),
            monitor,
            quotas("名额"),
            exams("本地区班期的等级考核计划与成绩"),
            task(
                "/claims?status=submitted",
                "补贴审核与拨付",
                "审核与复核补贴申领（工作日时限）、公示异议、资金、拨付与追回",
            ),
            certificates("本地区证书", "本地区颁发的证书"),
            users,
            regions,
            institutions,
            catalogs,
            account,
        ],
        Role::TrainingInstitution => vec![
            task("/classes", "我的班期", "本机构的班期、实名报名与花名册"),
            task(
                "/classes/new",
                "开设班期",
                "填写班期计划、场地、电子围栏与课表",
            ),
            exams("为已结业班期申请专业技术等级考核"),
            task(
                "/claims",
                "补贴申领",
                "为结业班期申领培训补贴，查看每名学员的原因、审核、公示与拨付",
            ),
            certificates(
                "证书",
                "已颁发的培训合格证书、打印、撤销；结业班期在班期页进入“结业考核与证书”",
            ),
            catalogs,
            institutions,
            account,
        ],
        Role::EvaluationInstitution => vec![
            task("/classes", "班期", "本机构评价职业的已批准班期"),
            exams("确认考核计划，下载和导入成绩单"),
            certificates("证书", "本机构颁发的专业技术等级证书"),
            catalogs,
            institutions,
            account,
        ],
        Role::Inspector => vec![
            task("/classes", "班期", "全省班期与花名册（只读）"),
            monitor,
            quotas("名额"),
            exams("全省等级考核计划与成绩（只读）"),
            task("/claims", "培训补贴", "全省补贴申领、拨付与追回（只读）"),
            certificates("证书", "全省证书（只读）"),
            verify,
            catalogs,
            institutions,
            regions,
            policy,
            account,
        ],
        Role::Auditor => {
            let audit = task("/audit", "审计日志", "查询全部操作记录，校验防篡改链");
            vec![audit, account]
        }
        Role::Trainee => vec![
            task(
                "/check-in",
                "课堂签到",
                "到达培训场地后扫码或输入签到码，签到签退",
            ),
            task("/classes", "我的培训", "我报名的班期、课表与培训地点"),
            task("/hours", "继续教育学时", "每年的继续教育学时，可下载 Excel"),
            exams("我参加的等级考核与成绩"),
            certificates(
                "我的证书",
                "培训合格证书与专业技术等级证书：下载 PDF 与电子凭证",
            ),
            account,
        ],
    }
}
