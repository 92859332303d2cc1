//! Electronic fences (电子围栏) of training venues: their shapes, the limits a fence must
//! respect, and how far a check-in point lies outside one.

use crate::coord::{CoordinateError, LatLon, describe_distance, distance_m};
use crate::geometry::{LocalScale, Xy, polygon_contains, polygon_edges, segments_meet};

/// The smallest radius of a circular fence, in metres.
pub const MIN_RADIUS_M: f64 = 10.0;
/// The largest radius of a circular fence, in metres.
pub const MAX_RADIUS_M: f64 = 5_000.0;
/// The most vertices a polygonal fence may have.
pub const MAX_POLYGON_VERTICES: usize = 200;
/// The farthest two vertices of a polygonal fence may be apart, in metres: the diameter of
/// the largest circle.
pub const MAX_POLYGON_EXTENT_M: f64 = 2.0 * MAX_RADIUS_M;
/// The smallest area of a polygonal fence, in square metres.
pub const MIN_POLYGON_AREA_M2: f64 = 100.0;

/// The area a trainee must be inside to check in, drawn around a venue. Coordinates are
/// WGS-84. Build one with [`Fence::circle`] or [`Fence::polygon`], which validate it;
/// [`crate::check_fence`] validates again, so a fence built by hand cannot slip through.
#[derive(Debug, Clone, PartialEq)]
pub enum Fence {
    /// Every point within `radius_m` metres of `center`.
    Circle { center: LatLon, radius_m: f64 },
    /// A simple polygon given by its vertices in drawing order, without repeating the
    /// first vertex at the end.
    Polygon(Vec<LatLon>),
}

/// Why a fence is refused, in words the institution can act on.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FenceError {
    #[error("电子围栏的半径须在 {MIN_RADIUS_M} 至 {MAX_RADIUS_M} 米之间，收到的是 {radius_m} 米")]
    RadiusOutOfRange { radius_m: f64 },
    #[error("电子围栏的{point}：{error}")]
    BadPoint {
        point: String,
        error: CoordinateError,
    },
    #[error("多边形电子围栏至少需要 3 个顶点，收到 {count} 个")]
    TooFewVertices { count: usize },
    #[error("多边形电子围栏最多 {MAX_POLYGON_VERTICES} 个顶点，收到 {count} 个")]
    TooManyVertices { count: usize },
    #[error("多边形电子围栏的第 {index} 个顶点与相邻顶点重合")]
    RepeatedVertex { index: usize },
    #[error("多边形电子围栏的第 {first} 条边与第 {second} 条边相交，请按边界顺序依次绘制顶点")]
    SelfIntersecting { first: usize, second: usize },
    #[error(
        "多边形电子围栏面积过小（约 {area_m2:.0} 平方米），至少须为 {MIN_POLYGON_AREA_M2} 平方米"
    )]
    TooSmall { area_m2: f64 },
    #[error("电子围栏过大：顶点之间最远相距{}，不得超过 10 公里", describe_distance(*.extent_m))]
    TooLarge { extent_m: f64 },
    #[error("“{region}”不是本系统的地区，应为辽宁省的 14 个市之一或沈抚示范区")]
    UnknownRegion { region: String },
    #[error("电子围栏位于辽宁省外（距省界{}），不得跨省培训", describe_distance(*.distance_m))]
    OutsideProvince { distance_m: f64 },
    #[error("电子围栏有部分位于辽宁省外（最远处超出省界{}），不得跨省培训", describe_distance(*.overshoot_m))]
    PartlyOutsideProvince { overshoot_m: f64 },
    #[error("场地位于{venue}，不在班期所属地区{region}")]
    VenueInOtherRegion { venue: String, region: String },
    #[error("电子围栏有部分位于{other}，超出班期所属地区{region}")]
    PartlyInOtherRegion { other: String, region: String },
}

impl Fence {
    /// A circular fence, validated.
    pub fn circle(center: LatLon, radius_m: f64) -> Result<Fence, FenceError> {
        let fence = Fence::Circle { center, radius_m };
        fence.validate()?;
        Ok(fence)
    }

    /// A polygonal fence, validated. A last vertex that repeats the first (as drawing tools
    /// and GeoJSON write it) is dropped first.
    pub fn polygon(mut vertices: Vec<LatLon>) -> Result<Fence, FenceError> {
        if vertices.len() > 1 && vertices.first() == vertices.last() {
            vertices.pop();
        }
        let fence = Fence::Polygon(vertices);
        fence.validate()?;
        Ok(fence)
    }

