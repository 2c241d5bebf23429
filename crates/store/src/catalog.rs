//! The catalog: category tree (category1 → category2 → pinlei), SPUs, price lists, SKUs.

use crate::{flag, Result};
use sqlx::{any::AnyRow, Any, Executor, Row};

pub async fn insert_category<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    level: i64,
    parent_id: Option<i64>,
    name: &str,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO categories (tenant_id, level, parent_id, name, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(tenant_id)
    .bind(level)
    .bind(parent_id)
    .bind(name)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub struct NewSpu<'a> {
    pub tenant_id: i64,
    pub pinlei_id: i64,
    pub name: &'a str,
    pub std_unit_name: &'a str,
    pub description: &'a str,
    pub p_type: i64,
    pub dispatch_method: i64,
    pub image: &'a str,
    pub detail_images: &'a str,
}

pub async fn insert_spu<'c, E: Executor<'c, Database = Any>>(e: E, s: &NewSpu<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO spus (tenant_id, pinlei_id, name, std_unit_name, description, p_type, dispatch_method, image,
                           detail_images, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(s.pinlei_id)
    .bind(s.name)
    .bind(s.std_unit_name)
    .bind(s.description)
    .bind(s.p_type)
    .bind(s.dispatch_method)
    .bind(s.image)
    .bind(s.detail_images)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub struct NewPriceList<'a> {
    pub tenant_id: i64,
    pub name: &'a str,
    pub description: &'a str,
    pub is_active: bool,
    pub time_config_id: &'a str,
    pub time_config_name: &'a str,
    /// JSON array of "HH:MM" receive slots.
    pub receive_times: &'a str,
}

pub async fn insert_price_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    p: &NewPriceList<'_>,
    now: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO price_lists (tenant_id, name, description, is_active, time_config_id, time_config_name,
                                  receive_times, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(p.tenant_id)
    .bind(p.name)
    .bind(p.description)
    .bind(p.is_active as i64)
    .bind(p.time_config_id)
    .bind(p.time_config_name)
    .bind(p.receive_times)
    .bind(now)
    .fetch_one(e)
    .await?)
}

pub struct NewSku<'a> {
    pub tenant_id: i64,
    pub spu_id: i64,
    pub price_list_id: i64,
    pub name: &'a str,
    pub sale_unit_name: &'a str,
    pub std_unit_name: &'a str,
    pub sale_ratio_milli: i64,
    pub std_price: i64,
    pub sale_price: i64,
    pub sale_num_least_milli: i64,
    pub is_weigh: bool,
    pub supplier_name: &'a str,
    pub description: &'a str,
}

pub async fn insert_sku<'c, E: Executor<'c, Database = Any>>(e: E, s: &NewSku<'_>, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO skus (tenant_id, spu_id, price_list_id, name, sale_unit_name, std_unit_name, sale_ratio_milli,
                           std_price, sale_price, sale_num_least_milli, is_weigh, supplier_name, description,
                           created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(s.spu_id)
    .bind(s.price_list_id)
    .bind(s.name)
    .bind(s.sale_unit_name)
    .bind(s.std_unit_name)
    .bind(s.sale_ratio_milli)
    .bind(s.std_price)
    .bind(s.sale_price)
    .bind(s.sale_num_least_milli)
    .bind(s.is_weigh as i64)
    .bind(s.supplier_name)
    .bind(s.description)
    .bind(now)
    .fetch_one(e)
    .await?)
}

/// What an order line copies from the catalog when it is placed.
#[derive(Debug, Clone)]
pub struct SkuForOrder {
    pub id: i64,
    pub tenant_id: i64,
    pub spu_id: i64,
    pub price_list_id: i64,
    pub name: String,
    pub spu_name: String,
    pub sale_unit_name: String,
    pub std_unit_name: String,
    pub sale_ratio_milli: i64,
    pub sale_price: i64,
    pub is_weigh: bool,
    pub on_sale: bool,
    pub supplier_name: String,
    pub salemenu_name: String,
    pub category1_name: String,
    pub category2_name: String,
}

/// What an order line copies from a SKU, over [`SKU_FOR_ORDER_JOINS`].
const SKU_FOR_ORDER: &str = "k.id, k.tenant_id, k.spu_id, k.price_list_id, k.name, p.name AS spu_name,
    k.sale_unit_name, k.std_unit_name, k.sale_ratio_milli, k.sale_price, k.is_weigh, k.state, k.deleted_at,
    k.supplier_name, m.name AS salemenu_name, c1.name AS category1_name, c2.name AS category2_name";
