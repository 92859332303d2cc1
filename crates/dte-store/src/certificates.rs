//! Certificates of both kinds (certificate schema, migration 0009): the 培训合格证书 a training
//! institution issues for a class and the 专业技术等级证书 an evaluation institution issues for
//! an exam. Who may be certified is decided by the domain before anything is written here;
//! this module numbers a batch from the issuer's pattern, has each certificate signed through
//! a callback, writes the batch all or nothing with one audit entry per certificate, finds
//! certificates by number or in a scope, and revokes them with a reason and a date.
//!
//! The API is shared with the level evaluation (migration 0010): add to it, never rename.

use crate::audit::{Actor, AppendAudit};
use crate::error::{corrupt, corrupt_record, count};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dte_domain::certificate::{
    CertificateKind, CertificateStatus, NumberPattern, RevocationReason, SignedFields,
};
use dte_domain::{Level, OccupationCode, Scope};
use serde_json::json;

/// What a certificate of either kind says, before it has a number and a signature.
#[derive(Debug, Clone)]
pub struct NewCertificate {
    /// A number given by the issuer; `None` takes the next one of the issuer's pattern.
    pub number: Option<String>,
    pub person_id: i64,
    /// The holder's name as it will be printed.
    pub holder_name: String,
    /// The training institution (training) or the evaluation institution (level).
    pub issuer_institution_id: i64,
    pub issuer_name: String,
    /// The region whose city bureau supervises it (the class's region).
    pub region: String,
    pub occupation: OccupationCode,
    pub occupation_name: String,
    pub direction: Option<String>,
    pub level: Level,
    pub issued_on: NaiveDate,
    pub details: CertificateDetails,
}

/// What only one kind of certificate carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateDetails {
    /// 培训合格证书: the class and what the plan's sentence states of it.
    Training {
        class_id: i64,
        start_date: NaiveDate,
        end_date: NaiveDate,
        hours: u32,
    },
    /// 专业技术等级证书: 证件类别 (the 证件号码 is the person's, read from `persons`), the photo
    /// document, the exam it came from (the level evaluation's table, not a foreign key here)
    /// and the training class and institution the candidate came from, when known.
    Level {
        id_kind: String,
        photo_document_id: Option<i64>,
        exam_id: Option<i64>,
        class_id: Option<i64>,
        training_institution_id: Option<i64>,
    },
}

impl CertificateDetails {
    pub fn kind(&self) -> CertificateKind {
        match self {
            CertificateDetails::Training { .. } => CertificateKind::Training,
            CertificateDetails::Level { .. } => CertificateKind::Level,
        }
    }
}

/// The signature of a certificate's canonical form and the id of the key that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateSignature {
    /// Ed25519, base64url without padding.
    pub signature: String,
    pub key_id: String,
}

/// A stored certificate.
#[derive(Debug, Clone)]
pub struct CertificateRow {
    pub id: i64,
    pub number: String,
    pub person_id: i64,
    pub holder_name: String,
    /// The holder's ID number, masked (read from `persons`).
    pub holder_id_number_masked: String,
    pub issuer_institution_id: i64,
    pub issuer_name: String,
    /// The training institution the holder came from (the issuer of a training certificate).
    pub training_institution_id: Option<i64>,
    pub region: String,
    pub occupation: OccupationCode,
    pub occupation_name: String,
    pub direction: Option<String>,
    pub level: Level,
    pub issued_on: NaiveDate,
    pub issued_at: DateTime<Utc>,
    pub details: CertificateDetails,
    pub signature: CertificateSignature,
    pub status: CertificateStatus,
    pub revocation: Option<Revocation>,
}

/// When and why a certificate was revoked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revocation {
    pub on: NaiveDate,
    pub reason: String,
    pub at: DateTime<Utc>,
}

impl CertificateRow {
    pub fn kind(&self) -> CertificateKind {
        self.details.kind()
    }

    /// The fields the signature covers (`dte_domain::certificate::SignedFields`).
    pub fn signed_fields(&self) -> SignedFields {
        signed_fields(&self.number, &self.holder_name, &self.issuer_name, self)
    }

    /// The class the certificate came from, if any.
    pub fn class_id(&self) -> Option<i64> {
        match self.details {
            CertificateDetails::Training { class_id, .. } => Some(class_id),
            CertificateDetails::Level { class_id, .. } => class_id,
        }
    }
}

