//! Server-sent events of live sessions. State lives in the database; each instance keeps, per
//! session that has listeners here, one poller that reads the session's change counter every
//! `POLL` (and at once when a request on this instance changed it) and publishes a fresh
//! `Snapshot` to its listeners. So several instances on one PostgreSQL database tell their
//! listeners of a guess made on another within `POLL` plus one read; on SQLite (one process) a
//! change is published as soon as it commits. Each listener's task turns successive snapshots
//! into events (`open`, `count`, `reveal`, `end`) for its stream.

use actix_web::web::Bytes;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{mpsc, watch, Notify};

use crate::app::live::{self, Snapshot};
use crate::domain::LiveSessionId;
use crate::i18n::Lang;
use crate::store::Pool;

/// How often a session's change counter is read while it has listeners here.
pub const POLL: Duration = Duration::from_millis(200);
/// A comment line this often keeps proxies from closing a quiet stream.
pub const KEEP_ALIVE: Duration = Duration::from_secs(15);
/// How often expired sessions are ended (their guesses reduced to counts).
pub const SWEEP: Duration = Duration::from_secs(20);

type Latest = Option<Arc<Snapshot>>;

struct Channel {
    tx: watch::Sender<Latest>,
    poke: Arc<Notify>,
}

/// The listeners of this instance, per session, and its writer of guesses.
pub struct LiveHub {
    pool: Pool,
    channels: Mutex<HashMap<LiveSessionId, Channel>>,
    guesses: std::sync::mpsc::SyncSender<GuessJob>,
}

/// Guesses waiting for the writer before new ones are answered 503.
pub const GUESS_QUEUE: usize = 2048;
/// Most guesses in one transaction.
pub const GUESS_GROUP: usize = 256;

/// A guess for the writer: its input and where its answer goes.
struct GuessJob {
    code: String,
    device: String,
    key: String,
    value: i64,
    reply: tokio::sync::oneshot::Sender<Result<LiveSessionId, crate::error::AppError>>,
}

/// Group commit of guesses: one thread takes the guesses that arrived while the previous group
/// committed and stores them in one transaction (each guess in a savepoint of its own, so a
/// refused guess refuses only itself); each is answered after the commit. In a room where 200
/// phones answer at once this shares one commit (an fsync) among them instead of queueing 200.
fn guess_writer(pool: Pool, jobs: std::sync::mpsc::Receiver<GuessJob>) {
    while let Ok(first) = jobs.recv() {
        let mut group = vec![first];
        while group.len() < GUESS_GROUP {
            match jobs.try_recv() {
                Ok(j) => group.push(j),
                Err(_) => break,
            }
        }
        let inputs: Vec<live::GuessInput> = group
            .iter()
            .map(|j| live::GuessInput {
                code: j.code.clone(),
                device: j.device.clone(),
                key: j.key.clone(),
                value: j.value,
            })
            .collect();
        let outcome = pool
            .get()
            .map_err(crate::error::AppError::from)
            .map(|mut conn| {
                let grouped =
                    crate::store::write_tx(&mut conn, |conn| live::guess_group(conn, &inputs));
                grouped.unwrap_or_else(|e| {
                    // A database error fails the whole group: each guess then goes alone.
                    tracing::warn!(error = %e, "a group of guesses failed; storing them one by one");
                    inputs
                        .iter()
                        .map(|g| {
                            crate::store::write_tx(&mut conn, |conn| {
                                live::guess(conn, &g.code, &g.device, &g.key, g.value)
                            })
                            .map(|s| s.id)
                        })
                        .collect()
                })
            });
        match outcome {
            Ok(results) => {
                for (job, result) in group.into_iter().zip(results) {
                    let _ = job.reply.send(result);
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, guesses = group.len(), "storing guesses failed");
                for job in group {
                    let again = match e.problem() {
                        Some(code) => crate::error::AppError::from(code.clone()),
                        None => crate::error::AppError::internal(anyhow::anyhow!("{e}")),
                    };
                    let _ = job.reply.send(Err(again));
                }
            }
        }
    }
}

