//! Whole fences against the province and the regions (SPEC step 2: the fence must lie
//! inside Liaoning — no cross-province training — and, in DTE, inside the class's region),
//! and the distances attendance check-in uses.

use super::places::*;
use super::{at, point_on_common_border};
use crate::{Fence, FenceError, LatLon, check_fence, distance_m, distance_outside_fence_m};

/// A circle fence, unvalidated (check_fence validates it).
fn circle(center: LatLon, radius_m: f64) -> Fence {
    Fence::Circle { center, radius_m }
}

/// A point `north_m` metres north and `east_m` metres east of `from`.
fn offset(from: LatLon, north_m: f64, east_m: f64) -> LatLon {
    let metres_per_degree = 6_371_008.8 * std::f64::consts::PI / 180.0;
    LatLon {
        lat: from.lat + north_m / metres_per_degree,
        lon: from.lon + east_m / (metres_per_degree * from.lat.to_radians().cos()),
    }
}

/// A square polygon fence of side `2 × half_m` around `center`, counter-clockwise.
fn square(center: LatLon, half_m: f64) -> Fence {
    Fence::Polygon(vec![
        offset(center, -half_m, -half_m),
        offset(center, -half_m, half_m),
        offset(center, half_m, half_m),
        offset(center, half_m, -half_m),
    ])
}

#[test]
fn a_campus_fence_inside_dalian_is_accepted_for_dalian() {
    let campus = at(DALIAN_UNIVERSITY_OF_TECHNOLOGY);
    assert_eq!(check_fence(&circle(campus, 500.0), "大连"), Ok(()));
    assert_eq!(check_fence(&square(campus, 400.0), "大连"), Ok(()));
}

#[test]
fn a_venue_in_dalian_is_refused_for_a_class_of_shenyang() {
    let error = check_fence(&circle(at(DALIAN_SEAT), 300.0), "沈阳").unwrap_err();
    assert_eq!(error.to_string(), "场地位于大连，不在班期所属地区沈阳");
}

#[test]
fn a_circle_straddling_the_yalu_border_is_refused() {
    // The riverfront centre is about 0.57 km from the bank: a 1 km circle reaches across.
    let error = check_fence(&circle(at(DANDONG_CENTRE), 1_000.0), "丹东").unwrap_err();
    let FenceError::PartlyOutsideProvince { overshoot_m } = error else {
        panic!("expected a fence partly outside Liaoning, got {error:?}");
    };
    assert!((200.0..1_000.0).contains(&overshoot_m), "{overshoot_m}");
    assert!(
        error
            .to_string()
            .starts_with("电子围栏有部分位于辽宁省外（")
    );
}

#[test]
fn a_circle_around_siping_reaching_into_changtu_is_refused() {
    // Siping's government is about 3.6 km inside Jilin; a 5 km circle crosses the line.
    let error = check_fence(&circle(at(SIPING_GOVERNMENT), 5_000.0), "铁岭").unwrap_err();
    assert!(matches!(error, FenceError::PartlyOutsideProvince { .. }));
}

#[test]
fn a_fence_wholly_in_hebei_is_refused_with_its_distance_to_the_border() {
    let error = check_fence(&circle(at(SHANHAI_PASS), 1_000.0), "葫芦岛").unwrap_err();
    let FenceError::OutsideProvince { distance_m } = error else {
        panic!("expected a fence outside Liaoning, got {error:?}");
    };
    assert!((2_000.0..5_000.0).contains(&distance_m), "{distance_m}");
    assert!(
        error
            .to_string()
            .starts_with("电子围栏位于辽宁省外（距省界约 ")
    );
}

#[test]
fn a_polygon_from_dandong_across_the_yalu_to_sinuiju_is_refused() {
    let fence = Fence::Polygon(vec![
        at(DANDONG_CENTRE),
        offset(at(DANDONG_CENTRE), 300.0, 0.0),
        at(SINUIJU),
    ]);
    assert!(matches!(
        check_fence(&fence, "丹东"),
        Err(FenceError::PartlyOutsideProvince { .. })
    ));
}

