//! Hostile files and requests: a header bomb, problem lists past the cap, bodies that drip,
//! guessed tokens behind one address, reserved and duplicate keys, off-site `next` links.

use serde_json::json;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use super::*;

fn import_path(c_survey: i64, wave: i64) -> String {
    format!("/api/v1/surveys/{c_survey}/import?wave_id={wave}")
}

#[test]
fn a_header_bomb_gets_a_small_422_and_the_server_stays_small() {
    let logs = TempDir::new("ks-bomb");
    let server = serve(&sqlite_file(&logs.0), &logs.0);
    let c = &server.client;
    let (survey, wave, _) = c.setup(1);
    // 19.8 MB: one header line of `a,a,a,…` (9.9 million columns).
    let mut bomb = "a,".repeat(9_900_000).into_bytes();
    bomb.push(b'\n');
    let (r, took) = timed(|| c.post_raw(&import_path(survey, wave), "text/csv", &bomb));
    assert_eq!(r.error(422).0, "import_rejected");
    assert!(r.body.len() < 2_000, "{} bytes", r.body.len());
    let v = r.json();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1);
    assert_eq!(v["rows"][0]["line"], 1);
    assert!(v["rows"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("the header has 9900001 columns; an import has at most 1000"));
    assert_eq!(v["rows_omitted"], 0);
    let peak = server.peak_rss_mib();
    eprintln!("header bomb: 422 in {took:?}, server peak {peak} MiB");
    assert!(peak < 300, "the server grew to {peak} MiB");
}

#[test]
fn problem_lists_stop_at_a_thousand_and_count_the_rest() {
    let app = spawn_app();
    let w = world(&app);
    // A header of 999 columns all named `a`: 999 unknown, 998 repeated, 2 required missing.
    let header = vec!["a"; 999].join(",") + "\ncustomer\n";
    let r = app.post_raw(
        &import_path(w.survey, w.wave),
        "text/csv",
        header.as_bytes(),
    );
    assert_eq!(r.error(422).0, "import_rejected");
    let v = r.json();
    assert_eq!(v["rows"].as_array().unwrap().len(), 1000);
    assert_eq!(v["rows_omitted"], 999);
    assert_eq!(
        v["error"]["message"],
        "nothing was stored: 1999 problem(s) in the file"
    );
    // Data rows: 3000 bad audiences, listed up to the cap in file order.
    let mut csv = String::from("audience,team,speed\n");
    for _ in 0..3000 {
        csv.push_str("klant,Klantenservice,7\n");
    }
    let r = app.post_raw(&import_path(w.survey, w.wave), "text/csv", csv.as_bytes());
    let v = r.json();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 1000);
    assert_eq!(rows[0]["line"], 2);
    assert_eq!(rows[999]["line"], 1001);
    assert_eq!(rows[0]["column"], "audience");
    assert_eq!(v["rows_omitted"], 2000);
    // A long cell is quoted short.
    let long = "x".repeat(100_000);
    let csv = format!("audience,team,speed\n{long},Klantenservice,7\n");
    let r = app.post_raw(&import_path(w.survey, w.wave), "text/csv", csv.as_bytes());
    assert_eq!(r.error(422).0, "import_rejected");
    assert!(r.body.len() < 1_000, "{}", r.body.len());
    assert_eq!(r.json()["rows_omitted"], 0);
    assert_eq!(app.count("responses"), 0);
}

