//! One error type for the web layer, answered as `{"error": {code, message, field}}` for the
//! API and as a Chinese error page for pages.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
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
    pub field: Option<&'static str>,
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
}

impl AppError {
    /// A 404 with a message naming what was not found.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::NOT_FOUND,
            code,
            message: message.into(),
            field: None,
        }
    }

    /// A 422 about one field of the request.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> AppError {
        AppError {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "invalid_parameter",
            message: message.into(),
            field: Some(field),
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
        }
    }

    /// The JSON body of this error.
    pub fn body(&self) -> ErrorBody {
        ErrorBody {
            error: ErrorDetail {
                code: self.code.to_owned(),
                message: self.message.clone(),
                field: self.field.map(str::to_owned),
            },
        }
    }
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        match error {
            StoreError::NotFound => AppError::not_found("not_found", "未找到该记录"),
            StoreError::Constraint { constraint } => AppError {
                status: StatusCode::CONFLICT,
                code: "conflict",
                message: format!("与已有记录冲突（{constraint}）"),
                field: None,
            },
            other => AppError::internal(other),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body())).into_response()
    }
}
