//! The embedded dataset: it parses, the cities tile the province, and the drawing outlines
//! are simplified copies of it.

use crate::boundaries::boundaries;
use crate::geometry::{LocalScale, Xy};
use crate::{REGIONS, city_outlines, province_outline};

#[test]
fn the_embedded_province_and_cities_parse_with_their_islands() {
    let data = boundaries();
    assert_eq!(data.province.rings().len(), 132);
    let points: usize = data
        .province
        .rings()
        .iter()
        .map(|ring| ring.points().len())
        .sum();
    assert_eq!(points, 37_027);
    assert_eq!(data.cities.len(), 14);
    let dalian = data.cities.iter().find(|c| c.name == "大连").unwrap();
    assert_eq!(dalian.area.rings().len(), 114);
}

#[test]
fn the_cities_tile_the_province_without_gaps_or_overlaps_worth_a_venue() {
    // Sample a 0.01° grid (about 1 km) over the province: almost every point inside the
    // province lies in exactly one city; the rest sit in slivers along shared borders.
    let data = boundaries();
    let bbox = data.province.bbox();
    let (mut inside, mut in_none, mut in_several) = (0, 0, 0);
    let mut y = bbox.min_y;
    while y < bbox.max_y {
        let mut x = bbox.min_x;
        while x < bbox.max_x {
            let p = Xy { x, y };
            if data.province.contains(p) {
                inside += 1;
                match data.cities.iter().filter(|c| c.area.contains(p)).count() {
                    0 => in_none += 1,
                    1 => {}
                    _ => in_several += 1,
                }
            }
            x += 0.01;
        }
        y += 0.01;
    }
    assert!(inside > 100_000, "{inside}");
    assert_eq!((in_none, in_several), (0, 0), "of {inside} samples");
}

#[test]
fn outlines_are_simplified_for_drawing_and_cover_every_city() {
    let full = province_outline(0.0);
    let simple = province_outline(500.0);
    let count = |rings: &[Vec<crate::LatLon>]| rings.iter().map(Vec::len).sum::<usize>();
    assert_eq!(simple.name, "辽宁");
    assert!(count(&simple.rings) * 10 < count(&full.rings));
    assert!(
        simple.rings.len() < full.rings.len(),
        "small islands vanish"
    );
    assert!(simple.rings.iter().all(|ring| ring.first() == ring.last()));
    let cities = city_outlines(200.0);
    let names: Vec<&str> = cities.iter().map(|o| o.name).collect();
    assert_eq!(names, REGIONS[..14]);
    assert!(cities.iter().all(|o| !o.rings.is_empty()));
}

#[test]
fn outline_points_are_converted_back_to_wgs84() {
    // The province's northernmost point is in 昌图 near 43.49 N in GCJ-02; the WGS-84
    // outline sits a few hundred metres south-west of the raw data.
    let raw_max_lat = boundaries().province.bbox().max_y;
    let outline = province_outline(0.0);
    let max_lat = outline
        .rings
        .iter()
        .flatten()
        .map(|p| p.lat)
        .fold(f64::MIN, f64::max);
    let shift_m = (raw_max_lat - max_lat) * 111_195.0;
    assert!((100.0..600.0).contains(&shift_m), "{shift_m}");
}

#[test]
fn the_indexed_searches_agree_with_a_full_scan_of_every_edge() {
    // The slab index and the nearest-box-first distance search are shortcuts: on points
    // spread over the province's box they must give what a plain scan of all edges gives.
    let province = &boundaries().province;
    let bbox = *province.bbox();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut unit = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..150 {
        let p = Xy {
            x: bbox.min_x - 0.5 + (bbox.max_x - bbox.min_x + 1.0) * unit(),
            y: bbox.min_y - 0.5 + (bbox.max_y - bbox.min_y + 1.0) * unit(),
        };
        let scale = LocalScale::at(p.y);
        let (mut inside, mut nearest) = (false, f64::INFINITY);
        for ring in province.rings() {
            for edge in ring.points().windows(2) {
                let (a, b) = (edge[0], edge[1]);
                if (a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x
                {
                    inside = !inside;
                }
                nearest = nearest.min(scale.distance_to_segment(p, a, b));
            }
        }
        assert_eq!(province.contains(p), inside, "{p:?}");
        let found = province.distance_to_boundary(p, f64::INFINITY);
        assert!(
            (found - nearest).abs() < 1e-6,
            "{p:?}: {found} vs {nearest}"
        );
    }
}
