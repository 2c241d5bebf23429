//! Pickup packages of the offline dialect: an order waiting at a store with a six-digit code.

use crate::{Backend, Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Package {
    pub id: i64,
    pub tenant_id: i64,
    pub store_id: i64,
    pub order_id: i64,
    pub order_token: String,
    pub key: String,
    /// As stored: unused, used, canceled (expiry is derived from `expires_at`).
    pub key_status: String,
    pub stock_status: String,
    pub expires_at: i64,
    pub used_at: Option<i64>,
    pub used_by: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

const COLUMNS: &str = "p.id, p.tenant_id, p.store_id, p.order_id, p.order_token, p.pickup_key, p.key_status,
    p.stock_status, p.expires_at, p.used_at, p.used_by, p.created_at, p.updated_at";

fn from_row(r: &AnyRow) -> Result<Package> {
    Ok(Package {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        store_id: r.try_get("store_id")?,
        order_id: r.try_get("order_id")?,
        order_token: r.try_get("order_token")?,
        key: r.try_get("pickup_key")?,
        key_status: r.try_get("key_status")?,
        stock_status: r.try_get("stock_status")?,
        expires_at: r.try_get("expires_at")?,
        used_at: r.try_get("used_at")?,
        used_by: r.try_get("used_by")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// Inserts a package; `p.id` is ignored.
pub async fn insert(tx: &mut Tx, p: &Package) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO pickup_packages (tenant_id, store_id, order_id, order_token, pickup_key, key_status, stock_status,
             expires_at, used_at, used_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(p.tenant_id)
    .bind(p.store_id)
    .bind(p.order_id)
    .bind(&p.order_token)
    .bind(&p.key)
    .bind(&p.key_status)
    .bind(&p.stock_status)
    .bind(p.expires_at)
    .bind(p.used_at)
    .bind(p.used_by)
    .bind(p.created_at)
    .bind(p.updated_at)
    .fetch_one(tx.conn())
    .await?)
}

/// Writes back the mutable fields.
pub async fn update(tx: &mut Tx, p: &Package) -> Result<()> {
    sqlx::query(
        "UPDATE pickup_packages SET key_status = $2, stock_status = $3, used_at = $4, used_by = $5, updated_at = $6
         WHERE id = $1",
    )
    .bind(p.id)
    .bind(&p.key_status)
    .bind(&p.stock_status)
    .bind(p.used_at)
    .bind(p.used_by)
    .bind(p.updated_at)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Whether a live package of the store holds `key`.
pub async fn key_taken(tx: &mut Tx, store_id: i64, key: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM pickup_packages WHERE store_id = $1 AND pickup_key = $2 AND key_status IN ('unused', 'used')",
    )
    .bind(store_id)
    .bind(key)
    .fetch_one(tx.conn())
    .await?;
    Ok(n > 0)
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<Package>> {
    let sql = format!("SELECT {COLUMNS} FROM pickup_packages p WHERE p.id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

pub async fn by_order_token<'c, E: Executor<'c, Database = Any>>(e: E, token: &str) -> Result<Option<Package>> {
    let sql = format!("SELECT {COLUMNS} FROM pickup_packages p WHERE p.order_token = $1");
    sqlx::query(&sql).bind(token).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

pub async fn of_order<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    order_id: i64,
) -> Result<Vec<Package>> {
    let sql =
        format!("SELECT {COLUMNS} FROM pickup_packages p WHERE p.tenant_id = $1 AND p.order_id = $2 ORDER BY p.id");
    sqlx::query(&sql).bind(tenant_id).bind(order_id).fetch_all(e).await?.iter().map(from_row).collect()
}

fn lock_suffix(tx: &Tx) -> &'static str {
    if tx.backend() == Backend::Postgres {
        " FOR UPDATE"
    } else {
        ""
    }
}

/// Reads a package for change, holding its row lock (PostgreSQL) until the transaction ends.
pub async fn lock(tx: &mut Tx, id: i64) -> Result<Option<Package>> {
    let sql = format!("SELECT {COLUMNS} FROM pickup_packages p WHERE p.id = $1{}", lock_suffix(tx));
    sqlx::query(&sql).bind(id).fetch_optional(tx.conn()).await?.as_ref().map(from_row).transpose()
}

/// The store's package holding `key` (a live one first, else the newest), locked for change.
pub async fn lock_by_key(tx: &mut Tx, store_id: i64, key: &str) -> Result<Option<Package>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM pickup_packages p WHERE p.store_id = $1 AND p.pickup_key = $2
         ORDER BY CASE WHEN p.key_status IN ('unused', 'used') THEN 0 ELSE 1 END, p.id DESC LIMIT 1{}",
        lock_suffix(tx)
    );
    sqlx::query(&sql).bind(store_id).bind(key).fetch_optional(tx.conn()).await?.as_ref().map(from_row).transpose()
}

/// The effective key status in SQL: an unused code past its expiry reads as expired.
const EFFECTIVE: &str = "CASE WHEN p.key_status = 'unused' AND p.expires_at <= $2 THEN 'expired' ELSE p.key_status END";

/// List filters of the offline dialect; lists are OR-ed within a field, AND-ed across fields.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub ids: Vec<i64>,
    pub order_ids: Vec<i64>,
    pub keys: Vec<String>,
    pub stock_statuses: Vec<String>,
    pub key_statuses: Vec<String>,
    pub offset: i64,
    pub limit: i64,
}

/// A page of one store's packages, newest first, and the total count.
pub async fn list<'c, E>(e: E, store_id: i64, now: i64, f: &Filter) -> Result<(Vec<Package>, i64)>
where
    E: Executor<'c, Database = Any> + Copy,
{
    let mut cond = String::from("p.store_id = $1 AND $2 = $2");
    let mut n = 2;
    let mut push_in = |cond: &mut String, col: &str, count: usize| {
        if count > 0 {
            let marks: Vec<String> = (0..count)
                .map(|_| {
                    n += 1;
                    format!("${n}")
                })
                .collect();
            cond.push_str(&format!(" AND {col} IN ({})", marks.join(", ")));
        }
    };
    push_in(&mut cond, "p.id", f.ids.len());
    push_in(&mut cond, "p.order_id", f.order_ids.len());
    push_in(&mut cond, "p.pickup_key", f.keys.len());
    push_in(&mut cond, "p.stock_status", f.stock_statuses.len());
    push_in(&mut cond, EFFECTIVE, f.key_statuses.len());
    macro_rules! bind_all {
        ($q:expr) => {{
            let mut q = $q.bind(store_id).bind(now);
            for v in &f.ids {
                q = q.bind(*v);
            }
            for v in &f.order_ids {
                q = q.bind(*v);
            }
            for v in &f.keys {
                q = q.bind(v.clone());
            }
            for v in &f.stock_statuses {
                q = q.bind(v.clone());
            }
            for v in &f.key_statuses {
                q = q.bind(v.clone());
            }
            q
        }};
    }
    let count_sql = format!("SELECT COUNT(*) FROM pickup_packages p WHERE {cond}");
    let total: i64 = bind_all!(sqlx::query_scalar(&count_sql)).fetch_one(e).await?;
    let sql = format!(
        "SELECT {COLUMNS} FROM pickup_packages p WHERE {cond} ORDER BY p.id DESC LIMIT {} OFFSET {}",
        f.limit.clamp(1, 1000),
        f.offset.max(0)
    );
    let rows = bind_all!(sqlx::query(&sql)).fetch_all(e).await?;
    Ok((rows.iter().map(from_row).collect::<Result<_>>()?, total))
}
