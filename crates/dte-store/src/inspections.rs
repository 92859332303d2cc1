//! 双随机一公开 random inspections (issue 14 item 3; migration 0015): each city's published
//! inspection items (检查事项清单), the conflicts inspectors declare with a target, and the
//! draws with the inspectors drawn per target. The rules (dte-draw-v1, risk tiers, inspector
//! choice) are `dte_domain::inspection`'s and decided before anything is written; this module
//! writes each with its audit entry in one transaction. Nothing is changed or deleted:
//! `inspector_conflicts_once` holds one declaration per inspector and target, and
//! `inspection_draw_targets_once` one row per target of a draw.

use crate::audit::{Actor, AppendAudit};
use crate::error::corrupt_record;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Utc};
use dte_domain::inspection::{Candidate, InspectionMethod, RiskTier, Target, TargetKind};
use serde_json::{Value, json};

/// An inspection item as a city publishes it.
#[derive(Debug, Clone)]
pub struct NewInspectionItem {
    pub region: String,
    pub legal_basis: String,
    pub subject: String,
    pub content: String,
    pub method: InspectionMethod,
}

/// A published inspection item.
#[derive(Debug, Clone)]
pub struct InspectionItemRow {
    pub id: i64,
    pub region: String,
    pub legal_basis: String,
    pub subject: String,
    pub content: String,
    pub method: InspectionMethod,
    pub created_at: DateTime<Utc>,
}

/// A conflict an inspector declared with a target.
#[derive(Debug, Clone)]
pub struct ConflictRow {
    pub user_id: i64,
    pub target: Target,
}

/// One target of a draw with its tier and the two inspectors drawn for it.
#[derive(Debug, Clone)]
pub struct DrawnTarget {
    pub target: Target,
    pub tier: RiskTier,
    pub inspectors: [i64; 2],
}

/// A draw as decided: the region, what kind of target it draws, the seed (64 hex digits), the
/// candidates in the order drawn from, and the selection best key first with its inspectors.
#[derive(Debug, Clone)]
pub struct NewDraw {
    pub region: String,
    pub target_kind: TargetKind,
    pub algorithm: &'static str,
    pub seed: String,
    pub candidates: Vec<Candidate>,
    pub selected: Vec<DrawnTarget>,
}

/// A drawn target as stored, with its inspectors' names.
#[derive(Debug, Clone)]
pub struct DrawnTargetRow {
    pub target: Target,
    pub tier: RiskTier,
    pub inspectors: Vec<(i64, String)>,
}

/// A stored draw.
#[derive(Debug, Clone)]
pub struct DrawRow {
    pub id: i64,
    pub region: String,
    pub target_kind: TargetKind,
    pub algorithm: String,
    pub seed: String,
    pub count: u32,
    pub candidates: Vec<Candidate>,
    pub selected: Vec<DrawnTargetRow>,
    pub drawn_by: String,
    pub drawn_at: DateTime<Utc>,
}

fn method_text(method: InspectionMethod) -> &'static str {
    method.as_str()
}

fn kind_text(kind: TargetKind) -> &'static str {
    match kind {
        TargetKind::Institution => "institution",
        TargetKind::Class => "class",
    }
}

fn kind_of(text: &str) -> Option<TargetKind> {
    match text {
        "institution" => Some(TargetKind::Institution),
        "class" => Some(TargetKind::Class),
        _ => None,
    }
}

