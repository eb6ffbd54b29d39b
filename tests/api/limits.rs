//! Issue 28, items 2–5: fair login limits, one reminder round per cool-down, heavy work
//! bounded apart from submissions and `/healthz`, and a dashboard that stays small and cuts
//! off readers that take it too slowly. Each test reproduces the break through HTTP.

use serde_json::json;

use crate::helpers::*;

/// Creates users through the API (an admin and team leads need a team).
fn add_user(app: &TestApp, email: &str, role: &str, team: i64) {
    let teams = if role == "admin" { vec![] } else { vec![team] };
    let r = app.post(
        "/api/v1/users",
        json!({"email": email, "role": role, "team_ids": teams, "password": PASSWORD}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

const PASSWORD: &str = "Zomer-Avond-Fietsen-42";

/// One sign-in through the login form, optionally as forwarded by a proxy (`X-Forwarded-For`)
/// and in a language: the response (303 on success).
fn login_via(app: &TestApp, email: &str, password: &str, extra: &[(&str, &str)]) -> Resp {
    let page = app.get_public("/login", extra);
    assert_eq!(page.status, 200);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let form = page
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix("ks_login=").map(str::to_string))
        .unwrap();
    let cookie = format!("ks_login={form}");
    let mut headers = vec![("Cookie", cookie.as_str())];
    headers.extend_from_slice(extra);
    app.post_form(
        "/login",
        &headers,
        &[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/dashboard"),
        ],
    )
}

#[test]
fn twenty_two_correct_logins_from_one_address_all_succeed() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "lead@example.nl", "team_lead", team);
    // Before the fix, the 21st sign-in from one address (a whole office behind one NAT or the
    // TLS proxy) was answered 429, the admin's included.
    let statuses: Vec<u16> = (0..22)
        .map(|_| login_via(&app, "lead@example.nl", PASSWORD, &[]).status)
        .collect();
    assert_eq!(statuses, vec![303; 22]);
    add_user(&app, "admin@example.nl", "admin", team);
    assert_eq!(
        login_via(&app, "admin@example.nl", PASSWORD, &[]).status,
        303
    );
}

#[test]
fn wrong_passwords_for_one_account_lock_out_neither_others_nor_the_admin() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "a@example.nl", "team_lead", team);
    add_user(&app, "b@example.nl", "team_lead", team);
    add_user(&app, "admin@example.nl", "admin", team);
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let r = login_via(&app, "a@example.nl", "fout-wachtwoord", &[]);
        if r.status == 429 {
            let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
            assert!((290..=300).contains(&wait), "{wait}");
            // The page says when, in the reader's language.
            assert!(
                r.body.contains("Probeer het over 5 minuten opnieuw, na "),
                "{}",
                r.body
            );
        }
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..20], &[401; 20]);
    assert_eq!(&statuses[20..], &[429; 5]);
    // The right password for A waits too, and says so in English to an English reader.
    let r = login_via(&app, "a@example.nl", PASSWORD, &[("Accept-Language", "en")]);
    assert_eq!(r.status, 429);
    assert!(
        r.body.contains("Please try again in 5 minutes, after "),
        "{}",
        r.body
    );
    // B and the admin, from the same address, sign in.
    assert_eq!(login_via(&app, "b@example.nl", PASSWORD, &[]).status, 303);
    assert_eq!(
        login_via(&app, "admin@example.nl", PASSWORD, &[]).status,
        303
    );
}

#[test]
fn one_address_trying_many_accounts_meets_the_address_limit_and_forged_headers_do_not_help() {
    use klantspiegel::app::accounts::{LOGIN_ADDRESS_LIMIT, LOGIN_LIMIT};
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "admin@example.nl", "admin", team);
    // Spread over accounts, each below its own limit; the header is not believed (no proxy
    // is trusted), so every attempt counts against 127.0.0.1.
    let per_account = LOGIN_LIMIT - 1;
    let mut wrong = 0;
    let mut i = 0;
    while wrong < LOGIN_ADDRESS_LIMIT {
        let forged = format!("198.51.100.{}", i % 200);
        let email = format!("guess{}@example.nl", i / per_account);
        let r = login_via(
            &app,
            &email,
            "fout",
            &[("X-Forwarded-For", forged.as_str())],
        );
        assert_eq!(r.status, 401, "attempt {}", wrong + 1);
        wrong += 1;
        i += 1;
    }
    let r = login_via(&app, "admin@example.nl", PASSWORD, &[]);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
}

