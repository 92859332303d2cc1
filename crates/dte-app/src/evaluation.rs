//! Level evaluation in the web layer, shared by the API and the pages: which rule of
//! `dte_domain::evaluation` applies at each step of an exam plan (proposal, agreement, scores)
//! with the day's reference data, and the continuing-education hours of a person read from
//! their training certificates. No rule is written here; handlers call these functions.

pub mod hours;
pub mod sheet;

use crate::Context;
use crate::Principal;
use crate::ServiceError;
use crate::classes::plan::violations;
use crate::classes::{actor, class_for, scope};
use dte_docs::scores::SheetResult;
use dte_domain::Scope;
use dte_domain::access::Action;
use dte_domain::certificate::{CertificateKind, CertificateStatus};
use dte_domain::class_rules::Violation;
use dte_domain::evaluation::{
    CandidateFacts, ExamAction, ExamPlanContext, ExamPlanProposal, ExamPlanStatus, HeldCertificate,
    PassMarks, check_candidate, check_plan, check_score_entry, outcome,
};
use dte_domain::reference::InstitutionKind;
use dte_store::{
    CandidateResult, CertificateFilter, ExamPlanRow, NewCandidate, NewExamPlan, Store, StoreError,
};

/// A proposal as the training institution sends it.
#[derive(Debug, Clone)]
pub struct Proposal {
    pub class_id: i64,
    pub evaluation_institution_id: i64,
    pub exam_date: chrono::NaiveDate,
}

/// Proposes an exam plan for one of the principal's finished classes; every broken rule is named.
/// The candidates are the class's active trainees who hold a valid training certificate of
/// its occupation and level and no level certificate of it; 422 when there is none.
pub async fn propose(
    context: &Context,
    principal: &Principal,
    proposal: &Proposal,
) -> Result<i64, ServiceError> {
    let class = class_for(context, principal, proposal.class_id).await?;
    crate::access::authorize(
        principal,
        Action::ProposeExamPlan,
        &crate::access::class_record(&class),
    )?;
    let today = context.clock.today();
    let exam = ExamPlanProposal {
        occupation: class.occupation.clone(),
        level: class.level,
        class_status: class.status,
        class_end_date: class.end_date,
        exam_date: proposal.exam_date,
    };
    let rules = ExamPlanContext {
        today,
        training_institution: crate::catalog::standing(
            &context.store,
            InstitutionKind::Training,
            &class.occupation,
            class.institution_id,
            today,
        )
        .await?,
        evaluation_institution: crate::catalog::standing(
            &context.store,
            InstitutionKind::Evaluation,
            &class.occupation,
            proposal.evaluation_institution_id,
            today,
        )
        .await?,
    };
    refuse(check_plan(&exam, &rules))?;
    let mut candidates = Vec::new();
    let mut refusals = Vec::new();
    for entry in context.store.class_roster(class.id).await? {
        if !entry.active {
            continue;
        }
        let facts = certificates_of(&context.store, entry.person_id).await?;
        match check_candidate(&class.occupation, class.level, &facts) {
            Ok(()) => candidates.push(NewCandidate {
                person_id: entry.person_id,
                enrolment_id: entry.enrolment_id,
                training_certificate_number: facts
                    .training
                    .iter()
                    .find(|held| {
                        held.valid
                            && held.occupation == class.occupation
                            && held.level == class.level
                    })
                    .map(|held| held.number.clone()),
            }),
            Err(refusal) => refusals.push(refusal),
        }
    }
    if candidates.is_empty() {
        let mut list = vec![Violation::new(
            "class",
            "no_candidates",
            "本班没有取得培训合格证书、可参加等级考核的学员",
        )];
        list.extend(refusals);
        return Err(violations(list));
    }
    let plan = NewExamPlan {
        class_id: class.id,
        training_institution_id: class.institution_id,
        evaluation_institution_id: proposal.evaluation_institution_id,
        occupation: class.occupation.clone(),
        level: class.level,
        exam_date: proposal.exam_date,
        candidates,
    };
    match context
        .store
        .propose_exam_plan(&plan, &actor(context, principal))
        .await
    {
        Ok(id) => Ok(id),
        Err(StoreError::Constraint { constraint })
            if constraint == "exam_plans_one_live_per_class" =>
        {
            Err(ServiceError::conflict(
                "exam_plan_exists",
                "本班已有待确认或进行中的考核计划",
            ))
        }
        Err(error) => Err(error.into()),
    }
}

