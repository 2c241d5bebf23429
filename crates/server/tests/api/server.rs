//! Cross-cutting server behaviour: health, metrics, the OpenAPI document, unknown routes,
//! limits, request ids, restarts, and the `dingdan` binary itself.

use crate::helpers::{fresh_config, spawn_app, start};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

#[tokio::test]
async fn health_readiness_and_metrics() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz").await, (200, serde_json::json!({"status": "ok"})));
    assert_eq!(app.get("/readyz").await, (200, serde_json::json!({"status": "ready"})));
    let token = app.api_token().await;
    app.get(&format!("/openapi/order/get?access_token={token}&order_id=PL000001")).await;
    let text = app.client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        text.contains(r#"dingdan_http_requests_total{method="GET",route="/openapi/order/get",status="200"} 1"#),
        "{text}"
    );
    assert!(text.contains("dingdan_http_request_duration_seconds_bucket"));
    // On SQLite the group-commit writer reports its batches (the demo data was written by some).
    if app.config.database.url.is_empty() {
        let value = |name: &str| {
            text.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().parse::<u64>().unwrap()).unwrap_or(0)
        };
        let (commits, transactions) =
            (value("dingdan_sqlite_commits_total "), value("dingdan_sqlite_committed_transactions_total "));
        assert!(commits >= 1 && transactions >= commits, "{text}");
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/openapi.json").await;
    assert_eq!(status, 200);
    assert_eq!(doc["openapi"].as_str().map(|v| v.starts_with("3.")), Some(true));
    let mut routes: Vec<String> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for method in item.as_object().unwrap().keys() {
            routes.push(format!("{} {path}", method.to_uppercase()));
        }
    }
    routes.sort();
    let mut want = vec![
        "GET /openapi/auth/access_token",
        "GET /openapi/order/get",
        "POST /openapi/order/update",
        "GET /openapi/orders",
        "POST /admin/api/login",
        "POST /admin/api/admins",
        "GET /admin/api/tenants",
        "POST /admin/api/tenants",
        "GET /admin/api/apps",
        "POST /admin/api/apps",
        "GET /admin/api/stores",
        "POST /admin/api/stores",
        "GET /admin/api/staff",
        "POST /admin/api/staff",
        "POST /admin/api/b2b/orders",
        "GET /admin/api/b2b/orders/{order_id}",
        "POST /admin/api/b2b/orders/{order_id}/{action}",
        "POST /admin/api/b2b/orders/{order_id}/weigh",
        "GET /admin/api/b2b/orders/{order_id}/history",
        "POST /admin/api/pickup/packages",
        "POST /admin/api/pickup/packages/{id}/cancel",
        "GET /api/orders/pick_up_code/",
        "GET /api/orders/pick_up_code/{id}/order/",
        "GET /api/orders/pick_up_code/fetch/",
        "POST /api/orders/pick_up_code/{id}/stock_prepare/",
        "GET /api/orders/pick_up_code/check/",
        "POST /api/orders/pick_up_code/consume/",
        "POST /api/orders/pick_up_code/rollback/",
        "GET /api/shops/offline_shop/",
        "GET /api/shops/staff/",
        "POST /api/shops/staff/",
        "POST /api/shops/staff_login/",
        "POST /api/shops/staff_logout/",
        "GET /api/shops/action_history/",
        "GET /api/product/category1/list",
        "GET /api/product/category2/list",
        "GET /api/product/pinlei/list",
        "POST /api/product/spu/create",
        "GET /api/product/spu/list",
        "GET /api/product/spu/get",
        "POST /api/product/spu/update",
        "POST /api/product/spu/delete",
        "GET /api/std_unit_name/list",
        "POST /api/product/sku/create",
        "POST /api/product/sku/update",
        "GET /api/product/sku/list",
        "GET /api/product/sku/get",
        "POST /api/product/sku/delete",
        "GET /api/product/salemenu/list",
        "POST /api/order/create",
        "POST /api/order/delete",
        "POST /api/order/update",
        "GET /api/order/get",
        "GET /api/order/list",
        "POST /api/order/sku/create",
        "POST /api/order/sku/delete",
        "POST /api/order/sku/update",
        "POST /api/order/abnormal/create",
        "POST /api/order/refund/create",
        "POST /api/order/after_sales/update",
        "POST /api/order/after_sales/delete",
        "GET /api/order/after_sales/exception_reason/list",
        "POST /api/customer/create",
        "POST /api/customer/upadte",
        "POST /api/customer/update",
        "GET /api/customer/list",
        "GET /api/area/list",
        "POST /api/finance/strike",
        "POST /api/finance/order/refund",
        "GET /api/finance/strike_flow/list",
        "GET /api/finance/cash_flow/list",
        "GET /api/delivery/task/list",
        "POST /api/delivery/driver/assign",
        "POST /api/delivery/driver/cancel",
        "POST /api/delivery/driver/create",
        "POST /api/delivery/driver/update",
        "GET /api/delivery/driver/list",
        "GET /api/delivery/car_model/list",
        "GET /api/delivery/carrier/list",
        "POST /api/delivery/route/create",
        "POST /api/delivery/route/update",
        "POST /api/delivery/route/delete",
        "GET /api/delivery/route/list",
        "GET /api/delivery/route/get",
        "POST /admin/api/delivery/carriers",
        "POST /admin/api/delivery/car_models",
        "GET /admin/api/inventory/stock",
        "GET /admin/api/inventory/sheets",
        "POST /admin/api/inventory/sheets",
        "GET /admin/api/inventory/sheets/{id}",
        "POST /admin/api/inventory/sheets/{id}/{action}",
        "POST /admin/api/inventory/stocktaking",
        "GET /admin/api/events",
        "GET /admin/api/webhooks/subscriptions",
        "POST /admin/api/webhooks/subscriptions",
        "GET /admin/api/webhooks/subscriptions/{id}/deliveries",
        "POST /admin/api/webhooks/subscriptions/{id}/{action}",
        "POST /admin/api/catalog/categories",
        "POST /admin/api/catalog/categories/{id}/rename",
        "POST /admin/api/customers/{id}/delete",
        "POST /rest/register",
        "POST /rest/pub/sms",
        "POST /rest/pub/sms_verify",
        "POST /rest/login",
        "GET /rest/logout",
        "POST /rest/password",
        "POST /rest/pub/forget_password",
        "POST /rest/phone",
        "POST /rest/login_wxapp",
        "POST /rest/login_wxa",
        "POST /rest/register_wxa",
        "GET /rest/profile",
        "POST /rest/profile",
        "POST /rest/pub/user_info",
        "GET /rest/pcd",
        "GET /api/webhook/subscription/list",
    ];
    want.sort();
    assert_eq!(routes, want);
    // Every listed route answers (not the generic 404 of unknown paths).
    for r in &want {
        let (method, path) = r.split_once(' ').unwrap();
        let path = path.replace("{order_id}", "PL000001").replace("{action}", "submit").replace("{id}", "1");
        let req = app.client.request(method.parse().unwrap(), app.url(&path));
        let body = req.send().await.unwrap().text().await.unwrap();
        assert!(!body.contains("no such endpoint"), "{r}: {body}");
    }
    let page = app.client.get(app.url("/docs")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("/openapi.json"));
}

