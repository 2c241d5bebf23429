use crate::auth::ensure_tenant;
use crate::{Actor, App, AppError, Result};
use chrono::NaiveDate;
use dingdan_core::order::{Channel, Fulfillment, Payment};
use dingdan_core::time;
use dingdan_store::customers::{self, Customer};
use dingdan_store::orders::{self, Line, ListFilter, ListedOrder, Order, Sort, TimeField};

/// An order with everything a dialect shows of it.
#[derive(Debug, Clone)]
pub struct OrderView {
    pub order: Order,
    pub lines: Vec<Line>,
    pub customer: Option<Customer>,
    pub tz: dingdan_core::time::Tz,
}

/// Reads one B2B order of the actor's tenant. An order of another tenant is "not found".
pub async fn get_order(app: &App, actor: &Actor, tenant_id: i64, order_id: i64) -> Result<OrderView> {
    ensure_tenant(actor, tenant_id)?;
    let db = app.db.reader();
    let order = orders::get(db, tenant_id, order_id)
        .await?
        .filter(|o| o.channel == Channel::B2b)
        .ok_or(AppError::not_found("order"))?;
    let lines = orders::lines(db, order.id).await?;
    let customer = match order.customer_id {
        Some(id) => customers::get(db, tenant_id, id).await?,
        None => None,
    };
    let tz = crate::tenant_tz(app, tenant_id).await?;
    Ok(OrderView { order, lines, customer, tz })
}

/// A list request in business terms; the dialect has already parsed its wire format.
#[derive(Debug, Clone)]
pub struct ListQuery {
    /// Keyset position: only rows after this (sort key, id) in the list's order.
    pub after: Option<(i64, i64)>,
    pub time_field: TimeField,
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// At most this many days in the range (the openapi dialect's 7), or no limit.
    pub max_days: Option<i64>,
    pub fulfillment: Option<Fulfillment>,
    pub paid: Option<bool>,
    pub payment: Option<Payment>,
    pub sort: Sort,
    pub offset: i64,
    pub limit: i64,
}

/// Lists the tenant's B2B orders in a date range.
pub async fn list_orders(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    q: &ListQuery,
) -> Result<(Vec<ListedOrder>, dingdan_core::time::Tz)> {
    ensure_tenant(actor, tenant_id)?;
    if q.last_day < q.first_day {
        return Err(AppError::invalid("end_date", "must not be before start_date"));
    }
    if let Some(max) = q.max_days {
        if time::inclusive_days(q.first_day, q.last_day) > max {
            return Err(AppError::invalid("end_date", format!("the range must not exceed {max} days")));
        }
    }
    if !(1..=1000).contains(&q.limit) {
        return Err(AppError::invalid("limit", "must be between 1 and 1000"));
    }
    if q.offset < 0 {
        return Err(AppError::invalid("offset", "must not be negative"));
    }
    let tz = crate::tenant_tz(app, tenant_id).await?;
    let (from_ms, to_ms) = time::date_range_ms(q.first_day, q.last_day, tz);
    let filter = ListFilter {
        tenant_id,
        channel: Channel::B2b,
        time_field: q.time_field,
        from_ms,
        to_ms,
        fulfillment: q.fulfillment,
        paid: q.paid,
        payment: q.payment,
        sort: q.sort,
        after: q.after,
        offset: q.offset,
        limit: q.limit,
    };
    Ok((orders::list(app.db.reader(), &filter).await?, tz))
}

/// The audit records and outbox events of one order.
pub async fn order_history(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
) -> Result<(Vec<dingdan_store::audit::AuditRecord>, Vec<dingdan_store::audit::OutboxEvent>)> {
    ensure_tenant(actor, tenant_id)?;
    let db = app.db.reader();
    orders::get(db, tenant_id, order_id).await?.ok_or(AppError::not_found("order"))?;
    let audit = dingdan_store::audit::history(db, "order", order_id).await?;
    let events = dingdan_store::audit::events_of(db, "order", order_id).await?;
    Ok((audit, events))
}
