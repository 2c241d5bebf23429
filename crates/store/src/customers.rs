//! B2B customers (merchants, restaurants). The SID and the KID of the documents are two public
//! faces of one key.

use crate::{flag, Result};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone)]
pub struct Customer {
    pub id: i64,
    pub tenant_id: i64,
    pub username: String,
    pub resname: String,
    pub payer_name: String,
    pub payer_phone: String,
    pub receiver_name: String,
    pub receiver_phone: String,
    pub address: String,
    pub district_code: String,
    pub area_level1: String,
    pub area_level2: String,
    pub settle_way: i64,
    pub pay_method: i64,
    pub frozen: bool,
    pub balance: i64,
    pub whitelist: i64,
    pub check_out: i64,
    pub created_at: i64,
}

const COLUMNS: &str = "id, tenant_id, username, resname, payer_name, payer_phone, receiver_name, receiver_phone,
    address, district_code, area_level1, area_level2, settle_way, pay_method, frozen, balance,
    whitelist, check_out, created_at";

fn from_row(r: &AnyRow) -> Result<Customer> {
    Ok(Customer {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        username: r.try_get("username")?,
        resname: r.try_get("resname")?,
        payer_name: r.try_get("payer_name")?,
        payer_phone: r.try_get("payer_phone")?,
        receiver_name: r.try_get("receiver_name")?,
        receiver_phone: r.try_get("receiver_phone")?,
        address: r.try_get("address")?,
        district_code: r.try_get("district_code")?,
        area_level1: r.try_get("area_level1")?,
        area_level2: r.try_get("area_level2")?,
        settle_way: r.try_get("settle_way")?,
        pay_method: r.try_get("pay_method")?,
        frozen: flag(r.try_get("frozen")?),
        balance: r.try_get("balance")?,
        whitelist: r.try_get("whitelist")?,
        check_out: r.try_get("check_out")?,
        created_at: r.try_get("created_at")?,
    })
}

pub struct NewCustomer<'a> {
    pub tenant_id: i64,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub resname: &'a str,
    pub payer_name: &'a str,
    pub payer_phone: &'a str,
    pub receiver_name: &'a str,
    pub receiver_phone: &'a str,
    pub address: &'a str,
    pub district_code: &'a str,
    pub area_level1: &'a str,
    pub area_level2: &'a str,
}

pub async fn insert<'c, E: Executor<'c, Database = Any>>(e: E, c: &NewCustomer<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO customers (tenant_id, username, password_hash, resname, payer_name, payer_phone, receiver_name,
                                receiver_phone, address, district_code, area_level1, area_level2, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) RETURNING id",
    )
    .bind(c.tenant_id)
    .bind(c.username)
    .bind(c.password_hash)
    .bind(c.resname)
    .bind(c.payer_name)
    .bind(c.payer_phone)
    .bind(c.receiver_name)
    .bind(c.receiver_phone)
    .bind(c.address)
    .bind(c.district_code)
    .bind(c.area_level1)
    .bind(c.area_level2)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Customer>> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64) -> Result<Vec<Customer>> {
    let sql = format!("SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND deleted_at IS NULL ORDER BY id");
    sqlx::query(&sql).bind(tenant_id).fetch_all(e).await?.iter().map(from_row).collect()
}

/// Writes back a customer's editable fields (and a new password hash when given).
pub async fn update<'c, E: Executor<'c, Database = Any>>(
    e: E,
    c: &Customer,
    password_hash: Option<&str>,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "UPDATE customers SET username = $2, resname = $3, payer_name = $4, payer_phone = $5, receiver_name = $6,
             receiver_phone = $7, address = $8, district_code = $9, area_level1 = $10, area_level2 = $11,
             password_hash = COALESCE($12, password_hash), updated_at = $13
         WHERE id = $1",
    )
    .bind(c.id)
    .bind(&c.username)
    .bind(&c.resname)
    .bind(&c.payer_name)
    .bind(&c.payer_phone)
    .bind(&c.receiver_name)
    .bind(&c.receiver_phone)
    .bind(&c.address)
    .bind(&c.district_code)
    .bind(&c.area_level1)
    .bind(&c.area_level2)
    .bind(password_hash)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

/// A page of a tenant's customers, optionally those whose shop name contains `search`.
pub async fn search<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    search: Option<&str>,
    skip: i64,
    take: i64,
) -> Result<Vec<Customer>> {
    let pattern = search
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")))
        .unwrap_or_default();
    let sql = format!(
        "SELECT {COLUMNS} FROM customers WHERE tenant_id = $1 AND deleted_at IS NULL AND ($2 = '' OR resname LIKE $2)
         ORDER BY id LIMIT $3 OFFSET $4"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(pattern)
        .bind(take)
        .bind(skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(from_row)
        .collect()
}

/// The price lists a customer buys from.
pub async fn price_lists_of<'c, E: Executor<'c, Database = Any>>(e: E, customer_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT price_list_id FROM customer_price_lists WHERE customer_id = $1 ORDER BY price_list_id",
    )
    .bind(customer_id)
    .fetch_all(e)
    .await?)
}

/// Forgets a customer's price lists (before linking the new set).
pub async fn unlink_price_lists<'c, E: Executor<'c, Database = Any>>(e: E, customer_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM customer_price_lists WHERE customer_id = $1").bind(customer_id).execute(e).await?;
    Ok(())
}

/// How many of a customer's orders are neither signed nor closed.
pub async fn open_orders<'c, E: Executor<'c, Database = Any>>(e: E, customer_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE customer_id = $1 AND fulfillment IN ('pending', 'confirmed', 'sorting', 'delivering')",
    )
    .bind(customer_id)
    .fetch_one(e)
    .await?)
}

/// Marks a customer deleted; its orders and ledger stay.
pub async fn delete<'c, E: Executor<'c, Database = Any>>(e: E, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE customers SET deleted_at = $2 WHERE id = $1").bind(id).bind(now).execute(e).await?;
    Ok(())
}
