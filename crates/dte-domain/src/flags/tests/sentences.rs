//! The evidence as supervisors read it (issue 5, item 6 "each with its evidence"): the stable
//! codes of `GET /api/v1/flags`, Chinese sentences with numbers, China times and masked names
//! only, a stable order, and the risk score per class supervisors sort by.

use super::plant::{
    all_patterns, plant_hours_beyond_attendance, plant_impossible_travel, plant_many_corrections,
    plant_missing_recording, plant_outside_fence, plant_shared_device,
};
use super::*;

fn summaries(plant: fn(&mut Dataset)) -> Vec<String> {
    let mut dataset = clean();
    plant(&mut dataset);
    detect_default(&dataset)
        .iter()
        .map(|flag| flag.evidence.summary())
        .collect()
}

/// SPEC `GET /api/v1/flags`: `kind` is one of exactly these codes, in this order — SPEC's
/// eight, then `code_guessing`, which issue 15 item 2 adds.
#[test]
fn the_kinds_are_spec_s_codes_each_with_a_chinese_label() {
    let codes: Vec<&str> = FlagKind::ALL.iter().map(|kind| kind.as_str()).collect();
    assert_eq!(
        codes,
        [
            "shared_device",
            "identical_coordinates",
            "impossible_travel",
            "overlapping_sessions",
            "outside_fence",
            "many_corrections",
            "missing_recording",
            "hours_beyond_attendance",
            "code_guessing",
        ]
    );
    let mut labels: Vec<&str> = FlagKind::ALL.iter().map(|kind| kind.label()).collect();
    assert!(labels.iter().all(|label| !label.is_ascii()));
    labels.sort_unstable();
    labels.dedup();
    assert_eq!(labels.len(), 9);
    for kind in FlagKind::ALL {
        assert_eq!(FlagKind::parse(kind.as_str()), Some(kind));
    }
    assert_eq!(FlagKind::parse("fraud"), None);
}

/// SPEC "Personal data": a name is shown with all but its first character hidden, and never
/// whole, even when it is one character long.
#[test]
fn names_are_masked_to_their_first_character() {
    for (full, masked) in [
        ("张伟", "张*"),
        ("欧阳娜娜", "欧***"),
        (" 李娜 ", "李*"),
        ("王", "王*"),
        ("", "*"),
    ] {
        assert_eq!(MaskedName::mask(full).as_str(), masked, "{full}");
    }
}

/// Issue 5, item 6 and the brief's example sentence: device, day, number of trainees, their
/// masked names.
#[test]
fn a_shared_device_names_the_device_the_day_and_the_masked_trainees() {
    assert_eq!(
        summaries(plant_shared_device),
        ["设备 dev-101 在 2027-01-12 为 4 名学员签到（张*、李*、刘*、陈*），共 5 条记录"]
    );
}

/// Issue 5, item 6: the travel sentence gives both records in China time, the classes, the
/// distance and the speed it would need.
#[test]
fn impossible_travel_gives_both_records_in_china_time_and_the_speed() {
    let summary = &summaries(plant_impossible_travel)[0];
    assert!(summary.starts_with("学员 孙* 2027-01-13 12:"), "{summary}");
    assert!(
        summary.contains("在班期 7 签退，2027-01-13 12:55 在班期 9 签到"),
        "{summary}"
    );
    assert!(
        summary.contains("直线相距约 355 公里（已扣除定位精度），需时速约 "),
        "{summary}"
    );
    assert!(summary.ends_with(" 公里，不可能到达"), "{summary}");

    let mut dataset = clean();
    plant_impossible_travel(&mut dataset);
    record(&mut dataset, 112, 703, CheckKind::CheckOut).at = china(13, 12, 55);
    let summary = detect_default(&dataset)[0].evidence.summary();
    assert!(
        summary.contains("（已扣除定位精度），两处同时出现，不可能到达"),
        "{summary}"
    );
}

