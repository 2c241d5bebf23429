//! Station dialect: a whole B2B day, customers and regions, after-sales.

use crate::helpers::{api_get as get, api_post as post, assert_api_error, spawn_app, TestApp};
use serde_json::{json, Value};

async fn ok(app: &TestApp, token: &str, path: &str, body: Value) -> Value {
    let got = post(app, token, path, body).await;
    assert_eq!(got.0, 200, "{path}: {}", got.1);
    got.1["data"].clone()
}

fn customer(username: &str) -> Value {
    json!({"username": username, "password": "secret123", "payer_name": "王会计", "payer_telephone": "13900000001",
           "restaurant_name": "海山小馆", "receiver_name": "李厨", "receiver_telephone": "13900000002",
           "district_code": "440300", "area_level1": "440308", "area_level2": "440308003",
           "restaurant_address": "海山路8号", "salemenu_ids": ["S000001"]})
}

/// Both dialects' views of one order.
async fn views(app: &TestApp, t: &str, id: &str) -> (Value, Value) {
    let station = get(app, t, &format!("/api/order/get?order_id={id}")).await;
    assert_eq!(station.0, 200, "{}", station.1);
    (station.1["data"].clone(), app.openapi_order(t, id).await)
}

fn line<'a>(order: &'a Value, sku: &str) -> &'a Value {
    order["details"].as_array().unwrap().iter().find(|d| d["id"] == sku).expect("line")
}

