//! The offline dialect's answers. The seed shows none; these are ours, documented in
//! docs/dialects/offline.md.

use dingdan_app::offline::{PackageOrder, PackageView};
use dingdan_core::time::{format_local, Tz};
use dingdan_core::{Fen, Quantity};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

const TIME: &str = "%Y-%m-%d %H:%M:%S";

#[derive(Debug, Serialize, ToSchema)]
pub struct Package {
    pub id: i64,
    /// The order this package collects.
    pub heyshop_order_id: i64,
    /// The six-digit pickup code.
    pub key: String,
    /// unused, used, expired, canceled
    pub key_status: String,
    /// unprepare, prepared
    pub stock_status: String,
    pub shop_id: i64,
    pub shop_name: String,
    pub expires_at: String,
    pub used_at: Option<String>,
    pub used_by: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

impl Package {
    pub fn new(v: &PackageView, tz: Tz) -> Package {
        let p = &v.package;
        Package {
            id: p.id,
            heyshop_order_id: p.order_id,
            key: p.key.clone(),
            key_status: v.key_status.clone(),
            stock_status: p.stock_status.clone(),
            shop_id: p.store_id,
            shop_name: v.store_name.clone(),
            expires_at: format_local(p.expires_at, tz, TIME),
            used_at: p.used_at.map(|t| format_local(t, tz, TIME)),
            used_by: p.used_by,
            created_at: format_local(p.created_at, tz, TIME),
            updated_at: format_local(p.updated_at, tz, TIME),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrderLine {
    pub sku_id: i64,
    pub name: String,
    #[schema(value_type = f64)]
    pub quantity: serde_json::Value,
    pub unit: String,
    /// yuan
    pub price: String,
    /// yuan
    pub total: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Order {
    pub id: i64,
    pub heyshop_order_id: i64,
    /// The token a customer gives to `fetch`.
    pub order_token: String,
    /// pending, confirmed, ready_for_pickup, completed, cancelled, ...
    pub status: String,
    /// unpaid, partly_paid, paid, refunded
    pub payment_status: String,
    /// yuan
    pub total_price: String,
    pub remark: Option<String>,
    pub created_at: String,
    pub items: Vec<OrderLine>,
    pub pick_up_code: Package,
}

impl Order {
    pub fn new(po: &PackageOrder, tz: Tz) -> Order {
        let o = &po.order;
        Order {
            id: o.id,
            heyshop_order_id: o.id,
            order_token: po.package.package.order_token.clone(),
            status: o.fulfillment.as_str().into(),
            payment_status: o.payment.as_str().into(),
            total_price: Fen(o.total_pay).to_yuan(),
            remark: o.remark.clone(),
            created_at: format_local(o.created_at, tz, TIME),
            items: po
                .lines
                .iter()
                .map(|l| OrderLine {
                    sku_id: l.sku_id,
                    name: l.name.clone(),
                    quantity: crate::guanmai::quantity_json(l.quantity_milli),
                    unit: l.sale_unit_name.clone(),
                    price: Fen(l.sale_price).to_yuan(),
                    total: Quantity(l.quantity_milli).times(Fen(l.sale_price)).to_yuan(),
                })
                .collect(),
            pick_up_code: Package::new(&po.package, tz),
        }
    }
}

/// What a customer sees: their code and order, nothing of other orders.
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomerPickup {
    pub key: String,
    pub key_status: String,
    pub stock_status: String,
    pub expires_at: String,
    pub shop_id: i64,
    pub shop_name: String,
    pub heyshop_order_id: i64,
    pub order_status: String,
    pub total_price: String,
    pub items: Vec<OrderLine>,
}

impl CustomerPickup {
    pub fn new(po: &PackageOrder, tz: Tz) -> CustomerPickup {
        let full = Order::new(po, tz);
        let p = full.pick_up_code;
        CustomerPickup {
            key: p.key,
            key_status: p.key_status,
            stock_status: p.stock_status,
            expires_at: p.expires_at,
            shop_id: p.shop_id,
            shop_name: p.shop_name,
            heyshop_order_id: full.id,
            order_status: full.status,
            total_price: full.total_price,
            items: full.items,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub count: i64,
    pub results: Vec<T>,
}

/// List filters; list values are comma-separated.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackageFilter {
    pub id: Option<String>,
    #[serde(rename = "id__in")]
    pub id_in: Option<String>,
    /// unprepare, prepared
    pub stock_status: Option<String>,
    #[serde(rename = "stock_status__in")]
    pub stock_status_in: Option<String>,
    pub heyshop_order_id: Option<String>,
    #[serde(rename = "heyshop_order_id__in")]
    pub heyshop_order_id_in: Option<String>,
    pub key: Option<String>,
    /// As printed in the document; the same as `key__in`.
    pub key_in: Option<String>,
    #[serde(rename = "key__in")]
    pub key_in_django: Option<String>,
    /// used, unused, expired, canceled
    pub key_status: Option<String>,
    #[serde(rename = "key_status__in")]
    pub key_status_in: Option<String>,
    /// Default 50, at most 200.
    pub limit: Option<String>,
    pub offset: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KeyParam {
    /// The six-digit pickup code.
    pub key: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct KeyBody {
    #[serde(default, deserialize_with = "crate::extract::lenient::opt_string")]
    pub key: Option<String>,
    /// Why a consumption is reversed (rollback).
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FetchParams {
    pub order_token: Option<String>,
    /// The merchant's domain, e.g. `demo.dingdan.local`.
    pub shop: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ShopParam {
    /// The merchant's domain.
    pub shop: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct Credentials {
    pub username: Option<String>,
    pub password: Option<String>,
    /// The merchant's domain; needed only when the user name exists at several merchants.
    pub shop: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Session {
    pub token: String,
    pub username: String,
    /// staff or manager
    pub role: String,
    pub shop_id: Option<i64>,
    pub expire_time: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Staff {
    pub id: i64,
    pub username: String,
    pub role: String,
    pub shop_id: Option<i64>,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Shop {
    pub id: i64,
    pub name: String,
    pub address: String,
    pub phone: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Default 50, at most 200.
    pub limit: Option<String>,
    pub offset: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Action {
    pub id: i64,
    /// consume, consume_failed, rollback, check, check_failed, stock_prepare, create_staff, ...
    pub action: String,
    pub staff_id: i64,
    /// staff, manager, admin, system
    pub actor_role: String,
    /// pickup_package, staff, order
    pub entity: String,
    pub entity_id: i64,
    pub before: Option<String>,
    pub after: Option<String>,
    #[schema(value_type = Object)]
    pub detail: serde_json::Value,
    pub created_at: String,
}
