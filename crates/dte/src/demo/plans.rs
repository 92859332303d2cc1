//! The demo's year of classes as data: which institution opens which class where, how it is
//! funded and how far it has come by today, and the dated steps that take it there. Dates are
//! counted from today, so a demo made on any day shows finished classes behind it, running
//! ones around it and a review queue ahead of it.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use dte_domain::Percent;
use dte_domain::class_rules::online_hours_limit;
use dte_domain::{Delivery, Funding, Level, SessionPlan};

/// How far a class has come by today.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// Trained, finished and closed earlier in the year.
    Closed,
    /// Trained and finished; completion is still being recorded.
    Finished,
    /// Its sessions are under way today.
    Running,
    /// Approved by the city, starting in a few weeks.
    Approved,
    /// Waiting in the city's review queue.
    Submitted,
    /// Rejected by the city with this reason.
    Rejected(&'static str),
    /// Still being planned by the institution.
    Draft,
}

/// One class of the demo.
#[derive(Debug, Clone, Copy)]
pub struct ClassSpec {
    pub region: &'static str,
    /// A venue of `places::VENUES`.
    pub venue: &'static str,
    /// A training institution listed for the occupation (附件1).
    pub institution: &'static str,
    pub occupation: &'static str,
    pub level: Level,
    pub funding: Funding,
    pub fate: Fate,
    /// Days from today to the first session (moved to a weekday).
    pub start_in_days: i64,
    pub capacity: u32,
    /// Trainees on the roster (none for drafts and rejected classes).
    pub trainees: usize,
    /// The electronic fence's radius around the venue.
    pub radius_m: f64,
    /// Whether some sessions are online (always within the 50 % cap).
    pub blended: bool,
}

/// A step of a class's life, in the order they happen to one class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Step {
    Create,
    Enrol,
    Submit,
    Decide,
    Start,
    Finish,
    Close,
}

/// When a step happens: a day and a time of day in Liaoning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct When {
    pub date: NaiveDate,
    pub time: NaiveTime,
}

const AI: &str = "2-02-10-09";
const BIG_DATA: &str = "2-02-10-11";
const BLOCKCHAIN: &str = "2-02-10-15";
const CHIPS: &str = "2-02-09-06";
const INDUSTRIAL_INTERNET: &str = "2-02-10-13";
const IOT: &str = "2-02-10-10";
const MANUFACTURING: &str = "2-02-07-13";
const VR: &str = "2-02-10-14";

use Fate::{Approved, Closed, Draft, Finished, Rejected, Running, Submitted};
use Funding::{Market, Subsidised};
use Level::{Intermediate, Junior, Senior};