/// The exam plan if the principal's scope holds it; 404 (audited) otherwise.
pub async fn plan_for(
    context: &Context,
    principal: &Principal,
    id: i64,
) -> Result<ExamPlanRow, ServiceError> {
    match context
        .store
        .exam_plan_in_scope(&scope(principal)?, id)
        .await?
    {
        Some(plan) => Ok(plan),
        None => {
            let event = crate::audit::Event::success("access.denied", "exam_plan", id.to_string())
                .with_outcome(dte_store::AuditOutcome::Denied);
            crate::audit::record(context, principal, event).await?;
            Err(ServiceError::not_found(
                "exam_plan_not_found",
                format!("未找到编号为 {id} 的考核计划"),
            ))
        }
    }
}

/// The candidates of a plan the principal may see: a trainee only their own line, everyone else
/// (already in the plan's scope) all of them.
pub async fn visible_candidates(
    context: &Context,
    principal: &Principal,
    plan_id: i64,
) -> Result<Vec<dte_store::CandidateRow>, ServiceError> {
    let own_person = principal
        .user()
        .filter(|user| user.role == dte_domain::Role::Trainee)
        .and_then(|user| user.person_id);
    let mut candidates = context.store.exam_candidates(plan_id).await?;
    candidates.retain(|candidate| own_person.is_none_or(|person| person == candidate.person_id));
    Ok(candidates)
}

/// The plan, if the principal may take `action` on it (its evaluation institution, who
/// agrees, scores and issues: `access::authorize`).
pub async fn evaluator_plan(
    context: &Context,
    principal: &Principal,
    id: i64,
    action: Action,
) -> Result<ExamPlanRow, ServiceError> {
    let plan = plan_for(context, principal, id).await?;
    crate::access::authorize(principal, action, &crate::access::exam_plan_facts(&plan))?;
    Ok(plan)
}

/// The evaluation institution agrees (the plan's rules checked again today) or declines with a
/// reason.
pub async fn decide(
    context: &Context,
    principal: &Principal,
    id: i64,
    decline_reason: Option<&str>,
) -> Result<ExamPlanStatus, ServiceError> {
    let plan = evaluator_plan(
        context,
        principal,
        id,
        match decline_reason {
            Some(_) => Action::DeclineExamPlan,
            None => Action::AgreeExamPlan,
        },
    )
    .await?;
    let action = match decline_reason {
        Some(_) => ExamAction::Decline,
        None => ExamAction::Agree,
    };
    let to = transition(plan.status, action)?;
    if let Some(reason) = decline_reason
        && reason.trim().is_empty()
    {
        return Err(ServiceError::invalid("reason", "请填写拒绝的理由"));
    }
    if action == ExamAction::Agree {
        let today = context.clock.today();
        let class = class_for(context, principal, plan.class_id).await?;
        let exam = ExamPlanProposal {
            occupation: plan.occupation.clone(),
            level: plan.level,
            class_status: class.status,
            class_end_date: class.end_date,
            exam_date: plan.exam_date,
        };
        let rules = ExamPlanContext {
            today,
            training_institution: crate::catalog::standing(
                &context.store,
                InstitutionKind::Training,
                &plan.occupation,
                plan.training_institution_id,
                today,
            )
            .await?,
            evaluation_institution: crate::catalog::standing(
                &context.store,
                InstitutionKind::Evaluation,
                &plan.occupation,
                plan.evaluation_institution_id,
                today,
            )
            .await?,
        };
        refuse(check_plan(&exam, &rules))?;
    }
    let name = if action == ExamAction::Agree {
        "agree"
    } else {
        "decline"
    };
    context
        .store
        .change_exam_plan_status(
            id,
            plan.status,
            to,
            decline_reason.map(str::trim),
            name,
            &actor(context, principal),
        )
        .await
        .map_err(changed_meanwhile)?;
    Ok(to)
}

