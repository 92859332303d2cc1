//! `dte demo`: fills a fresh database with a realistic year of the project and prints what it
//! made: the plan's catalogs (occupations, institutions, regions and quotas, policy settings),
//! one account per role, and a year of classes in all 15 regions — closed and finished ones
//! earlier in the year, running ones, approved ones, a review queue, a rejected class and a
//! draft — with real-name rosters whose trainees each have a trainee account. Each step is
//! written at its simulated time, in date order, so the audit log reads as the year it
//! describes; personal data is encrypted with the same keyring `dte serve` uses.

mod accounts;
mod attendance;
mod certificates;
mod claims;
mod exams;
mod people;
mod places;
mod plans;
mod recordings;
mod rules;
mod year;

use crate::config::Config;
use accounts::Printed;
use anyhow::bail;
use chrono::{Datelike, TimeZone};
use dte_domain::{ClassStatus, Scope};
use dte_store::{ClassFilter, ClassRow, Store};
use std::collections::BTreeSet;

/// Loads the demo year into the configured database and prints a summary.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = crate::serve::open_store(config).await?;
    if store.user_by_username(accounts::MARKER).await?.is_some() {
        bail!("该数据库已有演示数据；请用一个新的 --data-dir 或空数据库运行 dte demo");
    }
    let keyring = crate::keys::load_keyring(&config.data_dir)?;
    let now = chrono::Utc::now();
    let today = dte_web::shanghai_today(now);
    // The staff accounts exist before the year's first step (about five weeks before it, on
    // the first class's table), so the audit log reads in date order.
    let opening = chrono_tz::Asia::Shanghai
        .from_local_datetime(
            &(today - chrono::Duration::days(300))
                .and_hms_opt(8, 0, 0)
                .unwrap_or_default(),
        )
        .single()
        .map_or(now, |local| local.with_timezone(&chrono::Utc));
    let mut printed = accounts::create_staff(&store, opening).await?;
    let outcome = year::live(&store, &keyring, today).await?;
    let Some(activated) = &outcome.activated else {
        bail!("演示数据有误：没有可激活的学员账号");
    };
    printed.push(accounts::activate_trainee(&store, &keyring, activated, now).await?);
    let classes = all_classes(&store).await?;
    let attendance = attendance::attend(&store, &keyring, &classes, now).await?;
    let filmed = recordings::film(&store, &config.data_dir, &classes, today, now).await?;
    let certificate_key = crate::keys::load_certificate_key(&config.data_dir)?;
    let issued = certificates::issue(&store, &certificate_key, &classes, now).await?;
    let examined = exams::examine(&store, &certificate_key, &classes, today, now).await?;
    let classes = all_classes(&store).await?;
    let claimed = claims::claim(
        &store,
        (
            &config.data_dir,
            std::sync::Arc::new(keyring.clone()),
            crate::keys::load_certificate_key(&config.data_dir)?,
        ),
        &classes,
        today,
        now,
    )
    .await?;
    print_summary(
        &store,
        config,
        &outcome,
        &attendance,
        &filmed,
        (&issued, &examined, &claimed),
        &printed,
    )
    .await?;
    store.close().await;
    Ok(())
}

/// The summary of the subsidy claims.
fn print_claims(claimed: &claims::Claimed) {
    println!(
        "  补贴申领：{} 件，已拨付 {}（/claims；公示 /notices）",
        claimed.claims.len(),
        dte_domain::Fen::new(claimed.paid_fen)
    );
    for (id, title, state) in &claimed.claims {
        println!("    申领 {id} {title}：{state}");
    }
    if let Some(case) = claimed.clawback {
        println!("    追回案件 {case}：部分追回");
    }
}

/// The summary of completion, certificates and level evaluation.
fn print_certificates(issued: &certificates::Issued, examined: &exams::Examined) {
    println!(
        "  证书：为已结业班期颁发培训合格证书 {} 份（{} 名学员因出勤或结业考核未通过未发证，原因见各班期“结业考核与证书”页）",
        issued.certificates, issued.refused
    );
    if let Some(number) = &issued.revoked {
        println!("  已撤销证书：{number}（在 /verify 查验，显示撤销原因和日期）");
    }
    if let Some((number, class)) = &issued.beyond_attendance {
        println!(
            "  风险样例 出勤不足仍发证（hours_beyond_attendance）：{}（班期 {}，证书 {number}）",
            class.title, class.id
        );
    }
    println!(
        "  等级考核：{} 个考核计划，{} 名考生，颁发专业技术等级证书 {} 份（评价机构账号 demo-cie 可见其考核计划）",
        examined.plans, examined.candidates, examined.certificates
    );
}

