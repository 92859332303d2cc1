//! The API reference page, drawn from the generated OpenAPI document so it cannot drift.

use super::Chrome;
use super::render;
use crate::ApiDoc;
use crate::auth::Caller;
use askama::Template;
use axum::Extension;
use axum::response::Response;
use serde_json::Value;
use utoipa::OpenApi;

pub struct Endpoint {
    pub method: String,
    pub path: String,
    pub summary: String,
    pub parameters: Vec<(String, String, String)>,
    pub responses: Vec<(String, String)>,
}

#[derive(Template)]
#[template(path = "api.html")]
struct ApiPage {
    chrome: Chrome,
    description: String,
    endpoints: Vec<Endpoint>,
}

/// `GET /api`.
pub async fn page(Extension(caller): Extension<Caller>) -> Response {
    let document = serde_json::to_value(ApiDoc::openapi()).unwrap_or(Value::Null);
    let description = text(&document["info"]["description"]);
    render(&ApiPage {
        chrome: Chrome::new("api", &caller),
        description,
        endpoints: endpoints(&document),
    })
}

/// Every operation of an OpenAPI document, in path order.
pub fn endpoints(document: &Value) -> Vec<Endpoint> {
    let mut endpoints = Vec::new();
    let Some(paths) = document["paths"].as_object() else {
        return endpoints;
    };
    for (path, item) in paths {
        let Some(operations) = item.as_object() else {
            continue;
        };
        for (method, operation) in operations {
            let parameters = operation["parameters"]
                .as_array()
                .map(|parameters| {
                    parameters
                        .iter()
                        .map(|parameter| {
                            (
                                text(&parameter["name"]),
                                text(&parameter["in"]),
                                text(&parameter["description"]),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let responses = operation["responses"]
                .as_object()
                .map(|responses| {
                    responses
                        .iter()
                        .map(|(status, response)| (status.clone(), text(&response["description"])))
                        .collect()
                })
                .unwrap_or_default();
            endpoints.push(Endpoint {
                method: method.to_uppercase(),
                path: path.clone(),
                summary: text(&operation["summary"]),
                parameters,
                responses,
            });
        }
    }
    endpoints
}

fn text(value: &Value) -> String {
    value.as_str().unwrap_or_default().to_owned()
}
