//! Real-name enrolment (实名制招收, SPEC step 3): one person or a whole roster, decided by the
//! eligibility engine on facts read under the class's lock, written all or nothing. ID numbers
//! and phones are encrypted with the keyring and indexed blindly before they reach the store;
//! a trainee account with a one-time activation code is opened for each new trainee.

use super::actor;
use crate::Context;
use crate::Principal;
use crate::{Detail, ServiceError};
use chrono::{Duration, NaiveDate};
use dte_domain::eligibility::{Candidate, ClassOffer, EligibilityContext, PriorEnrolment, assess};
use dte_domain::{Phone, ResidentId, TraineeCategory};
use dte_store::{Applicant, ClassRow, EnrolmentFacts, NewActivation, NewEnrolment, NewPerson};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// How long an activation code stays valid.
pub const ACTIVATION_DAYS: i64 = 30;

/// One person to enrol, as the enrolment form or API sends them.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EnrolmentInput {
    pub name: String,
    /// 18-digit resident ID number (公民身份号码).
    pub id_number: String,
    /// Mainland mobile number.
    pub phone: String,
    /// `in_post` (在岗), `prospective` (拟从事) or `graduating_student` (全日制高校毕业学年学生).
    pub category: String,
    #[serde(default)]
    pub employer_or_school: String,
    #[serde(default)]
    pub graduation_year: Option<i32>,
    /// Code of the subsidised category (六类人员) claimed, if any.
    #[serde(default)]
    pub subsidy_category: Option<String>,
    /// Whether the signed commitment letter (承诺书) was received.
    #[serde(default)]
    pub commitment_signed: bool,
}

/// A person enrolled; the activation code is shown once, to hand to the trainee.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EnrolmentOutcome {
    pub enrolment_id: i64,
    pub person_id: i64,
    pub name: String,
    /// The ID number, masked.
    pub id_number: String,
    pub subsidised: bool,
    /// The new trainee account's username, when one was opened.
    pub username: Option<String>,
    /// The one-time activation code for that account; shown only in this answer.
    pub activation_code: Option<String>,
}

/// A person parsed from a form or a roster row.
#[derive(Debug, Clone)]
pub struct Trainee {
    pub name: String,
    pub resident_id: ResidentId,
    pub phone: Phone,
    pub category: TraineeCategory,
    pub employer_or_school: String,
    pub graduation_year: Option<i32>,
    pub subsidy_category: Option<String>,
    pub commitment_signed: bool,
}

/// Parses an enrolment form, naming each bad field.
pub fn parse(input: &EnrolmentInput, today: NaiveDate) -> Result<Trainee, ServiceError> {
    let mut errors = Vec::new();
    let mut fail = |field: &str, message: String| {
        errors.push(Detail {
            code: "invalid_parameter".into(),
            message,
            field: Some(field.into()),
        });
    };
    let name = input.name.trim().to_owned();
    if name.is_empty() || name.chars().count() > 50 {
        fail("name", "请填写学员姓名（不超过 50 个字）".into());
    }
    let resident_id = ResidentId::parse(&input.id_number, today)
        .map_err(|error| fail("id_number", error.to_string()))
        .ok();
    let phone = Phone::parse(&input.phone)
        .map_err(|error| fail("phone", error.to_string()))
        .ok();
    let category = TraineeCategory::parse(&input.category);
    if category.is_none() {
        fail(
            "category",
            "学员类别应为 在岗、拟从事 或 全日制高校毕业学年学生".into(),
        );
    }
    let subsidy_category = input
        .subsidy_category
        .as_deref()
        .map(str::trim)
        .filter(|code| !code.is_empty() && *code != "无")
        .map(str::to_owned);
    match (resident_id, phone, category) {
        (Some(resident_id), Some(phone), Some(category)) if errors.is_empty() => Ok(Trainee {
            name,
            resident_id,
            phone,
            category,
            employer_or_school: input.employer_or_school.trim().to_owned(),
            graduation_year: input.graduation_year,
            subsidy_category,
            commitment_signed: input.commitment_signed,
        }),
        _ => Err(ServiceError::violations(errors)),
    }
}

/// The class, if the principal may take `action` on it (`classes::class_for_action`).
pub use crate::classes::class_for_action as own_class;

