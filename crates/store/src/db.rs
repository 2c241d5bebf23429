use crate::group_commit::{Lease, Writer};
use crate::Result;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{Any, AnyPool, ConnectOptions, Connection, Executor, Transaction};
use std::str::FromStr;
use std::time::Duration;

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Which database engine is behind a [`Db`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Picks the backend from the URL scheme.
    pub fn from_url(url: &str) -> Option<Backend> {
        if url.starts_with("sqlite:") {
            Some(Backend::Sqlite)
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Some(Backend::Postgres)
        } else {
            None
        }
    }
}

/// Pool sizing.
#[derive(Debug, Clone)]
pub struct DbOptions {
    pub max_connections: u32,
    pub acquire_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        DbOptions { max_connections: 16, acquire_timeout: Duration::from_secs(10) }
    }
}

/// The database handle. On SQLite, writes go through one connection owned by a group-commit
/// writer (see [`crate::group_commit`]): SQLite admits one writer at a time anyway, a single
/// writer never meets a lock-upgrade deadlock, and concurrent transactions share one WAL sync.
/// Reads use their own pool and run in parallel thanks to WAL.
#[derive(Clone, Debug)]
pub struct Db {
    backend: Backend,
    read: AnyPool,
    write: AnyPool,
    /// SQLite only.
    writer: Option<Writer>,
}

/// A write transaction. Commit it, or drop it to roll back.
pub struct Tx {
    inner: TxInner,
    backend: Backend,
}

enum TxInner {
    /// PostgreSQL: a transaction of its own on a pooled connection.
    Pool(Transaction<'static, Any>),
    /// SQLite: a savepoint in the writer's current batch.
    Lease(Lease),
}

impl Tx {
    /// The connection to run statements on.
    pub fn conn(&mut self) -> &mut sqlx::AnyConnection {
        match &mut self.inner {
            TxInner::Pool(t) => t,
            TxInner::Lease(l) => l.conn(),
        }
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Commits; returns once the changes are durable.
    pub async fn commit(self) -> Result<()> {
        match self.inner {
            TxInner::Pool(t) => Ok(t.commit().await?),
            TxInner::Lease(l) => l.commit().await,
        }
    }
}

/// Most transactions one SQLite batch (one WAL sync) may hold.
const MAX_BATCH: usize = 128;

impl Db {
    /// Opens the database at `url` (`sqlite://path` or `postgres://...`). The SQLite file is
    /// created when missing. Does not migrate: call [`Db::migrate`].
    pub async fn connect(url: &str, opts: &DbOptions) -> Result<Db> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)
            .ok_or_else(|| crate::StoreError::Corrupt(format!("unsupported database URL scheme: {url}")))?;
        match backend {
            Backend::Sqlite => {
                let url = if url.contains('?') { url.to_string() } else { format!("{url}?mode=rwc") };
                let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
                // WAL is a property of the file: set it once, before the pools open.
                let mut first = sqlx::AnyConnection::connect_with(&options).await?;
                first.execute("PRAGMA journal_mode=WAL").await?;
                first.close().await?;
                let pool = |max: u32| {
                    AnyPoolOptions::new()
                        .max_connections(max)
                        .min_connections(1)
                        // A connection to a local file does not go stale; pinging it before
                        // every use would double the hand-offs to its worker thread.
                        .test_before_acquire(false)
                        .acquire_timeout(opts.acquire_timeout)
                        .after_connect(|conn, _| {
                            Box::pin(async move {
                                // Durable commits: FULL syncs the WAL on every commit.
                                conn.execute(
                                    "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=10000;",
                                )
                                .await?;
                                Ok(())
                            })
                        })
                        .connect_with(options.clone())
                };
                let write = pool(1).await?;
                let read = pool(opts.max_connections.clamp(1, 8)).await?;
                let writer = Some(Writer::start(write.clone(), MAX_BATCH, opts.acquire_timeout));
                Ok(Db { backend, read, write, writer })
            }
            Backend::Postgres => {
                let options = AnyConnectOptions::from_str(url)?.disable_statement_logging();
                let pool = AnyPoolOptions::new()
                    .max_connections(opts.max_connections)
                    .acquire_timeout(opts.acquire_timeout)
                    .connect_with(options)
                    .await?;
                Ok(Db { backend, read: pool.clone(), write: pool, writer: None })
            }
        }
    }

    /// Applies the backend's embedded migrations that are not applied yet.
    pub async fn migrate(&self) -> Result<()> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.write).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.write).await?,
        }
        Ok(())
    }

    /// Number of migrations applied so far.
    pub async fn applied_migrations(&self) -> Result<i64> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&self.read).await?;
        Ok(n)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool for reads outside a transaction.
    pub fn reader(&self) -> &AnyPool {
        &self.read
    }

    /// The pool for single-statement writes outside a transaction. Never use it while holding
    /// a [`Tx`]: on SQLite both need the one write connection.
    pub fn writer(&self) -> &AnyPool {
        &self.write
    }

    /// Starts a write transaction.
    pub async fn begin(&self) -> Result<Tx> {
        let inner = match &self.writer {
            Some(w) => TxInner::Lease(w.lease().await?),
            None => TxInner::Pool(self.write.begin().await?),
        };
        Ok(Tx { inner, backend: self.backend })
    }

    /// SQLite's group-commit figures so far (`None` on PostgreSQL).
    pub fn writer_stats(&self) -> Option<(u64, u64)> {
        self.writer.as_ref().map(|w| w.stats.read())
    }

    /// Checks that the database answers.
    pub async fn ping(&self) -> Result<()> {
        sqlx::query("SELECT 1").execute(&self.read).await?;
        Ok(())
    }

    pub async fn close(&self) {
        self.write.close().await;
        self.read.close().await;
    }
}
