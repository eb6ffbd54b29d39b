//! Group commit: one writer thread takes the submissions that arrive while the previous
//! transaction commits and handles them together in one transaction: it looks each token up,
//! validates the submission, takes one use of the token and stores the response, then updates
//! the summaries and commits. A refused submission (unknown, used or expired token, invalid
//! answers) refuses only itself. A submission is answered only after its transaction has
//! committed, so every acknowledged submission is durable, while the cost of a commit (an
//! fsync) is shared by the whole group.
//!
//! On SQLite the writer has connections of its own (`store::ingest` with cached statements for
//! the hot path, and a diesel connection for the survey cache's misses); on PostgreSQL it takes
//! one from the pool per group and looks the group's tokens up in one query.

use std::sync::mpsc;
use std::sync::Arc;

use crate::error::AppError;
use crate::service::{self, RawSubmission};
use crate::store::cache::Cache;
use crate::store::ingest::{IngestItem, SqliteIngest};
use crate::store::{self, AnyConnection, Backend, ConnectionManager, DatabaseUrl, Pool};

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
            Sink::Sqlite { ingest, reader } => store_sqlite(ingest, reader, cache, jobs),
            Sink::Pool(pool) => store_pooled(pool, cache, jobs),
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

type Outcomes = Vec<Result<i64, AppError>>;

fn group_failed(e: rusqlite::Error) -> AppError {
    AppError::internal(anyhow::anyhow!("storing submissions: {e}"))
}

/// SQLite: per submission a cached lookup, check, use and insert, all in one transaction.
fn store_sqlite(
    ingest: &mut SqliteIngest,
    reader: &mut AnyConnection,
    cache: &Cache,
    jobs: &[(String, RawSubmission)],
) -> Result<Outcomes, AppError> {
    let mut tx = ingest.begin().map_err(group_failed)?;
    let mut outcomes = Vec::with_capacity(jobs.len());
    for (token, submission) in jobs {
        let invitation = if service::token_looks_usable(token) {
            tx.invitation(token).map_err(group_failed)?
        } else {
            None
        };
        outcomes.push(
            match service::prepare_for(reader, cache, invitation, submission) {
                Err(e) => Err(e),
                Ok(p) => tx
                    .store(&IngestItem {
                        invitation_id: p.invitation_id,
                        response: &p.response,
                        values: &p.values,
                        scale_min: p.scale_min,
                    })
                    .map_err(group_failed)?
                    .ok_or_else(service::token_used),
            },
        );
    }
    tx.commit().map_err(group_failed)?;
    Ok(outcomes)
}

/// PostgreSQL: the group's tokens in one query (rows locked), the uses taken in one statement,
/// the accepted submissions stored together: a handful of round trips per group.
fn store_pooled(
    pool: &Pool,
    cache: &Cache,
    jobs: &[(String, RawSubmission)],
) -> Result<Outcomes, AppError> {
    let mut conn = pool.get()?;
    store::write_tx(&mut conn, |conn| {
        let hashes: Vec<String> = jobs
            .iter()
            .map(|(t, _)| store::invitations::hash_token(t))
            .collect();
        let found = store::invitations::lock_by_hashes(conn, &hashes)?;
        // Uses left per invitation, as the locked rows say; taken in submission order.
        let mut left: std::collections::HashMap<i64, i32> = found
            .values()
            .map(|inv| (inv.id, inv.max_uses - inv.uses))
            .collect();
        let mut outcomes: Vec<Option<Result<i64, AppError>>> = Vec::with_capacity(jobs.len());
        let mut accepted = Vec::new();
        let mut prepared = Vec::new();
        for (i, ((token, submission), hash)) in jobs.iter().zip(&hashes).enumerate() {
            let invitation = found
                .get(hash)
                .filter(|_| service::token_looks_usable(token))
                .cloned();
            let checked =
                service::prepare_for(conn, cache, invitation, submission).and_then(|p| match left
                    .get_mut(&p.invitation_id)
                {
                    // A link used twice in one group: the second waits its turn here.
                    Some(n) if *n > 0 => {
                        *n -= 1;
                        Ok(p)
                    }
                    _ => Err(service::token_used()),
                });
            match checked {
                Ok(p) => {
                    accepted.push(i);
                    prepared.push(p);
                    outcomes.push(None);
                }
                Err(e) => outcomes.push(Some(Err(e))),
            }
        }
        let mut taken: std::collections::BTreeMap<i64, i32> = Default::default();
        for p in &prepared {
            *taken.entry(p.invitation_id).or_default() += 1;
        }
        let taken: Vec<(i64, i32)> = taken.into_iter().collect();
        store::invitations::add_uses(conn, &taken)?;
        for (i, id) in accepted
            .into_iter()
            .zip(service::insert_prepared(conn, &prepared)?)
        {
            outcomes[i] = Some(Ok(id));
        }
        Ok(outcomes
            .into_iter()
            .map(|o| {
                o.unwrap_or_else(|| {
                    Err(AppError::internal(anyhow::anyhow!("submission not stored")))
                })
            })
            .collect())
    })
}
