//! Station finance: a ledger per customer whose balance is always the sum of its entries.
//! A strike (冲账) books an incoming payment and settles the customer's signed, unpaid orders
//! oldest first; what is left stays as balance. Order refunds pay back into the balance.
//! Everything for one customer is serialised by the customer row's lock.

use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::order::Payment;
use dingdan_core::{ids, Fen};
use dingdan_store::finance::{self, Strike};
use dingdan_store::orders;
use serde_json::json;

pub use dingdan_store::finance::{Entry as LedgerEntry, Flow as StrikeFlow, Strike as StrikeRow};

/// Ledger entry types: an incoming payment, an order paid from the balance, a refund into it.
pub mod change_type {
    pub const ARRIVAL: i64 = 1;
    pub const ORDER_PAYMENT: i64 = 2;
    pub const REFUND: i64 = 3;
}

/// An incoming payment to book.
#[derive(Debug, Clone)]
pub struct StrikeCmd {
    pub customer_id: i64,
    pub arrival_time: i64,
    pub deal_code: String,
    pub arrival_id: String,
    pub arrival_method: String,
    pub arrival_money: Fen,
    pub remark: String,
}

/// What a strike did.
#[derive(Debug, Clone)]
pub struct StrikeOutcome {
    pub strike_id: i64,
    /// (order, amount applied, payment status after).
    pub settled: Vec<(i64, i64, Payment)>,
    pub balance: i64,
}

fn operator(actor: &Actor) -> String {
    format!("{}:{}", actor.role.as_str(), actor.id)
}

