//! Issue 2: the admin API, authentication, validation, OpenAPI, health.

use serde_json::json;

use crate::helpers::*;

#[test]
fn health_answers_ok() {
    let app = spawn_app();
    let r = app.get_public("/healthz", &[]);
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["status"], "ok");
}

#[test]
fn admin_sets_up_teams_survey_wave_and_invitations() {
    let app = spawn_app();
    let a = app.create_team("Klantenservice");
    let b = app.create_team("Buitendienst");
    assert_ne!(a, b);
    let teams = app.get("/api/v1/teams").json();
    let names: Vec<&str> = teams
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Buitendienst", "Klantenservice"]);

    let survey = app.create_default_survey();
    assert_eq!(survey["scale_min"], 1);
    assert_eq!(survey["scale_max"], 10);
    assert_eq!(survey["min_group_size"], 5);
    assert_eq!(survey["alpha"], 0.05);
    // SPEC rev 2: default materiality 10 % of the range (was 5 %: 0.45).
    assert!((survey["materiality"].as_f64().unwrap() - 0.9).abs() < 1e-12);
    let dims = survey["dimensions"].as_array().unwrap();
    let keys: Vec<&str> = dims.iter().map(|d| d["key"].as_str().unwrap()).collect();
    assert_eq!(
        keys,
        vec![
            "customer_focus",
            "expertise",
            "flexibility",
            "keeping_agreements",
            "complaint_handling",
            "friendliness",
            "problem_resolution",
            "speed"
        ]
    );
    let ka = &dims[3];
    assert_eq!(ka["label_nl"], "Nakomen van afspraken");
    assert_eq!(ka["label_en"], "Keeping agreements");
    assert_eq!(
        ka["customer_statement_nl"],
        "Zij komen hun afspraken met mij na."
    );
    assert_eq!(
        ka["employee_statement_nl"],
        "Wij komen onze afspraken met klanten na."
    );
    assert_eq!(ka["category"], "functional");
    assert_eq!(dims[0]["category"], "emotional");
    assert_eq!(dims[7]["position"], 8);
    let sid = survey["id"].as_i64().unwrap();

    let r = app.post(
        &format!("/api/v1/surveys/{sid}/waves"),
        json!({"name": "Voorjaar 2027", "opens_at": "2026-03-01T09:00:00+01:00", "closes_at": "2027-04-01T00:00:00Z"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let wave = r.json();
    assert_eq!(wave["opens_at"], "2026-03-01T08:00:00Z");
    let wid = wave["id"].as_i64().unwrap();

    let r = app.post(
        &format!("/api/v1/surveys/{sid}/invitations"),
        json!({"wave_id": wid, "team_id": a, "audience": "customer", "count": 3}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let inv = r.json();
    let tokens = inv["tokens"].as_array().unwrap();
    let links = inv["links"].as_array().unwrap();
    assert_eq!(tokens.len(), 3);
    assert_eq!(links.len(), 3);
    for (t, l) in tokens.iter().zip(links) {
        let t = t.as_str().unwrap();
        assert!(t.len() >= 40);
        // No public URL configured: relative links, never built from the request's Host.
        assert_eq!(l.as_str().unwrap(), format!("/r/{t}"));
    }
    assert_eq!(app.count("invitations"), 3);
    // Only hashes are stored: no token appears in clear.
    let hashes: Vec<String> = {
        use diesel::prelude::*;
        use klantspiegel::store::schema::invitations::dsl::*;
        invitations
            .select(token_hash)
            .load(&mut *app.conn())
            .unwrap()
    };
    for t in tokens {
        let t = t.as_str().unwrap();
        assert!(!hashes.iter().any(|h| h.contains(t)));
        assert!(hashes.contains(&klantspiegel::store::invitations::hash_token(t)));
    }

    let got = app.get(&format!("/api/v1/surveys/{sid}")).json();
    assert_eq!(got["waves"][0]["id"], wid);
    assert_eq!(
        app.get("/api/v1/surveys").json().as_array().unwrap().len(),
        1
    );
}

#[test]
fn requests_without_a_valid_token_get_401_and_store_nothing() {
    let app = spawn_app();
    let r = app.post_as("/api/v1/teams", None, json!({"name": "X"}));
    assert_eq!(r.error(401).0, "unauthorized");
    let r = app.post_as("/api/v1/teams", Some("wrong"), json!({"name": "X"}));
    assert_eq!(r.error(401).0, "unauthorized");
    assert_eq!(app.get_as("/api/v1/surveys", None).status, 401);
    assert_eq!(app.get_as("/api/v1/teams", Some("nope")).status, 401);
    assert_eq!(app.count("teams"), 0);
}

#[test]
fn bad_admin_input_is_named_and_stores_nothing() {
    let app = spawn_app();
    let w = world(&app);
    let surveys_before = app.count("surveys");

    let (code, field) = app
        .post(
            "/api/v1/surveys",
            json!({"title": "x", "scale_min": 5, "scale_max": 1}),
        )
        .error(422);
    assert_eq!(
        (code.as_str(), field.as_deref()),
        ("validation_failed", Some("scale_max"))
    );
    let (_, field) = app
        .post(
            "/api/v1/surveys",
            json!({"title": "x", "scale_min": 3, "scale_max": 3}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("scale_max"));
    let (_, field) = app
        .post("/api/v1/surveys", json!({"title": "x", "dimensions": [{"key": "a", "label_nl": "A"}, {"key": "a", "label_nl": "B"}]}))
        .error(422);
    assert_eq!(field.as_deref(), Some("dimensions[1].key"));
    let (_, field) = app.post("/api/v1/surveys", json!({"title": "x", "template": "mirror-default", "dimensions": [{"key": "speed", "label_nl": "S"}]})).error(422);
    assert_eq!(field.as_deref(), Some("dimensions[0].key"));
    let (_, field) = app
        .post("/api/v1/surveys", json!({"title": "x", "template": "nope"}))
        .error(422);
    assert_eq!(field.as_deref(), Some("template"));
    let (_, field) = app
        .post("/api/v1/surveys", json!({"title": "  "}))
        .error(422);
    assert_eq!(field.as_deref(), Some("title"));
    let (_, field) = app
        .post(
            "/api/v1/surveys",
            json!({"title": "x", "dimensions": [{"key": "Bad Key", "label_nl": "A"}]}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("dimensions[0].key"));
    let (_, field) = app
        .post("/api/v1/surveys", json!({"title": "x", "alpha": 1.5}))
        .error(422);
    assert_eq!(field.as_deref(), Some("alpha"));
    let (_, field) = app
        .post("/api/v1/surveys", json!({"scale_min": 1}))
        .error(422);
    assert_eq!(field.as_deref(), Some("title"));
    assert_eq!(app.count("surveys"), surveys_before);

    let path = format!("/api/v1/surveys/{}/waves", w.survey);
    let (_, field) = app.post(&path, json!({"name": "W", "opens_at": "2026-03-01T00:00:00Z", "closes_at": "2026-02-01T00:00:00Z"})).error(422);
    assert_eq!(field.as_deref(), Some("closes_at"));
    let (_, field) = app
        .post(&path, json!({"name": "W", "opens_at": "1 maart"}))
        .error(422);
    assert_eq!(field.as_deref(), Some("opens_at"));
    assert_eq!(
        app.post(
            "/api/v1/surveys/999/waves",
            json!({"name": "W", "opens_at": "2026-03-01T00:00:00Z"})
        )
        .error(404)
        .0,
        "not_found"
    );
    assert_eq!(app.count("waves"), 1);

    let path = format!("/api/v1/surveys/{}/invitations", w.survey);
    let (_, field) = app
        .post(
            &path,
            json!({"wave_id": w.wave, "team_id": w.teams[0], "audience": "klant"}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("audience"));
    let (_, field) = app
        .post(
            &path,
            json!({"wave_id": 999, "team_id": w.teams[0], "audience": "customer"}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("wave_id"));
    let (_, field) = app
        .post(
            &path,
            json!({"wave_id": w.wave, "team_id": 999, "audience": "customer"}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("team_id"));
    let (_, field) = app
        .post(
            &path,
            json!({"wave_id": w.wave, "team_id": w.teams[0], "audience": "customer", "count": 0}),
        )
        .error(422);
    assert_eq!(field.as_deref(), Some("count"));
    let (_, field) = app.post(&path, json!({"wave_id": w.wave, "team_id": w.teams[0], "audience": "customer", "count": 1001})).error(422);
    assert_eq!(field.as_deref(), Some("count"));
    assert_eq!(app.count("invitations"), 0);

    assert_eq!(
        app.post_raw("/api/v1/teams", "application/json", b"{\"name\":")
            .error(400)
            .0,
        "bad_request"
    );
    assert_eq!(
        app.post("/api/v1/teams", json!({"name": "Klantenservice"}))
            .error(409)
            .0,
        "team_exists"
    );
    assert_eq!(app.get("/api/v1/surveys/12345").error(404).0, "not_found");
    assert_eq!(app.count("teams"), 2);
}

#[test]
fn openapi_lists_every_route() {
    let app = spawn_app();
    let doc = app.get_public("/api/v1/openapi.json", &[]).json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    // The server's own route table: every API route, nothing listed by hand.
    let routes = klantspiegel::http::api::ROUTES;
    assert!(routes.len() >= 16, "{routes:?}");
    for (p, m) in routes {
        let path = format!("/api/v1{p}");
        assert!(
            paths.get(&path).and_then(|x| x.get(*m)).is_some(),
            "{m} {path} missing from the OpenAPI document"
        );
    }
    // And the document lists no route the server lacks.
    let listed: usize = paths
        .values()
        .map(|ops| ops.as_object().unwrap().len())
        .sum();
    assert_eq!(listed, routes.len(), "{paths:?}");
}

/// The document's request examples are real requests: against the demo, each one succeeds.
#[test]
fn every_openapi_request_example_is_accepted_by_the_demo() {
    // Set up to mail (the mailing example queues e-mail; nothing listens on port 9, so nothing
    // is delivered).
    let app = spawn_app_with(|s| {
        s.public_url = Some("https://enquete.example.nl".into());
        s.mail = Some(klantspiegel::config::MailSettings {
            smtp: klantspiegel::mail::SmtpUrl::parse("smtp://127.0.0.1:9").unwrap(),
            from: "noreply@example.nl".into(),
            rate_per_minute: 60,
            retry_base: std::time::Duration::from_secs(3600),
        });
    });
    let out = cli(&app, &["demo"], None);
    assert!(out.status.success());
    let doc = app.get_public("/api/v1/openapi.json", &[]).json();
    let mut tried = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let Some(content) = op["requestBody"]["content"].as_object() else {
                continue;
            };
            // A live session's routes need the random code of a running session (the start
            // example makes one): tests/api/live.rs drives them.
            if path.starts_with("/api/v1/live/{code}") {
                continue;
            }
            let (content_type, media) = content.iter().next().unwrap();
            let example = &media["example"];
            assert!(!example.is_null(), "{method} {path}: no example");
            let mut url = path.clone();
            let mut query = Vec::new();
            for p in op["parameters"].as_array().into_iter().flatten() {
                let (name, value) = (p["name"].as_str().unwrap(), &p["example"]);
                let value = value.to_string().trim_matches('"').to_string();
                if p["in"] == "path" {
                    url = url.replace(&format!("{{{name}}}"), &value);
                } else if name == "wave_id" {
                    query.push(format!("{name}={value}"));
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", query.join("&"));
            }
            let body = match example {
                serde_json::Value::String(text) => text.clone().into_bytes(),
                other => other.to_string().into_bytes(),
            };
            let r = match method.as_str() {
                "post" => app.post_raw(&url, content_type, &body),
                "patch" => app.patch(&url, example.clone()),
                "put" => app.put(&url, example.clone()),
                other => panic!("{other}"),
            };
            assert!(
                (200..300).contains(&r.status),
                "{method} {url}: {} {}",
                r.status,
                r.body
            );
            tried.push(format!("{method} {path}"));
        }
    }
    assert_eq!(tried.len(), 16, "{tried:?}");
}

#[test]
fn migrate_command_applies_and_is_idempotent() {
    let app = spawn_app();
    // The app already migrated: a second run applies nothing and succeeds.
    let out = cli(&app, &["migrate"], None);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout(&out).trim(), "0 migration(s) applied");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
        .args(["migrate", "--database", "mysql://nope"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
