//! Physical stores of a merchant (offline pickup shops and mall stores are one thing).

use crate::Result;
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone)]
pub struct Store {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub created_at: i64,
}

fn from_row(r: &AnyRow) -> Result<Store> {
    Ok(Store {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        address: r.try_get("address")?,
        phone: r.try_get("phone")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    name: &str,
    address: &str,
    phone: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO stores (tenant_id, name, address, phone, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tenant_id)
    .bind(name)
    .bind(address)
    .bind(phone)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<Store>> {
    sqlx::query("SELECT id, tenant_id, name, address, phone, created_at FROM stores WHERE id = $1")
        .bind(id)
        .fetch_optional(e)
        .await?
        .as_ref()
        .map(from_row)
        .transpose()
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64) -> Result<Vec<Store>> {
    sqlx::query("SELECT id, tenant_id, name, address, phone, created_at FROM stores WHERE tenant_id = $1 ORDER BY id")
        .bind(tenant_id)
        .fetch_all(e)
        .await?
        .iter()
        .map(from_row)
        .collect()
}
