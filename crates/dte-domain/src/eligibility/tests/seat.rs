//! The seat rules: the class takes enrolments and has room, one seat per person, no two
//! classes at once, the graduating academic year, the minimum age (SPEC step 3).

use super::*;

/// SPEC step 2 (class states) and 3: enrolment is open from draft until the class is running;
/// a finished or closed class takes nobody.
#[test]
fn only_classes_that_accept_enrolment_take_trainees() {
    for status in ClassStatus::ALL {
        let offer = ClassOffer { status, ..class() };
        let assessment = assess(&candidate(), &offer, &[], &context());
        if status.accepts_enrolment() {
            assert!(assessment.may_enrol(), "{status:?}");
        } else {
            assert_eq!(seat_codes(&assessment), ["enrolment_closed"], "{status:?}");
            assert!(assessment.seat[0].message().contains(status.label()));
        }
    }
}

/// SPEC step 3: a class whose last day has passed takes nobody, even before it is marked
/// finished.
#[test]
fn a_class_past_its_last_day_takes_nobody() {
    let mut context = context();
    context.today = date(2026, 7, 1);
    let assessment = assess(&candidate(), &class(), &[], &context);
    assert_eq!(seat_codes(&assessment), ["class_ended"]);
    assert!(assessment.seat[0].message().contains("2026-06-30"));
    context.today = date(2026, 6, 30);
    assert!(assess(&candidate(), &class(), &[], &context).may_enrol());
}

/// SPEC step 2: a class has a capacity.
#[test]
fn a_full_class_takes_nobody_more() {
    let full = ClassOffer {
        seats_taken: 50,
        ..class()
    };
    let assessment = assess(&candidate(), &full, &[], &context());
    assert_eq!(seat_codes(&assessment), ["class_full"]);
    assert!(assessment.seat[0].message().contains("50"));
}

/// SPEC step 3 (实名制): one person, one seat in a class; a withdrawn enrolment frees it.
#[test]
fn a_person_cannot_enrol_twice_in_the_same_class() {
    let here = enrolment(7, "2-02-10-09", Level::Intermediate, date(2026, 6, 1));
    let assessment = assess(
        &candidate(),
        &class(),
        std::slice::from_ref(&here),
        &context(),
    );
    assert_eq!(seat_codes(&assessment), ["already_enrolled"]);
    assert!(
        assessment.subsidy.is_empty(),
        "their own seat is not a prior subsidy"
    );
    let withdrawn = PriorEnrolment {
        active: false,
        ..here
    };
    assert!(assess(&candidate(), &class(), &[withdrawn], &context()).subsidised());
}

/// SPEC step 3: no overlapping enrolment in another class (and step 10's risk flag "a person
/// in overlapping classes"). Dates are inclusive: ending on the day the other starts overlaps.
#[test]
fn a_person_cannot_be_in_two_classes_at_the_same_time() {
    let market = |start: NaiveDate, end: NaiveDate| PriorEnrolment {
        end_date: end,
        subsidised: false,
        ..enrolment(3, "2-02-10-11", Level::Junior, start)
    };
    let cases = [
        (date(2026, 5, 10), date(2026, 5, 31), false),
        (date(2026, 5, 10), date(2026, 6, 1), true),
        (date(2026, 6, 10), date(2026, 6, 12), true),
        (date(2026, 6, 30), date(2026, 7, 20), true),
        (date(2026, 7, 1), date(2026, 7, 20), false),
    ];
    for (start, end, overlaps) in cases {
        let assessment = assess(&candidate(), &class(), &[market(start, end)], &context());
        if overlaps {
            assert_eq!(
                seat_codes(&assessment),
                ["overlapping_class"],
                "{start}–{end}"
            );
            let message = assessment.seat[0].message();
            assert!(message.contains(&start.to_string()) && message.contains("班期 3"));
        } else {
            assert!(assessment.may_enrol(), "{start}–{end}");
        }
    }
    let withdrawn = PriorEnrolment {
        active: false,
        ..market(date(2026, 6, 10), date(2026, 6, 12))
    };
    assert!(assess(&candidate(), &class(), &[withdrawn], &context()).may_enrol());
}

/// The plan's 三、培育对象 (普通高校全日制毕业学年学生) and SPEC step 3: a graduating student
/// states the graduation year.
#[test]
fn a_graduating_student_must_give_the_graduation_year() {
    let student = Candidate {
        category: TraineeCategory::GraduatingStudent,
        ..candidate()
    };
    let assessment = assess(&student, &class(), &[], &context());
    assert_eq!(seat_codes(&assessment), ["missing_graduation_year"]);
}

