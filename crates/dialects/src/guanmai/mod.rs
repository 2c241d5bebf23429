//! What the `openapi` (seed 002) and `station` (seed 001) dialects share: they are one vendor's
//! APIs, with one envelope `{code, msg, data}`, one set of order statuses and one time format.

mod error;
pub mod status;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dingdan_app::{auth, Actor, App};

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

/// The API app behind the `access_token` of the query string. A token in a POST body is not
/// read: the document says it must be in the URL.
pub struct ApiApp {
    pub actor: Actor,
    pub tenant_id: i64,
}

impl FromRequestParts<App> for ApiApp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let token = parts.uri.query().and_then(|q| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(q)
                .ok()?
                .into_iter()
                .find(|(k, _)| k == "access_token")
                .map(|(_, v)| v)
        });
        let actor = auth::authenticate_api(app, token.as_deref()).await.map_err(|e| {
            let mut err = ApiError::from(e);
            if token.is_none() {
                err.msg = "access_token is required in the URL query string".into();
            }
            err
        })?;
        let tenant_id = actor.tenant_id.ok_or_else(|| ApiError::invalid("token has no tenant"))?;
        Ok(ApiApp { actor, tenant_id })
    }
}