#[tokio::test]
async fn a_whole_b2b_day() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    // Catalog and price list.
    let spu =
        ok(&app, &t, "/api/product/spu/create", json!({"name": "菜心", "std_unit_name": "斤", "pinlei_id": "P000005"}))
            .await;
    let spu = spu["spu_id"].as_str().unwrap().to_string();
    let sku = ok(
        &app,
        &t,
        "/api/product/sku/create",
        json!({"spu_id": spu, "sku_name": "菜心", "salemenu_id": "S000001",
        "std_price": 728, "sale_price": 728, "sale_num_least": 1, "sale_ratio": 1, "sale_unit_name": "斤",
        "std_unit_name": "斤", "is_weigh": 1, "state": 1}),
    )
    .await;
    let sku = sku["sku_id"].as_str().unwrap().to_string();
    // Customer.
    let created = ok(&app, &t, "/api/customer/create", customer("haishan")).await;
    let sid = created["customer_id"].as_str().unwrap().to_string();
    assert!(sid.starts_with('S') && created["kid"].as_str().unwrap().starts_with('K'));
    let menus = get(&app, &t, &format!("/api/product/salemenu/list?customer_id={sid}")).await;
    assert_eq!(menus.1["data"].as_array().unwrap().len(), 1);
    // Order: 1 斤 at 7.28 and 2 of D000003.
    let order = ok(
        &app,
        &t,
        "/api/order/create",
        json!({"sid": sid, "receive_begin_time": "2030-05-01 06:00:00",
        "receive_end_time": "2030-05-01 09:00:00", "products": [
            {"sku_id": sku, "amount": 1, "unit_price": 728}, {"sku_id": "D000003", "amount": 2, "unit_price": 500}]}),
    )
    .await;
    let id = order["order_id"].as_str().unwrap().to_string();
    // Lines edited.
    ok(
        &app,
        &t,
        "/api/order/sku/create",
        json!({"order_id": id, "products": [{"sku_id": "D000005", "amount": 1, "price": 900}]}),
    )
    .await;
    ok(&app, &t, "/api/order/sku/update", json!({"order_id": id, "products": [{"sku_id": "D000003", "amount": 3}]}))
        .await;
    ok(&app, &t, "/api/order/sku/delete", json!({"order_id": id, "sku_ids": ["D000005"]})).await;
    let (s, o) = views(&app, &t, &id).await;
    assert_eq!((s["real_price"].clone(), o["real_price"].clone()), (json!(728 + 1500), json!(728 + 1500)));
    // Sorted and weighed: the real price differs from the ordered one.
    ok(&app, &t, "/api/order/update", json!({"order_id": id, "status": 5})).await;
    let weigh = json!({"tenant_id": 1, "sku_id": sku, "real_quantity": 1.25});
    assert_eq!(app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/weigh"), &weigh).await.0, 200);
    let (s, o) = views(&app, &t, &id).await;
    assert_eq!(s["status"], 5);
    assert!(s["sort_id"].as_i64().unwrap() >= 1);
    assert_eq!(line(&s, &sku)["real_item_price"], 910);
    assert_eq!(line(&s, &sku)["real_quantity"], 1.25);
    assert_eq!(line(&s, &sku)["has_weight"], true);
    assert_eq!(s["real_price"], 910 + 1500);
    assert_eq!(o["real_price"], s["real_price"]);
    // Ship and sign.
    app.admin_move(&admin, &id, "ship").await;
    assert_eq!(views(&app, &t, &id).await.0["status"], 10);
    app.admin_move(&admin, &id, "sign").await;
    let (s, _) = views(&app, &t, &id).await;
    assert_eq!((s["status"].as_i64(), s["pay_status"].as_i64()), (Some(15), Some(1)));
    assert_eq!(line(&s, &sku)["accept_quantity"], 1.25);
    // After-sales: an abnormal record of -1.00 and a refund of 1 of D000003 (5.00).
    ok(
        &app,
        &t,
        "/api/order/abnormal/create",
        json!({"order_id": id, "abnormal": [
        {"sku_id": sku, "exception_reason": 1, "final_amount": 1.25, "money_delta": -100}]}),
    )
    .await;
    ok(
        &app,
        &t,
        "/api/order/refund/create",
        json!({"order_id": id, "refund": [
        {"sku_id": "D000003", "exception_reason": 5, "request_amount": 1}]}),
    )
    .await;
    let (s, o) = views(&app, &t, &id).await;
    assert_eq!(s["abnormal_money"], -100);
    assert_eq!(s["refund_money"], 500);
    assert_eq!(s["total_pay"], 2410 - 100 - 500);
    assert_eq!(o["total_pay"], s["total_pay"], "openapi shows the same totals");
    let ab = &s["abnomal"][0];
    assert_eq!(
        (ab["type_id"].as_i64(), ab["type_text"].as_str(), ab["money_delta"].as_i64()),
        (Some(1), Some("未按用户时间到达"), Some(-100))
    );
    assert_eq!(ab["detail_id"], sku.as_str());
    let rf = &s["refund"][0];
    assert_eq!(
        (rf["request_amount"].as_i64(), rf["state"].as_i64(), rf["out_order_id"].as_str()),
        (Some(1), Some(1), Some(id.as_str()))
    );
    let listed = get(&app, &t, "/api/order/list?query_type=2&start_date=2030-05-01&end_date=2030-05-01").await;
    let item = &listed.1["data"][0];
    assert_eq!(
        (item["abnormal_money"].clone(), item["refund_money"].clone(), item["total_pay"].clone()),
        (json!(-100), json!(500), s["total_pay"].clone())
    );
    let olist = app
        .get(&format!("/openapi/orders?access_token={t}&query_type=2&start_date=2030-05-01&end_date=2030-05-01"))
        .await;
    assert_eq!(olist.1["data"]["list"][0]["status"], 15);
    // Changing and cancelling keeps the totals consistent.
    let (ab_id, rf_id) = (ab["id"].as_i64().unwrap(), rf["id"].as_i64().unwrap());
    ok(
        &app,
        &t,
        "/api/order/after_sales/update",
        json!({"order_id": id, "refund": [
        {"id": rf_id, "sku_id": "D000003", "exception_reason": 5, "request_amount": 2}]}),
    )
    .await;
    assert_eq!(views(&app, &t, &id).await.0["refund_money"], 1000);
    ok(&app, &t, "/api/order/after_sales/delete", json!({"order_id": id, "abnomal": [{"id": ab_id, "sku_id": sku}]}))
        .await;
    let (s, o) = views(&app, &t, &id).await;
    assert_eq!((s["abnormal_money"].as_i64(), s["total_pay"].as_i64()), (Some(0), Some(2410 - 1000)));
    assert_eq!(s["abnomal"], json!([]));
    assert_eq!(o["total_pay"], s["total_pay"]);
    // Refusals: more than delivered, unknown reason, both lists, a line not in the order.
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/refund/create",
            json!({"order_id": id, "refund": [
        {"sku_id": "D000003", "exception_reason": 5, "request_amount": 2}]}),
        )
        .await,
        400,
        1,
        "exceed",
    );
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/refund/create",
            json!({"order_id": id, "refund": [
        {"sku_id": "D000003", "exception_reason": 42, "request_amount": 0.5}]}),
        )
        .await,
        400,
        1,
        "reason",
    );
    assert_api_error(
        &post(&app, &t, "/api/order/after_sales/update", json!({"order_id": id, "abnormal": [], "refund": []})).await,
        400,
        1,
        "not both",
    );
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/refund/create",
            json!({"order_id": id, "refund": [
        {"sku_id": "D000060", "exception_reason": 5, "request_amount": 1}]}),
        )
        .await,
        400,
        1,
        "not in the order",
    );
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/after_sales/delete",
            json!({"order_id": id, "refund": [{"id": 9999, "sku_id": "D000003"}]}),
        )
        .await,
        404,
        5,
        "not found",
    );
    assert_eq!(views(&app, &t, &id).await.0["total_pay"], 1410, "refusals change nothing");
    let reasons = get(&app, &t, "/api/order/after_sales/exception_reason/list").await;
    assert_eq!(
        (reasons.1["data"]["1"].as_str(), reasons.1["data"]["5"].as_str()),
        (Some("未按用户时间到达"), Some("漏单"))
    );
    // After-sales wait for the goods to be signed.
    let fresh = app.place_order(&admin).await;
    assert_api_error(
        &post(
            &app,
            &t,
            "/api/order/refund/create",
            json!({"order_id": fresh, "refund": [
        {"sku_id": "D000001", "exception_reason": 1, "request_amount": 1}]}),
        )
        .await,
        409,
        6,
        "signed",
    );
}

