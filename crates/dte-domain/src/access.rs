//! Who may do what: the roles of SPEC.md and the data scope each is bound to.

mod authorize;

pub use authorize::{Action, Denied, Facts, Grant, Principal, authorize, authorize_any, grant};

use std::fmt;

/// A role (SPEC "Who uses it"). Each signed-in account has exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// 省人社厅: everything, read and configure.
    ProvinceAdmin,
    /// 市人社局 (14 cities and 沈抚示范区): its own region only.
    CityAdmin,
    /// 培训机构: its own classes, trainees and claims only.
    TrainingInstitution,
    /// 评价机构: exam plans and candidates of its listed occupations.
    EvaluationInstitution,
    /// 学员: their own enrolments, check-ins, certificates and hours.
    Trainee,
    /// 纪检: reads everything, changes nothing.
    Inspector,
    /// 审计管理员: the audit log alone (MLPS 三权分立).
    Auditor,
}

/// The text is not a role name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "“{0}”不是有效的角色，应为 province-admin、city-admin、training-institution、evaluation-institution、trainee、inspector 或 auditor"
)]
pub struct UnknownRole(pub String);

impl Role {
    /// Every role, in the order of SPEC's table.
    pub const ALL: [Role; 7] = [
        Role::ProvinceAdmin,
        Role::CityAdmin,
        Role::TrainingInstitution,
        Role::EvaluationInstitution,
        Role::Trainee,
        Role::Inspector,
        Role::Auditor,
    ];

    /// The CLI and database name, e.g. `city-admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "province-admin",
            Role::CityAdmin => "city-admin",
            Role::TrainingInstitution => "training-institution",
            Role::EvaluationInstitution => "evaluation-institution",
            Role::Trainee => "trainee",
            Role::Inspector => "inspector",
            Role::Auditor => "auditor",
        }
    }

    /// Parses the CLI and database name.
    pub fn parse(text: &str) -> Result<Role, UnknownRole> {
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == text.trim())
            .ok_or_else(|| UnknownRole(text.to_owned()))
    }

    /// The Chinese name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "省人社厅管理员",
            Role::CityAdmin => "市人社局管理员",
            Role::TrainingInstitution => "培训机构",
            Role::EvaluationInstitution => "评价机构",
            Role::Trainee => "学员",
            Role::Inspector => "纪检监督",
            Role::Auditor => "审计管理员",
        }
    }

    /// What the role must be bound to when an account is created.
    pub fn binding(self) -> Binding {
        match self {
            Role::CityAdmin => Binding::Region,
            Role::TrainingInstitution | Role::EvaluationInstitution => Binding::Institution,
            Role::Trainee => Binding::Person,
            Role::ProvinceAdmin | Role::Inspector | Role::Auditor => Binding::None,
        }
    }

    /// Whether the role may change project data. The inspector reads everything and changes
    /// nothing; the auditor only reads the audit log (SPEC roles; MLPS 三权分立).
    pub fn may_write(self) -> bool {
        !matches!(self, Role::Inspector | Role::Auditor)
    }

    /// Whether the role may read the audit log: the auditor alone (MLPS 8.1.4.3 c, 三权分立).
    pub fn may_read_audit_log(self) -> bool {
        self == Role::Auditor
    }
}

impl fmt::Display for Role {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.label())
    }
}

/// What an account of a role is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Binding {
    None,
    Region,
    Institution,
    Person,
}

/// The rows an account may see, enforced where data is read (queries filter by it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every row of the province (province admin, inspector).
    Province,
    /// The rows of one region (city admin).
    Region(String),
    /// The rows of one institution (training or evaluation institution staff).
    Institution(i64),
    /// The rows of one person (trainee).
    Person(i64),
    /// No project rows at all (auditor: the audit log only).
    Nothing,
}

/// Why an account's binding does not fit its role.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BindingError {
    #[error("市人社局管理员账号必须指定所属地区（--region）")]
    RegionRequired,
    #[error("机构账号必须指定所属机构（--institution）")]
    InstitutionRequired,
    #[error("学员账号须在实名招收时由培训机构开通，不能直接创建")]
    PersonRequired,
    #[error("{0}账号不应指定地区或机构")]
    Unexpected(&'static str),
}

/// Decides the scope of an account from its role and binding; the one place the rule lives.
pub fn scope_of(
    role: Role,
    region: Option<&str>,
    institution: Option<i64>,
    person: Option<i64>,
) -> Result<Scope, BindingError> {
    match (role.binding(), region, institution, person) {
        (Binding::None, None, None, None) if role == Role::Auditor => Ok(Scope::Nothing),
        (Binding::None, None, None, None) => Ok(Scope::Province),
        (Binding::Region, Some(region), None, None) => Ok(Scope::Region(region.to_owned())),
        (Binding::Region, _, _, _) => Err(BindingError::RegionRequired),
        (Binding::Institution, None, Some(id), None) => Ok(Scope::Institution(id)),
        (Binding::Institution, _, _, _) => Err(BindingError::InstitutionRequired),
        (Binding::Person, None, None, Some(id)) => Ok(Scope::Person(id)),
        (Binding::Person, _, _, _) => Err(BindingError::PersonRequired),
        (Binding::None, _, _, _) => Err(BindingError::Unexpected(role.label())),
    }
}

