//! The audit log (issue 27): a scripted study leaves each action once, with the right actor
//! and outcome; refusals are logged as refused; nothing secret reaches the table; the log
//! survives a restart; filters and paging; only admins read it; no route changes it; the
//! retention purge is the only delete and is logged itself.

use serde_json::{json, Value};
use std::collections::BTreeMap;

use crate::helpers::{spawn_app, spawn_app_on, Auth, Resp, TestApp, ADMIN_TOKEN};
use klantspiegel::store::audit::{self as rows, Filter, Row};

const DIM: &str = "snelheid";
const LEAD: &str = "lead@example.nl";
const LEAD_PW: &str = "lantaarnpaal-zeventien-groen";
const ADMIN: &str = "beheer@example.nl";
const ADMIN_PW: &str = "gouden-kooi-negenhonderd-blauw";
const WRONG_PW: &str = "verkeerd-wachtwoord-oranje-42";
const NEW_PW: &str = "nieuw-wachtwoord-paars-zeventig";

/// Every entry, oldest first, read straight from the table.
fn entries(app: &TestApp) -> Vec<Row> {
    let mut all = rows::list(
        &mut app.conn(),
        &Filter {
            limit: 100_000,
            ..Filter::default()
        },
    )
    .unwrap();
    all.reverse();
    all
}

/// (actor, action, outcome) → how many entries.
fn tally(all: &[Row]) -> BTreeMap<(String, String, String), usize> {
    let mut out = BTreeMap::new();
    for r in all {
        *out.entry((r.actor.clone(), r.action.clone(), r.outcome.clone()))
            .or_default() += 1;
    }
    out
}

fn key(actor: &str, action: &str, outcome: &str) -> (String, String, String) {
    (actor.into(), action.into(), outcome.into())
}

/// The value of `name="csrf" value="…"` in a page.
fn csrf_of(body: &str) -> String {
    let start = body.find("name=\"csrf\" value=\"").expect("a CSRF field") + 19;
    body[start..].split('"').next().unwrap().to_string()
}

/// A failed sign-in through the login form (401).
fn failed_login(app: &TestApp, email: &str, password: &str) {
    let page = app.get_public("/login", &[]);
    let csrf = csrf_of(&page.body);
    let form = page
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix("ks_login=").map(str::to_string))
        .unwrap();
    let r = app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={form}"))],
        &[("email", email), ("password", password), ("csrf", &csrf)],
    );
    assert_eq!(r.status, 401, "{}", r.body);
}

fn with_session(app: &TestApp, method: &str, path: &str, cookie: &str, csrf: Option<&str>) -> Resp {
    let mut r = crate::helpers::agent()
        .request(method, &app.url(path))
        .set("Cookie", &format!("ks_session={cookie}"));
    if let Some(c) = csrf {
        r = r.set("x-csrf-token", c);
    }
    let resp = match r.send_json(json!({"name": "Nieuw team"})) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    Resp {
        status: resp.status(),
        headers: vec![],
        body: resp.into_string().unwrap_or_default(),
    }
}

