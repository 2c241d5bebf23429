use crate::{App, AppError, Result};
use dingdan_store::rate;

/// A limit: at most `max` events of one bucket within `window_ms`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i64,
    pub window_ms: i64,
}

/// Fails with [`AppError::RateLimited`] when `bucket` has reached its limit.
pub async fn check(app: &App, bucket: &str, limit: Limit) -> Result<()> {
    let since = app.now() - limit.window_ms;
    if rate::count(app.db.reader(), bucket, since).await? >= limit.max {
        return Err(AppError::RateLimited);
    }
    Ok(())
}

/// Counts one event of `bucket` (a failure, usually). Old events are pruned now and then.
pub async fn hit(app: &App, bucket: &str) -> Result<()> {
    let now = app.now();
    rate::record(app.db.writer(), bucket, now).await?;
    if rand::random::<u8>() == 0 {
        rate::prune(app.db.writer(), now - 2 * 86_400_000).await?;
    }
    Ok(())
}
