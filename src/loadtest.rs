//! `klantspiegel loadtest`: posts N realistic submissions over HTTP with C connections, prints
//! throughput and latency percentiles, and checks that every acknowledged submission is stored.
//! `--bare` runs the same client against an in-process actix-web handler that parses the same
//! JSON and stores nothing: the ceiling the real server is measured against.
//!
//! The client is deliberately small: blocking HTTP/1.1 with keep-alive on plain TCP, one
//! thread per connection, so it adds no dependencies and little overhead.

pub mod live;

use crate::http::JsonBody;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

/// One keep-alive HTTP/1.1 connection.
pub struct Conn {
    host: String,
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Conn {
    pub fn open(addr: &str) -> std::io::Result<Conn> {
        let stream = TcpStream::connect(addr)?;
        stream.set_nodelay(true)?;
        stream.set_read_timeout(Some(Duration::from_secs(60)))?;
        Ok(Conn {
            host: addr.to_string(),
            reader: BufReader::new(stream.try_clone()?),
            writer: stream,
        })
    }

    /// Sends one request and reads the whole response: (status, body).
    pub fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: &[u8],
    ) -> std::io::Result<(u16, Vec<u8>)> {
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nContent-Length: {}\r\n",
            self.host,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        self.writer.write_all(head.as_bytes())?;
        self.writer.write_all(body)?;
        let mut status_line = String::new();
        self.reader.read_line(&mut status_line)?;
        let status: u16 = status_line
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| std::io::Error::other(format!("bad status line: {status_line:?}")))?;
        let mut length = 0usize;
        let mut chunked = false;
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line)?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some((k, v)) = line.split_once(':') {
                if k.eq_ignore_ascii_case("content-length") {
                    length = v.trim().parse().unwrap_or(0);
                } else if k.eq_ignore_ascii_case("transfer-encoding")
                    && v.trim().eq_ignore_ascii_case("chunked")
                {
                    chunked = true;
                }
            }
        }
        let mut body = Vec::new();
        if chunked {
            loop {
                let mut size = String::new();
                self.reader.read_line(&mut size)?;
                let n = usize::from_str_radix(size.trim(), 16).map_err(std::io::Error::other)?;
                let mut chunk = vec![0u8; n + 2];
                self.reader.read_exact(&mut chunk)?;
                if n == 0 {
                    break;
                }
                body.extend_from_slice(&chunk[..n]);
            }
        } else {
            body.resize(length, 0);
            self.reader.read_exact(&mut body)?;
        }
        Ok((status, body))
    }
}

pub struct Options {
    /// host:port
    pub addr: String,
    pub admin_token: Option<String>,
    pub submissions: usize,
    pub concurrency: usize,
}

pub struct Outcome {
    pub acknowledged: usize,
    pub failed: usize,
    pub elapsed: Duration,
    pub latencies: Vec<Duration>,
    /// Responses the server reports as stored afterwards (None for the bare handler).
    pub stored: Option<u64>,
}

impl Outcome {
    pub fn percentile(&self, q: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let mut l = self.latencies.clone();
        l.sort();
        let i = ((l.len() as f64 - 1.0) * q).round() as usize;
        l[i.min(l.len() - 1)]
    }

    pub fn throughput(&self) -> f64 {
        self.acknowledged as f64 / self.elapsed.as_secs_f64().max(1e-9)
    }

    pub fn report(&self, label: &str) -> String {
        let mut s = format!(
            "{label}: {} acknowledged, {} failed in {:.2} s: {:.0} submissions/s, p50 {:.2} ms, p99 {:.2} ms",
            self.acknowledged,
            self.failed,
            self.elapsed.as_secs_f64(),
            self.throughput(),
            self.percentile(0.5).as_secs_f64() * 1000.0,
            self.percentile(0.99).as_secs_f64() * 1000.0,
        );
        if let Some(stored) = self.stored {
            let verdict = if stored == self.acknowledged as u64 {
                "OK"
            } else {
                "MISMATCH"
            };
            s.push_str(&format!(
                "\nstored afterwards: {stored} (acknowledged {}): {verdict}",
                self.acknowledged
            ));
        }
        s
    }
}

