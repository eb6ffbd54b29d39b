//! Issue 3: submissions (JSON and form), token rules and races, CSV import/export.

use serde_json::{json, Value};

use crate::helpers::*;

fn customer_body(token: &str) -> Value {
    json!({
        "token": token,
        "ratings": {
            "keeping_agreements": {"perceived": 6, "expected": 8},
            "speed": {"perceived": 9, "expected": null},
            "friendliness": {"perceived": null}
        },
        "nps": 9,
        "comment": "Vriendelijk, maar de afspraak werd niet nagekomen."
    })
}

#[test]
fn a_customer_submission_is_stored_whole() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 1, 1);
    let r = app.post_public("/api/v1/responses", customer_body(&tokens[0]));
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.count("responses"), 1);
    assert_eq!(app.count("ratings"), 5);
    // The team's own report sees it (one customer: suppressed, but counted).
    let rep = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}&team_id={}",
            w.survey, w.wave, w.teams[0]
        ))
        .json();
    assert_eq!(rep["respondents"]["customer"], 1);
    // The organisation counts the respondent but sums none of the small cell's answers.
    let org = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}",
            w.survey, w.wave
        ))
        .json();
    assert_eq!(org["respondents"]["customer"], 1);
    let org_speed = org["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "speed")
        .unwrap()
        .clone();
    assert_eq!(org_speed["customer"]["n"], 0);
    // Three cells with one numeric answer (keeping_agreements perceived and expected, speed
    // perceived) and the NPS cell are left out; don't-knows alone make no cell to protect.
    assert_eq!(org["excluded_cells"], 4);
    assert_eq!(rep["excluded_cells"], 4);
    let speed = rep["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "speed")
        .unwrap()
        .clone();
    assert_eq!(speed["customer"]["n"], 1);
    assert_eq!(speed["customer"]["mean"], Value::Null);
    let friendly = rep["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == "friendliness")
        .unwrap()
        .clone();
    assert_eq!(friendly["customer"]["dont_know"], 1);
}

#[test]
fn eight_kinds_of_bad_submission_are_refused_and_store_nothing() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);
    let t = &tokens[0];
    let cases: Vec<(Value, u16, &str, Option<&str>)> = vec![
        (
            json!({"token": t, "ratings": {"speed": {"perceived": 11}}}),
            422,
            "validation_failed",
            Some("ratings.speed.perceived"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"perceived": 0}}}),
            422,
            "validation_failed",
            Some("ratings.speed.perceived"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"self": 7}}}),
            422,
            "validation_failed",
            Some("ratings.speed.self"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"predicted": 7}}}),
            422,
            "validation_failed",
            Some("ratings.speed.predicted"),
        ),
        (
            json!({"token": t, "ratings": {"snelheid": {"perceived": 7}}}),
            422,
            "validation_failed",
            Some("ratings.snelheid"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"perceived": 7}}, "nps": 11}),
            422,
            "validation_failed",
            Some("nps"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"perceived": 7.5}}}),
            422,
            "validation_failed",
            Some("ratings.speed.perceived"),
        ),
        (
            json!({"token": t, "ratings": {"speed": {"perceived": "zeven"}}}),
            422,
            "validation_failed",
            Some("ratings.speed.perceived"),
        ),
        (
            json!({"token": t, "ratings": {}}),
            422,
            "validation_failed",
            Some("ratings"),
        ),
        (
            json!({"token": "not-a-token", "ratings": {"speed": {"perceived": 7}}}),
            404,
            "not_found",
            None,
        ),
        // A valid rating with an invalid one: nothing of it is stored.
        (
            json!({"token": t, "ratings": {"keeping_agreements": {"perceived": 7}, "speed": {"perceived": 12}}}),
            422,
            "validation_failed",
            Some("ratings.speed.perceived"),
        ),
    ];
    for (body, status, code, field) in cases {
        let r = app.post_public("/api/v1/responses", body.clone());
        let (c, f) = r.error(status);
        assert_eq!((c.as_str(), f.as_deref()), (code, field), "{body}");
    }
    let r = app.post_raw("/api/v1/responses", "application/json", b"{\"token\": ");
    assert_eq!(r.error(400).0, "bad_request");
    assert_eq!(app.count("responses"), 0);
    assert_eq!(app.count("ratings"), 0);

    // Used token: 409, and the second submission stores nothing.
    assert_eq!(
        app.post_public("/api/v1/responses", customer_body(t))
            .status,
        201
    );
    let r = app.post_public("/api/v1/responses", customer_body(t));
    assert_eq!(r.error(409).0, "token_used");
    assert_eq!(app.count("responses"), 1);

    // An employee token: employees give self/predicted, no NPS.
    let e = app.invite(w.survey, w.wave, w.teams[0], "employee", 1, 1);
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": e[0], "ratings": {"speed": {"perceived": 7}}}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("ratings.speed.perceived"));
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": e[0], "ratings": {"speed": {"self": 7}}, "nps": 8}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("nps"));
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": e[0], "ratings": {"speed": {"self": 8, "predicted": 6}}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(app.count("responses"), 2);
}

