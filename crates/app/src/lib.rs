//! dingdan's use-cases. Each public function here is one business operation: it checks who is
//! asking, loads what it needs, asks the core whether the change is allowed, and writes the
//! change, its audit row and its outbox event in one transaction. Dialects call these and
//! nothing else; they never touch the store directly.

/// Platform administration: admins, tenants, API apps, stores, staff.
pub mod admin;
/// Credentials: password hashing, bearer tokens, the authenticated [`Actor`].
pub mod auth;
/// B2B orders (station and openapi): placing, editing, moving through fulfillment.
pub mod b2b;
/// The B2B catalog: categories, SPUs, SKUs, price lists.
pub mod catalog;
/// The clock, injectable so that tests control time.
pub mod clock;
/// B2B customers and their regions.
pub mod customers;
/// Drivers, routes, delivery tasks.
pub mod delivery;
/// The demo data set of `shared/spec/DEMO.md`.
pub mod demo;
mod error;
/// Customer ledger, strikes, order refunds.
pub mod finance;
/// Stock, in-stock and out-stock sheets, stocktaking.
pub mod inventory;
/// Audit rows and outbox events, written inside the caller's transaction.
pub mod journal;
/// Mall members: sign-up, sign-in, SMS captchas, WeChat, profiles.
pub mod members;
mod memo;
/// Offline stores: staff sessions, pickup packages and codes, the action history.
pub mod offline;
/// Rate limits counted in the database, so every replica sees the same counts.
pub mod rate;
/// Signed webhooks: subscriptions, the delivery worker.
pub mod webhooks;

pub use dingdan_core::actor::{Actor, Role};
pub use dingdan_store::{Backend, Db};
pub use error::{AppError, AuthFailure};

use std::sync::Arc;

/// Tunables of the use-cases.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Life of an open-platform access token (the documents say one hour).
    pub api_token_ttl_ms: i64,
    /// Life of staff and admin tokens.
    pub session_ttl_ms: i64,
    /// Offline pickup codes and their abuse limits.
    pub pickup: PickupSettings,
    /// Let out-stock sheets take stock below zero.
    pub allow_negative_stock: bool,
    /// Webhook delivery.
    pub webhooks: webhooks::WebhookSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            api_token_ttl_ms: 3_600_000,
            session_ttl_ms: 7 * 86_400_000,
            pickup: PickupSettings::default(),
            allow_negative_stock: false,
            webhooks: webhooks::WebhookSettings::default(),
        }
    }
}

/// Rules of pickup codes.
#[derive(Debug, Clone)]
pub struct PickupSettings {
    /// An unused code expires this long after it was issued.
    pub code_ttl_ms: i64,
    /// A consumed code may be rolled back for this long.
    pub rollback_window_ms: i64,
    /// Refuse to consume a code whose stock is not prepared yet.
    pub require_prepared: bool,
    /// Failed sign-ins allowed per user name (and 4× per client address) in `login_window_ms`.
    pub login_failures: i64,
    pub login_window_ms: i64,
    /// Failed code look-ups allowed per staff member in `guess_window_ms`.
    pub guess_failures: i64,
    pub guess_window_ms: i64,
}

impl Default for PickupSettings {
    fn default() -> Self {
        PickupSettings {
            code_ttl_ms: 7 * 86_400_000,
            rollback_window_ms: 86_400_000,
            require_prepared: false,
            login_failures: 5,
            login_window_ms: 15 * 60_000,
            guess_failures: 10,
            guess_window_ms: 60_000,
        }
    }
}

/// Everything a use-case needs: the database, the clock, the settings, outside services.
#[derive(Clone)]
pub struct App {
    pub db: Db,
    pub clock: Arc<dyn clock::Clock>,
    pub settings: Settings,
    /// Sends SMS captchas (the `log` provider unless configured).
    pub sms: Arc<dyn members::providers::SmsSender>,
    /// Exchanges WeChat codes (the `sandbox` provider unless configured).
    pub wechat: Arc<dyn members::providers::WechatAuth>,
    /// Tenants' time zones, read once per process: a tenant's zone is fixed at its creation.
    zones: Arc<memo::Memo<i64, dingdan_core::time::Tz>>,
    /// API access tokens already read, by hash (see [`auth::revoke_token`]: nothing revokes them).
    api_tokens: Arc<memo::Memo<String, dingdan_store::identities::Token>>,
    /// Stores' names, read once per process: nothing renames a store.
    store_names: Arc<memo::Memo<i64, String>>,
}

impl App {
    pub fn new(db: Db, clock: Arc<dyn clock::Clock>, settings: Settings) -> App {
        App {
            db,
            clock,
            settings,
            sms: Arc::new(members::providers::LogSms),
            wechat: Arc::new(members::providers::SandboxWechat),
            zones: Arc::default(),
            store_names: Arc::default(),
            api_tokens: Arc::default(),
        }
    }

    pub fn now(&self) -> i64 {
        self.clock.now_ms()
    }
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// A tenant's time zone, in which its business dates are read and written.
pub async fn tenant_tz(app: &App, tenant_id: i64) -> Result<dingdan_core::time::Tz> {
    if let Some(tz) = app.zones.get(&tenant_id) {
        return Ok(tz);
    }
    let tenant = dingdan_store::tenants::get(app.db.reader(), tenant_id).await?.ok_or(AppError::not_found("tenant"))?;
    let tz = dingdan_core::time::parse_tz(&tenant.timezone).unwrap_or(dingdan_core::time::DEFAULT_TZ);
    app.zones.put(tenant_id, tz);
    Ok(tz)
}

/// A store's name ("" for an unknown store).
pub async fn store_name(app: &App, store_id: i64) -> Result<String> {
    if let Some(name) = app.store_names.get(&store_id) {
        return Ok(name);
    }
    let Some(store) = dingdan_store::stores::get(app.db.reader(), store_id).await? else {
        return Ok(String::new());
    };
    app.store_names.put(store_id, store.name.clone());
    Ok(store.name)
}
