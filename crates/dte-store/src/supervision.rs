//! Supervision's consequences (issue 14 items 5–7; migration 0014): flag reviews, violations,
//! sanctions with their lifting, and complaints from the public. The rules are
//! `dte_domain::supervision`'s, decided before anything is written here; this module writes
//! each decision with its audit entry in one transaction, and the database holds "never twice"
//! too: `flag_reviews_once` (one review per flag), `violations_one_per_source` (a finding, a flag
//! or a complaint becomes one violation), and a lift or a resolution happens once (the UPDATE
//! requires it not to have happened; else `Conflict`). Nothing is deleted.

use crate::audit::{Actor, AppendAudit};
use crate::error::corrupt_record;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use dte_domain::Scope;
use dte_domain::flags::FlagKind;
use dte_domain::supervision::{
    ComplaintOutcome, FlagVerdict, SanctionFact, SanctionKind, Target, ViolationKind,
    ViolationSource,
};
use serde_json::json;

/// A review of one flag as the city decided it.
#[derive(Debug, Clone)]
pub struct NewFlagReview {
    pub flag_key: String,
    pub class_id: i64,
    pub kind: FlagKind,
    pub verdict: FlagVerdict,
    pub reason: String,
}

/// A stored flag review.
#[derive(Debug, Clone)]
pub struct FlagReviewRow {
    pub id: i64,
    pub flag_key: String,
    pub class_id: i64,
    pub verdict: FlagVerdict,
    pub reason: String,
    pub reviewed_by: String,
    pub reviewed_at: DateTime<Utc>,
}

/// A violation as recorded.
#[derive(Debug, Clone)]
pub struct NewViolation {
    pub region: String,
    pub kind: ViolationKind,
    pub source: ViolationSource,
    pub target: Target,
    /// The institution the violation is about (of the class, or the one named).
    pub institution_id: i64,
    pub class_id: Option<i64>,
    pub description: String,
}

