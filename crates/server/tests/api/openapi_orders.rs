//! `GET /openapi/order/get` and `POST /openapi/order/update`.

use crate::helpers::{assert_api_error, spawn_app, TestApp};
use serde_json::{json, Value};

fn update_path(token: &str) -> String {
    format!("/openapi/order/update?access_token={token}")
}

#[tokio::test]
async fn an_order_reads_as_the_document_shows_it() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let token = app.api_token().await;
    let id = app.place_order(&admin).await;
    let o = app.openapi_order(&token, &id).await;
    assert_eq!(o["status"], 1);
    assert_eq!(o["freight"], 2000);
    // 2 × 7.28 + 1.5 × (the SKU's price) + 3 × 10.00, in fen.
    let details = o["details"].as_array().unwrap();
    assert_eq!(details.len(), 3);
    let d1 = details.iter().find(|d| d["id"] == "D000001").unwrap();
    assert_eq!(d1["sale_price"], "7.28");
    assert_eq!(d1["quantity"], 2);
    assert_eq!(d1["real_item_price"], 1456);
    assert_eq!(d1["spu_id"], "C000001");
    assert_eq!(d1["name"], "白菜苔|斤");
    assert_eq!(d1["category_title_1"], "蔬菜");
    assert_eq!(d1["category_title_2"], "叶菜类");
    assert_eq!(d1["is_weight"], true);
    assert_eq!(d1["has_weight"], false);
    for key in [
        "std_unit_name",
        "sale_unit_name",
        "real_quantity",
        "spu_remark",
        "accept_quantity",
        "supplier_name",
        "purchase_quantity",
        "sale_ratio",
        "salemenu_name",
    ] {
        assert!(d1.get(key).is_some(), "detail lacks {key}");
    }
    let d3 = details.iter().find(|d| d["id"] == "D000003").unwrap();
    assert_eq!(d3["quantity"], 1.5);
    let line_sum: i64 = details.iter().map(|d| d["real_item_price"].as_i64().unwrap()).sum();
    assert_eq!(o["real_price"], line_sum);
    assert_eq!(o["total_pay"], line_sum + 2000);
    assert_eq!(o["remark"], "test");
    assert!(o["sort_id"].is_null());
    let c = &o["customer"];
    assert_eq!(c["resname"], "盐田区沙头角中学沙县小吃");
    assert_eq!(c["address"], "沙头角东和路55号");
    assert_eq!(c["receiver_name"], "邓华君");
    assert_eq!(c["receiver_phone"], "18033432789");
    assert_eq!(c["receive_begin_time"], "2030-06-22 06:00");
    assert_eq!(c["receive_end_time"], "2030-06-22 12:00");
    let dt = o["date_time"].as_str().unwrap();
    assert!(chrono::NaiveDateTime::parse_from_str(dt, "%Y-%m-%dT%H:%M:%S%.3f").is_ok() && dt.len() == 23, "{dt}");
}

#[tokio::test]
async fn signed_demo_orders_show_weighed_quantities() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    // PL000001 is a signed demo order whose first weighed line was weighed 0.125 over.
    let o = app.openapi_order(&token, "PL000001").await;
    assert_eq!(o["status"], 15);
    assert!(o["sort_id"].as_i64().unwrap() >= 1);
    let weighed = o["details"].as_array().unwrap().iter().find(|d| d["has_weight"] == true).expect("a weighed line");
    let q = weighed["quantity"].as_f64().unwrap();
    let real = weighed["real_quantity"].as_f64().unwrap();
    assert!((real - q - 0.125).abs() < 1e-9, "{weighed}");
    assert_eq!(weighed["accept_quantity"], weighed["real_quantity"]);
}

#[tokio::test]
async fn unknown_or_malformed_order_ids() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    assert_api_error(
        &app.get(&format!("/openapi/order/get?access_token={token}&order_id=PL999999")).await,
        404,
        5,
        "not found",
    );
    assert_api_error(&app.get(&format!("/openapi/order/get?access_token={token}&order_id=XYZ")).await, 404, 5, "XYZ");
    assert_api_error(&app.get(&format!("/openapi/order/get?access_token={token}")).await, 400, 1, "order_id");
    let upd = app.post_form(&update_path(&token), &[("order_id", "PL999999"), ("remark", "x")]).await;
    assert_api_error(&upd, 404, 5, "not found");
}

async fn setup() -> (TestApp, String, String, String) {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let token = app.api_token().await;
    let id = app.place_order(&admin).await;
    (app, admin, token, id)
}

