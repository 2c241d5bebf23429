//! Bootstrapping what no dialect endpoint creates: admins, tenants, API apps, stores, staff.
//! The CLI and the admin HTTP API both call these.

use crate::auth::{ensure_tenant, hash_password, random_token};
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result, Role};
use dingdan_store::{identities, stores, tenants};
use serde_json::json;

fn require_admin(actor: &Actor) -> Result<()> {
    match actor.role {
        Role::Admin | Role::System => Ok(()),
        _ => Err(AppError::Forbidden("admin only".into())),
    }
}

fn non_empty(field: &'static str, value: &str, max: usize) -> Result<()> {
    let n = value.trim().chars().count();
    if n == 0 {
        Err(AppError::invalid(field, "must not be empty"))
    } else if n > max {
        Err(AppError::invalid(field, format!("must be at most {max} characters")))
    } else {
        Ok(())
    }
}

/// Creates a platform admin.
pub async fn create_admin(app: &App, actor: &Actor, username: &str, password: &str) -> Result<i64> {
    require_admin(actor)?;
    non_empty("username", username, 64)?;
    if password.chars().count() < 6 {
        return Err(AppError::invalid("password", "must be at least 6 characters"));
    }
    let hash = hash_password(password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = identities::insert_admin(tx.conn(), username.trim(), &hash, now).await?;
    journal::audit(
        &mut tx,
        actor,
        None,
        now,
        Change {
            entity: "admin",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "username": username.trim() })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Creates a tenant (merchant). `domain` is the offline dialect's `shop` parameter.
pub async fn create_tenant(app: &App, actor: &Actor, name: &str, domain: &str, timezone: &str) -> Result<i64> {
    require_admin(actor)?;
    non_empty("name", name, 100)?;
    non_empty("domain", domain, 253)?;
    if dingdan_core::time::parse_tz(timezone).is_none() {
        return Err(AppError::invalid("timezone", format!("'{timezone}' is not an IANA time zone")));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = tenants::insert(tx.conn(), name.trim(), &domain.trim().to_lowercase(), timezone, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(id),
        now,
        Change {
            entity: "tenant",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": name, "domain": domain })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list_tenants(app: &App, actor: &Actor) -> Result<Vec<tenants::Tenant>> {
    require_admin(actor)?;
    Ok(tenants::list(app.db.reader()).await?)
}

/// A created API app with its secret, shown only this once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewApiApp {
    pub id: i64,
    pub tenant_id: i64,
    pub access_id: String,
    pub secret: String,
}

/// Creates an API app. Without `access_id`/`secret`, random ones are generated.
pub async fn create_api_app(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    name: &str,
    access_id: Option<&str>,
    secret: Option<&str>,
) -> Result<NewApiApp> {
    require_admin(actor)?;
    non_empty("name", name, 100)?;
    if tenants::get(app.db.reader(), tenant_id).await?.is_none() {
        return Err(AppError::not_found("tenant"));
    }
    let access_id = access_id.map(str::to_owned).unwrap_or_else(|| format!("app-{}", random_token(12)));
    non_empty("access_id", &access_id, 64)?;
    let secret = secret.map(str::to_owned).unwrap_or_else(|| random_token(40));
    if secret.len() < 8 {
        return Err(AppError::invalid("secret", "must be at least 8 characters"));
    }
    let hash = hash_password(&secret).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = identities::insert_app(tx.conn(), tenant_id, name, &access_id, &hash, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "api_app",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "access_id": access_id, "name": name })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewApiApp { id, tenant_id, access_id, secret })
}

pub async fn list_api_apps(app: &App, actor: &Actor, tenant_id: Option<i64>) -> Result<Vec<identities::ApiApp>> {
    require_admin(actor)?;
    Ok(identities::list_apps(app.db.reader(), tenant_id).await?)
}

/// Creates a store (an offline pickup shop and a mall store at once).
pub async fn create_store(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    name: &str,
    address: &str,
    phone: &str,
) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    require_admin(actor)?;
    non_empty("name", name, 100)?;
    if tenants::get(app.db.reader(), tenant_id).await?.is_none() {
        return Err(AppError::not_found("tenant"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = stores::insert(tx.conn(), tenant_id, name.trim(), address, phone, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "store",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": name })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list_stores(app: &App, actor: &Actor, tenant_id: i64) -> Result<Vec<stores::Store>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(stores::list(app.db.reader(), tenant_id).await?)
}

/// A staff account to create.
pub struct NewStaff<'a> {
    pub tenant_id: i64,
    pub store_id: Option<i64>,
    pub role: Role,
    pub username: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub phone: &'a str,
}

/// Creates a staff member, manager, clerk or driver of a tenant.
pub async fn create_staff(app: &App, actor: &Actor, s: &NewStaff<'_>) -> Result<i64> {
    ensure_tenant(actor, s.tenant_id)?;
    require_admin(actor)?;
    if !matches!(s.role, Role::Staff | Role::Manager | Role::Clerk | Role::Driver) {
        return Err(AppError::invalid("role", "must be staff, manager, clerk or driver"));
    }
    non_empty("username", s.username, 64)?;
    if s.password.chars().count() < 6 {
        return Err(AppError::invalid("password", "must be at least 6 characters"));
    }
    if let Some(store_id) = s.store_id {
        let store = stores::get(app.db.reader(), store_id).await?;
        if store.map(|st| st.tenant_id) != Some(s.tenant_id) {
            return Err(AppError::not_found("store"));
        }
    }
    let hash = hash_password(s.password).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = identities::insert_staff(
        tx.conn(),
        &identities::NewStaff {
            tenant_id: s.tenant_id,
            store_id: s.store_id,
            role: s.role.as_str(),
            username: s.username.trim(),
            password_hash: &hash,
            display_name: s.display_name,
            phone: s.phone,
        },
        now,
    )
    .await?;
    journal::audit(
        &mut tx,
        actor,
        Some(s.tenant_id),
        now,
        Change {
            entity: "staff",
            entity_id: id,
            action: "create",
            from: None,
            to: Some(s.role.as_str()),
            detail: Some(json!({ "username": s.username, "store_id": s.store_id })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn list_staff(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    store_id: Option<i64>,
) -> Result<Vec<identities::Staff>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(identities::list_staff(app.db.reader(), tenant_id, store_id).await?)
}
