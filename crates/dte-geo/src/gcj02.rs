//! The WGS-84 ↔ GCJ-02 conversion: the boundary data (from Amap) is in GCJ-02, the
//! offset datum that Chinese map services must use, while phones report WGS-84.
//!
//! This is the widely published formula (as in the eviltransform libraries). The offset is
//! a smooth shift of a few hundred metres (about 500–700 m in Liaoning); it is zero outside
//! the rough rectangle around China, as in the reference implementations.

use std::f64::consts::PI;

/// The semi-major axis of the Krasovsky 1940 ellipsoid that the formula uses.
const SEMI_MAJOR_AXIS: f64 = 6_378_245.0;
/// The first eccentricity squared of the same ellipsoid.
const ECCENTRICITY_SQUARED: f64 = 0.006_693_421_622_965_943;

/// Converts a WGS-84 latitude and longitude to GCJ-02.
pub(crate) fn wgs84_to_gcj02(lat: f64, lon: f64) -> (f64, f64) {
    if out_of_china(lat, lon) {
        return (lat, lon);
    }
    let (dlat, dlon) = offset(lat, lon);
    (lat + dlat, lon + dlon)
}

/// Converts a GCJ-02 latitude and longitude back to WGS-84 by fixed-point iteration on
/// the forward formula; it converges to well below a millimetre in a few steps.
pub(crate) fn gcj02_to_wgs84(lat: f64, lon: f64) -> (f64, f64) {
    let (mut wgs_lat, mut wgs_lon) = (lat, lon);
    for _ in 0..30 {
        let (gcj_lat, gcj_lon) = wgs84_to_gcj02(wgs_lat, wgs_lon);
        let (err_lat, err_lon) = (gcj_lat - lat, gcj_lon - lon);
        wgs_lat -= err_lat;
        wgs_lon -= err_lon;
        if err_lat.abs() < 1e-11 && err_lon.abs() < 1e-11 {
            break;
        }
    }
    (wgs_lat, wgs_lon)
}

fn out_of_china(lat: f64, lon: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

/// The offset in degrees (latitude, longitude) that GCJ-02 adds to a WGS-84 point.
fn offset(lat: f64, lon: f64) -> (f64, f64) {
    let (x, y) = (lon - 105.0, lat - 35.0);
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - ECCENTRICITY_SQUARED * rad_lat.sin().powi(2);
    let sqrt_magic = magic.sqrt();
    let dlat = (raw_lat_offset(x, y) * 180.0)
        / ((SEMI_MAJOR_AXIS * (1.0 - ECCENTRICITY_SQUARED)) / (magic * sqrt_magic) * PI);
    let dlon = (raw_lon_offset(x, y) * 180.0) / (SEMI_MAJOR_AXIS / sqrt_magic * rad_lat.cos() * PI);
    (dlat, dlon)
}

fn raw_lat_offset(x: f64, y: f64) -> f64 {
    let mut value = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    value += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    value += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    value += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    value
}

fn raw_lon_offset(x: f64, y: f64) -> f64 {
    let mut value = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    value += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    value += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    value += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    value
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The published test vectors of the eviltransform libraries: (WGS-84, GCJ-02).
    const VECTORS: [((f64, f64), (f64, f64)); 3] = [
        (
            (31.1774276, 121.5272106),
            (31.17530398364597, 121.531541859215),
        ),
        (
            (22.543847, 113.912316),
            (22.540796131694766, 113.9171764808363),
        ),
        (
            (39.911954, 116.377817),
            (39.91334545536069, 116.38404722455657),
        ),
    ];

    #[test]
    fn forward_transform_matches_the_published_vectors() {
        for ((lat, lon), (gcj_lat, gcj_lon)) in VECTORS {
            let (got_lat, got_lon) = wgs84_to_gcj02(lat, lon);
            assert!((got_lat - gcj_lat).abs() < 1e-9, "{got_lat} vs {gcj_lat}");
            assert!((got_lon - gcj_lon).abs() < 1e-9, "{got_lon} vs {gcj_lon}");
        }
    }

    #[test]
    fn inverse_transform_recovers_the_wgs84_point() {
        for ((lat, lon), (gcj_lat, gcj_lon)) in VECTORS {
            let (got_lat, got_lon) = gcj02_to_wgs84(gcj_lat, gcj_lon);
            assert!((got_lat - lat).abs() < 1e-9 && (got_lon - lon).abs() < 1e-9);
        }
    }

    #[test]
    fn points_outside_china_are_not_shifted() {
        assert_eq!(wgs84_to_gcj02(48.8566, 2.3522), (48.8566, 2.3522));
    }
}
