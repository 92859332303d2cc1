//! Tampering with the audit log (GB/T 22239-2019 8.1.4.3 c, 8.1.4.4): a changed, re-hashed,
//! deleted, unreadable, truncated or smuggled-in entry is found at the right id, and the log
//! refuses changes through the application's connection and to an INSERT/SELECT role.

use super::{all_entries, broken, bypass_append_only, entry, store_with_entries};
use chrono::Utc;
use dte_crypto::chain_hash;
use dte_store::{AuditBreak, AuditVerification, Backend, Store, StoreError};

story!(
    gbt_22239_2019_8_1_4_4_a_changed_field_is_found_at_the_changed_entry,
    gbt_22239_2019_8_1_4_4_a_changed_and_rehashed_entry_is_found_by_the_next_link,
    gbt_22239_2019_8_1_4_4_a_deleted_middle_entry_is_found_at_its_id,
    gbt_22239_2019_8_1_4_4_an_entry_that_no_longer_reads_is_found_at_its_id,
    gbt_22239_2019_8_1_4_4_a_truncated_tail_is_found_against_the_head,
    gbt_22239_2019_8_1_4_4_an_entry_inserted_past_the_head_is_found,
    gbt_22239_2019_8_1_4_3_the_log_refuses_update_and_delete,
    gbt_22239_2019_8_1_4_3_an_insert_and_select_role_cannot_change_the_log,
);

async fn gbt_22239_2019_8_1_4_4_a_changed_field_is_found_at_the_changed_entry(backend: Backend) {
    let Some(db) = store_with_entries(backend, 5).await else {
        return;
    };
    let store = &db.store;
    bypass_append_only(store).await;
    let changed = store
        .execute_raw_for_tests("UPDATE audit_log SET outcome = 'denied' WHERE id = 3")
        .await
        .unwrap();
    assert_eq!(changed, 1);
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        broken(3, AuditBreak::HashMismatch)
    );
}

async fn gbt_22239_2019_8_1_4_4_a_changed_and_rehashed_entry_is_found_by_the_next_link(
    backend: Backend,
) {
    let Some(db) = store_with_entries(backend, 5).await else {
        return;
    };
    let store = &db.store;
    let mut third = all_entries(store).await.remove(2);
    third.entity_id = Some("999".into());
    let forged_hash = chain_hash(&third.prev_hash, &third.canonical());
    bypass_append_only(store).await;
    store
        .execute_raw_for_tests(&format!(
            "UPDATE audit_log SET entity_id = '999', hash = '{forged_hash}' WHERE id = 3"
        ))
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        broken(4, AuditBreak::PrevHashMismatch)
    );
}

async fn gbt_22239_2019_8_1_4_4_a_deleted_middle_entry_is_found_at_its_id(backend: Backend) {
    let Some(db) = store_with_entries(backend, 5).await else {
        return;
    };
    let store = &db.store;
    bypass_append_only(store).await;
    store
        .execute_raw_for_tests("DELETE FROM audit_log WHERE id = 3")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        broken(3, AuditBreak::Gap { next_id: 4 })
    );
}

async fn gbt_22239_2019_8_1_4_4_an_entry_that_no_longer_reads_is_found_at_its_id(backend: Backend) {
    let Some(db) = store_with_entries(backend, 5).await else {
        return;
    };
    let store = &db.store;
    bypass_append_only(store).await;
    // SQLite: a time of the right shape that is no date, so the whole batch fails to decode
    // and verification narrows it down row by row. PostgreSQL: an outcome outside the list,
    // once its CHECK constraint is gone.
    let statements: &[&str] = match backend {
        Backend::Sqlite => {
            &["UPDATE audit_log SET at = '2026-13-45T01:00:00.000000Z' WHERE id = 3"]
        }
        Backend::Postgres => &[
            "ALTER TABLE audit_log DROP CONSTRAINT audit_log_outcome_check",
            "UPDATE audit_log SET outcome = 'forgotten' WHERE id = 3",
        ],
    };
    for statement in statements {
        store.execute_raw_for_tests(statement).await.unwrap();
    }
    let verification = store.verify_audit_chain().await.unwrap();
    assert!(
        matches!(
            verification,
            AuditVerification::Broken {
                id: 3,
                reason: AuditBreak::Unreadable { .. }
            }
        ),
        "{verification:?}"
    );
}

async fn gbt_22239_2019_8_1_4_4_a_truncated_tail_is_found_against_the_head(backend: Backend) {
    let Some(db) = store_with_entries(backend, 5).await else {
        return;
    };
    let store = &db.store;
    bypass_append_only(store).await;
    store
        .execute_raw_for_tests("DELETE FROM audit_log WHERE id >= 4")
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        broken(4, AuditBreak::TailTruncated { head_id: 5 })
    );
}

