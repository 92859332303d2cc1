//! The holiday calendar in storage: the 2026 calendar loaded with the reference data, once,
//! surviving restarts and the province's edits; a day added or changed by the province with its
//! audit entry; the covered years. Every test runs on both backends.

use chrono::{NaiveDate, TimeZone, Utc};
use dte_domain::Role;
use dte_domain::calendar::CalendarDay;
use dte_store::testing::fresh_database;
use dte_store::{
    Actor, AuditFilter, AuditVerification, Backend, CalendarChange, NewUser, ReferenceLoad,
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
    calendar_of_the_reference_year_loads_once_and_keeps_the_provinces_edits,
    calendar_day_added_or_changed_by_the_province_is_audited,
);

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

fn day(text: &str, working: bool, name: &str) -> CalendarDay {
    CalendarDay {
        date: date(text),
        working,
        name: name.into(),
    }
}

async fn province_actor(store: &dte_store::Store) -> Actor {
    let at = Utc.with_ymd_and_hms(2026, 12, 1, 2, 0, 0).unwrap();
    let id = store
        .create_user(
            &NewUser {
                username: "province".into(),
                display_name: "省人社厅".into(),
                role: Role::ProvinceAdmin,
                region: None,
                institution_id: None,
                person_id: None,
                password_hash: Some("x".into()),
            },
            at,
        )
        .await
        .unwrap();
    Actor {
        at,
        user_id: Some(id),
        username: "province".into(),
        role: Role::ProvinceAdmin.as_str().into(),
        client_address: None,
        request_id: None,
    }
}

async fn calendar_of_the_reference_year_loads_once_and_keeps_the_provinces_edits(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let at = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        store.load_bundled_reference(at).await.unwrap(),
        vec![(2026, ReferenceLoad::Loaded)]
    );
    let days = store.calendar_days(2026).await.unwrap();
    assert_eq!(days.len(), 39);
    assert!(days.iter().all(|row| row.added_by.is_none()));
    assert_eq!(store.calendar_years().await.unwrap(), vec![2026]);

    let calendar = store.working_calendar(2026..=2027).await.unwrap();
    assert!(calendar.covers(2026));
    assert!(!calendar.covers(2027));
    // working-days-2026.md's worked examples, through the stored rows.
    assert_eq!(
        calendar.working_days_from(date("2026-09-24"), 5),
        Ok(date("2026-10-08"))
    );
    assert_eq!(
        calendar.working_days_from(date("2026-02-13"), 5),
        Ok(date("2026-02-26"))
    );
    assert!(calendar.is_working_day(date("2026-10-10")));
    assert!(!calendar.is_working_day(date("2026-10-05")));

    // The province renames a day; a restart loads nothing again and keeps the edit.
    let actor = province_actor(store).await;
    store
        .set_calendar_day(&day("2026-10-07", false, "国庆节（延长）"), &actor)
        .await
        .unwrap();
    assert_eq!(
        store.load_bundled_reference(at).await.unwrap(),
        vec![(2026, ReferenceLoad::AlreadyLoaded)]
    );
    let days = store.calendar_days(2026).await.unwrap();
    assert_eq!(days.len(), 39);
    let edited = days
        .iter()
        .find(|row| row.day.date == date("2026-10-07"))
        .unwrap();
    assert_eq!(edited.day.name, "国庆节（延长）");
    assert_eq!(edited.added_by.as_deref(), Some("province"));
}

async fn calendar_day_added_or_changed_by_the_province_is_audited(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store
        .load_bundled_reference(Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())
        .await
        .unwrap();
    let actor = province_actor(store).await;

    // 2027's first day off makes 2027 a covered year.
    assert_eq!(
        store
            .set_calendar_day(&day("2027-01-01", false, "元旦"), &actor)
            .await
            .unwrap(),
        CalendarChange::Added
    );
    assert_eq!(store.calendar_years().await.unwrap(), vec![2026, 2027]);
    let calendar = store.working_calendar(2026..=2027).await.unwrap();
    assert!(calendar.covers(2027));
    assert!(!calendar.is_working_day(date("2027-01-01")));
    assert!(
        !store
            .working_calendar(2028..=2030)
            .await
            .unwrap()
            .covers(2027)
    );

    // A reference day renamed: the change names what it was.
    assert_eq!(
        store
            .set_calendar_day(&day("2026-10-10", true, "国庆节调休上班（更正）"), &actor)
            .await
            .unwrap(),
        CalendarChange::Changed {
            before: day("2026-10-10", true, "国庆节调休上班")
        }
    );

    let entries = store
        .audit_entries(
            &AuditFilter {
                entity: Some("calendar_day".into()),
                ..AuditFilter::default()
            },
            None,
            50,
        )
        .await
        .unwrap();
    let mut actions: Vec<(String, Option<String>, Option<String>)> = entries
        .iter()
        .map(|entry| {
            (
                entry.action.clone(),
                entry.entity_id.clone(),
                Some(entry.actor_username.clone()),
            )
        })
        .collect();
    actions.sort();
    assert_eq!(
        actions,
        vec![
            (
                "calendar_day.add".into(),
                Some("2027-01-01".into()),
                Some("province".into())
            ),
            (
                "calendar_day.change".into(),
                Some("2026-10-10".into()),
                Some("province".into())
            ),
        ]
    );
    let change = entries
        .iter()
        .find(|entry| entry.action == "calendar_day.change")
        .unwrap();
    assert!(
        change
            .before_json
            .as_deref()
            .unwrap()
            .contains("国庆节调休上班")
    );
    assert!(matches!(
        store.verify_audit_chain().await.unwrap(),
        AuditVerification::Intact { .. }
    ));
}
