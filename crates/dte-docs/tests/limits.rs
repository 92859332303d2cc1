//! Upload bombs (issue 15 item 1): a workbook that would expand beyond the limits of
//! `dte_docs::roster::limits` is refused before calamine reads it, quickly, for rosters and score
//! sheets alike, naming the limit; an ordinary workbook still imports.

#![allow(clippy::unwrap_used, clippy::expect_used)] // A test module: a failed unwrap is a failed test.

use chrono::NaiveDate;
use dte_docs::roster::limits::{
    MAX_PART_BYTES, MAX_PARTS, MAX_RECORDS, MAX_SHARED_STRINGS, MAX_SHARED_TEXT_BYTES,
    MAX_WORKBOOK_BYTES, WORKBOOK_TOO_LARGE, WorkbookLimit,
};
use dte_docs::roster::{FileError, RosterErrors, SubsidyChoice, parse_roster};
use dte_docs::scores::{ScoreSheetErrors, SheetCandidate, parse_score_sheet};
use rust_xlsxwriter::Workbook;
use std::io::{Cursor, Read, Write};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
const MB: usize = 1024 * 1024;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// A filled-in roster with one valid trainee: what the bombs below are built on.
fn roster() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, (header, value)) in [
        ("姓名", "张三"),
        ("公民身份号码", "11010519491231002X"),
        ("手机号码", "13800138000"),
        ("学员类别", "拟从事"),
    ]
    .into_iter()
    .enumerate()
    {
        sheet.write_string(0, column as u16, header).unwrap();
        sheet.write_string(1, column as u16, value).unwrap();
    }
    workbook.save_to_buffer().unwrap()
}

