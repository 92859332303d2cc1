//! Pictures are measured from their header before typst decodes them (issue 15 item 1): a PNG
//! or JPEG over 8000 pixels a side or 64 MB decoded is refused, without decoding a pixel.

use super::{PHOTO, RENDERER, SEAL, level, training};
use dte_pdf::PdfError;
use dte_pdf::picture::{
    IMAGE_TOO_LARGE, MAX_PICTURE_DECODED_BYTES, MAX_PICTURE_SIDE, Picture, PictureError,
    PictureFormat, check_picture,
};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A PNG of a few dozen bytes whose header (IHDR) claims `width` × `height` RGBA pixels; its
/// image data is one byte short of anything, as a bomb's would be.
pub fn png_claiming(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = Vec::new();
    header.extend_from_slice(&width.to_be_bytes());
    header.extend_from_slice(&height.to_be_bytes());
    // 8 bits per channel, RGBA, deflate, adaptive filtering, not interlaced.
    header.extend_from_slice(&[8, 6, 0, 0, 0]);
    chunk(&mut png, b"IHDR", &header);
    chunk(
        &mut png,
        b"IDAT",
        &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01],
    );
    chunk(&mut png, b"IEND", &[]);
    png
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = png.len();
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let crc = crc32(&png[start..]);
    png.extend_from_slice(&crc.to_be_bytes());
}

/// CRC-32 (ISO 3309, as PNG uses), bit by bit: slow and short, fine for a header.
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

/// A baseline JPEG header whose frame (SOF0) claims `width` × `height` greyscale pixels.
fn jpeg_claiming(width: u16, height: u16) -> Vec<u8> {
    let mut jpeg = vec![0xFF, 0xD8];
    // One quantisation table of ones.
    jpeg.extend_from_slice(&[0xFF, 0xDB, 0x00, 0x43, 0x00]);
    jpeg.extend_from_slice(&[1; 64]);
    jpeg.extend_from_slice(&[0xFF, 0xC0, 0x00, 0x0B, 0x08]);
    jpeg.extend_from_slice(&height.to_be_bytes());
    jpeg.extend_from_slice(&width.to_be_bytes());
    jpeg.extend_from_slice(&[0x01, 0x01, 0x11, 0x00]);
    // One DC and one AC Huffman table of a single one-bit code each.
    for class in [0x00, 0x10] {
        jpeg.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x14, class, 1]);
        jpeg.extend_from_slice(&[0; 15]);
        jpeg.push(0);
    }
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00]);
    jpeg.extend_from_slice(&[0x00, 0xFF, 0xD9]);
    jpeg
}

fn assert_too_large(bytes: &[u8]) {
    let started = Instant::now();
    let error = check_picture(bytes).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(matches!(error, PictureError::TooLarge(_)), "{error:?}");
    assert_eq!(error.code(), Some(IMAGE_TOO_LARGE));
    let message = error.to_string();
    assert!(
        message.contains("8000 像素") && message.contains("64 MB"),
        "{message}"
    );
}

#[test]
fn the_fixtures_pass_with_their_format_and_size() {
    assert_eq!(
        check_picture(&SEAL).unwrap(),
        Picture {
            format: PictureFormat::Png,
            width: 400,
            height: 400
        }
    );
    assert_eq!(check_picture(&PHOTO).unwrap().width, 350);
}

#[test]
fn a_png_claiming_100000_pixels_a_side_is_refused_from_its_header() {
    let bomb = png_claiming(100_000, 100_000);
    assert!(bomb.len() < 100);
    assert_too_large(&bomb);
}

#[test]
fn each_side_and_the_decoded_size_have_their_limit() {
    assert_eq!(
        (MAX_PICTURE_SIDE, MAX_PICTURE_DECODED_BYTES),
        (8_000, 64 << 20)
    );
    assert_too_large(&png_claiming(MAX_PICTURE_SIDE + 1, 1));
    assert_too_large(&png_claiming(1, MAX_PICTURE_SIDE + 1));
    // 4096 × 4096 × 4 is exactly 64 MB: the limit itself passes, one more row does not.
    assert_eq!(
        check_picture(&png_claiming(4096, 4096)).unwrap().height,
        4096
    );
    assert_too_large(&png_claiming(4096, 4097));
}

#[test]
fn a_jpeg_claiming_60000_pixels_a_side_is_refused_from_its_header() {
    assert_eq!(
        check_picture(&jpeg_claiming(40, 30)).unwrap().format,
        PictureFormat::Jpeg
    );
    assert_too_large(&jpeg_claiming(60_000, 60_000));
}

#[test]
fn what_is_neither_png_nor_jpeg_or_is_broken_is_refused_with_its_own_reason() {
    assert_eq!(check_picture(b"GIF89a"), Err(PictureError::NotPngOrJpeg));
    assert_eq!(
        check_picture(b"\x89PNG\r\n\x1a\ntruncated"),
        Err(PictureError::Unreadable)
    );
    assert_eq!(PictureError::Unreadable.code(), None);
}

#[test]
fn a_certificate_whose_seal_or_photo_is_a_bomb_is_not_rendered() {
    let bomb: Arc<[u8]> = Arc::from(png_claiming(100_000, 100_000));
    let mut certificate = training();
    certificate.seal_png = Some(bomb.clone());
    let started = Instant::now();
    let error = RENDERER.render_training(&certificate).unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(
        matches!(
            error,
            PdfError::Picture {
                which: "seal",
                error: PictureError::TooLarge(_),
                ..
            }
        ),
        "{error}"
    );
    let mut certificate = level();
    certificate.photo = Some(bomb);
    let error = RENDERER.render_level(&certificate).unwrap_err();
    assert!(
        matches!(error, PdfError::Picture { which: "photo", .. }),
        "{error}"
    );
}
