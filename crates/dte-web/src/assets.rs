//! Static assets (CSS, htmx, icons) embedded in the binary: no CDN, nothing fetched at run time.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

/// An embedded file: name, content type, bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "dte.css",
        "text/css; charset=utf-8",
        include_bytes!("../assets/dte.css"),
    ),
    (
        "htmx.min.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/htmx.min.js"),
    ),
    (
        "dte.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/dte.js"),
    ),
    (
        "check-in.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/check-in.js"),
    ),
    (
        "learn.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/learn.js"),
    ),
    (
        "upload.js",
        "text/javascript; charset=utf-8",
        include_bytes!("../assets/upload.js"),
    ),
    (
        "logo.svg",
        "image/svg+xml",
        include_bytes!("../assets/logo.svg"),
    ),
];

/// `GET /assets/{file}`: an embedded asset, cached for a day.
pub async fn serve(Path(file): Path<String>) -> Response {
    match FILES.iter().find(|(name, _, _)| *name == file) {
        Some((_, content_type, bytes)) => (
            [
                (header::CONTENT_TYPE, *content_type),
                (header::CACHE_CONTROL, "public, max-age=86400"),
            ],
            *bytes,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "未找到该文件").into_response(),
    }
}