#[test]
fn behind_a_trusted_proxy_each_client_is_counted_by_its_forwarded_address() {
    use klantspiegel::app::accounts::LOGIN_ADDRESS_LIMIT;
    use klantspiegel::config::Cidr;
    let app = spawn_app_with(|s| {
        s.trusted_proxies = vec![Cidr::parse("127.0.0.0/8").unwrap()];
    });
    let team = app.create_team("Klantenservice");
    add_user(&app, "admin@example.nl", "admin", team);
    // One attacker (203.0.113.66, behind the proxy) guesses 100 accounts…
    for n in 0..LOGIN_ADDRESS_LIMIT {
        let r = login_via(
            &app,
            &format!("guess{n}@example.nl"),
            "fout",
            // A forged left-most hop is ignored: the proxy appended the real one.
            &[("X-Forwarded-For", "192.0.2.1, 203.0.113.66")],
        );
        assert_eq!(r.status, 401);
    }
    let r = login_via(
        &app,
        "admin@example.nl",
        PASSWORD,
        &[("X-Forwarded-For", "203.0.113.66")],
    );
    assert_eq!(r.status, 429);
    // …while the admin behind the same proxy, from another address, signs in.
    let r = login_via(
        &app,
        "admin@example.nl",
        PASSWORD,
        &[("X-Forwarded-For", "203.0.113.7")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
}

// ---------- 3. reminders: one round per cool-down ----------

/// Mails per recipient address.
fn per_address(mails: &[crate::mail::Mail]) -> std::collections::BTreeMap<String, usize> {
    let mut out = std::collections::BTreeMap::new();
    for m in mails {
        *out.entry(m.rcpt.clone()).or_insert(0) += 1;
    }
    out
}

#[test]
fn parallel_reminder_requests_send_one_round_and_the_others_answer_409_with_the_next_time() {
    use crate::mail::{addresses, csv_of, customer_answer, mail_app, mailings_path, Smtp};
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let to = addresses("herinner", 12);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Klantenservice", "customer").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mailing = format!("{}/{}", mailings_path(&w), r.json()["id"]);
    let invitations = smtp.wait_for(12, 60);
    // Two answer: ten are left to remind.
    for m in &invitations[..2] {
        let r = app.post_public("/api/v1/responses", customer_answer(&m.token()));
        assert_eq!(r.status, 201, "{}", r.body);
    }
    // Eight parallel requests (a double click, two admins, two instances).
    let results: Vec<Resp> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..8)
            .map(|_| scope.spawn(|| app.post(&format!("{mailing}/reminders"), json!({}))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, vec![202, 409, 409, 409, 409, 409, 409, 409]);
    let queued: Vec<&Resp> = results.iter().filter(|r| r.status == 202).collect();
    assert_eq!(queued[0].json(), json!({"reminders_queued": 10}));
    for r in results.iter().filter(|r| r.status == 409) {
        assert_eq!(r.error(409).0, "reminders_too_soon");
        let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
        assert!((86_000..=86_400).contains(&wait), "{wait}");
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains("the next round is allowed from "),
            "{}",
            r.body
        );
    }
    // The mail server counts: one invitation each, one reminder for each who did not answer.
    let all = smtp.wait_for(22, 60);
    std::thread::sleep(std::time::Duration::from_secs(2));
    let all = if smtp.mails().len() > all.len() {
        smtp.mails()
    } else {
        all
    };
    assert_eq!(all.len(), 22);
    let answered: std::collections::BTreeSet<String> =
        invitations[..2].iter().map(|m| m.rcpt.clone()).collect();
    for (address, n) in per_address(&all) {
        let expected = if answered.contains(&address) { 1 } else { 2 };
        assert_eq!(n, expected, "{address}");
    }
    // Later, one more request: still 409, and the counts say when the next round may go.
    let r = app.post(&format!("{mailing}/reminders"), json!({}));
    assert_eq!(r.error(409).0, "reminders_too_soon");
    let counts = app.get(&mailing).json();
    assert!(counts["next_reminder_at"].is_string(), "{counts}");
    assert_eq!(smtp.mails().len(), 22);
}

#[test]
fn the_consoles_reminder_button_sends_once_when_pressed_twice() {
    use crate::mail::{addresses, admin_session, csv_of, mail_app, mailings_path, Smtp};
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let to = addresses("knop", 6);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Klantenservice", "customer").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    smtp.wait_for(6, 60);
    crate::mail::wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["queued"] == 0
    });
    let (cookie, csrf) = admin_session(&app);
    let page = format!("/admin/surveys/{}/waves/{}", w.survey, w.wave);
    let before = app.get_public(&format!("{page}?lang=nl"), &[("Cookie", &cookie)]);
    // The button's form is one-shot in the browser (disabled once submitted)…
    assert!(before.body.contains("remind-form once"), "{}", before.body);
    assert!(before.body.contains("/static/console.js"));
    assert_eq!(app.get_public("/static/console.js", &[]).status, 200);
    // …and two posts at once (the script off, or two tabs) still send one round.
    let results: Vec<Resp> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                scope.spawn(|| {
                    app.post_form(
                        &format!("{page}/mailings/{id}/reminders?lang=nl"),
                        &[("Cookie", &cookie)],
                        &[("csrf", &csrf)],
                    )
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let mut statuses: Vec<u16> = results.iter().map(|r| r.status).collect();
    statuses.sort();
    assert_eq!(statuses, vec![303, 409]);
    let ok = results.iter().find(|r| r.status == 303).unwrap();
    assert!(ok.header("location").unwrap().contains("reminded=6"));
    let refused = results.iter().find(|r| r.status == 409).unwrap();
    assert!(
        refused
            .body
            .contains("De herinneringen van deze verzending gingen al uit op"),
        "{}",
        refused.body
    );
    // The page now says when the next round may go, and the button waits.
    let after = app.get_public(&format!("{page}?lang=en"), &[("Cookie", &cookie)]);
    assert!(
        after.body.contains("the next round is possible from"),
        "{}",
        after.body
    );
    let all = smtp.wait_for(12, 60);
    std::thread::sleep(std::time::Duration::from_secs(2));
    assert_eq!(smtp.mails().len(), 12);
    assert!(per_address(&all).values().all(|n| *n == 2));
}

// ---------- 4. heavy work bounded apart from submissions and /healthz ----------

#[test]
fn a_flood_of_pdf_packs_meets_503_while_healthz_and_submissions_go_on() {
    use std::time::{Duration, Instant};
    let app = spawn_app_with(|s| {
        s.pool_size = 4;
        s.heavy_limit = 2;
        s.respondent_limit = 0;
    });
    load_demo(&app);
    let pdf = "/api/v1/surveys/1/workshop.pdf?wave_id=2&team_id=1";
    let one = Instant::now();
    assert_eq!(app.download(pdf, Auth::Admin).status, 200);
    let single = one.elapsed();
    let n = 40;
    let started = Instant::now();
    let (packs, health, submission) = std::thread::scope(|scope| {
        let packs: Vec<_> = (0..n)
            .map(|_| {
                scope.spawn(|| {
                    let r = app.get(pdf);
                    (
                        r.status,
                        r.header("retry-after").map(str::to_string),
                        r.body,
                    )
                })
            })
            .collect();
        // While the packs are made: the health check and a respondent.
        std::thread::sleep(Duration::from_millis(300));
        let t = Instant::now();
        let health = app.get_public("/healthz", &[]);
        let health_took = t.elapsed();
        let t = Instant::now();
        let submission = app.post_public(
            "/api/v1/responses",
            json!({"token": klantspiegel::demo::CUSTOMER_TOKEN,
                   "ratings": {"keeping_agreements": {"perceived": 7, "expected": 8}}, "nps": 8}),
        );
        let submission_took = t.elapsed();
        let packs: Vec<_> = packs.into_iter().map(|h| h.join().unwrap()).collect();
        (packs, (health, health_took), (submission, submission_took))
    });
    let took = started.elapsed();
    let ok = packs.iter().filter(|p| p.0 == 200).count();
    let busy: Vec<_> = packs.iter().filter(|p| p.0 == 503).collect();
    eprintln!(
        "one pack {single:?}; {n} at once: {ok} × 200, {} × 503 in {took:?}; /healthz {} in {:?}; \
         submission {} in {:?}",
        busy.len(),
        health.0.status,
        health.1,
        submission.0.status,
        submission.1
    );
    assert_eq!(ok + busy.len(), n, "only 200 and 503");
    assert!(ok >= 2, "{ok}");
    assert!(busy.len() >= n - 2 - 8 - 10, "{}", busy.len());
    for (_, retry, body) in &busy {
        assert_eq!(retry.as_deref(), Some("10"));
        assert!(body.contains("\"code\":\"busy\""), "{body}");
    }
    assert_eq!(health.0.status, 200, "{}", health.0.body);
    assert_eq!(health.0.json()["pool"], "ok", "{}", health.0.body);
    assert!(health.1 < Duration::from_secs(2), "{:?}", health.1);
    assert_eq!(submission.0.status, 201, "{}", submission.0.body);
    assert!(submission.1 < Duration::from_secs(2), "{:?}", submission.1);
}

#[test]
fn healthz_tells_an_exhausted_pool_from_a_database_that_is_down() {
    let app = spawn_app_with(|s| s.pool_size = 2);
    // Every pooled connection taken (as heavy work did before the limit).
    let held: Vec<_> = (0..2)
        .map(|_| {
            app.pool
                .get_timeout(std::time::Duration::from_secs(5))
                .unwrap()
        })
        .collect();
    let r = app.get_public("/healthz", &[]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["pool"], "exhausted");
    assert_eq!(r.json()["writes"], "ok");
    // A request that needs a connection says what is wrong: busy, not "does not answer".
    let r = app.get("/api/v1/teams");
    assert_eq!(r.error(503).0, "busy");
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("every database connection is in use"),
        "{}",
        r.body
    );
    assert!(r.header("retry-after").is_some());
    drop(held);
    assert_eq!(app.get_public("/healthz", &[]).json()["pool"], "ok");
}

