//! The audit log's story (GB/T 22239-2019 8.1.4.3 安全审计, 8.1.4.4 integrity): entries chain
//! and verify, tampering is found at the right entry, the log refuses changes, concurrent
//! appends stay one chain, personal data is masked, and the viewer's filters and paging work.
//! The tampering tests live in `audit/tamper.rs`, a module of this one test binary. Each test
//! runs against SQLite and, when `DTE_TEST_DATABASE_URL` names a server, PostgreSQL.

use chrono::{DateTime, Duration, TimeZone, Utc};
use dte_crypto::{GENESIS, chain_hash};
use dte_store::testing::fresh_database;
use dte_store::{
    AuditBreak, AuditFilter, AuditOutcome, AuditRecord, AuditVerification, Backend, NewAuditEntry,
    Store,
};
use serde_json::json;

/// Generates one test per backend from an async function taking the backend.
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
    gbt_22239_2019_8_1_4_3_appended_entries_chain_from_genesis_and_verify,
    gbt_22239_2019_8_1_4_3_fifty_concurrent_appends_form_one_unbroken_chain,
    gbt_22239_2019_8_1_4_3_personal_data_in_before_and_after_is_stored_masked,
    gbt_22239_2019_8_1_4_3_entries_filter_and_page_newest_first,
);

#[path = "audit/tamper.rs"]
mod tamper;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 1, 0, 0).unwrap() + Duration::nanoseconds(500_123_456)
}

fn entry(actor: &str, action: &str, entity: &str, entity_id: Option<&str>) -> NewAuditEntry {
    NewAuditEntry {
        at: t0(),
        actor_user_id: Some(1),
        actor_username: actor.into(),
        actor_role: "province-admin".into(),
        client_address: Some("127.0.0.1".into()),
        request_id: Some("req-1".into()),
        action: action.into(),
        entity: entity.into(),
        entity_id: entity_id.map(Into::into),
        before: None,
        after: Some(json!({ "status": "active" })),
        outcome: AuditOutcome::Success,
    }
}

/// A store with `count` entries appended, ids 1 to `count`.
async fn store_with_entries(
    backend: Backend,
    count: i64,
) -> Option<dte_store::testing::TestDatabase> {
    let db = fresh_database(backend).await.unwrap()?;
    for number in 1..=count {
        let id = db
            .store
            .append_audit(&entry(
                "admin",
                "user.create",
                "user",
                Some(&number.to_string()),
            ))
            .await
            .unwrap();
        assert_eq!(id, number);
    }
    Some(db)
}

/// Every entry, oldest first.
async fn all_entries(store: &Store) -> Vec<AuditRecord> {
    let mut entries = store
        .audit_entries(&AuditFilter::default(), None, dte_store::AUDIT_PAGE_MAX)
        .await
        .unwrap();
    entries.reverse();
    entries
}

/// Takes away the append-only triggers the way someone with the owner's rights could.
async fn bypass_append_only(store: &Store) {
    let statements: &[&str] = match store.backend() {
        Backend::Sqlite => &[
            "DROP TRIGGER audit_log_no_update",
            "DROP TRIGGER audit_log_no_delete",
        ],
        Backend::Postgres => &["ALTER TABLE audit_log DISABLE TRIGGER ALL"],
    };
    for statement in statements {
        store.execute_raw_for_tests(statement).await.unwrap();
    }
}

fn broken(id: i64, reason: AuditBreak) -> AuditVerification {
    AuditVerification::Broken { id, reason }
}