/// Which certificates to list, inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct CertificateFilter {
    pub kind: Option<CertificateKind>,
    pub class_id: Option<i64>,
    pub person_id: Option<i64>,
    /// Only certificates with an id below this one (the cursor of the previous page).
    pub before_id: Option<i64>,
    /// At most this many (capped at [`CERTIFICATE_PAGE_MAX`]).
    pub limit: u32,
}

/// The most certificates one page holds.
pub const CERTIFICATE_PAGE_MAX: u32 = 500;

/// Why a batch could not be issued, when it is not a storage failure.
#[derive(Debug)]
pub enum IssueRefusal<E> {
    /// A certificate asks for the issuer's pattern and the issuer has none.
    NoNumberPattern { issuer_institution_id: i64 },
    /// The signing callback failed.
    Signing(E),
}

#[derive(sqlx::FromRow)]
struct CertificateRecord {
    id: i64,
    number: String,
    kind: String,
    person_id: i64,
    holder_name: String,
    holder_id_number_masked: String,
    issuer_institution_id: i64,
    issuer_name: String,
    training_institution_id: Option<i64>,
    class_id: Option<i64>,
    region_name: String,
    occupation_code: String,
    occupation_name: String,
    direction: Option<String>,
    level: String,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
    hours: Option<i64>,
    id_kind: Option<String>,
    photo_document_id: Option<i64>,
    exam_id: Option<i64>,
    issued_on: NaiveDate,
    issued_at: DateTime<Utc>,
    signature: String,
    key_id: String,
    status: String,
    revoked_on: Option<NaiveDate>,
    revocation_reason: Option<String>,
    revoked_at: Option<DateTime<Utc>>,
}

macro_rules! certificate_select {
    () => {
        "SELECT k.id, k.number, k.kind, k.person_id, k.holder_name,
                p.id_number_masked AS holder_id_number_masked, k.issuer_institution_id,
                k.issuer_name, k.training_institution_id, k.class_id, k.region_name,
                k.occupation_code, k.occupation_name, k.direction, k.level, k.start_date,
                k.end_date, k.hours, k.id_kind, k.photo_document_id, k.exam_id, k.issued_on,
                k.issued_at, k.signature, k.key_id, k.status, k.revoked_on, k.revocation_reason,
                k.revoked_at
         FROM certificates k JOIN persons p ON p.id = k.person_id"
    };
}

/// The certificates a scope may see, with binds $1 (everything), $2 (region), $3
/// (institution: the issuer, or the training institution the holder came from) and $4
/// (person: the holder).
macro_rules! certificate_scope {
    () => {
        "($1 OR k.region_name = $2 OR k.issuer_institution_id = $3
           OR k.training_institution_id = $3 OR k.person_id = $4)"
    };
}

impl TryFrom<CertificateRecord> for CertificateRow {
    type Error = StoreError;
    fn try_from(record: CertificateRecord) -> Result<CertificateRow, StoreError> {
        let kind =
            CertificateKind::parse(&record.kind).map_err(|_| corrupt("kind", &record.kind))?;
        let details = match kind {
            CertificateKind::Training => CertificateDetails::Training {
                class_id: record.class_id.ok_or_else(|| {
                    corrupt_record("certificates", record.id, "class_id", "missing")
                })?,
                start_date: record.start_date.ok_or_else(|| {
                    corrupt_record("certificates", record.id, "start_date", "missing")
                })?,
                end_date: record.end_date.ok_or_else(|| {
                    corrupt_record("certificates", record.id, "end_date", "missing")
                })?,
                hours: count(record.hours.ok_or_else(|| {
                    corrupt_record("certificates", record.id, "hours", "missing")
                })?),
            },
            CertificateKind::Level => CertificateDetails::Level {
                id_kind: record.id_kind.ok_or_else(|| {
                    corrupt_record("certificates", record.id, "id_kind", "missing")
                })?,
                photo_document_id: record.photo_document_id,
                exam_id: record.exam_id,
                class_id: record.class_id,
                training_institution_id: record.training_institution_id,
            },
        };
        let status = CertificateStatus::parse(&record.status)
            .ok_or_else(|| corrupt("certificate status", &record.status))?;
        let revocation = match (
            record.revoked_on,
            record.revocation_reason,
            record.revoked_at,
        ) {
            (Some(on), Some(reason), Some(at)) => Some(Revocation { on, reason, at }),
            _ => None,
        };
        Ok(CertificateRow {
            id: record.id,
            number: record.number,
            person_id: record.person_id,
            holder_name: record.holder_name,
            holder_id_number_masked: record.holder_id_number_masked,
            issuer_institution_id: record.issuer_institution_id,
            issuer_name: record.issuer_name,
            training_institution_id: record.training_institution_id,
            region: record.region_name,
            occupation: OccupationCode::parse(&record.occupation_code)
                .map_err(|_| corrupt("occupation", &record.occupation_code))?,
            occupation_name: record.occupation_name,
            direction: record.direction,
            level: Level::parse(&record.level).map_err(|_| corrupt("level", &record.level))?,
            issued_on: record.issued_on,
            issued_at: record.issued_at,
            details,
            signature: CertificateSignature {
                signature: record.signature,
                key_id: record.key_id,
            },
            status,
            revocation,
        })
    }
}

