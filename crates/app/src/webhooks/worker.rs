//! The delivery worker: leases due deliveries, sends them signed, records every attempt,
//! retries with exponential backoff and jitter until the event is too old, and pauses a
//! subscription after a long run of failures. Leases expire, so work of a replica that died
//! mid-delivery is picked up by another (at least once; receivers dedupe on the delivery id).

use super::{check_target, sign};
use crate::{App, Result};
use dingdan_store::webhooks::{self, Attempt, Outgoing};
use rand::Rng;
use std::time::{Duration, Instant};

/// How much of a response body is kept in the attempt log.
const EXCERPT: usize = 512;
/// How much of a response body is read at all.
const READ_CAP: usize = 16 * 1024;

/// One worker (one per server process).
pub struct Worker {
    owner: String,
    client: reqwest::Client,
}

/// The wait before retry number `attempts` (1-based): 1 s doubling to at most an hour, ±20 %.
pub fn backoff_ms(attempts: i64) -> i64 {
    let base = 1_000i64.saturating_mul(1 << attempts.clamp(0, 12)).min(3_600_000);
    let jitter = rand::thread_rng().gen_range(-(base / 5)..=(base / 5));
    base + jitter
}

impl Worker {
    pub fn new(app: &App) -> Worker {
        let s = &app.settings.webhooks;
        let client = reqwest::Client::builder()
            .connect_timeout(Duration::from_millis(s.connect_timeout_ms))
            .timeout(Duration::from_millis(s.timeout_ms))
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("dingdan-webhooks/", env!("CARGO_PKG_VERSION")))
            .build()
            .unwrap_or_default();
        let owner = format!("{}-{}", std::process::id(), crate::auth::random_token(8));
        Worker { owner, client }
    }

    /// Delivers what is due now; how many deliveries were attempted.
    pub async fn run_once(&self, app: &App) -> Result<usize> {
        let now = app.now();
        let ids = webhooks::claim(&app.db, &self.owner, now, now + app.settings.webhooks.lease_ms, 16).await?;
        let mut done = 0;
        for id in ids {
            let Some(out) = webhooks::outgoing(app.db.reader(), id).await? else { continue };
            if out.lease_owner.as_deref() != Some(self.owner.as_str()) {
                continue;
            }
            self.deliver(app, &out).await?;
            done += 1;
        }
        Ok(done)
    }

    async fn deliver(&self, app: &App, out: &Outgoing) -> Result<()> {
        let s = &app.settings.webhooks;
        let now = app.now();
        let ts = now / 1000;
        let unsigned = sign::unsigned(&out.access_id, ts, &out.event_type, &out.payload);
        let (body, signature) = sign::signed(&unsigned, &out.subscription.secret);
        let mut request = self
            .client
            .post(&out.subscription.url)
            .header("content-type", "application/json")
            .header("x-dingdan-delivery", out.delivery_id.to_string())
            .header("x-dingdan-event", out.event_id.to_string())
            .header("x-dingdan-event-type", out.event_type.as_str())
            .header("x-dingdan-timestamp", ts.to_string())
            .header("x-dingdan-signature", signature.as_str());
        if let (Some(old), Some(until)) = (&out.subscription.previous_secret, out.subscription.previous_secret_until) {
            if until > now {
                request = request.header("x-dingdan-signature-previous", sign::hmac_hex(old, &unsigned));
            }
        }
        let started = Instant::now();
        let result = match check_target(&out.subscription.url, s.allow_private_targets).await {
            Err(e) => Err(format!("refused target: {e}")),
            Ok(()) => match request.body(body).send().await {
                Err(e) => Err(format!("{e}")),
                Ok(mut response) => {
                    let status = response.status();
                    let mut excerpt = Vec::new();
                    while excerpt.len() < READ_CAP {
                        match response.chunk().await {
                            Ok(Some(chunk)) => excerpt.extend_from_slice(&chunk),
                            _ => break,
                        }
                    }
                    excerpt.truncate(EXCERPT);
                    Ok((status, String::from_utf8_lossy(&excerpt).to_string()))
                }
            },
        };
        let latency_ms = started.elapsed().as_millis() as i64;
        let (code, error, excerpt, ok) = match &result {
            Ok((status, text)) => (Some(status.as_u16() as i64), None, text.clone(), status.is_success()),
            Err(e) => (None, Some(e.clone()), String::new(), false),
        };
        let attempt = Attempt {
            delivery_id: out.delivery_id,
            at: now,
            status_code: code,
            latency_ms,
            error: error.as_deref(),
            response_excerpt: &excerpt,
        };
        if ok {
            webhooks::finish_attempt(app.db.writer(), &attempt, "delivered", now).await?;
            webhooks::reset_failures(app.db.writer(), out.subscription.id).await?;
            return Ok(());
        }
        let too_old = now - out.created_at >= s.max_age_ms;
        let next = now + backoff_ms(out.attempts + 1);
        webhooks::finish_attempt(app.db.writer(), &attempt, if too_old { "dead" } else { "pending" }, next).await?;
        let failures = webhooks::count_failure(app.db.writer(), out.subscription.id).await?;
        if failures >= s.pause_after_failures {
            let why = format!(
                "paused after {failures} failed deliveries in a row; last: {}",
                error.unwrap_or_else(|| format!("HTTP {}", code.unwrap_or(0)))
            );
            webhooks::set_paused(app.db.writer(), out.subscription.id, Some(now), Some(&why)).await?;
            tracing::warn!(subscription = out.subscription.id, "{why}");
        }
        Ok(())
    }

    /// Runs until `stop` turns true.
    pub async fn run(self, app: App, mut stop: tokio::sync::watch::Receiver<bool>) {
        let poll = Duration::from_millis(app.settings.webhooks.poll_ms.max(10));
        loop {
            match self.run_once(&app).await {
                Ok(n) if n > 0 => continue,
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "webhook delivery round failed"),
            }
            tokio::select! {
                _ = tokio::time::sleep(poll) => {}
                _ = stop.changed() => break,
            }
            if *stop.borrow() {
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::backoff_ms;

    #[test]
    fn backoff_grows_and_is_capped() {
        for _ in 0..50 {
            let first = backoff_ms(1);
            assert!((1_600..=2_400).contains(&first), "{first}");
            assert!(backoff_ms(30) <= 3_600_000 * 6 / 5);
        }
    }
}
