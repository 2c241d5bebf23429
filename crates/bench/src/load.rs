//! The load engine: N clients, each on one keep-alive HTTP/1.1 connection, running one
//! operation after another (closed loop) through a warm-up and then a measured window.

use crate::server::{ProcStats, Server};
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::client::conn::http1::SendRequest;
use hyper::{Method, Request};
use hyper_util::rt::TokioIo;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long and how hard to drive a scenario.
#[derive(Debug, Clone)]
pub struct Plan {
    pub clients: usize,
    pub warmup: Duration,
    pub duration: Duration,
    pub max_ops: Option<u64>,
}

/// Why an operation did not succeed.
#[derive(Debug)]
pub enum OpError {
    /// A wrong status or body, or a transport error.
    Failed(String),
    /// This client has nothing left to do (e.g. its pickup codes are used up).
    Exhausted,
}

pub type OpFuture<'a> = Pin<Box<dyn Future<Output = Result<(), OpError>> + Send + 'a>>;

/// One operation of a scenario (one or more HTTP calls, timed as one).
pub trait Op: Send + Sync + 'static {
    fn run<'a>(&'a self, conn: &'a mut Conn, client: usize, seq: u64) -> OpFuture<'a>;
}

/// One keep-alive connection to the server.
pub struct Conn {
    addr: String,
    send: Option<SendRequest<Full<Bytes>>>,
}

impl Conn {
    pub fn new(base: &str) -> Conn {
        Conn { addr: base.trim_start_matches("http://").to_string(), send: None }
    }

    async fn connection(&mut self) -> Result<&mut SendRequest<Full<Bytes>>, OpError> {
        let broken = self.send.as_ref().is_none_or(|s| s.is_closed());
        if broken {
            let stream = tokio::net::TcpStream::connect(&self.addr).await.map_err(|e| fail(format!("connect: {e}")))?;
            let _ = stream.set_nodelay(true);
            let (send, conn) =
                hyper::client::conn::http1::handshake(TokioIo::new(stream)).await.map_err(|e| fail(e.to_string()))?;
            tokio::spawn(conn);
            self.send = Some(send);
        }
        Ok(self.send.as_mut().expect("just connected"))
    }

    /// Sends one request; the status and body.
    pub async fn call(
        &mut self,
        method: Method,
        path: &str,
        auth: Option<&str>,
        json: Option<Bytes>,
    ) -> Result<(u16, Bytes), OpError> {
        let host = self.addr.clone();
        let send = self.connection().await?;
        send.ready().await.map_err(|e| fail(e.to_string()))?;
        let mut req = Request::builder().method(method).uri(path).header("host", host);
        if let Some(token) = auth {
            req = req.header("authorization", token);
        }
        let body = match json {
            Some(b) => {
                req = req.header("content-type", "application/json");
                b
            }
            None => Bytes::new(),
        };
        let req = req.body(Full::new(body)).map_err(|e| fail(e.to_string()))?;
        let resp = match send.send_request(req).await {
            Ok(r) => r,
            Err(e) => {
                self.send = None;
                return Err(fail(e.to_string()));
            }
        };
        let status = resp.status().as_u16();
        let body = resp.into_body().collect().await.map_err(|e| fail(e.to_string()))?.to_bytes();
        Ok((status, body))
    }
}

pub fn fail(why: impl Into<String>) -> OpError {
    OpError::Failed(why.into())
}

/// What a scenario run measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub ops: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    /// Latencies of the measured operations, microseconds, sorted.
    pub latencies_us: Vec<u32>,
    pub seconds: f64,
    /// Server CPU seconds and memory over the measured window (`None`: external server).
    pub server: Option<ProcStats>,
    /// SQLite group commits and the transactions they held over the window (`None`: PostgreSQL).
    pub commits: Option<(u64, u64)>,
}

/// The server's SQLite group-commit counters from `/metrics`: (commits, transactions).
async fn commit_counters(base: &str) -> Option<(u64, u64)> {
    let mut conn = Conn::new(base);
    let (status, body) = conn.call(Method::GET, "/metrics", None, None).await.ok()?;
    if status != 200 {
        return None;
    }
    let text = String::from_utf8_lossy(&body);
    let value = |name: &str| {
        text.lines().find_map(|l| l.strip_prefix(name).and_then(|v| v.trim().parse::<f64>().ok())).map(|v| v as u64)
    };
    Some((value("dingdan_sqlite_commits_total ")?, value("dingdan_sqlite_committed_transactions_total ")?))
}

