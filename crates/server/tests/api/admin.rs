//! The admin API: sign-in, bootstrapping tenants, apps, stores, staff; refusals.

use crate::helpers::spawn_app;
use serde_json::json;

#[tokio::test]
async fn admin_sign_in_and_refusals() {
    let app = spawn_app().await;
    let (status, body) = app.post_json("/admin/api/login", &json!({"username": "admin", "password": "wrong"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("bad_credentials")), "{body}");
    let (status, _) = app.post_json("/admin/api/login", &json!({"username": "ghost", "password": "admin123"})).await;
    assert_eq!(status, 401);
    let (status, body) = app.get("/admin/api/tenants").await;
    assert_eq!((status, body["error"]["code"].as_str()), (401, Some("unauthenticated")), "{body}");
    let (status, _) = app.admin_get("not-a-token", "/admin/api/tenants").await;
    assert_eq!(status, 401);
    // An openapi token is not an admin token.
    let api = app.api_token().await;
    assert_eq!(app.admin_get(&api, "/admin/api/tenants").await.0, 401);
    let (status, body) = app.post_raw("/admin/api/login", "application/json", b"{".to_vec()).await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test]
async fn bootstrap_a_merchant_end_to_end() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let (status, body) =
        app.admin_post(&admin, "/admin/api/tenants", &json!({"name": "新商户", "domain": "new.example.com"})).await;
    assert_eq!(status, 201, "{body}");
    let tenant_id = body["id"].as_i64().unwrap();
    let (status, body) =
        app.admin_post(&admin, "/admin/api/tenants", &json!({"name": "dup", "domain": "new.example.com"})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("duplicate")), "{body}");
    let (status, _) = app
        .admin_post(
            &admin,
            "/admin/api/tenants",
            &json!({"name": "x", "domain": "x.example.com", "timezone": "Mars/Base"}),
        )
        .await;
    assert_eq!(status, 400);

    let (status, body) =
        app.admin_post(&admin, "/admin/api/apps", &json!({"tenant_id": tenant_id, "name": "ERP"})).await;
    assert_eq!(status, 201, "{body}");
    let (access_id, secret) =
        (body["access_id"].as_str().unwrap().to_string(), body["secret"].as_str().unwrap().to_string());
    let token = app.api_token_for(&access_id, &secret).await;
    // The new tenant has no orders: the demo's are invisible to it.
    let (status, _) = app.get(&format!("/openapi/order/get?access_token={token}&order_id=PL000001")).await;
    assert_eq!(status, 404);
    let (_, apps) = app.admin_get(&admin, &format!("/admin/api/apps?tenant_id={tenant_id}")).await;
    assert_eq!(apps["apps"].as_array().unwrap().len(), 1);
    assert!(apps["apps"][0].get("secret").is_none() && apps["apps"][0].get("secret_hash").is_none());
    let (status, _) = app.admin_post(&admin, "/admin/api/apps", &json!({"tenant_id": 999, "name": "x"})).await;
    assert_eq!(status, 404);

    let (status, body) =
        app.admin_post(&admin, "/admin/api/stores", &json!({"tenant_id": tenant_id, "name": "一号店"})).await;
    assert_eq!(status, 201, "{body}");
    let store_id = body["id"].as_i64().unwrap();
    let staff = json!({"tenant_id": tenant_id, "store_id": store_id, "role": "manager", "username": "boss", "password": "secret1"});
    assert_eq!(app.admin_post(&admin, "/admin/api/staff", &staff).await.0, 201);
    assert_eq!(app.admin_post(&admin, "/admin/api/staff", &staff).await.0, 409, "user names are unique per tenant");
    let weak = json!({"tenant_id": tenant_id, "role": "staff", "username": "weak", "password": "1"});
    assert_eq!(app.admin_post(&admin, "/admin/api/staff", &weak).await.0, 400);
    let bad_role = json!({"tenant_id": tenant_id, "role": "king", "username": "k", "password": "secret1"});
    assert_eq!(app.admin_post(&admin, "/admin/api/staff", &bad_role).await.0, 400);
    let foreign_store =
        json!({"tenant_id": tenant_id, "store_id": 1, "role": "staff", "username": "s", "password": "secret1"});
    assert_eq!(app.admin_post(&admin, "/admin/api/staff", &foreign_store).await.0, 404, "store of another tenant");
    let (_, list) = app.admin_get(&admin, &format!("/admin/api/staff?tenant_id={tenant_id}")).await;
    assert_eq!(list["staff"].as_array().unwrap().len(), 1);
    assert!(list["staff"][0].get("password_hash").is_none());
    let (_, stores) = app.admin_get(&admin, "/admin/api/stores?tenant_id=1").await;
    let names: Vec<&str> = stores["stores"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["演示门店", "演示二店"]);
}

#[tokio::test]
async fn b2b_order_operations_refuse_what_the_state_machine_forbids() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let id = app.place_order(&admin).await;
    let (status, _) =
        app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/sign"), &json!({"tenant_id": 1})).await;
    assert_eq!(status, 409, "cannot sign an order that is not delivering");
    app.admin_move(&admin, &id, "start_sorting").await;
    let weigh = json!({"tenant_id": 1, "sku_id": "D000001", "real_quantity": 2.2});
    let (status, body) = app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/weigh"), &weigh).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["order"]["real_total"].as_i64().unwrap() - body["order"]["ordered_total"].as_i64().unwrap(), 146);
    app.admin_move(&admin, &id, "ship").await;
    let (status, _) = app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/weigh"), &weigh).await;
    assert_eq!(status, 409, "weighing ends when the goods leave");
    let (status, _) =
        app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/delete"), &json!({"tenant_id": 1})).await;
    assert_eq!(status, 409);
    app.admin_move(&admin, &id, "sign").await;
    let (status, _) =
        app.admin_post(&admin, &format!("/admin/api/b2b/orders/{id}/fly"), &json!({"tenant_id": 1})).await;
    assert_eq!(status, 400);
    let (_, o) = app.admin_get(&admin, &format!("/admin/api/b2b/orders/{id}?tenant_id=1")).await;
    assert_eq!(o["order"]["fulfillment"], "delivered");
    assert_eq!(o["order"]["payment"], "unpaid");
    assert_eq!(o["order"]["after_sale"], "none");

    // Placement refusals: SKU not on the customer's price lists, empty, reversed window.
    let place = |products: serde_json::Value, begin: &str, customer: &str| {
        json!({
        "tenant_id": 1, "customer_id": customer, "receive_begin_time": begin,
        "receive_end_time": "2030-06-22 12:00:00", "products": products })
    };
    let one = json!([{"sku_id": "D000002", "amount": 1}]);
    let (status, body) =
        app.admin_post(&admin, "/admin/api/b2b/orders", &place(one.clone(), "2030-06-22 06:00:00", "S000002")).await;
    assert_eq!(status, 400, "customer 2 has only the first price list: {body}");
    let (status, _) =
        app.admin_post(&admin, "/admin/api/b2b/orders", &place(json!([]), "2030-06-22 06:00:00", "S000001")).await;
    assert_eq!(status, 400);
    let (status, _) =
        app.admin_post(&admin, "/admin/api/b2b/orders", &place(one.clone(), "2030-06-22 13:00:00", "S000001")).await;
    assert_eq!(status, 400);
    let (status, _) =
        app.admin_post(&admin, "/admin/api/b2b/orders", &place(one, "2030-06-22 06:00:00", "S000999")).await;
    assert_eq!(status, 404);
}
