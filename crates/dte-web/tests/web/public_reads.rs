//! The public reads served from memory (the OpenAPI document): strong ETags,
//! `Cache-Control` and `304 Not Modified`.

use crate::helpers::TestApp;

both_backends!(the_openapi_document_is_served_once_made_with_an_etag_and_304);

/// A GET with an optional `If-None-Match`: the status, the ETag, `Cache-Control`,
/// `Content-Type` and the body.
struct Answer {
    status: u16,
    etag: Option<String>,
    cache_control: Option<String>,
    content_type: Option<String>,
    body: String,
}

async fn get(app: &TestApp, path: &str, if_none_match: Option<&str>) -> Answer {
    let mut request = reqwest::Client::new().get(format!("{}{path}", app.address));
    if let Some(tag) = if_none_match {
        request = request.header("if-none-match", tag);
    }
    let response = request.send().await.unwrap();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|value| value.to_str().unwrap().to_owned())
    };
    Answer {
        status: response.status().as_u16(),
        etag: header("etag"),
        cache_control: header("cache-control"),
        content_type: header("content-type"),
        body: response.text().await.unwrap(),
    }
}

/// Asserts the revalidation contract of one path: a quoted strong tag, the same on a second
/// request, `304` with no body for that tag (also in a list and with `W/`), `200` for another.
async fn check_revalidation(app: &TestApp, path: &str, cache_control: &str) -> Answer {
    let first = get(app, path, None).await;
    assert_eq!(first.status, 200, "{path}");
    assert_eq!(first.content_type.as_deref(), Some("application/json"));
    assert_eq!(first.cache_control.as_deref(), Some(cache_control));
    let etag = first.etag.clone().expect("an ETag");
    assert!(
        etag.starts_with('"') && etag.ends_with('"') && etag.len() > 10,
        "a strong tag: {etag}"
    );
    let again = get(app, path, None).await;
    assert_eq!(again.etag.as_deref(), Some(etag.as_str()));
    assert_eq!(again.body, first.body);
    for held in [
        etag.clone(),
        format!("\"other\", {etag}"),
        format!("W/{etag}"),
    ] {
        let revalidated = get(app, path, Some(&held)).await;
        assert_eq!(revalidated.status, 304, "{path} with If-None-Match {held}");
        assert_eq!(revalidated.body, "");
        assert_eq!(revalidated.etag.as_deref(), Some(etag.as_str()));
        assert_eq!(revalidated.cache_control.as_deref(), Some(cache_control));
    }
    let other = get(app, path, Some("\"not-this-one\"")).await;
    assert_eq!(other.status, 200);
    assert_eq!(other.body, first.body);
    first
}

/// Issue 12: the document is made once per process; clients revalidate it by its ETag.
async fn the_openapi_document_is_served_once_made_with_an_etag_and_304(app: TestApp) {
    let first = check_revalidation(&app, "/api/v1/openapi.json", "public, max-age=300").await;
    let document: serde_json::Value = serde_json::from_str(&first.body).unwrap();
    assert!(document["paths"]["/api/v1/occupations"]["get"].is_object());
}
