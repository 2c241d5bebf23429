use super::{key, ApiApp, Body};
use crate::extract::lenient;
use crate::guanmai::{ok, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::b2b::{self, Abnormal, AbnormalIn, AfterSaleKind, Refund, RefundIn, EXCEPTION_REASONS};
use dingdan_app::App;
use dingdan_core::ids::{ORDER, SKU};
use dingdan_core::Quantity;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
pub struct RecordIn {
    /// The record's id (update and delete).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub id: Option<i64>,
    pub sku_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub exception_reason: Option<i64>,
    /// 记账数 (abnormal)
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub final_amount: Option<f64>,
    /// fen, signed (abnormal)
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub money_delta: Option<i64>,
    /// 退货数 (refund)
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub request_amount: Option<f64>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct AfterSalesBody {
    pub order_id: Option<String>,
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub abnormal: Option<Vec<RecordIn>>,
    /// The document's spelling, read like `abnormal`.
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub abnomal: Option<Vec<RecordIn>>,
    #[serde(default, deserialize_with = "super::orders::json_list")]
    pub refund: Option<Vec<RecordIn>>,
}

fn reason_text(code: i64) -> &'static str {
    EXCEPTION_REASONS.iter().find(|(c, _)| *c == code).map(|(_, t)| *t).unwrap_or("")
}

/// An abnormal record as `order/get` shows it (`abnomal[]`).
pub fn abnormal_json(a: &Abnormal) -> Value {
    json!({
        "id": a.id, "detail_id": SKU.format(a.sku_id), "sku_id": SKU.format(a.sku_id),
        "final_amount": crate::guanmai::quantity_json(a.final_amount_milli), "money_delta": a.money_delta,
        "type_id": a.exception_reason, "type_text": reason_text(a.exception_reason), "text": a.text,
    })
}

/// A refund as `order/get` shows it (`refund[]`).
pub fn refund_json(r: &Refund, tenant_id: i64) -> Value {
    json!({
        "id": r.id, "station_store_id": format!("T{tenant_id:05}"), "out_sku_id": SKU.format(r.sku_id),
        "detail_id": SKU.format(r.sku_id), "out_order_id": ORDER.format(r.order_id),
        "request_amount": crate::guanmai::quantity_json(r.request_amount_milli),
        "real_amount": crate::guanmai::quantity_json(r.real_amount_milli), "state": r.state,
        "type_id": r.exception_reason, "type_text": reason_text(r.exception_reason), "text": r.text,
    })
}

fn sku(r: &RecordIn) -> Result<i64, ApiError> {
    let t = r
        .sku_id
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid("sku_id is required"))?;
    SKU.parse(t).ok_or_else(|| ApiError::invalid(format!("sku_id '{t}' is not a SKU id (D…)")))
}

fn abnormal_in(r: &RecordIn) -> Result<AbnormalIn, ApiError> {
    let final_amount = r.final_amount.ok_or_else(|| ApiError::invalid("final_amount is required"))?;
    if !final_amount.is_finite() || !(0.0..=1e6).contains(&final_amount) {
        return Err(ApiError::invalid("final_amount must be between 0 and 1000000"));
    }
    Ok(AbnormalIn {
        id: r.id,
        sku_id: sku(r)?,
        exception_reason: r.exception_reason.ok_or_else(|| ApiError::invalid("exception_reason is required"))?,
        final_amount: Quantity((final_amount * 1000.0).round() as i64),
        money_delta: r.money_delta.ok_or_else(|| ApiError::invalid("money_delta is required"))?,
    })
}

fn refund_in(r: &RecordIn) -> Result<RefundIn, ApiError> {
    let amount = r.request_amount.ok_or_else(|| ApiError::invalid("request_amount is required"))?;
    Ok(RefundIn {
        id: r.id,
        sku_id: sku(r)?,
        exception_reason: r.exception_reason.ok_or_else(|| ApiError::invalid("exception_reason is required"))?,
        request_amount: Quantity::parse_positive(amount)
            .map_err(|e| ApiError::invalid(format!("request_amount {e}")))?,
    })
}

