//! Certificates as PDF through `dte-pdf` (issue 6 item 2): one certificate, or a whole class
//! merged into one PDF by a background job whose progress the page polls (htmx, every second).

use super::signing::verification_url;
use crate::Context;
use crate::ServiceError;
use dte_store::{CertificateDetails, CertificateRow};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

/// The printable form of a training certificate.
fn training_data(
    public_url: &str,
    row: &CertificateRow,
    seal: Option<Arc<[u8]>>,
) -> Option<dte_pdf::TrainingCertificate> {
    let CertificateDetails::Training {
        start_date,
        end_date,
        hours,
        ..
    } = row.details
    else {
        return None;
    };
    Some(dte_pdf::TrainingCertificate {
        number: row.number.clone(),
        holder_name: row.holder_name.clone(),
        start_date,
        end_date,
        occupation: row.occupation_name.clone(),
        direction: row.direction.clone(),
        level: row.level.label().to_owned(),
        hours,
        institution: row.issuer_name.clone(),
        issue_date: row.issued_on,
        seal_png: seal,
        verification_url: verification_url(public_url, row),
    })
}

/// The issuer's seal, if it uploaded one.
async fn seal_of(
    context: &Context,
    institution_id: i64,
) -> Result<Option<Arc<[u8]>>, ServiceError> {
    Ok(context
        .store
        .institution_seal(institution_id)
        .await?
        .map(|seal| Arc::from(seal.content)))
}

/// One certificate as a PDF (either kind). The level certificate prints the holder's full ID
/// number, decrypted here for the print only.
pub async fn render_one(context: &Context, row: &CertificateRow) -> Result<Vec<u8>, ServiceError> {
    let renderer = context.certificates.renderer()?;
    let seal = seal_of(context, row.issuer_institution_id).await?;
    let public_url = context.public_url.to_string();
    match &row.details {
        CertificateDetails::Training { .. } => {
            let data = training_data(&public_url, row, seal)
                .ok_or_else(|| ServiceError::internal("training details missing"))?;
            blocking(move || renderer.render_training(&data)).await
        }
        CertificateDetails::Level {
            id_kind,
            photo_document_id,
            ..
        } => {
            let person = context
                .store
                .person(row.person_id)
                .await?
                .ok_or_else(|| ServiceError::internal("certificate holder missing"))?;
            let (id_number, _) = person
                .reveal(&context.keyring)
                .map_err(ServiceError::internal)?;
            let photo = match photo_document_id {
                Some(id) => context
                    .store
                    .document(*id)
                    .await?
                    .map(|(_, bytes)| Arc::from(bytes)),
                None => None,
            };
            let data = dte_pdf::LevelCertificate {
                number: row.number.clone(),
                holder_name: row.holder_name.clone(),
                id_kind: id_kind.clone(),
                id_number,
                occupation: row.occupation_name.clone(),
                direction: row.direction.clone(),
                level: row.level.label().to_owned(),
                institution: row.issuer_name.clone(),
                issue_date: row.issued_on,
                photo,
                seal_png: seal,
                verification_url: verification_url(&public_url, row),
            };
            blocking(move || renderer.render_level(&data)).await
        }
    }
}

pub async fn blocking(
    work: impl FnOnce() -> Result<Vec<u8>, dte_pdf::PdfError> + Send + 'static,
) -> Result<Vec<u8>, ServiceError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ServiceError::internal)?
        .map_err(|error| match error {
            // A picture stored before pictures were measured, refused as its upload would be.
            dte_pdf::PdfError::Picture { which, error, .. } => {
                crate::classes::documents::refused_picture(which, &error)
            }
            other => ServiceError::internal(other),
        })
}

/// A batch print running in the background.
pub struct Job {
    /// Who started it (only they may read it).
    pub owner: i64,
    pub class_id: i64,
    pub total: usize,
    pub done: AtomicUsize,
    /// The PDF when finished, or what went wrong.
    pub outcome: Mutex<Option<Result<Arc<Vec<u8>>, String>>>,
}

/// The running and finished batch prints, by id. Finished ones are kept until 20 newer jobs
/// have started.
#[derive(Default)]
pub struct Jobs {
    jobs: Mutex<Vec<(String, Arc<Job>)>>,
}

impl Jobs {
    pub fn get(&self, id: &str, owner: i64) -> Option<Arc<Job>> {
        self.jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .iter()
            .find(|(job_id, job)| job_id == id && job.owner == owner)
            .map(|(_, job)| job.clone())
    }

    fn insert(&self, id: String, job: Arc<Job>) {
        let mut jobs = self
            .jobs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        jobs.push((id, job));
        if jobs.len() > 20 {
            jobs.remove(0);
        }
    }
}