#[test]
fn expired_tokens_and_closed_waves_answer_410() {
    let app = spawn_app();
    let w = world(&app);
    let r = app.post(
        &format!("/api/v1/surveys/{}/invitations", w.survey),
        json!({"wave_id": w.wave, "team_id": w.teams[0], "audience": "customer", "expires_at": "2020-01-01T00:00:00Z"}),
    );
    let t = r.json()["tokens"][0].as_str().unwrap().to_string();
    assert_eq!(
        app.post_public("/api/v1/responses", customer_body(&t))
            .error(410)
            .0,
        "token_expired"
    );

    let closed = app.post(
        &format!("/api/v1/surveys/{}/waves", w.survey),
        json!({"name": "Oud", "opens_at": "2020-01-01T00:00:00Z"}),
    );
    let cw = closed.json()["id"].as_i64().unwrap();
    let t = app.invite(w.survey, cw, w.teams[0], "customer", 1, 1);
    let r = app.patch(
        &format!("/api/v1/surveys/{}/waves/{cw}", w.survey),
        json!({"closes_at": "2020-02-01T00:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // A closed wave takes no new invitations either (SPEC revision 3): they would be dead links.
    let r = app.post(
        &format!("/api/v1/surveys/{}/invitations", w.survey),
        json!({"wave_id": cw, "team_id": w.teams[0], "audience": "customer"}),
    );
    assert_eq!(r.error(409).0, "wave_closed");
    assert_eq!(
        r.json()["error"]["message"],
        "wave 'Oud' is closed: it takes no more responses, invitations or e-mail"
    );
    assert_eq!(
        app.post_public("/api/v1/responses", customer_body(&t[0]))
            .error(410)
            .0,
        "wave_closed"
    );
    let page = app.get_public(&format!("/r/{}", t[0]), &[]);
    assert_eq!(page.status, 410);
    assert!(
        page.body.contains("Deze meting is gesloten"),
        "{}",
        page.body
    );
    assert_eq!(app.count("responses"), 0);
}

#[test]
fn a_single_use_token_submitted_concurrently_succeeds_exactly_once() {
    let app = spawn_app();
    let w = world(&app);
    let t = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 1)
        .remove(0);
    let statuses: Vec<u16> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| {
                let body = customer_body(&t);
                let app = &app;
                s.spawn(move || app.post_public("/api/v1/responses", body).status)
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        7,
        "{statuses:?}"
    );
    assert_eq!(app.count("responses"), 1);

    // A team link with max_uses 3: three answers, then 409.
    let team = app
        .invite(w.survey, w.wave, w.teams[1], "employee", 1, 3)
        .remove(0);
    for _ in 0..3 {
        let r = app.post_public(
            "/api/v1/responses",
            json!({"token": team, "ratings": {"speed": {"self": 8}}}),
        );
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": team, "ratings": {"speed": {"self": 8}}}),
    );
    assert_eq!(r.error(409).0, "token_used");
    assert_eq!(app.count("responses"), 4);
}

#[test]
fn employee_responses_keep_no_link_to_their_token() {
    let app = spawn_app();
    let w = world(&app);
    let t = app
        .invite(w.survey, w.wave, w.teams[0], "employee", 1, 1)
        .remove(0);
    assert_eq!(
        app.post_public(
            "/api/v1/responses",
            json!({"token": t, "ratings": {"speed": {"self": 8}}})
        )
        .status,
        201
    );
    // The responses table has no column that refers to invitations.
    let export = app.get(&format!("/api/v1/surveys/{}/export.csv", w.survey));
    let hash = klantspiegel::store::invitations::hash_token(&t);
    assert!(!export.body.contains(&t) && !export.body.contains(&hash));
    use diesel::prelude::*;
    use klantspiegel::store::schema::responses::dsl::*;
    let rows: Vec<Option<String>> = responses.select(respondent).load(&mut *app.conn()).unwrap();
    assert_eq!(rows, vec![None]);
}

fn form_fields(csrf: &str) -> Vec<(&str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("r.keeping_agreements.perceived", "5".into()),
        ("r.keeping_agreements.expected", "8".into()),
        ("r.speed.perceived", "dk".into()),
        ("nps", "7".into()),
        ("comment", "<script>alert(1)</script>".into()),
    ]
}

fn csrf_of(page: &Resp) -> (String, String) {
    let body = &page.body;
    let start = body.find("name=\"csrf\" value=\"").unwrap() + "name=\"csrf\" value=\"".len();
    let value = body[start..].split('"').next().unwrap().to_string();
    let cookie = page
        .header("set-cookie")
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    (value, cookie)
}

#[test]
fn the_questionnaire_page_speaks_dutch_and_english_and_stores_a_form_post() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 3, 1);

    let nl = app.get_public(&format!("/r/{}", tokens[0]), &[]);
    assert_eq!(nl.status, 200);
    assert!(nl.body.contains("Nakomen van afspraken"));
    assert!(nl.body.contains("Zij komen hun afspraken met mij na."));
    assert!(nl.body.contains("Weet ik niet"));
    assert!(nl.body.contains("<html lang=\"nl\">"));
    assert_eq!(nl.header("referrer-policy"), Some("no-referrer"));
    assert_eq!(nl.header("x-content-type-options"), Some("nosniff"));
    assert!(nl
        .header("content-security-policy")
        .unwrap()
        .contains("frame-ancestors 'none'"));

    let en = app.get_public(&format!("/r/{}?lang=en", tokens[0]), &[]);
    assert!(en.body.contains("Keeping agreements"));
    assert!(en.body.contains("They keep their agreements with me."));
    assert!(en.body.contains("<html lang=\"en\">"));
    let en2 = app.get_public(
        &format!("/r/{}", tokens[0]),
        &[("Accept-Language", "en-GB,en;q=0.9")],
    );
    assert!(en2.body.contains("Keeping agreements"));

    // Form post with the CSRF cookie: stored, thank-you page.
    let (csrf, cookie) = csrf_of(&nl);
    let fields = form_fields(&csrf);
    let pairs: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let r = app.post_form(&format!("/r/{}", tokens[0]), &[("Cookie", &cookie)], &pairs);
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.contains("Hartelijk dank"));
    assert_eq!(app.count("responses"), 1);
    assert_eq!(app.count("ratings"), 3);

    // Without the cookie: refused, nothing stored.
    let r = app.post_form(&format!("/r/{}", tokens[1]), &[], &pairs);
    assert_eq!(r.status, 403);
    assert_eq!(app.count("responses"), 1);

    // Off-scale value in a form: the form comes back with the problem named.
    let page = app.get_public(&format!("/r/{}?lang=en", tokens[2]), &[]);
    let (csrf, cookie) = csrf_of(&page);
    let r = app.post_form(
        &format!("/r/{}?lang=en", tokens[2]),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf), ("r.speed.perceived", "42")],
    );
    assert_eq!(r.status, 422);
    // In the page's language, never the API's field path.
    assert!(
        r.body.contains("42 is outside the scale 1–10"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("ratings.speed.perceived"), "{}", r.body);
    assert_eq!(app.count("responses"), 1);

    // The used link shows a clear page.
    let used = app.get_public(&format!("/r/{}", tokens[0]), &[]);
    assert_eq!(used.status, 409);
    assert!(used.body.contains("al gebruikt"));
    assert_eq!(app.get_public("/r/unknown-token", &[]).status, 404);
}

