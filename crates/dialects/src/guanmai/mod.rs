//! What the `openapi` (seed 002) and `station` (seed 001) dialects share: they are one vendor's
//! APIs, with one envelope `{code, msg, data}`, one set of order statuses and one time format.

mod error;
pub mod status;

pub use error::{ApiError, Code};

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// The vendor envelope: `code` 0 and `msg` "ok" on success.
#[derive(Debug, Serialize, ToSchema)]
pub struct Envelope<T> {
    pub code: i64,
    pub msg: String,
    pub data: T,
}

/// A successful answer.
pub fn ok<T: Serialize>(data: T) -> Response {
    (StatusCode::OK, Json(Envelope { code: 0, msg: "ok".into(), data })).into_response()
}

/// Date and time formats of the documents.
pub mod fmt {
    /// `2017-06-21T17:29:38.913` (order time in order/get).
    pub const ISO_MILLIS: &str = "%Y-%m-%dT%H:%M:%S%.3f";
    /// `2017-06-14 12:09:25`.
    pub const DATE_TIME: &str = "%Y-%m-%d %H:%M:%S";
    /// `2017-06-22 06:00` (receive windows).
    pub const MINUTES: &str = "%Y-%m-%d %H:%M";
}

/// A quantity in thousandths as the documents' number: whole numbers without a fraction.
pub fn quantity_json(milli: i64) -> serde_json::Value {
    if milli % 1000 == 0 {
        serde_json::Value::from(milli / 1000)
    } else {
        serde_json::Value::from(milli as f64 / 1000.0)
    }
}
