//! Station after-sales: abnormal records (a booked quantity and a signed money change) and
//! refunds (a returned quantity) of a signed order's lines. The order's `abnormal_money`,
//! `refund_money` and `total_pay` are recomputed from the live records in the same transaction.

use super::fulfil::lock_b2b;
use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::money::MAX_FEN;
use dingdan_core::order::{AfterSale, Fulfillment};
use dingdan_core::{ids, Fen, Quantity};
use dingdan_store::after_sales::{self, Abnormal, Refund};
use dingdan_store::orders::{self, Line, Order};
use dingdan_store::Tx;
use serde_json::json;

/// The exception reasons (`/api/order/after_sales/exception_reason/list`).
pub const EXCEPTION_REASONS: [(i64, &str); 6] =
    [(1, "未按用户时间到达"), (2, "商品质量问题"), (3, "数量短缺"), (4, "规格不符"), (5, "漏单"), (6, "其他")];

/// Which kind of after-sale record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSaleKind {
    Abnormal,
    Refund,
}

/// An abnormal record to create (`id` None) or change.
#[derive(Debug, Clone)]
pub struct AbnormalIn {
    pub id: Option<i64>,
    pub sku_id: i64,
    pub exception_reason: i64,
    pub final_amount: Quantity,
    pub money_delta: i64,
}

/// A refund to create (`id` None) or change.
#[derive(Debug, Clone)]
pub struct RefundIn {
    pub id: Option<i64>,
    pub sku_id: i64,
    pub exception_reason: i64,
    pub request_amount: Quantity,
}

fn check_reason(r: i64) -> Result<()> {
    if EXCEPTION_REASONS.iter().any(|(code, _)| *code == r) {
        Ok(())
    } else {
        Err(AppError::invalid("exception_reason", format!("{r} is not a known reason (see exception_reason/list)")))
    }
}

/// Opens the order for after-sales: it must be signed.
async fn open(tx: &mut Tx, tenant_id: i64, order_id: i64) -> Result<(Order, Vec<Line>)> {
    let order = lock_b2b(tx, tenant_id, order_id).await?;
    if !matches!(order.fulfillment, Fulfillment::Delivered | Fulfillment::Completed) {
        return Err(AppError::Conflict(format!(
            "after-sales are recorded once the order is signed (status 15); it is {}",
            order.fulfillment.as_str()
        )));
    }
    let lines = orders::lines(tx.conn(), order.id).await?;
    Ok((order, lines))
}

fn line_of(lines: &[Line], sku_id: i64) -> Result<&Line> {
    lines
        .iter()
        .find(|l| l.sku_id == sku_id)
        .ok_or_else(|| AppError::invalid("sku_id", format!("{} is not in the order", ids::SKU.format(sku_id))))
}

fn delivered(line: &Line) -> i64 {
    line.accept_quantity_milli.or(line.real_quantity_milli).unwrap_or(line.quantity_milli)
}

/// Recomputes the order's after-sale money and status from the live records, checks the
/// invariants, writes the header, the audit row and the event.
async fn settle(tx: &mut Tx, actor: &Actor, order: &mut Order, lines: &[Line], now: i64, action: &str) -> Result<()> {
    let abnormals = after_sales::abnormals(tx.conn(), order.id).await?;
    let refunds = after_sales::refunds(tx.conn(), order.id).await?;
    for l in lines {
        let returned: i64 = refunds.iter().filter(|r| r.sku_id == l.sku_id).map(|r| r.request_amount_milli).sum();
        if returned > delivered(l) {
            return Err(AppError::invalid(
                "request_amount",
                format!(
                    "refunds of {} exceed what was delivered ({})",
                    ids::SKU.format(l.sku_id),
                    delivered(l) as f64 / 1000.0
                ),
            ));
        }
    }
    order.abnormal_money = abnormals.iter().map(|a| a.money_delta).sum();
    order.refund_money = refunds
        .iter()
        .map(|r| {
            let price = lines.iter().find(|l| l.sku_id == r.sku_id).map(|l| l.sale_price).unwrap_or(0);
            Quantity(r.request_amount_milli).times(Fen(price)).0
        })
        .sum();
    super::refresh_totals(order, lines);
    if order.total_pay < 0 {
        return Err(AppError::invalid("money_delta", "after-sales would make the amount due negative"));
    }
    order.after_sale = if abnormals.is_empty() && refunds.is_empty() { AfterSale::None } else { AfterSale::Open };
    order.updated_at = now;
    orders::update(tx, order).await?;
    journal::audit(
        tx,
        actor,
        Some(order.tenant_id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action,
            from: None,
            to: Some(order.after_sale.as_str()),
            detail: Some(json!({ "abnormal_money": order.abnormal_money, "refund_money": order.refund_money,
                             "total_pay": order.total_pay })),
        },
    )
    .await?;
    journal::emit(
        tx,
        Some(order.tenant_id),
        now,
        "order_after_sale",
        "order",
        order.id,
        json!({ "order_id": ids::ORDER.format(order.id), "action": action }),
    )
    .await?;
    Ok(())
}

fn check_abnormal(a: &AbnormalIn, lines: &[Line]) -> Result<()> {
    check_reason(a.exception_reason)?;
    let line = line_of(lines, a.sku_id)?;
    if a.final_amount.0 < 0 || a.final_amount.0 > delivered(line) {
        return Err(AppError::invalid("final_amount", "must be between 0 and the delivered quantity"));
    }
    if a.money_delta.abs() > MAX_FEN {
        return Err(AppError::invalid("money_delta", "is out of range"));
    }
    Ok(())
}

