//! The demo's accounts: one per staff role, created as `dte user create` creates them
//! (`Store::create_account`), and the trainee's, which is opened at enrolment and activated
//! here with its one-time code as the trainee would on /activate.

use anyhow::Context;
use chrono::{DateTime, Utc};
use dte_crypto::Keyring;
use dte_domain::Role;
use dte_store::{AccountRequest, Actor, Store};

/// An account to print: role, username, password.
#[derive(Debug, Clone)]
pub struct Printed {
    pub role: Role,
    pub username: String,
    pub password: String,
}

/// A trainee account's username and the one-time activation code handed to the trainee.
#[derive(Debug, Clone)]
pub struct TraineeKey {
    pub username: String,
    pub code: String,
}

/// A staff account: username, display name, role, region, institution.
type StaffAccount = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
);

/// The username whose presence marks a database that already holds the demo.
pub const MARKER: &str = "demo-province";

/// The username of the trainee account the demo activates.
pub const TRAINEE: &str = "demo-trainee";

/// The staff accounts, one per role (and two cities, whose review queues both hold classes).
const STAFF: &[StaffAccount] = &[
    (
        MARKER,
        "省人社厅人才开发处",
        Role::ProvinceAdmin,
        None,
        None,
    ),
    (
        "demo-dalian",
        "大连市人社局",
        Role::CityAdmin,
        Some("大连"),
        None,
    ),
    (
        "demo-shenyang",
        "沈阳市人社局",
        Role::CityAdmin,
        Some("沈阳"),
        None,
    ),
    (
        "demo-dalian-review",
        "大连市人社局（复核）",
        Role::CityAdmin,
        Some("大连"),
        None,
    ),
    (
        "demo-shenyang-review",
        "沈阳市人社局（复核）",
        Role::CityAdmin,
        Some("沈阳"),
        None,
    ),
    (
        "demo-dlut",
        "大连理工大学",
        Role::TrainingInstitution,
        None,
        Some("大连理工大学"),
    ),
    (
        "demo-cie",
        "中国电子学会",
        Role::EvaluationInstitution,
        None,
        Some("中国电子学会"),
    ),
    (
        "demo-inspector",
        "省纪检监察组",
        Role::Inspector,
        None,
        None,
    ),
    ("demo-auditor", "审计管理员", Role::Auditor, None, None),
];

/// Creates the staff accounts at `at` with generated passwords, each audited as
/// `user.create`.
pub async fn create_staff(store: &Store, at: DateTime<Utc>) -> anyhow::Result<Vec<Printed>> {
    let mut printed = Vec::new();
    for (username, display_name, role, region, institution) in STAFF {
        let password = dte_crypto::generate_password(username);
        let password_hash =
            dte_crypto::hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
        let request = AccountRequest {
            username: (*username).to_owned(),
            display_name: (*display_name).to_owned(),
            role: *role,
            region: region.map(str::to_owned),
            institution: institution.map(str::to_owned),
            password_hash,
        };
        if let Err(refusal) = store.create_account(&request, &Actor::system(at)).await? {
            anyhow::bail!("演示账号 {username} 无法创建：{refusal}");
        }
        printed.push(Printed {
            role: *role,
            username: (*username).to_owned(),
            password,
        });
    }
    Ok(printed)
}

/// Activates a pending trainee account with its one-time code and a generated password, as
/// /activate does: the code must be the one whose digest is stored, and not expired.
pub async fn activate_trainee(
    store: &Store,
    keyring: &Keyring,
    key: &TraineeKey,
    now: DateTime<Utc>,
) -> anyhow::Result<Printed> {
    let (user_id, digest, expires_at) = store
        .pending_activation(&key.username)
        .await?
        .with_context(|| format!("演示学员账号 {} 不在待激活状态", key.username))?;
    let typed = keyring.activation_code_digest(&key.code);
    let valid = expires_at > now
        && typed
            .is_some_and(|typed| dte_crypto::constant_time_eq(typed.as_bytes(), digest.as_bytes()));
    anyhow::ensure!(valid, "演示学员账号 {} 的激活码无效或已过期", key.username);
    let password = dte_crypto::generate_password(&key.username);
    let hash = dte_crypto::hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
    store
        .activate_account(user_id, &hash, &Actor::system(now))
        .await?;
    Ok(Printed {
        role: Role::Trainee,
        username: key.username.clone(),
        password,
    })
}