impl Store {
    /// Publishes an inspection item of a region; audited as `inspection_item.add`.
    pub async fn add_inspection_item(
        &self,
        item: &NewInspectionItem,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspection_items (region, legal_basis, subject, content, method,
                     created_by, created_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(&item.region)
            .bind(&item.legal_basis)
            .bind(&item.subject)
            .bind(&item.content)
            .bind(method_text(item.method))
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("inspection_item.add", "inspection_item", id, None,
                Some(json!({"region": item.region, "legal_basis": item.legal_basis,
                    "subject": item.subject, "content": item.content,
                    "method": method_text(item.method)}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The published inspection items, of one region or all, in the order published (at most
    /// 1,000).
    pub async fn inspection_items(
        &self,
        region: Option<&str>,
    ) -> Result<Vec<InspectionItemRow>, StoreError> {
        let records: Vec<ItemRecord> = with_db!(self, pool => sqlx::query_as(
                "SELECT id, region, legal_basis, subject, content, method, created_at
                 FROM inspection_items WHERE ($1 OR region = $2) ORDER BY region, id
                 LIMIT 1000"
            )
            .bind(region.is_none())
            .bind(region)
            .fetch_all(pool)
            .await)?;
        records
            .into_iter()
            .map(
                |(id, region, legal_basis, subject, content, method, created_at)| {
                    Ok(InspectionItemRow {
                        method: InspectionMethod::parse(&method).ok_or_else(|| {
                            corrupt_record("inspection_items", id, "method", &method)
                        })?,
                        id,
                        region,
                        legal_basis,
                        subject,
                        content,
                        created_at,
                    })
                },
            )
            .collect()
    }

    /// Records an inspector's declared conflict with a target; audited as
    /// `inspector.conflict`. `Constraint` when declared already.
    pub async fn declare_conflict(
        &self,
        user_id: i64,
        target: Target,
        reason: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspector_conflicts (user_id, target_kind, target_id, reason,
                     declared_at)
                 VALUES ($1, $2, $3, $4, $5) RETURNING id",
            )
            .bind(user_id)
            .bind(kind_text(target.kind))
            .bind(target.id)
            .bind(reason)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("inspector.conflict", "inspector_conflict", id,
                None, Some(json!({"user_id": user_id, "target": target.to_string(),
                    "reason": reason}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The conflicts declared by the given inspectors.
    pub async fn conflicts_of(&self, user_ids: &[i64]) -> Result<Vec<ConflictRow>, StoreError> {
        let records: Vec<(i64, i64, String, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, user_id, target_kind, target_id FROM inspector_conflicts
             ORDER BY id LIMIT 100000"
        )
        .fetch_all(pool)
        .await)?;
        records
            .into_iter()
            .filter(|(_, user_id, _, _)| user_ids.contains(user_id))
            .map(|(id, user_id, kind, target_id)| {
                let kind = kind_of(&kind).ok_or_else(|| {
                    corrupt_record("inspector_conflicts", id, "target_kind", &kind)
                })?;
                Ok(ConflictRow {
                    user_id,
                    target: Target {
                        kind,
                        id: target_id,
                    },
                })
            })
            .collect()
    }

    /// The inspectors drawn for `target` the last time it was drawn, if ever: the pair the next
    /// draw avoids when its pool allows.
    pub async fn previous_inspectors(&self, target: Target) -> Result<Vec<i64>, StoreError> {
        let row: Option<(i64, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT first_inspector, second_inspector FROM inspection_draw_targets
             WHERE target = $1 ORDER BY draw_id DESC LIMIT 1"
        )
        .bind(target.to_string())
        .fetch_optional(pool)
        .await)?;
        Ok(row.map(|(a, b)| vec![a, b]).unwrap_or_default())
    }

    /// Records a draw with its targets and their inspectors in one transaction; audited as
    /// `inspection.draw` (with the seed, so the audit log replays it too).
    pub async fn record_draw(&self, draw: &NewDraw, actor: &Actor) -> Result<i64, StoreError> {
        let candidates = Value::Array(
            draw.candidates
                .iter()
                .map(|candidate| json!({"id": candidate.id, "weight": candidate.weight}))
                .collect(),
        )
        .to_string();
        let selected: Vec<String> = draw
            .selected
            .iter()
            .map(|drawn| drawn.target.to_string())
            .collect();
        let selected_text = json!(selected).to_string();
        let count = i64::try_from(draw.selected.len()).unwrap_or(i64::MAX);
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO inspection_draws (region, target_kind, algorithm, seed, count,
                     candidates, selected, drawn_by, drawn_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(&draw.region)
            .bind(kind_text(draw.target_kind))
            .bind(draw.algorithm)
            .bind(&draw.seed)
            .bind(count)
            .bind(&candidates)
            .bind(&selected_text)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            for (position, drawn) in draw.selected.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO inspection_draw_targets (draw_id, position, target, tier,
                         first_inspector, second_inspector)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(id)
                .bind(i64::try_from(position).unwrap_or(i64::MAX))
                .bind(drawn.target.to_string())
                .bind(drawn.tier.as_str())
                .bind(drawn.inspectors[0])
                .bind(drawn.inspectors[1])
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit_entry(&actor.entry("inspection.draw", "inspection_draw", id, None,
                Some(json!({"region": draw.region, "algorithm": draw.algorithm,
                    "seed": draw.seed, "count": count, "selected": selected,
                    "inspectors": draw.selected.iter()
                        .map(|drawn| drawn.inspectors.to_vec()).collect::<Vec<_>>()}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The draws, of one region or all, newest first (at most `limit`, itself at most 200).
    pub async fn inspection_draws(
        &self,
        region: Option<&str>,
        limit: u32,
    ) -> Result<Vec<DrawRow>, StoreError> {
        let records: Vec<DrawRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT d.id, d.region, d.target_kind, d.algorithm, d.seed, d.count, d.candidates,
                    d.selected, u.display_name AS drawn_by, d.drawn_at
             FROM inspection_draws d JOIN users u ON u.id = d.drawn_by
             WHERE ($1 OR d.region = $2) ORDER BY d.id DESC LIMIT $3"
        )
        .bind(region.is_none())
        .bind(region)
        .bind(i64::from(limit.min(200)))
        .fetch_all(pool)
        .await)?;
        let mut draws = Vec::with_capacity(records.len());
        for record in records {
            let targets = self.draw_targets(record.id).await?;
            draws.push(record.into_row(targets)?);
        }
        Ok(draws)
    }

    /// One draw.
    pub async fn inspection_draw(&self, id: i64) -> Result<Option<DrawRow>, StoreError> {
        let record: Option<DrawRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT d.id, d.region, d.target_kind, d.algorithm, d.seed, d.count, d.candidates,
                    d.selected, u.display_name AS drawn_by, d.drawn_at
             FROM inspection_draws d JOIN users u ON u.id = d.drawn_by WHERE d.id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        match record {
            None => Ok(None),
            Some(record) => {
                let targets = self.draw_targets(record.id).await?;
                record.into_row(targets).map(Some)
            }
        }
    }

    async fn draw_targets(&self, draw_id: i64) -> Result<Vec<DrawnTargetRow>, StoreError> {
        let records: Vec<(String, String, i64, String, i64, String)> = with_db!(self, pool => sqlx::query_as(
                "SELECT t.target, t.tier, t.first_inspector, a.display_name,
                        t.second_inspector, b.display_name
                 FROM inspection_draw_targets t
                 JOIN users a ON a.id = t.first_inspector
                 JOIN users b ON b.id = t.second_inspector
                 WHERE t.draw_id = $1 ORDER BY t.position"
            )
            .bind(draw_id)
            .fetch_all(pool)
            .await)?;
        records
            .into_iter()
            .map(|(target, tier, first, first_name, second, second_name)| {
                Ok(DrawnTargetRow {
                    target: Target::parse(&target).map_err(|_| {
                        corrupt_record("inspection_draw_targets", draw_id, "target", &target)
                    })?,
                    tier: RiskTier::parse(&tier).ok_or_else(|| {
                        corrupt_record("inspection_draw_targets", draw_id, "tier", &tier)
                    })?,
                    inspectors: vec![(first, first_name), (second, second_name)],
                })
            })
            .collect()
    }
}

/// A row of inspection_items: id, region, legal basis, subject, content, method, published.
type ItemRecord = (i64, String, String, String, String, String, DateTime<Utc>);

#[derive(sqlx::FromRow)]
struct DrawRecord {
    id: i64,
    region: String,
    target_kind: String,
    algorithm: String,
    seed: String,
    count: i64,
    candidates: String,
    selected: String,
    drawn_by: String,
    drawn_at: DateTime<Utc>,
}

impl DrawRecord {
    fn into_row(self, targets: Vec<DrawnTargetRow>) -> Result<DrawRow, StoreError> {
        let id = self.id;
        let corrupt =
            |field: &str, value: &str| corrupt_record("inspection_draws", id, field, value);
        let candidates: Vec<Candidate> = serde_json::from_str::<Vec<Value>>(&self.candidates)
            .map_err(|_| corrupt("candidates", &self.candidates))?
            .iter()
            .map(|value| {
                Some(Candidate {
                    id: value["id"].as_str()?.to_owned(),
                    weight: u32::try_from(value["weight"].as_u64()?).ok()?,
                })
            })
            .collect::<Option<_>>()
            .ok_or_else(|| corrupt("candidates", &self.candidates))?;
        let selected: Vec<String> = serde_json::from_str(&self.selected)
            .map_err(|_| corrupt("selected", &self.selected))?;
        let in_order = targets.len() == selected.len()
            && targets
                .iter()
                .zip(&selected)
                .all(|(row, id)| row.target.to_string() == *id);
        if !in_order {
            return Err(corrupt("selected", &self.selected));
        }
        Ok(DrawRow {
            target_kind: kind_of(&self.target_kind)
                .ok_or_else(|| corrupt("target_kind", &self.target_kind))?,
            id,
            region: self.region,
            algorithm: self.algorithm,
            seed: self.seed,
            count: crate::error::count(self.count),
            candidates,
            selected: targets,
            drawn_by: self.drawn_by,
            drawn_at: self.drawn_at,
        })
    }
}
