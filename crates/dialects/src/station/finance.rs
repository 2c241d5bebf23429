use super::paging::{page, PageParams, Paging};
use super::{key, ApiApp, Body, Query};
use crate::extract::lenient;
use crate::guanmai::{ok, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::finance::{self, RefundKind, StrikeCmd};
use dingdan_app::App;
use dingdan_core::ids::{CUSTOMER, CUSTOMER_FINANCE, ORDER};
use dingdan_core::time::{self, format_local, Tz};
use dingdan_core::Fen;
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

/// A customer named by its KID (`K…`) or its SID (`S…`).
fn customer_key(text: Option<&str>) -> Result<i64, ApiError> {
    let t =
        text.map(str::trim).filter(|t| !t.is_empty()).ok_or_else(|| ApiError::invalid("customer_id is required"))?;
    CUSTOMER_FINANCE
        .parse(t)
        .or_else(|| CUSTOMER.parse(t))
        .ok_or_else(|| ApiError::not_found(format!("customer {t} not found")))
}

/// `YYYY-MM-DD HH:MM:SS`, or a bare date meaning its midnight.
fn instant(field: &str, text: &str, tz: Tz) -> Result<i64, ApiError> {
    time::parse_local_datetime(text)
        .or_else(|| time::parse_date(text).and_then(|d| d.and_hms_opt(0, 0, 0)))
        .map(|t| time::from_local(t, tz))
        .ok_or_else(|| ApiError::invalid(format!("{field} must be YYYY-MM-DD HH:MM:SS or YYYY-MM-DD, got '{text}'")))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct StrikeBody {
    /// KID (`K…`); the SID is accepted too.
    pub customer_id: Option<String>,
    pub arrival_time: Option<String>,
    /// The voucher number; each is struck once.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub deal_code: Option<String>,
    /// wechat, cash, …
    pub arrival_id: Option<String>,
    pub arrival_method: Option<String>,
    /// fen, > 0
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub arrival_money: Option<i64>,
    pub remark: Option<String>,
}

/// Books an incoming payment and settles the customer's signed unpaid orders, oldest first.
#[utoipa::path(post, path = "/api/finance/strike", tag = "station", request_body = StrikeBody,
    responses((status = 200, description = "`data: null`"), (status = 400, description = "invalid amount or time"),
              (status = 409, description = "voucher struck already")))]
pub async fn strike(State(app): State<App>, api: ApiApp, body: Body<StrikeBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let customer_id = customer_key(b.customer_id.as_deref())?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let text = |f: &str, v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .ok_or_else(|| ApiError::invalid(format!("{f} is required")))
    };
    let money = b.arrival_money.ok_or_else(|| ApiError::invalid("arrival_money is required"))?;
    if money <= 0 {
        return Err(ApiError::invalid("arrival_money must be greater than zero"));
    }
    let cmd = StrikeCmd {
        customer_id,
        arrival_time: instant("arrival_time", &text("arrival_time", &b.arrival_time)?, tz)?,
        deal_code: text("deal_code", &b.deal_code)?,
        arrival_id: text("arrival_id", &b.arrival_id)?,
        arrival_method: text("arrival_method", &b.arrival_method)?,
        arrival_money: Fen::parse_amount(money).map_err(|e| ApiError::invalid(format!("arrival_money {e}")))?,
        remark: b.remark.unwrap_or_default(),
    };
    finance::strike_payment(&app, &api.actor, api.tenant_id, &cmd).await?;
    Ok(ok(Value::Null))
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct RefundBody {
    pub order_id: Option<String>,
    /// 1 difference refund, 2 whole-order refund
    #[serde(default, rename = "type", deserialize_with = "lenient::opt_i64")]
    pub kind: Option<i64>,
}

/// Refunds an order into the customer's balance: type 1 the difference, type 2 the whole order.
#[utoipa::path(post, path = "/api/finance/order/refund", tag = "station", request_body = RefundBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "never paid, or nothing to refund")))]
pub async fn order_refund(State(app): State<App>, api: ApiApp, body: Body<RefundBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(ORDER, "order_id", b.order_id.as_deref())?;
    let kind = match b.kind {
        Some(1) => RefundKind::Difference,
        Some(2) => RefundKind::Whole,
        Some(other) => {
            return Err(ApiError::invalid(format!("type must be 1 (difference) or 2 (whole order), got {other}")))
        }
        None => return Err(ApiError::invalid("type is required")),
    };
    finance::refund_order(&app, &api.actor, api.tenant_id, id, kind).await?;
    Ok(ok(Value::Null))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StrikeFilter {
    /// Arrival from (date or date and time).
    pub start_time: Option<String>,
    /// Arrival until (inclusive when a date).
    pub end_time: Option<String>,
    /// KID (or SID)
    pub customer_id: Option<String>,
}

/// Strikes with the orders each settled (amounts as yuan strings).
#[utoipa::path(get, path = "/api/finance/strike_flow/list", tag = "station", params(StrikeFilter, PageParams),
    responses((status = 200, description = "`data: [strike]`, `pagenation`")))]
