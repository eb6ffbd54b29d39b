//! SQLite's one write lock: a real second connection holding `BEGIN IMMEDIATE`, and real large
//! imports. Submissions are answered 201 or 503 with Retry-After within about two seconds,
//! never 500; every 201 is stored and no 503 is.

use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use super::*;

fn form_token(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").unwrap() + 19;
    body[start..].split('"').next().unwrap().to_string()
}

fn cookie(resp: &Resp, name: &str) -> String {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
        .unwrap()
}

#[test]
fn a_lock_holder_gets_submissions_503_within_two_seconds_and_none_of_them_stored() {
    let dir = TempDir::new("ks-lock");
    let app = spawn_app_at(&sqlite_file(&dir.0));
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 7, 1);
    // The questionnaire is read before the lock is taken (reads go on under it anyway).
    let page = app.get_public(&format!("/r/{}", tokens[6]), &[]);
    assert_eq!(page.status, 200);
    let (csrf, form_cookie) = (form_token(&page.body), cookie(&page, "ks_form"));

    let path = app.db_url.strip_prefix("sqlite://").unwrap().to_string();
    let mut holder = diesel::SqliteConnection::establish(&path).unwrap();
    holder.batch_execute("BEGIN IMMEDIATE").unwrap();

    let results: Vec<(Resp, Duration)> = std::thread::scope(|s| {
        let handles: Vec<_> = tokens[..6]
            .iter()
            .map(|t| s.spawn(|| timed(|| app.post_public("/api/v1/responses", answer(t, "x")))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    for (r, took) in &results {
        assert_unavailable(r);
        assert!(
            *took < Duration::from_millis(2500),
            "answered after {took:?}"
        );
    }
    // The database is reachable and will take writes: healthy, and says it is busy.
    let (health, took) = timed(|| app.get_public("/healthz", &[]));
    assert_eq!(health.status, 200, "{}", health.body);
    assert_eq!(health.json()["writes"], "busy");
    assert!(took < Duration::from_secs(2), "{took:?}");

    // The questionnaire keeps what was typed: every field in the page, and a button to resend.
    let fields = [
        ("csrf", csrf.as_str()),
        ("r.speed.perceived", "8"),
        ("r.friendliness.perceived", "dk"),
        ("nps", "9"),
        ("comment", "Snel geholpen, \"dank\" <b>!"),
    ];
    let headers = [("Cookie", format!("ks_form={form_cookie}"))];
    let headers: Vec<(&str, &str)> = headers.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (r, took) = timed(|| app.post_form(&format!("/r/{}", tokens[6]), &headers, &fields));
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(took < Duration::from_millis(2500), "{took:?}");
    assert_eq!(r.header("retry-after"), Some("5"));
    assert!(r.header("content-type").unwrap().starts_with("text/html"));
    assert!(r.body.contains("<html lang=\"nl\">"), "{}", r.body);
    assert!(r.body.contains("Uw antwoorden zijn nog niet verstuurd"));
    for needle in [
        r#"name="r.speed.perceived" value="8""#,
        r#"name="r.friendliness.perceived" value="dk""#,
        r#"name="nps" value="9""#,
        r#"name="comment" value="Snel geholpen, &#34;dank&#34; &#60;b&#62;!""#,
        &format!(r#"name="csrf" value="{csrf}""#),
        &format!(r#"action="/r/{}?lang=nl""#, tokens[6]),
    ] {
        assert!(r.body.contains(needle), "missing {needle} in\n{}", r.body);
    }

    holder.batch_execute("ROLLBACK").unwrap();
    assert_eq!(app.count("responses"), 0);
    // Sent again, the kept page stores the answers.
    let r = app.post_form(&format!("/r/{}", tokens[6]), &headers, &fields);
    assert_eq!(r.status, 201, "{}", r.body);
    // None of the 503s took its token's one use.
    for t in &tokens[..6] {
        assert_eq!(
            app.post_public("/api/v1/responses", answer(t, "again"))
                .status,
            201
        );
    }
    assert_eq!(app.count("responses"), 7);
}

/// `n` customer rows for the team `Klantenservice`.
pub fn big_csv(n: usize) -> Vec<u8> {
    let mut csv = String::from("audience,team,speed,friendliness,nps\n");
    for i in 0..n {
        csv.push_str(&format!(
            "customer,Klantenservice,{},{},{}\n",
            1 + i % 10,
            1 + i % 7,
            i % 11
        ));
    }
    csv.into_bytes()
}

#[test]
fn submissions_during_a_long_import_get_201_or_503_and_every_201_is_stored() {
    let dir = TempDir::new("ks-import");
    let app = spawn_app_at(&sqlite_file(&dir.0));
    let w = world(&app);
    let link = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 100_000)
        .remove(0);
    let rows = 60_000;
    let csv = big_csv(rows);
    let importing = AtomicBool::new(true);
    // Per submission: status, Retry-After, error code, time to the answer.
    type Seen = (u16, Option<String>, String, Duration);
    let seen: Mutex<Vec<Seen>> = Mutex::new(Vec::new());
    let (import, import_took) = std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                while importing.load(Ordering::Relaxed) {
                    let (r, took) =
                        timed(|| app.post_public("/api/v1/responses", answer(&link, "tijdens")));
                    let code = if r.status == 201 {
                        String::new()
                    } else {
                        r.json()["error"]["code"].as_str().unwrap_or("").to_string()
                    };
                    let retry = r.header("retry-after").map(str::to_string);
                    seen.lock().unwrap().push((r.status, retry, code, took));
                }
            });
        }
        let out = timed(|| {
            app.post_raw(
                &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
                "text/csv",
                &csv,
            )
        });
        importing.store(false, Ordering::Relaxed);
        out
    });
    assert_eq!(import.status, 201, "{}", import.body);
    assert_eq!(import.json()["imported"], rows as i64);
    assert_eq!(import.json()["delimiter"], ",");
    let seen = seen.into_inner().unwrap();
    let stored = seen.iter().filter(|s| s.0 == 201).count();
    let refused = seen.iter().filter(|s| s.0 == 503).count();
    eprintln!(
        "import of {rows} rows took {import_took:?}; {stored} submissions 201, {refused} 503, slowest answer {:?}",
        seen.iter().map(|s| s.3).max()
    );
    assert!(!seen.is_empty());
    for (status, retry, code, took) in &seen {
        assert!(*status == 201 || *status == 503, "status {status}");
        if *status == 503 {
            assert_eq!(code, "unavailable");
            assert_eq!(retry.as_deref(), Some("5"));
        }
        assert!(*took < Duration::from_secs(3), "answered after {took:?}");
    }
    assert_eq!(app.count("responses"), (rows + stored) as i64);
    assert_eq!(
        app.count("responses") - rows as i64,
        stored as i64,
        "every 201 stored, no 503"
    );
}

#[test]
fn parallel_imports_each_get_201_or_503_never_500() {
    let dir = TempDir::new("ks-imports");
    let app = spawn_app_at(&sqlite_file(&dir.0));
    let w = world(&app);
    let csv = big_csv(20_000);
    let results: Vec<Resp> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..3)
            .map(|_| {
                s.spawn(|| {
                    app.post_raw(
                        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
                        "text/csv",
                        &csv,
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut imported = 0;
    for r in &results {
        match r.status {
            201 => imported += r.json()["imported"].as_i64().unwrap(),
            503 => assert_unavailable(r),
            other => panic!("import answered {other}: {}", r.body),
        }
    }
    assert!(imported >= 20_000);
    assert_eq!(app.count("responses"), imported);
}
