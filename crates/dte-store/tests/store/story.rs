//! The storage story: one sequence of facts about DTE's storage, run against SQLite and, when
//! `DTE_TEST_DATABASE_URL` names a server, PostgreSQL. Both must tell the same story.

use chrono::{NaiveDate, TimeZone, Utc};
use dte_domain::reference::{BUNDLED, InstitutionKind, ReferenceData, SettingKey};
use dte_domain::{Fen, Level, OccupationCode};
use dte_store::testing::fresh_database;
use dte_store::{Backend, ReferenceLoad, StoreError};

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
    reference_data_loads_once_and_is_served_exactly,
    reloading_keeps_edits_because_loading_is_idempotent,
    institutions_filter_by_kind_and_occupation,
    a_failed_load_writes_nothing,
    settings_follow_their_effective_dates,
    the_policy_on_a_date_is_read_from_the_settings_in_force,
    a_setting_missing_from_an_earlier_load_is_added_at_the_next_start,
    constraint_violations_name_the_constraint,
    accounts_are_created_with_their_binding_checked_and_audited,
);

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 27, 1, 0, 0).unwrap()
}

async fn reference_data_loads_once_and_is_served_exactly(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.ping().await.unwrap();
    let outcome = store.load_bundled_reference(now()).await.unwrap();
    assert_eq!(outcome, vec![(2026, ReferenceLoad::Loaded)]);
    let year = store.catalog_year(2026).await.unwrap();
    assert_eq!(year, 2026);
    // A later year without its own file uses the latest earlier one.
    assert_eq!(store.catalog_year(2029).await.unwrap(), 2026);

    let occupations = store.occupations(year).await.unwrap();
    assert_eq!(occupations.len(), 10);
    let cloud = occupations
        .iter()
        .find(|o| o.name == "云计算工程技术人员")
        .unwrap();
    assert_eq!(cloud.code.as_str(), "2-02-10-12");
    let hours: Vec<u32> = cloud.levels.iter().map(|l| l.hours).collect();
    assert_eq!(hours, vec![160, 160, 192]);
    let senior = cloud
        .levels
        .iter()
        .find(|l| l.level == Level::Senior)
        .unwrap();
    assert_eq!(senior.rate_per_hour, Fen::from_yuan(25));
    assert_eq!(
        dte_domain::subsidy_quote(senior.hours, senior.rate_per_hour),
        Ok(Fen::new(480_000))
    );

    let regions = store.regions(year).await.unwrap();
    assert_eq!(regions.len(), 15);
    assert_eq!(regions.iter().map(|r| r.quota).sum::<u32>(), 3000);
    assert_eq!((regions[0].name.as_str(), regions[0].quota), ("沈阳", 600));
    let shenfu = regions.iter().find(|r| r.name == "沈抚示范区").unwrap();
    assert_eq!((shenfu.quota, shenfu.division_code.as_deref()), (100, None));

    let categories = store.subsidy_categories(now().date_naive()).await.unwrap();
    assert_eq!(categories.len(), 7);
    assert_eq!(categories.iter().filter(|c| c.enabled).count(), 6);
}

async fn reloading_keeps_edits_because_loading_is_idempotent(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let institutions = store.institutions(None, None).await.unwrap();
    let again = store.load_bundled_reference(now()).await.unwrap();
    assert_eq!(again, vec![(2026, ReferenceLoad::AlreadyLoaded)]);
    assert_eq!(
        store.institutions(None, None).await.unwrap().len(),
        institutions.len()
    );
    assert_eq!(store.occupations(2026).await.unwrap().len(), 10);
}

