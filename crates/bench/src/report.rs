//! The report: a table on stdout and the same figures as JSON.

use crate::generate::Preload;
use crate::load::percentile_ms;
use crate::scenarios::ScenarioResult;
use crate::server::Server;
use crate::Args;
use serde::Serialize;
use std::path::Path;

#[derive(Debug, Serialize)]
pub struct Report {
    pub generated_at: String,
    pub machine: Machine,
    pub database: crate::Database,
    pub target: Option<String>,
    pub preloaded_orders: u64,
    pub clients: usize,
    pub duration_s: f64,
    pub warmup_s: f64,
    pub preload: Option<Preload>,
    pub scenarios: Vec<Row>,
    /// Highest peak RSS of the server over all measured windows.
    pub server_peak_rss_mb: Option<f64>,
}

#[derive(Debug, Serialize)]
pub struct Machine {
    pub cpus: usize,
    pub cpu_model: String,
    pub memory_gib: f64,
    pub kernel: String,
}

#[derive(Debug, Serialize)]
pub struct Row {
    pub scenario: &'static str,
    pub operation: &'static str,
    pub clients: usize,
    pub ops: u64,
    pub errors: u64,
    pub first_error: Option<String>,
    pub seconds: f64,
    pub ops_per_s: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub server_cpu_s: Option<f64>,
    /// Server CPU microseconds per operation.
    pub server_cpu_us_per_op: Option<f64>,
    pub server_peak_rss_mb: Option<f64>,
    /// SQLite: durable COMMITs in the window and write transactions per COMMIT (group commit).
    pub sqlite_commits: Option<u64>,
    pub transactions_per_commit: Option<f64>,
}

impl Row {
    fn new(r: &ScenarioResult) -> Row {
        let o = &r.outcome;
        let l = &o.latencies_us;
        Row {
            scenario: r.scenario.name(),
            operation: r.operation,
            clients: r.clients,
            ops: o.ops,
            errors: o.errors,
            first_error: o.first_error.clone(),
            seconds: round(o.seconds, 3),
            ops_per_s: round(o.ops as f64 / o.seconds, 1),
            p50_ms: round(percentile_ms(l, 50.0), 3),
            p90_ms: round(percentile_ms(l, 90.0), 3),
            p99_ms: round(percentile_ms(l, 99.0), 3),
            max_ms: round(percentile_ms(l, 100.0), 3),
            server_cpu_s: o.server.map(|s| round(s.cpu_s, 2)),
            server_cpu_us_per_op: o.server.filter(|_| o.ops > 0).map(|s| round(s.cpu_s * 1e6 / o.ops as f64, 1)),
            server_peak_rss_mb: o.server.map(|s| round(s.peak_rss_mb, 1)),
            sqlite_commits: o.commits.map(|c| c.0),
            transactions_per_commit: o.commits.map(|(c, t)| round(t as f64 / c as f64, 2)),
        }
    }
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

/// One line per scenario as it finishes.
pub fn line(r: &ScenarioResult) -> String {
    let row = Row::new(r);
    format!(
        "   {:.0} ops/s, p50 {:.2} ms, p99 {:.2} ms, {} errors{}",
        row.ops_per_s,
        row.p50_ms,
        row.p99_ms,
        row.errors,
        row.first_error.map(|e| format!(" (first: {e})")).unwrap_or_default()
    )
}

impl Report {
    pub fn new(args: &Args, preload: Option<Preload>, server: &Server, results: Vec<ScenarioResult>) -> Report {
        let scenarios: Vec<Row> = results.iter().map(Row::new).collect();
        let peak = scenarios
            .iter()
            .filter_map(|r| r.server_peak_rss_mb)
            .fold(None, |m: Option<f64>, v| Some(m.map_or(v, |m| m.max(v))));
        let _ = server;
        Report {
            generated_at: chrono::Utc::now().to_rfc3339(),
            machine: machine(),
            database: args.database,
            target: args.target.clone(),
            preloaded_orders: args.orders,
            clients: args.clients,
            duration_s: args.duration,
            warmup_s: args.warmup,
            preload,
            scenarios,
            server_peak_rss_mb: peak,
        }
    }

    pub fn print_table(&self) {
        println!(
            "\ndingdan-bench: {:?}, {} orders preloaded, {} clients, {} s per scenario, {} CPUs ({})",
            self.database,
            self.preloaded_orders,
            self.clients,
            self.duration_s,
            self.machine.cpus,
            self.machine.cpu_model
        );
        println!(
            "{:<16} {:>10} {:>8} {:>8} {:>8} {:>8} {:>8} {:>7} {:>10} {:>9} {:>9}",
            "scenario",
            "ops/s",
            "p50 ms",
            "p90 ms",
            "p99 ms",
            "max ms",
            "errors",
            "cpu s",
            "cpu µs/op",
            "peak MB",
            "tx/commit"
        );
        let opt = |v: Option<f64>, places: usize| v.map_or("-".to_string(), |v| format!("{v:.places$}"));
        for r in &self.scenarios {
            println!(
                "{:<16} {:>10.0} {:>8.2} {:>8.2} {:>8.2} {:>8.2} {:>8} {:>7} {:>10} {:>9} {:>9}",
                r.scenario,
                r.ops_per_s,
                r.p50_ms,
                r.p90_ms,
                r.p99_ms,
                r.max_ms,
                r.errors,
                opt(r.server_cpu_s, 1),
                opt(r.server_cpu_us_per_op, 0),
                opt(r.server_peak_rss_mb, 0),
                opt(r.transactions_per_commit, 1)
            );
        }
    }

    pub fn write(&self, path: &Path) -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(path, serde_json::to_string_pretty(self)? + "\n")?;
        Ok(())
    }
}

fn machine() -> Machine {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let cpu_model = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split_once(':'))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let mem_kb: f64 = meminfo
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0.0);
    Machine {
        cpus: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        cpu_model,
        memory_gib: round(mem_kb / 1024.0 / 1024.0, 1),
        kernel: std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default().trim().to_string(),
    }
}
