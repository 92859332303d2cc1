//! The demo's subsidy claims (issue 13 item 8), lived through the same services as the pages
//! and the API (`dte_app::claims`): for each subsidised class whose trainees hold both
//! certificates, the institution files the category proofs and commitment letters and opens a
//! claim that assembles itself; the cities review, approve with a second account, publish,
//! take objections, keep their funds, pay and claw back. The claims end in every state: paid
//! from both funds (one payment split), partly rejected, rejected, withdrawn, approved and
//! waiting for payment, on notice now with an objection, reviewed, submitted and a draft, and a
//! clawback partly recovered.

use anyhow::{Context as _, anyhow};
use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use dte_app::claims::{self, Allocation, Decision, ObjectionInput, PaymentInput, RecoveryInput};
use dte_app::{Clock, Context, Principal};
use dte_domain::certificate::{CertificateKind, CertificateStatus};
use dte_domain::{ClassStatus, Funding, Role, Scope};
use dte_store::{AccountRequest, Actor, CertificateFilter, ClassRow, Store};
use std::sync::{Arc, Mutex};

/// What the claims made, for the summary.
#[derive(Debug, Default)]
pub struct Claimed {
    /// (claim id, class title, state label).
    pub claims: Vec<(i64, String, &'static str)>,
    pub paid_fen: i64,
    pub clawback: Option<i64>,
    pub notice: Option<i64>,
}

/// The services' context over the demo's store, with a clock the demo moves.
struct Demo {
    context: Context,
    now: Arc<Mutex<DateTime<Utc>>>,
    store: Store,
    /// The hash of an unknown password, for accounts the demo acts through but does not print.
    locked: String,
}

impl Demo {
    fn at(&self, day: NaiveDate, hour: u32) {
        let local = chrono_tz::Asia::Shanghai
            .from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
            .single();
        if let Some(local) = local
            && let Ok(mut now) = self.now.lock()
        {
            *now = local.with_timezone(&Utc);
        }
    }

    /// The account `username`, created (bound as given, unprinted) when missing.
    async fn account(
        &self,
        username: &str,
        display_name: &str,
        role: Role,
        region: Option<&str>,
        institution: Option<&str>,
    ) -> anyhow::Result<Principal> {
        if self.store.user_by_username(username).await?.is_none() {
            let request = AccountRequest {
                username: username.to_owned(),
                display_name: display_name.to_owned(),
                role,
                region: region.map(str::to_owned),
                institution: institution.map(str::to_owned),
                password_hash: self.locked.clone(),
            };
            let at = self
                .now
                .lock()
                .map(|now| *now)
                .unwrap_or_else(|_| Utc::now());
            if let Err(refusal) = self
                .store
                .create_account(&request, &Actor::system(at))
                .await?
            {
                anyhow::bail!("演示账号 {username} 无法创建：{refusal}");
            }
        }
        let user = self
            .store
            .user_by_username(username)
            .await?
            .with_context(|| format!("演示账号 {username}"))?;
        Ok(Principal::account(user))
    }
}

/// The state a demo claim is taken to, oldest claimable class first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    PaidSplitAndClawedBack,
    PartlyRejected,
    WithdrawnThenRejected,
    Approved,
    InNoticeWithObjection,
    InReview,
    Submitted,
    Draft,
}

const TARGETS: [Target; 8] = [
    Target::PaidSplitAndClawedBack,
    Target::PartlyRejected,
    Target::WithdrawnThenRejected,
    Target::Approved,
    Target::InNoticeWithObjection,
    Target::InReview,
    Target::Submitted,
    Target::Draft,
];

fn service(error: dte_app::ServiceError) -> anyhow::Error {
    anyhow!("{}: {}", error.code, error.message)
}

/// The next working day (Monday to Friday) after `day`.
fn next_weekday(day: NaiveDate) -> NaiveDate {
    let mut next = day + Duration::days(1);
    while next.weekday().number_from_monday() > 5 {
        next += Duration::days(1);
    }
    next
}

