//! Issue 13: the attacks that undid the anonymity threshold, tried again over HTTP. Each must
//! now recover nothing: organisation minus the other teams, all waves minus one wave, a team
//! lead of two of three teams, comments, and looking again after one more answer.

use serde_json::{json, Value};

use crate::helpers::*;
use crate::team_leads::{as_user, session};

/// The dimension every fixture row answers.
const DIM: &str = "speed";

/// A survey (1–5 scale, threshold 5) with three teams; returns (survey, teams).
pub(crate) fn survey(app: &TestApp, names: &[&str]) -> (i64, Vec<i64>) {
    let teams = names.iter().map(|n| app.create_team(n)).collect();
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": "anonymity", "scale_min": 1, "scale_max": 5, "min_group_size": 5,
               "dimensions": [{"key": DIM, "label_nl": "Snelheid"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    (r.json()["id"].as_i64().unwrap(), teams)
}

/// Imports `(team, audience, value, nps)` rows into a wave.
pub(crate) fn import(
    app: &TestApp,
    survey: i64,
    wave: i64,
    rows: &[(&str, &str, i64, Option<i64>)],
) {
    let mut csv = format!("audience,team,nps,{DIM}\n");
    for (team, audience, v, nps) in rows {
        let nps = nps.map(|n| n.to_string()).unwrap_or_default();
        csv.push_str(&format!("{audience},{team},{nps},{v}\n"));
    }
    let r = app.post_raw(
        &format!("/api/v1/surveys/{survey}/import?wave_id={wave}"),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

/// `n` rows of one team and audience with values cycling through `values`.
pub(crate) fn rows<'a>(
    team: &'a str,
    audience: &'a str,
    n: usize,
    values: &[i64],
) -> Vec<(&'a str, &'a str, i64, Option<i64>)> {
    (0..n)
        .map(|i| {
            let v = values[i % values.len()];
            let nps = (audience == "customer").then_some((v * 2) % 11);
            (team, audience, v, nps)
        })
        .collect()
}

/// Closes a wave (its results are then published to team leads).
pub(crate) fn close(app: &TestApp, wave: i64) {
    use diesel::RunQueryDsl;
    let mut conn = app.conn();
    diesel::sql_query(format!(
        "UPDATE waves SET closes_at = '2026-02-01 00:00:00' WHERE id = {wave}"
    ))
    .execute(&mut conn)
    .unwrap();
}

pub(crate) fn report(app: &TestApp, survey: i64, wave: Option<i64>, team: Option<i64>) -> Value {
    let mut q = format!("/api/v1/surveys/{survey}/comparison?");
    if let Some(w) = wave {
        q.push_str(&format!("wave_id={w}&"));
    }
    if let Some(t) = team {
        q.push_str(&format!("team_id={t}"));
    }
    let r = app.get(&q);
    assert_eq!(r.status, 200, "{q}: {}", r.body);
    r.json()
}

pub(crate) fn dim<'a>(rep: &'a Value, group: &str) -> &'a Value {
    &rep["dimensions"].as_array().unwrap()[0][group]
}

fn hist(rep: &Value, group: &str) -> Vec<u64> {
    dim(rep, group)["histogram"]
        .as_array()
        .unwrap_or_else(|| panic!("{group} has no histogram: {rep}"))
        .iter()
        .map(|v| v.as_u64().unwrap())
        .collect()
}

fn add(a: &[u64], b: &[u64]) -> Vec<u64> {
    a.iter().zip(b).map(|(x, y)| x + y).collect()
}

/// A big team A, a big team B and a small team C (3 employees, 1 customer).
fn three_teams(app: &TestApp) -> (i64, i64, Vec<i64>) {
    let (s, teams) = survey(app, &["A", "B", "C"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut all = Vec::new();
    all.extend(rows("A", "employee", 8, &[4, 5, 3]));
    all.extend(rows("A", "customer", 9, &[2, 3, 4]));
    all.extend(rows("B", "employee", 7, &[5, 4]));
    all.extend(rows("B", "customer", 10, &[1, 3, 5, 2]));
    all.extend(rows("C", "employee", 3, &[1, 2, 5]));
    all.extend(rows("C", "customer", 1, &[5]));
    import(app, s, w, &all);
    close(app, w);
    (s, w, teams)
}

#[test]
fn the_organisation_minus_the_other_teams_gives_nothing_of_a_small_team() {
    let app = spawn_app();
    let (s, w, t) = three_teams(&app);
    let org = report(&app, s, Some(w), None);
    let a = report(&app, s, Some(w), Some(t[0]));
    let b = report(&app, s, Some(w), Some(t[1]));
    let c = report(&app, s, Some(w), Some(t[2]));
    // C's own report shows its counts only.
    assert_eq!(dim(&c, "employee")["n"], 3);
    assert_eq!(dim(&c, "employee")["mean"], Value::Null);
    assert_eq!(dim(&c, "customer")["n"], 1);
    // The organisation is exactly A + B: organisation minus A minus B is zero.
    for group in ["employee", "customer"] {
        assert_eq!(
            hist(&org, group),
            add(&hist(&a, group), &hist(&b, group)),
            "{group}"
        );
    }
    assert_eq!(
        org["nps"]["n"].as_u64().unwrap(),
        a["nps"]["n"].as_u64().unwrap() + b["nps"]["n"].as_u64().unwrap()
    );
    // Counts stay public: the respondents include C's.
    assert_eq!(org["respondents"]["employee"], 8 + 7 + 3);
    assert_eq!(org["respondents"]["customer"], 9 + 10 + 1);
    // C's employee cell, its customer cell and its NPS cell are left out and counted.
    assert_eq!(org["excluded_cells"], 3);
    assert_eq!(c["excluded_cells"], 3);
    assert_eq!(a["excluded_cells"], 0);
    // The report page says so in words.
    let admin = admin_cookie(&app);
    let body = page(&app, &admin, &format!("/surveys/{s}?wave_id={w}"));
    assert!(
        body.contains("Zonder C: minder dan 5 antwoorden in een groep, die dus niet meetelt."),
        "{body}"
    );
}

#[test]
fn all_waves_minus_one_wave_gives_nothing_of_a_small_cell() {
    let app = spawn_app();
    let (s, t) = survey(&app, &["A", "B"]);
    let w1 = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let w2 = app.create_wave(s, "W2", "2026-03-01T00:00:00Z");
    let mut first = rows("A", "employee", 6, &[2, 3]);
    first.extend(rows("A", "customer", 6, &[4, 5]));
    first.extend(rows("B", "employee", 6, &[1, 5]));
    first.extend(rows("B", "customer", 6, &[3]));
    import(&app, s, w1, &first);
    // Wave 2: team A has only 2 employees.
    let mut second = rows("A", "employee", 2, &[1]);
    second.extend(rows("A", "customer", 7, &[2, 3]));
    second.extend(rows("B", "employee", 5, &[4]));
    second.extend(rows("B", "customer", 5, &[5]));
    import(&app, s, w2, &second);
    close(&app, w1);
    close(&app, w2);
    for team in [Some(t[0]), None] {
        let all = report(&app, s, None, team);
        let one = report(&app, s, Some(w1), team);
        let two = report(&app, s, Some(w2), team);
        let employees_two = match team {
            // Team A's wave 2 employees: suppressed in their own report, summed nowhere.
            Some(_) => vec![0; 5],
            None => hist(&report(&app, s, Some(w2), Some(t[1])), "employee"),
        };
        assert_eq!(
            hist(&all, "employee"),
            add(&hist(&one, "employee"), &employees_two),
            "{team:?}"
        );
        assert_eq!(
            hist(&all, "customer"),
            add(&hist(&one, "customer"), &hist(&two, "customer"))
        );
    }
    // And the trend of team A skips the small cell: wave 2 has no employee mean.
    let trend = app
        .get(&format!("/api/v1/surveys/{s}/trend?team_id={}", t[0]))
        .json();
    let waves = trend["waves"].as_array().unwrap();
    assert_eq!(waves.len(), 2);
    assert_eq!(waves[1]["dimensions"][0]["gap"], Value::Null);
}

/// A logged-in admin's session cookie (pages need a session, not the bearer token).
fn admin_cookie(app: &TestApp) -> String {
    let out = cli(
        app,
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
    session(app, "admin@example.nl", "een-goed-wachtwoord").0
}

fn page(app: &TestApp, cookie: &str, path: &str) -> String {
    let r = as_user(app, "GET", path, cookie, None, None);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    r.body
}

/// A team lead of A and B; C is a large team they are not assigned to.
pub(crate) fn lead_of(app: &TestApp, teams: &[i64]) -> String {
    let mut args = vec![
        "user",
        "add",
        "--email",
        "lead@example.nl",
        "--role",
        "team_lead",
    ];
    let ids: Vec<String> = teams.iter().map(|t| t.to_string()).collect();
    for id in &ids {
        args.push("--team");
        args.push(id);
    }
    let out = cli(app, &args, Some("een-goed-wachtwoord\n"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    session(app, "lead@example.nl", "een-goed-wachtwoord").0
}

#[test]
fn a_team_lead_of_two_of_three_teams_learns_nothing_of_the_third() {
    let app = spawn_app();
    let (s, teams) = survey(&app, &["A", "B", "C"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut all = Vec::new();
    for team in ["A", "B", "C"] {
        all.extend(rows(team, "employee", 6, &[2, 4]));
        all.extend(rows(team, "customer", 12, &[1, 3, 5]));
    }
    import(&app, s, w, &all);
    // Twelve customers of C comment, so C's comments pass the comment threshold (10).
    let tokens = app.invite(s, w, teams[2], "customer", 10, 1);
    for tok in &tokens {
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": tok, "ratings": {DIM: {"perceived": 4}}, "comment": "alleen team C"}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    close(&app, w);
    let cookie = lead_of(&app, &teams[..2]);
    let get = |path: &str| as_user(&app, "GET", path, &cookie, None, None);
    // Team C itself: 403 everywhere.
    for path in [
        format!(
            "/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={}",
            teams[2]
        ),
        format!("/api/v1/surveys/{s}/trend?team_id={}", teams[2]),
        format!(
            "/api/v1/surveys/{s}/charts/mirror.svg?wave_id={w}&team_id={}",
            teams[2]
        ),
        format!("/surveys/{s}?wave_id={w}&team_id={}", teams[2]),
    ] {
        assert_eq!(get(&path).status, 403, "{path}");
    }
    // The organisation: only one team outside the lead's (C) contributes, so every figure
    // shows its count only; organisation minus A minus B would be C.
    for wave in [format!("wave_id={w}"), String::new()] {
        let r = get(&format!("/api/v1/surveys/{s}/comparison?{wave}"));
        assert_eq!(r.status, 200, "{}", r.body);
        let org: Value = serde_json::from_str(&r.body).unwrap();
        for group in ["employee", "customer"] {
            assert_eq!(dim(&org, group)["histogram"], Value::Null, "{group}");
            assert_eq!(dim(&org, group)["mean"], Value::Null, "{group}");
        }
        assert_eq!(org["nps"]["score"], Value::Null);
        // A team lead never gets the stratified value (revision 3), only its counts.
        let strat = &org["dimensions"][0]["stratified_gap"];
        assert_eq!(strat["value"], Value::Null, "{strat}");
        assert_eq!(strat["composition_warning"], Value::Null, "{strat}");
        assert_eq!(strat["withheld_reason"], "two_teams_rule", "{strat}");
        assert_eq!(strat["teams_used"], 3, "{strat}");
    }
    // The organisation's comments hold none of C's.
    let org_page = get(&format!("/surveys/{s}?wave_id={w}")).body;
    assert!(!org_page.contains("alleen team C"), "{org_page}");
    assert!(
        org_page.contains("te weinig teams buiten uw eigen teams"),
        "{org_page}"
    );
    // The admin sees the organisation figure and C's comments.
    let admin = report(&app, s, Some(w), None);
    assert!(dim(&admin, "employee")["histogram"].is_array());
    let cookie = admin_cookie(&app);
    let body = page(
        &app,
        &cookie,
        &format!("/surveys/{s}?wave_id={w}&team_id={}", teams[2]),
    );
    assert!(body.contains("alleen team C"), "{body}");
}

#[test]
fn while_a_wave_is_open_a_team_lead_sees_counts_only() {
    let app = spawn_app();
    let (s, teams) = survey(&app, &["A", "B", "C"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut all = rows("A", "employee", 6, &[2, 4]);
    all.extend(rows("A", "customer", 6, &[3, 5]));
    import(&app, s, w, &all);
    let cookie = lead_of(&app, &teams[..1]);
    let look = || -> Value {
        let r = as_user(
            &app,
            "GET",
            &format!(
                "/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={}",
                teams[0]
            ),
            &cookie,
            None,
            None,
        );
        assert_eq!(r.status, 200, "{}", r.body);
        serde_json::from_str(&r.body).unwrap()
    };
    let before = look();
    // One more colleague answers.
    let tok = app.invite(s, w, teams[0], "employee", 1, 1).remove(0);
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": tok, "ratings": {DIM: {"self": 1}}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let after = look();
    for rep in [&before, &after] {
        assert_eq!(rep["published"], false);
        for group in ["employee", "customer"] {
            assert_eq!(dim(rep, group)["mean"], Value::Null);
            assert_eq!(dim(rep, group)["histogram"], Value::Null);
        }
        assert_eq!(rep["dimensions"][0]["gap"], Value::Null);
    }
    // Only the count moved.
    assert_eq!(dim(&before, "employee")["n"], 6);
    assert_eq!(dim(&after, "employee")["n"], 7);
    // The admin sees the interim results, marked as such.
    let admin = report(&app, s, Some(w), Some(teams[0]));
    assert_eq!(admin["published"], false);
    assert!(dim(&admin, "employee")["mean"].is_number());
    // Once the wave closes, the team lead sees the results.
    close(&app, w);
    let closed = look();
    assert_eq!(closed["published"], true);
    assert!(dim(&closed, "employee")["mean"].is_number());
}
