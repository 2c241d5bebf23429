//! Configuration: built-in defaults, then `dingdan.toml` (or the file named by `--config` /
//! `DINGDAN_CONFIG`), then `DINGDAN_*` environment variables and command-line flags.
//! docs/configuration.md lists every key.

use serde::Deserialize;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Config {
    pub server: ServerConfig,
    pub database: DatabaseConfig,
    pub auth: AuthConfig,
    pub offline: OfflineConfig,
    pub inventory: InventoryConfig,
    pub webhooks: WebhooksConfig,
    pub sms: SmsConfig,
    pub wechat: WechatConfig,
    pub log: LogConfig,
}

/// Where SMS captchas go: `log` (the server log; always under `--demo`) or `http` (a gateway).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SmsConfig {
    pub provider: String,
    pub endpoint: String,
    pub api_key: String,
    pub sign_name: String,
}

impl Default for SmsConfig {
    fn default() -> Self {
        SmsConfig { provider: "log".into(), endpoint: String::new(), api_key: String::new(), sign_name: String::new() }
    }
}

/// WeChat sign-in: `sandbox` (any code; always under `--demo`) or `http` (WeChat's API).
#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WechatConfig {
    pub provider: String,
    pub base_url: String,
    pub app_id: String,
    pub app_secret: String,
    pub mini_app_id: String,
    pub mini_secret: String,
}