async fn institutions_filter_by_kind_and_occupation(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let training = store
        .institutions(Some(InstitutionKind::Training), None)
        .await
        .unwrap();
    assert_eq!(training.len(), 12);
    let evaluation = store
        .institutions(Some(InstitutionKind::Evaluation), None)
        .await
        .unwrap();
    assert_eq!(evaluation.len(), 6);

    // 附件1 lists five training institutions for 人工智能工程技术人员.
    let ai = OccupationCode::parse("2-02-10-09").unwrap();
    let for_ai = store
        .institutions(Some(InstitutionKind::Training), Some(&ai))
        .await
        .unwrap();
    let mut names: Vec<&str> = for_ai.iter().map(|i| i.name.as_str()).collect();
    names.sort_unstable();
    let mut expected = vec![
        "沈阳工程学院",
        "大连理工大学",
        "东北财经大学",
        "大连东软信息学院",
        "辽宁工程技术大学",
    ];
    expected.sort_unstable();
    assert_eq!(names, expected);
    let dlut = for_ai.iter().find(|i| i.name == "大连理工大学").unwrap();
    assert_eq!(dlut.contact_person.as_deref(), Some("田老师"));
    assert_eq!(dlut.contact_phone.as_deref(), Some("15904947042"));
    // 附件1 lists 大连理工大学 under seven occupations: all but 区块链, 云计算 and 数字化管理师.
    assert_eq!(dlut.listings.len(), 7);

    // 云计算 and 数字化管理师 have no institutions listed.
    let cloud = OccupationCode::parse("2-02-10-12").unwrap();
    assert!(
        store
            .institutions(None, Some(&cloud))
            .await
            .unwrap()
            .is_empty()
    );
}

async fn a_failed_load_writes_nothing(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    let (year, text) = BUNDLED[0];
    let mut data = ReferenceData::parse(year, text).unwrap();
    // Two regions with the same name violate the primary key halfway through the load.
    let duplicate = data.regions[0].clone();
    data.regions.push(duplicate);
    data.regions.last_mut().unwrap().full_name = "重复".into();
    let error = store.load_reference(&data, text, now()).await.unwrap_err();
    assert!(matches!(error, StoreError::Constraint { .. }), "{error:?}");
    assert!(store.occupations(2026).await.unwrap().is_empty());
    assert!(matches!(
        store.catalog_year(2026).await,
        Err(StoreError::NotFound)
    ));
}

async fn settings_follow_their_effective_dates(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let settings = store.settings(on(2026, 6, 1)).await.unwrap();
    assert_eq!(settings.len(), SettingKey::ALL.len());
    let attendance = settings
        .iter()
        .find(|s| s.key == SettingKey::MinimumAttendancePercent);
    assert_eq!(attendance.map(|s| s.value), Some(90));
    // Before the first effective date nothing is in force.
    assert!(store.settings(on(2025, 12, 31)).await.unwrap().is_empty());
}

/// SPEC "Policy settings the plan leaves to other rules": the policy of a date is the settings
/// in force that day, typed; a later row takes over on its date, and a setting with no row
/// in force is an error naming it (no default).
async fn the_policy_on_a_date_is_read_from_the_settings_in_force(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let policy = store.policy_on(on(2026, 6, 1)).await.unwrap();
    assert_eq!(policy.class_application_lead_days, 15);
    assert_eq!(policy.minimum_attendance_percent.get(), 90);
    assert_eq!(policy.online_share_max_percent.get(), 50);
    assert_eq!(
        policy.effective_from(SettingKey::MinimumAttendancePercent),
        on(2026, 1, 1)
    );
    store
        .execute_raw_for_tests(
            "INSERT INTO settings (key, effective_from, value)
             VALUES ('minimum_attendance_percent', '2026-07-01', 80)",
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .policy_on(on(2026, 6, 30))
            .await
            .unwrap()
            .minimum_attendance_percent
            .get(),
        90
    );
    let july = store.policy_on(on(2026, 7, 1)).await.unwrap();
    assert_eq!(july.minimum_attendance_percent.get(), 80);
    assert_eq!(
        july.effective_from(SettingKey::MinimumAttendancePercent),
        on(2026, 7, 1)
    );
    // Before the first effective date no setting is in force.
    let error = store.policy_on(on(2025, 12, 31)).await.unwrap_err();
    assert!(matches!(error, StoreError::Policy(_)), "{error:?}");
    // A value no setting of its kind can have is refused, naming the setting.
    store
        .execute_raw_for_tests(
            "INSERT INTO settings (key, effective_from, value)
             VALUES ('online_share_max_percent', '2026-08-01', 150)",
        )
        .await
        .unwrap();
    match store.policy_on(on(2026, 8, 1)).await.unwrap_err() {
        StoreError::Policy(error) => assert_eq!(error.key(), "online_share_max_percent"),
        other => panic!("{other:?}"),
    }
}

