use super::{AdminError, AdminUser, Body, Query};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use dingdan_app::inventory::{self, SheetLineRow};
use dingdan_app::App;
use dingdan_core::{ids, Quantity};
use serde::Deserialize;
use serde_json::json;
use utoipa::{IntoParams, ToSchema};

fn spu_key(text: &str) -> Result<i64, AdminError> {
    ids::SPU
        .parse(text)
        .or_else(|| text.parse().ok())
        .ok_or_else(|| AdminError::bad(format!("'{text}' is not an SPU id")))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StockQuery {
    tenant_id: Option<i64>,
    /// `C…` or the number
    spu_id: Option<String>,
}

/// Stock per SPU, in its standard unit.
#[utoipa::path(get, path = "/admin/api/inventory/stock", tag = "admin", params(StockQuery),
    responses((status = 200, description = "`{stock: [{spu_id, name, stock}]}`")))]
pub async fn stock(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<StockQuery>,
) -> Result<Response, AdminError> {
    let q = q.0;
    let tenant_id = q.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    let spu = q.spu_id.as_deref().map(spu_key).transpose()?;
    let rows = inventory::stock(&app, &a, tenant_id, spu).await?;
    let list: Vec<_> = rows
        .iter()
        .map(|(id, name, q)| json!({ "spu_id": ids::SPU.format(*id), "name": name, "stock": Quantity(*q).as_f64() }))
        .collect();
    Ok(Json(json!({ "stock": list })).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct LineIn {
    spu_id: String,
    /// in the SPU's standard unit
    quantity: f64,
    /// fen per standard unit
    #[serde(default)]
    price: i64,
}

#[derive(Deserialize, ToSchema)]
pub struct SheetBody {
    tenant_id: i64,
    /// `in` or `out` (create)
    kind: Option<String>,
    lines: Option<Vec<LineIn>>,
    #[serde(default)]
    remark: String,
}

fn lines(list: &[LineIn]) -> Result<Vec<SheetLineRow>, AdminError> {
    list.iter()
        .map(|l| {
            Ok(SheetLineRow {
                spu_id: spu_key(&l.spu_id)?,
                quantity_milli: Quantity::parse_positive(l.quantity)
                    .map_err(|e| AdminError::bad(format!("quantity {e}")))?
                    .0,
                price: l.price,
            })
        })
        .collect()
}

/// Creates a draft in-stock or out-stock sheet.
#[utoipa::path(post, path = "/admin/api/inventory/sheets", tag = "admin", request_body = SheetBody,
    responses((status = 201, description = "`{sheet_id}`"), (status = 400, description = "invalid lines")))]
pub async fn create_sheet(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<SheetBody>,
) -> Result<Response, AdminError> {
    let b = body.0;
    let kind = b.kind.ok_or_else(|| AdminError::bad("kind is required (in or out)"))?;
    let list = lines(b.lines.as_deref().unwrap_or(&[]))?;
    let id = inventory::create_sheet(&app, &a, b.tenant_id, &kind, list, &b.remark).await?;
    Ok((StatusCode::CREATED, Json(json!({ "sheet_id": id }))).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TenantQuery {
    tenant_id: Option<i64>,
}

/// One sheet with its lines.
#[utoipa::path(get, path = "/admin/api/inventory/sheets/{id}", tag = "admin",
    params(("id" = i64, Path, description = "sheet id"), TenantQuery),
    responses((status = 200, description = "the sheet"), (status = 404, description = "no such sheet")))]
pub async fn get_sheet(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path(id): Path<i64>,
    q: Query<TenantQuery>,
) -> Result<Response, AdminError> {
    let tenant_id = q.0.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    Ok(Json(inventory::get_sheet(&app, &a, tenant_id, id).await?).into_response())
}

/// `update` (lines, remark), `submit`, `reject` (in-stock) or `delete` a sheet.
#[utoipa::path(post, path = "/admin/api/inventory/sheets/{id}/{action}", tag = "admin", request_body = SheetBody,
    params(("id" = i64, Path, description = "sheet id"), ("action" = String, Path, description = "update, submit, reject or delete")),
    responses((status = 200, description = "the sheet after the action"), (status = 409, description = "not a draft, or not enough stock")))]
