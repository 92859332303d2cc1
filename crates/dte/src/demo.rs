//! `dte demo`: fills a fresh database with a realistic year of the project and prints what it
//! made. Each capability adds its own records here as it is built; today that is the plan's
//! catalogs (occupations, institutions, regions and quotas, policy settings).

use crate::config::Config;
use chrono::Datelike;

/// Loads the demo year into the configured database and prints a summary.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let store = crate::serve::open_store(config).await?;
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
    println!("启动：dte serve --data-dir {}", config.data_dir.display());
    store.close().await;
    Ok(())
}