#[tokio::test]
async fn unknown_routes_and_methods_answer_in_the_dialects_envelope() {
    let app = spawn_app().await;
    let (status, body) = app.get("/openapi/nope").await;
    assert_eq!((status, body["code"].clone()), (404, serde_json::json!(5)), "{body}");
    assert!(body["msg"].as_str().unwrap().contains("/openapi/nope"));
    let (status, body) = app.post_form("/openapi/order/get", &[]).await;
    assert_eq!(status, 405, "{body}");
    assert_eq!(body["code"], 1);
    let (status, body) = app.get("/rest/nothing").await;
    assert_eq!((status, body["status_code"].clone()), (404, serde_json::json!(1)));
    let (status, body) = app.get("/nothing").await;
    assert_eq!(status, 404);
    assert!(body["error"]["message"].is_string());
}

#[tokio::test]
async fn oversized_bodies_are_refused_and_request_ids_echoed() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let big = vec![b'a'; 2 * 1024 * 1024];
    let r = app
        .client
        .post(app.url(&format!("/openapi/order/update?access_token={token}")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(big)
        .send()
        .await
        .unwrap();
    assert!(r.status() == 413 || r.status() == 400, "{}", r.status());
    let r = app.client.get(app.url("/healthz")).send().await.unwrap();
    let id = r.headers().get("x-request-id").expect("a request id").to_str().unwrap().to_string();
    assert_eq!(id.len(), 36);
    let r = app.client.get(app.url("/healthz")).header("x-request-id", "abc-123").send().await.unwrap();
    assert_eq!(r.headers().get("x-request-id").unwrap(), "abc-123");
}

#[tokio::test]
async fn data_survives_a_restart_and_migrations_run_once() {
    let (config, dir) = fresh_config().await;
    let app = start(config, true).await;
    let admin = app.admin_token().await;
    let token = app.api_token().await;
    let id = app.place_order(&admin).await;
    app.post_form(&format!("/openapi/order/update?access_token={token}"), &[("order_id", &id), ("remark", "持久")])
        .await;
    let before = app.openapi_order(&token, &id).await;
    let config = app.stop().await;
    let migrations = |c: &dingdan::config::Config| {
        let c = c.clone();
        async move {
            let db = dingdan::startup::open_database(&c).await.unwrap();
            let n = db.applied_migrations().await.unwrap();
            db.close().await;
            n
        }
    };
    let n1 = migrations(&config).await;
    let again = start(config.clone(), true).await; // --demo on a non-empty database loads nothing
    let token = again.api_token().await;
    assert_eq!(again.openapi_order(&token, &id).await, before);
    let (_, tenants) = again.admin_get(&again.admin_token().await, "/admin/api/tenants").await;
    assert_eq!(tenants["tenants"].as_array().unwrap().len(), 2, "demo data not loaded twice");
    let config = again.stop().await;
    assert_eq!(migrations(&config).await, n1, "no migration applied twice");
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// The real binary: `migrate` twice, then `serve` answers and stops cleanly on SIGTERM.
#[tokio::test]
async fn the_binary_migrates_serves_and_stops_on_sigterm() {
    let (config, dir) = fresh_config().await;
    let bin = env!("CARGO_BIN_EXE_dingdan");
    let db_args: Vec<String> = if config.database.url.is_empty() {
        vec!["--data-dir".into(), config.database.data_dir.display().to_string()]
    } else {
        vec!["--database-url".into(), config.database.url.clone()]
    };
    let mut said = Vec::new();
    for _ in 0..2 {
        let out = Command::new(bin).arg("migrate").args(&db_args).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        said.push(String::from_utf8_lossy(&out.stdout).to_string());
    }
    assert!(said[0].starts_with("database is migrated (") && said[0].contains(" migrations applied)"), "{said:?}");
    assert_eq!(said[0], said[1], "the second run applies nothing new");
    let mut child = Command::new(bin)
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .args(&db_args)
        .env("DINGDAN_LOG", "info")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut addr = None;
    while let Ok(line) = rx.recv_timeout(std::time::Duration::from_secs(60)) {
        if let Some(rest) = line.split("addr=").nth(1) {
            if line.contains("dingdan listening") {
                addr = Some(rest.split_whitespace().next().unwrap().to_string());
                break;
            }
        }
    }
    let addr = addr.expect("the server logs where it listens");
    let r = reqwest::get(format!(
        "http://{addr}/openapi/auth/access_token?access_id=demo-station&secret=demo-station-secret"
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 200);
    let pid = child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = child.wait().unwrap();
    assert!(status.success(), "graceful stop exits 0: {status:?}");
    let rest: Vec<String> = rx.try_iter().collect();
    assert!(rest.iter().any(|l| l.contains("dingdan stopped")), "{rest:?}");
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}
