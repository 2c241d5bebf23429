//! Signed webhooks: API apps subscribe a callback URL to event types; every committed event
//! gets one delivery per matching subscription (queued in the event's own transaction), sent by
//! the worker at least once, signed, retried with backoff, and logged attempt by attempt.

pub mod sign;
mod target;
pub mod worker;

use crate::auth::{ensure_tenant, random_token};
use crate::journal::{self, Change};
use crate::{Actor, App, AppError, Result};
use dingdan_store::identities;
use dingdan_store::webhooks::{self, Subscription};
use serde_json::json;

pub use dingdan_store::webhooks::{DeliveryLog, Subscription as SubscriptionRow};
pub use target::check_target;

/// Delivery tunables.
#[derive(Debug, Clone)]
pub struct WebhookSettings {
    /// Deliver at all (the worker runs in `serve`).
    pub enabled: bool,
    /// How often the worker looks for due deliveries.
    pub poll_ms: u64,
    /// Connect and response timeouts.
    pub connect_timeout_ms: u64,
    pub timeout_ms: u64,
    /// Retry for this long after the event, then give up.
    pub max_age_ms: i64,
    /// Pause a subscription after this many failures in a row.
    pub pause_after_failures: i64,
    /// Allow callbacks to loopback, private and link-local addresses (tests, private networks).
    pub allow_private_targets: bool,
    /// How long a worker holds a claimed delivery before another may take it over.
    pub lease_ms: i64,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            enabled: true,
            poll_ms: 250,
            connect_timeout_ms: 3_000,
            timeout_ms: 10_000,
            max_age_ms: 72 * 3_600_000,
            pause_after_failures: 100,
            allow_private_targets: false,
            lease_ms: 60_000,
        }
    }
}

/// A created subscription with its secret, shown once.
#[derive(Debug, Clone, serde::Serialize)]
pub struct NewSubscription {
    pub id: i64,
    pub secret: String,
}

/// Subscribes an API app's callback URL to event types (`None`: every type).
pub async fn subscribe(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    access_id: &str,
    url: &str,
    event_types: Option<Vec<String>>,
) -> Result<NewSubscription> {
    ensure_tenant(actor, tenant_id)?;
    let api_app = identities::app_by_access_id(app.db.reader(), access_id)
        .await?
        .filter(|a| a.tenant_id == tenant_id)
        .ok_or(AppError::not_found("api app"))?;
    check_target(url, app.settings.webhooks.allow_private_targets).await?;
    let types = match event_types {
        None => "*".to_string(),
        Some(list) if list.is_empty() => {
            return Err(AppError::invalid("event_types", "give at least one type, or none for all"))
        }
        Some(list) => {
            if list
                .iter()
                .any(|t| t.is_empty() || !t.bytes().all(|b| b.is_ascii_lowercase() || b == b'_' || b.is_ascii_digit()))
            {
                return Err(AppError::invalid("event_types", "types are snake_case names such as order_sorting"));
            }
            serde_json::to_string(&list).unwrap_or_else(|_| "[]".into())
        }
    };
    let secret = random_token(40);
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let sub = Subscription {
        id: 0,
        tenant_id,
        api_app_id: api_app.id,
        url: url.trim().to_string(),
        event_types: types,
        secret: secret.clone(),
        previous_secret: None,
        previous_secret_until: None,
        paused_at: None,
        pause_reason: None,
        consecutive_failures: 0,
        created_at: now,
    };
    let id = webhooks::insert_subscription(&mut tx, &sub).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "subscription",
            entity_id: id,
            action: "create",
            from: None,
            to: None,
            detail: Some(json!({ "url": sub.url, "event_types": sub.event_types })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(NewSubscription { id, secret })
}

async fn own(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<Subscription> {
    ensure_tenant(actor, tenant_id)?;
    webhooks::subscription(app.db.reader(), id)
        .await?
        .filter(|s| s.tenant_id == tenant_id)
        .ok_or(AppError::not_found("subscription"))
}

pub async fn list(app: &App, actor: &Actor, tenant_id: i64) -> Result<Vec<Subscription>> {
    ensure_tenant(actor, tenant_id)?;
    Ok(webhooks::subscriptions(app.db.reader(), tenant_id).await?)
}

/// A new secret; the old one keeps signing alongside for `overlap_ms`.
pub async fn rotate_secret(app: &App, actor: &Actor, tenant_id: i64, id: i64, overlap_ms: i64) -> Result<String> {
    own(app, actor, tenant_id, id).await?;
    if !(0..=30 * 86_400_000).contains(&overlap_ms) {
        return Err(AppError::invalid("overlap_secs", "must be between 0 and 30 days"));
    }
    let secret = random_token(40);
    let now = app.now();
    let mut tx = app.db.begin().await?;
    webhooks::rotate_secret(&mut tx, id, &secret, now + overlap_ms).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "subscription",
            entity_id: id,
            action: "rotate_secret",
            from: None,
            to: None,
            detail: Some(json!({ "overlap_ms": overlap_ms })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(secret)
}

/// Resumes a paused subscription; its queued deliveries go out again.
pub async fn resume(app: &App, actor: &Actor, tenant_id: i64, id: i64) -> Result<()> {
    own(app, actor, tenant_id, id).await?;
    webhooks::set_paused(app.db.writer(), id, None, None).await?;
    Ok(())
}

/// The newest deliveries of a subscription with every attempt.
pub async fn deliveries(app: &App, actor: &Actor, tenant_id: i64, id: i64, limit: i64) -> Result<Vec<DeliveryLog>> {
    own(app, actor, tenant_id, id).await?;
    Ok(webhooks::delivery_log(app.db.reader(), id, limit.clamp(1, 500)).await?)
}

/// Queues events again for a subscription: one event, or a time range `[from, to)`.
pub async fn replay(
    app: &App,
    actor: &Actor,
    tenant_id: i64,
    id: i64,
    event_id: Option<i64>,
    range: (i64, i64),
) -> Result<u64> {
    let sub = own(app, actor, tenant_id, id).await?;
    let now = app.now();
    let mut tx = app.db.begin().await?;
    let n = webhooks::replay(&mut tx, &sub, event_id, range.0, range.1, now).await?;
    journal::audit(
        &mut tx,
        actor,
        Some(tenant_id),
        now,
        Change {
            entity: "subscription",
            entity_id: id,
            action: "replay",
            from: None,
            to: None,
            detail: Some(json!({ "event_id": event_id, "from": range.0, "to": range.1, "queued": n })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(n)
}

/// The calling API app's own subscriptions, so it can see whether and why one is paused.
pub async fn list_own(app: &App, actor: &Actor) -> Result<Vec<Subscription>> {
    if actor.role != crate::Role::ApiApp {
        return Err(AppError::Forbidden("an API app token is required".into()));
    }
    let tenant_id = actor.tenant_id.ok_or(AppError::Forbidden("no tenant".into()))?;
    let all = webhooks::subscriptions(app.db.reader(), tenant_id).await?;
    Ok(all.into_iter().filter(|s| s.api_app_id == actor.id).collect())
}
