//! The server under test: its database, its process, and what the kernel says about it.

use crate::{Args, Database};
use anyhow::Context;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// Where the bench data lives and how the server is told about it.
pub struct BenchDb {
    /// `sqlite://...` or `postgres://...`
    pub url: String,
    /// Arguments naming the database on the server's command line.
    pub server_args: Vec<String>,
}

/// Empties (unless `--reuse`) and names the database of this run.
pub async fn prepare_database(args: &Args) -> anyhow::Result<BenchDb> {
    match args.database {
        Database::Sqlite => {
            if !args.reuse && args.data_dir.exists() {
                std::fs::remove_dir_all(&args.data_dir)
                    .with_context(|| format!("cannot empty {}", args.data_dir.display()))?;
            }
            std::fs::create_dir_all(&args.data_dir)?;
            let dir = std::fs::canonicalize(&args.data_dir)?;
            Ok(BenchDb {
                url: format!("sqlite://{}/dingdan.db", dir.display()),
                server_args: vec!["--data-dir".into(), dir.display().to_string()],
            })
        }
        Database::Postgres => {
            let admin = args.pg_url.clone();
            let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).unwrap_or(admin.clone());
            let url = format!("{base}/dingdan_bench");
            let mut conn = <sqlx::PgConnection as sqlx::Connection>::connect(&admin)
                .await
                .with_context(|| format!("cannot reach PostgreSQL at {admin}"))?;
            let exists: bool =
                sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'dingdan_bench')")
                    .fetch_one(&mut conn)
                    .await?;
            if exists && !args.reuse {
                sqlx::query("DROP DATABASE dingdan_bench WITH (FORCE)").execute(&mut conn).await?;
            }
            if !exists || !args.reuse {
                sqlx::query("CREATE DATABASE dingdan_bench").execute(&mut conn).await?;
            }
            Ok(BenchDb { server_args: vec!["--database-url".into(), url.clone()], url })
        }
    }
}

/// A running (or external) server.
pub struct Server {
    pub base: String,
    child: Option<Child>,
    ticks_per_s: f64,
}

/// CPU time and memory of the server process.
#[derive(Debug, Clone, Copy, Default)]
pub struct ProcStats {
    pub cpu_s: f64,
    pub peak_rss_mb: f64,
    pub rss_mb: f64,
}

impl Server {
    pub fn external(url: &str) -> Server {
        Server { base: url.trim_end_matches('/').to_string(), child: None, ticks_per_s: 100.0 }
    }

    /// Starts `dingdan-bench serve` on a free loopback port and waits until it listens.
    pub async fn start(db: &BenchDb, config: Option<&std::path::Path>) -> anyhow::Result<Server> {
        let exe = std::env::current_exe()?;
        let config: Vec<std::ffi::OsString> =
            config.map(|c| vec!["--config".into(), c.as_os_str().to_owned()]).unwrap_or_default();
        let mut child = Command::new(exe)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(&db.server_args)
            .args(config)
            .env("DINGDAN_LOG", "warn,dingdan=info")
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .context("cannot start the server")?;
        let stdout = child.stdout.take().expect("piped stdout");
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sent = false;
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if !sent && line.contains("dingdan listening") {
                    let addr = line.split("addr=").nth(1).and_then(|r| r.split_whitespace().next()).map(String::from);
                    let _ = tx.send(addr);
                    sent = true;
                }
            }
        });
        let addr = tokio::task::spawn_blocking(move || rx.recv_timeout(Duration::from_secs(120)))
            .await?
            .ok()
            .flatten()
            .context("the server did not report its address")?;
        Ok(Server { base: format!("http://{addr}"), child: Some(child), ticks_per_s: clock_ticks() })
    }

    pub fn pid(&self) -> Option<u32> {
        self.child.as_ref().map(|c| c.id())
    }

    /// Resets the kernel's peak-RSS mark, so the next reading is this scenario's peak.
    pub fn reset_peak(&self) {
        if let Some(pid) = self.pid() {
            let _ = std::fs::write(format!("/proc/{pid}/clear_refs"), "5");
        }
    }

    /// Reads CPU seconds so far and the memory marks; `None` for an external server.
    pub fn stats(&self) -> Option<ProcStats> {
        let pid = self.pid()?;
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // Fields after the parenthesised command name; utime and stime are the 14th and 15th.
        let rest = stat.rsplit_once(')')?.1;
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let utime: f64 = fields.get(11)?.parse().ok()?;
        let stime: f64 = fields.get(12)?.parse().ok()?;
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
        let kb = |key: &str| -> f64 {
            status
                .lines()
                .find(|l| l.starts_with(key))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse::<f64>().ok())
                .unwrap_or(0.0)
        };
        Some(ProcStats {
            cpu_s: (utime + stime) / self.ticks_per_s,
            peak_rss_mb: kb("VmHWM:") / 1024.0,
            rss_mb: kb("VmRSS:") / 1024.0,
        })
    }

    /// Stops the server with SIGTERM (a graceful shutdown) and waits for it.
    pub async fn stop(mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill").arg("-TERM").arg(child.id().to_string()).status();
            let _ = tokio::task::spawn_blocking(move || child.wait()).await;
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(child) = &mut self.child {
            let _ = child.kill();
        }
    }
}

/// The kernel's clock ticks per second (`getconf CLK_TCK`), 100 when it cannot tell.
fn clock_ticks() -> f64 {
    Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}