const SKU_FOR_ORDER_JOINS: &str = "skus k
    JOIN spus p ON p.id = k.spu_id
    JOIN price_lists m ON m.id = k.price_list_id
    JOIN categories pl ON pl.id = p.pinlei_id
    JOIN categories c2 ON c2.id = pl.parent_id
    JOIN categories c1 ON c1.id = c2.parent_id";

fn sku_from_row(r: &AnyRow) -> Result<SkuForOrder> {
    Ok(SkuForOrder {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        spu_id: r.try_get("spu_id")?,
        price_list_id: r.try_get("price_list_id")?,
        name: r.try_get("name")?,
        spu_name: r.try_get("spu_name")?,
        sale_unit_name: r.try_get("sale_unit_name")?,
        std_unit_name: r.try_get("std_unit_name")?,
        sale_ratio_milli: r.try_get("sale_ratio_milli")?,
        sale_price: r.try_get("sale_price")?,
        is_weigh: flag(r.try_get("is_weigh")?),
        on_sale: flag(r.try_get("state")?) && r.try_get::<Option<i64>, _>("deleted_at")?.is_none(),
        supplier_name: r.try_get("supplier_name")?,
        salemenu_name: r.try_get("salemenu_name")?,
        category1_name: r.try_get("category1_name")?,
        category2_name: r.try_get("category2_name")?,
    })
}

pub async fn sku_for_order<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    sku_id: i64,
) -> Result<Option<SkuForOrder>> {
    let sql = format!("SELECT {SKU_FOR_ORDER} FROM {SKU_FOR_ORDER_JOINS} WHERE k.tenant_id = $1 AND k.id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(sku_id).fetch_optional(e).await?.as_ref().map(sku_from_row).transpose()
}

/// A SKU as an order line would copy it, with what placing an order checks about it.
#[derive(Debug, Clone)]
pub struct OrderableSku {
    pub sku: SkuForOrder,
    /// On one of the customer's price lists.
    pub listed: bool,
    /// Its price list's receive-time slots (JSON array of "HH:MM").
    pub receive_times: String,
}

/// The SKUs of `sku_ids` that exist in the tenant (any order), each with whether it is on one of
/// the customer's price lists and its list's receive times: one query for what placing an order
/// needs to know about its lines.
pub async fn orderable_skus<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    customer_id: i64,
    sku_ids: &[i64],
) -> Result<Vec<OrderableSku>> {
    if sku_ids.is_empty() {
        return Ok(Vec::new());
    }
    let list: Vec<String> = (0..sku_ids.len()).map(|i| format!("${}", i + 3)).collect();
    let sql = format!(
        "SELECT {SKU_FOR_ORDER}, m.receive_times,
                (SELECT COUNT(*) FROM customer_price_lists cp
                 WHERE cp.customer_id = $2 AND cp.price_list_id = k.price_list_id) AS listed
         FROM {SKU_FOR_ORDER_JOINS} WHERE k.tenant_id = $1 AND k.id IN ({})",
        list.join(", ")
    );
    let mut q = sqlx::query(&sql).bind(tenant_id).bind(customer_id);
    for id in sku_ids {
        q = q.bind(*id);
    }
    q.fetch_all(e)
        .await?
        .iter()
        .map(|r| {
            Ok(OrderableSku {
                sku: sku_from_row(r)?,
                listed: r.try_get::<i64, _>("listed")? > 0,
                receive_times: r.try_get("receive_times")?,
            })
        })
        .collect()
}

/// The SKUs on any of a customer's price lists, by id.
pub async fn skus_of_customer<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    customer_id: i64,
) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT k.id FROM skus k JOIN customer_price_lists c ON c.price_list_id = k.price_list_id
         WHERE k.tenant_id = $1 AND c.customer_id = $2 AND k.deleted_at IS NULL ORDER BY k.id",
    )
    .bind(tenant_id)
    .bind(customer_id)
    .fetch_all(e)
    .await?)
}

pub async fn link_customer_price_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    customer_id: i64,
    price_list_id: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO customer_price_lists (customer_id, price_list_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(customer_id)
        .bind(price_list_id)
        .execute(e)
        .await?;
    Ok(())
}

/// A window of a list: skip `skip` rows (the cursor's position plus the offset), take `take`.
#[derive(Debug, Clone, Copy)]
pub struct Window {
    pub skip: i64,
    pub take: i64,
}

