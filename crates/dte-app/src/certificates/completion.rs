//! Completion of a class (结业考核, issue 6 item 1) as the institution sees it: for each active
//! trainee the hours ledger (`classes::attendance::ledger_at`), the recorded result, and the domain's verdict
//! (`dte_domain::completion::assess`) with every reason why not.

use crate::Context;
use crate::ServiceError;
use crate::classes::attendance::ledger_at;
use chrono::{DateTime, Utc};
use dte_domain::attendance::HoursLedger;
use dte_domain::completion::{CompletionFacts, CompletionRefusal, CompletionResult, assess};
use dte_store::{ClassRow, Store};
use std::collections::HashMap;

/// One trainee's completion.
#[derive(Debug, Clone)]
pub struct TraineeCompletion {
    pub person_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub ledger: HoursLedger,
    pub result: Option<CompletionResult>,
    pub certificate: Option<String>,
    /// Empty when the trainee may be certified.
    pub refusals: Vec<CompletionRefusal>,
}

impl TraineeCompletion {
    pub fn eligible(&self) -> bool {
        self.refusals.is_empty()
    }
}

/// The completion of every active trainee of a class, in roster order.
pub async fn class_completion(
    context: &Context,
    class: &ClassRow,
) -> Result<Vec<TraineeCompletion>, ServiceError> {
    class_completion_at(&context.store, class, context.clock.now()).await
}

/// [`class_completion`] at `now` (also used by `dte demo`): the class's hours ledger as it
/// counts (`classes::attendance::ledger_at`: accepted check-ins, corrections, online credit).
pub async fn class_completion_at(
    store: &Store,
    class: &ClassRow,
    now: DateTime<Utc>,
) -> Result<Vec<TraineeCompletion>, ServiceError> {
    // The occupation's 学时要求 at the class's level, from the catalog of its start year.
    let standard_hours =
        crate::classes::workflow::standard_hours(store, class.year, &class.occupation, class.level)
            .await?
            .unwrap_or(0);
    let results: HashMap<i64, CompletionResult> = store
        .completion_results(class.id)
        .await?
        .into_iter()
        .map(|row| {
            (
                row.person_id,
                CompletionResult {
                    passed: row.passed,
                    score: row.score,
                    remark: row.remark,
                },
            )
        })
        .collect();
    let certificates: HashMap<i64, String> = store
        .certificates_in_scope(
            &dte_domain::Scope::Province,
            &dte_store::CertificateFilter {
                kind: Some(dte_domain::CertificateKind::Training),
                class_id: Some(class.id),
                limit: dte_store::CERTIFICATE_PAGE_MAX,
                ..Default::default()
            },
        )
        .await?
        .into_iter()
        .map(|row| (row.person_id, row.number))
        .collect();
    let ledger = ledger_at(store, class.clone(), None, now).await?;
    Ok(ledger
        .trainees
        .into_iter()
        .map(|line| {
            let result = results.get(&line.person_id).cloned();
            let certificate = certificates.get(&line.person_id).cloned();
            let refusals = assess(&CompletionFacts {
                ledger: &line.ledger,
                standard_hours,
                result: result.as_ref(),
                certificate: certificate.as_deref(),
            })
            .err()
            .unwrap_or_default();
            TraineeCompletion {
                person_id: line.person_id,
                name: line.name,
                id_number_masked: line.id_number_masked,
                ledger: line.ledger,
                result,
                certificate,
                refusals,
            }
        })
        .collect())
}
