//! Score sheets (issue 6 item 3) and the continuing-education hours workbook (item 6) are real
//! .xlsx files: the template reads back with its candidates, a filled-in sheet imports all or
//! nothing with every bad row named, and the hours record reads back with every year's total.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test crate: a failed unwrap is a failed test.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use dte_docs::hours::{HoursHolder, HoursTraining, HoursYear, hours_workbook};
use dte_docs::scores::{
    ScoreSheetErrors, SheetCandidate, SheetResult, parse_score_sheet, score_sheet_template,
};
use dte_domain::evaluation::Score;
use rust_xlsxwriter::Workbook;
use std::io::Cursor;

fn candidates() -> Vec<SheetCandidate> {
    [(11, "张三"), (12, "李四"), (13, "王五")]
        .into_iter()
        .map(|(key, name)| SheetCandidate {
            key,
            name: name.into(),
            id_number_masked: "210102********123X".into(),
            scores: None,
        })
        .collect()
}

fn score(text: &str) -> Score {
    Score::parse(text).unwrap()
}

/// A cell as a person types it: a number when it reads as one, text otherwise.
enum Value {
    Text(&'static str),
    Number(f64),
    Blank,
}

/// A sheet with a title, the template's headers and `rows` of (考生号, 姓名, 理论, 能力).
fn filled(rows: &[(Value, &str, Value, Value)]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    sheet.write_string(0, 0, "人工智能 中级 考核").unwrap();
    for (index, header) in ["考生号", "姓名", "证件号码", "理论知识成绩", "专业能力成绩"]
        .into_iter()
        .enumerate()
    {
        sheet.write_string(1, index as u16, header).unwrap();
    }
    for (offset, (key, name, theory, ability)) in rows.iter().enumerate() {
        let row = 2 + offset as u32;
        for (column, value) in [(0, key), (3, theory), (4, ability)] {
            match value {
                Value::Text(text) => sheet.write_string(row, column, *text).unwrap(),
                Value::Number(number) => sheet.write_number(row, column, *number).unwrap(),
                Value::Blank => sheet,
            };
        }
        sheet.write_string(row, 1, *name).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

#[test]
fn the_score_sheet_template_lists_every_candidate_with_empty_score_columns() {
    let mut listed = candidates();
    listed[1].scores = Some(SheetResult::Sat {
        theory: score("85.5"),
        ability: score("70"),
    });
    let bytes = score_sheet_template("人工智能 中级 2027-02-01", &listed).unwrap();
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.clone())).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["成绩单"]);
    let sheet = workbook.worksheet_range("成绩单").unwrap();
    let text = |row, column| sheet.get_value((row, column)).cloned();
    assert_eq!(text(1, 3), Some(Data::String("理论知识成绩".into())));
    assert_eq!(text(1, 4), Some(Data::String("专业能力成绩".into())));
    assert_eq!(text(2, 0), Some(Data::String("11".into())));
    assert_eq!(text(3, 1), Some(Data::String("李四".into())));
    assert_eq!(text(3, 3), Some(Data::Float(85.5)));
    assert!(matches!(text(2, 3), None | Some(Data::Empty)));

    // Imported as downloaded: both scores blank reads as an absence, and the scores already
    // entered come back as they were.
    let rows = parse_score_sheet(&bytes, &listed).unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].result, SheetResult::Absent);
    assert_eq!(
        rows[1].result,
        SheetResult::Sat {
            theory: score("85.5"),
            ability: score("70")
        }
    );
}

#[test]
fn a_filled_score_sheet_imports_numbers_text_and_absences() {
    let bytes = filled(&[
        (
            Value::Number(11.0),
            "张三",
            Value::Number(85.5),
            Value::Text("60"),
        ),
        (Value::Text("12"), "李四", Value::Text("缺考"), Value::Blank),
        (
            Value::Text("13"),
            "王五",
            Value::Number(59.9),
            Value::Number(100.0),
        ),
    ]);
    let rows = parse_score_sheet(&bytes, &candidates()).unwrap();
    let results: Vec<_> = rows
        .iter()
        .map(|row| (row.row, row.key, row.result))
        .collect();
    assert_eq!(
        results,
        [
            (
                3,
                11,
                SheetResult::Sat {
                    theory: score("85.5"),
                    ability: score("60")
                }
            ),
            (4, 12, SheetResult::Absent),
            (
                5,
                13,
                SheetResult::Sat {
                    theory: score("59.9"),
                    ability: score("100")
                }
            ),
        ]
    );
}

