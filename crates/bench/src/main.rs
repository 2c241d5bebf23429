//! `dingdan-bench`: preloads a database in bulk, starts a `dingdan` server on it (this same
//! binary, run as `dingdan-bench serve ...`), drives named scenarios with a fixed number of
//! concurrent HTTP/1.1 clients over loopback, and prints a table plus a JSON report with
//! throughput, latency percentiles, errors, server CPU seconds and peak RSS.

mod generate;
mod load;
mod report;
mod scenarios;
mod server;

use clap::{Parser, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

/// Load benchmark of the dingdan server.
#[derive(Parser, Debug, Clone)]
#[command(name = "dingdan-bench", version, about)]
pub struct Args {
    /// Scenarios to run, comma-separated: station-create, openapi-get, openapi-list, pickup, or all
    #[arg(long, default_value = "all", value_delimiter = ',')]
    scenario: Vec<Scenario>,
    /// Database engine of the server under test
    #[arg(long, value_enum, default_value = "sqlite")]
    database: Database,
    /// PostgreSQL server to use with `--database postgres`; the bench database
    /// `dingdan_bench` on it is dropped and created anew unless `--reuse`
    #[arg(long, default_value = "postgres://postgres@127.0.0.1:5432/postgres")]
    pg_url: String,
    /// Directory of the SQLite database (emptied first unless `--reuse`)
    #[arg(long, default_value = "target/bench/data")]
    data_dir: PathBuf,
    /// Orders preloaded in bulk before the scenarios run
    #[arg(long, default_value_t = 1_000_000)]
    orders: u64,
    /// Pickup packages preloaded for the pickup scenario (each is consumed once)
    #[arg(long, default_value_t = 200_000)]
    packages: u64,
    /// Keep the database of an earlier run if it already holds the preloaded data
    #[arg(long)]
    reuse: bool,
    /// Concurrent clients (one keep-alive connection each)
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds each scenario runs (after its warm-up)
    #[arg(long, default_value_t = 10.0)]
    duration: f64,
    /// Seconds of load before measuring each scenario
    #[arg(long, default_value_t = 2.0)]
    warmup: f64,
    /// Stop a scenario after this many operations, if it comes first
    #[arg(long)]
    requests: Option<u64>,
    /// Where to write the JSON report
    #[arg(long, default_value = "target/bench/report.json")]
    out: PathBuf,
    /// Configuration file for the server under test (`dingdan.toml` format), e.g. to size its pools
    #[arg(long)]
    server_config: Option<PathBuf>,
    /// Benchmark a server that is already running at this URL instead of starting one (it must
    /// hold the demo data; no preload, no CPU or memory figures)
    #[arg(long)]
    target: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scenario {
    All,
    StationCreate,
    OpenapiGet,
    OpenapiList,
    Pickup,
}

impl Scenario {
    /// The order `all` runs them in: reads first, then the writes that change the data.
    const ORDER: [Scenario; 4] =
        [Scenario::OpenapiGet, Scenario::OpenapiList, Scenario::Pickup, Scenario::StationCreate];

    pub fn name(self) -> &'static str {
        match self {
            Scenario::All => "all",
            Scenario::StationCreate => "station-create",
            Scenario::OpenapiGet => "openapi-get",
            Scenario::OpenapiList => "openapi-list",
            Scenario::Pickup => "pickup",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Database {
    Sqlite,
    Postgres,
}

fn main() -> ExitCode {
    // The server under test is this binary, started again as `dingdan-bench serve ...`.
    if matches!(std::env::args().nth(1).as_deref(), Some("serve" | "demo" | "migrate")) {
        return dingdan::cli::main();
    }
    let args = Args::parse();
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().expect("a tokio runtime");
    match runtime.block_on(run(args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    let scenarios: Vec<Scenario> = if args.scenario.contains(&Scenario::All) {
        Scenario::ORDER.to_vec()
    } else {
        Scenario::ORDER.into_iter().filter(|s| args.scenario.contains(s)).collect()
    };
    let (server, fixture, preload) = match &args.target {
        Some(url) => (server::Server::external(url), generate::Fixture::demo(), None),
        None => {
            let db = server::prepare_database(&args).await?;
            let (fixture, preload) = generate::preload(&args, &db).await?;
            (server::Server::start(&db, args.server_config.as_deref()).await?, fixture, Some(preload))
        }
    };
    let clients = scenarios::Clients::sign_in(&server.base, &fixture).await?;
    let mut results = Vec::new();
    for s in scenarios {
        eprintln!("== {} ({} clients, {:.0} s)", s.name(), args.clients, args.duration);
        let plan = load::Plan {
            clients: args.clients,
            warmup: Duration::from_secs_f64(args.warmup),
            duration: Duration::from_secs_f64(args.duration),
            max_ops: args.requests,
        };
        let r = scenarios::run(s, &server, &clients, &fixture, &plan).await?;
        eprintln!("{}", report::line(&r));
        results.push(r);
    }
    let report = report::Report::new(&args, preload, &server, results);
    report.print_table();
    report.write(&args.out)?;
    eprintln!("report written to {}", args.out.display());
    server.stop().await;
    let errors: u64 = report.scenarios.iter().map(|r| r.errors).sum();
    anyhow::ensure!(errors == 0, "{errors} operations failed (see first_error in the report)");
    Ok(())
}
