//! Venues and fences on real places (SPEC step 2: the fence must lie inside Liaoning — no
//! cross-province training; the plan's 五（二）: 培训机构不得以“合作”“联合”“联盟”等名义开展跨省培训).
//!
//! Coordinates are WGS-84, mostly the ones `dte-geo` verified for its own tests
//! (`crates/dte-geo/src/tests/places.rs`, with their sources and distances to the border);
//! the few added here say where they come from.

use super::*;

// Across the border, outside Liaoning.

/// 山海关, Qinhuangdao, Hebei, just south-west of 绥中: about 4.1 km outside.
const SHANHAI_PASS: (f64, f64) = (40.00944, 119.75417);
/// 신의주 (Sinuiju), North Korea, across the Yalu from 丹东: about 1.7 km outside.
const SINUIJU: (f64, f64) = (40.100, 124.400);
/// 敖汉旗 seat, Chifeng, Inner Mongolia, next to 朝阳: about 10 km outside.
const AOHAN_BANNER: (f64, f64) = (42.283, 119.917);
/// 科尔沁左翼后旗 seat, Tongliao, Inner Mongolia, next to 阜新/彰武: about 13 km outside.
const HORQIN_LEFT_BACK_BANNER: (f64, f64) = (42.950, 122.350);
/// 四平市人民政府, Jilin, next to 铁岭/昌图: about 3.6 km outside.
const SIPING_GOVERNMENT: (f64, f64) = (43.1668, 124.3506);
/// 梅河口市人民政府, Jilin, next to 抚顺/清原: about 44 km outside.
const MEIHEKOU_GOVERNMENT: (f64, f64) = (42.5408, 125.7108);

// Inside Liaoning, near those borders, and two city centres.

/// 绥中县 seat, 葫芦岛, the county facing 山海关.
const SUIZHONG: (f64, f64) = (40.3242, 120.3389);
/// 彰武县 seat, 阜新, facing Tongliao.
const ZHANGWU: (f64, f64) = (42.3806, 122.5319);
/// 昌图县 seat, 铁岭, facing 四平.
const CHANGTU: (f64, f64) = (42.7808, 124.1050);
/// 清原满族自治县 seat, 抚顺, facing 梅河口.
const QINGYUAN: (f64, f64) = (42.0978, 124.9214);
/// 朝阳 人民公园, facing 敖汉旗.
const CHAOYANG_PARK: (f64, f64) = (41.571, 120.453);
/// 丹东's riverfront on the Yalu, the city side of the Broken Bridge: about 0.57 km from the
/// bank where the data draws the border.
const DANDONG_RIVERFRONT: (f64, f64) = (40.117, 124.383);
/// 东洲区 seat, 抚顺.
const FUSHUN_DONGZHOU: (f64, f64) = (41.83528, 124.01583);
/// 星海广场 (Xinghai Square), 大连: the middle of the square on the north shore of Xinghai
/// Bay (Shahekou District), read off the map — no published infobox figure was found. In the
/// embedded data it is about 0.8 km from the shore, so a 300 m fence stays on land.
const XINGHAI_SQUARE: (f64, f64) = (38.8806, 121.5856);
/// 鸭绿江断桥 (Yalu River Broken Bridge), 丹东: the swing span at the end of the surviving
/// part, 40°06′54″N 124°23′29″E (English Wikipedia). It stands in the river, a few tens of
/// metres off the bank.
const BROKEN_BRIDGE: (f64, f64) = (40.1149, 124.3915);

/// A plan whose venue is `place`, fenced by a 300 m circle, in `region`.
fn plan_at(place: (f64, f64), region: &str) -> ClassPlan {
    ClassPlan {
        region: region.to_owned(),
        venue: point(place),
        fence: circle_around(place, 300.0),
        ..plan()
    }
}

/// SPEC step 2 and the plan's 五（二）: venues just across the province's border — in Hebei,
/// Inner Mongolia, Jilin and North Korea — are refused, for the venue and for its fence,
/// whichever neighbouring region the class names.
#[test]
fn venues_just_across_the_border_are_refused() {
    let across = [
        (SHANHAI_PASS, "葫芦岛"),
        (SINUIJU, "丹东"),
        (AOHAN_BANNER, "朝阳"),
        (HORQIN_LEFT_BACK_BANNER, "阜新"),
        (SIPING_GOVERNMENT, "铁岭"),
        (MEIHEKOU_GOVERNMENT, "抚顺"),
    ];
    for (place, region) in across {
        let violations = check_draft(&plan_at(place, region), &context());
        assert_eq!(
            codes(&violations),
            ["venue_outside_province", "fence_outside_province"],
            "{place:?} {region}"
        );
        assert!(violations[0].message.contains("辽宁省外"), "{violations:?}");
        assert!(violations[0].message.contains("不得跨省培训"));
        assert_eq!(violations[0].field, "venue");
        assert_eq!(violations[1].field, "fence");
    }
}

