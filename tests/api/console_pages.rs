//! Issue 15: the console's pages over HTTP: admin only, CSRF on every form, errors next to
//! their fields in the page's language with what was typed kept and nothing stored.

use crate::helpers::*;

fn set_cookie(resp: &Resp, name: &str) -> Option<String> {
    resp.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix(&format!("{name}=")).map(str::to_string))
}

/// An admin's session: (cookie header, csrf token).
fn admin_session(app: &TestApp) -> (String, String) {
    let out = cli(
        app,
        &[
            "user",
            "add",
            "--email",
            "onderzoek@zuidstad.nl",
            "--role",
            "admin",
        ],
        Some("beheerder-wachtwoord\n"),
    );
    assert!(out.status.success());
    let page = app.get_public("/login", &[]);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let login_cookie = set_cookie(&page, "ks_login").unwrap();
    let r = app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={login_cookie}"))],
        &[
            ("email", "onderzoek@zuidstad.nl"),
            ("password", "beheerder-wachtwoord"),
            ("csrf", &csrf),
        ],
    );
    assert_eq!(r.status, 303);
    let cookie = format!("ks_session={}", set_cookie(&r, "ks_session").unwrap());
    let page = app.get_public("/admin", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    (cookie, csrf)
}

fn post(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    app.post_form(path, &[("Cookie", cookie)], fields)
}

fn location(r: &Resp) -> String {
    r.header("location").unwrap_or_default().to_string()
}