/// The demo's classes: every region has at least one; 沈阳 and 大连 have classes waiting for
/// review.
#[rustfmt::skip]
pub const CLASSES: &[ClassSpec] = &[
    class("沈阳", "东北大学南湖校区", "东北大学", BLOCKCHAIN, Junior, Subsidised, Closed, -230, 40, 22, 300.0, true),
    class("沈阳", "沈阳工程学院", "沈阳工程学院", AI, Intermediate, Subsidised, Running, -6, 40, 24, 400.0, true),
    class("沈阳", "沈阳工程学院", "沈阳化工大学", MANUFACTURING, Junior, Market, Submitted, 24, 30, 12, 300.0, false),
    class("沈阳", "沈阳工程学院", "沈阳工程学院", VR, Junior, Subsidised, Submitted, 30, 30, 10, 250.0, true),
    class("沈阳", "东北大学南湖校区", "东北大学", BLOCKCHAIN, Senior, Market, Finished, -100, 25, 11, 300.0, false),
    class("大连", "大连理工大学", "大连理工大学", CHIPS, Intermediate, Subsidised, Finished, -95, 40, 25, 500.0, true),
    class("大连", "大连东软信息学院", "大连东软信息学院", BIG_DATA, Junior, Subsidised, Running, -8, 45, 25, 300.0, true),
    class("大连", "东北财经大学", "东北财经大学", AI, Junior, Market, Approved, 21, 30, 15, 300.0, false),
    class("大连", "大连理工大学", "大连理工大学", INDUSTRIAL_INTERNET, Senior, Subsidised, Submitted, 28, 30, 10, 400.0, true),
    class("大连", "大连东软信息学院", "大连东软信息学院", IOT, Intermediate, Subsidised, Draft, 50, 40, 0, 300.0, true),
    class("大连", "大连理工大学", "大连理工大学", VR, Senior, Market, Closed, -150, 25, 18, 500.0, false),
    class("鞍山", "辽宁科技大学", "辽宁科技大学", MANUFACTURING, Intermediate, Subsidised, Closed, -200, 40, 20, 400.0, true),
    class("鞍山", "辽宁科技大学", "鞍山职业技术学院", BIG_DATA, Junior, Market, Running, -5, 30, 14, 300.0, false),
    class("抚顺", "辽宁石油化工大学", "沈阳化工大学", MANUFACTURING, Junior, Subsidised, Finished, -80, 30, 16, 300.0, true),
    class("本溪", "本溪市人民政府", "本溪开放大学", INDUSTRIAL_INTERNET, Junior, Subsidised, Running, -4, 40, 20, 250.0, true),
    class("本溪", "本溪市人民政府", "本溪开放大学", INDUSTRIAL_INTERNET, Intermediate, Market, Approved, 25, 30, 9, 250.0, false),
    class("丹东", "辽东学院", "大连东软信息学院", VR, Junior, Subsidised, Approved, 22, 30, 12, 300.0, true),
    class("锦州", "渤海大学", "辽宁工程技术大学", AI, Junior, Subsidised, Closed, -180, 30, 18, 350.0, true),
    class("锦州", "渤海大学", "沈阳工程学院", BIG_DATA, Junior, Market,
          Rejected("培训场地租用协议未随申请提交，且课表未注明实训机房，请补充后重新提交"), 35, 30, 0, 300.0, false),
    class("营口", "营口市人民政府", "营口职业技术学院", BIG_DATA, Intermediate, Subsidised, Running, -7, 40, 20, 300.0, true),
    class("阜新", "辽宁工程技术大学", "辽宁工程技术大学", MANUFACTURING, Junior, Subsidised, Finished, -70, 35, 21, 500.0, true),
    class("阜新", "辽宁工程技术大学", "辽宁工程技术大学", AI, Intermediate, Market, Approved, 26, 30, 10, 500.0, false),
    class("辽阳", "辽阳市人民政府", "辽宁建筑职业学院", MANUFACTURING, Junior, Subsidised, Closed, -160, 30, 16, 300.0, true),
    class("辽阳", "辽阳市人民政府", "辽宁建筑职业学院", MANUFACTURING, Intermediate, Market, Running, -3, 30, 12, 300.0, false),
    class("铁岭", "铁岭市人民政府", "沈阳工程学院", AI, Junior, Subsidised, Running, -5, 30, 15, 300.0, true),
    class("朝阳", "朝阳市人民政府", "辽宁工程技术大学", AI, Junior, Subsidised, Finished, -60, 30, 14, 300.0, true),
    class("盘锦", "大连理工大学盘锦校区", "大连理工大学", IOT, Junior, Subsidised, Running, -6, 30, 16, 400.0, true),
    class("葫芦岛", "辽宁工程技术大学葫芦岛校区", "辽宁工程技术大学", AI, Junior, Subsidised, Approved, 20, 30, 12, 300.0, true),
    class("沈抚示范区", "沈抚改革创新示范区管委会", "东北大学", BLOCKCHAIN, Intermediate, Subsidised, Running, -4, 30, 15, 300.0, true),
];

#[allow(clippy::too_many_arguments)] // A table row: each argument is a column.
const fn class(
    region: &'static str,
    venue: &'static str,
    institution: &'static str,
    occupation: &'static str,
    level: Level,
    funding: Funding,
    fate: Fate,
    start_in_days: i64,
    capacity: u32,
    trainees: usize,
    radius_m: f64,
    blended: bool,
) -> ClassSpec {
    ClassSpec {
        region,
        venue,
        institution,
        occupation,
        level,
        funding,
        fate,
        start_in_days,
        capacity,
        trainees,
        radius_m,
        blended,
    }
}

/// Hours of a full training day (08:30–17:30 with breaks).
const DAY_HOURS: u32 = 8;

/// Teachers of the timetables (invented).
const TEACHERS: &[&str] = &[
    "张教授",
    "李老师",
    "王工程师",
    "刘副教授",
    "陈老师",
    "赵高级工程师",
    "孙老师",
    "周讲师",
];

