//! Group commit: one writer thread takes the submissions that arrive while the previous
//! transaction commits and handles them together in one transaction: it looks each token up,
//! validates the submission, takes one use of the token and stores the response, then updates
//! the summaries and commits. A refused submission (unknown, used or expired token, invalid
//! answers) refuses only itself. A submission is answered only after its transaction has
//! committed, so every acknowledged submission is durable, while the cost of a commit (an
//! fsync) is shared by the whole group.
//!
//! On SQLite the writer has connections of its own (`sqlite` with cached statements for the
//! hot path, and a diesel connection for the survey cache's misses); on PostgreSQL
//! (`postgres`) it takes one from the pool per group and looks the group's tokens up in one
//! query. `tokens` says whether a token can be used now and checks the answers against its
//! survey (a pure function in `domain::submission`).
//!
//! Faults: a submission is answered within about `TAKE_WITHIN` + `LOCK_WAIT`. One the writer
//! has not taken up within `TAKE_WITHIN` (it is stuck behind a lock or an unreachable server)
//! is withdrawn and answered 503; one it has taken is answered with its group's outcome, and
//! a group waits at most `LOCK_WAIT` for a lock or a connection. A claim flag decides which of
//! the two happens, so a submission answered 503 is never stored and every 201 is.

mod postgres;
mod sqlite;
pub mod tokens;

pub use sqlite::SqliteIngest;

use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::Duration;

use crate::domain::submission::RawSubmission;
use crate::error::AppError;
use crate::store::cache::Cache;
use crate::store::health::{self, Fault, WriteHealth};
use crate::store::{AnyConnection, Backend, ConnectionManager, DatabaseUrl, Pool};

/// Most submissions in one transaction.
pub const MAX_GROUP: usize = 256;
/// Submissions waiting for the writer before new ones are turned away with 503.
pub const QUEUE: usize = 4096;
/// How long a submission waits for the writer to take it up before it is answered 503.
pub const TAKE_WITHIN: Duration = Duration::from_millis(1500);
/// How long a group waits for another writer's lock (SQLite), a row lock or a pooled
/// connection (PostgreSQL) before its submissions are answered 503.
pub const LOCK_WAIT: Duration = Duration::from_millis(750);

/// A job's claim: waiting, taken by the writer (it will be answered with its outcome), or
/// withdrawn by its request (answered 503; the writer skips it).
const WAITING: u8 = 0;
const TAKEN: u8 = 1;
const WITHDRAWN: u8 = 2;

struct Job {
    token: String,
    submission: RawSubmission,
    reply: tokio::sync::oneshot::Sender<Result<i64, AppError>>,
    claim: Arc<AtomicU8>,
}

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::SyncSender<Job>,
    health: Arc<WriteHealth>,
}

fn busy() -> AppError {
    crate::error::fault_code(Fault::Busy).into()
}

impl Writer {
    /// Starts the writer thread: its own connections on SQLite, the pool on PostgreSQL.
    pub fn start(pool: Pool, url: &DatabaseUrl, cache: Arc<Cache>) -> anyhow::Result<Writer> {
        let sink = Sink::open(pool, url)?;
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        let health: Arc<WriteHealth> = Default::default();
        let writes = health.clone();
        std::thread::Builder::new()
            .name("klantspiegel-writer".into())
            .spawn(move || run(sink, &cache, &writes, rx))?;
        Ok(Writer { tx, health })
    }

    /// Whether this instance's writes are failing (for `/healthz`).
    pub fn health(&self) -> &WriteHealth {
        &self.health
    }

