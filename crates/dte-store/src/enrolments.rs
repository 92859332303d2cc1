//! People (one record per human, found by the blind index of their ID number), real-name
//! enrolments and their documents, and trainee accounts opened at enrolment.
//!
//! The ID number and phone arrive here already encrypted by the caller's keyring, with their
//! blind index and masked form: this module never sees them in the clear. Whether a person
//! may take a seat is decided by `dte_domain::eligibility`, through the `decide` callback of
//! [`Store::enrol`], on facts read inside the same transaction that writes the enrolment.

use crate::audit::{Actor, AppendAudit};
use crate::classes::ClassRow;
use crate::error::{corrupt, corrupt_record, count};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use dte_domain::class::{ClassStatus, Funding};
use dte_domain::{Level, OccupationCode, TraineeCategory};
use serde_json::json;

/// A person as the enrolment form gives them, personal data already protected.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub name: String,
    pub id_number_cipher: String,
    pub id_number_index: String,
    pub id_number_masked: String,
    pub birth_date: NaiveDate,
    pub phone_cipher: Option<String>,
    pub phone_index: Option<String>,
    pub phone_masked: Option<String>,
}

/// Associated data binding each encrypted value to its column: an envelope copied into
/// another column does not decrypt.
pub const ID_NUMBER_AD: &[u8] = b"persons.id_number";
pub const PHONE_AD: &[u8] = b"persons.phone";

impl NewPerson {
    /// The person with their ID number and phone protected by `keyring`: encrypted
    /// (AES-256-GCM, key id inside), blind-indexed (HMAC) and masked. The one place where
    /// personal data is turned into what the database may hold.
    pub fn protect(
        keyring: &dte_crypto::Keyring,
        name: &str,
        resident_id: &dte_domain::ResidentId,
        phone: &dte_domain::Phone,
    ) -> NewPerson {
        NewPerson {
            name: name.to_owned(),
            id_number_cipher: keyring.encrypt(resident_id.expose(), ID_NUMBER_AD),
            id_number_index: keyring.blind_index("id_number", resident_id.expose()),
            id_number_masked: resident_id.masked(),
            birth_date: resident_id.birth_date(),
            phone_cipher: Some(keyring.encrypt(phone.expose(), PHONE_AD)),
            phone_index: Some(keyring.blind_index("phone", phone.expose())),
            phone_masked: Some(phone.masked()),
        }
    }
}

/// The enrolment part of an application.
#[derive(Debug, Clone)]
pub struct NewEnrolment {
    pub category: TraineeCategory,
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    /// Code of the subsidised category claimed, if any.
    pub subsidy_category: Option<String>,
    pub commitment_signed: bool,
}

/// A trainee account to open if the person has none yet: the username and the digest of the
/// one-time activation code handed to the trainee.
#[derive(Debug, Clone)]
pub struct NewActivation {
    pub username: String,
    pub code_digest: String,
    pub expires_at: DateTime<Utc>,
}

/// One person applying for a seat.
#[derive(Debug, Clone)]
pub struct Applicant {
    pub person: NewPerson,
    pub enrolment: NewEnrolment,
    pub activation: Option<NewActivation>,
}

/// A stored person.
#[derive(Debug, Clone)]
pub struct PersonRow {
    pub id: i64,
    pub name: String,
    pub id_number_cipher: String,
    pub id_number_masked: String,
    pub birth_date: NaiveDate,
    pub phone_cipher: Option<String>,
    pub phone_masked: Option<String>,
}

/// Another enrolment of the same person, for the eligibility rules.
#[derive(Debug, Clone)]
pub struct PriorEnrolment {
    pub class_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub funding: Funding,
    pub class_status: ClassStatus,
    pub start_date: NaiveDate,
    pub end_date: NaiveDate,
    pub subsidised: bool,
    /// Not withdrawn.
    pub active: bool,
}

/// What the eligibility decision sees, read under the class's lock.
#[derive(Debug)]
pub struct EnrolmentFacts<'a> {
    pub class: &'a ClassRow,
    /// Active enrolments of the class, including the applicants accepted before this one.
    pub seats_taken: u32,
    /// The stored person with this ID number, if any.
    pub person: Option<&'a PersonRow>,
    pub priors: &'a [PriorEnrolment],
}

/// What an accepted application wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Enrolled {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub subsidised: bool,
    /// Whether a trainee account was opened (so the activation code must be handed over).
    pub account_opened: bool,
}

