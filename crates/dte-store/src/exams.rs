//! Level evaluation (专业技术等级考核, issue 6 item 3): exam plans agreed between a training
//! institution and an evaluation institution for one finished class, their candidates and
//! scores. The rules — who may propose, who is a candidate, what a score is, who passes — are
//! decided by `dte_domain::evaluation` before anything is written here; this module guarantees
//! that a state change happens only from the state the caller read (else `Conflict`), that a
//! score sheet is written all or nothing, and that every write is audited in its transaction.

use crate::audit::{Actor, AppendAudit};
use crate::classes::scope_binds;
use crate::error::{corrupt, corrupt_record, count};
use crate::{Store, StoreError, with_db};
use chrono::{DateTime, NaiveDate, Utc};
use dte_domain::evaluation::{ExamPlanStatus, Score};
use dte_domain::{Level, OccupationCode, Scope};
use serde_json::json;

/// An exam plan as the training institution proposes it, with its candidates.
#[derive(Debug, Clone)]
pub struct NewExamPlan {
    pub class_id: i64,
    pub training_institution_id: i64,
    pub evaluation_institution_id: i64,
    pub occupation: OccupationCode,
    pub level: Level,
    pub exam_date: NaiveDate,
    pub candidates: Vec<NewCandidate>,
}

/// A trainee of the class the domain found eligible (`check_candidate`).
#[derive(Debug, Clone)]
pub struct NewCandidate {
    pub person_id: i64,
    pub enrolment_id: i64,
    pub training_certificate_number: Option<String>,
}

/// A stored exam plan with the names a list needs.
#[derive(Debug, Clone)]
pub struct ExamPlanRow {
    pub id: i64,
    pub class_id: i64,
    pub class_title: String,
    pub region: String,
    pub class_end_date: NaiveDate,
    pub training_institution_id: i64,
    pub training_institution_name: String,
    pub evaluation_institution_id: i64,
    pub evaluation_institution_name: String,
    pub occupation: OccupationCode,
    pub occupation_name: String,
    pub direction: Option<String>,
    pub level: Level,
    pub exam_date: NaiveDate,
    pub status: ExamPlanStatus,
    pub decline_reason: Option<String>,
    pub candidates: u32,
    pub passed: u32,
    pub proposed_at: DateTime<Utc>,
}

/// A candidate with their score, if entered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateRow {
    pub person_id: i64,
    pub enrolment_id: i64,
    pub name: String,
    pub id_number_masked: String,
    pub id_number_cipher: String,
    pub training_certificate_number: Option<String>,
    /// `None` until scores are entered.
    pub result: Option<CandidateResult>,
    pub level_certificate_number: Option<String>,
}

/// A candidate's entered result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateResult {
    /// 缺考: did not sit the exam, so did not pass.
    Absent,
    /// Sat the exam; `passed` as the domain's `outcome` decided under the pass marks.
    Sat {
        theory: Score,
        ability: Score,
        passed: bool,
    },
}

