//! `GET /openapi/orders`.

use crate::helpers::{assert_api_error, spawn_app};
use chrono::{Duration, NaiveDate};
use serde_json::Value;

fn today() -> NaiveDate {
    (chrono::Utc::now() + Duration::hours(8)).date_naive()
}

async fn list(app: &crate::helpers::TestApp, token: &str, query: &str) -> (u16, Value) {
    app.get(&format!("/openapi/orders?access_token={token}&{query}")).await
}

fn items(body: &Value) -> Vec<Value> {
    body["data"]["list"].as_array().expect("list").clone()
}

#[tokio::test]
async fn lists_the_last_week_by_order_time() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let (from, to) = (today() - Duration::days(6), today());
    let (status, body) = list(&app, &token, &format!("query_type=1&start_date={from}&end_date={to}&limit=100")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["code"], 0);
    assert_eq!(body["data"]["pagination"], serde_json::json!({"limit": 100, "offset": 0}));
    let list = items(&body);
    assert!(list.len() >= 2, "the demo has orders in the last 7 days: {body}");
    for item in &list {
        for key in [
            "origin_total_price",
            "date_time_str",
            "receive_end_time",
            "status",
            "sort_id",
            "id",
            "receive_begin_time",
            "total_price",
            "resname",
            "freight",
        ] {
            assert!(item.get(key).is_some(), "item lacks {key}: {item}");
        }
        let day = NaiveDate::parse_from_str(&item["date_time_str"].as_str().unwrap()[..10], "%Y-%m-%d").unwrap();
        assert!(day >= from && day <= to, "{item}");
        assert!(item["id"].as_str().unwrap().starts_with("PL"));
        for money in ["origin_total_price", "total_price", "freight"] {
            let s = item[money].as_str().expect("yuan string");
            assert!(s.contains('.') && s.split('.').nth(1).unwrap().len() == 2, "{money}: {s}");
        }
        assert_ne!(item["status"], -1, "deleted orders are not listed unless asked for");
    }
    // Newest first by default.
    let times: Vec<&str> = list.iter().map(|i| i["date_time_str"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
}

#[tokio::test]
async fn by_receive_date_sorting_status_and_paging() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let token = app.api_token().await;
    let a = app.place_order(&admin).await; // receive 2030-06-22
    let b = app.place_order(&admin).await;
    app.admin_move(&admin, &b, "start_sorting").await;
    let base = "query_type=2&start_date=2030-06-20&end_date=2030-06-26";
    let (_, body) = list(&app, &token, base).await;
    let ids: Vec<Value> = items(&body).iter().map(|i| i["id"].clone()).collect();
    assert_eq!(ids, vec![Value::from(b.clone()), Value::from(a.clone())], "same day: newest id first");
    let (_, body) = list(&app, &token, &format!("{base}&sort_type=date_asc")).await;
    assert_eq!(items(&body)[0]["id"], a.as_str());
    let (_, body) = list(&app, &token, &format!("{base}&status=5")).await;
    let only: Vec<Value> = items(&body).iter().map(|i| i["id"].clone()).collect();
    assert_eq!(only, vec![Value::from(b.clone())]);
    let (_, body) = list(&app, &token, &format!("{base}&status=15")).await;
    assert!(items(&body).is_empty());
    let (_, body) = list(&app, &token, &format!("{base}&limit=1&offset=1")).await;
    assert_eq!(items(&body).len(), 1);
    assert_eq!(items(&body)[0]["id"], a.as_str());
    assert_eq!(body["data"]["pagination"], serde_json::json!({"limit": 1, "offset": 1}));
    // Not in range by order time.
    let (_, body) = list(&app, &token, "query_type=1&start_date=2030-06-20&end_date=2030-06-26").await;
    assert!(items(&body).is_empty());
}

#[tokio::test]
async fn price_sorting_uses_the_total() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let (from, to) = (today() - Duration::days(6), today());
    for (sort, desc) in [("price_desc", true), ("price_asc", false)] {
        let (status, body) =
            list(&app, &token, &format!("query_type=1&start_date={from}&end_date={to}&sort_type={sort}")).await;
        assert_eq!(status, 200);
        let totals: Vec<f64> =
            items(&body).iter().map(|i| i["total_price"].as_str().unwrap().parse().unwrap()).collect();
        assert!(totals.len() >= 2);
        assert!(totals.windows(2).all(|w| if desc { w[0] >= w[1] } else { w[0] <= w[1] }), "{sort}: {totals:?}");
    }
}

#[tokio::test]
async fn deleted_orders_show_only_when_asked() {
    let app = spawn_app().await;
    let admin = app.admin_token().await;
    let token = app.api_token().await;
    let id = app.place_order(&admin).await;
    app.admin_move(&admin, &id, "delete").await;
    let base = "query_type=2&start_date=2030-06-22&end_date=2030-06-22";
    assert!(items(&list(&app, &token, base).await.1).is_empty());
    let (_, body) = list(&app, &token, &format!("{base}&status=-1")).await;
    assert_eq!(items(&body)[0]["status"], -1);
    assert_eq!(app.openapi_order(&token, &id).await["status"], -1);
}

#[tokio::test]
async fn refuses_bad_ranges_and_limits() {
    let app = spawn_app().await;
    let token = app.api_token().await;
    let ok = list(&app, &token, "query_type=1&start_date=2030-06-01&end_date=2030-06-07").await;
    assert_eq!(ok.0, 200, "7 days inclusive is allowed");
    let cases = [
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-08", "7 days"),
        ("query_type=1&start_date=2030-06-08&end_date=2030-06-01", "before"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&limit=1000", "limit"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&limit=0", "limit"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&offset=-1", "offset"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&limit=ten", "limit"),
        ("query_type=3&start_date=2030-06-01&end_date=2030-06-02", "query_type"),
        ("start_date=2030-06-01&end_date=2030-06-02", "query_type"),
        ("query_type=1&end_date=2030-06-02", "start_date"),
        ("query_type=1&start_date=2030/06/01&end_date=2030-06-02", "start_date"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&sort_type=random", "sort_type"),
        ("query_type=1&start_date=2030-06-01&end_date=2030-06-02&status=3", "status"),
    ];
    for (query, needle) in cases {
        assert_api_error(&list(&app, &token, query).await, 400, 1, needle);
    }
}
