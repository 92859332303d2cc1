//! Rosters (花名册, SPEC step 3): the template is a real workbook with drop-downs, an import is
//! all or nothing with one error per bad field, and an export with full values imports again.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test module: a failed unwrap is a failed test.

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use dte_docs::roster::{
    FileError, MAX_ROSTER_ROWS, RosterColumn, RosterErrors, RosterExportRow, RowError,
    SubsidyChoice, parse_roster, roster_csv, roster_template, roster_workbook,
};
use dte_domain::TraineeCategory;
use dte_domain::resident_id::check_character;
use rust_xlsxwriter::{Format, Workbook};
use std::io::{Cursor, Read};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// The defaults of `data/reference/2026.toml`, codes and names.
fn choices() -> Vec<SubsidyChoice> {
    [
        ("poor_family", "贫困家庭劳动者"),
        ("graduate", "毕业年度高校毕业生"),
        (
            "school_leaver",
            "城乡未继续升学的应届初高中毕业生（两后生）",
        ),
        ("rural_migrant", "农村转移就业劳动者"),
        ("registered_unemployed", "城镇登记失业人员"),
        ("employee", "企业在职职工"),
    ]
    .into_iter()
    .map(|(code, name)| SubsidyChoice {
        code: code.into(),
        name: name.into(),
    })
    .collect()
}

/// A made-up number with a correct GB 11643 check character: 沈阳和平区, a birth date, a
/// sequence. Never a real person's number.
fn id(birth: &str, sequence: u32) -> String {
    let first = format!("210102{birth}{sequence:03}");
    format!("{first}{}", check_character(&first))
}

/// A made-up valid number whose check character is X.
fn id_ending_in_x() -> String {
    (0..1000)
        .map(|sequence| id("19950612", sequence))
        .find(|number| number.ends_with('X'))
        .unwrap()
}

/// A cell of a hand-built test workbook.
#[derive(Clone)]
enum Value {
    Text(String),
    Number(f64),
    Blank,
}

fn t(text: &str) -> Value {
    if text.is_empty() {
        Value::Blank
    } else {
        Value::Text(text.to_owned())
    }
}

fn header() -> Vec<Value> {
    RosterColumn::ALL
        .iter()
        .map(|column| t(column.header()))
        .collect()
}

/// A row in template order: name, ID, phone, category, employer or school, year, subsidy.
fn row(fields: [&str; 7]) -> Vec<Value> {
    fields.iter().map(|field| t(field)).collect()
}

fn good_rows() -> Vec<Vec<Value>> {
    vec![
        row([
            "张三",
            &id("19900307", 123),
            "13812345678",
            "在岗",
            "沈阳某软件有限公司",
            "",
            "企业在职职工",
        ]),
        row([
            "李四",
            &id("20040815", 456),
            "13912345678",
            "全日制高校毕业学年学生",
            "东北大学",
            "2027",
            "graduate",
        ]),
        row([
            "王五",
            &id("19851201", 789),
            "15012345678",
            "拟从事",
            "",
            "",
            "无",
        ]),
    ]
}

