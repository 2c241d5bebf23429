//! Station dialect: strikes, order refunds, the customer ledger.

use crate::helpers::{api_get as get, api_post as post, assert_api_error, spawn_app, TestApp};
use serde_json::json;

/// A new customer on the first price list with three signed orders of 10.00, 20.00 and 30.00.
async fn customer_with_orders(app: &TestApp, t: &str, admin: &str, name: &str) -> (String, Vec<String>) {
    let c = post(app, t, "/api/customer/create", json!({"username": name, "password": "secret123", "payer_name": "会计",
        "payer_telephone": "13900000001", "restaurant_name": format!("{name}饭店"), "receiver_name": "厨师",
        "receiver_telephone": "13900000002", "district_code": "440300", "area_level1": "440304", "area_level2": "440304001",
        "restaurant_address": "福华路1号", "salemenu_ids": ["S000001"]})).await;
    assert_eq!(c.0, 200, "{}", c.1);
    let sid = c.1["data"]["customer_id"].as_str().unwrap().to_string();
    let mut orders = Vec::new();
    for (day, yuan) in [(1, 10), (2, 20), (3, 30)] {
        let o = post(
            app,
            t,
            "/api/order/create",
            json!({"sid": sid, "receive_begin_time": format!("2030-07-0{day} 06:00:00"),
            "receive_end_time": format!("2030-07-0{day} 09:00:00"),
            "products": [{"sku_id": "D000003", "amount": 1, "unit_price": yuan * 100}]}),
        )
        .await;
        assert_eq!(o.0, 200, "{}", o.1);
        let id = o.1["data"]["order_id"].as_str().unwrap().to_string();
        for action in ["ship", "sign"] {
            app.admin_move(admin, &id, action).await;
        }
        orders.push(id);
    }
    (sid, orders)
}

async fn pay_status(app: &TestApp, t: &str, id: &str) -> (i64, i64) {
    let o = get(app, t, &format!("/api/order/get?order_id={id}")).await.1["data"].clone();
    (o["pay_status"].as_i64().unwrap(), o["status"].as_i64().unwrap())
}

/// Balance, sum of the ledger, from the lists; the customer's own balance must agree.
async fn balance_and_ledger(app: &TestApp, t: &str, sid: &str) -> (i64, i64) {
    let customers = get(app, t, "/api/customer/list?limit=100").await;
    let me = customers.1["data"].as_array().unwrap().iter().find(|c| c["SID"] == sid).expect("the customer").clone();
    let flows = get(app, t, &format!("/api/finance/cash_flow/list?customer_id={sid}&limit=100")).await;
    assert_eq!(flows.0, 200, "{}", flows.1);
    let entries = flows.1["data"].as_array().unwrap();
    let sum: i64 = entries.iter().map(|e| e["change"].as_i64().unwrap()).sum();
    let balance = entries.first().map(|e| e["balance"].as_i64().unwrap()).unwrap_or(0);
    let yuan: f64 = me["balance"].as_str().unwrap().parse().unwrap();
    assert_eq!((yuan * 100.0).round() as i64, balance, "customer balance = ledger balance");
    (balance, sum)
}

