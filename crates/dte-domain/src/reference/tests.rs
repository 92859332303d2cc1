//! Checks the bundled reference data against the plan, fact by fact, from a second
//! transcription of 附件1, 5, 6 and 7 written independently of the data file.

use super::*;
use crate::subsidy_quote;

fn bundled() -> ReferenceData {
    let (year, text) = BUNDLED[0];
    ReferenceData::parse(year, text).unwrap()
}

fn occupation_named<'a>(data: &'a ReferenceData, name: &str) -> &'a Occupation {
    data.occupations
        .iter()
        .find(|occupation| occupation.name == name)
        .unwrap_or_else(|| panic!("{name} missing"))
}

fn listed(data: &ReferenceData, kind: InstitutionKind, code: &str) -> Vec<String> {
    let lists = match kind {
        InstitutionKind::Training => &data.training_lists,
        InstitutionKind::Evaluation => &data.evaluation_lists,
    };
    lists
        .iter()
        .filter(|listing| listing.occupation.as_str() == code)
        .flat_map(|listing| listing.institutions.clone())
        .collect()
}

/// 附件5: the ten occupations, their codes and required hours per level, in the table's order.
#[test]
fn annex_5_occupations_codes_and_hours_are_transcribed_exactly() {
    let expected = [
        ("大数据工程技术人员", "2-02-10-11", [128, 128, 160]),
        ("区块链工程技术人员", "2-02-10-15", [80, 64, 64]),
        ("智能制造工程技术人员", "2-02-07-13", [90, 90, 80]),
        ("云计算工程技术人员", "2-02-10-12", [160, 160, 192]),
        ("物联网工程技术人员", "2-02-10-10", [128, 128, 160]),
        ("人工智能工程技术人员", "2-02-10-09", [64, 80, 80]),
        ("数字化管理师", "2-02-30-11", [60, 90, 120]),
        ("工业互联网工程技术人员", "2-02-10-13", [90, 120, 120]),
        ("虚拟现实工程技术人员", "2-02-10-14", [120, 100, 100]),
        ("集成电路工程技术人员", "2-02-09-06", [128, 128, 160]),
    ];
    let data = bundled();
    assert_eq!(data.occupations.len(), expected.len());
    for ((name, code, hours), occupation) in expected.iter().zip(&data.occupations) {
        assert_eq!(
            (occupation.name.as_str(), occupation.code.as_str()),
            (*name, *code)
        );
        let found: Vec<u32> = Level::ALL
            .iter()
            .map(|level| occupation.hours.get(*level))
            .collect();
        assert_eq!(found, hours.to_vec(), "{name}");
    }
}

/// 附件5: 初级 10 元/学时, 中级 20 元/学时, 高级 25 元/学时, for every occupation.
#[test]
fn annex_5_rates_are_ten_twenty_and_twenty_five_yuan_per_hour() {
    let data = bundled();
    assert_eq!(data.rate(Level::Junior), Fen::from_yuan(10));
    assert_eq!(data.rate(Level::Intermediate), Fen::from_yuan(20));
    assert_eq!(data.rate(Level::Senior), Fen::from_yuan(25));
    let ai = occupation_named(&data, "人工智能工程技术人员");
    let level = Level::Intermediate;
    assert_eq!(
        subsidy_quote(ai.hours.get(level), data.rate(level)),
        Ok(Fen::from_yuan(1600))
    );
    let cloud = occupation_named(&data, "云计算工程技术人员");
    let level = Level::Senior;
    assert_eq!(
        subsidy_quote(cloud.hours.get(level), data.rate(level)),
        Ok(Fen::from_yuan(4800))
    );
}

/// 附件1: training institutions per occupation, in the plan's order, with their contacts.
#[test]
fn annex_1_training_institutions_and_contacts_are_transcribed_exactly() {
    let data = bundled();
    let expected: [(&str, &[&str]); 10] = [
        (
            "2-02-07-13",
            &[
                "大连理工大学",
                "辽宁工程技术大学",
                "辽宁建筑职业学院",
                "辽宁科技大学",
                "沈阳工程学院",
                "沈阳化工大学",
            ],
        ),
        (
            "2-02-10-11",
            &[
                "沈阳工程学院",
                "大连理工大学",
                "大连东软信息学院",
                "鞍山职业技术学院",
                "营口职业技术学院",
            ],
        ),
        ("2-02-10-15", &["东北大学"]),
        ("2-02-10-13", &["大连理工大学", "本溪开放大学"]),
        ("2-02-09-06", &["大连理工大学"]),
        (
            "2-02-10-09",
            &[
                "沈阳工程学院",
                "大连理工大学",
                "东北财经大学",
                "大连东软信息学院",
                "辽宁工程技术大学",
            ],
        ),
        (
            "2-02-10-10",
            &["大连理工大学", "大连东软信息学院", "辽宁科技大学"],
        ),
        (
            "2-02-10-14",
            &["沈阳工程学院", "大连理工大学", "大连东软信息学院"],
        ),
        ("2-02-10-12", &[]),
        ("2-02-30-11", &[]),
    ];
    for (code, names) in expected {
        assert_eq!(
            listed(&data, InstitutionKind::Training, code),
            names,
            "{code}"
        );
    }
    let contacts = [
        ("大连理工大学", "田老师", "15904947042"),
        ("辽宁工程技术大学", "林老师", "13704988301"),
        ("辽宁建筑职业学院", "陶老师", "15841970156"),
        ("辽宁科技大学", "张老师", "13904201611"),
        ("沈阳工程学院", "杨老师", "13898847353"),
        ("沈阳化工大学", "龚老师", "13386835861"),
        ("大连东软信息学院", "毕老师", "13941165066"),
        ("鞍山职业技术学院", "李老师", "15942218085"),
        ("营口职业技术学院", "寇老师", "18841767272"),
        ("东北大学", "滕老师", "15140003658"),
        ("本溪开放大学", "宁老师", "18641435568"),
        ("东北财经大学", "盖老师", "15542325623"),
    ];
    let training: Vec<_> = data
        .institutions
        .iter()
        .filter(|i| i.kind == InstitutionKind::Training)
        .collect();
    assert_eq!(training.len(), contacts.len());
    for (name, person, phone) in contacts {
        let institution = training.iter().find(|i| i.name == name).unwrap();
        assert_eq!(
            institution.contact_person.as_deref(),
            Some(person),
            "{name}"
        );
        assert_eq!(institution.contact_phone.as_deref(), Some(phone), "{name}");
    }
}

