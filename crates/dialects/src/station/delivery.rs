use super::paging::{page, PageParams, Paging};
use super::{ApiApp, Body, Query};
use crate::extract::lenient;
use crate::guanmai::{fmt, ok, status, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::delivery::{self, DriverFields};
use dingdan_app::App;
use dingdan_core::ids::{CUSTOMER, ORDER};
use dingdan_core::order::{Fulfillment, Payment};
use dingdan_core::regions;
use dingdan_core::time::format_local;
use dingdan_core::Fen;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Search {
    pub search_text: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TaskFilter {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub driver_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub carrier_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub route_id: Option<i64>,
}

fn area(district: &str, street: &str) -> String {
    let name = |code: &str| regions::path(code).and_then(|p| p.last().map(|r| r.name.clone())).unwrap_or_default();
    format!("{}{}", name(district), name(street))
}

/// Orders due for delivery (not yet signed), by driver, carrier or route.
#[utoipa::path(get, path = "/api/delivery/task/list", tag = "station", params(TaskFilter, PageParams),
    responses((status = 200, description = "`data: [task]`, `pagenation`")))]
pub async fn task_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<TaskFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    let w = paging.window();
    let rows =
        delivery::tasks(&app, &api.actor, api.tenant_id, (f.driver_id, f.carrier_id, f.route_id), w.skip, w.take)
            .await?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let (rows, pg) = paging.finish(rows);
    let minutes = |ms: Option<i64>| ms.map(|ms| format_local(ms, tz, fmt::MINUTES));
    let items = rows
        .iter()
        .map(|t| {
            let f = Fulfillment::parse(&t.fulfillment).unwrap_or(Fulfillment::Pending);
            json!({
                "id": ORDER.format(t.order_id), "order_id": ORDER.format(t.order_id), "sort_id": t.sort_id,
                "customer_id": CUSTOMER.format(t.customer_id), "customer_name": t.customer_name,
                "receive_address": t.address, "area": area(&t.area_level1, &t.area_level2),
                "receive_begin_time": minutes(t.receive_begin_at), "receive_end_time": minutes(t.receive_end_at),
                "total_price": Fen(t.total_pay).to_yuan(), "order_pay_method": if t.pay_method == 1 { "日结" } else { "周结" },
                "status": status::code(f, Payment::Unpaid), "driver_id": t.driver_id, "driver_status": t.driver_state,
                "driver_name": t.driver_name, "carrier_id": t.carrier_id, "route_id": t.route_id, "route_name": t.route_name,
            })
        })
        .collect();
    Ok(page(items, pg))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AssignBody {
    /// `["PL…", …]` (a JSON string of a list in forms)
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub order_ids: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub driver_id: Option<i64>,
}

fn order_keys(list: Option<Vec<String>>) -> Result<Vec<i64>, ApiError> {
    let list = list.filter(|l| !l.is_empty()).ok_or_else(|| ApiError::invalid("order_ids is required"))?;
    list.iter().map(|t| ORDER.parse(t).ok_or_else(|| ApiError::not_found(format!("order {t} not found")))).collect()
}

/// Assigns orders not yet signed to an enabled driver.
#[utoipa::path(post, path = "/api/delivery/driver/assign", tag = "station", request_body = AssignBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "signed order or disabled driver")))]
pub async fn driver_assign(State(app): State<App>, api: ApiApp, body: Body<AssignBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let driver = b.driver_id.ok_or_else(|| ApiError::invalid("driver_id is required"))?;
    delivery::assign_driver(&app, &api.actor, api.tenant_id, &order_keys(b.order_ids)?, Some(driver)).await?;
    Ok(ok(Value::Null))
}

/// Cancels the driver assignment of orders.
#[utoipa::path(post, path = "/api/delivery/driver/cancel", tag = "station", request_body = AssignBody,
    responses((status = 200, description = "`data: null`")))]
