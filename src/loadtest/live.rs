//! `klantspiegel loadtest --live`: a live workshop session with 200 phones guessing each of the
//! survey's eight dimensions in turn (all at once per dimension), every phone and the
//! facilitator listening to the session's events; it checks that every guess is acknowledged and
//! that the facilitator's count follows within 1 s at p99 (docs/performance.md).

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::{admin_token, json_request, Conn, Fresh};

/// What to run against.
pub struct LiveOptions {
    /// host:port
    pub addr: String,
    /// host:port of the instance the facilitator's stream listens on (another instance on the
    /// same database); None: the same as `addr`.
    pub events_addr: Option<String>,
    pub admin_token: Option<String>,
    pub participants: usize,
}

/// What the live benchmark measured.
pub struct LiveOutcome {
    pub participants: usize,
    pub dimensions: usize,
    pub acknowledged: usize,
    pub failed: usize,
    /// Each guess's round trip (sent → 201).
    pub guess_latencies: Vec<Duration>,
    /// For the i-th acknowledged guess of a dimension: from when it was sent until the
    /// facilitator's stream first showed a count of at least i for that dimension.
    pub count_latencies: Vec<Duration>,
    /// Guesses per dimension the session kept after its end.
    pub kept: Vec<u64>,
    pub elapsed: Duration,
    /// Phones whose own event stream showed every dimension's full count.
    pub phones_complete: usize,
}

fn percentile_of(values: &[Duration], q: f64) -> Duration {
    if values.is_empty() {
        return Duration::ZERO;
    }
    let mut l = values.to_vec();
    l.sort();
    let i = ((l.len() as f64 - 1.0) * q).round() as usize;
    l[i.min(l.len() - 1)]
}

impl LiveOutcome {
    pub fn report(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let expected = self.participants * self.dimensions;
        let kept_ok = self.kept.len() == self.dimensions
            && self.kept.iter().all(|n| *n == self.participants as u64);
        format!(
            "live: {} participants × {} dimensions: {} of {expected} guesses acknowledged, {} failed in {:.2} s\n\
             guess round trip: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms\n\
             facilitator's count after the guess: p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms ({})\n\
             kept after the end: {:?} guesses per dimension ({})\n\
             phones' own streams with every full count: {} of {}",
            self.participants,
            self.dimensions,
            self.acknowledged,
            self.failed,
            self.elapsed.as_secs_f64(),
            ms(percentile_of(&self.guess_latencies, 0.5)),
            ms(percentile_of(&self.guess_latencies, 0.99)),
            ms(percentile_of(&self.guess_latencies, 1.0)),
            ms(percentile_of(&self.count_latencies, 0.5)),
            ms(percentile_of(&self.count_latencies, 0.99)),
            ms(percentile_of(&self.count_latencies, 1.0)),
            if self.passed() { "within 1 s at p99: OK" } else { "NOT within 1 s at p99" },
            self.kept,
            if kept_ok { "OK" } else { "MISMATCH" },
            self.phones_complete,
            self.participants,
        )
    }

    /// Every guess acknowledged, the count within 1 s at p99, and the counts kept.
    pub fn passed(&self) -> bool {
        self.acknowledged == self.participants * self.dimensions
            && self.count_latencies.len() == self.acknowledged
            && percentile_of(&self.count_latencies, 0.99) <= Duration::from_secs(1)
            && self.kept.iter().all(|n| *n == self.participants as u64)
            && self.phones_complete == self.participants
    }
}

/// The `count` events a stream has shown: (dimension, count, when seen).
type SeenCounts = std::sync::Arc<std::sync::Mutex<Vec<(String, u64, Instant)>>>;

