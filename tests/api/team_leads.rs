//! Issue 6: users, login, sessions, team scoping, actions API, rate limit on login.

use serde_json::{json, Value};

use crate::helpers::*;

fn cookie_value(resp: &Resp, name: &str) -> Option<String> {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
}

fn login_form(app: &TestApp) -> (String, String) {
    let page = app.get_public("/login", &[]);
    assert_eq!(page.status, 200);
    let body = &page.body;
    let start = body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = body[start..].split('"').next().unwrap().to_string();
    (csrf, cookie_value(&page, "ks_login").unwrap())
}

/// Logs in; returns the response (303 with a session cookie on success).
pub fn login(app: &TestApp, email: &str, password: &str) -> Resp {
    let (csrf, form_cookie) = login_form(app);
    app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={form_cookie}"))],
        &[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/dashboard"),
        ],
    )
}

/// A logged-in session: (session cookie, csrf token for API writes).
pub fn session(app: &TestApp, email: &str, password: &str) -> (String, String) {
    let r = login(app, email, password);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.header("location"), Some("/dashboard"));
    let set = r
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("ks_session="))
        .unwrap()
        .1
        .clone();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Lax"),
        "{set}"
    );
    let token = cookie_value(&r, "ks_session").unwrap();
    let dash = app.get_public("/dashboard", &[("Cookie", &format!("ks_session={token}"))]);
    assert_eq!(dash.status, 200);
    let start = dash.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = dash.body[start..].split('"').next().unwrap().to_string();
    (token, csrf)
}

pub fn as_user(
    app: &TestApp,
    method: &str,
    path: &str,
    cookie: &str,
    csrf: Option<&str>,
    body: Option<Value>,
) -> Resp {
    let mut req = agent()
        .request(method, &app.url(path))
        .set("Cookie", &format!("ks_session={cookie}"));
    if let Some(c) = csrf {
        req = req.set("X-CSRF-Token", c);
    }
    let r = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let resp = match r {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("{e}"),
    };
    let status = resp.status();
    Resp {
        status,
        headers: vec![],
        body: resp.into_string().unwrap_or_default(),
    }
}

