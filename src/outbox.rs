//! The background sender, a driver beside `startup` (as zero2prod's
//! `issue_delivery_worker.rs`): one thread per instance works through the outbox, one e-mail
//! at a time, at most `KLANTSPIEGEL_MAIL_RATE` per minute; a second thread keeps the
//! instance's heartbeat. Every instance, sending or not, also deletes the addresses of closed
//! waves. The database steps are use cases (`app::mailings::sending`); the SMTP conversation
//! is the adapter `mail::smtp`; this file only holds the threads and the timers.
//!
//! One e-mail goes through three transactions: claim (`queued` → `sending`, with this instance
//! and the time; committed before the SMTP conversation starts), the SMTP conversation, and the
//! outcome (`sent`, `failed`, `cancelled`, or back to `queued` for a retry). A process killed
//! between the server's acceptance and the third commit leaves its row in `sending`; once its
//! heartbeat is older than [`STALE`], another instance (or the restarted one) puts it back to
//! `queued` and it is sent again, under the same Message-ID. docs/deployment.md ("Exactly
//! once") says what that means.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::app::mailings::sending::{self, Claimed, Composed, Outcome};
use crate::config::MailSettings;
use crate::mail::smtp::{Mailer, Outgoing, Refusal};
use crate::store::{self, Pool};

/// How often a sending instance records that it is alive.
pub const HEARTBEAT: Duration = Duration::from_secs(2);
/// An instance not heard of for this long is dead: its `sending` rows are taken back.
pub const STALE: Duration = Duration::from_secs(10);
/// How often closed waves are looked for (their addresses are deleted within a minute).
pub const HOUSEKEEPING: Duration = Duration::from_secs(5);
/// How often the audit log's retention is applied (and once at start).
pub const AUDIT_PURGE: Duration = Duration::from_secs(3600);
/// How long an idle sender waits before looking at the outbox again.
const IDLE: Duration = Duration::from_millis(300);
/// Temporary refusals after which an e-mail counts as failed.
pub const MAX_ATTEMPTS: i32 = 8;
/// The longest wait between two attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(3600);

/// The running sender; stopping it (or dropping it) lets the e-mail in hand finish first.
pub struct Worker {
    instance: String,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
    pool: Pool,
    sending: bool,
}

/// What the sender needs besides the pool.
pub struct SenderSettings {
    pub mail: MailSettings,
    pub public_url: String,
}

impl Worker {
    /// Starts the housekeeping (with the audit log's retention of `audit_days`), and with
    /// `sender` the sending and heartbeat threads.
    pub fn start(
        pool: Pool,
        sender: Option<SenderSettings>,
        audit_days: u32,
    ) -> anyhow::Result<Worker> {
        let instance = new_instance_id();
        let stop = Arc::new(AtomicBool::new(false));
        let mut threads = Vec::new();
        let mailer = match &sender {
            Some(s) => Some(Mailer::new(&s.mail.smtp, &s.mail.from).map_err(|e| {
                anyhow::anyhow!("KLANTSPIEGEL_SMTP_URL / KLANTSPIEGEL_MAIL_FROM: {e}")
            })?),
            None => None,
        };
        let sending = mailer.is_some();
        if sending {
            let mut conn = pool.get()?;
            sending::heartbeat(&mut conn, &instance)?;
            let (pool, stop, instance) = (pool.clone(), stop.clone(), instance.clone());
            threads.push(
                std::thread::Builder::new()
                    .name("mail-heartbeat".into())
                    .spawn(move || heartbeat_loop(&pool, &instance, &stop))?,
            );
        }
        let state = Loop {
            pool: pool.clone(),
            instance: instance.clone(),
            stop: stop.clone(),
            sender: mailer.zip(sender),
            audit_days,
        };
        threads.push(
            std::thread::Builder::new()
                .name("mail-sender".into())
                .spawn(move || state.run())?,
        );
        Ok(Worker {
            instance,
            stop,
            threads,
            pool,
            sending,
        })
    }

    /// This instance's name in `outbox.claimed_by`.
    pub fn instance(&self) -> &str {
        &self.instance
    }

