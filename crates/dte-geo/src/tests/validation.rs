//! Coordinates and fence shapes are checked before any geography: bad input gets a Chinese
//! message that says what to fix.

use super::at;
use super::places::*;
use crate::{Axis, CoordinateError, Fence, FenceError, LatLon, check_fence, describe_distance};

#[test]
fn decimal_coordinates_parse_with_surrounding_spaces() {
    assert_eq!(
        LatLon::parse(" 38.88 ", "121.53"),
        Ok(LatLon {
            lat: 38.88,
            lon: 121.53
        })
    );
    assert_eq!(
        LatLon::parse("-33.9", "+18.4"),
        Ok(LatLon {
            lat: -33.9,
            lon: 18.4
        })
    );
}

#[test]
fn words_nan_infinity_and_exponents_are_not_coordinates() {
    for input in ["", "abc", "NaN", "inf", "1e2", "38,88", "３８.８"] {
        assert_eq!(
            LatLon::parse(input, "121.53"),
            Err(CoordinateError::NotANumber {
                axis: Axis::Latitude,
                input: input.to_owned()
            }),
            "{input:?}"
        );
    }
    let error = LatLon::parse("38.88", "东经121").unwrap_err();
    assert_eq!(error.to_string(), "经度不是有效的数字：“东经121”");
}

#[test]
fn out_of_range_coordinates_are_refused_with_the_limits() {
    let error = LatLon::parse("38.88", "200").unwrap_err();
    assert_eq!(
        error.to_string(),
        "经度须在 -180 至 180 度之间，收到的是 200"
    );
    assert!(LatLon::new(f64::NAN, 121.0).is_err());
    assert!(LatLon::new(90.0, 180.0).is_ok());
}

#[test]
fn swapped_latitude_and_longitude_get_a_hint() {
    let error = LatLon::parse("121.53", "38.88").unwrap_err();
    assert_eq!(
        error.to_string(),
        "纬度须在 -90 至 90 度之间，收到的是 121.53（经度和纬度是否填反了？）"
    );
}

#[test]
fn a_circle_radius_must_be_between_10_and_5000_metres() {
    let center = at(BENXI_SEAT);
    for radius_m in [9.9, 5_000.1, f64::NAN, -1.0] {
        assert!(matches!(
            Fence::circle(center, radius_m),
            Err(FenceError::RadiusOutOfRange { .. })
        ));
    }
    assert!(Fence::circle(center, 10.0).is_ok());
    assert!(Fence::circle(center, 5_000.0).is_ok());
    assert_eq!(
        Fence::circle(center, 8.0).unwrap_err().to_string(),
        "电子围栏的半径须在 10 至 5000 米之间，收到的是 8 米"
    );
}

#[test]
fn check_fence_validates_a_hand_built_fence_first() {
    let fence = Fence::Circle {
        center: at(BENXI_SEAT),
        radius_m: 20_000.0,
    };
    assert!(matches!(
        check_fence(&fence, "本溪"),
        Err(FenceError::RadiusOutOfRange { .. })
    ));
    let fence = Fence::Circle {
        center: LatLon {
            lat: 95.0,
            lon: 123.0,
        },
        radius_m: 100.0,
    };
    assert!(
        check_fence(&fence, "本溪")
            .unwrap_err()
            .to_string()
            .starts_with("电子围栏的圆心：纬度须在")
    );
}

/// Vertices given as (north, east) metres from Benxi's seat.
fn polygon(offsets: &[(f64, f64)]) -> Vec<LatLon> {
    let center = at(BENXI_SEAT);
    let metres_per_degree = 6_371_008.8 * std::f64::consts::PI / 180.0;
    offsets
        .iter()
        .map(|&(north, east)| LatLon {
            lat: center.lat + north / metres_per_degree,
            lon: center.lon + east / (metres_per_degree * center.lat.to_radians().cos()),
        })
        .collect()
}

#[test]
fn a_polygon_needs_three_distinct_vertices_in_order() {
    assert_eq!(
        Fence::polygon(polygon(&[(0.0, 0.0), (0.0, 100.0)])),
        Err(FenceError::TooFewVertices { count: 2 })
    );
    assert_eq!(
        Fence::polygon(polygon(&[
            (0.0, 0.0),
            (0.0, 100.0),
            (0.0, 100.0),
            (100.0, 0.0)
        ])),
        Err(FenceError::RepeatedVertex { index: 3 })
    );
    // A closing vertex that repeats the first, as GeoJSON writes it, is accepted.
    let closed = polygon(&[(0.0, 0.0), (0.0, 100.0), (100.0, 100.0), (0.0, 0.0)]);
    assert!(matches!(Fence::polygon(closed), Ok(Fence::Polygon(v)) if v.len() == 3));
}

#[test]
fn a_bow_tie_polygon_is_refused_as_self_intersecting() {
    let bow_tie = polygon(&[(0.0, 0.0), (100.0, 100.0), (0.0, 100.0), (100.0, 0.0)]);
    let error = Fence::polygon(bow_tie).unwrap_err();
    assert_eq!(
        error,
        FenceError::SelfIntersecting {
            first: 1,
            second: 3
        }
    );
    assert_eq!(
        error.to_string(),
        "多边形电子围栏的第 1 条边与第 3 条边相交，请按边界顺序依次绘制顶点"
    );
    // A path that turns straight back along itself also crosses itself.
    let spike = polygon(&[(0.0, 0.0), (0.0, 200.0), (0.0, 100.0), (100.0, 100.0)]);
    assert!(matches!(
        Fence::polygon(spike),
        Err(FenceError::SelfIntersecting { .. })
    ));
}

#[test]
fn a_polygon_must_be_at_least_100_square_metres_and_at_most_10_km_across() {
    let tiny = polygon(&[(0.0, 0.0), (0.0, 10.0), (10.0, 0.0)]);
    assert!(matches!(
        Fence::polygon(tiny),
        Err(FenceError::TooSmall { .. })
    ));
    let huge = polygon(&[(0.0, 0.0), (0.0, 12_000.0), (3_000.0, 0.0)]);
    let error = Fence::polygon(huge).unwrap_err();
    assert_eq!(
        error.to_string(),
        "电子围栏过大：顶点之间最远相距约 12.4 公里，不得超过 10 公里"
    );
    let concave = polygon(&[
        (0.0, 0.0),
        (0.0, 300.0),
        (300.0, 300.0),
        (100.0, 150.0),
        (300.0, 0.0),
    ]);
    assert!(Fence::polygon(concave).is_ok());
}

#[test]
fn distances_read_in_metres_or_kilometres() {
    assert_eq!(describe_distance(4.0), "不足 10 米");
    assert_eq!(describe_distance(348.0), "约 350 米");
    assert_eq!(describe_distance(1_234.0), "约 1.2 公里");
    assert_eq!(describe_distance(346_000.0), "约 346 公里");
}
