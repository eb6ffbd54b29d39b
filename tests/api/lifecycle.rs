//! Issue 19: what `klantspiegel serve` says when it starts, how Ctrl-C stops it, and the shape
//! of JSON bodies.

use std::io::{BufRead, Read, Write};
use std::process::{Child, Command, Stdio};

use crate::helpers::*;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// The real binary serving `db` on `port`; returns it with what it printed on stdout up to and
/// including the "listening" line.
fn serve(db: &str, port: u16, args: &[&str], admin_token: Option<&str>) -> (Child, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_klantspiegel"));
    cmd.args([
        "serve",
        "--bind",
        &format!("127.0.0.1:{port}"),
        "--database",
        db,
    ])
    .args(args)
    .env_remove("KLANTSPIEGEL_ADMIN_TOKEN")
    .env("KLANTSPIEGEL_RESPONDENT_LIMIT", "0")
    .env("RUST_LOG", "warn")
    .stdout(Stdio::piped())
    .stderr(Stdio::null());
    if let Some(t) = admin_token {
        cmd.env("KLANTSPIEGEL_ADMIN_TOKEN", t);
    }
    let mut child = cmd.spawn().unwrap();
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut said = String::new();
    let mut listening = false;
    while !listening {
        let mut line = String::new();
        if out.read_line(&mut line).unwrap() == 0 {
            break;
        }
        said.push_str(&line);
        listening = line.contains("listening on");
    }
    if listening {
        return (child, said);
    }
    let _ = child.kill();
    let _ = child.wait();
    panic!("the server stopped before listening; it said:\n{said}");
}

fn signal(child: &Child, name: &str) {
    let st = Command::new("kill")
        .args([&format!("-{name}"), &child.id().to_string()])
        .status()
        .unwrap();
    assert!(st.success());
}

#[test]
fn serve_demo_prints_its_links_on_every_start_and_the_api_line_only_with_a_token() {
    let (db, pg) = fresh_database();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");

    let (mut server, said) = serve(&db, port, &["--demo"], None);
    assert!(said.contains("Demo loaded."), "{said}");
    let form = format!("{base}/r/{}", klantspiegel::demo::EMPLOYEE_TOKEN);
    assert!(said.contains(&form), "{said}");
    assert!(!said.contains("KLANTSPIEGEL_ADMIN_TOKEN"), "{said}");
    assert!(said.contains("stop with Ctrl-C"), "{said}");
    signal(&server, "INT");
    assert!(server.wait().unwrap().success());

    // A restart over the demo's database prints the same links, and they work.
    let (mut server, said) = serve(&db, port, &["--demo"], Some(ADMIN_TOKEN));
    assert!(said.contains("already in this database"), "{said}");
    assert!(said.contains(&form), "{said}");
    assert!(
        said.contains(&format!(
            "{base}/api/v1/surveys/1/comparison (Authorization: Bearer $KLANTSPIEGEL_ADMIN_TOKEN)"
        )),
        "{said}"
    );
    let page = agent().get(&form).call().unwrap();
    assert_eq!(page.status(), 200);
    let customer = format!("{base}/r/{}?lang=en", klantspiegel::demo::CUSTOMER_TOKEN);
    assert!(said.contains(&customer), "{said}");
    assert_eq!(agent().get(&customer).call().unwrap().status(), 200);
    signal(&server, "TERM");
    assert!(server.wait().unwrap().success());

    // Without --demo nothing about the demo is said.
    let (mut server, said) = serve(&db, port, &[], None);
    assert!(!said.contains("demo"), "{said}");
    signal(&server, "INT");
    assert!(server.wait().unwrap().success());
    drop_database(&db, pg);
}

