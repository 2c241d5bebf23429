//! Webhook subscriptions, deliveries and attempts.

use crate::{Backend, Db, Result, Tx};
use sqlx::{any::AnyRow, Any, Executor, Row};

#[derive(Debug, Clone, serde::Serialize)]
pub struct Subscription {
    pub id: i64,
    pub tenant_id: i64,
    pub api_app_id: i64,
    pub url: String,
    pub event_types: String,
    #[serde(skip)]
    pub secret: String,
    #[serde(skip)]
    pub previous_secret: Option<String>,
    pub previous_secret_until: Option<i64>,
    pub paused_at: Option<i64>,
    pub pause_reason: Option<String>,
    pub consecutive_failures: i64,
    pub created_at: i64,
}

const SUB_COLUMNS: &str = "id, tenant_id, api_app_id, url, event_types, secret, previous_secret, previous_secret_until,
    paused_at, pause_reason, consecutive_failures, created_at";

fn sub_from_row(r: &AnyRow) -> Result<Subscription> {
    Ok(Subscription {
        id: r.try_get("id")?,
        tenant_id: r.try_get("tenant_id")?,
        api_app_id: r.try_get("api_app_id")?,
        url: r.try_get("url")?,
        event_types: r.try_get("event_types")?,
        secret: r.try_get("secret")?,
        previous_secret: r.try_get("previous_secret")?,
        previous_secret_until: r.try_get("previous_secret_until")?,
        paused_at: r.try_get("paused_at")?,
        pause_reason: r.try_get("pause_reason")?,
        consecutive_failures: r.try_get("consecutive_failures")?,
        created_at: r.try_get("created_at")?,
    })
}

pub async fn insert_subscription(tx: &mut Tx, s: &Subscription) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO subscriptions (tenant_id, api_app_id, url, event_types, secret, created_at)
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(s.tenant_id)
    .bind(s.api_app_id)
    .bind(&s.url)
    .bind(&s.event_types)
    .bind(&s.secret)
    .bind(s.created_at)
    .fetch_one(tx.conn())
    .await?)
}

pub async fn subscription<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<Option<Subscription>> {
    let sql = format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE id = $1");
    sqlx::query(&sql).bind(id).fetch_optional(e).await?.as_ref().map(sub_from_row).transpose()
}

pub async fn subscriptions<'c, E: Executor<'c, Database = Any>>(e: E, tenant_id: i64) -> Result<Vec<Subscription>> {
    let sql = format!("SELECT {SUB_COLUMNS} FROM subscriptions WHERE tenant_id = $1 ORDER BY id");
    sqlx::query(&sql).bind(tenant_id).fetch_all(e).await?.iter().map(sub_from_row).collect()
}

/// Replaces the secret, keeping the old one valid until `until`.
pub async fn rotate_secret(tx: &mut Tx, id: i64, secret: &str, until: i64) -> Result<()> {
    sqlx::query(
        "UPDATE subscriptions SET previous_secret = secret, previous_secret_until = $3, secret = $2 WHERE id = $1",
    )
    .bind(id)
    .bind(secret)
    .bind(until)
    .execute(tx.conn())
    .await?;
    Ok(())
}

/// Pauses (`Some(reason)`) or resumes (`None`) a subscription.
pub async fn set_paused<'c, E: Executor<'c, Database = Any>>(
    e: E,
    id: i64,
    at: Option<i64>,
    reason: Option<&str>,
) -> Result<()> {
    sqlx::query("UPDATE subscriptions SET paused_at = $2, pause_reason = $3, consecutive_failures = 0 WHERE id = $1")
        .bind(id)
        .bind(at)
        .bind(reason)
        .execute(e)
        .await?;
    Ok(())
}

/// Counts a failure in a row; returns the new count.
pub async fn count_failure<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "UPDATE subscriptions SET consecutive_failures = consecutive_failures + 1 WHERE id = $1 RETURNING consecutive_failures",
    )
    .bind(id)
    .fetch_one(e)
    .await?)
}

