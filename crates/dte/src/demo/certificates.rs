//! The demo's completion and training certificates (issue 6): for every finished or closed
//! class, the trainees' 结业考核 results (one in eleven fails), each institution's numbering
//! pattern and a plain generated seal, then one signed batch per class through the domain's
//! completion rule on the hours ledger the demo's attendance left (`classes::attendance`) —
//! one certificate revoked, and one issued past the rule to a trainee who did not attend
//! enough, as an institution's old ledger would claim, for the `hours_beyond_attendance` flag.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};
use dte_app::certificates::completion::class_completion_at;
use dte_app::certificates::issue::training_certificate;
use dte_app::certificates::signing::sign;
use dte_domain::ClassStatus;
use dte_domain::certificate::{NumberPattern, RevocationReason};
use dte_domain::completion::CompletionRefusal;
use dte_store::{Actor, CertificateRow, ClassRow, NewCertificate, NewCompletionResult, Store};
use std::collections::HashSet;

/// The seal every demo institution prints: a red ring and star, drawn once (see
/// `crates/dte-pdf/tests/fixtures/make_fixtures.py`).
const SEAL_PNG: &[u8] = include_bytes!("demo_seal.png");

/// What was issued, for the summary.
#[derive(Debug, Default)]
pub struct Issued {
    pub certificates: usize,
    pub refused: usize,
    pub revoked: Option<String>,
    /// The certificate issued past the attendance rule, and its class.
    pub beyond_attendance: Option<(String, ClassRow)>,
}

/// Completion and certificates for the finished and closed classes, as of `now`.
pub async fn issue(
    store: &Store,
    key: &dte_crypto::CertificateKey,
    classes: &[ClassRow],
    now: DateTime<Utc>,
) -> anyhow::Result<Issued> {
    let actor = Actor::system(now);
    let mut issued = Issued::default();
    let mut institutions = HashSet::new();
    let mut classes = classes.to_vec();
    classes.retain(|class| matches!(class.status, ClassStatus::Finished | ClassStatus::Closed));
    classes.sort_by_key(|class| class.end_date);
    for class in &classes {
        let pattern =
            NumberPattern::parse(&format!("PX{:03}-{{year}}-{{seq:5}}", class.institution_id))
                .map_err(|error| anyhow::anyhow!("{error}"))?;
        if institutions.insert(class.institution_id) {
            store
                .set_certificate_number_pattern(class.institution_id, &pattern, &actor)
                .await?;
            let digest = {
                use sha2::Digest;
                hex::encode(sha2::Sha256::digest(SEAL_PNG))
            };
            store
                .set_institution_seal(class.institution_id, SEAL_PNG, &digest, &actor)
                .await?;
        }
        let roster = store.class_roster(class.id).await?;
        let results: Vec<NewCompletionResult> = roster
            .iter()
            .enumerate()
            .filter(|(_, entry)| entry.active)
            .map(|(index, entry)| {
                let passed = index % 11 != 5;
                NewCompletionResult {
                    person_id: entry.person_id,
                    passed,
                    score: Some(if passed {
                        70 + (index as u32 * 7) % 30
                    } else {
                        45
                    }),
                    remark: (!passed).then(|| "实操考核未完成".to_owned()),
                }
            })
            .collect();
        store
            .record_completion_results(class.id, &results, &actor)
            .await?;
        let completion = class_completion_at(store, class, now)
            .await
            .map_err(|error| anyhow::anyhow!("{}", error.message))?;
        let hours: u32 = store
            .class_sessions(class.id)
            .await?
            .iter()
            .map(|s| s.hours)
            .sum();
        // Five days after the class, or today for a class that has just finished.
        let issued_on = (class.end_date + Duration::days(5)).min(dte_web::shanghai_today(now));
        // The first trainee refused only for attendance is certified all the same, once.
        let short = completion.iter().position(|trainee| {
            !trainee.refusals.is_empty()
                && trainee.refusals.iter().all(|refusal| {
                    matches!(refusal, CompletionRefusal::AttendanceBelowMinimum { .. })
                })
        });
        let past_the_rule = short.filter(|_| issued.beyond_attendance.is_none());
        let batch: Vec<NewCertificate> = completion
            .iter()
            .enumerate()
            .filter(|(index, trainee)| trainee.eligible() || Some(*index) == past_the_rule)
            .map(|(_, trainee)| training_certificate(class, trainee, hours, issued_on))
            .collect();
        issued.refused += completion.len() - batch.len();
        if batch.is_empty() {
            continue;
        }
        let rows = issue_signed(store, key, &batch, &pattern, &actor)
            .await
            .with_context(|| class.title.clone())?;
        issued.certificates += rows.len();
        if let Some(index) = past_the_rule {
            let person = completion[index].person_id;
            if let Some(row) = rows.iter().find(|row| row.person_id == person) {
                issued.beyond_attendance = Some((row.number.clone(), class.clone()));
            }
        }
        let beyond = past_the_rule.map(|index| completion[index].person_id);
        if issued.revoked.is_none()
            && let Some(first) = rows.iter().find(|row| Some(row.person_id) != beyond)
        {
            let reason = RevocationReason::parse("核查发现考勤记录由他人代签，撤销证书")
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            store
                .revoke_certificate(
                    &first.number,
                    &reason,
                    (issued_on + Duration::days(20)).min(dte_web::shanghai_today(now)),
                    &actor,
                )
                .await?;
            issued.revoked = Some(first.number.clone());
        }
    }
    Ok(issued)
}

/// Numbers, signs and writes a batch of either kind, as `issue_batch` does for the web.
pub async fn issue_signed(
    store: &Store,
    key: &dte_crypto::CertificateKey,
    batch: &[NewCertificate],
    pattern: &NumberPattern,
    actor: &Actor,
) -> anyhow::Result<Vec<CertificateRow>> {
    store
        .issue_certificates(batch, Some(pattern), actor, |fields| {
            Ok::<_, std::convert::Infallible>(sign(key, fields))
        })
        .await?
        .map_err(|_| anyhow::anyhow!("演示证书未能颁发：没有证书编号规则"))
}
