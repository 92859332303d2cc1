//! Recording 结业考核 results and issuing a class's 培训合格证书 (issue 6 items 1 and 2): one
//! action per class, all or nothing, numbered by the institution's pattern, each certificate
//! signed and audited in the store's transaction.

use super::completion::{TraineeCompletion, class_completion};
use super::signing::sign;
use crate::Context;
use crate::Principal;
use crate::ServiceError;
use crate::classes::actor;
use chrono::NaiveDate;
use dte_domain::Scope;
use dte_domain::access::Action;
use dte_domain::certificate::{CertificateKind, NumberPattern, check_issue_date};
use dte_domain::class::ClassStatus;
use dte_domain::completion::SCORE_MAX;
use dte_store::{
    CertificateDetails, CertificateRow, ClassRow, IssueRefusal, NewCertificate,
    NewCompletionResult, StoreError,
};

/// The class, if the principal may take `action` on it (`classes::class_for_action`).
pub use crate::classes::class_for_action as own_class;

/// One result as a request gives it.
#[derive(Debug, Clone)]
pub struct ResultInput {
    pub person_id: i64,
    pub passed: bool,
    pub score: Option<u32>,
    pub remark: Option<String>,
}

/// Records results for trainees of the class (finished or closed), checked field by field.
pub async fn record_results(
    context: &Context,
    principal: &Principal,
    class_id: i64,
    results: &[ResultInput],
) -> Result<(), ServiceError> {
    let class = own_class(context, principal, class_id, Action::RecordCompletion).await?;
    require_finished(&class)?;
    let roster = context.store.class_roster(class.id).await?;
    let mut checked = Vec::with_capacity(results.len());
    for (index, result) in results.iter().enumerate() {
        if !roster
            .iter()
            .any(|entry| entry.active && entry.person_id == result.person_id)
        {
            return Err(ServiceError::invalid(
                format!("results[{index}].person_id"),
                format!("学员 {} 不在本班期的名单中", result.person_id),
            ));
        }
        if result.score.is_some_and(|score| score > SCORE_MAX) {
            return Err(ServiceError::invalid(
                format!("results[{index}].score"),
                format!("成绩应在 0–{SCORE_MAX} 之间"),
            ));
        }
        let remark = result
            .remark
            .as_deref()
            .map(str::trim)
            .filter(|remark| !remark.is_empty())
            .map(str::to_owned);
        if remark
            .as_ref()
            .is_some_and(|remark| remark.chars().count() > 200)
        {
            return Err(ServiceError::invalid(
                format!("results[{index}].remark"),
                "备注不能超过 200 个字",
            ));
        }
        checked.push(NewCompletionResult {
            person_id: result.person_id,
            passed: result.passed,
            score: result.score,
            remark,
        });
    }
    context
        .store
        .record_completion_results(class.id, &checked, &actor(context, principal))
        .await?;
    Ok(())
}

fn require_finished(class: &ClassRow) -> Result<(), ServiceError> {
    if matches!(class.status, ClassStatus::Finished | ClassStatus::Closed) {
        Ok(())
    } else {
        Err(ServiceError::conflict(
            "class_not_finished",
            format!(
                "班期状态为“{}”，结业后才能录入结业考核和颁发证书",
                class.status.label()
            ),
        ))
    }
}

/// Issues the training certificate to every trainee of the class who may be certified and
/// has none yet, dated `issued_on`; refuses with every reason when nobody may be.
pub async fn issue_for_class(
    context: &Context,
    principal: &Principal,
    class_id: i64,
    issued_on: NaiveDate,
) -> Result<Vec<CertificateRow>, ServiceError> {
    let class = own_class(
        context,
        principal,
        class_id,
        Action::IssueTrainingCertificates,
    )
    .await?;
    require_finished(&class)?;
    check_issue_date(
        CertificateKind::Training,
        issued_on,
        class.end_date,
        context.clock.today(),
    )
    .map_err(|error| ServiceError::invalid("issued_on", error.to_string()))?;
    let pattern = number_pattern(context, class.institution_id).await?;
    let completion = class_completion(context, &class).await?;
    let hours = context
        .store
        .class_sessions(class.id)
        .await?
        .iter()
        .map(|session| session.hours)
        .sum::<u32>();
    let batch: Vec<NewCertificate> = completion
        .iter()
        .filter(|trainee| trainee.eligible())
        .map(|trainee| training_certificate(&class, trainee, hours, issued_on))
        .collect();
    if batch.is_empty() {
        return Err(ServiceError::conflict(
            "nobody_eligible",
            "本班期没有可以颁发证书的学员：请先录入结业考核结果，并查看每位学员未通过的原因",
        ));
    }
    issue_batch(context, principal, &batch, &pattern).await
}

