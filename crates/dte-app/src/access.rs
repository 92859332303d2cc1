//! The services' side of the one authorization rule (`dte_domain::access::authorize`): the
//! principal as the domain knows it, the facts of the store's records, and the refusal as a
//! service error. Services ask before they act; pages ask the same to decide which buttons
//! to show, so a button is offered exactly when the action would be allowed.

use crate::{Context, Principal, ServiceError};
use dte_domain::Scope;
use dte_domain::access::{self, Action, Facts};
use dte_store::{CertificateRow, ClassRow, ExamPlanRow};

/// The signed-in principal as the domain's rule takes it; nobody signed in is refused.
pub fn domain_principal(principal: &Principal) -> Result<access::Principal, ServiceError> {
    let user = principal
        .user()
        .ok_or_else(|| ServiceError::unauthenticated("unauthenticated", "请先登录"))?;
    Ok(access::Principal {
        role: user.role,
        scope: user.scope(),
    })
}

/// Whether the principal may do `action` on the record with `facts`; a refusal says why.
pub fn authorize(principal: &Principal, action: Action, facts: &Facts) -> Result<(), ServiceError> {
    let domain = domain_principal(principal)?;
    access::authorize(&domain, action, facts).map_err(|denied| ServiceError {
        code: denied.code,
        ..ServiceError::forbidden(denied.message)
    })
}

/// Whether the action would be allowed: what a page asks before it shows the button.
pub fn allows(principal: &Principal, action: Action, facts: &Facts) -> bool {
    authorize(principal, action, facts).is_ok()
}

/// Whether the principal's role may do the action on some record (a form that creates one).
pub fn admits(principal: &Principal, action: Action) -> bool {
    principal
        .user()
        .is_some_and(|user| action.admits(user.role))
}

/// The facts of a class: its region and the institution running it; a trainee principal is
/// among its people when enrolled in it, and for an evaluation institution the evaluation
/// institutions listed for its occupation (附件6) are named.
pub async fn class_facts(
    context: &Context,
    principal: &Principal,
    class: &ClassRow,
) -> Result<Facts, ServiceError> {
    let mut facts = Facts {
        region: Some(class.region.clone()),
        training_institution: Some(class.institution_id),
        ..Facts::default()
    };
    if let Some(Scope::Person(person)) = principal.user().map(|user| user.scope())
        && context.store.actively_enrolled(class.id, person).await?
    {
        facts.people.push(person);
    }
    if principal.user().map(|user| user.role) == Some(dte_domain::Role::EvaluationInstitution) {
        facts.listed_evaluators = context
            .store
            .institutions(
                Some(dte_domain::reference::InstitutionKind::Evaluation),
                Some(&class.occupation),
            )
            .await?
            .into_iter()
            .map(|institution| institution.id)
            .collect();
    }
    Ok(facts)
}

/// The facts of a class for actions no trainee takes (the institution's and the city's).
pub fn class_record(class: &ClassRow) -> Facts {
    Facts {
        region: Some(class.region.clone()),
        training_institution: Some(class.institution_id),
        ..Facts::default()
    }
}

/// The facts of an action on a region's records as a whole (its funds, its supervision, its
/// inspections).
pub fn region_facts(region: &str) -> Facts {
    Facts {
        region: Some(region.to_owned()),
        ..Facts::default()
    }
}

/// The facts of a certificate: its class's region and institution, its issuer, its holder.
pub fn certificate_facts(row: &CertificateRow) -> Facts {
    Facts {
        region: Some(row.region.clone()),
        training_institution: row.training_institution_id,
        issuer: Some(row.issuer_institution_id),
        people: vec![row.person_id],
        ..Facts::default()
    }
}

/// The facts of an exam plan: its class's region and institution and its evaluation
/// institution.
pub fn exam_plan_facts(row: &ExamPlanRow) -> Facts {
    Facts {
        region: Some(row.region.clone()),
        training_institution: Some(row.training_institution_id),
        evaluation_institution: Some(row.evaluation_institution_id),
        ..Facts::default()
    }
}
