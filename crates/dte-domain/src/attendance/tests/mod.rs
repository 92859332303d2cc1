//! Tests of the attendance rules, each naming the plan's clause, the SPEC step or the item of
//! issue 5 it comes from: `check_in.rs` (windows, fence, code), `online.rs` (heartbeats and
//! presence confirmations), `ledger.rs` (hours, the online share, completion).
#![allow(clippy::unwrap_used)]

mod check_in;
mod learning;
mod ledger;
mod online;

use super::*;
use crate::class::{Delivery, SessionPlan};
use chrono::{NaiveDate, NaiveTime, TimeDelta, Utc};
use dte_geo::{Fence, LatLon};

/// 中街 (Zhongjie), Shenyang's old shopping street by the Mukden Palace: 41°48′04.8″N
/// 123°27′24.8″E (English Wikipedia, "Middle Street (Shenyang)").
const ZHONGJIE: (f64, f64) = (41.801333, 123.456889);

/// Metres per degree of latitude on dte-geo's sphere (R = 6 371 008.8 m): π R / 180.
const METRES_PER_DEGREE_OF_LATITUDE: f64 = std::f64::consts::PI * 6_371_008.8 / 180.0;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap()
}

/// The instant at which Shenyang's clocks show `hh:mm:ss` on `day`.
fn shanghai(day: NaiveDate, hour: u32, minute: u32, second: u32) -> DateTime<Utc> {
    day.and_hms_opt(hour, minute, second).unwrap().and_utc() - TimeDelta::hours(8)
}

fn venue() -> LatLon {
    LatLon::new(ZHONGJIE.0, ZHONGJIE.1).unwrap()
}

/// The classroom's fence: 100 m around 中街.
fn fence() -> Fence {
    Fence::circle(venue(), 100.0).unwrap()
}

/// A point `metres` north of the fence's edge (negative: inside).
fn outside_by(metres: f64) -> LatLon {
    let from_center = 100.0 + metres;
    LatLon::new(
        ZHONGJIE.0 + from_center / METRES_PER_DEGREE_OF_LATITUDE,
        ZHONGJIE.1,
    )
    .unwrap()
}

fn session(delivery: Delivery, hours: u32) -> SessionPlan {
    SessionPlan {
        date: date(2026, 6, 1),
        start: time(8, 0),
        end: time(11, 0),
        delivery,
        hours,
        teacher: "王老师".to_owned(),
    }
}

/// The offline session of 1 June 2026, 08:00–11:00, 4 学时.
fn offline() -> SessionPlan {
    session(Delivery::Offline, 4)
}
