use super::{key_status as ks, stock_status as ss};
use crate::auth::{ensure_tenant, random_token};
use crate::b2b::transition;
use crate::journal::{self, Change};
use crate::rate::{self, Limit};
use crate::{Actor, App, AppError, Result, Role};
use dingdan_core::order::{Action, Channel, Fulfillment, Payment};
use dingdan_core::{Fen, Quantity};
use dingdan_store::orders::{self, Line, Order};
use dingdan_store::pickup::{self, Filter, Package};
use dingdan_store::{audit, catalog, stores, tenants, Tx};
use rand::Rng;
use serde_json::json;

/// A package as staff see it: the stored row and its effective key status.
#[derive(Debug, Clone)]
pub struct PackageView {
    pub package: Package,
    /// unused, used, expired or canceled; an unused code past its expiry reads as expired.
    pub key_status: String,
    pub store_name: String,
}

/// A package with its order.
#[derive(Debug, Clone)]
pub struct PackageOrder {
    pub package: PackageView,
    pub order: Order,
    pub lines: Vec<Line>,
}

fn effective(p: &Package, now: i64) -> String {
    if p.key_status == ks::UNUSED && p.expires_at <= now {
        ks::EXPIRED.to_string()
    } else {
        p.key_status.clone()
    }
}

async fn view(app: &App, p: Package) -> Result<PackageView> {
    let store_name = crate::store_name(app, p.store_id).await?;
    Ok(PackageView { key_status: effective(&p, app.now()), package: p, store_name })
}

fn store_of(actor: &Actor) -> Result<(i64, i64)> {
    match (actor.tenant_id, actor.store_id) {
        (Some(t), Some(s)) if matches!(actor.role, Role::Staff | Role::Manager) => Ok((t, s)),
        _ => Err(AppError::Forbidden("a store staff token is required".into())),
    }
}

/// A code is six digits.
fn parse_key(key: &str) -> Result<String> {
    let key = key.trim();
    if key.len() == 6 && key.bytes().all(|b| b.is_ascii_digit()) {
        Ok(key.to_string())
    } else {
        Err(AppError::invalid("key", "a pickup code is six digits"))
    }
}

/// What to put in a new package.
#[derive(Debug, Clone)]
pub struct NewPackage {
    pub tenant_id: i64,
    pub store_id: i64,
    /// (SKU, quantity) lines of the order.
    pub lines: Vec<(i64, Quantity)>,
    pub remark: Option<String>,
}