pub async fn sheet_action(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    Path((id, action)): Path<(i64, String)>,
    body: Body<SheetBody>,
) -> Result<Response, AdminError> {
    let b = body.0;
    match action.as_str() {
        "update" => {
            let list = lines(b.lines.as_deref().unwrap_or(&[]))?;
            inventory::update_sheet(&app, &a, b.tenant_id, id, list, &b.remark).await?
        }
        "submit" => inventory::submit_sheet(&app, &a, b.tenant_id, id).await?,
        "reject" => inventory::reject_sheet(&app, &a, b.tenant_id, id).await?,
        "delete" => inventory::delete_sheet(&app, &a, b.tenant_id, id).await?,
        other => return Err(AdminError::bad(format!("unknown action '{other}'"))),
    }
    Ok(Json(inventory::get_sheet(&app, &a, b.tenant_id, id).await?).into_response())
}

#[derive(Deserialize, ToSchema)]
pub struct Stocktaking {
    tenant_id: i64,
    spu_id: String,
    /// the counted stock, ≥ 0
    stock: f64,
}

/// Sets an SPU's counted stock.
#[utoipa::path(post, path = "/admin/api/inventory/stocktaking", tag = "admin", request_body = Stocktaking,
    responses((status = 200, description = "`{spu_id, stock}`"), (status = 400, description = "negative count")))]
pub async fn stocktaking(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    body: Body<Stocktaking>,
) -> Result<Response, AdminError> {
    let b = body.0;
    if !b.stock.is_finite() || b.stock < 0.0 {
        return Err(AdminError::bad("stock: a counted stock cannot be below zero"));
    }
    let spu = spu_key(&b.spu_id)?;
    inventory::take_stock(&app, &a, b.tenant_id, spu, Quantity((b.stock * 1000.0).round() as i64)).await?;
    Ok(Json(json!({ "spu_id": ids::SPU.format(spu), "stock": b.stock })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventQuery {
    tenant_id: Option<i64>,
    /// order, spu, sku, customer, stock_sheet, pickup_package, …
    entity: Option<String>,
    entity_id: Option<i64>,
}

/// The outbox events of one entity, oldest first.
#[utoipa::path(get, path = "/admin/api/events", tag = "admin", params(EventQuery),
    responses((status = 200, description = "`{events: [...]}`")))]
pub async fn events(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<EventQuery>,
) -> Result<Response, AdminError> {
    let q = q.0;
    let (tenant_id, entity, id) = match (q.tenant_id, q.entity, q.entity_id) {
        (Some(t), Some(e), Some(i)) => (t, e, i),
        _ => return Err(AdminError::bad("tenant_id, entity and entity_id are required")),
    };
    let list = dingdan_app::journal::events_of(&app, &a, tenant_id, &entity, id).await?;
    Ok(Json(json!({ "events": list })).into_response())
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SheetQuery {
    tenant_id: Option<i64>,
    /// `PL…` or the number: the out-stock sheet of an order
    order_id: Option<String>,
    /// in or out
    kind: Option<String>,
}

/// The newest 100 sheets, optionally of one order and kind.
#[utoipa::path(get, path = "/admin/api/inventory/sheets", tag = "admin", params(SheetQuery),
    responses((status = 200, description = "`{sheets: [...]}` (without lines)")))]
pub async fn list_sheets(
    State(app): State<App>,
    AdminUser(a): AdminUser,
    q: Query<SheetQuery>,
) -> Result<Response, AdminError> {
    let q = q.0;
    let tenant_id = q.tenant_id.ok_or_else(|| AdminError::bad("tenant_id is required"))?;
    let order = q
        .order_id
        .as_deref()
        .map(|t| {
            ids::ORDER.parse(t).or_else(|| t.parse().ok()).ok_or_else(|| AdminError::bad("order_id is not an order id"))
        })
        .transpose()?;
    let sheets = inventory::list_sheets(&app, &a, tenant_id, order, q.kind.as_deref()).await?;
    Ok(Json(json!({ "sheets": sheets })).into_response())
}
