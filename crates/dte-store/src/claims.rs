//! Subsidy claims (补贴申领, issue 13; migration 0013): claims and their lines, objections to
//! the public notice, payments with the city's fund entries, and clawbacks with recoveries.
//! The rules are `dte_domain::subsidy`'s, decided before anything is written here; this module
//! guarantees that a claim changes only from the state the caller read (else `Conflict`),
//! that every write is audited in its own transaction, and that "never twice" holds in the
//! database too: `claim_lines_subsidy_held` (one approved, paid or clawed-back line per
//! person, occupation and level) and `paid_subsidies_once` (one payment, ever) answer
//! `Constraint` with their names when two requests race.

use crate::audit::{Actor, AppendAudit};
use crate::classes::scope_binds;
use crate::error::corrupt_record;
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use dte_domain::subsidy::{ClaimStatus, ClawbackStatus, FundBalances, FundSource, LineStatus};
use dte_domain::{Fen, Level, OccupationCode, Scope};
use serde_json::json;

/// One reason a line is ineligible: the domain's stable code and its Chinese message as it
/// read when the line was judged.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct LineReasonRow {
    pub code: String,
    pub message: String,
}

/// A line as the claim's assembly decided it.
#[derive(Debug, Clone)]
pub struct NewClaimLine {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub hours: u32,
    pub rate_fen_per_hour: Fen,
    pub amount: Fen,
    /// `Claimed` or `Ineligible`.
    pub status: LineStatus,
    /// The reasons, empty when claimed.
    pub reasons: Vec<LineReasonRow>,
}

/// A claim with what lists show.
#[derive(Debug, Clone)]
pub struct ClaimRow {
    pub id: i64,
    pub class_id: i64,
    pub class_title: String,
    pub class_year: i32,
    pub region: String,
    pub institution_id: i64,
    pub institution_name: String,
    pub occupation: OccupationCode,
    pub level: Level,
    pub status: ClaimStatus,
    /// The amount of the lines claimed, approved, paid or clawed back.
    pub amount: Fen,
    pub paid: Fen,
    pub opened_by: i64,
    pub opened_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub review_due_on: Option<NaiveDate>,
    pub reviewed_by: Option<i64>,
    pub approved_by: Option<i64>,
    pub notice_starts_on: Option<NaiveDate>,
    pub notice_ends_on: Option<NaiveDate>,
}

/// One line of a claim with the holder as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimLineRow {
    pub id: i64,
    pub claim_id: i64,
    pub enrolment_id: i64,
    pub person_id: i64,
    pub holder_name: String,
    pub id_number_masked: String,
    pub occupation: OccupationCode,
    pub level: Level,
    pub hours: u32,
    pub rate_fen_per_hour: Fen,
    pub amount: Fen,
    pub status: LineStatus,
    pub reasons: Vec<LineReasonRow>,
    pub review_decision: Option<String>,
    pub review_reason: Option<String>,
    pub review_remark: Option<String>,
}

/// Which claims to list inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct ClaimFilter {
    pub status: Option<ClaimStatus>,
    pub region: Option<String>,
}

/// A change of a claim's state with what it records, from the state the caller read.
#[derive(Debug, Clone)]
pub struct ClaimChange {
    pub from: ClaimStatus,
    pub to: ClaimStatus,
    /// The audit action, e.g. `claim.submit`.
    pub action: &'static str,
    pub review_due_on: Option<NaiveDate>,
    pub notice: Option<(NaiveDate, NaiveDate)>,
    /// Lines whose state changes with the claim: (line, new state, reasons).
    pub lines: Vec<(i64, LineStatus, Vec<LineReasonRow>)>,
    /// The reviewer's decisions recorded with a review: (line, decision, reason, remark).
    pub decisions: Vec<(i64, &'static str, Option<String>, Option<String>)>,
}

/// An entry a city adds to its fund accounts: an allocation or a correction.
#[derive(Debug, Clone)]
pub struct NewFundEntry {
    pub region: String,
    pub year: i32,
    pub source: FundSource,
    /// `allocation` or `correction`.
    pub kind: &'static str,
    pub amount: Fen,
    pub note: String,
}

/// A payment to record: the claim's lines paid, the day and voucher, and the lines whose
/// state changed when they were judged once more before it.
#[derive(Debug, Clone, Copy)]
pub struct NewPayment<'a> {
    pub claim_id: i64,
    /// The region whose funds pay, and the year of the class (the account's year).
    pub region: &'a str,
    pub year: i32,
    pub lines: &'a [ClaimLineRow],
    /// Lines judged again: (line, new state, reasons), written first.
    pub changes: &'a [(i64, LineStatus, Vec<LineReasonRow>)],
    pub paid_on: NaiveDate,
    pub voucher: &'a str,
    /// Some lines were rejected: the claim ends `partly_rejected`, else `paid`.
    pub partly: bool,
}

