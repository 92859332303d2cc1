//! A person's continuing-education hours (继续教育学时, issue 6 item 6), read from their valid
//! training certificates (each keeps the hours completion counted, and its date is the day of
//! completion) and summed per year by `dte_domain::evaluation::continuing_education_hours`.

use crate::ServiceError;
use dte_domain::Scope;
use dte_domain::certificate::{CertificateKind, CertificateStatus};
use dte_domain::evaluation::{CompletedTraining, continuing_education_hours};
use dte_store::{CertificateDetails, CertificateFilter, PersonRow, Store};
use serde::Serialize;
use utoipa::ToSchema;

/// A person's record: hours per calendar year, earliest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursRecord {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub total_hours: u32,
    pub years: Vec<HoursYear>,
}

/// One year of the record.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursYear {
    pub year: i32,
    pub hours: u32,
    pub trainings: Vec<HoursTraining>,
}

/// One completed training and the hours it gave.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HoursTraining {
    pub class_id: i64,
    pub class_title: String,
    pub institution: String,
    pub occupation: String,
    pub level: String,
    pub start_date: chrono::NaiveDate,
    pub end_date: chrono::NaiveDate,
    pub completed_on: chrono::NaiveDate,
    pub certificate_number: String,
    pub hours: u32,
}

/// The record of `person` (already checked to be in the principal's scope).
pub async fn record(store: &Store, person: &PersonRow) -> Result<HoursRecord, ServiceError> {
    let filter = CertificateFilter {
        kind: Some(CertificateKind::Training),
        person_id: Some(person.id),
        limit: 500,
        ..CertificateFilter::default()
    };
    let certificates: Vec<_> = store
        .certificates_in_scope(&Scope::Province, &filter)
        .await?
        .into_iter()
        .filter(|certificate| certificate.status == CertificateStatus::Valid)
        .collect();
    let mut completed = Vec::new();
    for certificate in &certificates {
        if let CertificateDetails::Training {
            class_id,
            start_date,
            end_date,
            hours,
        } = certificate.details
        {
            completed.push(CompletedTraining {
                class_id,
                occupation: certificate.occupation.clone(),
                level: certificate.level,
                start_date,
                end_date,
                completed_on: certificate.issued_on,
                hours,
            });
        }
    }
    let mut years = Vec::new();
    for year in continuing_education_hours(&completed) {
        let mut trainings = Vec::new();
        for (training, hours) in &year.trainings {
            let Some(certificate) = certificates
                .iter()
                .find(|certificate| certificate.class_id() == Some(training.class_id))
            else {
                continue;
            };
            let title = store
                .class_in_scope(&Scope::Province, training.class_id)
                .await?
                .map_or_else(String::new, |class| class.title);
            trainings.push(HoursTraining {
                class_id: training.class_id,
                class_title: title,
                institution: certificate.issuer_name.clone(),
                occupation: certificate.occupation_name.clone(),
                level: training.level.label().to_owned(),
                start_date: training.start_date,
                end_date: training.end_date,
                completed_on: training.completed_on,
                certificate_number: certificate.number.clone(),
                hours: *hours,
            });
        }
        years.push(HoursYear {
            year: year.year,
            hours: year.hours,
            trainings,
        });
    }
    Ok(HoursRecord {
        person_id: person.id,
        name: person.name.clone(),
        id_number_masked: person.id_number_masked.clone(),
        total_hours: years.iter().map(|year| year.hours).sum(),
        years,
    })
}

/// The record as an .xlsx workbook.
pub fn workbook(record: &HoursRecord) -> Result<Vec<u8>, ServiceError> {
    use dte_docs::hours::{HoursHolder, HoursTraining as Line, HoursYear as Year, hours_workbook};
    let holder = HoursHolder {
        name: record.name.clone(),
        id_number_masked: record.id_number_masked.clone(),
    };
    let years: Vec<Year> = record
        .years
        .iter()
        .map(|year| Year {
            year: year.year,
            hours: year.hours,
            trainings: year
                .trainings
                .iter()
                .map(|line| Line {
                    class_title: line.class_title.clone(),
                    institution: line.institution.clone(),
                    occupation: line.occupation.clone(),
                    level: line.level.clone(),
                    start_date: line.start_date,
                    end_date: line.end_date,
                    completed_on: line.completed_on,
                    hours: line.hours,
                })
                .collect(),
        })
        .collect();
    hours_workbook(&holder, &years).map_err(ServiceError::internal)
}

/// The record as `dte-pdf` prints it (A4), dated `printed_on`.
pub fn printable(record: &HoursRecord, printed_on: chrono::NaiveDate) -> dte_pdf::HoursRecord {
    dte_pdf::HoursRecord {
        holder_name: record.name.clone(),
        id_number_masked: record.id_number_masked.clone(),
        printed_on,
        years: record
            .years
            .iter()
            .map(|year| dte_pdf::HoursRecordYear {
                year: year.year,
                hours: year.hours,
                trainings: year
                    .trainings
                    .iter()
                    .map(|training| dte_pdf::HoursRecordLine {
                        class_title: training.class_title.clone(),
                        institution: training.institution.clone(),
                        occupation: training.occupation.clone(),
                        level: training.level.clone(),
                        start_date: training.start_date,
                        end_date: training.end_date,
                        completed_on: training.completed_on,
                        hours: training.hours,
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The principal's own hours record: only a trainee has one.
pub async fn own_record(
    context: &crate::Context,
    principal: &crate::Principal,
) -> Result<HoursRecord, ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::ReadOwnHours,
        &dte_domain::access::Facts::default(),
    )?;
    let id = principal
        .user()
        .and_then(|user| user.person_id)
        .ok_or_else(|| ServiceError::forbidden("只有学员本人可以查看自己的学时"))?;
    person_record(context, principal, id).await
}

/// A person's hours record, if the principal's scope holds the person.
pub async fn person_record(
    context: &crate::Context,
    principal: &crate::Principal,
    id: i64,
) -> Result<HoursRecord, ServiceError> {
    let person = crate::classes::persons::person_for(context, principal, id).await?;
    record(&context.store, &person).await
}

/// The record as the printable A4 PDF, dated today.
pub async fn pdf(context: &crate::Context, record: &HoursRecord) -> Result<Vec<u8>, ServiceError> {
    let renderer = context.certificates.renderer()?;
    let printable = printable(record, context.clock.today());
    crate::certificates::print::blocking(move || renderer.render_hours(&printable)).await
}
