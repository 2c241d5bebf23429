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
    sqlx::query(
        "SELECT k.id, k.tenant_id, k.spu_id, k.price_list_id, k.name, p.name AS spu_name, k.sale_unit_name,
                k.std_unit_name, k.sale_ratio_milli, k.sale_price, k.is_weigh, k.state, k.deleted_at,
                k.supplier_name, m.name AS salemenu_name, c1.name AS category1_name, c2.name AS category2_name
         FROM skus k
         JOIN spus p ON p.id = k.spu_id
         JOIN price_lists m ON m.id = k.price_list_id
         JOIN categories pl ON pl.id = p.pinlei_id
         JOIN categories c2 ON c2.id = pl.parent_id
         JOIN categories c1 ON c1.id = c2.parent_id
         WHERE k.tenant_id = $1 AND k.id = $2",
    )
    .bind(tenant_id)
    .bind(sku_id)
    .fetch_optional(e)
    .await?
    .as_ref()
    .map(sku_from_row)
    .transpose()
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
