//! The audit trail and the transactional outbox. Both are written inside the transaction of
//! the change they record, so neither exists for a change that rolled back.

use crate::Result;
use sqlx::{Any, Executor, Row};

/// One audit record: who did what to which entity, and the state before and after.
pub struct AuditEntry<'a> {
    pub tenant_id: Option<i64>,
    /// The store the change happened at, when it belongs to one.
    pub store_id: Option<i64>,
    pub at: i64,
    pub actor_role: &'a str,
    pub actor_id: i64,
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub from_state: Option<&'a str>,
    pub to_state: Option<&'a str>,
    pub detail: Option<String>,
}

pub async fn record<'c, E: Executor<'c, Database = Any>>(e: E, a: &AuditEntry<'_>) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (tenant_id, at, actor_role, actor_id, entity, entity_id, action, from_state, to_state, detail,
                                store_id)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
    )
    .bind(a.tenant_id)
    .bind(a.at)
    .bind(a.actor_role)
    .bind(a.actor_id)
    .bind(a.entity)
    .bind(a.entity_id)
    .bind(a.action)
    .bind(a.from_state)
    .bind(a.to_state)
    .bind(a.detail.as_deref())
    .bind(a.store_id)
    .execute(e)
    .await?;
    Ok(())
}

/// An event waiting to be published.
pub struct Event<'a> {
    pub tenant_id: Option<i64>,
    pub at: i64,
    pub event_type: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    pub payload: String,
}

/// Writes an event. The database queues one delivery for each of the tenant's subscriptions that
/// wants its type, paused ones too (they get it when resumed): the `outbox_fan_out` trigger of
/// migration 0010. Returns the event's id.
pub async fn emit(tx: &mut crate::Tx, ev: &Event<'_>) -> Result<i64> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO outbox (tenant_id, at, event_type, entity, entity_id, payload) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id",
    )
    .bind(ev.tenant_id)
    .bind(ev.at)
    .bind(ev.event_type)
    .bind(ev.entity)
    .bind(ev.entity_id)
    .bind(&ev.payload)
    .fetch_one(tx.conn())
    .await?;
    Ok(id)
}

/// A stored audit record.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditRecord {
    pub id: i64,
    pub at: i64,
    pub actor_role: String,
    pub actor_id: i64,
    pub entity: String,
    pub entity_id: i64,
    pub action: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    pub detail: Option<String>,
}

fn record_from_row(r: &sqlx::any::AnyRow) -> Result<AuditRecord> {
    Ok(AuditRecord {
        id: r.try_get("id")?,
        at: r.try_get("at")?,
        actor_role: r.try_get("actor_role")?,
        actor_id: r.try_get("actor_id")?,
        entity: r.try_get("entity")?,
        entity_id: r.try_get("entity_id")?,
        action: r.try_get("action")?,
        from_state: r.try_get("from_state")?,
        to_state: r.try_get("to_state")?,
        detail: r.try_get("detail")?,
    })
}

/// A store's audit records, newest first, and their total count.
pub async fn store_history<'c, E: Executor<'c, Database = Any> + Copy>(
    e: E,
    tenant_id: i64,
    store_id: i64,
    offset: i64,
    limit: i64,
) -> Result<(Vec<AuditRecord>, i64)> {
    let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE tenant_id = $1 AND store_id = $2")
        .bind(tenant_id)
        .bind(store_id)
        .fetch_one(e)
        .await?;
    let rows = sqlx::query(
        "SELECT id, at, actor_role, actor_id, entity, entity_id, action, from_state, to_state, detail
         FROM audit_log WHERE tenant_id = $1 AND store_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(tenant_id)
    .bind(store_id)
    .bind(limit)
    .bind(offset)
    .fetch_all(e)
    .await?;
    Ok((rows.iter().map(record_from_row).collect::<Result<_>>()?, total))
}

pub async fn history<'c, E: Executor<'c, Database = Any>>(
    e: E,
    entity: &str,
    entity_id: i64,
) -> Result<Vec<AuditRecord>> {
    let rows = sqlx::query(
        "SELECT id, at, actor_role, actor_id, entity, entity_id, action, from_state, to_state, detail
         FROM audit_log WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(e)
    .await?;
    rows.iter().map(record_from_row).collect()
}

/// A stored outbox event.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OutboxEvent {
    pub id: i64,
    pub tenant_id: Option<i64>,
    pub at: i64,
    pub event_type: String,
    pub entity: String,
    pub entity_id: i64,
    pub payload: String,
}

pub async fn events_of<'c, E: Executor<'c, Database = Any>>(
    e: E,
    entity: &str,
    entity_id: i64,
) -> Result<Vec<OutboxEvent>> {
    let rows = sqlx::query(
        "SELECT id, tenant_id, at, event_type, entity, entity_id, payload FROM outbox WHERE entity = $1 AND entity_id = $2 ORDER BY id",
    )
    .bind(entity)
    .bind(entity_id)
    .fetch_all(e)
    .await?;
    rows.iter()
        .map(|r| {
            Ok(OutboxEvent {
                id: r.try_get("id")?,
                tenant_id: r.try_get("tenant_id")?,
                at: r.try_get("at")?,
                event_type: r.try_get("event_type")?,
                entity: r.try_get("entity")?,
                entity_id: r.try_get("entity_id")?,
                payload: r.try_get("payload")?,
            })
        })
        .collect()
}
