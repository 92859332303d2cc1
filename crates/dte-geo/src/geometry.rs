//! Plane geometry on longitude/latitude degrees: points, boxes, segments and the local
//! scale that turns degrees into metres.
//!
//! Containment and crossing tests are exact in the degree plane. Distances use a local
//! equirectangular projection centred on the query point, which is accurate to a fraction
//! of a percent over the tens of kilometres that matter here.

use crate::coord::EARTH_RADIUS_M;

/// A point in the degree plane: `x` is the longitude, `y` the latitude.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Xy {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle in the degree plane.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BBox {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

/// Turns degree differences into metres near one latitude.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalScale {
    metres_per_degree_x: f64,
    metres_per_degree_y: f64,
}

impl BBox {
    /// The bounding box of a non-empty list of points.
    pub fn of(points: &[Xy]) -> BBox {
        let mut bbox = BBox {
            min_x: f64::INFINITY,
            min_y: f64::INFINITY,
            max_x: f64::NEG_INFINITY,
            max_y: f64::NEG_INFINITY,
        };
        for p in points {
            bbox.min_x = bbox.min_x.min(p.x);
            bbox.min_y = bbox.min_y.min(p.y);
            bbox.max_x = bbox.max_x.max(p.x);
            bbox.max_y = bbox.max_y.max(p.y);
        }
        bbox
    }

    pub fn contains(&self, p: Xy) -> bool {
        p.x >= self.min_x && p.x <= self.max_x && p.y >= self.min_y && p.y <= self.max_y
    }

    pub fn intersects(&self, other: &BBox) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }

    pub fn union(&self, other: &BBox) -> BBox {
        BBox {
            min_x: self.min_x.min(other.min_x),
            min_y: self.min_y.min(other.min_y),
            max_x: self.max_x.max(other.max_x),
            max_y: self.max_y.max(other.max_y),
        }
    }
}

impl LocalScale {
    /// The scale of the equirectangular projection at a latitude in degrees.
    pub fn at(lat: f64) -> LocalScale {
        let metres_per_degree = EARTH_RADIUS_M * std::f64::consts::PI / 180.0;
        LocalScale {
            metres_per_degree_x: metres_per_degree * lat.to_radians().cos(),
            metres_per_degree_y: metres_per_degree,
        }
    }

    /// The projected vector from `a` to `b` in metres.
    pub fn metres(&self, a: Xy, b: Xy) -> (f64, f64) {
        (
            (b.x - a.x) * self.metres_per_degree_x,
            (b.y - a.y) * self.metres_per_degree_y,
        )
    }

    /// The distance in metres between two nearby points.
    pub fn distance(&self, a: Xy, b: Xy) -> f64 {
        let (dx, dy) = self.metres(a, b);
        dx.hypot(dy)
    }

    /// The distance in metres from `p` to the segment `a`–`b`.
    pub fn distance_to_segment(&self, p: Xy, a: Xy, b: Xy) -> f64 {
        let (bx, by) = self.metres(a, b);
        let (px, py) = self.metres(a, p);
        let length_squared = bx * bx + by * by;
        let t = if length_squared > 0.0 {
            ((px * bx + py * by) / length_squared).clamp(0.0, 1.0)
        } else {
            0.0
        };
        (px - t * bx).hypot(py - t * by)
    }

    /// The distance in metres from `p` to the nearest point of a rectangle (0 inside it).
    pub fn distance_to_bbox(&self, p: Xy, bbox: &BBox) -> f64 {
        let dx = (bbox.min_x - p.x).max(p.x - bbox.max_x).max(0.0) * self.metres_per_degree_x;
        let dy = (bbox.min_y - p.y).max(p.y - bbox.max_y).max(0.0) * self.metres_per_degree_y;
        dx.hypot(dy)
    }

    /// How many degrees of longitude and latitude make `metres`.
    pub fn degrees(&self, metres: f64) -> (f64, f64) {
        (
            metres / self.metres_per_degree_x,
            metres / self.metres_per_degree_y,
        )
    }
}

/// Whether `p` is inside the simple polygon `vertices` (open: the last vertex is not a
/// repeat of the first).
pub(crate) fn polygon_contains(vertices: &[Xy], p: Xy) -> bool {
    let mut inside = false;
    let mut previous = match vertices.last() {
        Some(&last) => last,
        None => return false,
    };
    for &current in vertices {
        let (a, b) = (previous, current);
        if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
            inside = !inside;
        }
        previous = current;
    }
    inside
}

/// The edges of an open polygon as pairs of vertices, closing edge last.
pub(crate) fn polygon_edges(vertices: &[Xy]) -> impl Iterator<Item = (Xy, Xy)> + '_ {
    vertices
        .iter()
        .zip(vertices.iter().cycle().skip(1))
        .map(|(&a, &b)| (a, b))
}

/// Whether the closed segments `a`–`b` and `c`–`d` have a point in common.
pub(crate) fn segments_meet(a: Xy, b: Xy, c: Xy, d: Xy) -> bool {
    let d1 = orientation(c, d, a);
    let d2 = orientation(c, d, b);
    let d3 = orientation(a, b, c);
    let d4 = orientation(a, b, d);
    if ((d1 > 0.0 && d2 < 0.0) || (d1 < 0.0 && d2 > 0.0))
        && ((d3 > 0.0 && d4 < 0.0) || (d3 < 0.0 && d4 > 0.0))
    {
        return true;
    }
    (d1 == 0.0 && within_box(c, d, a))
        || (d2 == 0.0 && within_box(c, d, b))
        || (d3 == 0.0 && within_box(a, b, c))
        || (d4 == 0.0 && within_box(a, b, d))
}

/// Twice the signed area of the triangle `a`, `b`, `c`: positive when counter-clockwise.
fn orientation(a: Xy, b: Xy, c: Xy) -> f64 {
    (b.x - a.x) * (c.y - a.y) - (b.y - a.y) * (c.x - a.x)
}

/// Whether `p`, known to be collinear with `a`–`b`, lies within that segment's box.
fn within_box(a: Xy, b: Xy, p: Xy) -> bool {
    p.x >= a.x.min(b.x) && p.x <= a.x.max(b.x) && p.y >= a.y.min(b.y) && p.y <= a.y.max(b.y)
}