#[test]
fn a_polygon_fence_at_sea_is_refused() {
    assert!(matches!(
        check_fence(&square(at(BOHAI_SEA), 1_000.0), "葫芦岛"),
        Err(FenceError::OutsideProvince { .. })
    ));
}

#[test]
fn shenfu_accepts_venues_in_shenyang_or_fushun_and_refuses_dalian() {
    assert_eq!(
        check_fence(&circle(at(SHENYANG_SEAT), 500.0), "沈抚示范区"),
        Ok(())
    );
    assert_eq!(
        check_fence(&circle(at(FUSHUN_SEAT), 500.0), "沈抚示范区"),
        Ok(())
    );
    let error = check_fence(&circle(at(DALIAN_SEAT), 500.0), "沈抚示范区").unwrap_err();
    assert_eq!(
        error.to_string(),
        "场地位于大连，不在班期所属地区沈抚示范区"
    );
}

#[test]
fn a_fence_across_the_shenyang_fushun_line_belongs_to_shenfu_only() {
    // The 沈抚 area straddles the common border of 沈阳 and 抚顺.
    let border = point_on_common_border("沈阳", "抚顺", 3_000.0);
    for fence in [circle(border, 800.0), square(border, 600.0)] {
        assert_eq!(check_fence(&fence, "沈抚示范区"), Ok(()));
        assert_eq!(
            check_fence(&fence, "沈阳").unwrap_err().to_string(),
            "电子围栏有部分位于抚顺，超出班期所属地区沈阳"
        );
        assert_eq!(
            check_fence(&fence, "抚顺").unwrap_err().to_string(),
            "电子围栏有部分位于沈阳，超出班期所属地区抚顺"
        );
    }
}

#[test]
fn a_fence_across_two_other_cities_names_both() {
    let border = point_on_common_border("鞍山", "辽阳", 3_000.0);
    assert_eq!(
        check_fence(&circle(border, 500.0), "沈阳")
            .unwrap_err()
            .to_string(),
        "场地位于鞍山、辽阳，不在班期所属地区沈阳"
    );
}

#[test]
fn an_unknown_region_is_refused() {
    let error = check_fence(&circle(at(DALIAN_SEAT), 500.0), "大连市").unwrap_err();
    assert_eq!(
        error,
        FenceError::UnknownRegion {
            region: "大连市".to_owned()
        }
    );
}

#[test]
fn check_in_distance_is_zero_inside_a_circle_and_the_gap_outside() {
    let center = at(BENXI_SEAT);
    let fence = Fence::circle(center, 100.0).unwrap();
    assert_eq!(
        distance_outside_fence_m(&fence, offset(center, 60.0, 0.0)),
        0.0
    );
    let gap = distance_outside_fence_m(&fence, offset(center, 0.0, 250.0));
    assert!((gap - 150.0).abs() < 0.5, "{gap}");
}

#[test]
fn check_in_distance_is_zero_inside_a_polygon_and_the_gap_outside() {
    let center = at(BENXI_SEAT);
    let fence = square(center, 100.0);
    assert_eq!(distance_outside_fence_m(&fence, center), 0.0);
    let gap = distance_outside_fence_m(&fence, offset(center, 0.0, 300.0));
    assert!((gap - 200.0).abs() < 1.0, "{gap}");
    let corner_gap = distance_outside_fence_m(&fence, offset(center, 130.0, 140.0));
    assert!((corner_gap - 50.0).abs() < 1.0, "{corner_gap}");
}

#[test]
fn haversine_distance_matches_known_values() {
    let one_degree = distance_m(LatLon { lat: 0.0, lon: 0.0 }, LatLon { lat: 1.0, lon: 0.0 });
    assert!((one_degree - 111_195.1).abs() < 1.0, "{one_degree}");
    // 沈阳 to 大连 is about 350 km as the crow flies.
    let shenyang_dalian = distance_m(at(SHENYANG_SEAT), at(DALIAN_SEAT));
    assert!((330_000.0..370_000.0).contains(&shenyang_dalian));
    assert_eq!(distance_m(at(BENXI_SEAT), at(BENXI_SEAT)), 0.0);
}
