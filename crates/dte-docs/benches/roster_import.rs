//! How fast a large roster imports: builds a 10,000-row roster with rust_xlsxwriter, then times
//! `parse_roster` over it (best of five runs) and prints rows per second.
//!
//! Run with `cargo bench -p dte-docs`. Bounded: five parses of one file.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A benchmark: a failed unwrap is a failed run.

use chrono::NaiveDate;
use dte_docs::roster::{RosterColumn, SubsidyChoice, parse_roster};
use dte_domain::resident_id::check_character;
use rust_xlsxwriter::Workbook;
use std::time::{Duration, Instant};

const ROWS: u32 = 10_000;
const RUNS: usize = 5;
const SURNAMES: [&str; 10] = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
const GIVEN_NAMES: [&str; 8] = ["伟", "芳", "娜", "秀英", "敏", "静", "磊", "欣怡"];

fn main() {
    let choices = vec![
        SubsidyChoice {
            code: "employee".into(),
            name: "企业在职职工".into(),
        },
        SubsidyChoice {
            code: "graduate".into(),
            name: "毕业年度高校毕业生".into(),
        },
    ];
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let bytes = roster(ROWS);
    println!(
        "roster_import: {ROWS} rows, {:.1} KiB .xlsx",
        bytes.len() as f64 / 1024.0
    );

    let mut best = Duration::MAX;
    for _ in 0..RUNS {
        let started = Instant::now();
        let rows = parse_roster(&bytes, &choices, today).expect("the roster is valid");
        let elapsed = started.elapsed();
        assert_eq!(rows.len(), ROWS as usize);
        best = best.min(elapsed);
    }
    println!(
        "roster_import: best of {RUNS}: {:.1} ms, {:.0} rows/s",
        best.as_secs_f64() * 1000.0,
        f64::from(ROWS) / best.as_secs_f64()
    );
}

/// A valid roster of `count` made-up trainees: distinct ID numbers with correct check
/// characters, a mix of categories and subsidies.
fn roster(count: u32) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in RosterColumn::ALL.iter().enumerate() {
        sheet
            .write_string(0, column as u16, header.header())
            .unwrap();
    }
    for index in 0..count {
        let row = index + 1;
        let day = 1 + index % 28;
        let month = 1 + (index / 28) % 12;
        let first = format!("2101021990{month:02}{day:02}{:03}", index / 336);
        let id = format!("{first}{}", check_character(&first));
        let (category, employer, year, subsidy) = match index % 3 {
            0 => ("在岗", "沈阳某软件有限公司", None, "企业在职职工"),
            1 => (
                "全日制高校毕业学年学生",
                "东北大学",
                Some(2027.0),
                "graduate",
            ),
            _ => ("拟从事", "", None, "无"),
        };
        let name = format!(
            "{}{}",
            SURNAMES[index as usize % SURNAMES.len()],
            GIVEN_NAMES[(index as usize / SURNAMES.len()) % GIVEN_NAMES.len()]
        );
        sheet.write_string(row, 0, name).unwrap();
        sheet.write_string(row, 1, &id).unwrap();
        sheet
            .write_number(row, 2, 13_800_000_000.0 + f64::from(index))
            .unwrap();
        sheet.write_string(row, 3, category).unwrap();
        if !employer.is_empty() {
            sheet.write_string(row, 4, employer).unwrap();
        }
        if let Some(year) = year {
            sheet.write_number(row, 5, year).unwrap();
        }
        sheet.write_string(row, 6, subsidy).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}
