//! Heavy work — PDF packs, workbooks, CSV exports, PNG and oversized charts — runs at most
//! `KLANTSPIEGEL_HEAVY_LIMIT` at a time (issue 28.4). A request takes a permit *before* it takes
//! a database connection and holds it until its last byte is made, so heavy work never holds
//! more than that many connections: the rest of the pool (the limit is below the pool size) is
//! left to submissions, pages and `/healthz`.
//!
//! A few requests may wait for a permit ([`WAITERS_PER_PERMIT`] per permit, each at most
//! [`HEAVY_WAIT`]): a browser fetching a page's charts, a team downloading its packs. Past that
//! the answer is 503 `busy` with `Retry-After`, at once: a flood queues nothing.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::{AppError, ErrorCode};

/// How many requests may wait, per permit.
pub const WAITERS_PER_PERMIT: usize = 4;
/// How long a request waits for a permit before it is answered 503.
pub const HEAVY_WAIT: Duration = Duration::from_secs(10);
/// What a refused request is told to wait (`Retry-After`, seconds).
pub const HEAVY_RETRY_AFTER: u64 = 10;

pub struct HeavyGate {
    permits: Arc<Semaphore>,
    waiting: AtomicUsize,
    max_waiting: usize,
}

/// Leaves the count of waiters when the waiting ends, however it ends.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl HeavyGate {
    pub fn new(limit: u32) -> HeavyGate {
        let limit = limit.max(1) as usize;
        HeavyGate {
            permits: Arc::new(Semaphore::new(limit)),
            waiting: AtomicUsize::new(0),
            max_waiting: limit * WAITERS_PER_PERMIT,
        }
    }

    fn busy() -> AppError {
        ErrorCode::HeavyBusy {
            retry_after: HEAVY_RETRY_AFTER,
        }
        .into()
    }

    /// A permit for one piece of heavy work: at once, after a short wait, or 503 `busy`.
    pub async fn enter(&self) -> Result<OwnedSemaphorePermit, AppError> {
        if let Ok(permit) = self.permits.clone().try_acquire_owned() {
            return Ok(permit);
        }
        if self.waiting.fetch_add(1, Ordering::SeqCst) >= self.max_waiting {
            self.waiting.fetch_sub(1, Ordering::SeqCst);
            return Err(Self::busy());
        }
        let _waiting = Waiting(&self.waiting);
        match actix_web::rt::time::timeout(HEAVY_WAIT, self.permits.clone().acquire_owned()).await {
            Ok(Ok(permit)) => Ok(permit),
            _ => Err(Self::busy()),
        }
    }

    /// Permits free now (for `/healthz` and the tests).
    pub fn available(&self) -> usize {
        self.permits.available_permits()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[actix_web::test]
    async fn past_the_permits_and_the_waiters_the_answer_is_busy() {
        let gate = Arc::new(HeavyGate::new(1));
        let first = gate.enter().await.unwrap();
        // Four may wait…
        let waiters: Vec<_> = (0..WAITERS_PER_PERMIT)
            .map(|_| {
                let g = gate.clone();
                actix_web::rt::spawn(async move { g.enter().await.map(drop) })
            })
            .collect();
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
        // …the next is refused at once, with a time to come back.
        let refused = gate.enter().await.unwrap_err();
        assert_eq!(refused.code(), "busy");
        assert_eq!(refused.retry_after(), Some(HEAVY_RETRY_AFTER));
        drop(first);
        for w in waiters {
            assert!(w.await.unwrap().is_ok());
        }
        assert_eq!(gate.available(), 1);
    }
}