/// Two teams, a survey of one dimension, an open wave: (survey, wave, team A, team B).
fn study(app: &TestApp) -> (i64, i64, i64, i64) {
    let a = app.create_team("Balie");
    let b = app.create_team("Buitendienst");
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": "Audit 2026", "scale_min": 1, "scale_max": 5, "min_group_size": 3,
               "dimensions": [{"key": DIM, "label_nl": "Snelheid"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json()["id"].as_i64().unwrap();
    let w = app.create_wave(s, "Najaar", "2026-01-01T00:00:00Z");
    (s, w, a, b)
}

fn add_user(app: &TestApp, body: Value) -> i64 {
    let r = app.post("/api/v1/users", body);
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

#[test]
fn a_scripted_study_leaves_each_action_once_with_its_actor_and_outcome() {
    let app = spawn_app();
    let (s, w, a, b) = study(&app);
    let lead_id = add_user(
        &app,
        json!({"email": LEAD, "role": "team_lead", "team_ids": [a], "password": LEAD_PW}),
    );
    add_user(
        &app,
        json!({"email": ADMIN, "role": "admin", "password": ADMIN_PW}),
    );
    let tokens = app.invite(s, w, a, "customer", 3, 1);
    // A respondent answers: nothing about them is logged.
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": tokens[0], "ratings": {DIM: {"perceived": 4}}, "nps": 8}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mut csv = format!("respondent,audience,team,nps,{DIM}\n");
    for i in 0..4 {
        csv.push_str(&format!("resp-geheim-{i},customer,Balie,9,4\n"));
        csv.push_str(&format!("medew-geheim-{i},employee,Balie,,3\n"));
    }
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/import?wave_id={w}"),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // An export of responses, every time; a read of results, once a day per scope.
    let export = app.download(&format!("/api/v1/surveys/{s}/export.csv"), Auth::Admin);
    assert_eq!(export.status, 200);
    for _ in 0..2 {
        let r = app.get(&format!("/api/v1/surveys/{s}/comparison?wave_id={w}"));
        assert_eq!(r.status, 200, "{}", r.body);
    }
    // Closing the wave through the API (its closing time in the past) is `wave.close`;
    // renaming it afterwards is `wave.update`.
    let wave_path = format!("/api/v1/surveys/{s}/waves/{w}");
    let r = app.patch(&wave_path, json!({"closes_at": "2026-02-01T00:00:00Z"}));
    assert_eq!(r.status, 200, "{}", r.body);
    let r = app.patch(&wave_path, json!({"name": "Najaar (dicht)"}));
    assert_eq!(r.status, 200, "{}", r.body);

    // Sign-ins: a wrong password, an unknown account, then the lead and the admin.
    failed_login(&app, LEAD, WRONG_PW);
    failed_login(&app, "niemand@example.nl", WRONG_PW);
    let lead = app.login_session(LEAD, LEAD_PW);
    let admin = app.login_session(ADMIN, ADMIN_PW);

    // The lead reads their team twice (one entry), is refused another team and the log.
    for _ in 0..2 {
        let r = app.get_with_session(
            &format!("/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={a}"),
            &lead,
        );
        assert_eq!(r.status, 200, "{}", r.body);
    }
    let r = app.get_with_session(
        &format!("/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={b}"),
        &lead,
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(app.get_with_session("/api/v1/audit", &lead).status, 403);
    // A change without the session's CSRF token, and one without any credentials.
    let r = with_session(&app, "POST", "/api/v1/teams", &lead, None);
    assert_eq!(r.status, 403, "{}", r.body);
    let r = app.post_as("/api/v1/teams", None, json!({"name": "Stiekem"}));
    assert_eq!(r.status, 401, "{}", r.body);
    // A refused change: the team has responses (409), and nothing of it is stored.
    let r = app.delete(&format!("/api/v1/teams/{a}"));
    assert_eq!(r.status, 409, "{}", r.body);
    // A change refused as invalid (422) is no entry at all.
    assert_eq!(app.post("/api/v1/teams", json!({"name": ""})).status, 422);
    // The admin reads the log (no entry) and the lead signs out.
    assert_eq!(app.get_with_session("/api/v1/audit", &admin).status, 200);
    let page = app.get_with_session("/logout", &lead);
    let csrf = csrf_of(&page.body);
    let r = app.post_form(
        "/logout",
        &[("Cookie", &format!("ks_session={lead}"))],
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    // A new password for the lead: named, never shown.
    let r = app.patch(
        &format!("/api/v1/users/{lead_id}"),
        json!({"password": NEW_PW}),
    );
    assert_eq!(r.status, 200, "{}", r.body);

    let all = entries(&app);
    let t = "admin-token";
    let expected: BTreeMap<_, _> = [
        (key(t, "team.create", "ok"), 2),
        (key(t, "survey.create", "ok"), 1),
        (key(t, "wave.create", "ok"), 1),
        (key(t, "wave.close", "ok"), 1),
        (key(t, "wave.update", "ok"), 1),
        (key(t, "user.create", "ok"), 2),
        (key(t, "user.update", "ok"), 1),
        (key(t, "invitations.create", "ok"), 1),
        (key(t, "responses.import", "ok"), 1),
        (key(t, "responses.export", "ok"), 1),
        (key(t, "results.read", "ok"), 1),
        (key(t, "team.delete", "refused"), 1),
        (key(LEAD, "sign_in", "failed"), 1),
        (key("anonymous", "sign_in", "failed"), 1),
        (key(LEAD, "sign_in", "ok"), 1),
        (key(ADMIN, "sign_in", "ok"), 1),
        (key(LEAD, "results.read", "ok"), 1),
        (key(LEAD, "results.read", "refused"), 1),
        (key(LEAD, "request", "refused"), 1),
        (key(LEAD, "team.create", "refused"), 1),
        (key("anonymous", "team.create", "refused"), 1),
        (key(LEAD, "sign_out", "ok"), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(tally(&all), expected, "{all:#?}");

    // Objects and details name what was done, by id and name.
    let find = |action: &str, outcome: &str, actor: &str| {
        all.iter()
            .find(|r| r.action == action && r.outcome == outcome && r.actor == actor)
            .unwrap_or_else(|| panic!("{action} {outcome} {actor}"))
    };
    let created = find("survey.create", "ok", t);
    assert_eq!(
        (
            created.object_type.as_str(),
            created.object_id,
            created.object_name.as_deref()
        ),
        ("survey", Some(s), Some("Audit 2026"))
    );
    let closed = find("wave.close", "ok", t);
    assert_eq!(
        (closed.object_id, closed.detail.as_deref()),
        (
            Some(w),
            Some(
                format!("survey {s}, opens 2026-01-01T00:00:00Z, closes 2026-02-01T00:00:00Z")
                    .as_str()
            )
        )
    );
    let refused = find("team.delete", "refused", t);
    assert_eq!(
        (
            refused.object_type.as_str(),
            refused.object_id,
            refused.object_name.as_deref()
        ),
        ("team", Some(a), Some("Balie"))
    );
    assert_eq!(refused.detail.as_deref(), Some("status 409"));
    let invited = find("invitations.create", "ok", t);
    assert_eq!(
        invited.detail.as_deref(),
        Some(format!("3 customer invitation(s), team {a}, survey {s}").as_str())
    );
    let imported = find("responses.import", "ok", t);
    assert_eq!(
        imported.detail.as_deref(),
        Some(format!("8 response(s) imported, 0 duplicate(s) skipped, survey {s}").as_str())
    );
    let read = find("results.read", "ok", LEAD);
    assert_eq!(
        read.detail.as_deref(),
        Some(format!("report, team {a}, wave {w}").as_str())
    );
    assert_eq!(find("sign_in", "ok", LEAD).actor_user_id, Some(lead_id));
    assert_eq!(find("sign_out", "ok", LEAD).actor_user_id, Some(lead_id));
    let changed = find("user.update", "ok", t);
    assert_eq!(
        (changed.object_id, changed.detail.as_deref()),
        (
            Some(lead_id),
            Some(format!("set: new password; now role team_lead, teams {a}").as_str())
        )
    );

    // Never a password, token, session or respondent in the table.
    let text: String = all
        .iter()
        .map(|r| format!("{r:?}"))
        .collect::<Vec<_>>()
        .join("\n");
    let mut secrets = vec![
        LEAD_PW.to_string(),
        ADMIN_PW.to_string(),
        WRONG_PW.to_string(),
        NEW_PW.to_string(),
        ADMIN_TOKEN.to_string(),
        lead.clone(),
        admin.clone(),
        csrf.clone(),
        "niemand@example.nl".to_string(),
        "geheim".to_string(),
    ];
    secrets.extend(tokens.iter().cloned());
    for secret in &secrets {
        assert!(!text.contains(secret.as_str()), "{secret} is in the log");
    }
}

#[test]
fn a_change_that_rolls_back_leaves_no_entry_and_a_refused_one_is_logged_refused() {
    let app = spawn_app();
    let a = app.create_team("Balie");
    // The same name again: 409, nothing stored, one refused entry.
    let r = app.post("/api/v1/teams", json!({"name": "Balie"}));
    assert_eq!(r.status, 409, "{}", r.body);
    assert_eq!(app.count("teams"), 1);
    let all = entries(&app);
    let t = "admin-token";
    let expected: BTreeMap<_, _> = [
        (key(t, "team.create", "ok"), 1),
        (key(t, "team.create", "refused"), 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(tally(&all), expected, "{all:#?}");
    assert_eq!(all[0].object_id, Some(a));
    assert_eq!(all[1].object_id, None);
}

#[test]
fn the_log_survives_a_restart() {
    let app = spawn_app();
    let a = app.create_team("Balie");
    let again = spawn_app_on(&app);
    let r = again.get("/api/v1/audit");
    assert_eq!(r.status, 200, "{}", r.body);
    let v = r.json();
    let entries = v["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1, "{v}");
    let e = &entries[0];
    assert_eq!(e["actor"], "admin-token");
    assert_eq!(e["action"], "team.create");
    assert_eq!(e["outcome"], "ok");
    assert_eq!(
        e["object"],
        json!({"type": "team", "id": a, "name": "Balie"})
    );
    assert!(e["at"].as_str().unwrap().ends_with('Z'), "{e}");
    assert_eq!(v["next"], Value::Null);
}

#[test]
fn an_entry_reads_the_same_after_its_object_and_actor_are_deleted() {
    let app = spawn_app();
    let team = app.create_team("Weg");
    let user = add_user(
        &app,
        json!({"email": ADMIN, "role": "admin", "password": ADMIN_PW}),
    );
    // Another admin, so this one is not the last.
    add_user(
        &app,
        json!({"email": "tweede@example.nl", "role": "admin", "password": ADMIN_PW}),
    );
    let session = app.login_session(ADMIN, ADMIN_PW);
    assert_eq!(app.delete(&format!("/api/v1/teams/{team}")).status, 204);
    assert_eq!(app.delete(&format!("/api/v1/users/{user}")).status, 204);
    assert_eq!(app.get_with_session("/api/v1/audit", &session).status, 401);
    let v = app.get("/api/v1/audit?action=team.delete").json();
    assert_eq!(
        v["entries"][0]["object"],
        json!({"type": "team", "id": team, "name": "Weg"})
    );
    let v = app.get("/api/v1/audit?action=sign_in").json();
    assert_eq!(v["entries"][0]["actor"], ADMIN);
    let v = app.get("/api/v1/audit?action=user.delete").json();
    assert_eq!(
        v["entries"][0]["object"],
        json!({"type": "user", "id": user, "name": ADMIN})
    );
}

#[test]
fn filters_and_paging() {
    let app = spawn_app();
    for i in 0..5 {
        app.create_team(&format!("Team {i}"));
    }
    app.post("/api/v1/teams", json!({"name": "Team 0"})); // refused
    let mut seen = Vec::new();
    let mut next = Some(app.url("/api/v1/audit?action=team.create&limit=2"));
    let mut pages = 0;
    while let Some(url) = next {
        let r = crate::helpers::agent()
            .get(&url)
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
            .call()
            .unwrap();
        let v: Value = serde_json::from_str(&r.into_string().unwrap()).unwrap();
        let page = v["entries"].as_array().unwrap();
        assert!(page.len() <= 2);
        seen.extend(page.iter().map(|e| e["id"].as_i64().unwrap()));
        next = v["next"].as_str().map(str::to_string);
        pages += 1;
    }
    assert_eq!((seen.len(), pages), (6, 3));
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seen:?}"
    );

    let count = |q: &str| {
        let r = app.get(&format!("/api/v1/audit?{q}"));
        assert_eq!(r.status, 200, "{q}: {}", r.body);
        r.json()["entries"].as_array().unwrap().len()
    };
    assert_eq!(count("actor=admin-token"), 6);
    assert_eq!(count("actor=someone%40example.nl"), 0);
    assert_eq!(count("action=team.delete"), 0);
    assert_eq!(count("since=2000-01-01T00:00:00Z"), 6);
    assert_eq!(count("since=2999-01-01T00:00:00Z"), 0);
    assert_eq!(count("until=2000-01-01T00:00:00Z"), 0);
    assert_eq!(
        count("since=2000-01-01T00:00:00%2B02:00&action=team.create&limit=1"),
        1
    );

    for (q, field) in [
        ("since=yesterday", "since"),
        ("until=2026-13-01", "until"),
        ("action=drop.table", "action"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
    ] {
        let r = app.get(&format!("/api/v1/audit?{q}"));
        let (code, f) = r.error(422);
        assert_eq!(
            (code.as_str(), f.as_deref()),
            ("validation_failed", Some(field)),
            "{q}"
        );
    }
}

#[test]
fn only_admins_read_the_log_and_no_route_changes_it() {
    let app = spawn_app();
    let a = app.create_team("Balie");
    add_user(
        &app,
        json!({"email": LEAD, "role": "team_lead", "team_ids": [a], "password": LEAD_PW}),
    );
    let lead = app.login_session(LEAD, LEAD_PW);
    assert_eq!(app.get_with_session("/api/v1/audit", &lead).status, 403);
    assert_eq!(app.get_as("/api/v1/audit", None).status, 401);
    assert_eq!(
        app.get_as("/api/v1/audit", Some("wrong-token-0123456789abcdefghij"))
            .status,
        401
    );
    assert_eq!(app.get_with_session("/admin/audit", &lead).status, 403);
    assert_eq!(app.get_with_session("/admin/audit.csv", &lead).status, 403);
    let before = app.count("audit_log");
    let id = entries(&app)[0].id;
    for method in ["POST", "PUT", "PATCH", "DELETE"] {
        for path in ["/api/v1/audit".to_string(), format!("/api/v1/audit/{id}")] {
            let r = crate::helpers::agent()
                .request(method, &app.url(&path))
                .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
                .call();
            let status = match r {
                Ok(r) => r.status(),
                Err(ureq::Error::Status(s, _)) => s,
                Err(e) => panic!("{e}"),
            };
            assert!(matches!(status, 404 | 405), "{method} {path}: {status}");
        }
    }
    assert_eq!(app.count("audit_log"), before);
    assert_eq!(entries(&app)[0].id, id);
}

#[test]
fn the_console_page_filters_and_downloads_the_log_in_both_languages() {
    let app = spawn_app();
    app.create_team("Balie");
    add_user(
        &app,
        json!({"email": ADMIN, "role": "admin", "password": ADMIN_PW}),
    );
    let admin = app.login_session(ADMIN, ADMIN_PW);
    let r = app.get_with_session("/admin/audit", &admin);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<h1>Auditlog</h1>"), "{}", r.body);
    assert!(r.body.contains("Team gemaakt (team.create)"), "{}", r.body);
    assert!(r.body.contains("730 dagen"), "{}", r.body);
    let r = app.get_with_session("/admin/audit?lang=en&action=sign_in", &admin);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("<h1>Audit log</h1>"), "{}", r.body);
    assert!(r.body.contains("Sign-in (sign_in)"), "{}", r.body);
    assert!(!r.body.contains("(team.create)</td>"), "{}", r.body);
    let r = app.get_with_session("/admin/audit?since=gisteren", &admin);
    assert_eq!(r.status, 422, "{}", r.body);
    let r = app.get_with_session("/admin/audit?until=2999-01-01&actor=admin-token", &admin);
    assert_eq!(r.status, 200);
    assert!(r.body.contains("Team gemaakt (team.create)"), "{}", r.body);

    let csv = app.download("/admin/audit.csv?action=team.create", Auth::Session(&admin));
    assert_eq!(csv.status, 200);
    assert!(
        csv.content_type.starts_with("text/csv"),
        "{}",
        csv.content_type
    );
    let text = String::from_utf8(csv.bytes).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "id,at,actor,action,object_type,object_id,object_name,outcome,detail"
    );
    assert_eq!(lines.len(), 2, "{text}");
    assert!(
        lines[1].contains(",admin-token,team.create,team,"),
        "{text}"
    );
    assert!(lines[1].contains(",Balie,ok,"), "{text}");
}

#[test]
fn retention_deletes_old_entries_and_logs_that_it_did() {
    let app = spawn_app();
    app.create_team("Balie");
    let old = klantspiegel::store::now() - chrono::Duration::days(800);
    rows::insert(
        &mut app.conn(),
        &rows::NewRow {
            at: old,
            actor: "admin-token",
            actor_user_id: None,
            action: "team.create",
            object_type: "team",
            object_id: Some(99),
            object_name: Some("Oud"),
            outcome: "ok",
            detail: None,
        },
    )
    .unwrap();
    assert_eq!(app.count("audit_log"), 2);
    // A new instance's housekeeping applies the retention at its start.
    let _again = spawn_app_on(&app);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    let purged = loop {
        let all = entries(&app);
        if let Some(p) = all.iter().find(|r| r.action == "audit.purge") {
            break (all.clone(), p.clone());
        }
        assert!(std::time::Instant::now() < deadline, "no purge: {all:#?}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let (all, p) = purged;
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|r| r.at > old));
    assert_eq!(
        (p.actor.as_str(), p.outcome.as_str(), p.object_type.as_str()),
        ("system", "ok", "audit_log")
    );
    assert_eq!(
        p.detail.as_deref(),
        Some("1 entries older than 730 days deleted")
    );
    // Nothing left to delete: nothing logged.
    assert_eq!(
        klantspiegel::app::audit::purge(&mut app.conn(), 730).unwrap(),
        0
    );
    assert_eq!(app.count("audit_log"), 2);
}

#[test]
fn console_changes_are_logged_with_the_admin_who_made_them() {
    let app = spawn_app();
    let (s, w, _, b) = study(&app);
    add_user(
        &app,
        json!({"email": ADMIN, "role": "admin", "password": ADMIN_PW}),
    );
    let session = app.login_session(ADMIN, ADMIN_PW);
    let cookie = format!("ks_session={session}");
    let csrf = csrf_of(&app.get_with_session("/admin", &session).body);
    let post =
        |path: &str, fields: &[(&str, &str)]| app.post_form(path, &[("Cookie", &cookie)], fields);
    assert_eq!(
        post("/admin/teams", &[("csrf", &csrf), ("name", "Kassa")]).status,
        303
    );
    assert_eq!(
        post("/admin/teams", &[("name", "Zonder token")]).status,
        403
    );
    assert_eq!(
        post("/admin/teams", &[("csrf", &csrf), ("name", "Kassa")]).status,
        409
    );
    let r = post(
        &format!("/admin/teams/{b}"),
        &[("csrf", &csrf), ("name", "Buitendienst Zuid")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        "/admin/users",
        &[
            ("csrf", &csrf),
            ("email", "tweede@example.nl"),
            ("role", "admin"),
            ("password", ADMIN_PW),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &format!("/admin/surveys/{s}/waves/{w}/close"),
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(&format!("/admin/teams/{b}/delete"), &[("csrf", &csrf)]);
    assert_eq!(r.status, 303, "{}", r.body);

    let console: Vec<Row> = entries(&app)
        .into_iter()
        .filter(|r| r.actor == ADMIN && r.action != "sign_in")
        .collect();
    let seen: Vec<(&str, &str, Option<i64>, Option<&str>)> = console
        .iter()
        .map(|r| {
            (
                r.action.as_str(),
                r.outcome.as_str(),
                r.object_id,
                r.object_name.as_deref(),
            )
        })
        .collect();
    let kassa = console[0].object_id;
    assert!(kassa.is_some());
    let tweede = console[4].object_id;
    assert_eq!(
        seen,
        vec![
            ("team.create", "ok", kassa, Some("Kassa")),
            ("team.create", "refused", None, None),
            ("team.create", "refused", None, None),
            ("team.update", "ok", Some(b), Some("Buitendienst Zuid")),
            ("user.create", "ok", tweede, Some("tweede@example.nl")),
            ("wave.close", "ok", Some(w), Some("Najaar")),
            ("team.delete", "ok", Some(b), Some("Buitendienst Zuid")),
        ]
    );
    assert_eq!(console[1].detail.as_deref(), Some("status 403"));
    assert_eq!(console[2].detail.as_deref(), Some("status 409"));
    assert_eq!(console[4].detail.as_deref(), Some("role admin"));
    let text = format!("{console:?}");
    assert!(!text.contains(ADMIN_PW) && !text.contains(&csrf) && !text.contains(&session));
}
