//! Bulk import of historical orders (and pickup packages) for load tests and migrations from
//! another system: many rows per statement, many statements per transaction, explicit keys.
//!
//! This bypasses the domain on purpose: it writes finished history, not state changes, so it
//! writes no audit rows and no events. Run it while no server writes to the database: keys
//! are taken from `MAX(id)`, and PostgreSQL's identity sequences are moved past them at the end.

use crate::multirow::{bind, values_sql};
use crate::orders::{channel_str, Line, Order};
use crate::pickup::Package;
use crate::{Backend, Db, Result, Tx};
use sqlx::any::AnyArguments;

/// One order to import, with its lines and, for a pickup order, its package.
#[derive(Debug, Clone)]
pub struct ImportOrder {
    pub order: Order,
    pub lines: Vec<Line>,
    pub package: Option<Package>,
}

/// The next free keys of the tables an import writes.
#[derive(Debug, Clone, Copy)]
pub struct NextIds {
    pub order: i64,
    pub line: i64,
    pub package: i64,
}

/// Reads the next free keys.
pub async fn next_ids(db: &Db) -> Result<NextIds> {
    Ok(NextIds {
        order: next_id(db, "orders").await?,
        line: next_id(db, "order_lines").await?,
        package: next_id(db, "pickup_packages").await?,
    })
}

async fn next_id(db: &Db, table: &str) -> Result<i64> {
    let sql = format!("SELECT COALESCE(MAX(id), 0) FROM {table}");
    let n: i64 = sqlx::query_scalar(&sql).fetch_one(db.reader()).await?;
    Ok(n + 1)
}

/// Rows per INSERT statement; below both engines' bind-parameter limits.
const ROWS_PER_STATEMENT: usize = 400;

/// Writes a batch in one transaction. Every id in the batch must already be set (from
/// [`next_ids`] onwards) and every line's `order_id` must point at its order.
pub async fn import(db: &Db, batch: &[ImportOrder]) -> Result<()> {
    let mut tx = db.begin().await?;
    for chunk in batch.chunks(ROWS_PER_STATEMENT) {
        insert_orders(&mut tx, chunk.iter().map(|o| &o.order)).await?;
    }
    let lines: Vec<&Line> = batch.iter().flat_map(|o| o.lines.iter()).collect();
    for chunk in lines.chunks(ROWS_PER_STATEMENT) {
        insert_lines(&mut tx, chunk).await?;
    }
    let packages: Vec<&Package> = batch.iter().filter_map(|o| o.package.as_ref()).collect();
    for chunk in packages.chunks(ROWS_PER_STATEMENT) {
        insert_packages(&mut tx, chunk).await?;
    }
    tx.commit().await
}

/// After an import on PostgreSQL, moves the identity sequences past the imported keys.
pub async fn finish(db: &Db) -> Result<()> {
    if db.backend() == Backend::Postgres {
        for table in ["orders", "order_lines", "pickup_packages"] {
            let sql = format!(
                "SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 1) FROM {table}))"
            );
            sqlx::query(&sql).execute(db.writer()).await?;
        }
        sqlx::query("ANALYZE").execute(db.writer()).await?;
    } else {
        sqlx::query("ANALYZE").execute(db.writer()).await?;
    }
    Ok(())
}

async fn insert_orders<'a>(tx: &mut Tx, orders: impl ExactSizeIterator<Item = &'a Order>) -> Result<()> {
    let sql = values_sql(
        tx.backend(),
        "INSERT INTO orders (id, tenant_id, channel, customer_id, store_id, fulfillment, payment, after_sale,
             close_reason, freight, origin_total, ordered_total, real_total, total_pay, paid, refunded, abnormal_money,
             refund_money, remark, receive_begin_at, receive_end_at, sort_id, version, created_at, updated_at)",
        25,
        orders.len(),
    );
    let mut a = AnyArguments::default();
    for o in orders {
        bind(&mut a, o.id);
        bind(&mut a, o.tenant_id);
        bind(&mut a, channel_str(o.channel));
        bind(&mut a, o.customer_id);
        bind(&mut a, o.store_id);
        bind(&mut a, o.fulfillment.as_str());
        bind(&mut a, o.payment.as_str());
        bind(&mut a, o.after_sale.as_str());
        bind(&mut a, o.close_reason.clone());
        bind(&mut a, o.freight);
        bind(&mut a, o.origin_total);
        bind(&mut a, o.ordered_total);
        bind(&mut a, o.real_total);
        bind(&mut a, o.total_pay);
        bind(&mut a, o.paid);
        bind(&mut a, o.refunded);
        bind(&mut a, o.abnormal_money);
        bind(&mut a, o.refund_money);
        bind(&mut a, o.remark.clone());
        bind(&mut a, o.receive_begin_at);
        bind(&mut a, o.receive_end_at);
        bind(&mut a, o.sort_id);
        bind(&mut a, o.version);
        bind(&mut a, o.created_at);
        bind(&mut a, o.updated_at);
    }
    sqlx::query_with(&sql, a).execute(tx.conn()).await?;
    Ok(())
}

async fn insert_lines(tx: &mut Tx, lines: &[&Line]) -> Result<()> {
    let sql = values_sql(
        tx.backend(),
        "INSERT INTO order_lines (id, order_id, sku_id, spu_id, name, category1_name, category2_name, std_unit_name,
             sale_unit_name, sale_ratio_milli, quantity_milli, real_quantity_milli, accept_quantity_milli,
             purchase_quantity_milli, sale_price, is_weigh, remark, salemenu_name, supplier_name, created_at)",
        20,
        lines.len(),
    );
    let mut a = AnyArguments::default();
    for l in lines {
        crate::multirow::bind_line(&mut a, l, true);
    }
    sqlx::query_with(&sql, a).execute(tx.conn()).await?;
    Ok(())
}

async fn insert_packages(tx: &mut Tx, packages: &[&Package]) -> Result<()> {
    let sql = values_sql(
        tx.backend(),
        "INSERT INTO pickup_packages (id, tenant_id, store_id, order_id, order_token, pickup_key, key_status,
             stock_status, expires_at, used_at, used_by, created_at, updated_at)",
        13,
        packages.len(),
    );
    let mut a = AnyArguments::default();
    for p in packages {
        bind(&mut a, p.id);
        bind(&mut a, p.tenant_id);
        bind(&mut a, p.store_id);
        bind(&mut a, p.order_id);
        bind(&mut a, p.order_token.clone());
        bind(&mut a, p.key.clone());
        bind(&mut a, p.key_status.clone());
        bind(&mut a, p.stock_status.clone());
        bind(&mut a, p.expires_at);
        bind(&mut a, p.used_at);
        bind(&mut a, p.used_by);
        bind(&mut a, p.created_at);
        bind(&mut a, p.updated_at);
    }
    sqlx::query_with(&sql, a).execute(tx.conn()).await?;
    Ok(())
}

/// The live pickup codes of a store, so an import can avoid them.
pub async fn live_keys(db: &Db, store_id: i64) -> Result<Vec<String>> {
    Ok(sqlx::query_scalar(
        "SELECT pickup_key FROM pickup_packages WHERE store_id = $1 AND key_status IN ('unused', 'used')",
    )
    .bind(store_id)
    .fetch_all(db.reader())
    .await?)
}
