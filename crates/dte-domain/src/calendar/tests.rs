//! Working days under the 2026 holiday calendar, checked against the worked examples of
//! ../shared/facts/working-days-2026.md and, as properties, over the whole year.

use super::*;
use crate::reference::{BUNDLED, ReferenceData};
use proptest::prelude::*;

fn date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
}

/// The 2026 calendar as the bundled reference data ships it.
fn calendar_2026() -> WorkingCalendar {
    let (year, text) = BUNDLED[0];
    ReferenceData::parse(year, text)
        .unwrap()
        .working_calendar()
        .unwrap()
}

fn day(text: &str, working: bool, name: &str) -> CalendarDay {
    CalendarDay {
        date: date(text),
        working,
        name: name.into(),
    }
}

/// working-days-2026.md, "Worked examples": 5 working days from Thursday 2026-09-24 skip 中秋节
/// and 国庆节 and end 2026-10-08; from Friday 2026-02-13 they count the worked Saturday 02-14,
/// skip 春节 and end 2026-02-26; 2026-10-10 (Saturday) is worked and 2026-10-05 (Monday) is not.
#[test]
fn the_worked_examples_of_the_2026_facts_file_hold() {
    let calendar = calendar_2026();
    assert_eq!(
        calendar.working_days_from(date("2026-09-24"), 5),
        Ok(date("2026-10-08"))
    );
    assert_eq!(
        calendar.working_days_from(date("2026-02-13"), 5),
        Ok(date("2026-02-26"))
    );
    assert!(calendar.is_working_day(date("2026-10-10")));
    assert!(!calendar.is_working_day(date("2026-10-05")));
    let counted: Vec<NaiveDate> = date("2026-09-24")
        .iter_days()
        .take_while(|day| *day <= date("2026-10-08"))
        .filter(|day| calendar.is_working_day(*day))
        .collect();
    let expected = [
        "2026-09-24",
        "2026-09-28",
        "2026-09-29",
        "2026-09-30",
        "2026-10-08",
    ];
    assert_eq!(counted, expected.map(date).to_vec());
    assert_eq!(
        calendar.working_days_between(date("2026-02-13"), date("2026-02-26")),
        Ok(5)
    );
}

/// A period that starts the day after an event (the review time after submission) counts
/// from the next day: submitted Wednesday 2026-09-23, 5 working days end 2026-10-08.
#[test]
fn working_days_after_an_event_start_the_next_day() {
    let calendar = calendar_2026();
    assert_eq!(
        calendar.working_days_after(date("2026-09-23"), 5),
        Ok(date("2026-10-08"))
    );
    assert_eq!(
        calendar.working_days_after(date("2026-09-24"), 1),
        Ok(date("2026-09-28"))
    );
}

#[test]
fn a_start_on_a_day_off_counts_from_the_next_working_day() {
    let calendar = calendar_2026();
    assert_eq!(
        calendar.working_days_from(date("2026-10-01"), 1),
        Ok(date("2026-10-08"))
    );
    assert_eq!(
        calendar.working_days_from(date("2026-10-01"), 2),
        Ok(date("2026-10-09"))
    );
    assert_eq!(
        calendar.working_days_from(date("2026-10-01"), 3),
        Ok(date("2026-10-10"))
    );
}

#[test]
fn a_year_without_a_calendar_counts_monday_to_friday_and_says_so() {
    let calendar = calendar_2026();
    assert!(calendar.covers(2026));
    assert!(!calendar.covers(2027));
    assert_eq!(
        calendar.uncovered_years(date("2026-12-28"), date("2027-01-08")),
        vec![2027]
    );
    // 2027-01-01 is a Friday: without 2027's notice it counts as a working day.
    assert!(calendar.is_working_day(date("2027-01-01")));
    assert_eq!(
        calendar.working_days_from(date("2026-12-31"), 3),
        Ok(date("2027-01-04"))
    );
    let plain = WorkingCalendar::weekdays_only();
    assert!(!plain.covers(2026));
    assert!(plain.is_working_day(date("2026-10-05")));
    assert!(!plain.is_working_day(date("2026-10-10")));
}