/// Creates a paid order to be collected at a store and its package with a fresh code. Until
/// the mall dialect places such orders, this is how packages come to be (admin API, demo).
pub async fn create_package(app: &App, actor: &Actor, cmd: &NewPackage) -> Result<PackageView> {
    ensure_tenant(actor, cmd.tenant_id)?;
    if !matches!(actor.role, Role::Admin | Role::System) {
        return Err(AppError::Forbidden("admin only".into()));
    }
    if cmd.lines.is_empty() {
        return Err(AppError::invalid("lines", "a package needs at least one line"));
    }
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let store = stores::get(tx.conn(), cmd.store_id)
        .await?
        .filter(|s| s.tenant_id == cmd.tenant_id)
        .ok_or(AppError::not_found("store"))?;
    let mut lines = Vec::new();
    for (sku_id, quantity) in &cmd.lines {
        let sku = catalog::sku_for_order(tx.conn(), cmd.tenant_id, *sku_id)
            .await?
            .filter(|s| s.on_sale)
            .ok_or(AppError::not_found("sku"))?;
        if lines.iter().any(|l: &Line| l.sku_id == sku.id) {
            return Err(AppError::invalid("lines", "a SKU appears twice"));
        }
        lines.push(crate::b2b::line_from_sku(sku, *quantity, None, String::new(), now));
    }
    let mut order = Order::placed(cmd.tenant_id, Channel::B2c, now);
    order.store_id = Some(store.id);
    order.remark = cmd.remark.clone();
    crate::b2b::refresh_totals(&mut order, &lines);
    order.origin_total = order.ordered_total;
    order.id = orders::insert(&mut tx, &order).await?;
    for line in &mut lines {
        line.order_id = order.id;
        line.id = orders::insert_line(&mut tx, line).await?;
    }
    journal::audit_at_store(
        &mut tx,
        actor,
        Some(cmd.tenant_id),
        Some(store.id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action: "create",
            from: None,
            to: Some(Fulfillment::Pending.as_str()),
            detail: Some(json!({ "channel": "b2c", "delivery": "self_pick", "total_pay": order.total_pay })),
        },
    )
    .await?;
    // Paid in full at the counter or online before it waits for collection.
    order.paid = order.total_pay;
    order.payment = Payment::from_amounts(order.total_pay, order.paid, 0);
    orders::update(&mut tx, &order).await?;
    journal::audit_at_store(
        &mut tx,
        actor,
        Some(cmd.tenant_id),
        Some(store.id),
        now,
        Change {
            entity: "order",
            entity_id: order.id,
            action: "pay",
            from: Some(Payment::Unpaid.as_str()),
            to: Some(order.payment.as_str()),
            detail: Some(json!({ "amount": Fen(order.paid).0 })),
        },
    )
    .await?;
    journal::emit(&mut tx, Some(cmd.tenant_id), now, "order_paid", "order", order.id, json!({ "order_id": order.id }))
        .await?;
    transition(&mut tx, actor, &mut order, Action::MarkReadyForPickup, now).await?;

    let key = fresh_key(&mut tx, store.id).await?;
    let mut package = Package {
        id: 0,
        tenant_id: cmd.tenant_id,
        store_id: store.id,
        order_id: order.id,
        order_token: random_token(32),
        key,
        key_status: ks::UNUSED.into(),
        stock_status: ss::UNPREPARE.into(),
        expires_at: now + app.settings.pickup.code_ttl_ms,
        used_at: None,
        used_by: None,
        created_at: now,
        updated_at: now,
    };
    package.id = pickup::insert(&mut tx, &package).await?;
    journal::audit_at_store(
        &mut tx,
        actor,
        Some(cmd.tenant_id),
        Some(store.id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: package.id,
            action: "create_package",
            from: None,
            to: Some(ks::UNUSED),
            detail: Some(json!({ "order_id": order.id })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(cmd.tenant_id),
        now,
        "pickup_package_create",
        "pickup_package",
        package.id,
        json!({ "package_id": package.id, "order_id": order.id }),
    )
    .await?;
    tx.commit().await?;
    Ok(PackageView { key_status: ks::UNUSED.into(), package, store_name: store.name })
}

/// Six random digits not held by another live package of the store.
async fn fresh_key(tx: &mut Tx, store_id: i64) -> Result<String> {
    for _ in 0..64 {
        let key = format!("{:06}", rand::thread_rng().gen_range(0..1_000_000));
        if !pickup::key_taken(tx, store_id, &key).await? {
            return Ok(key);
        }
    }
    Err(AppError::Internal("no free pickup code at this store".into()))
}

/// The packages of the staff member's store, filtered.
pub async fn list_packages(app: &App, actor: &Actor, filter: &Filter) -> Result<(Vec<PackageView>, i64)> {
    let (_, store_id) = store_of(actor)?;
    let (rows, total) = pickup::list(app.db.reader(), store_id, app.now(), filter).await?;
    let store_name = stores::get(app.db.reader(), store_id).await?.map(|s| s.name).unwrap_or_default();
    let now = app.now();
    let views = rows
        .into_iter()
        .map(|p| PackageView { key_status: effective(&p, now), package: p, store_name: store_name.clone() })
        .collect();
    Ok((views, total))
}

/// One package of the staff member's store; another store's package does not exist for them.
pub async fn get_package(app: &App, actor: &Actor, id: i64) -> Result<PackageView> {
    let (_, store_id) = store_of(actor)?;
    let p = pickup::get(app.db.reader(), id)
        .await?
        .filter(|p| p.store_id == store_id)
        .ok_or(AppError::not_found("pickup package"))?;
    view(app, p).await
}

async fn with_order(app: &App, package: PackageView) -> Result<PackageOrder> {
    let db = app.db.reader();
    let order = orders::get(db, package.package.tenant_id, package.package.order_id)
        .await?
        .ok_or(AppError::not_found("order"))?;
    let lines = orders::lines(db, order.id).await?;
    Ok(PackageOrder { package, order, lines })
}

/// A package of the staff member's store with its order.
pub async fn package_order(app: &App, actor: &Actor, id: i64) -> Result<PackageOrder> {
    let p = get_package(app, actor, id).await?;
    with_order(app, p).await
}

/// Records a refused attempt in the store's history (its own transaction: the attempt's was
/// rolled back) and, for unknown codes, counts it against the staff member's guessing limit.
async fn record_failure(
    app: &App,
    actor: &Actor,
    action: &str,
    key: &str,
    package: Option<&Package>,
    reason: &str,
) -> Result<()> {
    let now = app.now();
    let (tenant_id, _) = store_of(actor)?;
    let mut tx = app.db.begin().await?;
    let status = package.map(|p| effective(p, now));
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: package.map(|p| p.id).unwrap_or(0),
            action,
            from: status.as_deref(),
            to: status.as_deref(),
            detail: Some(json!({ "key": key, "reason": reason })),
        },
    )
    .await?;
    tx.commit().await?;
    if package.is_none() {
        rate::hit(app, &guess_bucket(actor)).await?;
    }
    Ok(())
}

