//! Issue 26, the live workshop, over HTTP and server-sent events: the facilitator and every
//! phone are separate clients. Counts only while a question is open; the reveal carries the
//! comparison report's own figures (to the facilitator only); a withheld figure is never
//! revealed; fewer than three guesses show their count only; the session expires; codes cannot
//! be guessed; after the end the database holds counts only; two instances on one database
//! both tell their listeners within a second. On PostgreSQL with KLANTSPIEGEL_TEST_PG set.

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::helpers::*;

/// One server-sent event as a client saw it.
#[derive(Debug, Clone)]
pub struct Event {
    pub name: String,
    pub data: Value,
    pub at: Instant,
}

/// A listener on a session's event stream (a thread reading the stream).
pub struct Listener {
    pub status: u16,
    rx: mpsc::Receiver<Event>,
    /// Every event received so far, in order.
    pub seen: Vec<Event>,
}

impl Listener {
    /// Opens `GET /api/v1/live/{code}/events` with extra headers.
    pub fn open(app: &TestApp, code: &str, headers: &[(&str, &str)]) -> Listener {
        let addr = app.address.trim_start_matches("http://").to_string();
        let mut stream = TcpStream::connect(&addr).unwrap();
        let mut head = format!(
            "GET /api/v1/live/{code}/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n"
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        let mut reader = BufReader::new(stream);
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let status: u16 = line.split_whitespace().nth(1).unwrap().parse().unwrap();
        loop {
            let mut h = String::new();
            reader.read_line(&mut h).unwrap();
            if h.trim().is_empty() {
                break;
            }
        }
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut name = String::new();
            let mut data = String::new();
            loop {
                let mut l = String::new();
                match reader.read_line(&mut l) {
                    Ok(0) | Err(_) => return,
                    Ok(_) => {}
                }
                let l = l.trim_end_matches(['\r', '\n']);
                if let Some(n) = l.strip_prefix("event: ") {
                    name = n.to_string();
                } else if let Some(d) = l.strip_prefix("data: ") {
                    data = d.to_string();
                } else if l.is_empty() && !name.is_empty() {
                    let ev = Event {
                        name: std::mem::take(&mut name),
                        data: serde_json::from_str(&std::mem::take(&mut data)).unwrap(),
                        at: Instant::now(),
                    };
                    if tx.send(ev).is_err() {
                        return;
                    }
                }
            }
        });
        Listener {
            status,
            rx,
            seen: Vec::new(),
        }
    }

    /// The next event named `name` whose data satisfies `pred`, within `wait`.
    pub fn wait_for(
        &mut self,
        name: &str,
        wait: Duration,
        pred: impl Fn(&Value) -> bool,
    ) -> Option<Event> {
        let deadline = Instant::now() + wait;
        if let Some(e) = self.seen.iter().find(|e| e.name == name && pred(&e.data)) {
            return Some(e.clone());
        }
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            match self.rx.recv_timeout(left) {
                Ok(e) => {
                    self.seen.push(e.clone());
                    if e.name == name && pred(&e.data) {
                        return Some(e);
                    }
                }
                Err(_) => return None,
            }
        }
    }

    /// Everything received within `wait` from now.
    pub fn drain(&mut self, wait: Duration) {
        let deadline = Instant::now() + wait;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.rx.recv_timeout(left) {
                Ok(e) => self.seen.push(e),
                Err(_) => return,
            }
        }
    }
}

/// A phone: its own cookie jar (the per-device cookie the join page sets).
pub struct Phone {
    pub cookie: String,
}

