//! Offline dialect: pickup packages, codes, the customer's fetch and the action history.

use crate::helpers::{assert_api_error, spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};

const LIST: &str = "/api/orders/pick_up_code/";

fn ids(body: &Value) -> Vec<i64> {
    body["data"]["results"].as_array().unwrap().iter().map(|p| p["id"].as_i64().unwrap()).collect()
}

async fn listed(app: &TestApp, token: &str, query: &str) -> Vec<i64> {
    let (status, body) = app.staff_get(token, &format!("{LIST}?{query}")).await;
    assert_eq!(status, 200, "{query}: {body}");
    if !query.contains("limit") {
        assert_eq!(body["data"]["count"].as_i64().unwrap() as usize, ids(&body).len());
    } else {
        assert_eq!(body["data"]["count"], 4, "count is the total, not the page");
    }
    ids(&body)
}

#[tokio::test]
async fn staff_list_their_stores_packages_with_every_filter() {
    let app = spawn_app().await;
    let staff = app.staff_token("staff", "staff123").await;
    // Demo at 演示门店: 1 unused/unprepare, 2 unused/prepared, 3 used, 4 canceled; 5 and 6 are at 演示二店.
    let (status, all) = app.staff_get(&staff, LIST).await;
    assert_eq!(status, 200, "{all}");
    assert_eq!(ids(&all), [4, 3, 2, 1]);
    let first = &all["data"]["results"][3];
    for key in [
        "id",
        "heyshop_order_id",
        "key",
        "key_status",
        "stock_status",
        "shop_id",
        "shop_name",
        "expires_at",
        "created_at",
    ] {
        assert!(first.get(key).is_some(), "package lacks {key}");
    }
    assert_eq!((first["key_status"].as_str(), first["stock_status"].as_str()), (Some("unused"), Some("unprepare")));
    let key1 = first["key"].as_str().unwrap().to_string();
    assert!(key1.len() == 6 && key1.bytes().all(|b| b.is_ascii_digit()));
    let key2 = all["data"]["results"][2]["key"].as_str().unwrap().to_string();
    let order1 = first["heyshop_order_id"].as_i64().unwrap();

    assert_eq!(listed(&app, &staff, "id=1").await, [1]);
    assert_eq!(listed(&app, &staff, "id__in=1,2,5").await, [2, 1], "package 5 belongs to another store");
    assert_eq!(listed(&app, &staff, "stock_status=prepared").await, [3, 2]);
    assert_eq!(listed(&app, &staff, "stock_status__in=unprepare,%20prepared").await, [4, 3, 2, 1]);
    assert_eq!(listed(&app, &staff, &format!("heyshop_order_id={order1}")).await, [1]);
    assert_eq!(listed(&app, &staff, &format!("heyshop_order_id__in={order1},999")).await, [1]);
    assert_eq!(listed(&app, &staff, &format!("key={key1}")).await, [1]);
    assert_eq!(listed(&app, &staff, &format!("key_in={key1},{key2}")).await, [2, 1]);
    assert_eq!(listed(&app, &staff, &format!("key__in={key2}")).await, [2]);
    assert_eq!(listed(&app, &staff, "key_status=unused").await, [2, 1]);
    assert_eq!(listed(&app, &staff, "key_status__in=used,canceled").await, [4, 3]);
    assert_eq!(listed(&app, &staff, "key_status=unused&stock_status=prepared").await, [2]);
    assert_eq!(listed(&app, &staff, "limit=2&offset=1").await, [3, 2]);
    assert_api_error(&app.staff_get(&staff, &format!("{LIST}?stock_status=ready")).await, 400, 1, "stock_status");
    assert_api_error(&app.staff_get(&staff, &format!("{LIST}?key_status__in=used,lost")).await, 400, 1, "key_status");
    assert_api_error(&app.staff_get(&staff, &format!("{LIST}?id=abc")).await, 400, 1, "id");
    assert_api_error(&app.staff_get(&staff, &format!("{LIST}?limit=1000")).await, 400, 1, "limit");
    // Expiry is derived: a week later the unused codes read as expired.
    app.clock.advance_ms(8 * 86_400_000);
    let staff = app.staff_token("staff", "staff123").await;
    assert_eq!(listed(&app, &staff, "key_status=expired").await, [2, 1]);
    assert!(listed(&app, &staff, "key_status=unused").await.is_empty());
}

