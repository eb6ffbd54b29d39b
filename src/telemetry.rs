//! Tracing set-up, once per process. Logs go to stderr; `RUST_LOG` filters.
//!
//! The server writes one line per request. Written straight to stderr that is a system call per
//! line on the HTTP workers; `init(Output::Batched)` hands the lines to a thread that writes
//! what gathered every 20 ms in one call. The returned [`LogGuard`] writes the rest when dropped.

use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::MakeWriter;
use tracing_subscriber::prelude::*;

/// How log lines reach stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    /// Each line when it is logged (the CLI's commands).
    Direct,
    /// Gathered and written every 20 ms by a thread of their own (the server).
    Batched,
}

/// How often the log thread writes what gathered.
const BATCH_EVERY: Duration = Duration::from_millis(20);

/// Writes the last lines and stops the log thread when dropped (end of `main`).
pub struct LogGuard {
    stop: Arc<AtomicBool>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Drop for LogGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Release);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

pub fn init(output: Output) -> Option<LogGuard> {
    let filter = log_filter(std::env::var("RUST_LOG").ok().as_deref());
    let layer = tracing_subscriber::fmt::layer()
        // Colours only for a person at a terminal; log files and collectors get plain text.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_target(false)
        .compact();
    match output {
        Output::Direct => {
            let _ = tracing_subscriber::registry()
                .with(layer.with_writer(std::io::stderr).with_filter(filter))
                .try_init();
            None
        }
        Output::Batched => {
            let (tx, rx) = mpsc::channel::<Vec<u8>>();
            let stop = Arc::new(AtomicBool::new(false));
            let stopped = stop.clone();
            let thread = std::thread::Builder::new()
                .name("klantspiegel-log".into())
                .spawn(move || write_batches(&rx, &stopped))
                .ok()?;
            let _ = tracing_subscriber::registry()
                .with(layer.with_writer(LineSink { tx }).with_filter(filter))
                .try_init();
            Some(LogGuard {
                stop,
                thread: Some(thread),
            })
        }
    }
}

/// `RUST_LOG` as comma-separated `level` and `target=level` directives (`info`,
/// `warn,klantspiegel=debug`); unset or not understood: `info`. (Targets, not EnvFilter: the
/// span and field filters EnvFilter adds pull a regex engine into the build.)
fn log_filter(rust_log: Option<&str>) -> Targets {
    rust_log
        .and_then(|s| s.parse::<Targets>().ok())
        .unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO))
}

/// The log thread: sleeps (so a new line wakes nobody), then writes all gathered lines at once.
fn write_batches(rx: &mpsc::Receiver<Vec<u8>>, stop: &AtomicBool) {
    let mut batch = Vec::with_capacity(64 * 1024);
    loop {
        let last = stop.load(Ordering::Acquire);
        batch.clear();
        for line in rx.try_iter() {
            batch.extend_from_slice(&line);
        }
        if !batch.is_empty() {
            let mut err = std::io::stderr().lock();
            let _ = err.write_all(&batch);
            let _ = err.flush();
        }
        if last {
            return;
        }
        std::thread::sleep(BATCH_EVERY);
    }
}

/// Hands each formatted line to the log thread.
struct LineSink {
    tx: mpsc::Sender<Vec<u8>>,
}

impl<'a> MakeWriter<'a> for LineSink {
    type Writer = Line<'a>;

    fn make_writer(&'a self) -> Line<'a> {
        Line {
            buf: Vec::new(),
            tx: &self.tx,
        }
    }
}

/// One event's text; sent when the formatter is done with it.
struct Line<'a> {
    buf: Vec<u8>,
    tx: &'a mpsc::Sender<Vec<u8>>,
}

impl Write for Line<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Drop for Line<'_> {
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            // After the log thread has stopped (the very end of main) a line has nowhere to go.
            let _ = self.tx.send(std::mem::take(&mut self.buf));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::log_filter;
    use tracing::Level;

    #[test]
    fn rust_log_sets_levels_per_target_with_info_as_the_default() {
        let f = log_filter(Some("warn,klantspiegel::writer=debug"));
        assert!(f.would_enable("klantspiegel::writer", &Level::DEBUG));
        assert!(!f.would_enable("klantspiegel::http", &Level::INFO));
        assert!(f.would_enable("actix_server", &Level::WARN));
        for unset in [None, Some("=nonsense=")] {
            let f = log_filter(unset);
            assert!(f.would_enable("klantspiegel", &Level::INFO));
            assert!(!f.would_enable("klantspiegel", &Level::DEBUG));
        }
    }
}