/// A stored violation.
#[derive(Debug, Clone)]
pub struct ViolationRow {
    pub id: i64,
    pub region: String,
    pub kind: ViolationKind,
    pub source: ViolationSource,
    pub target: Target,
    pub institution_id: i64,
    pub institution_name: String,
    pub class_id: Option<i64>,
    pub description: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// A sanction as imposed.
#[derive(Debug, Clone)]
pub struct NewSanction {
    pub violation_id: i64,
    pub region: String,
    pub kind: SanctionKind,
    pub target: Target,
    pub institution_id: i64,
    pub starts_on: NaiveDate,
    pub until_on: Option<NaiveDate>,
    pub remark: String,
}

/// A stored sanction.
#[derive(Debug, Clone)]
pub struct SanctionRow {
    pub fact: SanctionFact,
    pub violation_id: i64,
    pub region: String,
    pub institution_id: i64,
    pub institution_name: String,
    pub remark: String,
    pub imposed_by: String,
    pub imposed_at: DateTime<Utc>,
    pub lift_reason: Option<String>,
}

/// A complaint as lodged (the contact arrives sealed and masked).
#[derive(Debug, Clone)]
pub struct NewComplaint {
    pub region: String,
    pub target: Target,
    pub institution_id: i64,
    pub content: String,
    pub contact_cipher: String,
    pub contact_masked: String,
    pub name: Option<String>,
}

/// A stored complaint.
#[derive(Debug, Clone)]
pub struct ComplaintRow {
    pub id: i64,
    pub region: String,
    pub target: Target,
    pub institution_id: i64,
    pub institution_name: String,
    pub content: String,
    pub contact_masked: String,
    pub name: Option<String>,
    pub lodged_at: DateTime<Utc>,
    pub outcome: Option<ComplaintOutcome>,
    pub remark: Option<String>,
    pub resolved_at: Option<DateTime<Utc>>,
}

/// The region filter of a supervision list: the province and the inspector everything, a city
/// its region, an institution what is about it; nobody else anything.
fn supervision_binds(scope: &Scope) -> Option<(bool, Option<String>, Option<i64>)> {
    match scope {
        Scope::Province => Some((true, None, None)),
        Scope::Region(region) => Some((false, Some(region.clone()), None)),
        Scope::Institution(id) => Some((false, None, Some(*id))),
        Scope::Person(_) | Scope::Nothing => None,
    }
}

macro_rules! scope {
    () => {
        "($1 OR x.region = $2 OR x.institution_id = $3)"
    };
}

macro_rules! violation_select {
    () => {
        "SELECT x.id, x.region, x.kind, x.source_kind, x.source_ref, x.target_kind,
            x.target_id, x.institution_id, i.name AS institution_name, x.class_id,
            x.description, u.username AS recorded_by, x.recorded_at
     FROM violations x JOIN institutions i ON i.id = x.institution_id
          JOIN users u ON u.id = x.recorded_by"
    };
}

macro_rules! sanction_select {
    () => {
        "SELECT x.id, x.violation_id, x.region, x.kind, x.target_kind, x.target_id,
            x.institution_id, i.name AS institution_name, x.starts_on, x.until_on, x.remark,
            u.username AS imposed_by, x.imposed_at, x.lifted_on, x.lift_reason
     FROM sanctions x JOIN institutions i ON i.id = x.institution_id
          JOIN users u ON u.id = x.imposed_by"
    };
}

macro_rules! insert_violation {
    ($tx:expr, $violation:expr, $actor:expr) => {{
        let violation: &NewViolation = $violation;
        let (source_kind, source_ref) = violation.source.parts();
        let (target_kind, target_id) = violation.target.parts();
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO violations (region, kind, source_kind, source_ref, target_kind, target_id,
                 institution_id, class_id, description, recorded_by, recorded_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(&violation.region)
        .bind(violation.kind.as_str())
        .bind(source_kind)
        .bind(&source_ref)
        .bind(target_kind)
        .bind(target_id)
        .bind(violation.institution_id)
        .bind(violation.class_id)
        .bind(&violation.description)
        .bind($actor.user_id)
        .bind($actor.at)
        .fetch_one(&mut *$tx)
        .await?;
        $tx.append_audit_entry(&$actor.entry(
            "violation.record",
            "violation",
            id,
            None,
            Some(json!({"region": violation.region, "kind": violation.kind.as_str(),
                "source": source_kind, "source_ref": source_ref, "target": target_kind,
                "target_id": target_id, "institution_id": violation.institution_id,
                "class_id": violation.class_id, "description": violation.description})),
        ))
        .await?;
        id
    }};
}

impl Store {
    /// Every flag review (a city reviews each flag once; at the plan's scale a few thousand a
    /// year), oldest first.
    pub async fn flag_reviews(&self) -> Result<Vec<FlagReviewRow>, StoreError> {
        let records: Vec<FlagReviewRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT r.id, r.flag_key, r.class_id, r.verdict, r.reason, u.username AS reviewed_by,
                    r.reviewed_at
             FROM flag_reviews r JOIN users u ON u.id = r.reviewed_by ORDER BY r.id"
        )
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(FlagReviewRow::try_from).collect()
    }

    /// Records a flag's review, and for a confirmed flag its violation, in one transaction;
    /// audited as `flag.review` (and `violation.record`). `Constraint { flag_reviews_once }`
    /// when the flag was reviewed already.
    pub async fn review_flag(
        &self,
        review: &NewFlagReview,
        violation: Option<&NewViolation>,
        actor: &Actor,
    ) -> Result<(i64, Option<i64>), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO flag_reviews (flag_key, class_id, kind, verdict, reason, reviewed_by,
                     reviewed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&review.flag_key)
            .bind(review.class_id)
            .bind(review.kind.as_str())
            .bind(review.verdict.as_str())
            .bind(&review.reason)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("flag.review", "flag_review", id, None,
                Some(json!({"flag": review.flag_key, "class_id": review.class_id,
                    "kind": review.kind.as_str(), "verdict": review.verdict.as_str(),
                    "reason": review.reason}))))
                .await?;
            let violation_id = match violation {
                Some(violation) => Some(insert_violation!(tx, violation, actor)),
                None => None,
            };
            tx.commit().await?;
            Ok((id, violation_id))
        })
    }

    /// The violations a scope may see, newest first (at most 500).
    pub async fn violations_in_scope(
        &self,
        scope: &Scope,
    ) -> Result<Vec<ViolationRow>, StoreError> {
        let Some((everything, region, institution)) = supervision_binds(scope) else {
            return Ok(Vec::new());
        };
        let records: Vec<ViolationRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            violation_select!(), " WHERE ", scope!(), " ORDER BY x.id DESC LIMIT 500"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ViolationRow::try_from).collect()
    }

    /// One violation, if the scope may see it (the same scope clause as the list), however old.
    pub async fn violation_in_scope(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Option<ViolationRow>, StoreError> {
        let Some((everything, region, institution)) = supervision_binds(scope) else {
            return Ok(None);
        };
        let record: Option<ViolationRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            violation_select!(), " WHERE ", scope!(), " AND x.id = $4"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(ViolationRow::try_from).transpose()
    }

    /// Imposes a sanction, audited as `sanction.impose`.
    pub async fn impose_sanction(
        &self,
        sanction: &NewSanction,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (target_kind, target_id) = sanction.target.parts();
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO sanctions (violation_id, region, kind, target_kind, target_id,
                     institution_id, starts_on, until_on, remark, imposed_by, imposed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(sanction.violation_id)
            .bind(&sanction.region)
            .bind(sanction.kind.as_str())
            .bind(target_kind)
            .bind(target_id)
            .bind(sanction.institution_id)
            .bind(sanction.starts_on)
            .bind(sanction.until_on)
            .bind(&sanction.remark)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("sanction.impose", "sanction", id, None,
                Some(json!({"violation_id": sanction.violation_id, "kind": sanction.kind.as_str(),
                    "target": target_kind, "target_id": target_id,
                    "institution_id": sanction.institution_id, "starts_on": sanction.starts_on,
                    "until_on": sanction.until_on, "remark": sanction.remark}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Lifts a sanction from `lifted_on`, audited as `sanction.lift`. `Conflict` when it was
    /// lifted already (two lifts racing: one wins).
    pub async fn lift_sanction(
        &self,
        id: i64,
        lifted_on: NaiveDate,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let lifted = sqlx::query(
                "UPDATE sanctions SET lifted_on = $2, lift_reason = $3, lifted_by = $4,
                     lifted_at = $5
                 WHERE id = $1 AND lifted_on IS NULL",
            )
            .bind(id)
            .bind(lifted_on)
            .bind(reason)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if lifted != 1 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry("sanction.lift", "sanction", id,
                Some(json!({"lifted_on": null})),
                Some(json!({"lifted_on": lifted_on, "reason": reason}))))
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The sanctions a scope may see, newest first (at most 500).
    pub async fn sanctions_in_scope(&self, scope: &Scope) -> Result<Vec<SanctionRow>, StoreError> {
        let Some((everything, region, institution)) = supervision_binds(scope) else {
            return Ok(Vec::new());
        };
        let records: Vec<SanctionRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            sanction_select!(), " WHERE ", scope!(), " ORDER BY x.id DESC LIMIT 500"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(SanctionRow::try_from).collect()
    }

    /// One sanction, if the scope may see it (the same scope as [`Store::sanctions_in_scope`],
    /// with no limit on its age).
    pub async fn sanction_in_scope(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Option<SanctionRow>, StoreError> {
        let Some((everything, region, institution)) = supervision_binds(scope) else {
            return Ok(None);
        };
        let record: Option<SanctionRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            sanction_select!(), " WHERE ", scope!(), " AND x.id = $4"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(SanctionRow::try_from).transpose()
    }

    /// The sanctions that may exclude claim lines: exclusions of people or classes, the 失信
    /// list and suspensions or removals of institutions, lifted or not (`dte_domain::supervision::subsidy_exclusions` decides which bite on
    /// a date). A few hundred a year at the plan's scale; read whole for a claim's assembly.
    pub async fn exclusion_sanctions(&self) -> Result<Vec<SanctionFact>, StoreError> {
        let records: Vec<SanctionRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            sanction_select!(),
            " WHERE x.kind IN ('exclude_person', 'exclude_class', 'blacklist', 'suspension',
                              'removal') ORDER BY x.id"
        ))
        .fetch_all(pool)
        .await)?;
        records
            .into_iter()
            .map(|record| SanctionRow::try_from(record).map(|row| row.fact))
            .collect()
    }

    /// The suspensions and removals of one institution, lifted or not
    /// (`dte_domain::supervision::suspended_by_sanction` decides which hold on a date).
    pub async fn catalog_sanctions(
        &self,
        institution_id: i64,
    ) -> Result<Vec<SanctionFact>, StoreError> {
        let records: Vec<SanctionRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            sanction_select!(),
            " WHERE x.kind IN ('suspension', 'removal') AND x.target_kind = 'institution'
                AND x.target_id = $1 ORDER BY x.id"
        ))
        .bind(institution_id)
        .fetch_all(pool)
        .await)?;
        records
            .into_iter()
            .map(|record| SanctionRow::try_from(record).map(|row| row.fact))
            .collect()
    }

    /// Lodges a complaint, audited as `complaint.lodge` (anonymous: the actor is whoever
    /// lodged it; the contact is stored sealed and audited masked).
    pub async fn lodge_complaint(
        &self,
        complaint: &NewComplaint,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (target_kind, target_id) = complaint.target.parts();
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO complaints (region, target_kind, target_id, institution_id, content,
                     contact_cipher, contact_masked, name, lodged_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&complaint.region)
            .bind(target_kind)
            .bind(target_id)
            .bind(complaint.institution_id)
            .bind(&complaint.content)
            .bind(&complaint.contact_cipher)
            .bind(&complaint.contact_masked)
            .bind(complaint.name.as_deref())
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("complaint.lodge", "complaint", id, None,
                Some(json!({"region": complaint.region, "target": target_kind,
                    "target_id": target_id, "contact": complaint.contact_masked}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The complaints a scope may see (the province, the inspector, the city of the region;
    /// institutions do not see who complained about them), newest first (at most 500).
    pub async fn complaints_in_scope(
        &self,
        scope: &Scope,
    ) -> Result<Vec<ComplaintRow>, StoreError> {
        let (everything, region) = match scope {
            Scope::Province => (true, None),
            Scope::Region(region) => (false, Some(region.clone())),
            _ => return Ok(Vec::new()),
        };
        let records: Vec<ComplaintRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT x.id, x.region, x.target_kind, x.target_id, x.institution_id,
                    i.name AS institution_name, x.content, x.contact_masked, x.name, x.lodged_at,
                    x.outcome, x.remark, x.resolved_at
             FROM complaints x JOIN institutions i ON i.id = x.institution_id
             WHERE ($1 OR x.region = $2) ORDER BY x.id DESC LIMIT 500"
        )
        .bind(everything)
        .bind(region)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ComplaintRow::try_from).collect()
    }

    /// Resolves an open complaint with its outcome, and for an upheld one its violation, in one
    /// transaction; audited as `complaint.resolve` (and `violation.record`). `Conflict` when it
    /// was resolved already.
    pub async fn resolve_complaint(
        &self,
        id: i64,
        outcome: ComplaintOutcome,
        remark: &str,
        violation: Option<&NewViolation>,
        actor: &Actor,
    ) -> Result<Option<i64>, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let resolved = sqlx::query(
                "UPDATE complaints SET outcome = $2, remark = $3, resolved_by = $4,
                     resolved_at = $5
                 WHERE id = $1 AND outcome IS NULL",
            )
            .bind(id)
            .bind(outcome.as_str())
            .bind(remark)
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if resolved != 1 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry("complaint.resolve", "complaint", id,
                Some(json!({"outcome": null})),
                Some(json!({"outcome": outcome.as_str(), "remark": remark}))))
                .await?;
            let violation_id = match violation {
                Some(violation) => Some(insert_violation!(tx, violation, actor)),
                None => None,
            };
            tx.commit().await?;
            Ok(violation_id)
        })
    }

    /// Open and upheld complaints per target of a region: what raises a target's risk tier for
    /// random inspections (issue 14 item 7).
    pub async fn complaint_counts(&self, region: &str) -> Result<Vec<(Target, u32)>, StoreError> {
        let rows: Vec<(String, i64, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT target_kind, target_id, COUNT(*) FROM complaints
             WHERE region = $1 AND (outcome IS NULL OR outcome = 'upheld')
             GROUP BY target_kind, target_id ORDER BY target_kind, target_id"
        )
        .bind(region)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(kind, id, count)| {
                let target = Target::from_parts(&kind, id)
                    .ok_or_else(|| corrupt_record("complaints", id, "target_kind", &kind))?;
                Ok((target, crate::error::count(count)))
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct FlagReviewRecord {
    id: i64,
    flag_key: String,
    class_id: i64,
    verdict: String,
    reason: String,
    reviewed_by: String,
    reviewed_at: DateTime<Utc>,
}

impl TryFrom<FlagReviewRecord> for FlagReviewRow {
    type Error = StoreError;

    fn try_from(record: FlagReviewRecord) -> Result<Self, StoreError> {
        Ok(FlagReviewRow {
            verdict: FlagVerdict::parse(&record.verdict).ok_or_else(|| {
                corrupt_record("flag_reviews", record.id, "verdict", &record.verdict)
            })?,
            id: record.id,
            flag_key: record.flag_key,
            class_id: record.class_id,
            reason: record.reason,
            reviewed_by: record.reviewed_by,
            reviewed_at: record.reviewed_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ViolationRecord {
    id: i64,
    region: String,
    kind: String,
    source_kind: String,
    source_ref: String,
    target_kind: String,
    target_id: i64,
    institution_id: i64,
    institution_name: String,
    class_id: Option<i64>,
    description: String,
    recorded_by: String,
    recorded_at: DateTime<Utc>,
}

impl TryFrom<ViolationRecord> for ViolationRow {
    type Error = StoreError;

    fn try_from(record: ViolationRecord) -> Result<Self, StoreError> {
        let id = record.id;
        Ok(ViolationRow {
            kind: ViolationKind::parse(&record.kind)
                .ok_or_else(|| corrupt_record("violations", id, "kind", &record.kind))?,
            source: ViolationSource::from_parts(&record.source_kind, &record.source_ref)
                .ok_or_else(|| corrupt_record("violations", id, "source", &record.source_ref))?,
            target: Target::from_parts(&record.target_kind, record.target_id).ok_or_else(|| {
                corrupt_record("violations", id, "target_kind", &record.target_kind)
            })?,
            id,
            region: record.region,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            class_id: record.class_id,
            description: record.description,
            recorded_by: record.recorded_by,
            recorded_at: record.recorded_at,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SanctionRecord {
    id: i64,
    violation_id: i64,
    region: String,
    kind: String,
    target_kind: String,
    target_id: i64,
    institution_id: i64,
    institution_name: String,
    starts_on: NaiveDate,
    until_on: Option<NaiveDate>,
    remark: String,
    imposed_by: String,
    imposed_at: DateTime<Utc>,
    lifted_on: Option<NaiveDate>,
    lift_reason: Option<String>,
}

impl TryFrom<SanctionRecord> for SanctionRow {
    type Error = StoreError;

    fn try_from(record: SanctionRecord) -> Result<Self, StoreError> {
        let id = record.id;
        Ok(SanctionRow {
            fact: SanctionFact {
                id,
                kind: SanctionKind::parse(&record.kind)
                    .ok_or_else(|| corrupt_record("sanctions", id, "kind", &record.kind))?,
                target: Target::from_parts(&record.target_kind, record.target_id).ok_or_else(
                    || corrupt_record("sanctions", id, "target_kind", &record.target_kind),
                )?,
                from: record.starts_on,
                until: record.until_on,
                lifted_on: record.lifted_on,
            },
            violation_id: record.violation_id,
            region: record.region,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            remark: record.remark,
            imposed_by: record.imposed_by,
            imposed_at: record.imposed_at,
            lift_reason: record.lift_reason,
        })
    }
}

#[derive(sqlx::FromRow)]
struct ComplaintRecord {
    id: i64,
    region: String,
    target_kind: String,
    target_id: i64,
    institution_id: i64,
    institution_name: String,
    content: String,
    contact_masked: String,
    name: Option<String>,
    lodged_at: DateTime<Utc>,
    outcome: Option<String>,
    remark: Option<String>,
    resolved_at: Option<DateTime<Utc>>,
}

impl TryFrom<ComplaintRecord> for ComplaintRow {
    type Error = StoreError;

    fn try_from(record: ComplaintRecord) -> Result<Self, StoreError> {
        let id = record.id;
        let outcome = match record.outcome.as_deref() {
            None => None,
            Some(text) => Some(
                ComplaintOutcome::parse(text)
                    .ok_or_else(|| corrupt_record("complaints", id, "outcome", text))?,
            ),
        };
        Ok(ComplaintRow {
            target: Target::from_parts(&record.target_kind, record.target_id).ok_or_else(|| {
                corrupt_record("complaints", id, "target_kind", &record.target_kind)
            })?,
            id,
            region: record.region,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            content: record.content,
            contact_masked: record.contact_masked,
            name: record.name,
            lodged_at: record.lodged_at,
            outcome,
            remark: record.remark,
            resolved_at: record.resolved_at,
        })
    }
}
