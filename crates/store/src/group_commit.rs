//! Group commit for SQLite: one writer task owns the write connection and runs the write
//! transactions of concurrent requests one after another inside one database transaction,
//! each in its own savepoint, then makes them all durable with a single COMMIT (one WAL sync).
//!
//! A request gets the connection as a [`Lease`] while its savepoint is open. Committing a lease
//! releases the savepoint and waits until the whole batch is durable, so nothing is
//! acknowledged before it is on disk. Dropping a lease (an error, a cancelled request) rolls
//! back its savepoint only; the other requests of the batch are not affected. A batch closes
//! when nobody else is waiting or when it reaches its size limit, so under light load every
//! transaction commits alone and under heavy load the sync cost is shared.

use crate::{Result, StoreError};
use sqlx::pool::PoolConnection;
use sqlx::{Any, AnyPool, Executor};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Why a batch failed, shared by all of its transactions.
type BatchResult = std::result::Result<(), Arc<sqlx::Error>>;

/// A request for the write connection.
struct Wanted {
    reply: oneshot::Sender<Lease>,
}

/// The write connection, lent to one transaction inside the current batch.
pub(crate) struct Lease {
    conn: Option<PoolConnection<Any>>,
    back: Option<oneshot::Sender<Returned>>,
}

/// A lease coming back to the writer.
struct Returned {
    conn: PoolConnection<Any>,
    /// `Some`: release the savepoint and tell this sender when the batch is durable.
    commit: Option<oneshot::Sender<BatchResult>>,
}

impl Lease {
    pub(crate) fn conn(&mut self) -> &mut sqlx::AnyConnection {
        self.conn.as_mut().expect("a lease holds its connection until it ends")
    }

    /// Keeps the changes and waits until the batch holding them is durable.
    pub(crate) async fn commit(mut self) -> Result<()> {
        let (done, durable) = oneshot::channel();
        self.give_back(Some(done));
        match durable.await {
            Ok(Ok(())) => Ok(()),
            Ok(Err(e)) => Err(StoreError::Commit(e.to_string())),
            Err(_) => Err(StoreError::Commit("the writer stopped before the commit".into())),
        }
    }

    fn give_back(&mut self, commit: Option<oneshot::Sender<BatchResult>>) {
        if let (Some(conn), Some(back)) = (self.conn.take(), self.back.take()) {
            let _ = back.send(Returned { conn, commit });
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.give_back(None);
    }
}

/// How the writer has batched so far: durable COMMITs, and the transactions they held.
#[derive(Debug, Default)]
pub struct WriterStats {
    commits: AtomicU64,
    transactions: AtomicU64,
}

impl WriterStats {
    /// (COMMITs that succeeded, transactions committed by them).
    pub fn read(&self) -> (u64, u64) {
        (self.commits.load(Ordering::Relaxed), self.transactions.load(Ordering::Relaxed))
    }
}

/// The handle requests use to reach the writer task.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    queue: mpsc::UnboundedSender<Wanted>,
    wait: Duration,
    pub(crate) stats: Arc<WriterStats>,
}

impl Writer {
    /// Starts the writer task over a one-connection pool.
    pub(crate) fn start(pool: AnyPool, max_batch: usize, wait: Duration) -> Writer {
        let (queue, wanted) = mpsc::unbounded_channel();
        let stats = Arc::new(WriterStats::default());
        tokio::spawn(run(pool, wanted, max_batch.max(1), stats.clone()));
        Writer { queue, wait, stats }
    }

    /// Waits for the write connection (at most the acquire timeout).
    pub(crate) async fn lease(&self) -> Result<Lease> {
        let (reply, lease) = oneshot::channel();
        self.queue.send(Wanted { reply }).map_err(|_| StoreError::Commit("the database writer has stopped".into()))?;
        match tokio::time::timeout(self.wait, lease).await {
            Ok(Ok(lease)) => Ok(lease),
            Ok(Err(_)) => Err(StoreError::Sqlx(sqlx::Error::PoolClosed)),
            Err(_) => Err(StoreError::Sqlx(sqlx::Error::PoolTimedOut)),
        }
    }
}