impl Phone {
    /// Opens the join page, as a phone does; keeps the device cookie.
    pub fn join(app: &TestApp, code: &str) -> Phone {
        let r = app.get_public(&format!("/w/{code}"), &[]);
        assert_eq!(r.status, 200, "{}", r.body);
        let cookie = r
            .headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next())
            .find_map(|kv| kv.strip_prefix("ks_device=").map(str::to_string))
            .expect("the join page sets the device cookie");
        Phone { cookie }
    }

    pub fn header(&self) -> String {
        format!("ks_device={}", self.cookie)
    }

    pub fn guess(&self, app: &TestApp, code: &str, key: &str, value: i64) -> Resp {
        let body = json!({"dimension_key": key, "value": value}).to_string();
        app.post_raw_public(
            &format!("/api/v1/live/{code}/guesses"),
            &[
                ("Cookie", &self.header()),
                ("Content-Type", "application/json"),
            ],
            body.as_bytes(),
        )
    }

    pub fn get(&self, app: &TestApp, path: &str) -> Resp {
        app.get_public(path, &[("Cookie", &self.header())])
    }
}

/// A survey on the 1–10 scale with threshold 3, one team's closed wave: three employees predict
/// 8 on every dimension; four customers score dimension 0 as 6, 7, 7, 8 (and every other
/// dimension but 1 as 5); only two customers score dimension 1, so its customer figure is
/// withheld (below the threshold).
pub struct Study {
    pub survey: i64,
    pub wave: i64,
    pub team: i64,
    pub other_team: i64,
    pub keys: Vec<String>,
}

