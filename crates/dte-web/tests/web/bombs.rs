//! Upload bombs (issue 15 item 1), built at test time: a small .xlsx whose shared strings expand
//! to 300 MB of "A", and a PNG whose header claims 100000 × 100000 pixels. The tests of each
//! upload (the roster in `classes.rs`, the score sheet in `exams.rs`, the seal here) send them and
//! expect a 422 with the limit's code within a second; `the_roster_bomb_leaves_resident_memory_
//! under_300_mb` runs the roster's in a process of its own and reads its peak resident memory.

use crate::helpers::TestApp;
use dte_domain::Role;
use std::io::{Cursor, Write};
use std::time::{Duration, Instant};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

both_backends!(a_seal_whose_header_claims_100000_pixels_a_side_is_refused,);

/// How fast a bomb must be refused.
pub const WITHIN: Duration = Duration::from_secs(1);

/// What the shared strings of [`xlsx_bomb`] expand to.
pub const BOMB_TEXT_BYTES: usize = 300 * 1024 * 1024;

/// `workbook` with its shared strings replaced by one string of [`BOMB_TEXT_BYTES`] of "A",
/// streamed into the zip a megabyte at a time: a few hundred kilobytes that inflate to 300 MB.
pub fn xlsx_bomb(workbook: &[u8]) -> Vec<u8> {
    const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
    let mut source = ZipArchive::new(Cursor::new(workbook)).unwrap();
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    for index in 0..source.len() {
        let part = source.by_index(index).unwrap();
        if part.name().unwrap() != SHARED_STRINGS {
            zip.raw_copy_file(part).unwrap();
        }
    }
    zip.start_file(
        SHARED_STRINGS,
        SimpleFileOptions::default().compression_method(CompressionMethod::Deflated),
    )
    .unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><sst><si><t>")
        .unwrap();
    let piece = vec![b'A'; 1024 * 1024];
    for _ in 0..BOMB_TEXT_BYTES / piece.len() {
        zip.write_all(&piece).unwrap();
    }
    zip.write_all(b"</t></si></sst>").unwrap();
    let bomb = zip.finish().unwrap().into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
    bomb
}

/// A PNG of a few dozen bytes whose header (IHDR) claims 100000 × 100000 RGBA pixels, 40 GB
/// once decoded.
pub fn png_bomb() -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&100_000u32.to_be_bytes());
    header.extend_from_slice(&100_000u32.to_be_bytes());
    // 8 bits per channel, RGBA, deflate, adaptive filtering, not interlaced.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    for (kind, data) in [
        (b"IHDR", header.as_slice()),
        (
            b"IDAT",
            &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01][..],
        ),
        (b"IEND", &[][..]),
    ] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let start = png.len();
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let crc = crc32(&png[start..]);
        png.extend_from_slice(&crc.to_be_bytes());
    }
    png
}

/// CRC-32 as PNG uses it, bit by bit.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Sends `bytes` as the body of `method path` and answers the status, the JSON body and how
/// long the answer took.
pub async fn send_bomb(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    bytes: Vec<u8>,
) -> (u16, serde_json::Value, Duration) {
    let started = Instant::now();
    let response = reqwest::Client::new()
        .request(method, format!("{}{path}", app.address))
        .bearer_auth(token)
        .body(bytes)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap();
    (status, body, started.elapsed())
}

/// Asserts a bomb's refusal: 422 within [`WITHIN`] with `code` and a message naming `limit`.
pub fn assert_refused(answer: &(u16, serde_json::Value, Duration), code: &str, limit: &str) {
    let (status, body, took) = answer;
    assert_eq!(*status, 422, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains(limit), "{message}");
    assert!(*took < WITHIN, "answered in {took:?}");
}

/// The peak and current resident memory of this process, in kB (VmHWM and VmRSS of
/// `/proc/self/status`).
pub fn resident_kb() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap()
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// Runs one ignored test of this binary in a process of its own, so that what it measures of
/// its memory is its own and not its neighbours'; fails if it fails.
pub fn run_alone(test: &str) {
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .args([
            test,
            "--exact",
            "--ignored",
            "--nocapture",
            "--test-threads=1",
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// The seal is printed on every certificate; a PNG claiming 100000 × 100000 pixels is refused
/// from its header, and the seal stays unset.
async fn a_seal_whose_header_claims_100000_pixels_a_side_is_refused(app: TestApp) {
    app.create_user(Role::TrainingInstitution, "dlut").await;
    let token = app.own_token("dlut").await;
    let answer = send_bomb(
        &app,
        reqwest::Method::PUT,
        "/api/v1/institution/seal",
        &token,
        png_bomb(),
    )
    .await;
    assert_refused(&answer, "image_too_large", "8000 像素");
    assert_eq!(answer.1["error"]["field"], "seal");
    let institution = app
        .database
        .store
        .institution_id_by_name("大连理工大学")
        .await
        .unwrap()
        .unwrap();
    assert!(
        app.database
            .store
            .institution_seal(institution)
            .await
            .unwrap()
            .is_none()
    );
}