/// A payment from one fund source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentRow {
    pub id: i64,
    pub claim_id: i64,
    pub region: String,
    pub source: FundSource,
    pub amount: Fen,
    pub paid_on: NaiveDate,
    pub voucher: String,
}

/// A clawback case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClawbackRow {
    pub id: i64,
    pub claim_id: i64,
    pub region: String,
    pub institution_id: i64,
    pub amount: Fen,
    pub recovered: Fen,
    pub status: ClawbackStatus,
    pub reason: String,
    pub opened_by: i64,
    pub opened_at: DateTime<Utc>,
}

/// An objection to a line on notice.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ObjectionRow {
    pub id: i64,
    pub claim_id: i64,
    pub line_id: i64,
    pub contact_masked: String,
    pub content: String,
    pub lodged_at: DateTime<Utc>,
    pub status: String,
    pub resolution: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ClaimRecord {
    id: i64,
    class_id: i64,
    class_title: String,
    class_year: i64,
    region_name: String,
    institution_id: i64,
    institution_name: String,
    occupation_code: String,
    level: String,
    status: String,
    amount_fen: i64,
    paid_fen: i64,
    opened_by: i64,
    opened_at: DateTime<Utc>,
    submitted_at: Option<DateTime<Utc>>,
    review_due_on: Option<NaiveDate>,
    reviewed_by: Option<i64>,
    approved_by: Option<i64>,
    notice_starts_on: Option<NaiveDate>,
    notice_ends_on: Option<NaiveDate>,
}