#[test]
fn ctrl_c_lets_a_slow_upload_in_flight_finish() {
    let (db, pg) = fresh_database();
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let (mut server, _) = serve(&db, port, &[], Some(ADMIN_TOKEN));
    let post = |path: &str, body: serde_json::Value| -> i64 {
        agent()
            .post(&format!("{base}{path}"))
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .send_json(body)
            .unwrap()
            .into_json::<serde_json::Value>()
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    post(
        "/api/v1/teams",
        serde_json::json!({"name": "Klantenservice"}),
    );
    let sid = post(
        "/api/v1/surveys",
        serde_json::json!({"title": "T", "template": "mirror-default"}),
    );
    let wid = post(
        &format!("/api/v1/surveys/{sid}/waves"),
        serde_json::json!({"name": "W", "opens_at": "2026-01-01T00:00:00Z"}),
    );

    // An import whose body arrives in two parts, with Ctrl-C (SIGINT) in between.
    let csv = "audience,team,speed\ncustomer,Klantenservice,7\ncustomer,Klantenservice,8\n";
    let (first, rest) = csv.split_at(20);
    let mut conn = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    write!(
        conn,
        "POST /api/v1/surveys/{sid}/import?wave_id={wid} HTTP/1.1\r\nHost: 127.0.0.1\r\n\
         Authorization: Bearer {ADMIN_TOKEN}\r\nContent-Type: text/csv\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{first}",
        csv.len()
    )
    .unwrap();
    conn.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    signal(&server, "INT");
    std::thread::sleep(std::time::Duration::from_millis(700));
    // The server stopped taking new connections...
    let impatient = ureq::AgentBuilder::new()
        .timeout(std::time::Duration::from_secs(2))
        .build();
    assert!(impatient.get(&format!("{base}/healthz")).call().is_err());
    // ...but the upload in flight completes.
    conn.write_all(rest.as_bytes()).unwrap();
    let mut answer = String::new();
    conn.read_to_string(&mut answer).unwrap();
    assert!(answer.starts_with("HTTP/1.1 201"), "{answer}");
    assert!(answer.contains("\"imported\":2"), "{answer}");
    assert!(server.wait().unwrap().success());

    // The two responses are stored.
    let (mut server, _) = serve(&db, port, &[], Some(ADMIN_TOKEN));
    let report = agent()
        .get(&format!(
            "{base}/api/v1/surveys/{sid}/comparison?wave_id={wid}"
        ))
        .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .call()
        .unwrap()
        .into_json::<serde_json::Value>()
        .unwrap();
    assert_eq!(report["respondents"]["customer"], 2);
    signal(&server, "INT");
    assert!(server.wait().unwrap().success());
    drop_database(&db, pg);
}

#[test]
fn json_bodies_end_with_a_newline() {
    let app = spawn_app();
    let w = world(&app);
    let bodies = [
        app.get("/api/v1/teams"),
        app.get(&format!("/api/v1/surveys/{}", w.survey)),
        app.post("/api/v1/teams", serde_json::json!({"name": "Backoffice"})),
        app.post("/api/v1/teams", serde_json::json!({"name": ""})),
        app.get_public("/healthz", &[]),
        app.get_public("/api/v1/openapi.json", &[]),
        app.get_public("/api/v1/nowhere", &[]),
        app.post_raw("/api/v1/teams", "application/json", b"{not json"),
    ];
    let statuses: Vec<u16> = bodies.iter().map(|r| r.status).collect();
    assert_eq!(statuses, [200, 200, 201, 422, 200, 200, 404, 400]);
    for r in &bodies {
        assert!(
            r.header("content-type")
                .is_some_and(|c| c.starts_with("application/json")),
            "{:?}",
            r.header("content-type")
        );
        assert!(
            r.body.ends_with("}\n") || r.body.ends_with("]\n"),
            "{:?}",
            r.body
        );
        assert!(!r.body.ends_with("\n\n"));
        // Still one JSON value.
        r.json();
    }
}

/// `serve` with these variables (and no others of ours); at most 20 s, so a server that starts
/// after all ends the test (exit 124) instead of hanging it.
fn serve_with_env(db: &str, envs: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new("timeout");
    cmd.args(["20", env!("CARGO_BIN_EXE_klantspiegel")]).args([
        "serve",
        "--bind",
        "127.0.0.1:0",
        "--database",
        db,
    ]);
    for name in [
        "KLANTSPIEGEL_ADMIN_TOKEN",
        "KLANTSPIEGEL_PUBLIC_URL",
        "KLANTSPIEGEL_SMTP_URL",
        "KLANTSPIEGEL_POOL_SIZE",
        "KLANTSPIEGEL_OIDC_ISSUER",
    ] {
        cmd.env_remove(name);
    }
    cmd.envs(envs.iter().copied()).output().unwrap()
}

#[test]
fn serve_refuses_a_bad_setting_with_exit_2_naming_every_variable() {
    let (db, pg) = fresh_database();
    // Issue 22: a malformed public URL was dropped silently.
    let out = serve_with_env(&db, &[("KLANTSPIEGEL_PUBLIC_URL", "enquete.example.nl")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("KLANTSPIEGEL_PUBLIC_URL: the public URL 'enquete.example.nl' must start with https:// or http://"),
        "{err}"
    );
    // Issue 28: a short admin token was accepted.
    let out = serve_with_env(&db, &[("KLANTSPIEGEL_ADMIN_TOKEN", "abc")]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("KLANTSPIEGEL_ADMIN_TOKEN is 3 characters long; it must have at least 32"),
        "{err}"
    );
    assert!(!err.contains("abc"), "the token is not repeated: {err}");
    // Every problem at once, each naming its variable.
    let out = serve_with_env(
        &db,
        &[
            ("KLANTSPIEGEL_ADMIN_TOKEN", &ADMIN_TOKEN[..31]),
            ("KLANTSPIEGEL_PUBLIC_URL", "https://x.nl/?a=1"),
            ("KLANTSPIEGEL_POOL_SIZE", "veel"),
            ("KLANTSPIEGEL_POOL_WAIT_MS", "50"),
        ],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("the configuration has 4 problems:"), "{err}");
    for name in [
        "KLANTSPIEGEL_ADMIN_TOKEN is 31 characters long",
        "KLANTSPIEGEL_PUBLIC_URL: ",
        "KLANTSPIEGEL_POOL_SIZE must be a whole number above 0, not 'veel'",
        "KLANTSPIEGEL_POOL_WAIT_MS must be a whole number of at least 100, not '50'",
    ] {
        assert!(err.contains(name), "{name}: {err}");
    }
    // A flag wins over the variable, and is checked the same way.
    let mut cmd = Command::new("timeout");
    let out = cmd
        .args(["20", env!("CARGO_BIN_EXE_klantspiegel")])
        .args(["serve", "--bind", "127.0.0.1:0", "--database", &db])
        .args(["--public-url", "ftp://x"])
        .env("KLANTSPIEGEL_PUBLIC_URL", "https://ok.example.nl")
        .env_remove("KLANTSPIEGEL_ADMIN_TOKEN")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--public-url: "));

    // 32 characters start as before, and the token works.
    let port = free_port();
    let (mut server, _) = serve(&db, port, &[], Some(&ADMIN_TOKEN[..32]));
    let r = agent()
        .get(&format!("http://127.0.0.1:{port}/api/v1/users"))
        .set("Authorization", &format!("Bearer {}", &ADMIN_TOKEN[..32]))
        .call()
        .unwrap();
    assert_eq!(r.status(), 200);
    signal(&server, "TERM");
    assert!(server.wait().unwrap().success());
    drop_database(&db, pg);
}
