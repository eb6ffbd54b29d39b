//! Database faults: which failures mean "the database cannot take this request now" (busy,
//! full, read-only, unreachable) rather than a bug, the log line that names such a cause once
//! (not once per request), whether the writes of this instance are failing (for `/healthz`),
//! and the probe that `/healthz` writes with.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;

use super::AnyConnection;

/// Why the database cannot take a request now. Each is answered with 503 `unavailable` and
/// `Retry-After`; none is a bug.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Another writer holds the lock (an import, another instance): try again shortly.
    Busy,
    /// SQLite's "database or disk is full" (or PostgreSQL cannot extend a file).
    Full,
    /// The database file or server takes no writes.
    ReadOnly,
    /// The disk answered with an I/O error.
    Io,
    /// The database server does not answer (stopped, restarting, unreachable).
    Unreachable,
}

impl Fault {
    /// The cause in words, as logged and as told to the client.
    pub fn cause(self) -> &'static str {
        match self {
            Fault::Busy => "the database is busy (another writer holds the lock)",
            Fault::Full => "database or disk is full",
            Fault::ReadOnly => "the database is read-only",
            Fault::Io => "disk I/O error",
            Fault::Unreachable => "the database server does not answer",
        }
    }

    /// Whether this fault means writes fail until someone acts (`/healthz` says so).
    pub fn blocks_writes(self) -> bool {
        matches!(self, Fault::Full | Fault::ReadOnly | Fault::Io)
    }

    /// The message a client gets with its 503.
    pub fn client_message(self) -> String {
        match self {
            Fault::Busy => "the database is busy; try again in a moment".to_string(),
            other => format!(
                "the database is unavailable ({}); try again later",
                other.cause()
            ),
        }
    }
}

/// Reads a driver's error text (SQLite, libpq, r2d2) for a fault; None when it is none of them.
pub fn classify(message: &str) -> Option<Fault> {
    let m = message.to_ascii_lowercase();
    let has = |needles: &[&str]| needles.iter().any(|n| m.contains(n));
    if has(&[
        "database is locked",
        "database table is locked",
        "database is busy",
        "lock timeout",
        "could not obtain lock",
        "statement timeout",
    ]) {
        Some(Fault::Busy)
    } else if has(&[
        "database or disk is full",
        "no space left on device",
        "could not extend file",
        "disk quota exceeded",
    ]) {
        Some(Fault::Full)
    } else if has(&[
        "readonly database",
        "read-only database",
        "read-only transaction",
        "read-only file system",
        "during recovery",
    ]) {
        Some(Fault::ReadOnly)
    } else if has(&["disk i/o error", "unable to open database file"]) {
        Some(Fault::Io)
    } else if has(&[
        "connection refused",
        "could not connect",
        "no connection to the server",
        "server closed the connection",
        "terminating connection",
        "connection to server",
        "the database system is",
        "timed out waiting for connection",
        "broken pipe",
        "connection reset",
        "could not receive data",
        "could not send data",
        "ssl syscall",
    ]) {
        Some(Fault::Unreachable)
    } else {
        None
    }
}

/// A diesel error that is a database fault (a lost connection counts as unreachable).
pub fn diesel_fault(e: &diesel::result::Error) -> Option<Fault> {
    use diesel::result::{DatabaseErrorKind, Error};
    match e {
        Error::DatabaseError(
            DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
            _,
        ) => Some(Fault::Unreachable),
        Error::DatabaseError(DatabaseErrorKind::ReadOnlyTransaction, _) => Some(Fault::ReadOnly),
        Error::DatabaseError(_, info) => classify(info.message()),
        Error::BrokenTransactionManager => Some(Fault::Unreachable),
        other => classify(&other.to_string()),
    }
}

/// The last fault logged: the same cause is logged again only after `REPEAT_LOG`, with the
/// number of failures in between.
struct Logged {
    fault: Fault,
    at: Instant,
    repeats: u64,
}

static LOGGED: Mutex<Option<Logged>> = Mutex::new(None);
/// Whether a fault was logged and no success since (the fast path of `recovered`).
static FAULTED: AtomicBool = AtomicBool::new(false);
const REPEAT_LOG: Duration = Duration::from_secs(60);

