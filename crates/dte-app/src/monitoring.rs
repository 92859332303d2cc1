//! Risk flags for supervisors (issue 5, item 6; SPEC step 10 and `GET /api/v1/flags`): the
//! store gathers the province-wide facts, `dte_domain::flags::detect` finds the patterns, and
//! this module keeps the flags of the classes the principal may see, optionally of one region or
//! one class, with each class's risk score.

use crate::Context;
use crate::Principal;
use crate::ServiceError;
use crate::classes::scope;
use chrono::TimeDelta;
use dte_domain::flags::{ClaimedHours, Flag, Thresholds, detect, risk_scores};
use dte_store::ClassRow;
use std::collections::BTreeMap;

/// How far back the flags look: the sessions of the last year, since subsidy claims and spot
/// checks reach back over a whole training year (at the plan's scale, about 3,000 trainees a
/// year, a year of check-ins is some 10⁵ records).
pub const FLAG_WINDOW_DAYS: i64 = 366;

/// The flags of one class, with the class and its score.
#[derive(Debug, Clone)]
pub struct ClassFlags {
    pub class: ClassRow,
    pub score: u32,
    pub flags: Vec<Flag>,
}

/// What to look at.
#[derive(Debug, Clone, Default)]
pub struct FlagFilter {
    pub region: Option<String>,
    pub class_id: Option<i64>,
}

/// The flags the principal may see, grouped by class, riskiest class first.
pub async fn flags_in_scope(
    context: &Context,
    principal: &Principal,
    filter: &FlagFilter,
) -> Result<Vec<ClassFlags>, ServiceError> {
    let scope = scope(principal)?;
    let now = context.clock.now();
    let since = context.clock.today() - TimeDelta::days(FLAG_WINDOW_DAYS);
    let mut dataset = context.store.flag_facts(now, since).await?;
    dataset.claims = claimed_hours(context, since).await?;
    let flags = detect(&dataset, &Thresholds::DEFAULT);
    let scores: BTreeMap<i64, u32> = risk_scores(&flags).into_iter().collect();
    let mut by_class: BTreeMap<i64, Vec<Flag>> = BTreeMap::new();
    for flag in flags {
        if filter.class_id.is_none_or(|id| id == flag.class_id) {
            by_class.entry(flag.class_id).or_default().push(flag);
        }
    }
    let mut classes = Vec::new();
    for (class_id, flags) in by_class {
        // A flag of a class outside the scope stays hidden; the store answers None for both
        // a missing class and one the scope may not see.
        let Some(class) = context.store.class_in_scope(&scope, class_id).await? else {
            continue;
        };
        if filter
            .region
            .as_deref()
            .is_some_and(|region| region != class.region)
        {
            continue;
        }
        let score = scores.get(&class_id).copied().unwrap_or(0);
        classes.push(ClassFlags {
            class,
            score,
            flags,
        });
    }
    classes.sort_by(|a, b| b.score.cmp(&a.score).then(a.class.id.cmp(&b.class.id)));
    Ok(classes)
}

/// What each training certificate claims next to what the ledger counts
/// (`hours_beyond_attendance`). Until subsidy claims exist, a certificate is the institution's
/// claim: it certifies that the holder attended at least the minimum (结业 needs the hours of
/// `minimum_attendance_percent`), so the claimed hours are the ledger's `required_hours` and a
/// certificate whose holder's counted hours fall short of them is flagged — issued on
/// attendance that was never there, or whose check-ins were voided afterwards.
async fn claimed_hours(
    context: &Context,
    since: chrono::NaiveDate,
) -> Result<Vec<ClaimedHours>, ServiceError> {
    let certified = context.store.certified_trainees(since).await?;
    let mut claims = Vec::with_capacity(certified.len());
    let mut class_ids: Vec<i64> = certified.iter().map(|(class, _)| *class).collect();
    class_ids.dedup();
    for class_id in class_ids {
        let Some(class) = context
            .store
            .class_in_scope(&dte_domain::Scope::Province, class_id)
            .await?
        else {
            continue;
        };
        let ledger = crate::classes::attendance::ledger_of(context, class, None).await?;
        for (_, person_id) in certified.iter().filter(|(id, _)| *id == class_id) {
            if let Some(line) = ledger
                .trainees
                .iter()
                .find(|line| line.person_id == *person_id)
            {
                claims.push(ClaimedHours {
                    class_id,
                    person_id: *person_id,
                    claimed_hours: line.ledger.required_hours,
                    attended_hours: line.ledger.total_hours,
                });
            }
        }
    }
    Ok(claims)
}

/// Today's sessions in the principal's scope with their live counts, and the attempts from
/// beyond a fence (as `dte_domain::attendance::counts_as_outside_fence` decides), optionally
/// in one region: what supervisors watch (`access::authorize`: the province, the cities and
/// the inspector).
pub async fn live(
    context: &Context,
    principal: &Principal,
    region: Option<&str>,
) -> Result<(Vec<dte_store::LiveSession>, Vec<dte_store::FenceViolation>), ServiceError> {
    crate::access::authorize(
        principal,
        dte_domain::access::Action::Monitor,
        &dte_domain::access::Facts::default(),
    )?;
    let scope = scope(principal)?;
    let today = context.clock.today();
    let sessions = context.store.live_sessions(&scope, region, today).await?;
    let breaches = context
        .store
        .fence_violations(&scope, region, today)
        .await?;
    Ok((sessions, breaches))
}