/// Builds the services' context and lives the claims, as of `now`.
pub async fn claim(
    store: &Store,
    context_parts: (
        &std::path::Path,
        Arc<dte_crypto::Keyring>,
        dte_crypto::CertificateKey,
    ),
    classes: &[ClassRow],
    today: NaiveDate,
    now: DateTime<Utc>,
) -> anyhow::Result<Claimed> {
    let (data_dir, keyring, key) = context_parts;
    let clock_now = Arc::new(Mutex::new(now));
    let shared = clock_now.clone();
    let context = Context {
        store: store.clone(),
        clock: Clock::from_fn(move || shared.lock().map(|now| *now).unwrap_or_else(|_| Utc::now())),
        public_url: "http://127.0.0.1:8080".into(),
        keyring,
        check_ins: dte_store::CheckInWriter::spawn(
            store.clone(),
            64,
            std::time::Duration::from_millis(2),
        ),
        data_dir: Arc::from(data_dir),
        certificates: Arc::new(dte_app::certificates::Services::new(key)),
        accounts: Arc::new(dte_app::accounts::Settings::new()),
    };
    let locked =
        dte_crypto::hash_password(&dte_crypto::new_token()).map_err(|error| anyhow!("{error}"))?;
    let demo = Demo {
        context,
        now: clock_now,
        store: store.clone(),
        locked,
    };
    // The classes a claim can be made for: finished, subsidised, with level certificates of
    // their trainees; the one whose certificates are oldest first.
    let mut claimable = Vec::new();
    for class in classes {
        if class.funding != Funding::Subsidised
            || !matches!(class.status, ClassStatus::Finished | ClassStatus::Closed)
        {
            continue;
        }
        let roster = store.class_roster(class.id).await?;
        let mut latest: Option<NaiveDate> = None;
        for entry in roster
            .iter()
            .filter(|entry| entry.subsidised && entry.active)
        {
            let level = store
                .certificates_in_scope(
                    &Scope::Province,
                    &CertificateFilter {
                        kind: Some(CertificateKind::Level),
                        person_id: Some(entry.person_id),
                        limit: dte_store::CERTIFICATE_PAGE_MAX,
                        ..CertificateFilter::default()
                    },
                )
                .await?;
            for row in level.iter().filter(|row| {
                row.status == CertificateStatus::Valid && row.occupation == class.occupation
            }) {
                latest = Some(latest.map_or(row.issued_on, |day| day.max(row.issued_on)));
            }
        }
        if let Some(latest) = latest {
            claimable.push((latest, class.clone()));
        }
    }
    claimable.sort_by_key(|(latest, class)| (*latest, class.id));
    let mut claimed = Claimed::default();
    for ((latest, class), target) in claimable.iter().zip(TARGETS) {
        live(&demo, class, *latest, target, today, &mut claimed)
            .await
            .with_context(|| format!("补贴申领：{}", class.title))?;
    }
    Ok(claimed)
}

/// The accounts acting on a class's claim: its institution and two of its city's staff.
async fn cast(demo: &Demo, class: &ClassRow) -> anyhow::Result<(Principal, Principal, Principal)> {
    let institution = demo
        .account(
            &format!("demo-ti-{}", class.institution_id),
            &format!("{}（补贴申领）", class.institution_name),
            Role::TrainingInstitution,
            None,
            Some(&class.institution_name),
        )
        .await?;
    let (first, second) = match class.region.as_str() {
        "大连" => ("demo-dalian".to_owned(), "demo-dalian-review".to_owned()),
        "沈阳" => (
            "demo-shenyang".to_owned(),
            "demo-shenyang-review".to_owned(),
        ),
        _ => (
            format!("demo-city-{}-a", class.id),
            format!("demo-city-{}-b", class.id),
        ),
    };
    let reviewer = demo
        .account(
            &first,
            &format!("{}市人社局（审核）", class.region),
            Role::CityAdmin,
            Some(&class.region),
            None,
        )
        .await?;
    let approver = demo
        .account(
            &second,
            &format!("{}市人社局（复核）", class.region),
            Role::CityAdmin,
            Some(&class.region),
            None,
        )
        .await?;
    Ok((institution, reviewer, approver))
}