/// The class's first day: `start_in_days` from today, moved off a weekend — back to Friday
/// for a class that has begun (so it has), forward to Monday for one still to come.
pub fn start_date(spec: &ClassSpec, today: NaiveDate) -> Option<NaiveDate> {
    let mut date = today.checked_add_signed(chrono::Duration::days(spec.start_in_days))?;
    while matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
        date = if spec.start_in_days < 0 {
            date.pred_opt()?
        } else {
            date.succ_opt()?
        };
    }
    Some(date)
}

/// A timetable of weekday sessions from `start` adding up to exactly `required_hours`, with
/// every third day online when `blended` as long as the online hours stay within
/// `class_rules::online_hours_limit` of the total at the policy's `online_share`.
pub fn timetable(
    start: NaiveDate,
    required_hours: u32,
    blended: bool,
    online_share: Percent,
) -> Vec<SessionPlan> {
    let online_limit = online_hours_limit(required_hours, online_share);
    let mut sessions = Vec::new();
    let mut date = start;
    let mut planned = 0;
    let mut online = 0;
    while planned < required_hours {
        if !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            let hours = DAY_HOURS.min(required_hours - planned);
            let delivery = if blended && sessions.len() % 3 == 2 && online + hours <= online_limit {
                online += hours;
                Delivery::Online
            } else {
                Delivery::Offline
            };
            let (start_time, end_time) = if hours > 4 {
                (time(8, 30), time(17, 30))
            } else {
                (time(8, 30), time(12, 0))
            };
            sessions.push(SessionPlan {
                date,
                start: start_time,
                end: end_time,
                delivery,
                hours,
                teacher: TEACHERS[sessions.len() % TEACHERS.len()].to_owned(),
            });
            planned += hours;
        }
        match date.succ_opt() {
            Some(next) => date = next,
            None => break,
        }
    }
    sessions
}

/// The dated steps that bring a class from nothing to its fate, given its first and last day.
/// Classes already begun were planned a month ahead (submitted 28 days before the start, well
/// within the lead time); classes still to come were planned in the last weeks.
pub fn steps(fate: Fate, start: NaiveDate, end: NaiveDate, today: NaiveDate) -> Vec<(When, Step)> {
    let day = |from: NaiveDate, offset: i64| from + chrono::Duration::days(offset);
    let at = |date: NaiveDate, hour: u32| When {
        date,
        time: time(hour, 0),
    };
    let mut steps = Vec::new();
    match fate {
        Closed | Finished | Running => {
            steps.push((at(day(start, -32), 9), Step::Create));
            steps.push((at(day(start, -28), 10), Step::Submit));
            steps.push((at(day(start, -24), 15), Step::Decide));
            steps.push((at(day(start, -10), 11), Step::Enrol));
            steps.push((at(start, 8), Step::Start));
            if fate != Running {
                steps.push((at(end, 18), Step::Finish));
            }
            if fate == Closed {
                steps.push((at(day(end, 21), 10), Step::Close));
            }
        }
        Approved => {
            steps.push((at(day(today, -20), 9), Step::Create));
            steps.push((at(day(today, -16), 10), Step::Submit));
            steps.push((at(day(today, -12), 15), Step::Decide));
            steps.push((at(day(today, -6), 11), Step::Enrol));
        }
        Submitted => {
            steps.push((at(day(today, -9), 9), Step::Create));
            steps.push((at(day(today, -7), 11), Step::Enrol));
            steps.push((at(day(today, -4), 10), Step::Submit));
        }
        Rejected(_) => {
            steps.push((at(day(today, -15), 9), Step::Create));
            steps.push((at(day(today, -13), 10), Step::Submit));
            steps.push((at(day(today, -10), 15), Step::Decide));
        }
        Draft => steps.push((at(day(today, -3), 9), Step::Create)),
    }
    steps
}

