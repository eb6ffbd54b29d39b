//! Issue 4: the comparison equals independent scipy computations (tests/fixtures/reference),
//! through CSV import, the API and the CLI; the trend rule; access by team.

use serde_json::{json, Value};

use crate::helpers::*;
use klantspiegel::domain::{SurveyId, TeamId, WaveId};

const TOL: f64 = 1e-6;

fn fixture(name: &str) -> String {
    format!(
        "{}/tests/fixtures/reference/{name}",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn close(a: &Value, b: &Value, path: &str) {
    close_within(a, b, path, TOL)
}

/// Every number of `b` in `a` within `tol` (relative, absolute below 1); other values equal.
pub(crate) fn close_within(a: &Value, b: &Value, path: &str, tol: f64) {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => {
            let (x, y) = (x.as_f64().unwrap(), y.as_f64().unwrap());
            let tol = tol * y.abs().max(1.0);
            assert!((x - y).abs() <= tol, "{path}: got {x}, scipy says {y}");
        }
        (Value::Array(x), Value::Array(y)) => {
            assert_eq!(x.len(), y.len(), "{path}: lengths differ");
            for (i, (p, q)) in x.iter().zip(y).enumerate() {
                close_within(p, q, &format!("{path}[{i}]"), tol);
            }
        }
        (Value::Object(_), Value::Object(y)) => {
            for (k, v) in y {
                close_within(&a[k], v, &format!("{path}.{k}"), tol);
            }
        }
        _ => assert_eq!(a, b, "{path}"),
    }
}

/// Sets up teams, a survey with the fixture's scale, a wave, and imports the fixture CSV.
fn load(app: &TestApp, dataset: &str) -> (i64, i64, Vec<(String, i64)>, Value) {
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("datasets.json")).unwrap()).unwrap();
    let m = &meta[dataset];
    let mut teams = Vec::new();
    for t in m["teams"].as_array().unwrap() {
        let name = t.as_str().unwrap();
        teams.push((name.to_string(), app.create_team(name)));
    }
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": dataset, "template": "mirror-default", "scale_min": m["scale_min"], "scale_max": m["scale_max"]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let sid = r.json()["id"].as_i64().unwrap();
    let wid = app.create_wave(sid, "W1", "2026-01-01T00:00:00Z");
    let csv = std::fs::read(fixture(m["csv"].as_str().unwrap())).unwrap();
    let r = app.post_raw(
        &format!("/api/v1/surveys/{sid}/import?wave_id={wid}"),
        "text/csv",
        &csv,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let total = m["employees"].as_i64().unwrap() + m["customers"].as_i64().unwrap();
    assert_eq!(r.json()["imported"], total);
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(m["expected"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    (sid, wid, teams, expected)
}

fn check_scope(got: &Value, want: &Value, scope: &str) {
    for k in [
        "respondents",
        "nps",
        "scale",
        "min_group_size",
        "alpha",
        "materiality",
        "excluded_cells",
    ] {
        close(&got[k], &want[k], &format!("{scope}.{k}"));
    }
    let got_dims = got["dimensions"].as_array().unwrap();
    let priorities: Vec<i64> = got_dims
        .iter()
        .map(|d| d["priority"].as_i64().unwrap())
        .collect();
    assert_eq!(
        priorities,
        (1..=got_dims.len() as i64).collect::<Vec<_>>(),
        "{scope}: report is in priority order"
    );
    for w in want["dimensions"].as_array().unwrap() {
        let key = w["key"].as_str().unwrap();
        let g = got_dims
            .iter()
            .find(|d| d["key"] == key)
            .unwrap_or_else(|| panic!("{scope}: {key} missing"));
        for k in [
            "priority",
            "verdict",
            "category",
            "employee",
            "predicted",
            "customer",
            "expected",
            "gap",
            "prediction_gap",
            "expectation_gap",
            "stratified_gap",
        ] {
            close(&g[k], &w[k], &format!("{scope}.{key}.{k}"));
        }
    }
}

fn check_dataset(dataset: &str) {
    let app = spawn_app();
    let (sid, wid, teams, expected) = load(&app, dataset);
    let r = app.get(&format!("/api/v1/surveys/{sid}/comparison?wave_id={wid}"));
    assert_eq!(r.status, 200, "{}", r.body);
    let all = r.json();
    assert_eq!(all["survey_id"], sid);
    assert_eq!(all["wave_id"], wid);
    assert_eq!(all["team_id"], Value::Null);
    check_scope(&all, &expected["all"], "all");
    // Without a wave filter the whole survey (one wave here) gives the same numbers.
    check_scope(
        &app.get(&format!("/api/v1/surveys/{sid}/comparison")).json(),
        &expected["all"],
        "all-waves",
    );
    for (name, id) in &teams {
        let got = app
            .get(&format!(
                "/api/v1/surveys/{sid}/comparison?wave_id={wid}&team_id={id}"
            ))
            .json();
        assert_eq!(got["team_id"], *id);
        check_scope(&got, &expected[name.as_str()], name);
    }
    // The CLI prints the same JSON as the API.
    let out = cli(
        &app,
        &[
            "report",
            "--survey",
            &sid.to_string(),
            "--wave",
            &wid.to_string(),
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
    let cli_json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(cli_json, all);
    let (name, id) = &teams[0];
    let out = cli(
        &app,
        &[
            "report",
            "--survey",
            &sid.to_string(),
            "--wave",
            &wid.to_string(),
            "--team",
            &id.to_string(),
            "--format",
            "json",
        ],
        None,
    );
    let cli_json: Value = serde_json::from_str(&stdout(&out)).unwrap();
    check_scope(&cli_json, &expected[name.as_str()], "cli-team");
}

#[test]
fn mirror10_equals_scipy_for_survey_and_each_team() {
    check_dataset("mirror10");
}

#[test]
fn likert5_equals_scipy_including_zero_variance_and_all_dont_know() {
    check_dataset("likert5");
}

#[test]
fn simpson10_equals_scipy_including_a_gap_of_exactly_the_materiality() {
    check_dataset("simpson10");
}

/// Simpson's pair: each team aligned, the organisation not. The report page says so in words
/// for every dimension whose composition warning is set.
#[test]
fn the_report_page_names_the_composition_warning_in_words() {
    let app = spawn_app();
    let (sid, wid, _, expected) = load(&app, "simpson10");
    let warned: Vec<String> = expected["all"]["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["stratified_gap"]["composition_warning"] == true)
        .map(|d| d["key"].as_str().unwrap().to_string())
        .collect();
    assert!(!warned.is_empty());
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
    assert!(out.status.success());
    let (cookie, _) = crate::team_leads::session(&app, "admin@example.nl", "een-goed-wachtwoord");
    let page = crate::team_leads::as_user(
        &app,
        "GET",
        &format!("/surveys/{sid}?wave_id={wid}"),
        &cookie,
        None,
        None,
    )
    .body;
    assert_eq!(
        page.matches("Let op: binnen de teams is het verschil")
            .count(),
        warned.len(),
        "{warned:?}"
    );
    for key in &warned {
        let at = page.find(&format!("id=\"dim-{key}\"")).unwrap();
        let item = &page[at..at + page[at..].find("</li>").unwrap()];
        assert!(item.contains("Let op"), "{key}: {item}");
    }
}

#[test]
fn edge11_equals_scipy_on_a_0_to_10_scale_with_ties_and_exact_p() {
    check_dataset("edge11");
}

/// The two-wave dataset: every wave's gap block (with p_adjusted, mdd) and the t-based change.
#[test]
fn edge11_trend_over_two_waves_equals_scipy() {
    let app = spawn_app();
    let (sid, _, teams, _) = load(&app, "edge11");
    let meta: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("datasets.json")).unwrap()).unwrap();
    let m = &meta["edge11"];
    let second = &m["waves"][1];
    let w2 = app.create_wave(sid, "Najaar", second["opens_at"].as_str().unwrap());
    let csv = std::fs::read(fixture(second["csv"].as_str().unwrap())).unwrap();
    let r = app.post_raw(
        &format!("/api/v1/surveys/{sid}/import?wave_id={w2}"),
        "text/csv",
        &csv,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture(m["trend"].as_str().unwrap())).unwrap(),
    )
    .unwrap();
    let got = app.get(&format!("/api/v1/surveys/{sid}/trend")).json();
    close(&got, &want["all"], "trend.all");
    for (name, id) in &teams {
        let got = app
            .get(&format!("/api/v1/surveys/{sid}/trend?team_id={id}"))
            .json();
        close(&got, &want[name.as_str()], &format!("trend.{name}"));
    }
}

#[test]
fn team_below_threshold_shows_counts_only() {
    let app = spawn_app();
    let (sid, wid, teams, _) = load(&app, "mirror10");
    let backoffice = teams.iter().find(|(n, _)| n == "Backoffice").unwrap().1;
    let r = app
        .get(&format!(
            "/api/v1/surveys/{sid}/comparison?wave_id={wid}&team_id={backoffice}"
        ))
        .json();
    assert_eq!(r["respondents"]["employee"], 3);
    for d in r["dimensions"].as_array().unwrap() {
        assert_eq!(d["verdict"], "insufficient_data");
        assert_eq!(d["employee"]["mean"], Value::Null);
        assert_eq!(d["employee"]["sd"], Value::Null);
        assert_eq!(d["employee"]["histogram"], Value::Null);
        assert!(d["employee"]["n"].as_u64().unwrap() < 5);
        assert_eq!(d["gap"], Value::Null);
    }
    // The table names the suppression instead of printing numbers.
    let out = cli(
        &app,
        &[
            "report",
            "--survey",
            &sid.to_string(),
            "--team",
            &backoffice.to_string(),
            "--lang",
            "en",
        ],
        None,
    );
    let text = stdout(&out);
    assert!(text.contains("cannot be compared"), "{text}");
    assert!(
        text.contains("Groups with fewer than 5 answers show their count only"),
        "{text}"
    );
    assert!(text.contains("Keeping agreements"), "{text}");
}

#[test]
fn report_table_is_aligned_with_verdicts_in_words() {
    let app = spawn_app();
    let (sid, _, _, _) = load(&app, "mirror10");
    let out = cli(&app, &["report", "--survey", &sid.to_string()], None);
    assert!(out.status.success());
    let text = stdout(&out);
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("Nakomen van afspraken"))
        .collect();
    assert_eq!(lines.len(), 1);
    assert!(lines[0].starts_with("1  Nakomen van afspraken"), "{text}");
    assert!(lines[0].trim_end().ends_with("blinde vlek"), "{text}");
    assert!(text.contains("verborgen kracht"));
    let out = cli(&app, &["report", "--survey", "999"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn trend_reports_change_in_gap_between_waves() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    let sid = app.post("/api/v1/surveys", json!({"title": "t", "dimensions": [{"key": "speed", "label_nl": "Snelheid", "label_en": "Speed"}], "ask_expected": false})).json()["id"].as_i64().unwrap();
    let w1 = app.create_wave(sid, "Voorjaar", "2026-03-01T00:00:00Z");
    let w2 = app.create_wave(sid, "Najaar", "2026-09-01T00:00:00Z");
    // Wave 1: self [8,9,8,9,8,9] vs perceived [5,6,5,6,5,6]: gap 3, se = sqrt(0.3/6*2) = sqrt(0.1)
    // Wave 2: self [8,9,8,9,8,9] vs perceived [7,8,7,8,7,8]: gap 1, same se.
    let mut csv = String::from("audience,team,speed\n");
    for v in [8, 9, 8, 9, 8, 9] {
        csv.push_str(&format!("employee,Klantenservice,{v}\n"));
    }
    let mut c1 = csv.clone();
    let mut c2 = csv;
    for v in [5, 6, 5, 6, 5, 6] {
        c1.push_str(&format!("customer,Klantenservice,{v}\n"));
        c2.push_str(&format!("customer,Klantenservice,{}\n", v + 2));
    }
    assert_eq!(
        app.post_raw(
            &format!("/api/v1/surveys/{sid}/import?wave_id={w2}"),
            "text/csv",
            c2.as_bytes()
        )
        .status,
        201
    );
    assert_eq!(
        app.post_raw(
            &format!("/api/v1/surveys/{sid}/import?wave_id={w1}"),
            "text/csv",
            c1.as_bytes()
        )
        .status,
        201
    );
    let t = app
        .get(&format!("/api/v1/surveys/{sid}/trend?team_id={team}"))
        .json();
    let waves = t["waves"].as_array().unwrap();
    assert_eq!(waves.len(), 2);
    assert_eq!(waves[0]["wave_id"], w1);
    assert_eq!(waves[1]["wave_id"], w2);
    let g1 = &waves[0]["dimensions"][0]["gap"];
    let g2 = &waves[1]["dimensions"][0]["gap"];
    assert!((g1["value"].as_f64().unwrap() - 3.0).abs() < 1e-12);
    assert!((g2["value"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    let se1 = 0.1f64.sqrt();
    assert!((g1["se"].as_f64().unwrap() - se1).abs() < 1e-12);
    let ch = &t["changes"][0];
    assert_eq!(ch["from_wave_id"], w1);
    assert_eq!(ch["to_wave_id"], w2);
    let d = &ch["dimensions"][0];
    assert!((d["change"].as_f64().unwrap() + 2.0).abs() < 1e-12);
    let se = (2.0f64 * 0.1).sqrt();
    assert!((d["se"].as_f64().unwrap() - se).abs() < 1e-12);
    // SPEC rev 2: a t-based p (was normal, 7.744216e-06). Each wave has df = 10, so
    // df = 0.2² / (0.1²/10 + 0.1²/10) = 20; t = -2 / sqrt(0.2) = -4.4721...;
    // p = 2·scipy.stats.t.sf(4.47213595, 20) = 0.00023344743474862207.
    assert!((d["df"].as_f64().unwrap() - 20.0).abs() < 1e-9, "{d}");
    assert!(
        (d["p_value"].as_f64().unwrap() - 0.00023344743474862207).abs() < 1e-12,
        "{d}"
    );
}

/// A tiny deterministic generator for random test data.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Naive in-memory statistics: two-pass mean and variance over the raw values.
fn naive(values: &[i64]) -> (usize, Option<f64>, Option<f64>) {
    let n = values.len();
    if n == 0 {
        return (0, None, None);
    }
    let mean = values.iter().sum::<i64>() as f64 / n as f64;
    let sd = (n > 1).then(|| {
        (values
            .iter()
            .map(|v| (*v as f64 - mean).powi(2))
            .sum::<f64>()
            / (n as f64 - 1.0))
            .sqrt()
    });
    (n, Some(mean), sd)
}

fn naive_welch(a: &[i64], b: &[i64]) -> (f64, f64) {
    use statrs::distribution::{ContinuousCDF, StudentsT};
    let (n1, m1, s1) = naive(a);
    let (n2, m2, s2) = naive(b);
    let (m1, m2, s1, s2) = (m1.unwrap(), m2.unwrap(), s1.unwrap(), s2.unwrap());
    let v1 = s1 * s1 / n1 as f64;
    let v2 = s2 * s2 / n2 as f64;
    let se = (v1 + v2).sqrt();
    let gap = m1 - m2;
    if se == 0.0 {
        // SPEC rev 2: the exact permutation p, k / C(n1 + n2, n1).
        let k = if n1 == n2 { 2.0 } else { 1.0 };
        let c = (1..=n1).fold(1.0, |c, i| c * (n2 + i) as f64 / i as f64);
        return (gap, if gap == 0.0 { 1.0 } else { k / c });
    }
    let df = (v1 + v2).powi(2) / (v1 * v1 / (n1 as f64 - 1.0) + v2 * v2 / (n2 as f64 - 1.0));
    let p = 2.0 * (1.0 - StudentsT::new(0.0, 1.0, df).unwrap().cdf((gap / se).abs()));
    (gap, p)
}

#[test]
fn database_path_equals_a_naive_computation_on_random_data_and_summaries_equal_a_recount() {
    let app = spawn_app();
    let teams = [app.create_team("Alfa"), app.create_team("Beta")];
    let r = app.post(
        "/api/v1/surveys",
        json!({"title": "random", "scale_min": 1, "scale_max": 5,
        "dimensions": [{"key": "a", "label_nl": "A"}, {"key": "b", "label_nl": "B"}]}),
    );
    let sid = r.json()["id"].as_i64().unwrap();
    let waves = [
        app.create_wave(sid, "W1", "2026-01-01T00:00:00Z"),
        app.create_wave(sid, "W2", "2026-06-01T00:00:00Z"),
    ];
    let mut rng = Lcg(20261122);
    // raw[(wave, team, audience, dim)] = values
    let mut raw: std::collections::HashMap<(i64, i64, &str, &str), Vec<i64>> = Default::default();
    for (wi, &w) in waves.iter().enumerate() {
        let mut csv = String::from("audience,team,nps,a,b\n");
        for (ti, team) in ["Alfa", "Beta"].iter().enumerate() {
            for audience in ["employee", "customer"] {
                let count = 3 + rng.below(12);
                for _ in 0..count {
                    let mut cells = vec![];
                    for dim in ["a", "b"] {
                        let cell = match rng.below(10) {
                            0 => "dk".to_string(),
                            1 => String::new(),
                            _ => {
                                let v = 1 + rng.below(5) as i64;
                                raw.entry((w, teams[ti], audience, dim))
                                    .or_default()
                                    .push(v);
                                v.to_string()
                            }
                        };
                        cells.push(cell);
                    }
                    let nps = if audience == "customer" {
                        rng.below(11).to_string()
                    } else {
                        String::new()
                    };
                    csv.push_str(&format!(
                        "{audience},{team},{nps},{},{}\n",
                        cells[0], cells[1]
                    ));
                }
            }
        }
        let r = app.post_raw(
            &format!("/api/v1/surveys/{sid}/import?wave_id={w}"),
            "text/csv",
            csv.as_bytes(),
        );
        assert_eq!(r.status, 201, "wave {wi}: {}", r.body);
    }
    // Every scope: the API's figures equal the naive computation.
    let mut scopes: Vec<(Option<i64>, Option<i64>)> = vec![(None, None)];
    for w in waves {
        scopes.push((Some(w), None));
        for t in teams {
            scopes.push((Some(w), Some(t)));
        }
    }
    for t in teams {
        scopes.push((None, Some(t)));
    }
    for (w, t) in &scopes {
        let mut path = format!("/api/v1/surveys/{sid}/comparison?");
        if let Some(w) = w {
            path.push_str(&format!("wave_id={w}&"));
        }
        if let Some(t) = t {
            path.push_str(&format!("team_id={t}"));
        }
        let rep = app.get(&path).json();
        for dim in ["a", "b"] {
            // SPEC rev 2: outside a team's own report of one wave, a cell (wave, team,
            // audience, dimension) with fewer than 5 numeric answers contributes nothing.
            let own_cells = w.is_some() && t.is_some();
            let collect = |aud: &str| -> Vec<i64> {
                raw.iter()
                    .filter(|((rw, rt, ra, rd), v)| {
                        w.is_none_or(|x| x == *rw)
                            && t.is_none_or(|x| x == *rt)
                            && *ra == aud
                            && *rd == dim
                            && (own_cells || v.len() >= 5)
                    })
                    .flat_map(|(_, v)| v.clone())
                    .collect()
            };
            let (e, c) = (collect("employee"), collect("customer"));
            let d = rep["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|x| x["key"] == dim)
                .unwrap();
            for (vals, block) in [(&e, &d["employee"]), (&c, &d["customer"])] {
                let (n, mean, sd) = naive(vals);
                assert_eq!(block["n"], n as u64, "{path} {dim}");
                if n >= 5 {
                    assert!(
                        (block["mean"].as_f64().unwrap() - mean.unwrap()).abs() < 1e-9,
                        "{path} {dim}"
                    );
                    assert!(
                        (block["sd"].as_f64().unwrap() - sd.unwrap()).abs() < 1e-9,
                        "{path} {dim}"
                    );
                } else {
                    assert_eq!(block["mean"], Value::Null, "{path} {dim}");
                }
            }
            if e.len() >= 5 && c.len() >= 5 {
                let (gap, p) = naive_welch(&e, &c);
                assert!(
                    (d["gap"]["value"].as_f64().unwrap() - gap).abs() < 1e-9,
                    "{path} {dim}"
                );
                assert!(
                    (d["gap"]["p_value"].as_f64().unwrap() - p).abs() < 1e-6,
                    "{path} {dim}"
                );
            } else {
                assert_eq!(d["gap"], Value::Null);
            }
        }
    }
    // Add submissions through the API on top of the imports, then: summaries == full recount.
    let tokens = app.invite(sid, waves[1], teams[0], "customer", 3, 1);
    for tk in &tokens {
        let r = app.post_public("/api/v1/responses", json!({"token": tk, "ratings": {"a": {"perceived": 4, "expected": 5}, "b": {"perceived": null}}, "nps": 9}));
        assert_eq!(r.status, 201);
    }
    let mut conn = app.conn();
    let survey = klantspiegel::store::surveys::find(&mut conn, SurveyId(sid))
        .unwrap()
        .unwrap();
    let dims = klantspiegel::store::surveys::dimensions_of(&mut conn, SurveyId(sid)).unwrap();
    for (w, t) in scopes {
        let scope = klantspiegel::domain::Scope::new(SurveyId(sid), w.map(WaveId), t.map(TeamId));
        let lang = klantspiegel::i18n::Lang::Nl;
        let admin = klantspiegel::app::disclosure::Reader::admin();
        let fast = klantspiegel::app::reports::report_input(
            &mut conn,
            &survey,
            &dims,
            scope,
            lang,
            &admin,
            klantspiegel::app::reports::Source::Summaries,
        )
        .unwrap();
        let slow = klantspiegel::app::reports::report_input(
            &mut conn,
            &survey,
            &dims,
            scope,
            lang,
            &admin,
            klantspiegel::app::reports::Source::Recount,
        )
        .unwrap();
        assert_eq!(
            klantspiegel::engine::compare(&fast),
            klantspiegel::engine::compare(&slow),
            "{scope:?}"
        );
        assert_eq!(fast.respondents, slow.respondents);
        assert_eq!(fast.nps_counts, slow.nps_counts);
    }
}