/// SPEC step 2: venues just inside the border, and in the city centres, are accepted.
#[test]
fn venues_just_inside_the_border_are_accepted() {
    let inside = [
        (SUIZHONG, "葫芦岛"),
        (ZHANGWU, "阜新"),
        (CHANGTU, "铁岭"),
        (QINGYUAN, "抚顺"),
        (CHAOYANG_PARK, "朝阳"),
        (DANDONG_RIVERFRONT, "丹东"),
        (ZHONGJIE, "沈阳"),
        (XINGHAI_SQUARE, "大连"),
    ];
    for (place, region) in inside {
        assert_eq!(
            check_draft(&plan_at(place, region), &context()),
            [],
            "{place:?} {region}"
        );
    }
}

/// SPEC step 2 and the plan's 五（二）: a 1 km fence drawn around the Broken Bridge takes in the
/// riverfront venue (about 0.8 km away) but reaches over the Yalu, so part of it lies outside
/// Liaoning; the message is `dte-geo`'s.
#[test]
fn a_fence_reaching_across_the_yalu_is_refused() {
    let plan = ClassPlan {
        fence: circle_around(BROKEN_BRIDGE, 1_000.0),
        ..plan_at(DANDONG_RIVERFRONT, "丹东")
    };
    let violations = check_draft(&plan, &context());
    assert_eq!(codes(&violations), ["fence_outside_province"]);
    assert!(
        violations[0].message.contains("有部分位于辽宁省外"),
        "{violations:?}"
    );
}

/// SPEC step 2: a class belongs to a region (its city supervises it), so its venue and fence
/// lie in that region.
#[test]
fn a_venue_in_another_city_than_the_classs_region_is_refused() {
    let violations = check_draft(&plan_at(ZHONGJIE, "大连"), &context());
    assert_eq!(
        codes(&violations),
        ["venue_outside_region", "fence_outside_region"]
    );
    assert!(
        violations[0].message.contains("辽宁省沈阳市") && violations[0].message.contains("大连")
    );
}

/// SPEC regions: 沈抚示范区 lies in 沈阳 and 抚顺, so a class of it may be in either.
#[test]
fn a_class_of_the_shenfu_demonstration_zone_may_be_in_shenyang_or_fushun() {
    for place in [ZHONGJIE, FUSHUN_DONGZHOU] {
        assert_eq!(check_draft(&plan_at(place, "沈抚示范区"), &context()), []);
    }
    let violations = check_draft(&plan_at(XINGHAI_SQUARE, "沈抚示范区"), &context());
    assert_eq!(
        codes(&violations),
        ["venue_outside_region", "fence_outside_region"]
    );
}

/// SPEC regions: the 14 cities and 沈抚示范区, by their short names.
#[test]
fn an_unknown_region_is_refused_once() {
    let violations = check_draft(&plan_at(ZHONGJIE, "沈阳市"), &context());
    assert_eq!(codes(&violations), ["unknown_region"]);
    assert_eq!(violations[0].field, "region");
    assert!(violations[0].message.contains("沈阳市"));
}

/// SPEC step 2: the fence is a usable shape; the message is `dte-geo`'s.
#[test]
fn a_fence_of_an_impossible_shape_is_refused() {
    let plan = ClassPlan {
        fence: Fence::Circle {
            center: point(ZHONGJIE),
            radius_m: 5.0,
        },
        ..plan()
    };
    let violations = check_draft(&plan, &context());
    assert_eq!(codes(&violations), ["fence_invalid"]);
    assert!(violations[0].message.contains("半径"), "{violations:?}");
}

/// SPEC step 2 and 4: check-in happens inside the fence, so the fence surrounds the venue.
#[test]
fn a_venue_outside_its_own_fence_is_refused() {
    let fence = Fence::circle(point((41.8060, 123.4569)), 300.0).unwrap();
    let plan = ClassPlan { fence, ..plan() };
    let violations = check_draft(&plan, &context());
    assert_eq!(codes(&violations), ["venue_outside_fence"]);
    assert!(
        violations[0].message.contains("约 220 米"),
        "{violations:?}"
    );
}

#[test]
fn a_venue_on_its_fences_edge_is_inside() {
    let edge = (ZHONGJIE.0 + 0.0027, ZHONGJIE.1);
    let radius = dte_geo::distance_m(point(edge), point(ZHONGJIE));
    let plan = ClassPlan {
        fence: circle_around(edge, radius),
        ..plan()
    };
    assert_eq!(check_draft(&plan, &context()), []);
}

/// A venue point that is not a coordinate is refused with `dte-geo`'s reason, not located.
#[test]
fn a_venue_that_is_not_a_coordinate_is_refused() {
    let plan = ClassPlan {
        venue: LatLon {
            lat: f64::NAN,
            lon: 123.0,
        },
        ..plan()
    };
    let violations = check_draft(&plan, &context());
    assert_eq!(codes(&violations), ["venue_invalid"]);
    assert!(violations[0].message.contains("纬度"), "{violations:?}");
}

/// A polygon fence is checked like a circle: here a square of about 400 m around 中街.
#[test]
fn a_polygon_fence_around_the_venue_is_accepted() {
    let (lat, lon) = ZHONGJIE;
    let (dlat, dlon) = (0.0018, 0.0024);
    let fence = Fence::polygon(vec![
        point((lat - dlat, lon - dlon)),
        point((lat - dlat, lon + dlon)),
        point((lat + dlat, lon + dlon)),
        point((lat + dlat, lon - dlon)),
    ])
    .unwrap();
    assert_eq!(check_draft(&ClassPlan { fence, ..plan() }, &context()), []);
}
