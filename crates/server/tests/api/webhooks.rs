//! Signed webhooks: a receiver on loopback gets every event, signed, in order, with retries.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// What a receiver got: headers and exact body bytes of each request.
type Received = Vec<(HeaderMap, Vec<u8>)>;

#[derive(Clone, Default)]
struct Inbox {
    got: Arc<Mutex<Received>>,
    /// Answer 500 to this many requests first.
    fail_first: Arc<Mutex<usize>>,
    calls: Arc<Mutex<usize>>,
}

async fn receiver(fail_first: usize) -> (String, Inbox) {
    let inbox = Inbox { fail_first: Arc::new(Mutex::new(fail_first)), ..Inbox::default() };
    let state = inbox.clone();
    let app = axum::Router::new().route(
        "/hook",
        post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let state = state.clone();
            async move {
                *state.calls.lock().unwrap() += 1;
                let mut fail = state.fail_first.lock().unwrap();
                if *fail > 0 {
                    *fail -= 1;
                    return (StatusCode::INTERNAL_SERVER_ERROR, "try later");
                }
                state.got.lock().unwrap().push((headers, body.to_vec()));
                (StatusCode::OK, "ok")
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hook", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, inbox)
}

/// The documented recipe: the signed bytes are the body up to `,"sign":"` plus `}`.
fn verify(body: &[u8], secret: &str) -> bool {
    let text = std::str::from_utf8(body).unwrap();
    let Some(pos) = text.rfind(",\"sign\":\"") else { return false };
    let signed = format!("{}}}", &text[..pos]);
    let sign = &text[pos + 9..text.len() - 2];
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(signed.as_bytes());
    hex::encode(mac.finalize().into_bytes()) == sign
}

async fn subscribe(app: &TestApp, admin: &str, url: &str, types: Value) -> (i64, String) {
    let (status, body) = app
        .admin_post(
            admin,
            "/admin/api/webhooks/subscriptions",
            &json!({"tenant_id": 1, "access_id": "demo-station", "url": url, "event_types": types}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    (body["id"].as_i64().unwrap(), body["secret"].as_str().unwrap().to_string())
}

async fn wait_for(inbox: &Inbox, n: usize, app: &TestApp) -> Received {
    for _ in 0..200 {
        if inbox.got.lock().unwrap().len() >= n {
            break;
        }
        app.clock.advance_ms(5_000); // makes retries due without sleeping through backoff
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    inbox.got.lock().unwrap().clone()
}

fn body_json(b: &[u8]) -> Value {
    serde_json::from_slice(b).unwrap()
}

#[tokio::test]
async fn events_arrive_signed_and_in_order_through_failures() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (url, inbox) = receiver(2).await;
    let (sub, secret) =
        subscribe(&app, &admin, &url, json!(["order_sorting", "order_delivering", "order_signed"])).await;
    let id = app.place_order(&admin).await;
    for action in ["start_sorting", "ship", "sign"] {
        app.admin_move(&admin, &id, action).await;
    }
    let got = wait_for(&inbox, 3, &app).await;
    assert_eq!(got.len(), 3, "every event arrives despite two failures");
    let types: Vec<String> = got.iter().map(|(_, b)| body_json(b)["type"].as_str().unwrap().to_string()).collect();
    assert_eq!(types, ["order_sorting", "order_delivering", "order_signed"], "in the order they happened");
    let mut delivery_ids = std::collections::HashSet::new();
    for (headers, body) in &got {
        assert!(verify(body, &secret), "signature verifies with the documented recipe");
        assert!(!verify(body, "wrong-secret"));
        let v = body_json(body);
        assert_eq!((v["version"].as_str(), v["appid"].as_str()), (Some("1.0"), Some("demo-station")));
        assert_eq!(v["order_ids"], json!([id]));
        assert!(v["ts"].as_i64().unwrap() > 1_600_000_000);
        assert_eq!(headers["x-dingdan-signature"].to_str().unwrap(), v["sign"].as_str().unwrap());
        assert!(delivery_ids.insert(headers["x-dingdan-delivery"].to_str().unwrap().to_string()));
        // A tampered body fails.
        let tampered = String::from_utf8(body.clone()).unwrap().replace(&id, "PL999999");
        assert!(!verify(tampered.as_bytes(), &secret));
    }
    // The log shows the retries.
    let (_, log) =
        app.admin_get(&admin, &format!("/admin/api/webhooks/subscriptions/{sub}/deliveries?tenant_id=1")).await;
    let deliveries = log["deliveries"].as_array().unwrap();
    assert_eq!(deliveries.len(), 3);
    assert!(deliveries.iter().all(|d| d["status"] == "delivered"));
    let attempts: Vec<Value> = deliveries.iter().flat_map(|d| d["log"].as_array().unwrap().clone()).collect();
    assert_eq!(attempts.iter().filter(|a| a["status_code"] == 500).count(), 2);
    assert_eq!(attempts.iter().filter(|a| a["status_code"] == 200).count(), 3);
    assert!(attempts.iter().all(|a| a["latency_ms"].is_i64() && a["at"].is_i64()));
    // Replay re-sends one event with a new delivery id.
    let event = deliveries.last().unwrap()["event_id"].as_i64().unwrap();
    let (status, body) = app
        .admin_post(
            &admin,
            &format!("/admin/api/webhooks/subscriptions/{sub}/replay"),
            &json!({"tenant_id": 1, "event_id": event}),
        )
        .await;
    assert_eq!((status, body["queued"].as_i64()), (200, Some(1)), "{body}");
    let again = wait_for(&inbox, 4, &app).await;
    assert_eq!(again.len(), 4);
    assert_eq!(body_json(&again[3].1)["type"], "order_sorting");
    assert!(!delivery_ids.contains(again[3].0["x-dingdan-delivery"].to_str().unwrap()));
    // Events of other types are not sent to this subscription.
    let list = app.admin_get(&admin, "/admin/api/webhooks/subscriptions?tenant_id=1").await.1;
    assert!(list["subscriptions"][0].get("secret").is_none());
}

#[tokio::test]
async fn a_rolled_back_change_sends_nothing_and_rotation_overlaps() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (url, inbox) = receiver(0).await;
    let (sub, old) = subscribe(&app, &admin, &url, Value::Null).await;
    let token = app.api_token().await;
    // A refused update writes no event.
    let refused = app
        .post_form(&format!("/openapi/order/update?access_token={token}"), &[("order_id", "PL000001"), ("status", "5")])
        .await;
    assert_eq!(refused.0, 409);
    let (status, body) = app
        .admin_post(
            &admin,
            &format!("/admin/api/webhooks/subscriptions/{sub}/rotate_secret"),
            &json!({"tenant_id": 1, "overlap_secs": 3600}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let new = body["secret"].as_str().unwrap().to_string();
    let ok = app
        .post_form(
            &format!("/openapi/order/update?access_token={token}"),
            &[("order_id", "PL000030"), ("remark", "hi")],
        )
        .await;
    assert_eq!(ok.0, 200);
    let got = wait_for(&inbox, 1, &app).await;
    assert_eq!(got.len(), 1, "only the committed change is announced");
    let (headers, body) = &got[0];
    assert_eq!(body_json(body)["type"], "order_update");
    assert!(verify(body, &new));
    let unsigned = {
        let text = std::str::from_utf8(body).unwrap();
        format!("{}}}", &text[..text.rfind(",\"sign\":\"").unwrap()])
    };
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(old.as_bytes()).unwrap();
    mac.update(unsigned.as_bytes());
    assert_eq!(headers["x-dingdan-signature-previous"].to_str().unwrap(), hex::encode(mac.finalize().into_bytes()));
}

#[tokio::test]
async fn failing_receivers_are_paused_and_private_targets_refused() {
    let app = spawn_app_with(|c| c.webhooks.pause_after_failures = 3).await;
    let admin = app.admin_token().await;
    let (url, inbox) = receiver(usize::MAX).await;
    let (sub, _) = subscribe(&app, &admin, &url, json!(["order_update"])).await;
    let token = app.api_token().await;
    app.post_form(&format!("/openapi/order/update?access_token={token}"), &[("order_id", "PL000030"), ("remark", "x")])
        .await;
    for _ in 0..200 {
        let list = app.admin_get(&admin, "/admin/api/webhooks/subscriptions?tenant_id=1").await.1;
        if list["subscriptions"][0]["paused_at"].is_i64() {
            let reason = list["subscriptions"][0]["pause_reason"].as_str().unwrap().to_string();
            assert!(reason.contains("3 failed deliveries") && reason.contains("HTTP 500"), "{reason}");
            break;
        }
        app.clock.advance_ms(60_000);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let list = app.admin_get(&admin, "/admin/api/webhooks/subscriptions?tenant_id=1").await.1;
    assert!(list["subscriptions"][0]["paused_at"].is_i64(), "{list}");
    // The app sees it too, with its own token; another app sees none of it.
    let own = app.get(&format!("/api/webhook/subscription/list?access_token={token}")).await.1;
    assert!(own["data"][0]["pause_reason"].as_str().unwrap().contains("failed deliveries"), "{own}");
    let other = app.api_token_for("other-station", "other-station-secret").await;
    assert_eq!(app.get(&format!("/api/webhook/subscription/list?access_token={other}")).await.1["data"], json!([]));
    let calls = *inbox.calls.lock().unwrap();
    assert_eq!(calls, 3);
    // Resumed, it delivers again once the receiver recovers.
    *inbox.fail_first.lock().unwrap() = 0;
    let (status, _) = app
        .admin_post(&admin, &format!("/admin/api/webhooks/subscriptions/{sub}/resume"), &json!({"tenant_id": 1}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(wait_for(&inbox, 1, &app).await.len(), 1);

    let strict = spawn_app_with(|c| c.webhooks.allow_private_targets = false).await;
    let admin = strict.admin_token().await;
    for target in
        ["http://127.0.0.1:9/hook", "http://10.1.2.3/hook", "http://169.254.169.254/latest", "file:///etc/passwd"]
    {
        let (status, body) = strict
            .admin_post(
                &admin,
                "/admin/api/webhooks/subscriptions",
                &json!({"tenant_id": 1, "access_id": "demo-station", "url": target}),
            )
            .await;
        assert_eq!(status, 400, "{target}: {body}");
    }
    let (status, _) = strict
        .admin_post(
            &admin,
            "/admin/api/webhooks/subscriptions",
            &json!({"tenant_id": 1, "access_id": "other-station", "url": "http://example.com/"}),
        )
        .await;
    assert_eq!(status, 404, "another tenant's app");
}

/// Every message type of the station document is emitted by a real operation, signed, with
/// its documented field.
#[tokio::test]
async fn every_document_message_type_is_emitted() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let t = app.api_token().await;
    let (url, inbox) = receiver(0).await;
    let (_, secret) = subscribe(&app, &admin, &url, Value::Null).await;
    let post = |path: &str, body: Value| {
        let (app, t, path) = (&app, t.clone(), path.to_string());
        async move {
            let got = app.post_json(&format!("{path}?access_token={t}"), &body).await;
            assert_eq!(got.0, 200, "{path}: {}", got.1);
            got.1["data"].clone()
        }
    };
    let admin_post = |path: &str, body: Value| {
        let (app, admin, path) = (&app, admin.clone(), path.to_string());
        async move {
            let (status, got) = app.admin_post(&admin, &path, &body).await;
            assert!(status == 200 || status == 201, "{path}: {got}");
            got
        }
    };
    // Categories (admin API).
    let c1 = admin_post("/admin/api/catalog/categories", json!({"tenant_id": 1, "level": 1, "name": "蛋类"})).await;
    let c1 = c1["category_id"].as_str().unwrap().to_string();
    admin_post(&format!("/admin/api/catalog/categories/{c1}/rename"), json!({"tenant_id": 1, "name": "蛋品"})).await;
    let c2 = admin_post(
        "/admin/api/catalog/categories",
        json!({"tenant_id": 1, "level": 2, "parent_id": c1, "name": "鸡蛋"}),
    )
    .await;
    let c2 = c2["category_id"].as_str().unwrap().to_string();
    admin_post(&format!("/admin/api/catalog/categories/{c2}/rename"), json!({"tenant_id": 1, "name": "禽蛋"})).await;
    let p = admin_post(
        "/admin/api/catalog/categories",
        json!({"tenant_id": 1, "level": 3, "parent_id": c2, "name": "土鸡蛋"}),
    )
    .await;
    let p = p["category_id"].as_str().unwrap().to_string();
    admin_post(&format!("/admin/api/catalog/categories/{p}/rename"), json!({"tenant_id": 1, "name": "散养鸡蛋"})).await;
    // SPU and SKU (station).
    let spu = post("/api/product/spu/create", json!({"name": "土鸡蛋", "std_unit_name": "个", "pinlei_id": p})).await;
    let spu = spu["spu_id"].as_str().unwrap().to_string();
    post("/api/product/spu/update", json!({"spu_id": spu, "name": "散养土鸡蛋"})).await;
    let sku_fields = json!({"spu_id": spu, "sku_name": "土鸡蛋 30枚", "salemenu_id": "S000001", "std_price": 100, "sale_price": 3000,
        "sale_num_least": 1, "sale_ratio": 30, "sale_unit_name": "盒", "std_unit_name": "个", "is_weigh": 0, "state": 1});
    let sku = post("/api/product/sku/create", sku_fields.clone()).await;
    let mut update = sku_fields;
    update["sku_id"] = sku["sku_id"].clone();
    post("/api/product/sku/update", update).await;
    // Customer (station; delete through the admin API).
    let customer = post("/api/customer/create", json!({"username": "evt", "password": "secret123", "payer_name": "a",
        "payer_telephone": "13900000001", "restaurant_name": "事件饭店", "receiver_name": "b", "receiver_telephone": "13900000002",
        "district_code": "440300", "area_level1": "440304", "area_level2": "440304001", "restaurant_address": "x",
        "salemenu_ids": ["S000001"]})).await;
    let sid = customer["customer_id"].as_str().unwrap().to_string();
    post("/api/customer/update", json!({"customer_id": sid, "restaurant_name": "事件大饭店"})).await;
    admin_post(&format!("/admin/api/customers/{sid}/delete"), json!({"tenant_id": 1})).await;
    // Inventory sheets and stocktaking (admin API).
    let spu_n = spu.trim_start_matches('C').parse::<i64>().unwrap();
    let line = json!([{"spu_id": spu, "quantity": 300}]);
    let sheet = |kind: &str| json!({"tenant_id": 1, "kind": kind, "lines": line});
    let in1 = admin_post("/admin/api/inventory/sheets", sheet("in")).await["sheet_id"].as_i64().unwrap();
    admin_post(
        &format!("/admin/api/inventory/sheets/{in1}/update"),
        json!({"tenant_id": 1, "lines": line, "remark": "改"}),
    )
    .await;
    admin_post(&format!("/admin/api/inventory/sheets/{in1}/submit"), json!({"tenant_id": 1})).await;
    let in2 = admin_post("/admin/api/inventory/sheets", sheet("in")).await["sheet_id"].as_i64().unwrap();
    admin_post(&format!("/admin/api/inventory/sheets/{in2}/reject"), json!({"tenant_id": 1})).await;
    admin_post(&format!("/admin/api/inventory/sheets/{in2}/delete"), json!({"tenant_id": 1})).await;
    let out1 = admin_post("/admin/api/inventory/sheets", sheet("out")).await["sheet_id"].as_i64().unwrap();
    admin_post(
        &format!("/admin/api/inventory/sheets/{out1}/update"),
        json!({"tenant_id": 1, "lines": line, "remark": "改"}),
    )
    .await;
    admin_post(&format!("/admin/api/inventory/sheets/{out1}/submit"), json!({"tenant_id": 1})).await;
    let out2 = admin_post("/admin/api/inventory/sheets", sheet("out")).await["sheet_id"].as_i64().unwrap();
    admin_post(&format!("/admin/api/inventory/sheets/{out2}/delete"), json!({"tenant_id": 1})).await;
    admin_post("/admin/api/inventory/stocktaking", json!({"tenant_id": 1, "spu_id": spu, "stock": 12})).await;
    // Orders sorting and delivering.
    let order = app.place_order(&admin).await;
    app.admin_move(&admin, &order, "start_sorting").await;
    app.admin_move(&admin, &order, "ship").await;

    let wanted: Vec<(&str, &str)> = vec![
        ("order_sorting", "order_ids"),
        ("order_delivering", "order_ids"),
        ("category1_create", "category1_id"),
        ("category1_updated", "category1_id"),
        ("category2_create", "category2_id"),
        ("category2_updated", "category2_id"),
        ("pinlei_create", "pinlei_id"),
        ("pinlei_updated", "pinlei_id"),
        ("spu_create", "spu_id"),
        ("spu_updated", "spu_id"),
        ("sku_create", "sku_id"),
        ("sku_updated", "sku_id"),
        ("customer_create", "customer_id"),
        ("customer_update", "customer_id"),
        ("customer_delete", "customer_id"),
        ("in_stock_sheet_create", "sheet_id"),
        ("in_stock_sheet_update", "sheet_id"),
        ("in_stock_sheet_delete", "sheet_id"),
        ("in_stock_sheet_submit", "sheet_id"),
        ("in_stock_sheet_reject", "sheet_id"),
        ("out_stock_sheet_create", "sheet_id"),
        ("out_stock_sheet_update", "sheet_id"),
        ("out_stock_sheet_delete", "sheet_id"),
        ("out_stock_sheet_submit", "sheet_id"),
        ("stock_edit", "stock"),
    ];
    let mut seen = std::collections::HashMap::new();
    for _ in 0..200 {
        for (_, body) in inbox.got.lock().unwrap().iter() {
            let v = body_json(body);
            seen.insert(v["type"].as_str().unwrap().to_string(), (v, body.clone()));
        }
        if wanted.iter().all(|(t, _)| seen.contains_key(*t)) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    for (kind, field) in &wanted {
        let (v, raw) = seen.get(*kind).unwrap_or_else(|| panic!("no {kind} message"));
        assert!(v.get(*field).is_some(), "{kind} lacks {field}: {v}");
        assert!(verify(raw, &secret), "{kind} signature");
    }
    assert_eq!(seen["stock_edit"].0["spu_id"], spu.as_str());
    assert_eq!(seen["stock_edit"].0["stock"], 12.0);
    assert_eq!(seen["category1_create"].0["category1_id"], c1.as_str());
    assert!(spu_n > 0);
}
