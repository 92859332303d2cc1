//! 双随机一公开 random inspections (issue 14 item 3; the plan's 七（二）抽查检查; SPEC's contract
//! for `/api/v1/inspection-draws`): a city publishes its inspection items, its staff declare
//! conflicts with targets, and it draws targets and inspectors at random. A draw takes the
//! region's classes of the year (approved, running or finished) or their institutions, weighs
//! each by its risk tier (flags' score, complaints; `dte_domain::inspection::risk_tier`),
//! inspects each tier's rate of the pool (`draw_count`), selects by dte-draw-v1 with a seed from
//! the operating system's generator, and draws two of the city's staff per target without a
//! conflict (`choose_inspectors`); all of it is recorded so anyone can replay it. Items and
//! draws are public.

use crate::access::region_facts;
use crate::classes::{actor, scope};
use crate::monitoring::{FlagFilter, flags_in_scope};
use crate::{Context, Principal, ServiceError};
use chrono::Datelike;
use dte_domain::access::{Action, Facts};
use dte_domain::class::ClassStatus;
use dte_domain::inspection::{
    ALGORITHM, Candidate, InspectionMethod, InspectorCandidate, RecordError, RiskInputs, Seed,
    Target, TargetKind, check_text, choose_inspectors, draw, draw_count, risk_tier,
};
use dte_domain::{Role, Scope, supervision};
use dte_store::{
    ClassFilter, DrawRow, DrawnTarget, InspectionItemRow, NewDraw, NewInspectionItem, StoreError,
};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The most classes a draw's pool is read from (a region's year has a few hundred).
const POOL_MAX: u32 = 5_000;

/// The city the principal acts for, authorized for `action` there.
fn own_region(principal: &Principal, action: Action) -> Result<String, ServiceError> {
    let region = principal
        .user()
        .and_then(|user| user.region.clone())
        .filter(|_| {
            principal
                .user()
                .is_some_and(|user| user.role == Role::CityAdmin)
        });
    let Some(region) = region else {
        crate::access::authorize(principal, action, &Facts::default())?;
        return Err(ServiceError::forbidden(format!(
            "{}由各市人社局负责",
            action.label()
        )));
    };
    crate::access::authorize(principal, action, &region_facts(&region))?;
    Ok(region)
}

fn text_error(error: RecordError) -> ServiceError {
    ServiceError::invalid(error.field(), error.to_string())
}

/// An inspection item as a city publishes it.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct ItemInput {
    /// 检查依据, e.g. 《职业技能培训补贴管理办法》第十条.
    pub legal_basis: String,
    /// 检查对象, e.g. 承担数字技术工程师培育项目的培训机构.
    pub subject: String,
    /// 检查内容.
    pub content: String,
    /// `on_site` (现场检查) or `documents` (调阅资料).
    pub method: String,
}

/// Publishes an inspection item of the principal's city (检查事项清单). Audited as
/// `inspection_item.add`.
pub async fn add_item(
    context: &Context,
    principal: &Principal,
    input: &ItemInput,
) -> Result<i64, ServiceError> {
    let region = own_region(principal, Action::ManageInspectionItems)?;
    let item = NewInspectionItem {
        region,
        legal_basis: check_text("legal_basis", "检查依据", &input.legal_basis, 200)
            .map_err(text_error)?,
        subject: check_text("subject", "检查对象", &input.subject, 200).map_err(text_error)?,
        content: check_text("content", "检查内容", &input.content, 1000).map_err(text_error)?,
        method: InspectionMethod::parse(input.method.trim()).ok_or_else(|| {
            ServiceError::invalid(
                "method",
                "请选择检查方式：现场检查（on_site）或调阅资料（documents）",
            )
        })?,
    };
    Ok(context
        .store
        .add_inspection_item(&item, &actor(context, principal))
        .await?)
}

/// The published inspection items, of one region or all (public).
pub async fn items(
    context: &Context,
    region: Option<&str>,
) -> Result<Vec<InspectionItemRow>, ServiceError> {
    Ok(context.store.inspection_items(region).await?)
}

/// A conflict an inspector declares with a target.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct ConflictInput {
    /// `institution:12` or `class:34`.
    pub target: String,
    /// Why (e.g. 近亲属在该机构任职).
    pub reason: String,
}