/// The policy of `today` the eligibility engine needs: the subsidised categories enabled and
/// the subsidised trainings allowed per year. Shared by the API, the pages and `dte demo`.
pub async fn eligibility_context_on(
    store: &dte_store::Store,
    today: NaiveDate,
) -> Result<EligibilityContext, dte_store::StoreError> {
    let enabled = store
        .subsidy_categories(today)
        .await?
        .into_iter()
        .filter(|category| category.enabled)
        .map(|category| category.code)
        .collect();
    let per_year = store.policy_on(today).await?.subsidised_trainings_per_year;
    Ok(EligibilityContext {
        today,
        enabled_subsidy_categories: enabled,
        subsidised_trainings_per_year: per_year,
    })
}

/// Whether the class's institution is active in the catalog today for the class's occupation
/// (`catalog::standing`): a suspended or removed one enrols no one.
pub async fn institution_active_on(
    store: &dte_store::Store,
    occupation: &dte_domain::OccupationCode,
    institution_id: i64,
    today: NaiveDate,
) -> Result<bool, dte_store::StoreError> {
    Ok(crate::catalog::standing(
        store,
        dte_domain::reference::InstitutionKind::Training,
        occupation,
        institution_id,
        today,
    )
    .await?
    .active)
}

async fn institution_active(context: &Context, class: &ClassRow) -> Result<bool, ServiceError> {
    Ok(institution_active_on(
        &context.store,
        &class.occupation,
        class.institution_id,
        context.clock.today(),
    )
    .await?)
}

/// [`eligibility_context_on`] for a request, today.
pub async fn eligibility_context(context: &Context) -> Result<EligibilityContext, ServiceError> {
    Ok(eligibility_context_on(&context.store, context.clock.today()).await?)
}

/// The subsidy categories of the day, for roster templates and forms.
pub async fn subsidy_choices(
    context: &Context,
) -> Result<Vec<dte_docs::roster::SubsidyChoice>, ServiceError> {
    Ok(context
        .store
        .subsidy_categories(context.clock.today())
        .await?
        .into_iter()
        .filter(|category| category.enabled)
        .map(|category| dte_docs::roster::SubsidyChoice {
            code: category.code,
            name: category.name,
        })
        .collect())
}

fn applicant(
    context: &Context,
    trainee: &Trainee,
    code_digest: Option<String>,
    username: String,
) -> Applicant {
    Applicant {
        person: NewPerson::protect(
            &context.keyring,
            &trainee.name,
            &trainee.resident_id,
            &trainee.phone,
        ),
        enrolment: NewEnrolment {
            category: trainee.category,
            employer_or_school: trainee.employer_or_school.clone(),
            graduation_year: trainee.graduation_year,
            subsidy_category: trainee.subsidy_category.clone(),
            commitment_signed: trainee.commitment_signed,
        },
        activation: code_digest.map(|code_digest| NewActivation {
            username,
            code_digest,
            expires_at: context.clock.now() + Duration::days(ACTIVATION_DAYS),
        }),
    }
}

/// One reason a trainee may not be enrolled: a stable code (the eligibility engine's, or
/// `name_mismatch`) and a Chinese message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub code: &'static str,
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(&self.message)
    }
}

impl From<&dte_domain::eligibility::Reason> for Refusal {
    fn from(reason: &dte_domain::eligibility::Reason) -> Refusal {
        Refusal {
            code: reason.code(),
            message: reason.message(),
        }
    }
}

/// Whether one trainee may be enrolled (and subsidised), or every reason not.
pub fn decide(
    trainee: &Trainee,
    facts: &EnrolmentFacts<'_>,
    rules: &EligibilityContext,
    institution_active: bool,
) -> Result<bool, Vec<Refusal>> {
    if let Some(person) = facts.person
        && person.name != trainee.name
    {
        return Err(vec![Refusal {
            code: "name_mismatch",
            message: format!(
                "该公民身份号码已登记为另一姓名（{}），同一人只能有一条实名记录：请核对姓名与证件",
                dte_domain::flags::MaskedName::mask(&person.name)
            ),
        }]);
    }
    let class = facts.class;
    let offer = ClassOffer {
        id: class.id,
        occupation: class.occupation.clone(),
        level: class.level,
        funding: class.funding,
        start_date: class.start_date,
        end_date: class.end_date,
        capacity: class.capacity,
        seats_taken: facts.seats_taken,
        status: class.status,
        institution_active,
    };
    let priors: Vec<PriorEnrolment> = facts
        .priors
        .iter()
        .map(|prior| PriorEnrolment {
            class_id: prior.class_id,
            occupation: prior.occupation.clone(),
            level: prior.level,
            start_date: prior.start_date,
            end_date: prior.end_date,
            subsidised: prior.subsidised,
            active: prior.active,
        })
        .collect();
    let candidate = Candidate {
        resident_id: trainee.resident_id.clone(),
        category: trainee.category,
        graduation_year: trainee.graduation_year,
        subsidy_category: trainee.subsidy_category.clone(),
    };
    let assessment = assess(&candidate, &offer, &priors, rules);
    if !assessment.may_enrol() {
        return Err(assessment.seat.iter().map(Refusal::from).collect());
    }
    // A subsidy claimed but not granted is refused rather than silently dropped: the
    // institution corrects the data or enrols the person without a subsidy category.
    if class.funding == dte_domain::Funding::Subsidised
        && trainee.subsidy_category.is_some()
        && !assessment.subsidised()
    {
        return Err(assessment.subsidy.iter().map(Refusal::from).collect());
    }
    Ok(assessment.subsidised())
}

