//! Pictures from outside — an institution's seal, a trainee's photo, an image document — read
//! only as far as their header before anything decodes them (issue 15 item 1). A PNG of a few
//! kilobytes can declare 100000 × 100000 pixels, 40 GB once decoded; [`check_picture`] refuses
//! it from the header. The upload services and the certificate payload ask this one function,
//! so a picture typst decodes for printing has passed the same limits as one uploaded.

use image::{ImageDecoder, ImageError, ImageFormat, ImageReader, Limits};
use std::io::Cursor;

/// The stable code of a picture refused for its size.
pub const IMAGE_TOO_LARGE: &str = "image_too_large";

/// The most pixels a picture may have on either side.
pub const MAX_PICTURE_SIDE: u32 = 8_000;

/// The most bytes a picture may take decoded (width × height × 4 for RGBA, or more for deeper
/// colours).
pub const MAX_PICTURE_DECODED_BYTES: u64 = 64 * 1024 * 1024;

/// A picture's format, as its first bytes say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    Png,
    Jpeg,
}

/// A picture whose header has been read and found within the limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Picture {
    pub format: PictureFormat,
    pub width: u32,
    pub height: u32,
}

/// Why a picture is refused, in Chinese for the person who uploaded it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PictureError {
    /// Neither PNG nor JPEG by its first bytes.
    #[error("图片须为 PNG 或 JPEG 格式")]
    NotPngOrJpeg,
    /// The header cannot be read.
    #[error("无法读取图片，文件可能已损坏：请重新导出为 PNG 或 JPEG 后再上传")]
    Unreadable,
    /// Over [`MAX_PICTURE_SIDE`] or [`MAX_PICTURE_DECODED_BYTES`]; `None` when the decoder
    /// refused before saying its size.
    #[error("{}", too_large_message(*.0))]
    TooLarge(Option<(u32, u32)>),
}

impl PictureError {
    /// The stable code of a refusal that has one of its own (a picture too large:
    /// [`IMAGE_TOO_LARGE`]); callers answer their generic code for the others.
    pub fn code(&self) -> Option<&'static str> {
        match self {
            PictureError::TooLarge(_) => Some(IMAGE_TOO_LARGE),
            _ => None,
        }
    }
}

/// Reads a PNG's or JPEG's header and refuses it if it is larger than the limits, decoding no
/// pixel. The decoder is also told the limits, so that what it allocates for the header's
/// chunks stays within them.
pub fn check_picture(bytes: &[u8]) -> Result<Picture, PictureError> {
    let format = sniff(bytes).ok_or(PictureError::NotPngOrJpeg)?;
    let mut reader = ImageReader::with_format(
        Cursor::new(bytes),
        match format {
            PictureFormat::Png => ImageFormat::Png,
            PictureFormat::Jpeg => ImageFormat::Jpeg,
        },
    );
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_PICTURE_SIDE);
    limits.max_image_height = Some(MAX_PICTURE_SIDE);
    limits.max_alloc = Some(MAX_PICTURE_DECODED_BYTES);
    reader.limits(limits);
    let decoder = reader.into_decoder().map_err(|error| match error {
        ImageError::Limits(_) => PictureError::TooLarge(None),
        _ => PictureError::Unreadable,
    })?;
    let (width, height) = decoder.dimensions();
    let rgba = u64::from(width) * u64::from(height) * 4;
    if width > MAX_PICTURE_SIDE
        || height > MAX_PICTURE_SIDE
        || rgba.max(decoder.total_bytes()) > MAX_PICTURE_DECODED_BYTES
    {
        return Err(PictureError::TooLarge(Some((width, height))));
    }
    if width == 0 || height == 0 {
        return Err(PictureError::Unreadable);
    }
    Ok(Picture {
        format,
        width,
        height,
    })
}

/// Recognises PNG and JPEG by their signatures.
pub fn sniff(bytes: &[u8]) -> Option<PictureFormat> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(PictureFormat::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(PictureFormat::Jpeg)
    } else {
        None
    }
}

fn too_large_message(size: Option<(u32, u32)>) -> String {
    let size = size
        .map(|(width, height)| format!("（{width} × {height} 像素）"))
        .unwrap_or_default();
    format!(
        "图片过大{size}：每边最多 {MAX_PICTURE_SIDE} 像素，解码后最多 {} MB（宽 × 高 × 4 字节）。请缩小图片后再上传",
        MAX_PICTURE_DECODED_BYTES / (1024 * 1024)
    )
}
