//! Inventory: in-stock and out-stock sheets, orders leaving the warehouse, stocktaking.

use crate::helpers::{spawn_app, spawn_app_with, TestApp};
use serde_json::{json, Value};

async fn stock_of(app: &TestApp, admin: &str, spu: &str) -> f64 {
    let (status, body) = app.admin_get(admin, &format!("/admin/api/inventory/stock?tenant_id=1&spu_id={spu}")).await;
    assert_eq!(status, 200, "{body}");
    body["stock"].as_array().unwrap().first().map(|s| s["stock"].as_f64().unwrap()).unwrap_or(0.0)
}

async fn sheet(app: &TestApp, admin: &str, kind: &str, lines: Value) -> i64 {
    let (status, body) = app
        .admin_post(
            admin,
            "/admin/api/inventory/sheets",
            &json!({"tenant_id": 1, "kind": kind, "lines": lines, "remark": "t"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    body["sheet_id"].as_i64().unwrap()
}

async fn act(app: &TestApp, admin: &str, id: i64, action: &str) -> (u16, Value) {
    app.admin_post(admin, &format!("/admin/api/inventory/sheets/{id}/{action}"), &json!({"tenant_id": 1})).await
}

async fn event_types(app: &TestApp, admin: &str, entity: &str, id: i64) -> Vec<String> {
    let (_, body) =
        app.admin_get(admin, &format!("/admin/api/events?tenant_id=1&entity={entity}&entity_id={id}")).await;
    body["events"].as_array().unwrap().iter().map(|e| e["event_type"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn in_stock_out_stock_and_stocktaking() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    // In-stock: draft, edit, submit once.
    let inbound = sheet(&app, &admin, "in", json!([{"spu_id": "C000021", "quantity": 50, "price": 300}])).await;
    let edit =
        json!({"tenant_id": 1, "lines": [{"spu_id": "C000021", "quantity": 100, "price": 300}], "remark": "补货"});
    assert_eq!(app.admin_post(&admin, &format!("/admin/api/inventory/sheets/{inbound}/update"), &edit).await.0, 200);
    assert_eq!(stock_of(&app, &admin, "C000021").await, 0.0, "a draft moves nothing");
    let (status, body) = act(&app, &admin, inbound, "submit").await;
    assert_eq!((status, body["status"].as_str()), (200, Some("submitted")), "{body}");
    assert_eq!(stock_of(&app, &admin, "C000021").await, 100.0);
    assert_eq!(act(&app, &admin, inbound, "submit").await.0, 409, "submitting twice is refused");
    assert_eq!(stock_of(&app, &admin, "C000021").await, 100.0);
    assert_eq!(act(&app, &admin, inbound, "delete").await.0, 409);
    assert_eq!(
        event_types(&app, &admin, "stock_sheet", inbound).await,
        ["in_stock_sheet_create", "in_stock_sheet_update", "in_stock_sheet_submit"]
    );
    // Rejected, then deleted.
    let rejected = sheet(&app, &admin, "in", json!([{"spu_id": "C000022", "quantity": 5}])).await;
    assert_eq!(act(&app, &admin, rejected, "reject").await.0, 200);
    assert_eq!(act(&app, &admin, rejected, "submit").await.0, 409);
    assert_eq!(act(&app, &admin, rejected, "delete").await.0, 200);
    assert_eq!(
        event_types(&app, &admin, "stock_sheet", rejected).await,
        ["in_stock_sheet_create", "in_stock_sheet_reject", "in_stock_sheet_delete"]
    );
    assert_eq!(stock_of(&app, &admin, "C000022").await, 0.0);

    // An order leaving the warehouse fills a draft out-stock sheet from its lines.
    let order = app.place_order(&admin).await; // 2 of D000001 (C000001), 1.5 of D000003, 3 of D000005
    app.admin_move(&admin, &order, "ship").await;
    let (_, listed) = app.admin_get(&admin, &format!("/admin/api/inventory/sheets?tenant_id=1&order_id={order}")).await;
    let out = listed["sheets"][0]["id"].as_i64().expect("an out-stock sheet");
    let (_, detail) = app.admin_get(&admin, &format!("/admin/api/inventory/sheets/{out}?tenant_id=1")).await;
    assert_eq!((detail["kind"].as_str(), detail["status"].as_str()), (Some("out"), Some("draft")));
    let line = detail["lines"].as_array().unwrap().iter().find(|l| l["spu_id"] == 1).unwrap();
    assert_eq!(line["quantity_milli"], 2000);
    // The demo stocked C000001..C000010 (C000001 counted at 95); the sheet takes the order's goods out.
    let before = [
        stock_of(&app, &admin, "C000001").await,
        stock_of(&app, &admin, "C000003").await,
        stock_of(&app, &admin, "C000005").await,
    ];
    assert_eq!(act(&app, &admin, out, "submit").await.0, 200);
    assert_eq!(stock_of(&app, &admin, "C000001").await, before[0] - 2.0);
    assert_eq!(stock_of(&app, &admin, "C000003").await, before[1] - 1.5);
    assert_eq!(stock_of(&app, &admin, "C000005").await, before[2] - 3.0);
    assert_eq!(
        event_types(&app, &admin, "stock_sheet", out).await,
        ["out_stock_sheet_create", "out_stock_sheet_submit"]
    );
    // Stocktaking sets the counted stock.
    let (status, _) = app
        .admin_post(
            &admin,
            "/admin/api/inventory/stocktaking",
            &json!({"tenant_id": 1, "spu_id": "C000003", "stock": 10}),
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(stock_of(&app, &admin, "C000003").await, 10.0);
    assert_eq!(event_types(&app, &admin, "spu", 3).await.last().map(String::as_str), Some("stock_edit"));
    // Taking out more than there is: refused, nothing moves.
    let too_much = sheet(&app, &admin, "out", json!([{"spu_id": "C000003", "quantity": 10.5}])).await;
    let (status, body) = act(&app, &admin, too_much, "submit").await;
    assert_eq!(status, 409, "{body}");
    assert!(body["error"]["message"].as_str().unwrap().contains("in stock"));
    assert_eq!(stock_of(&app, &admin, "C000003").await, 10.0);
    // Refusals.
    let (status, _) = app
        .admin_post(
            &admin,
            "/admin/api/inventory/stocktaking",
            &json!({"tenant_id": 1, "spu_id": "C000001", "stock": -1}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = app
        .admin_post(&admin, "/admin/api/inventory/sheets", &json!({"tenant_id": 1, "kind": "in", "lines": []}))
        .await;
    assert_eq!(status, 400);
    let (status, _) = app
        .admin_post(
            &admin,
            "/admin/api/inventory/sheets",
            &json!({"tenant_id": 1, "kind": "sideways", "lines": [{"spu_id": "C000001", "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, 400);
    let (status, _) = app
        .admin_post(
            &admin,
            "/admin/api/inventory/sheets",
            &json!({"tenant_id": 1, "kind": "in", "lines": [{"spu_id": "C999999", "quantity": 1}]}),
        )
        .await;
    assert_eq!(status, 400);
    let manual_out = sheet(&app, &admin, "out", json!([{"spu_id": "C000001", "quantity": 1000}])).await;
    assert_eq!(act(&app, &admin, manual_out, "submit").await.0, 409);
    assert_eq!(act(&app, &admin, manual_out, "reject").await.0, 409, "out-stock sheets are not reviewed");
}

#[tokio::test]
async fn negative_stock_only_when_configured() {
    let app = spawn_app_with(|c| c.inventory.allow_negative_stock = true).await;
    let admin = app.admin_token().await;
    let out = sheet(&app, &admin, "out", json!([{"spu_id": "C000024", "quantity": 3}])).await;
    assert_eq!(act(&app, &admin, out, "submit").await.0, 200);
    assert_eq!(stock_of(&app, &admin, "C000024").await, -3.0);
}
