//! Per-address rate limits for the respondent endpoints. Respondents carry no session, and a
//! limit that only slows guessing and flooding does not need to be exact across instances, so
//! these counters live in memory (per instance); login limits, which must hold across instances,
//! live in the database (`store::sessions::hit`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

const WINDOW: Duration = Duration::from_secs(60);
/// Unknown-token answers per address per minute before further requests are refused.
pub const FAILURE_LIMIT: u32 = 20;

#[derive(Default)]
struct Counter {
    start: Option<Instant>,
    requests: u32,
    failures: u32,
}

pub struct Limiter {
    /// Requests per address per minute; 0 switches the request limit off.
    per_minute: u32,
    counters: Mutex<HashMap<IpAddr, Counter>>,
}

impl Limiter {
    pub fn new(per_minute: u32) -> Limiter {
        Limiter {
            per_minute,
            counters: Mutex::new(HashMap::new()),
        }
    }

    fn with<T>(&self, ip: IpAddr, f: impl FnOnce(&mut Counter, Instant) -> T) -> T {
        let now = Instant::now();
        let mut map = match self.counters.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        if map.len() > 100_000 {
            map.retain(|_, c| c.start.is_some_and(|s| now.duration_since(s) < WINDOW));
        }
        let c = map.entry(ip).or_default();
        if c.start.is_none_or(|s| now.duration_since(s) >= WINDOW) {
            *c = Counter {
                start: Some(now),
                requests: 0,
                failures: 0,
            };
        }
        f(c, now)
    }

    fn refuse(c: &Counter, now: Instant) -> AppError {
        let left = c
            .start
            .map(|s| WINDOW.saturating_sub(now.duration_since(s)))
            .unwrap_or(WINDOW);
        AppError::RateLimited {
            retry_after: left.as_secs().max(1),
        }
    }

    /// Counts one respondent request; 429 when the address is over either limit.
    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        let per_minute = self.per_minute;
        self.with(ip, |c, now| {
            c.requests += 1;
            if c.failures >= FAILURE_LIMIT || (per_minute > 0 && c.requests > per_minute) {
                Err(Self::refuse(c, now))
            } else {
                Ok(())
            }
        })
    }

    /// Counts an unknown token (someone guessing links).
    pub fn failed(&self, ip: Option<IpAddr>) {
        if let Some(ip) = ip {
            self.with(ip, |c, _| c.failures += 1);
        }
    }
}

/// Records a failure when a respondent request ended in "unknown token".
pub fn note_result<T>(limiter: &Limiter, ip: Option<IpAddr>, result: &Result<T, AppError>) {
    if let Err(AppError::NotFound(_)) = result {
        limiter.failed(ip);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_requests_and_failures_per_address() {
        let l = Limiter::new(3);
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..3 {
            assert!(l.check(Some(a)).is_ok());
        }
        assert!(
            matches!(l.check(Some(a)), Err(AppError::RateLimited { retry_after }) if (1..=60).contains(&retry_after))
        );
        assert!(l.check(Some(b)).is_ok());
        let off = Limiter::new(0);
        for _ in 0..FAILURE_LIMIT {
            assert!(off.check(Some(a)).is_ok());
            off.failed(Some(a));
        }
        assert!(off.check(Some(a)).is_err());
        assert!(off.check(Some(b)).is_ok());
    }
}