#[test]
fn bad_csv_rows_are_all_reported_and_nothing_is_stored() {
    let app = spawn_app();
    let w = world(&app);
    let csv = "audience,team,respondent,nps,speed,speed.expected\n\
               customer,Klantenservice,c1,9,8,7\n\
               customer,Onbekend team,c2,8,7,7\n\
               customer,Klantenservice,c3,12,11,7\n\
               employee,Buitendienst,e1,,8,6\n\
               klant,Klantenservice,c4,,8,\n";
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.error(422).0, "import_rejected");
    let rows = r.json()["rows"].as_array().unwrap().clone();
    let got: Vec<(u64, String)> = rows
        .iter()
        .map(|x| {
            (
                x["line"].as_u64().unwrap(),
                x["column"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (3, "team".into()),
            (4, "nps".into()),
            (4, "speed".into()),
            (5, "speed.expected".into()),
            (6, "audience".into()),
        ]
    );
    assert!(rows[0]["message"]
        .as_str()
        .unwrap()
        .contains("Onbekend team"));
    assert_eq!(app.count("responses"), 0);

    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        b"audience,team,snelheid\ncustomer,Klantenservice,8\n",
    );
    let rows = r.json()["rows"].clone();
    assert_eq!(rows[0]["line"], 1);
    assert_eq!(rows[0]["column"], "snelheid");

    // The CLI: exit 2, every problem with line and column, nothing stored.
    let path = std::env::temp_dir().join(format!(
        "bad-{}.csv",
        w.wave + 1000 * w.survey + std::process::id() as i64
    ));
    std::fs::write(&path, csv).unwrap();
    let out = cli(
        &app,
        &[
            "import",
            "--survey",
            &w.survey.to_string(),
            "--wave",
            &w.wave.to_string(),
            path.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("line 3, column team: Unknown team 'Onbekend team': create it first."),
        "{err}"
    );
    assert!(err.contains("line 4, column speed"), "{err}");
    assert_eq!(app.count("responses"), 0);
    let _ = std::fs::remove_file(path);
}

#[test]
fn export_then_import_round_trips_and_duplicates_are_not_stored_twice() {
    let app = spawn_app();
    let w = world(&app);
    let csv = "audience,team,submitted_at,respondent,nps,comment,keeping_agreements,keeping_agreements.predicted,keeping_agreements.expected,speed\n\
               employee,Klantenservice,2026-01-05T10:00:00Z,e1,,,9,7,,8\n\
               customer,Klantenservice,2026-01-06T11:30:00Z,c1,10,\"=HYPERLINK(\"\"x\"\")\",6,,8,nvt\n\
               customer,Buitendienst,2026-01-07T12:00:00Z,c2,3,\"Te laat, twee keer\",dk,,,9\n";
    let path = format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave);
    let r = app.post_raw(&path, "text/csv", csv.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["imported"], 3);

    let first = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={}",
        w.survey, w.wave
    ));
    assert_eq!(first.status, 200);
    assert!(first
        .header("content-type")
        .unwrap()
        .starts_with("text/csv"));
    // Formula cells are neutralised.
    assert!(first.body.contains("'=HYPERLINK"), "{}", first.body);

    // Re-import of the same respondents: reported as duplicates, nothing stored twice.
    let r = app.post_raw(&path, "text/csv", first.body.as_bytes());
    assert_eq!(r.status, 201);
    assert_eq!(r.json()["imported"], 0);
    assert_eq!(r.json()["duplicates"], json!(["e1", "c1", "c2"]));
    assert_eq!(app.count("responses"), 3);

    // Into a new wave: the export of that wave equals the first export.
    let w2 = app.create_wave(w.survey, "Najaar", "2026-06-01T00:00:00Z");
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={w2}", w.survey),
        "text/csv",
        first.body.as_bytes(),
    );
    assert_eq!(r.json()["imported"], 3);
    let second = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={w2}",
        w.survey
    ));
    assert_eq!(second.body, first.body);

    // The CLI export writes the same bytes.
    let out_path = std::env::temp_dir().join(format!("export-{}-{}.csv", std::process::id(), w2));
    let out = cli(
        &app,
        &[
            "export",
            "--survey",
            &w.survey.to_string(),
            "--wave",
            &w2.to_string(),
            "--out",
            out_path.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_to_string(&out_path).unwrap(), first.body);
    let _ = std::fs::remove_file(out_path);
}

