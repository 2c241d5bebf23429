use super::paging::{page, PageParams, Paging};
use super::wire::{self, CategoryFilter, SalemenuFilter, SkuBody, SkuFilter, SkuId, SpuBody, SpuFilter, SpuId};
use super::{filter_key, key, ApiApp, Body, Query};
use crate::guanmai::{ok, ApiError};
use axum::extract::State;
use axum::response::Response;
use dingdan_app::catalog::{self, NewSpu, SkuFields, SkuQuery, SpuChanges, SpuQuery, STD_UNITS};
use dingdan_app::App;
use dingdan_core::ids::{CATEGORY1, CATEGORY2, CUSTOMER, PINLEI, PRICE_LIST, SKU, SPU};
use dingdan_core::{Fen, Quantity};
use serde_json::{json, Value};

/// First-level categories.
#[utoipa::path(get, path = "/api/product/category1/list", tag = "station", params(PageParams),
    responses((status = 200, description = "`data: [{id, name}]`, `pagenation`")))]
pub async fn category1_list(State(app): State<App>, api: ApiApp, paging: Paging) -> Result<Response, ApiError> {
    let rows = catalog::list_categories(&app, &api.actor, api.tenant_id, 1, None, None, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::category1).collect(), pg))
}

/// Second-level categories, optionally of one first-level category.
#[utoipa::path(get, path = "/api/product/category2/list", tag = "station", params(CategoryFilter, PageParams),
    responses((status = 200, description = "`data: [{category1_id, id, name}]`, `pagenation`")))]
pub async fn category2_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<CategoryFilter>,
) -> Result<Response, ApiError> {
    let c1 = filter_key(CATEGORY1, "category1_id", q.0.category1_id.as_deref())?;
    let rows = catalog::list_categories(&app, &api.actor, api.tenant_id, 2, c1, None, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::category2).collect(), pg))
}

/// Pinlei (third level), under a category2 or a category1.
#[utoipa::path(get, path = "/api/product/pinlei/list", tag = "station", params(CategoryFilter, PageParams),
    responses((status = 200, description = "`data: [{category1_id, category2_id, id, name}]`, `pagenation`")))]
pub async fn pinlei_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<CategoryFilter>,
) -> Result<Response, ApiError> {
    let c1 = filter_key(CATEGORY1, "category1_id", q.0.category1_id.as_deref())?;
    let c2 = filter_key(CATEGORY2, "category2_id", q.0.category2_id.as_deref())?;
    let rows = catalog::list_categories(&app, &api.actor, api.tenant_id, 3, c2, c1, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::pinlei).collect(), pg))
}

fn required<'a>(what: &str, v: &'a Option<String>) -> Result<&'a str, ApiError> {
    v.as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| ApiError::invalid(format!("{what} is required")))
}

/// Creates an SPU under a pinlei.
#[utoipa::path(post, path = "/api/product/spu/create", tag = "station", request_body = SpuBody,
    responses((status = 200, description = "`data: {spu_id}`"), (status = 400, description = "missing or unknown field")))]
pub async fn spu_create(State(app): State<App>, api: ApiApp, body: Body<SpuBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let name = required("name", &b.name)?.to_string();
    let std_unit_name = required("std_unit_name", &b.std_unit_name)?.to_string();
    let pinlei_id = PINLEI
        .parse(required("pinlei_id", &b.pinlei_id)?)
        .ok_or_else(|| ApiError::invalid("pinlei_id is not a pinlei id (P…)"))?;
    let spu = NewSpu {
        name,
        std_unit_name,
        pinlei_id,
        description: b.desc.unwrap_or_default(),
        dispatch_method: b.dispatch_method.unwrap_or(2),
        image: b.image.unwrap_or_default(),
        detail_images: b.detail_images.unwrap_or_default(),
    };
    let id = catalog::create_spu(&app, &api.actor, api.tenant_id, &spu).await?;
    Ok(ok(json!({ "spu_id": SPU.format(id) })))
}

/// SPUs of a category1, category2 or pinlei, or one SPU.
#[utoipa::path(get, path = "/api/product/spu/list", tag = "station", params(SpuFilter, PageParams),
    responses((status = 200, description = "`data: [spu]`, `pagenation`")))]
pub async fn spu_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<SpuFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    let filter = SpuQuery {
        category1_id: filter_key(CATEGORY1, "category1_id", f.category1_id.as_deref())?,
        category2_id: filter_key(CATEGORY2, "category2_id", f.category2_id.as_deref())?,
        pinlei_id: filter_key(PINLEI, "pinlei_id", f.pinlei_id.as_deref())?,
        spu_id: filter_key(SPU, "spu_id", f.spu_id.as_deref())?,
    };
    let rows = catalog::list_spus(&app, &api.actor, api.tenant_id, filter, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::spu_item).collect(), pg))
}

