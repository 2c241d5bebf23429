//! Station dialect: catalog endpoints and pagination.

use crate::helpers::{api_get as get, api_post as post, assert_api_error, spawn_app};
use serde_json::{json, Value};

fn data(v: &(u16, Value)) -> Vec<Value> {
    assert_eq!(v.0, 200, "{}", v.1);
    v.1["data"].as_array().expect("a list").clone()
}

#[tokio::test]
async fn categories_page_with_cursors() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let first = get(&app, &t, "/api/product/category1/list?limit=2").await;
    let names: Vec<Value> = data(&first).iter().map(|c| c["name"].clone()).collect();
    assert_eq!(names, [json!("蔬菜"), json!("肉类")]);
    assert_eq!(first.1["pagenation"]["more"], true);
    let cursor = first.1["pagenation"]["page"].as_str().unwrap().to_string();
    let second = get(&app, &t, &format!("/api/product/category1/list?limit=2&page={cursor}")).await;
    assert_eq!(data(&second).len(), 1);
    assert_eq!(data(&second)[0]["name"], "水果");
    assert_eq!(second.1["pagenation"], json!({"page": null, "more": false}));
    assert_eq!(data(&get(&app, &t, &format!("/api/product/category1/list?page={cursor}&offset=1")).await).len(), 0);
    assert_api_error(&get(&app, &t, "/api/product/category1/list?page=garbage").await, 400, 1, "page");
    assert_api_error(&get(&app, &t, "/api/product/category1/list?limit=101").await, 400, 1, "limit");
    assert_api_error(&get(&app, &t, "/api/product/category1/list?offset=-3").await, 400, 1, "offset");

    let veg = data(&first)[0]["id"].as_str().unwrap().to_string();
    let c2 = data(&get(&app, &t, &format!("/api/product/category2/list?category1_id={veg}")).await);
    assert_eq!(c2.len(), 3);
    assert!(c2.iter().all(|c| c["category1_id"] == veg.as_str()));
    let leafy = c2[0]["id"].as_str().unwrap().to_string();
    let by_c2 = data(&get(&app, &t, &format!("/api/product/pinlei/list?category2_id={leafy}")).await);
    assert_eq!(by_c2.len(), 3);
    assert!(by_c2.iter().all(|p| p["category2_id"] == leafy.as_str() && p["category1_id"] == veg.as_str()));
    let by_c1 = data(&get(&app, &t, &format!("/api/product/pinlei/list?category1_id={veg}&limit=100")).await);
    assert_eq!(by_c1.len(), 8);
    assert_api_error(&get(&app, &t, "/api/product/pinlei/list?category1_id=ZZ").await, 400, 1, "category1_id");
    // Another merchant sees none of it.
    let other = app.api_token_for("other-station", "other-station-secret").await;
    assert!(data(&get(&app, &other, "/api/product/category1/list").await).is_empty());
}

#[tokio::test]
async fn spus_are_created_read_updated_and_deleted() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let units = get(&app, &t, "/api/std_unit_name/list").await;
    assert_eq!((units.1["data"]["1"].as_str(), units.1["data"]["2"].as_str()), (Some("斤"), Some("瓶")));
    let created = post(
        &app,
        &t,
        "/api/product/spu/create",
        json!({"name": "小白菜", "std_unit_name": "斤", "pinlei_id": "P000003",
        "desc": "新鲜", "detail_images": ["https://img.example.com/a.png"], "image": "https://img.example.com/b.png"}),
    )
    .await;
    assert_eq!(created.0, 200, "{}", created.1);
    let spu = created.1["data"]["spu_id"].as_str().unwrap().to_string();
    let got = get(&app, &t, &format!("/api/product/spu/get?spu_id={spu}")).await;
    assert_eq!(got.0, 200);
    let d = &got.1["data"];
    assert_eq!(
        (d["name"].as_str(), d["pinlei_id"].as_str(), d["p_type"].as_i64()),
        (Some("小白菜"), Some("P000003"), Some(1))
    );
    assert_eq!(d["detail_images"], json!(["https://img.example.com/a.png"]));
    assert!(
        d["category_id_1"].as_str().unwrap().starts_with('A') && d["category_id_2"].as_str().unwrap().starts_with('B')
    );
    let listed = data(&get(&app, &t, "/api/product/spu/list?pinlei_id=P000003").await);
    assert!(listed
        .iter()
        .any(|s| s["id"] == spu.as_str() && s["category1_id"].is_string() && s["category2_id"].is_string()));
    assert_eq!(
        post(&app, &t, "/api/product/spu/update", json!({"spu_id": spu, "name": "上海青", "desc": "改"})).await.0,
        200
    );
    assert_eq!(get(&app, &t, &format!("/api/product/spu/get?spu_id={spu}")).await.1["data"]["name"], "上海青");
    // Refusals.
    assert_api_error(
        &post(&app, &t, "/api/product/spu/create", json!({"std_unit_name": "斤", "pinlei_id": "P000003"})).await,
        400,
        1,
        "name",
    );
    assert_api_error(
        &post(&app, &t, "/api/product/spu/create", json!({"name": "x", "std_unit_name": "斤", "pinlei_id": "P999999"}))
            .await,
        400,
        1,
        "pinlei_id",
    );
    assert_api_error(
        &post(&app, &t, "/api/product/spu/create", json!({"name": "x", "std_unit_name": "斤", "pinlei_id": "A000001"}))
            .await,
        400,
        1,
        "pinlei_id",
    );
    assert_api_error(&post(&app, &t, "/api/product/spu/update", json!({"spu_id": spu})).await, 400, 1, "name");
    assert_api_error(
        &post(&app, &t, "/api/product/spu/delete", json!({"spu_id": "C000001"})).await,
        409,
        6,
        "referenced",
    );
    assert_api_error(&get(&app, &t, "/api/product/spu/get?spu_id=C999999").await, 404, 5, "not found");
    let other = app.api_token_for("other-station", "other-station-secret").await;
    assert_api_error(&get(&app, &other, &format!("/api/product/spu/get?spu_id={spu}")).await, 404, 5, "not found");
    assert_eq!(post(&app, &t, "/api/product/spu/delete", json!({"spu_id": spu})).await.0, 200);
    assert_api_error(&get(&app, &t, &format!("/api/product/spu/get?spu_id={spu}")).await, 404, 5, "not found");
}

