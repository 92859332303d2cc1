//! The catalogs (两目录) and the reference data as pages and the API read them: occupations
//! with hours and rates, institutions with their listings, regions with their quotas, the
//! settings and subsidised categories in force, and the history of quota changes.

use crate::{Context, Principal, ServiceError};
use chrono::{Datelike, NaiveDate};
use dte_domain::OccupationCode;
use dte_domain::reference::InstitutionKind;
use dte_store::{InstitutionRow, OccupationRow, RegionRow, SettingRow, SubsidyCategoryRow};

/// The catalog year in force for `year` (the latest loaded year not after it).
pub async fn catalog_year(context: &Context, year: i32) -> Result<i32, ServiceError> {
    Ok(context.store.catalog_year(year).await?)
}

/// The catalog year in force today in Liaoning.
pub async fn current_year(context: &Context) -> Result<i32, ServiceError> {
    catalog_year(context, context.clock.today().year()).await
}

/// The occupations of a catalog year with their levels' hours and rates (附件5).
pub async fn occupations(context: &Context, year: i32) -> Result<Vec<OccupationRow>, ServiceError> {
    Ok(context.store.occupations(year).await?)
}

/// The regions with their quotas of a catalog year (附件7).
pub async fn regions(context: &Context, year: i32) -> Result<Vec<RegionRow>, ServiceError> {
    Ok(context.store.regions(year).await?)
}

/// The listed institutions, optionally of one kind and for one occupation (附件1, 附件6).
pub async fn institutions(
    context: &Context,
    kind: Option<InstitutionKind>,
    occupation: Option<&OccupationCode>,
) -> Result<Vec<InstitutionRow>, ServiceError> {
    Ok(context.store.institutions(kind, occupation).await?)
}

/// Every setting in force on `date`, as stored.
pub async fn settings(context: &Context, date: NaiveDate) -> Result<Vec<SettingRow>, ServiceError> {
    Ok(context.store.settings(date).await?)
}

/// The subsidised categories in force on `date`, enabled or not.
pub async fn subsidy_categories(
    context: &Context,
    date: NaiveDate,
) -> Result<Vec<SubsidyCategoryRow>, ServiceError> {
    Ok(context.store.subsidy_categories(date).await?)
}

/// The quota changes of a year (`access::authorize`: those who read the quotas).
pub async fn quota_changes(
    context: &Context,
    principal: &Principal,
    year: i32,
) -> Result<Vec<dte_store::QuotaChange>, ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::ReadQuotas,
        &dte_domain::access::Facts::default(),
    )?;
    Ok(context.store.quota_changes(year).await?)
}

/// Where an institution stands for an occupation in the catalog (附件1 / 附件6) on `day`: listed
/// for it, and active there — its listing not suspended and no suspension or removal of it in
/// force (`supervision::suspended_by_sanction`). An institution with no listing counts as
/// active but unlisted, so the rules name the missing listing rather than a suspension.
pub async fn standing(
    store: &dte_store::Store,
    kind: InstitutionKind,
    occupation: &OccupationCode,
    institution_id: i64,
    day: chrono::NaiveDate,
) -> Result<dte_domain::InstitutionStanding, dte_store::StoreError> {
    let sanctions = store.catalog_sanctions(institution_id).await?;
    let suspended = dte_domain::supervision::suspended_by_sanction(&sanctions, institution_id, day);
    let listing = store
        .institutions(Some(kind), Some(occupation))
        .await?
        .into_iter()
        .find(|institution| institution.id == institution_id)
        .and_then(|institution| {
            institution
                .listings
                .into_iter()
                .find(|listing| listing.occupation_code == *occupation)
        });
    Ok(dte_domain::InstitutionStanding {
        active: !suspended
            && listing
                .as_ref()
                .is_none_or(|listing| listing.status == "active"),
        listed_for_occupation: listing.is_some(),
    })
}