pub fn study(app: &TestApp) -> Study {
    let team = app.create_team("Klantenservice");
    let other_team = app.create_team("Buitendienst");
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": "Live 2026", "template": "mirror-default", "min_group_size": 3}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let survey = r.json();
    let id = survey["id"].as_i64().unwrap();
    assert_eq!(
        (survey["scale_min"].as_i64(), survey["scale_max"].as_i64()),
        (Some(1), Some(10))
    );
    let keys: Vec<String> = survey["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap().to_string())
        .collect();
    let wave = app.create_wave(id, "Najaar 2026", "2026-01-01T00:00:00Z");
    for token in app.invite(id, wave, team, "employee", 3, 1) {
        let ratings: serde_json::Map<String, Value> = keys
            .iter()
            .map(|k| (k.clone(), json!({"self": 7, "predicted": 8})))
            .collect();
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": token, "ratings": ratings}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    for (i, token) in app
        .invite(id, wave, team, "customer", 4, 1)
        .into_iter()
        .enumerate()
    {
        let mut ratings = serde_json::Map::new();
        for (j, k) in keys.iter().enumerate() {
            let v = match j {
                0 => [6, 7, 7, 8][i],
                1 if i >= 2 => continue,
                _ => 5,
            };
            ratings.insert(k.clone(), json!({"perceived": v}));
        }
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": token, "ratings": ratings}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    Study {
        survey: id,
        wave,
        team,
        other_team,
        keys,
    }
}

/// Closes the study's wave now (its results are published).
pub fn close_wave(app: &TestApp, s: &Study) {
    let past = (chrono::Utc::now() - chrono::Duration::seconds(1)).to_rfc3339();
    let r = app.patch(
        &format!("/api/v1/surveys/{}/waves/{}", s.survey, s.wave),
        json!({ "closes_at": past }),
    );
    assert_eq!(r.status, 200, "{}", r.body);
}

/// Starts a session as the admin token on the study's team; returns the code.
pub fn start(app: &TestApp, s: &Study) -> String {
    let r = app.post(
        &format!("/api/v1/surveys/{}/live", s.survey),
        json!({"wave_id": s.wave, "team_id": s.team}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["code"].as_str().unwrap().to_string()
}

const WAIT: Duration = Duration::from_secs(3);

fn bearer() -> String {
    format!("Bearer {ADMIN_TOKEN}")
}

#[test]
fn live_counts_only_while_open_then_reveals_the_reports_figures_to_the_facilitator_only() {
    let app = spawn_app_with(|s| s.public_url = Some("https://enquete.example.nl".into()));
    let s = study(&app);
    close_wave(&app, &s);
    let r = app.post(
        &format!("/api/v1/surveys/{}/live", s.survey),
        json!({"wave_id": s.wave, "team_id": s.team}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let started = r.json();
    let code = started["code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 6);
    assert!(code
        .bytes()
        .all(|b| b"ABCDEFGHJKMNPQRSTUVWXYZ23456789".contains(&b)));
    assert_eq!(
        started["join_url"],
        format!("https://enquete.example.nl/w/{code}")
    );
    let expires: chrono::DateTime<chrono::Utc> =
        started["expires_at"].as_str().unwrap().parse().unwrap();
    let hours = (expires - chrono::Utc::now()).num_seconds() as f64 / 3600.0;
    assert!((3.98..=4.0).contains(&hours), "{hours}");
    // The code is stored as its hash only.
    assert_eq!(app.count("live_sessions"), 1);

    let mut wall = Listener::open(&app, &code, &[("Authorization", &bearer())]);
    assert_eq!(wall.status, 200);
    let phones: Vec<Phone> = (0..4).map(|_| Phone::join(&app, &code)).collect();
    let mut phone_stream = Listener::open(&app, &code, &[("Cookie", &phones[0].header())]);
    assert_eq!(phone_stream.status, 200);

    // Nothing is open: a guess is refused (409), naming nothing of the study.
    let r = phones[0].guess(&app, &code, &s.keys[0], 7);
    assert_eq!(r.error(409).0, "question_not_open");

    let r = app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["scale"], json!({"min": 1, "max": 10}));
    let open = phone_stream
        .wait_for("open", WAIT, |d| d["dimension_key"] == s.keys[0].as_str())
        .expect("the phone is asked");
    assert_eq!(open.data["scale"], json!({"min": 1, "max": 10}));
    assert_eq!(open.data["label"], "Klantgerichtheid");

    for (p, v) in phones.iter().zip([6, 7, 7, 9]) {
        let r = p.guess(&app, &code, &s.keys[0], v);
        assert_eq!(r.status, 201, "{}", r.body);
        assert_eq!(r.json()["value"], v);
    }
    // A second guess replaces the first: still four guesses.
    assert_eq!(phones[0].guess(&app, &code, &s.keys[0], 8).status, 201);
    // Outside the scale: 422 naming the value; another dimension than the open one: 409.
    let (c, field) = phones[1].guess(&app, &code, &s.keys[0], 11).error(422);
    assert_eq!(
        (c.as_str(), field.as_deref()),
        ("validation_failed", Some("value"))
    );
    assert_eq!(
        phones[1].guess(&app, &code, &s.keys[2], 5).error(409).0,
        "question_not_open"
    );

    let four = wall
        .wait_for("count", WAIT, |d| {
            d["dimension_key"] == s.keys[0].as_str() && d["guesses"] == 4
        })
        .expect("the wall counts four guesses");
    assert_eq!(four.data, json!({"dimension_key": s.keys[0], "guesses": 4}));
    wall.drain(Duration::from_millis(400));
    // Counts only: before the reveal no event holds a guess's value or a survey figure.
    for e in &wall.seen {
        assert!(["open", "count"].contains(&e.name.as_str()), "{e:?}");
    }
    let state = app.get(&format!("/api/v1/live/{code}")).json();
    assert_eq!(state["state"], "running");
    assert_eq!(state["open"]["dimension_key"], s.keys[0].as_str());
    assert_eq!(state["counts"], json!({ s.keys[0].clone(): 4 }));
    assert_eq!(state["reveals"], json!([]));
    assert_eq!(state["participants"], 4);
    assert_eq!(state["facilitator"], true);

    // The reveal: the guesses (8, 7, 7, 9) beside the report's own figures.
    let report = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}&team_id={}",
            s.survey, s.wave, s.team
        ))
        .json();
    let row = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == s.keys[0].as_str())
        .unwrap()
        .clone();
    let r = app.post(
        &format!("/api/v1/live/{code}/reveal"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let reveal = r.json();
    assert_eq!(reveal["dimension_key"], s.keys[0].as_str());
    assert_eq!(reveal["guesses"], 4);
    assert_eq!(
        reveal["distribution"],
        json!([0, 0, 0, 0, 0, 0, 2, 1, 1, 0])
    );
    assert_eq!(reveal["guess_mean"], 7.75);
    assert_eq!(reveal["predicted"], json!({"mean": 8.0, "n": 3}));
    assert_eq!(reveal["predicted"]["mean"], row["predicted"]["mean"]);
    assert_eq!(reveal["customer"]["mean"], row["customer"]["mean"]);
    assert_eq!(reveal["customer"]["mean"], 7.0);
    assert_eq!(reveal["customer"]["n"], 4);
    // 7 ± t(0.975, 3) · sd/√4 with sd = √(2/3).
    let half = 3.182_446_305_284_263 * (2.0f64 / 3.0).sqrt() / 2.0;
    let ci = reveal["customer"]["ci95"].as_array().unwrap();
    assert!(
        (ci[0].as_f64().unwrap() - (7.0 - half)).abs() < 1e-9,
        "{ci:?}"
    );
    assert!(
        (ci[1].as_f64().unwrap() - (7.0 + half)).abs() < 1e-9,
        "{ci:?}"
    );
    assert_eq!(reveal["withheld_reason"], Value::Null);

    // The wall's stream carries the facilitator's reveal; a phone's only the guesses' part.
    let on_wall = wall
        .wait_for("reveal", WAIT, |_| true)
        .expect("wall reveal");
    assert_eq!(on_wall.data, reveal);
    let on_phone = phone_stream
        .wait_for("reveal", WAIT, |_| true)
        .expect("phone reveal");
    assert_eq!(on_phone.data["guesses"], 4);
    assert_eq!(on_phone.data["guess_mean"], 7.75);
    assert_eq!(on_phone.data["distribution"], reveal["distribution"]);
    assert_eq!(on_phone.data["predicted"], Value::Null);
    assert_eq!(on_phone.data["customer"], Value::Null);
    // A phone's view of the state has no survey figures either, and no closing view.
    let phone_state = phones[2].get(&app, &format!("/api/v1/live/{code}")).json();
    assert_eq!(phone_state["reveals"][0]["customer"], Value::Null);
    assert_eq!(phone_state["facilitator"], false);
    assert_eq!(phone_state["closing"], Value::Null);

    // A revealed dimension takes no more guesses and does not open again.
    assert_eq!(
        phones[3].guess(&app, &code, &s.keys[0], 3).error(409).0,
        "question_not_open"
    );
    let r = app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.error(409).0, "already_revealed");
    // Revealing again gives the same reveal.
    let again = app.post(
        &format!("/api/v1/live/{code}/reveal"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(again.json(), reveal);
}

#[test]
fn a_withheld_figure_is_never_revealed_and_two_guesses_show_their_count_only() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let mut wall = Listener::open(&app, &code, &[("Authorization", &bearer())]);
    let r = app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[1]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let phones: Vec<Phone> = (0..2).map(|_| Phone::join(&app, &code)).collect();
    for (p, v) in phones.iter().zip([4, 9]) {
        assert_eq!(p.guess(&app, &code, &s.keys[1], v).status, 201);
    }
    let r = app.post(
        &format!("/api/v1/live/{code}/reveal"),
        json!({"dimension_key": s.keys[1]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let reveal = r.json();
    assert_eq!(
        reveal,
        json!({
            "dimension_key": s.keys[1],
            "guesses": 2,
            "distribution": null,
            "guess_mean": null,
            "predicted": {"mean": 8.0, "n": 3},
            "customer": null,
            "withheld_reason": "below_threshold",
        })
    );
    let report = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}&team_id={}",
            s.survey, s.wave, s.team
        ))
        .json();
    let row = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == s.keys[1].as_str())
        .unwrap()
        .clone();
    assert_eq!(row["customer"]["mean"], Value::Null);
    assert_eq!(row["customer"]["withheld_reason"], "below_threshold");
    let on_wall = wall.wait_for("reveal", WAIT, |_| true).expect("reveal");
    assert_eq!(on_wall.data, reveal);
    // Neither customer's score (5 from both) appears anywhere on the stream.
    wall.drain(Duration::from_millis(300));
    for e in &wall.seen {
        assert!(!e.data.to_string().contains("\"customer\":{"), "{e:?}");
    }
}

#[test]
fn after_the_end_the_database_holds_only_the_counts_per_dimension() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let phones: Vec<Phone> = (0..4).map(|_| Phone::join(&app, &code)).collect();
    let mut phone_stream = Listener::open(&app, &code, &[("Cookie", &phones[1].header())]);
    for (key, values) in [(&s.keys[0], vec![8, 7, 7, 9]), (&s.keys[1], vec![3, 4])] {
        let r = app.post(
            &format!("/api/v1/live/{code}/open"),
            json!({ "dimension_key": key }),
        );
        assert_eq!(r.status, 200);
        for (p, v) in phones.iter().zip(values) {
            assert_eq!(p.guess(&app, &code, key, v).status, 201);
        }
        let r = app.post(
            &format!("/api/v1/live/{code}/reveal"),
            json!({ "dimension_key": key }),
        );
        assert_eq!(r.status, 200);
    }
    // A third dimension opened, guessed once, never revealed.
    app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[2]}),
    );
    assert_eq!(phones[0].guess(&app, &code, &s.keys[2], 6).status, 201);
    assert_eq!(app.count("live_guesses"), 7);
    assert_eq!(app.count("live_participants"), 4);

    let r = app.post(&format!("/api/v1/live/{code}/end"), json!({}));
    assert_eq!(r.status, 200, "{}", r.body);
    let closing = &r.json()["closing"];
    // Over the dimensions with at least three guesses and a shown customer score: only 0.
    assert_eq!(closing["dimensions_used"], 1);
    assert_eq!(closing["live_mae"], 0.75);
    assert_eq!(closing["survey_mae"], 1.0);
    assert_eq!(
        closing["dimensions"][0]["dimension_key"],
        s.keys[0].as_str()
    );
    // The knowledge figures of the report, where it gives them: here customers score 5 on
    // six dimensions, so the report has them.
    let report = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}&team_id={}",
            s.survey, s.wave, s.team
        ))
        .json();
    assert_eq!(closing["knowledge"], report["knowledge"]);

    let end = phone_stream.wait_for("end", WAIT, |_| true).expect("end");
    assert_eq!(end.data["guesses"][&s.keys[0]], 4);

    // Only the counts stay.
    assert_eq!(app.count("live_guesses"), 0);
    assert_eq!(app.count("live_participants"), 0);
    assert_eq!(app.count("live_reveals"), 0);
    assert_eq!(app.count("live_counts"), 3);
    let state = app.get(&format!("/api/v1/live/{code}")).json();
    assert_eq!(state["state"], "ended");
    assert_eq!(
        state["counts"],
        json!({s.keys[0].clone(): 4, s.keys[1].clone(): 2, s.keys[2].clone(): 1})
    );
    assert_eq!(state["reveals"], json!([]));
    assert_eq!(state["open"], Value::Null);
    // Nothing more happens in an ended session.
    assert_eq!(
        phones[0].guess(&app, &code, &s.keys[2], 6).error(410).0,
        "live_ended"
    );
    let r = app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[3]}),
    );
    assert_eq!(r.error(410).0, "live_ended");
    assert_eq!(
        app.post(&format!("/api/v1/live/{code}/end"), json!({}))
            .error(410)
            .0,
        "live_ended"
    );
    // The audit log has the session's start and its one end, by the admin token, with the
    // session's number and never its code.
    for action in ["live.start", "live.end"] {
        let log = app.get(&format!("/api/v1/audit?action={action}")).json();
        let entries = log["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 1, "{action}: {log}");
        assert_eq!(entries[0]["actor"], "admin-token");
        assert_eq!(entries[0]["outcome"], "ok");
        assert_eq!(entries[0]["object"]["type"], "live_session");
        assert!(!log.to_string().contains(&code), "{log}");
    }
}

