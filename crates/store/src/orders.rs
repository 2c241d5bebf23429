//! Orders and their lines. The store reads and writes rows; whether a change is allowed is
//! decided by `dingdan_core::order` before any of these run.

use crate::{flag, Backend, Result, StoreError, Tx};
use dingdan_core::order::{AfterSale, Channel, Fulfillment, Payment};
use sqlx::{any::AnyRow, Any, Executor, Row};

/// An order header as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Order {
    pub id: i64,
    pub tenant_id: i64,
    pub channel: Channel,
    pub customer_id: Option<i64>,
    pub store_id: Option<i64>,
    pub fulfillment: Fulfillment,
    pub payment: Payment,
    pub after_sale: AfterSale,
    pub close_reason: Option<String>,
    pub freight: i64,
    pub origin_total: i64,
    pub ordered_total: i64,
    pub real_total: i64,
    pub total_pay: i64,
    pub paid: i64,
    pub refunded: i64,
    pub abnormal_money: i64,
    pub refund_money: i64,
    pub remark: Option<String>,
    pub receive_begin_at: Option<i64>,
    pub receive_end_at: Option<i64>,
    pub sort_id: Option<i64>,
    pub version: i64,
    pub created_at: i64,
    pub updated_at: i64,
}

impl Order {
    /// A new order as placed: pending, unpaid, no money yet (the lines decide it), version 1.
    pub fn placed(tenant_id: i64, channel: Channel, at: i64) -> Order {
        Order {
            id: 0,
            tenant_id,
            channel,
            customer_id: None,
            store_id: None,
            fulfillment: Fulfillment::Pending,
            payment: Payment::Unpaid,
            after_sale: AfterSale::None,
            close_reason: None,
            freight: 0,
            origin_total: 0,
            ordered_total: 0,
            real_total: 0,
            total_pay: 0,
            paid: 0,
            refunded: 0,
            abnormal_money: 0,
            refund_money: 0,
            remark: None,
            receive_begin_at: None,
            receive_end_at: None,
            sort_id: None,
            version: 1,
            created_at: at,
            updated_at: at,
        }
    }
}

const COLUMNS: &str = "o.id, o.tenant_id, o.channel, o.customer_id, o.store_id, o.fulfillment, o.payment, o.after_sale,
    o.close_reason, o.freight, o.origin_total, o.ordered_total, o.real_total, o.total_pay, o.paid, o.refunded,
    o.abnormal_money, o.refund_money, o.remark, o.receive_begin_at, o.receive_end_at, o.sort_id, o.version,
    o.created_at, o.updated_at";

fn corrupt(what: &str, value: &str) -> StoreError {
    StoreError::Corrupt(format!("unknown {what} '{value}'"))
}

fn from_row(r: &AnyRow) -> Result<Order> {
    let channel: String = r.try_get("channel")?;
    let fulfillment: String = r.try_get("fulfillment")?;
    let payment: String = r.try_get("payment")?;
    let after_sale: String = r.try_get("after_sale")?;
    Ok(Order {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        channel: match channel.as_str() {
            "b2b" => Channel::B2b,
            "b2c" => Channel::B2c,
            other => return Err(corrupt("channel", other)),
        },
        customer_id: r.try_get("customer_id")?,
        store_id: r.try_get("store_id")?,
        fulfillment: Fulfillment::parse(&fulfillment).ok_or_else(|| corrupt("fulfillment", &fulfillment))?,
        payment: Payment::parse(&payment).ok_or_else(|| corrupt("payment", &payment))?,
        after_sale: AfterSale::parse(&after_sale).ok_or_else(|| corrupt("after_sale", &after_sale))?,
        close_reason: r.try_get("close_reason")?,
        freight: r.try_get("freight")?,
        origin_total: r.try_get("origin_total")?,
        ordered_total: r.try_get("ordered_total")?,
        real_total: r.try_get("real_total")?,
        total_pay: r.try_get("total_pay")?,
        paid: r.try_get("paid")?,
        refunded: r.try_get("refunded")?,
        abnormal_money: r.try_get("abnormal_money")?,
        refund_money: r.try_get("refund_money")?,
        remark: r.try_get("remark")?,
        receive_begin_at: r.try_get("receive_begin_at")?,
        receive_end_at: r.try_get("receive_end_at")?,
        sort_id: r.try_get("sort_id")?,
        version: r.try_get("version")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}

pub(crate) fn channel_str(c: Channel) -> &'static str {
    match c {
        Channel::B2b => "b2b",
        Channel::B2c => "b2c",
    }
}

/// Inserts a header; `id` and `version` of `o` are ignored. Returns the new key.
pub async fn insert(tx: &mut Tx, o: &Order) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO orders (tenant_id, channel, customer_id, store_id, fulfillment, payment, after_sale, close_reason,
             freight, origin_total, ordered_total, real_total, total_pay, paid, refunded, abnormal_money, refund_money,
             remark, receive_begin_at, receive_end_at, sort_id, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
         RETURNING id",
    )
    .bind(o.tenant_id)
    .bind(channel_str(o.channel))
    .bind(o.customer_id)
    .bind(o.store_id)
    .bind(o.fulfillment.as_str())
    .bind(o.payment.as_str())
    .bind(o.after_sale.as_str())
    .bind(o.close_reason.as_deref())
    .bind(o.freight)
    .bind(o.origin_total)
    .bind(o.ordered_total)
    .bind(o.real_total)
    .bind(o.total_pay)
    .bind(o.paid)
    .bind(o.refunded)
    .bind(o.abnormal_money)
    .bind(o.refund_money)
    .bind(o.remark.as_deref())
    .bind(o.receive_begin_at)
    .bind(o.receive_end_at)
    .bind(o.sort_id)
    .bind(o.created_at)
    .bind(o.updated_at)
    .fetch_one(tx.conn())
    .await?)
}