#[test]
fn console_pages_set_up_a_study_and_show_errors_next_to_their_fields() {
    let app = spawn_app();
    let (cookie, csrf) = admin_session(&app);
    let get = |path: &str| app.get_public(path, &[("Cookie", &cookie)]);

    // An empty database: the next step is to add teams.
    let page = get("/admin");
    assert!(
        page.body.contains("Maak eerst de teams aan"),
        "{}",
        page.body
    );
    assert!(page.body.contains("Er is geen publiek adres ingesteld"));
    let dash = get("/dashboard");
    assert!(
        dash.body.contains("href=\"/admin?lang=nl\""),
        "{}",
        dash.body
    );

    // Teams: an empty name is refused next to the field, nothing stored; no CSRF: 403.
    let r = post(
        &app,
        "/admin/teams",
        &cookie,
        &[("csrf", &csrf), ("name", "  ")],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("<p class=\"field-error\" id=\"team-name-error\">Vul dit in; het mag niet leeg zijn.</p>"), "{}", r.body);
    assert_eq!(app.count("teams"), 0);
    let r = post(&app, "/admin/teams", &cookie, &[("name", "Balie")]);
    assert_eq!(r.status, 403);
    assert_eq!(app.count("teams"), 0);
    let r = post(
        &app,
        "/admin/teams",
        &cookie,
        &[("csrf", &csrf), ("name", "Balie")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = post(
        &app,
        "/admin/teams?lang=en",
        &cookie,
        &[("csrf", &csrf), ("name", "Balie")],
    );
    // A name that is taken is a conflict (409, as in the API), said next to the field.
    assert_eq!(r.status, 409);
    assert!(
        r.body
            .contains("A team named &#39;Balie&#39; already exists."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Balie\""));
    assert_eq!(app.count("teams"), 1);
    assert!(get("/admin").body.contains("Stel het onderzoek op"));

    // A survey: a missing title is shown next to it, the typed texts are kept.
    let new = get("/admin/surveys/new");
    assert_eq!(new.status, 200);
    assert!(new
        .body
        .contains("name=\"dimensions[7].key\" value=\"speed\""));
    let base = [
        ("csrf", csrf.as_str()),
        ("template", "mirror-default"),
        ("scale_min", "1"),
        ("scale_max", "10"),
        ("settings", "1"),
        ("min_group_size", "5"),
        ("comment_min_group_size", "10"),
        ("alpha", "0.05"),
        ("ask_predicted", "true"),
        ("ask_expected", "true"),
        ("ask_nps", "true"),
        ("organisation", "Gemeente Zuidstad"),
        ("scale_low_nl", "zeer slecht"),
    ];
    let mut fields = base.to_vec();
    fields.push(("title", ""));
    let r = post(&app, "/admin/surveys", &cookie, &fields);
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("id=\"title-error\">Vul dit in; het mag niet leeg zijn."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"Gemeente Zuidstad\""));
    assert_eq!(app.count("surveys"), 0);
    let mut fields = base.to_vec();
    fields.push(("title", "Klantspiegel Balie"));
    fields.push(("alpha", "2"));
    let r = post(&app, "/admin/surveys", &cookie, &fields);
    // The first alpha (0.05) counts; a bad one is refused next to its field.
    assert_eq!(r.status, 303, "{}", r.body);
    let survey_page = location(&r);
    assert!(
        survey_page.starts_with("/admin/surveys/1?"),
        "{survey_page}"
    );
    assert_eq!(app.count("surveys"), 1);
    assert_eq!(app.count("dimensions"), 8);
    let s = app.get("/api/v1/surveys/1").json();
    assert_eq!(s["organisation"], "Gemeente Zuidstad");
    assert_eq!(s["ask_importance"], false);
    assert_eq!(s["template"], "mirror-default");

    // Own dimensions with a bad key: the error sits on that row.
    let r = post(
        &app,
        "/admin/surveys/1",
        &cookie,
        &[
            ("csrf", &csrf),
            ("title", "Klantspiegel Balie"),
            ("template", ""),
            ("dimensions[0].key", "wachttijd"),
            ("dimensions[0].label_nl", "Wachttijd"),
            ("dimensions[1].key", ""),
            ("dimensions[1].label_nl", ""),
            ("dimensions[2].key", "Niet Goed"),
            ("dimensions[2].label_nl", "Uitleg"),
            ("scale_min", "1"),
            ("scale_max", "5"),
        ],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body
            .contains("name=\"dimensions[1].key\" value=\"Niet Goed\""),
        "{}",
        r.body
    );
    assert!(r.body.contains("is geen geldige sleutel: kleine letters, cijfers en _, beginnend met een letter, ten hoogste 64 tekens.</p>"), "{}", r.body);
    assert_eq!(app.count("dimensions"), 8);
    let r = post(
        &app,
        "/admin/surveys/1",
        &cookie,
        &[
            ("csrf", &csrf),
            ("title", "Klantspiegel Balie"),
            ("template", ""),
            ("dimensions[0].key", "wachttijd"),
            ("dimensions[0].label_nl", "Wachttijd"),
            ("dimensions[0].category", "functional"),
            ("dimensions[2].key", "uitleg"),
            ("dimensions[2].label_nl", "Uitleg"),
            ("dimensions[2].category", "emotional"),
            ("scale_min", "1"),
            ("scale_max", "5"),
            ("scale_low_nl", "zeer slecht"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let s = app.get("/api/v1/surveys/1").json();
    let keys: Vec<&str> = s["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_eq!(keys, vec!["wachttijd", "uitleg"]);
    assert_eq!(s["dimensions"][1]["category"], "emotional");
    assert_eq!(s["scale_max"], 5);
    // Settings left out of a form keep their values.
    assert_eq!(s["ask_nps"], true);
    assert_eq!(s["organisation"], Value::Null);

    // Previews of both questionnaires, without a token.
    let p = get("/admin/surveys/1/preview?audience=employee");
    assert_eq!(p.status, 200);
    assert!(p.body.contains("Voorbeeld: zo ziet de vragenlijst eruit"));
    assert!(p.body.contains("name=\"r.wachttijd.self\""));
    assert!(p.body.contains("<span>1 = zeer slecht</span>"));
    let p = get("/admin/surveys/1/preview?audience=customer&lang=en");
    assert!(p.body.contains("name=\"r.uitleg.perceived\""));
    assert!(p.body.contains("disabled"));

    // A wave: a bad date is shown next to its field, then a good one leads to the wave page.
    let r = post(
        &app,
        "/admin/surveys/1/waves",
        &cookie,
        &[
            ("csrf", &csrf),
            ("name", "Voorjaar"),
            ("opens_at", "morgen"),
            ("closes_at", ""),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("&#39;morgen&#39; is geen datum met tijd (bijvoorbeeld 2027-03-01 09:00)."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"morgen\""));
    assert_eq!(app.count("waves"), 0);
    let r = post(
        &app,
        "/admin/surveys/1/waves",
        &cookie,
        &[
            ("csrf", &csrf),
            ("name", "Voorjaar"),
            ("opens_at", "2026-01-01 00:00"),
            ("closes_at", ""),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(location(&r).starts_with("/admin/surveys/1/waves/1?"));
    assert!(get("/admin").body.contains("Maak de uitnodigingslinks"));

    // Personal links, shown once; one is answered and counted on the wave page.
    let r = post(
        &app,
        "/admin/surveys/1/waves/1/links",
        &cookie,
        &[
            ("csrf", &csrf),
            ("team_id", "1"),
            ("audience", "customer"),
            ("count", "0"),
            ("format", "page"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Kies een waarde van 1 tot en met 1000."));
    let r = post(
        &app,
        "/admin/surveys/1/waves/1/links",
        &cookie,
        &[
            ("csrf", &csrf),
            ("team_id", "1"),
            ("audience", "customer"),
            ("count", "3"),
            ("format", "page"),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let links: Vec<&str> = r
        .body
        .match_indices("class=\"invitation-link\">")
        .map(|(i, m)| r.body[i + m.len()..].split('<').next().unwrap())
        .collect();
    assert_eq!(links.len(), 3);
    assert!(links.iter().all(|l| l.starts_with("/r/")), "{links:?}");
    // The CSV downloads from this page itself: no second request, so no new links.
    let marker = "download=\"klantspiegel-links-meting-1-balie-customer.csv\" href=\"data:text/csv;charset=utf-8;base64,";
    let start = r.body.find(marker).expect("the CSV link") + marker.len();
    let data = r.body[start..].split('"').next().unwrap();
    let csv = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, data).unwrap();
    let csv = String::from_utf8(csv).unwrap();
    let expected: String = std::iter::once("link,team,audience\n".to_string())
        .chain(links.iter().map(|l| format!("{l},Balie,customer\n")))
        .collect();
    assert_eq!(csv, expected);
    let token = links[0].trim_start_matches("/r/");
    let answer = app.post_public(
        "/api/v1/responses",
        serde_json::json!({"token": token, "ratings": {"wachttijd": {"perceived": 4}}}),
    );
    assert_eq!(answer.status, 201, "{}", answer.body);
    let wave = get("/admin/surveys/1/waves/1");
    assert!(wave.body.contains("<tr data-team=\"1\" data-audience=\"customer\"><td data-label=\"Team\">Balie</td><td data-label=\"Doelgroep\">Klanten</td><td class=\"num\" data-label=\"Antwoorden\">1</td><td class=\"num\" data-label=\"Uitgenodigd\">3</td><td class=\"num\" data-label=\"Beantwoord\">1</td><td class=\"num\" data-label=\"Respons\">33%</td><td class=\"num\" data-label=\"Via teamlinks\">0</td><td class=\"num\" data-label=\"Mislukt\">0</td></tr>"), "{}", wave.body);
    let r = post(
        &app,
        "/admin/surveys/1/waves/1/links",
        &cookie,
        &[
            ("csrf", &csrf),
            ("team_id", "1"),
            ("audience", "employee"),
            ("count", "2"),
            ("format", "csv"),
        ],
    );
    assert_eq!(r.status, 200);
    assert!(r
        .header("content-disposition")
        .unwrap()
        .contains("attachment"));
    assert!(r.body.starts_with("link,team,audience\n/r/"), "{}", r.body);
    assert_eq!(r.body.lines().count(), 3);

    // A team link on a poster with its QR code.
    let r = post(
        &app,
        "/admin/surveys/1/waves/1/team-links",
        &cookie,
        &[
            ("csrf", &csrf),
            ("team_id", "1"),
            ("audience", "customer"),
            ("max_uses", "50"),
        ],
    );
    assert_eq!(r.status, 201, "{}", r.body);
    // The QR code is an image with an accessible name; the poster downloads to print again.
    assert!(
        r.body.contains("<img src=\"data:image/svg+xml;base64,"),
        "{}",
        r.body
    );
    assert!(r
        .body
        .contains("alt=\"QR-code met de link naar de vragenlijst voor team Balie\""));
    assert!(r.body.contains("download=\"klantspiegel-poster-meting-1.html\" href=\"data:text/html;charset=utf-8;base64,"));
    assert!(r.body.contains("Uw mening telt"));
    assert_eq!(app.count("invitations"), 6);

    // Revoke from the list; the link answers 410.
    assert!(wave
        .body
        .contains("action=\"/admin/invitations/2/revoke?lang=nl\""));
    let r = post(
        &app,
        "/admin/invitations/2/revoke",
        &cookie,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    assert!(location(&r).starts_with("/admin/surveys/1/waves/1?"));
    assert_eq!(app.get_public(links[1], &[]).status, 410);
    assert_eq!(app.get_public(links[2], &[]).status, 200);

    // An import with bad rows shows every row and stores nothing.
    let csv = "audience,team,wachttijd\ncustomer,Balie,9\nemployee,Onbekend,3\ncustomer,Balie,x\n";
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--B--\r\n"
    );
    let r = app.post_raw_public(
        "/admin/surveys/1/waves/1/import",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "multipart/form-data; boundary=B"),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains("<td class=\"num\">3</td><td>team</td>"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains("<td class=\"num\">4</td><td>wachttijd</td>"),
        "{}",
        r.body
    );
    assert_eq!(app.count("responses"), 1);
    let good = format!(
        "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n\r\naudience,team,wachttijd\ncustomer,Balie,4\n\r\n--B--\r\n"
    );
    let r = app.post_raw_public(
        "/admin/surveys/1/waves/1/import",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "multipart/form-data; boundary=B"),
        ],
        good.as_bytes(),
    );
    // A redirect after the upload (a reload sends nothing again), saying how many.
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        location(&r),
        "/admin/surveys/1/waves/1?lang=nl&imported=1#import"
    );
    assert!(get(&location(&r))
        .body
        .contains("Antwoorden geïmporteerd: 1."));
    assert_eq!(app.count("responses"), 2);

    // Closing asks first, saying what cannot be undone; the confirmation closes.
    let wave = get("/admin/surveys/1/waves/1");
    assert!(wave
        .body
        .contains("href=\"/admin/surveys/1/waves/1/close?lang=nl\""));
    assert!(!wave
        .body
        .contains("<form method=\"post\" action=\"/admin/surveys/1/waves/1/close"));
    let confirm = get("/admin/surveys/1/waves/1/close?lang=en");
    assert_eq!(confirm.status, 200);
    assert!(
        confirm
            .body
            .contains("<h1>Close wave &#39;Voorjaar&#39; now?</h1>"),
        "{}",
        confirm.body
    );
    assert!(confirm
        .body
        .contains("This cannot be undone: a closed wave never reopens"));
    assert!(confirm
        .body
        .contains("action=\"/admin/surveys/1/waves/1/close?lang=en\""));
    let r = post(
        &app,
        "/admin/surveys/1/waves/1/close",
        &cookie,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    let wave = get(&location(&r));
    assert!(wave
        .body
        .contains("De meting is gesloten. De uitkomsten staan klaar voor de teamleiders."));
    assert!(wave.body.contains("Deze meting is gesloten"));
    assert!(!wave.body.contains("name=\"count\""));
    // The invitations say the wave closed; none can be revoked any more.
    assert!(
        wave.body
            .contains("<td class=\"invitation-status\">meting gesloten</td>"),
        "{}",
        wave.body
    );
    assert!(!wave.body.contains("/revoke?"));
    // Deleting a team asks first too; this one has responses and stays.
    let confirm = get("/admin/teams/1/delete");
    assert!(
        confirm
            .body
            .contains("<h1>Team &#39;Balie&#39; verwijderen?</h1>"),
        "{}",
        confirm.body
    );
    assert!(confirm
        .body
        .contains("Dit kan niet ongedaan worden gemaakt"));
    let r = post(&app, "/admin/teams/1/delete", &cookie, &[("csrf", &csrf)]);
    assert_eq!(r.status, 409);
    assert!(
        r.body
            .contains("antwoord(en); een team met antwoorden kan niet worden verwijderd."),
        "{}",
        r.body
    );
    assert_eq!(app.count("teams"), 1);
    assert!(get("/admin").body.contains("Bespreek de uitkomsten"));
}

#[test]
fn console_pages_are_for_admins_only() {
    let app = spawn_app();
    let r = app.get_public("/admin", &[]);
    assert_eq!(r.status, 303);
    assert_eq!(location(&r), "/login?next=/admin");
    let t = app.create_team("Balie");
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
            &t.to_string(),
        ],
        Some("teamleider-wachtwoord\n"),
    );
    assert!(out.status.success());
    let page = app.get_public("/login", &[]);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let login_cookie = set_cookie(&page, "ks_login").unwrap();
    let r = app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={login_cookie}"))],
        &[
            ("email", "lead@zuidstad.nl"),
            ("password", "teamleider-wachtwoord"),
            ("csrf", &csrf),
        ],
    );
    let cookie = format!("ks_session={}", set_cookie(&r, "ks_session").unwrap());
    for path in [
        "/admin",
        "/admin/teams",
        "/admin/users",
        "/admin/surveys/new",
    ] {
        let r = app.get_public(path, &[("Cookie", &cookie)]);
        assert_eq!(r.status, 403, "{path}");
        assert!(r.body.contains("alleen voor beheerders"));
    }
    let r = app.post_form(
        "/admin/teams",
        &[("Cookie", &cookie)],
        &[("csrf", "x"), ("name", "X")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(app.count("teams"), 1);
}

#[test]
fn console_users_page_adds_a_team_lead_and_keeps_what_was_typed() {
    let app = spawn_app();
    let t = app.create_team("Balie");
    let (cookie, csrf) = admin_session(&app);
    let r = post(
        &app,
        "/admin/users",
        &cookie,
        &[
            ("csrf", &csrf),
            ("email", "lead@zuidstad.nl"),
            ("role", "team_lead"),
            ("password", "kort"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("Een teamleider heeft ten minste één team nodig."),
        "{}",
        r.body
    );
    assert!(r.body.contains("value=\"lead@zuidstad.nl\""));
    assert_eq!(app.count("users"), 1);
    let team = t.to_string();
    let r = post(
        &app,
        "/admin/users",
        &cookie,
        &[
            ("csrf", &csrf),
            ("email", "lead@zuidstad.nl"),
            ("role", "team_lead"),
            ("team_ids", &team),
            ("password", "kort"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r
        .body
        .contains("Het wachtwoord moet ten minste 8 tekens hebben."));
    let r = post(
        &app,
        "/admin/users",
        &cookie,
        &[
            ("csrf", &csrf),
            ("email", "lead@zuidstad.nl"),
            ("role", "team_lead"),
            ("team_ids", &team),
            ("password", "lang-genoeg-nu"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let users = app.get("/api/v1/users").json();
    let lead = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "lead@zuidstad.nl")
        .unwrap()
        .clone();
    assert_eq!(lead["team_ids"], serde_json::json!([t]));
    let page = app.get_public("/admin/users", &[("Cookie", &cookie)]);
    assert!(!page.body.contains("lang-genoeg-nu") && !page.body.contains("argon"));
    // An admin cannot delete their own account from the page.
    let me = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == "onderzoek@zuidstad.nl")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let r = post(
        &app,
        &format!("/admin/users/{me}/delete"),
        &cookie,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 409);
    assert!(r.body.contains("U kunt uw eigen account niet verwijderen."));
    let id = lead["id"].as_i64().unwrap();
    let r = post(
        &app,
        &format!("/admin/users/{id}/delete"),
        &cookie,
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    assert_eq!(app.count("users"), 1);
}

use serde_json::Value;
