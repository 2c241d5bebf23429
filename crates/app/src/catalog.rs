//! The B2B catalog as the station dialect manages it: categories (read), SPUs, SKUs, price lists.
//! Every change is audited and announced with the document's event names
//! (`spu_create`, `spu_updated`, `sku_create`, `sku_updated`).

use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::{ids, Fen, Quantity};
use dingdan_store::catalog::{self, Category, PriceList, Sku, SkuFilter, Spu, SpuFilter, Window};
use serde_json::json;

pub use dingdan_store::catalog::{Category as CategoryRow, PriceList as PriceListRow, Sku as SkuRow, Spu as SpuRow};
pub use dingdan_store::catalog::{SkuFilter as SkuQuery, SpuFilter as SpuQuery, Window as ListWindow};

/// The standard units a station offers (`/api/std_unit_name/list`), numbered from 1.
pub const STD_UNITS: [&str; 16] =
    ["斤", "瓶", "公斤", "克", "袋", "盒", "箱", "个", "只", "包", "份", "桶", "件", "把", "根", "条"];

fn text(field: &'static str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(AppError::invalid(field, "is required"));
    }
    if v.chars().count() > max {
        return Err(AppError::invalid(field, format!("must be at most {max} characters")));
    }
    Ok(v.to_string())
}

/// Categories of one level (1, 2, or 3 = pinlei) under an optional parent or grandparent.
pub async fn list_categories(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    level: i64,
    parent_id: Option<i64>,
    grandparent_id: Option<i64>,
    w: Window,
) -> Result<Vec<Category>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(catalog::list_categories(app.db.reader(), tenant_id, level, parent_id, grandparent_id, w).await?)
}

/// Fails unless `id` is a category of `level` of the tenant.
async fn require_category(app: &App, tenant_id: i64, id: i64, level: i64, field: &'static str) -> Result<Category> {
    catalog::category(app.db.reader(), tenant_id, id)
        .await?
        .filter(|c| c.level == level)
        .ok_or_else(|| AppError::invalid(field, "no such category"))
}

/// A new SPU.
#[derive(Debug, Clone)]
pub struct NewSpu {
    pub name: String,
    pub std_unit_name: String,
    pub pinlei_id: i64,
    pub description: String,
    pub dispatch_method: i64,
    pub image: String,
    pub detail_images: Vec<String>,
}

pub async fn create_spu(app: &App, actor: &Actor, tenant_id: i64, s: &NewSpu) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let name = text("name", &s.name, 100)?;
    let unit = text("std_unit_name", &s.std_unit_name, 20)?;
    require_category(app, tenant_id, s.pinlei_id, 3, "pinlei_id").await?;
    if !(1..=2).contains(&s.dispatch_method) {
        return Err(AppError::invalid("dispatch_method", "must be 1 or 2"));
    }
    let images = serde_json::to_string(&s.detail_images).unwrap_or_else(|_| "[]".into());
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let new = catalog::NewSpu {
        tenant_id,
        pinlei_id: s.pinlei_id,
        name: &name,
        std_unit_name: &unit,
        description: &s.description,
        p_type: 1,
        dispatch_method: s.dispatch_method,
        image: &s.image,
        detail_images: &images,
    };
    let id = catalog::insert_spu(tx.conn(), &new, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "spu",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": name })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(tenant_id), now, "spu_create", "spu", id, json!({ "spu_id": ids::SPU.format(id) }))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn get_spu(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<Spu> {
    ensure_tenant(actor, tenant_id)?;
    catalog::spu(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("spu"))
}

pub async fn list_spus(app: &App, actor: &Actor, tenant_id: i64, f: SpuFilter, w: Window) -> Result<Vec<Spu>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(catalog::list_spus(app.db.reader(), tenant_id, f, w).await?)
}

/// Changes to an SPU; `None` keeps the value.
#[derive(Debug, Clone, Default)]
pub struct SpuChanges {
    pub name: String,
    pub description: Option<String>,
    pub std_unit_name: Option<String>,
    pub pinlei_id: Option<i64>,
}

