//! The subsidy story of storage (issue 13): claims seen inside their scope, one claim in
//! progress per class, state changes only from the state read, four eyes and "never twice" as
//! constraints (two approvals or two payments racing end in one), payments split over the
//! city's funds under its lock, clawbacks recovered in parts, every write audited. Every test
//! runs on both backends.

use crate::classes::{actor, applicant, institution, plan};
use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use dte_domain::subsidy::{ClaimStatus, ClawbackStatus, FundSource, LineStatus, split_payment};
use dte_domain::{Fen, Level, OccupationCode, Role, Scope};
use dte_store::testing::fresh_database;
use dte_store::{
    Actor, AuditFilter, Backend, ClaimChange, ClaimFilter, LineReasonRow, NewClaimLine,
    NewFundEntry, NewPayment, NewUser, Store, StoreError,
};

macro_rules! story {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() { super::$name(dte_store::Backend::Sqlite).await }
            #[tokio::test]
            async fn postgres() { super::$name(dte_store::Backend::Postgres).await }
        }
    )*};
}

story!(
    a_claim_goes_from_draft_to_payment_and_clawback_all_audited,
    two_approvals_or_two_payments_racing_end_in_one
);

fn day(month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2027, month, day).unwrap()
}

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 3, 1, 2, 0, 0).unwrap()
}

async fn user(store: &Store, username: &str, role: Role, region: Option<&str>) -> Actor {
    let institution_id = if role == Role::TrainingInstitution {
        Some(institution(store, "东北大学").await)
    } else {
        None
    };
    let id = store
        .create_user(
            &NewUser {
                username: username.into(),
                display_name: username.into(),
                role,
                region: region.map(str::to_owned),
                institution_id,
                person_id: None,
                password_hash: None,
            },
            at(),
        )
        .await
        .unwrap();
    Actor {
        at: at(),
        user_id: Some(id),
        username: username.into(),
        role: role.as_str().into(),
        client_address: None,
        request_id: None,
    }
}

fn line(enrolment_id: i64, person_id: i64, reasons: &[&str]) -> NewClaimLine {
    NewClaimLine {
        enrolment_id,
        person_id,
        occupation: OccupationCode::parse("2-02-10-09").unwrap(),
        level: Level::Intermediate,
        hours: 80,
        rate_fen_per_hour: Fen::new(2_000),
        amount: Fen::from_yuan(1_600),
        status: if reasons.is_empty() {
            LineStatus::Claimed
        } else {
            LineStatus::Ineligible
        },
        reasons: reasons
            .iter()
            .map(|code| LineReasonRow {
                code: (*code).to_owned(),
                message: format!("{code} 的说明"),
            })
            .collect(),
    }
}

fn change(from: ClaimStatus, to: ClaimStatus, action: &'static str) -> ClaimChange {
    ClaimChange {
        from,
        to,
        action,
        review_due_on: None,
        notice: None,
        lines: vec![],
        decisions: vec![],
    }
}

/// A subsidised class of 沈阳 with `people` enrolled; answers (class, [(enrolment, person)]).
async fn class_with(store: &Store, keys: &[&str]) -> (i64, Vec<(i64, i64)>) {
    let neu = institution(store, "东北大学").await;
    let class = store
        .create_class(&plan(neu, "沈阳", 10), &actor())
        .await
        .unwrap();
    let applicants: Vec<_> = keys.iter().map(|key| applicant(key, "学员")).collect();
    let enrolled = store
        .enrol(class, &applicants, &actor(), |_, _, _| Ok::<bool, ()>(true))
        .await
        .unwrap()
        .unwrap();
    (
        class,
        enrolled
            .iter()
            .map(|written| (written.enrolment_id, written.person_id))
            .collect(),
    )
}

async fn allocate(store: &Store, actor: &Actor, source: FundSource, yuan: i64) {
    store
        .add_fund_entry(
            &NewFundEntry {
                region: "沈阳".into(),
                year: 2027,
                source,
                kind: "allocation",
                amount: Fen::from_yuan(yuan),
                note: "2027 年度下达".into(),
            },
            actor,
        )
        .await
        .unwrap();
}