/// 附件6: evaluation institutions per occupation; 云计算 and 数字化管理师 have none.
#[test]
fn annex_6_evaluation_institutions_are_transcribed_exactly() {
    let data = bundled();
    let expected = [
        ("2-02-07-13", vec!["中国机械工程学会"]),
        ("2-02-10-11", vec!["工业和信息化部教育与考试中心"]),
        ("2-02-10-15", vec!["中国电子学会"]),
        ("2-02-10-09", vec!["工业和信息化部电子工业标准化研究院"]),
        ("2-02-10-10", vec!["工业和信息化部教育与考试中心"]),
        ("2-02-10-14", vec!["中国继续工程教育协会"]),
        ("2-02-10-13", vec!["中国工业互联网研究院"]),
        ("2-02-09-06", vec!["工业和信息化部电子工业标准化研究院"]),
        ("2-02-10-12", vec![]),
        ("2-02-30-11", vec![]),
    ];
    for (code, names) in expected {
        assert_eq!(
            listed(&data, InstitutionKind::Evaluation, code),
            names,
            "{code}"
        );
    }
}

/// 附件7: the fifteen regions' quotas, adding up to 合计 3000.
#[test]
fn annex_7_regional_quotas_are_transcribed_exactly_and_total_3000() {
    let data = bundled();
    let expected = [
        ("沈阳", 600),
        ("大连", 600),
        ("鞍山", 200),
        ("抚顺", 100),
        ("本溪", 200),
        ("丹东", 100),
        ("锦州", 100),
        ("营口", 200),
        ("阜新", 200),
        ("辽阳", 200),
        ("铁岭", 100),
        ("朝阳", 100),
        ("盘锦", 100),
        ("葫芦岛", 100),
        ("沈抚示范区", 100),
    ];
    let found: Vec<(&str, u32)> = data
        .regions
        .iter()
        .map(|region| (region.name.as_str(), region.quota))
        .collect();
    assert_eq!(found, expected.to_vec());
    assert_eq!(
        data.regions.iter().map(|region| region.quota).sum::<u32>(),
        3000
    );
}

/// SPEC policy settings: the defaults, and 年度退役军人 available but off.
#[test]
fn policy_defaults_match_the_spec() {
    let data = bundled();
    let value = |key: SettingKey| data.settings.iter().find(|s| s.key == key).unwrap().value;
    assert_eq!(value(SettingKey::SubsidisedTrainingsPerYear), 1);
    assert_eq!(value(SettingKey::ClaimDeadlineMonths), 12);
    assert_eq!(value(SettingKey::ClassApplicationLeadDays), 15);
    assert_eq!(value(SettingKey::CityReviewWorkingDays), 5);
    assert_eq!(value(SettingKey::PublicNoticeWorkingDays), 5);
    assert_eq!(value(SettingKey::RecordingRetentionYears), 5);
    assert_eq!(value(SettingKey::MinimumAttendancePercent), 90);
    assert_eq!(value(SettingKey::OnlineShareMaxPercent), 50);
    assert_eq!(value(SettingKey::TheoryPassMark), 60);
    assert_eq!(value(SettingKey::AbilityPassMark), 60);
    let enabled: Vec<&str> = data
        .subsidy_categories
        .iter()
        .filter(|category| category.enabled)
        .map(|category| category.name.as_str())
        .collect();
    assert_eq!(enabled.len(), 6);
    let veteran = data
        .subsidy_categories
        .iter()
        .find(|c| c.code == "veteran")
        .unwrap();
    assert!(!veteran.enabled);
}