/// Issue 5, item 6: the other sentences, word for word.
#[test]
fn each_sentence_carries_the_numbers_a_supervisor_acts_on() {
    assert_eq!(
        summaries(plant_outside_fence),
        [
            "2 条签到记录在电子围栏外（已扣除定位精度）：计入考勤 1 条（其中机构更正 1 条）、被拒 1 条，最远超出约 640 米"
        ]
    );
    assert_eq!(
        summaries(plant_many_corrections),
        ["机构更正考勤 17 次，相当于本班 160 条计入考勤的签到记录的 10.6%"]
    );
    assert_eq!(
        summaries(plant_missing_recording),
        ["2027-01-13 08:30–12:00 的线下课次（4 学时）已结束，未登记全程录像"]
    );
    assert_eq!(
        summaries(plant_hours_beyond_attendance),
        ["学员 林* 申报 18 学时，实际出勤 14 学时，多报 4 学时"]
    );
}

/// Issue 5, item 6: the overlap sentence names the other class, the times and the minutes.
#[test]
fn an_overlap_names_the_other_class_the_times_and_the_minutes() {
    let summary = summaries(super::plant::plant_overlapping_enrolment).remove(0);
    assert_eq!(
        summary,
        "学员 胡* 与班期 8 有 1 处课次时间重叠，如 2027-01-14 08:30–12:00 与 2027-01-14 09:00–11:00，重叠 120 分钟；其间有 2 条签到记录；同一时间只能在一处参训"
    );
}

/// A sentence lists five names at most, then 等; a person the dataset did not name shows as
/// their number.
#[test]
fn long_lists_of_names_end_with_deng_and_unnamed_persons_show_their_number() {
    let mut dataset = clean();
    for person_id in 103..=108 {
        record(&mut dataset, person_id, 702, CheckKind::CheckIn).device_id =
            Some("dev-101".to_owned());
    }
    dataset.people.retain(|person| person.person_id != 101);
    let summary = detect_default(&dataset)[0].evidence.summary();
    assert_eq!(
        summary,
        "设备 dev-101 在 2027-01-12 为 7 名学员签到（#101、李*、刘*、陈*、杨*等），共 8 条记录"
    );
}

/// SPEC "Personal data": no full name reaches a flag, in its sentence or its structure.
#[test]
fn no_full_name_appears_in_any_flag() {
    let flags = detect_default(&all_patterns());
    for flag in &flags {
        let shown = format!("{} {:?}", flag.evidence.summary(), flag);
        for name in FULL_NAMES {
            assert!(!shown.contains(name), "{name} in {shown}");
        }
    }
}

/// Determinism: the same facts in another order give the same flags in the same order.
#[test]
fn the_order_of_the_facts_does_not_change_the_flags() {
    let dataset = all_patterns();
    let mut reversed = dataset.clone();
    reversed.check_ins.reverse();
    reversed.sessions.reverse();
    reversed.enrolments.reverse();
    reversed.corrections.reverse();
    reversed.claims.reverse();
    reversed.people.reverse();
    assert_eq!(detect_default(&reversed), detect_default(&dataset));
}

/// Issue 5, item 6 "a risk score per class that supervisors can sort by": the weights summed
/// per class, highest first, ties by class id.
#[test]
fn risk_scores_sum_the_weights_per_class_highest_first() {
    let flags = detect_default(&all_patterns());
    // 班期 7: shared device 5, coordinates 5 + 5, travel 4, overlaps 4 + 4, fence 2,
    // corrections 3, recording 2, hours 5.
    assert_eq!(risk_scores(&flags), [(7, 39), (8, 8), (9, 4)]);
    let tie = [
        Flag::new(12, flags[12].evidence.clone()),
        Flag::new(3, flags[12].evidence.clone()),
    ];
    assert_eq!(risk_scores(&tie), [(3, 5), (12, 5)]);
    assert_eq!(risk_scores(&[]), []);
}