async fn a_claim_goes_from_draft_to_payment_and_clawback_all_audited(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(actor().at).await.unwrap();
    let opener = user(store, "neu-claims", Role::TrainingInstitution, None).await;
    let reviewer = user(store, "sy-reviewer", Role::CityAdmin, Some("沈阳")).await;
    let approver = user(store, "sy-approver", Role::CityAdmin, Some("沈阳")).await;
    let (class, people) = class_with(store, &["a", "b", "c"]).await;
    let lines = [
        line(people[0].0, people[0].1, &[]),
        line(people[1].0, people[1].1, &[]),
        line(
            people[2].0,
            people[2].1,
            &["no_level_certificate", "commitment_letter_missing"],
        ),
    ];
    let claim = store.open_claim(class, &lines, &opener).await.unwrap();
    // One claim in progress per class.
    assert!(matches!(
        store.open_claim(class, &lines, &opener).await,
        Err(StoreError::Constraint { constraint }) if constraint == "claims_one_open_per_class"
    ));
    // Scope: 沈阳's city and the institution see it; 大连's city and a trainee do not.
    let neu = institution(store, "东北大学").await;
    for (scope, seen) in [
        (Scope::Province, 1),
        (Scope::Region("沈阳".into()), 1),
        (Scope::Institution(neu), 1),
        (Scope::Region("大连".into()), 0),
        (Scope::Person(people[0].1), 0),
    ] {
        let claims = store
            .claims_in_scope(&scope, &ClaimFilter::default())
            .await
            .unwrap();
        assert_eq!(claims.len(), seen, "{scope:?}");
    }
    let row = store
        .claim_in_scope(&Scope::Region("沈阳".into()), claim)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status, row.amount, row.paid),
        (ClaimStatus::Draft, Fen::from_yuan(3_200), Fen::ZERO)
    );
    let stored = store.claim_lines(claim).await.unwrap();
    let codes: Vec<&str> = stored[2]
        .reasons
        .iter()
        .map(|reason| reason.code.as_str())
        .collect();
    assert_eq!(codes, ["no_level_certificate", "commitment_letter_missing"]);
    assert_eq!(stored[2].reasons[0].message, "no_level_certificate 的说明");
    // A change from a state the claim is not in is a conflict, and writes nothing.
    assert!(matches!(
        store
            .change_claim(
                claim,
                &change(
                    ClaimStatus::Submitted,
                    ClaimStatus::InReview,
                    "claim.review"
                ),
                &reviewer
            )
            .await,
        Err(StoreError::Conflict)
    ));
    // Four eyes in the database too: the reviewer cannot approve.
    store
        .change_claim(
            claim,
            &ClaimChange {
                review_due_on: Some(day(3, 8)),
                ..change(ClaimStatus::Draft, ClaimStatus::Submitted, "claim.submit")
            },
            &opener,
        )
        .await
        .unwrap();
    store
        .change_claim(
            claim,
            &change(
                ClaimStatus::Submitted,
                ClaimStatus::InReview,
                "claim.review",
            ),
            &reviewer,
        )
        .await
        .unwrap();
    assert!(matches!(
        store
            .change_claim(
                claim,
                &change(ClaimStatus::InReview, ClaimStatus::InNotice, "claim.approve"),
                &reviewer
            )
            .await,
        Err(StoreError::Constraint { constraint }) if constraint == "claims_four_eyes"
    ));
    store
        .change_claim(
            claim,
            &ClaimChange {
                notice: Some((day(3, 2), day(3, 8))),
                lines: vec![
                    (stored[0].id, LineStatus::Approved, vec![]),
                    (stored[1].id, LineStatus::Approved, vec![]),
                ],
                ..change(
                    ClaimStatus::InReview,
                    ClaimStatus::InNotice,
                    "claim.approve",
                )
            },
            &approver,
        )
        .await
        .unwrap();
    // An objection to the second line, upheld: the line is rejected.
    let objector = Actor::system(at());
    let objection = store
        .lodge_objection(
            claim,
            stored[1].id,
            "v1.k.contact",
            "138****0000",
            "此人未参加培训",
            &objector,
        )
        .await
        .unwrap();
    store
        .resolve_objection(objection, true, "核实属实", &approver)
        .await
        .unwrap();
    assert!(matches!(
        store
            .resolve_objection(objection, false, "再次处理", &approver)
            .await,
        Err(StoreError::Conflict)
    ));
    let after = store.claim_lines(claim).await.unwrap();
    assert_eq!(after[1].status, LineStatus::Rejected);
    assert_eq!(after[1].review_reason.as_deref(), Some("objection_upheld"));
    store
        .change_claim(
            claim,
            &change(
                ClaimStatus::InNotice,
                ClaimStatus::Approved,
                "claim.close_notice",
            ),
            &approver,
        )
        .await
        .unwrap();
    // Payment: 1,000 元 of 专账结余 and the rest of 就业补助资金, split by the domain's rule
    // on the balances read under the region's lock.
    allocate(store, &approver, FundSource::SkillsUpgradingBalance, 1_000).await;
    allocate(store, &approver, FundSource::EmploymentSubsidyFund, 10_000).await;
    let payable: Vec<_> = after
        .iter()
        .filter(|line| line.status == LineStatus::Approved)
        .cloned()
        .collect();
    let amount = Fen::from_yuan(1_600);
    let shares = store
        .record_payment(
            &NewPayment {
                claim_id: claim,
                region: "沈阳",
                year: 2027,
                lines: &payable,
                changes: &[],
                paid_on: day(3, 15),
                voucher: "SY-2027-001",
                partly: true,
            },
            &approver,
            |balances| {
                split_payment(amount, balances).map(|shares| {
                    shares
                        .into_iter()
                        .map(|share| (share.source, share.amount))
                        .collect()
                })
            },
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        shares,
        [
            (FundSource::SkillsUpgradingBalance, Fen::from_yuan(1_000)),
            (FundSource::EmploymentSubsidyFund, Fen::from_yuan(600))
        ]
    );
    let balances = store.fund_balances("沈阳", 2027).await.unwrap();
    assert_eq!(balances.skills_upgrading_balance, Fen::ZERO);
    assert_eq!(balances.employment_subsidy_fund, Fen::from_yuan(9_400));
    let row = store
        .claim_in_scope(&Scope::Province, claim)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status, row.paid),
        (ClaimStatus::PartlyRejected, Fen::from_yuan(1_600))
    );
    assert_eq!(
        store
            .payments_in_scope(&Scope::Region("沈阳".into()))
            .await
            .unwrap()
            .len(),
        2
    );
    assert!(
        store
            .payments_in_scope(&Scope::Region("大连".into()))
            .await
            .unwrap()
            .is_empty()
    );
    // Clawback of the paid line: exactly what was paid, recovered in two parts.
    let paid_line = store.claim_lines(claim).await.unwrap()[0].clone();
    assert_eq!(paid_line.status, LineStatus::Paid);
    let case = store
        .open_clawback(
            claim,
            std::slice::from_ref(&paid_line),
            "检查发现代签到",
            &reviewer,
        )
        .await
        .unwrap();
    let cases = store.clawbacks_in_scope(&Scope::Province).await.unwrap();
    assert_eq!(
        (cases[0].id, cases[0].amount, cases[0].status),
        (case, Fen::from_yuan(1_600), ClawbackStatus::Open)
    );
    let fund = ("沈阳", 2027, FundSource::EmploymentSubsidyFund);
    store
        .record_recovery(
            case,
            Fen::ZERO,
            Fen::from_yuan(600),
            ClawbackStatus::PartlyRecovered,
            day(4, 1),
            "R-1",
            fund,
            &reviewer,
        )
        .await
        .unwrap();
    // A recovery recorded on a stale reading is a conflict.
    assert!(matches!(
        store
            .record_recovery(
                case,
                Fen::ZERO,
                Fen::from_yuan(600),
                ClawbackStatus::PartlyRecovered,
                day(4, 1),
                "R-1b",
                fund,
                &reviewer,
            )
            .await,
        Err(StoreError::Conflict)
    ));
    // The account that opened the case cannot write it off.
    assert!(matches!(
        store.write_off_clawback(case, "机构已注销", &reviewer).await,
        Err(StoreError::Constraint { constraint }) if constraint == "clawbacks_second_account"
    ));
    store
        .record_recovery(
            case,
            Fen::from_yuan(600),
            Fen::from_yuan(1_000),
            ClawbackStatus::Recovered,
            day(4, 20),
            "R-2",
            fund,
            &reviewer,
        )
        .await
        .unwrap();
    let cases = store.clawbacks_in_scope(&Scope::Province).await.unwrap();
    assert_eq!(
        (cases[0].recovered, cases[0].status),
        (Fen::from_yuan(1_600), ClawbackStatus::Recovered)
    );
    assert_eq!(
        store
            .fund_balances("沈阳", 2027)
            .await
            .unwrap()
            .employment_subsidy_fund,
        Fen::from_yuan(11_000)
    );
    // A clawed-back line still holds its subsidy: the same person, occupation and level
    // claimed in another class cannot be approved again.
    let (other_class, other) = class_with(store, &["a"]).await;
    assert_eq!(other[0].1, paid_line.person_id, "the same person");
    let again = store
        .open_claim(other_class, &[line(other[0].0, other[0].1, &[])], &opener)
        .await
        .unwrap();
    let result = async {
        store
            .change_claim(
                again,
                &ClaimChange {
                    review_due_on: Some(day(5, 8)),
                    ..change(ClaimStatus::Draft, ClaimStatus::Submitted, "claim.submit")
                },
                &opener,
            )
            .await?;
        store
            .change_claim(
                again,
                &change(
                    ClaimStatus::Submitted,
                    ClaimStatus::InReview,
                    "claim.review",
                ),
                &reviewer,
            )
            .await?;
        let id = store.claim_lines(again).await?[0].id;
        store
            .change_claim(
                again,
                &ClaimChange {
                    lines: vec![(id, LineStatus::Approved, vec![])],
                    ..change(
                        ClaimStatus::InReview,
                        ClaimStatus::InNotice,
                        "claim.approve",
                    )
                },
                &approver,
            )
            .await
    }
    .await;
    assert!(
        matches!(&result, Err(StoreError::Constraint { constraint }) if constraint == "claim_lines_subsidy_held"),
        "{result:?}"
    );
    let audit = store
        .audit_entries(&AuditFilter::default(), None, 500)
        .await
        .unwrap();
    let mut actions: Vec<&str> = audit
        .iter()
        .map(|entry| entry.action.as_str())
        .filter(|action| {
            ["claim.", "fund.", "clawback."]
                .iter()
                .any(|prefix| action.starts_with(prefix))
        })
        .collect();
    actions.sort_unstable();
    actions.dedup();
    assert_eq!(
        actions,
        [
            "claim.approve",
            "claim.close_notice",
            "claim.object",
            "claim.objection_upheld",
            "claim.open",
            "claim.pay",
            "claim.review",
            "claim.submit",
            "clawback.open",
            "clawback.recover",
            "fund.entry"
        ]
    );
}

