//! Mall members: captchas through a fake SMS gateway, sign-up and sign-in, profiles, WeChat
//! through a fake WeChat API, regions.

use crate::helpers::{spawn_app, spawn_app_with_providers, TestApp};
use axum::extract::Query;
use axum::http::HeaderMap;
use axum::routing::{get, post};
use axum::Json;
use dingdan_app::members::providers::{HttpSms, HttpWechat};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

type Sent = Arc<Mutex<Vec<(String, Value)>>>;

/// A fake SMS gateway and a fake WeChat API on loopback; the server uses the real clients.
async fn mall() -> (TestApp, Sent) {
    let sent: Sent = Arc::default();
    let inbox = sent.clone();
    let fake = axum::Router::new()
        .route(
            "/sms",
            post(move |headers: HeaderMap, Json(body): Json<Value>| {
                let inbox = inbox.clone();
                async move {
                    let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                    inbox.lock().unwrap().push((auth, body));
                    Json(json!({"code": 0}))
                }
            }),
        )
        .route("/sns/oauth2/access_token", get(wechat))
        .route("/sns/jscode2session", get(wechat));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, fake).await.unwrap() });
    let sms = Arc::new(HttpSms::new(&format!("{base}/sms"), "gateway-key", "订单"));
    let wechat = Arc::new(HttpWechat::new(&base, ("wxapp-id", "wxapp-secret"), ("wxa-id", "wxa-secret")));
    (spawn_app_with_providers(sms, wechat).await, sent)
}

async fn wechat(Query(q): Query<HashMap<String, String>>) -> Json<Value> {
    let code = q.get("code").or(q.get("js_code")).cloned().unwrap_or_default();
    let secret_ok = matches!(q.get("secret").map(String::as_str), Some("wxapp-secret" | "wxa-secret"));
    if !secret_ok || code == "bad" {
        return Json(json!({"errcode": 40029, "errmsg": "invalid code"}));
    }
    Json(json!({"openid": format!("openid-{code}"), "unionid": format!("unionid-{code}"), "session_key": "k"}))
}

fn last_code(sent: &Sent, phone: &str) -> String {
    let list = sent.lock().unwrap();
    let (_, body) = list.iter().rev().find(|(_, b)| b["phone"] == phone).expect("a message to that phone");
    body["code"].as_str().unwrap().to_string()
}

