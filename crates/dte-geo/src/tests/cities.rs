//! Each city's seat lies in that city, and regions (including 沈抚示范区) contain the right
//! points: a class's venue must lie in the class's region.

use super::at;
use super::places::*;
use crate::{Location, REGIONS, locate};

/// The seat of every city of 附件7, in the plan's order.
const SEATS: [(&str, (f64, f64)); 14] = [
    ("沈阳", SHENYANG_SEAT),
    ("大连", DALIAN_SEAT),
    ("鞍山", ANSHAN_SEAT),
    ("抚顺", FUSHUN_SEAT),
    ("本溪", BENXI_SEAT),
    ("丹东", DANDONG_CENTRE),
    ("锦州", JINZHOU_SEAT),
    ("营口", YINGKOU_SEAT),
    ("阜新", FUXIN_SEAT),
    ("辽阳", LIAOYANG_SEAT),
    ("铁岭", TIELING_SEAT),
    ("朝阳", CHAOYANG_SEAT),
    ("盘锦", PANJIN_SEAT),
    ("葫芦岛", HULUDAO_SEAT),
];

#[test]
fn every_city_seat_locates_to_its_own_city() {
    for (city, seat) in SEATS {
        assert_eq!(locate(at(seat)), Location::Inside { city }, "{city}");
    }
}

#[test]
fn the_seats_cover_every_region_but_shenfu_in_the_plans_order() {
    let names: Vec<&str> = SEATS.iter().map(|(name, _)| *name).collect();
    assert_eq!(names, REGIONS[..14]);
    assert_eq!(REGIONS[14], "沈抚示范区");
}

#[test]
fn shenfu_contains_points_in_shenyang_or_fushun_and_not_in_dalian() {
    // 沈抚示范区 has no outline of its own: its area lies in 沈阳 and 抚顺.
    assert!(locate(at(SHENYANG_SEAT)).is_in("沈抚示范区"));
    assert!(locate(at(FUSHUN_SEAT)).is_in("沈抚示范区"));
    assert!(!locate(at(DALIAN_SEAT)).is_in("沈抚示范区"));
}

#[test]
fn a_location_is_in_its_own_city_only_and_never_in_an_unknown_region() {
    let dalian = locate(at(DALIAN_SEAT));
    assert!(dalian.is_in("大连"));
    assert!(!dalian.is_in("沈阳"));
    assert!(!dalian.is_in("大连市"));
    assert!(!locate(at(SHANHAI_PASS)).is_in("葫芦岛"));
}