#[test]
fn sessions_expire_after_four_hours_and_keep_only_their_counts() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let second = start(&app, &s);
    for c in [&code, &second] {
        app.post(
            &format!("/api/v1/live/{c}/open"),
            json!({"dimension_key": s.keys[0]}),
        );
        let p = Phone::join(&app, c);
        assert_eq!(p.guess(&app, c, &s.keys[0], 7).status, 201);
    }
    assert_eq!(app.count("live_guesses"), 2);
    {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "UPDATE live_sessions SET expires_at = created_at, created_at = created_at",
        )
        .execute(&mut *app.conn())
        .unwrap();
    }
    // A request finds the first past its end and ends it.
    let p = Phone::join(&app, &code);
    assert_eq!(
        p.guess(&app, &code, &s.keys[0], 7).error(410).0,
        "live_ended"
    );
    let state = app.get(&format!("/api/v1/live/{code}")).json();
    assert_eq!(state["state"], "ended");
    assert_eq!(state["counts"], json!({ s.keys[0].clone(): 1 }));
    assert_eq!(app.count("live_guesses"), 1);
    // The sweep (every 20 s in each instance) ends the second without any request.
    let swept = klantspiegel::app::live::sweep(&mut app.conn()).unwrap();
    assert_eq!(swept, 1);
    assert_eq!(app.count("live_guesses"), 0);
    assert_eq!(app.count("live_participants"), 0);
    assert_eq!(app.count("live_counts"), 2);
}

