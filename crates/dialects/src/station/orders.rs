use super::paging::{page, KeyedPaging, PageParams};
use super::{key, ApiApp, Body, Query};
use crate::extract::lenient;
use crate::guanmai::{fmt, ok, status, ApiError};
use crate::openapi::wire::OrderDetail;
use axum::extract::State;
use axum::response::Response;
use dingdan_app::b2b::{
    self, AddLine, LineChange, ListQuery, ListedOrder, NewLine, OrderEdit, PlaceOrder, Sort, TimeField,
};
use dingdan_app::App;
use dingdan_core::ids::{CUSTOMER, ORDER, SKU};
use dingdan_core::order::Payment;
use dingdan_core::time::{self, format_local, Tz};
use dingdan_core::{Fen, Quantity};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

/// A list given as a JSON list, or as a JSON string of one (form bodies).
pub(super) fn json_list<'de, D: Deserializer<'de>, T: DeserializeOwned>(d: D) -> Result<Option<Vec<T>>, D::Error> {
    let v = Option::<Value>::deserialize(d)?;
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(vec![])),
        Some(Value::String(s)) => serde_json::from_str(&s).map(Some).map_err(serde::de::Error::custom),
        Some(other) => serde_json::from_value(other).map(Some).map_err(serde::de::Error::custom),
    }
}