/// Enters (or corrects) a whole score sheet: the exam must have been held, every candidate
/// of the plan needs a result, and who passes is decided under the day's pass marks.
pub async fn enter_scores(
    context: &Context,
    principal: &Principal,
    id: i64,
    sheet: &[(i64, SheetResult)],
) -> Result<ExamPlanRow, ServiceError> {
    let plan = evaluator_plan(context, principal, id, Action::RecordScores).await?;
    transition(plan.status, ExamAction::EnterScores)?;
    let today = context.clock.today();
    check_score_entry(plan.exam_date, today).map_err(|violation| violations(vec![violation]))?;
    let candidates = context.store.exam_candidates(id).await?;
    let mut missing = Vec::new();
    for candidate in &candidates {
        if !sheet
            .iter()
            .any(|(person, _)| *person == candidate.person_id)
        {
            missing.push(Violation::new(
                "scores",
                "score_missing",
                format!("考生“{}”没有成绩：缺考的请标为缺考", candidate.name),
            ));
        }
    }
    for (person, _) in sheet {
        if !candidates
            .iter()
            .any(|candidate| candidate.person_id == *person)
        {
            missing.push(Violation::new(
                "scores",
                "not_a_candidate",
                format!("编号 {person} 不是本次考核的考生"),
            ));
        }
    }
    refuse(missing)?;
    let marks = pass_marks(&context.store, today).await?;
    let results: Vec<(i64, CandidateResult)> = sheet
        .iter()
        .map(|(person, result)| {
            let result = match *result {
                SheetResult::Absent => CandidateResult::Absent,
                SheetResult::Sat { theory, ability } => CandidateResult::Sat {
                    theory,
                    ability,
                    passed: outcome(theory, ability, marks).passed(),
                },
            };
            (*person, result)
        })
        .collect();
    context
        .store
        .record_exam_scores(id, plan.status, &results, &actor(context, principal))
        .await
        .map_err(changed_meanwhile)?;
    plan_for(context, principal, id).await
}

/// The pass marks in force on `date` (the policy's `theory_pass_mark`, `ability_pass_mark`).
pub async fn pass_marks(store: &Store, date: chrono::NaiveDate) -> Result<PassMarks, ServiceError> {
    Ok(store.policy_on(date).await?.pass_marks)
}

/// A person's certificates of both kinds as the candidate rule needs them.
async fn certificates_of(store: &Store, person_id: i64) -> Result<CandidateFacts, ServiceError> {
    let filter = CertificateFilter {
        person_id: Some(person_id),
        limit: 500,
        ..CertificateFilter::default()
    };
    let mut facts = CandidateFacts::default();
    for row in store
        .certificates_in_scope(&Scope::Province, &filter)
        .await?
    {
        let held = HeldCertificate {
            number: row.number.clone(),
            occupation: row.occupation.clone(),
            level: row.level,
            valid: row.status == CertificateStatus::Valid,
        };
        match row.kind() {
            CertificateKind::Training => facts.training.push(held),
            CertificateKind::Level => facts.level.push(held),
        }
    }
    Ok(facts)
}

fn transition(status: ExamPlanStatus, action: ExamAction) -> Result<ExamPlanStatus, ServiceError> {
    status
        .after(action)
        .map_err(|error| ServiceError::conflict("exam_plan_state", error.to_string()))
}

fn changed_meanwhile(error: StoreError) -> ServiceError {
    match error {
        StoreError::Conflict => {
            ServiceError::conflict("exam_plan_changed", "考核计划刚被他人修改，请刷新后重试")
        }
        other => other.into(),
    }
}