#[tokio::test]
async fn price_and_amount_change_while_waiting_or_sorting() {
    let (app, admin, token, id) = setup().await;
    let before = app.openapi_order(&token, &id).await;
    let got = app.post_form(&update_path(&token), &[("order_id", &id), ("sku_id", "D000001"), ("price", "800")]).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(got.1, json!({"code": 0, "msg": "ok", "data": null}));
    let after = app.openapi_order(&token, &id).await;
    let d1 = after["details"].as_array().unwrap().iter().find(|d| d["id"] == "D000001").unwrap().clone();
    assert_eq!(d1["sale_price"], "8.00");
    assert_eq!(d1["real_item_price"], 1600);
    assert_eq!(after["real_price"].as_i64().unwrap(), before["real_price"].as_i64().unwrap() + 144);
    assert_eq!(after["total_pay"].as_i64().unwrap(), before["total_pay"].as_i64().unwrap() + 144);

    // JSON works the same; now sorting, amounts still change.
    app.admin_move(&admin, &id, "start_sorting").await;
    let got = app
        .post_json(&update_path(&token), &json!({"order_id": id, "sku_id": "D000001", "amount": 3, "remark": "切块"}))
        .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let o = app.openapi_order(&token, &id).await;
    assert_eq!(o["status"], 5);
    let d1 = o["details"].as_array().unwrap().iter().find(|d| d["id"] == "D000001").unwrap().clone();
    assert_eq!(
        (d1["quantity"].clone(), d1["real_item_price"].clone(), d1["spu_remark"].clone()),
        (json!(3), json!(2400), json!("切块"))
    );

    let (audit, events) = app.history(&admin, &id).await;
    assert!(audit.iter().filter(|a| a["action"] == "update").count() >= 2);
    assert!(audit.iter().all(|a| a["actor_role"].is_string() && a["at"].is_i64()));
    assert!(events.iter().filter(|e| e["event_type"] == "order_update").count() >= 2);
}

#[tokio::test]
async fn prices_freeze_once_the_order_is_delivering() {
    let (app, admin, token, id) = setup().await;
    app.admin_move(&admin, &id, "ship").await;
    let before = app.openapi_order(&token, &id).await;
    let (audit_before, events_before) = app.history(&admin, &id).await;
    let got = app.post_form(&update_path(&token), &[("order_id", &id), ("sku_id", "D000001"), ("price", "1")]).await;
    assert_api_error(&got, 409, 6, "1 or 5");
    let got = app.post_form(&update_path(&token), &[("order_id", &id), ("sku_id", "D000001"), ("amount", "9")]).await;
    assert_api_error(&got, 409, 6, "1 or 5");
    let got =
        app.post_form(&update_path(&token), &[("order_id", &id), ("receive_begin_time", "2030-06-22 07:00:00")]).await;
    assert_api_error(&got, 409, 6, "1 or 5");
    // A remark and a price in one request: all or nothing.
    let got = app
        .post_form(&update_path(&token), &[("order_id", &id), ("sku_id", "D000001"), ("price", "1"), ("remark", "x")])
        .await;
    assert_eq!(got.0, 409);
    assert_eq!(app.openapi_order(&token, &id).await, before, "refusals change nothing");
    assert_eq!(app.history(&admin, &id).await, (audit_before, events_before), "no audit or event for refusals");
    // The order's own remark may still change.
    let got = app.post_form(&update_path(&token), &[("order_id", &id), ("remark", "放门口")]).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(app.openapi_order(&token, &id).await["remark"], "放门口");
}

#[tokio::test]
async fn status_moves_only_forward_as_documented() {
    let (app, admin, token, id) = setup().await;
    let set = |s: &'static str| {
        let app = &app;
        let token = token.clone();
        let id = id.clone();
        async move { app.post_form(&update_path(&token), &[("order_id", &id), ("status", s)]).await }
    };
    assert_api_error(&set("15").await, 409, 6, "from 1 to 15");
    assert_api_error(&set("7").await, 400, 1, "status");
    assert_api_error(&set("abc").await, 400, 1, "status");
    assert_eq!(set("5").await.0, 200);
    let o = app.openapi_order(&token, &id).await;
    assert_eq!(o["status"], 5);
    assert_eq!(o["sort_id"], 1, "sorting assigns the first sorting number of the receive day");
    assert_eq!(set("5").await.0, 200, "asking for the current status changes nothing");
    assert_api_error(&set("1").await, 409, 6, "from 5 to 1");
    assert_eq!(set("10").await.0, 200);
    assert_eq!(app.openapi_order(&token, &id).await["status"], 10);
    assert_api_error(&set("5").await, 409, 6, "from 10 to 5");
    assert_api_error(&set("1").await, 409, 6, "from 10 to 1");
    assert_api_error(&set("15").await, 409, 6, "from 10 to 15");

    let (audit, events) = app.history(&admin, &id).await;
    let moves: Vec<(Value, Value, Value)> = audit
        .iter()
        .filter(|a| a["from_state"].is_string())
        .map(|a| (a["action"].clone(), a["from_state"].clone(), a["to_state"].clone()))
        .collect();
    assert_eq!(
        moves,
        vec![
            (json!("start_sorting"), json!("pending"), json!("sorting")),
            (json!("ship"), json!("sorting"), json!("delivering")),
        ]
    );
    let types: Vec<&str> = events.iter().map(|e| e["event_type"].as_str().unwrap()).collect();
    assert_eq!(types, ["order_create", "order_sorting", "order_delivering"]);

    // 1 → 10 directly is allowed too.
    let id2 = app.place_order(&admin).await;
    let got = app.post_form(&update_path(&token), &[("order_id", &id2), ("status", "10")]).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(app.openapi_order(&token, &id2).await["status"], 10);
}