    /// Stops after the e-mail in hand; the instance's claims are then all settled.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
        if self.sending {
            if let Ok(mut conn) = self.pool.get() {
                let _ = sending::forget_instance(&mut conn, &self.instance);
            }
            self.sending = false;
        }
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        self.shut_down();
    }
}

fn new_instance_id() -> String {
    let mut b = [0u8; 6];
    let _ = getrandom::fill(&mut b);
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("{}-{hex}", std::process::id())
}

/// Sleeps `d` in short steps; returns false when asked to stop meanwhile.
fn nap(stop: &AtomicBool, d: Duration) -> bool {
    let until = Instant::now() + d;
    while !stop.load(Ordering::SeqCst) {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return true;
        }
        std::thread::sleep(left.min(Duration::from_millis(100)));
    }
    false
}

fn heartbeat_loop(pool: &Pool, instance: &str, stop: &AtomicBool) {
    while nap(stop, HEARTBEAT) {
        let beat = pool
            .get()
            .map_err(anyhow::Error::from)
            .and_then(|mut c| Ok(sending::heartbeat(&mut c, instance)?));
        if let Err(e) = beat {
            tracing::warn!(error = %e, "mail sender: heartbeat not recorded");
        }
    }
}

struct Loop {
    pool: Pool,
    instance: String,
    stop: Arc<AtomicBool>,
    sender: Option<(Mailer, SenderSettings)>,
    audit_days: u32,
}

