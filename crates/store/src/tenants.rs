//! Merchants. Each dialect's notion of "whose data" (a station's API app, an offline `shop`
//! domain, a mall) resolves to one tenant.

use crate::Result;
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    pub id: i64,
    pub name: String,
    pub domain: String,
    pub timezone: String,
    pub created_at: i64,
}

fn from_row(r: &AnyRow) -> Result<Tenant> {
    Ok(Tenant {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        domain: r.try_get("domain")?,
        timezone: r.try_get("timezone")?,
        created_at: r.try_get("created_at")?,
    })
}

const COLUMNS: &str = "id, name, domain, timezone, created_at";

pub async fn insert<'c, E: Executor<'c, Database = Any>>(
    e: E,
    name: &str,
    domain: &str,
    timezone: &str,
    now: i64,
) -> Result<i64> {
    let id = sqlx::query_scalar(
        "INSERT INTO tenants (name, domain, timezone, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(name)
    .bind(domain)
    .bind(timezone)
    .bind(now)
    .fetch_one(e)
    .await?;
    Ok(id)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

pub async fn by_domain<'c, E: Executor<'c, Database = Any>>(e: E, domain: &str) -> Result<Option<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants WHERE domain = $1");
    sqlx::query(&sql).bind(domain).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<Vec<Tenant>> {
    let sql = format!("SELECT {COLUMNS} FROM tenants ORDER BY id");
    sqlx::query(&sql).fetch_all(e).await?.iter().map(from_row).collect()
}

pub async fn count<'c, E: Executor<'c, Database = Any>>(e: E) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM tenants").fetch_one(e).await?)
}
