use axum::extract::{MatchedPath, Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use dingdan_app::App;
use prometheus_client::encoding::{text::encode, EncodeLabelSet};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::Registry;
use std::sync::Arc;
use std::time::Instant;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

/// Request counts and latencies per route (the matched pattern, so ids do not explode labels).
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram>,
    /// SQLite group commit: durable COMMITs and the write transactions they made durable.
    commits: Counter,
    committed: Counter,
    /// Serialises catching the SQLite counters up, so concurrent scrapes do not add twice.
    catching_up: Arc<std::sync::Mutex<()>>,
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("dingdan");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency = Family::<RouteLabels, Histogram>::new_with_constructor(|| {
            Histogram::new(exponential_buckets(0.0005, 2.0, 16))
        });
        registry.register("http_requests", "HTTP requests answered", requests.clone());
        registry.register("http_request_duration_seconds", "HTTP request latency", latency.clone());
        let (commits, committed) = (Counter::default(), Counter::default());
        registry.register("sqlite_commits", "SQLite group commits (one WAL sync each)", commits.clone());
        registry.register(
            "sqlite_committed_transactions",
            "write transactions made durable by them",
            committed.clone(),
        );
        Metrics { registry: Arc::new(registry), requests, latency, commits, committed, catching_up: Arc::default() }
    }

    pub fn router(&self) -> Router<App> {
        let m = self.clone();
        Router::new().route(
            "/metrics",
            get(move |State(app): State<App>| async move {
                if let Some((commits, transactions)) = app.db.writer_stats() {
                    let _one_at_a_time = m.catching_up.lock().unwrap_or_else(|e| e.into_inner());
                    catch_up(&m.commits, commits);
                    catch_up(&m.committed, transactions);
                }
                let registry = &m.registry;
                let mut body = String::new();
                match encode(&mut body, registry) {
                    Ok(()) => {
                        ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
                    }
                    Err(_) => axum::http::StatusCode::INTERNAL_SERVER_ERROR.into_response(),
                }
            }),
        )
    }
}

/// Brings a counter up to a total kept elsewhere (it only ever grows).
fn catch_up(counter: &Counter, total: u64) {
    let seen = counter.get();
    if total > seen {
        counter.inc_by(total - seen);
    }
}

/// Middleware: counts and times every request.
pub async fn track(State(m): State<Metrics>, req: Request, next: Next) -> Response {
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_owned()).unwrap_or_else(|| "unmatched".to_owned());
    let method = req.method().to_string();
    let start = Instant::now();
    let response = next.run(req).await;
    m.latency.get_or_create(&RouteLabels { route: route.clone() }).observe(start.elapsed().as_secs_f64());
    m.requests.get_or_create(&RequestLabels { method, route, status: response.status().as_u16() }).inc();
    response
}