async fn post_auth(app: &TestApp, token: &str, path: &str, body: Value) -> (u16, Value) {
    let r = app.client.post(app.url(path)).header("authorization", token).json(&body).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

async fn get_auth(app: &TestApp, token: &str, path: &str) -> (u16, Value) {
    let r = app.client.get(app.url(path)).header("authorization", token).send().await.unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

#[track_caller]
fn refused(got: &(u16, Value), status: u16, key: &str) {
    assert_eq!(got.0, status, "{}", got.1);
    assert_eq!(got.1["status_code"], 1, "{}", got.1);
    assert!(got.1["message"].as_str().unwrap().starts_with(key), "{} should be {key}", got.1);
}

async fn login(app: &TestApp, body: Value) -> String {
    let got = app.post_json("/rest/login", &body).await;
    assert_eq!(got.0, 200, "{}", got.1);
    got.1["data"]["access_token"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn register_by_phone_sign_in_and_profile() {
    let (app, sent) = mall().await;
    let demo = login(&app, json!({"username": "demo", "password": "demo123"})).await;
    let invite =
        get_auth(&app, &demo, "/rest/profile").await.1["data"]["invitation_code"].as_str().unwrap().to_string();
    let got = app.post_json("/rest/pub/sms", &json!({"phone": "13900001111", "name": "verify"})).await;
    assert_eq!(got, (200, json!({"status_code": 0, "message": "ok", "data": null})));
    let (auth, body) = sent.lock().unwrap()[0].clone();
    assert_eq!(
        (auth.as_str(), body["template"].as_str(), body["sign_name"].as_str()),
        ("Bearer gateway-key", Some("verify"), Some("订单"))
    );
    let code = last_code(&sent, "13900001111");
    assert_eq!(code.len(), 6);
    // Verifying does not use it up; registering does.
    assert_eq!(app.post_json("/rest/pub/sms_verify", &json!({"phone": "13900001111", "captcha": code})).await.0, 200);
    refused(
        &app.post_json("/rest/pub/sms_verify", &json!({"phone": "13900001111", "captcha": "000000x"})).await,
        400,
        "invalid.captcha",
    );
    let reg = json!({"phone": "13900001111", "captcha": code, "password": "secret1", "invite_code": invite});
    assert_eq!(
        app.post_json("/rest/register", &reg).await,
        (200, json!({"status_code": 0, "message": "register.success", "data": null}))
    );
    refused(
        &app.post_json("/rest/register", &json!({"phone": "13900002222", "captcha": code, "password": "secret1"}))
            .await,
        400,
        "invalid.captcha",
    );
    let token = login(&app, json!({"phone": "13900001111", "password": "secret1"})).await;
    let (status, p) = get_auth(&app, &token, "/rest/profile").await;
    assert_eq!(status, 200);
    let d = &p["data"];
    assert_eq!(
        (d["phone"].as_str(), d["inviter_name"].as_str(), d["status"].as_str()),
        (Some("13900001111"), Some("demo"), Some("NORMAL"))
    );
    for key in [
        "uid",
        "birthday",
        "invitation_code",
        "invitation_qrcode_url",
        "invitation_qrcode",
        "inviter_id",
        "sex",
        "register_date",
        "avatar",
        "last_login_date",
        "login_name",
        "weixin",
        "token_expired_date",
        "name",
        "real_name",
        "details",
        "id",
        "email",
        "followed",
        "follow_time",
    ] {
        assert!(d.get(key).is_some(), "profile lacks {key}");
    }
    assert!(d.get("password").is_none() && d.get("password_hash").is_none());
    let update = json!({"sex": 2, "details": "爱吃菜", "birthday": "1999/01/22", "email": "h@a.com", "name": "小华", "real_name": "Huang"});
    assert_eq!(post_auth(&app, &token, "/rest/profile", update).await.1["message"], "profile.updated");
    let d = get_auth(&app, &token, "/rest/profile").await.1["data"].clone();
    assert_eq!(
        (d["birthday"].as_str(), d["sex"].as_i64(), d["name"].as_str()),
        (Some("1999-01-22"), Some(2), Some("小华"))
    );
    refused(&post_auth(&app, &token, "/rest/profile", json!({"sex": 7})).await, 400, "invalid.sex");
    refused(&post_auth(&app, &token, "/rest/profile", json!({"birthday": "yesterday"})).await, 400, "invalid.birthday");
    refused(&post_auth(&app, &token, "/rest/profile", json!({"phone": "13900009999"})).await, 400, "invalid.phone");
    // Phone + captcha sign-in.
    app.clock.advance_ms(61_000);
    app.post_json("/rest/pub/sms", &json!({"phone": "13900001111", "name": "login"})).await;
    let code = last_code(&sent, "13900001111");
    login(&app, json!({"phone": "13900001111", "captcha": code})).await;
    // Public info shows public fields only.
    let id = d["id"].as_i64().unwrap();
    let info = app.post_json("/rest/pub/user_info", &json!({"ids": [id, 99999]})).await;
    assert_eq!(info.1["data"], json!([{"sex": 2, "name": "小华", "id": id, "avatar": null}]));
}

#[tokio::test]
async fn captchas_expire_die_after_wrong_tries_and_are_rate_limited() {
    let (app, sent) = mall().await;
    let phone = "13900003333";
    assert_eq!(app.post_json("/rest/pub/sms", &json!({"phone": phone, "name": "verify"})).await.0, 200);
    refused(
        &app.post_json("/rest/pub/sms", &json!({"phone": phone, "name": "verify"})).await,
        429,
        "captcha.too.frequent",
    );
    refused(&app.post_json("/rest/pub/sms", &json!({"phone": "1234", "name": "verify"})).await, 400, "invalid.phone");
    let code = last_code(&sent, phone);
    for _ in 0..5 {
        refused(
            &app.post_json("/rest/pub/sms_verify", &json!({"phone": phone, "captcha": "999999"})).await,
            400,
            "invalid.captcha",
        );
    }
    refused(
        &app.post_json("/rest/pub/sms_verify", &json!({"phone": phone, "captcha": code})).await,
        400,
        "invalid.captcha",
    );
    // A new one, expired after five minutes.
    app.clock.advance_ms(61_000);
    app.post_json("/rest/pub/sms", &json!({"phone": phone, "name": "verify"})).await;
    let code = last_code(&sent, phone);
    app.clock.advance_ms(5 * 60_000 + 1_000);
    refused(
        &app.post_json("/rest/pub/sms_verify", &json!({"phone": phone, "captcha": code})).await,
        400,
        "invalid.captcha",
    );
    // Ten a day per phone.
    for _ in 0..8 {
        app.clock.advance_ms(61_000);
        assert_eq!(app.post_json("/rest/pub/sms", &json!({"phone": phone, "name": "verify"})).await.0, 200);
    }
    app.clock.advance_ms(61_000);
    refused(
        &app.post_json("/rest/pub/sms", &json!({"phone": phone, "name": "verify"})).await,
        429,
        "captcha.too.frequent",
    );
    assert_eq!(sent.lock().unwrap().len(), 10);
}

#[tokio::test]
async fn usernames_passwords_tokens_and_phones() {
    let (app, sent) = mall().await;
    let ok = json!({"status_code": 0, "message": "register.success", "data": null});
    assert_eq!(app.post_json("/rest/register", &json!({"username": "abc", "password": "abc123"})).await.1, ok);
    refused(
        &app.post_json("/rest/register", &json!({"username": "abc", "password": "abc123"})).await,
        409,
        "username.already.exist",
    );
    refused(
        &app.post_json("/rest/register", &json!({"username": "weak", "password": "1"})).await,
        400,
        "invalid.password",
    );
    refused(
        &app.post_json("/rest/register", &json!({"phone": "13800000001", "captcha": "123456", "password": "abc123"}))
            .await,
        409,
        "phone.already.exist",
    );
    refused(
        &app.post_json("/rest/register", &json!({"phone": "12345", "captcha": "123456"})).await,
        400,
        "invalid.phone",
    );
    refused(
        &app.post_json("/rest/register", &json!({"username": "x1", "password": "abc123", "invite_code": "nope"})).await,
        400,
        "invalid.invite.code",
    );
    refused(
        &app.post_json("/rest/login", &json!({"username": "abc", "password": "wrong1"})).await,
        401,
        "invalid.username.or.password",
    );
    refused(
        &app.post_json("/rest/login", &json!({"username": "ghost", "password": "wrong1"})).await,
        401,
        "invalid.username.or.password",
    );
    let token = login(&app, json!({"username": "abc", "password": "abc123"})).await;
    let other = login(&app, json!({"username": "abc", "password": "abc123"})).await;
    refused(
        &post_auth(&app, &token, "/rest/password", json!({"old_password": "nope00", "new_password": "new123"})).await,
        400,
        "incorrect.old.password",
    );
    assert_eq!(
        post_auth(&app, &token, "/rest/password", json!({"old_password": "abc123", "new_password": "new123"})).await.1
            ["message"],
        "password.changed"
    );
    refused(&get_auth(&app, &other, "/rest/profile").await, 401, "invalid.token");
    let token = login(&app, json!({"username": "abc", "password": "new123"})).await;
    // Bind a phone.
    app.post_json("/rest/pub/sms", &json!({"phone": "13900004444", "name": "bind"})).await;
    refused(
        &post_auth(&app, &token, "/rest/phone", json!({"phone": "13900004444", "captcha": "000000"})).await,
        400,
        "captcha.invalid",
    );
    let code = last_code(&sent, "13900004444");
    assert_eq!(
        post_auth(&app, &token, "/rest/phone", json!({"phone": "13900004444", "captcha": code})).await.1["message"],
        "phone.updated"
    );
    refused(
        &post_auth(&app, &token, "/rest/phone", json!({"phone": "13800000002", "captcha": "1"})).await,
        409,
        "phone.already.exist",
    );
    // Forgotten password.
    app.clock.advance_ms(61_000);
    app.post_json("/rest/pub/sms", &json!({"phone": "13900004444", "name": "reset"})).await;
    let code = last_code(&sent, "13900004444");
    refused(
        &app.post_json(
            "/rest/pub/forget_password",
            &json!({"phone": "13900004444", "captcha": "111111", "password": "reset1"}),
        )
        .await,
        400,
        "invalid.captcha",
    );
    assert_eq!(
        app.post_json(
            "/rest/pub/forget_password",
            &json!({"phone": "13900004444", "captcha": code, "password": "reset1"})
        )
        .await
        .1["message"],
        "password.reset"
    );
    refused(&get_auth(&app, &token, "/rest/profile").await, 401, "invalid.token");
    let token = login(&app, json!({"phone": "13900004444", "password": "reset1"})).await;
    // Logout; forged and missing tokens.
    assert_eq!(get_auth(&app, &token, "/rest/logout").await.1["message"], "logout.success");
    refused(&get_auth(&app, &token, "/rest/profile").await, 401, "invalid.token");
    refused(&get_auth(&app, "forged", "/rest/profile").await, 401, "invalid.token");
    refused(&app.get("/rest/profile").await, 401, "token.required");
}

#[tokio::test]
async fn wechat_sign_in_and_mini_program_registration() {
    let (app, sent) = mall().await;
    let unknown = app.post_json("/rest/login_wxa", &json!({"code": "mini1"})).await;
    refused(&unknown, 404, "user.not.found");
    assert_eq!(unknown.1["data"], json!({"openid": "openid-mini1", "unionid": "unionid-mini1"}));
    app.post_json("/rest/pub/sms", &json!({"phone": "13900005555", "name": "verify"})).await;
    let code = last_code(&sent, "13900005555");
    let reg = app
        .post_json("/rest/register_wxa", &json!({"phone": "13900005555", "openid": "openid-mini1", "captcha": code}))
        .await;
    assert_eq!(reg.0, 200, "{}", reg.1);
    assert_eq!(reg.1["data"]["openid"], "openid-mini1");
    let known = app.post_json("/rest/login_wxa", &json!({"code": "mini1"})).await;
    assert_eq!(known.0, 200, "{}", known.1);
    assert!(known.1["data"]["access_token"].is_string());
    assert_eq!(known.1["data"]["unionid"], "unionid-mini1");
    refused(
        &app.post_json("/rest/register_wxa", &json!({"phone": "13900005555", "openid": "openid-x", "captcha": "1"}))
            .await,
        409,
        "phone.already.exist",
    );
    refused(&app.post_json("/rest/login_wxapp", &json!({"code": "bad"})).await, 502, "wechat.login.failed");
    refused(&app.post_json("/rest/login_wxapp", &json!({"code": "app9"})).await, 404, "user.not.found");
    refused(&app.post_json("/rest/login_wxapp", &json!({})).await, 400, "invalid.code");
}

#[tokio::test]
async fn demo_mode_uses_the_sandbox_and_regions_are_complete() {
    let app = spawn_app().await;
    // The sandbox WeChat answers any code; an unknown one is user.not.found with a sandbox openid.
    let got = app.post_json("/rest/login_wxa", &json!({"code": "anything"})).await;
    refused(&got, 404, "user.not.found");
    assert!(got.1["data"]["openid"].as_str().unwrap().starts_with("sandbox-"));
    assert_eq!(
        app.post_json("/rest/pub/sms", &json!({"phone": "13900006666", "name": "verify"})).await.0,
        200,
        "the log provider sends"
    );
    let provinces = app.get("/rest/pcd").await.1["data"].as_array().unwrap().clone();
    assert_eq!(provinces.len(), 31);
    assert!(provinces
        .iter()
        .any(|p| p["name"] == "广东省" && p["type"] == "p" && p["id"] == 440000 && p["parent_id"].is_null()));
    let cities = app.get("/rest/pcd?province=广东").await.1["data"].as_array().unwrap().clone();
    assert!(cities.iter().any(|c| c["name"] == "广州市" && c["type"] == "c" && c["parent_id"] == 440000));
    let districts = app.get("/rest/pcd?province=广东省&city=广州").await.1["data"].as_array().unwrap().clone();
    assert!(districts.iter().any(|d| d["name"] == "天河区" && d["type"] == "d" && d["parent_id"] == 440100));
    let all = app.get("/rest/pcd?all=true").await.1["data"].as_array().unwrap().clone();
    let gd = all.iter().find(|p| p["id"] == 440000).unwrap();
    assert!(gd["area_list"].as_array().unwrap().iter().any(|c| c["area_list"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["name"] == "天河区")));
    refused(&app.get("/rest/pcd?province=火星").await, 404, "province.not.found");
}
