//! Issue 8: limits, durability under kill -9, graceful shutdown, hostile input.

use serde_json::json;
use std::io::Read;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::helpers::*;

#[test]
fn a_five_megabyte_body_gets_413_and_stores_nothing() {
    let app = spawn_app();
    let w = world(&app);
    let t = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 1)
        .remove(0);
    let big = format!(
        "{{\"token\":\"{t}\",\"ratings\":{{}},\"comment\":\"{}\"}}",
        "x".repeat(5 * 1024 * 1024)
    );
    let r = app.post_raw("/api/v1/responses", "application/json", big.as_bytes());
    assert_eq!(r.error(413).0, "payload_too_large");
    let form = format!("csrf=x&comment={}", "y".repeat(5 * 1024 * 1024));
    let r = app.post_raw(
        &format!("/r/{t}"),
        "application/x-www-form-urlencoded",
        form.as_bytes(),
    );
    assert_eq!(r.status, 413);
    // A comment over 2000 characters is named.
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": t, "ratings": {"speed": {"perceived": 7}}, "comment": "z".repeat(2001)}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("comment"));
    assert_eq!(app.count("responses"), 0);
}

#[test]
fn guessing_tokens_meets_429_with_retry_after() {
    let app = spawn_app();
    let mut statuses = Vec::new();
    for i in 0..25 {
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": format!("guess-{i}"), "ratings": {"speed": {"perceived": 7}}}),
        );
        statuses.push(r.status);
        if r.status == 429 {
            assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
            assert_eq!(r.json()["error"]["code"], "rate_limited");
        }
    }
    assert!(statuses[..20].iter().all(|s| *s == 404), "{statuses:?}");
    assert!(statuses[20..].iter().all(|s| *s == 429), "{statuses:?}");
    // The questionnaire page is limited too.
    assert_eq!(app.get_public("/r/another-guess", &[]).status, 429);
}

#[test]
fn html_pages_carry_csp_and_nosniff() {
    let app = spawn_app();
    for path in ["/login", "/r/unknown", "/dashboard"] {
        let r = app.get_public(path, &[]);
        let csp = r
            .header("content-security-policy")
            .unwrap_or_else(|| panic!("{path}: no CSP"));
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
    }
}

/// The real binary, serving on a free port against `db`.
fn serve(db: &str, port: u16) -> Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
            db,
        ])
        .env("KLANTSPIEGEL_ADMIN_TOKEN", ADMIN_TOKEN)
        .env("KLANTSPIEGEL_RESPONDENT_LIMIT", "0")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    for _ in 0..100 {
        if agent()
            .get(&format!("http://127.0.0.1:{port}/healthz"))
            .call()
            .is_ok()
        {
            return child;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server did not start");
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Sets up a survey on a running server; returns (survey id, team links with enough uses).
fn setup(base: &str) -> (i64, Vec<String>) {
    let post = |path: &str, body: serde_json::Value| -> serde_json::Value {
        agent()
            .post(&format!("{base}{path}"))
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .send_json(body)
            .unwrap()
            .into_json()
            .unwrap()
    };
    let team = post("/api/v1/teams", json!({"name": "Klantenservice"}));
    let survey = post("/api/v1/surveys", json!({"title": "kill"}));
    let sid = survey["id"].as_i64().unwrap();
    let wave = post(
        &format!("/api/v1/surveys/{sid}/waves"),
        json!({"name": "W", "opens_at": "2020-01-01T00:00:00Z"}),
    );
    let inv = post(
        &format!("/api/v1/surveys/{sid}/invitations"),
        json!({"wave_id": wave["id"], "team_id": team["id"], "audience": "customer", "count": 32, "max_uses": 100000}),
    );
    (
        sid,
        inv["tokens"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t.as_str().unwrap().to_string())
            .collect(),
    )
}

/// Comments of every stored response, from the CSV export.
fn stored_comments(base: &str, sid: i64) -> std::collections::HashSet<String> {
    let mut body = String::new();
    agent()
        .get(&format!("{base}/api/v1/surveys/{sid}/export.csv"))
        .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .call()
        .unwrap()
        .into_reader()
        .read_to_string(&mut body)
        .unwrap();
    let mut r = csv::Reader::from_reader(body.as_bytes());
    let idx = r
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "comment")
        .unwrap();
    r.records()
        .map(|rec| rec.unwrap()[idx].to_string())
        .collect()
}

/// 32 clients submit until `stop`; returns the comments of the acknowledged submissions.
fn hammer(base: &str, tokens: &[String], stop: &AtomicBool) -> Vec<String> {
    let acked = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for (w, token) in tokens.iter().enumerate() {
            let acked = &acked;
            s.spawn(move || {
                let mut i = 0;
                while !stop.load(Ordering::Relaxed) {
                    let comment = format!("c{w}-{i}");
                    i += 1;
                    let r = agent()
                        .post(&format!("{base}/api/v1/responses"))
                        .timeout(std::time::Duration::from_secs(5))
                        .send_json(json!({"token": token, "ratings": {"speed": {"perceived": 7}, "keeping_agreements": {"perceived": 5, "expected": 8}}, "comment": comment}));
                    match r {
                        Ok(resp) if resp.status() == 201 => acked.lock().unwrap().push(comment),
                        Ok(_) | Err(ureq::Error::Status(..)) => {}
                        Err(_) => break, // the server is gone
                    }
                }
            });
        }
    });
    acked.into_inner().unwrap()
}