/// The plan's 三、培育对象: 毕业学年学生 — the class starts in the graduating academic year,
/// 1 September of the year before graduation to 31 August of the graduation year.
#[test]
fn a_graduating_students_class_starts_in_the_graduating_academic_year() {
    let student = Candidate {
        category: TraineeCategory::GraduatingStudent,
        graduation_year: Some(2027),
        ..candidate()
    };
    let cases = [
        (date(2026, 8, 31), false),
        (date(2026, 9, 1), true),
        (date(2027, 8, 31), true),
        (date(2027, 9, 1), false),
    ];
    for (start, accepted) in cases {
        let offer = ClassOffer {
            start_date: start,
            end_date: start + chrono::Days::new(20),
            ..class()
        };
        let mut context = context();
        context.today = date(2026, 1, 1);
        let assessment = assess(&student, &offer, &[], &context);
        if accepted {
            assert!(assessment.may_enrol(), "{start}");
        } else {
            assert_eq!(seat_codes(&assessment), ["graduation_window"], "{start}");
            let message = assessment.seat[0].message();
            assert!(message.contains("2026-09-01 至 2027-08-31"), "{message}");
        }
    }
    assert_eq!(
        graduating_academic_year(2027),
        Some((date(2026, 9, 1), date(2027, 8, 31)))
    );
    assert_eq!(graduating_academic_year(i32::MIN), None);
}

/// Only graduating students are held to the academic year.
#[test]
fn the_graduation_year_of_others_is_ignored() {
    let worker = Candidate {
        category: TraineeCategory::InPost,
        graduation_year: Some(1990),
        ..candidate()
    };
    assert!(assess(&worker, &class(), &[], &context()).may_enrol());
}

/// The plan's 三、培育对象 trains 从业人员, people of working age; 《劳动法》第十五条 sets it at 16.
/// The birth date comes from the resident ID (GB 11643), the age is taken on the first day.
#[test]
fn a_person_under_sixteen_on_the_first_day_is_refused() {
    for (birth, age, accepted) in [
        ("20100601", 16, true),
        ("20100602", 15, false),
        ("20120101", 14, false),
    ] {
        let young = Candidate {
            resident_id: id_born(birth),
            ..candidate()
        };
        let assessment = assess(&young, &class(), &[], &context());
        if accepted {
            assert!(assessment.may_enrol(), "{birth}");
        } else {
            assert_eq!(seat_codes(&assessment), ["age"], "{birth}");
            let message = assessment.seat[0].message();
            assert!(message.contains(&format!("年满 {age} 周岁")) && message.contains("16"));
        }
    }
}

/// The plan's 三、培育对象 sets no upper age, so an old birth date (GB 11643's own example,
/// born 1880) is no reason against a seat: the age rule refuses only those under 16.
#[test]
fn the_plan_sets_no_upper_age_so_an_old_birth_date_is_no_reason() {
    let old = Candidate {
        resident_id: ResidentId::parse("440524188001010014", date(2026, 5, 1)).unwrap(),
        ..candidate()
    };
    let assessment = assess(&old, &class(), &[], &context());
    assert!(assessment.may_enrol(), "{:?}", seat_codes(&assessment));
}

#[test]
fn age_counts_whole_years_and_leap_day_birthdays_fall_on_the_first_of_march() {
    assert_eq!(age_on(date(2008, 2, 29), date(2024, 2, 29)), 16);
    assert_eq!(age_on(date(2008, 2, 29), date(2025, 2, 28)), 16);
    assert_eq!(age_on(date(2010, 2, 28), date(2026, 2, 27)), 15);
    assert_eq!(age_on(date(2026, 1, 1), date(2025, 1, 1)), 0);
}

/// The plan's 六（一）: 两目录实行动态管理 — a suspended or removed institution enrols no one,
/// and enrols again once the suspension is lifted.
#[test]
fn a_suspended_institution_enrols_no_one_until_lifted() {
    let suspended = ClassOffer {
        institution_active: false,
        ..class()
    };
    let assessment = assess(&candidate(), &suspended, &[], &context());
    assert!(!assessment.may_enrol());
    assert_eq!(assessment.seat[0].code(), "institution_inactive");
    let lifted = ClassOffer {
        institution_active: true,
        ..class()
    };
    assert!(assess(&candidate(), &lifted, &[], &context()).may_enrol());
}
