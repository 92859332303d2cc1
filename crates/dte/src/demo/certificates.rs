//! The demo's completion and training certificates (issue 6): for every finished or closed
//! class, the trainees' attendance as accepted check-ins (one in ten misses the last quarter
//! of the sessions), their 结业考核 results (one in eleven fails), each institution's
//! numbering pattern and a plain generated seal, then one signed batch per class through the
//! domain's completion rule — and one certificate revoked by the province. Online credit is
//! not simulated (the online-learning records are another branch's), so trainees of blended
//! classes are refused for attendance, with the reason, as they would be today.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use dte_domain::certificate::{NumberPattern, RevocationReason};
use dte_domain::class::Delivery;
use dte_domain::{ClassStatus, Scope};
use dte_store::{
    Actor, CertificateDetails, ClassFilter, NewCertificate, NewCheckIn, NewCompletionResult, Store,
};
use dte_web::certificates::completion::class_completion_at;
use dte_web::certificates::signing::sign;
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
}

/// Completion and certificates for the finished and closed classes, as of `now`.
pub async fn issue(
    store: &Store,
    key: &dte_crypto::CertificateKey,
    now: DateTime<Utc>,
) -> anyhow::Result<Issued> {
    let actor = Actor::system(now);
    let mut issued = Issued::default();
    let mut institutions = HashSet::new();
    let mut filter = ClassFilter::default();
    let mut classes = Vec::new();
    loop {
        let page = store
            .classes_in_scope(&Scope::Province, &filter, dte_store::CLASS_PAGE_MAX)
            .await?;
        let Some(last) = page.last() else { break };
        filter.before_id = Some(last.id);
        classes.extend(page);
    }
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
        attend(store, class.id).await?;
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
        let issued_on = class.end_date + Duration::days(5);
        let batch: Vec<NewCertificate> = completion
            .iter()
            .filter(|trainee| trainee.eligible())
            .map(|trainee| NewCertificate {
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
            })
            .collect();
        issued.refused += completion.len() - batch.len();
        if batch.is_empty() {
            continue;
        }
        let rows = store
            .issue_certificates(&batch, Some(&pattern), &actor, |fields| {
                Ok::<_, std::convert::Infallible>(sign(key, fields))
            })
            .await?
            .map_err(|_| anyhow::anyhow!("演示证书未能颁发"))
            .with_context(|| class.title.clone())?;
        issued.certificates += rows.len();
        if issued.revoked.is_none()
            && let Some(first) = rows.first()
        {
            let reason = RevocationReason::parse("核查发现考勤记录由他人代签，撤销证书")
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            store
                .revoke_certificate(
                    &first.number,
                    &reason,
                    issued_on + Duration::days(20),
                    &actor,
                )
                .await?;
            issued.revoked = Some(first.number.clone());
        }
    }
    Ok(issued)
}

/// Accepted check-ins and check-outs for a finished class's offline sessions: everyone
/// attends, except one trainee in ten who misses the last quarter of the sessions.
async fn attend(store: &Store, class_id: i64) -> anyhow::Result<()> {
    let sessions = store.sessions_of_class(class_id).await?;
    let roster = store.class_roster(class_id).await?;
    let skipped_from = sessions.len() - sessions.len() / 4;
    let mut checks = Vec::new();
    for (position, session) in sessions.iter().enumerate() {
        if Delivery::parse(&session.delivery) == Some(Delivery::Online) {
            continue;
        }
        for (index, entry) in roster.iter().enumerate() {
            if !entry.active || (index % 10 == 7 && position >= skipped_from) {
                continue;
            }
            for (kind, at) in [
                (
                    "in",
                    session.date.and_time(session.start) - Duration::minutes(8),
                ),
                (
                    "out",
                    session.date.and_time(session.end) + Duration::minutes(3),
                ),
            ] {
                checks.push(NewCheckIn {
                    session_id: session.id,
                    class_id,
                    person_id: entry.person_id,
                    kind,
                    at: shanghai(at),
                    lat: 0.0,
                    lon: 0.0,
                    accuracy_m: 15.0,
                    device_id: format!("demo-device-{}", entry.person_id),
                    distance_outside_m: 0.0,
                    late: false,
                    accepted: true,
                    refusal: None,
                    idempotency_key: format!("demo-{}-{}-{kind}", session.id, entry.person_id),
                });
            }
        }
    }
    for chunk in checks.chunks(500) {
        store.record_check_ins(chunk).await?;
    }
    Ok(())
}

/// A wall-clock time in Liaoning (UTC+8) as an instant.
fn shanghai(local: NaiveDateTime) -> DateTime<Utc> {
    DateTime::from_naive_utc_and_offset(local - Duration::hours(8), Utc)
}