/// Records abnormal records on a signed order.
pub async fn record_abnormals(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
    items: &[AbnormalIn],
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if items.is_empty() {
        return Err(AppError::invalid("abnormal", "give at least one record"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (mut order, lines) = open(&mut tx, tenant_id, order_id).await?;
    for a in items {
        check_abnormal(a, &lines)?;
        let row = Abnormal {
            id: 0,
            order_id: order.id,
            sku_id: a.sku_id,
            exception_reason: a.exception_reason,
            final_amount_milli: a.final_amount.0,
            money_delta: a.money_delta,
            text: String::new(),
        };
        after_sales::insert_abnormal(&mut tx, tenant_id, &row, now).await?;
    }
    settle(&mut tx, actor, &mut order, &lines, now, "record_abnormal").await?;
    tx.commit().await?;
    Ok(())
}

/// Records refund requests on a signed order, at most what was delivered per line.
pub async fn record_refunds(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, items: &[RefundIn]) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if items.is_empty() {
        return Err(AppError::invalid("refund", "give at least one record"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (mut order, lines) = open(&mut tx, tenant_id, order_id).await?;
    for r in items {
        check_reason(r.exception_reason)?;
        line_of(&lines, r.sku_id)?;
        let row = Refund {
            id: 0,
            order_id: order.id,
            sku_id: r.sku_id,
            exception_reason: r.exception_reason,
            request_amount_milli: r.request_amount.0,
            real_amount_milli: 0,
            state: 1,
            text: String::new(),
        };
        after_sales::insert_refund(&mut tx, tenant_id, &row, now).await?;
    }
    settle(&mut tx, actor, &mut order, &lines, now, "record_refund").await?;
    tx.commit().await?;
    Ok(())
}

/// Changes abnormal records of the order.
pub async fn update_abnormals(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
    items: &[AbnormalIn],
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (mut order, lines) = open(&mut tx, tenant_id, order_id).await?;
    let live = after_sales::abnormals(tx.conn(), order.id).await?;
    for a in items {
        let id = a.id.ok_or_else(|| AppError::invalid("id", "each abnormal record needs its id"))?;
        let mut row = live.iter().find(|x| x.id == id).cloned().ok_or(AppError::not_found("abnormal record"))?;
        check_abnormal(a, &lines)?;
        row.sku_id = a.sku_id;
        row.exception_reason = a.exception_reason;
        row.final_amount_milli = a.final_amount.0;
        row.money_delta = a.money_delta;
        after_sales::update_abnormal(&mut tx, &row, now).await?;
    }
    settle(&mut tx, actor, &mut order, &lines, now, "update_abnormal").await?;
    tx.commit().await?;
    Ok(())
}

/// Changes refund requests of the order.
pub async fn update_refunds(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, items: &[RefundIn]) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (mut order, lines) = open(&mut tx, tenant_id, order_id).await?;
    let live = after_sales::refunds(tx.conn(), order.id).await?;
    for r in items {
        let id = r.id.ok_or_else(|| AppError::invalid("id", "each refund needs its id"))?;
        let mut row = live.iter().find(|x| x.id == id).cloned().ok_or(AppError::not_found("refund"))?;
        check_reason(r.exception_reason)?;
        line_of(&lines, r.sku_id)?;
        row.sku_id = r.sku_id;
        row.exception_reason = r.exception_reason;
        row.request_amount_milli = r.request_amount.0;
        after_sales::update_refund(&mut tx, &row, now).await?;
    }
    settle(&mut tx, actor, &mut order, &lines, now, "update_refund").await?;
    tx.commit().await?;
    Ok(())
}

/// Cancels after-sale records by id (the SKU must match).
pub async fn cancel_after_sales(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
    kind: AfterSaleKind,
    items: &[(i64, i64)],
) -> Result<()> {
    ensure_tenant(actor, tenant_id)?;
    if items.is_empty() {
        return Err(AppError::invalid("abnormal", "give at least one record"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let (mut order, lines) = open(&mut tx, tenant_id, order_id).await?;
    match kind {
        AfterSaleKind::Abnormal => {
            let live = after_sales::abnormals(tx.conn(), order.id).await?;
            for (id, sku) in items {
                live.iter().find(|x| x.id == *id && x.sku_id == *sku).ok_or(AppError::not_found("abnormal record"))?;
                after_sales::cancel_abnormal(&mut tx, *id, now).await?;
            }
        }
        AfterSaleKind::Refund => {
            let live = after_sales::refunds(tx.conn(), order.id).await?;
            for (id, sku) in items {
                live.iter().find(|x| x.id == *id && x.sku_id == *sku).ok_or(AppError::not_found("refund"))?;
                after_sales::cancel_refund(&mut tx, *id, now).await?;
            }
        }
    }
    let action = if kind == AfterSaleKind::Abnormal { "cancel_abnormal" } else { "cancel_refund" };
    settle(&mut tx, actor, &mut order, &lines, now, action).await?;
    tx.commit().await?;
    Ok(())
}

/// The live after-sale records of an order.
pub async fn after_sales_of(app: &App, order_id: i64) -> Result<(Vec<Abnormal>, Vec<Refund>)> {
    let db = app.db.reader();
    Ok((after_sales::abnormals(db, order_id).await?, after_sales::refunds(db, order_id).await?))
}
