//! The `openapi` dialect (seed 002): an access token from access_id + secret, then order get,
//! update and list. The token travels in the query string, on POST too.

mod orders;
mod token;
mod wire;

use crate::guanmai::ApiError;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use dingdan_app::{auth, Actor, App};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(token::access_token))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::update_order))
        .routes(routes!(orders::list_orders))
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

/// The dialect's query and body extractors.
pub type Query<T> = crate::extract::Query<T, ApiError>;
pub type Body<T> = crate::extract::Body<T, ApiError>;
