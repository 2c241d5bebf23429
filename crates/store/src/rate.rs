//! Events counted by rate limits, shared by every server replica through the database.

use crate::Result;
use sqlx::{Any, Executor};

/// How many events of `bucket` happened at or after `since`.
pub async fn count<'c, E: Executor<'c, Database = Any>>(e: E, bucket: &str, since: i64) -> Result<i64> {
    Ok(sqlx::query_scalar("SELECT COUNT(*) FROM rate_events WHERE bucket = $1 AND at >= $2")
        .bind(bucket)
        .bind(since)
        .fetch_one(e)
        .await?)
}

/// Records one event.
pub async fn record<'c, E: Executor<'c, Database = Any>>(e: E, bucket: &str, at: i64) -> Result<()> {
    sqlx::query("INSERT INTO rate_events (bucket, at) VALUES ($1, $2)").bind(bucket).bind(at).execute(e).await?;
    Ok(())
}

/// Forgets events older than `before`.
pub async fn prune<'c, E: Executor<'c, Database = Any>>(e: E, before: i64) -> Result<u64> {
    Ok(sqlx::query("DELETE FROM rate_events WHERE at < $1").bind(before).execute(e).await?.rows_affected())
}
