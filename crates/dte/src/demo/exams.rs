//! The demo's level evaluation (issue 6): for each class whose trainees hold training
//! certificates and whose exam day (two weeks after the class) has passed, an exam plan with an
//! evaluation institution listed for the occupation (中国电子学会, the demo's evaluation
//! account, where it is listed), agreed, scored (a few candidates fail a part, one is absent)
//! under the settings' pass marks, and the level certificates of those who passed issued ten
//! days after the exam — numbered by the evaluation institution's pattern and signed.

use anyhow::Context;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use dte_app::evaluation::level_certificate;
use dte_domain::certificate::{CertificateKind, CertificateStatus, NumberPattern};
use dte_domain::evaluation::{ExamPlanStatus, PassMarks, Score, outcome};
use dte_domain::reference::InstitutionKind;
use dte_domain::{ClassStatus, Scope};
use dte_store::{
    Actor, CandidateResult, CertificateFilter, ClassRow, NewCandidate, NewCertificate, NewExamPlan,
    Store,
};
use std::collections::HashSet;

/// The evaluation institution preferred when listed: the demo's `demo-cie` account.
const PREFERRED: &str = "中国电子学会";

/// What the exams made, for the summary.
#[derive(Debug, Default)]
pub struct Examined {
    pub plans: usize,
    pub candidates: usize,
    pub certificates: usize,
}

/// Exam plans, scores and level certificates for the certified classes, as of `now`.
pub async fn examine(
    store: &Store,
    key: &dte_crypto::CertificateKey,
    classes: &[ClassRow],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Examined> {
    let actor = Actor::system(now);
    let marks = dte_app::evaluation::pass_marks(store, today)
        .await
        .map_err(|error| anyhow::anyhow!("{}", error.message))?;
    let mut examined = Examined::default();
    let mut patterns = HashSet::new();
    for class in classes {
        if !matches!(class.status, ClassStatus::Finished | ClassStatus::Closed) {
            continue;
        }
        let exam_date = class.end_date + Duration::days(14);
        let issued_on = exam_date + Duration::days(10);
        if issued_on > today {
            continue;
        }
        let Some(evaluator) = evaluator_for(store, class).await? else {
            continue;
        };
        let holders: Vec<_> = store
            .certificates_in_scope(
                &Scope::Province,
                &CertificateFilter {
                    kind: Some(CertificateKind::Training),
                    class_id: Some(class.id),
                    limit: dte_store::CERTIFICATE_PAGE_MAX,
                    ..CertificateFilter::default()
                },
            )
            .await?
            .into_iter()
            .filter(|row| row.status == CertificateStatus::Valid)
            .collect();
        if holders.is_empty() {
            continue;
        }
        let roster = store.class_roster(class.id).await?;
        let candidates: Vec<NewCandidate> = holders
            .iter()
            .filter_map(|row| {
                let entry = roster
                    .iter()
                    .find(|entry| entry.person_id == row.person_id)?;
                Some(NewCandidate {
                    person_id: row.person_id,
                    enrolment_id: entry.enrolment_id,
                    training_certificate_number: Some(row.number.clone()),
                })
            })
            .collect();
        let plan = store
            .propose_exam_plan(
                &NewExamPlan {
                    class_id: class.id,
                    training_institution_id: class.institution_id,
                    evaluation_institution_id: evaluator.0,
                    occupation: class.occupation.clone(),
                    level: class.level,
                    exam_date,
                    candidates: candidates.clone(),
                },
                &actor,
            )
            .await
            .with_context(|| format!("考核计划：{}", class.title))?;
        store
            .change_exam_plan_status(
                plan,
                ExamPlanStatus::Proposed,
                ExamPlanStatus::Agreed,
                None,
                "agree",
                &actor,
            )
            .await?;
        let results = candidates
            .iter()
            .enumerate()
            .map(|(index, candidate)| Ok((candidate.person_id, result(index, marks)?)))
            .collect::<anyhow::Result<Vec<(i64, CandidateResult)>>>()?;
        store
            .record_exam_scores(plan, ExamPlanStatus::Agreed, &results, &actor)
            .await?;
        if patterns.insert(evaluator.0) {
            let pattern = NumberPattern::parse(&format!("DJ{:03}{{year}}{{seq:6}}", evaluator.0))
                .map_err(|error| anyhow::anyhow!("{error}"))?;
            store
                .set_certificate_number_pattern(evaluator.0, &pattern, &actor)
                .await?;
        }
        let pattern_text = store
            .certificate_number_pattern(evaluator.0)
            .await?
            .context("评价机构的证书编号规则")?;
        let pattern =
            NumberPattern::parse(&pattern_text).map_err(|error| anyhow::anyhow!("{error}"))?;
        let names: std::collections::HashMap<i64, String> = roster
            .iter()
            .map(|entry| (entry.person_id, entry.name.clone()))
            .collect();
        let row = store
            .exam_plan_in_scope(&Scope::Province, plan)
            .await?
            .context("刚写入的考核计划")?;
        let batch: Vec<NewCertificate> = results
            .iter()
            .filter(|(_, result)| matches!(result, CandidateResult::Sat { passed: true, .. }))
            .map(|(person, _)| {
                let name = names.get(person).cloned().unwrap_or_default();
                level_certificate(&row, *person, name, None, issued_on)
            })
            .collect();
        examined.plans += 1;
        examined.candidates += candidates.len();
        if batch.is_empty() {
            continue;
        }
        let rows = super::certificates::issue_signed(store, key, &batch, &pattern, &actor)
            .await
            .with_context(|| class.title.clone())?;
        examined.certificates += rows.len();
    }
    Ok(examined)
}

/// A candidate's result: most pass, every seventh fails professional ability, every
/// thirteenth is absent; scores vary with the position, some with one decimal.
fn result(index: usize, marks: PassMarks) -> anyhow::Result<CandidateResult> {
    if index % 13 == 12 {
        return Ok(CandidateResult::Absent);
    }
    let tenths = |base: usize| {
        Score::parse(&format!("{}.{}", base / 10, base % 10))
            .map_err(|error| anyhow::anyhow!("{error}"))
    };
    let theory = tenths(650 + (index * 37) % 330)?;
    let ability_base = if index % 7 == 3 {
        450 + (index * 11) % 100
    } else {
        640 + (index * 53) % 350
    };
    let ability = tenths(ability_base)?;
    Ok(CandidateResult::Sat {
        theory,
        ability,
        passed: outcome(theory, ability, marks).passed(),
    })
}

/// An evaluation institution listed for the class's occupation: the preferred one if listed.
async fn evaluator_for(store: &Store, class: &ClassRow) -> anyhow::Result<Option<(i64, String)>> {
    let listed = store
        .institutions(Some(InstitutionKind::Evaluation), Some(&class.occupation))
        .await?;
    let chosen = listed
        .iter()
        .find(|institution| institution.name == PREFERRED)
        .or_else(|| listed.first());
    Ok(chosen.map(|institution| (institution.id, institution.name.clone())))
}
