//! A claim that assembles itself (issue 13 item 1): for each subsidised trainee of a class the
//! facts the records hold — roster, category and its proof, the commitment letter, the hours
//! ledger, the class's recordings, both certificates, other subsidies, open risk flags — judged
//! by `dte_domain::subsidy::assess_line`, priced from the reference data of the class's year.

use crate::classes::{actor, class_for};
use crate::{Context, Principal, ServiceError};
use chrono::NaiveDate;
use dte_domain::access::Action;
use dte_domain::certificate::{CertificateKind, CertificateStatus};
use dte_domain::subsidy::{
    CertificateFact, LineFacts, LineStatus, PaidSubsidy, assess_line, line_amount,
};
use dte_domain::{ClassStatus, Fen, Funding, HoursLedger, Scope};
use dte_store::{CertificateFilter, CertificateRow, ClassRow, LineReasonRow, NewClaimLine};
use std::collections::HashMap;

/// What a class contributes to every line: its ledger, its sessions without recording, its
/// open flags and the price of a line.
pub(crate) struct ClassFacts {
    pub class: ClassRow,
    /// The class's roster, read once for all its lines.
    pub roster: Vec<dte_store::RosterEntry>,
    ledgers: HashMap<i64, HoursLedger>,
    sessions_without_recording: u32,
    /// The class's flags: their label and the people they are about (`None`: the class).
    open_flags: Vec<(String, Option<std::collections::BTreeSet<i64>>)>,
    /// The sanctions that may exclude its lines (exclusions, the 失信 list), read once.
    sanctions: Vec<dte_domain::supervision::SanctionFact>,
    pub hours: u32,
    pub rate: Fen,
    pub amount: Fen,
}

/// Gathers the class's facts as of now.
pub(crate) async fn class_facts(
    context: &Context,
    principal: &Principal,
    class: ClassRow,
) -> Result<ClassFacts, ServiceError> {
    let today = context.clock.today();
    let ledger = crate::classes::attendance::ledger_of(context, class.clone(), None).await?;
    let ledgers = ledger
        .trainees
        .into_iter()
        .map(|trainee| (trainee.person_id, trainee.ledger))
        .collect();
    let missing = context
        .store
        .sessions_without_recording(today.succ_opt().unwrap_or(today))
        .await?
        .into_iter()
        .filter(|(class_id, _)| *class_id == class.id)
        .count();
    let flags = crate::monitoring::flags_in_scope(
        context,
        principal,
        &crate::monitoring::FlagFilter {
            region: None,
            class_id: Some(class.id),
        },
    )
    .await?;
    // Issue 14 item 6: a flag holds its lines until the city reviews it.
    let reviews = crate::supervision::reviews_by_key(context).await?;
    let open_flags = crate::supervision::unreviewed(&flags, &reviews)
        .map(|flag| (flag.kind.label().to_owned(), flag.evidence.people()))
        .collect();
    let sanctions = context.store.exclusion_sanctions().await?;
    let occupations = context.store.occupations(class.year).await?;
    let level = occupations
        .iter()
        .find(|occupation| occupation.code == class.occupation)
        .and_then(|occupation| {
            occupation
                .levels
                .iter()
                .find(|row| row.level == class.level)
        })
        .copied()
        .ok_or_else(|| {
            ServiceError::internal(format!(
                "reference data of {} has no {} {}",
                class.year, class.occupation, class.level
            ))
        })?;
    let amount = line_amount(level.hours, level.rate_per_hour).map_err(ServiceError::internal)?;
    let roster = context.store.class_roster(class.id).await?;
    Ok(ClassFacts {
        class,
        roster,
        ledgers,
        sessions_without_recording: u32::try_from(missing).unwrap_or(u32::MAX),
        open_flags,
        sanctions,
        hours: level.hours,
        rate: level.rate_per_hour,
        amount,
    })
}

fn certificate_fact(row: &CertificateRow) -> CertificateFact {
    CertificateFact {
        number: row.number.clone(),
        occupation: row.occupation.clone(),
        level: row.level,
        valid: row.status == CertificateStatus::Valid,
        issued_on: row.issued_on,
    }
}

/// The certificates of a person of `kind` (valid ones first, then the latest).
async fn certificates_of(
    context: &Context,
    person_id: i64,
    kind: CertificateKind,
) -> Result<Vec<CertificateRow>, ServiceError> {
    let mut rows = context
        .store
        .certificates_in_scope(
            &Scope::Province,
            &CertificateFilter {
                kind: Some(kind),
                person_id: Some(person_id),
                limit: dte_store::CERTIFICATE_PAGE_MAX,
                ..CertificateFilter::default()
            },
        )
        .await?;
    rows.sort_by_key(|row| {
        (
            row.status != CertificateStatus::Valid,
            std::cmp::Reverse(row.id),
        )
    });
    Ok(rows)
}

/// The certificates a line of `class` counts for a person: the training certificate of this
/// class, and the level certificate of its occupation (a valid one of its level first).
pub(crate) async fn certificates_for(
    context: &Context,
    class: &ClassRow,
    person_id: i64,
) -> Result<(Option<CertificateRow>, Option<CertificateRow>), ServiceError> {
    let training = certificates_of(context, person_id, CertificateKind::Training)
        .await?
        .into_iter()
        .find(|row| {
            matches!(row.details, dte_store::CertificateDetails::Training { class_id, .. } if class_id == class.id)
        });
    let level = certificates_of(context, person_id, CertificateKind::Level)
        .await?
        .into_iter()
        .filter(|row| row.occupation == class.occupation)
        .min_by_key(|row| {
            (
                row.status != CertificateStatus::Valid,
                row.level != class.level,
                std::cmp::Reverse(row.id),
            )
        });
    Ok((training, level))
}

