//! The one Chinese sentence of each piece of evidence: numbers, times (China time) and masked
//! names, so a supervisor can follow a flag up without opening the records.

use super::evidence::travel_speed_kmh;
use super::{CheckInRef, Evidence, PersonRef, SessionRef};
use crate::attendance::shanghai_local;
use chrono::{DateTime, Utc};
use dte_geo::{LatLon, describe_distance};
use std::collections::BTreeSet;

/// How many names a summary lists before "等".
const NAMES_SHOWN: usize = 5;

impl Evidence {
    /// One Chinese sentence saying what was found, with the numbers, times (China time) and
    /// masked names a supervisor needs to follow it up.
    pub fn summary(&self) -> String {
        match self {
            Evidence::SharedDevice {
                device_id,
                day,
                check_ins,
            } => {
                let persons = distinct_persons(check_ins);
                format!(
                    "设备 {device_id} 在 {day} 为 {} 名学员签到（{}），共 {} 条记录",
                    persons.len(),
                    names(&persons),
                    check_ins.len()
                )
            }
            Evidence::IdenticalCoordinates {
                position,
                check_ins,
            } => {
                let persons = distinct_persons(check_ins);
                format!(
                    "{} 名学员的 {} 条签到记录坐标完全相同（{}）：{}；真实定位每次都有偏差，疑为虚拟定位",
                    persons.len(),
                    check_ins.len(),
                    coordinates(*position),
                    names(&persons)
                )
            }
            Evidence::RepeatedCoordinates {
                person,
                position,
                check_ins,
            } => {
                let sessions: BTreeSet<i64> = check_ins.iter().map(|c| c.session_id).collect();
                format!(
                    "学员 {person} 在 {} 个课次的签到坐标完全相同（{}）；手机定位每次都有偏差，疑为虚拟定位",
                    sessions.len(),
                    coordinates(*position)
                )
            }
            Evidence::ImpossibleTravel {
                from,
                to,
                distance_m,
                seconds,
            } => {
                let speed = match travel_speed_kmh(*distance_m, *seconds) {
                    Some(speed) => format!("需时速约 {speed:.0} 公里"),
                    None => "两处同时出现".to_owned(),
                };
                format!(
                    "学员 {} {} 在班期 {} {}，{} 在班期 {} {}，直线相距{}（已扣除定位精度），{speed}，不可能到达",
                    from.person,
                    minute(from.at),
                    from.class_id,
                    from.kind.label(),
                    minute(to.at),
                    to.class_id,
                    to.kind.label(),
                    describe_distance(*distance_m)
                )
            }
            Evidence::OverlappingSessions {
                person,
                other_class_id,
                overlaps,
                check_ins,
            } => {
                let example = overlaps.first().map_or_else(String::new, |first| {
                    format!(
                        "，如 {} 与 {}，重叠 {} 分钟",
                        span(&first.this),
                        span(&first.other),
                        first.minutes
                    )
                });
                let attended = if check_ins.is_empty() {
                    String::new()
                } else {
                    format!("；其间有 {} 条签到记录", check_ins.len())
                };
                format!(
                    "学员 {person} 与班期 {other_class_id} 有 {} 处课次时间重叠{example}{attended}；同一时间只能在一处参训",
                    overlaps.len()
                )
            }
            Evidence::OutsideFence { breaches } => {
                let counted = breaches.iter().filter(|b| b.accepted).count();
                let corrected = breaches
                    .iter()
                    .filter(|b| b.accepted && b.corrected)
                    .count();
                let farthest = breaches.iter().map(|b| b.beyond_m).fold(0.0, f64::max);
                format!(
                    "{} 条签到记录在电子围栏外（已扣除定位精度）：计入考勤 {counted} 条（其中机构更正 {corrected} 条）、被拒 {} 条，最远超出{}",
                    breaches.len(),
                    breaches.len() - counted,
                    describe_distance(farthest)
                )
            }
            Evidence::ManyCorrections {
                corrections,
                counted_check_ins,
            } => {
                if *counted_check_ins == 0 {
                    format!(
                        "本班没有计入考勤的签到记录，机构却更正考勤 {} 次",
                        corrections.len()
                    )
                } else {
                    let percent = corrections.len() as f64 * 100.0 / *counted_check_ins as f64;
                    format!(
                        "机构更正考勤 {} 次，相当于本班 {counted_check_ins} 条计入考勤的签到记录的 {percent:.1}%",
                        corrections.len()
                    )
                }
            }
            Evidence::MissingRecording { session } => format!(
                "{} 的{}课次（{} 学时）已结束，未登记全程录像",
                span(session),
                session.delivery.label(),
                session.hours
            ),
            Evidence::HoursBeyondAttendance {
                person,
                claimed_hours,
                attended_hours,
            } => format!(
                "学员 {person} 申报 {} 学时，实际出勤 {} 学时，多报 {} 学时",
                claimed_hours,
                attended_hours,
                claimed_hours.saturating_sub(*attended_hours)
            ),
            Evidence::CodeGuessing {
                person,
                session_id,
                attempts,
            } => match (attempts.first(), attempts.last()) {
                (Some(first), Some(last)) => format!(
                    "学员 {person} 在课次 #{session_id} 输错课堂码 {} 次（{}–{}），疑似猜码签到",
                    attempts.len(),
                    shanghai_local(first.at).format("%Y-%m-%d %H:%M:%S"),
                    shanghai_local(last.at).format("%H:%M:%S"),
                ),
                _ => format!("学员 {person} 在课次 #{session_id} 反复输错课堂码"),
            },
        }
    }
}

/// The distinct persons of some records, by id.
fn distinct_persons(check_ins: &[CheckInRef]) -> Vec<&PersonRef> {
    let mut persons: Vec<&PersonRef> = check_ins.iter().map(|c| &c.person).collect();
    persons.sort_by_key(|person| person.id);
    persons.dedup_by_key(|person| person.id);
    persons
}

/// Up to [`NAMES_SHOWN`] names joined by 、, then 等 when there are more.
fn names(persons: &[&PersonRef]) -> String {
    let shown: Vec<String> = persons
        .iter()
        .take(NAMES_SHOWN)
        .map(ToString::to_string)
        .collect();
    let more = if persons.len() > NAMES_SHOWN {
        "等"
    } else {
        ""
    };
    format!("{}{more}", shown.join("、"))
}

fn coordinates(position: LatLon) -> String {
    format!("{:.6}, {:.6}", position.lat, position.lon)
}

/// A moment to the minute, China time: 2027-01-10 08:30.
fn minute(at: DateTime<Utc>) -> String {
    shanghai_local(at).format("%Y-%m-%d %H:%M").to_string()
}

/// A session's day and times, China time: 2027-01-10 08:30–12:00.
fn span(session: &SessionRef) -> String {
    let end = shanghai_local(session.ends_at);
    if shanghai_local(session.starts_at).date() == end.date() {
        format!("{}–{}", minute(session.starts_at), end.format("%H:%M"))
    } else {
        format!(
            "{} 至 {}",
            minute(session.starts_at),
            minute(session.ends_at)
        )
    }
}