fn demo(app: &TestApp) {
    let out = cli(app, &["demo"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn user_add_reads_the_password_from_stdin_and_refuses_bad_input() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "Lead@Example.nl",
            "--role",
            "team_lead",
            "--team",
            &team.to_string(),
        ],
        Some("een-goed-wachtwoord\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(app.count("users"), 1);
    let hash: String = {
        use diesel::prelude::*;
        use klantspiegel::store::schema::users::dsl::*;
        users.select(password_hash).first(&mut *app.conn()).unwrap()
    };
    assert!(hash.starts_with("$argon2id$"));
    for (args, stdin) in [
        (vec!["--email", "x@example.nl", "--role", "admin"], "kort\n"),
        (
            vec!["--email", "y@example.nl", "--role", "team_lead"],
            "lang-genoeg-wachtwoord\n",
        ),
        (
            vec!["--email", "lead@example.nl", "--role", "admin"],
            "lang-genoeg-wachtwoord\n",
        ),
        (
            vec![
                "--email",
                "z@example.nl",
                "--role",
                "team_lead",
                "--team",
                "99",
            ],
            "lang-genoeg-wachtwoord\n",
        ),
        (
            vec!["--email", "geen-adres", "--role", "admin"],
            "lang-genoeg-wachtwoord\n",
        ),
    ] {
        let mut a = vec!["user", "add"];
        a.extend(args.iter());
        let out = cli(&app, &a, Some(stdin));
        assert_eq!(
            out.status.code(),
            Some(2),
            "{a:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(app.count("users"), 1);
    // The e-mail address is stored in lower case, so logging in is case-insensitive.
    assert_eq!(
        login(&app, "lead@example.nl", "een-goed-wachtwoord").status,
        303
    );
}

#[test]
fn a_wrong_password_gives_no_access() {
    let app = spawn_app();
    demo(&app);
    let r = login(&app, klantspiegel::demo::LEAD_EMAIL, "fout-wachtwoord");
    assert_eq!(r.status, 401);
    assert!(cookie_value(&r, "ks_session").is_none());
    assert!(r.body.contains("E-mailadres of wachtwoord onjuist"));
    assert_eq!(
        login(&app, "niemand@example.nl", "whatever-123").status,
        401
    );
    assert_eq!(app.count("sessions"), 0);
    // Pages without a session redirect to the login page; the API answers 401.
    let r = app.get_public("/dashboard", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login?next=/dashboard"));
    assert_eq!(
        app.get_public("/dashboard", &[("Cookie", "ks_session=forged")])
            .status,
        303
    );
    assert_eq!(
        as_user(
            &app,
            "GET",
            "/api/v1/surveys/1/comparison",
            "forged",
            None,
            None
        )
        .status,
        401
    );
}

#[test]
fn a_team_lead_sees_their_team_and_the_organisation_but_no_other_team() {
    let app = spawn_app();
    demo(&app);
    let (cookie, csrf) = session(
        &app,
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let ok = |path: &str| as_user(&app, "GET", path, &cookie, None, None).status;
    assert_eq!(ok("/api/v1/surveys/1/comparison?team_id=1"), 200);
    assert_eq!(ok("/api/v1/surveys/1/comparison"), 200);
    assert_eq!(ok("/api/v1/surveys/1/charts/mirror.svg?team_id=1"), 200);
    assert_eq!(ok("/surveys/1?team_id=1"), 200);
    assert_eq!(ok("/surveys/1/workshop?team_id=1"), 200);
    for path in [
        "/api/v1/surveys/1/comparison?team_id=2",
        "/api/v1/surveys/1/trend?team_id=2",
        "/api/v1/surveys/1/charts/mirror.svg?team_id=2",
        "/api/v1/surveys/1/charts/gaps.png?team_id=3",
        "/api/v1/surveys/1/actions?team_id=2",
        "/api/v1/surveys/1/export.csv",
        "/surveys/1?team_id=2",
        "/surveys/1/workshop?wave_id=2&team_id=2",
    ] {
        assert_eq!(ok(path), 403, "{path}");
    }
    // Teams listed: only their own.
    let teams: Value =
        serde_json::from_str(&as_user(&app, "GET", "/api/v1/teams", &cookie, None, None).body)
            .unwrap();
    assert_eq!(teams, json!([{"id": 1, "name": "Klantenservice"}]));
    // The dashboard shows their team and the organisation, not the others.
    let dash = as_user(&app, "GET", "/dashboard", &cookie, None, None).body;
    assert!(dash.contains("Klantenservice") && dash.contains("Hele organisatie"));
    assert!(!dash.contains("Buitendienst") && !dash.contains("Backoffice"));
    // Admin set-up is refused.
    assert_eq!(
        as_user(
            &app,
            "POST",
            "/api/v1/teams",
            &cookie,
            Some(&csrf),
            Some(json!({"name": "X"}))
        )
        .status,
        403
    );

    // Actions: writes need the CSRF header; their own team only.
    let body = json!({"dimension_key": "speed", "wave_id": 2, "team_id": 1, "decision": "manage_expectations", "description": "Doorlooptijden op de website zetten", "owner": "Fatima", "due_date": "2027-01-15"});
    assert_eq!(
        as_user(
            &app,
            "POST",
            "/api/v1/surveys/1/actions",
            &cookie,
            None,
            Some(body.clone())
        )
        .status,
        403
    );
    let r = as_user(
        &app,
        "POST",
        "/api/v1/surveys/1/actions",
        &cookie,
        Some(&csrf),
        Some(body.clone()),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let created: Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(created["status"], "open");
    assert_eq!(created["due_date"], "2027-01-15");
    let mut other = body.clone();
    other["team_id"] = json!(2);
    assert_eq!(
        as_user(
            &app,
            "POST",
            "/api/v1/surveys/1/actions",
            &cookie,
            Some(&csrf),
            Some(other)
        )
        .status,
        403
    );
    let mut org = body;
    org["team_id"] = Value::Null;
    assert_eq!(
        as_user(
            &app,
            "POST",
            "/api/v1/surveys/1/actions",
            &cookie,
            Some(&csrf),
            Some(org)
        )
        .status,
        403
    );
    // The demo's Buitendienst action (id 2) cannot be changed by this team lead.
    assert_eq!(
        as_user(
            &app,
            "PATCH",
            "/api/v1/actions/2",
            &cookie,
            Some(&csrf),
            Some(json!({"status": "dropped"}))
        )
        .status,
        403
    );
    let id = created["id"].as_i64().unwrap();
    let r = as_user(
        &app,
        "PATCH",
        &format!("/api/v1/actions/{id}"),
        &cookie,
        Some(&csrf),
        Some(json!({"status": "done"})),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        serde_json::from_str::<Value>(&r.body).unwrap()["status"],
        "done"
    );

    // Logging out (a POST with the session's CSRF token) ends the session.
    let out = app.post_form(
        "/logout",
        &[("Cookie", &format!("ks_session={cookie}"))],
        &[("csrf", &csrf)],
    );
    assert_eq!(out.status, 303);
    assert_eq!(ok("/api/v1/surveys/1/comparison"), 401);
}

#[test]
fn actions_api_validates_and_lists() {
    let app = spawn_app();
    demo(&app);
    let path = "/api/v1/surveys/1/actions";
    let good = json!({"dimension_key": "keeping_agreements", "wave_id": 2, "team_id": 1, "decision": "improve_service", "description": "Afspraken bevestigen per e-mail"});
    let bad: Vec<(Value, &str)> = vec![
        (json!({"decision": "fix_it"}), "decision"),
        (json!({"dimension_key": "nope"}), "dimension_key"),
        (json!({"wave_id": 999}), "wave_id"),
        (json!({"team_id": 999}), "team_id"),
        (json!({"description": " "}), "description"),
        (json!({"due_date": "15-01-2027"}), "due_date"),
    ];
    let before = app.count("actions");
    for (patch, field) in bad {
        let mut body = good.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let (code, f) = app.post(path, body).error(422);
        assert_eq!(
            (code.as_str(), f.as_deref()),
            ("validation_failed", Some(field))
        );
    }
    assert_eq!(app.count("actions"), before);
    let r = app.post(path, good);
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let list = app.get(&format!("{path}?team_id=1")).json();
    assert!(list.as_array().unwrap().iter().any(|a| a["id"] == id));
    assert!(list.as_array().unwrap().iter().all(|a| a["team_id"] == 1));
    assert_eq!(
        app.patch(
            &format!("/api/v1/actions/{id}"),
            json!({"status": "finished"})
        )
        .error(422)
        .1
        .as_deref(),
        Some("status")
    );
    assert_eq!(
        app.patch("/api/v1/actions/9999", json!({"status": "done"}))
            .error(404)
            .0,
        "not_found"
    );
    let r = app.patch(
        &format!("/api/v1/actions/{id}"),
        json!({"owner": "Jan", "due_date": "2027-02-01"}),
    );
    assert_eq!(r.json()["owner"], "Jan");
    assert_eq!(r.json()["due_date"], "2027-02-01");
    assert_eq!(r.json()["status"], "open");
}

#[test]
fn forty_failed_logins_in_a_row_meet_429() {
    let app = spawn_app();
    demo(&app);
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let r = login(&app, klantspiegel::demo::LEAD_EMAIL, "fout");
        statuses.push(r.status);
        if r.status == 429 {
            assert!(r.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
        }
    }
    assert!(statuses.iter().take(20).all(|s| *s == 401), "{statuses:?}");
    assert!(statuses.iter().skip(20).all(|s| *s == 429), "{statuses:?}");
    // Even the right password is refused while the limit holds.
    assert_eq!(
        login(
            &app,
            klantspiegel::demo::LEAD_EMAIL,
            klantspiegel::demo::LEAD_PASSWORD
        )
        .status,
        429
    );
}

#[test]
fn the_report_page_says_each_verdict_in_a_sentence_and_shows_whether_gaps_closed() {
    let app = spawn_app();
    demo(&app);
    let (cookie, _) = session(
        &app,
        klantspiegel::demo::ADMIN_EMAIL,
        klantspiegel::demo::ADMIN_PASSWORD,
    );
    let page = as_user(
        &app,
        "GET",
        "/surveys/1?wave_id=1&team_id=1",
        &cookie,
        None,
        None,
    )
    .body;
    // SPEC "Words for verdicts (revision 3)": the gap and the materiality named, the
    // Holm-adjusted p beside the verdict.
    let api1 = app
        .get("/api/v1/surveys/1/comparison?wave_id=1&team_id=1")
        .json();
    assert_eq!(api1["materiality"], 0.9);
    let ka = api1["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "keeping_agreements")
        .unwrap();
    assert_eq!(ka["verdict"], "blind_spot");
    let gap = ka["gap"]["value"].as_f64().unwrap();
    let p_holm = ka["gap"]["p_adjusted"].as_f64().unwrap();
    let holm = if p_holm < 0.001 {
        // "<" as askama escapes it.
        "p (Holm) &#60; 0,001".to_string()
    } else {
        format!("p (Holm) = {p_holm:.3}").replace('.', ",")
    };
    let nl = format!(
        "<strong>Nakomen van afspraken.</strong> Medewerkers oordelen hoger dan klanten \
         (+{}), een verschil van minstens de drempel van 0,9: een blinde vlek. \
         <span class=\"p-holm\">({holm})</span>",
        format!("{gap:.2}").replace('.', ",")
    );
    assert!(page.contains(&nl), "{nl} {page}");
    assert!(page.contains("Terugbelafspraken vastleggen"));
    // The demo's action on keeping agreements closed the gap (wave 1 → wave 2).
    assert!(
        page.contains("kloof gedicht: medewerkers en klanten liggen nu op één lijn"),
        "{page}"
    );
    // Revision 3: the page says how well the team knows its customers.
    assert!(
        page.contains("Hoe goed kent het team zijn klanten?"),
        "{page}"
    );
    let en = as_user(
        &app,
        "GET",
        "/surveys/1?wave_id=1&team_id=1&lang=en",
        &cookie,
        None,
        None,
    )
    .body;
    let en_sentence = format!(
        "<strong>Keeping agreements.</strong> Employees rate higher than customers (+{gap:.2}), \
         a difference of at least the threshold of 0.9: a blind spot."
    );
    assert!(en.contains(&en_sentence), "{en_sentence} {en}");
    // The workshop lists the slides in the survey's order of dimensions (priority order would
    // rank the blind spots before anyone guessed).
    let ws = as_user(
        &app,
        "GET",
        "/surveys/1/workshop?wave_id=2&team_id=1",
        &cookie,
        None,
        None,
    )
    .body;
    let survey = app.get("/api/v1/surveys/1").json();
    let mut last = 0;
    for d in survey["dimensions"].as_array().unwrap() {
        let at = ws
            .find(&format!("data-key=\"{}\"", d["key"].as_str().unwrap()))
            .unwrap();
        assert!(at > last);
        last = at;
    }
    assert!(ws.contains("Verwachtingen bijstellen of de dienstverlening verbeteren?"));
    assert!(ws.contains("Wat gaan we doen, wie, wanneer?"));
}

#[test]
fn a_comment_with_a_script_tag_is_shown_as_text() {
    let app = spawn_app();
    demo(&app);
    // The demo's open wave (3) has no answers yet: ten customers of Klantenservice answer, so
    // the cell reaches comment_min_group_size (10) and its comments are listed.
    let tokens = app.invite(1, 3, 1, "customer", 10, 1);
    for (i, t) in tokens.iter().enumerate() {
        let comment = if i == 0 {
            "<script>alert('x')</script> & <b>vet</b>".to_string()
        } else {
            format!("opmerking {i}")
        };
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": t, "ratings": {"speed": {"perceived": 8}}, "comment": comment}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let (cookie, _) = session(
        &app,
        klantspiegel::demo::ADMIN_EMAIL,
        klantspiegel::demo::ADMIN_PASSWORD,
    );
    let page = as_user(
        &app,
        "GET",
        "/surveys/1?wave_id=3&team_id=1",
        &cookie,
        None,
        None,
    )
    .body;
    assert!(page.contains("<li>&#60;script&#62;alert(&#39;x&#39;)&#60;/script&#62; &#38; &#60;b&#62;vet&#60;/b&#62;</li>"), "{page}");
    assert!(!page.contains("<script>alert"));
    // A cell with fewer customers than comment_min_group_size lists none of its comments.
    let t = app.create_team("Nieuw team");
    let toks = app.invite(1, 3, t, "customer", 9, 1);
    for tok in &toks {
        app.post_public(
            "/api/v1/responses",
            json!({"token": tok, "ratings": {"speed": {"perceived": 8}}, "comment": "herkenbaar"}),
        );
    }
    let page = as_user(
        &app,
        "GET",
        &format!("/surveys/1?wave_id=3&team_id={t}"),
        &cookie,
        None,
        None,
    )
    .body;
    assert!(!page.contains("herkenbaar"));
    // Nor does the organisation's list.
    let page = as_user(&app, "GET", "/surveys/1?wave_id=3", &cookie, None, None).body;
    assert!(!page.contains("herkenbaar"));
    assert!(page.contains("opmerking 3"));
}
