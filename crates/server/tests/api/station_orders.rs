//! Station dialect: orders and their lines.

use crate::helpers::{api_get as get, api_post as post, assert_api_error, spawn_app, TestApp};
use serde_json::{json, Value};

fn order_body(products: Value) -> Value {
    json!({"sid": "S000001", "receive_begin_time": "2030-03-01 06:00:00", "receive_end_time": "2030-03-01 10:00:00",
           "remark": "后门卸货", "products": products})
}

async fn create(app: &TestApp, t: &str) -> String {
    let got = post(
        app,
        t,
        "/api/order/create",
        order_body(json!([
            {"sku_id": "D000001", "amount": 2, "unit_price": 700, "spu_remark": "要嫩的"},
            {"sku_id": "D000004", "amount": 1.5, "unit_price": 1000}
        ])),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    got.1["data"]["order_id"].as_str().unwrap().to_string()
}

async fn order(app: &TestApp, t: &str, id: &str) -> Value {
    let got = get(app, t, &format!("/api/order/get?order_id={id}")).await;
    assert_eq!(got.0, 200, "{}", got.1);
    got.1["data"].clone()
}

#[tokio::test]
async fn place_read_and_list_orders() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let id = create(&app, &t).await;
    let o = order(&app, &t, &id).await;
    assert_eq!((o["status"].as_i64(), o["pay_status"].as_i64()), (Some(1), Some(1)));
    assert_eq!(o["real_price"], 1400 + 1500);
    assert_eq!(o["total_pay"], 2900);
    assert_eq!(o["remark"], "后门卸货");
    assert_eq!(o["abnomal"], json!([]));
    assert_eq!(o["refund"], json!([]));
    assert_eq!(o["customer"]["customer_id"], "S000001");
    assert_eq!(o["customer"]["receive_begin_time"], "2030-03-01 06:00");
    let line = o["details"].as_array().unwrap().iter().find(|d| d["id"] == "D000001").unwrap().clone();
    assert_eq!((line["sale_price"].as_str(), line["spu_remark"].as_str()), (Some("7.00"), Some("要嫩的")));
    // The openapi dialect sees the same order.
    assert_eq!(app.openapi_order(&t, &id).await["total_pay"], 2900);
    // A form body with products as a JSON string.
    let form = app
        .post_form(
            &format!("/api/order/create?access_token={t}"),
            &[
                ("sid", "S000001"),
                ("receive_begin_time", "2030-03-01 07:00:00"),
                ("receive_end_time", "2030-03-01 09:00:00"),
                ("products", r#"[{"sku_id":"D000007","amount":"3","unit_price":"500"}]"#),
            ],
        )
        .await;
    assert_eq!(form.0, 200, "{}", form.1);
    let list =
        get(&app, &t, "/api/order/list?query_type=2&start_date=2030-03-01&end_date=2030-03-31&status=1&pay_status=1")
            .await;
    assert_eq!(list.0, 200, "{}", list.1);
    let items = list.1["data"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    for key in [
        "freight",
        "status",
        "pay_status",
        "real_price",
        "sort_id",
        "total_pay",
        "abnormal_money",
        "refund_money",
        "date_time",
        "remark",
        "customer",
    ] {
        assert!(items[0].get(key).is_some(), "list item lacks {key}");
    }
    assert_eq!(list.1["pagenation"]["more"], false);
    let paged = get(&app, &t, "/api/order/list?query_type=2&start_date=2030-03-01&end_date=2030-03-31&limit=1").await;
    assert_eq!((paged.1["data"].as_array().unwrap().len(), paged.1["pagenation"]["more"].as_bool()), (1, Some(true)));
    // Any range is fine here (only openapi limits it to 7 days).
    assert_eq!(
        get(&app, &t, "/api/order/list?query_type=1&start_date=2020-01-01&end_date=2030-12-31&limit=100").await.0,
        200
    );
    assert_api_error(
        &get(&app, &t, "/api/order/list?query_type=1&start_date=2030-03-01&end_date=2030-03-02&pay_status=3").await,
        400,
        1,
        "pay_status",
    );
    assert_api_error(
        &get(&app, &t, "/api/order/list?start_date=2030-03-01&end_date=2030-03-02").await,
        400,
        1,
        "query_type",
    );
}

#[tokio::test]
async fn placing_refuses_bad_orders() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let one = |sku: &str, amount: Value| json!([{"sku_id": sku, "amount": amount, "unit_price": 100}]);
    let mut body = order_body(one("D000002", json!(1)));
    body["sid"] = json!("S000002");
    assert_api_error(&post(&app, &t, "/api/order/create", body).await, 400, 1, "price lists");
    assert_api_error(
        &post(&app, &t, "/api/order/create", order_body(one("D000001", json!(0)))).await,
        400,
        1,
        "amount",
    );
    assert_api_error(
        &post(&app, &t, "/api/order/create", order_body(one("D000001", json!(-2)))).await,
        400,
        1,
        "amount",
    );
    assert_api_error(&post(&app, &t, "/api/order/create", order_body(one("D999999", json!(1)))).await, 404, 5, "sku");
    assert_api_error(&post(&app, &t, "/api/order/create", order_body(json!([]))).await, 400, 1, "products");
    let mut early = order_body(one("D000001", json!(1)));
    early["receive_begin_time"] = json!("2030-03-01 04:00:00");
    assert_api_error(&post(&app, &t, "/api/order/create", early).await, 400, 1, "receive times");
    let mut late = order_body(one("D000001", json!(1)));
    late["receive_end_time"] = json!("2030-03-01 13:00:00");
    assert_api_error(&post(&app, &t, "/api/order/create", late).await, 400, 1, "receive times");
    let mut reversed = order_body(one("D000001", json!(1)));
    reversed["receive_end_time"] = json!("2030-03-01 05:00:00");
    assert_api_error(&post(&app, &t, "/api/order/create", reversed).await, 400, 1, "receive_end_time");
    let mut stranger = order_body(one("D000001", json!(1)));
    stranger["sid"] = json!("S000999");
    assert_api_error(&post(&app, &t, "/api/order/create", stranger).await, 404, 5, "customer");
    let mut twice = order_body(
        json!([{"sku_id": "D000001", "amount": 1, "unit_price": 1}, {"sku_id": "D000001", "amount": 2, "unit_price": 1}]),
    );
    twice["remark"] = json!("x");
    assert_api_error(&post(&app, &t, "/api/order/create", twice).await, 400, 1, "twice");
    // Nothing was written by any of these.
    let list = get(&app, &t, "/api/order/list?query_type=2&start_date=2030-03-01&end_date=2030-03-01").await;
    assert_eq!(list.1["data"].as_array().unwrap().len(), 0, "{}", list.1);
}

#[tokio::test]
async fn lines_change_until_the_order_leaves() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    let id = create(&app, &t).await;
    let added = post(
        &app,
        &t,
        "/api/order/sku/create",
        json!({"order_id": id, "products": [{"sku_id": "D000007", "amount": 2, "price": 300, "remark": "切段"}]}),
    )
    .await;
    assert_eq!(added.0, 200, "{}", added.1);
    assert_eq!(order(&app, &t, &id).await["real_price"], 2900 + 600);
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/sku/create",
            json!({"order_id": id, "products": [{"sku_id": "D000007", "amount": 1, "price": 1}]}),
        )
        .await,
        400,
        1,
        "already in the order",
    );
    let changed = post(
        &app,
        &t,
        "/api/order/sku/update",
        json!({"order_id": id, "products": [{"sku_id": "D000007", "amount": 3}, {"sku_id": "D000001", "price": 800}]}),
    )
    .await;
    assert_eq!(changed.0, 200, "{}", changed.1);
    assert_eq!(order(&app, &t, &id).await["real_price"], 1600 + 1500 + 900);
    assert_eq!(post(&app, &t, "/api/order/sku/delete", json!({"order_id": id, "sku_ids": ["D000007"]})).await.0, 200);
    assert_eq!(order(&app, &t, &id).await["details"].as_array().unwrap().len(), 2);
    assert_api_error(
        &post(&app, &t, "/api/order/sku/delete", json!({"order_id": id, "sku_ids": ["D000001", "D000004"]})).await,
        409,
        6,
        "at least one line",
    );
    assert_api_error(
        &post(&app, &t, "/api/order/sku/delete", json!({"order_id": id, "sku_ids": ["D000060"]})).await,
        400,
        1,
        "not in the order",
    );
    // Update: remark and status; then lines freeze once delivering.
    assert_eq!(
        post(&app, &t, "/api/order/update", json!({"order_id": id, "remark": "新备注", "status": 5})).await.0,
        200
    );
    let o = order(&app, &t, &id).await;
    assert_eq!((o["remark"].as_str(), o["status"].as_i64()), (Some("新备注"), Some(5)));
    assert_api_error(&post(&app, &t, "/api/order/delete", json!({"order_id": id})).await, 409, 6, "delete");
    app.admin_move(&admin, &id, "ship").await;
    let before = order(&app, &t, &id).await;
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/sku/update",
            json!({"order_id": id, "products": [{"sku_id": "D000001", "price": 1}]}),
        )
        .await,
        409,
        6,
        "1 or 5",
    );
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/sku/create",
            json!({"order_id": id, "products": [{"sku_id": "D000007", "amount": 1, "price": 1}]}),
        )
        .await,
        409,
        6,
        "1 or 5",
    );
    assert_api_error(
        &post(&app, &t, "/api/order/sku/delete", json!({"order_id": id, "sku_ids": ["D000004"]})).await,
        409,
        6,
        "1 or 5",
    );
    assert_api_error(
        &post(&app, &t, "/api/order/update", json!({"order_id": id, "status": 1})).await,
        409,
        6,
        "from 10 to 1",
    );
    assert_eq!(order(&app, &t, &id).await, before);
}

