//! The customer ledger, strikes (incoming payments) and what they settled.

use crate::{Backend, Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

/// Locks a customer's row for a balance change (PostgreSQL); returns the balance.
pub async fn lock_balance(tx: &mut Tx, tenant_id: i64, customer_id: i64) -> Result<Option<i64>> {
    let suffix = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT balance FROM customers WHERE tenant_id = $1 AND id = $2 AND deleted_at IS NULL{suffix}");
    Ok(sqlx::query_scalar(&sql).bind(tenant_id).bind(customer_id).fetch_optional(tx.conn()).await?)
}

/// A ledger entry to post.
pub struct NewEntry<'a> {
    pub tenant_id: i64,
    pub customer_id: i64,
    pub change: i64,
    pub change_type: i64,
    pub extra: &'a str,
    /// JSON array of public order ids.
    pub order_ids: &'a str,
    pub at: i64,
}

/// Appends a ledger entry and moves the customer's balance by its change, together; the new
/// balance.
pub async fn post_entry(tx: &mut Tx, e: &NewEntry<'_>) -> Result<i64> {
    let NewEntry { tenant_id, customer_id, change, change_type, extra, order_ids, at } = *e;
    let balance: i64 =
        sqlx::query_scalar("UPDATE customers SET balance = balance + $2 WHERE id = $1 RETURNING balance")
            .bind(customer_id)
            .bind(change)
            .fetch_one(tx.conn())
            .await?;
    sqlx::query(
        "INSERT INTO ledger_entries (tenant_id, customer_id, change, balance_after, change_type, extra, order_ids, at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenant_id)
    .bind(customer_id)
    .bind(change)
    .bind(balance)
    .bind(change_type)
    .bind(extra)
    .bind(order_ids)
    .bind(at)
    .execute(tx.conn())
    .await?;
    Ok(balance)
}

/// The sum of a customer's ledger entries (the invariant: it equals the balance).
pub async fn ledger_sum<'c, E: Executor<'c, Database = Any>>(e: E, customer_id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT CAST(COALESCE(SUM(change), 0) AS BIGINT) FROM ledger_entries WHERE customer_id = $1")
        .bind(customer_id)
        .fetch_one(e)
        .await?)
}

pub async fn deal_code_used(tx: &mut Tx, tenant_id: i64, deal_code: &str) -> Result<bool> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM strikes WHERE tenant_id = $1 AND deal_code = $2")
        .bind(tenant_id)
        .bind(deal_code)
        .fetch_one(tx.conn())
        .await?;
    Ok(n > 0)
}

/// A strike as stored.
#[derive(Debug, Clone)]
pub struct Strike {
    pub id: i64,
    pub tenant_id: i64,
    pub customer_id: i64,
    pub deal_code: String,
    pub arrival_time: i64,
    pub arrival_id: String,
    pub arrival_method: String,
    pub arrival_money: i64,
    pub strike_money: i64,
    pub balance_after: i64,
    pub remark: String,
    pub operator: String,
    pub created_at: i64,
}

const STRIKE_COLUMNS: &str = "id, tenant_id, customer_id, deal_code, arrival_time, arrival_id, arrival_method,
    arrival_money, strike_money, balance_after, remark, operator, created_at";

