use crate::config::Config;
use anyhow::Context;
use dingdan_app::clock::{Clock, SystemClock};
use dingdan_app::members::providers::{HttpSms, HttpWechat};
use dingdan_app::{App, Db};
use dingdan_store::DbOptions;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;

/// How to start.
pub struct Options {
    pub config: Config,
    /// Load the demo data set into an empty database.
    pub demo: bool,
    /// The clock; the system clock unless a test brings its own.
    pub clock: Option<Arc<dyn Clock>>,
    /// Outside services replacing the configured ones (tests bring clients aimed at fakes).
    pub sms: Option<Arc<dyn dingdan_app::members::providers::SmsSender>>,
    pub wechat: Option<Arc<dyn dingdan_app::members::providers::WechatAuth>>,
}

/// Opens (creating if needed) and migrates the configured database.
pub async fn open_database(config: &Config) -> anyhow::Result<Db> {
    let url = config.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.database.data_dir)
            .with_context(|| format!("cannot create data directory {}", config.database.data_dir.display()))?;
    }
    let opts = DbOptions { max_connections: config.database.max_connections, ..DbOptions::default() };
    let db = Db::connect(&url, &opts).await.with_context(|| format!("cannot open database {}", redact(&url)))?;
    db.migrate().await.context("migrating the database")?;
    Ok(db)
}

/// A database URL without its password, for messages.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// A bound, ready server.
pub struct Application {
    listener: TcpListener,
    app: App,
    config: Config,
}

impl Application {
    /// Opens the database, loads the demo data if asked, binds the listener.
    pub async fn build(opts: Options) -> anyhow::Result<Application> {
        let db = open_database(&opts.config).await?;
        let clock = opts.clock.unwrap_or_else(|| Arc::new(SystemClock));
        let mut app = App::new(db, clock, opts.config.settings());
        let (sms, wechat) = (&opts.config.sms, &opts.config.wechat);
        if sms.provider == "http" && !opts.demo {
            app.sms = Arc::new(HttpSms::new(&sms.endpoint, &sms.api_key, &sms.sign_name));
        } else if sms.provider != "log" && sms.provider != "http" {
            anyhow::bail!("sms.provider must be log or http, not {}", sms.provider);
        }
        if wechat.provider == "http" && !opts.demo {
            let (app_pair, mini_pair) = (
                (wechat.app_id.as_str(), wechat.app_secret.as_str()),
                (wechat.mini_app_id.as_str(), wechat.mini_secret.as_str()),
            );
            app.wechat = Arc::new(HttpWechat::new(&wechat.base_url, app_pair, mini_pair));
        } else if wechat.provider != "sandbox" && wechat.provider != "http" {
            anyhow::bail!("wechat.provider must be sandbox or http, not {}", wechat.provider);
        }
        if let Some(sms) = opts.sms {
            app.sms = sms;
        }
        if let Some(wechat) = opts.wechat {
            app.wechat = wechat;
        }
        if opts.demo {
            match dingdan_app::demo::load(&app).await.context("loading the demo data")? {
                Some(l) => tracing::info!(
                    tenant = l.tenant_id,
                    skus = l.skus,
                    customers = l.customers,
                    orders = l.orders,
                    "demo data loaded"
                ),
                None => tracing::info!("database is not empty; demo data not loaded again"),
            }
        }
        let listener = TcpListener::bind(&opts.config.server.addr)
            .await
            .with_context(|| format!("cannot listen on {}", opts.config.server.addr))?;
        let addr = listener.local_addr()?;
        if opts.demo && !addr.ip().is_loopback() {
            tracing::warn!(%addr, "demo credentials are in use on a non-loopback address: anyone who can reach it can sign in");
        }
        Ok(Application { listener, app, config: opts.config })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn app(&self) -> &App {
        &self.app
    }

    /// Serves until `shutdown` resolves, then lets in-flight requests finish.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> anyhow::Result<()> {
        let router = crate::http::router(self.app.clone(), &self.config);
        let grace = Duration::from_secs(self.config.server.shutdown_grace_secs);
        tracing::info!(addr = %self.local_addr(), backend = ?self.app.db.backend(), "dingdan listening");
        let (stopped_tx, stopped_rx) = tokio::sync::oneshot::channel::<()>();
        let service = router.into_make_service_with_connect_info::<SocketAddr>();
        let (stop_worker, worker_stop) = tokio::sync::watch::channel(false);
        let worker = self.app.settings.webhooks.enabled.then(|| {
            let worker = dingdan_app::webhooks::worker::Worker::new(&self.app);
            tokio::spawn(worker.run(self.app.clone(), worker_stop))
        });
        let serve = axum::serve(self.listener, service).with_graceful_shutdown(async move {
            shutdown.await;
            let _ = stop_worker.send(true);
            let _ = stopped_tx.send(());
        });
        tokio::select! {
            r = serve => r?,
            _ = async {
                let _ = stopped_rx.await;
                tokio::time::sleep(grace).await;
            } => tracing::warn!("shutdown grace period over; dropping remaining connections"),
        }
        if let Some(worker) = worker {
            let _ = tokio::time::timeout(grace, worker).await;
        }
        self.app.db.close().await;
        tracing::info!("dingdan stopped");
        Ok(())
    }
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutdown requested");
}