/// The 培训合格证书 of a trainee of `class` (its timetable `hours`), dated `issued_on`, to be
/// numbered by the institution's pattern.
pub fn training_certificate(
    class: &ClassRow,
    trainee: &TraineeCompletion,
    hours: u32,
    issued_on: NaiveDate,
) -> NewCertificate {
    NewCertificate {
        number: None,
        person_id: trainee.person_id,
        holder_name: trainee.name.clone(),
        issuer_institution_id: class.institution_id,
        issuer_name: class.institution_name.clone(),
        region: class.region.clone(),
        occupation: class.occupation.clone(),
        occupation_name: class.occupation_name.clone(),
        direction: class.direction.clone(),
        level: class.level,
        issued_on,
        details: CertificateDetails::Training {
            class_id: class.id,
            start_date: class.start_date,
            end_date: class.end_date,
            hours,
        },
    }
}

/// The issuing institution's numbering pattern; 422 naming `pattern` until it sets one.
pub async fn number_pattern(
    context: &Context,
    institution_id: i64,
) -> Result<NumberPattern, ServiceError> {
    let text = context
        .store
        .certificate_number_pattern(institution_id)
        .await?
        .ok_or_else(|| {
            ServiceError::invalid(
                "pattern",
                "请先设置本机构的证书编号规则（如 LNPX{year}-{seq:5}）",
            )
        })?;
    NumberPattern::parse(&text).map_err(ServiceError::internal)
}

/// Numbers, signs and writes a batch of certificates of either kind, all or nothing.
pub async fn issue_batch(
    context: &Context,
    principal: &Principal,
    batch: &[NewCertificate],
    pattern: &NumberPattern,
) -> Result<Vec<CertificateRow>, ServiceError> {
    let key = &context.certificates.key;
    let issued = context
        .store
        .issue_certificates(batch, Some(pattern), &actor(context, principal), |fields| {
            Ok::<_, std::convert::Infallible>(sign(key, fields))
        })
        .await;
    match issued {
        Ok(Ok(rows)) => Ok(rows),
        Ok(Err(IssueRefusal::NoNumberPattern { .. })) => Err(ServiceError::invalid(
            "pattern",
            "请先设置本机构的证书编号规则",
        )),
        Ok(Err(IssueRefusal::Signing(never))) => match never {},
        Err(StoreError::Constraint { constraint }) if constraint.contains("number") => {
            Err(ServiceError::conflict(
                "certificate_number_taken",
                "证书编号与已有证书重复（编号须全省唯一）：请修改本机构的证书编号规则后重试，本次未颁发任何证书",
            ))
        }
        Err(StoreError::Constraint { .. } | StoreError::Conflict) => Err(ServiceError::conflict(
            "certificates_changed",
            "部分学员刚刚已获发证书或情况有变，本次未颁发任何证书，请刷新后重试",
        )),
        Err(error) => Err(error.into()),
    }
}

/// Sets the principal institution's numbering pattern.
pub async fn set_pattern(
    context: &Context,
    principal: &Principal,
    text: &str,
) -> Result<String, ServiceError> {
    let institution_id = own_institution(principal)?;
    let pattern = NumberPattern::parse(text)
        .map_err(|error| ServiceError::invalid("pattern", error.to_string()))?;
    match context
        .store
        .set_certificate_number_pattern(institution_id, &pattern, &actor(context, principal))
        .await
    {
        Ok(()) => Ok(pattern.as_str().to_owned()),
        Err(StoreError::Constraint { .. }) => Err(ServiceError::invalid(
            "pattern",
            "该编号规则已被其他机构使用，请使用本机构自己的前缀",
        )),
        Err(error) => Err(error.into()),
    }
}

/// Stores the principal institution's seal image (PNG).
pub async fn set_seal(
    context: &Context,
    principal: &Principal,
    png: &[u8],
) -> Result<(), ServiceError> {
    let institution_id = own_institution(principal)?;
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err(ServiceError::invalid(
            "seal",
            "印章图片须为 PNG 格式（建议透明背景）",
        ));
    }
    if png.len() > 2 * 1024 * 1024 {
        return Err(ServiceError::invalid("seal", "印章图片不能超过 2 MB"));
    }
    // The seal is printed on every certificate: its header must read, within the limits.
    dte_pdf::picture::check_picture(png)
        .map_err(|error| crate::classes::documents::refused_picture("seal", &error))?;
    let sha256 = {
        use sha2::Digest;
        hex::encode(sha2::Sha256::digest(png))
    };
    context
        .store
        .set_institution_seal(institution_id, png, &sha256, &actor(context, principal))
        .await?;
    Ok(())
}

fn own_institution(principal: &Principal) -> Result<i64, ServiceError> {
    crate::access::authorize(
        principal,
        Action::ConfigureInstitution,
        &dte_domain::access::Facts::default(),
    )?;
    match principal.user().map(|user| user.scope()) {
        Some(Scope::Institution(id)) => Ok(id),
        _ => Err(ServiceError::forbidden(
            "只有机构账号可以设置证书编号规则和印章",
        )),
    }
}

/// The certificate numbering pattern of the institution running the class, when it has set
/// one.
pub async fn pattern_of(
    context: &Context,
    class: &ClassRow,
) -> Result<Option<String>, ServiceError> {
    Ok(context
        .store
        .certificate_number_pattern(class.institution_id)
        .await?)
}
