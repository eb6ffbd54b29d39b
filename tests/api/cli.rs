//! Issue 19: the CLI's default wave is the web report's, and commands that write a file say so.

use serde_json::Value;

use crate::helpers::*;

fn ok(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout(out)
}

fn report_json(app: &TestApp, args: &[&str]) -> (Value, String) {
    let mut all = vec!["report", "--format", "json"];
    all.extend_from_slice(args);
    let out = cli(app, &all, None);
    let text = ok(&out);
    (
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}")),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn report_without_wave_equals_the_api_comparison_of_the_latest_wave() {
    let app = spawn_app();
    ok(&cli(&app, &["demo"], None));
    let (report, said) = report_json(&app, &["--survey", "1"]);
    // The demo's waves: 1 "Voorjaar 2026", 2 "Najaar 2026" (the latest).
    assert_eq!(report["wave_id"], 2);
    assert!(said.contains("wave 2 (Najaar 2026)"), "{said}");
    let api = app.get("/api/v1/surveys/1/comparison?wave_id=2").json();
    assert_eq!(report, api);
    // One wave's employees, not both waves' pooled.
    let pooled = app.get("/api/v1/surveys/1/comparison").json();
    assert_eq!(
        report["respondents"]["employee"].as_i64().unwrap() * 2,
        pooled["respondents"]["employee"].as_i64().unwrap()
    );
    // --all-waves still pools, as before.
    let (all, _) = report_json(&app, &["--survey", "1", "--all-waves"]);
    assert_eq!(all, pooled);
    // A team's report defaults the same way.
    let (team, _) = report_json(&app, &["--survey", "1", "--team", "1"]);
    assert_eq!(
        team,
        app.get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
            .json()
    );
    let out = cli(
        &app,
        &["report", "--survey", "1", "--wave", "1", "--all-waves"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn the_latest_wave_is_the_last_to_open_not_the_last_created() {
    let app = spawn_app();
    let w = world(&app); // "Voorjaar 2026", opens 2026-01-01
    let earlier = app.create_wave(w.survey, "Najaar 2025", "2025-09-01T00:00:00Z");
    assert!(earlier > w.wave);
    let s = w.survey.to_string();
    let (report, said) = report_json(&app, &["--survey", &s]);
    assert_eq!(report["wave_id"], w.wave, "{said}");
    // The web report picks the same wave: its wave filter marks it as chosen.
    let cookie = login_admin(&app);
    let page = app.get_public(&format!("/surveys/{s}"), &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let selected = format!("value=\"{}\" selected", w.wave);
    assert!(page.body.contains(&selected), "{}", page.body);
}

/// An admin made with the CLI, logged in through the form; returns the Cookie header.
fn login_admin(app: &TestApp) -> String {
    let (email, password) = ("beheer@example.nl", "een-lang-wachtwoord");
    ok(&cli(
        app,
        &["user", "add", "--email", email, "--role", "admin"],
        Some(&format!("{password}\n")),
    ));
    let form = app.get_public("/login", &[]);
    let start = form.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = form.body[start..].split('"').next().unwrap().to_string();
    let cookies = |r: &Resp| -> Vec<String> {
        r.headers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
            .filter_map(|(_, v)| v.split(';').next().map(str::to_string))
            .collect()
    };
    let form_cookie = cookies(&form).join("; ");
    let r = app.post_form(
        "/login",
        &[("Cookie", &form_cookie)],
        &[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/dashboard"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    cookies(&r)
        .into_iter()
        .find(|c| c.starts_with("ks_session="))
        .unwrap()
}

#[test]
fn chart_without_wave_draws_the_latest_wave_and_says_what_it_wrote() {
    let app = spawn_app();
    ok(&cli(&app, &["demo"], None));
    let dir = std::env::temp_dir().join(format!("ks-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("mirror.svg");
    let p = path.to_str().unwrap();
    let said = ok(&cli(
        &app,
        &["chart", "--survey", "1", "--kind", "mirror", "--out", p],
        None,
    ));
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(said, format!("wrote {p} ({} bytes)\n", bytes.len()));
    let latest = ok(&cli(
        &app,
        &[
            "chart", "--survey", "1", "--kind", "mirror", "--wave", "2", "--out", p,
        ],
        None,
    ));
    assert_eq!(latest, said);
    assert_eq!(std::fs::read(&path).unwrap(), bytes);

    let csv = dir.join("responses.csv");
    let c = csv.to_str().unwrap();
    let said = ok(&cli(&app, &["export", "--survey", "1", "--out", c], None));
    let len = std::fs::metadata(&csv).unwrap().len();
    assert!(len > 1000);
    assert_eq!(said, format!("wrote {c} ({len} bytes)\n"));
    let _ = std::fs::remove_dir_all(&dir);
}