#[test]
fn a_score_sheet_with_bad_rows_imports_nothing_and_names_each_row() {
    let bytes = filled(&[
        (
            Value::Number(11.0),
            "张三",
            Value::Number(85.55),
            Value::Text("101"),
        ),
        (
            Value::Text("99"),
            "赵六",
            Value::Number(80.0),
            Value::Number(80.0),
        ),
        (
            Value::Text("11"),
            "张三",
            Value::Number(80.0),
            Value::Number(80.0),
        ),
        (Value::Text("13"), "李四", Value::Text("八十"), Value::Blank),
    ]);
    let Err(ScoreSheetErrors::Rows(errors)) = parse_score_sheet(&bytes, &candidates()) else {
        panic!("bad rows must be refused");
    };
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "第 3 行 [理论知识成绩]：成绩最多保留一位小数",
            "第 3 行 [专业能力成绩]：成绩须在 0 到 100 之间",
            "第 4 行 [考生号]：考生号 99 不在本次考核的考生中：请使用下载的成绩单，不要改动考生号",
            "第 5 行 [考生号]：与第 3 行的考生号重复：每位考生只能有一行",
            "第 6 行 [姓名]：姓名“李四”与考生号 13 的考生“王五”不符：请核对是否错行",
            "第 6 行 [理论知识成绩]：成绩须为数字，例如 85 或 85.5",
            "第 6 行 [专业能力成绩]：未填写成绩：缺考的两科都填“缺考”",
            "[考生号]：考生“李四”（考生号 12）没有成绩行：缺考的请填“缺考”",
        ]
    );
}

#[test]
fn a_file_that_is_not_a_score_sheet_is_refused_as_a_whole() {
    let refused = parse_score_sheet(b"name,score\n", &candidates()).unwrap_err();
    assert!(matches!(refused, ScoreSheetErrors::File(_)));
    assert!(refused.to_string().contains("成绩单"), "{refused}");
    let mut workbook = Workbook::new();
    workbook.add_worksheet().write_string(0, 0, "姓名").unwrap();
    let no_header = parse_score_sheet(&workbook.save_to_buffer().unwrap(), &candidates());
    assert_eq!(no_header.unwrap_err(), ScoreSheetErrors::NoHeader);
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

#[test]
fn the_continuing_education_hours_workbook_reads_back_with_each_year_and_total() {
    let training = |title: &str, completed_on: NaiveDate, hours| HoursTraining {
        class_title: title.into(),
        institution: "东北大学".into(),
        occupation: "人工智能工程技术人员".into(),
        level: "中级".into(),
        start_date: date(2026, 3, 1),
        end_date: completed_on,
        completed_on,
        hours,
    };
    let years = [
        HoursYear {
            year: 2026,
            hours: 152,
            trainings: vec![
                training("人工智能中级 第1期", date(2026, 5, 30), 80),
                training("区块链中级 第2期", date(2026, 11, 2), 72),
            ],
        },
        HoursYear {
            year: 2027,
            hours: 64,
            trainings: vec![training("人工智能高级 第1期", date(2027, 1, 8), 64)],
        },
    ];
    let holder = HoursHolder {
        name: "张三".into(),
        id_number_masked: "210102********123X".into(),
    };
    let bytes = hours_workbook(&holder, &years).unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["继续教育学时", "年度汇总"]);
    let sheet = workbook.worksheet_range("继续教育学时").unwrap();
    let value = |row, column| sheet.get_value((row, column)).cloned();
    assert_eq!(
        value(0, 0),
        Some(Data::String(
            "继续教育学时记录：张三（210102********123X）".into()
        ))
    );
    assert_eq!(value(2, 1), Some(Data::String("人工智能中级 第1期".into())));
    assert_eq!(value(4, 0), Some(Data::String("2026 年度合计".into())));
    assert_eq!(value(4, 7), Some(Data::Float(152.0)));
    assert_eq!(value(6, 7), Some(Data::Float(64.0)));
    let summary = workbook.worksheet_range("年度汇总").unwrap();
    assert_eq!(summary.get_value((1, 0)), Some(&Data::Float(2026.0)));
    assert_eq!(summary.get_value((2, 1)), Some(&Data::Float(64.0)));
}