impl LiveHub {
    pub fn new(pool: Pool) -> anyhow::Result<LiveHub> {
        let (tx, rx) = std::sync::mpsc::sync_channel(GUESS_QUEUE);
        let writer_pool = pool.clone();
        std::thread::Builder::new()
            .name("live-guesses".into())
            .spawn(move || guess_writer(writer_pool, rx))?;
        Ok(LiveHub {
            pool,
            channels: Mutex::new(HashMap::new()),
            guesses: tx,
        })
    }

    /// Stores a guess with the next group; then tells this instance's listeners.
    pub async fn guess(
        &self,
        code: String,
        device: String,
        key: String,
        value: i64,
    ) -> Result<LiveSessionId, crate::error::AppError> {
        let (reply, answer) = tokio::sync::oneshot::channel();
        let job = GuessJob {
            code,
            device,
            key,
            value,
            reply,
        };
        if self.guesses.try_send(job).is_err() {
            return Err(crate::error::ErrorCode::DatabaseBusy.into());
        }
        let id = answer
            .await
            .map_err(|_| crate::error::AppError::from(crate::error::ErrorCode::DatabaseBusy))??;
        self.poke(id);
        Ok(id)
    }

    /// Listens to a session: the receiver holds its latest snapshot (None until the first read).
    pub fn subscribe(self: &Arc<Self>, id: LiveSessionId) -> watch::Receiver<Latest> {
        let Ok(mut channels) = self.channels.lock() else {
            let (_, rx) = watch::channel(None);
            return rx;
        };
        if let Some(c) = channels.get(&id) {
            return c.tx.subscribe();
        }
        let (tx, rx) = watch::channel(None);
        let poke = Arc::new(Notify::new());
        channels.insert(
            id,
            Channel {
                tx,
                poke: poke.clone(),
            },
        );
        drop(channels);
        actix_web::rt::spawn(poll(self.clone(), id, poke));
        rx
    }

    /// A request on this instance changed the session: read it now.
    pub fn poke(&self, id: LiveSessionId) {
        if let Ok(channels) = self.channels.lock() {
            if let Some(c) = channels.get(&id) {
                c.poke.notify_one();
            }
        }
    }

    /// Publishes a snapshot; false when nobody listens any more (the channel is then removed).
    fn publish(&self, id: LiveSessionId, snapshot: Option<Arc<Snapshot>>) -> bool {
        let Ok(mut channels) = self.channels.lock() else {
            return false;
        };
        let Some(c) = channels.get(&id) else {
            return false;
        };
        if c.tx.receiver_count() == 0 {
            channels.remove(&id);
            return false;
        }
        if let Some(s) = snapshot {
            c.tx.send_replace(Some(s));
        }
        true
    }

    /// Ends expired sessions every `SWEEP`, for as long as the hub lives.
    pub fn start_sweeper(self: &Arc<Self>) {
        let weak = Arc::downgrade(self);
        actix_web::rt::spawn(async move {
            loop {
                actix_web::rt::time::sleep(SWEEP).await;
                let Some(hub) = weak.upgrade() else { return };
                let pool = hub.pool.clone();
                drop(hub);
                let swept = actix_web::web::block(move || {
                    let mut conn = pool.get().map_err(crate::error::AppError::from)?;
                    live::sweep(&mut conn)
                })
                .await;
                match swept {
                    Ok(Ok(n)) if n > 0 => {
                        tracing::info!(sessions = n, "expired live sessions ended")
                    }
                    Ok(Err(e)) => tracing::warn!(error = %e, "sweeping live sessions failed"),
                    _ => {}
                }
            }
        });
    }
}

