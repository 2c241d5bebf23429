use super::{AdminError, AdminUser, Body, Query};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{admin, auth, App, Role};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

fn created(body: serde_json::Value) -> Response {
    (StatusCode::CREATED, Json(body)).into_response()
}

#[derive(Deserialize, ToSchema)]
pub struct Login {
    username: String,
    password: String,
}

/// Signs an admin in; answers `{token, expires_at}` (UTC milliseconds).
#[utoipa::path(post, path = "/admin/api/login", tag = "admin", request_body = Login,
    responses((status = 200, description = "a bearer token"), (status = 401, description = "wrong credentials")))]
pub async fn login(State(app): State<App>, body: Body<Login>) -> Result<Response, AdminError> {
    let b = body.0;
    let (token, expires_at) = auth::admin_login(&app, &b.username, &b.password).await?;
    Ok(Json(json!({ "token": token, "expires_at": expires_at })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewAdmin {
    username: String,
    password: String,
}

/// Creates another platform admin.
#[utoipa::path(post, path = "/admin/api/admins", tag = "admin", request_body = NewAdmin,
    responses((status = 201, description = "created"), (status = 409, description = "user name taken")))]
pub async fn create_admin(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewAdmin>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let id = admin::create_admin(&app, &a, &b.username, &b.password).await?;
    Ok(created(json!({ "id": id, "username": b.username })))
}

/// Lists tenants.
#[utoipa::path(get, path = "/admin/api/tenants", tag = "admin", responses((status = 200, description = "tenants")))]
pub async fn list_tenants(State(app): State<App>, AdminUser(a): AdminUser) -> Result<Response, AdminError> {
    let list: Vec<_> = admin::list_tenants(&app, &a)
        .await?
        .into_iter()
        .map(|t| json!({ "id": t.id, "name": t.name, "domain": t.domain, "timezone": t.timezone, "created_at": t.created_at }))
        .collect();
    Ok(Json(json!({ "tenants": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewTenant {
    name: String,
    /// The merchant's domain: the offline dialect's `shop` parameter.
    domain: String,
    timezone: Option<String>,
}

/// Creates a tenant (merchant).
#[utoipa::path(post, path = "/admin/api/tenants", tag = "admin", request_body = NewTenant,
    responses((status = 201, description = "created"), (status = 409, description = "domain taken")))]
pub async fn create_tenant(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewTenant>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let tz = b.timezone.unwrap_or_else(|| "Asia/Shanghai".into());
    let id = admin::create_tenant(&app, &a, &b.name, &b.domain, &tz).await?;
    Ok(created(json!({ "id": id, "name": b.name, "domain": b.domain, "timezone": tz })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantFilter {
    tenant_id: Option<i64>,
    store_id: Option<i64>,
}

/// Lists API apps (never their secrets).
#[utoipa::path(get, path = "/admin/api/apps", tag = "admin", params(TenantFilter), responses((status = 200, description = "apps")))]
pub async fn list_apps(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<TenantFilter>,
) -> Result<Response, AdminError> {
    let list: Vec<_> = admin::list_api_apps(&app, &a, q.0.tenant_id)
        .await?
        .into_iter()
        .map(|x| {
            json!({ "id": x.id, "tenant_id": x.tenant_id, "name": x.name, "access_id": x.access_id,
                          "disabled": x.disabled, "created_at": x.created_at })
        })
        .collect();
    Ok(Json(json!({ "apps": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewApp {
    tenant_id: i64,
    name: String,
    access_id: Option<String>,
    secret: Option<String>,
}

/// Creates an API app; the secret is in this answer only.
#[utoipa::path(post, path = "/admin/api/apps", tag = "admin", request_body = NewApp,
    responses((status = 201, description = "created, with its secret"), (status = 409, description = "access_id taken")))]
pub async fn create_app(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewApp>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let c = admin::create_api_app(&app, &a, b.tenant_id, &b.name, b.access_id.as_deref(), b.secret.as_deref()).await?;
    Ok(created(json!({ "id": c.id, "tenant_id": c.tenant_id, "access_id": c.access_id, "secret": c.secret })))
}

fn tenant(f: &TenantFilter) -> Result<i64, AdminError> {
    f.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))
}

/// Lists a tenant's stores.
#[utoipa::path(get, path = "/admin/api/stores", tag = "admin", params(TenantFilter), responses((status = 200, description = "stores")))]
pub async fn list_stores(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<TenantFilter>,
) -> Result<Response, AdminError> {
    let list: Vec<_> = admin::list_stores(&app, &a, tenant(&q.0)?)
        .await?
        .into_iter()
        .map(
            |s| json!({ "id": s.id, "tenant_id": s.tenant_id, "name": s.name, "address": s.address, "phone": s.phone }),
        )
        .collect();
    Ok(Json(json!({ "stores": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewStore {
    tenant_id: i64,
    name: String,
    #[serde(default)]
    address: String,
    #[serde(default)]
    phone: String,
}

/// Creates a store (an offline pickup shop and a mall store).
#[utoipa::path(post, path = "/admin/api/stores", tag = "admin", request_body = NewStore,
    responses((status = 201, description = "created"), (status = 409, description = "name taken")))]
pub async fn create_store(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewStore>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let id = admin::create_store(&app, &a, b.tenant_id, &b.name, &b.address, &b.phone).await?;
    Ok(created(json!({ "id": id, "tenant_id": b.tenant_id, "name": b.name })))
}

/// Lists a tenant's staff (optionally of one store).
#[utoipa::path(get, path = "/admin/api/staff", tag = "admin", params(TenantFilter), responses((status = 200, description = "staff")))]
pub async fn list_staff(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<TenantFilter>,
) -> Result<Response, AdminError> {
    let list: Vec<_> = admin::list_staff(&app, &a, tenant(&q.0)?, q.0.store_id)
        .await?
        .into_iter()
        .map(|s| {
            json!({ "id": s.id, "tenant_id": s.tenant_id, "store_id": s.store_id, "role": s.role,
                          "username": s.username, "display_name": s.display_name, "disabled": s.disabled })
        })
        .collect();
    Ok(Json(json!({ "staff": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct NewStaff {
    tenant_id: i64,
    store_id: Option<i64>,
    /// staff, manager, clerk or driver
    role: String,
    username: String,
    password: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    phone: String,
}

/// Creates a staff member, manager, clerk or driver.
#[utoipa::path(post, path = "/admin/api/staff", tag = "admin", request_body = NewStaff,
    responses((status = 201, description = "created"), (status = 409, description = "user name taken")))]
pub async fn create_staff(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewStaff>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let role = Role::parse(&b.role).ok_or_else(|| AdminError::bad("role must be staff, manager, clerk or driver"))?;
    let s = admin::NewStaff {
        tenant_id: b.tenant_id,
        store_id: b.store_id,
        role,
        username: &b.username,
        password: &b.password,
        display_name: &b.display_name,
        phone: &b.phone,
    };
    let id = admin::create_staff(&app, &a, &s).await?;
    Ok(created(json!({ "id": id, "username": b.username, "role": role.as_str() })))
}
