//! Credentials: platform admins, API apps, staff, and the bearer tokens issued to all of them.
//! Secrets and passwords are stored as hashes only; tokens as their SHA-256.

use crate::{flag, Result};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone)]
pub struct Admin {
    pub id: i64,
    pub username: String,
    pub password_hash: String,
}

pub async fn insert_admin<'c, E: Executor<'c, Database = Any>>(
    e: E,
    username: &str,
    password_hash: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar("INSERT INTO admins (username, password_hash, created_at) VALUES ($1, $2, $3) RETURNING id")
        .bind(username)
        .bind(password_hash)
        .bind(now)
        .fetch_one(e)
        .await?)
}

pub async fn admin_by_username<'c, E: Executor<'c, Database = Any>>(e: E, username: &str) -> Result<Option<Admin>> {
    let row = sqlx::query("SELECT id, username, password_hash FROM admins WHERE username = $1")
        .bind(username)
        .fetch_optional(e)
        .await?;
    row.map(|r| {
        Ok(Admin { id: r.try_get("id")?, username: r.try_get("username")?, password_hash: r.try_get("password_hash")? })
    })
    .transpose()
}

#[derive(Debug, Clone)]
pub struct ApiApp {
    pub id: i64,
    pub tenant_id: i64,
    pub name: String,
    pub access_id: String,
    pub secret_hash: String,
    pub disabled: bool,
    pub created_at: i64,
}

fn app_from_row(r: &AnyRow) -> Result<ApiApp> {
    Ok(ApiApp {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        name: r.try_get("name")?,
        access_id: r.try_get("access_id")?,
        secret_hash: r.try_get("secret_hash")?,
        disabled: flag(r.try_get("disabled")?),
        created_at: r.try_get("created_at")?,
    })
}

const APP_COLUMNS: &str = "id, tenant_id, name, access_id, secret_hash, disabled, created_at";

pub async fn insert_app<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    name: &str,
    access_id: &str,
    secret_hash: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO api_apps (tenant_id, name, access_id, secret_hash, created_at)
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tenant_id)
    .bind(name)
    .bind(access_id)
    .bind(secret_hash)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn app_by_access_id<'c, E: Executor<'c, Database = Any>>(e: E, access_id: &str) -> Result<Option<ApiApp>> {
    let sql = format!("SELECT {APP_COLUMNS} FROM api_apps WHERE access_id = $1");
    sqlx::query(&sql).bind(access_id).fetch_optional(e).await?.as_ref().map(app_from_row).transpose()
}

pub async fn app<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<ApiApp>> {
    let sql = format!("SELECT {APP_COLUMNS} FROM api_apps WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(e).await?.as_ref().map(app_from_row).transpose()
}

pub async fn list_apps<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: Option<i64>) -> Result<Vec<ApiApp>> {
    let sql = format!("SELECT {APP_COLUMNS} FROM api_apps WHERE ($1 = 0 OR tenant_id = $1) ORDER BY id");
    sqlx::query(&sql).bind(tenant_id.unwrap_or(0)).fetch_all(e).await?.iter().map(app_from_row).collect()
}

#[derive(Debug, Clone)]
pub struct Staff {
    pub id: i64,
    pub tenant_id: i64,
    pub store_id: Option<i64>,
    pub role: String,
    pub username: String,
    pub password_hash: String,
    pub display_name: String,
    pub phone: String,
    pub disabled: bool,
    pub created_at: i64,
}

const STAFF_COLUMNS: &str =
    "id, tenant_id, store_id, role, username, password_hash, display_name, phone, disabled, created_at";

fn staff_from_row(r: &AnyRow) -> Result<Staff> {
    Ok(Staff {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        store_id: r.try_get("store_id")?,
        role: r.try_get("role")?,
        username: r.try_get("username")?,
        password_hash: r.try_get("password_hash")?,
        display_name: r.try_get("display_name")?,
        phone: r.try_get("phone")?,
        disabled: flag(r.try_get("disabled")?),
        created_at: r.try_get("created_at")?,
    })
}

pub struct NewStaff<'a> {
    pub tenant_id: i64,
    pub store_id: Option<i64>,
    pub role: &'a str,
    pub username: &'a str,
    pub password_hash: &'a str,
    pub display_name: &'a str,
    pub phone: &'a str,
}

pub async fn insert_staff<'c, E: Executor<'c, Database = Any>>(e: E, s: &NewStaff<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO staff (tenant_id, store_id, role, username, password_hash, display_name, phone, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(s.store_id)
    .bind(s.role)
    .bind(s.username)
    .bind(s.password_hash)
    .bind(s.display_name)
    .bind(s.phone)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub async fn staff<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<Staff>> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(e).await?.as_ref().map(staff_from_row).transpose()
}

pub async fn staff_by_username<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    username: &str,
) -> Result<Option<Staff>> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE tenant_id = $1 AND username = $2");
    sqlx::query(&sql).bind(tenant_id).bind(username).fetch_optional(e).await?.as_ref().map(staff_from_row).transpose()
}

pub async fn list_staff<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    store_id: Option<i64>,
) -> Result<Vec<Staff>> {
    let sql =
        format!("SELECT {STAFF_COLUMNS} FROM staff WHERE tenant_id = $1 AND ($2 = 0 OR store_id = $2) ORDER BY id");
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(store_id.unwrap_or(0))
        .fetch_all(e)
        .await?
        .iter()
        .map(staff_from_row)
        .collect()
}

/// A bearer token as stored.
#[derive(Debug, Clone)]
pub struct Token {
    pub kind: String,
    pub subject_id: i64,
    pub tenant_id: Option<i64>,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn insert_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    token_hash: &str,
    kind: &str,
    subject_id: i64,
    tenant_id: Option<i64>,
    expires_at: i64,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, subject_id, tenant_id, expires_at, created_at)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(token_hash)
    .bind(kind)
    .bind(subject_id)
    .bind(tenant_id)
    .bind(expires_at)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn token<'c, E: Executor<'c, Database = Any>>(e: E, token_hash: &str) -> Result<Option<Token>> {
    let row =
        sqlx::query("SELECT kind, subject_id, tenant_id, expires_at, revoked_at FROM tokens WHERE token_hash = $1")
            .bind(token_hash)
            .fetch_optional(e)
            .await?;
    row.map(|r| {
        Ok(Token {
            kind: r.try_get("kind")?,
            subject_id: r.try_get("subject_id")?,
            tenant_id: r.try_get("tenant_id")?,
            expires_at: r.try_get("expires_at")?,
            revoked_at: r.try_get("revoked_at")?,
        })
    })
    .transpose()
}

/// Revokes a live token of `kind`; true when there was one.
pub async fn revoke_token<'c, E: Executor<'c, Database = Any>>(
    e: E,
    kind: &str,
    token_hash: &str,
    now: i64,
) -> Result<bool> {
    let done =
        sqlx::query("UPDATE tokens SET revoked_at = $2 WHERE token_hash = $1 AND kind = $3 AND revoked_at IS NULL")
            .bind(token_hash)
            .bind(now)
            .bind(kind)
            .execute(e)
            .await?;
    Ok(done.rows_affected() > 0)
}

/// Staff with this user name at any merchant (user names are unique per merchant only).
pub async fn staff_by_username_anywhere<'c, E: Executor<'c, Database = Any>>(
    e: E,
    username: &str,
) -> Result<Vec<Staff>> {
    let sql = format!("SELECT {STAFF_COLUMNS} FROM staff WHERE username = $1 ORDER BY id");
    sqlx::query(&sql).bind(username).fetch_all(e).await?.iter().map(staff_from_row).collect()
}
