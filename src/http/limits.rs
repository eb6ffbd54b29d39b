//! Per-address rate limits for the respondent endpoints, and the deadline on request bodies.
//! Respondents carry no session, and a limit that only slows guessing and flooding does not
//! need to be exact across instances, so these counters live in memory (per instance); login
//! limits, which must hold across instances, live in the database (`store::sessions::hit`).
//!
//! Unknown tokens are counted per address, but a valid token always goes through: the
//! employees of one company answer from one NAT address, and one colleague's mistyped links
//! must not lock the others out. Past `FAILURE_LIMIT`, a further unknown token from that
//! address is answered 429 instead of 404.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::error::AppError;

const WINDOW: Duration = Duration::from_secs(60);
/// Unknown-token answers per address per minute before further unknown tokens get 429.
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
        ErrorCode::RateLimited {
            retry_after: left.as_secs().max(1),
        }
        .into()
    }

    /// Counts one respondent request; 429 when the address is over the request limit.
    pub fn check(&self, ip: Option<IpAddr>) -> Result<(), AppError> {
        let Some(ip) = ip else { return Ok(()) };
        let per_minute = self.per_minute;
        self.with(ip, |c, now| {
            c.requests += 1;
            if per_minute > 0 && c.requests > per_minute {
                Err(Self::refuse(c, now))
            } else {
                Ok(())
            }
        })
    }

    /// Counts an unknown token (someone guessing links); past `FAILURE_LIMIT` this minute,
    /// the 429 to answer instead of the 404.
    pub fn failed(&self, ip: Option<IpAddr>) -> Option<AppError> {
        let ip = ip?;
        self.with(ip, |c, now| {
            c.failures += 1;
            (c.failures > FAILURE_LIMIT).then(|| Self::refuse(c, now))
        })
    }
}

/// The answer to a respondent request: an unknown token is counted, and past the address's
/// failure limit answered 429; everything else (a valid token above all) passes unchanged.
pub fn settle<T>(
    limiter: &Limiter,
    ip: Option<IpAddr>,
    result: Result<T, AppError>,
) -> Result<T, AppError> {
    match result {
        Err(e) if e.code() == "not_found" => match limiter.failed(ip) {
            Some(limited) => Err(limited),
            None => Err(e),
        },
        other => other,
    }
}

/// A request body must keep coming: it may take `BODY_GRACE` plus one second per
/// `BODY_MIN_RATE` bytes received so far. A body that drips slower is cut off after about
/// `BODY_GRACE` (408; the connection closes after actix's 5 s linger), an honest upload of
/// 20 MB at 64 KiB/s never is.
pub const BODY_GRACE: Duration = Duration::from_secs(15);
pub const BODY_MIN_RATE: u64 = 64 * 1024;

/// Puts the body deadline on every request that has a body (JSON, forms, CSV uploads).
pub async fn body_deadline<B: actix_web::body::MessageBody + 'static>(
    mut req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<B>,
) -> Result<actix_web::dev::ServiceResponse<EitherBody<B, UnreadBody>>, actix_web::Error> {
    use actix_web::http::header;
    use actix_web::HttpMessage;
    let headers = req.headers();
    let has_body = headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .is_some_and(|v| v.as_bytes() != b"0");
    if !has_body {
        return next.call(req).await.map(|res| res.map_into_left_body());
    }
    let parked: Parked = Default::default();
    let inner = req.take_payload();
    let stream: std::pin::Pin<Box<dyn futures_core::Stream<Item = _>>> =
        Box::pin(Deadline::new(inner, parked.clone()));
    req.set_payload(actix_web::dev::Payload::from(stream));
    let res = next.call(req).await?;
    let rest = parked.borrow_mut().take();
    Ok(match rest {
        None => res.map_into_left_body(),
        Some(rest) => res.map_body(|_, body| {
            EitherBody::right(UnreadBody {
                body: actix_web::body::BoxBody::new(body),
                _rest: rest,
            })
        }),
    })
}

use crate::error::ErrorCode;
use actix_web::body::EitherBody;

/// Where a timed-out body's unread rest waits for the response.
type Parked = std::rc::Rc<std::cell::RefCell<Option<actix_web::dev::Payload>>>;

/// The answer to a timed-out body, holding the body's unread rest until the answer is sent:
/// actix then closes the connection. Dropped earlier, a chunked body would be read and
/// discarded for as long as it drips.
pub struct UnreadBody {
    body: actix_web::body::BoxBody,
    _rest: actix_web::dev::Payload,
}

impl actix_web::body::MessageBody for UnreadBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> actix_web::body::BodySize {
        self.body.size()
    }

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<actix_web::web::Bytes, Self::Error>>> {
        std::pin::Pin::new(&mut self.get_mut().body).poll_next(cx)
    }
}

/// A request body with a deadline that moves as bytes arrive.
struct Deadline {
    inner: actix_web::dev::Payload,
    parked: Parked,
    started: actix_web::rt::time::Instant,
    received: u64,
    timer: std::pin::Pin<Box<actix_web::rt::time::Sleep>>,
    expired: bool,
}

impl Deadline {
    fn new(inner: actix_web::dev::Payload, parked: Parked) -> Deadline {
        let started = actix_web::rt::time::Instant::now();
        Deadline {
            inner,
            parked,
            started,
            received: 0,
            timer: Box::pin(actix_web::rt::time::sleep_until(started + BODY_GRACE)),
            expired: false,
        }
    }
}

impl futures_core::Stream for Deadline {
    type Item = Result<actix_web::web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        use std::task::Poll;
        let this = self.get_mut();
        if this.expired {
            return Poll::Ready(None);
        }
        match std::pin::Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.received += chunk.len() as u64;
                let allowed = BODY_GRACE + Duration::from_secs(this.received / BODY_MIN_RATE);
                this.timer.as_mut().reset(this.started + allowed);
                return Poll::Ready(Some(Ok(chunk)));
            }
            Poll::Ready(other) => return Poll::Ready(other),
            Poll::Pending => {}
        }
        match this.timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                this.expired = true;
                *this.parked.borrow_mut() = Some(this.inner.take());
                Poll::Ready(Some(Err(actix_web::error::PayloadError::Io(
                    std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        format!(
                            "{} bytes in {} s",
                            this.received,
                            this.started.elapsed().as_secs()
                        ),
                    ),
                ))))
            }
            Poll::Pending => Poll::Pending,
        }
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
            matches!(l.check(Some(a)), Err(e) if e.retry_after().is_some_and(|s| (1..=60).contains(&s)))
        );
        assert!(l.check(Some(b)).is_ok());
        let off = Limiter::new(0);
        for _ in 0..FAILURE_LIMIT {
            assert!(off.check(Some(a)).is_ok());
            assert!(off.failed(Some(a)).is_none());
        }
        // Past the limit an unknown token is refused, but the address itself is not.
        assert!(matches!(
            off.failed(Some(a)),
            Some(e) if e.code() == "rate_limited"
        ));
        assert!(off.check(Some(a)).is_ok());
        assert!(off.failed(Some(b)).is_none());
    }
}
