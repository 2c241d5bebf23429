//! Every change writes an audit row and, where something outside may care, an outbox event,
//! inside the transaction of the change.

use crate::{Actor, Result};
use dingdan_store::{audit, Tx};

/// A state change to record.
pub struct Change<'a> {
    pub entity: &'a str,
    pub entity_id: i64,
    pub action: &'a str,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub detail: Option<serde_json::Value>,
}

/// Writes the audit row of `change`, at the actor's store if it has one.
pub async fn audit(tx: &mut Tx, actor: &Actor, tenant_id: Option<i64>, now: i64, change: Change<'_>) -> Result<()> {
    audit_at_store(tx, actor, tenant_id, actor.store_id, now, change).await
}

/// Writes the audit row of `change` made at `store_id`.
pub async fn audit_at_store(
    tx: &mut Tx,
    actor: &Actor,
    tenant_id: Option<i64>,
    store_id: Option<i64>,
    now: i64,
    change: Change<'_>,
) -> Result<()> {
    audit::record(
        tx.conn(),
        &audit::AuditEntry {
            tenant_id,
            store_id,
            at: now,
            actor_role: actor.role.as_str(),
            actor_id: actor.id,
            entity: change.entity,
            entity_id: change.entity_id,
            action: change.action,
            from_state: change.from,
            to_state: change.to,
            detail: change.detail.map(|d| d.to_string()),
        },
    )
    .await?;
    Ok(())
}

/// Writes an outbox event of `event_type` about an entity with its payload fields.
pub async fn emit(
    tx: &mut Tx,
    tenant_id: Option<i64>,
    now: i64,
    event_type: &str,
    entity: &str,
    entity_id: i64,
    payload: serde_json::Value,
) -> Result<()> {
    audit::emit(tx, &audit::Event { tenant_id, at: now, event_type, entity, entity_id, payload: payload.to_string() })
        .await?;
    Ok(())
}

/// The outbox events of one entity of a tenant, oldest first.
pub async fn events_of(
    app: &crate::App,
    actor: &Actor,
    tenant_id: i64,
    entity: &str,
    entity_id: i64,
) -> Result<Vec<audit::OutboxEvent>> {
    crate::auth::ensure_tenant(actor, tenant_id)?;
    let all = audit::events_of(app.db.reader(), entity, entity_id).await?;
    Ok(all.into_iter().filter(|e| e.tenant_id == Some(tenant_id)).collect())
}
