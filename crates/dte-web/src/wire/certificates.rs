//! Certificates and completion on the wire.

use dte_app::certificates::completion::TraineeCompletion;
use dte_app::certificates::signing::masked_holder;
use dte_store::CertificateRow;
use serde::Serialize;
use utoipa::ToSchema;

/// A certificate in a list (the holder's name masked; the PDF prints it in full).
#[derive(Debug, Serialize, ToSchema)]
pub struct CertificateItem {
    pub number: String,
    /// `training` or `level`.
    pub kind: String,
    /// `valid` or `revoked`.
    pub status: String,
    pub holder: String,
    pub occupation: String,
    pub level: String,
    pub issuer: String,
    pub issued_on: String,
    pub class_id: Option<i64>,
    pub revocation_reason: Option<String>,
    pub revoked_on: Option<String>,
}

impl From<&CertificateRow> for CertificateItem {
    fn from(row: &CertificateRow) -> CertificateItem {
        CertificateItem {
            number: row.number.clone(),
            kind: row.kind().as_str().to_owned(),
            status: row.status.as_str().to_owned(),
            holder: masked_holder(row),
            occupation: row.occupation_name.clone(),
            level: row.level.as_str().to_owned(),
            issuer: row.issuer_name.clone(),
            issued_on: row.issued_on.to_string(),
            class_id: row.class_id(),
            revocation_reason: row.revocation.as_ref().map(|r| r.reason.clone()),
            revoked_on: row.revocation.as_ref().map(|r| r.on.to_string()),
        }
    }
}

/// Why a trainee may not be certified.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionReason {
    /// Stable: `sessions_upcoming`, `class_hours_below_standard`, `attendance_below_minimum`,
    /// `no_result`, `failed`, `already_certified`.
    pub code: String,
    pub message: String,
}

/// One trainee's completion: hours, result and whether they may be certified.
#[derive(Debug, Serialize, ToSchema)]
pub struct CompletionLine {
    pub person_id: i64,
    /// Masked name.
    pub name: String,
    pub id_number_masked: String,
    pub timetable_hours: u32,
    pub offline_hours: u32,
    pub online_hours: u32,
    pub total_hours: u32,
    pub attendance_percent: u32,
    pub passed: Option<bool>,
    pub score: Option<u32>,
    pub remark: Option<String>,
    pub eligible: bool,
    pub certificate: Option<String>,
    pub reasons: Vec<CompletionReason>,
}

impl From<&TraineeCompletion> for CompletionLine {
    fn from(trainee: &TraineeCompletion) -> CompletionLine {
        CompletionLine {
            person_id: trainee.person_id,
            name: dte_domain::flags::MaskedName::mask(&trainee.name)
                .as_str()
                .to_owned(),
            id_number_masked: trainee.id_number_masked.clone(),
            timetable_hours: trainee.ledger.timetable_hours,
            offline_hours: trainee.ledger.offline_hours,
            online_hours: trainee.ledger.online_hours,
            total_hours: trainee.ledger.total_hours,
            attendance_percent: trainee.ledger.attendance_percent(),
            passed: trainee.result.as_ref().map(|result| result.passed),
            score: trainee.result.as_ref().and_then(|result| result.score),
            remark: trainee
                .result
                .as_ref()
                .and_then(|result| result.remark.clone()),
            eligible: trainee.eligible(),
            certificate: trainee.certificate.clone(),
            reasons: trainee
                .refusals
                .iter()
                .map(|refusal| CompletionReason {
                    code: refusal.code().to_owned(),
                    message: refusal.message(),
                })
                .collect(),
        }
    }
}
