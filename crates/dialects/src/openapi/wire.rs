//! Seed 002's field names, units and formats. Check this file against the document.

use crate::extract::lenient;
use crate::guanmai::{fmt, quantity_json, status};
use dingdan_app::b2b::ListedOrder;
use dingdan_app::b2b::OrderView;
use dingdan_core::time::{format_local, Tz};
use dingdan_core::{ids, Fen};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccessTokenParams {
    /// 站点id
    pub access_id: Option<String>,
    /// 秘钥
    pub secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccessToken {
    pub access_token: String,
    /// `YYYY-MM-DD HH:MM:SS`, when the token expires.
    pub expire_time: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderGetParams {
    /// 校验token (read by the `ApiApp` extractor; listed for the OpenAPI document)
    #[allow(dead_code)]
    pub access_token: Option<String>,
    /// 订单号, e.g. `PL492416`
    pub order_id: Option<String>,
}

/// `order/update` fields; `access_token` is read from the URL only.
#[derive(Debug, Deserialize, ToSchema)]
pub struct OrderUpdate {
    pub order_id: Option<String>,
    /// `YYYY-MM-DD HH:MM:SS`
    pub receive_begin_time: Option<String>,
    pub receive_end_time: Option<String>,
    /// Target status: 1→5, 1→10, 5→10.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    /// The line to change (`D…`); required with amount, price or a line remark.
    pub sku_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub amount: Option<f64>,
    /// Unit price in fen.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub price: Option<i64>,
    /// The line's remark with `sku_id`, else the order's.
    #[serde(default, deserialize_with = "lenient::opt_string")]
    pub remark: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderListParams {
    /// 校验token (read by the `ApiApp` extractor; listed for the OpenAPI document)
    #[allow(dead_code)]
    pub access_token: Option<String>,
    /// 1: by order time, 2: by receive date.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub query_type: Option<i64>,
    /// `YYYY-MM-DD`
    pub start_date: Option<String>,
    /// `YYYY-MM-DD`; at most 7 days after start_date, inclusive.
    pub end_date: Option<String>,
    /// date_desc (default), date_asc, price_desc, price_asc.
    pub sort_type: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub status: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub offset: Option<i64>,
    /// At most 100; default 20.
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub limit: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Customer {
    pub resname: String,
    pub address: String,
    pub receiver_phone: String,
    pub receive_begin_time: Option<String>,
    pub receive_end_time: Option<String>,
    pub receiver_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Detail {
    pub category_title_2: String,
    pub std_unit_name: String,
    pub sale_unit_name: String,
    /// fen
    pub real_item_price: i64,
    #[schema(value_type = f64)]
    pub real_quantity: serde_json::Value,
    pub category_title_1: String,
    pub spu_remark: String,
    #[schema(value_type = f64)]
    pub accept_quantity: serde_json::Value,
    pub supplier_name: String,
    #[schema(value_type = f64)]
    pub quantity: serde_json::Value,
    #[schema(value_type = f64)]
    pub purchase_quantity: serde_json::Value,
    /// yuan, e.g. "7.28"
    pub sale_price: String,
    pub name: String,
    #[schema(value_type = f64)]
    pub sale_ratio: serde_json::Value,
    pub spu_id: String,
    /// SKU id, the `sku_id` of order/update.
    pub id: String,
    pub is_weight: bool,
    pub has_weight: bool,
    pub salemenu_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDetail {
    pub id: String,
    /// fen
    pub freight: i64,
    /// -1, 1, 5, 10, 15, 100
    pub status: i64,
    /// fen
    pub real_price: i64,
    pub customer: Customer,
    pub date_time: String,
    pub remark: Option<String>,
    pub details: Vec<Detail>,
    pub sort_id: Option<i64>,
    /// fen, real price plus freight
    pub total_pay: i64,
}

impl From<&OrderView> for OrderDetail {
    fn from(v: &OrderView) -> Self {
        let o = &v.order;
        let minutes = |ms: Option<i64>| ms.map(|ms| format_local(ms, v.tz, fmt::MINUTES));
        let c = v.customer.as_ref();
        let text = |f: fn(&dingdan_app::b2b::Customer) -> &String| c.map(f).cloned().unwrap_or_default();
        OrderDetail {
            id: ids::ORDER.format(o.id),
            freight: o.freight,
            status: status::code(o.fulfillment, o.payment),
            real_price: o.real_total,
            customer: Customer {
                resname: text(|c| &c.resname),
                address: text(|c| &c.address),
                receiver_phone: text(|c| &c.receiver_phone),
                receive_begin_time: minutes(o.receive_begin_at),
                receive_end_time: minutes(o.receive_end_at),
                receiver_name: text(|c| &c.receiver_name),
            },
            date_time: format_local(o.created_at, v.tz, fmt::ISO_MILLIS),
            remark: o.remark.clone(),
            details: v
                .lines
                .iter()
                .map(|l| {
                    let real = l.real_quantity_milli.unwrap_or(l.quantity_milli);
                    Detail {
                        category_title_2: l.category2_name.clone(),
                        std_unit_name: l.std_unit_name.clone(),
                        sale_unit_name: l.sale_unit_name.clone(),
                        real_item_price: dingdan_core::Quantity(real).times(Fen(l.sale_price)).0,
                        real_quantity: quantity_json(real),
                        category_title_1: l.category1_name.clone(),
                        spu_remark: l.remark.clone(),
                        accept_quantity: quantity_json(l.accept_quantity_milli.unwrap_or(real)),
                        supplier_name: l.supplier_name.clone(),
                        quantity: quantity_json(l.quantity_milli),
                        purchase_quantity: quantity_json(l.purchase_quantity_milli.unwrap_or(l.quantity_milli)),
                        sale_price: Fen(l.sale_price).to_yuan(),
                        name: l.name.clone(),
                        sale_ratio: quantity_json(l.sale_ratio_milli),
                        spu_id: ids::SPU.format(l.spu_id),
                        id: ids::SKU.format(l.sku_id),
                        is_weight: l.is_weigh,
                        has_weight: l.real_quantity_milli.is_some(),
                        salemenu_name: l.salemenu_name.clone(),
                    }
                })
                .collect(),
            sort_id: o.sort_id,
            total_pay: o.total_pay,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ListItem {
    /// yuan, the total when the order was placed
    pub origin_total_price: String,
    pub date_time_str: String,
    pub receive_end_time: Option<String>,
    pub status: i64,
    pub sort_id: Option<i64>,
    pub id: String,
    pub receive_begin_time: Option<String>,
    /// yuan, the total at today's lines and prices
    pub total_price: String,
    pub resname: String,
    /// yuan
    pub freight: String,
}

impl ListItem {
    pub fn new(l: &ListedOrder, tz: Tz) -> ListItem {
        let o = &l.order;
        let minutes = |ms: Option<i64>| ms.map(|ms| format_local(ms, tz, fmt::MINUTES));
        ListItem {
            origin_total_price: Fen(o.origin_total).to_yuan(),
            date_time_str: format_local(o.created_at, tz, fmt::DATE_TIME),
            receive_end_time: minutes(o.receive_end_at),
            status: status::code(o.fulfillment, o.payment),
            sort_id: o.sort_id,
            id: ids::ORDER.format(o.id),
            receive_begin_time: minutes(o.receive_begin_at),
            total_price: Fen(o.ordered_total).to_yuan(),
            resname: l.resname.clone().unwrap_or_default(),
            freight: Fen(o.freight).to_yuan(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Pagination {
    pub limit: i64,
    pub offset: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderList {
    pub list: Vec<ListItem>,
    pub pagination: Pagination,
}