/// Starts printing the class's training certificates into one PDF; answers the job id.
pub async fn start_class_job(
    context: &Context,
    owner: i64,
    class_id: i64,
    rows: Vec<CertificateRow>,
) -> Result<String, ServiceError> {
    if rows.is_empty() {
        return Err(ServiceError::conflict(
            "no_certificates",
            "本班期还没有颁发证书",
        ));
    }
    let renderer = context.certificates.renderer()?;
    let mut seals: HashMap<i64, Option<Arc<[u8]>>> = HashMap::new();
    let mut data = Vec::with_capacity(rows.len());
    for row in &rows {
        let seal = match seals.get(&row.issuer_institution_id) {
            Some(seal) => seal.clone(),
            None => {
                let seal = seal_of(context, row.issuer_institution_id).await?;
                seals.insert(row.issuer_institution_id, seal.clone());
                seal
            }
        };
        if let Some(certificate) = training_data(&context.public_url, row, seal) {
            data.push(certificate);
        }
    }
    let id = dte_crypto::new_token()[..16].to_owned();
    let job = Arc::new(Job {
        owner,
        class_id,
        total: data.len(),
        done: AtomicUsize::new(0),
        outcome: Mutex::new(None),
    });
    context.certificates.jobs.insert(id.clone(), job.clone());
    tokio::task::spawn_blocking(move || {
        let result = renderer.render_training_batch(&data, &mut |done, _| {
            job.done.store(done, Ordering::Relaxed);
        });
        let outcome = result.map(Arc::new).map_err(|error| error.to_string());
        *job.outcome
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(outcome);
    });
    Ok(id)
}

impl Job {
    /// Certificates prepared so far.
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// The finished PDF, or what failed; `None` while running.
    pub fn outcome(&self) -> Option<Result<Arc<Vec<u8>>, String>> {
        self.outcome
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }
}

/// One certificate in the principal's scope as its PDF; every print is audited.
pub async fn print_one(
    context: &Context,
    principal: &crate::Principal,
    number: &str,
) -> Result<(CertificateRow, Vec<u8>), ServiceError> {
    let row = super::certificate_for(context, principal, number).await?;
    let bytes = render_one(context, &row).await?;
    let event = crate::audit::Event::success("certificate.print", "certificate", &row.number);
    crate::audit::record(context, principal, event).await?;
    Ok((row, bytes))
}

/// Starts printing a class's training certificates as one PDF (its own class only); the
/// job's id, which only the same account can follow.
pub async fn start_print(
    context: &Context,
    principal: &crate::Principal,
    id: i64,
) -> Result<String, ServiceError> {
    let class = super::issue::own_class(
        context,
        principal,
        id,
        dte_domain::access::Action::PrintClassCertificates,
    )
    .await?;
    let mut rows = context
        .store
        .certificates_in_scope(
            &crate::classes::scope(principal)?,
            &dte_store::CertificateFilter {
                kind: Some(dte_domain::certificate::CertificateKind::Training),
                class_id: Some(class.id),
                limit: dte_store::CERTIFICATE_PAGE_MAX,
                ..dte_store::CertificateFilter::default()
            },
        )
        .await?;
    rows.reverse();
    let owner = principal.user().map_or(0, |user| user.id);
    let job = start_class_job(context, owner, class.id, rows).await?;
    let event = crate::audit::Event::success("certificate.print_class", "class", id.to_string());
    crate::audit::record(context, principal, event).await?;
    Ok(job)
}

/// Where a batch print stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    Running,
    Finished,
    Failed,
}

/// A batch print's progress, for the account that started it.
#[derive(Debug, Clone)]
pub struct JobProgress {
    pub class_id: i64,
    pub done: usize,
    pub total: usize,
    pub state: JobState,
}

/// The progress of the principal's own job.
pub fn job_progress(
    context: &Context,
    principal: &crate::Principal,
    id: &str,
) -> Result<JobProgress, ServiceError> {
    let owner = principal.user().map_or(0, |user| user.id);
    let job = context
        .certificates
        .jobs
        .get(id, owner)
        .ok_or_else(|| ServiceError::not_found("job_not_found", "未找到该打印任务"))?;
    let state = match job.outcome() {
        None => JobState::Running,
        Some(Ok(_)) => JobState::Finished,
        Some(Err(_)) => JobState::Failed,
    };
    Ok(JobProgress {
        class_id: job.class_id,
        done: job.done(),
        total: job.total,
        state,
    })
}

/// The merged PDF of the principal's finished job, with its class.
pub fn finished_pdf(
    context: &Context,
    principal: &crate::Principal,
    id: &str,
) -> Result<(i64, Arc<Vec<u8>>), ServiceError> {
    let owner = principal.user().map_or(0, |user| user.id);
    let job = context.certificates.jobs.get(id, owner);
    match job.as_ref().map(|job| (job.class_id, job.outcome())) {
        Some((class_id, Some(Ok(bytes)))) => Ok((class_id, bytes)),
        _ => Err(ServiceError::not_found(
            "job_not_found",
            "打印任务不存在或尚未完成",
        )),
    }
}
