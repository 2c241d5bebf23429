//! The `station` dialect (seed 001): the B2B fresh-produce platform's open API. Same vendor,
//! envelope, token and order set as `openapi`; lists add `pagenation {page, more}`.

mod after_sales;
mod catalog;
mod customers;
mod delivery;
mod finance;
mod orders;
mod paging;
mod webhooks;
mod wire;

use crate::guanmai::ApiError;
use dingdan_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use crate::guanmai::ApiApp;

pub fn router() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(catalog::category1_list))
        .routes(routes!(catalog::category2_list))
        .routes(routes!(catalog::pinlei_list))
        .routes(routes!(catalog::spu_create))
        .routes(routes!(catalog::spu_list))
        .routes(routes!(catalog::spu_get))
        .routes(routes!(catalog::spu_update))
        .routes(routes!(catalog::spu_delete))
        .routes(routes!(catalog::std_unit_list))
        .routes(routes!(catalog::sku_create))
        .routes(routes!(catalog::sku_update))
        .routes(routes!(catalog::sku_list))
        .routes(routes!(catalog::sku_get))
        .routes(routes!(catalog::sku_delete))
        .routes(routes!(catalog::salemenu_list))
        .routes(routes!(orders::create))
        .routes(routes!(orders::delete))
        .routes(routes!(orders::update))
        .routes(routes!(orders::get))
        .routes(routes!(orders::list))
        .routes(routes!(orders::sku_create))
        .routes(routes!(orders::sku_delete))
        .routes(routes!(orders::sku_update))
        .routes(routes!(after_sales::abnormal_create))
        .routes(routes!(after_sales::refund_create))
        .routes(routes!(after_sales::update))
        .routes(routes!(after_sales::delete))
        .routes(routes!(after_sales::exception_reasons))
        .routes(routes!(customers::create))
        .routes(routes!(customers::upadte))
        .routes(routes!(customers::update))
        .routes(routes!(customers::list))
        .routes(routes!(customers::area_list))
        .routes(routes!(delivery::task_list))
        .routes(routes!(delivery::driver_assign))
        .routes(routes!(delivery::driver_cancel))
        .routes(routes!(delivery::driver_create))
        .routes(routes!(delivery::driver_update))
        .routes(routes!(delivery::driver_list))
        .routes(routes!(delivery::car_model_list))
        .routes(routes!(delivery::carrier_list))
        .routes(routes!(delivery::route_create))
        .routes(routes!(delivery::route_update))
        .routes(routes!(delivery::route_delete))
        .routes(routes!(delivery::route_list))
        .routes(routes!(delivery::route_get))
        .routes(routes!(finance::strike))
        .routes(routes!(webhooks::subscription_list))
        .routes(routes!(finance::order_refund))
        .routes(routes!(finance::strike_flow_list))
        .routes(routes!(finance::cash_flow_list))
}

pub type Query<T> = crate::extract::Query<T, ApiError>;
pub type Body<T> = crate::extract::Body<T, ApiError>;

/// Parses a public id of `format`, or answers 404 naming it.
pub(crate) fn key(format: dingdan_core::ids::IdFormat, what: &str, text: Option<&str>) -> Result<i64, ApiError> {
    let t = text
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid(format!("{what} is required")))?;
    format.parse(t).ok_or_else(|| ApiError::not_found(format!("{what} {t} not found")))
}

/// Like [`key`] for an optional filter: absent is `None`, malformed is a 400.
pub(crate) fn filter_key(
    format: dingdan_core::ids::IdFormat,
    what: &str,
    text: Option<&str>,
) -> Result<Option<i64>, ApiError> {
    match text.map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => {
            format.parse(t).map(Some).ok_or_else(|| ApiError::invalid(format!("{what} '{t}' is not a valid id")))
        }
    }
}
