use super::wire::{CustomerPickup, FetchParams, KeyBody, KeyParam, Order, Package, PackageFilter, Page};
use super::{Body, Query, StaffUser};
use crate::guanmai::{ok, ApiError, Envelope};
use axum::extract::{Path, State};
use axum::response::Response;
use dingdan_app::offline::{self, key_status, stock_status, Filter};
use dingdan_app::App;

/// Paging of the offline lists: `limit` (default 50, at most 200) and `offset`.
pub(super) fn paging(limit: &Option<String>, offset: &Option<String>) -> Result<(i64, i64), ApiError> {
    let num = |name: &str, v: &Option<String>, default: i64| match v.as_deref().map(str::trim) {
        None | Some("") => Ok(default),
        Some(t) => t.parse::<i64>().map_err(|_| ApiError::invalid(format!("{name} must be a whole number"))),
    };
    let (limit, offset) = (num("limit", limit, 50)?, num("offset", offset, 0)?);
    if !(1..=200).contains(&limit) || offset < 0 {
        return Err(ApiError::invalid("limit must be between 1 and 200 and offset not negative"));
    }
    Ok((limit, offset))
}

/// Comma-separated values of the given fields, trimmed (`"unprepare, prepared"`).
fn values(fields: &[&Option<String>]) -> Vec<String> {
    fields
        .iter()
        .filter_map(|f| f.as_deref())
        .flat_map(|v| v.split(','))
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect()
}

fn numbers(name: &str, fields: &[&Option<String>]) -> Result<Vec<i64>, ApiError> {
    values(fields)
        .iter()
        .map(|v| v.parse::<i64>().map_err(|_| ApiError::invalid(format!("{name}: '{v}' is not a number"))))
        .collect()
}

fn one_of(name: &str, allowed: &[&str], fields: &[&Option<String>]) -> Result<Vec<String>, ApiError> {
    let vals = values(fields);
    match vals.iter().find(|v| !allowed.contains(&v.as_str())) {
        Some(bad) => Err(ApiError::invalid(format!("{name}: '{bad}' is not one of {}", allowed.join(", ")))),
        None => Ok(vals),
    }
}

fn package_id(id: &str) -> Result<i64, ApiError> {
    id.parse().map_err(|_| ApiError::not_found(format!("pickup package {id} not found")))
}

/// The packages of the staff member's store.
#[utoipa::path(get, path = "/api/orders/pick_up_code/", tag = "offline", params(PackageFilter),
    responses((status = 200, description = "`{count, results[]}`", body = Envelope<Page<Package>>),
              (status = 401, description = "no or invalid staff token")))]
pub async fn list(State(app): State<App>, staff: StaffUser, q: Query<PackageFilter>) -> Result<Response, ApiError> {
    let f = q.0;
    let (limit, offset) = paging(&f.limit, &f.offset)?;
    let filter = Filter {
        ids: numbers("id", &[&f.id, &f.id_in])?,
        order_ids: numbers("heyshop_order_id", &[&f.heyshop_order_id, &f.heyshop_order_id_in])?,
        keys: values(&[&f.key, &f.key_in, &f.key_in_django]),
        stock_statuses: one_of("stock_status", &stock_status::ALL, &[&f.stock_status, &f.stock_status_in])?,
        key_statuses: one_of("key_status", &key_status::ALL, &[&f.key_status, &f.key_status_in])?,
        offset,
        limit,
    };
    let (rows, count) = offline::list_packages(&app, &staff.actor, &filter).await?;
    let tz = tz_of(&app, &staff).await?;
    Ok(ok(Page { count, results: rows.iter().map(|v| Package::new(v, tz)).collect() }))
}

async fn tz_of(app: &App, staff: &StaffUser) -> Result<dingdan_core::time::Tz, ApiError> {
    Ok(dingdan_app::tenant_tz(app, staff.actor.tenant_id.unwrap_or(0)).await?)
}

/// A package's order, with the `order_token` a customer can `fetch` with.
#[utoipa::path(get, path = "/api/orders/pick_up_code/{id}/order/", tag = "offline",
    params(("id" = i64, Path, description = "package id")),
    responses((status = 200, description = "the order", body = Envelope<Order>),
              (status = 404, description = "no such package at this store")))]