#[tokio::test]
async fn order_detail_fetch_and_store_isolation() {
    let app = spawn_app().await;
    let staff = app.staff_token("staff", "staff123").await;
    let (status, body) = app.staff_get(&staff, "/api/orders/pick_up_code/1/order/").await;
    assert_eq!(status, 200, "{body}");
    let order = &body["data"];
    assert_eq!(order["status"], "ready_for_pickup");
    assert_eq!(order["payment_status"], "paid");
    assert_eq!(order["pick_up_code"]["id"], 1);
    assert_eq!(order["items"].as_array().unwrap().len(), 2);
    let token = order["order_token"].as_str().unwrap().to_string();
    // The customer's fetch: no staff token, only their order.
    let (status, mine) =
        app.get(&format!("/api/orders/pick_up_code/fetch/?order_token={token}&shop=demo.dingdan.local")).await;
    assert_eq!(status, 200, "{mine}");
    assert_eq!(mine["data"]["key"], order["pick_up_code"]["key"]);
    assert_eq!(mine["data"]["heyshop_order_id"], order["id"]);
    assert_eq!(mine["data"]["shop_name"], "演示门店");
    assert!(mine["data"].get("order_token").is_none() && mine["data"].get("used_by").is_none());
    assert_api_error(
        &app.get(&format!("/api/orders/pick_up_code/fetch/?order_token={token}&shop=other.dingdan.local")).await,
        404,
        5,
        "not found",
    );
    assert_api_error(
        &app.get("/api/orders/pick_up_code/fetch/?order_token=guess&shop=demo.dingdan.local").await,
        404,
        5,
        "not found",
    );
    assert_api_error(&app.get("/api/orders/pick_up_code/fetch/?shop=demo.dingdan.local").await, 400, 1, "order_token");
    // Package 5 is at the other store: invisible to this staff member.
    assert_api_error(&app.staff_get(&staff, "/api/orders/pick_up_code/5/order/").await, 404, 5, "not found");
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/5/stock_prepare/", &json!({})).await,
        404,
        5,
        "not found",
    );
    assert_api_error(&app.staff_get(&staff, "/api/orders/pick_up_code/abc/order/").await, 404, 5, "not found");
    let admin = app.admin_token().await;
    let (_, other_key, _) = app.new_package(&admin, 2).await;
    assert_api_error(
        &app.staff_get(&staff, &format!("/api/orders/pick_up_code/check/?key={other_key}")).await,
        404,
        5,
        "not found",
    );
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": other_key})).await,
        404,
        5,
        "not found",
    );
}