impl Default for WechatConfig {
    fn default() -> Self {
        WechatConfig {
            provider: "sandbox".into(),
            base_url: "https://api.weixin.qq.com".into(),
            app_id: String::new(),
            app_secret: String::new(),
            mini_app_id: String::new(),
            mini_secret: String::new(),
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct WebhooksConfig {
    /// Run the delivery worker in `serve`.
    pub enabled: bool,
    /// How often the worker looks for due deliveries.
    pub poll_ms: u64,
    /// Retry a delivery for this long.
    pub max_age_hours: i64,
    /// Pause a subscription after this many failures in a row.
    pub pause_after_failures: i64,
    /// Allow callbacks to loopback, private and link-local addresses.
    pub allow_private_targets: bool,
    /// How long a worker holds a claimed delivery before another replica may take it over.
    pub lease_secs: i64,
}

impl Default for WebhooksConfig {
    fn default() -> Self {
        let d = dingdan_app::webhooks::WebhookSettings::default();
        WebhooksConfig {
            enabled: d.enabled,
            poll_ms: d.poll_ms,
            max_age_hours: d.max_age_ms / 3_600_000,
            pause_after_failures: d.pause_after_failures,
            allow_private_targets: d.allow_private_targets,
            lease_secs: d.lease_ms / 1000,
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct InventoryConfig {
    /// Let out-stock sheets take stock below zero (refused by default).
    pub allow_negative_stock: bool,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ServerConfig {
    /// Address to listen on.
    pub addr: String,
    /// A request that takes longer is answered 408.
    pub request_timeout_secs: u64,
    /// Largest accepted request body.
    pub body_limit_bytes: usize,
    /// How long to let in-flight requests finish on shutdown.
    pub shutdown_grace_secs: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseConfig {
    /// `postgres://...` for PostgreSQL; empty for the embedded SQLite file in `data_dir`.
    pub url: String,
    /// Where the embedded database lives.
    pub data_dir: PathBuf,
    pub max_connections: u32,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AuthConfig {
    /// Life of an openapi/station access token (the documents say one hour).
    pub api_token_ttl_secs: i64,
    /// Life of admin and staff sessions.
    pub session_ttl_secs: i64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OfflineConfig {
    /// An unused pickup code expires this long after it was issued.
    pub code_ttl_hours: i64,
    /// A consumed code may be rolled back for this long.
    pub rollback_window_secs: i64,
    /// Refuse to consume a code whose stock is not prepared.
    pub require_prepared: bool,
    /// Failed staff sign-ins allowed per user name (4× per client address) within the window.
    pub login_failures: i64,
    pub login_window_secs: i64,
    /// Failed pickup-code look-ups allowed per staff member within the window.
    pub guess_failures: i64,
    pub guess_window_secs: i64,
}

impl Default for OfflineConfig {
    fn default() -> Self {
        let d = dingdan_app::PickupSettings::default();
        OfflineConfig {
            code_ttl_hours: d.code_ttl_ms / 3_600_000,
            rollback_window_secs: d.rollback_window_ms / 1000,
            require_prepared: d.require_prepared,
            login_failures: d.login_failures,
            login_window_secs: d.login_window_ms / 1000,
            guess_failures: d.guess_failures,
            guess_window_secs: d.guess_window_ms / 1000,
        }
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LogConfig {
    /// A tracing filter, e.g. `info` or `dingdan=debug,sqlx=warn`.
    pub filter: String,
    /// `text` or `json`.
    pub format: String,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            addr: "127.0.0.1:8080".into(),
            request_timeout_secs: 30,
            body_limit_bytes: 1024 * 1024,
            shutdown_grace_secs: 10,
        }
    }
}

impl Default for DatabaseConfig {
    fn default() -> Self {
        DatabaseConfig { url: String::new(), data_dir: PathBuf::from("./dingdan-data"), max_connections: 16 }
    }
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig { api_token_ttl_secs: 3600, session_ttl_secs: 7 * 86_400 }
    }
}

impl Default for LogConfig {
    fn default() -> Self {
        LogConfig { filter: "info".into(), format: "text".into() }
    }
}

impl Config {
    /// Reads `path`, or `./dingdan.toml` when no path is given and that file exists.
    pub fn load(path: Option<&Path>) -> anyhow::Result<Config> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("dingdan.toml"), false),
        };
        match std::fs::read_to_string(&path) {
            Ok(text) => toml::from_str(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display())),
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => Ok(Config::default()),
            Err(e) => Err(anyhow::anyhow!("cannot read {}: {e}", path.display())),
        }
    }

    /// The database URL: the configured one, or the SQLite file in the data directory.
    pub fn database_url(&self) -> String {
        if self.database.url.trim().is_empty() {
            format!("sqlite://{}", self.database.data_dir.join("dingdan.db").display())
        } else {
            self.database.url.trim().to_string()
        }
    }

    pub fn settings(&self) -> dingdan_app::Settings {
        dingdan_app::Settings {
            api_token_ttl_ms: self.auth.api_token_ttl_secs * 1000,
            session_ttl_ms: self.auth.session_ttl_secs * 1000,
            pickup: dingdan_app::PickupSettings {
                code_ttl_ms: self.offline.code_ttl_hours * 3_600_000,
                rollback_window_ms: self.offline.rollback_window_secs * 1000,
                require_prepared: self.offline.require_prepared,
                login_failures: self.offline.login_failures,
                login_window_ms: self.offline.login_window_secs * 1000,
                guess_failures: self.offline.guess_failures,
                guess_window_ms: self.offline.guess_window_secs * 1000,
            },
            allow_negative_stock: self.inventory.allow_negative_stock,
            webhooks: dingdan_app::webhooks::WebhookSettings {
                enabled: self.webhooks.enabled,
                poll_ms: self.webhooks.poll_ms,
                max_age_ms: self.webhooks.max_age_hours * 3_600_000,
                pause_after_failures: self.webhooks.pause_after_failures,
                allow_private_targets: self.webhooks.allow_private_targets,
                lease_ms: self.webhooks.lease_secs * 1000,
                ..dingdan_app::webhooks::WebhookSettings::default()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_documented_example() {
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../dingdan.example.toml")).unwrap();
        let c: Config = toml::from_str(&text).unwrap();
        assert_eq!(c.server.addr, "127.0.0.1:8080");
        assert_eq!(c.auth.api_token_ttl_secs, 3600);
    }

    #[test]
    fn unknown_keys_are_refused() {
        assert!(toml::from_str::<Config>("[server]\nadress = \"x\"").is_err());
    }

    #[test]
    fn sqlite_by_default() {
        assert_eq!(Config::default().database_url(), "sqlite://./dingdan-data/dingdan.db");
    }
}
