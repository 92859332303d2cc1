//! Simplified outlines of the province and its cities for drawing maps. They are for
//! pictures only: every decision in this crate uses the full-precision boundaries.

use crate::area::Area;
use crate::boundaries::boundaries;
use crate::coord::LatLon;
use crate::gcj02::gcj02_to_wgs84;
use crate::geometry::{LocalScale, Xy};

/// The outline of one area as closed rings of WGS-84 points (each ring's last point
/// repeats its first). Islands are separate rings; those smaller than the tolerance vanish.
#[derive(Debug, Clone, PartialEq)]
pub struct Outline {
    /// "辽宁" for the province, otherwise the city's region name, such as "大连".
    pub name: &'static str,
    pub rings: Vec<Vec<LatLon>>,
}

/// The province's outline, simplified so that no point moves more than `tolerance_m`
/// metres (Douglas–Peucker); a tolerance of 0 keeps every corner.
pub fn province_outline(tolerance_m: f64) -> Outline {
    Outline {
        name: "辽宁",
        rings: simplify_area(&boundaries().province, tolerance_m),
    }
}

/// The 14 cities' outlines in the order of [`crate::REGIONS`], simplified like
/// [`province_outline`]. 沈抚示范区 has no outline of its own.
pub fn city_outlines(tolerance_m: f64) -> Vec<Outline> {
    let data = boundaries();
    crate::REGIONS
        .iter()
        .filter_map(|region| data.cities.iter().find(|city| city.name == *region))
        .map(|city| Outline {
            name: city.name,
            rings: simplify_area(&city.area, tolerance_m),
        })
        .collect()
}

fn simplify_area(area: &Area, tolerance_m: f64) -> Vec<Vec<LatLon>> {
    let bbox = area.bbox();
    let scale = LocalScale::at((bbox.min_y + bbox.max_y) / 2.0);
    area.rings()
        .iter()
        .map(|ring| simplify_ring(ring.points(), &scale, tolerance_m.max(0.0)))
        .filter(|ring| ring.len() >= 4)
        .map(|ring| {
            ring.into_iter()
                .map(|p| {
                    let (lat, lon) = gcj02_to_wgs84(p.y, p.x);
                    LatLon { lat, lon }
                })
                .collect()
        })
        .collect()
}

/// Douglas–Peucker on a closed ring, with an explicit stack so long coastlines cannot
/// overflow the call stack. The ring is split at its first point and at the point farthest
/// from it, so both halves have distinct ends.
fn simplify_ring(points: &[Xy], scale: &LocalScale, tolerance_m: f64) -> Vec<Xy> {
    let last = points.len() - 1;
    let far = (1..last)
        .max_by(|&i, &j| {
            scale
                .distance(points[0], points[i])
                .total_cmp(&scale.distance(points[0], points[j]))
        })
        .unwrap_or(0);
    let mut keep = vec![false; points.len()];
    keep[0] = true;
    keep[far] = true;
    keep[last] = true;
    let mut stack = vec![(0, far), (far, last)];
    while let Some((start, end)) = stack.pop() {
        if end <= start + 1 {
            continue;
        }
        let (a, b) = (points[start], points[end]);
        let (index, distance) = (start + 1..end)
            .map(|i| (i, scale.distance_to_segment(points[i], a, b)))
            .fold((start, 0.0), |best, candidate| {
                if candidate.1 > best.1 {
                    candidate
                } else {
                    best
                }
            });
        if distance > tolerance_m {
            keep[index] = true;
            stack.push((start, index));
            stack.push((index, end));
        }
    }
    points
        .iter()
        .zip(keep)
        .filter_map(|(&p, kept)| kept.then_some(p))
        .collect()
}