/// Files each subsidised trainee's category proof and commitment letter (all but the last
/// trainee's letter in every other class, so a line shows that reason).
async fn file_documents(
    demo: &Demo,
    institution: &Principal,
    class: &ClassRow,
    leave_one_out: bool,
) -> anyhow::Result<()> {
    let roster = demo.store.class_roster(class.id).await?;
    let subsidised: Vec<_> = roster
        .iter()
        .filter(|entry| entry.subsidised && entry.active)
        .collect();
    for (index, entry) in subsidised.iter().enumerate() {
        let documents = demo.store.documents(entry.enrolment_id).await?;
        for kind in ["proof", "commitment"] {
            if documents.iter().any(|document| document.kind == kind)
                || (leave_one_out && kind == "commitment" && index + 1 == subsidised.len())
            {
                continue;
            }
            let bytes =
                format!("%PDF-1.4\n% 演示{kind} {}\n%%EOF\n", entry.enrolment_id).into_bytes();
            dte_app::classes::documents::store_document(
                &demo.context,
                institution,
                entry.enrolment_id,
                kind,
                &format!("{kind}.pdf"),
                &bytes,
            )
            .await
            .map_err(service)?;
        }
    }
    Ok(())
}

/// Every line still claimed approved, except the `reject` first ones rejected with `reason`.
fn decisions(view: &claims::ClaimView, reject: usize, reason: &str) -> Vec<Decision> {
    view.lines
        .iter()
        .filter(|line| line.status == dte_domain::subsidy::LineStatus::Claimed)
        .enumerate()
        .map(|(index, line)| {
            if index < reject {
                Decision {
                    line_id: line.id,
                    decision: "reject".into(),
                    reason: Some(reason.into()),
                    remark: Some("抽查签到记录与课堂录像不符".into()),
                }
            } else {
                Decision {
                    line_id: line.id,
                    decision: "approve".into(),
                    reason: None,
                    remark: None,
                }
            }
        })
        .collect()
}

