//! Points just across and just inside each of Liaoning's borders, and at sea. The plan
//! forbids cross-province training, so a venue across any of these lines must be refused.

use super::at;
use super::places::*;
use crate::{Location, locate};

/// Asserts that a place lies outside Liaoning, at least `min_m` from its border.
fn assert_outside(place: (f64, f64), min_m: f64) {
    match locate(at(place)) {
        Location::Outside {
            distance_to_border_m,
        } => assert!(
            distance_to_border_m >= min_m,
            "{place:?} is only {distance_to_border_m:.0} m from the border"
        ),
        inside => panic!("{place:?} should be outside Liaoning, got {inside:?}"),
    }
}

fn assert_in(place: (f64, f64), city: &'static str) {
    assert_eq!(locate(at(place)), Location::Inside { city }, "{place:?}");
}

#[test]
fn shanhai_pass_in_hebei_is_outside_and_suizhong_across_the_line_is_in_huludao() {
    assert_outside(SHANHAI_PASS, 3_000.0);
    assert_in(SUIZHONG, "葫芦岛");
}

#[test]
fn aohan_banner_in_inner_mongolia_is_outside_and_chaoyang_is_inside() {
    assert_outside(AOHAN_BANNER, 5_000.0);
    assert_in(CHAOYANG_SEAT, "朝阳");
}

#[test]
fn the_tongliao_side_is_outside_and_zhangwu_is_in_fuxin() {
    assert_outside(HORQIN_LEFT_BACK_BANNER, 5_000.0);
    assert_in(ZHANGWU, "阜新");
}

#[test]
fn siping_in_jilin_is_outside_and_changtu_across_the_line_is_in_tieling() {
    assert_outside(SIPING_GOVERNMENT, 2_000.0);
    assert_in(CHANGTU, "铁岭");
}

#[test]
fn liaoyuan_and_meihekou_in_jilin_are_outside_and_qingyuan_is_in_fushun() {
    assert_outside(LIAOYUAN_GOVERNMENT, 5_000.0);
    assert_outside(MEIHEKOU_GOVERNMENT, 5_000.0);
    assert_in(QINGYUAN, "抚顺");
}

#[test]
fn sinuiju_across_the_yalu_is_outside_and_the_dandong_riverfront_is_inside() {
    assert_outside(SINUIJU, 1_000.0);
    assert_in(DANDONG_CENTRE, "丹东");
}

#[test]
fn a_dalian_campus_two_kilometres_from_the_sea_is_inside_dalian() {
    assert_in(DALIAN_UNIVERSITY_OF_TECHNOLOGY, "大连");
}

#[test]
fn points_at_sea_are_outside_and_far_from_the_coast() {
    assert_outside(BOHAI_SEA, 30_000.0);
    assert_outside(YELLOW_SEA, 30_000.0);
}

#[test]
fn the_distance_to_the_border_is_about_right_for_shanhai_pass() {
    // Shanhai Pass's east gate stands about 4 km inside Hebei from the Liaoning border.
    let Location::Outside {
        distance_to_border_m,
    } = locate(at(SHANHAI_PASS))
    else {
        panic!("Shanhai Pass must be outside Liaoning");
    };
    assert!((3_000.0..6_000.0).contains(&distance_to_border_m));
}

#[test]
fn places_far_from_china_are_outside_by_thousands_of_kilometres() {
    // The GCJ-02 offset does not apply outside China; the distance still works.
    let Location::Outside {
        distance_to_border_m,
    } = locate(crate::LatLon {
        lat: 48.8566,
        lon: 2.3522,
    })
    else {
        panic!("Paris must be outside Liaoning");
    };
    assert!(distance_to_border_m > 7_000_000.0);
}

#[test]
fn a_location_reads_as_a_chinese_place_name() {
    assert_eq!(locate(at(DALIAN_SEAT)).to_string(), "辽宁省大连市");
    assert!(
        locate(at(SHANHAI_PASS))
            .to_string()
            .starts_with("辽宁省外（距省界约 4.")
    );
}
