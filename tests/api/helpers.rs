#![allow(dead_code)]
//! spawn_app(): the app on a fresh database per test (SQLite file, or a new PostgreSQL
//! database when KLANTSPIEGEL_TEST_PG holds a server URL), on a random port.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use serde_json::Value;
use std::sync::mpsc;

use klantspiegel::config::Settings;
use klantspiegel::startup::Application;
use klantspiegel::store::{self, DatabaseUrl, Pool};

/// At least 32 characters, as `serve` requires (`config::MIN_ADMIN_TOKEN`).
pub const ADMIN_TOKEN: &str = "test-admin-token-0123456789abcdef";

pub struct TestApp {
    pub address: String,
    pub db_url: String,
    pub pool: Pool,
    pg_cleanup: Option<(String, String)>,
    /// False for a second instance on another's database: it leaves the database alone.
    owns_db: bool,
}

fn random_suffix() -> String {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Replaces the database name in a postgres URL.
fn with_database(url: &str, db: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let scheme_end = base.find("://").map(|i| i + 3).unwrap_or(0);
    let host_part = &base[scheme_end..];
    let host = host_part.split('/').next().unwrap();
    let mut out = format!("{}{}/{}", &base[..scheme_end], host, db);
    if let Some(q) = query {
        out.push('?');
        out.push_str(q);
    }
    out
}

pub fn fresh_database() -> (String, Option<(String, String)>) {
    match std::env::var("KLANTSPIEGEL_TEST_PG") {
        Ok(server) if !server.trim().is_empty() => {
            let name = format!("ks_test_{}", random_suffix());
            let mut admin = diesel::PgConnection::establish(&server)
                .unwrap_or_else(|e| panic!("KLANTSPIEGEL_TEST_PG={server} does not answer: {e}"));
            admin
                .batch_execute(&format!("CREATE DATABASE {name}"))
                .unwrap();
            // A 2-core machine running the suite beside PostgreSQL can take longer than the
            // server's own 2 s connect timeout to accept a connection (each test creates a
            // database, and many servers with their pools run at once): tests wait up to 20 s.
            let url = with_database(&server, &name);
            let url = if url.contains("connect_timeout=") {
                url
            } else if url.contains('?') {
                format!("{url}&connect_timeout=20")
            } else {
                format!("{url}?connect_timeout=20")
            };
            (url, Some((server, name)))
        }
        _ => {
            let dir = std::env::temp_dir().join("klantspiegel-tests");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("{}.db", random_suffix()));
            (format!("sqlite://{}", path.display()), None)
        }
    }
}

pub fn spawn_app() -> TestApp {
    spawn_app_with(|_| {})
}

/// The app on a fresh database, with settings changed by `configure` (e.g. a public URL).
pub fn spawn_app_with(configure: impl FnOnce(&mut Settings)) -> TestApp {
    let (db_url, pg_cleanup) = fresh_database();
    start(db_url, pg_cleanup, true, configure)
}

/// A second instance on the database of `other` (as two servers behind one load balancer).
pub fn spawn_app_on(other: &TestApp) -> TestApp {
    start(other.db_url.clone(), None, false, |_| {})
}

/// A second instance on the database of `other`, with settings changed by `configure`.
pub fn spawn_app_on_with(other: &TestApp, configure: impl FnOnce(&mut Settings)) -> TestApp {
    start(other.db_url.clone(), None, false, configure)
}

fn start(
    db_url: String,
    pg_cleanup: Option<(String, String)>,
    owns_db: bool,
    configure: impl FnOnce(&mut Settings),
) -> TestApp {
    let url = DatabaseUrl::parse(&db_url).unwrap();
    let mut settings = Settings::new(url, Some("127.0.0.1:0"));
    settings.admin_token = Some(ADMIN_TOKEN.to_string());
    settings.pool_size = 4;
    if db_url.starts_with("postgres") {
        // A loaded 2-core machine running PostgreSQL and two tests at once can take longer
        // than a production request's wait to hand out a connection.
        settings.pool_wait = std::time::Duration::from_secs(15);
    }
    settings.public_url = None;
    configure(&mut settings);
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            // On a loaded 2-core machine a PostgreSQL server can be slower to accept a
            // connection than the pool waits (1.5 s) while the app starts: try three times.
            let mut tries = 0;
            let app = loop {
                tries += 1;
                match Application::build(settings.clone()) {
                    Ok(app) => break app,
                    Err(e) if tries < 3 && is_slow_start(&format!("{e:#}")) => {
                        std::thread::sleep(std::time::Duration::from_secs(2));
                    }
                    Err(e) => panic!("app builds: {e:#}"),
                }
            };
            tx.send((app.port(), app.pool())).unwrap();
            let _ = app.run().await;
        })
    });
    let (port, pool) = rx.recv().expect("server starts");
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        db_url,
        pool,
        pg_cleanup,
        owns_db,
    }
}

