//! Issue 23: the four doors of the outside attack on revision 2, tried again over HTTP, the CLI
//! and the workbook: A1 the stratified gap, A2 nested groups, A3 rights over time (both
//! directions), A4 changed thresholds.

use serde_json::{json, Value};

use crate::anonymity::{close, dim, import, lead_of, report, rows, survey};
use crate::helpers::*;
use crate::team_leads::as_user;

fn get_json(app: &TestApp, cookie: &str, path: &str) -> Value {
    let r = as_user(app, "GET", path, cookie, None, None);
    assert_eq!(r.status, 200, "{path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// A1: a lead of one of three teams, where only one other team is large enough on both
/// sides: the organisation's stratified gap would be that team's own gap. The lead gets the
/// counts only, in the JSON and in the workbook; an admin gets the value.
#[test]
fn a1_a_team_lead_never_gets_the_stratified_value() {
    let app = spawn_app();
    let (s, teams) = survey(&app, &["A", "B", "C"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut all = Vec::new();
    for t in ["A", "B", "C"] {
        all.extend(rows(t, "employee", 6, &[4, 5, 3]));
    }
    all.extend(rows("A", "customer", 6, &[2, 3, 4]));
    all.extend(rows("B", "customer", 6, &[1, 3, 5]));
    all.extend(rows("C", "customer", 2, &[5]));
    import(&app, s, w, &all);
    close(&app, w);
    let admin = report(&app, s, Some(w), None);
    let strat = &admin["dimensions"][0]["stratified_gap"];
    assert_eq!(strat["teams_used"], 2, "{strat}");
    assert!(strat["value"].is_number(), "{strat}");

    let cookie = lead_of(&app, &teams[..1]);
    let lead = get_json(
        &app,
        &cookie,
        &format!("/api/v1/surveys/{s}/comparison?wave_id={w}"),
    );
    let strat = &lead["dimensions"][0]["stratified_gap"];
    for field in [
        "value",
        "se",
        "df",
        "ci95",
        "p_value",
        "composition_warning",
    ] {
        assert_eq!(strat[field], Value::Null, "{field}: {strat}");
    }
    assert_eq!(strat["teams_used"], 2);
    assert_eq!(strat["withheld_reason"], "two_teams_rule");
    // The customers: only B outside the lead's team contributes (C is below the threshold).
    assert_eq!(dim(&lead, "customer")["mean"], Value::Null);
    assert_eq!(dim(&lead, "customer")["withheld_reason"], "two_teams_rule");
    // The employees: B and C contribute, so the figure is shown.
    assert!(dim(&lead, "employee")["mean"].is_number());

    // The workbook of the lead carries the same nulls.
    let r = app.download(
        &format!("/api/v1/surveys/{s}/report.xlsx?wave_id={w}"),
        Auth::Session(&cookie),
    );
    assert_eq!(r.status, 200);
    let cells = xlsx_cells(&r.bytes);
    let stratified: Vec<&(String, String)> = cells
        .iter()
        .filter(|(h, _)| h == "Verschil binnen de teams: waarde")
        .collect();
    assert!(!stratified.is_empty(), "no column for stratified_gap.value");
    assert!(
        stratified.iter().all(|(_, v)| v.is_empty()),
        "{stratified:?}"
    );
}

/// The (header, value) pairs of every data row of every sheet of a workbook.
fn xlsx_cells(bytes: &[u8]) -> Vec<(String, String)> {
    use calamine::{Data, Reader};
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else {
            continue;
        };
        let mut rows = range.rows();
        let Some(header) = rows.next() else { continue };
        let header: Vec<String> = header.iter().map(|c| c.to_string()).collect();
        for row in rows {
            for (h, c) in header.iter().zip(row) {
                let v = match c {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                };
                out.push((h.clone(), v));
            }
        }
    }
    out
}

/// A2: one customer gives `perceived` but not `expected`: the pairs are five of the six
/// perceived answers, so perceived − expected − pairs would be that customer's answer. The
/// expectation gap shows its counts only, through the API, the CLI and for a team lead.
#[test]
fn a2_a_perceived_only_customer_leaves_the_expectation_gap_at_its_counts() {
    let app = spawn_app();
    let (s, teams) = survey(&app, &["A"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut csv = "audience,team,speed,speed.expected\n".to_string();
    for (p, e) in [(4, 5), (3, 3), (5, 4), (2, 4), (4, 4)] {
        csv.push_str(&format!("customer,A,{p},{e}\n"));
    }
    csv.push_str("customer,A,2,\n");
    for v in [4, 5, 3, 4, 5] {
        csv.push_str(&format!("employee,A,{v},\n"));
    }
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/import?wave_id={w}"),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    close(&app, w);
    let check_in = |rep: &Value, pairs: u64, reason: &str| {
        let e = &rep["dimensions"][0]["expectation_gap"];
        assert_eq!(e["value"], Value::Null, "{e}");
        assert_eq!(e["ci95"], Value::Null, "{e}");
        assert_eq!(e["p_value"], Value::Null, "{e}");
        assert_eq!(e["n"], pairs, "{e}");
        assert_eq!(
            (
                &e["perceived_only"],
                &e["expected_only"],
                &e["pairs_left_out"]
            ),
            (&json!(1), &json!(0), &json!(1)),
            "{e}"
        );
        assert_eq!(e["withheld_reason"], reason, "{e}");
        // Both groups themselves are shown (six and five answers).
        assert_eq!(dim(rep, "customer")["n"], 6);
        assert!(dim(rep, "customer")["mean"].is_number());
        assert!(dim(rep, "expected")["mean"].is_number());
    };
    let check = |rep: &Value| check_in(rep, 5, "nested_group");
    check(&report(&app, s, Some(w), Some(teams[0])));
    // The organisation sums no cell whose groups go beyond its pairs by 1 to 4, so its pairs
    // are none, and the first reason that applies is the threshold.
    check_in(&report(&app, s, Some(w), None), 0, "below_threshold");
    let out = cli(
        &app,
        &[
            "report",
            "--survey",
            &s.to_string(),
            "--wave",
            &w.to_string(),
            "--team",
            &teams[0].to_string(),
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
    check(&serde_json::from_slice(&out.stdout).unwrap());
    let cookie = lead_of(&app, &teams);
    check(&get_json(
        &app,
        &cookie,
        &format!(
            "/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={}",
            teams[0]
        ),
    ));
}

/// Three teams with enough answers each; returns (survey, wave, teams).
fn three_big_teams(app: &TestApp) -> (i64, i64, Vec<i64>) {
    let (s, teams) = survey(app, &["A", "B", "C"]);
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    let mut all = Vec::new();
    for (t, vals) in [("A", [4, 5, 3]), ("B", [2, 3, 4]), ("C", [5, 5, 1])] {
        all.extend(rows(t, "employee", 6, &vals));
        all.extend(rows(t, "customer", 6, &vals));
    }
    import(app, s, w, &all);
    close(app, w);
    (s, w, teams)
}

fn admin_patch_user(app: &TestApp, email: &str, teams: &[i64]) -> Value {
    let users = app.get("/api/v1/users").json();
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app.patch(&format!("/api/v1/users/{id}"), json!({"team_ids": teams}));
    assert_eq!(r.status, 200, "{}", r.body);
    r.json()
}

/// A3: a lead of A reads the organisation (B and C outside); adding B would make saved
/// organisation − A − B = C. The change succeeds, lists what it withholds, and the lead gets
/// B's results of that wave as counts only; the organisation stays as it was.
#[test]
fn a3_a_team_added_later_does_not_single_out_the_third() {
    let app = spawn_app();
    let (s, w, teams) = three_big_teams(&app);
    let cookie = lead_of(&app, &teams[..1]);
    let org_path = format!("/api/v1/surveys/{s}/comparison?wave_id={w}");
    let saved = get_json(&app, &cookie, &org_path);
    assert!(dim(&saved, "employee")["mean"].is_number(), "{saved}");

    let changed = admin_patch_user(&app, "lead@example.nl", &teams[..2]);
    assert_eq!(
        changed["withheld_history"],
        json!([{"team_id": teams[1], "wave_id": w}]),
        "{changed}"
    );
    let b = get_json(
        &app,
        &cookie,
        &format!(
            "/api/v1/surveys/{s}/comparison?wave_id={w}&team_id={}",
            teams[1]
        ),
    );
    for group in ["employee", "customer"] {
        assert_eq!(dim(&b, group)["mean"], Value::Null, "{group}: {b}");
        assert_eq!(dim(&b, group)["withheld_reason"], "assignment_history");
    }
    assert_eq!(dim(&b, "employee")["n"], 6, "counts stay");
    // The organisation reads as before (B still counts as outside for this wave).
    let now = get_json(&app, &cookie, &org_path);
    assert_eq!(dim(&now, "employee"), dim(&saved, "employee"));
    // The team's several-waves scope leaves the withheld wave out; the page says why.
    let all = get_json(
        &app,
        &cookie,
        &format!("/api/v1/surveys/{s}/comparison?team_id={}", teams[1]),
    );
    assert_eq!(dim(&all, "employee")["n"], 0, "{all}");
    // An admin sees B as always.
    assert!(dim(&report(&app, s, Some(w), Some(teams[1])), "employee")["mean"].is_number());
}

/// A3 the other way: a lead of A and B sees no organisation figure (only C outside); with B
/// taken away, the organisation would show and, with B's saved reports, single out C. The
/// history keeps B among what the lead has read, so the organisation stays counts only.
#[test]
fn a3_a_team_taken_away_keeps_counting_as_read() {
    let app = spawn_app();
    let (s, w, teams) = three_big_teams(&app);
    let cookie = lead_of(&app, &teams[..2]);
    let org_path = format!("/api/v1/surveys/{s}/comparison?wave_id={w}");
    let before = get_json(&app, &cookie, &org_path);
    assert_eq!(dim(&before, "employee")["mean"], Value::Null);
    let changed = admin_patch_user(&app, "lead@example.nl", &teams[..1]);
    assert_eq!(changed["withheld_history"], json!([]));
    let after = get_json(&app, &cookie, &org_path);
    for group in ["employee", "customer"] {
        assert_eq!(dim(&after, group)["mean"], Value::Null, "{group}: {after}");
        assert_eq!(dim(&after, group)["withheld_reason"], "two_teams_rule");
    }
    assert_eq!(after["nps"]["score"], Value::Null);
    // A new lead of A alone, with no history, does see the organisation.
    let r = app.post(
        "/api/v1/users",
        json!({"email": "nieuw@example.nl", "role": "team_lead", "team_ids": [teams[0]],
               "password": "een-goed-wachtwoord"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["withheld_history"], json!([]));
}

/// A4: once a survey has responses, neither threshold can change (409); before, they can.
#[test]
fn a4_thresholds_are_fixed_once_there_are_answers() {
    let app = spawn_app();
    let (s, _) = survey(&app, &["A"]);
    let path = format!("/api/v1/surveys/{s}");
    let r = app.patch(
        &path,
        json!({"min_group_size": 6, "comment_min_group_size": 12}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // The threshold is at least 3, and comments need at least the threshold.
    assert_eq!(
        app.patch(&path, json!({"min_group_size": 2}))
            .error(422)
            .1
            .as_deref(),
        Some("min_group_size")
    );
    assert_eq!(
        app.patch(&path, json!({"comment_min_group_size": 5}))
            .error(422)
            .1
            .as_deref(),
        Some("comment_min_group_size")
    );
    let w = app.create_wave(s, "W1", "2026-01-01T00:00:00Z");
    import(&app, s, w, &rows("A", "customer", 3, &[1, 2]));
    for change in [
        json!({"min_group_size": 3}),
        json!({"min_group_size": 8}),
        json!({"comment_min_group_size": 6}),
    ] {
        let r = app.patch(&path, change.clone());
        assert_eq!(r.error(409).0, "survey_has_responses", "{change}");
    }
    let s_now = app.get(&path).json();
    assert_eq!(
        (&s_now["min_group_size"], &s_now["comment_min_group_size"]),
        (&json!(6), &json!(12))
    );
    // Texts still change.
    assert_eq!(
        app.patch(&path, json!({"title": "Nieuwe titel"})).status,
        200
    );
}
