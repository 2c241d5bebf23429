//! Offline dialect: staff sign-in, managers and their staff, shops, tokens, abuse limits.

use crate::helpers::{assert_api_error, spawn_app};
use serde_json::json;

#[tokio::test]
async fn staff_and_managers_sign_in() {
    let app = spawn_app().await;
    let (status, body) =
        app.post_form("/api/shops/staff_login/", &[("username", "manager"), ("password", "manager123")]).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"], 0);
    assert_eq!(body["data"]["username"], "manager");
    assert_eq!(body["data"]["role"], "manager");
    assert_eq!(body["data"]["token"].as_str().unwrap().len(), 32);
    let (status, body) =
        app.post_json("/api/shops/staff_login/", &json!({"username": "staff", "password": "staff123"})).await;
    assert_eq!((status, body["data"]["role"].clone()), (200, json!("staff")));
    // With the merchant's domain too.
    let (status, _) = app
        .post_json(
            "/api/shops/staff_login/",
            &json!({"username": "staff", "password": "staff123", "shop": "demo.dingdan.local"}),
        )
        .await;
    assert_eq!(status, 200);
    // Clerks are mall staff, not offline staff.
    let clerk = app.post_json("/api/shops/staff_login/", &json!({"username": "clerk", "password": "clerk123"})).await;
    assert_api_error(&clerk, 401, 2, "wrong user name or password");
}

#[tokio::test]
async fn bad_sign_ins_are_refused_and_limited_without_locking_out_forever() {
    let app = spawn_app().await;
    let wrong = app.post_json("/api/shops/staff_login/", &json!({"username": "staff", "password": "nope"})).await;
    assert_api_error(&wrong, 401, 2, "wrong user name or password");
    let ghost = app.post_json("/api/shops/staff_login/", &json!({"username": "ghost", "password": "x"})).await;
    assert_api_error(&ghost, 401, 2, "wrong user name or password");
    assert_api_error(
        &app.post_json("/api/shops/staff_login/", &json!({"username": "staff"})).await,
        400,
        1,
        "password",
    );
    assert_api_error(
        &app.post_raw("/api/shops/staff_login/", "application/json", b"{oops".to_vec()).await,
        400,
        1,
        "JSON",
    );
    for _ in 0..4 {
        app.post_json("/api/shops/staff_login/", &json!({"username": "staff", "password": "guess"})).await;
    }
    // Five failures in the window: even the right password waits.
    let limited = app.post_json("/api/shops/staff_login/", &json!({"username": "staff", "password": "staff123"})).await;
    assert_api_error(&limited, 429, 8, "try again later");
    // Another user is not affected.
    assert_eq!(
        app.post_json("/api/shops/staff_login/", &json!({"username": "manager", "password": "manager123"})).await.0,
        200
    );
    // After the window the real user signs in again.
    app.clock.advance_ms(16 * 60 * 1000);
    assert_eq!(
        app.post_json("/api/shops/staff_login/", &json!({"username": "staff", "password": "staff123"})).await.0,
        200
    );
    // The failures are in the shop's history.
    let manager = app.staff_token("manager", "manager123").await;
    let (_, history) = app.staff_get(&manager, "/api/shops/action_history/?limit=200").await;
    let failed =
        history["data"]["results"].as_array().unwrap().iter().filter(|a| a["action"] == "login_failed").count();
    assert_eq!(failed, 5, "{history}");
}