/// A username is not acceptable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("用户名应为 3–64 位英文字母、数字或 . _ -")]
pub struct InvalidUsername;

/// Parses a username: 3–64 ASCII letters, digits, `.`, `_` or `-` (no personal data such as
/// phone numbers belongs in it, since usernames appear in the audit log in full).
pub fn parse_username(text: &str) -> Result<String, InvalidUsername> {
    let username = text.trim();
    let allowed = |character: char| character.is_ascii_alphanumeric() || ".-_".contains(character);
    if (3..=64).contains(&username.len()) && username.chars().all(allowed) {
        Ok(username.to_owned())
    } else {
        Err(InvalidUsername)
    }
}

/// How many failed sign-ins lock what, for how long (ASVS 5.0 V6.3.1; GB/T 22239-2019
/// 8.1.4.1 b: 登录失败处理, 限制非法登录次数).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LockoutPolicy {
    /// Failures of one account within the window that lock the account.
    pub account_failures: u32,
    /// Failures from one client address within the window that block the address.
    pub address_failures: u32,
    /// The counting window and the lock's length, in seconds.
    pub window_seconds: i64,
}

impl LockoutPolicy {
    /// Five wrong passwords for an account, or twenty from one address, within 15 minutes
    /// lock it for 15 minutes.
    pub const DEFAULT: LockoutPolicy = LockoutPolicy {
        account_failures: 5,
        address_failures: 20,
        window_seconds: 15 * 60,
    };
}

/// Session lifetimes (ASVS 5.0 V7.3.1 idle and V7.3.2 absolute timeouts; GB/T 22239-2019
/// 8.1.4.1 b: 登录连接超时自动退出).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SessionPolicy {
    pub idle_seconds: i64,
    pub absolute_seconds: i64,
}

impl SessionPolicy {
    /// 30 minutes idle, 12 hours at most.
    pub const DEFAULT: SessionPolicy = SessionPolicy {
        idle_seconds: 30 * 60,
        absolute_seconds: 12 * 3600,
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_short_ascii_names() {
        assert_eq!(
            parse_username(" demo-dalian "),
            Ok("demo-dalian".to_owned())
        );
        for bad in ["ab", "张三", "a b c", &"x".repeat(65)] {
            assert_eq!(parse_username(bad), Err(InvalidUsername), "{bad}");
        }
    }

    #[test]
    fn roles_parse_from_their_cli_names() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(
            Role::parse("admin")
                .unwrap_err()
                .to_string()
                .contains("province-admin")
        );
    }

    /// SPEC roles: a city admin is bound to one region, institution staff to one institution.
    #[test]
    fn each_role_gets_the_scope_of_its_binding() {
        assert_eq!(
            scope_of(Role::ProvinceAdmin, None, None, None),
            Ok(Scope::Province)
        );
        assert_eq!(
            scope_of(Role::Inspector, None, None, None),
            Ok(Scope::Province)
        );
        assert_eq!(
            scope_of(Role::Auditor, None, None, None),
            Ok(Scope::Nothing)
        );
        assert_eq!(
            scope_of(Role::CityAdmin, Some("大连"), None, None),
            Ok(Scope::Region("大连".into()))
        );
        assert_eq!(
            scope_of(Role::TrainingInstitution, None, Some(3), None),
            Ok(Scope::Institution(3))
        );
        assert_eq!(
            scope_of(Role::Trainee, None, None, Some(9)),
            Ok(Scope::Person(9))
        );
    }

    #[test]
    fn a_binding_that_does_not_fit_the_role_is_refused() {
        assert_eq!(
            scope_of(Role::CityAdmin, None, None, None),
            Err(BindingError::RegionRequired)
        );
        assert_eq!(
            scope_of(Role::EvaluationInstitution, Some("沈阳"), None, None),
            Err(BindingError::InstitutionRequired)
        );
        assert!(scope_of(Role::ProvinceAdmin, Some("沈阳"), None, None).is_err());
        assert_eq!(
            scope_of(Role::Trainee, None, None, None),
            Err(BindingError::PersonRequired)
        );
    }

    /// SPEC: the inspector changes nothing; MLPS 三权分立: only the auditor reads the audit log.
    #[test]
    fn the_inspector_and_auditor_never_write_and_only_the_auditor_reads_the_log() {
        for role in Role::ALL {
            assert_eq!(
                role.may_write(),
                !matches!(role, Role::Inspector | Role::Auditor),
                "{role:?}"
            );
            assert_eq!(role.may_read_audit_log(), role == Role::Auditor, "{role:?}");
        }
    }
}
