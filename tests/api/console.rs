//! Issue 15: the admin API the console is built on (survey and wave changes, teams, users,
//! invitation list and revoke, response rates, exports, links from the public URL).

use serde_json::{json, Value};

use crate::helpers::*;

fn customer(token: &str) -> Value {
    json!({"token": token, "ratings": {"speed": {"perceived": 7, "expected": 8}}, "nps": 8})
}

fn employee(token: &str) -> Value {
    json!({"token": token, "ratings": {"speed": {"self": 8, "predicted": 7}}})
}

fn set_cookie(resp: &Resp, name: &str) -> Option<String> {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// Logs in through the form; the session cookie.
fn log_in(app: &TestApp, email: &str, password: &str) -> String {
    let page = app.get_public("/login", &[]);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let form_cookie = set_cookie(&page, "ks_login").unwrap();
    let r = app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={form_cookie}"))],
        &[("email", email), ("password", password), ("csrf", &csrf)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    set_cookie(&r, "ks_session").unwrap()
}

fn field_error(r: &Resp) -> String {
    let (code, field) = r.error(422);
    assert_eq!(code, "validation_failed");
    field.unwrap()
}

#[test]
fn console_survey_texts_and_settings_change_and_dimensions_only_until_the_first_response() {
    let app = spawn_app();
    let w = world(&app);
    let path = format!("/api/v1/surveys/{}", w.survey);
    let before = app.get(&path).json();
    assert_eq!(before["comment_min_group_size"], 10);
    assert_eq!(before["organisation"], Value::Null);

    let r = app.patch(
        &path,
        json!({"organisation": "Gemeente Zuidstad", "contact": "kwaliteit@zuidstad.nl",
               "introduction_nl": "Wij willen weten hoe u onze dienstverlening ervaart.",
               "privacy_statement_nl": "Antwoorden zijn anoniem.",
               "scale_low_nl": "zeer slecht", "scale_high_nl": "uitstekend",
               "min_group_size": 7, "comment_min_group_size": 12, "alpha": 0.1, "title": "Klantspiegel 2027"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let s = r.json();
    assert_eq!(s["organisation"], "Gemeente Zuidstad");
    assert_eq!(s["contact"], "kwaliteit@zuidstad.nl");
    assert_eq!(s["scale_low_nl"], "zeer slecht");
    assert_eq!(s["scale_high_nl"], "uitstekend");
    assert_eq!(s["introduction_en"], Value::Null);
    assert_eq!(s["min_group_size"], 7);
    assert_eq!(s["comment_min_group_size"], 12);
    assert_eq!(s["alpha"], 0.1);
    assert_eq!(s["title"], "Klantspiegel 2027");
    assert_eq!(s["dimensions"].as_array().unwrap().len(), 8);
    // Left out: unchanged; "": cleared.
    let s = app.patch(&path, json!({"contact": ""})).json();
    assert_eq!(s["contact"], Value::Null);
    assert_eq!(s["organisation"], "Gemeente Zuidstad");

    // Bad input: 422 naming the field, nothing stored.
    assert_eq!(
        field_error(&app.patch(&path, json!({"title": " "}))),
        "title"
    );
    assert_eq!(
        field_error(&app.patch(&path, json!({"min_group_size": 0}))),
        "min_group_size"
    );
    assert_eq!(
        field_error(&app.patch(&path, json!({"comment_min_group_size": 1001}))),
        "comment_min_group_size"
    );
    assert_eq!(
        field_error(&app.patch(&path, json!({"alpha": 1.0}))),
        "alpha"
    );
    assert_eq!(
        field_error(&app.patch(&path, json!({"scale_low_nl": "x".repeat(101)}))),
        "scale_low_nl"
    );
    assert_eq!(
        field_error(&app.patch(
            &path,
            json!({"dimensions": [{"key": "Snel!", "label_nl": "Snelheid"}]})
        )),
        "dimensions[0].key"
    );
    assert_eq!(app.get(&path).json()["min_group_size"], 7);
    assert_eq!(
        app.patch("/api/v1/surveys/999", json!({"title": "x"}))
            .error(404)
            .0,
        "not_found"
    );

    // Own dimensions, before the first response.
    let s = app
        .patch(
            &path,
            json!({"dimensions": [
                {"key": "speed", "label_nl": "Snelheid", "label_en": "Speed"},
                {"key": "clarity", "label_nl": "Duidelijkheid", "category": "emotional"}
            ], "scale_min": 1, "scale_max": 5}),
        )
        .json();
    let keys: Vec<&str> = s["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["speed", "clarity"]);
    assert_eq!(s["template"], Value::Null);
    assert_eq!(
        (s["scale_min"].as_i64(), s["scale_max"].as_i64()),
        (Some(1), Some(5))
    );
    // The default materiality of the new scale (10 % of its range), not the old scale's.
    assert_eq!(s["materiality"].as_f64(), Some(0.4));

    // The questionnaire served afterwards uses the new dimensions (no stale cache).
    let t = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);
    let r = app.post_public(
        "/api/v1/responses",
        json!({"token": t[0], "ratings": {"clarity": {"perceived": 4}}}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // After the first response: no more changes to dimensions or scale; texts still change.
    let (code, _) = app
        .patch(&path, json!({"template": "mirror-default"}))
        .error(409);
    assert_eq!(code, "survey_has_responses");
    assert_eq!(
        app.patch(&path, json!({"scale_max": 10})).error(409).0,
        "survey_has_responses"
    );
    let s = app
        .patch(&path, json!({"introduction_en": "Tell us."}))
        .json();
    assert_eq!(s["introduction_en"], "Tell us.");
    assert_eq!(s["dimensions"].as_array().unwrap().len(), 2);
}

#[test]
fn console_teams_are_renamed_and_deleted_only_without_responses() {
    let app = spawn_app();
    let w = world(&app);
    let (a, b) = (w.teams[0], w.teams[1]);
    let r = app.patch(
        &format!("/api/v1/teams/{a}"),
        json!({"name": "Klantcontact"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json(), json!({"id": a, "name": "Klantcontact"}));
    let (code, _) = app
        .patch(
            &format!("/api/v1/teams/{a}"),
            json!({"name": "Buitendienst"}),
        )
        .error(409);
    assert_eq!(code, "team_exists");
    assert_eq!(
        field_error(&app.patch(&format!("/api/v1/teams/{a}"), json!({"name": ""}))),
        "name"
    );
    assert_eq!(
        app.patch("/api/v1/teams/999", json!({"name": "X"}))
            .error(404)
            .0,
        "not_found"
    );

    // Team a has a response: refused with the reason, nothing deleted.
    let ta = app.invite(w.survey, w.wave, a, "customer", 1, 1);
    assert_eq!(
        app.post_public("/api/v1/responses", customer(&ta[0]))
            .status,
        201
    );
    let r = app.delete(&format!("/api/v1/teams/{a}"));
    let (code, _) = r.error(409);
    assert_eq!(code, "team_has_responses");
    assert!(r.json()["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Klantcontact"));
    assert_eq!(app.count("teams"), 2);

    // Team b has invitations but no responses: deleted, its links answer 410.
    let tb = app.invite(w.survey, w.wave, b, "employee", 2, 1);
    let r = app.delete(&format!("/api/v1/teams/{b}"));
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(app.count("teams"), 1);
    assert_eq!(app.count("invitations"), 3);
    let (code, _) = app
        .post_public("/api/v1/responses", employee(&tb[0]))
        .error(410);
    assert_eq!(code, "token_revoked");
    assert_eq!(app.get_public(&format!("/r/{}", tb[1]), &[]).status, 410);
    assert_eq!(
        app.delete(&format!("/api/v1/teams/{b}")).error(404).0,
        "not_found"
    );
    let names: Vec<Value> = app.get("/api/v1/teams").json().as_array().unwrap().clone();
    assert_eq!(names, vec![json!({"id": a, "name": "Klantcontact"})]);
}

#[test]
fn console_users_are_managed_without_ever_showing_a_password() {
    let app = spawn_app();
    let w = world(&app);
    let r = app.post(
        "/api/v1/users",
        json!({"email": "Lead@Zuidstad.nl", "role": "team_lead", "team_ids": [w.teams[1], w.teams[0]], "password": "geheim-genoeg"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let user = r.json();
    let id = user["id"].as_i64().unwrap();
    assert_eq!(user["email"], "lead@zuidstad.nl");
    assert_eq!(user["role"], "team_lead");
    let mut teams = w.teams.clone();
    teams.sort();
    assert_eq!(user["team_ids"], json!(teams));
    assert!(
        !r.body.contains("geheim") && !r.body.contains("password") && !r.body.contains("argon")
    );

    for (body, field) in [
        (
            json!({"email": "x", "role": "admin", "password": "lang-genoeg"}),
            "email",
        ),
        (
            json!({"email": "a@b.nl", "role": "boss", "password": "lang-genoeg"}),
            "role",
        ),
        (
            json!({"email": "a@b.nl", "role": "team_lead", "team_ids": [], "password": "lang-genoeg"}),
            "team_ids",
        ),
        (
            json!({"email": "a@b.nl", "role": "team_lead", "team_ids": [999], "password": "lang-genoeg"}),
            "team_ids",
        ),
        (
            json!({"email": "a@b.nl", "role": "admin", "password": "kort"}),
            "password",
        ),
    ] {
        assert_eq!(field_error(&app.post("/api/v1/users", body)), field);
    }
    let (code, _) = app
        .post(
            "/api/v1/users",
            json!({"email": "lead@zuidstad.nl", "role": "admin", "password": "lang-genoeg"}),
        )
        .error(409);
    assert_eq!(code, "user_exists");
    assert_eq!(app.count("users"), 1);

    let list = app.get("/api/v1/users");
    assert_eq!(list.status, 200);
    assert!(!list.body.contains("password") && !list.body.contains("argon"));
    assert_eq!(list.json().as_array().unwrap().len(), 1);

    // A logged-in team lead is no admin.
    let cookie = log_in(&app, "lead@zuidstad.nl", "geheim-genoeg");
    let r = app.get_public(
        "/api/v1/users",
        &[("Cookie", &format!("ks_session={cookie}"))],
    );
    assert_eq!(r.error(403).0, "forbidden");

    let r = app.patch(
        &format!("/api/v1/users/{id}"),
        json!({"team_ids": [w.teams[0]]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["team_ids"], json!([w.teams[0]]));
    assert_eq!(
        field_error(&app.patch(&format!("/api/v1/users/{id}"), json!({"password": "kort"}))),
        "password"
    );
    // A new password ends the sessions; the new one works.
    let r = app.patch(
        &format!("/api/v1/users/{id}"),
        json!({"password": "nieuw-wachtwoord", "role": "admin"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.json()["role"], "admin");
    assert_eq!(r.json()["team_ids"], json!([]));
    assert!(!r.body.contains("nieuw"));
    let r = app.get_public(
        "/api/v1/teams",
        &[("Cookie", &format!("ks_session={cookie}"))],
    );
    assert_eq!(r.status, 401);
    let cookie = log_in(&app, "lead@zuidstad.nl", "nieuw-wachtwoord");
    let r = app.get_public(
        "/api/v1/users",
        &[("Cookie", &format!("ks_session={cookie}"))],
    );
    assert_eq!(r.status, 200);

    // Deleting a user ends their sessions. The last admin stays (409), so another comes first.
    assert_eq!(app.count("sessions"), 1);
    assert_eq!(
        app.delete(&format!("/api/v1/users/{id}")).error(409).0,
        "last_admin"
    );
    let r = app.post(
        "/api/v1/users",
        json!({"email": "tweede@zuidstad.nl", "role": "admin", "password": "fiets-molen-tulp-7"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let r = app.delete(&format!("/api/v1/users/{id}"));
    assert_eq!(r.status, 204, "{}", r.body);
    assert_eq!(app.count("users"), 1);
    assert_eq!(app.count("sessions"), 0);
    let r = app.get_public(
        "/api/v1/teams",
        &[("Cookie", &format!("ks_session={cookie}"))],
    );
    assert_eq!(r.status, 401);
    assert_eq!(
        app.delete(&format!("/api/v1/users/{id}")).error(404).0,
        "not_found"
    );
}

#[test]
fn console_invitations_are_listed_without_tokens_and_revoked_links_answer_410() {
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);
    let link = app.invite(w.survey, w.wave, w.teams[1], "employee", 1, 50);
    assert_eq!(
        app.post_public("/api/v1/responses", customer(&tokens[0]))
            .status,
        201
    );

    let r = app.get(&format!(
        "/api/v1/surveys/{}/invitations?wave_id={}",
        w.survey, w.wave
    ));
    assert_eq!(r.status, 200);
    for t in tokens.iter().chain(&link) {
        assert!(!r.body.contains(t.as_str()));
    }
    assert!(!r.body.contains("token"));
    let list = r.json();
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    // Newest first: the team link, then the two personal invitations.
    assert_eq!(list[0]["max_uses"], 50);
    assert_eq!(list[0]["team_id"], w.teams[1]);
    assert_eq!(list[0]["audience"], "employee");
    assert_eq!(list[0]["revoked"], false);
    let used: Vec<i64> = list.iter().map(|i| i["uses"].as_i64().unwrap()).collect();
    assert_eq!(used.iter().sum::<i64>(), 1);
    assert_eq!(
        app.get(&format!(
            "/api/v1/surveys/{}/invitations?wave_id=999",
            w.survey
        ))
        .error(404)
        .0,
        "not_found"
    );

    // Revoke the unused personal invitation: its link answers 410 on both paths.
    let unused = list
        .iter()
        .find(|i| i["max_uses"] == 1 && i["uses"] == 0)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = app.delete(&format!("/api/v1/invitations/{unused}"));
    assert_eq!(r.status, 204, "{}", r.body);
    let (code, _) = app
        .post_public("/api/v1/responses", customer(&tokens[1]))
        .error(410);
    assert_eq!(code, "token_revoked");
    let page = app.get_public(&format!("/r/{}", tokens[1]), &[]);
    assert_eq!(page.status, 410);
    assert!(page.body.contains("ingetrokken"), "{}", page.body);
    assert_eq!(app.count("responses"), 1);
    let list = app
        .get(&format!("/api/v1/surveys/{}/invitations", w.survey))
        .json();
    let revoked: Vec<bool> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["revoked"].as_bool().unwrap())
        .collect();
    assert_eq!(revoked.iter().filter(|r| **r).count(), 1);
    assert_eq!(
        app.delete("/api/v1/invitations/999").error(404).0,
        "not_found"
    );
}

#[test]
fn console_response_rates_leave_team_links_out_of_the_denominator() {
    let app = spawn_app();
    let w = world(&app);
    let personal = app.invite(w.survey, w.wave, w.teams[0], "customer", 4, 1);
    let team_link = app.invite(w.survey, w.wave, w.teams[0], "customer", 1, 100);
    let staff = app.invite(w.survey, w.wave, w.teams[1], "employee", 2, 1);
    assert_eq!(
        app.post_public("/api/v1/responses", customer(&personal[0]))
            .status,
        201
    );
    for _ in 0..3 {
        assert_eq!(
            app.post_public("/api/v1/responses", customer(&team_link[0]))
                .status,
            201
        );
    }
    assert_eq!(
        app.post_public("/api/v1/responses", employee(&staff[0]))
            .status,
        201
    );
    assert_eq!(
        app.post_public("/api/v1/responses", employee(&staff[1]))
            .status,
        201
    );

    let r = app.get(&format!(
        "/api/v1/surveys/{}/response-rates?wave_id={}",
        w.survey, w.wave
    ));
    assert_eq!(r.status, 200, "{}", r.body);
    let mut expected = vec![
        json!({"team_id": w.teams[0], "audience": "customer", "invited": 4, "answered": 1, "rate": 0.25, "link_uses": 3, "failed": 0}),
        json!({"team_id": w.teams[1], "audience": "employee", "invited": 2, "answered": 2, "rate": 1.0, "link_uses": 0, "failed": 0}),
    ];
    expected.sort_by_key(|v| v["team_id"].as_i64());
    assert_eq!(r.json(), json!({"wave_id": w.wave, "rows": expected}));
    // Without wave_id: the latest wave.
    let r = app.get(&format!("/api/v1/surveys/{}/response-rates", w.survey));
    assert_eq!(r.json()["wave_id"], w.wave);
    assert_eq!(
        app.get("/api/v1/surveys/999/response-rates").error(404).0,
        "not_found"
    );

    // The dashboard's rate: 1 of 4 customers (25 %), not 4 of 104.
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "admin@zuidstad.nl",
            "--role",
            "admin",
        ],
        Some("beheerder-wachtwoord\n"),
    );
    assert!(out.status.success());
    let cookie = log_in(&app, "admin@zuidstad.nl", "beheerder-wachtwoord");
    let dash = app.get_public("/dashboard", &[("Cookie", &format!("ks_session={cookie}"))]);
    // Labelled cells: 4 customers answered (3 through the team link), 4 personal invitations,
    // 1 of them used (25 %); no employee of this team invited (—).
    let flat = dash.body.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains(
            "<td class=\"num\" data-label=\"Medewerkers: respons\">—</td> \
             <td class=\"num\" data-label=\"Klanten: antwoorden\">4</td> \
             <td class=\"num\" data-label=\"Klanten: uitgenodigd\">4</td> \
             <td class=\"num\" data-label=\"Klanten: respons\">25%</td>"
        ),
        "{flat}"
    );
    assert!(!dash.body.contains("4%"), "{}", dash.body);
}

#[test]
fn console_waves_are_renamed_closed_now_and_never_reopened() {
    let app = spawn_app();
    let w = world(&app);
    let t = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);
    let path = format!("/api/v1/surveys/{}/waves/{}", w.survey, w.wave);
    let r = app.patch(
        &path,
        json!({"name": "Voorjaar", "closes_at": "2099-01-01T00:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json()["name"], "Voorjaar");
    assert_eq!(r.json()["closes_at"], "2099-01-01T00:00:00Z");
    assert_eq!(
        field_error(&app.patch(&path, json!({"closes_at": "2025-01-01T00:00:00Z"}))),
        "closes_at"
    );
    assert_eq!(
        field_error(&app.patch(&path, json!({"opens_at": "gisteren"}))),
        "opens_at"
    );
    assert_eq!(field_error(&app.patch(&path, json!({"name": ""}))), "name");
    assert_eq!(
        app.patch(
            &format!("/api/v1/surveys/{}/waves/999", w.survey),
            json!({"name": "x"})
        )
        .error(404)
        .0,
        "not_found"
    );
    assert_eq!(
        app.post_public("/api/v1/responses", customer(&t[0])).status,
        201
    );

    // Close now: a closes_at in the past.
    let now = chrono::Utc::now().to_rfc3339();
    let r = app.patch(&path, json!({"closes_at": now}));
    assert_eq!(r.status, 200, "{}", r.body);
    let (code, _) = app
        .post_public("/api/v1/responses", customer(&t[1]))
        .error(410);
    assert_eq!(code, "wave_closed");
    assert_eq!(app.get_public(&format!("/r/{}", t[1]), &[]).status, 410);
    let csv = "audience,team,speed\ncustomer,Klantenservice,7\n";
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.error(409).0, "wave_closed");
    assert_eq!(app.count("responses"), 1);
    // Reopening (or moving the dates of) a closed wave: 409; renaming it still works.
    assert_eq!(
        app.patch(&path, json!({"closes_at": "2099-01-01T00:00:00Z"}))
            .error(409)
            .0,
        "wave_closed"
    );
    assert_eq!(
        app.patch(&path, json!({"closes_at": ""})).error(409).0,
        "wave_closed"
    );
    assert_eq!(
        app.patch(&path, json!({"name": "Voorjaar (gesloten)"}))
            .status,
        200
    );
}

#[test]
fn console_a_wave_closed_by_another_instance_takes_no_submission_here() {
    let a = spawn_app();
    let w = world(&a);
    let b = spawn_app_on(&a);
    let t = a.invite(w.survey, w.wave, w.teams[0], "customer", 3, 1);
    // Instance b serves the questionnaire (and caches the survey) before the close.
    assert_eq!(b.get_public(&format!("/r/{}", t[0]), &[]).status, 200);
    assert_eq!(
        b.post_public("/api/v1/responses", customer(&t[0])).status,
        201
    );
    let r = a.patch(
        &format!("/api/v1/surveys/{}/waves/{}", w.survey, w.wave),
        json!({"closes_at": chrono::Utc::now().to_rfc3339()}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(
        b.post_public("/api/v1/responses", customer(&t[1]))
            .error(410)
            .0,
        "wave_closed"
    );
    // A revocation on a is seen by b too.
    let id = a
        .get(&format!("/api/v1/surveys/{}/invitations", w.survey))
        .json()[0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(a.delete(&format!("/api/v1/invitations/{id}")).status, 204);
    assert_eq!(b.get_public(&format!("/r/{}", t[2]), &[]).status, 410);
    assert_eq!(a.count("responses"), 1);
}

#[test]
fn console_a_survey_changed_by_another_instance_is_served_fresh() {
    let a = spawn_app();
    let w = world(&a);
    let b = spawn_app_on(&a);
    let t = a.invite(w.survey, w.wave, w.teams[0], "customer", 1, 1);
    let page = b.get_public(&format!("/r/{}", t[0]), &[]);
    assert!(!page.body.contains("Gemeente Zuidstad"));
    let r = a.patch(
        &format!("/api/v1/surveys/{}", w.survey),
        json!({"organisation": "Gemeente Zuidstad"}),
    );
    assert_eq!(r.status, 200);
    let page = b.get_public(&format!("/r/{}", t[0]), &[]);
    assert!(page.body.contains("Gemeente Zuidstad"), "{}", page.body);
}

#[test]
fn console_links_come_from_the_public_url_whatever_host_says() {
    let app = spawn_app_with(|s| s.public_url = Some("https://enquete.zuidstad.nl".into()));
    let w = world(&app);
    let r = app.post_with(
        &format!("/api/v1/surveys/{}/invitations", w.survey),
        &[
            ("Host", "evil.example"),
            ("X-Forwarded-Host", "evil.example"),
            ("X-Forwarded-Proto", "http"),
            ("Forwarded", "host=evil.example;proto=http"),
        ],
        json!({"wave_id": w.wave, "team_id": w.teams[0], "audience": "customer", "count": 2}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    for (t, l) in v["tokens"]
        .as_array()
        .unwrap()
        .iter()
        .zip(v["links"].as_array().unwrap())
    {
        assert_eq!(
            l.as_str().unwrap(),
            format!("https://enquete.zuidstad.nl/r/{}", t.as_str().unwrap())
        );
    }
    assert!(!r.body.contains("evil"));
}

#[test]
fn console_excel_export_has_a_bom_and_semicolons_and_the_workbook_is_for_admins() {
    let app = spawn_app();
    let w = world(&app);
    let t = app.invite(w.survey, w.wave, w.teams[0], "customer", 1, 1);
    let body = json!({"token": t[0], "ratings": {"speed": {"perceived": 7}}, "nps": 8, "comment": "Snel; en vriendelijk, echt"});
    assert_eq!(app.post_public("/api/v1/responses", body).status, 201);
    let r = app.get(&format!(
        "/api/v1/surveys/{}/export.csv?wave_id={}&excel=1",
        w.survey, w.wave
    ));
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(r.body.starts_with('\u{feff}'), "{:?}", &r.body[..10]);
    let mut lines = r.body.trim_start_matches('\u{feff}').lines();
    let header = lines.next().unwrap();
    assert!(
        header.starts_with("audience;team;submitted_at;respondent;nps;comment;customer_focus"),
        "{header}"
    );
    let row = lines.next().unwrap();
    assert!(row.starts_with("customer;Klantenservice;"), "{row}");
    assert!(row.contains(";8;\"Snel; en vriendelijk, echt\";"), "{row}");
    // The plain export is unchanged: commas, no BOM.
    let plain = app.get(&format!("/api/v1/surveys/{}/export.csv", w.survey));
    assert!(plain.body.starts_with("audience,team,"));
    // The two CSV exports have names of their own (a second download overwrites nothing).
    assert_eq!(
        r.header("content-disposition"),
        Some(
            format!(
                "attachment; filename=\"klantspiegel-{}-wave{}-responses-excel.csv\"",
                w.survey, w.wave
            )
            .as_str()
        )
    );
    assert_eq!(
        plain.header("content-disposition"),
        Some(
            format!(
                "attachment; filename=\"klantspiegel-{}-responses.csv\"",
                w.survey
            )
            .as_str()
        )
    );

    let r = finish_bytes(
        &app,
        &format!(
            "/api/v1/surveys/{}/export.xlsx?wave_id={}",
            w.survey, w.wave
        ),
    );
    assert_eq!(r.0, 200);
    assert_eq!(
        r.1.as_deref(),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert_eq!(&r.2[..4], b"PK\x03\x04");
    assert_eq!(
        app.get(&format!(
            "/api/v1/surveys/{}/export.xlsx?wave_id=999",
            w.survey
        ))
        .error(404)
        .0,
        "not_found"
    );
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "lead@zuidstad.nl",
            "--role",
            "team_lead",
            "--team",
            &w.teams[0].to_string(),
        ],
        Some("geheim-genoeg\n"),
    );
    assert!(out.status.success());
    let cookie = log_in(&app, "lead@zuidstad.nl", "geheim-genoeg");
    let r = app.get_public(
        &format!("/api/v1/surveys/{}/export.xlsx", w.survey),
        &[("Cookie", &format!("ks_session={cookie}"))],
    );
    assert_eq!(r.error(403).0, "forbidden");
}

/// GET as admin, keeping the body's bytes: (status, content type, bytes).
fn finish_bytes(app: &TestApp, path: &str) -> (u16, Option<String>, Vec<u8>) {
    let resp = agent()
        .get(&app.url(path))
        .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"))
        .call()
        .unwrap();
    let status = resp.status();
    let ct = resp.header("content-type").map(str::to_string);
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut resp.into_reader(), &mut bytes).unwrap();
    (status, ct, bytes)
}

#[test]
fn console_routes_are_for_admins_only() {
    let app = spawn_app();
    let w = world(&app);
    for (method, path) in [
        ("PATCH", format!("/api/v1/surveys/{}", w.survey)),
        ("GET", "/api/v1/users".to_string()),
        ("GET", format!("/api/v1/surveys/{}/invitations", w.survey)),
        (
            "GET",
            format!("/api/v1/surveys/{}/response-rates", w.survey),
        ),
        ("DELETE", "/api/v1/invitations/1".to_string()),
    ] {
        let r = agent().request(method, &app.url(&path)).call();
        let status = match r {
            Ok(r) => r.status(),
            Err(ureq::Error::Status(s, _)) => s,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(status, 401, "{method} {path}");
    }
}

#[test]
fn console_the_questionnaire_says_who_asks_and_labels_the_scale_ends() {
    let app = spawn_app();
    let w = world(&app);
    let t = app.invite(w.survey, w.wave, w.teams[0], "customer", 1, 1);
    // Without texts: the generic introduction and default end labels.
    let page = app.get_public(&format!("/r/{}", t[0]), &[]);
    assert!(page.body.contains("1 = zeer slecht"), "{}", page.body);
    assert!(page.body.contains("10 = uitstekend"));
    assert!(page
        .body
        .contains("Deze vragenlijst gaat over: <strong>Klantenservice</strong>"));

    let r = app.patch(
        &format!("/api/v1/surveys/{}", w.survey),
        json!({"organisation": "Gemeente Zuidstad",
               "introduction_nl": "Wij horen graag hoe u onze balie ervaart.",
               "privacy_statement_nl": "Uw antwoorden worden anoniem verwerkt.",
               "privacy_statement_en": "Your answers are processed anonymously.",
               "contact": "kwaliteit@zuidstad.nl",
               "scale_low_nl": "heel slecht", "scale_high_nl": "heel goed",
               "scale_low_en": "very bad", "scale_high_en": "very good"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let nl = app.get_public(&format!("/r/{}", t[0]), &[]).body;
    for text in [
        "<h1>Gemeente Zuidstad</h1>",
        "<strong>Klantenservice</strong>, Gemeente Zuidstad",
        "<p>Wij horen graag hoe u onze balie ervaart.</p>",
        "<p>Uw antwoorden worden anoniem verwerkt.</p>",
        "Vragen? kwaliteit@zuidstad.nl",
        "<span>1 = heel slecht</span> <span>10 = heel goed</span>",
    ] {
        assert!(nl.contains(text), "{text} missing: {nl}");
    }
    assert!(!nl.contains("no English text"));
    let en = app.get_public(&format!("/r/{}?lang=en", t[0]), &[]).body;
    // English texts where given; the Dutch introduction, marked, where not.
    assert!(
        en.contains("<p>Your answers are processed anonymously.</p>"),
        "{en}"
    );
    assert!(!en.contains("Uw antwoorden worden anoniem verwerkt."));
    assert!(en.contains("<div class=\"intro\" lang=\"nl\"><p>Wij horen graag hoe u onze balie ervaart.</p><p class=\"fallback\" lang=\"en\">(in Dutch: no English text was given)</p></div>"), "{en}");
    assert_eq!(
        en.matches("(in Dutch: no English text was given)").count(),
        1
    );
    assert!(en.contains("<span>1 = very bad</span> <span>10 = very good</span>"));
    assert!(en.contains("This questionnaire is about: <strong>Klantenservice</strong>"));
}