#[allow(clippy::too_many_lines)]
async fn live(
    demo: &Demo,
    class: &ClassRow,
    latest: NaiveDate,
    target: Target,
    today: NaiveDate,
    claimed: &mut Claimed,
) -> anyhow::Result<()> {
    let context = &demo.context;
    let (institution, reviewer, approver) = cast(demo, class).await?;
    // When the claim opens: a few days after the last level certificate, or, for the states
    // that are current, close enough to today.
    let open_on = match target {
        Target::Draft => today,
        Target::Submitted => today - Duration::days(1),
        Target::InReview => today - Duration::days(2),
        Target::InNoticeWithObjection => today - Duration::days(4),
        _ => (latest + Duration::days(3)).min(today - Duration::days(30)),
    }
    .max(latest + Duration::days(1));
    demo.at(open_on, 9);
    file_documents(demo, &institution, class, class.id % 2 == 0).await?;
    let mut id = claims::open(context, &institution, class.id)
        .await
        .map_err(service)?;
    if target == Target::WithdrawnThenRejected {
        claims::withdraw(context, &institution, id)
            .await
            .map_err(service)?;
        claimed.claims.push((id, class.title.clone(), "已撤回"));
        demo.at(open_on, 15);
        id = claims::open(context, &institution, class.id)
            .await
            .map_err(service)?;
    }
    if target == Target::Draft {
        claimed.claims.push((id, class.title.clone(), "草稿"));
        return Ok(());
    }
    let view = claims::claim(context, &institution, id)
        .await
        .map_err(service)?;
    if !view
        .lines
        .iter()
        .any(|line| line.status == dte_domain::subsidy::LineStatus::Claimed)
    {
        claimed
            .claims
            .push((id, class.title.clone(), "草稿（无符合条件人员）"));
        return Ok(());
    }
    claims::submit(context, &institution, id)
        .await
        .map_err(service)?;
    if target == Target::Submitted {
        claimed.claims.push((id, class.title.clone(), "待审核"));
        return Ok(());
    }
    let review_on = next_weekday(open_on);
    demo.at(review_on, 10);
    let view = claims::claim(context, &reviewer, id)
        .await
        .map_err(service)?;
    let (reject, reason) = match target {
        Target::WithdrawnThenRejected => (usize::MAX, "documents_insufficient"),
        Target::PartlyRejected => (1, "attendance_doubtful"),
        _ => (0, ""),
    };
    claims::review(context, &reviewer, id, &decisions(&view, reject, reason))
        .await
        .map_err(service)?;
    if target == Target::InReview {
        claimed.claims.push((id, class.title.clone(), "待复核"));
        return Ok(());
    }
    let approve_on = next_weekday(review_on);
    demo.at(approve_on, 10);
    claims::approve(context, &approver, id)
        .await
        .map_err(service)?;
    if target == Target::WithdrawnThenRejected {
        claimed.claims.push((id, class.title.clone(), "未通过"));
        return Ok(());
    }
    let view = claims::claim(context, &approver, id)
        .await
        .map_err(service)?;
    let ends_on = view.claim.notice_ends_on.context("公示期")?;
    if matches!(
        target,
        Target::InNoticeWithObjection | Target::PartlyRejected
    ) {
        let line = view
            .lines
            .iter()
            .rev()
            .find(|line| line.status == dte_domain::subsidy::LineStatus::Approved)
            .context("公示中的人员")?;
        demo.at(approve_on + Duration::days(1), 20);
        let objection = claims::lodge_objection(
            context,
            &Principal::default(),
            id,
            &ObjectionInput {
                line_id: line.id,
                contact: "13800000000".into(),
                content: "该学员培训期间在外地工作，未到课堂参加培训".into(),
            },
        )
        .await
        .map_err(service)?;
        if target == Target::InNoticeWithObjection {
            claimed.notice = Some(id);
            claimed
                .claims
                .push((id, class.title.clone(), "公示中（有异议待处理）"));
            return Ok(());
        }
        demo.at(next_weekday(approve_on + Duration::days(1)), 11);
        claims::resolve_objection(
            context,
            &approver,
            id,
            objection,
            true,
            "经核实，异议成立，不予补贴",
        )
        .await
        .map_err(service)?;
    }
    let pay_on = next_weekday(ends_on);
    demo.at(pay_on, 10);
    claims::close_notice(context, &approver, id)
        .await
        .map_err(service)?;
    if target == Target::Approved {
        claimed.claims.push((id, class.title.clone(), "待拨付"));
        return Ok(());
    }
    let view = claims::claim(context, &approver, id)
        .await
        .map_err(service)?;
    let amount: i64 = view
        .lines
        .iter()
        .filter(|line| line.status == dte_domain::subsidy::LineStatus::Approved)
        .map(|line| line.amount.get())
        .sum();
    // The split payment: 专账结余 holds half of it; the other one is covered by 专账结余 alone.
    let skills = if target == Target::PaidSplitAndClawedBack {
        (amount / 2 / 100) * 100
    } else {
        amount
    };
    for (source, fen, note) in [
        (
            "skills_upgrading_balance",
            skills,
            "职业技能提升行动专账结余（演示）",
        ),
        (
            "employment_subsidy_fund",
            100_000_000,
            "就业补助资金（演示）",
        ),
    ] {
        if fen > 0 {
            claims::allocate(
                context,
                &reviewer,
                &Allocation {
                    year: class.year,
                    fund_source: source.into(),
                    amount_fen: fen,
                    kind: "allocation".into(),
                    note: note.into(),
                },
            )
            .await
            .map_err(service)?;
        }
    }
    let shares = claims::pay(
        context,
        &approver,
        id,
        &PaymentInput {
            paid_on: pay_on,
            voucher: format!("BZ{}{:04}", class.year, id),
        },
    )
    .await
    .map_err(service)?;
    claimed.paid_fen += shares.iter().map(|(_, fen)| fen.get()).sum::<i64>();
    if target == Target::PartlyRejected {
        claimed
            .claims
            .push((id, class.title.clone(), "部分核减（已拨付）"));
        return Ok(());
    }
    claimed
        .claims
        .push((id, class.title.clone(), "已拨付（两项资金）"));
    // A violation found after payment: one paid line clawed back, recovered in part.
    let view = claims::claim(context, &reviewer, id)
        .await
        .map_err(service)?;
    let paid = view
        .lines
        .iter()
        .find(|line| line.status == dte_domain::subsidy::LineStatus::Paid)
        .context("已拨付的人员")?;
    let found_on = next_weekday(pay_on + Duration::days(5)).min(today);
    demo.at(found_on, 10);
    let case = claims::open_clawback(
        context,
        &reviewer,
        id,
        &[paid.id],
        "专项检查发现该学员由他人代签到",
    )
    .await
    .map_err(service)?;
    demo.at(found_on, 16);
    claims::record_recovery(
        context,
        &reviewer,
        case,
        &RecoveryInput {
            amount_fen: paid.amount.get() / 2,
            recovered_on: found_on,
            voucher: format!("ZH{}{:04}", class.year, case),
            fund_source: "skills_upgrading_balance".into(),
        },
    )
    .await
    .map_err(service)?;
    claimed.clawback = Some(case);
    Ok(())
}
