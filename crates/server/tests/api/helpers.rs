use dingdan::config::Config;
use dingdan::{Application, Options};
use dingdan_app::clock::ManualClock;
use serde_json::Value;
use sqlx::Connection;
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::oneshot;

/// A running server for one test.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub config: Config,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<anyhow::Result<()>>>,
    data_dir: Option<PathBuf>,
}

/// A fresh, empty database for one test: a temporary SQLite directory, or a new PostgreSQL
/// database next to the one DINGDAN_TEST_DATABASE_URL names.
pub async fn fresh_config() -> (Config, Option<PathBuf>) {
    let mut config = Config::default();
    config.server.addr = "127.0.0.1:0".into();
    config.database.max_connections = 8;
    // Test receivers listen on loopback.
    config.webhooks.allow_private_targets = true;
    match std::env::var("DINGDAN_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) {
        Some(base) => {
            let name = format!("dingdan_test_{}", uuid::Uuid::new_v4().simple());
            let mut conn = sqlx::PgConnection::connect(&base).await.expect("connect to DINGDAN_TEST_DATABASE_URL");
            sqlx::Executor::execute(&mut conn, format!("CREATE DATABASE {name}").as_str())
                .await
                .expect("create database");
            let (head, tail) = base.split_at(base.rfind('/').expect("a database URL has a path"));
            let query = tail.find('?').map(|i| &tail[i..]).unwrap_or("");
            config.database.url = format!("{head}/{name}{query}");
            (config, None)
        }
        None => {
            let dir = std::env::temp_dir().join(format!("dingdan-test-{}", uuid::Uuid::new_v4().simple()));
            config.database.data_dir = dir.clone();
            (config, Some(dir))
        }
    }
}

/// Starts a server with the demo data on a fresh database.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with the configuration adjusted first.
pub async fn spawn_app_with(adjust: impl FnOnce(&mut Config)) -> TestApp {
    let (mut config, dir) = fresh_config().await;
    adjust(&mut config);
    let mut app = start(config, true).await;
    app.data_dir = dir;
    app
}

/// Starts a server on `config` (an existing database is reused as it is).
pub async fn start(config: Config, demo: bool) -> TestApp {
    start_with_providers(config, demo, None, None).await
}

/// Starts a demo server whose SMS and WeChat clients are the given ones.
pub async fn spawn_app_with_providers(
    sms: Arc<dyn dingdan_app::members::providers::SmsSender>,
    wechat: Arc<dyn dingdan_app::members::providers::WechatAuth>,
) -> TestApp {
    let (config, dir) = fresh_config().await;
    let mut app = start_with_providers(config, true, Some(sms), Some(wechat)).await;
    app.data_dir = dir;
    app
}

