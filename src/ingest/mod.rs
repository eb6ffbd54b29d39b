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

mod postgres;
mod sqlite;
pub mod tokens;

pub use sqlite::SqliteIngest;

use std::sync::mpsc;
use std::sync::Arc;

use crate::domain::submission::RawSubmission;
use crate::error::AppError;
use crate::store::cache::Cache;
use crate::store::{AnyConnection, Backend, ConnectionManager, DatabaseUrl, Pool};

/// Most submissions in one transaction.
pub const MAX_GROUP: usize = 256;
/// Submissions waiting for the writer before new ones are turned away with 503.
pub const QUEUE: usize = 4096;

struct Job {
    token: String,
    submission: RawSubmission,
    reply: tokio::sync::oneshot::Sender<Result<i64, AppError>>,
}

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::SyncSender<Job>,
}

impl Writer {
    /// Starts the writer thread: its own connections on SQLite, the pool on PostgreSQL.
    pub fn start(pool: Pool, url: &DatabaseUrl, cache: Arc<Cache>) -> anyhow::Result<Writer> {
        let sink = Sink::open(pool, url)?;
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("klantspiegel-writer".into())
            .spawn(move || run(sink, &cache, rx))?;
        Ok(Writer { tx })
    }

    /// Checks and stores one submission for `token`; resolves after its transaction has
    /// committed, with the new response id or why the submission was refused.
    pub async fn submit(&self, token: &str, submission: RawSubmission) -> Result<i64, AppError> {
        let (reply, done) = tokio::sync::oneshot::channel();
        let job = Job {
            token: token.trim().to_string(),
            submission,
            reply,
        };
        match self.tx.try_send(job) {
            Ok(()) => {}
            Err(mpsc::TrySendError::Full(_)) => {
                return Err(AppError::Unavailable(
                    "the server is busy; try again in a moment".into(),
                ))
            }
            Err(mpsc::TrySendError::Disconnected(_)) => {
                return Err(AppError::internal(anyhow::anyhow!(
                    "the writer has stopped"
                )))
            }
        }
        done.await
            .map_err(|_| AppError::internal(anyhow::anyhow!("the writer dropped a submission")))?
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

fn run(mut sink: Sink, cache: &Cache, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
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
                for (reply, result) in replies.into_iter().zip(results) {
                    let _ = reply.send(result);
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