fn logged() -> std::sync::MutexGuard<'static, Option<Logged>> {
    match LOGGED.lock() {
        Ok(g) => g,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// Notes a fault: logged once with the driver's own words, then once a minute with a count.
pub fn report(fault: Fault, detail: &str) {
    // libpq's messages run over several lines; a log line is one line.
    let detail: String = detail
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let now = Instant::now();
    let mut last = logged();
    match last.as_mut() {
        Some(l) if l.fault == fault && now.duration_since(l.at) < REPEAT_LOG => {
            l.repeats += 1;
            return;
        }
        Some(l) if l.fault == fault => {
            tracing::warn!(
                cause = fault.cause(),
                detail = %detail,
                failures_since_last_line = l.repeats,
                "database unavailable: {}",
                fault.cause()
            );
            l.at = now;
            l.repeats = 0;
        }
        _ => {
            tracing::warn!(
                cause = fault.cause(),
                detail = %detail,
                "database unavailable: {}",
                fault.cause()
            );
            *last = Some(Logged {
                fault,
                at: now,
                repeats: 0,
            });
        }
    }
    FAULTED.store(true, Ordering::Relaxed);
}

/// Notes that the database answered a write again (logged once after a fault).
pub fn recovered() {
    // Called after every group commit: a load, not a write, while all is well.
    if !FAULTED.load(Ordering::Relaxed) || !FAULTED.swap(false, Ordering::Relaxed) {
        return;
    }
    if let Some(l) = logged().take() {
        tracing::info!(after = l.fault.cause(), "the database takes writes again");
    }
}

/// How long a write failure keeps `/healthz` at 503 when no write has succeeded since.
pub const WRITE_FAILURE_HOLDS: Duration = Duration::from_secs(30);

/// Whether this instance's writes are failing: the writer records each group's outcome,
/// `/healthz` reads it (a write probe alone can succeed where real writes fail, when SQLite
/// reuses its log file on a full disk).
#[derive(Default)]
pub struct WriteHealth {
    failing: Mutex<Option<(Fault, Instant)>>,
    /// Whether `failing` holds anything (the writer's fast path after each commit).
    any: AtomicBool,
}

impl WriteHealth {
    fn state(&self) -> std::sync::MutexGuard<'_, Option<(Fault, Instant)>> {
        match self.failing.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    pub fn failed(&self, fault: Fault) {
        if fault.blocks_writes() {
            *self.state() = Some((fault, Instant::now()));
            self.any.store(true, Ordering::Relaxed);
        }
    }

    pub fn succeeded(&self) {
        if self.any.load(Ordering::Relaxed) {
            *self.state() = None;
            self.any.store(false, Ordering::Relaxed);
        }
    }

    /// The fault of a recent failed write with no success since.
    pub fn failing(&self) -> Option<Fault> {
        match *self.state() {
            Some((fault, at)) if at.elapsed() < WRITE_FAILURE_HOLDS => Some(fault),
            _ => None,
        }
    }
}

/// What the write probe found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// A write committed.
    Writes,
    /// Another writer holds the lock: reachable, and writes will follow.
    Busy,
}

/// Commits one tiny write, bounded by `wait`: SQLite rewrites its header's `user_version`
/// (unchanged; it still appends a page to the log, so a full disk or a read-only file fails
/// here), PostgreSQL commits a transaction with an id (a commit record in its log).
pub fn probe(conn: &mut AnyConnection, wait: Duration) -> Result<Probe, (Fault, String)> {
    let ms = wait.as_millis();
    let result = match conn {
        AnyConnection::Sqlite(c) => {
            let r = c
                .batch_execute(&format!("PRAGMA busy_timeout = {ms}"))
                .and_then(|_| c.batch_execute("BEGIN IMMEDIATE"))
                .and_then(|_| {
                    let r = c
                        .batch_execute("PRAGMA user_version = 0")
                        .and_then(|_| c.batch_execute("COMMIT"));
                    if r.is_err() {
                        let _ = c.batch_execute("ROLLBACK");
                    }
                    r
                });
            let _ = c.batch_execute(super::SQLITE_BUSY_TIMEOUT);
            r
        }
        AnyConnection::Postgresql(c) => c.batch_execute(&format!(
            "BEGIN; SET LOCAL lock_timeout = '{ms}ms'; SET LOCAL statement_timeout = '{}ms'; \
             SELECT txid_current(); COMMIT;",
            ms * 2
        )),
    };
    match result {
        Ok(()) => Ok(Probe::Writes),
        Err(e) => {
            if let AnyConnection::Postgresql(c) = conn {
                let _ = c.batch_execute("ROLLBACK");
            }
            match diesel_fault(&e) {
                Some(Fault::Busy) => Ok(Probe::Busy),
                Some(f) => Err((f, e.to_string())),
                None => Err((Fault::Unreachable, e.to_string())),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn driver_messages_name_their_fault() {
        assert_eq!(classify("database is locked"), Some(Fault::Busy));
        assert_eq!(classify("database or disk is full"), Some(Fault::Full));
        assert_eq!(
            classify("attempt to write a readonly database"),
            Some(Fault::ReadOnly)
        );
        assert_eq!(classify("disk I/O error"), Some(Fault::Io));
        assert_eq!(
            classify("timed out waiting for connection: connection to server at \"127.0.0.1\", port 5999 failed: Connection refused"),
            Some(Fault::Unreachable)
        );
        assert_eq!(
            classify("canceling statement due to lock timeout"),
            Some(Fault::Busy)
        );
        assert_eq!(classify("UNIQUE constraint failed: teams.name"), None);
    }
}