async fn two_approvals_or_two_payments_racing_end_in_one(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(actor().at).await.unwrap();
    let opener = user(store, "neu-claims", Role::TrainingInstitution, None).await;
    let reviewer = user(store, "sy-reviewer", Role::CityAdmin, Some("沈阳")).await;
    let approver = user(store, "sy-approver", Role::CityAdmin, Some("沈阳")).await;
    // The same person in two classes of the same occupation and level, claimed twice.
    let (first_class, first) = class_with(store, &["same"]).await;
    let (second_class, second) = class_with(store, &["same"]).await;
    let claims = [
        store
            .open_claim(first_class, &[line(first[0].0, first[0].1, &[])], &opener)
            .await
            .unwrap(),
        store
            .open_claim(
                second_class,
                &[line(second[0].0, second[0].1, &[])],
                &opener,
            )
            .await
            .unwrap(),
    ];
    assert_eq!(first[0].1, second[0].1, "one person");
    let mut lines = Vec::new();
    for claim in claims {
        store
            .change_claim(
                claim,
                &ClaimChange {
                    review_due_on: Some(day(3, 8)),
                    ..change(ClaimStatus::Draft, ClaimStatus::Submitted, "claim.submit")
                },
                &opener,
            )
            .await
            .unwrap();
        store
            .change_claim(
                claim,
                &change(
                    ClaimStatus::Submitted,
                    ClaimStatus::InReview,
                    "claim.review",
                ),
                &reviewer,
            )
            .await
            .unwrap();
        lines.push(store.claim_lines(claim).await.unwrap()[0].id);
    }
    // Two approvals at once, one per claim: one holds the subsidy, the other is refused.
    let approve = |claim: i64, line: i64| {
        let store = store.clone();
        let approver = approver.clone();
        async move {
            store
                .change_claim(
                    claim,
                    &ClaimChange {
                        notice: Some((day(3, 2), day(3, 8))),
                        lines: vec![(line, LineStatus::Approved, vec![])],
                        ..change(
                            ClaimStatus::InReview,
                            ClaimStatus::InNotice,
                            "claim.approve",
                        )
                    },
                    &approver,
                )
                .await
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(approve(claims[0], lines[0])),
        tokio::spawn(approve(claims[1], lines[1]))
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    let won: Vec<usize> = (0..2).filter(|index| outcomes[*index].is_ok()).collect();
    assert_eq!(won.len(), 1, "{outcomes:?}");
    let lost = 1 - won[0];
    assert!(
        matches!(&outcomes[lost], Err(StoreError::Constraint { constraint }) if constraint == "claim_lines_subsidy_held"),
        "{outcomes:?}"
    );
    let claim = claims[won[0]];
    // The losing claim wrote nothing: still in review, its line still claimed.
    let losing = store
        .claim_in_scope(&Scope::Province, claims[lost])
        .await
        .unwrap()
        .unwrap();
    assert_eq!(losing.status, ClaimStatus::InReview);
    store
        .change_claim(
            claim,
            &change(
                ClaimStatus::InNotice,
                ClaimStatus::Approved,
                "claim.close_notice",
            ),
            &approver,
        )
        .await
        .unwrap();
    allocate(
        store,
        &approver,
        FundSource::SkillsUpgradingBalance,
        100_000,
    )
    .await;
    // Two payments of the same claim at once: one pays, the other is a conflict.
    let payable = store.claim_lines(claim).await.unwrap();
    let pay = |voucher: &'static str| {
        let store = store.clone();
        let approver = approver.clone();
        let payable = payable.clone();
        async move {
            store
                .record_payment(
                    &NewPayment {
                        claim_id: claim,
                        region: "沈阳",
                        year: 2027,
                        lines: &payable,
                        changes: &[],
                        paid_on: day(3, 15),
                        voucher,
                        partly: false,
                    },
                    &approver,
                    |balances| {
                        split_payment(Fen::from_yuan(1_600), balances).map(|shares| {
                            shares
                                .into_iter()
                                .map(|share| (share.source, share.amount))
                                .collect::<Vec<_>>()
                        })
                    },
                )
                .await
        }
    };
    let (a, b) = tokio::join!(tokio::spawn(pay("V-1")), tokio::spawn(pay("V-2")));
    let outcomes = [a.unwrap(), b.unwrap()];
    assert_eq!(
        outcomes
            .iter()
            .filter(|outcome| matches!(outcome, Ok(Ok(_))))
            .count(),
        1,
        "{outcomes:?}"
    );
    assert!(
        outcomes
            .iter()
            .any(|outcome| matches!(outcome, Err(StoreError::Conflict))),
        "{outcomes:?}"
    );
    let payments = store.payments_in_scope(&Scope::Province).await.unwrap();
    assert_eq!(payments.len(), 1);
    assert_eq!(payments[0].amount, Fen::from_yuan(1_600));
    assert_eq!(
        store
            .fund_balances("沈阳", 2027)
            .await
            .unwrap()
            .skills_upgrading_balance,
        Fen::from_yuan(98_400)
    );
}