// ---------- 5. the dashboard stays small; slow readers are cut off ----------

/// 300 teams and 150 waves through the API, an admin's session cookie, and the survey id.
fn big_organisation(app: &TestApp) -> (String, i64, Vec<i64>) {
    let started = std::time::Instant::now();
    let teams: Vec<i64> = (0..300)
        .map(|i| app.create_team(&format!("Team {i:03} — Klantenservice regio Noord")))
        .collect();
    let s = app.create_default_survey()["id"].as_i64().unwrap();
    let waves: Vec<i64> = (0..150)
        .map(|i| {
            let month = i % 12 + 1;
            let year = 2000 + i / 12;
            app.create_wave(
                s,
                &format!("Meting {year}-{month:02}"),
                &format!("{year}-{month:02}-01T00:00:00Z"),
            )
        })
        .collect();
    // Some answers, so the counts are not all zero.
    for (n, w) in waves.iter().rev().take(3).enumerate() {
        let r = app.post(
            &format!("/api/v1/surveys/{s}/invitations"),
            json!({"wave_id": w, "team_id": teams[n], "audience": "customer", "count": 2}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    add_user(app, "beheer@example.nl", "admin", teams[0]);
    let r = login_via(app, "beheer@example.nl", PASSWORD, &[]);
    assert_eq!(r.status, 303);
    let cookie = r
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix("ks_session=").map(str::to_string))
        .unwrap();
    eprintln!("300 teams × 150 waves built in {:?}", started.elapsed());
    (cookie, s, waves)
}

#[test]
fn the_dashboard_at_300_teams_and_150_waves_is_paged_and_under_a_megabyte() {
    use std::time::Instant;
    let app = spawn_app();
    let (cookie, _, waves) = big_organisation(&app);
    let newest = *waves.last().unwrap();
    let oldest = waves[0];
    let get = |path: &str| {
        let t = Instant::now();
        let r = app.get_with_session(path, &cookie);
        (r, t.elapsed())
    };
    // The overview: the newest five waves, ten teams each, a link to every team of a wave.
    let (r, took) = get("/dashboard?lang=nl");
    assert_eq!(r.status, 200);
    eprintln!("/dashboard: {} bytes in {took:?}", r.body.len());
    assert!(r.body.len() < 1_000_000, "{} bytes", r.body.len());
    assert_eq!(r.body.matches("<section class=\"wave\"").count(), 5);
    assert!(r.body.contains("Meting 2012-06"), "the newest wave first");
    assert!(!r.body.contains("Meting 2000-01"));
    assert!(r.body.contains(&format!(
        "<a href=\"/dashboard?wave_id={newest}&amp;lang=nl\">Alle 300 teams van deze meting"
    )));
    let pager = &r.body[r.body.find("<nav class=\"pager").unwrap_or(0)..];
    assert!(
        pager
            .contains("<a rel=\"next\" href=\"/dashboard?page=2&#38;lang=nl\">Oudere metingen</a>"),
        "{}",
        &pager[..300.min(pager.len())]
    );
    // The last page holds the oldest wave.
    let (r, _) = get("/dashboard?page=30&lang=en");
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Meting 2000-01"));
    assert!(r.body.contains(">Newer waves</a>") && !r.body.contains(">Older waves</a>"));
    // One wave with every team, a hundred at a time.
    let mut seen = 0;
    for page in 1..=3 {
        let (r, took) = get(&format!("/dashboard?wave_id={oldest}&page={page}&lang=nl"));
        assert_eq!(r.status, 200);
        eprintln!(
            "/dashboard?wave_id&page={page}: {} bytes in {took:?}",
            r.body.len()
        );
        assert!(r.body.len() < 1_000_000);
        assert!(r.body.contains(&format!(
            "Teams {}–{} van 300.",
            (page - 1) * 100 + 1,
            page * 100
        )));
        assert_eq!(r.body.matches("<section class=\"wave\"").count(), 1);
        seen += r.body.matches("Klantenservice regio Noord</th>").count();
    }
    assert_eq!(seen, 300);
}

/// A GET that reads `step` bytes every `every` through a small receive window; returns the
/// bytes received before the server closed, and how long that took.
fn slow_get(
    app: &TestApp,
    path: &str,
    cookie: &str,
    step: usize,
    every: std::time::Duration,
    give_up: std::time::Duration,
) -> (usize, std::time::Duration, bool) {
    use socket2::{Domain, Socket, Type};
    use std::io::{Read, Write};
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    let to: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.connect(&to.into()).unwrap();
    let mut stream: std::net::TcpStream = socket.into();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: ks_session={cookie}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let started = std::time::Instant::now();
    let mut got = 0;
    let mut buf = vec![0u8; step];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return (got, started.elapsed(), true),
            Ok(n) => got += n,
            // Nothing came within the read timeout: still open, waiting.
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            // Reset by the server.
            Err(_) => return (got, started.elapsed(), true),
        }
        if started.elapsed() > give_up {
            return (got, started.elapsed(), false);
        }
        std::thread::sleep(every);
    }
}