/// A realistic customer submission for the default dimension set, varied by `i`.
pub fn submission(token: &str, i: usize) -> String {
    let keys = [
        "customer_focus",
        "expertise",
        "flexibility",
        "keeping_agreements",
        "complaint_handling",
        "friendliness",
        "problem_resolution",
        "speed",
    ];
    let mut ratings = Vec::new();
    for (k, key) in keys.iter().enumerate() {
        let p = 4 + (i * 7 + k * 3) % 7;
        let e = 5 + (i * 3 + k * 5) % 6;
        ratings.push(format!("\"{key}\":{{\"perceived\":{p},\"expected\":{e}}}"));
    }
    format!(
        "{{\"token\":\"{token}\",\"ratings\":{{{}}},\"nps\":{},\"comment\":\"Snel geholpen, maar de terugbelafspraak werd vergeten.\"}}",
        ratings.join(","),
        i % 11
    )
}

pub(crate) fn json_request(
    conn: &mut Conn,
    method: &str,
    path: &str,
    token: &str,
    body: &str,
) -> anyhow::Result<serde_json::Value> {
    let auth = format!("Bearer {token}");
    let (status, body) = conn.request(
        method,
        path,
        &[
            ("Authorization", &auth),
            ("Content-Type", "application/json"),
        ],
        body.as_bytes(),
    )?;
    if !(200..300).contains(&status) {
        anyhow::bail!(
            "{method} {path}: {status} {}",
            String::from_utf8_lossy(&body)
        );
    }
    Ok(serde_json::from_slice(&body)?)
}

/// The admin token a benchmark needs `to` do its set-up.
fn admin_token<'t>(token: Option<&'t str>, to: &str) -> anyhow::Result<&'t str> {
    token.ok_or_else(|| {
        anyhow::anyhow!("set KLANTSPIEGEL_ADMIN_TOKEN (the server's admin token) to {to}")
    })
}

/// A team and a survey of a benchmark's own, both named `<prefix> <8 random hex digits>`, and
/// a wave of the survey, made over a new connection.
struct Fresh {
    c: Conn,
    team: serde_json::Value,
    survey: serde_json::Value,
    sid: i64,
    wave: serde_json::Value,
}

impl Fresh {
    /// `wave`: the JSON body that creates the wave.
    fn make(addr: &str, token: &str, prefix: &str, wave: &str) -> anyhow::Result<Fresh> {
        let mut c = Conn::open(addr)?;
        let mut suffix = [0u8; 4];
        getrandom::fill(&mut suffix).map_err(|e| anyhow::anyhow!("{e}"))?;
        let name = format!(
            "{prefix} {:02x}{:02x}{:02x}{:02x}",
            suffix[0], suffix[1], suffix[2], suffix[3]
        );
        let body = |key: &str| serde_json::json!({ key: name }).to_string();
        let team = json_request(&mut c, "POST", "/api/v1/teams", token, &body("name"))?;
        let survey = json_request(&mut c, "POST", "/api/v1/surveys", token, &body("title"))?;
        let sid = survey["id"].as_i64().unwrap_or_default();
        let path = format!("/api/v1/surveys/{sid}/waves");
        let wave = json_request(&mut c, "POST", &path, token, wave)?;
        Ok(Fresh {
            c,
            team,
            survey,
            sid,
            wave,
        })
    }
}