#[test]
fn every_acknowledged_submission_survives_kill_9_under_32_way_load() {
    let (db, pg) = fresh_database();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&db, port);
    let (sid, tokens) = setup(&base);
    let stop = AtomicBool::new(false);
    let acked = std::thread::scope(|s| {
        let h = s.spawn(|| hammer(&base, &tokens, &stop));
        std::thread::sleep(std::time::Duration::from_millis(1500));
        server.kill().unwrap(); // SIGKILL
        server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        h.join().unwrap()
    });
    assert!(
        acked.len() > 50,
        "too little load to mean anything: {}",
        acked.len()
    );
    let mut server = serve(&db, port);
    let stored = stored_comments(&base, sid);
    let lost: Vec<&String> = acked.iter().filter(|c| !stored.contains(*c)).collect();
    assert!(
        lost.is_empty(),
        "{} of {} acknowledged submissions lost, e.g. {:?}",
        lost.len(),
        acked.len(),
        &lost[..lost.len().min(5)]
    );
    assert!(stored.len() >= acked.len());
    server.kill().unwrap();
    server.wait().unwrap();
    drop_database(&db, pg);
}

#[test]
fn sigterm_lets_requests_in_flight_finish_then_exits() {
    let (db, pg) = fresh_database();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let mut server = serve(&db, port);
    let (sid, tokens) = setup(&base);
    let stop = AtomicBool::new(false);
    let acked = std::thread::scope(|s| {
        let h = s.spawn(|| hammer(&base, &tokens[..8], &stop));
        std::thread::sleep(std::time::Duration::from_millis(800));
        let st = Command::new("kill")
            .args(["-TERM", &server.id().to_string()])
            .status()
            .unwrap();
        assert!(st.success());
        let code = server.wait().unwrap();
        stop.store(true, Ordering::Relaxed);
        assert!(code.success(), "exit after SIGTERM: {code:?}");
        h.join().unwrap()
    });
    assert!(!acked.is_empty());
    let mut server = serve(&db, port);
    let stored = stored_comments(&base, sid);
    assert!(acked.iter().all(|c| stored.contains(c)));
    server.kill().unwrap();
    server.wait().unwrap();
    drop_database(&db, pg);
}

#[test]
fn the_server_logs_one_line_per_request_with_the_route_pattern_never_the_token() {
    let (db, pg) = fresh_database();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = std::env::temp_dir().join(format!("klantspiegel-log-{port}.txt"));
    let mut server = Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--database",
            &db,
        ])
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let mut up = false;
    for _ in 0..100 {
        if agent().get(&format!("{base}/healthz")).call().is_ok() {
            up = true;
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert!(up, "the server did not start");
    let secret = "SecretToken0123456789abcdefABCDEF";
    let r = agent().get(&format!("{base}/r/{secret}")).call();
    assert_eq!(
        r.err().and_then(|e| e.into_response()).map(|r| r.status()),
        Some(404)
    );
    // The batched log thread writes the last lines when the server stops.
    let st = Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
    assert!(server.wait().unwrap().success());
    let text = std::fs::read_to_string(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    drop_database(&db, pg);
    assert!(!text.contains(secret), "a token reached the log:\n{text}");
    let line = text
        .lines()
        .find(|l| l.contains("route=\"/r/{token}\""))
        .unwrap_or_else(|| panic!("no line for the respondent link:\n{text}"));
    assert!(
        line.contains("method=GET") && line.contains("status=404"),
        "{line}"
    );
    assert!(line.contains("request_id="), "{line}");
    // Durations with two decimals (duration_ms=0.56), not 0.5635370000000001.
    let ms = line
        .split("duration_ms=")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("no duration: {line}"));
    let (whole, decimals) = ms.split_once('.').unwrap_or_else(|| panic!("{line}"));
    assert!(
        whole.parse::<u64>().is_ok() && decimals.len() == 2,
        "{line}"
    );
    assert!(decimals.bytes().all(|b| b.is_ascii_digit()), "{line}");
    let health = text
        .lines()
        .filter(|l| l.contains("route=\"/healthz\""))
        .count();
    assert!(health >= 1, "{text}");
}
