//! The catalogs: loading the plan's reference data (with the year's holiday calendar), and
//! reading occupations, institutions, regions, quotas and policy settings.

use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use dte_domain::Policy;
use dte_domain::reference::{InstitutionKind, ReferenceData, Setting, SettingKey};
use dte_domain::{Fen, Level, OccupationCode};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// What `load_reference` did with one year's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReferenceLoad {
    /// The year was new and has been written.
    Loaded,
    /// The year was loaded before; nothing was written, so later edits stay.
    AlreadyLoaded,
}

/// An occupation with its required hours and subsidy per level for one year.
#[derive(Debug, Clone)]
pub struct OccupationRow {
    pub code: OccupationCode,
    pub name: String,
    pub levels: Vec<LevelRow>,
}

/// One level of an occupation: required hours (学时要求) and the rate (补贴标准).
#[derive(Debug, Clone, Copy)]
pub struct LevelRow {
    pub level: Level,
    pub hours: u32,
    pub rate_per_hour: Fen,
}

/// A listed institution with its listings.
#[derive(Debug, Clone)]
pub struct InstitutionRow {
    pub id: i64,
    pub name: String,
    pub kind: InstitutionKind,
    pub contact_person: Option<String>,
    pub contact_phone: Option<String>,
    pub listings: Vec<InstitutionListingRow>,
}

/// An institution's listing for one occupation.
#[derive(Debug, Clone)]
pub struct InstitutionListingRow {
    pub occupation_code: OccupationCode,
    pub occupation_name: String,
    pub status: String,
}

/// A region with its quota for a year.
#[derive(Debug, Clone)]
pub struct RegionRow {
    pub name: String,
    pub full_name: String,
    pub division_code: Option<String>,
    pub quota: u32,
}

/// What the occupation catalog in force is made of (see [`Store::occupations_version`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogVersion {
    /// The catalog year in force.
    pub year: i32,
    /// The SHA-256 of that year's reference text.
    pub digest: String,
    /// How many reference years are loaded.
    pub loaded_years: i64,
}

/// A policy setting's value in force on a date.
#[derive(Debug, Clone)]
pub struct SettingRow {
    pub key: SettingKey,
    pub value: i64,
    pub effective_from: NaiveDate,
}

/// A subsidised category in force on a date.
#[derive(Debug, Clone)]
pub struct SubsidyCategoryRow {
    pub code: String,
    pub name: String,
    pub proof: String,
    pub enabled: bool,
    pub effective_from: NaiveDate,
}