#[test]
fn live_sessions_need_a_closed_wave_and_the_facilitators_rights() {
    let app = spawn_app();
    let s = study(&app);
    // Open wave: 409.
    let r = app.post(
        &format!("/api/v1/surveys/{}/live", s.survey),
        json!({"wave_id": s.wave, "team_id": s.team}),
    );
    assert_eq!(r.error(409).0, "wave_not_closed");
    close_wave(&app, &s);
    let r = app.post(
        &format!("/api/v1/surveys/{}/live", s.survey),
        json!({"wave_id": 999, "team_id": s.team}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("wave_id"));
    assert_eq!(
        app.post_as(
            &format!("/api/v1/surveys/{}/live", s.survey),
            None,
            json!({"wave_id": s.wave, "team_id": s.team}),
        )
        .error(401)
        .0,
        "unauthorized"
    );
    // A team lead of the team starts one for their team, not for another team or the
    // organisation.
    let r = app.post(
        "/api/v1/users",
        json!({"email": "lead@example.nl", "role": "team_lead", "team_ids": [s.team], "password": "lang-genoeg-wachtwoord-9"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let (lead, csrf) =
        crate::team_leads::session(&app, "lead@example.nl", "lang-genoeg-wachtwoord-9");
    let as_lead = |path: &str, body: Value| {
        crate::team_leads::as_user(&app, "POST", path, &lead, Some(&csrf), Some(body))
    };
    let start_path = format!("/api/v1/surveys/{}/live", s.survey);
    let r = as_lead(
        &start_path,
        json!({"wave_id": s.wave, "team_id": s.other_team}),
    );
    assert_eq!(r.error(403).0, "forbidden");
    let r = as_lead(&start_path, json!({"wave_id": s.wave}));
    assert_eq!(r.error(403).0, "forbidden");
    let r = as_lead(&start_path, json!({"wave_id": s.wave, "team_id": s.team}));
    assert_eq!(r.status, 201, "{}", r.body);
    let code = r.json()["code"].as_str().unwrap().to_string();
    // Only the facilitator runs it: the admin token is someone else here.
    let r = app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.error(403).0, "forbidden");
    let r = as_lead(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": "no_such_key"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("dimension_key"));
    let r = as_lead(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The lead's own stream gets the full reveal; the admin token's stream is not the
    // facilitator's.
    let mut lead_wall = Listener::open(&app, &code, &[("Cookie", &format!("ks_session={lead}"))]);
    let mut other = Listener::open(&app, &code, &[("Authorization", &bearer())]);
    let phones: Vec<Phone> = (0..3).map(|_| Phone::join(&app, &code)).collect();
    for p in &phones {
        assert_eq!(p.guess(&app, &code, &s.keys[0], 7).status, 201);
    }
    let r = as_lead(
        &format!("/api/v1/live/{code}/reveal"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let full = lead_wall.wait_for("reveal", WAIT, |_| true).unwrap();
    assert_eq!(full.data["customer"]["mean"], 7.0);
    let redacted = other.wait_for("reveal", WAIT, |_| true).unwrap();
    assert_eq!(redacted.data["customer"], Value::Null);
    assert_eq!(redacted.data["guess_mean"], 7.0);
}

#[test]
fn guessing_codes_is_limited_per_device_and_in_total() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let wrong = if code == "ABCDEF" { "ABCDEG" } else { "ABCDEF" };
    let phone = Phone::join(&app, &code);
    // Ten wrong codes from one device: 404 each; then that device gets 429, even for the
    // right code.
    for _ in 0..10 {
        let r = phone.get(&app, &format!("/api/v1/live/{wrong}"));
        assert_eq!(r.error(404).0, "live_not_found");
    }
    let r = phone.get(&app, &format!("/api/v1/live/{wrong}"));
    assert_eq!(r.error(429).0, "rate_limited");
    assert!(r.header("retry-after").is_some());
    let r = phone.get(&app, &format!("/api/v1/live/{code}"));
    assert_eq!(r.status, 429);
    assert_eq!(phone.guess(&app, &code, &s.keys[0], 5).status, 429);
    // The join page says so in the phone's language.
    let page = phone.get(&app, &format!("/w/{code}?lang=en"));
    assert_eq!(page.status, 429);
    assert!(page.body.contains("Too many requests"), "{}", page.body);
    // Another device is not affected.
    let other = Phone::join(&app, &code);
    assert_eq!(other.get(&app, &format!("/api/v1/live/{code}")).status, 200);
    // Over the total (300 failed look-ups of all devices per ten minutes), a device that never
    // joined gets 429 for the right code as for a wrong one; a device that joined, and the
    // facilitator, go on.
    {
        use diesel::RunQueryDsl;
        diesel::sql_query("UPDATE rate_limits SET hits = 300 WHERE bucket = 'live:total'")
            .execute(&mut *app.conn())
            .unwrap();
    }
    let r = app.get_public(&format!("/api/v1/live/{code}"), &[]);
    assert_eq!(r.error(429).0, "rate_limited");
    let r = app.get_public(&format!("/api/v1/live/{wrong}"), &[]);
    assert_eq!(r.status, 429);
    assert_eq!(other.get(&app, &format!("/api/v1/live/{code}")).status, 200);
    assert_eq!(app.get(&format!("/api/v1/live/{code}")).status, 200);
}

#[test]
fn two_instances_on_one_database_both_tell_their_listeners_within_a_second() {
    let a = spawn_app();
    let b = spawn_app_on(&a);
    let s = study(&a);
    close_wave(&a, &s);
    let code = start(&a, &s);
    // The wall listens on instance B, a phone on instance A.
    let mut wall = Listener::open(&b, &code, &[("Authorization", &bearer())]);
    let phone_a = Phone::join(&a, &code);
    let mut phone_stream = Listener::open(&a, &code, &[("Cookie", &phone_a.header())]);
    // Opened through A: the phone on A and the wall on B are asked.
    let sent = Instant::now();
    let r = a.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200);
    let on_b = wall.wait_for("open", WAIT, |_| true).expect("open on B");
    assert!(
        on_b.at - sent < Duration::from_secs(1),
        "{:?}",
        on_b.at - sent
    );
    // Guesses through B reach the wall on B and the phone's stream on A within a second.
    let phone_b = Phone::join(&b, &code);
    let mut worst = Duration::ZERO;
    for (i, v) in [5, 6, 7].into_iter().enumerate() {
        let p = if i == 0 { &phone_b } else { &phone_a };
        let via = if i == 0 { &b } else { &a };
        let sent = Instant::now();
        assert_eq!(p.guess(via, &code, &s.keys[0], v).status, 201);
        let n = if i == 2 { 2 } else { i + 1 };
        for l in [&mut wall, &mut phone_stream] {
            let e = l
                .wait_for("count", WAIT, |d| d["guesses"] == n)
                .unwrap_or_else(|| panic!("count {n}"));
            worst = worst.max(e.at.saturating_duration_since(sent));
        }
    }
    assert!(worst < Duration::from_secs(1), "{worst:?}");
    // The reveal through A reaches B's wall with the survey figures.
    let r = a.post(
        &format!("/api/v1/live/{code}/reveal"),
        json!({"dimension_key": s.keys[0]}),
    );
    assert_eq!(r.status, 200);
    let rev = wall
        .wait_for("reveal", WAIT, |_| true)
        .expect("reveal on B");
    assert_eq!(rev.data["customer"]["mean"], 7.0);
    let r = b.post(&format!("/api/v1/live/{code}/end"), json!({}));
    assert_eq!(r.status, 200);
    assert!(phone_stream.wait_for("end", WAIT, |_| true).is_some());
    assert_eq!(a.count("live_guesses"), 0);
}

#[test]
fn the_join_page_sets_a_device_cookie_and_speaks_dutch_and_english() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let nl = app.get_public(&format!("/w/{code}"), &[]);
    assert_eq!(nl.status, 200);
    assert!(nl.body.contains("lang=\"nl\""));
    assert!(nl.body.contains("<script src=\"/static/live.js\""));
    let en = app.get_public(
        &format!("/w/{}", code.to_lowercase()),
        &[("Accept-Language", "en-GB,en;q=0.8")],
    );
    assert_eq!(en.status, 200);
    assert!(en.body.contains("lang=\"en\""));
    let unknown = app.get_public("/w/ABCDEF?lang=nl", &[]);
    if code != "ABCDEF" {
        assert_eq!(unknown.status, 404);
        assert!(unknown
            .body
            .contains("Er is geen live workshop met deze code"));
    }
    let js = app.get_public("/static/live.js", &[]);
    assert_eq!(js.status, 200);
    assert!(js.body.contains("EventSource"));
}

#[test]
fn a_session_takes_at_most_500_phones() {
    let app = spawn_app();
    let s = study(&app);
    close_wave(&app, &s);
    let code = start(&app, &s);
    let early = Phone::join(&app, &code);
    {
        use diesel::RunQueryDsl;
        diesel::sql_query(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 499) \
             INSERT INTO live_participants (session_id, participant) \
             SELECT (SELECT MAX(id) FROM live_sessions), 'made-up-' || i FROM n",
        )
        .execute(&mut *app.conn())
        .unwrap();
    }
    assert_eq!(app.count("live_participants"), 500);
    app.post(
        &format!("/api/v1/live/{code}/open"),
        json!({"dimension_key": s.keys[0]}),
    );
    // The 501st phone is refused, in its language; a phone that joined before still guesses.
    let late = app.get_public(&format!("/w/{code}?lang=en"), &[]);
    assert_eq!(late.status, 409);
    assert!(
        late.body.contains("This live session is full: 500 phones"),
        "{}",
        late.body
    );
    let r = app.post_raw_public(
        &format!("/api/v1/live/{code}/guesses"),
        &[
            ("Cookie", "ks_device=anotherphone00000001"),
            ("Content-Type", "application/json"),
        ],
        json!({"dimension_key": s.keys[0], "value": 5})
            .to_string()
            .as_bytes(),
    );
    assert_eq!(r.error(409).0, "live_full");
    assert_eq!(early.guess(&app, &code, &s.keys[0], 5).status, 201);
}
