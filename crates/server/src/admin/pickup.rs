use super::{AdminError, AdminUser, Body};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::offline::{self, NewPackage, PackageView};
use dingdan_app::App;
use dingdan_core::{ids, Quantity};
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct PackageLine {
    /// `D…` or the number
    sku_id: String,
    amount: f64,
}

#[derive(Deserialize, ToSchema)]
pub struct NewPickupPackage {
    tenant_id: i64,
    store_id: i64,
    lines: Vec<PackageLine>,
    remark: Option<String>,
}

fn package_json(v: &PackageView) -> serde_json::Value {
    json!({ "package": v.package, "key_status": v.key_status, "shop_name": v.store_name })
}

/// Creates a paid order to be collected at a store, and its pickup package with a fresh code.
#[utoipa::path(post, path = "/admin/api/pickup/packages", tag = "admin", request_body = NewPickupPackage,
    responses((status = 201, description = "the package with its key and order_token"), (status = 404, description = "unknown store or SKU")))]
pub async fn create_package(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewPickupPackage>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let mut lines = Vec::new();
    for l in &b.lines {
        let sku = ids::SKU
            .parse(&l.sku_id)
            .or_else(|| l.sku_id.parse().ok())
            .ok_or_else(|| AdminError::bad(format!("'{}' is not a SKU id", l.sku_id)))?;
        lines.push((sku, Quantity::parse_positive(l.amount).map_err(|e| AdminError::bad(format!("amount {e}")))?));
    }
    let cmd = NewPackage { tenant_id: b.tenant_id, store_id: b.store_id, lines, remark: b.remark };
    let v = offline::create_package(&app, &a, &cmd).await?;
    Ok((StatusCode::CREATED, Json(package_json(&v))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct TenantOnly {
    tenant_id: i64,
}

/// Cancels a package whose code is unused: the order is cancelled and refunded.
#[utoipa::path(post, path = "/admin/api/pickup/packages/{id}/cancel", tag = "admin", request_body = TenantOnly,
    params(("id" = i64, Path, description = "package id")),
    responses((status = 200, description = "the cancelled package"), (status = 409, description = "the code is used")))]
pub async fn cancel_package(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(id): Path<i64>,
    body: Body<TenantOnly>,
) -> Result<Response, AdminError> {
    let v = offline::cancel_package(&app, &a, body.0.tenant_id, id).await?;
    Ok(Json(package_json(&v)).into_response())
}