/// A category with its parent and, for pinlei, its grandparent (category1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub id: i64,
    pub level: i64,
    pub name: String,
    pub parent_id: Option<i64>,
    pub grandparent_id: Option<i64>,
}

const CATEGORY_SELECT: &str = "SELECT c.id, c.level, c.name, c.parent_id, p.parent_id AS grandparent_id
    FROM categories c LEFT JOIN categories p ON p.id = c.parent_id";

fn category_from_row(r: &AnyRow) -> Result<Category> {
    Ok(Category {
        id: r.try_get("id")?,
        level: r.try_get("level")?,
        name: r.try_get("name")?,
        parent_id: r.try_get("parent_id")?,
        grandparent_id: r.try_get("grandparent_id")?,
    })
}

/// Categories of one level, optionally under a parent (`parent_id`) or grandparent.
pub async fn list_categories<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    level: i64,
    parent_id: Option<i64>,
    grandparent_id: Option<i64>,
    w: Window,
) -> Result<Vec<Category>> {
    let sql = format!(
        "{CATEGORY_SELECT} WHERE c.tenant_id = $1 AND c.level = $2 AND ($3 = 0 OR c.parent_id = $3)
         AND ($4 = 0 OR p.parent_id = $4) ORDER BY c.id LIMIT $5 OFFSET $6"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(level)
        .bind(parent_id.unwrap_or(0))
        .bind(grandparent_id.unwrap_or(0))
        .bind(w.take)
        .bind(w.skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(category_from_row)
        .collect()
}

pub async fn category<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Category>> {
    let sql = format!("{CATEGORY_SELECT} WHERE c.tenant_id = $1 AND c.id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(category_from_row).transpose()
}

/// An SPU with its category ids.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spu {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub p_type: i64,
    pub std_unit_name: String,
    pub dispatch_method: i64,
    pub pinlei_id: i64,
    pub category2_id: i64,
    pub category1_id: i64,
    pub image: String,
    pub detail_images: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const SPU_SELECT: &str =
    "SELECT s.id, s.name, s.description, s.p_type, s.std_unit_name, s.dispatch_method, s.pinlei_id,
    c2.id AS category2_id, c2.parent_id AS category1_id, s.image, s.detail_images, s.created_at, s.updated_at
    FROM spus s JOIN categories pl ON pl.id = s.pinlei_id JOIN categories c2 ON c2.id = pl.parent_id";

fn spu_from_row(r: &AnyRow) -> Result<Spu> {
    Ok(Spu {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        p_type: r.try_get("p_type")?,
        std_unit_name: r.try_get("std_unit_name")?,
        dispatch_method: r.try_get("dispatch_method")?,
        pinlei_id: r.try_get("pinlei_id")?,
        category2_id: r.try_get("category2_id")?,
        category1_id: r.try_get("category1_id")?,
        image: r.try_get("image")?,
        detail_images: r.try_get("detail_images")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn spu<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Spu>> {
    let sql = format!("{SPU_SELECT} WHERE s.tenant_id = $1 AND s.id = $2 AND s.deleted_at IS NULL");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(spu_from_row).transpose()
}

/// SPU filters: at most one of the category levels, or one SPU.
#[derive(Debug, Clone, Copy, Default)]
pub struct SpuFilter {
    pub category1_id: Option<i64>,
    pub category2_id: Option<i64>,
    pub pinlei_id: Option<i64>,
    pub spu_id: Option<i64>,
}

pub async fn list_spus<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    f: SpuFilter,
    w: Window,
) -> Result<Vec<Spu>> {
    let sql = format!(
        "{SPU_SELECT} WHERE s.tenant_id = $1 AND s.deleted_at IS NULL AND ($2 = 0 OR c2.parent_id = $2)
         AND ($3 = 0 OR c2.id = $3) AND ($4 = 0 OR s.pinlei_id = $4) AND ($5 = 0 OR s.id = $5)
         ORDER BY s.id LIMIT $6 OFFSET $7"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(f.category1_id.unwrap_or(0))
        .bind(f.category2_id.unwrap_or(0))
        .bind(f.pinlei_id.unwrap_or(0))
        .bind(f.spu_id.unwrap_or(0))
        .bind(w.take)
        .bind(w.skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(spu_from_row)
        .collect()
}

/// Writes back an SPU's editable fields.
pub async fn update_spu<'c, E: Executor<'c, Database = Any>>(e: E, s: &Spu, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE spus SET name = $2, description = $3, std_unit_name = $4, pinlei_id = $5, updated_at = $6 WHERE id = $1",
    )
    .bind(s.id)
    .bind(&s.name)
    .bind(&s.description)
    .bind(&s.std_unit_name)
    .bind(s.pinlei_id)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn delete_spu<'c, E: Executor<'c, Database = Any>>(e: E, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE spus SET deleted_at = $2 WHERE id = $1").bind(id).bind(now).execute(e).await?;
    Ok(())
}

/// How many live SKUs and order lines refer to an SPU.
pub async fn spu_references<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<(i64, i64)> {
    let row = sqlx::query(
        "SELECT (SELECT COUNT(*) FROM skus WHERE spu_id = $1 AND deleted_at IS NULL) AS skus,
                (SELECT COUNT(*) FROM order_lines WHERE spu_id = $1) AS lines",
    )
    .bind(id)
    .fetch_one(e)
    .await?;
    Ok((row.try_get("skus")?, row.try_get("lines")?))
}

/// A SKU with everything the station dialect shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sku {
    pub id: i64,
    pub spu_id: i64,
    pub name: String,
    pub sale_unit_name: String,
    pub std_unit_name: String,
    pub sale_ratio_milli: i64,
    pub std_price: i64,
    pub sale_price: i64,
    pub sale_num_least_milli: i64,
    pub is_weigh: bool,
    pub is_price_timing: bool,
    pub state: i64,
    pub price_list_id: i64,
    pub price_list_name: String,
    pub category1_id: i64,
    pub category2_id: i64,
    pub pinlei_id: i64,
    pub img_url: String,
    pub description: String,
    pub created_at: i64,
    pub updated_at: i64,
}

const SKU_SELECT: &str = "SELECT k.id, k.spu_id, k.name, k.sale_unit_name, k.std_unit_name, k.sale_ratio_milli, k.std_price,
    k.sale_price, k.sale_num_least_milli, k.is_weigh, k.is_price_timing, k.state, k.price_list_id, m.name AS price_list_name,
    c2.parent_id AS category1_id, c2.id AS category2_id, s.pinlei_id, k.img_url, k.description, k.created_at, k.updated_at
    FROM skus k JOIN spus s ON s.id = k.spu_id JOIN price_lists m ON m.id = k.price_list_id
    JOIN categories pl ON pl.id = s.pinlei_id JOIN categories c2 ON c2.id = pl.parent_id";

fn full_sku_from_row(r: &AnyRow) -> Result<Sku> {
    Ok(Sku {
        id: r.try_get("id")?,
        spu_id: r.try_get("spu_id")?,
        name: r.try_get("name")?,
        sale_unit_name: r.try_get("sale_unit_name")?,
        std_unit_name: r.try_get("std_unit_name")?,
        sale_ratio_milli: r.try_get("sale_ratio_milli")?,
        std_price: r.try_get("std_price")?,
        sale_price: r.try_get("sale_price")?,
        sale_num_least_milli: r.try_get("sale_num_least_milli")?,
        is_weigh: flag(r.try_get("is_weigh")?),
        is_price_timing: flag(r.try_get("is_price_timing")?),
        state: r.try_get("state")?,
        price_list_id: r.try_get("price_list_id")?,
        price_list_name: r.try_get("price_list_name")?,
        category1_id: r.try_get("category1_id")?,
        category2_id: r.try_get("category2_id")?,
        pinlei_id: r.try_get("pinlei_id")?,
        img_url: r.try_get("img_url")?,
        description: r.try_get("description")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub async fn sku<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Sku>> {
    let sql = format!("{SKU_SELECT} WHERE k.tenant_id = $1 AND k.id = $2 AND k.deleted_at IS NULL");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(full_sku_from_row).transpose()
}

/// SKU filters of the station's list.
#[derive(Debug, Clone, Default)]
pub struct SkuFilter {
    pub search_text: Option<String>,
    pub spu_id: Option<i64>,
    pub price_list_id: Option<i64>,
    pub category1_id: Option<i64>,
    pub category2_id: Option<i64>,
    pub pinlei_id: Option<i64>,
}

pub async fn list_skus<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    f: &SkuFilter,
    w: Window,
) -> Result<Vec<Sku>> {
    let sql = format!(
        "{SKU_SELECT} WHERE k.tenant_id = $1 AND k.deleted_at IS NULL AND ($2 = '' OR k.name LIKE $2)
         AND ($3 = 0 OR k.spu_id = $3) AND ($4 = 0 OR k.price_list_id = $4) AND ($5 = 0 OR c2.parent_id = $5)
         AND ($6 = 0 OR c2.id = $6) AND ($7 = 0 OR s.pinlei_id = $7)
         ORDER BY k.id LIMIT $8 OFFSET $9"
    );
    let pattern = f
        .search_text
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| format!("%{}%", t.replace(['%', '_'], "")))
        .unwrap_or_default();
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(pattern)
        .bind(f.spu_id.unwrap_or(0))
        .bind(f.price_list_id.unwrap_or(0))
        .bind(f.category1_id.unwrap_or(0))
        .bind(f.category2_id.unwrap_or(0))
        .bind(f.pinlei_id.unwrap_or(0))
        .bind(w.take)
        .bind(w.skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(full_sku_from_row)
        .collect()
}

/// Writes back a SKU's editable fields.
pub async fn update_sku<'c, E: Executor<'c, Database = Any>>(e: E, s: &Sku, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE skus SET name = $2, std_price = $3, sale_price = $4, sale_num_least_milli = $5, sale_ratio_milli = $6,
             sale_unit_name = $7, std_unit_name = $8, description = $9, is_weigh = $10, state = $11, updated_at = $12
         WHERE id = $1",
    )
    .bind(s.id)
    .bind(&s.name)
    .bind(s.std_price)
    .bind(s.sale_price)
    .bind(s.sale_num_least_milli)
    .bind(s.sale_ratio_milli)
    .bind(&s.sale_unit_name)
    .bind(&s.std_unit_name)
    .bind(&s.description)
    .bind(s.is_weigh as i64)
    .bind(s.state)
    .bind(now)
    .execute(e)
    .await?;
    Ok(())
}

pub async fn delete_sku<'c, E: Executor<'c, Database = Any>>(e: E, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE skus SET deleted_at = $2, state = 0 WHERE id = $1").bind(id).bind(now).execute(e).await?;
    Ok(())
}

/// How many orders not yet signed carry the SKU.
pub async fn sku_open_orders<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "SELECT COUNT(*) FROM order_lines l JOIN orders o ON o.id = l.order_id
         WHERE l.sku_id = $1 AND o.fulfillment IN ('pending', 'confirmed', 'sorting', 'ready_for_pickup', 'delivering')",
    )
    .bind(id)
    .fetch_one(e)
    .await?)
}

/// A price list (salemenu).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PriceList {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub is_active: bool,
    pub time_config_id: String,
    pub time_config_name: String,
    /// JSON array of "HH:MM".
    pub receive_times: String,
}

fn price_list_from_row(r: &AnyRow) -> Result<PriceList> {
    Ok(PriceList {
        id: r.try_get("id")?,
        name: r.try_get("name")?,
        description: r.try_get("description")?,
        is_active: flag(r.try_get("is_active")?),
        time_config_id: r.try_get("time_config_id")?,
        time_config_name: r.try_get("time_config_name")?,
        receive_times: r.try_get("receive_times")?,
    })
}

/// Price lists of a tenant, optionally of one customer and by active flag.
pub async fn list_price_lists<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    customer_id: Option<i64>,
    is_active: Option<bool>,
    w: Window,
) -> Result<Vec<PriceList>> {
    sqlx::query(
        "SELECT m.id, m.name, m.description, m.is_active, m.time_config_id, m.time_config_name, m.receive_times
         FROM price_lists m WHERE m.tenant_id = $1
         AND ($2 = 0 OR m.id IN (SELECT price_list_id FROM customer_price_lists WHERE customer_id = $2))
         AND ($3 = -1 OR m.is_active = $3) ORDER BY m.id LIMIT $4 OFFSET $5",
    )
    .bind(tenant_id)
    .bind(customer_id.unwrap_or(0))
    .bind(is_active.map(|a| a as i64).unwrap_or(-1))
    .bind(w.take)
    .bind(w.skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(price_list_from_row)
    .collect()
}

pub async fn price_list<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    id: i64,
) -> Result<Option<PriceList>> {
    sqlx::query(
        "SELECT m.id, m.name, m.description, m.is_active, m.time_config_id, m.time_config_name, m.receive_times
         FROM price_lists m WHERE m.tenant_id = $1 AND m.id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(e)
    .await?
    .as_ref()
    .map(price_list_from_row)
    .transpose()
}

pub async fn rename_category<'c, E: Executor<'c, Database = Any>>(e: E, id: i64, name: &str) -> Result<()> {
    sqlx::query("UPDATE categories SET name = $2 WHERE id = $1").bind(id).bind(name).execute(e).await?;
    Ok(())
}