/// Writes back every mutable header field and bumps the version.
pub async fn update(tx: &mut Tx, o: &Order) -> Result<()> {
    sqlx::query(
        "UPDATE orders SET fulfillment = $2, payment = $3, after_sale = $4, close_reason = $5, freight = $6,
             ordered_total = $7, real_total = $8, total_pay = $9, paid = $10, refunded = $11, abnormal_money = $12,
             refund_money = $13, remark = $14, receive_begin_at = $15, receive_end_at = $16, sort_id = $17,
             updated_at = $18, version = version + 1, store_id = $19
         WHERE id = $1",
    )
    .bind(o.id)
    .bind(o.fulfillment.as_str())
    .bind(o.payment.as_str())
    .bind(o.after_sale.as_str())
    .bind(o.close_reason.as_deref())
    .bind(o.freight)
    .bind(o.ordered_total)
    .bind(o.real_total)
    .bind(o.total_pay)
    .bind(o.paid)
    .bind(o.refunded)
    .bind(o.abnormal_money)
    .bind(o.refund_money)
    .bind(o.remark.as_deref())
    .bind(o.receive_begin_at)
    .bind(o.receive_end_at)
    .bind(o.sort_id)
    .bind(o.updated_at)
    .bind(o.store_id)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn get<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64, id: i64) -> Result<Option<Order>> {
    let sql = format!("SELECT {COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.id = $2");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(e).await?.as_ref().map(from_row).transpose()
}

/// Reads an order for change, holding its row lock until the transaction ends (PostgreSQL;
/// SQLite's single writer already serialises writers).
pub async fn lock(tx: &mut Tx, tenant_id: i64, id: i64) -> Result<Option<Order>> {
    let suffix = if tx.backend() == Backend::Postgres { " FOR UPDATE" } else { "" };
    let sql = format!("SELECT {COLUMNS} FROM orders o WHERE o.tenant_id = $1 AND o.id = $2{suffix}");
    sqlx::query(&sql).bind(tenant_id).bind(id).fetch_optional(tx.conn()).await?.as_ref().map(from_row).transpose()
}

/// An order line as stored.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Line {
    pub id: i64,
    pub order_id: i64,
    pub sku_id: i64,
    pub spu_id: i64,
    pub name: String,
    pub category1_name: String,
    pub category2_name: String,
    pub std_unit_name: String,
    pub sale_unit_name: String,
    pub sale_ratio_milli: i64,
    pub quantity_milli: i64,
    pub real_quantity_milli: Option<i64>,
    pub accept_quantity_milli: Option<i64>,
    pub purchase_quantity_milli: Option<i64>,
    pub sale_price: i64,
    pub is_weigh: bool,
    pub remark: String,
    pub salemenu_name: String,
    pub supplier_name: String,
    pub created_at: i64,
}

const LINE_COLUMNS: &str = "id, order_id, sku_id, spu_id, name, category1_name, category2_name, std_unit_name,
    sale_unit_name, sale_ratio_milli, quantity_milli, real_quantity_milli, accept_quantity_milli,
    purchase_quantity_milli, sale_price, is_weigh, remark, salemenu_name, supplier_name, created_at";

