//! The facts of the payments and clawbacks report (issue 13 item 6): every payment, clawback
//! case and recovery of the classes of one year in a scope, with the class's region,
//! occupation and level. The sums are the application layer's; this module only reads rows,
//! at most `limit` + 1 of each kind, so that a caller can refuse rather than sum a part.

use crate::classes::scope_binds;
use crate::error::corrupt_record;
use crate::{Store, StoreError, with_db};
use dte_domain::subsidy::{ClawbackStatus, FundSource};
use dte_domain::{Fen, Level, OccupationCode, Scope};

/// Where a figure belongs: the class's region, year, occupation and level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ReportKey {
    pub region: String,
    pub year: i32,
    pub occupation: OccupationCode,
    pub level: Level,
}

/// A payment from one fund source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentFact {
    pub key: ReportKey,
    pub claim_id: i64,
    pub source: FundSource,
    pub amount: Fen,
}

/// A clawback case: what is to be recovered and what has been.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClawbackFact {
    pub key: ReportKey,
    pub id: i64,
    pub claim_id: i64,
    pub amount: Fen,
    pub recovered: Fen,
    pub status: ClawbackStatus,
}

/// One recovery, with the fund it returned to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecoveryFact {
    pub key: ReportKey,
    pub clawback_id: i64,
    pub source: FundSource,
    pub amount: Fen,
}

/// The report's facts of one year in a scope.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubsidyReportFacts {
    pub payments: Vec<PaymentFact>,
    pub clawbacks: Vec<ClawbackFact>,
    pub recoveries: Vec<RecoveryFact>,
}

/// The note of a recovery's fund entry: `record_recovery` writes it, and the report finds the
/// fund a recovery returned to by it (the entry and the recovery are written together).
pub(crate) fn recovery_note(clawback_id: i64, voucher: &str) -> String {
    format!("追回第 {clawback_id} 号案件，凭证 {voucher}")
}

/// The class's columns every fact carries, for `c` the class; the scope binds are $1 to $3
/// and the year $4.
macro_rules! report_scope {
    () => {
        "($1 OR c.region_name = $2 OR c.institution_id = $3) AND c.year = $4"
    };
}

type KeyColumns = (String, i64, String, String);

#[derive(sqlx::FromRow)]
struct PaymentRecord {
    id: i64,
    claim_id: i64,
    fund_source: String,
    amount_fen: i64,
    region_name: String,
    year: i64,
    occupation_code: String,
    level: String,
}

#[derive(sqlx::FromRow)]
struct ClawbackRecord {
    id: i64,
    claim_id: i64,
    amount_fen: i64,
    recovered_fen: i64,
    status: String,
    region_name: String,
    year: i64,
    occupation_code: String,
    level: String,
}

#[derive(sqlx::FromRow)]
struct RecoveryRecord {
    id: i64,
    clawback_id: i64,
    fund_source: Option<String>,
    amount_fen: i64,
    region_name: String,
    year: i64,
    occupation_code: String,
    level: String,
}

fn key_of(
    table: &str,
    id: i64,
    (region, year, occupation, level): KeyColumns,
) -> Result<ReportKey, StoreError> {
    Ok(ReportKey {
        region,
        year: i32::try_from(year)
            .map_err(|_| corrupt_record(table, id, "year", &year.to_string()))?,
        occupation: OccupationCode::parse(&occupation)
            .map_err(|_| corrupt_record(table, id, "occupation_code", &occupation))?,
        level: Level::parse(&level).map_err(|_| corrupt_record(table, id, "level", &level))?,
    })
}