struct ClientResult {
    latencies: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
    last_done: Instant,
}

/// Runs `op` from `plan.clients` clients through the warm-up and the measured window.
pub async fn drive(server: &Server, plan: &Plan, op: Arc<dyn Op>) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let measure_from = started + plan.warmup;
    let end = measure_from + plan.duration;
    let counted = Arc::new(AtomicU64::new(0));
    let mut tasks = Vec::with_capacity(plan.clients);
    for client in 0..plan.clients {
        let (op, counted, base, max_ops) = (op.clone(), counted.clone(), server.base.clone(), plan.max_ops);
        tasks.push(tokio::spawn(async move {
            let mut conn = Conn::new(&base);
            let mut r = ClientResult { latencies: Vec::new(), errors: 0, first_error: None, last_done: measure_from };
            let mut seq = 0u64;
            loop {
                let t0 = Instant::now();
                if t0 >= end {
                    break;
                }
                let measured = t0 >= measure_from;
                if measured && max_ops.is_some_and(|m| counted.fetch_add(1, Ordering::Relaxed) >= m) {
                    break;
                }
                let result = op.run(&mut conn, client, seq).await;
                seq += 1;
                let t1 = Instant::now();
                match result {
                    Err(OpError::Exhausted) => break,
                    _ if !measured => {}
                    Ok(()) => {
                        r.latencies.push((t1 - t0).as_micros().min(u32::MAX as u128) as u32);
                        r.last_done = t1;
                    }
                    Err(OpError::Failed(why)) => {
                        r.errors += 1;
                        r.last_done = t1;
                        r.first_error.get_or_insert(why);
                    }
                }
            }
            r
        }));
    }
    // The server's counters over the measured window only.
    tokio::time::sleep_until(measure_from.into()).await;
    server.reset_peak();
    let before = server.stats();
    let commits_before = commit_counters(&server.base).await;
    let mut results = Vec::with_capacity(tasks.len());
    for t in tasks {
        results.push(t.await?);
    }
    let after = server.stats();
    let commits_after = commit_counters(&server.base).await;
    let last = results.iter().map(|r| r.last_done).max().unwrap_or(measure_from).min(end);
    let seconds = (last.max(measure_from) - measure_from).as_secs_f64().max(1e-6);
    let mut latencies: Vec<u32> = results.iter().flat_map(|r| r.latencies.iter().copied()).collect();
    latencies.sort_unstable();
    Ok(Outcome {
        ops: latencies.len() as u64,
        errors: results.iter().map(|r| r.errors).sum(),
        first_error: results.iter().find_map(|r| r.first_error.clone()),
        latencies_us: latencies,
        seconds,
        server: match (before, after) {
            (Some(b), Some(a)) => {
                Some(ProcStats { cpu_s: a.cpu_s - b.cpu_s, peak_rss_mb: a.peak_rss_mb, rss_mb: a.rss_mb })
            }
            _ => None,
        },
        commits: match (commits_before, commits_after) {
            (Some(b), Some(a)) if a.0 > b.0 => Some((a.0 - b.0, a.1 - b.1)),
            _ => None,
        },
    })
}

/// The `p`-th percentile (0–100) of sorted samples, in milliseconds.
pub fn percentile_ms(sorted_us: &[u32], p: f64) -> f64 {
    if sorted_us.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted_us.len() as f64).ceil() as usize;
    sorted_us[rank.clamp(1, sorted_us.len()) - 1] as f64 / 1000.0
}

#[cfg(test)]
mod tests {
    use super::percentile_ms;

    #[test]
    fn percentiles_are_nearest_rank() {
        let v: Vec<u32> = (1..=100).map(|i| i * 1000).collect();
        assert_eq!(percentile_ms(&v, 50.0), 50.0);
        assert_eq!(percentile_ms(&v, 99.0), 99.0);
        assert_eq!(percentile_ms(&v, 100.0), 100.0);
        assert_eq!(percentile_ms(&[], 99.0), 0.0);
    }
}