/// Sends `head` and then one byte of the body every two seconds; returns what the server
/// answered and when it closed the connection.
fn drip(port: u16, head: &str) -> (String, Duration) {
    let mut s = TcpStream::connect(("127.0.0.1", port)).unwrap();
    s.set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    s.write_all(head.as_bytes()).unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let mut last_byte = Instant::now() - Duration::from_secs(2);
    while started.elapsed() < Duration::from_secs(45) {
        if last_byte.elapsed() >= Duration::from_secs(2) {
            let _ = s.write_all(b"1");
            last_byte = Instant::now();
        }
        let mut buf = [0u8; 4096];
        match s.read(&mut buf) {
            Ok(0) => {
                return (
                    String::from_utf8_lossy(&answer).to_string(),
                    started.elapsed(),
                )
            }
            Ok(n) => answer.extend_from_slice(&buf[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            Err(e) if e.kind() == std::io::ErrorKind::TimedOut => {}
            Err(_) => {
                return (
                    String::from_utf8_lossy(&answer).to_string(),
                    started.elapsed(),
                )
            }
        }
    }
    panic!(
        "the connection was still open after {:?}: {}",
        started.elapsed(),
        String::from_utf8_lossy(&answer)
    );
}

#[test]
fn bodies_that_drip_are_cut_off_within_thirty_seconds() {
    let app = spawn_app();
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    let heads = [
        "POST /api/v1/responses HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n".to_string(),
        "POST /login HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\n".to_string(),
        format!("POST /api/v1/surveys/1/import?wave_id=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {ADMIN_TOKEN}\r\nContent-Type: text/csv\r\nTransfer-Encoding: chunked\r\n\r\n100000\r\n"),
    ];
    let results: Vec<(String, Duration)> = std::thread::scope(|s| {
        let hs: Vec<_> = heads
            .iter()
            .map(|h| s.spawn(move || drip(port, h)))
            .collect();
        hs.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (answer, took) in results {
        assert!(took < Duration::from_secs(30), "closed after {took:?}");
        assert!(took >= Duration::from_secs(14), "cut off early: {took:?}");
        assert!(
            answer.starts_with("HTTP/1.1 408"),
            "after {took:?}: {answer}"
        );
        assert!(answer.contains("\"code\":\"request_timeout\""), "{answer}");
        assert!(
            answer.to_ascii_lowercase().contains("connection: close"),
            "{answer}"
        );
    }
}

#[test]
fn unknown_tokens_from_one_address_never_lock_out_valid_tokens() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "employee", 2, 1);
    let mut statuses = Vec::new();
    for i in 0..25 {
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": format!("typo-{i}"), "ratings": {"speed": {"self": 7}}}),
        );
        statuses.push(r.status);
    }
    assert_eq!(statuses[..20], [404; 20]);
    assert_eq!(statuses[20..], [429; 5]);
    // A colleague behind the same NAT address opens and answers their questionnaire.
    assert_eq!(
        app.get_public(&format!("/r/{}", tokens[0]), &[]).status,
        200
    );
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": tokens[0], "ratings": {"speed": {"self": 8}}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        app.get_public(&format!("/r/{}", tokens[1]), &[]).status,
        200
    );
    // Guessing still meets 429, on the page too.
    let r = app.get_public("/r/another-guess", &[]);
    assert_eq!(r.status, 429);
    assert!(r.header("retry-after").is_some());
    assert_eq!(app.count("responses"), 1);
}