#[test]
fn a_file_listing_an_unknown_institution_is_refused() {
    let (year, text) = BUNDLED[0];
    let broken = text.replacen(
        "institutions = [\"东北大学\"]",
        "institutions = [\"不存在大学\"]",
        1,
    );
    assert_eq!(
        ReferenceData::parse(year, &broken).unwrap_err(),
        ReferenceError::UnknownInstitution("不存在大学".into())
    );
}

/// SPEC "Policy settings the plan leaves to other rules": a file whose settings do not make a
/// complete policy (a setting missing, or a value no setting of its kind can have) is refused
/// when it is loaded, naming the setting.
#[test]
fn a_file_whose_settings_make_no_policy_is_refused() {
    let (year, text) = BUNDLED[0];
    let out_of_range = text.replacen(
        "key = \"minimum_attendance_percent\"\nvalue = 90",
        "key = \"minimum_attendance_percent\"\nvalue = 190",
        1,
    );
    assert_ne!(out_of_range, text);
    assert_eq!(
        ReferenceData::parse(year, &out_of_range).unwrap_err(),
        ReferenceError::Policy(crate::PolicyError::OutOfRange {
            key: "minimum_attendance_percent",
            value: 190,
            min: 0,
            max: 100,
        })
    );
    let mut data = ReferenceData::parse(year, text).unwrap();
    data.settings
        .retain(|setting| setting.key != SettingKey::OnlineShareMaxPercent);
    assert_eq!(
        data.check().unwrap_err(),
        ReferenceError::MissingSetting("online_share_max_percent")
    );
}

#[test]
fn a_file_for_another_year_is_refused() {
    let (_, text) = BUNDLED[0];
    assert!(matches!(
        ReferenceData::parse(2030, text),
        Err(ReferenceError::YearMismatch {
            expected: 2030,
            found: 2026
        })
    ));
}

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// ../shared/facts/working-days-2026.md (国务院办公厅关于2026年部分节假日安排的通知): the
/// days off and the adjusted working days of each holiday, transcribed again from the notice's
/// table and compared with the file day by day.
#[test]
fn the_2026_holiday_calendar_is_transcribed_from_the_state_council_notice() {
    let notice: [(&str, &str, &str, &[&str]); 7] = [
        ("元旦", "2026-01-01", "2026-01-03", &["2026-01-04"]),
        (
            "春节",
            "2026-02-15",
            "2026-02-23",
            &["2026-02-14", "2026-02-28"],
        ),
        ("清明节", "2026-04-04", "2026-04-06", &[]),
        ("劳动节", "2026-05-01", "2026-05-05", &["2026-05-09"]),
        ("端午节", "2026-06-19", "2026-06-21", &[]),
        ("中秋节", "2026-09-25", "2026-09-27", &[]),
        (
            "国庆节",
            "2026-10-01",
            "2026-10-07",
            &["2026-09-20", "2026-10-10"],
        ),
    ];
    let mut expected = BTreeSet::new();
    for (holiday, first, last, working) in notice {
        for day in date(first).iter_days().take_while(|day| *day <= date(last)) {
            expected.insert((day, false, holiday.to_string()));
        }
        for day in working {
            expected.insert((date(day), true, format!("{holiday}调休上班")));
        }
    }
    let data = bundled();
    let found: BTreeSet<(NaiveDate, bool, String)> = data
        .calendar
        .iter()
        .map(|day| (day.date, day.working, day.name.clone()))
        .collect();
    assert_eq!(found.len(), data.calendar.len(), "a date twice");
    assert_eq!(found, expected);
    assert_eq!(found.iter().filter(|(_, working, _)| !working).count(), 33);
    assert!(data.working_calendar().unwrap().covers(2026));
}

/// The calendar's checks name the wrong date: outside the file's year, entered twice, or an
/// adjusted working day on a weekday (Monday to Friday are working days already).
#[test]
fn a_calendar_with_a_wrong_date_is_refused_naming_it() {
    let (year, text) = BUNDLED[0];
    let cases = [
        (
            "date = \"2026-10-10\"",
            "date = \"2027-10-10\"",
            ReferenceError::Calendar(CalendarError::OutsideYear {
                date: date("2027-10-10"),
                year: 2026,
            }),
        ),
        (
            "date = \"2026-10-10\"",
            "date = \"2026-10-07\"",
            ReferenceError::Calendar(CalendarError::DuplicateDate(date("2026-10-07"))),
        ),
        (
            "date = \"2026-10-10\"",
            "date = \"2026-10-12\"",
            ReferenceError::Calendar(CalendarError::WorkingWeekday(date("2026-10-12"))),
        ),
    ];
    for (from, to, error) in cases {
        let broken = text.replacen(from, to, 1);
        assert_ne!(broken, text);
        let refused = ReferenceData::parse(year, &broken).unwrap_err();
        assert_eq!(refused, error);
        assert!(refused.to_string().contains(&to[8..18]), "{refused}");
    }
}

#[test]
fn a_file_without_a_calendar_counts_monday_to_friday() {
    let mut data = bundled();
    data.calendar.clear();
    data.check().unwrap();
    let calendar = data.working_calendar().unwrap();
    assert!(!calendar.covers(2026));
    assert!(!calendar.is_working_day(date("2026-10-10")));
    assert!(calendar.is_working_day(date("2026-10-05")));
}