/// Sets up a team, survey, wave and one team link per connection; returns (survey id, tokens).
fn set_up(opts: &Options) -> anyhow::Result<(i64, Vec<String>)> {
    let token = admin_token(opts.admin_token.as_deref(), "create the test survey")?;
    let Fresh {
        mut c,
        team,
        sid,
        wave,
        ..
    } = Fresh::make(
        &opts.addr,
        token,
        "Loadtest",
        r#"{"name":"Load","opens_at":"2020-01-01T00:00:00Z"}"#,
    )?;
    let per = opts.submissions.div_ceil(opts.concurrency.max(1)).max(1);
    let inv = json_request(
        &mut c,
        "POST",
        &format!("/api/v1/surveys/{sid}/invitations"),
        token,
        &serde_json::json!({"wave_id": wave["id"], "team_id": team["id"], "audience": "customer", "count": opts.concurrency, "max_uses": per}).to_string(),
    )?;
    let tokens = inv["tokens"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|t| t.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Ok((sid, tokens))
}

/// Posts the submissions with `concurrency` connections; each connection uses its own token.
fn fire(
    addr: &str,
    tokens: &[String],
    submissions: usize,
    concurrency: usize,
) -> (usize, usize, Duration, Vec<Duration>) {
    let started = Instant::now();
    let results: Vec<(usize, usize, Vec<Duration>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..concurrency)
            .map(|w| {
                let token = tokens.get(w).cloned().unwrap_or_default();
                s.spawn(move || {
                    let mut ok = 0;
                    let mut failed = 0;
                    let mut lat = Vec::new();
                    let mut conn = match Conn::open(addr) {
                        Ok(c) => c,
                        Err(_) => return (0, submissions / concurrency, lat),
                    };
                    let mut i = w;
                    while i < submissions {
                        let body = submission(&token, i);
                        let t0 = Instant::now();
                        match conn.request(
                            "POST",
                            "/api/v1/responses",
                            &[("Content-Type", "application/json")],
                            body.as_bytes(),
                        ) {
                            Ok((201, _)) => {
                                ok += 1;
                                lat.push(t0.elapsed());
                            }
                            Ok(_) => failed += 1,
                            Err(_) => {
                                failed += 1;
                                match Conn::open(addr) {
                                    Ok(c) => conn = c,
                                    Err(_) => break,
                                }
                            }
                        }
                        i += concurrency;
                    }
                    (ok, failed, lat)
                })
            })
            .collect();
        handles.into_iter().filter_map(|h| h.join().ok()).collect()
    });
    let elapsed = started.elapsed();
    let mut latencies = Vec::new();
    let (mut ok, mut failed) = (0, 0);
    for (o, f, l) in results {
        ok += o;
        failed += f;
        latencies.extend(l);
    }
    (ok, failed, elapsed, latencies)
}

/// Load-tests a running server.
pub fn run(opts: &Options) -> anyhow::Result<Outcome> {
    let (sid, tokens) = set_up(opts)?;
    let (acknowledged, failed, elapsed, latencies) =
        fire(&opts.addr, &tokens, opts.submissions, opts.concurrency);
    let mut c = Conn::open(&opts.addr)?;
    let token = opts.admin_token.clone().unwrap_or_default();
    let report = json_request(
        &mut c,
        "GET",
        &format!("/api/v1/surveys/{sid}/comparison"),
        &token,
        "",
    )?;
    let stored = report["respondents"]["customer"].as_u64();
    Ok(Outcome {
        acknowledged,
        failed,
        elapsed,
        latencies,
        stored,
    })
}

/// The ceiling: the same client against a handler that parses the same JSON and stores nothing.
pub fn run_bare(submissions: usize, concurrency: usize) -> anyhow::Result<Outcome> {
    use actix_web::{web, App, HttpResponse, HttpServer};
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let addr = listener.local_addr()?.to_string();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = HttpServer::new(|| {
                App::new().route(
                    "/api/v1/responses",
                    web::post().to(
                        |body: web::Json<crate::http::api::reports::SubmissionBody>| async move {
                            let n = body.submission.ratings.len();
                            HttpResponse::Created()
                                .json_line(serde_json::json!({"status": "stored", "ratings": n}))
                        },
                    ),
                )
            })
            .listen(listener)
            .map(|s| s.run());
            match server {
                Ok(server) => {
                    let _ = tx.send(Ok(server.handle()));
                    let _ = server.await;
                }
                Err(e) => {
                    let _ = tx.send(Err(e));
                }
            }
        })
    });
    let handle = rx.recv()??;
    let tokens: Vec<String> = (0..concurrency)
        .map(|i| format!("bare-token-{i}"))
        .collect();
    let (acknowledged, failed, elapsed, latencies) = fire(&addr, &tokens, submissions, concurrency);
    actix_web::rt::System::new().block_on(handle.stop(true));
    Ok(Outcome {
        acknowledged,
        failed,
        elapsed,
        latencies,
        stored: None,
    })
}
