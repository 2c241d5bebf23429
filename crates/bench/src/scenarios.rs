//! The named scenarios: what one operation sends and what counts as its success.

use crate::generate::Fixture;
use crate::load::{self, fail, Conn, Op, OpError, OpFuture, Outcome, Plan};
use crate::server::Server;
use crate::Scenario;
use anyhow::Context;
use bytes::Bytes;
use chrono::Duration as Days;
use hyper::Method;
use std::sync::Arc;

/// The credentials the scenarios use (the demo's fixed ones, shared/spec/DEMO.md).
#[derive(Debug, Clone)]
pub struct Clients {
    pub api_token: String,
    pub staff_token: String,
}

impl Clients {
    pub async fn sign_in(base: &str, _fixture: &Fixture) -> anyhow::Result<Clients> {
        let mut conn = Conn::new(base);
        let (status, body) = conn
            .call(
                Method::GET,
                "/openapi/auth/access_token?access_id=demo-station&secret=demo-station-secret",
                None,
                None,
            )
            .await
            .map_err(describe)?;
        anyhow::ensure!(status == 200, "API sign-in answered {status}");
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        let api_token = v["data"]["access_token"].as_str().context("no access_token")?.to_string();
        let login = Bytes::from_static(br#"{"username":"staff","password":"staff123"}"#);
        let (status, body) =
            conn.call(Method::POST, "/api/shops/staff_login/", None, Some(login)).await.map_err(describe)?;
        anyhow::ensure!(status == 200, "staff sign-in answered {status}");
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        let staff_token = v["data"]["token"].as_str().context("no staff token")?.to_string();
        Ok(Clients { api_token, staff_token })
    }
}

fn describe(e: OpError) -> anyhow::Error {
    match e {
        OpError::Failed(why) => anyhow::anyhow!(why),
        OpError::Exhausted => anyhow::anyhow!("exhausted"),
    }
}

/// A scenario's figures.
#[derive(Debug, Clone)]
pub struct ScenarioResult {
    pub scenario: Scenario,
    pub clients: usize,
    pub outcome: Outcome,
    /// What one operation is, for the report.
    pub operation: &'static str,
}

pub async fn run(
    scenario: Scenario,
    server: &Server,
    clients: &Clients,
    fixture: &Fixture,
    plan: &Plan,
) -> anyhow::Result<ScenarioResult> {
    let (op, operation): (Arc<dyn Op>, &'static str) = match scenario {
        Scenario::StationCreate => (
            Arc::new(StationCreate { token: clients.api_token.clone(), fixture: fixture.clone() }),
            "POST /api/order/create (3 lines)",
        ),
        Scenario::OpenapiGet => (
            Arc::new(OpenapiGet { token: clients.api_token.clone(), ids: fixture.order_ids.clone() }),
            "GET /openapi/order/get",
        ),
        Scenario::OpenapiList => (
            Arc::new(OpenapiList {
                token: clients.api_token.clone(),
                first: fixture.first_day,
                days: (fixture.last_day - fixture.first_day).num_days().max(6) - 6,
            }),
            "GET /openapi/orders (7 days, limit 20)",
        ),
        Scenario::Pickup => {
            anyhow::ensure!(!fixture.pickup_keys.is_empty(), "no preloaded pickup codes (not available with --target)");
            (
                Arc::new(Pickup {
                    token: clients.staff_token.clone(),
                    keys: fixture.pickup_keys.clone(),
                    clients: plan.clients,
                }),
                "GET check + POST consume of one pickup code",
            )
        }
        Scenario::All => unreachable!("expanded before running"),
    };
    let outcome = load::drive(server, plan, op).await?;
    Ok(ScenarioResult { scenario, clients: plan.clients, outcome, operation })
}

/// A 200 with the vendor envelope's success code.
fn ok(status: u16, body: &[u8]) -> Result<(), OpError> {
    if status == 200 && body.starts_with(br#"{"code":0,"#) {
        Ok(())
    } else {
        Err(fail(format!("{status} {}", String::from_utf8_lossy(&body[..body.len().min(200)]))))
    }
}

/// A cheap deterministic spread over `n` items for client `c`'s `seq`-th operation.
fn pick(client: usize, seq: u64, n: usize) -> usize {
    let x = (client as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ seq.wrapping_mul(0xD1B5_4A32_D192_ED03);
    (x.rotate_left(29).wrapping_mul(0x94D0_49BB_1331_11EB) % n.max(1) as u64) as usize
}

struct StationCreate {
    token: String,
    fixture: Fixture,
}

impl Op for StationCreate {
    fn run<'a>(&'a self, conn: &'a mut Conn, client: usize, seq: u64) -> OpFuture<'a> {
        Box::pin(async move {
            let f = &self.fixture;
            let sid = &f.customers[pick(client, seq, f.customers.len())];
            let amount = 1 + (seq % 9);
            let body = format!(
                r#"{{"sid":"{sid}","receive_begin_time":"{}","receive_end_time":"{}","remark":"bench",
"products":[{{"sku_id":"{}","amount":{amount},"unit_price":{}}},{{"sku_id":"{}","amount":1.5,"unit_price":{}}},
{{"sku_id":"{}","amount":2,"unit_price":{}}}]}}"#,
                f.receive_begin,
                f.receive_end,
                f.create_skus[0],
                f.create_prices[0],
                f.create_skus[1],
                f.create_prices[1],
                f.create_skus[2],
                f.create_prices[2]
            );
            let path = format!("/api/order/create?access_token={}", self.token);
            let (status, body) = conn.call(Method::POST, &path, None, Some(Bytes::from(body))).await?;
            ok(status, &body)
        })
    }
}

