//! Carriers, car models, drivers, routes, and orders' driver assignments.

use crate::{Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

pub async fn insert_carrier<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    name: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar("INSERT INTO carriers (tenant_id, name, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(tenant_id)
        .bind(name)
        .bind(now)
        .fetch_one(e)
        .await?)
}

pub async fn insert_car_model<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    name: &str,
    max_load: i64,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO car_models (tenant_id, name, max_load, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(tenant_id)
    .bind(name)
    .bind(max_load)
    .bind(now)
    .fetch_one(e)
    .await?)
}

fn pattern(search: Option<&str>) -> String {
    search
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")))
        .unwrap_or_default()
}

/// (id, name, driver count)
pub async fn list_carriers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<(i64, String, i64)>> {
    sqlx::query(
        "SELECT c.id, c.name, (SELECT COUNT(*) FROM drivers d WHERE d.carrier_id = c.id) AS drivers FROM carriers c
         WHERE c.tenant_id = $1 AND ($2 = '' OR c.name LIKE $2) ORDER BY c.id LIMIT $3 OFFSET $4",
    )
    .bind(tenant_id)
    .bind(pattern(search))
    .bind(take)
    .bind(skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("drivers")?)))
    .collect()
}

/// (id, name, max load)
pub async fn list_car_models<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<(i64, String, i64)>> {
    sqlx::query(
        "SELECT id, name, max_load FROM car_models WHERE tenant_id = $1 AND ($2 = '' OR name LIKE $2)
         ORDER BY id LIMIT $3 OFFSET $4",
    )
    .bind(tenant_id)
    .bind(pattern(search))
    .bind(take)
    .bind(skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("name")?, r.try_get("max_load")?)))
    .collect()
}

pub async fn carrier_exists<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM carriers WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(id)
        .fetch_one(e)
        .await?;
    Ok(n > 0)
}

pub async fn car_model_exists<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM car_models WHERE tenant_id = $1 AND id = $2")
        .bind(tenant_id)
        .bind(id)
        .fetch_one(e)
        .await?;
    Ok(n > 0)
}

/// A driver with the names of its carrier and car model.
#[derive(Debug, Clone)]
pub struct Driver {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub carrier_id: i64,
    pub carrier_name: String,
    pub car_model_id: i64,
    pub car_model_name: String,
    pub max_load: i64,
    pub plate_number: String,
    pub share: i64,
    pub state: i64,
    pub open_tasks: i64,
}

const DRIVER_SELECT: &str = "SELECT d.id, d.name, d.phone, d.carrier_id, c.name AS carrier_name, d.car_model_id,
    m.name AS car_model_name, m.max_load, d.plate_number, d.share, d.state,
    (SELECT COUNT(*) FROM orders o WHERE o.driver_id = d.id AND o.fulfillment IN ('pending', 'sorting', 'delivering')) AS open_tasks
    FROM drivers d JOIN carriers c ON c.id = d.carrier_id JOIN car_models m ON m.id = d.car_model_id";

fn driver_from_row(r: &AnyRow) -> Result<Driver> {
    Ok(Driver {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        phone: r.try_get("phone")?,
        carrier_id: r.try_get("carrier_id")?,
        carrier_name: r.try_get("carrier_name")?,
        car_model_id: r.try_get("car_model_id")?,
        car_model_name: r.try_get("car_model_name")?,
        max_load: r.try_get("max_load")?,
        plate_number: r.try_get("plate_number")?,
        share: r.try_get("share")?,
        state: r.try_get("state")?,
        open_tasks: r.try_get("open_tasks")?,
    })
}

