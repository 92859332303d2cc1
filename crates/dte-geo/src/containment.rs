//! Whether a whole fence lies inside Liaoning and inside a class's region: the plan forbids
//! cross-province training (培训机构不得以“合作”“联合”“联盟”等名义开展跨省培训) and SPEC step 2
//! requires every venue's fence to lie inside Liaoning.

use crate::area::Area;
use crate::boundaries::{boundaries, cities_of_region};
use crate::fence::{Fence, FenceError};
use crate::geometry::{BBox, LocalScale, Xy, polygon_contains, polygon_edges};
use crate::locate::to_gcj02;

/// Checks that every point of `fence` (WGS-84) lies inside Liaoning Province and inside
/// `region`, one of [`crate::REGIONS`]; 沈抚示范区 accepts fences in 沈阳, in 抚顺 or across
/// their common border. The fence's own shape is validated first.
pub fn check_fence(fence: &Fence, region: &str) -> Result<(), FenceError> {
    fence.validate()?;
    let region_cities = cities_of_region(region).ok_or_else(|| FenceError::UnknownRegion {
        region: region.to_owned(),
    })?;
    let shape = Shape::of(fence);
    let data = boundaries();
    match relation(&data.province, &shape) {
        Relation::Inside => {}
        Relation::Outside { gap_m } => {
            return Err(FenceError::OutsideProvince { distance_m: gap_m });
        }
        Relation::Partly { overshoot_m } => {
            return Err(FenceError::PartlyOutsideProvince { overshoot_m });
        }
    }
    // The cities tile the province, so a fence inside the province lies inside the region
    // exactly when it meets no city outside the region.
    let mut met: Vec<&str> = data
        .cities
        .iter()
        .filter(|city| meets(&city.area, &shape))
        .map(|city| city.name)
        .collect();
    if met.is_empty() {
        // Only possible in a sliver between two cities' outlines.
        met.push(data.city_at(shape.reference_point()));
    }
    let foreign: Vec<&str> = met
        .iter()
        .copied()
        .filter(|city| !region_cities.contains(city))
        .collect();
    if foreign.is_empty() {
        Ok(())
    } else if foreign.len() == met.len() {
        Err(FenceError::VenueInOtherRegion {
            venue: foreign.join("、"),
            region: region.to_owned(),
        })
    } else {
        Err(FenceError::PartlyInOtherRegion {
            other: foreign.join("、"),
            region: region.to_owned(),
        })
    }
}

/// A fence in the GCJ-02 degree plane of the boundary data.
enum Shape {
    Circle { center: Xy, radius_m: f64 },
    Polygon(Vec<Xy>),
}

/// How a fence lies relative to an area.
enum Relation {
    Inside,
    /// No point in common; `gap_m` is about the distance between them.
    Outside {
        gap_m: f64,
    },
    /// Partly outside; `overshoot_m` is about how far its farthest point is outside.
    Partly {
        overshoot_m: f64,
    },
}

impl Shape {
    fn of(fence: &Fence) -> Shape {
        match fence {
            Fence::Circle { center, radius_m } => Shape::Circle {
                center: to_gcj02(*center),
                radius_m: *radius_m,
            },
            Fence::Polygon(vertices) => {
                Shape::Polygon(vertices.iter().map(|&v| to_gcj02(v)).collect())
            }
        }
    }

    /// A point that stands for the fence when naming where it is.
    fn reference_point(&self) -> Xy {
        match self {
            Shape::Circle { center, .. } => *center,
            Shape::Polygon(vertices) => vertices[0],
        }
    }
}

fn relation(area: &Area, shape: &Shape) -> Relation {
    match shape {
        Shape::Circle { center, radius_m } => {
            // A disc lies inside an area exactly when its centre does and no boundary
            // comes nearer to the centre than the radius.
            // The search is bounded by the radius; only a fence wholly outside needs the
            // full distance, for its message.
            let inside = area.contains(*center);
            let distance = area.distance_to_boundary(*center, *radius_m);
            match (inside, distance >= *radius_m) {
                (true, true) => Relation::Inside,
                (false, true) => Relation::Outside {
                    gap_m: area.distance_to_boundary(*center, f64::INFINITY) - radius_m,
                },
                (true, false) => Relation::Partly {
                    overshoot_m: radius_m - distance,
                },
                (false, false) => Relation::Partly {
                    overshoot_m: distance + radius_m,
                },
            }
        }
        Shape::Polygon(vertices) => {
            let inside: Vec<bool> = vertices.iter().map(|&v| area.contains(v)).collect();
            let boundary_crossed = polygon_edges(vertices).any(|(a, b)| area.meets_segment(a, b))
                || has_ring_within(area, vertices);
            if !boundary_crossed && inside.iter().all(|&b| b) {
                Relation::Inside
            } else if !boundary_crossed && !inside.iter().any(|&b| b) {
                let gap_m = vertices
                    .iter()
                    .map(|&v| area.distance_to_boundary(v, f64::INFINITY))
                    .fold(f64::INFINITY, f64::min);
                Relation::Outside { gap_m }
            } else {
                Relation::Partly {
                    overshoot_m: polygon_overshoot(area, vertices),
                }
            }
        }
    }
}

/// Whether a fence and an area have any point in common.
fn meets(area: &Area, shape: &Shape) -> bool {
    match shape {
        Shape::Circle { center, radius_m } => {
            let (dx, dy) = LocalScale::at(center.y).degrees(*radius_m);
            let reach = BBox {
                min_x: center.x - dx,
                min_y: center.y - dy,
                max_x: center.x + dx,
                max_y: center.y + dy,
            };
            area.bbox().intersects(&reach)
                && (area.contains(*center)
                    || area.distance_to_boundary(*center, *radius_m) < *radius_m)
        }
        Shape::Polygon(vertices) => {
            area.bbox().intersects(&BBox::of(vertices))
                && (vertices.iter().any(|&v| area.contains(v))
                    || polygon_edges(vertices).any(|(a, b)| area.meets_segment(a, b))
                    || has_ring_within(area, vertices))
        }
    }
}

/// Whether a whole ring of the area (an island, or a hole) lies inside the polygon.
fn has_ring_within(area: &Area, vertices: &[Xy]) -> bool {
    let bbox = BBox::of(vertices);
    area.rings()
        .iter()
        .any(|ring| ring.bbox().intersects(&bbox) && polygon_contains(vertices, ring.points()[0]))
}

/// How far the polygon's farthest part lies outside the area, found by walking its edges
/// in steps of at most 20 m (more for very long outlines, at most about 2,000 steps).
fn polygon_overshoot(area: &Area, vertices: &[Xy]) -> f64 {
    let scale = LocalScale::at(vertices[0].y);
    let perimeter_m: f64 = polygon_edges(vertices)
        .map(|(a, b)| scale.distance(a, b))
        .sum();
    let step_m = (perimeter_m / 2_000.0).max(20.0);
    let mut overshoot_m: f64 = 0.0;
    for (a, b) in polygon_edges(vertices) {
        let steps = (scale.distance(a, b) / step_m).ceil().max(1.0) as usize;
        for step in 0..steps {
            let t = step as f64 / steps as f64;
            let p = Xy {
                x: a.x + (b.x - a.x) * t,
                y: a.y + (b.y - a.y) * t,
            };
            if !area.contains(p) {
                overshoot_m = overshoot_m.max(area.distance_to_boundary(p, f64::INFINITY));
            }
        }
    }
    overshoot_m
}
