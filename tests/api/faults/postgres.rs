//! A PostgreSQL cluster of the test's own (initdb in a temp dir, its own port), stopped under
//! a running server and started again.

use diesel::Connection;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use super::*;

const PG_BIN: &str = "/usr/lib/postgresql/15/bin";

/// A throw-away cluster run by the user `postgres` (initdb refuses root).
struct Cluster {
    dir: TempDir,
    port: u16,
}

fn as_postgres(args: &[&str]) {
    let out = Command::new("runuser")
        .args(["-u", "postgres", "--"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Cluster {
    fn init() -> Cluster {
        let dir = TempDir::new("ks-pg");
        let st = Command::new("chown")
            .args(["-R", "postgres:postgres"])
            .arg(&dir.0)
            .status()
            .unwrap();
        assert!(st.success());
        let data = dir.0.join("data");
        as_postgres(&[
            &format!("{PG_BIN}/initdb"),
            "-D",
            data.to_str().unwrap(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        ]);
        let cluster = Cluster {
            dir,
            port: free_port(),
        };
        cluster.start();
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.0.join("data")
    }

    fn start(&self) {
        as_postgres(&[
            &format!("{PG_BIN}/pg_ctl"),
            "-D",
            self.data().to_str().unwrap(),
            "-l",
            self.dir.0.join("pg.log").to_str().unwrap(),
            "-o",
            &format!(
                "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off",
                self.port,
                self.dir.0.display()
            ),
            "-w",
            "start",
        ]);
    }

    fn stop(&self) {
        as_postgres(&[
            &format!("{PG_BIN}/pg_ctl"),
            "-D",
            self.data().to_str().unwrap(),
            "-m",
            "fast",
            "-w",
            "stop",
        ]);
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = Command::new("runuser")
            .args(["-u", "postgres", "--"])
            .arg(format!("{PG_BIN}/pg_ctl"))
            .arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"])
            .output();
    }
}

fn csrf_and_cookie(page: &Resp) -> (String, String) {
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let cookie = page
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix("ks_form=").map(str::to_string))
        .unwrap();
    (csrf, cookie)
}

#[test]
fn postgres_stopped_answers_503_within_two_seconds_keeps_the_answers_and_recovers() {
    let cluster = Cluster::init();
    let logs = TempDir::new("ks-pg-log");
    let server = serve(&cluster.url(), &logs.0);
    let c = &server.client;
    let (_, _, tokens) = c.setup(3);
    assert_eq!(
        c.post_public("/api/v1/responses", answer(&tokens[0], "voor"))
            .status,
        201
    );
    let page = c.get(&format!("/r/{}?lang=en", tokens[1]), &[]);
    assert_eq!(page.status, 200);
    let (csrf, form_cookie) = csrf_and_cookie(&page);

    cluster.stop();

    let (health, took) = timed(|| c.get("/healthz", &[]));
    assert_unavailable(&health);
    assert!(took < Duration::from_secs(2), "/healthz took {took:?}");
    for _ in 0..8 {
        let (r, took) = timed(|| c.post_public("/api/v1/responses", answer(&tokens[2], "tijdens")));
        assert_unavailable(&r);
        assert!(took < Duration::from_secs(2), "a submission took {took:?}");
    }
    let cookie_header = format!("ks_form={form_cookie}");
    let fields = [
        ("csrf", csrf.as_str()),
        ("r.speed.perceived", "6"),
        ("r.expertise.perceived", "9"),
        ("comment", "Fast, but the answer was wrong."),
    ];
    let (r, took) = timed(|| {
        c.post_form(
            &format!("/r/{}?lang=en", tokens[1]),
            &[("Cookie", &cookie_header)],
            &fields,
        )
    });
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(
        took < Duration::from_secs(2),
        "the questionnaire took {took:?}"
    );
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(r.body.contains("<html lang=\"en\">"), "{}", r.body);
    assert!(r.body.contains("Your answers have not been sent yet"));
    for needle in [
        r#"name="r.speed.perceived" value="6""#,
        r#"name="r.expertise.perceived" value="9""#,
        r#"name="comment" value="Fast, but the answer was wrong.""#,
        "<blockquote class=\"kept\">Fast, but the answer was wrong.</blockquote>",
    ] {
        assert!(r.body.contains(needle), "missing {needle}:\n{}", r.body);
    }
    // Opening the questionnaire says so in words, in the respondent's language.
    let (r, took) = timed(|| c.get(&format!("/r/{}", tokens[1]), &[("Accept-Language", "nl")]));
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert!(
        r.body.contains("De vragenlijst is even niet bereikbaar"),
        "{}",
        r.body
    );

    cluster.start();
    let mut healthy = false;
    for _ in 0..50 {
        if c.get("/healthz", &[]).status == 200 {
            healthy = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    assert!(healthy, "/healthz did not recover");
    assert_eq!(
        c.post_public("/api/v1/responses", answer(&tokens[2], "na"))
            .status,
        201
    );
    let r = c.post_form(
        &format!("/r/{}?lang=en", tokens[1]),
        &[("Cookie", &cookie_header)],
        &fields,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mut conn = diesel::PgConnection::establish(&cluster.url()).unwrap();
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct N {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let n: Vec<N> = diesel::sql_query("SELECT COUNT(*) AS n FROM responses")
        .load(&mut conn)
        .unwrap();
    assert_eq!(n[0].n, 3, "exactly the three 201s are stored");

    // The cause is logged once, in the driver's words; no backtraces, no internal errors.
    let log = server.log_text();
    let lines: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("database unavailable"))
        .collect();
    assert!(
        (1..=2).contains(&lines.len()),
        "{} lines about the outage:\n{log}",
        lines.len()
    );
    assert!(
        lines[0].contains("Connection refused") || lines[0].contains("connection to server"),
        "{}",
        lines[0]
    );
    assert!(!log.contains("internal error"), "{log}");
    assert!(!log.contains("backtrace"), "{log}");
    assert!(log.contains("the database takes writes again"), "{log}");
}
