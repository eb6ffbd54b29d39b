//! Wrong admin bearer tokens, counted per client address (issue 28.6). After
//! [`BEARER_FAILURES`] wrong tokens from one address within [`BEARER_WINDOW`], every bearer
//! token from that address — the right one too — is answered 429 with `Retry-After` until the
//! window ends: guessing gets nowhere, and a script with a stale token stops hammering. Other
//! addresses, sessions and respondents are not affected. Per instance, in memory, as the
//! respondent limits (`limits`): the token's 32 characters are the real defence.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::{AppError, ErrorCode};

/// Wrong tokens per address before its bearer requests are refused.
pub const BEARER_FAILURES: u32 = 10;
/// The window the failures are counted in (from the first one).
pub const BEARER_WINDOW: Duration = Duration::from_secs(300);

#[derive(Default)]
pub struct BearerLimit {
    /// Per address: when its window started, and its wrong tokens since.
    failures: Mutex<HashMap<IpAddr, (Instant, u32)>>,
}

impl BearerLimit {
    fn with<T>(&self, f: impl FnOnce(&mut HashMap<IpAddr, (Instant, u32)>, Instant) -> T) -> T {
        let now = Instant::now();
        let mut map = match self.failures.lock() {
            Ok(m) => m,
            Err(poisoned) => poisoned.into_inner(),
        };
        map.retain(|_, (start, _)| now.duration_since(*start) < BEARER_WINDOW);
        f(&mut map, now)
    }

    /// Before a token is compared: 429 while the address is over its limit.
    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        self.with(|map, now| match map.get(&ip) {
            Some((start, n)) if *n >= BEARER_FAILURES => {
                let left = BEARER_WINDOW.saturating_sub(now.duration_since(*start));
                Err(ErrorCode::RateLimited {
                    retry_after: left.as_secs().max(1),
                }
                .into())
            }
            _ => Ok(()),
        })
    }

    /// Counts one wrong token from the address.
    pub fn failed(&self, ip: Option<IpAddr>) {
        let Some(ip) = ip else { return };
        self.with(|map, now| {
            let entry = map.entry(ip).or_insert((now, 0));
            entry.1 = entry.1.saturating_add(1);
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_refused_after_its_failures_and_no_other() {
        let l = BearerLimit::default();
        let a: IpAddr = "10.0.0.1".parse().unwrap();
        let b: IpAddr = "10.0.0.2".parse().unwrap();
        for _ in 0..BEARER_FAILURES {
            assert!(l.check(Some(a)).is_ok());
            l.failed(Some(a));
        }
        let refused = l.check(Some(a)).unwrap_err();
        assert_eq!(refused.code(), "rate_limited");
        let wait = refused.retry_after().unwrap();
        assert!((BEARER_WINDOW.as_secs() - 5..=BEARER_WINDOW.as_secs()).contains(&wait));
        assert!(l.check(Some(b)).is_ok());
        // No address known (a Unix socket): nothing to count by.
        l.failed(None);
        assert!(l.check(None).is_ok());
    }
}