impl Store {
    /// Loads one year's reference data unless that year is already loaded. Runs in one
    /// transaction: a failure leaves nothing half-written. Idempotent, so it runs at every start.
    pub async fn load_reference(
        &self,
        data: &ReferenceData,
        text: &str,
        now: DateTime<Utc>,
    ) -> Result<ReferenceLoad, StoreError> {
        let digest = hex::encode(Sha256::digest(text.as_bytes()));
        let year = i64::from(data.year);
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO reference_years (year, digest, source, loaded_at) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (year) DO NOTHING",
            )
            .bind(year)
            .bind(&digest)
            .bind(&data.source)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // The year's holiday calendar, day by day: a day entered before (by an earlier
            // start or by the province) keeps its entry, and a year loaded before DTE kept
            // calendars gets its days at the next start.
            for day in &data.calendar {
                sqlx::query(
                    "INSERT INTO calendar_days (date, year, working, name, added_by, added_at)
                     VALUES ($1, $2, $3, $4, NULL, $5)
                     ON CONFLICT (date) DO NOTHING",
                )
                .bind(day.date)
                .bind(year)
                .bind(day.working)
                .bind(day.name.trim())
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            if inserted == 0 {
                // The year was loaded before; a setting the file has but the database has never
                // had (one DTE learned since, such as `online_share_max_percent`) is added, so the
                // policy stays complete. Settings the database has keep their edited values.
                for setting in &data.settings {
                    sqlx::query(
                        "INSERT INTO settings (key, effective_from, value)
                         SELECT $1, $2, $3 WHERE NOT EXISTS (SELECT 1 FROM settings WHERE key = $1)",
                    )
                    .bind(setting.key.as_str())
                    .bind(setting.effective_from)
                    .bind(setting.value)
                    .execute(&mut *tx)
                    .await?;
                }
                tx.commit().await?;
                return Ok(ReferenceLoad::AlreadyLoaded);
            }
            for (position, occupation) in data.occupations.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO occupations (code, name, position) VALUES ($1, $2, $3)
                     ON CONFLICT (code) DO NOTHING",
                )
                .bind(occupation.code.as_str())
                .bind(&occupation.name)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
                for level in Level::ALL {
                    sqlx::query(
                        "INSERT INTO occupation_levels (year, occupation_code, level, hours, rate_fen_per_hour)
                         VALUES ($1, $2, $3, $4, $5)",
                    )
                    .bind(year)
                    .bind(occupation.code.as_str())
                    .bind(level.as_str())
                    .bind(i64::from(occupation.hours.get(level)))
                    .bind(data.rate(level).get())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            for institution in &data.institutions {
                sqlx::query(
                    "INSERT INTO institutions (name, kind, contact_person, contact_phone) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (kind, name) DO NOTHING",
                )
                .bind(&institution.name)
                .bind(institution.kind.as_str())
                .bind(&institution.contact_person)
                .bind(&institution.contact_phone)
                .execute(&mut *tx)
                .await?;
            }
            let lists = [
                (InstitutionKind::Training, &data.training_lists),
                (InstitutionKind::Evaluation, &data.evaluation_lists),
            ];
            for (kind, listings) in lists {
                for listing in listings {
                    for (position, name) in listing.institutions.iter().enumerate() {
                        let listing_id: Option<i64> = sqlx::query_scalar(
                            "INSERT INTO institution_listings (institution_id, occupation_code, position, status)
                             SELECT id, $3, $4, 'active' FROM institutions WHERE kind = $1 AND name = $2
                             ON CONFLICT (institution_id, occupation_code) DO NOTHING
                             RETURNING id",
                        )
                        .bind(kind.as_str())
                        .bind(name)
                        .bind(listing.occupation.as_str())
                        .bind(position as i64)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let Some(listing_id) = listing_id {
                            sqlx::query(
                                "INSERT INTO institution_listing_events (listing_id, status, reason, happened_at)
                                 VALUES ($1, 'active', $2, $3)",
                            )
                            .bind(listing_id)
                            .bind(format!("{} 名单", data.source))
                            .bind(now)
                            .execute(&mut *tx)
                            .await?;
                        }
                    }
                }
            }
            for (position, region) in data.regions.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO regions (name, full_name, division_code, position) VALUES ($1, $2, $3, $4)
                     ON CONFLICT (name) DO NOTHING",
                )
                .bind(&region.name)
                .bind(&region.full_name)
                .bind(&region.division_code)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
                sqlx::query("INSERT INTO region_quotas (year, region_name, quota) VALUES ($1, $2, $3)")
                    .bind(year)
                    .bind(&region.name)
                    .bind(i64::from(region.quota))
                    .execute(&mut *tx)
                    .await?;
            }
            for setting in &data.settings {
                sqlx::query(
                    "INSERT INTO settings (key, effective_from, value) VALUES ($1, $2, $3)
                     ON CONFLICT (key, effective_from) DO NOTHING",
                )
                .bind(setting.key.as_str())
                .bind(setting.effective_from)
                .bind(setting.value)
                .execute(&mut *tx)
                .await?;
            }
            for (position, category) in data.subsidy_categories.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO subsidy_categories (code, effective_from, name, proof, enabled, position)
                     VALUES ($1, $2, $3, $4, $5, $6)
                     ON CONFLICT (code, effective_from) DO NOTHING",
                )
                .bind(&category.code)
                .bind(category.effective_from)
                .bind(&category.name)
                .bind(&category.proof)
                .bind(category.enabled)
                .bind(position as i64)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok(ReferenceLoad::Loaded)
        })
    }

    /// Loads every reference year bundled with DTE (see `dte_domain::reference::BUNDLED`).
    pub async fn load_bundled_reference(
        &self,
        now: DateTime<Utc>,
    ) -> Result<Vec<(i32, ReferenceLoad)>, StoreError> {
        let mut outcomes = Vec::new();
        for (year, text) in dte_domain::reference::BUNDLED {
            let data = ReferenceData::parse(*year, text)?;
            outcomes.push((*year, self.load_reference(&data, text, now).await?));
        }
        Ok(outcomes)
    }

    /// The catalog year in force for `year`: the latest loaded year not after it, or the
    /// earliest loaded year when every loaded year is later.
    pub async fn catalog_year(&self, year: i32) -> Result<i32, StoreError> {
        let found: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT COALESCE(
                 (SELECT MAX(year) FROM reference_years WHERE year <= $1),
                 (SELECT MIN(year) FROM reference_years))",
        )
        .bind(i64::from(year))
        .fetch_one(pool)
        .await)?;
        let found = found.ok_or(StoreError::NotFound)?;
        i32::try_from(found).map_err(|_| StoreError::Corrupt(format!("year {found}")))
    }

    /// What the occupation catalog in force for `year` is made of, in one cheap query: the
    /// catalog year (as [`Store::catalog_year`] picks it), the digest of that year's reference
    /// text and how many years are loaded. Occupations and their levels are written only by
    /// [`Store::load_reference`], in the transaction that adds a `reference_years` row, so
    /// equal versions mean equal [`Store::occupations`] answers; an edit of occupations added
    /// later must change this version too.
    pub async fn occupations_version(&self, year: i32) -> Result<CatalogVersion, StoreError> {
        let found: Option<(i64, String, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT y.year, y.digest, (SELECT COUNT(*) FROM reference_years) AS loaded
             FROM reference_years y
             WHERE y.year = COALESCE(
                 (SELECT MAX(year) FROM reference_years WHERE year <= $1),
                 (SELECT MIN(year) FROM reference_years))",
        )
        .bind(i64::from(year))
        .fetch_optional(pool)
        .await)?;
        let (found, digest, loaded_years) = found.ok_or(StoreError::NotFound)?;
        Ok(CatalogVersion {
            year: i32::try_from(found).map_err(|_| StoreError::Corrupt(format!("year {found}")))?,
            digest,
            loaded_years,
        })
    }

    /// Every occupation with hours and rates for a catalog year, in the plan's order.
    pub async fn occupations(&self, year: i32) -> Result<Vec<OccupationRow>, StoreError> {
        let rows: Vec<OccupationLevelRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT o.code, o.name, l.level, l.hours, l.rate_fen_per_hour
             FROM occupations o JOIN occupation_levels l ON l.occupation_code = o.code
             WHERE l.year = $1
             ORDER BY o.position, o.code",
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await)?;
        let mut occupations: Vec<OccupationRow> = Vec::new();
        for row in rows {
            let level = Level::parse(&row.level).map_err(|error| StoreError::Corrupt(error.0))?;
            let hours = row.hours;
            let level_row = LevelRow {
                level,
                hours: u32::try_from(hours)
                    .map_err(|_| StoreError::Corrupt(format!("hours {hours}")))?,
                rate_per_hour: Fen::new(row.rate_fen_per_hour),
            };
            match occupations.last_mut() {
                Some(last) if last.code.as_str() == row.code => last.levels.push(level_row),
                _ => occupations.push(OccupationRow {
                    code: parse_code(&row.code)?,
                    name: row.name,
                    levels: vec![level_row],
                }),
            }
        }
        for occupation in &mut occupations {
            occupation.levels.sort_by_key(|level| level.level);
        }
        Ok(occupations)
    }

    /// Institutions with their listings, optionally only of one kind or for one occupation.
    /// Removed listings are left out; suspended ones are included with their status.
    pub async fn institutions(
        &self,
        kind: Option<InstitutionKind>,
        occupation: Option<&OccupationCode>,
    ) -> Result<Vec<InstitutionRow>, StoreError> {
        let rows: Vec<InstitutionListingRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT i.id, i.name, i.kind, i.contact_person, i.contact_phone,
                    l.occupation_code, o.name AS occupation_name, l.status
             FROM institutions i
             JOIN institution_listings l ON l.institution_id = i.id
             JOIN occupations o ON o.code = l.occupation_code
             WHERE l.status <> 'removed'
               AND ($1 IS NULL OR i.kind = $1)
               AND ($2 IS NULL OR i.id IN (SELECT institution_id FROM institution_listings
                                           WHERE occupation_code = $2 AND status <> 'removed'))
             ORDER BY i.kind DESC, i.id, o.position",
        )
        .bind(kind.map(InstitutionKind::as_str))
        .bind(occupation.map(OccupationCode::as_str))
        .fetch_all(pool)
        .await)?;
        let mut by_id: BTreeMap<i64, usize> = BTreeMap::new();
        let mut institutions: Vec<InstitutionRow> = Vec::new();
        for row in rows {
            let listing = InstitutionListingRow {
                occupation_code: parse_code(&row.occupation_code)?,
                occupation_name: row.occupation_name,
                status: row.status,
            };
            if let Some(index) = by_id.get(&row.id) {
                institutions[*index].listings.push(listing);
                continue;
            }
            by_id.insert(row.id, institutions.len());
            institutions.push(InstitutionRow {
                id: row.id,
                name: row.name,
                kind: InstitutionKind::parse(&row.kind).ok_or(StoreError::Corrupt(row.kind))?,
                contact_person: row.contact_person,
                contact_phone: row.contact_phone,
                listings: vec![listing],
            });
        }
        Ok(institutions)
    }

    /// Every region with its quota for a catalog year, in 附件7's order.
    pub async fn regions(&self, year: i32) -> Result<Vec<RegionRow>, StoreError> {
        let rows: Vec<RegionRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT r.name, r.full_name, r.division_code, COALESCE(q.quota, 0) AS quota
             FROM regions r LEFT JOIN region_quotas q ON q.region_name = r.name AND q.year = $1
             ORDER BY r.position",
        )
        .bind(i64::from(year))
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|row| {
                let quota = row.quota;
                Ok(RegionRow {
                    name: row.name,
                    full_name: row.full_name,
                    division_code: row.division_code,
                    quota: u32::try_from(quota)
                        .map_err(|_| StoreError::Corrupt(format!("quota {quota}")))?,
                })
            })
            .collect()
    }

    /// The value of every policy setting in force on `date`.
    pub async fn settings(&self, date: NaiveDate) -> Result<Vec<SettingRow>, StoreError> {
        let rows: Vec<(String, i64, NaiveDate)> = with_db!(self, pool => sqlx::query_as(
            "SELECT s.key, s.value, s.effective_from FROM settings s
             WHERE s.effective_from = (SELECT MAX(effective_from) FROM settings t
                                       WHERE t.key = s.key AND t.effective_from <= $1)",
        )
        .bind(date)
        .fetch_all(pool)
        .await)?;
        let mut settings = rows
            .into_iter()
            .map(|(key, value, effective_from)| {
                Ok(SettingRow {
                    key: SettingKey::parse(&key).ok_or(StoreError::Corrupt(key))?,
                    value,
                    effective_from,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        settings.sort_by_key(|setting| setting.key);
        Ok(settings)
    }

    /// The policy in force on `date`: every setting's row in force then (the query of
    /// [`Store::settings`]), typed by [`Policy::from_settings`]. A setting missing or out of
    /// range is [`StoreError::Policy`] naming it; there is no default.
    pub async fn policy_on(&self, date: NaiveDate) -> Result<Policy, StoreError> {
        let rows: Vec<Setting> = self
            .settings(date)
            .await?
            .into_iter()
            .map(|row| Setting {
                key: row.key,
                value: row.value,
                effective_from: row.effective_from,
            })
            .collect();
        Ok(Policy::from_settings(date, &rows)?)
    }

    /// The subsidised categories in force on `date`, enabled or not.
    pub async fn subsidy_categories(
        &self,
        date: NaiveDate,
    ) -> Result<Vec<SubsidyCategoryRow>, StoreError> {
        let rows: Vec<(String, String, String, bool, NaiveDate)> = with_db!(self, pool => sqlx::query_as(
            "SELECT c.code, c.name, c.proof, c.enabled, c.effective_from FROM subsidy_categories c
             WHERE c.effective_from = (SELECT MAX(effective_from) FROM subsidy_categories d
                                       WHERE d.code = c.code AND d.effective_from <= $1)
             ORDER BY c.position",
        )
        .bind(date)
        .fetch_all(pool)
        .await)?;
        Ok(rows
            .into_iter()
            .map(
                |(code, name, proof, enabled, effective_from)| SubsidyCategoryRow {
                    code,
                    name,
                    proof,
                    enabled,
                    effective_from,
                },
            )
            .collect())
    }
}

#[derive(sqlx::FromRow)]
struct OccupationLevelRecord {
    code: String,
    name: String,
    level: String,
    hours: i64,
    rate_fen_per_hour: i64,
}

#[derive(sqlx::FromRow)]
struct InstitutionListingRecord {
    id: i64,
    name: String,
    kind: String,
    contact_person: Option<String>,
    contact_phone: Option<String>,
    occupation_code: String,
    occupation_name: String,
    status: String,
}

#[derive(sqlx::FromRow)]
struct RegionRecord {
    name: String,
    full_name: String,
    division_code: Option<String>,
    quota: i64,
}

fn parse_code(text: &str) -> Result<OccupationCode, StoreError> {
    OccupationCode::parse(text).map_err(|error| StoreError::Corrupt(error.0))
}