/// Declares the principal's own conflict with a target of their city, once: they are never
/// drawn to inspect it. Audited as `inspector.conflict`.
pub async fn declare_conflict(
    context: &Context,
    principal: &Principal,
    input: &ConflictInput,
) -> Result<i64, ServiceError> {
    let region = own_region(principal, Action::DeclareConflict)?;
    let user_id = principal
        .user()
        .map(|user| user.id)
        .ok_or_else(|| ServiceError::forbidden("请先登录"))?;
    let target = Target::parse(&input.target)
        .map_err(|error| ServiceError::invalid("target", error.to_string()))?;
    let known = match target.kind {
        TargetKind::Class => context
            .store
            .class_in_scope(&Scope::Region(region), target.id)
            .await?
            .is_some(),
        TargetKind::Institution => context
            .store
            .institutions(None, None)
            .await?
            .iter()
            .any(|institution| institution.id == target.id),
    };
    if !known {
        return Err(ServiceError::invalid(
            "target",
            format!("未找到本市的检查对象 {target}"),
        ));
    }
    let reason = check_text("reason", "利益冲突的情形", &input.reason, 500).map_err(text_error)?;
    context
        .store
        .declare_conflict(user_id, target, &reason, &actor(context, principal))
        .await
        .map_err(|error| match error {
            StoreError::Constraint { .. } => {
                ServiceError::conflict("conflict_declared", "您已申报过与该对象的利益冲突")
            }
            other => other.into(),
        })
}

/// What a draw picks from.
#[derive(Debug, Clone, Default, serde::Deserialize, ToSchema)]
pub struct DrawInput {
    /// `institution` (the training institutions with classes in the city this year) or
    /// `class` (the city's classes of the year).
    pub target_kind: String,
}

/// Draws inspection targets of the principal's city and two inspectors for each (双随机),
/// and records the draw for anyone to replay. Audited as `inspection.draw`.
pub async fn run_draw(
    context: &Context,
    principal: &Principal,
    input: &DrawInput,
) -> Result<i64, ServiceError> {
    let region = own_region(principal, Action::DrawInspections)?;
    let target_kind = match input.target_kind.trim() {
        "institution" => TargetKind::Institution,
        "class" => TargetKind::Class,
        _ => {
            return Err(ServiceError::invalid(
                "target_kind",
                "请选择抽取对象：培训机构（institution）或班期（class）",
            ));
        }
    };
    let today = context.clock.today();
    let settings = crate::policy_on(context, today).await?.inspection;
    let pool = risk_pool(context, principal, &region, target_kind, today.year()).await?;
    if pool.is_empty() {
        return Err(ServiceError::invalid(
            "target_kind",
            format!("{region}本年度没有可抽取的检查对象"),
        ));
    }
    let tiers: BTreeMap<Target, dte_domain::inspection::RiskTier> = pool
        .iter()
        .map(|(target, inputs)| (*target, risk_tier(&settings, *inputs)))
        .collect();
    let mut candidates: Vec<Candidate> = tiers
        .iter()
        .map(|(target, tier)| Candidate {
            id: target.to_string(),
            weight: settings.weights.of(*tier),
        })
        .collect();
    candidates.sort_by(|a, b| a.id.cmp(&b.id));
    let count = draw_count(&settings, &tiers.values().copied().collect::<Vec<_>>());
    let seed = Seed::from_bytes(dte_crypto::random_seed());
    let selected = draw(&seed, &candidates, count).map_err(ServiceError::internal)?;
    let staff: Vec<i64> = context
        .store
        .users_in_scope(&Scope::Region(region.clone()))
        .await?
        .into_iter()
        .filter(|user| user.role == Role::CityAdmin && user.is_active())
        .map(|user| user.id)
        .collect();
    let conflicts = context.store.conflicts_of(&staff).await?;
    let mut drawn = Vec::with_capacity(selected.len());
    for id in &selected {
        let target = Target::parse(id).map_err(ServiceError::internal)?;
        let inspectors: Vec<InspectorCandidate> = staff
            .iter()
            .map(|user_id| InspectorCandidate {
                user_id: *user_id,
                conflicted: conflicts
                    .iter()
                    .any(|conflict| conflict.user_id == *user_id && conflict.target == target),
            })
            .collect();
        let previous = context.store.previous_inspectors(target).await?;
        let chosen = choose_inspectors(&seed, id, &inspectors, &previous)
            .map_err(|error| ServiceError::invalid("inspectors", error.to_string()))?;
        let [first, second] = chosen[..] else {
            return Err(ServiceError::internal("two inspectors expected"));
        };
        drawn.push(DrawnTarget {
            target,
            tier: tiers[&target],
            inspectors: [first, second],
        });
    }
    let record = NewDraw {
        region,
        target_kind,
        algorithm: ALGORITHM,
        seed: seed.to_hex(),
        candidates,
        selected: drawn,
    };
    Ok(context
        .store
        .record_draw(&record, &actor(context, principal))
        .await?)
}

