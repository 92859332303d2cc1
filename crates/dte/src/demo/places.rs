//! Where the demo's classes meet: one or two real venues in each of the 15 regions — a
//! university or a city government's seat — with an approximate WGS-84 coordinate that
//! `dte_geo::locate` places in the venue's region (checked by the tests below and, for every
//! class, by `class_rules::check_draft` when the demo opens it). Addresses are given to the
//! street where it is well known, otherwise to the district; coordinates to a few hundred
//! metres, which is all a demo needs.

/// A place where classes meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Venue {
    /// The region of DTE the venue lies in.
    pub region: &'static str,
    pub name: &'static str,
    pub address: &'static str,
    pub lat: f64,
    pub lon: f64,
}

/// The venues, in the order of the plan's 附件7.
pub const VENUES: &[Venue] = &[
    venue(
        "沈阳",
        "东北大学南湖校区",
        "沈阳市和平区文化路三巷11号",
        41.7657,
        123.4199,
    ),
    venue(
        "沈阳",
        "沈阳工程学院",
        "沈阳市沈北新区蒲昌路18号",
        41.9318,
        123.4015,
    ),
    venue(
        "大连",
        "大连理工大学",
        "大连市甘井子区凌工路2号",
        38.8809,
        121.5275,
    ),
    venue(
        "大连",
        "大连东软信息学院",
        "大连市甘井子区软件园路8号",
        38.8583,
        121.5185,
    ),
    venue(
        "大连",
        "东北财经大学",
        "大连市沙河口区尖山街217号",
        38.8850,
        121.5450,
    ),
    venue(
        "鞍山",
        "辽宁科技大学",
        "鞍山市高新区千山中路185号",
        41.0782,
        123.0512,
    ),
    venue(
        "抚顺",
        "辽宁石油化工大学",
        "抚顺市望花区丹东路西段1号",
        41.8561,
        123.8151,
    ),
    venue("本溪", "本溪市人民政府", "本溪市平山区", 41.2940, 123.7665),
    venue(
        "丹东",
        "辽东学院",
        "丹东市振安区临江后街116号",
        40.1620,
        124.3430,
    ),
    venue(
        "锦州",
        "渤海大学",
        "锦州市松山新区科技路19号",
        41.1028,
        121.0706,
    ),
    venue("营口", "营口市人民政府", "营口市站前区", 40.6659, 122.2354),
    venue(
        "阜新",
        "辽宁工程技术大学",
        "阜新市细河区中华路47号",
        42.0204,
        121.6578,
    ),
    venue("辽阳", "辽阳市人民政府", "辽阳市白塔区", 41.2686, 123.1722),
    venue(
        "铁岭",
        "铁岭市人民政府",
        "铁岭市凡河新区",
        42.2232,
        123.7263,
    ),
    venue("朝阳", "朝阳市人民政府", "朝阳市双塔区", 41.5718, 120.4502),
    venue(
        "盘锦",
        "大连理工大学盘锦校区",
        "盘锦市辽东湾新区大工路2号",
        40.6906,
        122.1144,
    ),
    venue(
        "葫芦岛",
        "辽宁工程技术大学葫芦岛校区",
        "葫芦岛市兴城市龙湾南大街188号",
        40.6650,
        120.8000,
    ),
    venue(
        "沈抚示范区",
        "沈抚改革创新示范区管委会",
        "沈抚改革创新示范区",
        41.8290,
        123.6550,
    ),
];

const fn venue(
    region: &'static str,
    name: &'static str,
    address: &'static str,
    lat: f64,
    lon: f64,
) -> Venue {
    Venue {
        region,
        name,
        address,
        lat,
        lon,
    }
}

/// The venue of this name.
pub fn named(name: &str) -> Option<&'static Venue> {
    VENUES.iter().find(|venue| venue.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dte_geo::{Fence, LatLon, check_fence, locate};

    /// SPEC step 2: a venue lies in its class's region, and so does a fence of the largest
    /// radius the demo draws (500 m) around it.
    #[test]
    fn every_venue_and_its_largest_fence_lie_in_its_region() {
        for venue in VENUES {
            let point = LatLon::new(venue.lat, venue.lon).expect("a coordinate");
            let location = locate(point);
            assert!(
                location.is_in(venue.region),
                "{} is located at {location}, not in {}",
                venue.name,
                venue.region
            );
            let fence = Fence::circle(point, 500.0).expect("a fence");
            assert!(
                check_fence(&fence, venue.region).is_ok(),
                "the fence around {} leaves {}",
                venue.name,
                venue.region
            );
        }
    }

    #[test]
    fn every_region_has_a_venue() {
        for region in dte_geo::REGIONS {
            assert!(
                VENUES.iter().any(|venue| venue.region == region),
                "{region} has no venue"
            );
        }
    }
}