    /// Checks and stores one submission for `token`; resolves after its transaction has
    /// committed, with the new response id or why it was refused, or with 503 when the
    /// writer could not take it up within `TAKE_WITHIN` (nothing stored then).
    pub async fn submit(&self, token: &str, submission: RawSubmission) -> Result<i64, AppError> {
        let (reply, mut done) = tokio::sync::oneshot::channel();
        let claim = Arc::new(AtomicU8::new(WAITING));
        let job = Job {
            token: token.trim().to_string(),
            submission,
            reply,
            claim: claim.clone(),
        };
        match self.tx.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(_)) => return Err(busy()),
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(AppError::internal(anyhow::anyhow!(
                    "the writer has stopped"
                )))
            }
        }
        let dropped = |_| AppError::internal(anyhow::anyhow!("the writer dropped a submission"));
        match actix_web::rt::time::timeout(TAKE_WITHIN, &mut done).await {
            Ok(outcome) => outcome.map_err(dropped)?,
            Err(_) => {
                if claim
                    .compare_exchange(WAITING, WITHDRAWN, Ordering::AcqRel, Ordering::Acquire)
                    .is_ok()
                {
                    return Err(busy());
                }
                // Taken just now: its group's outcome follows within `LOCK_WAIT` and a commit.
                done.await.map_err(dropped)?
            }
        }
    }
}

/// Where the writer stores its groups. One per process, owned by the writer thread (and by
/// the ingest benchmark): the size difference between the variants costs nothing.
#[allow(clippy::large_enum_variant)]
pub enum Sink {
    Sqlite {
        ingest: SqliteIngest,
        /// For the survey cache's misses (surveys and waves are read once per instance).
        reader: AnyConnection,
    },
    Pool(Pool),
}

impl Sink {
    /// SQLite: connections of the writer's own; PostgreSQL: the pool.
    pub fn open(pool: Pool, url: &DatabaseUrl) -> anyhow::Result<Sink> {
        Ok(match url.backend {
            Backend::Sqlite => Sink::Sqlite {
                ingest: SqliteIngest::open(&url.target).map_err(|e| {
                    anyhow::anyhow!("cannot open the SQLite writer connection: {e}")
                })?,
                reader: ConnectionManager::new(url.clone()).connect()?,
            },
            Backend::Postgres => Sink::Pool(pool),
        })
    }

    /// Checks and stores a group of (token, submission) in one transaction. Per submission:
    /// its new response id or why it was refused; Err when the transaction failed as a whole.
    pub fn store_group(
        &mut self,
        cache: &Cache,
        jobs: &[(String, RawSubmission)],
    ) -> Result<Vec<Result<i64, AppError>>, AppError> {
        match self {
            Sink::Sqlite { ingest, reader } => sqlite::store_group(ingest, reader, cache, jobs),
            Sink::Pool(pool) => postgres::store_group(pool, cache, jobs),
        }
    }
}

/// Takes a job up unless its request has withdrawn it.
fn take(job: Job) -> Option<Job> {
    job.claim
        .compare_exchange(WAITING, TAKEN, Ordering::AcqRel, Ordering::Acquire)
        .is_ok()
        .then_some(job)
}

fn run(mut sink: Sink, cache: &Cache, writes: &WriteHealth, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut group: Vec<Job> = take(first).into_iter().collect();
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.extend(take(job)),
                Err(_) => break,
            }
        }
        if group.is_empty() {
            continue;
        }
        let (jobs, replies): (Vec<(String, RawSubmission)>, Vec<_>) = group
            .into_iter()
            .map(|j| ((j.token, j.submission), j.reply))
            .unzip();
        let started = std::time::Instant::now();
        let results = sink.store_group(cache, &jobs);
        tracing::debug!(
            size = replies.len(),
            micros = started.elapsed().as_micros() as u64,
            "group stored"
        );
        match results {
            Ok(results) => {
                writes.succeeded();
                health::recovered();
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
                }
            }
            // A database fault (already logged once by `health::report`): 503 for the group.
            Err(e) if e.fault().is_some() => {
                if let Some(fault) = e.fault() {
                    writes.failed(fault);
                    for reply in replies {
                        let _ = reply.send(Err(crate::error::fault_code(fault).into()));
                    }
                }
            }
            Err(e) => {
                tracing::error!(error = %e, size = replies.len(), "group commit failed");
                for reply in replies {
                    let _ = reply.send(Err(AppError::internal(anyhow::anyhow!(
                        "the group commit failed"
                    ))));
                }
            }
        }
    }
}

/// Per submission: its new response id, or why it was refused.
type Outcomes = Vec<Result<i64, AppError>>;