pub async fn reset_failures<'c, E: Executor<'c, Database = Any>>(e: E, id: i64) -> Result<()> {
    sqlx::query("UPDATE subscriptions SET consecutive_failures = 0 WHERE id = $1").bind(id).execute(e).await?;
    Ok(())
}

/// Leases up to `limit` due deliveries to `owner` until `lease_until`. A delivery waits while
/// an earlier one of the same subscription and entity is still pending, so one order's events
/// arrive in order. Replicas on PostgreSQL skip each other's locked rows.
pub async fn claim(db: &Db, owner: &str, now: i64, lease_until: i64, limit: i64) -> Result<Vec<i64>> {
    let lock = if db.backend() == Backend::Postgres { " FOR UPDATE OF d SKIP LOCKED" } else { "" };
    let sql = format!(
        "UPDATE deliveries SET lease_until = $2, lease_owner = $3 WHERE id IN (
            SELECT d.id FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id
            WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1)
              AND s.paused_at IS NULL
              AND NOT EXISTS (SELECT 1 FROM deliveries e WHERE e.subscription_id = d.subscription_id
                              AND e.entity = d.entity AND e.entity_id = d.entity_id AND e.id < d.id AND e.status = 'pending')
            ORDER BY d.id LIMIT $4{lock})
         RETURNING id"
    );
    let mut ids: Vec<i64> =
        sqlx::query_scalar(&sql).bind(now).bind(lease_until).bind(owner).bind(limit).fetch_all(db.writer()).await?;
    ids.sort_unstable();
    Ok(ids)
}

/// What a worker needs to send one delivery.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub delivery_id: i64,
    pub attempts: i64,
    pub created_at: i64,
    pub lease_owner: Option<String>,
    pub subscription: Subscription,
    pub access_id: String,
    pub event_id: i64,
    pub event_type: String,
    pub event_at: i64,
    pub payload: String,
}

pub async fn outgoing<'c, E: Executor<'c, Database = Any> + Copy>(e: E, delivery_id: i64) -> Result<Option<Outgoing>> {
    let Some(r) = sqlx::query(
        "SELECT d.id, d.attempts, d.created_at, d.lease_owner, d.subscription_id, a.access_id, o.id AS event_id,
                o.event_type, o.at, o.payload
         FROM deliveries d JOIN subscriptions s ON s.id = d.subscription_id JOIN api_apps a ON a.id = s.api_app_id
         JOIN outbox o ON o.id = d.event_id WHERE d.id = $1",
    )
    .bind(delivery_id)
    .fetch_optional(e)
    .await?
    else {
        return Ok(None);
    };
    let sub_id: i64 = r.try_get("subscription_id")?;
    let Some(subscription) = subscription(e, sub_id).await? else {
        return Ok(None);
    };
    Ok(Some(Outgoing {
        delivery_id: r.try_get("id")?,
        attempts: r.try_get("attempts")?,
        created_at: r.try_get("created_at")?,
        lease_owner: r.try_get("lease_owner")?,
        subscription,
        access_id: r.try_get("access_id")?,
        event_id: r.try_get("event_id")?,
        event_type: r.try_get("event_type")?,
        event_at: r.try_get("at")?,
        payload: r.try_get("payload")?,
    }))
}

/// One attempt's outcome.
pub struct Attempt<'a> {
    pub delivery_id: i64,
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<&'a str>,
    pub response_excerpt: &'a str,
}

/// Records an attempt and moves the delivery: delivered, retry at `next`, or dead.
pub async fn finish_attempt<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    a: &Attempt<'_>,
    outcome: &str,
    next_attempt_at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO delivery_attempts (delivery_id, at, status_code, latency_ms, error, response_excerpt)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(a.delivery_id)
    .bind(a.at)
    .bind(a.status_code)
    .bind(a.latency_ms)
    .bind(a.error)
    .bind(a.response_excerpt)
    .execute(e)
    .await?;
    sqlx::query(
        "UPDATE deliveries SET status = $2, attempts = attempts + 1, next_attempt_at = $3, lease_until = NULL,
             lease_owner = NULL, delivered_at = CASE WHEN $2 = 'delivered' THEN $4 ELSE delivered_at END
         WHERE id = $1",
    )
    .bind(a.delivery_id)
    .bind(outcome)
    .bind(next_attempt_at)
    .bind(a.at)
    .execute(e)
    .await?;
    Ok(())
}