/// The common view of a new or stored certificate the canonical form is built from.
trait Signable {
    fn occupation(&self) -> &OccupationCode;
    fn occupation_name(&self) -> &str;
    fn direction(&self) -> Option<&str>;
    fn level(&self) -> Level;
    fn issued_on(&self) -> NaiveDate;
    fn details(&self) -> &CertificateDetails;
}

macro_rules! signable {
    ($type:ty) => {
        impl Signable for $type {
            fn occupation(&self) -> &OccupationCode {
                &self.occupation
            }
            fn occupation_name(&self) -> &str {
                &self.occupation_name
            }
            fn direction(&self) -> Option<&str> {
                self.direction.as_deref()
            }
            fn level(&self) -> Level {
                self.level
            }
            fn issued_on(&self) -> NaiveDate {
                self.issued_on
            }
            fn details(&self) -> &CertificateDetails {
                &self.details
            }
        }
    };
}
signable!(NewCertificate);
signable!(CertificateRow);

fn signed_fields(
    number: &str,
    holder: &str,
    issuer: &str,
    certificate: &dyn Signable,
) -> SignedFields {
    let details = certificate.details();
    let (start, end, hours, id_kind) = match details {
        CertificateDetails::Training {
            start_date,
            end_date,
            hours,
            ..
        } => (Some(*start_date), Some(*end_date), Some(*hours), None),
        CertificateDetails::Level { id_kind, .. } => (None, None, None, Some(id_kind.clone())),
    };
    SignedFields {
        number: number.to_owned(),
        kind: details.kind(),
        holder: holder.to_owned(),
        issuer: issuer.to_owned(),
        occupation: certificate.occupation().clone(),
        occupation_name: certificate.occupation_name().to_owned(),
        direction: certificate.direction().map(str::to_owned),
        level: certificate.level(),
        start,
        end,
        hours,
        id_kind,
        issued: certificate.issued_on(),
    }
}

fn scope_binds(scope: &Scope) -> Option<crate::classes::ScopeBinds> {
    crate::classes::scope_binds(scope)
}

