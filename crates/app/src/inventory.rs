//! Inventory: stock per SPU (in its standard unit), in-stock sheets (draft → submitted or
//! rejected), out-stock sheets (draft → submitted; an order leaving the warehouse fills a
//! draft from its lines) and stocktaking. Submitting an out-stock sheet beyond the stock is
//! refused unless `allow_negative_stock` is set. Events carry the document's names.

use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::{ids, Quantity};
use dingdan_store::inventory::{self, Sheet, SheetLine};
use dingdan_store::orders::Order;
use dingdan_store::{catalog, Tx};
use serde_json::json;

pub use dingdan_store::inventory::{Sheet as SheetRow, SheetLine as SheetLineRow};

/// Sheet kinds and states.
pub const IN: &str = "in";
pub const OUT: &str = "out";
pub const DRAFT: &str = "draft";
pub const SUBMITTED: &str = "submitted";
pub const REJECTED: &str = "rejected";
pub const DELETED: &str = "deleted";

fn event(kind: &str, what: &str) -> String {
    format!("{}_stock_sheet_{what}", if kind == IN { "in" } else { "out" })
}

async fn record(tx: &mut Tx, actor: &Actor, s: &Sheet, now: i64, what: &str, from: Option<&str>) -> Result<()> {
    journal::audit(
        tx,
        actor,
        Some(s.tenant_id),
        now,
        Change {
            entity: "stock_sheet",
            entity_id: s.id,
            action: what,
            from,
            to: Some(&s.status),
            detail: Some(json!({ "kind": s.kind, "lines": s.lines.len() })),
        },
    )
    .await?;
    journal::emit(tx, Some(s.tenant_id), now, &event(&s.kind, what), "stock_sheet", s.id, json!({ "sheet_id": s.id }))
        .await?;
    Ok(())
}

async fn check_lines(app: &App, tenant_id: i64, lines: &[SheetLine]) -> Result<()> {
    if lines.is_empty() {
        return Err(AppError::invalid("lines", "a sheet needs at least one line"));
    }
    for l in lines {
        if l.quantity_milli <= 0 {
            return Err(AppError::invalid("lines", "quantities must be greater than zero"));
        }
        if l.price < 0 {
            return Err(AppError::invalid("lines", "prices must not be negative"));
        }
        catalog::spu(app.db.reader(), tenant_id, l.spu_id)
            .await?
            .ok_or_else(|| AppError::invalid("lines", format!("{} is not an SPU", ids::SPU.format(l.spu_id))))?;
    }
    Ok(())
}

/// Creates a draft sheet of `kind` (in or out).
pub async fn create_sheet(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    kind: &str,
    lines: Vec<SheetLine>,
    remark: &str,
) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    if kind != IN && kind != OUT {
        return Err(AppError::invalid("kind", "must be in or out"));
    }
    check_lines(app, tenant_id, &lines).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut s = Sheet {
        id: 0,
        tenant_id,
        kind: kind.into(),
        status: DRAFT.into(),
        order_id: None,
        remark: remark.into(),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        lines,
    };
    s.id = inventory::insert_sheet(&mut tx, &s, now).await?;
    record(&mut tx, actor, &s, now, "create", None).await?;
    tx.commit().await?;
    Ok(s.id)
}

async fn open_draft(tx: &mut Tx, tenant_id: i64, id: i64) -> Result<Sheet> {
    let s = inventory::lock_sheet(tx, tenant_id, id).await?.ok_or(AppError::not_found("stock sheet"))?;
    if s.status != DRAFT {
        return Err(AppError::Conflict(format!("the sheet is {}: only a draft can change", s.status)));
    }
    Ok(s)
}

