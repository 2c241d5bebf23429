use crate::auth::ensure_tenant;
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_core::ids;
use dingdan_core::order::{Action, Channel, Fulfillment};
use dingdan_core::Quantity;
use dingdan_store::orders::{self, Order};
use dingdan_store::Tx;
use serde_json::json;

/// The event a fulfillment action announces; the station document names the first two.
fn event_of(action: Action) -> &'static str {
    match action {
        Action::StartSorting => "order_sorting",
        Action::Ship => "order_delivering",
        Action::Deliver => "order_signed",
        Action::Delete => "order_delete",
        Action::Confirm => "order_confirmed",
        Action::MarkReadyForPickup => "order_ready_for_pickup",
        Action::ConfirmReceipt => "order_received",
        Action::Complete => "order_completed",
        Action::UndoPickUp => "order_pickup_rolled_back",
        Action::Cancel => "order_cancelled",
    }
}

/// Moves `order` by `action` through the state machine and records it: the header change,
/// the audit row and the event, all in `tx`. Refused moves change nothing.
pub(crate) async fn transition(tx: &mut Tx, actor: &Actor, order: &mut Order, action: Action, now: i64) -> Result<()> {
    let from = order.fulfillment;
    let to = from.apply(action)?;
    order.fulfillment = to;
    order.updated_at = now;
    if to == Fulfillment::Sorting && order.sort_id.is_none() {
        order.sort_id = Some(next_sort_id(tx, order).await?);
    }
    if action == Action::Deliver {
        // Signed: what was delivered is what was weighed (or ordered).
        for mut line in orders::lines(tx.conn(), order.id).await? {
            if line.accept_quantity_milli.is_none() {
                line.accept_quantity_milli = Some(line.real_quantity_milli.unwrap_or(line.quantity_milli));
                orders::update_line(tx, &line).await?;
            }
        }
    }
    orders::update(tx, order).await?;
    if action == Action::Ship && order.channel == Channel::B2b {
        // The goods leave the warehouse: their out-stock sheet waits to be submitted.
        crate::inventory::fill_out_sheet(tx, actor, order, now).await?;
    }
    journal::audit(
        tx,
        actor,
        Some(order.tenant_id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action: action.as_str(),
            from: Some(from.as_str()),
            to: Some(to.as_str()),
            detail: None,
        },
    )
    .await?;
    journal::emit(
        tx,
        Some(order.tenant_id),
        now,
        event_of(action),
        "order",
        order.id,
        json!({ "order_ids": [ids::ORDER.format(order.id)] }),
    )
    .await?;
    Ok(())
}

/// Sorting numbers count up per tenant and receive day.
async fn next_sort_id(tx: &mut Tx, order: &Order) -> Result<i64> {
    let day_start = order.receive_begin_at.unwrap_or(order.created_at);
    let max = orders::max_sort_id(tx, order.tenant_id, day_start - 43_200_000, day_start + 43_200_000).await?;
    Ok(max.unwrap_or(0) + 1)
}

/// Loads a B2B order of the tenant for change.
pub(crate) async fn lock_b2b(tx: &mut Tx, tenant_id: i64, order_id: i64) -> Result<Order> {
    orders::lock(tx, tenant_id, order_id)
        .await?
        .filter(|o| o.channel == Channel::B2b)
        .ok_or(AppError::not_found("order"))
}

/// Moves a B2B order by one fulfillment action (start sorting, ship, sign, delete).
pub async fn move_order(app: &App, actor: &Actor, tenant_id: i64, order_id: i64, action: Action) -> Result<Order> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    transition(&mut tx, actor, &mut order, action, now).await?;
    tx.commit().await?;
    Ok(order)
}

/// Records the weighed quantity of a line during sorting; the order's real price follows.
pub async fn weigh_line(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    order_id: i64,
    sku_id: i64,
    real_quantity: Quantity,
) -> Result<Order> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut order = lock_b2b(&mut tx, tenant_id, order_id).await?;
    order.fulfillment.ensure_lines_editable()?;
    let mut lines = orders::lines(tx.conn(), order.id).await?;
    let line = lines.iter_mut().find(|l| l.sku_id == sku_id).ok_or(AppError::not_found("order line"))?;
    let before = line.real_quantity_milli;
    line.real_quantity_milli = Some(real_quantity.0);
    orders::update_line(&mut tx, line).await?;
    super::refresh_totals(&mut order, &lines);
    order.updated_at = now;
    orders::update(&mut tx, &order).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action: "weigh",
            from: None,
            to: None,
            detail: Some(
                json!({ "sku_id": ids::SKU.format(sku_id), "before_milli": before, "real_milli": real_quantity.0,
                             "real_total": order.real_total }),
            ),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "order_update",
        "order",
        order.id,
        json!({ "order_id": ids::ORDER.format(order.id) }),
    )
    .await?;
    tx.commit().await?;
    Ok(order)
}