pub async fn order(State(app): State<App>, staff: StaffUser, Path(id): Path<String>) -> Result<Response, ApiError> {
    let po = offline::package_order(&app, &staff.actor, package_id(&id)?).await?;
    Ok(ok(Order::new(&po, tz_of(&app, &staff).await?)))
}

/// A customer's pickup information by order token and merchant domain; no staff token.
#[utoipa::path(get, path = "/api/orders/pick_up_code/fetch/", tag = "offline", params(FetchParams),
    responses((status = 200, description = "the customer's code and order", body = Envelope<CustomerPickup>),
              (status = 404, description = "unknown token or shop")))]
pub async fn fetch(State(app): State<App>, q: Query<FetchParams>) -> Result<Response, ApiError> {
    let p = q.0;
    let token =
        p.order_token.filter(|t| !t.trim().is_empty()).ok_or_else(|| ApiError::invalid("order_token is required"))?;
    let shop = p.shop.filter(|t| !t.trim().is_empty()).ok_or_else(|| ApiError::invalid("shop is required"))?;
    let po = offline::customer_fetch(&app, &token, &shop).await?;
    let tz = dingdan_app::tenant_tz(&app, po.package.package.tenant_id).await?;
    Ok(ok(CustomerPickup::new(&po, tz)))
}

/// Marks the package's stock as prepared (unprepare → prepared).
#[utoipa::path(post, path = "/api/orders/pick_up_code/{id}/stock_prepare/", tag = "offline",
    params(("id" = i64, Path, description = "package id")),
    responses((status = 200, description = "the package", body = Envelope<Package>),
              (status = 409, description = "already prepared, or the code is not unused")))]
pub async fn stock_prepare(
    State(app): State<App>,
    staff: StaffUser,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    let v = offline::prepare_stock(&app, &staff.actor, package_id(&id)?).await?;
    Ok(ok(Package::new(&v, tz_of(&app, &staff).await?)))
}

fn key_of(key: Option<String>) -> Result<String, ApiError> {
    key.filter(|k| !k.trim().is_empty()).ok_or_else(|| ApiError::invalid("key is required"))
}

/// Looks a code up at the staff member's store without changing it.
#[utoipa::path(get, path = "/api/orders/pick_up_code/check/", tag = "offline", params(KeyParam),
    responses((status = 200, description = "the package's order with its code", body = Envelope<Order>),
              (status = 404, description = "no such code at this store"),
              (status = 429, description = "too many failed look-ups")))]
pub async fn check(State(app): State<App>, staff: StaffUser, q: Query<KeyParam>) -> Result<Response, ApiError> {
    let po = offline::check_code(&app, &staff.actor, &key_of(q.0.key)?).await?;
    Ok(ok(Order::new(&po, tz_of(&app, &staff).await?)))
}

/// Consumes a code: unused → used, exactly once; the order is completed.
#[utoipa::path(post, path = "/api/orders/pick_up_code/consume/", tag = "offline", request_body = KeyBody,
    responses((status = 200, description = "the package, now used", body = Envelope<Package>),
              (status = 404, description = "no such code at this store"),
              (status = 409, description = "already used, expired, cancelled or not prepared"),
              (status = 429, description = "too many failed look-ups")))]
pub async fn consume(State(app): State<App>, staff: StaffUser, body: Body<KeyBody>) -> Result<Response, ApiError> {
    let v = offline::consume_code(&app, &staff.actor, &key_of(body.0.key)?).await?;
    Ok(ok(Package::new(&v, tz_of(&app, &staff).await?)))
}

/// Reverses a consumption (used → unused) within the rollback window, with an optional reason.
#[utoipa::path(post, path = "/api/orders/pick_up_code/rollback/", tag = "offline", request_body = KeyBody,
    responses((status = 200, description = "the package, unused again", body = Envelope<Package>),
              (status = 404, description = "no such code at this store"),
              (status = 409, description = "not used, or the window has passed")))]
pub async fn rollback(State(app): State<App>, staff: StaffUser, body: Body<KeyBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let reason = b.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if reason.is_some_and(|r| r.chars().count() > 500) {
        return Err(ApiError::invalid("reason must be at most 500 characters"));
    }
    let v = offline::rollback_code(&app, &staff.actor, &key_of(b.key)?, reason).await?;
    Ok(ok(Package::new(&v, tz_of(&app, &staff).await?)))
}
