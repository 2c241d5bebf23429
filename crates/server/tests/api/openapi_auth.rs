//! `GET /openapi/auth/access_token` and the token rules of every openapi call.

use crate::helpers::{assert_api_error, spawn_app};

#[tokio::test]
async fn demo_credentials_get_a_one_hour_token() {
    let app = spawn_app().await;
    let (status, body) = app.get("/openapi/auth/access_token?access_id=demo-station&secret=demo-station-secret").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"], 0);
    assert_eq!(body["msg"], "ok");
    let token = body["data"]["access_token"].as_str().unwrap();
    assert_eq!(token.len(), 32);
    assert!(token.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()));
    let expire = body["data"]["expire_time"].as_str().unwrap();
    let parsed = chrono::NaiveDateTime::parse_from_str(expire, "%Y-%m-%d %H:%M:%S").expect("YYYY-MM-DD HH:MM:SS");
    let now_shanghai = (chrono::Utc::now() + chrono::Duration::hours(8)).naive_utc();
    let ahead = (parsed - now_shanghai).num_seconds();
    assert!((3590..=3601).contains(&ahead), "expires {ahead}s ahead in Asia/Shanghai time");
}

#[tokio::test]
async fn wrong_or_missing_credentials_are_refused() {
    let app = spawn_app().await;
    let wrong = app.get("/openapi/auth/access_token?access_id=demo-station&secret=nope").await;
    assert_api_error(&wrong, 401, 2, "access_id or secret");
    let unknown = app.get("/openapi/auth/access_token?access_id=nobody&secret=demo-station-secret").await;
    assert_api_error(&unknown, 401, 2, "access_id or secret");
    let other_secret = app.get("/openapi/auth/access_token?access_id=demo-station&secret=other-station-secret").await;
    assert_api_error(&other_secret, 401, 2, "access_id or secret");
    assert_api_error(&app.get("/openapi/auth/access_token?access_id=demo-station").await, 400, 1, "secret");
    assert_api_error(&app.get("/openapi/auth/access_token?secret=x").await, 400, 1, "access_id");
    assert_api_error(&app.get("/openapi/auth/access_token").await, 400, 1, "access_id");
}

#[tokio::test]
async fn calls_without_a_valid_token_are_refused() {
    let app = spawn_app().await;
    let missing = app.get("/openapi/order/get?order_id=PL000001").await;
    assert_api_error(&missing, 401, 3, "access_token");
    let forged = app.get("/openapi/order/get?access_token=abcdefghijklmnopqrstuvwxyz012345&order_id=PL000001").await;
    assert_api_error(&forged, 401, 3, "invalid");
    let empty = app.get("/openapi/orders?access_token=&query_type=1&start_date=2030-01-01&end_date=2030-01-02").await;
    assert_api_error(&empty, 401, 3, "access_token");
    let huge = format!("/openapi/order/get?access_token={}&order_id=PL000001", "a".repeat(5000));
    assert_api_error(&app.get(&huge).await, 401, 3, "invalid");
}

#[tokio::test]
async fn a_token_expires_after_an_hour() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let path = format!("/openapi/order/get?access_token={token}&order_id=PL000001");
    assert_eq!(app.get(&path).await.0, 200);
    app.clock.advance_ms(59 * 60 * 1000);
    assert_eq!(app.get(&path).await.0, 200, "still valid after 59 minutes");
    app.clock.advance_ms(61 * 1000);
    assert_api_error(&app.get(&path).await, 401, 3, "expired");
    // A new token works again.
    let fresh = app.api_token().await;
    assert_eq!(app.get(&format!("/openapi/order/get?access_token={fresh}&order_id=PL000001")).await.0, 200);
}

#[tokio::test]
async fn a_token_in_the_post_body_is_not_accepted() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let got = app
        .post_form(
            "/openapi/order/update",
            &[("access_token", token.as_str()), ("order_id", "PL000030"), ("remark", "x")],
        )
        .await;
    assert_api_error(&got, 401, 3, "URL");
    // Nothing changed.
    assert!(app.openapi_order(&token, "PL000030").await["remark"].is_null());
}

#[tokio::test]
async fn tokens_of_another_tenant_see_nothing_of_this_one() {
    let app = spawn_app().await;
    let other = app.api_token_for("other-station", "other-station-secret").await;
    let got = app.get(&format!("/openapi/order/get?access_token={other}&order_id=PL000001")).await;
    assert_api_error(&got, 404, 5, "not found");
    let upd = app
        .post_form(
            &format!("/openapi/order/update?access_token={other}"),
            &[("order_id", "PL000001"), ("remark", "hijack")],
        )
        .await;
    assert_api_error(&upd, 404, 5, "not found");
    let today = chrono::Utc::now().date_naive();
    let from = today - chrono::Duration::days(6);
    let list =
        app.get(&format!("/openapi/orders?access_token={other}&query_type=1&start_date={from}&end_date={today}")).await;
    assert_eq!(list.0, 200);
    assert_eq!(list.1["data"]["list"].as_array().unwrap().len(), 0, "{}", list.1);
    let token = app.api_token().await;
    assert!(app.openapi_order(&token, "PL000001").await["remark"] != "hijack");
}