async fn start_with_providers(
    config: Config,
    demo: bool,
    sms: Option<Arc<dyn dingdan_app::members::providers::SmsSender>>,
    wechat: Option<Arc<dyn dingdan_app::members::providers::WechatAuth>>,
) -> TestApp {
    let clock = Arc::new(ManualClock::new());
    let server = Application::build(Options { config: config.clone(), demo, clock: Some(clock.clone()), sms, wechat })
        .await
        .expect("server builds");
    let base = format!("http://{}", server.local_addr());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(server.run_until(async {
        let _ = stopped.await;
    }));
    TestApp { base, client: reqwest::Client::new(), clock, config, stop: Some(stop), task: Some(task), data_dir: None }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// Stops the server and waits until it has let go of the database.
    pub async fn stop(mut self) -> Config {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            t.await.expect("server task").expect("server ran");
        }
        self.data_dir = None; // the caller keeps the data
        self.config.clone()
    }

    /// GET, returning status and JSON body.
    pub async fn get(&self, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).send().await.expect("request");
        read(r).await
    }

    /// POST a form body.
    pub async fn post_form(&self, path: &str, form: &[(&str, &str)]) -> (u16, Value) {
        let r = self.client.post(self.url(path)).form(form).send().await.expect("request");
        read(r).await
    }

    /// POST a JSON body.
    pub async fn post_json(&self, path: &str, body: &Value) -> (u16, Value) {
        let r = self.client.post(self.url(path)).json(body).send().await.expect("request");
        read(r).await
    }

    /// POST raw bytes with a content type.
    pub async fn post_raw(&self, path: &str, content_type: &str, body: Vec<u8>) -> (u16, Value) {
        let r = self
            .client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .expect("request");
        read(r).await
    }

    /// An openapi access token for the demo app.
    pub async fn api_token(&self) -> String {
        self.api_token_for("demo-station", "demo-station-secret").await
    }

    pub async fn api_token_for(&self, access_id: &str, secret: &str) -> String {
        let (status, body) =
            self.get(&format!("/openapi/auth/access_token?access_id={access_id}&secret={secret}")).await;
        assert_eq!(status, 200, "{body}");
        body["data"]["access_token"].as_str().expect("token").to_string()
    }

    /// An admin token for the demo admin.
    pub async fn admin_token(&self) -> String {
        let (status, body) =
            self.post_json("/admin/api/login", &serde_json::json!({"username": "admin", "password": "admin123"})).await;
        assert_eq!(status, 200, "{body}");
        body["token"].as_str().expect("token").to_string()
    }

    /// GET with an admin bearer token.
    pub async fn admin_get(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).bearer_auth(token).send().await.expect("request");
        read(r).await
    }

    /// POST JSON with an admin bearer token.
    pub async fn admin_post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let r = self.client.post(self.url(path)).bearer_auth(token).json(body).send().await.expect("request");
        read(r).await
    }

    /// Signs a demo staff member in; the staff token.
    pub async fn staff_token(&self, username: &str, password: &str) -> String {
        let (status, body) = self
            .post_json("/api/shops/staff_login/", &serde_json::json!({"username": username, "password": password}))
            .await;
        assert_eq!(status, 200, "{body}");
        body["data"]["token"].as_str().expect("token").to_string()
    }

    /// GET with `Authorization: <token>`.
    pub async fn staff_get(&self, token: &str, path: &str) -> (u16, Value) {
        let r = self.client.get(self.url(path)).header("authorization", token).send().await.expect("request");
        read(r).await
    }

    /// POST JSON with `Authorization: <token>`.
    pub async fn staff_post(&self, token: &str, path: &str, body: &Value) -> (u16, Value) {
        let r =
            self.client.post(self.url(path)).header("authorization", token).json(body).send().await.expect("request");
        read(r).await
    }

    /// Creates a pickup package at a demo store through the admin API; (id, key, order_token).
    pub async fn new_package(&self, admin: &str, store_id: i64) -> (i64, String, String) {
        let (status, body) = self
            .admin_post(
                admin,
                "/admin/api/pickup/packages",
                &serde_json::json!({
                    "tenant_id": 1, "store_id": store_id,
                    "lines": [{"sku_id": "D000001", "amount": 2}, {"sku_id": "D000004", "amount": 1.5}]
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        let p = &body["package"];
        (
            p["id"].as_i64().unwrap(),
            p["key"].as_str().unwrap().to_string(),
            p["order_token"].as_str().unwrap().to_string(),
        )
    }

    /// Places a fresh order for the first demo customer with three of its SKUs; its id.
    pub async fn place_order(&self, admin: &str) -> String {
        let (status, body) = self
            .admin_post(
                admin,
                "/admin/api/b2b/orders",
                &serde_json::json!({
                    "tenant_id": 1, "customer_id": "S000001",
                    "receive_begin_time": "2030-06-22 06:00:00", "receive_end_time": "2030-06-22 12:00:00",
                    "remark": "test", "freight": 2000,
                    "products": [
                        {"sku_id": "D000001", "amount": 2, "unit_price": 728},
                        {"sku_id": "D000003", "amount": 1.5},
                        {"sku_id": "D000005", "amount": 3, "unit_price": 1000}
                    ]
                }),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["order_id"].as_str().expect("order id").to_string()
    }

    /// Moves an order through the admin API.
    pub async fn admin_move(&self, admin: &str, order_id: &str, action: &str) {
        let (status, body) = self
            .admin_post(
                admin,
                &format!("/admin/api/b2b/orders/{order_id}/{action}"),
                &serde_json::json!({"tenant_id": 1}),
            )
            .await;
        assert_eq!(status, 200, "{action}: {body}");
    }

    /// The order as openapi shows it.
    pub async fn openapi_order(&self, token: &str, order_id: &str) -> Value {
        let (status, body) = self.get(&format!("/openapi/order/get?access_token={token}&order_id={order_id}")).await;
        assert_eq!(status, 200, "{body}");
        body["data"].clone()
    }

    /// Audit rows and events of an order.
    pub async fn history(&self, admin: &str, order_id: &str) -> (Vec<Value>, Vec<Value>) {
        let (status, body) =
            self.admin_get(admin, &format!("/admin/api/b2b/orders/{order_id}/history?tenant_id=1")).await;
        assert_eq!(status, 200, "{body}");
        (body["audit"].as_array().unwrap().clone(), body["events"].as_array().unwrap().clone())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(dir) = self.data_dir.take() {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

async fn read(r: reqwest::Response) -> (u16, Value) {
    let status = r.status().as_u16();
    let text = r.text().await.expect("body");
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("status {status}: body is not JSON: {text}"));
    (status, body)
}

/// Asserts a vendor-envelope error: HTTP status, non-zero code, a message containing `needle`.
#[track_caller]
pub fn assert_api_error(got: &(u16, Value), status: u16, code: i64, needle: &str) {
    let (s, body) = got;
    assert_eq!(*s, status, "{body}");
    assert_eq!(body["code"], code, "{body}");
    assert!(body["data"].is_null(), "{body}");
    let msg = body["msg"].as_str().unwrap_or("");
    assert!(msg.contains(needle), "message {msg:?} should mention {needle:?}");
}

/// GET with an openapi/station access token in the query string.
pub async fn api_get(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let sep = if path.contains('?') { '&' } else { '?' };
    app.get(&format!("{path}{sep}access_token={token}")).await
}

/// POST JSON with an openapi/station access token in the query string.
pub async fn api_post(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    app.post_json(&format!("{path}?access_token={token}"), &body).await
}