/// A delivery with its attempts, for the admin API.
#[derive(Debug, Clone, serde::Serialize)]
pub struct DeliveryLog {
    pub id: i64,
    pub subscription_id: i64,
    pub event_id: i64,
    pub event_type: String,
    pub status: String,
    pub attempts: i64,
    pub next_attempt_at: i64,
    pub created_at: i64,
    pub delivered_at: Option<i64>,
    pub log: Vec<AttemptLog>,
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct AttemptLog {
    pub at: i64,
    pub status_code: Option<i64>,
    pub latency_ms: i64,
    pub error: Option<String>,
    pub response_excerpt: String,
}

pub async fn delivery_log<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    subscription_id: i64,
    limit: i64,
) -> Result<Vec<DeliveryLog>> {
    let rows = sqlx::query(
        "SELECT d.id, d.subscription_id, d.event_id, o.event_type, d.status, d.attempts, d.next_attempt_at, d.created_at,
                d.delivered_at FROM deliveries d JOIN outbox o ON o.id = d.event_id
         WHERE d.subscription_id = $1 ORDER BY d.id DESC LIMIT $2",
    )
    .bind(subscription_id)
    .bind(limit)
    .fetch_all(e)
    .await?;
    let mut out = Vec::with_capacity(rows.len());
    for r in &rows {
        let id: i64 = r.try_get("id")?;
        let log = sqlx::query(
            "SELECT at, status_code, latency_ms, error, response_excerpt FROM delivery_attempts WHERE delivery_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(e)
        .await?
        .iter()
        .map(|a| {
            Ok(AttemptLog {
                at: a.try_get("at")?,
                status_code: a.try_get("status_code")?,
                latency_ms: a.try_get("latency_ms")?,
                error: a.try_get("error")?,
                response_excerpt: a.try_get("response_excerpt")?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
        out.push(DeliveryLog {
            id,
            subscription_id: r.try_get("subscription_id")?,
            event_id: r.try_get("event_id")?,
            event_type: r.try_get("event_type")?,
            status: r.try_get("status")?,
            attempts: r.try_get("attempts")?,
            next_attempt_at: r.try_get("next_attempt_at")?,
            created_at: r.try_get("created_at")?,
            delivered_at: r.try_get("delivered_at")?,
            log,
        });
    }
    Ok(out)
}

/// Queues the subscription's events again: one event, or those of `[from, to)`. Returns how
/// many deliveries were queued.
pub async fn replay(
    tx: &mut Tx,
    sub: &Subscription,
    event_id: Option<i64>,
    from: i64,
    to: i64,
    now: i64,
) -> Result<u64> {
    let done = sqlx::query(
        "INSERT INTO deliveries (tenant_id, subscription_id, event_id, entity, entity_id, status, next_attempt_at, created_at)
         SELECT o.tenant_id, $2, o.id, o.entity, o.entity_id, 'pending', $6, $6 FROM outbox o
         WHERE o.tenant_id = $1 AND ($3 = 0 OR o.id = $3) AND o.at >= $4 AND o.at < $5
           AND ($7 = '*' OR $7 LIKE '%\"' || o.event_type || '\"%')
         ORDER BY o.id",
    )
    .bind(sub.tenant_id)
    .bind(sub.id)
    .bind(event_id.unwrap_or(0))
    .bind(from)
    .bind(to)
    .bind(now)
    .bind(&sub.event_types)
    .execute(tx.conn())
    .await?;
    Ok(done.rows_affected())
}
