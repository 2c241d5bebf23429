//! Every order whose creation was acknowledged survives a SIGKILL of the server, whole.

use crate::helpers::{fresh_config, start};
use serde_json::json;
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn acknowledged_orders_survive_a_kill() {
    let (config, dir) = fresh_config().await;
    let db_args: Vec<String> = if config.database.url.is_empty() {
        vec!["--data-dir".into(), config.database.data_dir.display().to_string()]
    } else {
        vec!["--database-url".into(), config.database.url.clone()]
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_dingdan"))
        .args(["serve", "--demo", "--addr", "127.0.0.1:0"])
        .args(&db_args)
        .env("DINGDAN_LOG", "info")
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut addr = None;
    while let Ok(line) = rx.recv_timeout(Duration::from_secs(60)) {
        if line.contains("dingdan listening") {
            addr = line.split("addr=").nth(1).map(|r| r.split_whitespace().next().unwrap().to_string());
            break;
        }
    }
    let base = format!("http://{}", addr.expect("the server logs where it listens"));
    let client = reqwest::Client::new();
    let token: serde_json::Value = client
        .get(format!("{base}/openapi/auth/access_token?access_id=demo-station&secret=demo-station-secret"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["data"]["access_token"].as_str().unwrap().to_string();
    // Thirty-two clients create orders until the server is killed under them, so that on SQLite
    // many transactions share each group commit when the kill lands.
    let acknowledged = Arc::new(Mutex::new(Vec::<String>::new()));
    let deadline = Instant::now() + Duration::from_millis(1500);
    let mut tasks = Vec::new();
    for _ in 0..32 {
        let (client, url, acked) =
            (client.clone(), format!("{base}/api/order/create?access_token={token}"), acknowledged.clone());
        tasks.push(tokio::spawn(async move {
            let body = json!({"sid": "S000001", "receive_begin_time": "2030-09-01 06:00:00", "receive_end_time": "2030-09-01 10:00:00",
                "products": [{"sku_id": "D000001", "amount": 2, "unit_price": 728}, {"sku_id": "D000003", "amount": 1.5, "unit_price": 500}]});
            loop {
                match client.post(&url).json(&body).send().await {
                    Ok(r) if r.status() == 200 => {
                        if let Ok(v) = r.json::<serde_json::Value>().await {
                            if let Some(id) = v["data"]["order_id"].as_str() {
                                acked.lock().unwrap().push(id.to_string());
                            }
                        }
                    }
                    Ok(_) => {}
                    Err(_) => break, // the server is gone
                }
            }
        }));
    }
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    child.kill().unwrap(); // SIGKILL: no shutdown, no flush
    child.wait().unwrap();
    for t in tasks {
        let _ = t.await;
    }
    let acked = acknowledged.lock().unwrap().clone();
    eprintln!("{} orders acknowledged before the kill", acked.len());
    assert!(acked.len() >= 5, "the load created orders before the kill ({})", acked.len());

    let app = start(config, true).await;
    let token = app.api_token().await;
    for id in &acked {
        let (status, body) = app.get(&format!("/api/order/get?access_token={token}&order_id={id}")).await;
        assert_eq!(status, 200, "acknowledged order {id} is missing after the kill: {body}");
        assert_eq!(body["data"]["details"].as_array().unwrap().len(), 2, "{id} lost lines");
        assert_eq!(body["data"]["real_price"], 1456 + 750);
    }
    app.stop().await;
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}
