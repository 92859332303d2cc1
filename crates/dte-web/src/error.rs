//! One error type for the web layer, answered as `{"error": {code, message, field}}` for the
//! API and as a Chinese error page for pages.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use dte_app::{Detail, ErrorKind, ServiceError};
use dte_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// An error a handler returns. 4xx say what the person can fix; 5xx are logged in full and
/// answered opaquely.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub field: Option<String>,
    /// Every rule the request broke, when there are several (the first is also above).
    pub violations: Vec<ErrorDetail>,
}

/// The error body of every API response that is not a success.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable code, a Chinese message for a person, and the field at fault.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// A stable, machine-readable code such as `not_found` or `invalid_parameter`.
    pub code: String,
    /// A message in Chinese for the person using the system.
    pub message: String,
    /// The request field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Every rule the request broke, each with its code, message and field, when there are
    /// several (a class plan, a roster).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(no_recursion)]
    pub violations: Vec<ErrorDetail>,
}

impl AppError {
    /// A 404 with a message naming what was not found.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::NOT_FOUND,
            code,
            message: message.into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// A 422 about one field of the request.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_parameter",
            message: message.into(),
            field: Some(field.into()),
            violations: Vec::new(),
        }
    }

    /// A 422 listing every rule of the plan a request broke; the first one leads.
    pub fn violations(list: Vec<ErrorDetail>) -> AppError {
        let first = list.first();
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "rule_violated",
            message: first
                .map(|detail| detail.message.clone())
                .unwrap_or_default(),
            field: first.and_then(|detail| detail.field.clone()),
            violations: list,
        }
    }

    /// A 409: the record is not in a state that allows this.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::CONFLICT,
            code,
            message: message.into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// A 403 that says why.
    pub fn forbidden(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::FORBIDDEN,
            code: "forbidden",
            message: message.into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// A 429: too many requests from one client; the message says when to try again.
    pub fn too_many_requests(message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::TOO_MANY_REQUESTS,
            code: "too_many_requests",
            message: message.into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// A 500 whose cause is logged but never shown.
    pub fn internal(cause: impl std::fmt::Display) -> AppError {
        tracing::error!(error = %cause, "internal error");
        AppError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            message: "系统内部错误，请稍后重试；如持续出现请联系管理员".into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.clone(),
                violations: self
                    .violations
                    .iter()
                    .map(|detail| ErrorDetail {
                        code: detail.code.clone(),
                        message: detail.message.clone(),
                        field: detail.field.clone(),
                        violations: Vec::new(),
                    })
                    .collect(),
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::not_found("not_found", "未找到该记录"),
            StoreError::Conflict => {
                AppError::conflict("conflict", "该记录已被他人修改或状态已变化，请刷新后重试")
            }
            StoreError::Constraint { constraint } => AppError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: format!("与已有记录冲突（{constraint}）"),
                field: None,
                violations: Vec::new(),
            },
            other => AppError::internal(other),
        }
    }
}

impl From<ServiceError> for AppError {
    /// The one place a service's error becomes an HTTP status.
    fn from(error: ServiceError) -> AppError {
        let status = match error.kind {
            ErrorKind::Invalid | ErrorKind::Refused => StatusCode::UNPROCESSABLE_ENTITY,
            ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
            ErrorKind::Forbidden => StatusCode::FORBIDDEN,
            ErrorKind::NotFound => StatusCode::NOT_FOUND,
            ErrorKind::Conflict => StatusCode::CONFLICT,
            ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorKind::TooMany => StatusCode::TOO_MANY_REQUESTS,
            ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        };
        AppError {
            status,
            code: error.code,
            message: error.message,
            field: error.field,
            violations: error
                .violations
                .into_iter()
                .map(ErrorDetail::from)
                .collect(),
        }
    }
}

impl From<Detail> for ErrorDetail {
    fn from(detail: Detail) -> ErrorDetail {
        ErrorDetail {
            code: detail.code,
            message: detail.message,
            field: detail.field,
            violations: Vec::new(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}

/// `Json` whose rejections answer in DTE's error shape, in Chinese.
#[derive(Debug, axum::extract::FromRequest)]
#[from_request(via(axum::Json), rejection(AppError))]
pub struct AppJson<T>(pub T);

impl From<axum::extract::rejection::JsonRejection> for AppError {
    fn from(rejection: axum::extract::rejection::JsonRejection) -> AppError {
        use axum::extract::rejection::JsonRejection;
        let message = match &rejection {
            JsonRejection::MissingJsonContentType(_) => {
                "请求须为 JSON（Content-Type: application/json）".to_owned()
            }
            JsonRejection::JsonSyntaxError(_) => "请求正文不是有效的 JSON".to_owned(),
            other => format!("请求正文的字段不符合要求：{}", other.body_text()),
        };
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_body",
            message,
            field: None,
            violations: Vec::new(),
        }
    }
}