struct OpenapiGet {
    token: String,
    ids: Vec<String>,
}

impl Op for OpenapiGet {
    fn run<'a>(&'a self, conn: &'a mut Conn, client: usize, seq: u64) -> OpFuture<'a> {
        Box::pin(async move {
            let id = &self.ids[pick(client, seq, self.ids.len())];
            let path = format!("/openapi/order/get?access_token={}&order_id={id}", self.token);
            let (status, body) = conn.call(Method::GET, &path, None, None).await?;
            ok(status, &body)
        })
    }
}

struct OpenapiList {
    token: String,
    first: chrono::NaiveDate,
    days: i64,
}

impl Op for OpenapiList {
    fn run<'a>(&'a self, conn: &'a mut Conn, client: usize, seq: u64) -> OpFuture<'a> {
        Box::pin(async move {
            let start = self.first + Days::days(pick(client, seq, self.days as usize + 1) as i64);
            let end = start + Days::days(6);
            let path = format!(
                "/openapi/orders?access_token={}&query_type=1&start_date={start}&end_date={end}&limit=20",
                self.token
            );
            let (status, body) = conn.call(Method::GET, &path, None, None).await?;
            ok(status, &body)
        })
    }
}

struct Pickup {
    token: String,
    keys: Vec<String>,
    clients: usize,
}

impl Op for Pickup {
    fn run<'a>(&'a self, conn: &'a mut Conn, client: usize, seq: u64) -> OpFuture<'a> {
        Box::pin(async move {
            // Each client owns every `clients`-th code, so no two clients race for one.
            let i = client + seq as usize * self.clients;
            let key = self.keys.get(i).ok_or(OpError::Exhausted)?;
            let path = format!("/api/orders/pick_up_code/check/?key={key}");
            let (status, body) = conn.call(Method::GET, &path, Some(&self.token), None).await?;
            ok(status, &body)?;
            let consume = Bytes::from(format!(r#"{{"key":"{key}"}}"#));
            let (status, body) =
                conn.call(Method::POST, "/api/orders/pick_up_code/consume/", Some(&self.token), Some(consume)).await?;
            ok(status, &body)
        })
    }
}
