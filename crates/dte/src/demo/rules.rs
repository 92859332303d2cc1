//! The demo's classes as the rules see them: a row of `plans::CLASSES` made into the
//! domain's `ClassPlan` and the store's `NewClass` (dates, timetable, venue, fence), and the
//! reference data of a day that `class_rules` and `eligibility` need, read as the web layer
//! reads it (`dte_web::classes::workflow` and `enrol::eligibility_context`, which take the
//! day from the request's clock where the demo takes the day of its step).

use super::plans::{ClassSpec, Fate, start_date, timetable};
use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use dte_domain::class_rules::{ClassContext, ClassPlan, InstitutionStanding};
use dte_domain::eligibility::EligibilityContext;
use dte_domain::reference::{InstitutionKind, SettingKey};
use dte_domain::{ClassStatus, OccupationCode};
use dte_geo::{Fence, LatLon};
use dte_store::{NewClass, Store};
use dte_web::classes::plan::{FenceInput, Point};

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
    let sessions = timetable(start, hours, spec.blended);
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

/// The reference data the class rules need on `today`, read as the web layer reads it.
pub async fn class_context(
    store: &Store,
    class: &Planned,
    today: NaiveDate,
) -> anyhow::Result<ClassContext> {
    let plan = &class.plan;
    let year = store.catalog_year(plan.start_date.year()).await?;
    let required_hours = store
        .occupations(year)
        .await?
        .into_iter()
        .find(|occupation| occupation.code == plan.occupation)
        .and_then(|occupation| {
            occupation
                .levels
                .into_iter()
                .find(|level| level.level == plan.level)
        })
        .map(|level| level.hours)
        .context("职业目录缺少该职业或等级")?;
    let lead_days = store
        .settings(today)
        .await?
        .into_iter()
        .find(|setting| setting.key == SettingKey::ClassApplicationLeadDays)
        .map_or(15, |setting| u32::try_from(setting.value).unwrap_or(15));
    let listing = store
        .institutions(Some(InstitutionKind::Training), Some(&plan.occupation))
        .await?
        .into_iter()
        .find(|institution| institution.id == class.new_class.institution_id)
        .and_then(|institution| {
            institution
                .listings
                .into_iter()
                .find(|listing| listing.occupation_code == plan.occupation)
        });
    Ok(ClassContext {
        today,
        required_hours,
        lead_days,
        institution: InstitutionStanding {
            active: listing
                .as_ref()
                .is_none_or(|listing| listing.status == "active"),
            listed_for_occupation: listing.is_some(),
        },
    })
}

/// The policy of `today` the eligibility engine needs, read as the web layer reads it.
pub async fn eligibility_context(
    store: &Store,
    today: NaiveDate,
) -> anyhow::Result<EligibilityContext> {
    let enabled = store
        .subsidy_categories(today)
        .await?
        .into_iter()
        .filter(|category| category.enabled)
        .map(|category| category.code)
        .collect();
    let per_year = store
        .settings(today)
        .await?
        .into_iter()
        .find(|setting| setting.key == SettingKey::SubsidisedTrainingsPerYear)
        .map_or(1, |setting| u32::try_from(setting.value).unwrap_or(1));
    Ok(EligibilityContext {
        today,
        enabled_subsidy_categories: enabled,
        subsidised_trainings_per_year: per_year,
    })
}