/// The list the body carries: `abnormal` (or `abnomal`) or `refund`, not both.
fn which(b: AfterSalesBody) -> Result<(AfterSaleKind, Vec<RecordIn>), ApiError> {
    match (b.abnormal.or(b.abnomal), b.refund) {
        (Some(a), None) => Ok((AfterSaleKind::Abnormal, a)),
        (None, Some(r)) => Ok((AfterSaleKind::Refund, r)),
        (Some(_), Some(_)) => Err(ApiError::invalid("give either an abnormal list or a refund list, not both")),
        (None, None) => Err(ApiError::invalid("an abnormal or a refund list is required")),
    }
}

/// Records abnormal records on a signed order.
#[utoipa::path(post, path = "/api/order/abnormal/create", tag = "station", request_body = AfterSalesBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "the order is not signed")))]
pub async fn abnormal_create(
    State(app): State<App>,
    api: ApiApp,
    body: Body<AfterSalesBody>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let items = b.abnormal.or(b.abnomal).ok_or_else(|| ApiError::invalid("abnormal is required"))?;
    let items = items.iter().map(abnormal_in).collect::<Result<Vec<_>, _>>()?;
    b2b::record_abnormals(&app, &api.actor, api.tenant_id, id, &items).await?;
    Ok(ok(Value::Null))
}

/// Records refunds (returned quantities) on a signed order.
#[utoipa::path(post, path = "/api/order/refund/create", tag = "station", request_body = AfterSalesBody,
    responses((status = 200, description = "`data: null`"), (status = 400, description = "more than delivered"),
              (status = 409, description = "the order is not signed")))]
pub async fn refund_create(
    State(app): State<App>,
    api: ApiApp,
    body: Body<AfterSalesBody>,
) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let items = b.refund.ok_or_else(|| ApiError::invalid("refund is required"))?;
    let items = items.iter().map(refund_in).collect::<Result<Vec<_>, _>>()?;
    b2b::record_refunds(&app, &api.actor, api.tenant_id, id, &items).await?;
    Ok(ok(Value::Null))
}

/// Changes abnormal records or refunds: the list in the body says which.
#[utoipa::path(post, path = "/api/order/after_sales/update", tag = "station", request_body = AfterSalesBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such record")))]
pub async fn update(State(app): State<App>, api: ApiApp, body: Body<AfterSalesBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    match which(b)? {
        (AfterSaleKind::Abnormal, items) => {
            let items = items.iter().map(abnormal_in).collect::<Result<Vec<_>, _>>()?;
            b2b::update_abnormals(&app, &api.actor, api.tenant_id, id, &items).await?;
        }
        (AfterSaleKind::Refund, items) => {
            let items = items.iter().map(refund_in).collect::<Result<Vec<_>, _>>()?;
            b2b::update_refunds(&app, &api.actor, api.tenant_id, id, &items).await?;
        }
    }
    Ok(ok(Value::Null))
}

/// Cancels abnormal records or refunds by `{id, sku_id}`.
#[utoipa::path(post, path = "/api/order/after_sales/delete", tag = "station", request_body = AfterSalesBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such record")))]
pub async fn delete(State(app): State<App>, api: ApiApp, body: Body<AfterSalesBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let (kind, items) = which(b)?;
    let pairs = items
        .iter()
        .map(|r| Ok((r.id.ok_or_else(|| ApiError::invalid("id is required"))?, sku(r)?)))
        .collect::<Result<Vec<_>, ApiError>>()?;
    b2b::cancel_after_sales(&app, &api.actor, api.tenant_id, id, kind, &pairs).await?;
    Ok(ok(Value::Null))
}

/// The exception reasons.
#[utoipa::path(get, path = "/api/order/after_sales/exception_reason/list", tag = "station",
    responses((status = 200, description = "`data: {1: \"未按用户时间到达\", 5: \"漏单\", …}`")))]
pub async fn exception_reasons(_api: ApiApp) -> Result<Response, ApiError> {
    let map: serde_json::Map<String, Value> =
        EXCEPTION_REASONS.iter().map(|(c, t)| (c.to_string(), Value::from(*t))).collect();
    Ok(ok(map))
}