impl Store {
    /// The payments, clawback cases and recoveries of the classes of `year` that `scope` sees,
    /// at most `limit` + 1 of each (more than `limit` means the caller should refuse).
    pub async fn subsidy_report_facts(
        &self,
        scope: &Scope,
        year: i32,
        limit: i64,
    ) -> Result<SubsidyReportFacts, StoreError> {
        let Some((everything, region, institution, _)) = scope_binds(scope) else {
            return Ok(SubsidyReportFacts::default());
        };
        if matches!(scope, Scope::Person(_)) {
            return Ok(SubsidyReportFacts::default());
        }
        let year_bind = i64::from(year);
        let payments: Vec<PaymentRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT p.id, p.claim_id, p.fund_source, p.amount_fen,
                    c.region_name, c.year, c.occupation_code, c.level
             FROM payments p JOIN claims k ON k.id = p.claim_id
             JOIN classes c ON c.id = k.class_id
             WHERE ", report_scope!(), " ORDER BY p.id LIMIT $5"
        ))
        .bind(everything)
        .bind(region.clone())
        .bind(institution)
        .bind(year_bind)
        .bind(limit + 1)
        .fetch_all(pool)
        .await)?;
        let clawbacks: Vec<ClawbackRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT b.id, b.claim_id, b.amount_fen, b.recovered_fen, b.status,
                    c.region_name, c.year, c.occupation_code, c.level
             FROM clawbacks b JOIN claims k ON k.id = b.claim_id
             JOIN classes c ON c.id = k.class_id
             WHERE ", report_scope!(), " ORDER BY b.id LIMIT $5"
        ))
        .bind(everything)
        .bind(region.clone())
        .bind(institution)
        .bind(year_bind)
        .bind(limit + 1)
        .fetch_all(pool)
        .await)?;
        let recoveries: Vec<RecoveryRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT r.id, r.clawback_id,
                    (SELECT f.fund_source FROM fund_entries f
                     WHERE f.kind = 'recovery' AND f.amount_fen = r.amount_fen
                       AND f.recorded_at = r.recorded_at
                       AND f.note = '追回第 ' || CAST(r.clawback_id AS TEXT) || ' 号案件，凭证 ' || r.voucher
                     ORDER BY f.id LIMIT 1) AS fund_source,
                    r.amount_fen, c.region_name, c.year, c.occupation_code, c.level
             FROM recoveries r JOIN clawbacks b ON b.id = r.clawback_id
             JOIN claims k ON k.id = b.claim_id
             JOIN classes c ON c.id = k.class_id
             WHERE ", report_scope!(), " ORDER BY r.id LIMIT $5"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(year_bind)
        .bind(limit + 1)
        .fetch_all(pool)
        .await)?;
        Ok(SubsidyReportFacts {
            payments: payments
                .into_iter()
                .map(|r| {
                    Ok(PaymentFact {
                        key: key_of(
                            "payments",
                            r.id,
                            (r.region_name, r.year, r.occupation_code, r.level),
                        )?,
                        claim_id: r.claim_id,
                        source: FundSource::parse(&r.fund_source).ok_or_else(|| {
                            corrupt_record("payments", r.id, "fund_source", &r.fund_source)
                        })?,
                        amount: Fen::new(r.amount_fen),
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            clawbacks: clawbacks
                .into_iter()
                .map(|r| {
                    Ok(ClawbackFact {
                        key: key_of(
                            "clawbacks",
                            r.id,
                            (r.region_name, r.year, r.occupation_code, r.level),
                        )?,
                        id: r.id,
                        claim_id: r.claim_id,
                        amount: Fen::new(r.amount_fen),
                        recovered: Fen::new(r.recovered_fen),
                        status: ClawbackStatus::parse(&r.status).ok_or_else(|| {
                            corrupt_record("clawbacks", r.id, "status", &r.status)
                        })?,
                    })
                })
                .collect::<Result<_, StoreError>>()?,
            recoveries: recoveries
                .into_iter()
                .map(|r| {
                    let source = r.fund_source.unwrap_or_default();
                    Ok(RecoveryFact {
                        key: key_of(
                            "recoveries",
                            r.id,
                            (r.region_name, r.year, r.occupation_code, r.level),
                        )?,
                        clawback_id: r.clawback_id,
                        source: FundSource::parse(&source).ok_or_else(|| {
                            corrupt_record("recoveries", r.id, "fund_source", &source)
                        })?,
                        amount: Fen::new(r.amount_fen),
                    })
                })
                .collect::<Result<_, StoreError>>()?,
        })
    }
}