async fn run(pool: AnyPool, mut wanted: mpsc::UnboundedReceiver<Wanted>, max_batch: usize, stats: Arc<WriterStats>) {
    // A request taken for a batch that then failed opens the next one.
    let mut carried: Option<Wanted> = None;
    loop {
        let first = match carried.take() {
            Some(w) => w,
            None => match wanted.recv().await {
                Some(w) => w,
                None => break,
            },
        };
        if first.reply.is_closed() {
            continue;
        }
        let mut conn = match pool.acquire().await {
            Ok(c) => c,
            Err(e) => {
                tracing::error!(error = %e, "the writer cannot reach the database");
                continue; // dropping `first` tells its requester
            }
        };
        // Statements are paired so that each step costs one round trip to the connection.
        if let Err(e) = conn.execute("BEGIN IMMEDIATE; SAVEPOINT dd_tx").await {
            tracing::error!(error = %e, "cannot begin a write batch");
            let _ = conn.execute("ROLLBACK").await;
            continue;
        }
        let mut durable_waiters = Vec::new();
        let mut failed: Option<sqlx::Error> = None;
        let mut current = first;
        loop {
            let (back, returned) = oneshot::channel();
            // A requester that gave up drops the lease at once, which hands it back.
            let _ = current.reply.send(Lease { conn: Some(conn), back: Some(back) });
            let r = match returned.await {
                Ok(r) => r,
                Err(_) => unreachable!("a lease always comes back: its Drop sends it"),
            };
            conn = r.conn;
            let kept = r.commit.is_some();
            durable_waiters.extend(r.commit);
            let next = if durable_waiters.len() < max_batch { take_live(&mut wanted) } else { None };
            let step = match (kept, next.is_some()) {
                (true, true) => "RELEASE SAVEPOINT dd_tx; SAVEPOINT dd_tx",
                (true, false) => "RELEASE SAVEPOINT dd_tx; COMMIT",
                // ROLLBACK TO keeps the savepoint open for the next transaction.
                (false, true) => "ROLLBACK TO SAVEPOINT dd_tx",
                (false, false) => "ROLLBACK TO SAVEPOINT dd_tx; RELEASE SAVEPOINT dd_tx; COMMIT",
            };
            if let Err(e) = conn.execute(step).await {
                failed = Some(e);
                carried = next;
                break;
            }
            match next {
                Some(w) => current = w,
                None => break,
            }
        }
        let outcome: BatchResult = match failed {
            None => {
                stats.commits.fetch_add(1, Ordering::Relaxed);
                stats.transactions.fetch_add(durable_waiters.len() as u64, Ordering::Relaxed);
                Ok(())
            }
            Some(e) => {
                tracing::error!(error = %e, "a write batch failed; rolling it back");
                let _ = conn.execute("ROLLBACK").await;
                Err(Arc::new(e))
            }
        };
        if outcome.is_err() {
            // The connection's state is unknown: do not hand it to the next batch.
            conn.close_on_drop();
        }
        drop(conn);
        for w in durable_waiters {
            let _ = w.send(outcome.clone());
        }
    }
}

/// The next waiting request whose requester is still there, without waiting.
fn take_live(wanted: &mut mpsc::UnboundedReceiver<Wanted>) -> Option<Wanted> {
    while let Ok(w) = wanted.try_recv() {
        if !w.reply.is_closed() {
            return Some(w);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use crate::{Db, DbOptions};
    use std::sync::Arc;

    /// Concurrent transactions share batches; one that rolls back takes nothing else with it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_rollback_in_a_batch_spares_the_others() {
        let dir = std::env::temp_dir().join(format!("dingdan-gc-{}-{}", std::process::id(), rand_suffix()));
        std::fs::create_dir_all(&dir).unwrap();
        let db = Db::connect(&format!("sqlite://{}/t.db", dir.display()), &DbOptions::default()).await.unwrap();
        sqlx::query("CREATE TABLE t (n BIGINT NOT NULL)").execute(db.writer()).await.unwrap();
        let db = Arc::new(db);
        let mut tasks = Vec::new();
        for n in 0..200i64 {
            let db = db.clone();
            tasks.push(tokio::spawn(async move {
                let mut tx = db.begin().await.unwrap();
                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(tx.conn()).await.unwrap();
                tokio::task::yield_now().await;
                sqlx::query("INSERT INTO t (n) VALUES ($1)").bind(n).execute(tx.conn()).await.unwrap();
                if n % 5 == 0 {
                    return false; // dropped: rolled back
                }
                tx.commit().await.unwrap();
                true
            }));
        }
        let mut committed = 0;
        for t in tasks {
            committed += t.await.unwrap() as i64;
        }
        let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM t").fetch_one(db.reader()).await.unwrap();
        let odd: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM t WHERE n % 5 = 0").fetch_one(db.reader()).await.unwrap();
        assert_eq!(committed, 160);
        assert_eq!(rows, 2 * committed, "each committed transaction wrote both rows");
        assert_eq!(odd, 0, "rolled-back transactions left nothing");
        db.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    fn rand_suffix() -> u128 {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_nanos()
    }
}