#[tokio::test]
async fn receive_times_and_remarks() {
    let (app, _admin, token, id) = setup().await;
    let got = app
        .post_json(
            &update_path(&token),
            &json!({"order_id": id, "receive_begin_time": "2030-06-23 07:15:00",
                                                  "receive_end_time": "2030-06-23 11:00:00"}),
        )
        .await;
    assert_eq!(got.0, 200, "{}", got.1);
    let o = app.openapi_order(&token, &id).await;
    assert_eq!(o["customer"]["receive_begin_time"], "2030-06-23 07:15");
    assert_eq!(o["customer"]["receive_end_time"], "2030-06-23 11:00");
    let reversed =
        app.post_form(&update_path(&token), &[("order_id", &id), ("receive_end_time", "2030-06-23 07:00:00")]).await;
    assert_api_error(&reversed, 400, 1, "receive_end_time");
    let bad = app.post_form(&update_path(&token), &[("order_id", &id), ("receive_begin_time", "tomorrow")]).await;
    assert_api_error(&bad, 400, 1, "YYYY-MM-DD HH:MM:SS");
    assert_eq!(app.openapi_order(&token, &id).await["customer"], o["customer"]);
}

#[tokio::test]
async fn bad_bodies_change_nothing() {
    let (app, admin, token, id) = setup().await;
    let before = app.openapi_order(&token, &id).await;
    let (audit_before, _) = app.history(&admin, &id).await;
    let path = update_path(&token);
    let cases: Vec<(u16, serde_json::Value)> = vec![
        app.post_form(&path, &[("order_id", &id), ("sku_id", "D000001"), ("price", "-5")]).await,
        app.post_form(&path, &[("order_id", &id), ("sku_id", "D000001"), ("price", "99999999999999")]).await,
        app.post_form(&path, &[("order_id", &id), ("sku_id", "D000001"), ("amount", "0")]).await,
        app.post_form(&path, &[("order_id", &id), ("sku_id", "D000001"), ("amount", "-1")]).await,
        app.post_form(&path, &[("order_id", &id), ("sku_id", "D000001"), ("amount", "1e12")]).await,
        app.post_form(&path, &[("order_id", &id), ("price", "100")]).await,
        app.post_form(&path, &[("order_id", &id)]).await,
        app.post_form(&path, &[("sku_id", "D000001"), ("price", "100")]).await,
        app.post_json(&path, &json!({"order_id": id, "sku_id": "D000001", "price": "abc"})).await,
        app.post_json(&path, &json!({"order_id": id, "sku_id": "D000001", "price": 7.5})).await,
        app.post_json(&path, &json!({"order_id": id, "sku_id": "D000001", "amount": [1]})).await,
        app.post_raw(&path, "application/json", b"{not json".to_vec()).await,
        app.post_raw(&path, "application/json", b"[1,2]".to_vec()).await,
    ];
    for (i, got) in cases.iter().enumerate() {
        assert_eq!(got.0, 400, "case {i}: {}", got.1);
        assert!(
            got.1["code"].as_i64().unwrap() != 0 && got.1["msg"].as_str().unwrap().len() > 3,
            "case {i}: {}",
            got.1
        );
    }
    let missing_line = app.post_form(&path, &[("order_id", &id), ("sku_id", "D000060"), ("price", "100")]).await;
    assert_api_error(&missing_line, 404, 5, "not found");
    assert_eq!(app.openapi_order(&token, &id).await, before);
    assert_eq!(app.history(&admin, &id).await.0, audit_before);
}

#[tokio::test]
async fn concurrent_moves_ship_an_order_once() {
    let (app, admin, token, id) = setup().await;
    let path = update_path(&token);
    let mut tasks = Vec::new();
    for i in 0..12 {
        let client = app.client.clone();
        let url = app.url(&path);
        let status = if i % 2 == 0 { "10" } else { "5" };
        let id = id.clone();
        tasks.push(tokio::spawn(async move {
            client
                .post(url)
                .form(&[("order_id", id.as_str()), ("status", status)])
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }));
    }
    for t in tasks {
        let s = t.await.unwrap();
        assert!(s == 200 || s == 409, "status {s}");
    }
    assert_eq!(app.openapi_order(&token, &id).await["status"], 10);
    let (audit, events) = app.history(&admin, &id).await;
    assert_eq!(audit.iter().filter(|a| a["action"] == "ship").count(), 1, "{audit:?}");
    assert_eq!(events.iter().filter(|e| e["event_type"] == "order_delivering").count(), 1);
    assert!(audit.iter().filter(|a| a["action"] == "start_sorting").count() <= 1);
}
