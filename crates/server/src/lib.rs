//! The `dingdan` server: command line, configuration, HTTP assembly (dialects, admin API,
//! health, metrics, OpenAPI document) and start-up.

/// The admin HTTP API under `/admin/api/`.
pub mod admin;
/// The command line: `serve`, `migrate`, `demo`, `admin ...`.
pub mod cli;
/// `dingdan.toml` and its environment overrides.
pub mod config;
/// `/openapi.json` and the `/docs` page.
mod docs;
/// Router assembly and cross-cutting middleware.
mod http;
/// Prometheus metrics at `/metrics`.
mod metrics;
/// Opening the database, building the app, serving until told to stop.
pub mod startup;

pub use startup::{Application, Options};
