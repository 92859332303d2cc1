//! Unit tests of dte-geo against real places near Liaoning's borders, its cities and its
//! coast, plus the fence rules and the embedded data itself.
//!
//! The rules under test: the plan forbids cross-province training (培训机构不得以“合作”
//! “联合”“联盟”等名义开展跨省培训), and SPEC step 2 requires each venue's electronic fence
//! to lie inside Liaoning (and, for DTE, inside the class's region).

mod cities;
mod data;
mod fences;
mod places;
mod province_border;
mod validation;

use crate::LatLon;
use crate::boundaries::boundaries;
use crate::gcj02::gcj02_to_wgs84;
use crate::geometry::Xy;

/// A WGS-84 point from a table of places.
fn at((lat, lon): (f64, f64)) -> LatLon {
    LatLon { lat, lon }
}

/// A point on the common border of two cities, at least `clearance_m` from every other
/// city, taken from the embedded data (a vertex both outlines share), in WGS-84.
fn point_on_common_border(first: &str, second: &str, clearance_m: f64) -> LatLon {
    let data = boundaries();
    let city = |name: &str| {
        data.cities
            .iter()
            .find(|c| c.name == name)
            .expect("a city of the data")
    };
    let (a, b) = (city(first), city(second));
    let shared: std::collections::HashSet<(u64, u64)> = b
        .area
        .rings()
        .iter()
        .flat_map(|ring| ring.points())
        .map(|p| (p.x.to_bits(), p.y.to_bits()))
        .collect();
    let candidate = a
        .area
        .rings()
        .iter()
        .flat_map(|ring| ring.points())
        .filter(|p| shared.contains(&(p.x.to_bits(), p.y.to_bits())))
        .find(|&&p| {
            data.cities
                .iter()
                .filter(|c| c.name != first && c.name != second)
                .all(|c| c.area.distance_to_boundary(p, clearance_m) >= clearance_m)
                && data.province.distance_to_boundary(p, clearance_m) >= clearance_m
        })
        .copied()
        .expect("a shared vertex away from other cities");
    let Xy { x, y } = candidate;
    let (lat, lon) = gcj02_to_wgs84(y, x);
    LatLon { lat, lon }
}
