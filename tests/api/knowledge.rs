//! Issue 25: the knowledge score, the importance and the quadrants through the API and the CLI,
//! from answers imported as CSV, equal the independent numpy/scipy values of
//! tests/fixtures/knowledge/cases.json (1e-9); action effects over HTTP.

use serde_json::{json, Value};

use crate::comparison::close_within;

/// The numbers travel through JSON as shortest round-trip decimals: equal to 1e-9.
fn close(a: &Value, b: &Value, path: &str) {
    close_within(a, b, path, 1e-9)
}
use crate::helpers::*;

fn cases() -> Value {
    serde_json::from_str(include_str!("../fixtures/knowledge/cases.json")).unwrap()
}

/// Imports one case as a survey with one team and a closed wave; returns (survey, wave, team).
fn load(app: &TestApp, c: &Value) -> (i64, i64, i64) {
    let (s, w, team) = load_open(app, c, &[]);
    let r = app.patch(
        &format!("/api/v1/surveys/{s}/waves/{w}"),
        json!({"closes_at": "2026-02-01T00:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    (s, w, team)
}

/// The CSV of a case's answers (and of `more` customers' perceived ratings after them).
fn case_csv(c: &Value, more: &[Vec<i64>]) -> String {
    let keys = case_keys(c);
    let mut header = vec!["audience".to_string(), "team".into(), "nps".into()];
    for k in &keys {
        header.extend([
            k.to_string(),
            format!("{k}.predicted"),
            format!("{k}.importance"),
        ]);
    }
    let cell = |v: &Value| v.as_i64().map(|x| x.to_string()).unwrap_or_default();
    let mut csv = header.join(",") + "\n";
    for e in c["employees"].as_array().unwrap() {
        let mut row = vec!["employee".to_string(), "Team".into(), String::new()];
        for i in 0..keys.len() {
            row.extend([cell(&e["self"][i]), cell(&e["predicted"][i]), String::new()]);
        }
        csv.push_str(&(row.join(",") + "\n"));
    }
    for cu in c["customers"].as_array().unwrap() {
        let mut row = vec!["customer".to_string(), "Team".into(), cell(&cu["nps"])];
        for i in 0..keys.len() {
            row.extend([
                cell(&cu["perceived"][i]),
                String::new(),
                cell(&cu["importance"][i]),
            ]);
        }
        csv.push_str(&(row.join(",") + "\n"));
    }
    for m in more {
        let mut row = vec!["customer".to_string(), "Team".into(), String::new()];
        for v in m {
            row.extend([v.to_string(), String::new(), String::new()]);
        }
        csv.push_str(&(row.join(",") + "\n"));
    }
    csv
}

/// The case (with `more` customers) imported into an open wave of a new survey with one team;
/// returns (survey, wave, team).
fn load_open(app: &TestApp, c: &Value, more: &[Vec<i64>]) -> (i64, i64, i64) {
    let keys = case_keys(c);
    let team = app.create_team("Team");
    let dims: Vec<Value> = keys
        .iter()
        .map(|k| json!({"key": k, "label_nl": k}))
        .collect();
    let min = c["min_group_size"].as_i64().unwrap();
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": c["name"], "scale_min": c["scale_min"], "scale_max": c["scale_max"],
               "min_group_size": min, "comment_min_group_size": min.max(10),
               "alpha": c["alpha"], "materiality": c["materiality"],
               "ask_expected": false, "ask_importance": c["ask_importance"],
               "dimensions": dims}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json()["id"].as_i64().unwrap();
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    import(app, s, w, &case_csv(c, more));
    (s, w, team)
}

fn import(app: &TestApp, s: i64, w: i64, csv: &str) {
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/import?wave_id={w}"),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

fn case_keys(c: &Value) -> Vec<&str> {
    c["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k.as_str().unwrap())
        .collect()
}

fn check(got: &Value, want: &Value, name: &str) {
    close(
        &got["knowledge"],
        &want["knowledge"],
        &format!("{name}.knowledge"),
    );
    for d in want["dimensions"].as_array().unwrap() {
        let key = d["key"].as_str().unwrap();
        let g = got["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["key"] == key)
            .unwrap_or_else(|| panic!("{name}: no {key}"));
        for field in ["importance", "quadrant", "predicted_quadrant"] {
            close(&g[field], &d[field], &format!("{name}.{key}.{field}"));
        }
    }
}

#[test]
fn knowledge_importance_and_quadrants_equal_numpy_through_the_api_and_the_cli() {
    let all = cases();
    for c in all["knowledge"].as_array().unwrap() {
        let app = spawn_app();
        let name = c["name"].as_str().unwrap();
        let (s, w, t) = load(&app, c);
        let api = app
            .get(&format!(
                "/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={t}"
            ))
            .json();
        check(&api, &c["expected"], name);
        let out = cli(
            &app,
            &[
                "report",
                "--survey",
                &s.to_string(),
                "--wave",
                &w.to_string(),
                "--team",
                &t.to_string(),
                "--format",
                "json",
            ],
            None,
        );
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        check(
            &serde_json::from_slice(&out.stdout).unwrap(),
            &c["expected"],
            name,
        );
    }
}

/// The answers kept between reports (app::reports::answers) never outlive a new response: a
/// report after a second import equals, to the bit, the report of a new database that got all
/// the answers at once. And where the knowledge score is withheld, the page says why.
#[test]
fn knowledge_follows_new_answers_and_a_withheld_score_says_why() {
    let all = cases();
    let c = &all["knowledge"][0];
    let dims = case_keys(c).len();
    let extra: Vec<Vec<i64>> = (0..3)
        .map(|i| (0..dims as i64).map(|k| 1 + (i + k) % 4).collect())
        .collect();
    let url =
        |s: i64, w: i64, t: i64| format!("/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={t}");

    // The admin reads the open wave's interim figures: the case's own knowledge score …
    let app = spawn_app();
    let (s, w, t) = load_open(&app, c, &[]);
    let before = app.get(&url(s, w, t)).json();
    close(&before["knowledge"], &c["expected"]["knowledge"], "before");
    assert_eq!(before, app.get(&url(s, w, t)).json(), "a second read");
    // … then three more customers arrive.
    import(
        &app,
        s,
        w,
        &case_csv(
            &json!({"dimensions": c["dimensions"], "employees": [], "customers": []}),
            &extra,
        ),
    );
    let after = app.get(&url(s, w, t)).json();
    let customers = before["knowledge"]["respondents"]["customer"]
        .as_u64()
        .unwrap();
    assert_eq!(
        after["knowledge"]["respondents"]["customer"],
        json!(customers + 3)
    );
    assert_ne!(after["knowledge"]["mae"], before["knowledge"]["mae"]);

    let fresh = spawn_app();
    let (s2, w2, t2) = load_open(&fresh, c, &extra);
    let once = fresh.get(&url(s2, w2, t2)).json();
    assert_eq!(
        serde_json::to_string(&after["knowledge"]).unwrap(),
        serde_json::to_string(&once["knowledge"]).unwrap()
    );

    // A team lead sees counts only while the wave is open: no knowledge score, and the page
    // says why in words.
    let lead = crate::anonymity::lead_of(&app, &[t]);
    let report = app.get_with_session(&url(s, w, t), &lead).json();
    assert!(report["knowledge"].is_null(), "{report}");
    let page = app.get_with_session(&format!("/surveys/{s}?wave_id={w}&team_id={t}"), &lead);
    assert_eq!(page.status, 200);
    let want = format!(
        "Hoe goed het team zijn klanten kent, is hier niet te zeggen: bij {dims} van de \
         {dims} aspecten wordt de voorspelling of het klantcijfer niet getoond (nog niet \
         gepubliceerd, want de meting loopt nog)."
    );
    assert!(page.body.contains(&want), "{want}\n{}", page.body);
    let en = app.get_with_session(
        &format!("/surveys/{s}?wave_id={w}&team_id={t}&lang=en"),
        &lead,
    );
    assert!(
        en.body.contains(&format!(
            "How well the team knows its customers cannot be said here: for {dims} of the \
             {dims} dimensions the prediction or the customer score is not shown (not published \
             yet, as the wave is still open)."
        )),
        "{}",
        en.body
    );
}

/// A team lead's report over every wave holds the closed waves only: answers arriving in an
/// open wave leave it as it was (the kept answers stay), while the admin's report of the same
/// scope counts them (read on from the last response) and equals a fresh database's.
#[test]
fn answers_in_an_open_wave_leave_a_leads_report_over_all_waves_as_it_was() {
    let all = cases();
    let c = &all["knowledge"][0];
    let dims = case_keys(c).len();
    // More customers than the case's threshold (5), so the open wave's group is shown to the
    // admin.
    let extra: Vec<Vec<i64>> = (0..6)
        .map(|i| (0..dims as i64).map(|k| 1 + (2 * i + k) % 4).collect())
        .collect();
    let everything = |s: i64, t: i64| format!("/api/v1/surveys/{s}/comparison?team_id={t}");

    let app = spawn_app();
    let (s, w1, t) = load(&app, c);
    let w2 = app.create_wave(s, "W2", "2026-03-01T00:00:00Z");
    let lead = crate::anonymity::lead_of(&app, &[t]);
    let lead_before = app.get_with_session(&everything(s, t), &lead).json();
    assert!(lead_before["knowledge"].is_object(), "{lead_before}");
    let admin_before = app.get(&everything(s, t)).json();
    assert_eq!(lead_before["knowledge"], admin_before["knowledge"]);

    let empty = json!({"dimensions": c["dimensions"], "employees": [], "customers": []});
    import(&app, s, w2, &case_csv(&empty, &extra));
    let lead_after = app.get_with_session(&everything(s, t), &lead).json();
    assert_eq!(
        serde_json::to_string(&lead_after["knowledge"]).unwrap(),
        serde_json::to_string(&lead_before["knowledge"]).unwrap()
    );
    let admin_after = app.get(&everything(s, t)).json();
    let customers = admin_before["knowledge"]["respondents"]["customer"]
        .as_u64()
        .unwrap();
    assert_eq!(
        admin_after["knowledge"]["respondents"]["customer"],
        json!(customers + 6)
    );

    // The same answers given to a fresh database at once.
    let fresh = spawn_app();
    let (s2, _, t2) = load(&fresh, c);
    let w2b = fresh.create_wave(s2, "W2", "2026-03-01T00:00:00Z");
    import(&fresh, s2, w2b, &case_csv(&empty, &extra));
    let once = fresh.get(&everything(s2, t2)).json();
    assert_eq!(
        serde_json::to_string(&admin_after["knowledge"]).unwrap(),
        serde_json::to_string(&once["knowledge"]).unwrap()
    );
    assert_ne!(w1, w2);
}

/// The demo's actions: one closed its gap, one narrowed it, one left it unchanged; a team lead
/// reads the same effects for their team.
#[test]
fn the_demo_actions_say_what_they_did() {
    let app = spawn_app();
    load_demo(&app);
    let actions = app.get("/api/v1/surveys/1/actions").json();
    let verdicts: Vec<(String, Value, String)> = actions
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["dimension_key"].as_str().unwrap().to_string(),
                a["team_id"].clone(),
                a["effect"]["verdict"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (key, verdict) in [
        ("problem_resolution", "closed"),
        ("keeping_agreements", "narrowed"),
        ("speed", "unchanged"),
    ] {
        assert!(
            verdicts.iter().any(|(k, _, v)| k == key && v == verdict),
            "{key} {verdict}: {verdicts:?}"
        );
    }
    // Each effect is the trend's change of that dimension's gap between the two waves.
    let a = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["dimension_key"] == "keeping_agreements")
        .unwrap();
    let trend = app
        .get(&format!("/api/v1/surveys/1/trend?team_id={}", a["team_id"]))
        .json();
    let change = trend["changes"][0]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "keeping_agreements")
        .unwrap();
    for (effect, trend) in [
        ("change", "change"),
        ("se", "se"),
        ("df", "df"),
        ("p_value", "p_value"),
    ] {
        close(
            &a["effect"][effect],
            &change[trend],
            &format!("effect.{effect}"),
        );
    }
    assert_eq!(a["effect"]["wave_id"], trend["waves"][1]["wave_id"]);
}
