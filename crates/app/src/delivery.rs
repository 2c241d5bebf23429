//! Station delivery: carriers and car models (admin), drivers, routes (a customer is on at most
//! one), delivery tasks (orders not yet signed) and assigning them to enabled drivers.

use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::ids;
use dingdan_core::order::{Channel, Fulfillment};
use dingdan_store::delivery::{self, Driver, Route, Task};
use dingdan_store::{customers, orders};
use serde_json::json;

pub use dingdan_store::delivery::{Driver as DriverRow, Route as RouteRow, Task as TaskRow};

/// Driver states.
pub const ENABLED: i64 = 1;
pub const DISABLED: i64 = 2;

fn name(field: &'static str, v: &str) -> Result<String> {
    let v = v.trim();
    if v.is_empty() || v.chars().count() > 50 {
        Err(AppError::invalid(field, "must be 1 to 50 characters"))
    } else {
        Ok(v.to_string())
    }
}

pub async fn create_carrier(app: &App, actor: &Actor, tenant_id: i64, carrier: &str) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let carrier = name("name", carrier)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = delivery::insert_carrier(tx.conn(), tenant_id, &carrier, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "carrier",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": carrier })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn create_car_model(app: &App, actor: &Actor, tenant_id: i64, model: &str, max_load: i64) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let model = name("name", model)?;
    if !(1..=1_000_000).contains(&max_load) {
        return Err(AppError::invalid("max_load", "must be between 1 and 1000000"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = delivery::insert_car_model(tx.conn(), tenant_id, &model, max_load, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "car_model",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": model })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list_carriers(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<(i64, String, i64)>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(delivery::list_carriers(app.db.reader(), tenant_id, search, skip, take).await?)
}

pub async fn list_car_models(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<(i64, String, i64)>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(delivery::list_car_models(app.db.reader(), tenant_id, search, skip, take).await?)
}

/// A driver's fields; `id` 0 for a new driver.
#[derive(Debug, Clone)]
pub struct DriverFields {
    pub name: String,
    pub phone: String,
    pub carrier_id: i64,
    pub car_model_id: i64,
    pub plate_number: String,
    pub state: i64,
}

/// Creates (`id` None) or updates a driver.
pub async fn save_driver(app: &App, actor: &Actor, tenant_id: i64, id: Option<i64>, f: &DriverFields) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let driver_name = name("name", &f.name)?;
    let phone = f.phone.trim();
    if !(3..=20).contains(&phone.len()) || !phone.bytes().all(|b| b.is_ascii_digit() || b == b'-' || b == b'+') {
        return Err(AppError::invalid("phone", "must be a telephone number"));
    }
    let plate = name("plate_number", &f.plate_number)?;
    if ![ENABLED, DISABLED].contains(&f.state) {
        return Err(AppError::invalid("state", "must be 1 (enabled) or 2 (disabled)"));
    }
    if !delivery::carrier_exists(app.db.reader(), tenant_id, f.carrier_id).await? {
        return Err(AppError::invalid("carrier_id", "no such carrier"));
    }
    if !delivery::car_model_exists(app.db.reader(), tenant_id, f.car_model_id).await? {
        return Err(AppError::invalid("car_model_id", "no such car model"));
    }
    if let Some(id) = id {
        delivery::driver(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("driver"))?;
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let d = Driver {
        id: id.unwrap_or(0),
        name: driver_name.clone(),
        phone: phone.to_string(),
        carrier_id: f.carrier_id,
        carrier_name: String::new(),
        car_model_id: f.car_model_id,
        car_model_name: String::new(),
        max_load: 0,
        plate_number: plate,
        share: 0,
        state: f.state,
        open_tasks: 0,
    };
    let saved = delivery::save_driver(&mut tx, tenant_id, &d, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "driver",
            entity_id: saved,
            action: if id.is_some() { "update" } else { "create" },
            from: None,
            to: Some(if f.state == ENABLED { "enabled" } else { "disabled" }),
            detail: Some(json!({ "name": driver_name })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(saved)
}

pub async fn list_drivers(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<Driver>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(delivery::list_drivers(app.db.reader(), tenant_id, search, skip, take).await?)
}

/// Checks the customers exist and are on no other route.
async fn check_route_customers(tx: &mut dingdan_store::Tx, tenant_id: i64, route_id: i64, list: &[i64]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for c in list {
        if !seen.insert(*c) {
            return Err(AppError::invalid("customer_ids", format!("{} appears twice", ids::CUSTOMER.format(*c))));
        }
        customers::get(tx.conn(), tenant_id, *c).await?.ok_or_else(|| {
            AppError::invalid("customer_ids", format!("{} is not a customer", ids::CUSTOMER.format(*c)))
        })?;
        if let Some(other) = delivery::route_of_customer(tx, *c, route_id).await? {
            return Err(AppError::Conflict(format!(
                "{} is already on route {other}: a customer is on at most one route",
                ids::CUSTOMER.format(*c)
            )));
        }
    }
    Ok(())
}

pub async fn create_route(app: &App, actor: &Actor, tenant_id: i64, route: &str, customer_ids: &[i64]) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let route = name("route_name", route)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    check_route_customers(&mut tx, tenant_id, 0, customer_ids).await?;
    let id = delivery::insert_route(&mut tx, tenant_id, &route, &format!("{}:{}", actor.role.as_str(), actor.id), now)
        .await?;
    delivery::set_route_customers(&mut tx, id, customer_ids).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "route",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": route, "customers": customer_ids.len() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_route(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    id: i64,
    route: Option<&str>,
    customer_ids: Option<&[i64]>,
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    delivery::route(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("route"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    if let Some(n) = route {
        delivery::rename_route(&mut tx, id, &name("route_name", n)?).await?;
    }
    if let Some(list) = customer_ids {
        check_route_customers(&mut tx, tenant_id, id, list).await?;
        delivery::set_route_customers(&mut tx, id, list).await?;
    }
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change { entity: "route", entity_id: id, action: "update", from: None, to: None, detail: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn delete_route(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    delivery::route(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("route"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    delivery::delete_route(&mut tx, id).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change { entity: "route", entity_id: id, action: "delete", from: None, to: None, detail: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn list_routes(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<Route>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(delivery::list_routes(app.db.reader(), tenant_id, search, skip, take).await?)
}

/// A route and a page of its customers (id, shop name, district code, street code).
pub async fn route_detail(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    id: i64,
    skip: i64,
    take: i64,
) -> Result<(Route, Vec<(i64, String, String, String)>)> {
    ensure_tenant(actor, tenant_id)?;
    let route = delivery::route(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("route"))?;
    let list = delivery::route_customers(app.db.reader(), id, skip, take).await?;
    Ok((route, list))
}

pub async fn tasks(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    filter: (Option<i64>, Option<i64>, Option<i64>),
    skip: i64,
    take: i64,
) -> Result<Vec<Task>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(delivery::tasks(app.db.reader(), tenant_id, filter.0, filter.1, filter.2, skip, take).await?)
}

/// Assigns orders not yet signed to an enabled driver (`Some`), or cancels their assignment
/// (`None`): all of them or none.
pub async fn assign_driver(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_ids: &[i64],
    driver_id: Option<i64>,
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if order_ids.is_empty() {
        return Err(AppError::invalid("order_ids", "give at least one order"));
    }
    if let Some(d) = driver_id {
        let driver = delivery::driver(app.db.reader(), tenant_id, d).await?.ok_or(AppError::not_found("driver"))?;
        if driver.state != ENABLED {
            return Err(AppError::Conflict(format!("driver {} is disabled", driver.name)));
        }
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    for id in order_ids {
        let order = orders::lock(&mut tx, tenant_id, *id)
            .await?
            .filter(|o| o.channel == Channel::B2b)
            .ok_or(AppError::not_found("order"))?;
        if !matches!(order.fulfillment, Fulfillment::Pending | Fulfillment::Sorting | Fulfillment::Delivering) {
            return Err(AppError::Conflict(format!(
                "{} is {}: only orders not yet signed can be assigned",
                ids::ORDER.format(order.id),
                order.fulfillment.as_str()
            )));
        }
        let before = delivery::driver_of_order(tx.conn(), order.id).await?;
        delivery::assign(&mut tx, order.id, driver_id, now).await?;
        journal::audit(
            &mut tx,
            actor,
            Some(tenant_id),
            now,
            Change {
                entity: "order",
                entity_id: order.id,
                action: if driver_id.is_some() { "assign_driver" } else { "cancel_driver" },
                from: None,
                to: None,
                detail: Some(json!({ "driver_before": before, "driver_after": driver_id })),
            },
        )
        .await?;
        journal::emit(
            &mut tx,
            Some(tenant_id),
            now,
            "order_update",
            "order",
            order.id,
            json!({ "order_id": ids::ORDER.format(order.id) }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
