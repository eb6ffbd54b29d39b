//! Streamed downloads: a blocking task writes into a `ChunkWriter`, which hands 64 KiB chunks
//! through a small channel to the response body (`ChannelBody`). Memory stays at a few chunks
//! whatever the size of the download, and the first byte leaves as soon as the first chunk is
//! full. When the client goes away, the next chunk fails to send and the writer stops.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::web::Bytes;
use tokio::sync::mpsc;

/// Bytes collected before a chunk is sent.
pub const CHUNK: usize = 64 * 1024;
/// Chunks in flight between the writer and the socket.
const IN_FLIGHT: usize = 4;

/// The writing end: `std::io::Write` for a blocking task.
pub struct ChunkWriter {
    tx: mpsc::Sender<io::Result<Bytes>>,
    buf: Vec<u8>,
}

/// The response body: the chunks as they arrive; an error ends the response early.
pub struct ChannelBody {
    rx: mpsc::Receiver<io::Result<Bytes>>,
}

/// A connected writer and body.
pub fn channel() -> (ChunkWriter, ChannelBody) {
    let (tx, rx) = mpsc::channel(IN_FLIGHT);
    (
        ChunkWriter {
            tx,
            buf: Vec::with_capacity(CHUNK),
        },
        ChannelBody { rx },
    )
}

impl ChunkWriter {
    fn send(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(&mut self.buf, Vec::with_capacity(CHUNK)));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the client went away"))
    }

    /// Ends the download with an error: the client sees a broken-off transfer, never a
    /// complete-looking file.
    pub fn fail(self, why: &str) {
        let _ = self
            .tx
            .blocking_send(Err(io::Error::other(why.to_string())));
    }
}

impl io::Write for ChunkWriter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= CHUNK {
            self.send()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

impl MessageBody for ChannelBody {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.get_mut().rx.poll_recv(cx)
    }
}
