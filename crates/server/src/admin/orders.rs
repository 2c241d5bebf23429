use super::{AdminError, AdminUser, Body, Query};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::b2b::{self, NewLine, PlaceOrder};
use dingdan_app::App;
use dingdan_core::order::Action;
use dingdan_core::{ids, time, Fen, Quantity};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

fn order_key(text: &str) -> Result<i64, AdminError> {
    ids::ORDER
        .parse(text)
        .or_else(|| text.parse().ok())
        .ok_or_else(|| AdminError::bad(format!("'{text}' is not an order id")))
}

#[derive(Deserialize, ToSchema)]
pub struct NewOrderLine {
    /// `D…` or the number
    sku_id: String,
    amount: f64,
    /// fen per sale unit; the SKU's price when absent
    unit_price: Option<i64>,
    #[serde(default)]
    remark: String,
}

#[derive(Deserialize, ToSchema)]
pub struct NewOrder {
    tenant_id: i64,
    /// `S…` or the number
    customer_id: String,
    /// `YYYY-MM-DD HH:MM:SS` in the tenant's time zone
    receive_begin_time: String,
    receive_end_time: String,
    remark: Option<String>,
    /// fen
    #[serde(default)]
    freight: i64,
    products: Vec<NewOrderLine>,
}

/// Places a B2B order (as the station's order/create does).
#[utoipa::path(post, path = "/admin/api/b2b/orders", tag = "admin", request_body = NewOrder,
    responses((status = 201, description = "`{order_id}`"), (status = 400, description = "invalid order")))]
pub async fn place_order(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<NewOrder>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let tz = dingdan_app::tenant_tz(&app, b.tenant_id).await?;
    let at = |field: &str, t: &str| {
        time::parse_local_datetime(t)
            .map(|w| time::from_local(w, tz))
            .ok_or_else(|| AdminError::bad(format!("{field} must be YYYY-MM-DD HH:MM:SS")))
    };
    let customer_id = ids::CUSTOMER
        .parse(&b.customer_id)
        .or_else(|| b.customer_id.parse().ok())
        .ok_or_else(|| AdminError::bad("customer_id is not a customer id"))?;
    let mut lines = Vec::new();
    for p in &b.products {
        let sku_id = ids::SKU
            .parse(&p.sku_id)
            .or_else(|| p.sku_id.parse().ok())
            .ok_or_else(|| AdminError::bad(format!("'{}' is not a SKU id", p.sku_id)))?;
        lines.push(NewLine {
            sku_id,
            quantity: Quantity::parse_positive(p.amount).map_err(|e| AdminError::bad(format!("amount {e}")))?,
            unit_price: p
                .unit_price
                .map(Fen::parse_amount)
                .transpose()
                .map_err(|e| AdminError::bad(format!("unit_price {e}")))?,
            remark: p.remark.clone(),
        });
    }
    let cmd = PlaceOrder {
        tenant_id: b.tenant_id,
        customer_id,
        receive_begin_at: at("receive_begin_time", &b.receive_begin_time)?,
        receive_end_at: at("receive_end_time", &b.receive_end_time)?,
        remark: b.remark,
        freight: Fen::parse_amount(b.freight).map_err(|e| AdminError::bad(format!("freight {e}")))?,
        lines,
        placed_at: None,
    };
    let id = b2b::place_order(&app, &a, &cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({ "order_id": ids::ORDER.format(id), "id": id }))).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantParam {
    tenant_id: Option<i64>,
}

/// One B2B order with every status dimension and its lines.
#[utoipa::path(get, path = "/admin/api/b2b/orders/{order_id}", tag = "admin",
    params(("order_id" = String, Path, description = "`PL…` or the number"), TenantParam),
    responses((status = 200, description = "the order"), (status = 404, description = "no such order")))]
pub async fn get_order(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(order_id): Path<String>,
    q: Query<TenantParam>,
) -> Result<Response, AdminError> {
    let tenant_id = q.0.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    let v = b2b::get_order(&app, &a, tenant_id, order_key(&order_id)?).await?;
    Ok(Json(json!({ "order_id": ids::ORDER.format(v.order.id), "order": v.order, "lines": v.lines })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct TenantBody {
    tenant_id: i64,
}

/// Moves a B2B order: `start_sorting`, `ship`, `sign` (deliver) or `delete`.
#[utoipa::path(post, path = "/admin/api/b2b/orders/{order_id}/{action}", tag = "admin",
    params(("order_id" = String, Path, description = "`PL…` or the number"),
           ("action" = String, Path, description = "start_sorting, ship, sign or delete")),
    request_body = TenantBody,
    responses((status = 200, description = "the order after the move"), (status = 409, description = "not allowed now")))]
pub async fn move_order(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path((order_id, action)): Path<(String, String)>,
    body: Body<TenantBody>,
) -> Result<Response, AdminError> {
    let action = match action.as_str() {
        "start_sorting" => Action::StartSorting,
        "ship" => Action::Ship,
        "sign" => Action::Deliver,
        "delete" => Action::Delete,
        other => return Err(AdminError::bad(format!("unknown action '{other}'"))),
    };
    let o = b2b::move_order(&app, &a, body.0.tenant_id, order_key(&order_id)?, action).await?;
    Ok(Json(json!({ "order_id": ids::ORDER.format(o.id), "order": o })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct Weighing {
    tenant_id: i64,
    /// `D…` or the number
    sku_id: String,
    /// in sale units
    real_quantity: f64,
}

/// Records a line's weighed quantity while the order is being sorted.
#[utoipa::path(post, path = "/admin/api/b2b/orders/{order_id}/weigh", tag = "admin",
    params(("order_id" = String, Path, description = "`PL…` or the number")),
    request_body = Weighing,
    responses((status = 200, description = "the order after weighing"), (status = 409, description = "order already left")))]
pub async fn weigh_line(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(order_id): Path<String>,
    body: Body<Weighing>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let sku_id = ids::SKU
        .parse(&b.sku_id)
        .or_else(|| b.sku_id.parse().ok())
        .ok_or_else(|| AdminError::bad("sku_id is not a SKU id"))?;
    let q = Quantity::parse_positive(b.real_quantity).map_err(|e| AdminError::bad(format!("real_quantity {e}")))?;
    let o = b2b::weigh_line(&app, &a, b.tenant_id, order_key(&order_id)?, sku_id, q).await?;
    Ok(Json(json!({ "order_id": ids::ORDER.format(o.id), "order": o })).into_response())
}

/// The audit history and the events of an order.
#[utoipa::path(get, path = "/admin/api/b2b/orders/{order_id}/history", tag = "admin",
    params(("order_id" = String, Path, description = "`PL…` or the number"), TenantParam),
    responses((status = 200, description = "`{audit[], events[]}`")))]
pub async fn history(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(order_id): Path<String>,
    q: Query<TenantParam>,
) -> Result<Response, AdminError> {
    let tenant_id = q.0.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    let (audit, events) = b2b::order_history(&app, &a, tenant_id, order_key(&order_id)?).await?;
    Ok(Json(json!({ "audit": audit, "events": events })).into_response())
}
