//! Station dialect: drivers, car models, carriers, routes, delivery tasks.

use crate::helpers::{api_get as get, api_post as post, assert_api_error, spawn_app};
use serde_json::{json, Value};

fn list(v: &(u16, Value)) -> Vec<Value> {
    assert_eq!(v.0, 200, "{}", v.1);
    v.1["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn drivers_carriers_and_car_models() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    let carriers = list(&get(&app, &t, "/api/delivery/carrier/list").await);
    assert_eq!(carriers.len(), 2);
    assert_eq!(
        (carriers[0]["carrier_name"].as_str(), carriers[0]["driver_count"].as_i64()),
        (Some("自有车队"), Some(2))
    );
    let models = list(&get(&app, &t, "/api/delivery/car_model/list?search_text=货车").await);
    assert_eq!((models.len(), models[0]["max_load"].as_i64()), (1, Some(5000)));
    let (status, body) =
        app.admin_post(&admin, "/admin/api/delivery/carriers", &json!({"tenant_id": 1, "name": "新承运商"})).await;
    assert_eq!(status, 201, "{body}");
    let carrier = body["carrier_id"].as_i64().unwrap();
    let (status, body) = app
        .admin_post(
            &admin,
            "/admin/api/delivery/car_models",
            &json!({"tenant_id": 1, "name": "三轮车", "max_load": 300}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let model = body["car_model_id"].as_i64().unwrap();
    let driver = json!({"name": "赵师傅", "phone": "13600000009", "carrier_id": carrier, "car_model_id": model, "plate_number": "粤B00001"});
    let created = post(&app, &t, "/api/delivery/driver/create", driver.clone()).await;
    assert_eq!(created.0, 200, "{}", created.1);
    let id = created.1["data"]["driver_id"].as_i64().unwrap();
    let found = list(&get(&app, &t, "/api/delivery/driver/list?search_text=赵").await);
    assert_eq!(found.len(), 1);
    let d = &found[0];
    assert_eq!(
        (
            d["driver_id"].as_i64(),
            d["carrier_name"].as_str(),
            d["car_model_name"].as_str(),
            d["max_load"].as_i64(),
            d["state"].as_i64()
        ),
        (Some(id), Some("新承运商"), Some("三轮车"), Some(300), Some(1))
    );
    for key in
        ["phone", "plate_number", "deliveryd", "login", "station_id", "station_name", "car_model_id", "carrier_id"]
    {
        assert!(d.get(key).is_some(), "driver lacks {key}");
    }
    let mut update = driver.clone();
    update["driver_id"] = json!(id);
    update["state"] = json!(2);
    assert_eq!(post(&app, &t, "/api/delivery/driver/update", update.clone()).await.0, 200);
    assert_eq!(list(&get(&app, &t, "/api/delivery/driver/list?search_text=赵").await)[0]["state"], 2);
    // Refusals.
    let mut bad = driver.clone();
    bad["carrier_id"] = json!(999);
    assert_api_error(&post(&app, &t, "/api/delivery/driver/create", bad).await, 400, 1, "carrier_id");
    let mut bad = driver.clone();
    bad["phone"] = json!("call me");
    assert_api_error(&post(&app, &t, "/api/delivery/driver/create", bad).await, 400, 1, "phone");
    let mut bad = update.clone();
    bad["state"] = json!(3);
    assert_api_error(&post(&app, &t, "/api/delivery/driver/update", bad).await, 400, 1, "state");
    let mut bad = update;
    bad["driver_id"] = json!(999);
    assert_api_error(&post(&app, &t, "/api/delivery/driver/update", bad).await, 404, 5, "driver");
    let other = app.api_token_for("other-station", "other-station-secret").await;
    assert!(list(&get(&app, &other, "/api/delivery/driver/list").await).is_empty());
}

#[tokio::test]
async fn routes_hold_each_customer_once() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let routes = list(&get(&app, &t, "/api/delivery/route/list").await);
    assert_eq!(routes.len(), 2);
    assert_eq!(
        (routes[0]["route_name"].as_str(), routes[0]["customer_count"].as_i64()),
        (Some("盐田-罗湖线"), Some(5))
    );
    let created = post(
        &app,
        &t,
        "/api/delivery/route/create",
        json!({"route_name": "龙华线", "customer_ids": ["S000009", "S000010"]}),
    )
    .await;
    assert_eq!(created.0, 200, "{}", created.1);
    let id = created.1["data"]["route_id"].as_i64().unwrap();
    let members = list(&get(&app, &t, &format!("/api/delivery/route/get?route_id={id}")).await);
    assert_eq!(members.len(), 2);
    assert_eq!(
        (members[0]["customer_id"].as_str(), members[0]["route_name"].as_str()),
        (Some("S000009"), Some("龙华线"))
    );
    assert!(members[0]["area"].as_str().unwrap().contains("区"));
    assert_api_error(
        &post(&app, &t, "/api/delivery/route/create", json!({"route_name": "x", "customer_ids": ["S000001"]})).await,
        409,
        6,
        "at most one route",
    );
    assert_api_error(
        &post(&app, &t, "/api/delivery/route/create", json!({"route_name": "x", "customer_ids": ["S000999"]})).await,
        400,
        1,
        "customer",
    );
    assert_api_error(
        &post(&app, &t, "/api/delivery/route/update", json!({"route_id": id, "customer_ids": ["S000002"]})).await,
        409,
        6,
        "at most one route",
    );
    assert_eq!(
        post(
            &app,
            &t,
            "/api/delivery/route/update",
            json!({"route_id": id, "route_name": "龙华北线", "customer_ids": ["S000009"]})
        )
        .await
        .0,
        200
    );
    let after = list(&get(&app, &t, "/api/delivery/route/list?search_text=龙华").await);
    assert_eq!((after[0]["route_name"].as_str(), after[0]["customer_count"].as_i64()), (Some("龙华北线"), Some(1)));
    assert_eq!(post(&app, &t, "/api/delivery/route/delete", json!({"route_id": id})).await.0, 200);
    assert_api_error(&get(&app, &t, &format!("/api/delivery/route/get?route_id={id}")).await, 404, 5, "route");
    // S000010 is free again.
    assert_eq!(
        post(&app, &t, "/api/delivery/route/create", json!({"route_name": "y", "customer_ids": ["S000010"]})).await.0,
        200
    );
}

#[tokio::test]
async fn tasks_are_assigned_to_enabled_drivers() {
    let app = spawn_app().await;
    let t = app.api_token().await;
    let admin = app.admin_token().await;
    let tasks = list(&get(&app, &t, "/api/delivery/task/list?limit=100").await);
    assert!(tasks.iter().all(|x| [1, 5, 10].contains(&x["status"].as_i64().unwrap())), "only orders not yet signed");
    let mine = list(&get(&app, &t, "/api/delivery/task/list?driver_id=1").await);
    assert_eq!(mine.len(), 1);
    assert_eq!(
        (mine[0]["id"].as_str(), mine[0]["driver_name"].as_str(), mine[0]["carrier_id"].as_i64()),
        (Some("PL000032"), Some("张师傅"), Some(1))
    );
    for key in [
        "sort_id",
        "customer_id",
        "customer_name",
        "receive_address",
        "area",
        "receive_begin_time",
        "receive_end_time",
        "total_price",
        "order_pay_method",
        "status",
        "driver_status",
        "route_id",
        "route_name",
    ] {
        assert!(mine[0].get(key).is_some(), "task lacks {key}");
    }
    let a = app.place_order(&admin).await;
    let b = app.place_order(&admin).await;
    assert_eq!(
        post(&app, &t, "/api/delivery/driver/assign", json!({"order_ids": [a, b], "driver_id": 2})).await.0,
        200
    );
    assert_eq!(list(&get(&app, &t, "/api/delivery/task/list?driver_id=2").await).len(), 2);
    assert_eq!(list(&get(&app, &t, "/api/delivery/task/list?carrier_id=1&limit=100").await).len(), 3);
    let on_route = list(&get(&app, &t, "/api/delivery/task/list?route_id=1&limit=100").await);
    assert!(on_route.iter().all(|x| x["route_name"] == "盐田-罗湖线"));
    assert_eq!(post(&app, &t, "/api/delivery/driver/cancel", json!({"order_ids": [b]})).await.0, 200);
    assert_eq!(list(&get(&app, &t, "/api/delivery/task/list?driver_id=2").await).len(), 1);
    // Refusals: a disabled driver, an unknown one, a signed order; all or nothing.
    assert_api_error(
        &post(&app, &t, "/api/delivery/driver/assign", json!({"order_ids": [b], "driver_id": 3})).await,
        409,
        6,
        "disabled",
    );
    assert_api_error(
        &post(&app, &t, "/api/delivery/driver/assign", json!({"order_ids": [b], "driver_id": 99})).await,
        404,
        5,
        "driver",
    );
    assert_api_error(
        &post(&app, &t, "/api/delivery/driver/assign", json!({"order_ids": [b, "PL000001"], "driver_id": 1})).await,
        409,
        6,
        "not yet signed",
    );
    assert_eq!(
        list(&get(&app, &t, "/api/delivery/task/list?driver_id=1").await).len(),
        1,
        "nothing assigned by a refused request"
    );
    assert_api_error(
        &post(&app, &t, "/api/delivery/driver/assign", json!({"order_ids": [], "driver_id": 1})).await,
        400,
        1,
        "order_ids",
    );
    // The form body with a JSON list works too.
    let form = app
        .post_form(
            &format!("/api/delivery/driver/assign?access_token={t}"),
            &[("order_ids", &format!("[\"{b}\"]")), ("driver_id", "1")],
        )
        .await;
    assert_eq!(form.0, 200, "{}", form.1);
}