async fn gbt_22239_2019_8_1_4_3_appended_entries_chain_from_genesis_and_verify(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact {
            entries: 0,
            head_hash: GENESIS.into()
        }
    );
    let mut anonymous = entry("anonymous", "session.create", "session", None);
    anonymous.actor_user_id = None;
    anonymous.client_address = None;
    anonymous.after = None;
    anonymous.outcome = AuditOutcome::Failed;
    assert_eq!(
        store
            .append_audit(&entry("admin", "user.create", "user", Some("7")))
            .await
            .unwrap(),
        1
    );
    assert_eq!(store.append_audit(&anonymous).await.unwrap(), 2);
    assert_eq!(
        store
            .append_audit(&entry("admin", "user.disable", "user", Some("7")))
            .await
            .unwrap(),
        3
    );

    let entries = all_entries(store).await;
    assert_eq!(
        entries.iter().map(|e| e.id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    let mut previous = GENESIS.to_owned();
    for entry in &entries {
        // Anyone can recompute the chain from the documented canonical form.
        assert_eq!(entry.prev_hash, previous);
        assert_eq!(entry.hash, chain_hash(&previous, &entry.canonical()));
        previous = entry.hash.clone();
    }
    // The time is kept to the microsecond on both backends, and read back exactly.
    assert_eq!(entries[0].at, t0() - Duration::nanoseconds(456));
    assert!(
        entries[0]
            .canonical()
            .starts_with("dte-audit-v11:1,27:2026-11-27T01:00:00.500123Z,1:1,5:admin,")
    );
    assert_eq!(entries[1].actor_user_id, None);
    assert_eq!(entries[1].outcome, AuditOutcome::Failed);
    // Absent values are `-`: actor id, client address, entity id, before and after. This is
    // the example in `AuditRecord::canonical`'s documentation.
    assert_eq!(
        entries[1].canonical(),
        "dte-audit-v11:2,27:2026-11-27T01:00:00.500123Z,-9:anonymous,14:province-admin,-5:req-1,\
         14:session.create,7:session,---6:failed,"
    );
    assert_eq!(
        entries[0].after_json.as_deref(),
        Some(r#"{"status":"active"}"#)
    );
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact {
            entries: 3,
            head_hash: previous
        }
    );
}

async fn gbt_22239_2019_8_1_4_3_fifty_concurrent_appends_form_one_unbroken_chain(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let tasks: Vec<_> = (0..50)
        .map(|number| {
            let store = db.store.clone();
            tokio::spawn(async move {
                let id = number.to_string();
                store
                    .append_audit(&entry("admin", "user.update", "user", Some(&id)))
                    .await
            })
        })
        .collect();
    let mut ids = Vec::new();
    for task in tasks {
        ids.push(task.await.unwrap().unwrap());
    }
    ids.sort_unstable();
    assert_eq!(ids, (1..=50).collect::<Vec<i64>>());
    let entries = all_entries(&db.store).await;
    assert_eq!(entries.len(), 50);
    for pair in entries.windows(2) {
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    assert_eq!(
        db.store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact {
            entries: 50,
            head_hash: entries[49].hash.clone()
        }
    );
}

async fn gbt_22239_2019_8_1_4_3_personal_data_in_before_and_after_is_stored_masked(
    backend: Backend,
) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let mut viewed = entry(
        "li",
        "person.view_full",
        "person",
        Some("210102199001011234"),
    );
    viewed.before = Some(json!({
        "name": "张三",
        "id_number": "21010219900101123X",
        "phones": ["13812345678", 13912345678_u64],
    }));
    viewed.after = Some(json!({
        "note": "联系电话 138-1234-5678，身份证 210102 19900101 1234",
        "order": "2026112700000000001234567",
    }));
    store.append_audit(&viewed).await.unwrap();
    let stored = all_entries(store).await.pop().unwrap();
    let before = stored.before_json.as_deref().unwrap();
    let after = stored.after_json.as_deref().unwrap();
    assert_eq!(stored.entity_id.as_deref(), Some("210102********1234"));
    assert!(
        before.contains(r#""id_number":"210102********123X""#),
        "{before}"
    );
    assert!(
        before.contains(r#"["138****5678","139****5678"]"#),
        "{before}"
    );
    assert!(
        after.contains("联系电话 138****5678，身份证 210102********1234"),
        "{after}"
    );
    // A longer number is not an ID number and stays as it is.
    assert!(after.contains("2026112700000000001234567"), "{after}");
    for text in [before, after] {
        assert!(
            !text.contains("19900101") && !text.contains("1234-5678"),
            "{text}"
        );
    }
    // The hash covers the masked text that was stored.
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 1, .. }
    ));
}