#[tokio::test]
async fn tokens_expire_can_be_revoked_and_forgeries_fail() {
    let app = spawn_app().await;
    let token = app.staff_token("staff", "staff123").await;
    assert_eq!(app.staff_get(&token, "/api/orders/pick_up_code/").await.0, 200);
    assert_eq!(app.staff_get(&format!("Bearer {token}"), "/api/orders/pick_up_code/").await.0, 200);
    assert_api_error(&app.get("/api/orders/pick_up_code/").await, 401, 3, "staff token");
    assert_api_error(&app.staff_get("forged-token", "/api/orders/pick_up_code/").await, 401, 3, "invalid");
    // An openapi token is not a staff token.
    let api = app.api_token().await;
    assert_api_error(&app.staff_get(&api, "/api/orders/pick_up_code/").await, 401, 3, "invalid");
    // Nor can the staff log-out end it: API tokens only expire.
    assert_api_error(&app.staff_post(&api, "/api/shops/staff_logout/", &json!({})).await, 401, 3, "invalid");
    assert_eq!(app.get(&format!("/openapi/order/get?access_token={api}&order_id=PL000001")).await.0, 200);
    let (status, _) = app.staff_post(&token, "/api/shops/staff_logout/", &json!({})).await;
    assert_eq!(status, 200);
    assert_api_error(&app.staff_get(&token, "/api/orders/pick_up_code/").await, 401, 3, "invalid");
    let token = app.staff_token("staff", "staff123").await;
    app.clock.advance_ms(8 * 86_400_000);
    assert_api_error(&app.staff_get(&token, "/api/orders/pick_up_code/").await, 401, 3, "expired");
}

#[tokio::test]
async fn managers_list_and_create_their_staff() {
    let app = spawn_app().await;
    let manager = app.staff_token("manager", "manager123").await;
    let (status, body) = app.staff_get(&manager, "/api/shops/staff/").await;
    assert_eq!(status, 200, "{body}");
    let names: Vec<&str> =
        body["data"]["results"].as_array().unwrap().iter().map(|s| s["username"].as_str().unwrap()).collect();
    assert_eq!(names, ["manager", "staff"], "clerks and other stores' people are not listed");
    assert_eq!(body["data"]["count"], 2);
    let (status, body) =
        app.staff_post(&manager, "/api/shops/staff/", &json!({"username": "xiaoli", "password": "xiaoli123"})).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["data"]["role"], "staff");
    assert!(body["data"].get("password").is_none() && body["data"].get("password_hash").is_none());
    let new = app.staff_token("xiaoli", "xiaoli123").await;
    assert_eq!(app.staff_get(&new, "/api/orders/pick_up_code/").await.0, 200);
    let dup =
        app.staff_post(&manager, "/api/shops/staff/", &json!({"username": "xiaoli", "password": "other123"})).await;
    assert_api_error(&dup, 409, 7, "taken");
    let weak = app.staff_post(&manager, "/api/shops/staff/", &json!({"username": "weak", "password": "1"})).await;
    assert_api_error(&weak, 400, 1, "password");
    // Plain staff may not.
    let staff = app.staff_token("staff", "staff123").await;
    assert_api_error(&app.staff_get(&staff, "/api/shops/staff/").await, 403, 4, "manager");
    let refused =
        app.staff_post(&staff, "/api/shops/staff/", &json!({"username": "sneaky", "password": "sneaky123"})).await;
    assert_api_error(&refused, 403, 4, "manager");
    assert_eq!(
        app.post_json("/api/shops/staff_login/", &json!({"username": "sneaky", "password": "sneaky123"})).await.0,
        401
    );
    let (_, history) = app.staff_get(&manager, "/api/shops/action_history/").await;
    assert!(history["data"]["results"].as_array().unwrap().iter().any(|a| a["action"] == "create_staff"
        && a["staff_id"].as_i64().is_some()
        && a["detail"]["username"] == "xiaoli"));
}

#[tokio::test]
async fn offline_shops_of_a_merchant() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/shops/offline_shop/?shop=demo.dingdan.local").await;
    assert_eq!(status, 200, "{body}");
    let names: Vec<&str> =
        body["data"]["results"].as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["演示门店", "演示二店"]);
    assert_eq!(body["data"]["count"], 2);
    assert_eq!(app.get("/api/shops/offline_shop/?shop=other.dingdan.local").await.1["data"]["count"], 0);
    assert_api_error(&app.get("/api/shops/offline_shop/?shop=nowhere.example").await, 404, 5, "shop");
    assert_api_error(&app.get("/api/shops/offline_shop/").await, 400, 1, "shop");
}