fn strike_from_row(r: &AnyRow) -> Result<Strike> {
    Ok(Strike {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        customer_id: r.try_get("customer_id")?,
        deal_code: r.try_get("deal_code")?,
        arrival_time: r.try_get("arrival_time")?,
        arrival_id: r.try_get("arrival_id")?,
        arrival_method: r.try_get("arrival_method")?,
        arrival_money: r.try_get("arrival_money")?,
        strike_money: r.try_get("strike_money")?,
        balance_after: r.try_get("balance_after")?,
        remark: r.try_get("remark")?,
        operator: r.try_get("operator")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_strike(tx: &mut Tx, s: &Strike) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO strikes (tenant_id, customer_id, deal_code, arrival_time, arrival_id, arrival_method, arrival_money,
             strike_money, balance_after, remark, operator, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(s.customer_id)
    .bind(&s.deal_code)
    .bind(s.arrival_time)
    .bind(&s.arrival_id)
    .bind(&s.arrival_method)
    .bind(s.arrival_money)
    .bind(s.strike_money)
    .bind(s.balance_after)
    .bind(&s.remark)
    .bind(&s.operator)
    .bind(s.created_at)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn finish_strike(tx: &mut Tx, id: i64, strike_money: i64, balance_after: i64) -> Result<()> {
    sqlx::query("UPDATE strikes SET strike_money = $2, balance_after = $3 WHERE id = $1")
        .bind(id)
        .bind(strike_money)
        .bind(balance_after)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn insert_flow(
    tx: &mut Tx,
    strike_id: i64,
    order_id: i64,
    amount: i64,
    payment: &str,
    at: i64,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO strike_flows (strike_id, order_id, amount, order_payment, created_at) VALUES ($1, $2, $3, $4, $5)
         RETURNING id",
    )
    .bind(strike_id)
    .bind(order_id)
    .bind(amount)
    .bind(payment)
    .bind(at)
    .fetch_one(tx.conn())
    .await?)
}

/// The customer's signed orders that are not paid in full, oldest first (locked on PostgreSQL).
pub async fn unpaid_signed_orders(tx: &mut Tx, tenant_id: i64, customer_id: i64) -> Result<Vec<i64>> {
    let suffix = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT id FROM orders WHERE tenant_id = $1 AND customer_id = $2 AND channel = 'b2b'
         AND fulfillment IN ('delivered', 'completed') AND payment IN ('unpaid', 'partly_paid')
         ORDER BY created_at, id{suffix}"
    );
    Ok(sqlx::query_scalar(&sql).bind(tenant_id).bind(customer_id).fetch_all(tx.conn()).await?)
}

/// A strike's settled orders.
#[derive(Debug, Clone)]
pub struct Flow {
    pub id: i64,
    pub strike_id: i64,
    pub order_id: i64,
    pub amount: i64,
    pub order_payment: String,
    pub created_at: i64,
}

pub async fn flows<'c, E: Executor<'c, Database = Any>>(e: E, strike_id: i64) -> Result<Vec<Flow>> {
    sqlx::query("SELECT id, strike_id, order_id, amount, order_payment, created_at FROM strike_flows WHERE strike_id = $1 ORDER BY id")
        .bind(strike_id)
        .fetch_all(e)
        .await?
        .iter()
        .map(|r| {
            Ok(Flow {
                id: r.try_get("id")?,
                strike_id: r.try_get("strike_id")?,
                order_id: r.try_get("order_id")?,
                amount: r.try_get("amount")?,
                order_payment: r.try_get("order_payment")?,
                created_at: r.try_get("created_at")?,
            })
        })
        .collect()
}

/// Strikes of a tenant, optionally of one customer and within `[from, to)` of arrival time.
pub async fn list_strikes<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    customer_id: Option<i64>,
    from: i64,
    to: i64,
    skip: i64,
    take: i64,
) -> Result<Vec<Strike>> {
    let sql = format!(
        "SELECT {STRIKE_COLUMNS} FROM strikes WHERE tenant_id = $1 AND ($2 = 0 OR customer_id = $2)
         AND arrival_time >= $3 AND arrival_time < $4 ORDER BY id DESC LIMIT $5 OFFSET $6"
    );
    sqlx::query(&sql)
        .bind(tenant_id)
        .bind(customer_id.unwrap_or(0))
        .bind(from)
        .bind(to)
        .bind(take)
        .bind(skip)
        .fetch_all(e)
        .await?
        .iter()
        .map(strike_from_row)
        .collect()
}

/// A ledger entry.
#[derive(Debug, Clone)]
pub struct Entry {
    pub id: i64,
    pub customer_id: i64,
    pub change: i64,
    pub balance_after: i64,
    pub change_type: i64,
    pub extra: String,
    pub order_ids: String,
    pub at: i64,
}

pub async fn entries<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    customer_id: Option<i64>,
    skip: i64,
    take: i64,
) -> Result<Vec<Entry>> {
    sqlx::query(
        "SELECT id, customer_id, change, balance_after, change_type, extra, order_ids, at FROM ledger_entries
         WHERE tenant_id = $1 AND ($2 = 0 OR customer_id = $2) ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(tenant_id)
    .bind(customer_id.unwrap_or(0))
    .bind(take)
    .bind(skip)
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| {
        Ok(Entry {
            id: r.try_get("id")?,
            customer_id: r.try_get("customer_id")?,
            change: r.try_get("change")?,
            balance_after: r.try_get("balance_after")?,
            change_type: r.try_get("change_type")?,
            extra: r.try_get("extra")?,
            order_ids: r.try_get("order_ids")?,
            at: r.try_get("at")?,
        })
    })
    .collect()
}
