//! Seed 001's field names and units for the catalog. Check this file against the document.

use crate::extract::lenient;
use crate::guanmai::quantity_json;
use dingdan_app::catalog::{CategoryRow, PriceListRow, SkuRow, SpuRow};
use dingdan_core::ids;
use dingdan_core::time::{format_local, Tz};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa::{IntoParams, ToSchema};

const TIME: &str = "%Y-%m-%d %H:%M:%S";

pub fn category1(c: &CategoryRow) -> Value {
    json!({ "id": ids::CATEGORY1.format(c.id), "name": c.name })
}

pub fn category2(c: &CategoryRow) -> Value {
    json!({ "category1_id": c.parent_id.map(|p| ids::CATEGORY1.format(p)), "id": ids::CATEGORY2.format(c.id), "name": c.name })
}

pub fn pinlei(c: &CategoryRow) -> Value {
    json!({
        "category1_id": c.grandparent_id.map(|p| ids::CATEGORY1.format(p)),
        "category2_id": c.parent_id.map(|p| ids::CATEGORY2.format(p)),
        "id": ids::PINLEI.format(c.id),
        "name": c.name,
    })
}

fn images(s: &SpuRow) -> Value {
    serde_json::from_str(&s.detail_images).unwrap_or_else(|_| json!([]))
}

/// An SPU in lists: `category1_id`, `category2_id`.
pub fn spu_item(s: &SpuRow) -> Value {
    json!({
        "desc": s.description, "name": s.name, "p_type": s.p_type, "std_unit_name": s.std_unit_name,
        "id": ids::SPU.format(s.id), "category1_id": ids::CATEGORY1.format(s.category1_id),
        "category2_id": ids::CATEGORY2.format(s.category2_id), "pinlei_id": ids::PINLEI.format(s.pinlei_id),
        "detail_images": images(s), "image": s.image,
    })
}

/// An SPU in `spu/get`: `category_id_1`, `category_id_2`, and `create_time`.
pub fn spu_detail(s: &SpuRow, tz: Tz) -> Value {
    json!({
        "desc": s.description, "name": s.name, "p_type": s.p_type, "std_unit_name": s.std_unit_name,
        "id": ids::SPU.format(s.id), "category_id_1": ids::CATEGORY1.format(s.category1_id),
        "category_id_2": ids::CATEGORY2.format(s.category2_id), "pinlei_id": ids::PINLEI.format(s.pinlei_id),
        "detail_images": images(s), "image": s.image, "dispatch_method": s.dispatch_method,
        "create_time": format_local(s.created_at, tz, TIME),
    })
}

/// A SKU in lists (prices in fen, as `sku/create` takes them).
pub fn sku_item(k: &SkuRow) -> Value {
    json!({
        "id": ids::SKU.format(k.id), "sale_unit_name": k.sale_unit_name, "name": k.name,
        "ratio": quantity_json(k.sale_ratio_milli), "spu_id": ids::SPU.format(k.spu_id), "std_unit_name": k.std_unit_name,
        "sale_price": k.sale_price, "std_sale_price": k.std_price, "salemenu_id": ids::PRICE_LIST.format(k.price_list_id),
        "salemenu_name": k.price_list_name, "state": k.state, "is_weigh": k.is_weigh as i64,
        "sale_num_least": quantity_json(k.sale_num_least_milli),
    })
}

/// A SKU in `sku/get`.
pub fn sku_detail(k: &SkuRow, tz: Tz) -> Value {
    let mut v = sku_item(k);
    let extra = json!({
        "category1_id": ids::CATEGORY1.format(k.category1_id), "category2_id": ids::CATEGORY2.format(k.category2_id),
        "pinlei": ids::PINLEI.format(k.pinlei_id), "is_price_timing": k.is_price_timing, "img_url": k.img_url,
        "desc": k.description, "create_time": format_local(k.created_at, tz, TIME),
        "modify_time": format_local(k.updated_at, tz, TIME),
    });
    if let (Some(a), Value::Object(b)) = (v.as_object_mut(), extra) {
        a.extend(b);
    }
    v
}

pub fn salemenu(m: &PriceListRow) -> Value {
    let times: Value = serde_json::from_str(&m.receive_times).unwrap_or_else(|_| json!([]));
    json!({
        "id": ids::PRICE_LIST.format(m.id), "name": m.name, "desc": m.description, "is_active": m.is_active,
        "time_config_id": m.time_config_id, "time_config_name": m.time_config_name, "receive_time": times,
    })
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CategoryFilter {
    /// `A…`
    pub category1_id: Option<String>,
    /// `B…`
    pub category2_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpuFilter {
    pub category1_id: Option<String>,
    pub category2_id: Option<String>,
    pub pinlei_id: Option<String>,
    pub spu_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SpuId {
    /// `C…`
    pub spu_id: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SpuBody {
    pub spu_id: Option<String>,
    pub name: Option<String>,
    pub desc: Option<String>,
    pub std_unit_name: Option<String>,
    /// `P…`
    pub pinlei_id: Option<String>,
    /// Default 2 (统配).
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub dispatch_method: Option<i64>,
    pub image: Option<String>,
    /// A list of URLs (a JSON string of a list in forms).
    #[serde(default, deserialize_with = "lenient_list")]
    pub detail_images: Option<Vec<String>>,
}

/// A list given as a JSON list, a JSON string of a list, or one value.
pub fn lenient_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Vec<String>>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum L {
        Many(Vec<String>),
        One(String),
    }
    Ok(match Option::<L>::deserialize(d)? {
        None => None,
        Some(L::Many(v)) => Some(v),
        Some(L::One(s)) if s.trim_start().starts_with('[') => {
            Some(serde_json::from_str(&s).map_err(|e| serde::de::Error::custom(format!("not a list: {e}")))?)
        }
        Some(L::One(s)) if s.trim().is_empty() => Some(vec![]),
        Some(L::One(s)) => Some(vec![s]),
    })
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct SkuBody {
    pub sku_id: Option<String>,
    pub spu_id: Option<String>,
    pub sku_name: Option<String>,
    pub salemenu_id: Option<String>,
    /// fen per base unit
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub std_price: Option<i64>,
    /// fen per sale unit
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub sale_price: Option<i64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub sale_num_least: Option<f64>,
    #[serde(default, deserialize_with = "lenient::opt_f64")]
    pub sale_ratio: Option<f64>,
    pub sale_unit_name: Option<String>,
    pub std_unit_name: Option<String>,
    pub desc: Option<String>,
    /// 0 or 1
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub is_weigh: Option<i64>,
    /// 1 on sale, 0 off sale
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    pub state: Option<i64>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkuFilter {
    /// Part of the SKU's name.
    pub search_text: Option<String>,
    pub spu_id: Option<String>,
    pub salemenu_id: Option<String>,
    pub category1_id: Option<String>,
    pub category2_id: Option<String>,
    pub pinlei: Option<String>,
    pub pinlei_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SkuId {
    /// `D…`
    pub sku_id: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SalemenuFilter {
    /// The customer's `S…` id.
    pub customer_id: Option<String>,
    /// true / false (also 1 / 0)
    pub is_active: Option<String>,
}