#[tokio::test]
async fn customers_and_their_regions() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let created = ok(&app, &t, "/api/customer/create", customer("haishan")).await;
    let sid = created["customer_id"].as_str().unwrap().to_string();
    let found = get(&app, &t, "/api/customer/list?search_text=海山").await;
    let item = found.1["data"][0].clone();
    assert_eq!(found.1["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        (item["SID"].as_str(), item["city"].as_str(), item["area_l1"].as_str(), item["area_l2"].as_str()),
        (Some(sid.as_str()), Some("深圳市"), Some("盐田区"), Some("沙头角街道"))
    );
    assert_eq!(
        (item["balance"].as_str(), item["settle_way"].as_str(), item["pay_method"].as_str()),
        (Some("0.00"), Some("先货后款"), Some("日结"))
    );
    assert!(item["KID"].as_str().unwrap().starts_with('K'));
    assert!(item.get("password").is_none() && item.get("password_hash").is_none());
    // Both spellings of update.
    ok(&app, &t, "/api/customer/upadte", json!({"customer_id": sid, "restaurant_name": "海山大酒楼"})).await;
    ok(
        &app,
        &t,
        "/api/customer/update",
        json!({"customer_id": sid, "area_level1": "440307",
        "area_level2": "440307003", "salemenu_ids": ["S000001", "S000002"]}),
    )
    .await;
    let item = get(&app, &t, "/api/customer/list?search_text=大酒楼").await.1["data"][0].clone();
    assert_eq!((item["resname"].as_str(), item["area_l1"].as_str()), (Some("海山大酒楼"), Some("龙岗区")));
    assert_eq!(
        get(&app, &t, &format!("/api/product/salemenu/list?customer_id={sid}")).await.1["data"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // The area list: the customer's city, its districts and streets.
    let areas = get(&app, &t, &format!("/api/area/list?customer_id={sid}")).await;
    assert_eq!(areas.0, 200);
    let city = &areas.1["data"][0];
    assert_eq!((city["name"].as_str(), city["code"].as_str()), (Some("深圳市"), Some("440300")));
    let yantian = city["area"].as_array().unwrap().iter().find(|a| a["code"] == "440308").unwrap();
    assert!(yantian["street"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "沙头角街道" && s["code"] == "440308003"));
    // Refusals.
    assert_api_error(&post(&app, &t, "/api/customer/create", customer("haishan")).await, 409, 7, "taken");
    let mut bad = customer("b1");
    bad["district_code"] = json!("440308");
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "district_code");
    let mut bad = customer("b2");
    bad["area_level1"] = json!("110101");
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "area_level1");
    let mut bad = customer("b3");
    bad["area_level2"] = json!("440307001");
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "area_level2");
    let mut bad = customer("b4");
    bad["salemenu_ids"] = json!(["S000099"]);
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "salemenu_ids");
    let mut bad = customer("b5");
    bad["receiver_telephone"] = json!("call me");
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "receiver_telephone");
    let mut bad = customer("b6");
    bad.as_object_mut().unwrap().remove("restaurant_name");
    assert_api_error(&post(&app, &t, "/api/customer/create", bad).await, 400, 1, "restaurant_name");
    assert_api_error(
        &post(&app, &t, "/api/customer/update", json!({"customer_id": sid, "area_level2": "110101001"})).await,
        400,
        1,
        "area_level2",
    );
    assert_api_error(
        &post(&app, &t, "/api/customer/update", json!({"customer_id": "S999999", "restaurant_name": "x"})).await,
        404,
        5,
        "not found",
    );
    assert_eq!(
        get(&app, &t, "/api/customer/list?search_text=b").await.1["data"].as_array().unwrap().len(),
        0,
        "nothing half-written"
    );
    // Another merchant sees none of it.
    let other = app.api_token_for("other-station", "other-station-secret").await;
    assert_eq!(get(&app, &other, "/api/customer/list").await.1["data"].as_array().unwrap().len(), 0);
    assert_api_error(&get(&app, &other, &format!("/api/area/list?customer_id={sid}")).await, 404, 5, "not found");
    // The demo customers have real regions too.
    let demo = get(&app, &t, "/api/customer/list?limit=100").await;
    assert_eq!(demo.1["data"].as_array().unwrap().len(), 11);
    assert!(demo.1["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["city"] == "深圳市" && c["area_l2"].as_str().is_some_and(|s| !s.is_empty())));
}