pub async fn strike_flow_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<StrikeFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let customer = match f.customer_id.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(
            customer_key(Some(t)).map_err(|_| ApiError::invalid(format!("customer_id '{t}' is not a KID or SID")))?,
        ),
        None => None,
    };
    let from = match f.start_time.as_deref().filter(|t| !t.is_empty()) {
        Some(t) => instant("start_time", t, tz)?,
        None => i64::MIN / 2,
    };
    let to = match f.end_time.as_deref().filter(|t| !t.is_empty()) {
        Some(t) if time::parse_date(t).is_some() && time::parse_local_datetime(t).is_none() => {
            instant("end_time", t, tz)? + 86_400_000
        }
        Some(t) => instant("end_time", t, tz)? + 1,
        None => i64::MAX / 2,
    };
    let w = paging.window();
    let rows = finance::strike_flows(&app, &api.actor, api.tenant_id, customer, (from, to), w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let mut items = Vec::with_capacity(rows.len());
    for (s, flows) in rows {
        let c = dingdan_app::customers::get_customer(&app, &api.actor, api.tenant_id, s.customer_id).await.ok();
        let customer_json = c.as_ref().map(|c| {
            json!({ "uid": CUSTOMER_FINANCE.format(c.id), "receiver_phone": c.receiver_phone,
                    "address_id": CUSTOMER.format(c.id), "address": c.address, "resname": c.resname })
        });
        let stamp = |ms: i64| format_local(ms, tz, "%Y-%m-%dT%H:%M:%S");
        items.push(json!({
            "id": s.id, "deal_code": s.deal_code, "kid": CUSTOMER_FINANCE.format(s.customer_id),
            "district_code": c.as_ref().map(|c| c.district_code.clone()), "telephone": c.as_ref().map(|c| c.payer_phone.clone()),
            "balance": Fen(s.balance_after).to_yuan(), "arrival_money": Fen(s.arrival_money).to_yuan(),
            "arrival_time": format_local(s.arrival_time, tz, "%Y-%m-%d"), "arrival_method": s.arrival_method,
            "arrival_id": s.arrival_id, "strike_money": Fen(s.strike_money).to_yuan(), "strike_time": stamp(s.created_at),
            "strike_people": s.operator, "update_people": s.operator, "update_time": format_local(s.created_at, tz, "%Y-%m-%d %H:%M:%S"),
            "extra": if s.remark.is_empty() { Value::Null } else { Value::from(s.remark.clone()) },
            "order_flows": flows.iter().map(|fl| json!({
                "id": format!("CZ{:06}", fl.id), "strike_id": s.id, "deal_code": s.deal_code,
                "order_id": ORDER.format(fl.order_id), "amount": Fen(fl.amount).to_yuan(),
                "status": if fl.order_payment == "paid" { 2 } else { 1 },
                "create_time": stamp(fl.created_at), "modify_time": stamp(fl.created_at),
                "operator": s.operator, "operator_id": 0, "customer": customer_json,
            })).collect::<Vec<_>>(),
        }));
    }
    Ok(page(items, pg))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CashFilter {
    /// KID (or SID); all customers when absent.
    pub customer_id: Option<String>,
    /// `cash` (the default and only type).
    pub change_type: Option<String>,
}

/// Balance changes: `{balance, change, change_type, extra, id, order_id[], time}` (fen).
#[utoipa::path(get, path = "/api/finance/cash_flow/list", tag = "station", params(CashFilter, PageParams),
    responses((status = 200, description = "`data: [entry]`, `pagenation`")))]
pub async fn cash_flow_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<CashFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    if let Some(t) = f.change_type.as_deref().filter(|t| !t.is_empty() && *t != "cash") {
        return Err(ApiError::invalid(format!("change_type must be cash, got '{t}'")));
    }
    let customer = match f.customer_id.as_deref().filter(|t| !t.trim().is_empty()) {
        Some(t) => Some(
            customer_key(Some(t)).map_err(|_| ApiError::invalid(format!("customer_id '{t}' is not a KID or SID")))?,
        ),
        None => None,
    };
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    let w = paging.window();
    let rows = finance::cash_flows(&app, &api.actor, api.tenant_id, customer, w.skip, w.take).await?;
    let (rows, pg) = paging.finish(rows);
    let items = rows
        .iter()
        .map(|e| {
            let orders: Value = serde_json::from_str(&e.order_ids).unwrap_or_else(|_| json!([]));
            json!({ "id": e.id, "kid": CUSTOMER_FINANCE.format(e.customer_id), "balance": e.balance_after, "change": e.change,
                    "change_type": e.change_type, "extra": e.extra, "order_id": orders,
                    "time": format_local(e.at, tz, "%Y-%m-%d %H:%M:%S") })
        })
        .collect();
    Ok(page(items, pg))
}
