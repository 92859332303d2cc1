//! The training agreement a subsidised class needs (the plan's 六（一）: 签订培训协议), and what a
//! city's approval checks again: the institution's standing on the day of the approval.

use super::{ClassContext, ClassPlan, Violation, check_institution};
use crate::Funding;
use crate::agreement::AgreementTerms;

/// A subsidised class needs an agreement of its region's city with its institution, covering
/// its occupation and valid on its start date (`no_training_agreement`, field `institution_id`
/// when there is none at all with the institution, `starts_on` when none is valid then).
/// `agreements` are the city's agreements with the class's institution. A market class needs
/// none.
pub fn check_training_agreement(
    plan: &ClassPlan,
    institution_id: i64,
    agreements: &[AgreementTerms],
) -> Option<Violation> {
    if plan.funding != Funding::Subsidised {
        return None;
    }
    if agreements.iter().any(|agreement| {
        agreement.covers(
            &plan.region,
            institution_id,
            &plan.occupation,
            plan.start_date,
        )
    }) {
        return None;
    }
    let with_city: Vec<&AgreementTerms> = agreements
        .iter()
        .filter(|agreement| {
            agreement.region == plan.region && agreement.institution_id == institution_id
        })
        .collect();
    let (field, message) = if with_city.is_empty() {
        (
            "institution_id",
            format!(
                "{}市人社局与本培训机构尚未签订培训协议，不能开设政府补贴班期",
                plan.region
            ),
        )
    } else if !with_city
        .iter()
        .any(|agreement| agreement.occupations.contains(&plan.occupation))
    {
        (
            "occupation",
            format!(
                "与{}市人社局签订的培训协议未覆盖职业 {}，不能开设该职业的政府补贴班期",
                plan.region, plan.occupation
            ),
        )
    } else {
        (
            "starts_on",
            format!(
                "开班日期 {} 不在与{}市人社局签订的培训协议有效期内",
                plan.start_date, plan.region
            ),
        )
    };
    Some(Violation::new(field, "no_training_agreement", message))
}

/// What the city's approval checks on the day it approves: the institution still active and
/// listed for the occupation (a suspension between submission and approval stops the class),
/// and, for a subsidised class, the training agreement.
pub fn check_approval(
    plan: &ClassPlan,
    context: &ClassContext,
    institution_id: i64,
    agreements: &[AgreementTerms],
) -> Vec<Violation> {
    let mut violations = Vec::new();
    check_institution(plan, &context.institution, &mut violations);
    violations.extend(check_training_agreement(plan, institution_id, agreements));
    violations
}