async fn gbt_22239_2019_8_1_4_3_entries_filter_and_page_newest_first(backend: Backend) {
    use AuditOutcome::{Denied, Failed, Success};
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    // The hours and microseconds differ, so text and time order must agree on SQLite.
    let at = |step: i64| t0() + Duration::hours(step) + Duration::microseconds(step * 123);
    let rows = [
        ("admin", "user.create", "user", Some("7"), Success),
        ("admin", "user.disable", "user", Some("7"), Success),
        ("li", "session.create", "session", None, Success),
        ("li", "access.denied", "person", Some("3"), Denied),
        ("admin", "user.create", "user", Some("8"), Success),
        ("wang", "session.create", "session", None, Failed),
        ("admin", "person.view_full", "person", Some("3"), Success),
    ];
    for (step, (actor, action, entity, entity_id, outcome)) in rows.into_iter().enumerate() {
        let mut new = entry(actor, action, entity, entity_id);
        new.at = at(step as i64);
        new.outcome = outcome;
        store.append_audit(&new).await.unwrap();
    }
    // The ids that a filter, built by `build`, finds.
    let ids = |build: &dyn Fn(&mut AuditFilter)| {
        let mut filter = AuditFilter::default();
        build(&mut filter);
        async move {
            let found = store.audit_entries(&filter, None, 100).await.unwrap();
            found.iter().map(|e| e.id).collect::<Vec<i64>>()
        }
    };
    let text = |value: &str| Some(value.to_owned());
    assert_eq!(ids(&|_| {}).await, vec![7, 6, 5, 4, 3, 2, 1]);
    assert_eq!(
        ids(&|f| f.actor_username = text("admin")).await,
        vec![7, 5, 2, 1]
    );
    assert_eq!(
        ids(&|f| f.action_prefix = text("user.")).await,
        vec![5, 2, 1]
    );
    // The prefix is text, not a LIKE pattern.
    assert_eq!(
        ids(&|f| f.action_prefix = text("%")).await,
        Vec::<i64>::new()
    );
    assert_eq!(ids(&|f| f.entity = text("person")).await, vec![7, 4]);
    let user_seven = |f: &mut AuditFilter| {
        f.entity = text("user");
        f.entity_id = text("7");
    };
    assert_eq!(ids(&user_seven).await, vec![2, 1]);
    assert_eq!(ids(&|f| f.outcome = Some(Denied)).await, vec![4]);
    // `from` is inclusive and `until` exclusive, to the microsecond.
    let window = |f: &mut AuditFilter| {
        f.from = Some(at(2));
        f.until = Some(at(5));
    };
    assert_eq!(ids(&window).await, vec![5, 4, 3]);
    let later = |f: &mut AuditFilter| {
        f.from = Some(at(2) + Duration::microseconds(1));
        f.until = Some(at(5) + Duration::microseconds(1));
    };
    assert_eq!(ids(&later).await, vec![6, 5, 4]);
    let combined = |f: &mut AuditFilter| {
        f.actor_username = text("admin");
        f.action_prefix = text("user.");
        f.from = Some(at(1));
    };
    assert_eq!(ids(&combined).await, vec![5, 2]);

    // Paging: each page continues after the last id of the one before.
    let mut pages = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .audit_entries(&AuditFilter::default(), cursor, 3)
            .await
            .unwrap();
        if page.is_empty() {
            break;
        }
        cursor = page.last().map(|e| e.id);
        pages.push(page.iter().map(|e| e.id).collect::<Vec<i64>>());
    }
    assert_eq!(pages, vec![vec![7, 6, 5], vec![4, 3, 2], vec![1]]);
    assert!(
        store
            .audit_entries(&AuditFilter::default(), None, 0)
            .await
            .unwrap()
            .is_empty()
    );
}
