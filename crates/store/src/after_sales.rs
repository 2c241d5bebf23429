//! Station after-sales records of order lines: abnormal records and refunds.

use crate::{Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Abnormal {
    pub id: i64,
    pub order_id: i64,
    pub sku_id: i64,
    pub exception_reason: i64,
    pub final_amount_milli: i64,
    /// Signed change, in fen, to what the customer owes.
    pub money_delta: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    pub id: i64,
    pub order_id: i64,
    pub sku_id: i64,
    pub exception_reason: i64,
    pub request_amount_milli: i64,
    pub real_amount_milli: i64,
    pub state: i64,
    pub text: String,
}

fn abnormal_from_row(r: &AnyRow) -> Result<Abnormal> {
    Ok(Abnormal {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        sku_id: r.try_get("sku_id")?,
        exception_reason: r.try_get("exception_reason")?,
        final_amount_milli: r.try_get("final_amount_milli")?,
        money_delta: r.try_get("money_delta")?,
        text: r.try_get("text")?,
    })
}

fn refund_from_row(r: &AnyRow) -> Result<Refund> {
    Ok(Refund {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        sku_id: r.try_get("sku_id")?,
        exception_reason: r.try_get("exception_reason")?,
        request_amount_milli: r.try_get("request_amount_milli")?,
        real_amount_milli: r.try_get("real_amount_milli")?,
        state: r.try_get("state")?,
        text: r.try_get("text")?,
    })
}

/// The live (not cancelled) abnormal records of an order.
pub async fn abnormals<'c, E: Executor<'c, Database = Any>>(e: E, order_id: i64) -> Result<Vec<Abnormal>> {
    sqlx::query(
        "SELECT id, order_id, sku_id, exception_reason, final_amount_milli, money_delta, text FROM order_abnormals
         WHERE order_id = $1 AND canceled_at IS NULL ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(e)
    .await?
    .iter()
    .map(abnormal_from_row)
    .collect()
}

/// The live (not cancelled) refunds of an order.
pub async fn refunds<'c, E: Executor<'c, Database = Any>>(e: E, order_id: i64) -> Result<Vec<Refund>> {
    sqlx::query(
        "SELECT id, order_id, sku_id, exception_reason, request_amount_milli, real_amount_milli, state, text
         FROM order_refunds WHERE order_id = $1 AND canceled_at IS NULL ORDER BY id",
    )
    .bind(order_id)
    .fetch_all(e)
    .await?
    .iter()
    .map(refund_from_row)
    .collect()
}

pub async fn insert_abnormal(tx: &mut Tx, tenant_id: i64, a: &Abnormal, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO order_abnormals (tenant_id, order_id, sku_id, exception_reason, final_amount_milli, money_delta,
             text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id",
    )
    .bind(tenant_id)
    .bind(a.order_id)
    .bind(a.sku_id)
    .bind(a.exception_reason)
    .bind(a.final_amount_milli)
    .bind(a.money_delta)
    .bind(&a.text)
    .bind(now)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn insert_refund(tx: &mut Tx, tenant_id: i64, r: &Refund, now: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO order_refunds (tenant_id, order_id, sku_id, exception_reason, request_amount_milli,
             real_amount_milli, state, text, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(tenant_id)
    .bind(r.order_id)
    .bind(r.sku_id)
    .bind(r.exception_reason)
    .bind(r.request_amount_milli)
    .bind(r.real_amount_milli)
    .bind(r.state)
    .bind(&r.text)
    .bind(now)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn update_abnormal(tx: &mut Tx, a: &Abnormal, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE order_abnormals SET sku_id = $2, exception_reason = $3, final_amount_milli = $4, money_delta = $5,
             updated_at = $6 WHERE id = $1",
    )
    .bind(a.id)
    .bind(a.sku_id)
    .bind(a.exception_reason)
    .bind(a.final_amount_milli)
    .bind(a.money_delta)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn update_refund(tx: &mut Tx, r: &Refund, now: i64) -> Result<()> {
    sqlx::query(
        "UPDATE order_refunds SET sku_id = $2, exception_reason = $3, request_amount_milli = $4, updated_at = $5
         WHERE id = $1",
    )
    .bind(r.id)
    .bind(r.sku_id)
    .bind(r.exception_reason)
    .bind(r.request_amount_milli)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn cancel_abnormal(tx: &mut Tx, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE order_abnormals SET canceled_at = $2, updated_at = $2 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}

pub async fn cancel_refund(tx: &mut Tx, id: i64, now: i64) -> Result<()> {
    sqlx::query("UPDATE order_refunds SET canceled_at = $2, updated_at = $2, state = 3 WHERE id = $1")
        .bind(id)
        .bind(now)
        .execute(tx.conn())
        .await?;
    Ok(())
}