pub async fn driver_cancel(State(app): State<App>, api: ApiApp, body: Body<AssignBody>) -> Result<Response, ApiError> {
    delivery::assign_driver(&app, &api.actor, api.tenant_id, &order_keys(body.0.order_ids)?, None).await?;
    Ok(ok(Value::Null))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct DriverBody {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub driver_id: Option<i64>,
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub carrier_id: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub car_model_id: Option<i64>,
    pub plate_number: Option<String>,
    /// 1 enabled, 2 disabled
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub state: Option<i64>,
}

fn driver_fields(b: &DriverBody, state: i64) -> Result<DriverFields, ApiError> {
    let text = |f: &str, v: &Option<String>| v.clone().ok_or_else(|| ApiError::invalid(format!("{f} is required")));
    Ok(DriverFields {
        name: text("name", &b.name)?,
        phone: text("phone", &b.phone)?,
        carrier_id: b.carrier_id.ok_or_else(|| ApiError::invalid("carrier_id is required"))?,
        car_model_id: b.car_model_id.ok_or_else(|| ApiError::invalid("car_model_id is required"))?,
        plate_number: text("plate_number", &b.plate_number)?,
        state,
    })
}

/// Creates a driver (enabled).
#[utoipa::path(post, path = "/api/delivery/driver/create", tag = "station", request_body = DriverBody,
    responses((status = 200, description = "`data: {driver_id}`"), (status = 400, description = "invalid field")))]
pub async fn driver_create(State(app): State<App>, api: ApiApp, body: Body<DriverBody>) -> Result<Response, ApiError> {
    let f = driver_fields(&body.0, delivery::ENABLED)?;
    let id = delivery::save_driver(&app, &api.actor, api.tenant_id, None, &f).await?;
    Ok(ok(json!({ "driver_id": id })))
}

/// Updates a driver, including disabling it (`state` 2).
#[utoipa::path(post, path = "/api/delivery/driver/update", tag = "station", request_body = DriverBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such driver")))]
pub async fn driver_update(State(app): State<App>, api: ApiApp, body: Body<DriverBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = b.driver_id.ok_or_else(|| ApiError::invalid("driver_id is required"))?;
    let f = driver_fields(&b, b.state.ok_or_else(|| ApiError::invalid("state is required"))?)?;
    delivery::save_driver(&app, &api.actor, api.tenant_id, Some(id), &f).await?;
    Ok(ok(Value::Null))
}

/// Drivers, by name.
#[utoipa::path(get, path = "/api/delivery/driver/list", tag = "station", params(Search, PageParams),
    responses((status = 200, description = "`data: [driver]`, `pagenation`")))]
pub async fn driver_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<Search>,
) -> Result<Response, ApiError> {
    let w = paging.window();
    let rows =
        delivery::list_drivers(&app, &api.actor, api.tenant_id, q.0.search_text.as_deref(), w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let items = rows
        .iter()
        .map(|d| {
            json!({
                "driver_id": d.id, "driver_name": d.name, "phone": d.phone, "car_model_id": d.car_model_id,
                "car_model_name": d.car_model_name, "max_load": d.max_load, "plate_number": d.plate_number,
                "carrier_id": d.carrier_id, "carrier_name": d.carrier_name, "deliveryd": d.open_tasks > 0,
                "login": false, "state": d.state, "share": d.share, "station_id": format!("T{:05}", api.tenant_id),
                "station_name": "",
            })
        })
        .collect();
    Ok(page(items, pg))
}

/// Car models, by name.
#[utoipa::path(get, path = "/api/delivery/car_model/list", tag = "station", params(Search, PageParams),
    responses((status = 200, description = "`data: [{car_model_id, car_model_name, max_load}]`")))]
pub async fn car_model_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<Search>,
) -> Result<Response, ApiError> {
    let w = paging.window();
    let rows =
        delivery::list_car_models(&app, &api.actor, api.tenant_id, q.0.search_text.as_deref(), w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let items =
        rows.iter().map(|(id, n, load)| json!({ "car_model_id": id, "car_model_name": n, "max_load": load })).collect();
    Ok(page(items, pg))
}

/// Carriers, by name.
#[utoipa::path(get, path = "/api/delivery/carrier/list", tag = "station", params(Search, PageParams),
    responses((status = 200, description = "`data: [{carrier_id, carrier_name, driver_count}]`")))]
