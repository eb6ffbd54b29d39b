//! Group commit: one writer thread takes the submissions that arrive while the previous
//! transaction commits and stores them together in one transaction. Submissions are validated
//! before they reach the writer; a used-up token refuses only its own submission. A submission is answered only after its
//! transaction has committed, so every acknowledged submission is durable, while the cost of a
//! commit (an fsync) is shared by the whole group.

use std::sync::mpsc;

use crate::error::AppError;
use crate::service::{self, PreparedSubmission};
use crate::store::{self, Pool};

/// Most submissions in one transaction.
pub const MAX_GROUP: usize = 256;
/// Submissions waiting for the writer before new ones are turned away with 503.
pub const QUEUE: usize = 4096;

struct Job {
    submission: PreparedSubmission,
    reply: tokio::sync::oneshot::Sender<Result<i64, AppError>>,
}

/// A handle to the writer thread; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::SyncSender<Job>,
}

impl Writer {
    /// Starts the writer thread on the pool.
    pub fn start(pool: Pool) -> std::io::Result<Writer> {
        let (tx, rx) = mpsc::sync_channel::<Job>(QUEUE);
        std::thread::Builder::new()
            .name("klantspiegel-writer".into())
            .spawn(move || run(pool, rx))?;
        Ok(Writer { tx })
    }

    /// Stores one prepared submission; resolves after its transaction has committed.
    pub async fn submit(&self, submission: PreparedSubmission) -> Result<i64, AppError> {
        let (reply, done) = tokio::sync::oneshot::channel();
        let job = Job { submission, reply };
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

fn run(pool: Pool, rx: mpsc::Receiver<Job>) {
    while let Ok(first) = rx.recv() {
        let mut group = vec![first];
        while group.len() < MAX_GROUP {
            match rx.try_recv() {
                Ok(job) => group.push(job),
                Err(_) => break,
            }
        }
        write_group(&pool, group);
    }
}

fn write_group(pool: &Pool, group: Vec<Job>) {
    let mut conn = match pool.get() {
        Ok(c) => c,
        Err(e) => {
            let msg = format!("no database connection: {e}");
            for job in group {
                let _ = job
                    .reply
                    .send(Err(AppError::internal(anyhow::anyhow!(msg.clone()))));
            }
            return;
        }
    };
    let (jobs, replies): (Vec<PreparedSubmission>, Vec<_>) =
        group.into_iter().map(|j| (j.submission, j.reply)).unzip();
    let committed = store::write_tx(&mut conn, |conn| service::store_submissions(conn, &jobs));
    match committed {
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
