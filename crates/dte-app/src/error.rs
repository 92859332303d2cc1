//! The one error of the services, in the domain's words. The web layer maps each kind to an
//! HTTP status; nothing here knows HTTP.

use dte_store::StoreError;

/// What kind of failure a service met; the web layer chooses the status code from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The input is malformed or a field is out of range (the field says which).
    Invalid,
    /// The request broke rules of the plan; every violation is listed.
    Refused,
    /// Nobody is signed in, or the credentials are wrong.
    Unauthenticated,
    /// The principal may not do this.
    Forbidden,
    /// No such record in the principal's scope (a record outside it looks the same).
    NotFound,
    /// The record is not in a state that allows this, or another request changed it first.
    Conflict,
    /// The input is larger than the service takes.
    TooLarge,
    /// Too many attempts in a short time.
    TooMany,
    /// Something failed that the person cannot fix; the cause is logged, never shown.
    Internal,
}

/// A refused, forbidden, missing or conflicting request, or an internal failure.
#[derive(Debug)]
pub struct ServiceError {
    pub kind: ErrorKind,
    /// A stable, machine-readable code such as `class_not_found`.
    pub code: &'static str,
    /// A message in Chinese for the person using the system.
    pub message: String,
    /// The input field at fault, when one is.
    pub field: Option<String>,
    /// Every rule the request broke, when there are several (the first is also above).
    pub violations: Vec<Detail>,
}

/// One rule a request broke: its stable code, the Chinese message and the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Detail {
    pub code: String,
    pub message: String,
    pub field: Option<String>,
}

impl ServiceError {
    fn new(kind: ErrorKind, code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError {
            kind,
            code,
            message: message.into(),
            field: None,
            violations: Vec::new(),
        }
    }

    /// No such record, with a message naming what was not found.
    pub fn not_found(code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::NotFound, code, message)
    }

    /// One field of the input is wrong.
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ServiceError {
        ServiceError {
            field: Some(field.into()),
            ..ServiceError::new(ErrorKind::Invalid, "invalid_parameter", message)
        }
    }

    /// Every rule of the plan a request broke; the first one leads.
    pub fn violations(list: Vec<Detail>) -> ServiceError {
        let first = list.first();
        ServiceError {
            kind: ErrorKind::Refused,
            code: "rule_violated",
            message: first
                .map(|detail| detail.message.clone())
                .unwrap_or_default(),
            field: first.and_then(|detail| detail.field.clone()),
            violations: list,
        }
    }

    /// The record is not in a state that allows this.
    pub fn conflict(code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::Conflict, code, message)
    }

    /// Not signed in, or wrong credentials.
    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::Unauthenticated, code, message)
    }

    /// The principal may not do this; the message says why.
    pub fn forbidden(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::Forbidden, "forbidden", message)
    }

    /// The input in `field` is larger than the service takes.
    pub fn too_large(field: impl Into<String>, message: impl Into<String>) -> ServiceError {
        ServiceError {
            field: Some(field.into()),
            ..ServiceError::new(ErrorKind::TooLarge, "too_large", message)
        }
    }

    /// Too many attempts; the message says when to try again.
    pub fn too_many_requests(message: impl Into<String>) -> ServiceError {
        ServiceError::new(ErrorKind::TooMany, "too_many_requests", message)
    }

    /// An internal failure whose cause is logged but never shown.
    pub fn internal(cause: impl std::fmt::Display) -> ServiceError {
        tracing::error!(error = %cause, "internal error");
        ServiceError::new(
            ErrorKind::Internal,
            "internal",
            "系统内部错误，请稍后重试；如持续出现请联系管理员",
        )
    }
}

impl std::fmt::Display for ServiceError {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}: {}", self.code, self.message)
    }
}

impl std::error::Error for ServiceError {}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> ServiceError {
        match error {
            StoreError::NotFound => ServiceError::not_found("not_found", "未找到该记录"),
            StoreError::Conflict => {
                ServiceError::conflict("conflict", "该记录已被他人修改或状态已变化，请刷新后重试")
            }
            StoreError::Constraint { constraint } => {
                ServiceError::conflict("conflict", format!("与已有记录冲突（{constraint}）"))
            }
            other => ServiceError::internal(other),
        }
    }
}