pub async fn carrier_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<Search>,
) -> Result<Response, ApiError> {
    let w = paging.window();
    let rows =
        delivery::list_carriers(&app, &api.actor, api.tenant_id, q.0.search_text.as_deref(), w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let items = rows
        .iter()
        .map(|(id, n, count)| json!({ "carrier_id": id, "carrier_name": n, "driver_count": count }))
        .collect();
    Ok(page(items, pg))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RouteBody {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub route_id: Option<i64>,
    pub route_name: Option<String>,
    /// `["S…", …]`
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub customer_ids: Option<Vec<String>>,
}

fn customer_keys(list: &[String]) -> Result<Vec<i64>, ApiError> {
    list.iter()
        .map(|t| {
            CUSTOMER.parse(t).ok_or_else(|| ApiError::invalid(format!("customer_ids: '{t}' is not a customer id (S…)")))
        })
        .collect()
}

/// Creates a route with its customers (each on at most one route).
#[utoipa::path(post, path = "/api/delivery/route/create", tag = "station", request_body = RouteBody,
    responses((status = 200, description = "`data: {route_id}`"), (status = 409, description = "a customer is on another route")))]
pub async fn route_create(State(app): State<App>, api: ApiApp, body: Body<RouteBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let name = b.route_name.ok_or_else(|| ApiError::invalid("route_name is required"))?;
    let list = customer_keys(&b.customer_ids.ok_or_else(|| ApiError::invalid("customer_ids is required"))?)?;
    let id = delivery::create_route(&app, &api.actor, api.tenant_id, &name, &list).await?;
    Ok(ok(json!({ "route_id": id })))
}

/// Renames a route or replaces its customers.
#[utoipa::path(post, path = "/api/delivery/route/update", tag = "station", request_body = RouteBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such route")))]
pub async fn route_update(State(app): State<App>, api: ApiApp, body: Body<RouteBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = b.route_id.ok_or_else(|| ApiError::invalid("route_id is required"))?;
    let list = b.customer_ids.as_deref().map(customer_keys).transpose()?;
    delivery::update_route(&app, &api.actor, api.tenant_id, id, b.route_name.as_deref(), list.as_deref()).await?;
    Ok(ok(Value::Null))
}

/// Deletes a route (its customers are then on none).
#[utoipa::path(post, path = "/api/delivery/route/delete", tag = "station", request_body = RouteBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such route")))]
pub async fn route_delete(State(app): State<App>, api: ApiApp, body: Body<RouteBody>) -> Result<Response, ApiError> {
    let id = body.0.route_id.ok_or_else(|| ApiError::invalid("route_id is required"))?;
    delivery::delete_route(&app, &api.actor, api.tenant_id, id).await?;
    Ok(ok(Value::Null))
}

/// Routes, by name.
#[utoipa::path(get, path = "/api/delivery/route/list", tag = "station", params(Search, PageParams),
    responses((status = 200, description = "`data: [{route_id, route_name, create_user, create_time, customer_count}]`")))]
pub async fn route_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<Search>,
) -> Result<Response, ApiError> {
    let w = paging.window();
    let rows =
        delivery::list_routes(&app, &api.actor, api.tenant_id, q.0.search_text.as_deref(), w.skip, w.take).await?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let (rows, pg) = paging.finish(rows);
    let items = rows
        .iter()
        .map(|r| json!({ "route_id": r.id, "route_name": r.name, "create_user": r.create_user,
                         "create_time": format_local(r.created_at, tz, "%Y-%m-%d %H:%M:%S"), "customer_count": r.customers }))
        .collect();
    Ok(page(items, pg))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RouteId {
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub route_id: Option<i64>,
}

/// A route's customers.
#[utoipa::path(get, path = "/api/delivery/route/get", tag = "station", params(RouteId, PageParams),
    responses((status = 200, description = "`data: [{customer_id, customer_name, route_id, route_name, area}]`"),
              (status = 404, description = "no such route")))]
pub async fn route_get(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<RouteId>,
) -> Result<Response, ApiError> {
    let id = q.0.route_id.ok_or_else(|| ApiError::invalid("route_id is required"))?;
    let w = paging.window();
    let (route, rows) = delivery::route_detail(&app, &api.actor, api.tenant_id, id, w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let items = rows
        .iter()
        .map(|(c, n, d, s)| {
            json!({ "customer_id": CUSTOMER.format(*c), "customer_name": n, "route_id": route.id,
                                    "route_name": route.name, "area": area(d, s) })
        })
        .collect();
    Ok(page(items, pg))
}