/// One session's poller on this instance: reads the change counter and the number of guesses
/// every `POLL` (or when poked) and publishes a snapshot when either moved; stops when the last
/// listener is gone.
async fn poll(hub: Arc<LiveHub>, id: LiveSessionId, poke: Arc<Notify>) {
    let mut seen: Option<(i64, i64)> = None;
    loop {
        let pool = hub.pool.clone();
        let read = actix_web::web::block(move || {
            let mut conn = pool.get().map_err(crate::error::AppError::from)?;
            match crate::store::live::change_mark(&mut conn, id)? {
                Some(mark) if Some(mark) != seen => Ok::<_, crate::error::AppError>(
                    live::snapshot(&mut conn, id)?.map(|s| (mark, s)),
                ),
                _ => Ok(None),
            }
        })
        .await;
        let fresh = match read {
            Ok(Ok(s)) => s,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "reading a live session failed");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading a live session failed");
                None
            }
        };
        let over = fresh.as_ref().is_some_and(|(_, s)| s.over);
        let fresh = fresh.map(|(mark, s)| {
            seen = Some(mark);
            Arc::new(s)
        });
        if !hub.publish(id, fresh) {
            return;
        }
        if over {
            // Listeners get the end; nothing changes after it. Keep the channel until they go.
            actix_web::rt::time::sleep(POLL).await;
            continue;
        }
        let _ = actix_web::rt::time::timeout(POLL, poke.notified()).await;
    }
}

/// One server-sent event.
fn event(name: &str, data: &serde_json::Value) -> Bytes {
    Bytes::from(format!("event: {name}\ndata: {data}\n\n"))
}

/// The events that take a listener from `prev` to `cur`.
pub fn events(
    prev: Option<&Snapshot>,
    cur: &Snapshot,
    facilitator: bool,
    lang: Lang,
) -> Vec<Bytes> {
    use serde_json::json;
    let mut out = Vec::new();
    let prev_open = prev.and_then(|p| p.open.as_ref());
    if let Some(o) = &cur.open {
        if prev_open.map(|p| &p.key) != Some(&o.key) {
            out.push(event(
                "open",
                &json!({
                    "dimension_key": o.key,
                    "label": o.label(lang),
                    "scale": {"min": cur.scale_min, "max": cur.scale_max},
                }),
            ));
        }
    } else if prev_open.is_some() && !cur.over {
        out.push(event("close", &json!({})));
    }
    for (key, n) in &cur.counts {
        let before = prev.and_then(|p| p.counts.get(key)).copied();
        if before != Some(*n) && !cur.over {
            out.push(event("count", &json!({"dimension_key": key, "guesses": n})));
        }
    }
    let shown = prev.map_or(0, |p| p.reveals.len());
    for r in cur.reveals.iter().skip(shown) {
        let r = if facilitator { r.clone() } else { r.public() };
        out.push(event(
            "reveal",
            &serde_json::to_value(&r).unwrap_or_default(),
        ));
    }
    if cur.over && !prev.is_some_and(|p| p.over) {
        out.push(event("end", &json!({"guesses": cur.counts})));
    }
    out
}

/// The body of an event stream.
pub struct EventBody {
    rx: mpsc::Receiver<Bytes>,
}

impl futures_core::Stream for EventBody {
    type Item = Result<Bytes, actix_web::Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.rx.poll_recv(cx).map(|b| b.map(Ok))
    }
}

/// A listener's stream: the current state as events, then every change, until the end.
pub fn stream(hub: &Arc<LiveHub>, id: LiveSessionId, facilitator: bool, lang: Lang) -> EventBody {
    let (tx, rx) = mpsc::channel::<Bytes>(64);
    let mut updates = hub.subscribe(id);
    hub.poke(id);
    actix_web::rt::spawn(async move {
        if tx
            .send(Bytes::from_static(b"retry: 1000\n\n"))
            .await
            .is_err()
        {
            return;
        }
        let mut prev: Option<Arc<Snapshot>> = None;
        loop {
            let cur = updates.borrow_and_update().clone();
            if let Some(cur) = cur {
                if prev.as_ref().is_none_or(|p| !Arc::ptr_eq(p, &cur)) {
                    for e in events(prev.as_deref(), &cur, facilitator, lang) {
                        if tx.send(e).await.is_err() {
                            return;
                        }
                    }
                    if cur.over {
                        return;
                    }
                    prev = Some(cur);
                }
            }
            match actix_web::rt::time::timeout(KEEP_ALIVE, updates.changed()).await {
                Ok(Ok(())) => {}
                Ok(Err(_)) => return,
                Err(_) => {
                    if tx
                        .send(Bytes::from_static(b": keep-alive\n\n"))
                        .await
                        .is_err()
                    {
                        return;
                    }
                }
            }
        }
    });
    EventBody { rx }
}
