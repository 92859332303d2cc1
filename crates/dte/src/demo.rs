//! `dte demo`: fills a fresh database with a realistic year of the project and prints what it
//! made. Each capability adds its own records here as it is built; today that is the plan's
//! catalogs (occupations, institutions, regions and quotas, policy settings) and one account
//! per role (trainee accounts come with enrolment, where a person is verified).

use crate::config::Config;
use anyhow::bail;
use chrono::Datelike;
use dte_domain::Role;
use dte_store::NewUser;

/// A demo account: username, display name, role, region, institution.
type DemoAccount = (
    &'static str,
    &'static str,
    Role,
    Option<&'static str>,
    Option<&'static str>,
);

/// The demo's accounts.
const ACCOUNTS: &[DemoAccount] = &[
    (
        "demo-province",
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

/// Loads the demo year into the configured database and prints a summary.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = crate::serve::open_store(config).await?;
    if store.user_by_username(ACCOUNTS[0].0).await?.is_some() {
        bail!("该数据库已有演示数据；请用一个新的 --data-dir 或空数据库运行 dte demo");
    }
    let now = chrono::Utc::now();
    let mut printed = Vec::new();
    for (username, display_name, role, region, institution) in ACCOUNTS {
        let institution_id = match institution {
            Some(name) => store.institution_id_by_name(name).await?,
            None => None,
        };
        let password = dte_crypto::generate_password(username);
        let hash =
            dte_crypto::hash_password(&password).map_err(|error| anyhow::anyhow!("{error}"))?;
        let user = NewUser {
            username: (*username).to_owned(),
            display_name: (*display_name).to_owned(),
            role: *role,
            region: region.map(str::to_owned),
            institution_id,
            person_id: None,
            password_hash: Some(hash),
        };
        let id = store.create_user(&user, now).await?;
        let after = serde_json::json!({"username": username, "role": role.as_str(), "region": region, "institution_id": institution_id});
        crate::audit::record(&store, "user.create", "user", id.to_string(), after).await?;
        printed.push(format!(
            "  {:<24} {:<16} {password}",
            role.label(),
            username
        ));
    }
    let year = store.catalog_year(chrono::Utc::now().year()).await?;
    let occupations = store.occupations(year).await?;
    let institutions = store.institutions(None, None).await?;
    let regions = store.regions(year).await?;
    println!("演示数据已写入：{}", config.database_display());
    println!(
        "  职业目录：{} 个职业（{year} 年学时与补贴标准）",
        occupations.len()
    );
    println!("  机构目录：{} 家机构", institutions.len());
    println!(
        "  地区名额：{} 个地区，合计 {} 人",
        regions.len(),
        regions.iter().map(|region| region.quota).sum::<u32>()
    );
    println!("账号（角色、用户名、密码；只显示这一次）：");
    for line in printed {
        println!("{line}");
    }
    println!("  学员账号在实名招收时由培训机构开通（开班与招收功能上线后由演示数据生成）。");
    println!("启动：dte serve --data-dir {}", config.data_dir.display());
    store.close().await;
    Ok(())
}