#[tokio::test]
async fn skus_and_price_lists() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let fields = json!({"spu_id": "C000002", "sku_name": "大白菜 整箱", "salemenu_id": "S000001", "std_price": 200,
        "sale_price": 1800, "sale_num_least": 1, "sale_ratio": 10, "sale_unit_name": "箱", "std_unit_name": "斤",
        "desc": "10斤装", "is_weigh": 0, "state": 1});
    let created = post(&app, &t, "/api/product/sku/create", fields.clone()).await;
    assert_eq!(created.0, 200, "{}", created.1);
    let sku = created.1["data"]["sku_id"].as_str().unwrap().to_string();
    let got = get(&app, &t, &format!("/api/product/sku/get?sku_id={sku}")).await;
    let d = &got.1["data"];
    assert_eq!(
        (d["sale_price"].as_i64(), d["std_sale_price"].as_i64(), d["ratio"].as_i64()),
        (Some(1800), Some(200), Some(10))
    );
    assert_eq!(
        (d["salemenu_id"].as_str(), d["spu_id"].as_str(), d["state"].as_i64()),
        (Some("S000001"), Some("C000002"), Some(1))
    );
    for key in [
        "category1_id",
        "category2_id",
        "pinlei",
        "is_price_timing",
        "img_url",
        "desc",
        "create_time",
        "modify_time",
        "salemenu_name",
    ] {
        assert!(d.get(key).is_some(), "sku lacks {key}");
    }
    let found = data(&get(&app, &t, "/api/product/sku/list?search_text=整箱").await);
    assert_eq!(found.len(), 1);
    assert_eq!(data(&get(&app, &t, "/api/product/sku/list?spu_id=C000002").await).len(), 2);
    assert_eq!(data(&get(&app, &t, "/api/product/sku/list?salemenu_id=S000002&limit=100").await).len(), 30);
    let mut changed = fields.clone();
    changed["sku_id"] = json!(sku);
    changed["sale_price"] = json!(1900);
    changed["state"] = json!(0);
    assert_eq!(post(&app, &t, "/api/product/sku/update", changed).await.0, 200);
    let d = get(&app, &t, &format!("/api/product/sku/get?sku_id={sku}")).await.1["data"].clone();
    assert_eq!((d["sale_price"].as_i64(), d["state"].as_i64()), (Some(1900), Some(0)));
    // Refusals change nothing.
    let mut bad = fields.clone();
    bad["is_weigh"] = json!(2);
    assert_api_error(&post(&app, &t, "/api/product/sku/create", bad).await, 400, 1, "is_weigh");
    let mut bad = fields.clone();
    bad["sale_price"] = json!(-1);
    assert_api_error(&post(&app, &t, "/api/product/sku/create", bad).await, 400, 1, "sale_price");
    let mut bad = fields.clone();
    bad["salemenu_id"] = json!("S999999");
    assert_api_error(&post(&app, &t, "/api/product/sku/create", bad).await, 400, 1, "salemenu_id");
    let mut bad = fields;
    bad.as_object_mut().unwrap().remove("sale_unit_name");
    assert_api_error(&post(&app, &t, "/api/product/sku/create", bad).await, 400, 1, "sale_unit_name");
    // Delete: gone when no open order carries it.
    assert_eq!(post(&app, &t, "/api/product/sku/delete", json!({"sku_id": sku})).await.0, 200);
    assert_api_error(&get(&app, &t, &format!("/api/product/sku/get?sku_id={sku}")).await, 404, 5, "not found");
    // A SKU on an open order is taken off sale instead.
    let admin = app.admin_token().await;
    let order = app.place_order(&admin).await;
    assert_eq!(post(&app, &t, "/api/product/sku/delete", json!({"sku_id": "D000005"})).await.0, 200);
    let d = get(&app, &t, "/api/product/sku/get?sku_id=D000005").await;
    assert_eq!((d.0, d.1["data"]["state"].as_i64()), (200, Some(0)));
    let o = app.openapi_order(&t, &order).await;
    assert!(o["details"].as_array().unwrap().iter().any(|l| l["id"] == "D000005"), "the order keeps its line");

    // Price lists: all, by customer, by active flag.
    assert_eq!(data(&get(&app, &t, "/api/product/salemenu/list").await).len(), 2);
    let of_second = data(&get(&app, &t, "/api/product/salemenu/list?customer_id=S000002").await);
    assert_eq!(of_second.len(), 1);
    assert_eq!(of_second[0]["receive_time"][0], "06:00");
    assert_eq!(data(&get(&app, &t, "/api/product/salemenu/list?is_active=false").await).len(), 0);
    assert_api_error(&get(&app, &t, "/api/product/salemenu/list?is_active=maybe").await, 400, 1, "is_active");
}