/// One SPU.
#[utoipa::path(get, path = "/api/product/spu/get", tag = "station", params(SpuId),
    responses((status = 200, description = "the SPU"), (status = 404, description = "no such SPU")))]
pub async fn spu_get(State(app): State<App>, api: ApiApp, q: Query<SpuId>) -> Result<Response, ApiError> {
    let id = key(SPU, "spu_id", q.0.spu_id.as_deref())?;
    let spu = catalog::get_spu(&app, &api.actor, api.tenant_id, id).await?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    Ok(ok(wire::spu_detail(&spu, tz)))
}

/// Renames or moves an SPU.
#[utoipa::path(post, path = "/api/product/spu/update", tag = "station", request_body = SpuBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such SPU")))]
pub async fn spu_update(State(app): State<App>, api: ApiApp, body: Body<SpuBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(SPU, "spu_id", b.spu_id.as_deref())?;
    let changes = SpuChanges {
        name: required("name", &b.name)?.to_string(),
        description: b.desc,
        std_unit_name: b.std_unit_name,
        pinlei_id: filter_key(PINLEI, "pinlei_id", b.pinlei_id.as_deref())?,
    };
    catalog::update_spu(&app, &api.actor, api.tenant_id, id, &changes).await?;
    Ok(ok(Value::Null))
}

/// Deletes an SPU no SKU or order refers to.
#[utoipa::path(post, path = "/api/product/spu/delete", tag = "station", request_body = SpuBody,
    responses((status = 200, description = "`data: null`"), (status = 409, description = "still referenced")))]
pub async fn spu_delete(State(app): State<App>, api: ApiApp, body: Body<SpuBody>) -> Result<Response, ApiError> {
    let id = key(SPU, "spu_id", body.0.spu_id.as_deref())?;
    catalog::delete_spu(&app, &api.actor, api.tenant_id, id).await?;
    Ok(ok(Value::Null))
}

/// The standard units, numbered.
#[utoipa::path(get, path = "/api/std_unit_name/list", tag = "station",
    responses((status = 200, description = "`data: {1: \"斤\", 2: \"瓶\", …}`")))]
pub async fn std_unit_list(_api: ApiApp) -> Result<Response, ApiError> {
    let units: serde_json::Map<String, Value> =
        STD_UNITS.iter().enumerate().map(|(i, u)| ((i + 1).to_string(), Value::from(*u))).collect();
    Ok(ok(units))
}

fn sku_fields(b: &SkuBody) -> Result<SkuFields, ApiError> {
    let money = |name: &str, v: Option<i64>| {
        let v = v.ok_or_else(|| ApiError::invalid(format!("{name} is required")))?;
        Fen::parse_amount(v).map_err(|e| ApiError::invalid(format!("{name} {e}")))
    };
    let qty = |name: &str, v: Option<f64>| {
        let v = v.ok_or_else(|| ApiError::invalid(format!("{name} is required")))?;
        Quantity::parse_positive(v).map_err(|e| ApiError::invalid(format!("{name} {e}")))
    };
    let flag = |name: &str, v: Option<i64>| match v {
        Some(0) => Ok(false),
        Some(1) => Ok(true),
        Some(other) => Err(ApiError::invalid(format!("{name} must be 0 or 1, got {other}"))),
        None => Err(ApiError::invalid(format!("{name} is required"))),
    };
    Ok(SkuFields {
        name: required("sku_name", &b.sku_name)?.to_string(),
        std_price: money("std_price", b.std_price)?,
        sale_price: money("sale_price", b.sale_price)?,
        sale_num_least: qty("sale_num_least", b.sale_num_least)?,
        sale_ratio: qty("sale_ratio", b.sale_ratio)?,
        sale_unit_name: required("sale_unit_name", &b.sale_unit_name)?.to_string(),
        std_unit_name: required("std_unit_name", &b.std_unit_name)?.to_string(),
        description: b.desc.clone(),
        is_weigh: flag("is_weigh", b.is_weigh)?,
        state: flag("state", b.state)? as i64,
    })
}

/// Creates a SKU of an SPU on a price list (documented as "not yet open"; open here).
#[utoipa::path(post, path = "/api/product/sku/create", tag = "station", request_body = SkuBody,
    responses((status = 200, description = "`data: {sku_id}`"), (status = 400, description = "missing or invalid field")))]
