use super::fulfil::{lock_b2b, transition};
use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::order::Fulfillment;
use dingdan_core::{ids, DomainError, Fen, Quantity};
use dingdan_store::orders;
use serde_json::{json, Map, Value};

/// A change to one line, named by its SKU.
#[derive(Debug, Clone, Default)]
pub struct LineEdit {
    pub sku_id: i64,
    pub quantity: Option<Quantity>,
    pub price: Option<Fen>,
    pub remark: Option<String>,
}

/// An edit of a B2B order as the openapi and station `update` calls express it.
#[derive(Debug, Clone, Default)]
pub struct OrderEdit {
    pub receive_begin_at: Option<i64>,
    pub receive_end_at: Option<i64>,
    /// The order's remark.
    pub remark: Option<String>,
    pub line: Option<LineEdit>,
    /// A status to move to (only the state machine's direct moves are allowed).
    pub status: Option<Fulfillment>,
}

impl OrderEdit {
    fn is_empty(&self) -> bool {
        self.receive_begin_at.is_none()
            && self.receive_end_at.is_none()
            && self.remark.is_none()
            && self.status.is_none()
            && self.line.as_ref().is_none_or(|l| l.quantity.is_none() && l.price.is_none() && l.remark.is_none())
    }
}

/// Applies an edit in one transaction: either all of it holds or nothing changes. Lines,
/// prices and receive times change only while the order is editable (before it leaves); the
/// status change, if any, goes last through the state machine.
pub async fn edit_order(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, edit: &OrderEdit) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if edit.is_empty() {
        return Err(AppError::invalid("order_id", "nothing to update: give at least one field to change"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    if order.fulfillment == Fulfillment::Deleted {
        return Err(DomainError::LinesFrozen { status: order.fulfillment }.into());
    }
    let mut changes = Map::new();

    if edit.receive_begin_at.is_some() || edit.receive_end_at.is_some() {
        order.fulfillment.ensure_lines_editable()?;
        let begin = edit.receive_begin_at.or(order.receive_begin_at).unwrap_or(0);
        let end = edit.receive_end_at.or(order.receive_end_at).unwrap_or(0);
        if end <= begin {
            return Err(AppError::invalid("receive_end_time", "must be after receive_begin_time"));
        }
        changes.insert("receive_begin_at".into(), json!([order.receive_begin_at, begin]));
        changes.insert("receive_end_at".into(), json!([order.receive_end_at, end]));
        order.receive_begin_at = Some(begin);
        order.receive_end_at = Some(end);
    }

    let mut lines = orders::lines(tx.conn(), order.id).await?;
    if let Some(le) = &edit.line {
        let line = lines.iter_mut().find(|l| l.sku_id == le.sku_id).ok_or(AppError::not_found("order line"))?;
        let mut line_changes = Map::new();
        if le.quantity.is_some() || le.price.is_some() {
            order.fulfillment.ensure_lines_editable()?;
        }
        if let Some(q) = le.quantity {
            line_changes.insert("quantity_milli".into(), json!([line.quantity_milli, q.0]));
            line.quantity_milli = q.0;
            line.purchase_quantity_milli = Some(q.0);
        }
        if let Some(p) = le.price {
            line_changes.insert("sale_price".into(), json!([line.sale_price, p.0]));
            line.sale_price = p.0;
        }
        if let Some(r) = &le.remark {
            line_changes.insert("remark".into(), json!([line.remark, r]));
            line.remark = r.clone();
        }
        orders::update_line(&mut tx, line).await?;
        changes.insert(ids::SKU.format(le.sku_id), Value::Object(line_changes));
    }
    super::refresh_totals(&mut order, &lines);

    if let Some(r) = &edit.remark {
        changes.insert("remark".into(), json!([order.remark, r]));
        order.remark = Some(r.clone());
    }

    let has_field_changes = !changes.is_empty();
    if has_field_changes {
        order.updated_at = now;
        orders::update(&mut tx, &order).await?;
        journal::audit(
            &mut tx,
            actor,
            Some(tenant_id),
            now,
            Change {
                entity: "order",
                entity_id: order.id,
                action: "update",
                from: None,
                to: None,
                detail: Some(Value::Object(changes)),
            },
        )
        .await?;
        journal::emit(
            &mut tx,
            Some(tenant_id),
            now,
            "order_update",
            "order",
            order.id,
            json!({ "order_id": ids::ORDER.format(order.id) }),
        )
        .await?;
    }

    if let Some(target) = edit.status {
        if target != order.fulfillment {
            let action = order.fulfillment.action_towards(target)?;
            transition(&mut tx, actor, &mut order, action, now).await?;
        }
    }
    tx.commit().await?;
    Ok(())
}