#[test]
fn reserved_dimension_keys_are_refused_at_creation_naming_the_field() {
    let app = spawn_app();
    let dim = |key: &str| json!({"key": key, "label_nl": "Iets"});
    for key in [
        "nps",
        "comment",
        "team",
        "audience",
        "respondent",
        "submitted_at",
        "speed.expected",
        "a.b",
    ] {
        let r = app.post(
            "/api/v1/surveys",
            json!({"title": "T", "dimensions": [dim(key)]}),
        );
        assert_eq!(
            r.error(422),
            (
                "validation_failed".to_string(),
                Some("dimensions[0].key".to_string())
            ),
            "{key}: {}",
            r.body
        );
        let r = app.post(
            "/api/v1/surveys",
            json!({"title": "T", "dimensions": [dim("speed"), dim(key)]}),
        );
        assert_eq!(
            r.error(422).1.as_deref(),
            Some("dimensions[1].key"),
            "{key}"
        );
    }
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": "T", "dimensions": [dim("speed"), dim("nps_follow_up")]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

#[test]
fn duplicate_keys_in_ratings_are_refused_naming_the_field() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);
    let t = &tokens[0];
    for (body, field) in [
        (
            format!(
                r#"{{"token":"{t}","ratings":{{"speed":{{"perceived":7}},"speed":{{"perceived":3}}}}}}"#
            ),
            "ratings.speed",
        ),
        (
            format!(
                r#"{{"token":"{t}","ratings":{{"speed":{{"perceived":7,"expected":5,"perceived":3}}}}}}"#
            ),
            "ratings.speed.perceived",
        ),
        (
            format!(
                r#"{{"token":"{t}","ratings":{{"speed":{{"perceived":7}}}},"ratings":{{"speed":{{"perceived":3}}}}}}"#
            ),
            "ratings",
        ),
    ] {
        let r = app.post_raw("/api/v1/responses", "application/json", body.as_bytes());
        assert_eq!(
            r.error(422),
            ("validation_failed".to_string(), Some(field.to_string())),
            "{body}"
        );
    }
    assert_eq!(app.count("responses"), 0);
    // The form: a field given twice is refused too, on the questionnaire page.
    let page = app.get_public(&format!("/r/{}", tokens[1]), &[]);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let cookie = page
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| {
            v.split(';')
                .next()?
                .strip_prefix("ks_form=")
                .map(str::to_string)
        })
        .unwrap();
    let r = app.post_form(
        &format!("/r/{}", tokens[1]),
        &[("Cookie", &format!("ks_form={cookie}"))],
        &[
            ("csrf", &csrf),
            ("r.speed.perceived", "7"),
            ("r.speed.perceived", "3"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("Dit veld is twee keer meegestuurd; stuur het één keer."),
        "{}",
        r.body
    );
    assert_eq!(app.count("responses"), 0);
    // Given once, both are stored.
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": t, "ratings": {"speed": {"perceived": 7}}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.count("responses"), 1);
}

#[test]
fn login_follows_only_a_path_of_this_site() {
    let app = spawn_app();
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "admin@example.nl",
            "--role",
            "admin",
        ],
        Some("een-goed-wachtwoord\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let login = |next: &str| -> Resp {
        let page = app.get_public("/login", &[]);
        let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
        let csrf = page.body[start..].split('"').next().unwrap().to_string();
        let cookie = page
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .find_map(|(_, v)| {
                v.split(';')
                    .next()?
                    .strip_prefix("ks_login=")
                    .map(str::to_string)
            })
            .unwrap();
        app.post_form(
            "/login",
            &[("Cookie", &format!("ks_login={cookie}"))],
            &[
                ("email", "admin@example.nl"),
                ("password", "een-goed-wachtwoord"),
                ("csrf", &csrf),
                ("next", next),
            ],
        )
    };
    for next in [
        "/\t/evil.example/x",
        "/\t\t//evil.example",
        "//evil.example/x",
        "/\\evil.example",
        "/x\\y",
        "/\nx",
        "/\r\nLocation: https://evil.example",
        "/\u{7f}x",
        "/ x",
        "/é",
        "https://evil.example/",
        "javascript:alert(1)",
        "evil.example",
        "",
    ] {
        let r = login(next);
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.header("location"), Some("/dashboard"), "{next:?}");
    }
    for next in [
        "/surveys/3?wave_id=4&team_id=5",
        "/dashboard",
        "/%09/host/x",
    ] {
        let r = login(next);
        assert_eq!(r.status, 303);
        assert_eq!(r.header("location"), Some(next), "{next:?}");
    }
    // The login page itself never carries an off-site `next` into its form.
    let page = app.get_public("/login?next=/%09/evil.example/x", &[]);
    assert!(
        page.body.contains(r#"name="next" value="/dashboard""#),
        "{}",
        page.body
    );
    let page = app.get_public("/login?next=/%0Ax", &[]);
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"name="next" value="/dashboard""#));
}