/// A line of a class roster.
#[derive(Debug, Clone)]
pub struct RosterEntry {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub name: String,
    pub id_number_cipher: String,
    pub id_number_masked: String,
    pub phone_cipher: Option<String>,
    pub phone_masked: Option<String>,
    pub category: TraineeCategory,
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    pub subsidy_category: Option<String>,
    pub subsidised: bool,
    pub active: bool,
    pub commitment_signed: bool,
    pub documents: u32,
    pub account_status: Option<String>,
    pub username: Option<String>,
    /// When the enrolment was written (the day its subsidy category is judged on).
    pub enrolled_at: DateTime<Utc>,
}

/// A stored document's description.
#[derive(Debug, Clone)]
pub struct DocumentMeta {
    pub id: i64,
    pub enrolment_id: i64,
    pub kind: String,
    pub file_name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// A document to store.
#[derive(Debug, Clone)]
pub struct NewDocument<'a> {
    pub enrolment_id: i64,
    /// `photo`, `proof` or `commitment`.
    pub kind: &'a str,
    pub file_name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub content: &'a [u8],
}

#[derive(sqlx::FromRow)]
struct PersonRecord {
    id: i64,
    name: String,
    id_number_cipher: String,
    id_number_masked: String,
    birth_date: NaiveDate,
    phone_cipher: Option<String>,
    phone_masked: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PriorRecord {
    class_id: i64,
    occupation_code: String,
    level: String,
    funding: String,
    class_status: String,
    start_date: NaiveDate,
    end_date: NaiveDate,
    subsidised: bool,
    status: String,
}

#[derive(sqlx::FromRow)]
struct RosterRecord {
    enrolment_id: i64,
    person_id: i64,
    name: String,
    id_number_cipher: String,
    id_number_masked: String,
    phone_cipher: Option<String>,
    phone_masked: Option<String>,
    category: String,
    employer_or_school: String,
    graduation_year: Option<i64>,
    subsidy_category: Option<String>,
    subsidised: bool,
    status: String,
    commitment_signed_at: Option<DateTime<Utc>>,
    documents: i64,
    account_status: Option<String>,
    username: Option<String>,
    created_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct DocumentRecord {
    id: i64,
    enrolment_id: i64,
    kind: String,
    file_name: String,
    content_type: String,
    sha256: String,
    size: i64,
    uploaded_at: DateTime<Utc>,
}

impl PersonRow {
    /// The full ID number and phone, decrypted. Callers audit every use.
    pub fn reveal(
        &self,
        keyring: &dte_crypto::Keyring,
    ) -> Result<(String, Option<String>), dte_crypto::CryptoError> {
        reveal(
            keyring,
            &self.id_number_cipher,
            self.phone_cipher.as_deref(),
        )
    }
}

impl RosterEntry {
    /// The full ID number and phone, decrypted. Callers audit every use.
    pub fn reveal(
        &self,
        keyring: &dte_crypto::Keyring,
    ) -> Result<(String, Option<String>), dte_crypto::CryptoError> {
        reveal(
            keyring,
            &self.id_number_cipher,
            self.phone_cipher.as_deref(),
        )
    }
}

fn reveal(
    keyring: &dte_crypto::Keyring,
    id_number_cipher: &str,
    phone_cipher: Option<&str>,
) -> Result<(String, Option<String>), dte_crypto::CryptoError> {
    let id_number = keyring.decrypt(id_number_cipher, ID_NUMBER_AD)?;
    let phone = phone_cipher
        .map(|cipher| keyring.decrypt(cipher, PHONE_AD))
        .transpose()?;
    Ok((id_number, phone))
}

impl From<PersonRecord> for PersonRow {
    fn from(record: PersonRecord) -> PersonRow {
        PersonRow {
            id: record.id,
            name: record.name,
            id_number_cipher: record.id_number_cipher,
            id_number_masked: record.id_number_masked,
            birth_date: record.birth_date,
            phone_cipher: record.phone_cipher,
            phone_masked: record.phone_masked,
        }
    }
}

impl From<DocumentRecord> for DocumentMeta {
    fn from(record: DocumentRecord) -> DocumentMeta {
        DocumentMeta {
            id: record.id,
            enrolment_id: record.enrolment_id,
            kind: record.kind,
            file_name: record.file_name,
            content_type: record.content_type,
            sha256: record.sha256,
            size: record.size,
            uploaded_at: record.uploaded_at,
        }
    }
}

impl TryFrom<PriorRecord> for PriorEnrolment {
    type Error = StoreError;
    fn try_from(record: PriorRecord) -> Result<PriorEnrolment, StoreError> {
        Ok(PriorEnrolment {
            class_id: record.class_id,
            occupation: OccupationCode::parse(&record.occupation_code)
                .map_err(|_| corrupt("occupation", &record.occupation_code))?,
            level: Level::parse(&record.level).map_err(|_| corrupt("level", &record.level))?,
            funding: Funding::parse(&record.funding)
                .ok_or_else(|| corrupt("funding", &record.funding))?,
            class_status: ClassStatus::parse(&record.class_status)
                .ok_or_else(|| corrupt("class status", &record.class_status))?,
            start_date: record.start_date,
            end_date: record.end_date,
            subsidised: record.subsidised,
            active: record.status == "active",
        })
    }
}

impl TryFrom<RosterRecord> for RosterEntry {
    type Error = StoreError;
    fn try_from(record: RosterRecord) -> Result<RosterEntry, StoreError> {
        Ok(RosterEntry {
            enrolment_id: record.enrolment_id,
            person_id: record.person_id,
            name: record.name,
            id_number_cipher: record.id_number_cipher,
            id_number_masked: record.id_number_masked,
            phone_cipher: record.phone_cipher,
            phone_masked: record.phone_masked,
            category: TraineeCategory::parse(&record.category)
                .ok_or_else(|| corrupt("category", &record.category))?,
            employer_or_school: record.employer_or_school,
            graduation_year: record
                .graduation_year
                .map(|year| {
                    i32::try_from(year).map_err(|_| {
                        corrupt_record(
                            "enrolments",
                            record.enrolment_id,
                            "graduation_year",
                            &year.to_string(),
                        )
                    })
                })
                .transpose()?,
            subsidy_category: record.subsidy_category,
            subsidised: record.subsidised,
            active: record.status == "active",
            commitment_signed: record.commitment_signed_at.is_some(),
            enrolled_at: record.created_at,
            documents: count(record.documents),
            account_status: record.account_status,
            username: record.username,
        })
    }
}

const PERSON_COLUMNS: &str = "SELECT id, name, id_number_cipher, id_number_masked, birth_date, \
     phone_cipher, phone_masked FROM persons";

impl Store {
    /// Enrols `applicants` into a class, all or nothing. Holding the class row, for each
    /// applicant in order it finds the person by the ID number's blind index, reads their
    /// other enrolments and asks `decide` (index, applicant, facts) whether the seat is
    /// granted and whether it is subsidised. Accepted applicants are written at once, so the
    /// next one sees their seat taken; if any is refused the transaction is rolled back and
    /// every refusal is returned with its index. Each person created, enrolment written and
    /// account opened is audited in the same transaction.
    pub async fn enrol<E>(
        &self,
        class_id: i64,
        applicants: &[Applicant],
        actor: &Actor,
        mut decide: impl FnMut(usize, &Applicant, &EnrolmentFacts<'_>) -> Result<bool, E>,
    ) -> Result<Result<Vec<Enrolled>, Vec<(usize, E)>>, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            // Write first (a no-op that takes the class's lock), then read.
            let touched = sqlx::query("UPDATE classes SET updated_at = updated_at WHERE id = $1")
                .bind(class_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if touched == 0 {
                return Err(StoreError::NotFound);
            }
            let class: crate::classes::ClassRecord = sqlx::query_as(concat!(
                crate::classes::class_select!(), " WHERE c.id = $1"
            ))
            .bind(class_id)
            .fetch_one(&mut *tx)
            .await?;
            let class = ClassRow::try_from(class)?;
            let mut seats_taken = class.enrolled;
            let mut refusals = Vec::new();
            let mut written = Vec::new();
            for (index, applicant) in applicants.iter().enumerate() {
                let person: Option<PersonRow> = sqlx::query_as::<_, PersonRecord>(
                    sqlx::AssertSqlSafe(format!("{PERSON_COLUMNS} WHERE id_number_index = $1")),
                )
                .bind(&applicant.person.id_number_index)
                .fetch_optional(&mut *tx)
                .await?
                .map(PersonRow::from);
                let priors: Vec<PriorEnrolment> = match &person {
                    None => Vec::new(),
                    Some(person) => sqlx::query_as::<_, PriorRecord>(
                        "SELECT e.class_id, c.occupation_code, c.level, c.funding,
                                c.status AS class_status, c.start_date, c.end_date,
                                e.subsidised, e.status
                         FROM enrolments e JOIN classes c ON c.id = e.class_id
                         WHERE e.person_id = $1 ORDER BY e.id",
                    )
                    .bind(person.id)
                    .fetch_all(&mut *tx)
                    .await?
                    .into_iter()
                    .map(PriorEnrolment::try_from)
                    .collect::<Result<_, _>>()?,
                };
                let facts = EnrolmentFacts {
                    class: &class,
                    seats_taken,
                    person: person.as_ref(),
                    priors: &priors,
                };
                let subsidised = match decide(index, applicant, &facts) {
                    Ok(subsidised) => subsidised,
                    Err(refusal) => {
                        refusals.push((index, refusal));
                        continue;
                    }
                };
                if !refusals.is_empty() {
                    // Nothing will be written; keep checking the rest for their reasons.
                    seats_taken += 1;
                    continue;
                }
                let new = &applicant.person;
                let person_id = match &person {
                    Some(person) => {
                        if new.phone_cipher.is_some() {
                            sqlx::query(
                                "UPDATE persons SET phone_cipher = $2, phone_index = $3,
                                     phone_masked = $4, updated_at = $5 WHERE id = $1",
                            )
                            .bind(person.id)
                            .bind(&new.phone_cipher)
                            .bind(&new.phone_index)
                            .bind(&new.phone_masked)
                            .bind(actor.at)
                            .execute(&mut *tx)
                            .await?;
                        }
                        person.id
                    }
                    None => {
                        let id: i64 = sqlx::query_scalar(
                            "INSERT INTO persons (name, id_number_cipher, id_number_index,
                                 id_number_masked, birth_date, phone_cipher, phone_index,
                                 phone_masked, created_at, updated_at)
                             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
                        )
                        .bind(&new.name)
                        .bind(&new.id_number_cipher)
                        .bind(&new.id_number_index)
                        .bind(&new.id_number_masked)
                        .bind(new.birth_date)
                        .bind(&new.phone_cipher)
                        .bind(&new.phone_index)
                        .bind(&new.phone_masked)
                        .bind(actor.at)
                        .fetch_one(&mut *tx)
                        .await?;
                        tx.append_audit_entry(&actor.entry("person.create", "person", id, None,
                            Some(json!({"name": new.name, "id_number": new.id_number_masked,
                                        "phone": new.phone_masked})))).await?;
                        id
                    }
                };
                let enrolment = &applicant.enrolment;
                let enrolment_id: i64 = sqlx::query_scalar(
                    "INSERT INTO enrolments (class_id, person_id, category, employer_or_school,
                         graduation_year, subsidy_category, subsidised, status,
                         commitment_signed_at, created_by, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, 'active', $8, $9, $10) RETURNING id",
                )
                .bind(class_id)
                .bind(person_id)
                .bind(enrolment.category.as_str())
                .bind(&enrolment.employer_or_school)
                .bind(enrolment.graduation_year.map(i64::from))
                .bind(&enrolment.subsidy_category)
                .bind(subsidised)
                .bind(enrolment.commitment_signed.then_some(actor.at))
                .bind(actor.user_id)
                .bind(actor.at)
                .fetch_one(&mut *tx)
                .await?;
                tx.append_audit_entry(&actor.entry("enrolment.create", "enrolment", enrolment_id,
                    None, Some(json!({
                        "class_id": class_id, "person_id": person_id, "name": new.name,
                        "id_number": new.id_number_masked,
                        "category": enrolment.category.as_str(),
                        "subsidy_category": enrolment.subsidy_category,
                        "subsidised": subsidised,
                    })))).await?;
                let mut account_opened = false;
                if let Some(activation) = &applicant.activation {
                    let has_account: Option<i64> = sqlx::query_scalar(
                        "SELECT id FROM users WHERE person_id = $1 AND role = 'trainee'",
                    )
                    .bind(person_id)
                    .fetch_optional(&mut *tx)
                    .await?;
                    if has_account.is_none() {
                        let user_id: i64 = sqlx::query_scalar(
                            "INSERT INTO users (username, display_name, role, person_id, status,
                                 activation_digest, activation_expires_at, created_at)
                             VALUES ($1, $2, 'trainee', $3, 'pending_activation', $4, $5, $6)
                             RETURNING id",
                        )
                        .bind(&activation.username)
                        .bind(&new.name)
                        .bind(person_id)
                        .bind(&activation.code_digest)
                        .bind(activation.expires_at)
                        .bind(actor.at)
                        .fetch_one(&mut *tx)
                        .await?;
                        tx.append_audit_entry(&actor.entry("user.create", "user", user_id, None,
                            Some(json!({"username": activation.username, "role": "trainee",
                                        "person_id": person_id,
                                        "status": "pending_activation"})))).await?;
                        account_opened = true;
                    }
                }
                seats_taken += 1;
                written.push(Enrolled { enrolment_id, person_id, subsidised, account_opened });
            }
            if !refusals.is_empty() {
                tx.rollback().await?;
                return Ok(Err(refusals));
            }
            tx.commit().await?;
            Ok(Ok(written))
        })
    }

    /// A class's roster in enrolment order.
    pub async fn class_roster(&self, class_id: i64) -> Result<Vec<RosterEntry>, StoreError> {
        let records: Vec<RosterRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT e.id AS enrolment_id, p.id AS person_id, p.name, p.id_number_cipher,
                    p.id_number_masked, p.phone_cipher, p.phone_masked, e.category,
                    e.employer_or_school, e.graduation_year, e.subsidy_category, e.subsidised,
                    e.status, e.commitment_signed_at,
                    (SELECT COUNT(*) FROM enrolment_documents d WHERE d.enrolment_id = e.id)
                        AS documents,
                    u.status AS account_status, u.username, e.created_at
             FROM enrolments e
             JOIN persons p ON p.id = e.person_id
             LEFT JOIN users u ON u.person_id = p.id AND u.role = 'trainee'
             WHERE e.class_id = $1 ORDER BY e.id"
        )
        .bind(class_id)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(RosterEntry::try_from).collect()
    }

    /// A person by id.
    pub async fn person(&self, id: i64) -> Result<Option<PersonRow>, StoreError> {
        let record: Option<PersonRecord> = with_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{PERSON_COLUMNS} WHERE id = $1"))
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(record.map(PersonRow::from))
    }

    /// The person with this ID number's blind index, if any (exact look-up without decrypting).
    pub async fn person_by_id_index(&self, index: &str) -> Result<Option<PersonRow>, StoreError> {
        let record: Option<PersonRecord> = with_db!(self, pool => sqlx::query_as(
            sqlx::AssertSqlSafe(format!("{PERSON_COLUMNS} WHERE id_number_index = $1"))
        )
        .bind(index)
        .fetch_optional(pool)
        .await)?;
        Ok(record.map(PersonRow::from))
    }

    /// A person if the scope may see them: the person themself, or someone enrolled in a
    /// class the scope sees. `None` both when missing and when outside the scope.
    pub async fn person_in_scope(
        &self,
        scope: &dte_domain::Scope,
        id: i64,
    ) -> Result<Option<PersonRow>, StoreError> {
        let Some((everything, region, institution, person)) = crate::classes::scope_binds(scope)
        else {
            return Ok(None);
        };
        let record: Option<PersonRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            "SELECT id, name, id_number_cipher, id_number_masked, birth_date, phone_cipher,
                    phone_masked FROM persons p
             WHERE p.id = $5 AND (p.id = $4 OR EXISTS (
                 SELECT 1 FROM enrolments pe JOIN classes c ON c.id = pe.class_id
                 WHERE pe.person_id = p.id AND ", crate::classes::class_scope!(), "))"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(record.map(PersonRow::from))
    }

    /// The activation code digest and expiry of an account waiting for activation.
    pub async fn pending_activation(
        &self,
        username: &str,
    ) -> Result<Option<(i64, String, DateTime<Utc>)>, StoreError> {
        let found: Option<(i64, Option<String>, Option<DateTime<Utc>>)> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, activation_digest, activation_expires_at FROM users
             WHERE username = $1 AND status = 'pending_activation'"
        )
        .bind(username)
        .fetch_optional(pool)
        .await)?;
        Ok(found.and_then(|(id, digest, expires)| Some((id, digest?, expires?))))
    }

    /// Activates an account with its first password (the code was checked by the caller),
    /// audited as `user.activate` in the same transaction. `Conflict` if it was activated
    /// meanwhile.
    pub async fn activate_account(
        &self,
        user_id: i64,
        password_hash: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE users SET password_hash = $2, password_changed_at = $3, status = 'active',
                     activation_digest = NULL, activation_expires_at = NULL
                 WHERE id = $1 AND status = 'pending_activation'",
            )
            .bind(user_id)
            .bind(password_hash)
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry("user.activate", "user", user_id, None,
                Some(json!({"status": "active"})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// A page of people's encrypted values in id order, after `after_id`: what a key rotation
    /// re-encrypts. Each item is (id, ID-number envelope, phone envelope).
    pub async fn person_envelopes(
        &self,
        after_id: i64,
        limit: u32,
    ) -> Result<Vec<(i64, String, Option<String>)>, StoreError> {
        let rows: Vec<(i64, String, Option<String>)> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, id_number_cipher, phone_cipher FROM persons WHERE id > $1
             ORDER BY id LIMIT $2"
        )
        .bind(after_id)
        .bind(i64::from(limit))
        .fetch_all(pool)
        .await)?;
        Ok(rows)
    }

    /// Replaces people's envelopes with ones sealed by the current key, in one transaction
    /// with a `person.reencrypt` audit entry naming the key and the count.
    pub async fn replace_person_envelopes(
        &self,
        envelopes: &[(i64, String, Option<String>)],
        key_id: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        if envelopes.is_empty() {
            return Ok(());
        }
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            for (id, id_number_cipher, phone_cipher) in envelopes {
                sqlx::query(
                    "UPDATE persons SET id_number_cipher = $2,
                         phone_cipher = COALESCE($3, phone_cipher) WHERE id = $1",
                )
                .bind(id)
                .bind(id_number_cipher)
                .bind(phone_cipher)
                .execute(&mut *tx)
                .await?;
            }
            let first = envelopes.first().map_or(0, |item| item.0);
            let last = envelopes.last().map_or(0, |item| item.0);
            tx.append_audit_entry(&actor.entry("person.reencrypt", "person", format!("{first}-{last}"),
                None, Some(json!({"key": key_id, "count": envelopes.len()})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Stores a document of an enrolment, audited as `document.create`.
    pub async fn add_document(
        &self,
        document: &NewDocument<'_>,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO enrolment_documents (enrolment_id, kind, file_name, content_type,
                     sha256, size, content, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(document.enrolment_id)
            .bind(document.kind)
            .bind(document.file_name)
            .bind(document.content_type)
            .bind(document.sha256)
            .bind(i64::try_from(document.content.len()).unwrap_or(i64::MAX))
            .bind(document.content)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await?;
            if document.kind == "commitment" {
                sqlx::query("UPDATE enrolments SET commitment_signed_at = $2 WHERE id = $1")
                    .bind(document.enrolment_id)
                    .bind(actor.at)
                    .execute(&mut *tx)
                    .await?;
            }
            tx.append_audit_entry(&actor.entry("document.create", "document", id, None,
                Some(json!({"enrolment_id": document.enrolment_id, "kind": document.kind,
                            "file_name": document.file_name, "sha256": document.sha256,
                            "size": document.content.len()})))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The documents of an enrolment.
    pub async fn documents(&self, enrolment_id: i64) -> Result<Vec<DocumentMeta>, StoreError> {
        let records: Vec<DocumentRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, enrolment_id, kind, file_name, content_type, sha256, size, uploaded_at
             FROM enrolment_documents WHERE enrolment_id = $1 ORDER BY id"
        )
        .bind(enrolment_id)
        .fetch_all(pool)
        .await)?;
        Ok(records.into_iter().map(DocumentMeta::from).collect())
    }

    /// A document's bytes with its description.
    pub async fn document(&self, id: i64) -> Result<Option<(DocumentMeta, Vec<u8>)>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct WithContent {
            #[sqlx(flatten)]
            meta: DocumentRecord,
            content: Vec<u8>,
        }
        let record: Option<WithContent> = with_db!(self, pool => sqlx::query_as(
            "SELECT id, enrolment_id, kind, file_name, content_type, sha256, size, uploaded_at,
                    content
             FROM enrolment_documents WHERE id = $1"
        )
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        Ok(record.map(|record| (DocumentMeta::from(record.meta), record.content)))
    }

    /// The class an enrolment belongs to, for scope checks.
    pub async fn enrolment_class(&self, enrolment_id: i64) -> Result<Option<i64>, StoreError> {
        let class: Option<i64> = with_db!(self, pool => sqlx::query_scalar(
            "SELECT class_id FROM enrolments WHERE id = $1"
        )
        .bind(enrolment_id)
        .fetch_optional(pool)
        .await)?;
        Ok(class)
    }
}