/// Writes rows to the first sheet of a workbook, text as text and numbers as numbers.
fn workbook(rows: &[Vec<Value>]) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row_index, values) in rows.iter().enumerate() {
        for (column, value) in values.iter().enumerate() {
            let (row_index, column) = (row_index as u32, column as u16);
            match value {
                Value::Text(text) => {
                    sheet.write_string(row_index, column, text).unwrap();
                }
                Value::Number(number) => {
                    sheet.write_number(row_index, column, *number).unwrap();
                }
                Value::Blank => {}
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn with_header(rows: Vec<Vec<Value>>) -> Vec<u8> {
    workbook(&[vec![header()], rows].concat())
}

fn row_errors(result: Result<Vec<dte_docs::roster::RosterRow>, RosterErrors>) -> Vec<RowError> {
    match result {
        Err(RosterErrors::Rows(errors)) => errors,
        other => panic!("expected row errors, got {other:?}"),
    }
}

fn file_error(bytes: &[u8]) -> FileError {
    match parse_roster(bytes, &choices(), today()) {
        Err(RosterErrors::File(error)) => error,
        other => panic!("expected a file error, got {other:?}"),
    }
}

fn zip_entry(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap()
        .read_to_string(&mut text)
        .unwrap();
    text
}

fn fixture(name: &str) -> Vec<u8> {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// SPEC step 3: the template an institution fills in opens as a workbook with the layout's
/// headers and a 填写说明 sheet that explains each column and lists the subsidy codes.
#[test]
fn the_template_opens_with_the_headers_and_the_instructions() {
    let bytes = roster_template(&choices()).unwrap();
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    assert_eq!(workbook.sheet_names(), vec!["花名册", "填写说明"]);
    let sheet = workbook.worksheet_range("花名册").unwrap();
    let headers: Vec<String> = (0..7)
        .map(|column| sheet.get_value((0, column)).unwrap().to_string())
        .collect();
    assert_eq!(
        headers,
        [
            "姓名",
            "公民身份号码",
            "手机号码",
            "学员类别",
            "工作单位或学校",
            "毕业年份",
            "补贴人员类别"
        ]
    );
    let instructions = workbook.worksheet_range("填写说明").unwrap();
    let text: Vec<String> = instructions
        .used_cells()
        .map(|(_, _, value)| value.to_string())
        .collect();
    for expected in [
        "公民身份号码",
        "文本格式",
        "poor_family",
        "企业在职职工",
        "无",
    ] {
        assert!(
            text.iter().any(|cell| cell.contains(expected)),
            "填写说明 lacks {expected}"
        );
    }
}

/// The drop-downs for 学员类别 and 补贴人员类别, the 18-character check on the ID column and the
/// text format that keeps Excel from turning an ID number into 2.1E+17.
#[test]
fn the_template_has_drop_downs_and_a_text_formatted_id_column() {
    let bytes = roster_template(&choices()).unwrap();
    let sheet = zip_entry(&bytes, "xl/worksheets/sheet1.xml");
    assert_eq!(sheet.matches("<dataValidation ").count(), 4, "{sheet}");
    assert!(sheet.contains(r#"type="list""#));
    assert!(sheet.contains("\"在岗,拟从事,全日制高校毕业学年学生\""));
    assert!(sheet.contains(r#"sqref="D2:D20001""#));
    // The subsidised categories come from the protected 填写说明 sheet: six names and 无.
    let list = sheet
        .split("<formula1>")
        .find_map(|part| part.strip_prefix("'填写说明'!"))
        .expect("a list drawn from 填写说明");
    assert!(list.starts_with("$B$"), "{list}");
    assert!(sheet.contains(r#"sqref="G2:G20001""#));
    assert!(sheet.contains(r#"type="textLength""#));

    let id_column = sheet
        .split("<col ")
        .find(|column| column.starts_with(r#"min="2" max="2""#))
        .expect("a <col> for 公民身份号码");
    let style: usize = id_column
        .split("style=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the ID column has a style")
        .parse()
        .unwrap();
    let styles = zip_entry(&bytes, "xl/styles.xml");
    let cell_formats = styles.split("<cellXfs").nth(1).unwrap();
    let format = cell_formats.split("<xf ").nth(style + 1).unwrap();
    assert!(
        format.contains(r#"numFmtId="49""#),
        "text is format 49: {format}"
    );
}

/// An untouched template has a header and no trainee: importing it says so.
#[test]
fn an_empty_template_imports_as_no_rows() {
    let bytes = roster_template(&choices()).unwrap();
    assert_eq!(file_error(&bytes), FileError::NoRows);
}

/// SPEC step 3: rosters export to Excel, and an export with full values imports again.
#[test]
fn an_exported_roster_with_full_values_imports_again() {
    let x_id = id_ending_in_x();
    let exported = vec![
        RosterExportRow {
            name: "张三".into(),
            id_number: id("19900307", 123),
            phone: "13812345678".into(),
            category: TraineeCategory::InPost,
            employer_or_school: "沈阳某软件有限公司".into(),
            graduation_year: None,
            subsidy_category_name: Some("企业在职职工".into()),
            subsidised: true,
            status: "在读".into(),
        },
        RosterExportRow {
            name: "欧阳·娜娜".into(),
            id_number: x_id.clone(),
            phone: "15012345678".into(),
            category: TraineeCategory::GraduatingStudent,
            employer_or_school: "大连理工大学".into(),
            graduation_year: Some(2027),
            subsidy_category_name: None,
            subsidised: false,
            status: "已结业".into(),
        },
        RosterExportRow {
            name: "王五".into(),
            id_number: id("19851201", 789),
            phone: "13912345678".into(),
            category: TraineeCategory::Prospective,
            employer_or_school: String::new(),
            graduation_year: None,
            subsidy_category_name: None,
            subsidised: false,
            status: "在读".into(),
        },
    ];
    let bytes = roster_workbook(
        "2026 年第 1 期 人工智能工程技术人员（中级）花名册",
        &exported,
    )
    .unwrap();
    let imported = parse_roster(&bytes, &choices(), today()).unwrap();
    assert_eq!(imported.len(), 3);
    for (row, original) in imported.iter().zip(&exported) {
        assert_eq!(row.name, original.name);
        assert_eq!(row.resident_id.expose(), original.id_number);
        assert_eq!(row.phone.expose(), original.phone);
        assert_eq!(row.category, original.category);
        assert_eq!(row.employer_or_school, original.employer_or_school);
        assert_eq!(row.graduation_year, original.graduation_year);
    }
    // The title is row 1 and the headers row 2, so trainees start on spreadsheet row 3.
    assert_eq!(
        imported.iter().map(|row| row.row).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    assert_eq!(imported[0].subsidy_category.as_deref(), Some("employee"));
    assert_eq!(imported[1].subsidy_category, None);

    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes)).unwrap();
    let sheet = workbook.worksheet_range("花名册").unwrap();
    assert_eq!(sheet.get_value((1, 0)), Some(&Data::String("序号".into())));
    assert_eq!(sheet.get_value((3, 2)), Some(&Data::String(x_id)));
    assert_eq!(sheet.get_value((2, 8)), Some(&Data::String("是".into())));
    assert_eq!(sheet.get_value((2, 9)), Some(&Data::String("在读".into())));
}

/// The CSV export opens in Excel with its Chinese intact (a UTF-8 BOM) and its ID numbers
/// whole (a leading tab keeps an all-digit number text), and never carries a live formula.
#[test]
fn the_csv_export_has_a_bom_text_id_numbers_and_no_formulas() {
    let rows = vec![RosterExportRow {
        name: "=HYPERLINK(\"x\")".into(),
        id_number: id("19900307", 123),
        phone: "138****5678".into(),
        category: TraineeCategory::InPost,
        employer_or_school: "沈阳某公司, 研发部".into(),
        graduation_year: Some(2012),
        subsidy_category_name: None,
        subsidised: false,
        status: "在读".into(),
    }];
    let bytes = roster_csv(&rows);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").collect();
    assert_eq!(
        lines[0],
        "序号,姓名,公民身份号码,手机号码,学员类别,工作单位或学校,毕业年份,补贴人员类别,是否享受补贴,状态"
    );
    assert_eq!(
        lines[1],
        format!(
            "1,\"'=HYPERLINK(\"\"x\"\")\",\"\t{}\",138****5678,在岗,\"沈阳某公司, 研发部\",2012,无,否,在读",
            id("19900307", 123)
        )
    );
    assert_eq!(lines[2], "");
}

/// SPEC step 3: an import is all or nothing. One bad field among good rows is reported with
/// exactly its row and column, and no row comes back.
#[test]
fn one_bad_row_among_good_ones_refuses_the_file_naming_that_row_and_column() {
    let mut rows = good_rows();
    rows.insert(
        1,
        row([
            "赵六",
            &id("19920101", 321),
            "1381234567",
            "在岗",
            "鞍山某公司",
            "",
            "",
        ]),
    );
    let errors = row_errors(parse_roster(&with_header(rows), &choices(), today()));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].row, 3);
    assert_eq!(errors[0].column, "手机号码");
    assert!(errors[0].message.contains("11 位"), "{}", errors[0].message);
}

/// Every bad field of every bad row is listed, one line each as 第 N 行 [列名]：原因, and no
/// message repeats a full ID number.
#[test]
fn several_bad_rows_are_all_listed_one_per_line_without_full_id_numbers() {
    let wrong_check = {
        let good = id("19900307", 555);
        let last = if good.ends_with('1') { '2' } else { '1' };
        format!("{}{last}", &good[..17])
    };
    let rows = vec![
        row([
            "张三",
            &id("19900307", 123),
            "13812345678",
            "在岗",
            "某公司",
            "",
            "",
        ]),
        row([
            "",
            &wrong_check,
            "13812345678",
            "学生",
            "某公司",
            "",
            "低保户",
        ]),
        row([
            "李四",
            &id("20040815", 456),
            "13912345678",
            "全日制高校毕业学年学生",
            "",
            "27",
            "",
        ]),
        row([
            "王五",
            &id("19851201", 789),
            "15012345678",
            "在岗",
            "",
            "1930",
            "",
        ]),
        row([
            "赵六",
            &id("20050101", 321),
            "15112345678",
            "毕业学年学生",
            "",
            "",
            "",
        ]),
    ];
    let errors = row_errors(parse_roster(&with_header(rows), &choices(), today()));
    let found: Vec<(u32, &str)> = errors
        .iter()
        .map(|error| (error.row, error.column.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (3, "姓名"),
            (3, "公民身份号码"),
            (3, "学员类别"),
            (3, "补贴人员类别"),
            (4, "工作单位或学校"),
            (4, "毕业年份"),
            (5, "工作单位或学校"),
            (5, "毕业年份"),
            (6, "工作单位或学校"),
            (6, "毕业年份"),
        ]
    );
    let display = RosterErrors::Rows(errors.clone()).to_string();
    let lines: Vec<&str> = display.lines().collect();
    assert_eq!(lines.len(), 10);
    assert!(lines[0].starts_with("第 3 行 [姓名]："), "{}", lines[0]);
    assert!(lines[1].contains("校验码"), "{}", lines[1]);
    assert!(lines[5].contains("四位数字"), "{}", lines[5]);
    assert!(lines[7].contains("1950"), "{}", lines[7]);
    assert!(lines[9].contains("请填写毕业年份"), "{}", lines[9]);
    assert!(!display.contains(&wrong_check[..17]), "{display}");
}

/// An 18-digit ID typed into a number cell has lost its last digits: the message says how to
/// fix it. Numbers ending in X, or in a lower-case x, work as text; phones work as numbers.
#[test]
fn a_numeric_id_cell_is_refused_and_text_ids_with_x_and_numeric_phones_are_accepted() {
    let numeric = id("19900307", 123);
    let x_id = id_ending_in_x();
    let rows = vec![
        vec![
            t("张三"),
            Value::Number(numeric.parse::<f64>().unwrap()),
            Value::Number(13812345678.0),
            t("拟从事"),
        ],
        vec![
            t("李四"),
            t(&x_id.to_lowercase()),
            Value::Number(13912345678.0),
            t("拟从事"),
        ],
    ];
    let errors = row_errors(parse_roster(
        &with_header(rows.clone()),
        &choices(),
        today(),
    ));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(
        (errors[0].row, errors[0].column.as_str()),
        (2, "公民身份号码")
    );
    assert!(errors[0].message.contains("请将该列设为文本格式后重新填写"));

    let imported = parse_roster(&with_header(rows[1..].to_vec()), &choices(), today()).unwrap();
    assert_eq!(imported[0].resident_id.expose(), x_id);
    assert_eq!(imported[0].phone.expose(), "13912345678");
}

/// A person appears once per roster: the second row with the same number is the error, and
/// it names the first.
#[test]
fn a_duplicate_id_is_reported_on_the_second_row_naming_the_first() {
    let mut rows = good_rows();
    rows.push(row([
        "张三",
        &id("19900307", 123),
        "13812345679",
        "拟从事",
        "",
        "",
        "",
    ]));
    let errors = row_errors(parse_roster(&with_header(rows), &choices(), today()));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].row, errors[0].column.as_str()),
        (5, "公民身份号码")
    );
    assert!(
        errors[0].message.contains("与第 2 行"),
        "{}",
        errors[0].message
    );
}

/// Columns are found by header: any order, surrounding spaces tolerated. A missing required
/// column is one error naming it, on the header row.
#[test]
fn columns_are_found_by_header_and_a_missing_one_is_named() {
    let reordered = vec![
        vec![
            t(" 手机号码 "),
            t("姓名"),
            t("学员类别"),
            t("公民身份号码　"),
        ],
        vec![
            t("13812345678"),
            t("张三"),
            t("拟从事"),
            t(&id("19900307", 123)),
        ],
    ];
    let imported = parse_roster(&workbook(&reordered), &choices(), today()).unwrap();
    assert_eq!(imported[0].name, "张三");
    assert_eq!(imported[0].employer_or_school, "");

    let missing = vec![
        vec![t("姓名"), t("手机号码"), t("学员类别")],
        vec![t("张三"), t("13812345678"), t("拟从事")],
    ];
    let errors = row_errors(parse_roster(&workbook(&missing), &choices(), today()));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        (errors[0].row, errors[0].column.as_str()),
        (1, "公民身份号码")
    );
    assert!(errors[0].message.contains("缺少"));
}

/// Blank rows are skipped; row numbers stay the spreadsheet's; a subsidy is named or coded.
#[test]
fn blank_rows_are_skipped_and_row_numbers_are_the_spreadsheets() {
    let mut rows = good_rows();
    rows.insert(1, row(["", "", "", "", "", "", ""]));
    rows.insert(2, vec![Value::Blank, t("   ")]);
    let imported = parse_roster(&with_header(rows), &choices(), today()).unwrap();
    assert_eq!(
        imported.iter().map(|row| row.row).collect::<Vec<_>>(),
        [2, 5, 6]
    );
    assert_eq!(imported[0].subsidy_category.as_deref(), Some("employee"));
    assert_eq!(imported[1].subsidy_category.as_deref(), Some("graduate"));
    assert_eq!(imported[1].graduation_year, Some(2027));
    assert_eq!(imported[2].subsidy_category, None);
}

/// A file that is not an .xlsx gives one clear error, whatever it is.
#[test]
fn a_file_that_is_not_an_xlsx_gives_one_clear_error() {
    let csv = "姓名,公民身份号码\n张三,210102199003071234\n".as_bytes();
    assert_eq!(file_error(csv), FileError::NotXlsx);
    assert_eq!(file_error(b""), FileError::NotXlsx);
    assert_eq!(file_error(b"PK\x03\x04 truncated"), FileError::NotXlsx);
    let legacy = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0, 0];
    assert_eq!(file_error(&legacy), FileError::LegacyXls);
    assert!(FileError::NotXlsx.to_string().contains(".xlsx"));
}

/// A sheet without the layout's headers is refused as a whole.
#[test]
fn a_sheet_without_a_header_row_is_refused() {
    let bytes = workbook(&[vec![t("张三"), t("13812345678")]]);
    assert!(matches!(file_error(&bytes), FileError::NoHeader { .. }));
}

/// One file holds at most MAX_ROSTER_ROWS trainees.
#[test]
fn more_rows_than_the_cap_are_refused_with_a_clear_error() {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, header) in RosterColumn::ALL.iter().enumerate() {
        sheet
            .write_string(0, column as u16, header.header())
            .unwrap();
    }
    let text = Format::new();
    for row in 1..=(MAX_ROSTER_ROWS as u32 + 1) {
        sheet
            .write_string_with_format(row, 0, "张三", &text)
            .unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let error = file_error(&bytes);
    assert_eq!(
        error,
        FileError::TooManyRows {
            limit: MAX_ROSTER_ROWS
        }
    );
    assert!(error.to_string().contains("20000"));
}

/// A workbook written by another program (openpyxl; see fixtures/make_openpyxl_roster.py):
/// headers in another order, IDs as text, phones as numbers, a year as a number.
#[test]
fn a_workbook_written_by_openpyxl_imports() {
    let imported = parse_roster(&fixture("roster_openpyxl.xlsx"), &choices(), today()).unwrap();
    let summary: Vec<_> = imported
        .iter()
        .map(|row| {
            (
                row.row,
                row.name.as_str(),
                row.phone.expose(),
                row.graduation_year,
                row.subsidy_category.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, "张三", "13812345678", None, Some("employee")),
            (3, "李四", "13912345678", Some(2027), Some("graduate")),
            (5, "王五", "15012345678", None, None),
        ]
    );
    assert!(imported[1].resident_id.expose().ends_with('X'));
}

/// A workbook LibreOffice Calc converted from CSV with the ID column typed as text (see
/// fixtures/make_libreoffice_roster.sh): phones and the year are numbers, one ID ends in x.
#[test]
fn a_workbook_converted_by_libreoffice_imports() {
    let imported = parse_roster(&fixture("roster_libreoffice.xlsx"), &choices(), today()).unwrap();
    assert_eq!(imported.len(), 3);
    assert_eq!(imported[1].resident_id.expose(), "21010220040815004X");
    assert_eq!(imported[1].phone.expose(), "13912345678");
    assert_eq!(imported[1].graduation_year, Some(2027));
    assert_eq!(imported[1].subsidy_category.as_deref(), Some("graduate"));
}

/// The same CSV converted with every column "standard": LibreOffice stored the all-digit ID
/// numbers as 2.10102199003071E+17. Those two rows are refused with the fix; the ID ending
/// in x stayed text and passes.
#[test]
fn libreoffice_ids_that_became_numbers_are_refused_with_the_fix() {
    let errors = row_errors(parse_roster(
        &fixture("roster_libreoffice_numeric_ids.xlsx"),
        &choices(),
        today(),
    ));
    let found: Vec<(u32, &str)> = errors
        .iter()
        .map(|error| (error.row, error.column.as_str()))
        .collect();
    assert_eq!(found, [(2, "公民身份号码"), (4, "公民身份号码")]);
    assert!(
        errors
            .iter()
            .all(|error| error.message.contains("请将该列设为文本格式后重新填写"))
    );
}