impl Store {
    /// Issues a batch of certificates, all or nothing. Inside one transaction each
    /// certificate without a given number takes the next of `pattern`'s sequence for its
    /// issuer (restarting yearly when the pattern has `{year}`), is signed by `sign` over its
    /// canonical form, written, and audited as `certificate.issue`. A number already used
    /// anywhere in the province fails the whole batch with the constraint
    /// `certificates_number_key`; a second training certificate for the same trainee and class
    /// with `certificates_training_once`. A level certificate of an exam plan (`exam_id`) is
    /// written on the candidate's line too, and each such plan moves from scores entered to
    /// certificates issued (`exam_plan.issue`), in the same transaction: a candidate who did
    /// not pass, already holds one, or a plan not in scores entered is `Conflict` and nothing
    /// is written.
    pub async fn issue_certificates<E>(
        &self,
        batch: &[NewCertificate],
        pattern: Option<&NumberPattern>,
        actor: &Actor,
        mut sign: impl FnMut(&SignedFields) -> Result<CertificateSignature, E>,
    ) -> Result<Result<Vec<CertificateRow>, IssueRefusal<E>>, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let mut ids = Vec::with_capacity(batch.len());
            let mut exams: Vec<i64> = Vec::new();
            for certificate in batch {
                let number = match (&certificate.number, pattern) {
                    (Some(number), _) => number.trim().to_owned(),
                    (None, Some(pattern)) => {
                        let period = pattern.period(certificate.issued_on.year());
                        let sequence: i64 = sqlx::query_scalar(
                            "INSERT INTO certificate_sequences (institution_id, period, last_seq)
                             VALUES ($1, $2, 1)
                             ON CONFLICT (institution_id, period)
                             DO UPDATE SET last_seq = certificate_sequences.last_seq + 1
                             RETURNING last_seq",
                        )
                        .bind(certificate.issuer_institution_id)
                        .bind(i64::from(period))
                        .fetch_one(&mut *tx)
                        .await?;
                        let sequence = u64::try_from(sequence).map_err(|_| {
                            corrupt_record(
                                "certificate_sequences",
                                certificate.issuer_institution_id,
                                "last_seq",
                                &sequence.to_string(),
                            )
                        })?;
                        pattern.render(certificate.issued_on.year(), sequence)
                    }
                    (None, None) => {
                        return Ok(Err(IssueRefusal::NoNumberPattern {
                            issuer_institution_id: certificate.issuer_institution_id,
                        }));
                    }
                };
                let fields = signed_fields(
                    &number, &certificate.holder_name, &certificate.issuer_name, certificate,
                );
                let signature = match sign(&fields) {
                    Ok(signature) => signature,
                    Err(error) => return Ok(Err(IssueRefusal::Signing(error))),
                };
                let (class_id, training_institution_id, start, end, hours, id_kind, photo, exam) =
                    match &certificate.details {
                        CertificateDetails::Training { class_id, start_date, end_date, hours } => (
                            Some(*class_id), Some(certificate.issuer_institution_id),
                            Some(*start_date), Some(*end_date), Some(i64::from(*hours)),
                            None, None, None,
                        ),
                        CertificateDetails::Level {
                            id_kind, photo_document_id, exam_id, class_id, training_institution_id,
                        } => (
                            *class_id, *training_institution_id, None, None, None,
                            Some(id_kind.clone()), *photo_document_id, *exam_id,
                        ),
                    };
                let id: i64 = sqlx::query_scalar(
                    "INSERT INTO certificates (number, kind, person_id, holder_name,
                         issuer_institution_id, issuer_name, training_institution_id, class_id,
                         region_name, occupation_code, occupation_name, direction, level,
                         start_date, end_date, hours, id_kind, photo_document_id, exam_id,
                         issued_on, issued_at, issued_by, signature, key_id, status)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15,
                         $16, $17, $18, $19, $20, $21, $22, $23, $24, 'valid')
                     RETURNING id",
                )
                .bind(&number)
                .bind(certificate.details.kind().as_str())
                .bind(certificate.person_id)
                .bind(&certificate.holder_name)
                .bind(certificate.issuer_institution_id)
                .bind(&certificate.issuer_name)
                .bind(training_institution_id)
                .bind(class_id)
                .bind(&certificate.region)
                .bind(certificate.occupation.as_str())
                .bind(&certificate.occupation_name)
                .bind(&certificate.direction)
                .bind(certificate.level.as_str())
                .bind(start)
                .bind(end)
                .bind(hours)
                .bind(id_kind)
                .bind(photo)
                .bind(exam)
                .bind(certificate.issued_on)
                .bind(actor.at)
                .bind(actor.user_id)
                .bind(&signature.signature)
                .bind(&signature.key_id)
                .fetch_one(&mut *tx)
                .await?;
                tx.append_audit_entry(&actor.entry("certificate.issue", "certificate", id, None,
                    Some(json!({
                        "number": number,
                        "kind": certificate.details.kind().as_str(),
                        "person_id": certificate.person_id,
                        "issuer_institution_id": certificate.issuer_institution_id,
                        "class_id": class_id,
                        "exam_id": exam,
                        "key_id": signature.key_id,
                    })))).await?;
                if let Some(plan) = exam {
                    // The candidate's line of the exam plan carries the number, in this
                    // transaction: only a candidate who passed, once.
                    let marked = sqlx::query(
                        "UPDATE exam_candidates SET level_certificate_number = $3
                         WHERE exam_plan_id = $1 AND person_id = $2 AND passed
                           AND level_certificate_number IS NULL",
                    )
                    .bind(plan)
                    .bind(certificate.person_id)
                    .bind(&number)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                    if marked == 0 {
                        return Err(StoreError::Conflict);
                    }
                    if !exams.contains(&plan) {
                        exams.push(plan);
                    }
                }
                ids.push(id);
            }
            for plan in exams {
                let moved = sqlx::query(
                    "UPDATE exam_plans SET status = 'certificates_issued', issued_at = $2
                     WHERE id = $1 AND status = 'scores_entered'",
                )
                .bind(plan)
                .bind(actor.at)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if moved == 0 {
                    return Err(StoreError::Conflict);
                }
                tx.append_audit_entry(&actor.entry("exam_plan.issue", "exam_plan", plan,
                    Some(json!({"status": "scores_entered"})),
                    Some(json!({"status": "certificates_issued"})))).await?;
            }
            let mut rows = Vec::with_capacity(ids.len());
            for id in ids {
                let record: CertificateRecord = sqlx::query_as(concat!(
                    certificate_select!(), " WHERE k.id = $1"
                ))
                .bind(id)
                .fetch_one(&mut *tx)
                .await?;
                rows.push(CertificateRow::try_from(record)?);
            }
            tx.commit().await?;
            Ok(Ok(rows))
        })
    }

    /// A certificate by its number, whoever asks (public verification masks what it shows).
    pub async fn certificate_by_number(
        &self,
        number: &str,
    ) -> Result<Option<CertificateRow>, StoreError> {
        let record: Option<CertificateRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            certificate_select!(), " WHERE k.number = $1"
        ))
        .bind(number.trim())
        .fetch_optional(pool)
        .await)?;
        record.map(CertificateRow::try_from).transpose()
    }

    /// A certificate by its number if `scope` may see it.
    pub async fn certificate_in_scope(
        &self,
        scope: &Scope,
        number: &str,
    ) -> Result<Option<CertificateRow>, StoreError> {
        let Some((all, region, institution, person)) = scope_binds(scope) else {
            return Ok(None);
        };
        let record: Option<CertificateRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            certificate_select!(), " WHERE ", certificate_scope!(), " AND k.number = $5"
        ))
        .bind(all)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(number.trim())
        .fetch_optional(pool)
        .await)?;
        record.map(CertificateRow::try_from).transpose()
    }

    /// The certificates `scope` may see, newest first, filtered.
    pub async fn certificates_in_scope(
        &self,
        scope: &Scope,
        filter: &CertificateFilter,
    ) -> Result<Vec<CertificateRow>, StoreError> {
        let Some((all, region, institution, person)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        let limit = i64::from(filter.limit.clamp(1, CERTIFICATE_PAGE_MAX));
        let records: Vec<CertificateRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            certificate_select!(), " WHERE ", certificate_scope!(), "
               AND ($5 IS NULL OR k.kind = $5)
               AND ($6 IS NULL OR k.class_id = $6)
               AND ($7 IS NULL OR k.person_id = $7)
               AND ($8 IS NULL OR k.id < $8)
             ORDER BY k.id DESC LIMIT $9"
        ))
        .bind(all)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(filter.kind.map(CertificateKind::as_str))
        .bind(filter.class_id)
        .bind(filter.person_id)
        .bind(filter.before_id)
        .bind(limit)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(CertificateRow::try_from).collect()
    }

    /// Revokes a valid certificate with its reason and date, audited as `certificate.revoke`.
    /// A certificate already revoked answers `Conflict`; an unknown number `NotFound`.
    pub async fn revoke_certificate(
        &self,
        number: &str,
        reason: &RevocationReason,
        revoked_on: NaiveDate,
        actor: &Actor,
    ) -> Result<CertificateRow, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: Option<i64> = sqlx::query_scalar(
                "UPDATE certificates SET status = 'revoked', revoked_on = $2,
                     revocation_reason = $3, revoked_at = $4, revoked_by = $5
                 WHERE number = $1 AND status = 'valid' RETURNING id",
            )
            .bind(number.trim())
            .bind(revoked_on)
            .bind(reason.as_str())
            .bind(actor.at)
            .bind(actor.user_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some(id) = id else {
                let exists: Option<i64> =
                    sqlx::query_scalar("SELECT id FROM certificates WHERE number = $1")
                        .bind(number.trim())
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(if exists.is_some() { StoreError::Conflict } else { StoreError::NotFound });
            };
            tx.append_audit_entry(&actor.entry("certificate.revoke", "certificate", id,
                Some(json!({"number": number.trim(), "status": "valid"})),
                Some(json!({"status": "revoked", "reason": reason.as_str(),
                            "revoked_on": revoked_on})))).await?;
            let record: CertificateRecord = sqlx::query_as(concat!(
                certificate_select!(), " WHERE k.id = $1"
            ))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            tx.commit().await?;
            CertificateRow::try_from(record)
        })
    }
}