fn line_from_row(r: &AnyRow) -> Result<Line> {
    Ok(Line {
        id: r.try_get("id")?,
        order_id: r.try_get("order_id")?,
        sku_id: r.try_get("sku_id")?,
        spu_id: r.try_get("spu_id")?,
        name: r.try_get("name")?,
        category1_name: r.try_get("category1_name")?,
        category2_name: r.try_get("category2_name")?,
        std_unit_name: r.try_get("std_unit_name")?,
        sale_unit_name: r.try_get("sale_unit_name")?,
        sale_ratio_milli: r.try_get("sale_ratio_milli")?,
        quantity_milli: r.try_get("quantity_milli")?,
        real_quantity_milli: r.try_get("real_quantity_milli")?,
        accept_quantity_milli: r.try_get("accept_quantity_milli")?,
        purchase_quantity_milli: r.try_get("purchase_quantity_milli")?,
        sale_price: r.try_get("sale_price")?,
        is_weigh: flag(r.try_get("is_weigh")?),
        remark: r.try_get("remark")?,
        salemenu_name: r.try_get("salemenu_name")?,
        supplier_name: r.try_get("supplier_name")?,
        created_at: r.try_get("created_at")?,
    })
}

/// Inserts a line; `l.id` is ignored.
pub async fn insert_line(tx: &mut Tx, l: &Line) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO order_lines (order_id, sku_id, spu_id, name, category1_name, category2_name, std_unit_name,
             sale_unit_name, sale_ratio_milli, quantity_milli, real_quantity_milli, accept_quantity_milli,
             purchase_quantity_milli, sale_price, is_weigh, remark, salemenu_name, supplier_name, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id",
    )
    .bind(l.order_id)
    .bind(l.sku_id)
    .bind(l.spu_id)
    .bind(&l.name)
    .bind(&l.category1_name)
    .bind(&l.category2_name)
    .bind(&l.std_unit_name)
    .bind(&l.sale_unit_name)
    .bind(l.sale_ratio_milli)
    .bind(l.quantity_milli)
    .bind(l.real_quantity_milli)
    .bind(l.accept_quantity_milli)
    .bind(l.purchase_quantity_milli)
    .bind(l.sale_price)
    .bind(l.is_weigh as i64)
    .bind(&l.remark)
    .bind(&l.salemenu_name)
    .bind(&l.supplier_name)
    .bind(l.created_at)
    .fetch_one(tx.conn())
    .await?)
}

/// Inserts the lines of a new order in one statement; their `id`s are ignored.
pub async fn insert_lines(tx: &mut Tx, lines: &[Line]) -> Result<()> {
    for chunk in lines.chunks(400) {
        let sql = crate::multirow::values_sql(
            tx.backend(),
            "INSERT INTO order_lines (order_id, sku_id, spu_id, name, category1_name, category2_name, std_unit_name,
                 sale_unit_name, sale_ratio_milli, quantity_milli, real_quantity_milli, accept_quantity_milli,
                 purchase_quantity_milli, sale_price, is_weigh, remark, salemenu_name, supplier_name, created_at)",
            19,
            chunk.len(),
        );
        let mut a = sqlx::any::AnyArguments::default();
        for l in chunk {
            crate::multirow::bind_line(&mut a, l, false);
        }
        sqlx::query_with(&sql, a).execute(tx.conn()).await?;
    }
    Ok(())
}

/// Writes back a line's mutable fields.
pub async fn update_line(tx: &mut Tx, l: &Line) -> Result<()> {
    sqlx::query(
        "UPDATE order_lines SET quantity_milli = $2, real_quantity_milli = $3, accept_quantity_milli = $4,
             purchase_quantity_milli = $5, sale_price = $6, remark = $7
         WHERE id = $1",
    )
    .bind(l.id)
    .bind(l.quantity_milli)
    .bind(l.real_quantity_milli)
    .bind(l.accept_quantity_milli)
    .bind(l.purchase_quantity_milli)
    .bind(l.sale_price)
    .bind(&l.remark)
    .execute(tx.conn())
    .await?;
    Ok(())
}

pub async fn lines<'c, E: Executor<'c, Database = Any>>(e: E, order_id: i64) -> Result<Vec<Line>> {
    let sql = format!("SELECT {LINE_COLUMNS} FROM order_lines WHERE order_id = $1 ORDER BY id");
    sqlx::query(&sql).bind(order_id).fetch_all(e).await?.iter().map(line_from_row).collect()
}

/// Which instant a date range filters on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeField {
    Created,
    ReceiveBegin,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sort {
    DateDesc,
    DateAsc,
    PriceDesc,
    PriceAsc,
}

