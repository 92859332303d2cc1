//! The demo's classes as the rules see them: a row of `plans::CLASSES` made into the
//! domain's `ClassPlan` and the store's `NewClass` (dates, timetable, venue, fence), and the
//! reference data of a day that `class_rules` and `eligibility` need, read by the web layer's
//! own readers (`workflow::class_context`, `enrol::eligibility_context_on`) with the day of
//! the demo's step where a request uses today.

use super::plans::{ClassSpec, Fate, start_date, timetable};
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use dte_app::classes::plan::{FenceInput, Point};
use dte_domain::class_rules::{ClassContext, ClassPlan};
use dte_domain::eligibility::EligibilityContext;
use dte_domain::{ClassStatus, OccupationCode};
use dte_geo::{Fence, LatLon};
use dte_store::{NewClass, Store};

/// A class of the table with everything its steps need.
pub struct Planned {
    pub spec: ClassSpec,
    pub plan: ClassPlan,
    pub new_class: NewClass,
    pub id: Option<i64>,
    pub status: ClassStatus,
}

/// The class of a table row: dates, timetable, venue and fence, as the rules and the store
/// take them.
pub async fn plan(store: &Store, spec: &ClassSpec, today: NaiveDate) -> anyhow::Result<Planned> {
    let venue = super::places::named(spec.venue)
        .with_context(|| format!("演示数据有误：没有场地“{}”", spec.venue))?;
    let occupation = OccupationCode::parse(spec.occupation)
        .map_err(|error| anyhow::anyhow!("演示数据有误：{error}"))?;
    let start = start_date(spec, today).context("演示数据有误：开班日期")?;
    let year = store.catalog_year(start.year()).await?;
    let catalog = store
        .occupations(year)
        .await?
        .into_iter()
        .find(|row| row.code == occupation)
        .with_context(|| format!("职业 {} 不在 {year} 年目录中", spec.occupation))?;
    let hours = catalog
        .levels
        .iter()
        .find(|level| level.level == spec.level)
        .map(|level| level.hours)
        .context("职业目录缺少该等级的学时")?;
    let online_share = store.policy_on(start).await?.online_share_max_percent;
    let sessions = timetable(start, hours, spec.blended, online_share);
    let end = sessions.last().map_or(start, |session| session.date);
    let finished_by_now = matches!(spec.fate, Fate::Closed | Fate::Finished);
    anyhow::ensure!(
        !finished_by_now || end < today,
        "演示数据有误：{} 的班期应已结束",
        catalog.name
    );
    anyhow::ensure!(
        spec.fate != Fate::Running || (start < today && end >= today),
        "演示数据有误：{} 的班期应正在进行",
        catalog.name
    );
    let center = LatLon::new(venue.lat, venue.lon)?;
    let fence = Fence::circle(center, spec.radius_m)?;
    let fence_json = serde_json::to_string(&FenceInput::Circle {
        center: Point {
            lat: venue.lat,
            lon: venue.lon,
        },
        radius_m: spec.radius_m,
    })?;
    let institution_id = store
        .institution_id_by_name(spec.institution)
        .await?
        .with_context(|| format!("机构“{}”不在目录中", spec.institution))?;
    let title = format!(
        "{}年{}（{}）培训班·{}",
        start.year(),
        catalog.name,
        spec.level.label(),
        spec.region
    );
    let plan = ClassPlan {
        occupation: occupation.clone(),
        direction: None,
        level: spec.level,
        funding: spec.funding,
        region: spec.region.to_owned(),
        venue_address: format!("{}（{}）", venue.address, venue.name),
        venue: center,
        fence,
        start_date: start,
        end_date: end,
        capacity: spec.capacity,
        sessions: sessions.clone(),
    };
    let new_class = NewClass {
        institution_id,
        region: plan.region.clone(),
        occupation,
        direction: None,
        level: spec.level,
        funding: spec.funding,
        title,
        venue_address: plan.venue_address.clone(),
        venue_lat: venue.lat,
        venue_lon: venue.lon,
        fence_json,
        start_date: start,
        end_date: end,
        capacity: spec.capacity,
        sessions,
    };
    Ok(Planned {
        spec: *spec,
        plan,
        new_class,
        id: None,
        status: ClassStatus::Draft,
    })
}

/// The reference data the class rules need on `today`, read by the web layer's own reader.
pub async fn class_context(
    store: &Store,
    class: &Planned,
    today: NaiveDate,
) -> anyhow::Result<ClassContext> {
    dte_app::classes::workflow::class_context(
        store,
        &class.plan,
        class.new_class.institution_id,
        today,
    )
    .await?
    .context("职业目录缺少该职业或等级")
}

/// The policy of `today` the eligibility engine needs, read by the web layer's own reader.
pub async fn eligibility_context(
    store: &Store,
    today: NaiveDate,
) -> anyhow::Result<EligibilityContext> {
    Ok(dte_app::classes::enrol::eligibility_context_on(store, today).await?)
}