/// Pay status numbers: 1 unpaid, 5 partly paid, 10 paid.
fn pay_code(p: Payment) -> i64 {
    match p {
        Payment::Unpaid => 1,
        Payment::PartlyPaid => 5,
        Payment::Paid | Payment::Refunded => 10,
    }
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ProductIn {
    /// `D…`
    pub sku_id: String,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub amount: Option<f64>,
    /// fen per sale unit (order/create)
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub unit_price: Option<i64>,
    /// fen per sale unit (order/sku/*)
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub price: Option<i64>,
    pub spu_remark: Option<String>,
    pub remark: Option<String>,
    #[serde(default)]
    #[allow(dead_code)]
    pub is_price_timing: Option<Value>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderCreate {
    /// The customer's `S…` id.
    pub sid: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS`
    pub receive_begin_time: Option<String>,
    pub receive_end_time: Option<String>,
    pub remark: Option<String>,
    /// `[{sku_id, amount, unit_price, spu_remark?, is_price_timing?}]` (a JSON string in forms)
    #[serde(default, deserialize_with = "json_list")]
    pub products: Option<Vec<ProductIn>>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderBody {
    pub order_id: Option<String>,
    pub receive_begin_time: Option<String>,
    pub receive_end_time: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub remark: Option<String>,
    #[serde(default, deserialize_with = "json_list")]
    pub products: Option<Vec<ProductIn>>,
    #[serde(default, deserialize_with = "json_list")]
    pub sku_ids: Option<Vec<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderId {
    /// `PL…`
    pub order_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// 1 by order time, 2 by receive date
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub query_type: Option<i64>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    /// 1 unpaid, 5 partly paid, 10 paid
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub pay_status: Option<i64>,
}

fn local_time(field: &str, text: &str, tz: Tz) -> Result<i64, ApiError> {
    time::parse_local_datetime(text)
        .map(|t| time::from_local(t, tz))
        .ok_or_else(|| ApiError::invalid(format!("{field} must be YYYY-MM-DD HH:MM:SS, got '{text}'")))
}

fn sku_key(text: &str) -> Result<i64, ApiError> {
    SKU.parse(text).ok_or_else(|| ApiError::invalid(format!("sku_id '{text}' is not a SKU id (D…)")))
}

fn amount(p: &ProductIn) -> Result<Option<Quantity>, ApiError> {
    p.amount
        .map(|a| Quantity::parse_positive(a).map_err(|e| ApiError::invalid(format!("amount of {} {e}", p.sku_id))))
        .transpose()
}

fn price(p: &ProductIn, v: Option<i64>) -> Result<Option<Fen>, ApiError> {
    v.map(|x| Fen::parse_amount(x).map_err(|e| ApiError::invalid(format!("price of {} {e}", p.sku_id)))).transpose()
}

/// Places an order for a customer.
#[utoipa::path(post, path = "/api/order/create", tag = "station", request_body = OrderCreate,
    responses((status = 200, description = "`data: {order_id}`"), (status = 400, description = "invalid order"),
              (status = 404, description = "unknown customer or SKU")))]
pub async fn create(State(app): State<App>, api: ApiApp, body: Body<OrderCreate>) -> Result<Response, ApiError> {
    let b = body.0;
    let customer_id = key(CUSTOMER, "sid", b.sid.as_deref())?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let begin = b
        .receive_begin_time
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("receive_begin_time is required"))?;
    let end = b
        .receive_end_time
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .ok_or_else(|| ApiError::invalid("receive_end_time is required"))?;
    let products = b.products.unwrap_or_default();
    if products.is_empty() {
        return Err(ApiError::invalid("products must list at least one product"));
    }
    let mut lines = Vec::new();
    for p in &products {
        let quantity = amount(p)?.ok_or_else(|| ApiError::invalid(format!("amount of {} is required", p.sku_id)))?;
        let unit_price = price(p, p.unit_price.or(p.price))?
            .ok_or_else(|| ApiError::invalid(format!("unit_price of {} is required", p.sku_id)))?;
        lines.push(NewLine {
            sku_id: sku_key(&p.sku_id)?,
            quantity,
            unit_price: Some(unit_price),
            remark: p.spu_remark.clone().or(p.remark.clone()).unwrap_or_default(),
        });
    }
    let cmd = PlaceOrder {
        tenant_id: api.tenant_id,
        customer_id,
        receive_begin_at: local_time("receive_begin_time", begin, tz)?,
        receive_end_at: local_time("receive_end_time", end, tz)?,
        remark: b.remark.filter(|r| !r.is_empty()),
        freight: Fen::ZERO,
        lines,
        placed_at: None,
    };
    let id = b2b::place_order(&app, &api.actor, &cmd).await?;
    Ok(ok(json!({ "order_id": ORDER.format(id) })))
}

/// Deletes an order that is waiting (status 1) and unpaid.
#[utoipa::path(post, path = "/api/order/delete", tag = "station", request_body = OrderBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "sorting already or paid")))]
pub async fn delete(State(app): State<App>, api: ApiApp, body: Body<OrderBody>) -> Result<Response, ApiError> {
    let id = key(ORDER, "order_id", body.0.order_id.as_deref())?;
    b2b::delete_order(&app, &api.actor, api.tenant_id, id).await?;
    Ok(ok(Value::Null))
}

/// Changes the remark or receive window, or moves the status forward (1→5, 1→10, 5→10).
#[utoipa::path(post, path = "/api/order/update", tag = "station", request_body = OrderBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "not allowed in this status")))]
pub async fn update(State(app): State<App>, api: ApiApp, body: Body<OrderBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let edit = OrderEdit {
        receive_begin_at: b
            .receive_begin_time
            .as_deref()
            .map(|t| local_time("receive_begin_time", t, tz))
            .transpose()?,
        receive_end_at: b.receive_end_time.as_deref().map(|t| local_time("receive_end_time", t, tz)).transpose()?,
        remark: b.remark,
        line: None,
        status: b
            .status
            .map(|c| {
                status::target_of(c)
                    .ok_or_else(|| ApiError::invalid(format!("status must be one of 1, 5, 10, 15; got {c}")))
            })
            .transpose()?,
    };
    b2b::edit_order(&app, &api.actor, api.tenant_id, id, &edit).await?;
    Ok(ok(Value::Null))
}

/// One order with pay status, customer, lines and after-sales.
#[utoipa::path(get, path = "/api/order/get", tag = "station", params(OrderId),
    responses((status = 200, description = "the order"), (status = 404, description = "no such order")))]
pub async fn get(State(app): State<App>, api: ApiApp, q: Query<OrderId>) -> Result<Response, ApiError> {
    let id = key(ORDER, "order_id", q.0.order_id.as_deref())?;
    let view = b2b::get_order(&app, &api.actor, api.tenant_id, id).await?;
    let mut v = serde_json::to_value(OrderDetail::from(&view)).unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("order_id".into(), Value::from(ORDER.format(view.order.id)));
        o.insert("pay_status".into(), Value::from(pay_code(view.order.payment)));
        o.insert("abnormal_money".into(), Value::from(view.order.abnormal_money));
        o.insert("refund_money".into(), Value::from(view.order.refund_money));
        let (abnormals, refunds) = b2b::after_sales_of(&app, view.order.id).await?;
        o.insert("abnomal".into(), abnormals.iter().map(super::after_sales::abnormal_json).collect());
        o.insert("refund".into(), refunds.iter().map(|r| super::after_sales::refund_json(r, api.tenant_id)).collect());
        if let (Some(c), Some(cust)) = (o.get_mut("customer").and_then(Value::as_object_mut), view.customer.as_ref()) {
            c.insert("customer_id".into(), Value::from(CUSTOMER.format(cust.id)));
            c.insert("customer_name".into(), Value::from(cust.resname.clone()));
            c.insert("customer_address".into(), Value::from(cust.address.clone()));
        }
    }
    Ok(ok(v))
}

fn list_item(l: &ListedOrder, tz: Tz) -> Value {
    let o = &l.order;
    let minutes = |ms: Option<i64>| ms.map(|ms| format_local(ms, tz, fmt::MINUTES));
    json!({
        "order_id": ORDER.format(o.id),
        "id": ORDER.format(o.id),
        "freight": o.freight,
        "status": status::code(o.fulfillment, o.payment),
        "pay_status": pay_code(o.payment),
        "real_price": o.real_total,
        "sort_id": o.sort_id,
        "total_pay": o.total_pay,
        "abnormal_money": o.abnormal_money,
        "refund_money": o.refund_money,
        "date_time": format_local(o.created_at, tz, fmt::ISO_MILLIS),
        "remark": o.remark,
        "customer": {
            "customer_id": o.customer_id.map(|c| CUSTOMER.format(c)),
            "resname": l.resname, "address": l.address, "receiver_phone": l.receiver_phone,
            "receive_begin_time": minutes(o.receive_begin_at), "receive_end_time": minutes(o.receive_end_at),
            "receiver_name": l.receiver_name,
        },
    })
}

/// Orders by order time or receive date (any range), status and pay status.
#[utoipa::path(get, path = "/api/order/list", tag = "station", params(OrderListParams, PageParams),
    responses((status = 200, description = "`data: [order]`, `pagenation`"), (status = 400, description = "bad filter")))]
pub async fn list(
    State(app): State<App>,
    api: ApiApp,
    paging: KeyedPaging,
    q: Query<OrderListParams>,
) -> Result<Response, ApiError> {
    let p = q.0;
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
    let (fulfillment, paid) = match p.status {
        Some(code) => {
            let (f, paid) = status::filter_of(code)
                .ok_or_else(|| ApiError::invalid(format!("status must be one of -1, 1, 5, 10, 15, 100; got {code}")))?;
            (Some(f), paid)
        }
        None => (None, None),
    };
    let payment = match p.pay_status {
        None => None,
        Some(1) => Some(Payment::Unpaid),
        Some(5) => Some(Payment::PartlyPaid),
        Some(10) => Some(Payment::Paid),
        Some(other) => return Err(ApiError::invalid(format!("pay_status must be 1, 5 or 10; got {other}"))),
    };
    let w = paging.window;
    let query = ListQuery {
        after: paging.after,
        time_field,
        first_day: date("start_date", &p.start_date)?,
        last_day: date("end_date", &p.end_date)?,
        max_days: None,
        fulfillment,
        paid,
        payment,
        sort: Sort::DateDesc,
        offset: w.skip,
        limit: w.take,
    };
    let (rows, tz) = b2b::list_orders(&app, &api.actor, api.tenant_id, &query).await?;
    let key_of = |l: &ListedOrder| {
        let o = &l.order;
        let key = match time_field {
            TimeField::Created => o.created_at,
            TimeField::ReceiveBegin => o.receive_begin_at.unwrap_or(o.created_at),
        };
        (key, o.id)
    };
    let (rows, pg) = paging.finish(rows, key_of);
    Ok(page(rows.iter().map(|l| list_item(l, tz)).collect(), pg))
}

/// Adds products to an order (status 1 or 5).
#[utoipa::path(post, path = "/api/order/sku/create", tag = "station", request_body = OrderBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "the order has left")))]
pub async fn sku_create(State(app): State<App>, api: ApiApp, body: Body<OrderBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let mut add = Vec::new();
    for p in b.products.unwrap_or_default() {
        add.push(AddLine {
            sku_id: sku_key(&p.sku_id)?,
            quantity: amount(&p)?.ok_or_else(|| ApiError::invalid(format!("amount of {} is required", p.sku_id)))?,
            price: price(&p, p.price.or(p.unit_price))?
                .ok_or_else(|| ApiError::invalid(format!("price of {} is required", p.sku_id)))?,
            remark: p.remark.clone().or(p.spu_remark.clone()).unwrap_or_default(),
        });
    }
    b2b::add_lines(&app, &api.actor, api.tenant_id, id, &add).await?;
    Ok(ok(Value::Null))
}

/// Removes products from an order (status 1 or 5); at least one line stays.
#[utoipa::path(post, path = "/api/order/sku/delete", tag = "station", request_body = OrderBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "the order has left, or it would be empty")))]
pub async fn sku_delete(State(app): State<App>, api: ApiApp, body: Body<OrderBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let skus = b.sku_ids.unwrap_or_default().iter().map(|s| sku_key(s)).collect::<Result<Vec<_>, _>>()?;
    b2b::remove_lines(&app, &api.actor, api.tenant_id, id, &skus).await?;
    Ok(ok(Value::Null))
}

/// Changes quantities, prices or remarks of products in an order (status 1 or 5).
#[utoipa::path(post, path = "/api/order/sku/update", tag = "station", request_body = OrderBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "the order has left")))]
pub async fn sku_update(State(app): State<App>, api: ApiApp, body: Body<OrderBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let mut changes = Vec::new();
    for p in b.products.unwrap_or_default() {
        changes.push(LineChange {
            sku_id: sku_key(&p.sku_id)?,
            quantity: amount(&p)?,
            price: price(&p, p.price.or(p.unit_price))?,
            remark: p.remark.clone().or(p.spu_remark.clone()),
        });
    }
    b2b::change_lines(&app, &api.actor, api.tenant_id, id, &changes).await?;
    Ok(ok(Value::Null))
}