/// A page of orders of one tenant and channel in a time window.
#[derive(Debug, Clone)]
pub struct ListFilter {
    pub tenant_id: i64,
    pub channel: Channel,
    pub time_field: TimeField,
    /// `[from_ms, to_ms)`.
    pub from_ms: i64,
    pub to_ms: i64,
    pub fulfillment: Option<Fulfillment>,
    /// Some(true): only fully paid; Some(false): only not fully paid.
    pub paid: Option<bool>,
    pub payment: Option<Payment>,
    pub sort: Sort,
    /// Keyset position: only rows after this (sort key, id) in `sort`'s order.
    pub after: Option<(i64, i64)>,
    pub offset: i64,
    pub limit: i64,
}

/// An order of a list, with its customer's shop name.
#[derive(Debug, Clone)]
pub struct ListedOrder {
    pub order: Order,
    pub resname: Option<String>,
    pub address: Option<String>,
    pub receiver_name: Option<String>,
    pub receiver_phone: Option<String>,
}

pub async fn list<'c, E: Executor<'c, Database = Any>>(e: E, f: &ListFilter) -> Result<Vec<ListedOrder>> {
    let time_col = match f.time_field {
        TimeField::Created => "o.created_at",
        TimeField::ReceiveBegin => "o.receive_begin_at",
    };
    let order_by = match f.sort {
        Sort::DateDesc => format!("{time_col} DESC, o.id DESC"),
        Sort::DateAsc => format!("{time_col} ASC, o.id ASC"),
        Sort::PriceDesc => "o.ordered_total DESC, o.id DESC".to_string(),
        Sort::PriceAsc => "o.ordered_total ASC, o.id ASC".to_string(),
    };
    let mut sql = format!(
        "SELECT {COLUMNS}, c.resname, c.address, c.receiver_name, c.receiver_phone
         FROM orders o LEFT JOIN customers c ON c.id = o.customer_id
         WHERE o.tenant_id = $1 AND o.channel = $2 AND {time_col} >= $3 AND {time_col} < $4"
    );
    let mut n = 4;
    let mut next = || {
        n += 1;
        n
    };
    if f.fulfillment.is_some() {
        sql += &format!(" AND o.fulfillment = ${}", next());
    } else {
        // Deleted orders show only when asked for by status.
        sql += " AND o.fulfillment <> 'deleted'";
    }
    if let Some(paid) = f.paid {
        sql += &format!(" AND o.payment {} ${}", if paid { "=" } else { "<>" }, next());
    }
    if f.payment.is_some() {
        sql += &format!(" AND o.payment = ${}", next());
    }
    if f.after.is_some() {
        let (key, cmp) = match f.sort {
            Sort::DateDesc => (time_col, "<"),
            Sort::DateAsc => (time_col, ">"),
            Sort::PriceDesc => ("o.ordered_total", "<"),
            Sort::PriceAsc => ("o.ordered_total", ">"),
        };
        // The first bound alone lets the index range start at the cursor.
        let (k, id) = (next(), next());
        sql += &format!(" AND {key} {cmp}= ${k} AND ({key} {cmp} ${k} OR o.id {cmp} ${id})");
    }
    sql += &format!(" ORDER BY {order_by} LIMIT ${} OFFSET ${}", next(), next());
    let mut q = sqlx::query(&sql).bind(f.tenant_id).bind(channel_str(f.channel)).bind(f.from_ms).bind(f.to_ms);
    if let Some(s) = f.fulfillment {
        q = q.bind(s.as_str());
    }
    if f.paid.is_some() {
        q = q.bind(Payment::Paid.as_str());
    }
    if let Some(p) = f.payment {
        q = q.bind(p.as_str());
    }
    if let Some((key, id)) = f.after {
        q = q.bind(key).bind(id);
    }
    let rows = q.bind(f.limit).bind(f.offset).fetch_all(e).await?;
    rows.iter()
        .map(|r| {
            Ok(ListedOrder {
                order: from_row(r)?,
                resname: r.try_get("resname")?,
                address: r.try_get("address")?,
                receiver_name: r.try_get("receiver_name")?,
                receiver_phone: r.try_get("receiver_phone")?,
            })
        })
        .collect()
}

/// The highest sorting number among a tenant's orders received in `[from, to)`.
pub async fn max_sort_id(tx: &mut Tx, tenant_id: i64, from: i64, to: i64) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT MAX(sort_id) FROM orders WHERE tenant_id = $1 AND receive_begin_at >= $2 AND receive_begin_at < $3",
    )
    .bind(tenant_id)
    .bind(from)
    .bind(to)
    .fetch_one(tx.conn())
    .await?)
}

/// Removes a line.
pub async fn delete_line(tx: &mut Tx, line_id: i64) -> Result<()> {
    sqlx::query("DELETE FROM order_lines WHERE id = $1").bind(line_id).execute(tx.conn()).await?;
    Ok(())
}