/// The app on a database the test made itself (a file on a small filesystem), without the
/// per-address request limit (these tests submit in bulk from one address); dropping it
/// removes the SQLite file.
pub fn spawn_app_at(db_url: &str) -> TestApp {
    start(db_url.to_string(), None, true, |s| s.respondent_limit = 0)
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self.owns_db {
            drop_database(&self.db_url, self.pg_cleanup.take());
        }
    }
}

/// A response: status, headers and body.
pub struct Resp {
    pub status: u16,
    pub body: String,
    pub headers: Vec<(String, String)>,
}

impl Resp {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    /// Asserts the SPEC error body and returns (code, field).
    pub fn error(&self, status: u16) -> (String, Option<String>) {
        assert_eq!(self.status, status, "body: {}", self.body);
        let v = self.json();
        let e = &v["error"];
        assert!(
            e["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{}",
            self.body
        );
        (
            e["code"].as_str().unwrap().to_string(),
            e["field"].as_str().map(str::to_string),
        )
    }
}

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

pub fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().redirects(0).build()
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    fn req(&self, method: &str, path: &str, token: Option<&str>) -> ureq::Request {
        let r = agent().request(method, &self.url(path));
        match token {
            Some(t) => r.set("Authorization", &format!("Bearer {t}")),
            None => r,
        }
    }

    /// Authenticated as admin.
    pub fn post(&self, path: &str, body: Value) -> Resp {
        finish(self.req("POST", path, Some(ADMIN_TOKEN)).send_json(body))
    }
    pub fn get(&self, path: &str) -> Resp {
        finish(self.req("GET", path, Some(ADMIN_TOKEN)).call())
    }
    pub fn patch(&self, path: &str, body: Value) -> Resp {
        finish(self.req("PATCH", path, Some(ADMIN_TOKEN)).send_json(body))
    }
    pub fn delete(&self, path: &str) -> Resp {
        finish(self.req("DELETE", path, Some(ADMIN_TOKEN)).call())
    }
    /// As admin, with extra headers.
    pub fn post_with(&self, path: &str, headers: &[(&str, &str)], body: Value) -> Resp {
        let mut r = self.req("POST", path, Some(ADMIN_TOKEN));
        for (k, v) in headers {
            r = r.set(k, v);
        }
        finish(r.send_json(body))
    }