fn refuse(list: Vec<Violation>) -> Result<(), ServiceError> {
    if list.is_empty() {
        Ok(())
    } else {
        Err(violations(list))
    }
}

/// The 专业技术等级证书 of a candidate of `plan` who passed, dated `issued_on`, to be numbered
/// by the evaluation institution's pattern; `photo` is a document of their enrolment.
pub fn level_certificate(
    plan: &ExamPlanRow,
    person_id: i64,
    holder_name: String,
    photo: Option<i64>,
    issued_on: chrono::NaiveDate,
) -> dte_store::NewCertificate {
    dte_store::NewCertificate {
        number: None,
        person_id,
        holder_name,
        issuer_institution_id: plan.evaluation_institution_id,
        issuer_name: plan.evaluation_institution_name.clone(),
        region: plan.region.clone(),
        occupation: plan.occupation.clone(),
        occupation_name: plan.occupation_name.clone(),
        direction: plan.direction.clone(),
        level: plan.level,
        issued_on,
        details: dte_store::CertificateDetails::Level {
            id_kind: ID_KIND.to_owned(),
            photo_document_id: photo,
            exam_id: Some(plan.id),
            class_id: Some(plan.class_id),
            training_institution_id: Some(plan.training_institution_id),
        },
    }
}

/// 证件类别 printed on a level certificate: every person DTE knows is registered with a 居民身份证.
const ID_KIND: &str = "居民身份证";

/// Issues the 专业技术等级证书 of every candidate who passed and holds none yet (evaluation
/// institution, scores entered), dated `issued_on`, numbered by the evaluation institution's
/// pattern; the candidate's enrolment photo is printed when there is one. All or nothing: the
/// certificates, the candidates' numbers and the plan's move to 已发证 are one transaction.
pub async fn issue_level(
    context: &Context,
    principal: &Principal,
    id: i64,
    issued_on: chrono::NaiveDate,
) -> Result<Vec<dte_store::CertificateRow>, ServiceError> {
    let plan = evaluator_plan(context, principal, id, Action::IssueLevelCertificates).await?;
    transition(plan.status, ExamAction::Issue)?;
    dte_domain::certificate::check_issue_date(
        CertificateKind::Level,
        issued_on,
        plan.exam_date,
        context.clock.today(),
    )
    .map_err(|error| ServiceError::invalid("issued_on", error.to_string()))?;
    let pattern =
        crate::certificates::issue::number_pattern(context, plan.evaluation_institution_id).await?;
    let mut batch = Vec::new();
    for candidate in context.store.exam_candidates(id).await? {
        let passed = matches!(
            candidate.result,
            Some(CandidateResult::Sat { passed: true, .. })
        );
        if !passed || candidate.level_certificate_number.is_some() {
            continue;
        }
        let photo = context
            .store
            .documents(candidate.enrolment_id)
            .await?
            .into_iter()
            .filter(|document| {
                document.kind == "photo" && document.content_type != "application/pdf"
            })
            .max_by_key(|document| document.uploaded_at)
            .map(|document| document.id);
        batch.push(level_certificate(
            &plan,
            candidate.person_id,
            candidate.name,
            photo,
            issued_on,
        ));
    }
    if batch.is_empty() {
        return Err(ServiceError::conflict(
            "nobody_passed",
            "本次考核没有可以颁发证书的考生：理论和专业能力成绩都达到合格线的考生才能获得证书",
        ));
    }
    crate::certificates::issue::issue_batch(context, principal, &batch, &pattern).await
}

/// The exam plans in the principal's scope that match `filter`.
pub async fn list(
    context: &Context,
    principal: &Principal,
    filter: &dte_store::ExamPlanFilter,
) -> Result<Vec<ExamPlanRow>, ServiceError> {
    Ok(context
        .store
        .exam_plans_in_scope(&crate::classes::scope(principal)?, filter)
        .await?)
}
