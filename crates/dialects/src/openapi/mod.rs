//! The `openapi` dialect (seed 002): an access token from access_id + secret, then order get,
//! update and list. The token travels in the query string, on POST too.

mod orders;
mod token;
pub(crate) mod wire;

use crate::guanmai::ApiError;
use dingdan_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(token::access_token))
        .routes(routes!(orders::get_order))
        .routes(routes!(orders::update_order))
        .routes(routes!(orders::list_orders))
}

pub use crate::guanmai::ApiApp;

/// The dialect's query and body extractors.
pub type Query<T> = crate::extract::Query<T, ApiError>;
pub type Body<T> = crate::extract::Body<T, ApiError>;