/// The facilitator's stream: (dimension, count, when seen) of every `count` event, until `end`.
fn listen_counts(
    addr: &str,
    code: &str,
    auth: &str,
) -> anyhow::Result<(std::thread::JoinHandle<()>, SeenCounts)> {
    let mut stream = TcpStream::connect(addr)?;
    stream.set_nodelay(true)?;
    // A stream that stops without its `end` does not hang the benchmark.
    stream.set_read_timeout(Some(Duration::from_secs(30)))?;
    let head = format!(
        "GET /api/v1/live/{code}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n{auth}\r\n"
    );
    stream.write_all(head.as_bytes())?;
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = seen.clone();
    let mut reader = BufReader::new(stream);
    let handle = std::thread::spawn(move || {
        let mut name = String::new();
        loop {
            let mut line = String::new();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            let line = line.trim_end();
            if let Some(n) = line.strip_prefix("event: ") {
                name = n.to_string();
                if name == "end" {
                    return;
                }
            } else if let Some(d) = line.strip_prefix("data: ") {
                if name == "count" {
                    if let Ok(v) = serde_json::from_str::<serde_json::Value>(d) {
                        let key = v["dimension_key"].as_str().unwrap_or_default().to_string();
                        let n = v["guesses"].as_u64().unwrap_or(0);
                        if let Ok(mut s) = out.lock() {
                            s.push((key, n, Instant::now()));
                        }
                    }
                }
            }
        }
    });
    Ok((handle, seen))
}