/// Replaces a draft sheet's lines and remark.
pub async fn update_sheet(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    id: i64,
    lines: Vec<SheetLine>,
    remark: &str,
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    check_lines(app, tenant_id, &lines).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut s = open_draft(&mut tx, tenant_id, id).await?;
    inventory::replace_lines(&mut tx, id, &lines).await?;
    s.lines = lines;
    s.remark = remark.into();
    inventory::update_sheet(&mut tx, &s, now).await?;
    record(&mut tx, actor, &s, now, "update", Some(DRAFT)).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes a draft (or rejected) sheet.
pub async fn delete_sheet(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut s = inventory::lock_sheet(&mut tx, tenant_id, id).await?.ok_or(AppError::not_found("stock sheet"))?;
    if s.status != DRAFT && s.status != REJECTED {
        return Err(AppError::Conflict(format!(
            "the sheet is {}: only a draft or rejected sheet can be deleted",
            s.status
        )));
    }
    let before = s.status.clone();
    s.status = DELETED.into();
    inventory::update_sheet(&mut tx, &s, now).await?;
    record(&mut tx, actor, &s, now, "delete", Some(&before)).await?;
    tx.commit().await?;
    Ok(())
}

/// Rejects a draft in-stock sheet.
pub async fn reject_sheet(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut s = open_draft(&mut tx, tenant_id, id).await?;
    if s.kind != IN {
        return Err(AppError::Conflict("only in-stock sheets are reviewed and rejected".into()));
    }
    s.status = REJECTED.into();
    inventory::update_sheet(&mut tx, &s, now).await?;
    record(&mut tx, actor, &s, now, "reject", Some(DRAFT)).await?;
    tx.commit().await?;
    Ok(())
}

/// Submits a draft sheet: stock moves in or out, once.
pub async fn submit_sheet(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut s = open_draft(&mut tx, tenant_id, id).await?;
    let sign = if s.kind == IN { 1 } else { -1 };
    for l in &s.lines {
        let stock = inventory::lock_stock(&mut tx, tenant_id, l.spu_id).await?;
        let after = stock + sign * l.quantity_milli;
        if after < 0 && !app.settings.allow_negative_stock {
            return Err(AppError::Conflict(format!(
                "{} has {} in stock, less than the {} to take out",
                ids::SPU.format(l.spu_id),
                Quantity(stock).as_f64(),
                Quantity(l.quantity_milli).as_f64()
            )));
        }
        inventory::set_stock(&mut tx, tenant_id, l.spu_id, after, now).await?;
    }
    s.status = SUBMITTED.into();
    s.submitted_at = Some(now);
    inventory::update_sheet(&mut tx, &s, now).await?;
    record(&mut tx, actor, &s, now, "submit", Some(DRAFT)).await?;
    tx.commit().await?;
    Ok(())
}

/// Sets the counted stock of an SPU (stocktaking); announces `stock_edit`.
pub async fn take_stock(app: &App, actor: &Actor, tenant_id: i64, spu_id: i64, counted: Quantity) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if counted.0 < 0 {
        return Err(AppError::invalid("stock", "a counted stock cannot be below zero"));
    }
    catalog::spu(app.db.reader(), tenant_id, spu_id).await?.ok_or(AppError::not_found("spu"))?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let before = inventory::lock_stock(&mut tx, tenant_id, spu_id).await?;
    inventory::set_stock(&mut tx, tenant_id, spu_id, counted.0, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "spu",
            entity_id: spu_id,
            action: "stocktaking",
            from: None,
            to: None,
            detail: Some(json!({ "before_milli": before, "counted_milli": counted.0 })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "stock_edit",
        "spu",
        spu_id,
        json!({ "spu_id": ids::SPU.format(spu_id), "stock": counted.as_f64() }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn get_sheet(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<Sheet> {
    ensure_tenant(actor, tenant_id)?;
    inventory::sheet(app.db.reader(), tenant_id, id).await?.ok_or(AppError::not_found("stock sheet"))
}

pub async fn stock(app: &App, actor: &Actor, tenant_id: i64, spu_id: Option<i64>) -> Result<Vec<(i64, String, i64)>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(inventory::stock(app.db.reader(), tenant_id, spu_id).await?)
}

/// An order leaving the warehouse fills a draft out-stock sheet with its lines, in standard
/// units (weighed quantity when known × sale ratio). Called inside the shipping transaction.
pub(crate) async fn fill_out_sheet(tx: &mut Tx, actor: &Actor, order: &Order, now: i64) -> Result<()> {
    let order_lines = dingdan_store::orders::lines(tx.conn(), order.id).await?;
    let mut lines: Vec<SheetLine> = Vec::new();
    for l in &order_lines {
        let qty = l.real_quantity_milli.unwrap_or(l.quantity_milli);
        let std_milli = (qty as i128 * l.sale_ratio_milli as i128 / 1000) as i64;
        match lines.iter_mut().find(|x| x.spu_id == l.spu_id) {
            Some(x) => x.quantity_milli += std_milli,
            None => lines.push(SheetLine { spu_id: l.spu_id, quantity_milli: std_milli, price: l.sale_price }),
        }
    }
    let existing = inventory::draft_of_order(tx, order.id).await?;
    let mut s = Sheet {
        id: existing.unwrap_or(0),
        tenant_id: order.tenant_id,
        kind: OUT.into(),
        status: DRAFT.into(),
        order_id: Some(order.id),
        remark: format!("{} 出库", ids::ORDER.format(order.id)),
        created_at: now,
        updated_at: now,
        submitted_at: None,
        lines,
    };
    if let Some(id) = existing {
        inventory::replace_lines(tx, id, &s.lines).await?;
        record(tx, actor, &s, now, "update", Some(DRAFT)).await?;
    } else {
        s.id = inventory::insert_sheet(tx, &s, now).await?;
        record(tx, actor, &s, now, "create", None).await?;
    }
    Ok(())
}

/// The newest sheets, optionally of one order and kind.
pub async fn list_sheets(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: Option<i64>,
    kind: Option<&str>,
) -> Result<Vec<Sheet>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(inventory::list_sheets(app.db.reader(), tenant_id, order_id, kind).await?)
}