#[derive(sqlx::FromRow)]
struct ClawbackRecord {
    id: i64,
    claim_id: i64,
    region_name: String,
    institution_id: i64,
    amount_fen: i64,
    recovered_fen: i64,
    status: String,
    reason: String,
    opened_by: i64,
    opened_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct LineRecord {
    id: i64,
    claim_id: i64,
    enrolment_id: i64,
    person_id: i64,
    name: String,
    id_number_masked: String,
    occupation_code: String,
    level: String,
    hours: i64,
    rate_fen_per_hour: i64,
    amount_fen: i64,
    status: String,
    reasons: String,
    review_decision: Option<String>,
    review_reason: Option<String>,
    review_remark: Option<String>,
}

/// The columns of a claim; `k` is `claims`, `c` its class.
macro_rules! claim_select {
    () => {
        "SELECT k.id, k.class_id, c.title AS class_title, c.year AS class_year, c.region_name,
                c.institution_id, i.name AS institution_name, c.occupation_code, c.level,
                k.status,
                CAST((SELECT COALESCE(SUM(l.amount_fen), 0) FROM claim_lines l
                      WHERE l.claim_id = k.id
                        AND l.status IN ('claimed', 'approved', 'paid', 'clawed_back'))
                     AS BIGINT) AS amount_fen,
                CAST((SELECT COALESCE(SUM(p.amount_fen), 0) FROM payments p
                      WHERE p.claim_id = k.id) AS BIGINT) AS paid_fen,
                k.opened_by, k.opened_at, k.submitted_at, k.review_due_on, k.reviewed_by,
                k.approved_by, k.notice_starts_on, k.notice_ends_on
         FROM claims k
         JOIN classes c ON c.id = k.class_id
         JOIN institutions i ON i.id = c.institution_id"
    };
}

/// The claims a scope sees, with binds $1 (everything), $2 (region), $3 (institution). A
/// trainee's scope sees none.
macro_rules! claim_scope {
    () => {
        "($1 OR c.region_name = $2 OR c.institution_id = $3)"
    };
}

/// The balances of a city's fund accounts for a year: binds $1 (region) and $2 (year).
macro_rules! balances_select {
    () => {
        "SELECT fund_source, CAST(SUM(amount_fen) AS BIGINT) FROM fund_entries
         WHERE region_name = $1 AND year = $2 GROUP BY fund_source"
    };
}

fn reasons_text(reasons: &[LineReasonRow]) -> String {
    serde_json::Value::from(
        reasons
            .iter()
            .map(|reason| json!({"code": reason.code, "message": reason.message}))
            .collect::<Vec<_>>(),
    )
    .to_string()
}

/// A violation of the constraint `name` (on `table`'s `column`) by its name on both databases:
/// PostgreSQL names it, SQLite names the columns of a unique index or quotes a check's name.
fn named(error: sqlx::Error, table: &str, column: &str, name: &str) -> StoreError {
    match StoreError::from(error) {
        StoreError::Constraint { constraint }
            if constraint.contains(name)
                || constraint.contains(table) && constraint.contains(column) =>
        {
            StoreError::Constraint {
                constraint: name.to_owned(),
            }
        }
        other => other,
    }
}

impl Store {
    /// Opens a claim for a class with its assembled lines, audited as `claim.open`. A class
    /// with a claim in progress answers `Constraint { claims_one_open_per_class }`.
    pub async fn open_claim(
        &self,
        class_id: i64,
        lines: &[NewClaimLine],
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO claims (class_id, status, opened_by, opened_at)
                 VALUES ($1, 'draft', $2, $3) RETURNING id",
            )
            .bind(class_id)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(|error| named(error, "claims", "class_id", "claims_one_open_per_class"))?;
            for line in lines {
                sqlx::query(
                    "INSERT INTO claim_lines (claim_id, enrolment_id, person_id, occupation_code,
                         level, hours, rate_fen_per_hour, amount_fen, status, reasons)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .bind(id)
                .bind(line.enrolment_id)
                .bind(line.person_id)
                .bind(line.occupation.as_str())
                .bind(line.level.as_str())
                .bind(i64::from(line.hours))
                .bind(line.rate_fen_per_hour.get())
                .bind(line.amount.get())
                .bind(line.status.as_str())
                .bind(reasons_text(&line.reasons))
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit_entry(&actor.entry("claim.open", "claim", id, None, Some(json!({
                "class_id": class_id,
                "lines": lines.iter().map(|line| json!({
                    "person_id": line.person_id,
                    "status": line.status.as_str(),
                    "amount_fen": line.amount.get(),
                    "reasons": line.reasons.iter().map(|reason| &reason.code).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The claims a scope may see, newest first (at most 500).
    pub async fn claims_in_scope(
        &self,
        scope: &Scope,
        filter: &ClaimFilter,
    ) -> Result<Vec<ClaimRow>, StoreError> {
        let Some((everything, region, institution, _)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        if matches!(scope, Scope::Person(_)) {
            return Ok(Vec::new());
        }
        let records: Vec<ClaimRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            claim_select!(), " WHERE ", claim_scope!(), "
               AND ($4 IS NULL OR k.status = $4)
               AND ($5 IS NULL OR c.region_name = $5)
             ORDER BY k.id DESC LIMIT 500"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(filter.status.map(ClaimStatus::as_str))
        .bind(filter.region.as_deref())
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ClaimRow::try_from).collect()
    }

    /// One claim if the scope may see it; `None` both when missing and when outside it.
    pub async fn claim_in_scope(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Option<ClaimRow>, StoreError> {
        let Some((everything, region, institution, _)) = scope_binds(scope) else {
            return Ok(None);
        };
        if matches!(scope, Scope::Person(_)) {
            return Ok(None);
        }
        let record: Option<ClaimRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            claim_select!(), " WHERE ", claim_scope!(), " AND k.id = $4"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(ClaimRow::try_from).transpose()
    }

    /// A claim's lines in enrolment order.
    pub async fn claim_lines(&self, claim_id: i64) -> Result<Vec<ClaimLineRow>, StoreError> {
        let records: Vec<LineRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT l.id, l.claim_id, l.enrolment_id, l.person_id, p.name, p.id_number_masked,
                    l.occupation_code, l.level, l.hours, l.rate_fen_per_hour, l.amount_fen,
                    l.status, l.reasons, l.review_decision, l.review_reason, l.review_remark
             FROM claim_lines l JOIN persons p ON p.id = l.person_id
             WHERE l.claim_id = $1 ORDER BY l.enrolment_id"
        )
        .bind(claim_id)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ClaimLineRow::try_from).collect()
    }

    /// The subsidies of a person held by lines of other claims (approved, paid or clawed
    /// back): (claim, occupation, level, the class's year).
    pub async fn subsidies_held(
        &self,
        person_id: i64,
        except_claim: i64,
    ) -> Result<Vec<(i64, OccupationCode, Level, i32)>, StoreError> {
        let rows: Vec<(i64, String, String, i64)> = with_db!(self, pool => sqlx::query_as(
            "SELECT l.claim_id, l.occupation_code, l.level, c.year
             FROM claim_lines l JOIN claims k ON k.id = l.claim_id
             JOIN classes c ON c.id = k.class_id
             WHERE l.person_id = $1 AND l.claim_id <> $2
               AND l.status IN ('approved', 'paid', 'clawed_back')
             ORDER BY l.claim_id"
        )
        .bind(person_id)
        .bind(except_claim)
        .fetch_all(pool)
        .await)?;
        rows.into_iter()
            .map(|(claim, occupation, level, year)| {
                Ok((
                    claim,
                    OccupationCode::parse(&occupation).map_err(|_| {
                        corrupt_record("claim_lines", claim, "occupation_code", &occupation)
                    })?,
                    Level::parse(&level)
                        .map_err(|_| corrupt_record("claim_lines", claim, "level", &level))?,
                    i32::try_from(year)
                        .map_err(|_| corrupt_record("classes", claim, "year", &year.to_string()))?,
                ))
            })
            .collect()
    }

    /// Moves a claim from `change.from` to `change.to` with its lines' new states and the
    /// review's decisions, audited as `change.action`. `Conflict` when the claim is no longer
    /// in `from`; `Constraint { claim_lines_subsidy_held }` when a line approved here holds a
    /// subsidy another claim holds already; `Constraint { claims_four_eyes }` when the approver
    /// reviewed the claim.
    pub async fn change_claim(
        &self,
        id: i64,
        change: &ClaimChange,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let (notice_starts, notice_ends) = change.notice.unzip();
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE claims SET status = $3,
                     submitted_at = CASE WHEN $3 = 'submitted' THEN $4 ELSE submitted_at END,
                     review_due_on = COALESCE($5, review_due_on),
                     reviewed_by = CASE WHEN $3 = 'in_review' THEN $6 ELSE reviewed_by END,
                     reviewed_at = CASE WHEN $3 = 'in_review' THEN $4 ELSE reviewed_at END,
                     approved_by = CASE WHEN $2 = 'in_review' AND $3 IN ('in_notice', 'rejected')
                                   THEN $6 ELSE approved_by END,
                     approved_at = CASE WHEN $2 = 'in_review' AND $3 IN ('in_notice', 'rejected')
                                   THEN $4 ELSE approved_at END,
                     notice_starts_on = COALESCE($7, notice_starts_on),
                     notice_ends_on = COALESCE($8, notice_ends_on),
                     closed_at = CASE WHEN $3 IN ('paid', 'partly_rejected', 'rejected', 'withdrawn')
                                 THEN $4 ELSE closed_at END
                 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(change.from.as_str())
            .bind(change.to.as_str())
            .bind(actor.at)
            .bind(change.review_due_on)
            .bind(actor.user_id)
            .bind(notice_starts)
            .bind(notice_ends)
            .execute(&mut *tx)
            .await
            .map_err(|error| named(error, "claims", "approved_by", "claims_four_eyes"))?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            for (line, decision, reason, remark) in &change.decisions {
                sqlx::query(
                    "UPDATE claim_lines SET review_decision = $3, review_reason = $4,
                         review_remark = $5
                     WHERE id = $1 AND claim_id = $2",
                )
                .bind(line)
                .bind(id)
                .bind(decision)
                .bind(reason)
                .bind(remark)
                .execute(&mut *tx)
                .await?;
            }
            for (line, status, reasons) in &change.lines {
                sqlx::query(
                    "UPDATE claim_lines SET status = $3, reasons = $4 WHERE id = $1 AND claim_id = $2",
                )
                .bind(line)
                .bind(id)
                .bind(status.as_str())
                .bind(reasons_text(reasons))
                .execute(&mut *tx)
                .await
                .map_err(|error| {
                    named(error, "claim_lines", "person_id", "claim_lines_subsidy_held")
                })?;
            }
            tx.append_audit_entry(&actor.entry(change.action, "claim", id,
                Some(json!({"status": change.from.as_str()})),
                Some(json!({
                    "status": change.to.as_str(),
                    "review_due_on": change.review_due_on,
                    "notice": change.notice,
                    "lines": change.lines.iter().map(|(line, status, reasons)| json!({
                        "line_id": line, "status": status.as_str(),
                        "reasons": reasons.iter().map(|reason| &reason.code).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                    "decisions": change.decisions.iter().map(|(line, decision, reason, remark)| json!({
                        "line_id": line, "decision": decision, "reason": reason, "remark": remark,
                    })).collect::<Vec<_>>(),
                })))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Records an objection to a line on notice, audited as `claim.object` (anonymous: the
    /// actor is whoever lodged it). The contact arrives sealed and masked.
    pub async fn lodge_objection(
        &self,
        claim_id: i64,
        line_id: i64,
        contact_cipher: &str,
        contact_masked: &str,
        content: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO claim_objections (claim_id, line_id, contact_cipher, contact_masked,
                     content, lodged_at, status)
                 SELECT $1, $2, $3, $4, $5, $6, 'open'
                 WHERE EXISTS (SELECT 1 FROM claim_lines l JOIN claims k ON k.id = l.claim_id
                               WHERE l.id = $2 AND l.claim_id = $1 AND k.status = 'in_notice'
                                 AND l.status = 'approved')
                 RETURNING id",
            )
            .bind(claim_id)
            .bind(line_id)
            .bind(contact_cipher)
            .bind(contact_masked)
            .bind(content)
            .bind(actor.at)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            tx.append_audit_entry(&actor.entry("claim.object", "claim_objection", id, None,
                Some(json!({"claim_id": claim_id, "line_id": line_id, "contact": contact_masked}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The objections of a claim, oldest first.
    pub async fn claim_objections(&self, claim_id: i64) -> Result<Vec<ObjectionRow>, StoreError> {
        let rows: Vec<ObjectionRow> = with_db!(self, pool => sqlx::query_as(
                "SELECT id, claim_id, line_id, contact_masked, content, lodged_at, status, resolution
                 FROM claim_objections WHERE claim_id = $1 ORDER BY id"
            )
            .bind(claim_id)
            .fetch_all(pool)
            .await)?;
        Ok(rows)
    }

    /// Resolves an open objection: upheld (its line is rejected in the same transaction) or
    /// dismissed, with the reason; audited as `claim.objection_<upheld|dismissed>`.
    /// `Conflict` when it is no longer open.
    pub async fn resolve_objection(
        &self,
        objection_id: i64,
        upheld: bool,
        resolution: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        let status = if upheld { "upheld" } else { "dismissed" };
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let line: i64 = sqlx::query_scalar(
                "UPDATE claim_objections SET status = $2, resolution = $3, resolved_by = $4,
                     resolved_at = $5
                 WHERE id = $1 AND status = 'open' RETURNING line_id",
            )
            .bind(objection_id)
            .bind(status)
            .bind(resolution)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::Conflict)?;
            if upheld {
                sqlx::query(
                    "UPDATE claim_lines SET status = 'rejected', review_decision = 'reject',
                         review_reason = 'objection_upheld', review_remark = $2
                     WHERE id = $1 AND status = 'approved'",
                )
                .bind(line)
                .bind(resolution)
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit_entry(&actor.entry(&format!("claim.objection_{status}"),
                "claim_objection", objection_id, Some(json!({"status": "open"})),
                Some(json!({"status": status, "line_id": line, "resolution": resolution}))))
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Adds an entry to a city's fund account (an allocation or a correction), audited as
    /// `fund.entry`. Entries are never changed or deleted.
    pub async fn add_fund_entry(
        &self,
        entry: &NewFundEntry,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let NewFundEntry {
            region,
            year,
            source,
            kind,
            amount,
            note,
        } = entry;
        let (year, source, kind, amount) = (*year, *source, *kind, *amount);
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO fund_entries (region_name, year, fund_source, kind, amount_fen, note,
                     recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(region)
            .bind(i64::from(year))
            .bind(source.as_str())
            .bind(kind)
            .bind(amount.get())
            .bind(note)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("fund.entry", "fund_entry", id, None, Some(json!({
                "region": region, "year": year, "fund_source": source.as_str(), "kind": kind,
                "amount_fen": amount.get(), "note": note,
            })))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// A city's fund balances for a year: the sum of its entries per source.
    pub async fn fund_balances(&self, region: &str, year: i32) -> Result<FundBalances, StoreError> {
        let rows: Vec<(String, i64)> = with_db!(self, pool => sqlx::query_as(balances_select!())
            .bind(region)
            .bind(i64::from(year))
            .fetch_all(pool)
            .await)?;
        balances_of(rows)
    }

    /// Records the payment of a claim's approved lines (the claim moves from `in_notice` or
    /// `approved` to `paid`, or `partly_rejected` when `partly` is set), audited as
    /// `claim.pay`. Under the
    /// region's lock, `split` is asked with the balances read there and answers the shares
    /// (the domain's `split_payment`); each share becomes a payment and a negative fund entry,
    /// and each line a row of `paid_subsidies`. `Conflict` when the claim is no longer
    /// approved; `Constraint { paid_subsidies_once }` when a line's person, occupation and
    /// level was paid already.
    pub async fn record_payment<E>(
        &self,
        payment: &NewPayment<'_>,
        actor: &Actor,
        split: impl FnOnce(&FundBalances) -> Result<Vec<(FundSource, Fen)>, E>,
    ) -> Result<Result<Vec<(FundSource, Fen)>, E>, StoreError> {
        let NewPayment {
            claim_id,
            region,
            year,
            lines,
            changes,
            paid_on,
            voucher,
            partly,
        } = *payment;
        let to = if partly {
            ClaimStatus::PartlyRejected
        } else {
            ClaimStatus::Paid
        };
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Write first: the claim's move takes the lock; the region's no-op update
            // serialises payments of one city, so two cannot spend one balance.
            let moved = sqlx::query(
                "UPDATE claims SET status = $2, closed_at = $3
                 WHERE id = $1 AND status IN ('in_notice', 'approved')",
            )
            .bind(claim_id)
            .bind(to.as_str())
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Conflict);
            }
            for (line, status, reasons) in changes {
                sqlx::query(
                    "UPDATE claim_lines SET status = $3, reasons = $4 WHERE id = $1 AND claim_id = $2",
                )
                .bind(line)
                .bind(claim_id)
                .bind(status.as_str())
                .bind(reasons_text(reasons))
                .execute(&mut *tx)
                .await?;
            }
            sqlx::query("UPDATE regions SET position = position WHERE name = $1")
                .bind(region)
                .execute(&mut *tx)
                .await?;
            let rows: Vec<(String, i64)> = sqlx::query_as(balances_select!())
                .bind(region)
                .bind(i64::from(year))
                .fetch_all(&mut *tx)
                .await?;
            let balances = balances_of(rows)?;
            let shares = match split(&balances) {
                Ok(shares) => shares,
                Err(refusal) => return Ok(Err(refusal)),
            };
            let mut payment_ids = Vec::new();
            for (source, amount) in &shares {
                let payment: i64 = sqlx::query_scalar(
                    "INSERT INTO payments (claim_id, fund_source, amount_fen, paid_on, voucher,
                         recorded_by, recorded_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                )
                .bind(claim_id)
                .bind(source.as_str())
                .bind(amount.get())
                .bind(paid_on)
                .bind(voucher)
                .bind(actor.user_id)
                .bind(actor.at)
                .fetch_one(&mut *tx)
                .await?;
                payment_ids.push(payment);
                sqlx::query(
                    "INSERT INTO fund_entries (region_name, year, fund_source, kind, amount_fen,
                         payment_id, note, recorded_by, recorded_at)
                     VALUES ($1, $2, $3, 'payment', $4, $5, $6, $7, $8)",
                )
                .bind(region)
                .bind(i64::from(year))
                .bind(source.as_str())
                .bind(-amount.get())
                .bind(payment)
                .bind(format!("拨付第 {claim_id} 号申领，凭证 {voucher}"))
                .bind(actor.user_id)
                .bind(actor.at)
                .execute(&mut *tx)
                .await?;
            }
            for line in lines {
                sqlx::query(
                    "INSERT INTO paid_subsidies (person_id, occupation_code, level, line_id,
                         claim_id, paid_on)
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(line.person_id)
                .bind(line.occupation.as_str())
                .bind(line.level.as_str())
                .bind(line.id)
                .bind(claim_id)
                .bind(paid_on)
                .execute(&mut *tx)
                .await
                .map_err(|error| named(error, "paid_subsidies", "person_id", "paid_subsidies_once"))?;
                let paid = sqlx::query(
                    "UPDATE claim_lines SET status = 'paid' WHERE id = $1 AND status = 'approved'",
                )
                .bind(line.id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if paid == 0 {
                    return Err(StoreError::Conflict);
                }
            }
            tx.append_audit_entry(&actor.entry("claim.pay", "claim", claim_id,
                Some(json!({"status": "approved"})),
                Some(json!({
                    "status": to.as_str(),
                    "paid_on": paid_on,
                    "voucher": voucher,
                    "payments": payment_ids,
                    "shares": shares.iter().map(|(source, amount)| json!({
                        "fund_source": source.as_str(), "amount_fen": amount.get(),
                    })).collect::<Vec<_>>(),
                    "lines": lines.iter().map(|line| line.id).collect::<Vec<_>>(),
                    "rejected_on_payment": changes.iter().map(|(line, _, _)| line).collect::<Vec<_>>(),
                })))).await?;
            tx.commit().await?;
            Ok(Ok(shares))
        })
    }

    /// The payments a scope may see, newest first (at most 500).
    pub async fn payments_in_scope(&self, scope: &Scope) -> Result<Vec<PaymentRow>, StoreError> {
        let Some((everything, region, institution, _)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        if matches!(scope, Scope::Person(_)) {
            return Ok(Vec::new());
        }
        let rows: Vec<(i64, i64, String, String, i64, NaiveDate, String)> = with_db!(self, pool => sqlx::query_as(
                "SELECT p.id, p.claim_id, c.region_name, p.fund_source, p.amount_fen, p.paid_on,
                        p.voucher
                 FROM payments p JOIN claims k ON k.id = p.claim_id
                 JOIN classes c ON c.id = k.class_id
                 WHERE ($1 OR c.region_name = $2 OR c.institution_id = $3)
                 ORDER BY p.id DESC LIMIT 500"
            )
            .bind(everything)
            .bind(region)
            .bind(institution)
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|(id, claim_id, region, source, amount, paid_on, voucher)| {
                Ok(PaymentRow {
                    id,
                    claim_id,
                    region,
                    source: FundSource::parse(&source)
                        .ok_or_else(|| corrupt_record("payments", id, "fund_source", &source))?,
                    amount: Fen::new(amount),
                    paid_on,
                    voucher,
                })
            })
            .collect()
    }

    /// Opens a clawback case on paid lines of a claim (each line moves to `clawed_back`; its
    /// `paid_subsidies` row stays, so it is never paid again), audited as `clawback.open`.
    /// The amount is the sum of the lines' amounts. `Conflict` when a line is not paid.
    pub async fn open_clawback(
        &self,
        claim_id: i64,
        lines: &[ClaimLineRow],
        reason: &str,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let amount: i64 = lines.iter().map(|line| line.amount.get()).sum();
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO clawbacks (claim_id, amount_fen, recovered_fen, status, reason,
                     opened_by, opened_at)
                 VALUES ($1, $2, 0, 'open', $3, $4, $5) RETURNING id",
            )
            .bind(claim_id)
            .bind(amount)
            .bind(reason)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            for line in lines {
                let moved = sqlx::query(
                    "UPDATE claim_lines SET status = 'clawed_back'
                     WHERE id = $1 AND claim_id = $2 AND status = 'paid'",
                )
                .bind(line.id)
                .bind(claim_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    return Err(StoreError::Conflict);
                }
                sqlx::query(
                    "INSERT INTO clawback_lines (clawback_id, line_id, amount_fen) VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(line.id)
                .bind(line.amount.get())
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit_entry(&actor.entry("clawback.open", "clawback", id, None, Some(json!({
                "claim_id": claim_id, "amount_fen": amount, "reason": reason,
                "lines": lines.iter().map(|line| line.id).collect::<Vec<_>>(),
            })))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The clawback cases a scope may see, newest first (at most 500).
    pub async fn clawbacks_in_scope(&self, scope: &Scope) -> Result<Vec<ClawbackRow>, StoreError> {
        let Some((everything, region, institution, _)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        if matches!(scope, Scope::Person(_)) {
            return Ok(Vec::new());
        }
        let rows: Vec<ClawbackRecord> = with_db!(self, pool => sqlx::query_as(
                "SELECT b.id, b.claim_id, c.region_name, c.institution_id, b.amount_fen,
                        b.recovered_fen, b.status, b.reason, b.opened_by, b.opened_at
                 FROM clawbacks b JOIN claims k ON k.id = b.claim_id
                 JOIN classes c ON c.id = k.class_id
                 WHERE ($1 OR c.region_name = $2 OR c.institution_id = $3)
                 ORDER BY b.id DESC LIMIT 500"
            )
            .bind(everything)
            .bind(region)
            .bind(institution)
            .fetch_all(pool)
            .await)?;
        rows.into_iter()
            .map(|record| {
                Ok(ClawbackRow {
                    id: record.id,
                    claim_id: record.claim_id,
                    region: record.region_name,
                    institution_id: record.institution_id,
                    amount: Fen::new(record.amount_fen),
                    recovered: Fen::new(record.recovered_fen),
                    status: ClawbackStatus::parse(&record.status).ok_or_else(|| {
                        corrupt_record("clawbacks", record.id, "status", &record.status)
                    })?,
                    reason: record.reason,
                    opened_by: record.opened_by,
                    opened_at: record.opened_at,
                })
            })
            .collect()
    }

    /// Records a recovery on a case (the domain's `check_recovery` decided it and the new
    /// state), with a positive entry in the fund it came back to, audited as
    /// `clawback.recover`. `Conflict` when the case's recovered amount is no longer
    /// `recovered_before` (someone recorded meanwhile).
    #[allow(clippy::too_many_arguments)]
    pub async fn record_recovery(
        &self,
        clawback_id: i64,
        recovered_before: Fen,
        amount: Fen,
        status: ClawbackStatus,
        recovered_on: NaiveDate,
        voucher: &str,
        fund: (&str, i32, FundSource),
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        let (region, year, source) = fund;
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let moved = sqlx::query(
                "UPDATE clawbacks SET recovered_fen = recovered_fen + $3, status = $4,
                     closed_at = CASE WHEN $4 = 'recovered' THEN $5 ELSE closed_at END
                 WHERE id = $1 AND recovered_fen = $2 AND status IN ('open', 'partly_recovered')",
            )
            .bind(clawback_id)
            .bind(recovered_before.get())
            .bind(amount.get())
            .bind(status.as_str())
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Conflict);
            }
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO recoveries (clawback_id, amount_fen, recovered_on, voucher,
                     recorded_by, recorded_at)
                 VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(clawback_id)
            .bind(amount.get())
            .bind(recovered_on)
            .bind(voucher)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            sqlx::query(
                "INSERT INTO fund_entries (region_name, year, fund_source, kind, amount_fen, note,
                     recorded_by, recorded_at)
                 VALUES ($1, $2, $3, 'recovery', $4, $5, $6, $7)",
            )
            .bind(region)
            .bind(i64::from(year))
            .bind(source.as_str())
            .bind(amount.get())
            .bind(crate::claim_reports::recovery_note(clawback_id, voucher))
            .bind(actor.user_id)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?;
            tx.append_audit_entry(&actor.entry("clawback.recover", "clawback", clawback_id,
                Some(json!({"recovered_fen": recovered_before.get()})),
                Some(json!({"amount_fen": amount.get(), "status": status.as_str(),
                            "recovered_on": recovered_on, "voucher": voucher, "recovery_id": id}))))
                .await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// Writes off what is outstanding of a case (the domain's `check_write_off` decided it;
    /// the database refuses the account that opened it as well), audited as
    /// `clawback.write_off`. `Conflict` when the case is closed.
    pub async fn write_off_clawback(
        &self,
        clawback_id: i64,
        reason: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let moved = sqlx::query(
                "UPDATE clawbacks SET status = 'written_off', written_off_by = $2,
                     write_off_reason = $3, closed_at = $4
                 WHERE id = $1 AND status IN ('open', 'partly_recovered')",
            )
            .bind(clawback_id)
            .bind(actor.user_id)
            .bind(reason)
            .bind(actor.at)
            .execute(&mut *tx)
            .await
            .map_err(|error| named(error, "clawbacks", "written_off_by", "clawbacks_second_account"))?
            .rows_affected();
            if moved == 0 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry("clawback.write_off", "clawback", clawback_id,
                None, Some(json!({"reason": reason})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}

/// The balances from the rows of `balances_select!`.
fn balances_of(rows: Vec<(String, i64)>) -> Result<FundBalances, StoreError> {
    let mut balances = FundBalances::default();
    for (source, sum) in rows {
        match FundSource::parse(&source) {
            Some(FundSource::SkillsUpgradingBalance) => {
                balances.skills_upgrading_balance = Fen::new(sum);
            }
            Some(FundSource::EmploymentSubsidyFund) => {
                balances.employment_subsidy_fund = Fen::new(sum);
            }
            None => return Err(crate::error::corrupt("fund_entries.fund_source", &source)),
        }
    }
    Ok(balances)
}

impl TryFrom<ClaimRecord> for ClaimRow {
    type Error = StoreError;

    fn try_from(record: ClaimRecord) -> Result<ClaimRow, StoreError> {
        let id = record.id;
        Ok(ClaimRow {
            id,
            class_id: record.class_id,
            class_title: record.class_title,
            class_year: i32::try_from(record.class_year).map_err(|_| {
                corrupt_record(
                    "classes",
                    record.class_id,
                    "year",
                    &record.class_year.to_string(),
                )
            })?,
            region: record.region_name,
            institution_id: record.institution_id,
            institution_name: record.institution_name,
            occupation: OccupationCode::parse(&record.occupation_code).map_err(|_| {
                corrupt_record(
                    "classes",
                    record.class_id,
                    "occupation_code",
                    &record.occupation_code,
                )
            })?,
            level: Level::parse(&record.level)
                .map_err(|_| corrupt_record("classes", record.class_id, "level", &record.level))?,
            status: ClaimStatus::parse(&record.status)
                .ok_or_else(|| corrupt_record("claims", id, "status", &record.status))?,
            amount: Fen::new(record.amount_fen),
            paid: Fen::new(record.paid_fen),
            opened_by: record.opened_by,
            opened_at: record.opened_at,
            submitted_at: record.submitted_at,
            review_due_on: record.review_due_on,
            reviewed_by: record.reviewed_by,
            approved_by: record.approved_by,
            notice_starts_on: record.notice_starts_on,
            notice_ends_on: record.notice_ends_on,
        })
    }
}

impl TryFrom<LineRecord> for ClaimLineRow {
    type Error = StoreError;

    fn try_from(record: LineRecord) -> Result<ClaimLineRow, StoreError> {
        let id = record.id;
        Ok(ClaimLineRow {
            id,
            claim_id: record.claim_id,
            enrolment_id: record.enrolment_id,
            person_id: record.person_id,
            holder_name: record.name,
            id_number_masked: record.id_number_masked,
            occupation: OccupationCode::parse(&record.occupation_code).map_err(|_| {
                corrupt_record(
                    "claim_lines",
                    id,
                    "occupation_code",
                    &record.occupation_code,
                )
            })?,
            level: Level::parse(&record.level)
                .map_err(|_| corrupt_record("claim_lines", id, "level", &record.level))?,
            hours: u32::try_from(record.hours).map_err(|_| {
                corrupt_record("claim_lines", id, "hours", &record.hours.to_string())
            })?,
            rate_fen_per_hour: Fen::new(record.rate_fen_per_hour),
            amount: Fen::new(record.amount_fen),
            status: LineStatus::parse(&record.status)
                .ok_or_else(|| corrupt_record("claim_lines", id, "status", &record.status))?,
            reasons: serde_json::from_str(&record.reasons)
                .map_err(|_| corrupt_record("claim_lines", id, "reasons", &record.reasons))?,
            review_decision: record.review_decision,
            review_reason: record.review_reason,
            review_remark: record.review_remark,
        })
    }
}