/// Runs the live benchmark against a running server.
pub fn run_live(opts: &LiveOptions) -> anyhow::Result<LiveOutcome> {
    let token = admin_token(opts.admin_token.as_deref(), "start the session")?.to_string();
    let Fresh {
        mut c,
        team,
        survey,
        sid,
        wave,
    } = Fresh::make(
        &opts.addr,
        &token,
        "Live loadtest",
        r#"{"name":"Live","opens_at":"2020-01-01T00:00:00Z","closes_at":"2020-02-01T00:00:00Z"}"#,
    )?;
    let keys: Vec<String> = survey["dimensions"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|d| d["key"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let started = json_request(
        &mut c,
        "POST",
        &format!("/api/v1/surveys/{sid}/live"),
        &token,
        &serde_json::json!({"wave_id": wave["id"], "team_id": team["id"]}).to_string(),
    )?;
    let code = started["code"].as_str().unwrap_or_default().to_string();
    let events_addr = opts.events_addr.as_deref().unwrap_or(&opts.addr);
    let (listener, counts) = listen_counts(
        events_addr,
        &code,
        &format!("Authorization: Bearer {token}\r\n"),
    )?;
    // Every phone opens the join page once, with its own device cookie.
    let mut phones: Vec<(Conn, String)> = Vec::with_capacity(opts.participants);
    let mut phone_streams: Vec<(std::thread::JoinHandle<()>, SeenCounts)> =
        Vec::with_capacity(opts.participants);
    for i in 0..opts.participants {
        let mut conn = Conn::open(&opts.addr)?;
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).map_err(|e| anyhow::anyhow!("{e}"))?;
        let device: String = format!("loadtest{i:04}")
            .chars()
            .chain(
                b.iter()
                    .flat_map(|x| format!("{x:02x}").chars().collect::<Vec<_>>()),
            )
            .collect();
        let cookie = format!("ks_device={device}");
        let (status, _) =
            conn.request("GET", &format!("/w/{code}"), &[("Cookie", &cookie)], b"")?;
        if status != 200 {
            anyhow::bail!("GET /w/{code}: {status}");
        }
        // Every phone listens too, as the join page's script does (alternating between the
        // instances when there are two).
        let at = if i % 2 == 1 {
            events_addr
        } else {
            opts.addr.as_str()
        };
        phone_streams.push(listen_counts(at, &code, &format!("Cookie: {cookie}\r\n"))?);
        phones.push((conn, cookie));
    }
    let t0 = Instant::now();
    let mut acknowledged = 0;
    let mut failed = 0;
    let mut guess_latencies = Vec::new();
    let mut count_latencies = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        json_request(
            &mut c,
            "POST",
            &format!("/api/v1/live/{code}/open"),
            &token,
            &serde_json::json!({"dimension_key": key}).to_string(),
        )?;
        let path = format!("/api/v1/live/{code}/guesses");
        // (sent, acknowledged) of every guess on this dimension.
        let results: Vec<Option<(Instant, Instant)>> = std::thread::scope(|s| {
            let handles: Vec<_> = phones
                .iter_mut()
                .enumerate()
                .map(|(i, (conn, cookie))| {
                    let body = format!(
                        "{{\"dimension_key\":\"{key}\",\"value\":{}}}",
                        1 + (i * 7 + k * 3) % 10
                    );
                    let path = &path;
                    s.spawn(move || {
                        let sent = Instant::now();
                        match conn.request(
                            "POST",
                            path,
                            &[
                                ("Cookie", cookie.as_str()),
                                ("Content-Type", "application/json"),
                            ],
                            body.as_bytes(),
                        ) {
                            Ok((201, _)) => Some((sent, Instant::now())),
                            _ => None,
                        }
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().ok().flatten())
                .collect()
        });
        let mut acks: Vec<(Instant, Instant)> = results.iter().flatten().copied().collect();
        acknowledged += acks.len();
        failed += results.len() - acks.len();
        guess_latencies.extend(acks.iter().map(|(s, a)| *a - *s));
        // Wait (at most 5 s) until the facilitator's stream shows them all.
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            let done = counts
                .lock()
                .map(|v| {
                    v.iter()
                        .any(|(d, n, _)| d == key && *n as usize >= acks.len())
                })
                .unwrap_or(false);
            if done {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        acks.sort_by_key(|(_, a)| *a);
        let seen: Vec<(u64, Instant)> = counts
            .lock()
            .map(|v| {
                v.iter()
                    .filter(|(d, _, _)| d == key)
                    .map(|(_, n, at)| (*n, *at))
                    .collect()
            })
            .unwrap_or_default();
        for (i, (sent, _)) in acks.iter().enumerate() {
            let shown = seen
                .iter()
                .find(|(n, _)| *n as usize > i)
                .map(|(_, at)| *at);
            // A count never shown counts as a miss of ten seconds.
            count_latencies.push(shown.map_or(Duration::from_secs(10), |at| {
                at.saturating_duration_since(*sent)
            }));
        }
        json_request(
            &mut c,
            "POST",
            &format!("/api/v1/live/{code}/reveal"),
            &token,
            &serde_json::json!({"dimension_key": key}).to_string(),
        )?;
    }
    let elapsed = t0.elapsed();
    json_request(
        &mut c,
        "POST",
        &format!("/api/v1/live/{code}/end"),
        &token,
        "{}",
    )?;
    let _ = listener.join();
    // Each phone's stream saw every dimension reach all the guesses.
    let mut phones_complete = 0;
    for (handle, seen) in phone_streams {
        let _ = handle.join();
        let complete = seen
            .lock()
            .map(|v| {
                keys.iter().all(|k| {
                    v.iter()
                        .any(|(d, n, _)| d == k && *n as usize == opts.participants)
                })
            })
            .unwrap_or(false);
        phones_complete += usize::from(complete);
    }
    let state = json_request(&mut c, "GET", &format!("/api/v1/live/{code}"), &token, "")?;
    let kept = keys
        .iter()
        .map(|k| state["counts"][k].as_u64().unwrap_or(0))
        .collect();
    Ok(LiveOutcome {
        participants: opts.participants,
        dimensions: keys.len(),
        acknowledged,
        failed,
        guess_latencies,
        count_latencies,
        kept,
        elapsed,
        phones_complete,
    })
}

/// The CLI's `loadtest --live`: runs the benchmark; its report, or an error (with the report
/// when the benchmark ran but missed its goal).
pub fn command(
    url: &str,
    events_url: Option<String>,
    participants: usize,
) -> anyhow::Result<String> {
    let addr = |u: &str| -> anyhow::Result<String> {
        Ok(u.strip_prefix("http://")
            .ok_or_else(|| anyhow::anyhow!("{u}: only http:// URLs are supported"))?
            .trim_end_matches('/')
            .to_string())
    };
    if participants == 0 {
        anyhow::bail!("--live N: N must be at least 1");
    }
    let opts = LiveOptions {
        addr: addr(url)?,
        events_addr: events_url.as_deref().map(addr).transpose()?,
        admin_token: crate::config::client_admin_token(),
        participants,
    };
    let out = run_live(&opts)?;
    if !out.passed() {
        anyhow::bail!(
            "{}\nnot every guess was acknowledged and counted within 1 s at p99",
            out.report()
        );
    }
    Ok(out.report())
}
