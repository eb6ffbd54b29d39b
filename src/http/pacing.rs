//! Readers that take a large response too slowly are cut off (issue 28.5). Without it, a
//! client that reads a byte now and then keeps its response — and the memory behind it — for as
//! long as it likes: 200 slow readers of an 18 MB page held gigabytes.
//!
//! A response larger than [`PACED_FROM`] is handed to actix in pieces of [`PIECE`] bytes, so
//! actix takes the next piece only when the connection has taken the last (actix buffers one
//! piece or two). A watchdog per such response checks that the pieces keep being taken: after
//! `WRITE_GRACE`, at least `KLANTSPIEGEL_WRITE_MIN_RATE` bytes a second on average. When a
//! reader falls behind, the watchdog shuts the connection down (through a duplicate of its
//! socket, taken when the connection was accepted), actix's next write fails, the connection
//! closes and the response is dropped. A reader that keeps up is never disturbed, and small
//! responses — which fit in the socket's buffers anyway — are not watched at all.

use std::net::Shutdown;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BodySize, BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web::Bytes;

/// How long any reader has before the rate counts.
pub const WRITE_GRACE: Duration = Duration::from_secs(10);
/// Responses from this size on are paced and watched.
pub const PACED_FROM: u64 = 16 * 1024;
/// The pieces a watched response is handed over in.
pub const PIECE: usize = 16 * 1024;

/// A duplicate of a connection's socket, kept with the connection (`on_connect`).
#[derive(Clone)]
pub struct ConnSocket(Arc<std::net::TcpStream>);

/// For `HttpServer::on_connect`: keeps a duplicate of each TCP connection's socket, so that a
/// watchdog can shut the connection down.
pub fn on_connect(conn: &dyn std::any::Any, ext: &mut actix_web::dev::Extensions) {
    use std::os::fd::AsFd;
    if let Some(tcp) = conn.downcast_ref::<actix_web::rt::net::TcpStream>() {
        if let Ok(fd) = tcp.as_fd().try_clone_to_owned() {
            ext.insert(ConnSocket(Arc::new(std::net::TcpStream::from(fd))));
        }
    }
}

/// The middleware: paces and watches the large responses of connections it knows.
pub async fn write_deadline(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let rate = req
        .app_data::<actix_web::web::Data<super::AppState>>()
        .map_or(0, |s| s.settings.write_min_rate);
    let socket = req.conn_data::<ConnSocket>().cloned();
    let res = next.call(req).await?;
    let (Some(socket), true) = (socket, rate > 0) else {
        return Ok(res.map_into_boxed_body());
    };
    let large = match res.response().body().size() {
        BodySize::Sized(n) => n >= PACED_FROM,
        BodySize::Stream => true,
        BodySize::None => false,
    };
    if !large {
        return Ok(res.map_into_boxed_body());
    }
    let taken = Arc::new(AtomicU64::new(0));
    let done = Arc::new(AtomicBool::new(false));
    actix_web::rt::spawn(watch(socket, taken.clone(), done.clone(), rate));
    Ok(res.map_body(|_, body| {
        BoxBody::new(Paced {
            inner: BoxBody::new(body),
            rest: Bytes::new(),
            taken,
            done,
        })
    }))
}

/// Shuts the connection down when its reader falls below `rate` bytes a second (after the
/// grace); ends when the response is done and the socket has sent all of it. What the reader
/// has taken is what was handed over less what still waits in the socket's send queue.
async fn watch(socket: ConnSocket, taken: Arc<AtomicU64>, done: Arc<AtomicBool>, rate: u32) {
    let start = actix_web::rt::time::Instant::now();
    loop {
        let finished = done.load(Ordering::Acquire);
        let queued = unsent(&socket.0).unwrap_or(0);
        if finished && queued == 0 {
            return;
        }
        let bytes = taken.load(Ordering::Acquire).saturating_sub(queued);
        let deadline =
            start + WRITE_GRACE + Duration::from_secs_f64(bytes as f64 / f64::from(rate));
        let now = actix_web::rt::time::Instant::now();
        if now >= deadline {
            tracing::info!(
                bytes,
                seconds = start.elapsed().as_secs(),
                min_rate = rate,
                "a reader took a response too slowly: connection closed"
            );
            cut(&socket.0);
            return;
        }
        // Look again at the deadline, or sooner while the socket drains the last bytes.
        let next = if finished {
            deadline.min(now + Duration::from_millis(500))
        } else {
            deadline
        };
        actix_web::rt::time::sleep_until(next).await;
    }
}

/// Bytes the socket has not sent yet (Linux `SIOCOUTQ`).
fn unsent(socket: &std::net::TcpStream) -> Option<u64> {
    use std::os::fd::AsRawFd;
    let mut n: libc::c_int = 0;
    // SAFETY: the descriptor is open (we own a duplicate of it), and SIOCOUTQ writes one int
    // to the pointer, which points at `n`.
    let rc = unsafe {
        libc::ioctl(
            socket.as_raw_fd(),
            libc::TIOCOUTQ,
            &mut n as *mut libc::c_int,
        )
    };
    (rc == 0).then(|| u64::try_from(n).unwrap_or(0))
}

/// Ends the connection: no more reading or writing, and when its last descriptor closes a
/// reset instead of delivering what is still queued (SO_LINGER 0).
fn cut(socket: &std::net::TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: the descriptor is open; the option value is a `linger` of the size given.
    let _ = unsafe {
        libc::setsockopt(
            socket.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &linger as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    let _ = socket.shutdown(Shutdown::Both);
}

/// A response body handed over in pieces, counting what was taken.
struct Paced {
    inner: BoxBody,
    rest: Bytes,
    taken: Arc<AtomicU64>,
    done: Arc<AtomicBool>,
}

impl Paced {
    fn piece(&mut self) -> Bytes {
        let n = self.rest.len().min(PIECE);
        let piece = self.rest.split_to(n);
        self.taken.fetch_add(n as u64, Ordering::AcqRel);
        piece
    }
}

impl Drop for Paced {
    fn drop(&mut self) {
        self.done.store(true, Ordering::Release);
    }
}

impl MessageBody for Paced {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> BodySize {
        self.inner.size()
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        let this = self.get_mut();
        if !this.rest.is_empty() {
            return Poll::Ready(Some(Ok(this.piece())));
        }
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.rest = chunk;
                Poll::Ready(Some(Ok(this.piece())))
            }
            Poll::Ready(None) => {
                this.done.store(true, Ordering::Release);
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
            Poll::Pending => Poll::Pending,
        }
    }
}