/// Books a payment and settles orders with it; refused whole or done whole.
pub async fn strike_payment(app: &App, actor: &Actor, tenant_id: i64, cmd: &StrikeCmd) -> Result<StrikeOutcome> {
    ensure_tenant(actor, tenant_id)?;
    if cmd.arrival_money.0 <= 0 {
        return Err(AppError::invalid("arrival_money", "must be greater than zero"));
    }
    let deal_code = cmd.deal_code.trim();
    if deal_code.is_empty() || deal_code.chars().count() > 64 {
        return Err(AppError::invalid("deal_code", "must be 1 to 64 characters"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    finance::lock_balance(&mut tx, tenant_id, cmd.customer_id).await?.ok_or(AppError::not_found("customer"))?;
    if finance::deal_code_used(&mut tx, tenant_id, deal_code).await? {
        return Err(AppError::Duplicate(format!("voucher {deal_code} has been struck already")));
    }
    let mut strike = Strike {
        id: 0,
        tenant_id,
        customer_id: cmd.customer_id,
        deal_code: deal_code.to_string(),
        arrival_time: cmd.arrival_time,
        arrival_id: cmd.arrival_id.clone(),
        arrival_method: cmd.arrival_method.clone(),
        arrival_money: cmd.arrival_money.0,
        strike_money: 0,
        balance_after: 0,
        remark: cmd.remark.clone(),
        operator: operator(actor),
        created_at: now,
    };
    strike.id = finance::insert_strike(&mut tx, &strike).await.map_err(|e| match AppError::from(e) {
        AppError::Duplicate(_) => AppError::Duplicate(format!("voucher {deal_code} has been struck already")),
        other => other,
    })?;
    let mut available = finance::post_entry(
        &mut tx,
        &finance::NewEntry {
            tenant_id,
            customer_id: cmd.customer_id,
            change: cmd.arrival_money.0,
            change_type: change_type::ARRIVAL,
            extra: deal_code,
            order_ids: "[]",
            at: now,
        },
    )
    .await?;
    let mut settled = Vec::new();
    for order_id in finance::unpaid_signed_orders(&mut tx, tenant_id, cmd.customer_id).await? {
        if available <= 0 {
            break;
        }
        let mut order = orders::get(tx.conn(), tenant_id, order_id).await?.ok_or(AppError::not_found("order"))?;
        let outstanding = order.total_pay - (order.paid - order.refunded);
        if outstanding <= 0 {
            continue;
        }
        let pay = outstanding.min(available);
        let before = order.payment;
        order.paid += pay;
        order.payment = Payment::from_amounts(order.total_pay, order.paid - order.refunded, 0);
        order.updated_at = now;
        orders::update(&mut tx, &order).await?;
        let public = ids::ORDER.format(order.id);
        available = finance::post_entry(
            &mut tx,
            &finance::NewEntry {
                tenant_id,
                customer_id: cmd.customer_id,
                change: -pay,
                change_type: change_type::ORDER_PAYMENT,
                extra: deal_code,
                order_ids: &json!([public]).to_string(),
                at: now,
            },
        )
        .await?;
        finance::insert_flow(&mut tx, strike.id, order.id, pay, order.payment.as_str(), now).await?;
        journal::audit(
            &mut tx,
            actor,
            Some(tenant_id),
            now,
            Change {
                entity: "order",
                entity_id: order.id,
                action: "pay",
                from: Some(before.as_str()),
                to: Some(order.payment.as_str()),
                detail: Some(json!({ "amount": pay, "deal_code": deal_code })),
            },
        )
        .await?;
        journal::emit(
            &mut tx,
            Some(tenant_id),
            now,
            "order_paid",
            "order",
            order.id,
            json!({ "order_id": public, "amount": pay }),
        )
        .await?;
        settled.push((order.id, pay, order.payment));
    }
    let struck: i64 = settled.iter().map(|s| s.1).sum();
    finance::finish_strike(&mut tx, strike.id, struck, available).await?;
    journal::audit(&mut tx, actor, Some(tenant_id), now, Change {
        entity: "customer", entity_id: cmd.customer_id, action: "strike", from: None, to: None,
        detail: Some(json!({ "deal_code": deal_code, "arrival_money": cmd.arrival_money.0, "struck": struck, "balance": available })),
    })
    .await?;
    tx.commit().await?;
    Ok(StrikeOutcome { strike_id: strike.id, settled, balance: available })
}

/// Station refund types.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefundKind {
    /// What was paid beyond what is now due (weighing and after-sales differences).
    Difference,
    /// Everything paid for the order.
    Whole,
}

/// Refunds an order's payment into the customer's balance; the amount refunded.
pub async fn refund_order(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, kind: RefundKind) -> Result<i64> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let peek = orders::get(tx.conn(), tenant_id, order_id).await?.ok_or(AppError::not_found("order"))?;
    let customer_id = peek.customer_id.ok_or(AppError::not_found("customer"))?;
    finance::lock_balance(&mut tx, tenant_id, customer_id).await?.ok_or(AppError::not_found("customer"))?;
    let mut order = orders::lock(&mut tx, tenant_id, order_id).await?.ok_or(AppError::not_found("order"))?;
    let net_paid = order.paid - order.refunded;
    if order.paid <= 0 {
        return Err(AppError::Conflict("the order was never paid: nothing to refund".into()));
    }
    let amount = match kind {
        RefundKind::Difference => net_paid - order.total_pay,
        RefundKind::Whole => net_paid,
    };
    if amount <= 0 {
        return Err(AppError::Conflict(match kind {
            RefundKind::Difference => "no difference to refund: what was paid does not exceed what is due".into(),
            RefundKind::Whole => "the order's payment has been refunded already".into(),
        }));
    }
    let before = order.payment;
    order.refunded += amount;
    order.payment = match kind {
        RefundKind::Whole => Payment::Refunded,
        RefundKind::Difference => Payment::from_amounts(order.total_pay, order.paid - order.refunded, 0),
    };
    order.updated_at = now;
    orders::update(&mut tx, &order).await?;
    let public = ids::ORDER.format(order.id);
    let extra = format!("refund:{public}");
    finance::post_entry(
        &mut tx,
        &finance::NewEntry {
            tenant_id,
            customer_id,
            change: amount,
            change_type: change_type::REFUND,
            extra: &extra,
            order_ids: &json!([public]).to_string(),
            at: now,
        },
    )
    .await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action: if kind == RefundKind::Whole { "refund_whole" } else { "refund_difference" },
            from: Some(before.as_str()),
            to: Some(order.payment.as_str()),
            detail: Some(json!({ "amount": amount })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "order_refunded",
        "order",
        order.id,
        json!({ "order_id": public, "amount": amount }),
    )
    .await?;
    tx.commit().await?;
    Ok(amount)
}

/// Strikes with the orders each settled.
pub async fn strike_flows(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    customer_id: Option<i64>,
    range: (i64, i64),
    skip: i64,
    take: i64,
) -> Result<Vec<(Strike, Vec<StrikeFlow>)>> {
    ensure_tenant(actor, tenant_id)?;
    let db = app.db.reader();
    let strikes = finance::list_strikes(db, tenant_id, customer_id, range.0, range.1, skip, take).await?;
    let mut out = Vec::with_capacity(strikes.len());
    for s in strikes {
        let f = finance::flows(db, s.id).await?;
        out.push((s, f));
    }
    Ok(out)
}

/// Ledger entries, newest first.
pub async fn cash_flows(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    customer_id: Option<i64>,
    skip: i64,
    take: i64,
) -> Result<Vec<LedgerEntry>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(finance::entries(app.db.reader(), tenant_id, customer_id, skip, take).await?)
}

/// The customer's balance and the sum of its ledger entries (always equal).
pub async fn ledger_check(app: &App, actor: &Actor, tenant_id: i64, customer_id: i64) -> Result<(i64, i64)> {
    let c = crate::customers::get_customer(app, actor, tenant_id, customer_id).await?;
    Ok((c.balance, finance::ledger_sum(app.db.reader(), customer_id).await?))
}