#[tokio::test]
async fn prepare_check_consume_rollback() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let staff = app.staff_token("staff", "staff123").await;
    let (id, key, _) = app.new_package(&admin, 1).await;
    // Check changes nothing.
    let (status, checked) = app.staff_get(&staff, &format!("/api/orders/pick_up_code/check/?key={key}")).await;
    assert_eq!(status, 200, "{checked}");
    assert_eq!(checked["data"]["pick_up_code"]["key_status"], "unused");
    assert_eq!(checked["data"]["status"], "ready_for_pickup");
    assert_api_error(&app.staff_get(&staff, "/api/orders/pick_up_code/check/?key=12ab").await, 400, 1, "six digits");
    assert_api_error(&app.staff_get(&staff, "/api/orders/pick_up_code/check/").await, 400, 1, "key");
    // Prepare once.
    let (status, p) =
        app.staff_post(&staff, &format!("/api/orders/pick_up_code/{id}/stock_prepare/"), &json!({})).await;
    assert_eq!((status, p["data"]["stock_status"].clone()), (200, json!("prepared")), "{p}");
    assert_api_error(
        &app.staff_post(&staff, &format!("/api/orders/pick_up_code/{id}/stock_prepare/"), &json!({})).await,
        409,
        6,
        "already prepared",
    );
    // Rolling back an unused code is refused.
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/rollback/", &json!({"key": key})).await,
        409,
        6,
        "only a used code",
    );
    // Consume (form body works too).
    let r = app
        .client
        .post(app.url("/api/orders/pick_up_code/consume/"))
        .header("authorization", &staff)
        .form(&[("key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["data"]["key_status"], "used");
    assert!(body["data"]["used_at"].is_string() && body["data"]["used_by"].is_i64());
    let (_, detail) = app.staff_get(&staff, &format!("/api/orders/pick_up_code/{id}/order/")).await;
    assert_eq!(detail["data"]["status"], "completed", "consuming completes the order");
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key})).await,
        409,
        6,
        "already used",
    );
    assert_api_error(
        &app.staff_post(&staff, &format!("/api/orders/pick_up_code/{id}/stock_prepare/"), &json!({})).await,
        409,
        6,
        "prepared",
    );
    // Roll back with a reason, then consume again.
    let (status, back) = app
        .staff_post(&staff, "/api/orders/pick_up_code/rollback/", &json!({"key": key, "reason": "顾客拿错了"}))
        .await;
    assert_eq!((status, back["data"]["key_status"].clone()), (200, json!("unused")), "{back}");
    let (_, detail) = app.staff_get(&staff, &format!("/api/orders/pick_up_code/{id}/order/")).await;
    assert_eq!(detail["data"]["status"], "ready_for_pickup");
    assert_eq!(app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key})).await.0, 200);
    // The rollback window closes.
    app.clock.advance_ms(86_400_000 + 1000);
    let staff = app.staff_token("staff", "staff123").await;
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/rollback/", &json!({"key": key})).await,
        409,
        6,
        "window",
    );

    let manager = app.staff_token("manager", "manager123").await;
    let (_, history) = app.staff_get(&manager, "/api/shops/action_history/?limit=200").await;
    let mine: Vec<&Value> = history["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["entity"] == "pickup_package" && a["entity_id"] == id)
        .collect();
    let actions: Vec<&str> = mine.iter().rev().map(|a| a["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "create_package",
            "check",
            "stock_prepare",
            "rollback_failed",
            "consume",
            "consume_failed",
            "rollback",
            "consume",
            "rollback_failed"
        ]
    );
    let rollback = mine.iter().find(|a| a["action"] == "rollback").unwrap();
    assert_eq!((rollback["before"].as_str(), rollback["after"].as_str()), (Some("used"), Some("unused")));
    assert_eq!(rollback["detail"]["reason"], "顾客拿错了");
    let consume = mine.iter().find(|a| a["action"] == "consume").unwrap();
    assert!(consume["staff_id"].as_i64().unwrap() > 0 && consume["created_at"].is_string());
    // The order's own audit trail shows the state machine's moves.
    let order_moves: Vec<&str> = history["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["entity"] == "order" && a["entity_id"] == detail["data"]["id"])
        .map(|a| a["action"].as_str().unwrap())
        .collect();
    assert!(order_moves.contains(&"complete") && order_moves.contains(&"undo_pick_up"), "{order_moves:?}");
}

#[tokio::test]
async fn cancelled_and_expired_codes_cannot_be_consumed() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let staff = app.staff_token("staff", "staff123").await;
    let (id, key, _) = app.new_package(&admin, 1).await;
    let (status, body) =
        app.admin_post(&admin, &format!("/admin/api/pickup/packages/{id}/cancel"), &json!({"tenant_id": 1})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["key_status"], "canceled");
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key})).await,
        409,
        6,
        "cancelled",
    );
    let (_, detail) = app.staff_get(&staff, &format!("/api/orders/pick_up_code/{id}/order/")).await;
    assert_eq!(
        (detail["data"]["status"].as_str(), detail["data"]["payment_status"].as_str()),
        (Some("cancelled"), Some("refunded"))
    );
    // The used demo code cannot be cancelled.
    assert_eq!(app.admin_post(&admin, "/admin/api/pickup/packages/3/cancel", &json!({"tenant_id": 1})).await.0, 409);
    let (_, key2, _) = app.new_package(&admin, 1).await;
    app.clock.advance_ms(7 * 86_400_000 + 1000);
    let staff = app.staff_token("staff", "staff123").await;
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key2})).await,
        409,
        6,
        "expired",
    );
}