pub async fn sku_create(State(app): State<App>, api: ApiApp, body: Body<SkuBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let spu_id =
        SPU.parse(required("spu_id", &b.spu_id)?).ok_or_else(|| ApiError::invalid("spu_id is not an SPU id (C…)"))?;
    let menu = PRICE_LIST
        .parse(required("salemenu_id", &b.salemenu_id)?)
        .ok_or_else(|| ApiError::invalid("salemenu_id is not a price list id (S…)"))?;
    let fields = sku_fields(&b)?;
    let id = catalog::create_sku(&app, &api.actor, api.tenant_id, spu_id, menu, &fields).await?;
    Ok(ok(json!({ "sku_id": SKU.format(id) })))
}

/// Replaces a SKU's fields.
#[utoipa::path(post, path = "/api/product/sku/update", tag = "station", request_body = SkuBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such SKU")))]
pub async fn sku_update(State(app): State<App>, api: ApiApp, body: Body<SkuBody>) -> Result<Response, ApiError> {
    let b = body.0;
    let id = key(SKU, "sku_id", b.sku_id.as_deref())?;
    catalog::update_sku(&app, &api.actor, api.tenant_id, id, &sku_fields(&b)?).await?;
    Ok(ok(Value::Null))
}

/// SKUs by name, SPU, price list or category.
#[utoipa::path(get, path = "/api/product/sku/list", tag = "station", params(SkuFilter, PageParams),
    responses((status = 200, description = "`data: [sku]`, `pagenation`")))]
pub async fn sku_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<SkuFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    let filter = SkuQuery {
        search_text: f.search_text.clone(),
        spu_id: filter_key(SPU, "spu_id", f.spu_id.as_deref())?,
        price_list_id: filter_key(PRICE_LIST, "salemenu_id", f.salemenu_id.as_deref())?,
        category1_id: filter_key(CATEGORY1, "category1_id", f.category1_id.as_deref())?,
        category2_id: filter_key(CATEGORY2, "category2_id", f.category2_id.as_deref())?,
        pinlei_id: filter_key(PINLEI, "pinlei", f.pinlei.as_deref().or(f.pinlei_id.as_deref()))?,
    };
    let rows = catalog::list_skus(&app, &api.actor, api.tenant_id, &filter, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::sku_item).collect(), pg))
}

/// One SKU.
#[utoipa::path(get, path = "/api/product/sku/get", tag = "station", params(SkuId),
    responses((status = 200, description = "the SKU"), (status = 404, description = "no such SKU")))]
pub async fn sku_get(State(app): State<App>, api: ApiApp, q: Query<SkuId>) -> Result<Response, ApiError> {
    let id = key(SKU, "sku_id", q.0.sku_id.as_deref())?;
    let sku = catalog::get_sku(&app, &api.actor, api.tenant_id, id).await?;
    let tz = dingdan_app::tenant_tz(&app, api.tenant_id).await?;
    Ok(ok(wire::sku_detail(&sku, tz)))
}

/// Deletes a SKU; one on orders not yet signed is taken off sale instead.
#[utoipa::path(post, path = "/api/product/sku/delete", tag = "station", request_body = SkuBody,
    responses((status = 200, description = "`data: null`"), (status = 404, description = "no such SKU")))]
pub async fn sku_delete(State(app): State<App>, api: ApiApp, body: Body<SkuBody>) -> Result<Response, ApiError> {
    let id = key(SKU, "sku_id", body.0.sku_id.as_deref())?;
    catalog::delete_sku(&app, &api.actor, api.tenant_id, id).await?;
    Ok(ok(Value::Null))
}

/// Price lists with their receive-time slots, optionally of one customer and by active flag.
#[utoipa::path(get, path = "/api/product/salemenu/list", tag = "station", params(SalemenuFilter, PageParams),
    responses((status = 200, description = "`data: [{id, name, desc, is_active, time_config_id, time_config_name, receive_time[]}]`")))]
pub async fn salemenu_list(
    State(app): State<App>,
    api: ApiApp,
    paging: Paging,
    q: Query<SalemenuFilter>,
) -> Result<Response, ApiError> {
    let f = q.0;
    let customer = filter_key(CUSTOMER, "customer_id", f.customer_id.as_deref())?;
    let active = match f.is_active.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("true" | "1" | "True") => Some(true),
        Some("false" | "0" | "False") => Some(false),
        Some(other) => return Err(ApiError::invalid(format!("is_active must be true or false, got '{other}'"))),
    };
    let rows = catalog::list_price_lists(&app, &api.actor, api.tenant_id, customer, active, paging.window()).await?;
    let (rows, pg) = paging.finish(rows);
    Ok(page(rows.iter().map(wire::salemenu).collect(), pg))
}
