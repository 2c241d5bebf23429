use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::order::{Channel, Fulfillment};
use dingdan_core::{ids, Fen, Quantity};
use dingdan_store::orders::{self, Line, Order};
use dingdan_store::{catalog, customers};
use serde_json::json;
use std::collections::HashSet;

/// One line of a new order.
#[derive(Debug, Clone)]
pub struct NewLine {
    pub sku_id: i64,
    pub quantity: Quantity,
    /// Unit price per sale unit; the SKU's price when absent.
    pub unit_price: Option<Fen>,
    pub remark: String,
}

/// A B2B order to place.
#[derive(Debug, Clone)]
pub struct PlaceOrder {
    pub tenant_id: i64,
    pub customer_id: i64,
    pub receive_begin_at: i64,
    pub receive_end_at: i64,
    pub remark: Option<String>,
    pub freight: Fen,
    pub lines: Vec<NewLine>,
    /// When the order was placed; now unless importing history (demo data).
    pub placed_at: Option<i64>,
}

/// Places a B2B order for a customer: every SKU must exist, be on sale and be on one of the
/// customer's price lists. Writes header, lines, audit row and `order_create` event at once.
pub async fn place_order(app: &App, actor: &Actor, cmd: &PlaceOrder) -> Result<i64> {
    ensure_tenant(actor, cmd.tenant_id)?;
    if cmd.lines.is_empty() {
        return Err(AppError::invalid("products", "an order needs at least one line"));
    }
    if cmd.receive_end_at <= cmd.receive_begin_at {
        return Err(AppError::invalid("receive_end_time", "must be after receive_begin_time"));
    }
    let mut seen = HashSet::new();
    for l in &cmd.lines {
        if !seen.insert(l.sku_id) {
            return Err(AppError::invalid("products", format!("{} appears twice", ids::SKU.format(l.sku_id))));
        }
    }
    let now = app.now();
    let placed_at = cmd.placed_at.unwrap_or(now);
    // Everything the order copies or is checked against is read before the write transaction,
    // from the read pool: the one write connection is held only for the inserts. (Reads in
    // a READ COMMITTED transaction would give no stronger guarantee.)
    let db = app.db.reader();
    let customer = customers::get(db, cmd.tenant_id, cmd.customer_id).await?.ok_or(AppError::not_found("customer"))?;
    let wanted: Vec<i64> = cmd.lines.iter().map(|l| l.sku_id).collect();
    let mut found = catalog::orderable_skus(db, cmd.tenant_id, customer.id, &wanted).await?;
    let mut lines = Vec::with_capacity(cmd.lines.len());
    let mut slots = Vec::new();
    for l in &cmd.lines {
        let at = found.iter().position(|f| f.sku.id == l.sku_id && f.sku.on_sale).ok_or(AppError::not_found("sku"))?;
        let f = found.swap_remove(at);
        if !f.listed {
            return Err(AppError::invalid(
                "products",
                format!("{} is not on the customer's price lists", ids::SKU.format(f.sku.id)),
            ));
        }
        slots.push(f.receive_times);
        lines.push(line_from_sku(f.sku, l.quantity, l.unit_price, l.remark.clone(), placed_at));
    }
    check_receive_window(app, cmd, &slots).await?;
    let mut order = Order::placed(cmd.tenant_id, Channel::B2b, placed_at);
    order.customer_id = Some(customer.id);
    order.freight = cmd.freight.0;
    order.remark = cmd.remark.clone();
    order.receive_begin_at = Some(cmd.receive_begin_at);
    order.receive_end_at = Some(cmd.receive_end_at);
    super::refresh_totals(&mut order, &lines);
    order.origin_total = order.ordered_total;
    let mut tx = app.db.begin().await?;
    let id = orders::insert(&mut tx, &order).await?;
    for line in &mut lines {
        line.order_id = id;
    }
    orders::insert_lines(&mut tx, &lines).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(cmd.tenant_id),
        now,
        Change {
            entity: "order",
            entity_id: id,
            action: "create",
            from: None,
            to: Some(Fulfillment::Pending.as_str()),
            detail: Some(json!({ "lines": lines.len(), "ordered_total": order.ordered_total })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(cmd.tenant_id),
        now,
        "order_create",
        "order",
        id,
        json!({ "order_id": ids::ORDER.format(id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// A new line copying the SKU's names and price (unless a price is given).
pub(crate) fn line_from_sku(
    sku: catalog::SkuForOrder,
    quantity: Quantity,
    price: Option<Fen>,
    remark: String,
    now: i64,
) -> Line {
    Line {
        id: 0,
        order_id: 0,
        sku_id: sku.id,
        spu_id: sku.spu_id,
        name: format!("{}|{}", sku.spu_name, sku.sale_unit_name),
        category1_name: sku.category1_name,
        category2_name: sku.category2_name,
        std_unit_name: sku.std_unit_name,
        sale_unit_name: sku.sale_unit_name,
        sale_ratio_milli: sku.sale_ratio_milli,
        quantity_milli: quantity.0,
        real_quantity_milli: None,
        accept_quantity_milli: None,
        purchase_quantity_milli: Some(quantity.0),
        sale_price: price.map(|p| p.0).unwrap_or(sku.sale_price),
        is_weigh: sku.is_weigh,
        remark,
        salemenu_name: sku.salemenu_name,
        supplier_name: sku.supplier_name,
        created_at: now,
    }
}

/// The receive window must lie inside the receive-time slots of every price list the order's
/// SKUs come from (`slots`: each line's list's slots): from the earliest slot to the latest, on the
/// local clock.
async fn check_receive_window(app: &App, cmd: &PlaceOrder, slots: &[String]) -> Result<()> {
    let tz = crate::tenant_tz(app, cmd.tenant_id).await?;
    let (mut first, mut last) = (String::from("00:00"), String::from("23:59"));
    for receive_times in slots {
        let times: Vec<String> = serde_json::from_str(receive_times).unwrap_or_default();
        if let (Some(lo), Some(hi)) = (times.iter().min(), times.iter().max()) {
            first = first.max(lo.clone());
            last = last.min(hi.clone());
        }
    }
    let clock = |ms: i64| dingdan_core::time::format_local(ms, tz, "%H:%M");
    let (begin, end) = (clock(cmd.receive_begin_at), clock(cmd.receive_end_at));
    if first > last || begin < first || begin > last || end < first || end > last {
        return Err(AppError::invalid(
            "receive_begin_time",
            format!("the receive window must lie within the price list's receive times {first}–{last}"),
        ));
    }
    Ok(())
}