/// A database that loaded 2026 before the setting `online_share_max_percent` existed gets it
/// from the file at the next start, while the settings it had keep their edited values.
async fn a_setting_missing_from_an_earlier_load_is_added_at_the_next_start(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let on = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    store
        .execute_raw_for_tests("DELETE FROM settings WHERE key = 'online_share_max_percent'")
        .await
        .unwrap();
    store
        .execute_raw_for_tests(
            "UPDATE settings SET value = 14 WHERE key = 'class_application_lead_days'",
        )
        .await
        .unwrap();
    assert!(matches!(
        store.policy_on(on(2026, 6, 1)).await,
        Err(StoreError::Policy(_))
    ));
    assert_eq!(
        store.load_bundled_reference(now()).await.unwrap(),
        vec![(2026, ReferenceLoad::AlreadyLoaded)]
    );
    let policy = store.policy_on(on(2026, 6, 1)).await.unwrap();
    assert_eq!(policy.online_share_max_percent.get(), 50);
    assert_eq!(policy.class_application_lead_days, 14);
}

async fn constraint_violations_name_the_constraint(backend: Backend) {
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let (year, text) = BUNDLED[0];
    let mut data = ReferenceData::parse(year, text).unwrap();
    data.year = 2027;
    data.occupations[0].hours.junior = 0;
    // The domain refuses zero hours before the database is asked; the CHECK constraint
    // stands behind it for any other writer.
    let error = store.load_reference(&data, text, now()).await.unwrap_err();
    assert!(matches!(error, StoreError::Constraint { .. }), "{error:?}");
}

/// The accounts issue: accounts are bound as their role needs (SPEC roles), nothing is written
/// for a refused request, and each creation is audited with it.
async fn accounts_are_created_with_their_binding_checked_and_audited(backend: Backend) {
    use dte_domain::Role;
    use dte_store::{AccountRefusal, AccountRequest, Actor};
    let Some(db) = fresh_database(backend).await.unwrap() else {
        return;
    };
    let store = &db.store;
    store.load_bundled_reference(now()).await.unwrap();
    let request = |role, region: Option<&str>, institution: Option<&str>| AccountRequest {
        username: "clerk".into(),
        display_name: "办事员".into(),
        role,
        region: region.map(str::to_owned),
        institution: institution.map(str::to_owned),
        password_hash: "$argon2id$stand-in".into(),
    };
    let actor = Actor::system(now());
    let refusals = [
        (request(Role::Trainee, None, None), "role"),
        (request(Role::CityAdmin, None, None), "region"),
        (request(Role::CityAdmin, Some("北京"), None), "region"),
        (
            request(Role::TrainingInstitution, None, Some("清华大学")),
            "institution",
        ),
        (request(Role::Inspector, Some("大连"), None), "institution"),
    ];
    for (asked, field) in refusals {
        let refusal = store
            .create_account(&asked, &actor)
            .await
            .unwrap()
            .unwrap_err();
        assert_eq!(refusal.field(), field, "{refusal}");
    }
    assert!(store.user_by_username("clerk").await.unwrap().is_none());
    let id = store
        .create_account(
            &request(Role::TrainingInstitution, None, Some("东北大学")),
            &actor,
        )
        .await
        .unwrap()
        .unwrap();
    let user = store.user_by_username("clerk").await.unwrap().unwrap();
    assert_eq!(
        (user.id, user.institution_name.as_deref()),
        (id, Some("东北大学"))
    );
    let again = store
        .create_account(&request(Role::Inspector, None, None), &actor)
        .await
        .unwrap();
    assert_eq!(again, Err(AccountRefusal::UsernameTaken("clerk".into())));
    let audit = store
        .audit_entries(
            &dte_store::AuditFilter {
                action_prefix: Some("user.create".into()),
                ..Default::default()
            },
            None,
            10,
        )
        .await
        .unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].entity_id.as_deref(), Some(id.to_string().as_str()));
}