#[tokio::test]
async fn strikes_settle_oldest_first_and_refunds_return_to_balance() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    let (sid, orders) = customer_with_orders(&app, &t, &admin, "finance1").await;
    let kid = sid.replacen('S', "K", 1);
    // 25.00 pays the 10.00 order and 15.00 of the 20.00 one.
    let strike = json!({"customer_id": kid, "arrival_time": "2030-07-05 10:00:00", "deal_code": "V-001",
        "arrival_id": "wechat", "arrival_method": "微信对公", "arrival_money": 2500, "remark": "七月货款"});
    let got = post(&app, &t, "/api/finance/strike", strike.clone()).await;
    assert_eq!(got.0, 200, "{}", got.1);
    assert_eq!(pay_status(&app, &t, &orders[0]).await, (10, 100), "paid in full: status 100");
    assert_eq!(pay_status(&app, &t, &orders[1]).await, (5, 15), "partly paid");
    assert_eq!(pay_status(&app, &t, &orders[2]).await, (1, 15));
    let (balance, sum) = balance_and_ledger(&app, &t, &sid).await;
    assert_eq!((balance, sum), (0, 0));
    // The same voucher cannot be struck twice.
    assert_api_error(&post(&app, &t, "/api/finance/strike", strike).await, 409, 7, "V-001");
    // 50.00 finishes both and leaves 15.00 of balance (accepting the SID and a bare date).
    let got = post(
        &app,
        &t,
        "/api/finance/strike",
        json!({"customer_id": sid, "arrival_time": "2030-07-06", "deal_code": "V-002",
        "arrival_id": "cash", "arrival_method": "现金", "arrival_money": 5000, "remark": ""}),
    )
    .await;
    assert_eq!(got.0, 200, "{}", got.1);
    for id in &orders {
        assert_eq!(pay_status(&app, &t, id).await.0, 10);
    }
    assert_eq!(balance_and_ledger(&app, &t, &sid).await, (1500, 1500));
    // The flows list shows both strikes with the orders they settled.
    let flows = get(&app, &t, &format!("/api/finance/strike_flow/list?customer_id={kid}")).await;
    let items = flows.1["data"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    let first = items.iter().find(|s| s["deal_code"] == "V-001").unwrap();
    assert_eq!((first["arrival_money"].as_str(), first["strike_money"].as_str()), (Some("25.00"), Some("25.00")));
    let settled: Vec<(&str, &str)> = first["order_flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["order_id"].as_str().unwrap(), f["amount"].as_str().unwrap()))
        .collect();
    assert_eq!(settled, [(orders[0].as_str(), "10.00"), (orders[1].as_str(), "15.00")]);
    let second = items.iter().find(|s| s["deal_code"] == "V-002").unwrap();
    assert_eq!((second["strike_money"].as_str(), second["balance"].as_str()), (Some("35.00"), Some("15.00")));
    let in_range = get(&app, &t, "/api/finance/strike_flow/list?start_time=2030-07-06&end_time=2030-07-06").await;
    assert_eq!(in_range.1["data"].as_array().unwrap().len(), 1);

    // Type 2 refunds the whole 30.00 order into the balance.
    assert_eq!(post(&app, &t, "/api/finance/order/refund", json!({"order_id": orders[2], "type": 2})).await.0, 200);
    assert_eq!(balance_and_ledger(&app, &t, &sid).await, (4500, 4500));
    assert_api_error(
        &post(&app, &t, "/api/finance/order/refund", json!({"order_id": orders[2], "type": 2})).await,
        409,
        6,
        "refunded already",
    );
    // Type 1 refunds the difference after an after-sale lowered what is due.
    assert_api_error(
        &post(&app, &t, "/api/finance/order/refund", json!({"order_id": orders[1], "type": 1})).await,
        409,
        6,
        "no difference",
    );
    let ab = post(
        &app,
        &t,
        "/api/order/abnormal/create",
        json!({"order_id": orders[1], "abnormal": [
        {"sku_id": "D000003", "exception_reason": 3, "final_amount": 1, "money_delta": -500}]}),
    )
    .await;
    assert_eq!(ab.0, 200, "{}", ab.1);
    assert_eq!(post(&app, &t, "/api/finance/order/refund", json!({"order_id": orders[1], "type": 1})).await.0, 200);
    assert_eq!(balance_and_ledger(&app, &t, &sid).await, (5000, 5000));
    assert_eq!(pay_status(&app, &t, &orders[1]).await.0, 10);
    // Refusals.
    let fresh = app.place_order(&admin).await;
    assert_api_error(
        &post(&app, &t, "/api/finance/order/refund", json!({"order_id": fresh, "type": 1})).await,
        409,
        6,
        "never paid",
    );
    assert_api_error(
        &post(&app, &t, "/api/finance/order/refund", json!({"order_id": fresh, "type": 3})).await,
        400,
        1,
        "type",
    );
    let bad = |money: i64, code: &str| {
        json!({"customer_id": kid, "arrival_time": "2030-07-07 10:00:00", "deal_code": code,
        "arrival_id": "cash", "arrival_method": "现金", "arrival_money": money, "remark": ""})
    };
    assert_api_error(&post(&app, &t, "/api/finance/strike", bad(0, "V-003")).await, 400, 1, "arrival_money");
    assert_api_error(&post(&app, &t, "/api/finance/strike", bad(-100, "V-004")).await, 400, 1, "arrival_money");
    let mut late = bad(100, "V-005");
    late["arrival_time"] = json!("yesterday");
    assert_api_error(&post(&app, &t, "/api/finance/strike", late).await, 400, 1, "arrival_time");
    let mut nobody = bad(100, "V-006");
    nobody["customer_id"] = json!("K999999");
    assert_api_error(&post(&app, &t, "/api/finance/strike", nobody).await, 404, 5, "customer");
    assert_eq!(balance_and_ledger(&app, &t, &sid).await, (5000, 5000), "refusals change nothing");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_strikes_settle_each_order_once() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    let (sid, orders) = customer_with_orders(&app, &t, &admin, "finance2").await;
    let mut tasks = Vec::new();
    for i in 0..6 {
        let (client, url) = (app.client.clone(), app.url(&format!("/api/finance/strike?access_token={t}")));
        let body = json!({"customer_id": sid, "arrival_time": "2030-07-05 10:00:00", "deal_code": format!("C-{i}"),
            "arrival_id": "wechat", "arrival_method": "微信", "arrival_money": 2500, "remark": ""});
        tasks.push(tokio::spawn(async move { client.post(url).json(&body).send().await.unwrap().status().as_u16() }));
    }
    for task in tasks {
        assert_eq!(task.await.unwrap(), 200);
    }
    // 6 × 25.00 = 150.00 arrived; 60.00 settled the three orders exactly; 90.00 is balance.
    for id in &orders {
        let o = get(&app, &t, &format!("/api/order/get?order_id={id}")).await.1["data"].clone();
        assert_eq!(o["pay_status"], 10, "{o}");
    }
    let flows = get(&app, &t, &format!("/api/finance/strike_flow/list?customer_id={sid}&limit=100")).await;
    let mut per_order = std::collections::HashMap::new();
    for s in flows.1["data"].as_array().unwrap() {
        for f in s["order_flows"].as_array().unwrap() {
            let amount: f64 = f["amount"].as_str().unwrap().parse().unwrap();
            *per_order.entry(f["order_id"].as_str().unwrap().to_string()).or_insert(0.0) += amount;
        }
    }
    assert_eq!(per_order.get(&orders[0]).copied(), Some(10.0));
    assert_eq!(per_order.get(&orders[1]).copied(), Some(20.0));
    assert_eq!(per_order.get(&orders[2]).copied(), Some(30.0));
    assert_eq!(balance_and_ledger(&app, &t, &sid).await, (9000, 9000), "money is conserved");
}
