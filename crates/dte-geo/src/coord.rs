//! WGS-84 coordinates as DTE receives them (from a phone's browser or a form) and the
//! great-circle distance between two of them.

use std::fmt;

/// The mean radius of the Earth in metres (IUGG), used for every distance in this crate.
pub(crate) const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point on the Earth in WGS-84 degrees, the datum of GPS and of browsers' geolocation.
///
/// Every `LatLon` that enters or leaves this crate is WGS-84; the conversion to the GCJ-02
/// datum of the boundary data happens inside.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    /// Latitude in degrees, north positive, within −90 … 90.
    pub lat: f64,
    /// Longitude in degrees, east positive, within −180 … 180.
    pub lon: f64,
}

/// Which of the two numbers of a coordinate is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Axis {
    Latitude,
    Longitude,
}

/// Why two numbers are not a usable coordinate, in words a person can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CoordinateError {
    #[error("{axis}不是有效的数字：“{input}”")]
    NotANumber { axis: Axis, input: String },
    #[error("{axis}须在 {} 至 {} 度之间，收到的是 {value}{}", .axis.min(), .axis.max(), swap_hint(*.looks_swapped))]
    OutOfRange {
        axis: Axis,
        value: f64,
        /// True when the two numbers would be valid the other way round.
        looks_swapped: bool,
    },
}

impl LatLon {
    /// Checks that both numbers are finite and within range.
    pub fn new(lat: f64, lon: f64) -> Result<LatLon, CoordinateError> {
        for (axis, value) in [(Axis::Latitude, lat), (Axis::Longitude, lon)] {
            if !value.is_finite() {
                return Err(CoordinateError::NotANumber {
                    axis,
                    input: value.to_string(),
                });
            }
            if !(axis.min()..=axis.max()).contains(&value) {
                let looks_swapped = Axis::Latitude.contains(lon) && Axis::Longitude.contains(lat);
                return Err(CoordinateError::OutOfRange {
                    axis,
                    value,
                    looks_swapped,
                });
            }
        }
        Ok(LatLon { lat, lon })
    }

    /// Parses a latitude and a longitude written as decimal degrees, such as "38.88" and
    /// "121.53". Surrounding spaces are ignored; "NaN", "inf" and out-of-range values are
    /// refused.
    pub fn parse(lat: &str, lon: &str) -> Result<LatLon, CoordinateError> {
        let lat = parse_number(Axis::Latitude, lat)?;
        let lon = parse_number(Axis::Longitude, lon)?;
        LatLon::new(lat, lon)
    }
}

/// The great-circle (haversine) distance between two points in metres.
pub fn distance_m(a: LatLon, b: LatLon) -> f64 {
    let (lat_a, lat_b) = (a.lat.to_radians(), b.lat.to_radians());
    let half_dlat = (lat_b - lat_a) / 2.0;
    let half_dlon = (b.lon - a.lon).to_radians() / 2.0;
    let h = half_dlat.sin().powi(2) + lat_a.cos() * lat_b.cos() * half_dlon.sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Writes a distance the way the error messages say it: "约 350 米", "约 1.2 公里".
pub fn describe_distance(metres: f64) -> String {
    if metres < 10.0 {
        "不足 10 米".to_owned()
    } else if metres < 1_000.0 {
        format!("约 {} 米", (metres / 10.0).round() * 10.0)
    } else if metres < 100_000.0 {
        format!("约 {:.1} 公里", metres / 1_000.0)
    } else {
        format!("约 {:.0} 公里", metres / 1_000.0)
    }
}

impl Axis {
    fn min(self) -> f64 {
        match self {
            Axis::Latitude => -90.0,
            Axis::Longitude => -180.0,
        }
    }

    fn max(self) -> f64 {
        -self.min()
    }

    fn contains(self, value: f64) -> bool {
        (self.min()..=self.max()).contains(&value)
    }
}

impl fmt::Display for Axis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Axis::Latitude => "纬度",
            Axis::Longitude => "经度",
        })
    }
}

fn parse_number(axis: Axis, input: &str) -> Result<f64, CoordinateError> {
    let not_a_number = || CoordinateError::NotANumber {
        axis,
        input: input.to_owned(),
    };
    let trimmed = input.trim();
    // Rust's float parser accepts "inf", "NaN" and exponents; a coordinate is plain decimals.
    if trimmed.is_empty()
        || !trimmed
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return Err(not_a_number());
    }
    trimmed.parse::<f64>().map_err(|_| not_a_number())
}

fn swap_hint(looks_swapped: bool) -> &'static str {
    if looks_swapped {
        "（经度和纬度是否填反了？）"
    } else {
        ""
    }
}