impl Loop {
    fn run(self) {
        let mut last_housekeeping: Option<Instant> = None;
        let mut last_purge: Option<Instant> = None;
        let mut scrub_pending = false;
        let mut next_send = Instant::now();
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            if last_housekeeping.is_none_or(|t| t.elapsed() >= HOUSEKEEPING) {
                if let Err(e) = self.housekeeping(&mut scrub_pending) {
                    tracing::warn!(error = %e, "mail housekeeping failed; trying again");
                }
                last_housekeeping = Some(Instant::now());
            }
            if last_purge.is_none_or(|t| t.elapsed() >= AUDIT_PURGE) {
                match self.purge_audit() {
                    Ok(()) => last_purge = Some(Instant::now()),
                    Err(e) => tracing::warn!(error = %e, "audit retention failed; trying again"),
                }
            }
            let Some((mailer, settings)) = &self.sender else {
                nap(&self.stop, Duration::from_secs(1));
                continue;
            };
            if !nap(
                &self.stop,
                next_send.saturating_duration_since(Instant::now()),
            ) {
                return;
            }
            let started = Instant::now();
            match self.claim() {
                Ok(Some(claimed)) => {
                    let pause = self.deliver(mailer, settings, &claimed);
                    let interval = Duration::from_secs(60) / settings.mail.rate_per_minute.max(1);
                    next_send = started + interval.max(pause);
                }
                Ok(None) => next_send = Instant::now() + IDLE,
                Err(e) => {
                    tracing::warn!(error = %e, "mail sender: cannot read the outbox");
                    next_send = Instant::now() + Duration::from_secs(2);
                }
            }
        }
    }

    fn claim(&self) -> anyhow::Result<Option<Claimed>> {
        let mut conn = self.pool.get()?;
        Ok(sending::claim(&mut conn, &self.instance)?)
    }

    /// Deletes the audit entries older than the retention (and logs that it did).
    fn purge_audit(&self) -> anyhow::Result<()> {
        let mut conn = self.pool.get()?;
        let n = crate::app::audit::purge(&mut conn, self.audit_days)?;
        if n > 0 {
            tracing::info!(
                count = n,
                days = self.audit_days,
                "old audit entries deleted"
            );
        }
        Ok(())
    }

    /// Deletes the addresses of closed waves, and takes back the claims of dead instances.
    fn housekeeping(&self, scrub_pending: &mut bool) -> anyhow::Result<()> {
        let mut conn = self.pool.get()?;
        let stale = match self.sender {
            Some(_) => Some(chrono::Duration::from_std(STALE)?),
            None => None,
        };
        let back = sending::housekeeping(&mut conn, stale, scrub_pending)?;
        if back > 0 {
            tracing::warn!(
                count = back,
                "e-mails left in `sending` by a stopped instance are queued again"
            );
        }
        Ok(())
    }

    /// Writes, sends and settles one claimed e-mail. Returns how long to pause before the next
    /// (after a connection failure, so a server that is down is not hammered).
    fn deliver(&self, mailer: &Mailer, settings: &SenderSettings, claimed: &Claimed) -> Duration {
        let composed = self
            .pool
            .get()
            .map_err(anyhow::Error::from)
            .and_then(|mut c| Ok(sending::compose(&mut c, claimed, &settings.public_url)?));
        let mut pause = Duration::ZERO;
        let settle = match composed {
            Err(e) => {
                tracing::warn!(outbox_id = %claimed.id, error = %e, "cannot write the e-mail");
                Settle::Retry(e.to_string())
            }
            Ok(Composed::Cancel(reason)) => Settle::Cancelled(reason.to_string()),
            Ok(Composed::Send {
                to,
                mail,
                opt_out,
                message_id,
            }) => match mailer.send(&Outgoing {
                to: &to,
                subject: &mail.subject,
                body: &mail.body,
                message_id,
                opt_out: &opt_out,
            }) {
                Ok(()) => Settle::Sent,
                Err(Refusal::Permanent(answer)) => Settle::Failed(answer),
                Err(Refusal::Temporary(answer)) if claimed.attempts >= MAX_ATTEMPTS => {
                    Settle::Failed(format!("{answer} (gave up after {MAX_ATTEMPTS} attempts)"))
                }
                Err(Refusal::Temporary(answer)) => {
                    pause = Duration::from_secs(1);
                    Settle::Retry(answer)
                }
            },
        };
        let retry_at = store::now()
            + chrono::Duration::from_std(backoff(settings.mail.retry_base, claimed.attempts))
                .unwrap_or_else(|_| chrono::Duration::hours(1));
        let outcome = match &settle {
            Settle::Sent => Outcome::Sent,
            Settle::Failed(a) => Outcome::Failed(a),
            Settle::Cancelled(a) => Outcome::Cancelled(a),
            Settle::Retry(a) => Outcome::Retry {
                at: retry_at,
                answer: a,
            },
        };
        // The outcome must be recorded: a row left in `sending` would only be taken back when
        // this instance stops. Try until it is, or until asked to stop.
        loop {
            let settled = self
                .pool
                .get()
                .map_err(anyhow::Error::from)
                .and_then(|mut c| Ok(sending::settle(&mut c, claimed, &self.instance, outcome)?));
            match settled {
                Ok(true) => {
                    tracing::info!(outbox_id = %claimed.id, outcome = ?kind_of(&outcome), "e-mail settled");
                    break;
                }
                Ok(false) => {
                    tracing::warn!(
                        outbox_id = %claimed.id,
                        "e-mail was no longer claimed by this instance"
                    );
                    break;
                }
                Err(e) => {
                    tracing::warn!(outbox_id = %claimed.id, error = %e, "cannot record the outcome; retrying");
                    if !nap(&self.stop, Duration::from_secs(1)) {
                        break;
                    }
                }
            }
        }
        pause
    }
}

/// How a delivery ends, before it is recorded.
enum Settle {
    Sent,
    Failed(String),
    Cancelled(String),
    Retry(String),
}

fn kind_of(o: &Outcome<'_>) -> &'static str {
    match o {
        Outcome::Sent => "sent",
        Outcome::Failed(_) => "failed",
        Outcome::Cancelled(_) => "cancelled",
        Outcome::Retry { .. } => "retry",
    }
}

/// The wait before attempt `attempts + 1`: `base`, then twice as long each time, at most an hour.
pub fn backoff(base: Duration, attempts: i32) -> Duration {
    let doublings = u32::try_from(attempts.saturating_sub(1).clamp(0, 20)).unwrap_or(0);
    base.saturating_mul(1u32 << doublings).min(MAX_BACKOFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_an_hour() {
        let base = Duration::from_secs(60);
        let waits: Vec<u64> = (1..=8).map(|a| backoff(base, a).as_secs()).collect();
        assert_eq!(waits, vec![60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }
}
