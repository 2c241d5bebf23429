//! The API dialects dingdan speaks. Each is a thin layer: parse the dialect's wire format into
//! a call of `dingdan_app`, render the result or the error in the dialect's own envelope.
//! No business rule lives here, and no dialect touches the store.

/// Request extractors shared by all dialects: query strings and JSON-or-form bodies that
/// reject in the caller's envelope.
pub mod extract;
/// The vendor envelope `{code, msg, data}` and order statuses shared by `openapi` and `station`.
pub mod guanmai;
/// Seed 003, part 1: mall members, captchas, WeChat sign-in, profiles, regions.
pub mod mall;
/// Seed 000: offline-store staff, pickup packages and codes, the action history.
pub mod offline;
/// Seed 002: the older open API (access token, order get / update / list).
pub mod openapi;
/// Seed 001: the B2B platform (catalog, price lists, orders; delivery and finance to come).
pub mod station;

use dingdan_app::App;
use utoipa_axum::router::OpenApiRouter;

/// Every dialect's routes, with their OpenAPI description.
pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(openapi::router())
        .merge(offline::router())
        .merge(station::router())
        .merge(mall::router())
}
