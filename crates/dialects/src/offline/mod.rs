//! The `offline` dialect (seed 000): store staff, pickup packages and codes, the action history.
//! The seed shows no bodies: answers use `{code, msg, data}` (code 0 = ok) with lists as
//! `data: {count, results[]}`, and the vendor error codes (docs/dialects/offline.md).

mod packages;
mod shops;
mod wire;

use crate::guanmai::ApiError;
use axum::extract::FromRequestParts;
use axum::http::{header, request::Parts};
use dingdan_app::{offline, Actor, App};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(packages::list))
        .routes(routes!(packages::order))
        .routes(routes!(packages::fetch))
        .routes(routes!(packages::stock_prepare))
        .routes(routes!(packages::check))
        .routes(routes!(packages::consume))
        .routes(routes!(packages::rollback))
        .routes(routes!(shops::offline_shops))
        .routes(routes!(shops::list_staff, shops::create_staff))
        .routes(routes!(shops::staff_login))
        .routes(routes!(shops::staff_logout))
        .routes(routes!(shops::action_history))
}

/// The staff member behind `Authorization: <token>` (also `Bearer <token>` or `Token <token>`).
pub struct StaffUser {
    pub actor: Actor,
    pub username: String,
    pub token: String,
}

pub(crate) fn bearer(parts: &Parts) -> Option<String> {
    let raw = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim();
    let token = raw.strip_prefix("Bearer ").or_else(|| raw.strip_prefix("Token ")).unwrap_or(raw).trim();
    Some(token.to_string()).filter(|t| !t.is_empty())
}

impl FromRequestParts<App> for StaffUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, ApiError> {
        let token = bearer(parts);
        let (actor, staff) = offline::authenticate_staff(app, token.as_deref()).await.map_err(|e| {
            let mut err = ApiError::from(e);
            err.msg = err.msg.replace("access_token", "staff token (Authorization header)");
            err
        })?;
        Ok(StaffUser { actor, username: staff.username, token: token.unwrap_or_default() })
    }
}

pub type Query<T> = crate::extract::Query<T, ApiError>;
pub type Body<T> = crate::extract::Body<T, ApiError>;