#[tokio::test]
async fn a_store_may_forbid_consuming_unprepared_codes() {
    let app = spawn_app_with(|c| c.offline.require_prepared = true).await;
    let staff = app.staff_token("staff", "staff123").await;
    let (_, body) = app.staff_get(&staff, &format!("{LIST}?id=1")).await;
    let key = body["data"]["results"][0]["key"].as_str().unwrap().to_string();
    assert_api_error(
        &app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key})).await,
        409,
        6,
        "not prepared",
    );
    assert_eq!(app.staff_post(&staff, "/api/orders/pick_up_code/1/stock_prepare/", &json!({})).await.0, 200);
    assert_eq!(app.staff_post(&staff, "/api/orders/pick_up_code/consume/", &json!({"key": key})).await.0, 200);
}

#[tokio::test]
async fn guessing_codes_is_slowed_down() {
    let app = spawn_app().await;
    let staff = app.staff_token("staff", "staff123").await;
    let (_, body) = app.staff_get(&staff, &format!("{LIST}?id=2")).await;
    let real = body["data"]["results"][0]["key"].as_str().unwrap().to_string();
    let mut guesses = 0;
    for n in 0..40 {
        let guess = format!("{:06}", 100_000 + n * 7919);
        if guess == real {
            continue;
        }
        let got = app.staff_get(&staff, &format!("/api/orders/pick_up_code/check/?key={guess}")).await;
        if got.0 == 429 {
            assert_api_error(&got, 429, 8, "too many");
            break;
        }
        assert_eq!(got.0, 404);
        guesses += 1;
    }
    assert_eq!(guesses, 10, "ten failed look-ups a minute, then refused");
    assert_eq!(app.staff_get(&staff, &format!("/api/orders/pick_up_code/check/?key={real}")).await.0, 429);
    // Another staff member is not slowed down; and a minute later neither is this one.
    let manager = app.staff_token("manager", "manager123").await;
    assert_eq!(app.staff_get(&manager, &format!("/api/orders/pick_up_code/check/?key={real}")).await.0, 200);
    app.clock.advance_ms(61_000);
    assert_eq!(app.staff_get(&staff, &format!("/api/orders/pick_up_code/check/?key={real}")).await.0, 200);
    let (_, history) = app.staff_get(&manager, "/api/shops/action_history/?limit=200").await;
    let failed =
        history["data"]["results"].as_array().unwrap().iter().filter(|a| a["action"] == "check_failed").count();
    assert_eq!(failed, 10);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn fifty_concurrent_consumes_succeed_once() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let staff = app.staff_token("staff", "staff123").await;
    let (id, key, _) = app.new_package(&admin, 1).await;
    let mut tasks = Vec::new();
    for _ in 0..50 {
        let (client, url, staff, key) =
            (app.client.clone(), app.url("/api/orders/pick_up_code/consume/"), staff.clone(), key.clone());
        tasks.push(tokio::spawn(async move {
            let r = client.post(url).header("authorization", staff).json(&json!({"key": key})).send().await.unwrap();
            let status = r.status().as_u16();
            (status, r.json::<Value>().await.unwrap())
        }));
    }
    let mut ok = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            200 => ok += 1,
            409 => assert_eq!(body["msg"], "pickup code already used", "{body}"),
            other => panic!("unexpected {other}: {body}"),
        }
    }
    assert_eq!(ok, 1);
    let manager = app.staff_token("manager", "manager123").await;
    let (_, history) = app.staff_get(&manager, "/api/shops/action_history/?limit=200").await;
    let consumed = history["data"]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["action"] == "consume" && a["entity_id"] == id)
        .count();
    assert_eq!(consumed, 1);
    let (_, detail) = app.staff_get(&staff, &format!("/api/orders/pick_up_code/{id}/order/")).await;
    assert_eq!(detail["data"]["status"], "completed");
}