/// `base` with the part `name` replaced by (or added as) what `write` streams into it, and
/// `extra` more parts streamed the same way.
fn rebuilt(
    base: &[u8],
    name: &str,
    write: impl FnOnce(&mut dyn Write),
    extra: impl FnOnce(&mut ZipWriter<Cursor<Vec<u8>>>),
) -> Vec<u8> {
    let mut source = ZipArchive::new(Cursor::new(base)).unwrap();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..source.len() {
        let part = source.by_index(index).unwrap();
        if part.name().unwrap() != name {
            zip.raw_copy_file(part).unwrap();
        }
    }
    zip.start_file(name, deflated()).unwrap();
    write(&mut zip);
    extra(&mut zip);
    zip.finish().unwrap().into_inner()
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

/// Streams `total` bytes of `byte` in one-megabyte pieces, never holding them all.
fn stream_repeated(out: &mut dyn Write, byte: u8, total: usize) {
    let piece = vec![byte; MB];
    let mut left = total;
    while left > 0 {
        let now = left.min(MB);
        out.write_all(&piece[..now]).unwrap();
        left -= now;
    }
}

/// The roster import's refusal of a file as a whole.
fn roster_refusal(bytes: &[u8]) -> FileError {
    match parse_roster(bytes, &[] as &[SubsidyChoice], today()) {
        Err(RosterErrors::File(error)) => error,
        other => panic!("expected the file to be refused as a whole, got {other:?}"),
    }
}

/// Asserts that both imports refuse `bytes` for `limit`, with the stable code and a Chinese
/// message naming the limit. (How fast and in how little memory is measured elsewhere: the
/// resident-memory probe in dte-web's tests and `benches/roster_import.rs`, never by a timed
/// assertion.)
fn assert_refused_for(bytes: &[u8], limit: WorkbookLimit, names: &str) {
    let error = roster_refusal(bytes);
    assert_eq!(error, FileError::TooLarge(limit));
    assert_eq!(error.code(), Some(WORKBOOK_TOO_LARGE));
    let message = error.to_string();
    assert!(message.contains(names), "{message}");
    assert!(message.contains("花名册"), "{message}");

    let candidates = [SheetCandidate {
        key: 1,
        name: "张三".into(),
        id_number_masked: "110105********002X".into(),
        scores: None,
    }];
    let refused = parse_score_sheet(bytes, &candidates).unwrap_err();
    assert_eq!(refused, ScoreSheetErrors::File(FileError::TooLarge(limit)));
    let message = refused.to_string();
    assert!(
        message.contains(names) && message.contains("成绩单"),
        "{message}"
    );
}

#[test]
fn an_ordinary_roster_passes_the_limits_and_imports() {
    let rows = parse_roster(&roster(), &[], today()).unwrap();
    assert_eq!(rows.len(), 1);
}

#[test]
fn shared_strings_expanding_to_hundreds_of_megabytes_are_refused_from_the_header() {
    let bomb = rebuilt(
        &roster(),
        SHARED_STRINGS,
        |out| {
            out.write_all(b"<?xml version=\"1.0\"?><sst><si><t>")
                .unwrap();
            stream_repeated(out, b'A', 300 * MB);
            out.write_all(b"</t></si></sst>").unwrap();
        },
        |_| {},
    );
    assert!(
        bomb.len() < 2 * MB,
        "the bomb is small: {} bytes",
        bomb.len()
    );
    assert_refused_for(&bomb, WorkbookLimit::PartBytes, "32 MB");
}

#[test]
fn a_part_longer_than_its_header_says_is_never_read_past_the_declared_size() {
    let declared = 1024u32;
    let mut bomb = rebuilt(
        &roster(),
        SHARED_STRINGS,
        |out| {
            out.write_all(b"<sst><si><t>").unwrap();
            stream_repeated(out, b'A', 200 * MB);
            out.write_all(b"</t></si></sst>").unwrap();
        },
        |_| {},
    );
    declare_size(&mut bomb, SHARED_STRINGS, declared);
    let mut archive = ZipArchive::new(Cursor::new(&bomb)).unwrap();
    assert_eq!(archive.by_name(SHARED_STRINGS).unwrap().size(), 1024);

    assert_eq!(roster_refusal(&bomb), FileError::Unreadable);
    // And the zip reader itself stops at the declared size.
    let mut part = archive.by_name(SHARED_STRINGS).unwrap();
    let mut sink = Vec::new();
    assert!(part.read_to_end(&mut sink).is_err());
    assert!(
        sink.len() <= declared as usize + 64 * 1024,
        "{}",
        sink.len()
    );
}

#[test]
fn a_declared_count_of_shared_strings_above_the_limit_is_refused_before_allocating() {
    let declared = MAX_SHARED_STRINGS + 1;
    let bomb = rebuilt(
        &roster(),
        SHARED_STRINGS,
        |out| {
            write!(
                out,
                "<sst count=\"{declared}\" uniqueCount=\"{declared}\"><si><t>张三</t></si></sst>"
            )
            .unwrap();
        },
        |_| {},
    );
    assert_refused_for(&bomb, WorkbookLimit::SharedStrings, "500000 条");
}

#[test]
fn more_shared_strings_than_the_limit_are_refused_whatever_the_header_declares() {
    let bomb = rebuilt(
        &roster(),
        SHARED_STRINGS,
        |out| {
            out.write_all(b"<sst uniqueCount=\"1\">").unwrap();
            for _ in 0..=MAX_SHARED_STRINGS {
                out.write_all(b"<si/>").unwrap();
            }
            out.write_all(b"</sst>").unwrap();
        },
        |_| {},
    );
    assert_refused_for(&bomb, WorkbookLimit::SharedStrings, "500000 条");
}

#[test]
fn shared_text_above_the_limit_is_refused_though_each_part_is_within_its_own() {
    let strings = 17;
    assert!((strings * MB) as u64 > MAX_SHARED_TEXT_BYTES);
    assert!(((strings + 1) * MB) as u64 <= MAX_PART_BYTES);
    let bomb = rebuilt(
        &roster(),
        SHARED_STRINGS,
        |out| {
            out.write_all(b"<sst>").unwrap();
            for _ in 0..strings {
                out.write_all(b"<si><t>").unwrap();
                stream_repeated(out, b'A', MB);
                out.write_all(b"</t></si>").unwrap();
            }
            out.write_all(b"</sst>").unwrap();
        },
        |_| {},
    );
    assert_refused_for(&bomb, WorkbookLimit::SharedText, "16 MB");
}

#[test]
fn styles_with_more_records_than_the_limit_are_refused() {
    let bomb = rebuilt(
        &roster(),
        "xl/styles.xml",
        |out| {
            out.write_all(b"<styleSheet><cellXfs>").unwrap();
            for _ in 0..=MAX_RECORDS {
                out.write_all(b"<xf fontId=\"0\"/>").unwrap();
            }
            out.write_all(b"</cellXfs></styleSheet>").unwrap();
        },
        |_| {},
    );
    assert_refused_for(&bomb, WorkbookLimit::Records, "200000 条");
}

#[test]
fn a_workbook_of_more_parts_than_the_limit_is_refused() {
    let bomb = rebuilt(
        &roster(),
        "xl/media/0.bin",
        |_| {},
        |zip| {
            for index in 1..=MAX_PARTS {
                zip.start_file(format!("xl/media/{index}.bin"), deflated())
                    .unwrap();
            }
        },
    );
    assert_refused_for(&bomb, WorkbookLimit::Parts, "1000 个");
}

#[test]
fn parts_within_their_own_limit_are_refused_when_together_they_exceed_the_workbook_limit() {
    let each = 30 * MB;
    assert!(each as u64 <= MAX_PART_BYTES && 3 * each as u64 > MAX_WORKBOOK_BYTES);
    let bomb = rebuilt(
        &roster(),
        "xl/media/0.bin",
        |out| stream_repeated(out, 0, each),
        |zip| {
            for index in 1..3 {
                zip.start_file(format!("xl/media/{index}.bin"), deflated())
                    .unwrap();
                stream_repeated(zip, 0, each);
            }
        },
    );
    assert_refused_for(&bomb, WorkbookLimit::WorkbookBytes, "64 MB");
}

#[test]
fn each_limit_names_its_number() {
    assert_eq!(WorkbookLimit::PartBytes.limit(), MAX_PART_BYTES);
    assert_eq!(WorkbookLimit::WorkbookBytes.limit(), MAX_WORKBOOK_BYTES);
    assert_eq!(
        (MAX_PART_BYTES, MAX_WORKBOOK_BYTES, MAX_PARTS),
        (32 * MB as u64, 64 * MB as u64, 1_000)
    );
    assert_eq!(
        (MAX_SHARED_STRINGS, MAX_SHARED_TEXT_BYTES),
        (500_000, 16 * MB as u64)
    );
}

/// Overwrites the uncompressed size that the local and central headers of part `name` declare.
fn declare_size(zip: &mut [u8], name: &str, size: u32) {
    let name = name.as_bytes();
    let mut patched = 0;
    for at in 0..zip.len().saturating_sub(46) {
        // Where the size, the name's length and the name sit in each kind of header.
        let (size_at, name_length_at, name_at) = match &zip[at..at + 4] {
            b"PK\x03\x04" => (22, 26, 30),
            b"PK\x01\x02" => (24, 28, 46),
            _ => continue,
        };
        let length = u16::from_le_bytes([zip[at + name_length_at], zip[at + name_length_at + 1]]);
        if zip.get(at + name_at..at + name_at + usize::from(length)) == Some(name) {
            zip[at + size_at..at + size_at + 4].copy_from_slice(&size.to_le_bytes());
            patched += 1;
        }
    }
    assert_eq!(patched, 2, "a local and a central header");
}