fn time(hour: u32, minute: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or(NaiveTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use dte_domain::class_rules::timetable_hours;

    fn date(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a date")
    }

    /// The bundled policy's online share (the plan's 四（一）).
    fn half() -> Percent {
        let (year, text) = dte_domain::reference::BUNDLED[0];
        dte_domain::reference::ReferenceData::parse(year, text)
            .expect("the bundled reference data")
            .policy_on(date("2026-06-01"))
            .expect("a policy")
            .online_share_max_percent
    }

    /// 附件5 and the plan's 四（一）: a timetable meets the required hours exactly, at most
    /// half of them online, on weekdays only.
    #[test]
    fn a_timetable_meets_the_hours_with_at_most_half_online() {
        for hours in [60, 64, 80, 90, 100, 120, 128, 160, 192] {
            for blended in [false, true] {
                let sessions = timetable(date("2026-03-02"), hours, blended, half());
                let totals = timetable_hours(&sessions);
                assert_eq!(totals.total, hours);
                assert!(totals.online <= online_hours_limit(hours, half()));
                assert_eq!(blended, totals.online > 0, "{hours} h, blended {blended}");
                assert!(
                    sessions
                        .iter()
                        .all(|session| session.date.weekday().num_days_from_monday() < 5)
                );
            }
        }
    }

    #[test]
    fn a_started_class_begins_on_a_weekday_no_later_than_planned() {
        let today = date("2026-11-30"); // A Monday: two days back is a Saturday.
        let mut spec = CLASSES[0];
        spec.start_in_days = -2;
        assert_eq!(start_date(&spec, today), Some(date("2026-11-27")));
        spec.start_in_days = 5; // Saturday 5 December moves to Monday 7 December.
        assert_eq!(start_date(&spec, today), Some(date("2026-12-07")));
    }

    /// The table holds whatever day the demo runs on: each class has reached its fate by
    /// then, every step lies before today, a submission comes at least the default lead time
    /// (15 days) before the start, the institution is listed for the occupation (附件1), and
    /// each region's subsidised seats fit its quota (附件7).
    #[test]
    fn the_table_holds_on_any_day_of_a_year() {
        let (year, text) = dte_domain::reference::BUNDLED[0];
        let reference =
            dte_domain::reference::ReferenceData::parse(year, text).expect("the bundled data");
        let mut today = date("2026-10-01");
        while today < date("2028-01-01") {
            for spec in CLASSES {
                let occupation = reference
                    .occupations
                    .iter()
                    .find(|occupation| occupation.code.as_str() == spec.occupation)
                    .expect("a listed occupation");
                let hours = match spec.level {
                    Junior => occupation.hours.junior,
                    Intermediate => occupation.hours.intermediate,
                    Senior => occupation.hours.senior,
                };
                let start = start_date(spec, today).expect("a start");
                let sessions = timetable(start, hours, spec.blended, half());
                let end = sessions.last().expect("a session").date;
                match spec.fate {
                    Closed | Finished => assert!(end < today, "{spec:?} on {today}"),
                    Running => assert!(start < today && today <= end, "{spec:?} on {today}"),
                    _ => assert!(start > today, "{spec:?} on {today}"),
                }
                let steps = steps(spec.fate, start, end, today);
                assert!(steps.iter().all(|(when, _)| when.date < today));
                let submitted = steps.iter().find(|(_, step)| *step == Step::Submit);
                if let Some((when, _)) = submitted {
                    assert!((start - when.date).num_days() >= 15, "{spec:?} on {today}");
                }
                let listed = reference.training_lists.iter().any(|list| {
                    list.occupation.as_str() == spec.occupation
                        && list
                            .institutions
                            .iter()
                            .any(|name| name == spec.institution)
                });
                assert!(
                    listed,
                    "{} is not listed for {}",
                    spec.institution, spec.occupation
                );
            }
            today = today.succ_opt().expect("a day");
        }
        for region in &reference.regions {
            let seats: u32 = CLASSES
                .iter()
                .filter(|spec| spec.region == region.name && spec.funding == Subsidised)
                .filter(|spec| matches!(spec.fate, Closed | Finished | Running | Approved))
                .map(|spec| spec.capacity)
                .sum();
            assert!(
                seats <= region.quota,
                "{}: {seats} > {}",
                region.name,
                region.quota
            );
        }
    }

    #[test]
    fn every_region_has_a_class_and_the_review_queue_has_shenyang_and_dalian() {
        for region in dte_geo::REGIONS {
            assert!(CLASSES.iter().any(|spec| spec.region == region), "{region}");
        }
        for region in ["沈阳", "大连"] {
            assert!(
                CLASSES
                    .iter()
                    .any(|spec| spec.region == region && spec.fate == Submitted)
            );
        }
    }
}