pub async fn driver<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Driver>> {
    let sql = format!("{DRIVER_SELECT} WHERE d.tenant_id = $1 AND d.id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(driver_from_row).transpose()
}

pub async fn list_drivers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<Driver>> {
    let sql = format!(
        "{DRIVER_SELECT} WHERE d.tenant_id = $1 AND ($2 = '' OR d.name LIKE $2) ORDER BY d.id LIMIT $3 OFFSET $4"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(pattern(search))
        .bind(take)
        .bind(skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(driver_from_row)
        .collect()
}

/// Inserts (`d.id == 0`) or updates a driver; its id.
pub async fn save_driver(tx: &mut Tx, tenant_id: i64, d: &Driver, now: i64) -> Result<i64> {
    if d.id == 0 {
        Ok(sqlx::query_scalar(
            "INSERT INTO drivers (tenant_id, name, phone, carrier_id, car_model_id, plate_number, share, state, created_at,
                 updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
        )
        .bind(tenant_id)
        .bind(&d.name)
        .bind(&d.phone)
        .bind(d.carrier_id)
        .bind(d.car_model_id)
        .bind(&d.plate_number)
        .bind(d.share)
        .bind(d.state)
        .bind(now)
        .fetch_one(tx.conn())
        .await?)
    } else {
        sqlx::query(
            "UPDATE drivers SET name = $2, phone = $3, carrier_id = $4, car_model_id = $5, plate_number = $6, state = $7,
                 updated_at = $8 WHERE id = $1",
        )
        .bind(d.id)
        .bind(&d.name)
        .bind(&d.phone)
        .bind(d.carrier_id)
        .bind(d.car_model_id)
        .bind(&d.plate_number)
        .bind(d.state)
        .bind(now)
        .execute(tx.conn())
        .await?;
        Ok(d.id)
    }
}

/// Sets (or clears) the driver of an order.
pub async fn assign(tx: &mut Tx, order_id: i64, driver_id: Option<i64>, now: i64) -> Result<()> {
    sqlx::query("UPDATE orders SET driver_id = $2, updated_at = $3, version = version + 1 WHERE id = $1")
        .bind(order_id)
        .bind(driver_id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// A route with its customer count.
#[derive(Debug, Clone)]
pub struct Route {
    pub id: i64,
    pub name: String,
    pub create_user: String,
    pub created_at: i64,
    pub customers: i64,
}

const ROUTE_SELECT: &str = "SELECT r.id, r.name, r.create_user, r.created_at,
    (SELECT COUNT(*) FROM route_customers rc WHERE rc.route_id = r.id) AS customers FROM routes r";

fn route_from_row(r: &AnyRow) -> Result<Route> {
    Ok(Route {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        create_user: r.try_get("create_user")?,
        created_at: r.try_get("created_at")?,
        customers: r.try_get("customers")?,
    })
}

pub async fn route<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Route>> {
    let sql = format!("{ROUTE_SELECT} WHERE r.tenant_id = $1 AND r.id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(route_from_row).transpose()
}

pub async fn list_routes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<Route>> {
    let sql = format!(
        "{ROUTE_SELECT} WHERE r.tenant_id = $1 AND ($2 = '' OR r.name LIKE $2) ORDER BY r.id LIMIT $3 OFFSET $4"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(pattern(search))
        .bind(take)
        .bind(skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(route_from_row)
        .collect()
}

pub async fn insert_route(tx: &mut Tx, tenant_id: i64, name: &str, create_user: &str, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO routes (tenant_id, name, create_user, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(tenant_id)
    .bind(name)
    .bind(create_user)
    .bind(now)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn rename_route(tx: &mut Tx, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE routes SET name = $2 WHERE id = $1").bind(id).bind(name).execute(tx.conn()).await?;
    Ok(())
}

pub async fn delete_route(tx: &mut Tx, id: i64) -> Result<()> {
    sqlx::query("DELETE FROM route_customers WHERE route_id = $1").bind(id).execute(tx.conn()).await?;
    sqlx::query("DELETE FROM routes WHERE id = $1").bind(id).execute(tx.conn()).await?;
    Ok(())
}

/// Replaces a route's customers.
pub async fn set_route_customers(tx: &mut Tx, route_id: i64, customers: &[i64]) -> Result<()> {
    sqlx::query("DELETE FROM route_customers WHERE route_id = $1").bind(route_id).execute(tx.conn()).await?;
    for c in customers {
        sqlx::query("INSERT INTO route_customers (route_id, customer_id) VALUES ($1, $2)")
            .bind(route_id)
            .bind(*c)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

/// The route another customer is on, if any (other than `except_route`).
pub async fn route_of_customer(tx: &mut Tx, customer_id: i64, except_route: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT route_id FROM route_customers WHERE customer_id = $1 AND route_id <> $2")
        .bind(customer_id)
        .bind(except_route)
        .fetch_optional(tx.conn())
        .await?)
}

/// (customer id, shop name, district code, street code) of a route's customers.
pub async fn route_customers<'c, E: Executor<'c, Database = Any>>(
    e: E,
    route_id: i64,
    skip: i64,
    take: i64,
) -> Result<Vec<(i64, String, String, String)>> {
    sqlx::query(
        "SELECT c.id, c.resname, c.area_level1, c.area_level2 FROM route_customers rc JOIN customers c ON c.id = rc.customer_id
         WHERE rc.route_id = $1 ORDER BY c.id LIMIT $2 OFFSET $3",
    )
    .bind(route_id)
    .bind(take)
    .bind(skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("id")?, r.try_get("resname")?, r.try_get("area_level1")?, r.try_get("area_level2")?)))
    .collect()
}

/// An order due for delivery, with what the task list shows.
#[derive(Debug, Clone)]
pub struct Task {
    pub order_id: i64,
    pub sort_id: Option<i64>,
    pub customer_id: i64,
    pub customer_name: String,
    pub address: String,
    pub area_level1: String,
    pub area_level2: String,
    pub receive_begin_at: Option<i64>,
    pub receive_end_at: Option<i64>,
    pub total_pay: i64,
    pub pay_method: i64,
    pub fulfillment: String,
    pub driver_id: Option<i64>,
    pub driver_name: Option<String>,
    pub driver_state: Option<i64>,
    pub carrier_id: Option<i64>,
    pub route_id: Option<i64>,
    pub route_name: Option<String>,
}

/// Orders not yet signed, optionally of a driver, carrier or route.
pub async fn tasks<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    driver_id: Option<i64>,
    carrier_id: Option<i64>,
    route_id: Option<i64>,
    skip: i64,
    take: i64,
) -> Result<Vec<Task>> {
    sqlx::query(
        "SELECT o.id, o.sort_id, c.id AS customer_id, c.resname, c.address, c.area_level1, c.area_level2, o.receive_begin_at,
                o.receive_end_at, o.total_pay, c.pay_method, o.fulfillment, o.driver_id, d.name AS driver_name,
                d.state AS driver_state, d.carrier_id, rc.route_id, r.name AS route_name
         FROM orders o JOIN customers c ON c.id = o.customer_id
         LEFT JOIN drivers d ON d.id = o.driver_id
         LEFT JOIN route_customers rc ON rc.customer_id = c.id LEFT JOIN routes r ON r.id = rc.route_id
         WHERE o.tenant_id = $1 AND o.channel = 'b2b' AND o.fulfillment IN ('pending', 'sorting', 'delivering')
         AND ($2 = 0 OR o.driver_id = $2) AND ($3 = 0 OR d.carrier_id = $3) AND ($4 = 0 OR rc.route_id = $4)
         ORDER BY o.receive_begin_at, o.id LIMIT $5 OFFSET $6",
    )
    .bind(tenant_id)
    .bind(driver_id.unwrap_or(0))
    .bind(carrier_id.unwrap_or(0))
    .bind(route_id.unwrap_or(0))
    .bind(take)
    .bind(skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| {
        Ok(Task {
            order_id: r.try_get("id")?,
            sort_id: r.try_get("sort_id")?,
            customer_id: r.try_get("customer_id")?,
            customer_name: r.try_get("resname")?,
            address: r.try_get("address")?,
            area_level1: r.try_get("area_level1")?,
            area_level2: r.try_get("area_level2")?,
            receive_begin_at: r.try_get("receive_begin_at")?,
            receive_end_at: r.try_get("receive_end_at")?,
            total_pay: r.try_get("total_pay")?,
            pay_method: r.try_get("pay_method")?,
            fulfillment: r.try_get("fulfillment")?,
            driver_id: r.try_get("driver_id")?,
            driver_name: r.try_get("driver_name")?,
            driver_state: r.try_get("driver_state")?,
            carrier_id: r.try_get("carrier_id")?,
            route_id: r.try_get("route_id")?,
            route_name: r.try_get("route_name")?,
        })
    })
    .collect()
}

/// The driver of an order.
pub async fn driver_of_order<'c, E: Executor<'c, Database = Any>>(e: E, order_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT driver_id FROM orders WHERE id = $1").bind(order_id).fetch_one(e).await?)
}