#[test]
fn a_csv_row_without_any_rating_is_refused_like_an_empty_submission() {
    let app = spawn_app();
    let w = world(&app);
    let csv = "audience,team,nps,speed\ncustomer,Klantenservice,9,\ncustomer,Klantenservice,8,7\n";
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.error(422).0, "import_rejected");
    assert_eq!(r.json()["rows"][0]["line"], 2);
    assert_eq!(app.count("responses"), 0);
}

/// One group through the writer's public API: a team link with two uses left, hit three times,
/// stores the first two and refuses the third with 409; an unknown token and an invalid answer
/// in the same group refuse only themselves. Exact counts stored afterwards, on both backends.
#[test]
fn a_group_takes_a_links_uses_in_order_and_refuses_only_its_own_bad_submissions() {
    let app = spawn_app();
    let w = world(&app);
    let link = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 2)
        .remove(0);
    let one = app
        .invite(w.survey, w.wave, w.teams[1], "customer", 1, 1)
        .remove(0);
    let sub = |v: i64| -> klantspiegel::domain::submission::RawSubmission {
        serde_json::from_value(json!({"ratings": {"speed": {"perceived": v}}, "nps": 7})).unwrap()
    };
    let jobs = vec![
        (link.clone(), sub(4)),
        ("no-such-token".to_string(), sub(5)),
        (link.clone(), sub(6)),
        (one.clone(), sub(11)),
        (link.clone(), sub(7)),
        (one.clone(), sub(8)),
    ];
    let url = klantspiegel::store::DatabaseUrl::parse(&app.db_url).unwrap();
    let mut sink = klantspiegel::ingest::Sink::open(app.pool.clone(), &url).unwrap();
    let cache = klantspiegel::store::cache::Cache::default();
    let out = sink.store_group(&cache, &jobs).unwrap();
    let statuses: Vec<u16> = out
        .iter()
        .map(|r| match r {
            Ok(_) => 201,
            Err(e) => actix_web::ResponseError::status_code(e).as_u16(),
        })
        .collect();
    assert_eq!(statuses, vec![201, 404, 201, 422, 409, 201]);
    assert_eq!(app.count("responses"), 3);
    assert_eq!(app.count("ratings"), 3);
    let r = app.get(&format!("/api/v1/surveys/{}/comparison", w.survey));
    assert_eq!(r.json()["respondents"]["customer"], 3);
}