pub async fn update_spu(app: &App, actor: &Actor, tenant_id: i64, id: i64, c: &SpuChanges) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let mut spu = get_spu(app, actor, tenant_id, id).await?;
    spu.name = text("name", &c.name, 100)?;
    if let Some(d) = &c.description {
        spu.description = d.clone();
    }
    if let Some(u) = &c.std_unit_name {
        spu.std_unit_name = text("std_unit_name", u, 20)?;
    }
    if let Some(p) = c.pinlei_id {
        require_category(app, tenant_id, p, 3, "pinlei_id").await?;
        spu.pinlei_id = p;
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    catalog::update_spu(tx.conn(), &spu, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "spu",
            entity_id: id,
            action: "update",
            from: None,
            to: None,
            detail: Some(json!({ "name": spu.name })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(tenant_id), now, "spu_updated", "spu", id, json!({ "spu_id": ids::SPU.format(id) }))
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an SPU that no SKU and no order refers to.
pub async fn delete_spu(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    get_spu(app, actor, tenant_id, id).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (skus, lines) = catalog::spu_references(tx.conn(), id).await.map_err(AppError::from)?;
    if skus > 0 || lines > 0 {
        return Err(AppError::Conflict(format!(
            "the spu is still referenced by {skus} SKU(s) and {lines} order line(s): delete or move those first"
        )));
    }
    catalog::delete_spu(tx.conn(), id, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change { entity: "spu", entity_id: id, action: "delete", from: None, to: None, detail: None },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// A SKU's fields as the station's create and update give them.
#[derive(Debug, Clone)]
pub struct SkuFields {
    pub name: String,
    pub std_price: Fen,
    pub sale_price: Fen,
    pub sale_num_least: Quantity,
    pub sale_ratio: Quantity,
    pub sale_unit_name: String,
    pub std_unit_name: String,
    pub description: Option<String>,
    pub is_weigh: bool,
    /// 1 on sale, 0 off sale.
    pub state: i64,
}

fn check_sku(f: &SkuFields) -> Result<(String, String, String)> {
    if !(0..=1).contains(&f.state) {
        return Err(AppError::invalid("state", "must be 0 (off sale) or 1 (on sale)"));
    }
    Ok((
        text("sku_name", &f.name, 100)?,
        text("sale_unit_name", &f.sale_unit_name, 20)?,
        text("std_unit_name", &f.std_unit_name, 20)?,
    ))
}

pub async fn create_sku(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    spu_id: i64,
    price_list_id: i64,
    f: &SkuFields,
) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let (name, sale_unit, std_unit) = check_sku(f)?;
    get_spu(app, actor, tenant_id, spu_id).await.map_err(|_| AppError::invalid("spu_id", "no such spu"))?;
    catalog::price_list(app.db.reader(), tenant_id, price_list_id)
        .await?
        .ok_or_else(|| AppError::invalid("salemenu_id", "no such price list"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let new = catalog::NewSku {
        tenant_id,
        spu_id,
        price_list_id,
        name: &name,
        sale_unit_name: &sale_unit,
        std_unit_name: &std_unit,
        sale_ratio_milli: f.sale_ratio.0,
        std_price: f.std_price.0,
        sale_price: f.sale_price.0,
        sale_num_least_milli: f.sale_num_least.0,
        is_weigh: f.is_weigh,
        supplier_name: "",
        description: f.description.as_deref().unwrap_or(""),
    };
    let id = catalog::insert_sku(tx.conn(), &new, now).await?;
    if f.state == 0 {
        let mut sku = catalog::sku(tx.conn(), tenant_id, id).await?.ok_or(AppError::not_found("sku"))?;
        sku.state = 0;
        catalog::update_sku(tx.conn(), &sku, now).await?;
    }
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "sku",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": name, "sale_price": f.sale_price.0 })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(tenant_id), now, "sku_create", "sku", id, json!({ "sku_id": ids::SKU.format(id) }))
        .await?;
    tx.commit().await?;
    Ok(id)
}

pub async fn update_sku(app: &App, actor: &Actor, tenant_id: i64, id: i64, f: &SkuFields) -> Result<()> {
    let mut sku = get_sku(app, actor, tenant_id, id).await?;
    let (name, sale_unit, std_unit) = check_sku(f)?;
    let before = sku.sale_price;
    sku.name = name;
    sku.sale_unit_name = sale_unit;
    sku.std_unit_name = std_unit;
    sku.std_price = f.std_price.0;
    sku.sale_price = f.sale_price.0;
    sku.sale_num_least_milli = f.sale_num_least.0;
    sku.sale_ratio_milli = f.sale_ratio.0;
    if let Some(d) = &f.description {
        sku.description = d.clone();
    }
    sku.is_weigh = f.is_weigh;
    sku.state = f.state;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    catalog::update_sku(tx.conn(), &sku, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "sku",
            entity_id: id,
            action: "update",
            from: None,
            to: None,
            detail: Some(json!({ "sale_price": [before, sku.sale_price], "state": sku.state })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(tenant_id), now, "sku_updated", "sku", id, json!({ "sku_id": ids::SKU.format(id) }))
        .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_sku(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<Sku> {
    ensure_tenant(actor, tenant_id)?;
    catalog::sku(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("sku"))
}

pub async fn list_skus(app: &App, actor: &Actor, tenant_id: i64, f: &SkuFilter, w: Window) -> Result<Vec<Sku>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(catalog::list_skus(app.db.reader(), tenant_id, f, w).await?)
}

/// Deletes a SKU. One still on orders that are not signed is taken off sale instead, so those
/// orders keep it; their lines are copies either way.
pub async fn delete_sku(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<bool> {
    let mut sku = get_sku(app, actor, tenant_id, id).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let open = catalog::sku_open_orders(tx.conn(), id).await?;
    let removed = open == 0;
    if removed {
        catalog::delete_sku(tx.conn(), id, now).await?;
    } else {
        sku.state = 0;
        catalog::update_sku(tx.conn(), &sku, now).await?;
    }
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "sku",
            entity_id: id,
            action: if removed { "delete" } else { "take_off_sale" },
            from: None,
            to: None,
            detail: Some(json!({ "open_orders": open })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(tenant_id), now, "sku_updated", "sku", id, json!({ "sku_id": ids::SKU.format(id) }))
        .await?;
    tx.commit().await?;
    Ok(removed)
}

pub async fn list_price_lists(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    customer_id: Option<i64>,
    is_active: Option<bool>,
    w: Window,
) -> Result<Vec<PriceList>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(catalog::list_price_lists(app.db.reader(), tenant_id, customer_id, is_active, w).await?)
}

fn category_event(level: i64) -> (&'static str, &'static str, ids::IdFormat) {
    match level {
        1 => ("category1", "category1_id", ids::CATEGORY1),
        2 => ("category2", "category2_id", ids::CATEGORY2),
        _ => ("pinlei", "pinlei_id", ids::PINLEI),
    }
}

/// Creates a category of `level` (1, 2 or 3 = pinlei) under its parent (none for level 1).
pub async fn create_category(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    level: i64,
    parent_id: Option<i64>,
    name: &str,
) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let name = text("name", name, 50)?;
    match (level, parent_id) {
        (1, None) => {}
        (2 | 3, Some(p)) => {
            require_category(app, tenant_id, p, level - 1, "parent_id").await?;
        }
        (1, Some(_)) => return Err(AppError::invalid("parent_id", "a first-level category has no parent")),
        (2 | 3, None) => return Err(AppError::invalid("parent_id", "is required below the first level")),
        _ => return Err(AppError::invalid("level", "must be 1, 2 or 3 (pinlei)")),
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let id = catalog::insert_category(tx.conn(), tenant_id, level, parent_id, &name, now).await?;
    let (kind, field, format) = category_event(level);
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "category",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "name": name, "level": level })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        &format!("{kind}_create"),
        "category",
        id,
        json!({ field: format.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a category.
pub async fn rename_category(app: &App, actor: &Actor, tenant_id: i64, id: i64, name: &str) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let name = text("name", name, 50)?;
    let c = catalog::category(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("category"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    catalog::rename_category(tx.conn(), id, &name).await?;
    let (kind, field, format) = category_event(c.level);
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "category",
            entity_id: id,
            action: "rename",
            from: Some(&c.name),
            to: Some(&name),
            detail: None,
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        &format!("{kind}_updated"),
        "category",
        id,
        json!({ field: format.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
