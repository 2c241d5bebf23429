//! Adding, changing and removing lines of a B2B order (station `order/sku/*`). Lines change only
//! while the order is editable (status 1 or 5); totals follow in the same transaction.

use super::fulfil::lock_b2b;
use super::place::line_from_sku;
use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::{ids, Fen, Quantity};
use dingdan_store::orders::{self, Order};
use dingdan_store::{catalog, Tx};
use serde_json::{json, Value};
use std::collections::HashSet;

/// A line to add: SKU, quantity, unit price, remark.
#[derive(Debug, Clone)]
pub struct AddLine {
    pub sku_id: i64,
    pub quantity: Quantity,
    pub price: Fen,
    pub remark: String,
}

async fn finish(tx: &mut Tx, actor: &Actor, order: &mut Order, now: i64, action: &str, detail: Value) -> Result<()> {
    let lines = orders::lines(tx.conn(), order.id).await?;
    super::refresh_totals(order, &lines);
    order.updated_at = now;
    orders::update(tx, order).await?;
    journal::audit(
        tx,
        actor,
        Some(order.tenant_id),
        now,
        Change { entity: "order", entity_id: order.id, action, from: None, to: None, detail: Some(detail) },
    )
    .await?;
    journal::emit(
        tx,
        Some(order.tenant_id),
        now,
        "order_update",
        "order",
        order.id,
        json!({ "order_id": ids::ORDER.format(order.id) }),
    )
    .await?;
    Ok(())
}

/// Adds lines; each SKU must be on the customer's price lists and not yet in the order.
pub async fn add_lines(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, add: &[AddLine]) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if add.is_empty() {
        return Err(AppError::invalid("products", "give at least one product"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    order.fulfillment.ensure_lines_editable()?;
    let existing: HashSet<i64> = orders::lines(tx.conn(), order.id).await?.iter().map(|l| l.sku_id).collect();
    let allowed: HashSet<i64> = match order.customer_id {
        Some(c) => catalog::skus_of_customer(tx.conn(), tenant_id, c).await?.into_iter().collect(),
        None => HashSet::new(),
    };
    let mut seen = HashSet::new();
    for a in add {
        let sku_text = ids::SKU.format(a.sku_id);
        if existing.contains(&a.sku_id) || !seen.insert(a.sku_id) {
            return Err(AppError::invalid(
                "products",
                format!("{sku_text} is already in the order: use order/sku/update"),
            ));
        }
        let sku = catalog::sku_for_order(tx.conn(), tenant_id, a.sku_id)
            .await?
            .filter(|s| s.on_sale)
            .ok_or(AppError::not_found("sku"))?;
        if !allowed.contains(&sku.id) {
            return Err(AppError::invalid("products", format!("{sku_text} is not on the customer's price lists")));
        }
        let mut line = line_from_sku(sku, a.quantity, Some(a.price), a.remark.clone(), now);
        line.order_id = order.id;
        orders::insert_line(&mut tx, &line).await?;
    }
    let detail = json!({ "added": add.iter().map(|a| ids::SKU.format(a.sku_id)).collect::<Vec<_>>() });
    finish(&mut tx, actor, &mut order, now, "add_lines", detail).await?;
    tx.commit().await?;
    Ok(())
}

/// Removes lines by SKU; an order keeps at least one line.
pub async fn remove_lines(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, sku_ids: &[i64]) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if sku_ids.is_empty() {
        return Err(AppError::invalid("sku_ids", "give at least one sku id"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    order.fulfillment.ensure_lines_editable()?;
    let lines = orders::lines(tx.conn(), order.id).await?;
    let wanted: HashSet<i64> = sku_ids.iter().copied().collect();
    if let Some(missing) = wanted.iter().find(|s| !lines.iter().any(|l| l.sku_id == **s)) {
        return Err(AppError::invalid("sku_ids", format!("{} is not in the order", ids::SKU.format(*missing))));
    }
    if lines.len() <= wanted.len() {
        return Err(AppError::Conflict("an order keeps at least one line: delete the order instead".into()));
    }
    for l in lines.iter().filter(|l| wanted.contains(&l.sku_id)) {
        orders::delete_line(&mut tx, l.id).await?;
    }
    let detail = json!({ "removed": sku_ids.iter().map(|s| ids::SKU.format(*s)).collect::<Vec<_>>() });
    finish(&mut tx, actor, &mut order, now, "remove_lines", detail).await?;
    tx.commit().await?;
    Ok(())
}

/// A change to one line; `None` keeps the value.
#[derive(Debug, Clone)]
pub struct LineChange {
    pub sku_id: i64,
    pub quantity: Option<Quantity>,
    pub price: Option<Fen>,
    pub remark: Option<String>,
}

/// Changes several lines at once: all or nothing.
pub async fn change_lines(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
    changes: &[LineChange],
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if changes.is_empty() {
        return Err(AppError::invalid("products", "give at least one product"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    order.fulfillment.ensure_lines_editable()?;
    let mut lines = orders::lines(tx.conn(), order.id).await?;
    let mut detail = serde_json::Map::new();
    for c in changes {
        let line = lines.iter_mut().find(|l| l.sku_id == c.sku_id).ok_or_else(|| {
            AppError::invalid("products", format!("{} is not in the order", ids::SKU.format(c.sku_id)))
        })?;
        if let Some(q) = c.quantity {
            line.quantity_milli = q.0;
            line.purchase_quantity_milli = Some(q.0);
        }
        if let Some(p) = c.price {
            line.sale_price = p.0;
        }
        if let Some(r) = &c.remark {
            line.remark = r.clone();
        }
        orders::update_line(&mut tx, line).await?;
        detail.insert(
            ids::SKU.format(c.sku_id),
            json!({ "quantity_milli": line.quantity_milli, "sale_price": line.sale_price }),
        );
    }
    finish(&mut tx, actor, &mut order, now, "change_lines", Value::Object(detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes an order that has not started sorting and is unpaid (station `order/delete`).
pub async fn delete_order(app: &App, actor: &Actor, tenant_id: i64, order_id: i64) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    if order.paid > 0 {
        return Err(AppError::Conflict("a paid order cannot be deleted: refund it first".into()));
    }
    super::transition(&mut tx, actor, &mut order, dingdan_core::order::Action::Delete, now).await?;
    tx.commit().await?;
    Ok(())
}