#[test]
fn counts_are_bounded_and_refused_beyond_the_bounds() {
    let calendar = calendar_2026();
    let start = date("2026-01-05");
    assert_eq!(
        calendar.working_days_from(start, 0),
        Err(CalendarError::ZeroDays)
    );
    assert_eq!(
        calendar.working_days_from(start, MAX_WORKING_DAYS + 1),
        Err(CalendarError::TooManyDays {
            days: MAX_WORKING_DAYS + 1
        })
    );
    assert!(calendar.working_days_from(start, MAX_WORKING_DAYS).is_ok());
    let far = start + chrono::TimeDelta::days(MAX_SPAN_DAYS);
    assert_eq!(
        calendar.working_days_between(start, far),
        Err(CalendarError::RangeTooLong {
            from: start,
            to: far
        })
    );
    assert_eq!(calendar.working_days_between(far, start), Ok(0));
    assert!(calendar.working_days_from(NaiveDate::MAX, 1).is_err());
}

/// A calendar whose every day is off never finds its working day, and says so instead of
/// looping: the search stops after MAX_SPAN_DAYS.
#[test]
fn a_calendar_without_working_days_is_refused_not_looped() {
    let years = 2026..=2031;
    let days: Vec<CalendarDay> = date("2026-01-01")
        .iter_days()
        .take_while(|day| day.year() <= 2031)
        .map(|day| CalendarDay {
            date: day,
            working: false,
            name: "停工".into(),
        })
        .collect();
    let calendar = WorkingCalendar::new(years, days).unwrap();
    assert_eq!(
        calendar.working_days_from(date("2026-01-01"), 1),
        Err(CalendarError::NotEnoughWorkingDays {
            start: date("2026-01-01")
        })
    );
    assert_eq!(
        calendar.working_days_between(date("2026-01-01"), date("2026-12-31")),
        Ok(0)
    );
}

#[test]
fn a_day_is_checked_naming_its_field() {
    let cases = [
        (
            day("2026-10-12", true, "国庆节调休上班"),
            "working",
            "working_day_on_weekday",
        ),
        (
            day("2026-10-12", false, "  "),
            "name",
            "calendar_name_empty",
        ),
        (
            day("2026-10-12", false, &"节".repeat(MAX_NAME_CHARS + 1)),
            "name",
            "calendar_name_too_long",
        ),
    ];
    for (day, field, code) in cases {
        let error = day.check().unwrap_err();
        assert_eq!((error.field(), error.code()), (field, code), "{error}");
        assert!(error.to_string().contains("2026-10-12"), "{error}");
    }
    assert!(day("2026-10-10", true, "国庆节调休上班").check().is_ok());
    assert!(day("2026-10-03", false, "国庆节").check().is_ok());
    assert_eq!(
        WorkingCalendar::new([2026], [day("2027-01-01", false, "元旦")]),
        Err(CalendarError::OutsideYear {
            date: date("2027-01-01"),
            year: 2027
        })
    );
    assert_eq!(
        WorkingCalendar::new(
            [2026],
            [
                day("2026-01-01", false, "元旦"),
                day("2026-01-01", false, "元旦")
            ]
        ),
        Err(CalendarError::DuplicateDate(date("2026-01-01")))
    );
}

fn day_of_2026() -> impl Strategy<Value = NaiveDate> {
    (0u32..365).prop_map(|offset| date("2026-01-01") + chrono::TimeDelta::days(i64::from(offset)))
}

proptest! {
    /// Over 2026: the n-th working day from a start is a working day, exactly n working days
    /// lie from the start to it, and fewer than n to the day before it.
    #[test]
    fn the_nth_working_day_closes_a_count_of_n(start in day_of_2026(), days in 1u32..=40) {
        let calendar = calendar_2026();
        let end = calendar.working_days_from(start, days).unwrap();
        prop_assert!(end >= start);
        prop_assert!(calendar.is_working_day(end));
        prop_assert_eq!(calendar.working_days_between(start, end), Ok(days));
        let before = end.pred_opt().unwrap();
        prop_assert_eq!(calendar.working_days_between(start, before), Ok(days - 1));
    }

    /// Over 2026: a count splits at any day in between, and a day is a working day exactly
    /// when it is a weekday without a day off or a weekend day with 调休上班.
    #[test]
    fn counts_add_up_and_days_follow_the_notice(start in day_of_2026(), middle in 0i64..60, end in 0i64..60) {
        let calendar = calendar_2026();
        let middle = start + chrono::TimeDelta::days(middle);
        let end = middle + chrono::TimeDelta::days(end);
        let whole = calendar.working_days_between(start, end).unwrap();
        let first = calendar.working_days_between(start, middle).unwrap();
        let rest = calendar.working_days_between(middle.succ_opt().unwrap(), end).unwrap();
        prop_assert_eq!(whole, first + rest);
        let expected = match calendar.day(start) {
            Some(day) => day.working,
            None => !is_weekend(start),
        };
        prop_assert_eq!(calendar.is_working_day(start), expected);
    }
}
