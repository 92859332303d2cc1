//! Living the demo's year: every class of `plans::CLASSES` is opened, submitted, decided,
//! enrolled, started, finished and closed on its own day, all classes' steps in date order,
//! through the same rules and store calls as the web layer — `class_rules::check_draft` and
//! `check_submission` with "today" set to the day of the step, `check_quota` under the
//! region's lock, and `dte_app::classes::enrol::decide` for every trainee. A rule that
//! refuses means the demo's data is wrong, and the demo stops saying why.

use super::accounts::{TRAINEE, TraineeKey};
use super::people::{Generator, RosterRequest, roster};
use super::plans::{CLASSES, Fate, Step, When, steps};
use super::rules::{Planned, class_context, eligibility_context, plan};
use anyhow::{Context, bail};
use chrono::{DateTime, Datelike, NaiveDate, TimeZone, Utc};
use dte_app::classes::enrol::{ACTIVATION_DAYS, Trainee, decide, institution_active_on};
use dte_crypto::Keyring;
use dte_domain::class_rules::{check_draft, check_quota, check_submission};
use dte_domain::{ClassAction, ClassStatus};
use dte_store::{Actor, Applicant, NewActivation, NewEnrolment, NewPerson, Store};
use std::collections::HashSet;

/// The generator's seed: the same seed, the same people.
const SEED: u64 = 2023_0036;

/// What the year left behind, for the summary.
#[derive(Debug, Default)]
pub struct Outcome {
    pub trainees: usize,
    pub subsidised: usize,
    /// The trainee account the demo activates (in a running class in 大连).
    pub activated: Option<TraineeKey>,
    /// A trainee account left pending, with a code still valid, to try /activate with.
    pub pending: Option<TraineeKey>,
}

/// Lives the year up to `today` (a date in Liaoning), writing as the system at each step's
/// time.
pub async fn live(store: &Store, keyring: &Keyring, today: NaiveDate) -> anyhow::Result<Outcome> {
    let mut classes = Vec::new();
    let mut agenda = Vec::new();
    for (index, spec) in CLASSES.iter().enumerate() {
        let planned = plan(store, spec, today).await?;
        let end = planned.plan.end_date;
        for (when, step) in steps(spec.fate, planned.plan.start_date, end, today) {
            anyhow::ensure!(
                when.date < today,
                "演示数据有误：{} 的一步排在 {}，不早于今天",
                planned.new_class.title,
                when.date
            );
            agenda.push((when, index, step));
        }
        classes.push(planned);
    }
    agenda.sort();
    let first_year = store.catalog_year(i32::MIN).await?;
    if let Some((first, _, _)) = agenda.first()
        && first.date.year() < first_year
    {
        bail!(
            "演示数据的第一步在 {}，早于参考数据的第一年 {first_year}：那时还没有名额与政策设置",
            first.date
        );
    }
    let mut outcome = Outcome::default();
    let mut year = Year {
        store,
        keyring,
        generator: Generator::new(SEED),
        taken: HashSet::new(),
        usernames: 0,
    };
    for (when, index, step) in agenda {
        let actor = Actor::system(instant(when, index)?);
        year.step(&mut classes[index], step, when.date, &actor, &mut outcome)
            .await
            .with_context(|| format!("演示班期“{}”", classes[index].new_class.title))?;
    }
    Ok(outcome)
}

/// The instant of a step: its time in Liaoning, plus a minute per class so steps of one hour
/// keep the table's order.
fn instant(when: When, index: usize) -> anyhow::Result<DateTime<Utc>> {
    let minutes = i64::try_from(index).unwrap_or(0);
    chrono_tz::Asia::Shanghai
        .from_local_datetime(&when.date.and_time(when.time))
        .single()
        .map(|local| local.with_timezone(&Utc) + chrono::Duration::minutes(minutes))
        .context("演示数据的时间无效")
}

/// The state of the year being lived.
struct Year<'a> {
    store: &'a Store,
    keyring: &'a Keyring,
    generator: Generator,
    /// Every ID number drawn so far.
    taken: HashSet<String>,
    /// Trainee usernames handed out so far.
    usernames: u32,
}

