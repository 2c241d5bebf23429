use super::status;
use crate::extract::Rejection;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{AppError, AuthFailure};
use dingdan_core::order::Action;
use dingdan_core::DomainError;
use serde_json::json;

/// The vendor's non-zero codes (the documents only say "0 is success"; these are ours and
/// documented in docs/dialects/guanmai.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Code {
    /// A parameter is missing, malformed or out of range.
    InvalidParameter = 1,
    /// access_id or secret is wrong.
    BadCredentials = 2,
    /// access_token is missing, unknown or expired.
    InvalidToken = 3,
    /// The token may not touch this object.
    Forbidden = 4,
    /// The object does not exist (for this token).
    NotFound = 5,
    /// The object's state does not allow the change.
    StateConflict = 6,
    /// The object exists already.
    Duplicate = 7,
    /// Too many requests.
    RateLimited = 8,
    /// Our fault; logged.
    Internal = 99,
}

/// An error in the vendor envelope, with its HTTP status.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: Code,
    pub msg: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: Code, msg: impl Into<String>) -> ApiError {
        ApiError { status, code, msg: msg.into() }
    }

    pub fn invalid(msg: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::BAD_REQUEST, Code::InvalidParameter, msg)
    }

    pub fn not_found(msg: impl Into<String>) -> ApiError {
        ApiError::new(StatusCode::NOT_FOUND, Code::NotFound, msg)
    }
}

impl Rejection for ApiError {
    fn bad_request(message: String) -> Self {
        ApiError::invalid(message)
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(json!({ "code": self.code as i64, "msg": self.msg, "data": null }))).into_response()
    }
}

fn action_words(action: Action) -> &'static str {
    match action {
        Action::Confirm => "confirm",
        Action::StartSorting => "start sorting",
        Action::MarkReadyForPickup => "ready for pickup",
        Action::Ship => "ship",
        Action::Deliver => "sign for",
        Action::ConfirmReceipt => "confirm receipt of",
        Action::Complete => "complete",
        Action::UndoPickUp => "undo the pickup of",
        Action::Cancel => "cancel",
        Action::Delete => "delete",
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        use StatusCode as S;
        match e {
            AppError::Unauthenticated(AuthFailure::Missing) => {
                ApiError::new(S::UNAUTHORIZED, Code::InvalidToken, "access_token is required")
            }
            AppError::Unauthenticated(AuthFailure::Invalid) => {
                ApiError::new(S::UNAUTHORIZED, Code::InvalidToken, "access_token is invalid")
            }
            AppError::Unauthenticated(AuthFailure::Expired) => {
                ApiError::new(S::UNAUTHORIZED, Code::InvalidToken, "access_token has expired")
            }
            AppError::Unauthenticated(AuthFailure::BadCredentials) => {
                ApiError::new(S::UNAUTHORIZED, Code::BadCredentials, "access_id or secret is wrong")
            }
            AppError::Forbidden(why) => ApiError::new(S::FORBIDDEN, Code::Forbidden, format!("forbidden: {why}")),
            AppError::NotFound { entity } => ApiError::new(S::NOT_FOUND, Code::NotFound, format!("{entity} not found")),
            AppError::Invalid { field, reason } => ApiError::invalid(format!("{field}: {reason}")),
            AppError::Domain(d) => match d {
                DomainError::InvalidTransition { from, action } => ApiError::new(
                    S::CONFLICT,
                    Code::StateConflict,
                    format!("cannot {} an order in status {}", action_words(action), status::code_of(from)),
                ),
                DomainError::StatusJump { from, to } => ApiError::new(
                    S::CONFLICT,
                    Code::StateConflict,
                    format!(
                        "status cannot change from {} to {}: allowed moves are 1>5, 1>10, 5>10",
                        status::code_of(from),
                        status::code_of(to)
                    ),
                ),
                DomainError::LinesFrozen { status: s } => ApiError::new(
                    S::CONFLICT,
                    Code::StateConflict,
                    format!(
                        "lines, prices and receive times can only change while the order status is 1 or 5 (it is {})",
                        status::code_of(s)
                    ),
                ),
                DomainError::Invalid { field, reason } => ApiError::invalid(format!("{field}: {reason}")),
            },
            AppError::Conflict(why) => ApiError::new(S::CONFLICT, Code::StateConflict, why),
            AppError::Duplicate(what) => ApiError::new(S::CONFLICT, Code::Duplicate, format!("already exists: {what}")),
            AppError::RateLimited => ApiError::new(S::TOO_MANY_REQUESTS, Code::RateLimited, "too many requests"),
            AppError::Internal(_) => ApiError::new(S::INTERNAL_SERVER_ERROR, Code::Internal, "internal error"),
        }
    }
}