/// The facts of one trainee's line, with the class's facts; `claim_id` is the claim the line
/// is on (its own line does not count as another subsidy), 0 before it exists.
pub(crate) async fn line_facts(
    context: &Context,
    facts: &ClassFacts,
    person_id: i64,
    enrolment_id: i64,
    claim_id: i64,
) -> Result<LineFacts, ServiceError> {
    let class = &facts.class;
    let entry = facts
        .roster
        .iter()
        .find(|entry| entry.enrolment_id == enrolment_id)
        .ok_or_else(|| {
            ServiceError::internal(format!("enrolment {enrolment_id} left its class"))
        })?;
    let enrolled_on = crate::shanghai_today(entry.enrolled_at);
    let categories = context
        .store
        .subsidy_categories(enrolled_on)
        .await?
        .into_iter()
        .filter(|category| category.enabled)
        .map(|category| category.code)
        .collect();
    let documents = context.store.documents(enrolment_id).await?;
    let has = |kind: &str| documents.iter().any(|document| document.kind == kind);
    let (training, level) = certificates_for(context, class, person_id).await?;
    let other_subsidies = context
        .store
        .subsidies_held(person_id, claim_id)
        .await?
        .into_iter()
        .map(|(claim_id, occupation, level, year)| PaidSubsidy {
            claim_id,
            occupation,
            level,
            year,
        })
        .collect();
    let ledger = facts.ledgers.get(&person_id).copied().ok_or_else(|| {
        ServiceError::internal(format!(
            "person {person_id} has no ledger line in class {}",
            class.id
        ))
    })?;
    Ok(LineFacts {
        occupation: class.occupation.clone(),
        level: class.level,
        class_year: class.year,
        enrolled_on,
        subsidy_category: entry.subsidy_category.clone(),
        categories_subsidised_on_enrolment: categories,
        has_category_proof: has("proof"),
        has_commitment_letter: has("commitment"),
        ledger,
        sessions_without_recording: facts.sessions_without_recording,
        training_certificate: training.as_ref().map(certificate_fact),
        level_certificate: level.as_ref().map(certificate_fact),
        other_subsidies,
        sanctions: dte_domain::supervision::subsidy_exclusions(
            &facts.sanctions,
            class.institution_id,
            class.id,
            person_id,
            context.clock.today(),
        ),
        open_flags: {
            let mut labels: Vec<String> = facts
                .open_flags
                .iter()
                .filter(|(_, people)| {
                    people
                        .as_ref()
                        .is_none_or(|people| people.contains(&person_id))
                })
                .map(|(label, _)| label.clone())
                .collect();
            labels.sort();
            labels.dedup();
            labels
        },
    })
}

/// A line's state and reasons as the domain judges its facts on `today` under `policy` (the
/// policy in force that day, read once for all the lines).
pub(crate) fn judge(
    facts: &LineFacts,
    policy: &dte_domain::Policy,
    today: NaiveDate,
) -> (LineStatus, Vec<LineReasonRow>) {
    let reasons: Vec<LineReasonRow> = assess_line(facts, policy, today)
        .iter()
        .map(|reason| LineReasonRow {
            code: reason.code().to_owned(),
            message: reason.message(),
        })
        .collect();
    let status = if reasons.is_empty() {
        LineStatus::Claimed
    } else {
        LineStatus::Ineligible
    };
    (status, reasons)
}

/// Opens a claim for a finished subsidised class of the principal's institution, one line per
/// subsidised trainee still enrolled, each `claimed` or `ineligible` with its reasons. Audited
/// as `claim.open`; a class with a claim in progress answers a conflict.
pub async fn open(
    context: &Context,
    principal: &Principal,
    class_id: i64,
) -> Result<i64, ServiceError> {
    let class = class_for(context, principal, class_id).await?;
    crate::access::authorize(
        principal,
        Action::FileClaim,
        &crate::access::class_record(&class),
    )?;
    if class.funding != Funding::Subsidised {
        return Err(ServiceError::invalid(
            "class",
            "市场化班期没有培训补贴，只有政府补贴班期可以申领",
        ));
    }
    if !matches!(class.status, ClassStatus::Finished | ClassStatus::Closed) {
        return Err(ServiceError::invalid(
            "class",
            format!(
                "班期须结班后才能申领补贴（当前状态：{}）",
                class.status.label()
            ),
        ));
    }
    let facts = class_facts(context, principal, class).await?;
    let subsidised: Vec<_> = facts
        .roster
        .iter()
        .filter(|entry| entry.active && entry.subsidised)
        .collect();
    if subsidised.is_empty() {
        return Err(ServiceError::invalid("class", "该班期没有享受补贴的学员"));
    }
    let today = context.clock.today();
    let policy = crate::policy_on(context, today).await?;
    let mut lines = Vec::new();
    for entry in subsidised {
        let line = line_facts(context, &facts, entry.person_id, entry.enrolment_id, 0).await?;
        let (status, reasons) = judge(&line, &policy, today);
        lines.push(NewClaimLine {
            enrolment_id: entry.enrolment_id,
            person_id: entry.person_id,
            occupation: facts.class.occupation.clone(),
            level: facts.class.level,
            hours: facts.hours,
            rate_fen_per_hour: facts.rate,
            amount: facts.amount,
            status,
            reasons,
        });
    }
    context
        .store
        .open_claim(class_id, &lines, &actor(context, principal))
        .await
        .map_err(|error| match error {
            dte_store::StoreError::Constraint { constraint }
                if constraint == "claims_one_open_per_class" =>
            {
                ServiceError::conflict(
                    "claim_in_progress",
                    "该班期已有办理中的补贴申领，请在原申领中处理",
                )
            }
            other => other.into(),
        })
}