/// The summary of online learning and recordings.
fn print_filmed(filmed: &recordings::Filmed) {
    println!(
        "  全程录像：{} 个课次已登记（{} 个文件在数据目录，{} 个外部存储引用）",
        filmed.files + filmed.references,
        filmed.files,
        filmed.references
    );
    if let Some((title, class, session)) = &filmed.missing {
        println!("    缺录像（风险提示示例）：{title}（班期 {class}）课次 {session}");
    }
    println!(
        "  线上学习：{} 人次、{} 条心跳与随机在线确认（学习页 /learn/课次编号）",
        filmed.learners, filmed.heartbeats
    );
}

/// Every class, newest first, read page by page as the province sees them.
async fn all_classes(store: &Store) -> anyhow::Result<Vec<ClassRow>> {
    let mut rows = Vec::new();
    let mut filter = ClassFilter::default();
    loop {
        let page = store
            .classes_in_scope(&Scope::Province, &filter, dte_store::CLASS_PAGE_MAX)
            .await?;
        let Some(last) = page.last() else { break };
        filter.before_id = Some(last.id);
        rows.extend(page);
    }
    Ok(rows)
}

fn print_attendance(attendance: &attendance::Attendance) {
    println!(
        "  考勤：{} 条计入的签到签退，{} 次被拒的尝试，{} 次考勤更正",
        attendance.check_ins, attendance.refused, attendance.corrections
    );
    for (pattern, class) in &attendance.patterns {
        println!(
            "    风险样例（{}）：班期 {} {}（{}）",
            pattern.label(),
            class.id,
            class.title,
            class.region
        );
    }
}

async fn print_summary(
    store: &Store,
    config: &Config,
    outcome: &year::Outcome,
    attendance: &attendance::Attendance,
    filmed: &recordings::Filmed,
    (issued, examined, claimed): (&certificates::Issued, &exams::Examined, &claims::Claimed),
    printed: &[Printed],
) -> anyhow::Result<()> {
    let year = store.catalog_year(chrono::Utc::now().year()).await?;
    let occupations = store.occupations(year).await?;
    let institutions = store.institutions(None, None).await?;
    let regions = store.regions(year).await?;
    let classes = all_classes(store).await?;
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
    let covered: BTreeSet<&str> = classes.iter().map(|class| class.region.as_str()).collect();
    println!(
        "  班期：{} 个，覆盖 {} 个地区",
        classes.len(),
        covered.len()
    );
    let per_region: Vec<String> = regions
        .iter()
        .map(|region| {
            let count = classes
                .iter()
                .filter(|class| class.region == region.name)
                .count();
            format!("{} {count}", region.name)
        })
        .collect();
    println!("    按地区：{}", per_region.join("、"));
    let per_status: Vec<String> = ClassStatus::ALL
        .iter()
        .map(|status| {
            let count = classes
                .iter()
                .filter(|class| class.status == *status)
                .count();
            format!("{} {count}", status.label())
        })
        .collect();
    println!("    按状态：{}", per_status.join("、"));
    println!(
        "  学员：{} 人实名报名（补贴学员 {} 人），每人开通一个学员账号（1 个已激活，其余待激活）",
        outcome.trainees, outcome.subsidised
    );
    print_attendance(attendance);
    let years: BTreeSet<i32> = classes.iter().map(|class| class.year).collect();
    for class_year in years {
        let usage = store.quota_usage(class_year).await?;
        let seats: Vec<String> = usage
            .iter()
            .map(|region| {
                format!(
                    "{} {}/{}",
                    region.region, region.approved_seats, region.quota
                )
            })
            .collect();
        let pending: u32 = usage.iter().map(|region| region.pending_seats).sum();
        let approved: u32 = usage.iter().map(|region| region.approved_seats).sum();
        if approved + pending == 0 {
            continue;
        }
        println!(
            "  补贴名额（{class_year} 年，已批准/年度名额）：{}；待审核 {pending} 个",
            seats.join("、")
        );
    }
    print_filmed(filmed);
    print_certificates(issued, examined);
    print_claims(claimed);
    println!("账号（角色、用户名、密码；只显示这一次）：");
    for account in printed {
        println!(
            "  {:<24} {:<16} {}",
            account.role.label(),
            account.username,
            account.password
        );
    }
    if let Some(pending) = &outcome.pending {
        println!(
            "待激活的学员账号（在 /activate 用激活码设置密码，30 天内有效）：用户名 {} 激活码 {}",
            pending.username, pending.code
        );
    }
    println!("启动：dte serve --data-dir {}", config.data_dir.display());
    Ok(())
}