fn guess_bucket(actor: &Actor) -> String {
    format!("pickup_guess:staff:{}", actor.id)
}

async fn guard_guessing(app: &App, actor: &Actor) -> Result<()> {
    let s = &app.settings.pickup;
    rate::check(app, &guess_bucket(actor), Limit { max: s.guess_failures, window_ms: s.guess_window_ms }).await
}

/// The staff member's package holding `key`, locked in a new transaction, once the code's
/// format and the guessing limit are checked. An unknown code is recorded as `failed` in the
/// store's history and counts against the guessing limit.
async fn locate(app: &App, actor: &Actor, key: &str, failed: &str) -> Result<(String, Tx, Package)> {
    let (_, store_id) = store_of(actor)?;
    let key = parse_key(key)?;
    guard_guessing(app, actor).await?;
    let mut tx = app.db.begin().await?;
    match pickup::lock_by_key(&mut tx, store_id, &key).await? {
        Some(p) => Ok((key, tx, p)),
        None => {
            drop(tx);
            record_failure(app, actor, failed, &key, None, "no such code at this store").await?;
            Err(AppError::not_found("pickup code"))
        }
    }
}

/// Looks a code up at the staff member's store without changing it.
pub async fn check_code(app: &App, actor: &Actor, key: &str) -> Result<PackageOrder> {
    let (tenant_id, _) = store_of(actor)?;
    let (key, mut tx, p) = locate(app, actor, key, "check_failed").await?;
    let now = app.now();
    let status = effective(&p, now);
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: p.id,
            action: "check",
            from: Some(&status),
            to: Some(&status),
            detail: Some(json!({ "key": key })),
        },
    )
    .await?;
    tx.commit().await?;
    let v = view(app, p).await?;
    with_order(app, v).await
}

/// Why a code cannot be consumed now, if it cannot.
fn consume_refusal(p: &Package, status: &str, require_prepared: bool) -> Option<&'static str> {
    match status {
        ks::USED => Some("pickup code already used"),
        ks::EXPIRED => Some("pickup code has expired"),
        ks::CANCELED => Some("pickup code was cancelled"),
        _ if require_prepared && p.stock_status == ss::UNPREPARE => Some("stock is not prepared yet"),
        _ => None,
    }
}

/// Hands a package over: the code goes from unused to used exactly once, and the order is
/// completed through the state machine, in one transaction.
pub async fn consume_code(app: &App, actor: &Actor, key: &str) -> Result<PackageView> {
    let (tenant_id, _) = store_of(actor)?;
    let (key, mut tx, mut p) = locate(app, actor, key, "consume_failed").await?;
    let now = app.now();
    let status = effective(&p, now);
    if let Some(reason) = consume_refusal(&p, &status, app.settings.pickup.require_prepared) {
        drop(tx);
        record_failure(app, actor, "consume_failed", &key, Some(&p), reason).await?;
        return Err(AppError::Conflict(reason.into()));
    }
    let mut order = orders::lock(&mut tx, tenant_id, p.order_id).await?.ok_or(AppError::not_found("order"))?;
    transition(&mut tx, actor, &mut order, Action::Complete, now).await?;
    p.key_status = ks::USED.into();
    p.used_at = Some(now);
    p.used_by = Some(actor.id);
    p.updated_at = now;
    pickup::update(&mut tx, &p).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: p.id,
            action: "consume",
            from: Some(ks::UNUSED),
            to: Some(ks::USED),
            detail: Some(json!({ "key": key, "order_id": p.order_id })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "pickup_code_consumed",
        "pickup_package",
        p.id,
        json!({ "package_id": p.id, "order_id": p.order_id }),
    )
    .await?;
    tx.commit().await?;
    view(app, p).await
}

/// Reverses a consumption at the same store within the rollback window; the order goes back
/// to waiting for pickup. The reason is kept in the history.
pub async fn rollback_code(app: &App, actor: &Actor, key: &str, reason: Option<&str>) -> Result<PackageView> {
    let (tenant_id, _) = store_of(actor)?;
    let (key, mut tx, mut p) = locate(app, actor, key, "rollback_failed").await?;
    let now = app.now();
    let refusal = match (effective(&p, now).as_str(), p.used_at) {
        (ks::USED, Some(at)) if now - at > app.settings.pickup.rollback_window_ms => {
            Some("the rollback window of this code has passed")
        }
        (ks::USED, _) => None,
        _ => Some("only a used code can be rolled back"),
    };
    if let Some(why) = refusal {
        drop(tx);
        record_failure(app, actor, "rollback_failed", &key, Some(&p), why).await?;
        return Err(AppError::Conflict(why.into()));
    }
    let mut order = orders::lock(&mut tx, tenant_id, p.order_id).await?.ok_or(AppError::not_found("order"))?;
    transition(&mut tx, actor, &mut order, Action::UndoPickUp, now).await?;
    let used_by = p.used_by;
    p.key_status = ks::UNUSED.into();
    p.used_at = None;
    p.used_by = None;
    p.updated_at = now;
    pickup::update(&mut tx, &p).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: p.id,
            action: "rollback",
            from: Some(ks::USED),
            to: Some(ks::UNUSED),
            detail: Some(json!({ "key": key, "reason": reason.unwrap_or(""), "consumed_by": used_by })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "pickup_code_rolled_back",
        "pickup_package",
        p.id,
        json!({ "package_id": p.id, "order_id": p.order_id }),
    )
    .await?;
    tx.commit().await?;
    view(app, p).await
}