    /// Checks the fence's own shape: valid coordinates, a radius within 10–5000 m, or a
    /// simple polygon of 3–200 vertices, at least 100 m² and at most 10 km across.
    pub fn validate(&self) -> Result<(), FenceError> {
        match self {
            Fence::Circle { center, radius_m } => {
                check_point(*center, "圆心".to_owned())?;
                if !(MIN_RADIUS_M..=MAX_RADIUS_M).contains(radius_m) {
                    return Err(FenceError::RadiusOutOfRange {
                        radius_m: *radius_m,
                    });
                }
                Ok(())
            }
            Fence::Polygon(vertices) => validate_polygon(vertices),
        }
    }
}

/// How far `point` lies outside `fence`, in metres; 0 when it is inside or on the edge.
/// Both are WGS-84, so no datum conversion is involved.
pub fn distance_outside_fence_m(fence: &Fence, point: LatLon) -> f64 {
    match fence {
        Fence::Circle { center, radius_m } => (distance_m(*center, point) - radius_m).max(0.0),
        Fence::Polygon(vertices) => {
            let vertices: Vec<Xy> = vertices.iter().map(|&v| plane(v)).collect();
            let p = plane(point);
            if vertices.is_empty() || polygon_contains(&vertices, p) {
                return 0.0;
            }
            let scale = LocalScale::at(point.lat);
            polygon_edges(&vertices)
                .map(|(a, b)| scale.distance_to_segment(p, a, b))
                .fold(f64::INFINITY, f64::min)
        }
    }
}

/// A WGS-84 point in the degree plane.
fn plane(point: LatLon) -> Xy {
    Xy {
        x: point.lon,
        y: point.lat,
    }
}

fn check_point(point: LatLon, name: String) -> Result<(), FenceError> {
    LatLon::new(point.lat, point.lon)
        .map(|_| ())
        .map_err(|error| FenceError::BadPoint { point: name, error })
}

fn validate_polygon(vertices: &[LatLon]) -> Result<(), FenceError> {
    let count = vertices.len();
    if count < 3 {
        return Err(FenceError::TooFewVertices { count });
    }
    if count > MAX_POLYGON_VERTICES {
        return Err(FenceError::TooManyVertices { count });
    }
    for (index, &vertex) in vertices.iter().enumerate() {
        check_point(vertex, format!("第 {} 个顶点", index + 1))?;
        if vertex == vertices[(index + count - 1) % count] {
            return Err(FenceError::RepeatedVertex { index: index + 1 });
        }
    }
    let extent_m = vertices
        .iter()
        .enumerate()
        .flat_map(|(i, &a)| vertices[i + 1..].iter().map(move |&b| distance_m(a, b)))
        .fold(0.0, f64::max);
    if extent_m > MAX_POLYGON_EXTENT_M {
        return Err(FenceError::TooLarge { extent_m });
    }
    let points: Vec<Xy> = vertices.iter().map(|&v| plane(v)).collect();
    if let Some((first, second)) = first_self_intersection(&points) {
        return Err(FenceError::SelfIntersecting { first, second });
    }
    let area_m2 = area_m2(&points);
    if area_m2 < MIN_POLYGON_AREA_M2 {
        return Err(FenceError::TooSmall { area_m2 });
    }
    Ok(())
}

/// The first pair of edges (numbered from 1, edge i running from vertex i to vertex i + 1)
/// that meet anywhere other than at the vertex two neighbouring edges share.
fn first_self_intersection(points: &[Xy]) -> Option<(usize, usize)> {
    let count = points.len();
    let edge = |i: usize| (points[i], points[(i + 1) % count]);
    for i in 0..count {
        for j in i + 1..count {
            let ((a, b), (c, d)) = (edge(i), edge(j));
            let meet = if j == i + 1 {
                // Neighbours share b == c: they may only meet there, so the path must not
                // turn straight back along itself.
                doubles_back(a, b, d)
            } else if i == 0 && j == count - 1 {
                // The closing edge and the first edge share a == d.
                doubles_back(c, a, b)
            } else {
                segments_meet(a, b, c, d)
            };
            if meet {
                return Some((i + 1, j + 1));
            }
        }
    }
    None
}

/// Whether the path `a` → `b` → `c` turns back onto itself at `b` (a 180° turn).
fn doubles_back(a: Xy, b: Xy, c: Xy) -> bool {
    let (ux, uy) = (a.x - b.x, a.y - b.y);
    let (vx, vy) = (c.x - b.x, c.y - b.y);
    ux * vy - uy * vx == 0.0 && ux * vx + uy * vy > 0.0
}

/// The area of a simple polygon in square metres (shoelace formula, local projection).
fn area_m2(points: &[Xy]) -> f64 {
    let Some(&origin) = points.first() else {
        return 0.0;
    };
    let scale = LocalScale::at(origin.y);
    let twice_area: f64 = polygon_edges(points)
        .map(|(a, b)| {
            let (ax, ay) = scale.metres(origin, a);
            let (bx, by) = scale.metres(origin, b);
            ax * by - bx * ay
        })
        .sum();
    twice_area.abs() / 2.0
}
