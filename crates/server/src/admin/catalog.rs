use super::{AdminError, AdminUser, Body};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::{catalog, customers, App};
use dingdan_core::ids;
use serde::Deserialize;
use serde_json::json;
use utoipa::ToSchema;

fn category_key(text: &str) -> Result<i64, AdminError> {
    [ids::CATEGORY1, ids::CATEGORY2, ids::PINLEI]
        .iter()
        .find_map(|f| f.parse(text))
        .or_else(|| text.parse().ok())
        .ok_or_else(|| AdminError::bad(format!("'{text}' is not a category id")))
}

#[derive(Deserialize, ToSchema)]
pub struct NewCategory {
    tenant_id: i64,
    /// 1 category1, 2 category2, 3 pinlei
    level: i64,
    /// `A…` / `B…` (or the number); none for level 1
    parent_id: Option<String>,
    name: String,
}

/// Creates a category1, category2 or pinlei (the station dialect only lists them).
#[utoipa::path(post, path = "/admin/api/catalog/categories", tag = "admin", request_body = NewCategory,
    responses((status = 201, description = "`{id, category_id}`"), (status = 400, description = "bad level or parent")))]
pub async fn create_category(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewCategory>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let parent = b.parent_id.as_deref().map(category_key).transpose()?;
    let id = catalog::create_category(&app, &a, b.tenant_id, b.level, parent, &b.name).await?;
    let public = match b.level {
        1 => ids::CATEGORY1.format(id),
        2 => ids::CATEGORY2.format(id),
        _ => ids::PINLEI.format(id),
    };
    Ok((StatusCode::CREATED, Json(json!({ "id": id, "category_id": public }))).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct Rename {
    tenant_id: i64,
    name: String,
}

/// Renames a category.
#[utoipa::path(post, path = "/admin/api/catalog/categories/{id}/rename", tag = "admin", request_body = Rename,
    params(("id" = String, Path, description = "`A…`, `B…`, `P…` or the number")),
    responses((status = 200, description = "`{}`"), (status = 404, description = "no such category")))]
pub async fn rename_category(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(id): Path<String>,
    body: Body<Rename>,
) -> Result<Response, AdminError> {
    catalog::rename_category(&app, &a, body.0.tenant_id, category_key(&id)?, &body.0.name).await?;
    Ok(Json(json!({})).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct TenantOnly {
    tenant_id: i64,
}

/// Deletes a customer with no order on its way (the station document has no such endpoint).
#[utoipa::path(post, path = "/admin/api/customers/{id}/delete", tag = "admin", request_body = TenantOnly,
    params(("id" = String, Path, description = "`S…` or the number")),
    responses((status = 200, description = "`{}`"), (status = 409, description = "orders not yet signed")))]
pub async fn delete_customer(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(id): Path<String>,
    body: Body<TenantOnly>,
) -> Result<Response, AdminError> {
    let key =
        ids::CUSTOMER.parse(&id).or_else(|| id.parse().ok()).ok_or_else(|| AdminError::bad("not a customer id"))?;
    customers::delete_customer(&app, &a, body.0.tenant_id, key).await?;
    Ok(Json(json!({})).into_response())
}