#[test]
fn a_reader_slower_than_the_minimum_rate_is_cut_off_and_a_normal_one_is_not() {
    use std::time::Duration;
    // 2 KiB/s: the dashboard's wave page (about 96 KB) has 10 s + 48 s.
    let app = spawn_app_with(|s| s.write_min_rate = 2048);
    let (cookie, _, waves) = big_organisation(&app);
    let path = format!("/dashboard?wave_id={}&lang=nl", waves[0]);
    let whole = app.get_with_session(&path, &cookie).body.len();
    assert!(whole > 64 * 1024, "{whole}");
    // 256 bytes every 0.5 s: 512 B/s, a quarter of the minimum.
    let (got, took, closed) = slow_get(
        &app,
        &path,
        &cookie,
        256,
        Duration::from_millis(500),
        Duration::from_secs(45),
    );
    eprintln!("slow reader: {got} of {whole} bytes, closed={closed} after {took:?}");
    assert!(closed, "still open after {took:?} with {got} bytes");
    assert!(got < whole, "{got} of {whole}");
    assert!(took >= Duration::from_secs(10), "{took:?}");
    assert!(took < Duration::from_secs(40), "{took:?}");
    // The overview (about 57 KB) too: nothing large waits for a reader that does not read.
    let (got, took, closed) = slow_get(
        &app,
        "/dashboard?lang=nl",
        &cookie,
        256,
        Duration::from_millis(500),
        Duration::from_secs(45),
    );
    eprintln!("slow reader of the overview: {got} bytes, closed={closed} after {took:?}");
    assert!(closed && took < Duration::from_secs(40), "{took:?}");
    // A reader at 16 KiB/s (8 KiB every 0.5 s) gets the whole page.
    let (got, took, closed) = slow_get(
        &app,
        &path,
        &cookie,
        8192,
        Duration::from_millis(500),
        Duration::from_secs(45),
    );
    eprintln!("steady reader: {got} bytes in {took:?}");
    assert!(closed);
    assert!(got > whole, "{got} of {whole} (plus the head)");
}