/// The targets a draw of `region` picks from, with what their risk tier is computed from: each
/// class's flags' score and the open or upheld complaints about it; an institution's is the
/// highest score of its classes there and the complaints about it and them.
async fn risk_pool(
    context: &Context,
    principal: &Principal,
    region: &str,
    kind: TargetKind,
    year: i32,
) -> Result<BTreeMap<Target, RiskInputs>, ServiceError> {
    let classes: Vec<_> = context
        .store
        .classes_in_scope(
            &Scope::Region(region.to_owned()),
            &ClassFilter::default(),
            POOL_MAX,
        )
        .await?
        .into_iter()
        .filter(|class| class.year == year)
        .filter(|class| {
            matches!(
                class.status,
                ClassStatus::Approved | ClassStatus::Running | ClassStatus::Finished
            )
        })
        .collect();
    let scores: BTreeMap<i64, u32> = flags_in_scope(
        context,
        principal,
        &FlagFilter {
            region: Some(region.to_owned()),
            class_id: None,
        },
    )
    .await?
    .into_iter()
    .map(|flags| (flags.class.id, flags.score))
    .collect();
    let complaints: BTreeMap<supervision::Target, u32> = context
        .store
        .complaint_counts(region)
        .await?
        .into_iter()
        .collect();
    let mut pool: BTreeMap<Target, RiskInputs> = BTreeMap::new();
    for class in &classes {
        let score = scores.get(&class.id).copied().unwrap_or(0);
        let about_class = complaints
            .get(&supervision::Target::Class(class.id))
            .copied()
            .unwrap_or(0);
        match kind {
            TargetKind::Class => {
                pool.insert(
                    Target::class(class.id),
                    RiskInputs {
                        flag_score: score,
                        complaints: about_class,
                        failed_findings: 0,
                    },
                );
            }
            TargetKind::Institution => {
                let entry = pool
                    .entry(Target::institution(class.institution_id))
                    .or_insert_with(|| RiskInputs {
                        flag_score: 0,
                        complaints: complaints
                            .get(&supervision::Target::Institution(class.institution_id))
                            .copied()
                            .unwrap_or(0),
                        failed_findings: 0,
                    });
                entry.flag_score = entry.flag_score.max(score);
                entry.complaints = entry.complaints.saturating_add(about_class);
            }
        }
    }
    Ok(pool)
}

/// The draws, of one region or all, newest first (public).
pub async fn draws(context: &Context, region: Option<&str>) -> Result<Vec<DrawRow>, ServiceError> {
    Ok(context.store.inspection_draws(region, 200).await?)
}

/// One draw (public).
pub async fn draw_by_id(context: &Context, id: i64) -> Result<DrawRow, ServiceError> {
    context
        .store
        .inspection_draw(id)
        .await?
        .ok_or_else(|| ServiceError::not_found("draw_not_found", format!("未找到抽查记录 {id}")))
}

/// Whether the principal may see who was drawn to inspect (the city's own staff, the province,
/// the inspector); the public sees the targets without the staff's names.
pub fn sees_inspectors(principal: &Principal, region: &str) -> bool {
    crate::access::authorize(principal, Action::ReadInspection, &region_facts(region)).is_ok()
        && scope(principal).is_ok()
}

/// What each target is called on the public page: the institution's name, or the class's title
/// with its institution. A target no longer found is named by its id.
pub async fn target_labels(
    context: &Context,
    targets: impl IntoIterator<Item = Target>,
) -> Result<BTreeMap<Target, String>, ServiceError> {
    let institutions: BTreeMap<i64, String> = context
        .store
        .institutions(None, None)
        .await?
        .into_iter()
        .map(|institution| (institution.id, institution.name))
        .collect();
    let mut labels = BTreeMap::new();
    for target in targets {
        let label = match target.kind {
            TargetKind::Institution => institutions.get(&target.id).cloned(),
            TargetKind::Class => context
                .store
                .class_in_scope(&Scope::Province, target.id)
                .await?
                .map(|class| format!("{}（{}）", class.title, class.institution_name)),
        };
        labels.insert(target, label.unwrap_or_else(|| target.to_string()));
    }
    Ok(labels)
}
