use super::wire::{ListItem, OrderDetail, OrderGetParams, OrderList, OrderListParams, OrderUpdate, Pagination};
use super::{ApiApp, Body, Query};
use crate::guanmai::{ok, status, ApiError, Envelope};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::b2b::{self, LineEdit, ListQuery, OrderEdit};
use dingdan_app::b2b::{Sort, TimeField};
use dingdan_app::App;
use dingdan_core::{ids, time, Fen, Quantity};

fn order_key(order_id: Option<&str>) -> Result<i64, ApiError> {
    let text =
        order_id.map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid("order_id is required"))?;
    // A well-formed id that does not exist and a malformed one both name no order.
    ids::ORDER.parse(text).ok_or_else(|| ApiError::not_found(format!("order {text} not found")))
}

fn local_time(field: &str, text: &str, tz: time::Tz) -> Result<i64, ApiError> {
    time::parse_local_datetime(text)
        .map(|t| time::from_local(t, tz))
        .ok_or_else(|| ApiError::invalid(format!("{field} must be YYYY-MM-DD HH:MM:SS, got '{text}'")))
}

/// One order with its lines and customer.
#[utoipa::path(
    get, path = "/openapi/order/get", tag = "openapi",
    params(OrderGetParams),
    responses(
        (status = 200, description = "the order", body = Envelope<OrderDetail>),
        (status = 401, description = "missing, invalid or expired access_token (code 3)"),
        (status = 404, description = "no such order for this token (code 5)"),
    )
)]
pub async fn get_order(State(app): State<App>, api: ApiApp, p: Query<OrderGetParams>) -> Result<Response, ApiError> {
    let p = p.0;
    let id = order_key(p.order_id.as_deref())?;
    let view = b2b::get_order(&app, &api.actor, api.tenant_id, id).await?;
    Ok(ok(OrderDetail::from(&view)))
}

/// Changes a line's price, quantity or remark, the order's remark or receive time, or moves its
/// status forward (1→5, 1→10, 5→10). Prices change only while the status is 1 or 5.
#[utoipa::path(
    post, path = "/openapi/order/update", tag = "openapi",
    params(("access_token" = String, Query, description = "校验token; in the URL, not the body")),
    request_body(content = OrderUpdate, content_type = "application/x-www-form-urlencoded",
                 description = "also accepted as application/json"),
    responses(
        (status = 200, description = "`data: null`", body = Envelope<Option<String>>),
        (status = 400, description = "malformed field (code 1)"),
        (status = 404, description = "no such order or line (code 5)"),
        (status = 409, description = "the order's status does not allow it (code 6)"),
    )
)]
pub async fn update_order(State(app): State<App>, api: ApiApp, u: Body<OrderUpdate>) -> Result<Response, ApiError> {
    let u = u.0;
    let id = order_key(u.order_id.as_deref())?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let mut edit = OrderEdit {
        receive_begin_at: u
            .receive_begin_time
            .as_deref()
            .map(|t| local_time("receive_begin_time", t, tz))
            .transpose()?,
        receive_end_at: u.receive_end_time.as_deref().map(|t| local_time("receive_end_time", t, tz)).transpose()?,
        ..OrderEdit::default()
    };
    if let Some(code) = u.status {
        let target = status::target_of(code)
            .ok_or_else(|| ApiError::invalid(format!("status must be one of 1, 5, 10; got {code}")))?;
        edit.status = Some(target);
    }
    let quantity = u
        .amount
        .map(|a| Quantity::parse_positive(a).map_err(|e| ApiError::invalid(format!("amount {e}"))))
        .transpose()?;
    let price =
        u.price.map(|p| Fen::parse_amount(p).map_err(|e| ApiError::invalid(format!("price {e}")))).transpose()?;
    match u.sku_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(sku) => {
            let sku_id =
                ids::SKU.parse(sku).ok_or_else(|| ApiError::not_found(format!("sku {sku} is not in this order")))?;
            edit.line = Some(LineEdit { sku_id, quantity, price, remark: u.remark.clone() });
        }
        None if quantity.is_some() || price.is_some() => {
            return Err(ApiError::invalid("sku_id is required to change amount or price"));
        }
        None => edit.remark = u.remark.clone(),
    }
    b2b::edit_order(&app, &api.actor, api.tenant_id, id, &edit).await?;
    Ok(ok(serde_json::Value::Null))
}

/// Orders placed (query_type 1) or to be received (2) in a date range of at most 7 days.
#[utoipa::path(
    get, path = "/openapi/orders", tag = "openapi",
    params(OrderListParams),
    responses(
        (status = 200, description = "a page of orders", body = Envelope<OrderList>),
        (status = 400, description = "bad range, limit or filter (code 1)"),
    )
)]
pub async fn list_orders(State(app): State<App>, api: ApiApp, p: Query<OrderListParams>) -> Result<Response, ApiError> {
    let p = p.0;
    let time_field = match p.query_type {
        Some(1) => TimeField::Created,
        Some(2) => TimeField::ReceiveBegin,
        Some(other) => return Err(ApiError::invalid(format!("query_type must be 1 or 2, got {other}"))),
        None => return Err(ApiError::invalid("query_type is required")),
    };
    let date = |field: &str, v: &Option<String>| {
        let text =
            v.as_deref().filter(|s| !s.is_empty()).ok_or_else(|| ApiError::invalid(format!("{field} is required")))?;
        time::parse_date(text).ok_or_else(|| ApiError::invalid(format!("{field} must be YYYY-MM-DD, got '{text}'")))
    };
    let first_day = date("start_date", &p.start_date)?;
    let last_day = date("end_date", &p.end_date)?;
    let sort = match p.sort_type.as_deref().unwrap_or("date_desc") {
        "" | "date_desc" => Sort::DateDesc,
        "date_asc" => Sort::DateAsc,
        "price_desc" => Sort::PriceDesc,
        "price_asc" => Sort::PriceAsc,
        other => {
            return Err(ApiError::invalid(format!(
                "sort_type must be date_desc, date_asc, price_desc or price_asc, got '{other}'"
            )))
        }
    };
    let (fulfillment, paid) = match p.status {
        Some(code) => {
            let (f, paid) = status::filter_of(code)
                .ok_or_else(|| ApiError::invalid(format!("status must be one of -1, 1, 5, 10, 15, 100; got {code}")))?;
            (Some(f), paid)
        }
        None => (None, None),
    };
    let limit = p.limit.unwrap_or(20);
    if !(1..=100).contains(&limit) {
        return Err(ApiError::invalid(format!("limit must be between 1 and 100, got {limit}")));
    }
    let q = ListQuery {
        after: None,
        time_field,
        first_day,
        last_day,
        max_days: Some(7),
        fulfillment,
        paid,
        payment: None,
        sort,
        offset: p.offset.unwrap_or(0),
        limit,
    };
    let (orders, tz) = b2b::list_orders(&app, &api.actor, api.tenant_id, &q).await?;
    let list = orders.iter().map(|o| ListItem::new(o, tz)).collect();
    Ok(ok(OrderList { list, pagination: Pagination { limit: q.limit, offset: q.offset } }))
}