async fn gbt_22239_2019_8_1_4_4_an_entry_inserted_past_the_head_is_found(backend: Backend) {
    let Some(db) = store_with_entries(backend, 3).await else {
        return;
    };
    let store = &db.store;
    let last = all_entries(store).await.pop().unwrap();
    // Inserting needs no bypass: the triggers guard UPDATE and DELETE only.
    store
        .execute_raw_for_tests(&format!(
            "INSERT INTO audit_log (id, at, actor_username, actor_role, action, entity, outcome,
                 prev_hash, hash)
             VALUES (4, '2026-11-27T02:00:00.000000Z', 'admin', 'province-admin', 'user.delete',
                 'user', 'success', '{}', '{}')",
            last.hash, last.hash
        ))
        .await
        .unwrap();
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        broken(4, AuditBreak::BeyondHead)
    );
}

async fn gbt_22239_2019_8_1_4_3_the_log_refuses_update_and_delete(backend: Backend) {
    let Some(db) = store_with_entries(backend, 3).await else {
        return;
    };
    let store = &db.store;
    let mut refused = vec![
        "UPDATE audit_log SET outcome = 'denied' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 3",
        "DELETE FROM audit_log",
        "DELETE FROM audit_head",
        "UPDATE audit_head SET last_id = 1",
    ];
    // PostgreSQL's statement trigger refuses even an UPDATE that matches no row; SQLite has
    // only row triggers, and such an UPDATE changes nothing there.
    if backend == Backend::Postgres {
        refused.extend([
            "UPDATE audit_log SET outcome = 'denied' WHERE id = 99",
            "TRUNCATE audit_log",
            "TRUNCATE audit_head",
        ]);
    }
    for statement in refused {
        let error = store.execute_raw_for_tests(statement).await.unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("append-only") || message.contains("only move forward"),
            "{statement}: {message}"
        );
    }
    assert_eq!(
        store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact {
            entries: 3,
            head_hash: all_entries(store).await.pop().unwrap().hash
        }
    );
}

async fn gbt_22239_2019_8_1_4_3_an_insert_and_select_role_cannot_change_the_log(backend: Backend) {
    // SQLite has no roles; its triggers are covered above.
    if backend == Backend::Sqlite {
        return;
    }
    let Some(db) = store_with_entries(backend, 2).await else {
        return;
    };
    let owner = &db.store;
    let role = format!(
        "dte_audit_app_{}_{}",
        std::process::id(),
        Utc::now().timestamp_subsec_nanos()
    );
    for statement in [
        format!("CREATE ROLE {role} LOGIN"),
        format!("GRANT SELECT, INSERT ON audit_log TO {role}"),
        format!("GRANT SELECT, UPDATE ON audit_head TO {role}"),
    ] {
        owner.execute_raw_for_tests(&statement).await.unwrap();
    }
    let app = Store::connect(&with_user(&db.url, &role)).await.unwrap();
    // The application role appends, reads and verifies...
    assert_eq!(
        app.append_audit(&entry("admin", "user.create", "user", Some("3")))
            .await
            .unwrap(),
        3
    );
    assert_eq!(all_entries(&app).await.len(), 3);
    assert!(matches!(
        app.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { entries: 3, .. }
    ));
    // ...and is refused every change to the log before any trigger runs.
    for statement in [
        "UPDATE audit_log SET outcome = 'denied' WHERE id = 2",
        "DELETE FROM audit_log WHERE id = 2",
        "TRUNCATE audit_log",
        "ALTER TABLE audit_log DISABLE TRIGGER ALL",
        "DELETE FROM audit_head",
    ] {
        let error = app.execute_raw_for_tests(statement).await.unwrap_err();
        let code = match &error {
            StoreError::Database(error) => error
                .as_database_error()
                .and_then(|error| error.code())
                .map(|code| code.into_owned()),
            _ => None,
        };
        // 42501 is insufficient_privilege; 42501 is also what ALTER by a non-owner answers.
        assert_eq!(code.as_deref(), Some("42501"), "{statement}: {error}");
    }
    app.close().await;
    for statement in [format!("DROP OWNED BY {role}"), format!("DROP ROLE {role}")] {
        owner.execute_raw_for_tests(&statement).await.unwrap();
    }
}

/// The same PostgreSQL URL with another user name.
fn with_user(url: &str, user: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap();
    let host_and_path = rest.split_once('@').map_or(rest, |(_, after)| after);
    format!("{scheme}://{user}@{host_and_path}")
}