#[tokio::test]
async fn waiting_unpaid_orders_can_be_deleted() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let id = create(&app, &t).await;
    assert_eq!(post(&app, &t, "/api/order/delete", json!({"order_id": id})).await.0, 200);
    assert_eq!(order(&app, &t, &id).await["status"], -1);
    assert_api_error(&post(&app, &t, "/api/order/delete", json!({"order_id": id})).await, 409, 6, "delete");
    assert_api_error(&post(&app, &t, "/api/order/delete", json!({"order_id": "PL999999"})).await, 404, 5, "not found");
    let other = app.api_token_for("other-station", "other-station-secret").await;
    let id2 = create(&app, &t).await;
    assert_api_error(&post(&app, &other, "/api/order/delete", json!({"order_id": id2})).await, 404, 5, "not found");
    assert_eq!(order(&app, &t, &id2).await["status"], 1);
}

fn order_ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|o| o["order_id"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn order_pages_follow_a_keyset_cursor() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let base = "/api/order/list?query_type=1&start_date=2020-01-01&end_date=2035-12-31";
    let all = get(&app, &t, &format!("{base}&limit=100")).await;
    assert_eq!(all.0, 200, "{}", all.1);
    let all_ids = order_ids(&all.1);
    assert!(all_ids.len() >= 7, "the demo has orders to page through: {}", all_ids.len());

    let first = get(&app, &t, &format!("{base}&limit=3")).await;
    let mut walked = order_ids(&first.1);
    let mut cursor = first.1["pagenation"]["page"].as_str().expect("a next page").to_string();
    assert!(cursor.starts_with("ko"), "{cursor}");
    // An order placed meanwhile lands on top and moves nothing below the cursor: no row is seen
    // twice and none is skipped.
    let newest = create(&app, &t).await;
    loop {
        let p = get(&app, &t, &format!("{base}&limit=3&page={cursor}")).await;
        assert_eq!(p.0, 200, "{}", p.1);
        walked.extend(order_ids(&p.1));
        match p.1["pagenation"]["page"].as_str() {
            Some(next) => cursor = next.to_string(),
            None => {
                assert_eq!(p.1["pagenation"]["more"], false);
                break;
            }
        }
    }
    assert_eq!(walked, all_ids);
    assert!(!walked.contains(&newest));

    // `offset` skips rows after the cursor; a cursor of another kind or list is refused.
    let c = first.1["pagenation"]["page"].as_str().unwrap();
    let skipped = get(&app, &t, &format!("{base}&limit=2&offset=1&page={c}")).await;
    assert_eq!(order_ids(&skipped.1), all_ids[4..6].to_vec());
    assert_api_error(&get(&app, &t, &format!("{base}&page=ko12")).await, 400, 1, "cursor");
    assert_api_error(&get(&app, &t, &format!("/api/customer/list?page={c}")).await, 400, 1, "cursor");
}
