//! Where a single point lies: in which city of Liaoning, or how far outside the province.

use std::fmt;

use crate::boundaries::{boundaries, cities_of_region};
use crate::coord::{LatLon, describe_distance};
use crate::gcj02::wgs84_to_gcj02;
use crate::geometry::Xy;

/// Where a point lies relative to Liaoning Province.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Location {
    /// Outside the province, this far (in metres) from its nearest border or coast.
    Outside { distance_to_border_m: f64 },
    /// Inside the province, in this city (one of the 14 city names of [`crate::REGIONS`];
    /// a point of 沈抚示范区 is reported as 沈阳 or 抚顺).
    Inside { city: &'static str },
}

/// Finds where a WGS-84 point lies: the city of Liaoning that contains it, or the distance
/// to the province's border when it is outside (islands count as inside, the sea as
/// outside).
pub fn locate(point: LatLon) -> Location {
    let p = to_gcj02(point);
    let data = boundaries();
    if data.province.contains(p) {
        Location::Inside {
            city: data.city_at(p),
        }
    } else {
        Location::Outside {
            distance_to_border_m: data.province.distance_to_boundary(p, f64::INFINITY),
        }
    }
}

impl Location {
    /// Whether this location lies in the named region of DTE (for 沈抚示范区: in 沈阳 or
    /// 抚顺). An unknown region name contains nothing.
    pub fn is_in(&self, region: &str) -> bool {
        match (self, cities_of_region(region)) {
            (Location::Inside { city }, Some(cities)) => cities.contains(city),
            _ => false,
        }
    }
}

impl fmt::Display for Location {
    /// "辽宁省大连市" or "辽宁省外（距省界约 1.2 公里）".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Inside { city } => write!(f, "辽宁省{city}市"),
            Location::Outside {
                distance_to_border_m,
            } => write!(
                f,
                "辽宁省外（距省界{}）",
                describe_distance(*distance_to_border_m)
            ),
        }
    }
}

/// A WGS-84 point in the GCJ-02 degree plane of the boundary data.
pub(crate) fn to_gcj02(point: LatLon) -> Xy {
    let (lat, lon) = wgs84_to_gcj02(point.lat, point.lon);
    Xy { x: lon, y: lat }
}