    pub fn put(&self, path: &str, body: Value) -> Resp {
        finish(self.req("PUT", path, Some(ADMIN_TOKEN)).send_json(body))
    }
    pub fn post_raw(&self, path: &str, content_type: &str, body: &[u8]) -> Resp {
        finish(
            self.req("POST", path, Some(ADMIN_TOKEN))
                .set("Content-Type", content_type)
                .send_bytes(body),
        )
    }
    /// With another (or no) bearer token.
    pub fn get_as(&self, path: &str, token: Option<&str>) -> Resp {
        finish(self.req("GET", path, token).call())
    }
    pub fn post_as(&self, path: &str, token: Option<&str>, body: Value) -> Resp {
        finish(self.req("POST", path, token).send_json(body))
    }
    /// Unauthenticated (respondent side).
    pub fn post_public(&self, path: &str, body: Value) -> Resp {
        finish(self.req("POST", path, None).send_json(body))
    }
    pub fn get_public(&self, path: &str, headers: &[(&str, &str)]) -> Resp {
        let mut r = self.req("GET", path, None);
        for (k, v) in headers {
            r = r.set(k, v);
        }
        finish(r.call())
    }
    pub fn post_raw_public(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Resp {
        let mut r = self.req("POST", path, None);
        for (k, v) in headers {
            r = r.set(k, v);
        }
        finish(r.send_bytes(body))
    }
    pub fn post_form(&self, path: &str, headers: &[(&str, &str)], fields: &[(&str, &str)]) -> Resp {
        let mut r = self.req("POST", path, None);
        for (k, v) in headers {
            r = r.set(k, v);
        }
        finish(r.send_form(fields))
    }

    pub fn conn(&self) -> store::PooledConn {
        self.pool.get().unwrap()
    }

    /// Counts rows of a table directly in the database.
    pub fn count(&self, table: &str) -> i64 {
        use diesel::sql_types::BigInt;
        use diesel::RunQueryDsl;
        #[derive(diesel::QueryableByName)]
        struct N {
            #[diesel(sql_type = BigInt)]
            n: i64,
        }
        let rows: Vec<N> = diesel::sql_query(format!("SELECT COUNT(*) AS n FROM {table}"))
            .load(&mut *self.conn())
            .unwrap();
        rows[0].n
    }

    // ---- fixtures through the public API ----

    pub fn create_team(&self, name: &str) -> i64 {
        let r = self.post("/api/v1/teams", serde_json::json!({ "name": name }));
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }

    pub fn create_default_survey(&self) -> Value {
        let r = self.post(
            "/api/v1/surveys",
            serde_json::json!({"title": "Klantspiegel 2026", "template": "mirror-default"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()
    }

    pub fn create_wave(&self, survey_id: i64, name: &str, opens_at: &str) -> i64 {
        let r = self.post(
            &format!("/api/v1/surveys/{survey_id}/waves"),
            serde_json::json!({"name": name, "opens_at": opens_at}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["id"].as_i64().unwrap()
    }

    pub fn invite(
        &self,
        survey_id: i64,
        wave_id: i64,
        team_id: i64,
        audience: &str,
        count: i64,
        max_uses: i64,
    ) -> Vec<String> {
        let r = self.post(
            &format!("/api/v1/surveys/{survey_id}/invitations"),
            serde_json::json!({"wave_id": wave_id, "team_id": team_id, "audience": audience, "count": count, "max_uses": max_uses}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
        r.json()["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect()
    }
}

/// A survey with one open wave and two teams: (survey id, wave id, team ids).
pub struct World {
    pub survey: i64,
    pub wave: i64,
    pub teams: Vec<i64>,
}

pub fn world(app: &TestApp) -> World {
    let a = app.create_team("Klantenservice");
    let b = app.create_team("Buitendienst");
    let s = app.create_default_survey()["id"].as_i64().unwrap();
    let w = app.create_wave(s, "Voorjaar 2026", "2026-01-01T00:00:00Z");
    World {
        survey: s,
        wave: w,
        teams: vec![a, b],
    }
}

/// Runs the CLI binary against the test database.
pub fn cli(app: &TestApp, args: &[&str], stdin: Option<&str>) -> std::process::Output {
    use std::io::Write;
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_klantspiegel"));
    cmd.args(args)
        .arg("--database")
        .arg(&app.db_url)
        .env_remove("DATABASE_URL")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    } else {
        drop(child.stdin.take());
    }
    child.wait_with_output().unwrap()
}

#[allow(dead_code)]
pub fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).to_string()
}

/// Removes a database made by `fresh_database` (a PostgreSQL database or an SQLite file).
pub fn drop_database(url: &str, pg: Option<(String, String)>) {
    if let Some((server, name)) = pg {
        if let Ok(mut c) = diesel::PgConnection::establish(&server) {
            let _ = c.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
        }
    } else if let Some(path) = url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{path}{suffix}"));
        }
    }
}

/// A download: status, content type, body bytes.
pub struct Download {
    pub status: u16,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

/// Who asks for a download: the admin token, a bearer token, or a session cookie.
pub enum Auth<'a> {
    Admin,
    Session(&'a str),
}

impl TestApp {
    /// GET with binary body.
    pub fn download(&self, path: &str, auth: Auth) -> Download {
        use std::io::Read;
        let r = agent().get(&self.url(path));
        let r = match auth {
            Auth::Admin => r.set("Authorization", &format!("Bearer {ADMIN_TOKEN}")),
            Auth::Session(cookie) => r.set("Cookie", &format!("ks_session={cookie}")),
        };
        let resp = match r.call() {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("transport error: {e}"),
        };
        let status = resp.status();
        let content_type = resp.header("Content-Type").unwrap_or("").to_string();
        let mut bytes = Vec::new();
        resp.into_reader()
            .take(50 * 1024 * 1024)
            .read_to_end(&mut bytes)
            .unwrap();
        Download {
            status,
            content_type,
            bytes,
        }
    }

    /// Logs a user in through the login form; returns the session cookie's value.
    pub fn login_session(&self, email: &str, password: &str) -> String {
        let cookie = |resp: &Resp, name: &str| {
            resp.headers
                .iter()
                .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
                .filter_map(|(_, v)| v.split(';').next())
                .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
        };
        let page = self.get_public("/login", &[]);
        let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = page.body[start..].split('"').next().unwrap().to_string();
        let form = cookie(&page, "ks_login").unwrap();
        let r = self.post_form(
            "/login",
            &[("Cookie", &format!("ks_login={form}"))],
            &[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/dashboard"),
            ],
        );
        assert_eq!(r.status, 303, "{}", r.body);
        cookie(&r, "ks_session").unwrap()
    }

    /// A page or API GET with a session cookie.
    pub fn get_with_session(&self, path: &str, cookie: &str) -> Resp {
        self.get_public(path, &[("Cookie", &format!("ks_session={cookie}"))])
    }
}

/// Loads the demo organisation through the CLI (3 teams, 2 waves; the team lead sees team 1).
pub fn load_demo(app: &TestApp) {
    let out = cli(app, &["demo"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether an app failed to start only because the database was slow to accept a connection
/// (r2d2's "timed out waiting for connection", libpq's "timeout expired").
fn is_slow_start(message: &str) -> bool {
    message.contains("timed out") || message.contains("timeout expired")
}