/// Marks a package's stock as prepared.
pub async fn prepare_stock(app: &App, actor: &Actor, id: i64) -> Result<PackageView> {
    let (tenant_id, store_id) = store_of(actor)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut p = pickup::lock(&mut tx, id)
        .await?
        .filter(|p| p.store_id == store_id)
        .ok_or(AppError::not_found("pickup package"))?;
    if p.stock_status == ss::PREPARED {
        return Err(AppError::Conflict("stock is already prepared".into()));
    }
    if effective(&p, now) != ks::UNUSED {
        return Err(AppError::Conflict(format!("the code is {}: nothing to prepare", effective(&p, now))));
    }
    p.stock_status = ss::PREPARED.into();
    p.updated_at = now;
    pickup::update(&mut tx, &p).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: p.id,
            action: "stock_prepare",
            from: Some(ss::UNPREPARE),
            to: Some(ss::PREPARED),
            detail: None,
        },
    )
    .await?;
    tx.commit().await?;
    view(app, p).await
}

/// Cancels a package whose code is unused: the code dies and the order is cancelled and
/// refunded. (Admin API; later also the mall's cancel and refund flows.)
pub async fn cancel_package(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<PackageView> {
    ensure_tenant(actor, tenant_id)?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let mut p = pickup::lock(&mut tx, id)
        .await?
        .filter(|p| p.tenant_id == tenant_id)
        .ok_or(AppError::not_found("pickup package"))?;
    let before = effective(&p, now);
    if !matches!(before.as_str(), ks::UNUSED | ks::EXPIRED) {
        return Err(AppError::Conflict(format!("a {before} code cannot be cancelled")));
    }
    let mut order = orders::lock(&mut tx, tenant_id, p.order_id).await?.ok_or(AppError::not_found("order"))?;
    transition(&mut tx, actor, &mut order, Action::Cancel, now).await?;
    order.refunded = order.paid;
    order.payment = Payment::from_amounts(order.total_pay, order.paid, order.refunded);
    orders::update(&mut tx, &order).await?;
    p.key_status = ks::CANCELED.into();
    p.updated_at = now;
    pickup::update(&mut tx, &p).await?;
    journal::audit_at_store(
        &mut tx,
        actor,
        Some(tenant_id),
        Some(p.store_id),
        now,
        Change {
            entity: "pickup_package",
            entity_id: p.id,
            action: "cancel",
            from: Some(&before),
            to: Some(ks::CANCELED),
            detail: Some(json!({ "order_id": p.order_id, "refunded": order.refunded })),
        },
    )
    .await?;
    journal::emit(
        &mut tx,
        Some(tenant_id),
        now,
        "pickup_code_cancelled",
        "pickup_package",
        p.id,
        json!({ "package_id": p.id, "order_id": p.order_id }),
    )
    .await?;
    tx.commit().await?;
    view(app, p).await
}

/// A customer's view of their own package, by the order token and the merchant's domain.
pub async fn customer_fetch(app: &App, order_token: &str, shop: &str) -> Result<PackageOrder> {
    let token = order_token.trim();
    if token.is_empty() || token.len() > 128 {
        return Err(AppError::invalid("order_token", "is required"));
    }
    let tenant =
        tenants::by_domain(app.db.reader(), &shop.trim().to_lowercase()).await?.ok_or(AppError::not_found("shop"))?;
    let p = pickup::by_order_token(app.db.reader(), token)
        .await?
        .filter(|p| p.tenant_id == tenant.id)
        .ok_or(AppError::not_found("pickup package"))?;
    let v = view(app, p).await?;
    with_order(app, v).await
}

/// The store's action history, newest first.
pub async fn action_history(
    app: &App,
    actor: &Actor,
    offset: i64,
    limit: i64,
) -> Result<(Vec<audit::AuditRecord>, i64)> {
    let (tenant_id, store_id) = store_of(actor)?;
    if !(1..=200).contains(&limit) || offset < 0 {
        return Err(AppError::invalid("limit", "must be between 1 and 200, with a non-negative offset"));
    }
    Ok(audit::store_history(app.db.reader(), tenant_id, store_id, offset, limit).await?)
}