/// Enrols trainees into a class, all or nothing. `labels` name each trainee in errors (the
/// roster's row number, or nothing for a single form). Refusals become one 422 listing each
/// trainee's reasons.
pub async fn enrol(
    context: &Context,
    principal: &Principal,
    class: &ClassRow,
    trainees: &[Trainee],
    labels: &[String],
) -> Result<Vec<EnrolmentOutcome>, ServiceError> {
    let rules = eligibility_context(context).await?;
    let active = institution_active(context, class).await?;
    let mut codes = Vec::new();
    let applicants: Vec<Applicant> = trainees
        .iter()
        .map(|trainee| {
            let code = dte_crypto::activation_code();
            let digest = context.keyring.activation_code_digest(&code);
            let username = format!(
                "xy{}",
                &dte_crypto::token_digest(&dte_crypto::new_token())[..10]
            );
            codes.push((username.clone(), code));
            applicant(context, trainee, digest, username)
        })
        .collect();
    let outcome = context
        .store
        .enrol(
            class.id,
            &applicants,
            &actor(context, principal),
            |index, _, facts| decide(&trainees[index], facts, &rules, active),
        )
        .await?;
    match outcome {
        Ok(written) => Ok(written
            .into_iter()
            .zip(trainees)
            .zip(codes)
            .map(|((enrolled, trainee), (username, code))| EnrolmentOutcome {
                enrolment_id: enrolled.enrolment_id,
                person_id: enrolled.person_id,
                name: trainee.name.clone(),
                id_number: trainee.resident_id.masked(),
                subsidised: enrolled.subsidised,
                username: enrolled.account_opened.then(|| username.clone()),
                activation_code: enrolled.account_opened.then_some(code),
            })
            .collect()),
        Err(refusals) => Err(ServiceError::violations(
            refusals
                .into_iter()
                .flat_map(|(index, reasons)| {
                    let label = labels.get(index).cloned().unwrap_or_default();
                    reasons.into_iter().map(move |reason| Detail {
                        code: reason.code.into(),
                        message: format!("{label}{}", reason.message),
                        field: Some(if label.is_empty() {
                            "id_number".into()
                        } else {
                            format!("rows[{index}]")
                        }),
                    })
                })
                .collect(),
        )),
    }
}

/// Imports a roster workbook into a class: every row parsed and every trainee's eligibility
/// decided before anything is written; any bad row refuses the whole file, naming each row.
pub async fn import(
    context: &Context,
    principal: &Principal,
    class: &ClassRow,
    bytes: &[u8],
) -> Result<Vec<EnrolmentOutcome>, ServiceError> {
    let choices = subsidy_choices(context).await?;
    let rows = dte_docs::roster::parse_roster(bytes, &choices, context.clock.today()).map_err(
        |errors| match errors {
            dte_docs::roster::RosterErrors::File(error) => {
                let mut refusal = ServiceError::invalid("file", error.to_string());
                if let Some(code) = error.code() {
                    refusal.code = code;
                }
                refusal
            }
            dte_docs::roster::RosterErrors::Rows(rows) => ServiceError::violations(
                rows.iter()
                    .map(|row| Detail {
                        code: "invalid_row".into(),
                        message: format!("第 {} 行［{}］：{}", row.row, row.column, row.message),
                        field: Some(format!("row {}", row.row)),
                    })
                    .collect(),
            ),
        },
    )?;
    let labels: Vec<String> = rows
        .iter()
        .map(|row| format!("第 {} 行：", row.row))
        .collect();
    let trainees: Vec<Trainee> = rows
        .into_iter()
        .map(|row| Trainee {
            name: row.name,
            resident_id: row.resident_id,
            phone: row.phone,
            category: row.category,
            employer_or_school: row.employer_or_school,
            graduation_year: row.graduation_year,
            subsidy_category: row.subsidy_category,
            commitment_signed: false,
        })
        .collect();
    enrol(context, principal, class, &trainees, &labels).await
}
