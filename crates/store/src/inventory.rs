//! Stock per SPU and the in-stock / out-stock sheets that move it.

use crate::{Backend, Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

/// The stock of an SPU, locked for change on PostgreSQL; 0 when never stocked.
pub async fn lock_stock(tx: &mut Tx, tenant_id: i64, spu_id: i64) -> Result<i64> {
    let suffix = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT quantity_milli FROM stock WHERE tenant_id = $1 AND spu_id = $2{suffix}");
    Ok(sqlx::query_scalar(&sql).bind(tenant_id).bind(spu_id).fetch_optional(tx.conn()).await?.unwrap_or(0))
}

pub async fn set_stock(tx: &mut Tx, tenant_id: i64, spu_id: i64, quantity_milli: i64, now: i64) -> Result<()> {
    sqlx::query(
        "INSERT INTO stock (tenant_id, spu_id, quantity_milli, updated_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant_id, spu_id) DO UPDATE SET quantity_milli = $3, updated_at = $4",
    )
    .bind(tenant_id)
    .bind(spu_id)
    .bind(quantity_milli)
    .bind(now)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// (spu id, spu name, quantity) of a tenant's stocked SPUs, optionally one.
pub async fn stock<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    spu_id: Option<i64>,
) -> Result<Vec<(i64, String, i64)>> {
    sqlx::query(
        "SELECT s.spu_id, p.name, s.quantity_milli FROM stock s JOIN spus p ON p.id = s.spu_id
         WHERE s.tenant_id = $1 AND ($2 = 0 OR s.spu_id = $2) ORDER BY s.spu_id",
    )
    .bind(tenant_id)
    .bind(spu_id.unwrap_or(0))
    .fetch_all(e)
    .await?
    .iter()
    .map(|r| Ok((r.try_get("spu_id")?, r.try_get("name")?, r.try_get("quantity_milli")?)))
    .collect()
}

/// A sheet with its lines.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Sheet {
    pub id: i64,
    pub tenant_id: i64,
    pub kind: String,
    pub status: String,
    pub order_id: Option<i64>,
    pub remark: String,
    pub created_at: i64,
    pub updated_at: i64,
    pub submitted_at: Option<i64>,
    pub lines: Vec<SheetLine>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SheetLine {
    pub spu_id: i64,
    pub quantity_milli: i64,
    pub price: i64,
}

fn sheet_from_row(r: &AnyRow) -> Result<Sheet> {
    Ok(Sheet {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        kind: r.try_get("kind")?,
        status: r.try_get("status")?,
        order_id: r.try_get("order_id")?,
        remark: r.try_get("remark")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
        submitted_at: r.try_get("submitted_at")?,
        lines: Vec::new(),
    })
}

/// A sheet, locked for change on PostgreSQL.
pub async fn lock_sheet(tx: &mut Tx, tenant_id: i64, id: i64) -> Result<Option<Sheet>> {
    let suffix = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!(
        "SELECT id, tenant_id, kind, status, order_id, remark, created_at, updated_at, submitted_at FROM stock_sheets
         WHERE tenant_id = $1 AND id = $2{suffix}"
    );
    let Some(mut sheet) = sqlx::query(&sql)
        .bind(tenant_id)
        .bind(id)
        .fetch_optional(tx.conn())
        .await?
        .as_ref()
        .map(sheet_from_row)
        .transpose()?
    else {
        return Ok(None);
    };
    sheet.lines = lines(tx.conn(), id).await?;
    Ok(Some(sheet))
}

pub async fn sheet<'c, E: Executor<'c, Database = Any> + Copy>(e: E, tenant_id: i64, id: i64) -> Result<Option<Sheet>> {
    let row = sqlx::query(
        "SELECT id, tenant_id, kind, status, order_id, remark, created_at, updated_at, submitted_at FROM stock_sheets
         WHERE tenant_id = $1 AND id = $2",
    )
    .bind(tenant_id)
    .bind(id)
    .fetch_optional(e)
    .await?;
    let Some(mut sheet) = row.as_ref().map(sheet_from_row).transpose()? else {
        return Ok(None);
    };
    sheet.lines = lines(e, id).await?;
    Ok(Some(sheet))
}

async fn lines<'c, E: Executor<'c, Database = Any>>(e: E, sheet_id: i64) -> Result<Vec<SheetLine>> {
    sqlx::query("SELECT spu_id, quantity_milli, price FROM stock_sheet_lines WHERE sheet_id = $1 ORDER BY id")
        .bind(sheet_id)
        .fetch_all(e)
        .await?
        .iter()
        .map(|r| {
            Ok(SheetLine {
                spu_id: r.try_get("spu_id")?,
                quantity_milli: r.try_get("quantity_milli")?,
                price: r.try_get("price")?,
            })
        })
        .collect()
}

pub async fn insert_sheet(tx: &mut Tx, s: &Sheet, now: i64) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO stock_sheets (tenant_id, kind, status, order_id, remark, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(&s.kind)
    .bind(&s.status)
    .bind(s.order_id)
    .bind(&s.remark)
    .bind(now)
    .fetch_one(tx.conn())
    .await?;
    replace_lines(tx, id, &s.lines).await?;
    Ok(id)
}

pub async fn replace_lines(tx: &mut Tx, sheet_id: i64, lines: &[SheetLine]) -> Result<()> {
    sqlx::query("DELETE FROM stock_sheet_lines WHERE sheet_id = $1").bind(sheet_id).execute(tx.conn()).await?;
    for l in lines {
        sqlx::query("INSERT INTO stock_sheet_lines (sheet_id, spu_id, quantity_milli, price) VALUES ($1, $2, $3, $4)")
            .bind(sheet_id)
            .bind(l.spu_id)
            .bind(l.quantity_milli)
            .bind(l.price)
            .execute(tx.conn())
            .await?;
    }
    Ok(())
}

pub async fn update_sheet(tx: &mut Tx, s: &Sheet, now: i64) -> Result<()> {
    sqlx::query("UPDATE stock_sheets SET status = $2, remark = $3, updated_at = $4, submitted_at = $5 WHERE id = $1")
        .bind(s.id)
        .bind(&s.status)
        .bind(&s.remark)
        .bind(now)
        .bind(s.submitted_at)
        .execute(tx.conn())
        .await?;
    Ok(())
}

/// The draft out-stock sheet of an order, if any.
pub async fn draft_of_order(tx: &mut Tx, order_id: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar("SELECT id FROM stock_sheets WHERE order_id = $1 AND kind = 'out' AND status = 'draft'")
        .bind(order_id)
        .fetch_optional(tx.conn())
        .await?)
}

/// A tenant's sheets, newest first, optionally of one order and kind (lines not loaded).
pub async fn list_sheets<'c, E: Executor<'c, Database = Any>>(
    e: E,
    tenant_id: i64,
    order_id: Option<i64>,
    kind: Option<&str>,
) -> Result<Vec<Sheet>> {
    sqlx::query(
        "SELECT id, tenant_id, kind, status, order_id, remark, created_at, updated_at, submitted_at FROM stock_sheets
         WHERE tenant_id = $1 AND ($2 = 0 OR order_id = $2) AND ($3 = '' OR kind = $3) ORDER BY id DESC LIMIT 100",
    )
    .bind(tenant_id)
    .bind(order_id.unwrap_or(0))
    .bind(kind.unwrap_or(""))
    .fetch_all(e)
    .await?
    .iter()
    .map(sheet_from_row)
    .collect()
}