impl Year<'_> {
    async fn step(
        &mut self,
        class: &mut Planned,
        step: Step,
        today: NaiveDate,
        actor: &Actor,
        outcome: &mut Outcome,
    ) -> anyhow::Result<()> {
        match step {
            Step::Create => {
                let context = class_context(self.store, class, today).await?;
                refuse_violations(check_draft(&class.plan, &context))?;
                class.id = Some(self.store.create_class(&class.new_class, actor).await?);
            }
            Step::Submit => {
                let context = class_context(self.store, class, today).await?;
                refuse_violations(check_submission(&class.plan, &context))?;
                self.change(class, ClassAction::Submit, None, actor).await?;
            }
            Step::Decide => match class.spec.fate {
                Fate::Rejected(reason) => {
                    self.change(class, ClassAction::Reject, Some(reason), actor)
                        .await?;
                }
                _ if class.spec.funding == dte_domain::Funding::Subsidised => {
                    class.status.after(ClassAction::Approve)?;
                    let decision = self
                        .store
                        .approve_within_quota(id(class)?, actor, |usage, seats| {
                            check_quota(seats, usage.quota, usage.approved_seats)
                        })
                        .await?;
                    decision.map_err(|violation| anyhow::anyhow!("{violation}"))?;
                    class.status = ClassStatus::Approved;
                }
                _ => {
                    self.change(class, ClassAction::Approve, None, actor)
                        .await?
                }
            },
            Step::Enrol => self.enrol(class, today, actor, outcome).await?,
            Step::Start => self.change(class, ClassAction::Start, None, actor).await?,
            Step::Finish => self.change(class, ClassAction::Finish, None, actor).await?,
            Step::Close => self.change(class, ClassAction::Close, None, actor).await?,
        }
        Ok(())
    }

    /// Moves the class on by `action`, if its state allows it (`ClassStatus::after`).
    async fn change(
        &self,
        class: &mut Planned,
        action: ClassAction,
        reason: Option<&str>,
        actor: &Actor,
    ) -> anyhow::Result<()> {
        let next = class.status.after(action)?;
        self.store
            .change_class_status(
                id(class)?,
                class.status,
                next,
                reason,
                action.as_str(),
                actor,
            )
            .await?;
        class.status = next;
        Ok(())
    }

    /// Enrols the class's roster in one all-or-nothing call, each trainee decided by the
    /// web layer's `decide`, each given a pending trainee account with a one-time code.
    async fn enrol(
        &mut self,
        class: &Planned,
        today: NaiveDate,
        actor: &Actor,
        outcome: &mut Outcome,
    ) -> anyhow::Result<()> {
        let context = eligibility_context(self.store, today).await?;
        let school = if class.spec.institution.contains("开放大学") {
            "辽宁科技学院"
        } else {
            class.spec.institution
        };
        let trainees = roster(
            &mut self.generator,
            &mut self.taken,
            &RosterRequest {
                region: class.spec.region,
                funding: class.spec.funding,
                start_date: class.plan.start_date,
                count: class.spec.trainees,
                school,
                enabled_subsidies: &context.enabled_subsidy_categories,
                today,
            },
        )?;
        let takes_demo_trainee = outcome.activated.is_none()
            && class.spec.fate == Fate::Running
            && class.spec.region == "大连";
        let leaves_one_pending = outcome.pending.is_none() && class.spec.fate == Fate::Approved;
        let mut keys = Vec::new();
        let applicants: Vec<Applicant> = trainees
            .iter()
            .enumerate()
            .map(|(position, trainee)| {
                let username = if position == 0 && takes_demo_trainee {
                    TRAINEE.to_owned()
                } else {
                    self.usernames += 1;
                    format!("xy{:05}", self.usernames)
                };
                let code = dte_crypto::activation_code();
                let applicant = applicant(self.keyring, trainee, &username, &code, actor);
                keys.push(TraineeKey { username, code });
                applicant
            })
            .collect::<anyhow::Result<_>>()?;
        let active = institution_active_on(
            self.store,
            &class.new_class.occupation,
            class.new_class.institution_id,
            today,
        )
        .await?;
        let decided = self
            .store
            .enrol(id(class)?, &applicants, actor, |index, _, facts| {
                decide(&trainees[index], facts, &context, active)
            })
            .await?;
        let enrolled = match decided {
            Ok(enrolled) => enrolled,
            Err(refusals) => {
                let reasons: Vec<String> = refusals
                    .into_iter()
                    .map(|(index, reasons)| {
                        format!(
                            "第 {} 人：{}",
                            index + 1,
                            reasons
                                .iter()
                                .map(|reason| reason.message.as_str())
                                .collect::<Vec<_>>()
                                .join("；")
                        )
                    })
                    .collect();
                bail!(
                    "演示学员被拒绝招收（演示数据有误）：{}",
                    reasons.join(" | ")
                );
            }
        };
        anyhow::ensure!(
            enrolled.iter().all(|enrolment| enrolment.account_opened),
            "演示学员应各开通一个新的学员账号"
        );
        outcome.trainees += enrolled.len();
        outcome.subsidised += enrolled
            .iter()
            .filter(|enrolment| enrolment.subsidised)
            .count();
        if takes_demo_trainee {
            outcome.activated = keys.first().cloned();
        } else if leaves_one_pending {
            outcome.pending = keys.first().cloned();
        }
        Ok(())
    }
}

/// One trainee as the store takes them: personal data protected by the keyring, the
/// enrolment, and a pending account whose activation code is valid for ACTIVATION_DAYS.
fn applicant(
    keyring: &Keyring,
    trainee: &Trainee,
    username: &str,
    code: &str,
    actor: &Actor,
) -> anyhow::Result<Applicant> {
    let code_digest = keyring
        .activation_code_digest(code)
        .context("激活码格式无效")?;
    Ok(Applicant {
        person: NewPerson::protect(keyring, &trainee.name, &trainee.resident_id, &trainee.phone),
        enrolment: NewEnrolment {
            category: trainee.category,
            employer_or_school: trainee.employer_or_school.clone(),
            graduation_year: trainee.graduation_year,
            subsidy_category: trainee.subsidy_category.clone(),
            commitment_signed: trainee.commitment_signed,
        },
        activation: Some(NewActivation {
            username: username.to_owned(),
            code_digest,
            expires_at: actor.at + chrono::Duration::days(ACTIVATION_DAYS),
        }),
    })
}

fn id(class: &Planned) -> anyhow::Result<i64> {
    class.id.context("班期尚未创建")
}

/// Stops the demo with every rule its data breaks.
fn refuse_violations(violations: Vec<dte_domain::Violation>) -> anyhow::Result<()> {
    if violations.is_empty() {
        return Ok(());
    }
    let messages: Vec<String> = violations
        .iter()
        .map(|violation| format!("{}：{}", violation.field, violation.message))
        .collect();
    bail!("班期规则不通过（演示数据有误）：{}", messages.join("；"))
}