/// Which exam plans to list, inside the caller's scope.
#[derive(Debug, Clone, Default)]
pub struct ExamPlanFilter {
    pub status: Option<ExamPlanStatus>,
    pub class_id: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct ExamPlanRecord {
    id: i64,
    class_id: i64,
    class_title: String,
    region_name: String,
    class_end_date: NaiveDate,
    training_institution_id: i64,
    training_institution_name: String,
    evaluation_institution_id: i64,
    evaluation_institution_name: String,
    occupation_code: String,
    occupation_name: String,
    direction: Option<String>,
    level: String,
    exam_date: NaiveDate,
    status: String,
    decline_reason: Option<String>,
    candidates: i64,
    passed: i64,
    proposed_at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
struct CandidateRecord {
    id: i64,
    person_id: i64,
    enrolment_id: i64,
    name: String,
    id_number_masked: String,
    id_number_cipher: String,
    training_certificate_number: Option<String>,
    absent: bool,
    theory_tenths: Option<i64>,
    ability_tenths: Option<i64>,
    passed: Option<bool>,
    level_certificate_number: Option<String>,
}

/// The columns of an exam plan with its names and counts; `x` is `exam_plans`, `c` its class.
macro_rules! exam_plan_select {
    () => {
        "SELECT x.id, x.class_id, c.title AS class_title, c.region_name,
                c.end_date AS class_end_date, x.training_institution_id,
                ti.name AS training_institution_name, x.evaluation_institution_id,
                ei.name AS evaluation_institution_name, x.occupation_code,
                o.name AS occupation_name, c.direction, x.level, x.exam_date, x.status,
                x.decline_reason,
                (SELECT COUNT(*) FROM exam_candidates k WHERE k.exam_plan_id = x.id) AS candidates,
                (SELECT COUNT(*) FROM exam_candidates k
                  WHERE k.exam_plan_id = x.id AND k.passed) AS passed,
                x.proposed_at
         FROM exam_plans x
         JOIN classes c ON c.id = x.class_id
         JOIN institutions ti ON ti.id = x.training_institution_id
         JOIN institutions ei ON ei.id = x.evaluation_institution_id
         JOIN occupations o ON o.code = x.occupation_code"
    };
}

/// The exam plans a scope sees, with binds $1 (everything), $2 (region), $3 (institution: the
/// training or the evaluation one) and $4 (person: a candidate).
macro_rules! exam_plan_scope {
    () => {
        "($1 OR c.region_name = $2 OR x.training_institution_id = $3
           OR x.evaluation_institution_id = $3
           OR x.id IN (SELECT k.exam_plan_id FROM exam_candidates k WHERE k.person_id = $4))"
    };
}

impl Store {
    /// Writes a proposed exam plan with its candidates, audited as `exam_plan.propose`. A
    /// class with a live (not declined) plan already answers
    /// `Constraint { exam_plans_one_live_per_class }`.
    pub async fn propose_exam_plan(
        &self,
        plan: &NewExamPlan,
        actor: &Actor,
    ) -> Result<i64, StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO exam_plans (class_id, training_institution_id,
                     evaluation_institution_id, occupation_code, level, exam_date, status,
                     proposed_by, proposed_at)
                 VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, $8)
                 RETURNING id",
            )
            .bind(plan.class_id)
            .bind(plan.training_institution_id)
            .bind(plan.evaluation_institution_id)
            .bind(plan.occupation.as_str())
            .bind(plan.level.as_str())
            .bind(plan.exam_date)
            .bind(actor.user_id)
            .bind(actor.at)
            .fetch_one(&mut *tx)
            .await
            .map_err(one_live_plan)?;
            for candidate in &plan.candidates {
                sqlx::query(
                    "INSERT INTO exam_candidates (exam_plan_id, person_id, enrolment_id,
                         training_certificate_number)
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(candidate.person_id)
                .bind(candidate.enrolment_id)
                .bind(&candidate.training_certificate_number)
                .execute(&mut *tx)
                .await?;
            }
            tx.append_audit_entry(&actor.entry("exam_plan.propose", "exam_plan", id, None,
                Some(json!({
                    "class_id": plan.class_id,
                    "evaluation_institution_id": plan.evaluation_institution_id,
                    "occupation": plan.occupation.as_str(),
                    "level": plan.level.as_str(),
                    "exam_date": plan.exam_date,
                    "candidates": plan.candidates.iter().map(|c| c.person_id).collect::<Vec<_>>(),
                })))).await?;
            tx.commit().await?;
            Ok(id)
        })
    }

    /// The exam plans a scope may see, newest first.
    pub async fn exam_plans_in_scope(
        &self,
        scope: &Scope,
        filter: &ExamPlanFilter,
    ) -> Result<Vec<ExamPlanRow>, StoreError> {
        let Some((everything, region, institution, person)) = scope_binds(scope) else {
            return Ok(Vec::new());
        };
        let records: Vec<ExamPlanRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            exam_plan_select!(), " WHERE ", exam_plan_scope!(), "
               AND ($5 IS NULL OR x.status = $5)
               AND ($6 IS NULL OR x.class_id = $6)
             ORDER BY x.id DESC LIMIT 500"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(filter.status.map(ExamPlanStatus::as_str))
        .bind(filter.class_id)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(ExamPlanRow::try_from).collect()
    }

    /// One exam plan if the scope may see it; `None` both when missing and when outside it.
    pub async fn exam_plan_in_scope(
        &self,
        scope: &Scope,
        id: i64,
    ) -> Result<Option<ExamPlanRow>, StoreError> {
        let Some((everything, region, institution, person)) = scope_binds(scope) else {
            return Ok(None);
        };
        let record: Option<ExamPlanRecord> = with_db!(self, pool => sqlx::query_as(concat!(
            exam_plan_select!(), " WHERE ", exam_plan_scope!(), " AND x.id = $5"
        ))
        .bind(everything)
        .bind(region)
        .bind(institution)
        .bind(person)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
        record.map(ExamPlanRow::try_from).transpose()
    }

    /// An exam plan's candidates in enrolment order.
    pub async fn exam_candidates(&self, plan_id: i64) -> Result<Vec<CandidateRow>, StoreError> {
        let records: Vec<CandidateRecord> = with_db!(self, pool => sqlx::query_as(
            "SELECT k.id, k.person_id, k.enrolment_id, p.name, p.id_number_masked,
                    p.id_number_cipher,
                    k.training_certificate_number, k.absent, k.theory_tenths, k.ability_tenths,
                    k.passed, k.level_certificate_number
             FROM exam_candidates k JOIN persons p ON p.id = k.person_id
             WHERE k.exam_plan_id = $1 ORDER BY k.enrolment_id"
        )
        .bind(plan_id)
        .fetch_all(pool)
        .await)?;
        records.into_iter().map(CandidateRow::try_from).collect()
    }

    /// Moves an exam plan from `from` to `to` (the domain decided the transition is allowed:
    /// agree or decline), audited as `exam_plan.<action>`. `Conflict` when the plan is no
    /// longer in `from`.
    pub async fn change_exam_plan_status(
        &self,
        id: i64,
        from: ExamPlanStatus,
        to: ExamPlanStatus,
        reason: Option<&str>,
        action: &str,
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE exam_plans SET status = $3,
                     decline_reason = CASE WHEN $3 = 'declined' THEN $4 ELSE decline_reason END,
                     decided_at = CASE WHEN $3 IN ('agreed', 'declined') THEN $5 ELSE decided_at END,
                     decided_by = CASE WHEN $3 IN ('agreed', 'declined') THEN $6 ELSE decided_by END
                 WHERE id = $1 AND status = $2",
            )
            .bind(id)
            .bind(from.as_str())
            .bind(to.as_str())
            .bind(reason)
            .bind(actor.at)
            .bind(actor.user_id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            tx.append_audit_entry(&actor.entry(
                &format!("exam_plan.{action}"), "exam_plan", id,
                Some(json!({"status": from.as_str()})),
                Some(json!({"status": to.as_str(), "reason": reason})),
            )).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Writes a score sheet all or nothing and moves the plan from `from` (agreed, or scores
    /// entered for a correction) to scores entered, audited as `exam_plan.scores`. A person
    /// who is not a candidate of the plan is `NotFound` and nothing is written; a plan no
    /// longer in `from` is `Conflict`.
    pub async fn record_exam_scores(
        &self,
        plan_id: i64,
        from: ExamPlanStatus,
        scores: &[(i64, CandidateResult)],
        actor: &Actor,
    ) -> Result<(), StoreError> {
        with_db!(self, pool => {
            let mut tx = pool.begin().await?;
            let updated = sqlx::query(
                "UPDATE exam_plans SET status = 'scores_entered', scored_at = $3
                 WHERE id = $1 AND status = $2",
            )
            .bind(plan_id)
            .bind(from.as_str())
            .bind(actor.at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if updated == 0 {
                return Err(StoreError::Conflict);
            }
            let mut audited = Vec::with_capacity(scores.len());
            for (person_id, result) in scores {
                let (absent, theory, ability, passed) = match result {
                    CandidateResult::Absent => (true, None, None, false),
                    CandidateResult::Sat { theory, ability, passed } => (
                        false,
                        Some(i64::from(theory.tenths())),
                        Some(i64::from(ability.tenths())),
                        *passed,
                    ),
                };
                let written = sqlx::query(
                    "UPDATE exam_candidates SET absent = $3, theory_tenths = $4,
                         ability_tenths = $5, passed = $6
                     WHERE exam_plan_id = $1 AND person_id = $2",
                )
                .bind(plan_id)
                .bind(person_id)
                .bind(absent)
                .bind(theory)
                .bind(ability)
                .bind(passed)
                .execute(&mut *tx)
                .await?
                .rows_affected();
                if written == 0 {
                    return Err(StoreError::NotFound);
                }
                audited.push(json!({
                    "person_id": person_id, "absent": absent, "theory_tenths": theory,
                    "ability_tenths": ability, "passed": passed,
                }));
            }
            tx.append_audit_entry(&actor.entry("exam_plan.scores", "exam_plan", plan_id,
                Some(json!({"status": from.as_str()})),
                Some(json!({"status": "scores_entered", "scores": audited})))).await?;
            tx.commit().await?;
            Ok(())
        })
    }
}

/// The one-live-plan index, named the same on both backends (SQLite reports a unique
/// index's columns, not its name).
fn one_live_plan(error: sqlx::Error) -> StoreError {
    match StoreError::from(error) {
        StoreError::Constraint { constraint }
            if constraint.contains("exam_plans") && constraint.contains("class_id")
                || constraint == "exam_plans_one_live_per_class" =>
        {
            StoreError::Constraint {
                constraint: "exam_plans_one_live_per_class".to_owned(),
            }
        }
        other => other,
    }
}

impl TryFrom<ExamPlanRecord> for ExamPlanRow {
    type Error = StoreError;

    fn try_from(record: ExamPlanRecord) -> Result<ExamPlanRow, StoreError> {
        Ok(ExamPlanRow {
            id: record.id,
            class_id: record.class_id,
            class_title: record.class_title,
            region: record.region_name,
            class_end_date: record.class_end_date,
            training_institution_id: record.training_institution_id,
            training_institution_name: record.training_institution_name,
            evaluation_institution_id: record.evaluation_institution_id,
            evaluation_institution_name: record.evaluation_institution_name,
            occupation: OccupationCode::parse(&record.occupation_code)
                .map_err(|_| corrupt("occupation", &record.occupation_code))?,
            occupation_name: record.occupation_name,
            direction: record.direction,
            level: Level::parse(&record.level).map_err(|_| corrupt("level", &record.level))?,
            exam_date: record.exam_date,
            status: ExamPlanStatus::parse(&record.status)
                .ok_or_else(|| corrupt("exam plan status", &record.status))?,
            decline_reason: record.decline_reason,
            candidates: count(record.candidates),
            passed: count(record.passed),
            proposed_at: record.proposed_at,
        })
    }
}

impl TryFrom<CandidateRecord> for CandidateRow {
    type Error = StoreError;

    fn try_from(record: CandidateRecord) -> Result<CandidateRow, StoreError> {
        let score = |tenths: i64| {
            u32::try_from(tenths)
                .ok()
                .and_then(|tenths| Score::from_tenths(tenths).ok())
                .ok_or_else(|| corrupt("score", &tenths.to_string()))
        };
        let result = match (record.absent, record.theory_tenths, record.ability_tenths) {
            (true, _, _) => Some(CandidateResult::Absent),
            (false, Some(theory), Some(ability)) => Some(CandidateResult::Sat {
                theory: score(theory)?,
                ability: score(ability)?,
                passed: record.passed.ok_or_else(|| {
                    corrupt_record("exam_candidates", record.id, "passed", "missing")
                })?,
            }),
            _ => None,
        };
        Ok(CandidateRow {
            person_id: record.person_id,
            enrolment_id: record.enrolment_id,
            name: record.name,
            id_number_masked: record.id_number_masked,
            id_number_cipher: record.id_number_cipher,
            training_certificate_number: record.training_certificate_number,
            result,
            level_certificate_number: record.level_certificate_number,
        })
    }
}
