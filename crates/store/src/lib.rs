//! dingdan's storage layer: one schema on SQLite (embedded, the default) and PostgreSQL.
//!
//! Queries are written once in SQL both backends accept (`$1` binds, `RETURNING`,
//! `ON CONFLICT`) and run through sqlx's `Any` driver at runtime, so nothing needs a live
//! database to build. Columns are only BIGINT and TEXT: money in fen, quantities in
//! thousandths, instants in UTC milliseconds, flags as 0/1. Per-backend code lives only where
//! the backends differ (row locks, the SQLite single-writer pool).

pub mod after_sales;
pub mod audit;
pub mod bulk;
pub mod catalog;
pub mod customers;
mod db;
pub mod delivery;
pub mod finance;
mod group_commit;
pub mod identities;
pub mod inventory;
pub mod members;
mod multirow;
pub mod orders;
pub mod pickup;
pub mod rate;
pub mod stores;
pub mod tenants;
pub mod webhooks;

pub use db::{Backend, Db, DbOptions, Tx};

/// A storage failure. Unique-key violations are told apart so that callers can turn them
/// into client errors.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("unique constraint violated: {0}")]
    Duplicate(String),
    #[error(transparent)]
    Sqlx(sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("commit failed: {0}")]
    Commit(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() {
                return StoreError::Duplicate(db.message().to_string());
            }
        }
        StoreError::Sqlx(e)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Reads a 0/1 flag column.
pub(crate) fn flag(v: i64) -> bool {
    v != 0
}
