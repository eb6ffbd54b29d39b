//! Issue 18: degrading cleanly under real faults (a lock holder, a long import, a PostgreSQL
//! cluster stopped and started, a full and a read-only filesystem) and under hostile input
//! (a header bomb, dripping bodies, guessed tokens behind one address, reserved and duplicate
//! keys, off-site `next` links), and the streamed export.

mod disk;
mod export;
mod hostile;
mod lock;
mod postgres;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;

/// A plain HTTP client for a server this test started (the real binary).
pub struct Client {
    pub base: String,
}

impl Client {
    fn finish(r: Result<ureq::Response, ureq::Error>) -> Resp {
        let resp = match r {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let status = resp.status();
        let headers = resp
            .headers_names()
            .into_iter()
            .filter_map(|n| resp.header(&n).map(|v| (n.clone(), v.to_string())))
            .collect();
        let body = resp.into_string().unwrap_or_default();
        Resp {
            status,
            body,
            headers,
        }
    }

    pub fn post(&self, path: &str, body: Value) -> Resp {
        Self::finish(
            agent()
                .post(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
                .send_json(body),
        )
    }

    pub fn post_public(&self, path: &str, body: Value) -> Resp {
        Self::finish(
            agent()
                .post(&format!("{}{path}", self.base))
                .send_json(body),
        )
    }

    pub fn get(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut r = agent().get(&format!("{}{path}", self.base));
        for (k, v) in headers {
            r = r.set(k, v);
        }
        Self::finish(r.call())
    }

    pub fn post_form(&self, path: &str, headers: &[(&str, &str)], fields: &[(&str, &str)]) -> Resp {
        let mut r = agent().post(&format!("{}{path}", self.base));
        for (k, v) in headers {
            r = r.set(k, v);
        }
        Self::finish(r.send_form(fields))
    }

    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Resp {
        Self::finish(
            agent()
                .post(&format!("{}{path}", self.base))
                .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }

    /// A team, the default survey, an open wave and `count` single-use customer tokens:
    /// (survey id, wave id, tokens).
    pub fn setup(&self, count: usize) -> (i64, i64, Vec<String>) {
        let team = self.post(
            "/api/v1/teams",
            serde_json::json!({"name": "Klantenservice"}),
        );
        assert_eq!(team.status, 201, "{}", team.body);
        let team = team.json()["id"].as_i64().unwrap();
        let s = self.post(
            "/api/v1/surveys",
            serde_json::json!({"title": "Storing", "template": "mirror-default"}),
        );
        assert_eq!(s.status, 201, "{}", s.body);
        let survey = s.json()["id"].as_i64().unwrap();
        let w = self.post(
            &format!("/api/v1/surveys/{survey}/waves"),
            serde_json::json!({"name": "W1", "opens_at": "2026-01-01T00:00:00Z"}),
        );
        assert_eq!(w.status, 201, "{}", w.body);
        let wave = w.json()["id"].as_i64().unwrap();
        let inv = self.post(
            &format!("/api/v1/surveys/{survey}/invitations"),
            serde_json::json!({"wave_id": wave, "team_id": team, "audience": "customer", "count": count}),
        );
        assert_eq!(inv.status, 201, "{}", inv.body);
        let tokens = inv.json()["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect();
        (survey, wave, tokens)
    }
}

/// One customer submission body.
pub fn answer(token: &str, comment: &str) -> Value {
    serde_json::json!({"token": token, "ratings": {"speed": {"perceived": 7}}, "comment": comment})
}

/// Asserts a 503 `unavailable` with `Retry-After`.
pub fn assert_unavailable(r: &Resp) {
    assert_eq!(r.error(503).0, "unavailable", "{}", r.body);
    let retry: u64 = r
        .header("retry-after")
        .unwrap_or_else(|| panic!("503 without Retry-After: {}", r.body))
        .parse()
        .unwrap();
    assert!(retry >= 1, "Retry-After: {retry}");
}

/// The real binary serving on a free port, its log (stderr) in a file; killed when dropped.
pub struct Served {
    pub client: Client,
    pub child: Child,
    pub log: PathBuf,
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Starts `klantspiegel serve` on `db` and waits for it to answer.
pub fn serve(db: &str, log_dir: &Path) -> Served {
    let port = free_port();
    let log = log_dir.join(format!("klantspiegel-{port}.log"));
    let child = Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
            db,
        ])
        .env("KLANTSPIEGEL_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("KLANTSPIEGEL_RESPONDENT_LIMIT", "0")
        .env("RUST_LOG", "info")
        .env("RUST_BACKTRACE", "1")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let served = Served {
        client: Client {
            base: format!("http://127.0.0.1:{port}"),
        },
        child,
        log,
    };
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(30) {
        if agent()
            .get(&format!("{}/healthz", served.client.base))
            .call()
            .is_ok()
        {
            return served;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!(
        "the server did not start: {}",
        std::fs::read_to_string(&served.log).unwrap_or_default()
    );
}

impl Served {
    /// The server's log so far (the log thread writes every 20 ms).
    pub fn log_text(&self) -> String {
        std::thread::sleep(Duration::from_millis(100));
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The peak resident memory of the server process, in MiB.
    pub fn peak_rss_mib(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).unwrap();
        let kb: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap();
        kb / 1024
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// Runs `f` and returns its result with the time it took.
pub fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let started = Instant::now();
    let out = f();
    (out, started.elapsed())
}

/// A fresh SQLite file under `dir` (these tests are about SQLite's own faults).
pub fn sqlite_file(dir: &Path) -> String {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    let name: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!("sqlite://{}", dir.join(format!("{name}.db")).display())
}

/// A directory of its own under the system's temp dir, removed when dropped.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let mut b = [0u8; 6];
        getrandom::fill(&mut b).unwrap();
        let name: String = b.iter().map(|x| format!("{x:02x}")).collect();
        let path = std::env::temp_dir().join(format!("{prefix}-{name}"));
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
