//! Issue 28 ("hold up on a real working day"), the local breaks: each test reproduces one
//! through HTTP or the CLI.

use std::io::{Read, Write};

use crate::helpers::*;

/// A raw GET from a chosen loopback source address (127.0.0.2 is a second client on Linux):
/// (status, the whole response as text).
fn get_from(source: &str, app: &TestApp, path: &str, token: &str) -> (u16, String) {
    use socket2::{Domain, Socket, Type};
    let port: u16 = app.address.rsplit(':').next().unwrap().parse().unwrap();
    let socket = Socket::new(Domain::IPV4, Type::STREAM, None).unwrap();
    let from: std::net::SocketAddr = format!("{source}:0").parse().unwrap();
    socket.bind(&from.into()).unwrap();
    let to: std::net::SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    socket.connect(&to.into()).unwrap();
    let mut stream: std::net::TcpStream = socket.into();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    stream.read_to_string(&mut out).unwrap();
    let status = out
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, out)
}

#[test]
fn wrong_bearer_tokens_are_limited_per_address() {
    let app = spawn_app();
    let wrong = "x".repeat(40);
    // Before the fix every wrong token was a 401, however many.
    for i in 0..10 {
        let (status, _) = get_from("127.0.0.1", &app, "/api/v1/teams", &wrong);
        assert_eq!(status, 401, "attempt {}", i + 1);
    }
    let (status, raw) = get_from("127.0.0.1", &app, "/api/v1/teams", &wrong);
    assert_eq!(status, 429, "{raw}");
    let retry: u64 = raw
        .lines()
        .find_map(|l| {
            l.to_ascii_lowercase()
                .strip_prefix("retry-after: ")
                .map(|v| v.trim().parse().unwrap())
        })
        .expect("a Retry-After header");
    assert!((290..=300).contains(&retry), "{retry}");
    assert!(raw.contains("\"code\":\"rate_limited\""), "{raw}");
    // The address's bearer requests wait, the right token too…
    let (status, _) = get_from("127.0.0.1", &app, "/api/v1/teams", ADMIN_TOKEN);
    assert_eq!(status, 429);
    // …but from another address the right token works.
    let (status, raw) = get_from("127.0.0.2", &app, "/api/v1/teams", ADMIN_TOKEN);
    assert_eq!(status, 200, "{raw}");
    // Respondents and pages from the limited address are not affected.
    assert_eq!(app.get_public("/healthz", &[]).status, 200);
}

#[test]
fn organisation_in_a_mail_is_the_surveys_organisation_text() {
    let app = spawn_app();
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": "Klanttevredenheid 2027", "template": "mirror-default",
            "organisation": "Gemeente Utrecht"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json()["id"].as_i64().unwrap();
    let r = app.put(
        &format!("/api/v1/surveys/{s}/mail-templates/nl"),
        serde_json::json!({"subject": "Uw mening over {organisation}", "body": "{organisation} vraagt: {link}"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let preview = |lang: &str| {
        let p = app.get(&format!(
            "/api/v1/surveys/{s}/mail-preview?lang={lang}&kind=invitation"
        ));
        assert_eq!(p.status, 200, "{}", p.body);
        p.json()
    };
    // Before the fix: "Uw mening over Klanttevredenheid 2027".
    let nl = preview("nl");
    assert_eq!(nl["subject"], "Uw mening over Gemeente Utrecht");
    assert!(nl["body"]
        .as_str()
        .unwrap()
        .starts_with("Gemeente Utrecht vraagt: https://klantspiegel.example/r/PERSONAL-LINK"));
    // The default English template (customers by default) names it too.
    assert_eq!(
        preview("en")["subject"],
        "How satisfied are you with Gemeente Utrecht?"
    );
    // Without an organisation text, the title stands in.
    let r = app.patch(
        &format!("/api/v1/surveys/{s}"),
        serde_json::json!({"organisation": ""}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        preview("nl")["subject"],
        "Uw mening over Klanttevredenheid 2027"
    );
}

/// The sheets of a workbook, read back with calamine: (name, rows of cells as text).
fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<String>>)> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|r| r.iter().map(|c| c.to_string()).collect())
                .collect();
            (name, rows)
        })
        .collect()
}

#[test]
fn dutch_team_names_make_workbooks_with_legal_sheet_names_and_unchanged_cells() {
    let app = spawn_app();
    let emoji = "😀".repeat(20);
    // (team name, its sheet's name)
    let teams = [
        ("'s-Hertogenbosch", "’s-Hertogenbosch".to_string()),
        ("'t Gooi", "’t Gooi".to_string()),
        ("Zuid'", "Zuid’".to_string()),
        (emoji.as_str(), "😀".repeat(15)),
        (
            "[Noord]: *Zuid?* \\West",
            "_Noord__ _Zuid__ _West".to_string(),
        ),
        ("Antwoorden", "Antwoorden".to_string()),
    ];
    for (name, _) in &teams {
        app.create_team(name);
    }
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": "Werkdag", "scale_min": 1, "scale_max": 5, "min_group_size": 3,
               "dimensions": [{"key": "speed", "label_nl": "Snelheid"}]}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json()["id"].as_i64().unwrap();
    let w = app.create_wave(s, "Voorjaar", "2026-01-01T00:00:00Z");
    let mut csv = String::from("audience,team,speed\n");
    for (name, _) in &teams {
        for i in 0..4 {
            csv.push_str(&format!(
                "employee,{name},{}\ncustomer,{name},{}\n",
                2 + i % 3,
                1 + i % 4
            ));
        }
    }
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/import?wave_id={w}"),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // report.xlsx answered 500 before the fix.
    let d = app.download(
        &format!("/api/v1/surveys/{s}/report.xlsx?wave_id={w}"),
        Auth::Admin,
    );
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.bytes));
    let book = sheets(&d.bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "Hele organisatie");
    assert_eq!(*names.last().unwrap(), "Over dit rapport");
    // The about sheet names each scope as it is, in the order of the sheets.
    let about = &book.last().unwrap().1;
    assert_eq!(about.len(), 1 + 1 + teams.len());
    // The knowledge and actions sheets stand before the about sheet.
    assert_eq!(
        names[names.len() - 3..names.len() - 1],
        ["Klantkennis", "Acties"]
    );
    for (i, sheet) in names[1..names.len() - 3].iter().enumerate() {
        let team = &about[i + 2][0];
        let (_, expected) = teams.iter().find(|(n, _)| n == team).unwrap();
        assert_eq!(sheet, expected, "the sheet of {team}");
    }

    // export.xlsx: the responses sheet keeps its name, the team named like it moves aside.
    let d = app.download(
        &format!("/api/v1/surveys/{s}/export.xlsx?wave_id={w}"),
        Auth::Admin,
    );
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.bytes));
    let book = sheets(&d.bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names[0], "Organisatie");
    assert_eq!(*names.last().unwrap(), "Antwoorden");
    assert!(names.contains(&"Antwoorden (2)"), "{names:?}");
    for (_, sheet) in &teams[..5] {
        assert!(names.contains(&sheet.as_str()), "{sheet}: {names:?}");
    }
    // The organisation, the teams, the knowledge sheet, the responses.
    assert_eq!(names.len(), 1 + teams.len() + 2);
    assert!(names.contains(&"Klantkennis"), "{names:?}");
    // The responses hold the team names unchanged.
    let responses = &book.last().unwrap().1;
    let team_col = responses[0].iter().position(|h| h == "team").unwrap();
    let mut seen: Vec<&str> = responses[1..]
        .iter()
        .map(|r| r[team_col].as_str())
        .collect();
    seen.sort();
    seen.dedup();
    let mut wanted: Vec<&str> = teams.iter().map(|(n, _)| *n).collect();
    wanted.sort();
    assert_eq!(seen, wanted);
}

/// An admin made with the CLI, signed in: (cookie header, the console's csrf token, user id).
fn console_admin(app: &TestApp, email: &str) -> (String, String, i64) {
    let out = cli(
        app,
        &["user", "add", "--email", email, "--role", "admin"],
        Some("beheerder-wachtwoord\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (token, _) = crate::team_leads::session(app, email, "beheerder-wachtwoord");
    let cookie = format!("ks_session={token}");
    let page = app.get_public("/admin", &[("Cookie", &cookie)]);
    assert_eq!(page.status, 200, "{}", page.body);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let users = app.get("/api/v1/users").json();
    let id = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["email"] == email)
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    (cookie, csrf, id)
}

#[test]
fn well_known_repetitive_and_sequential_passwords_are_refused_everywhere() {
    let app = spawn_app();
    let team = app.create_team("Balie");
    // The API: 422 naming `password`, the reason in English. All were 201 before.
    for (password, says) in [
        ("12345678", "is a sequence"),
        ("password", "commonly used passwords"),
        ("        ", "repeats the same characters"),
        ("aaaaaaaa", "repeats the same characters"),
        ("wachtwoord", "commonly used passwords"),
        ("welkom01", "commonly used passwords"),
        ("welkom123", "commonly used passwords"),
        ("qwerty123", "commonly used passwords"),
        ("kort", "at least 8 characters"),
    ] {
        let r = app.post(
            "/api/v1/users",
            serde_json::json!({"email": "lead@zuidstad.nl", "role": "team_lead",
                "team_ids": [team], "password": password}),
        );
        assert_eq!(
            r.error(422),
            ("validation_failed".into(), Some("password".into())),
            "{password:?}"
        );
        assert!(
            r.json()["error"]["message"]
                .as_str()
                .unwrap()
                .contains(says),
            "{password:?}: {}",
            r.body
        );
    }
    assert_eq!(app.count("users"), 0);
    let r = app.post(
        "/api/v1/users",
        serde_json::json!({"email": "lead@zuidstad.nl", "role": "team_lead",
            "team_ids": [team], "password": "fiets-molen-tulp-7"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    // A new password through the API is checked too.
    let r = app.patch(
        &format!("/api/v1/users/{id}"),
        serde_json::json!({"password": "Welkom2024!"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("password"));

    // The CLI: exit 2 with the reason, nothing stored.
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "beheer@zuidstad.nl",
            "--role",
            "admin",
        ],
        Some("wachtwoord\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("password: this password"), "{err}");
    assert_eq!(app.count("users"), 1);

    // The console: the reason next to the field, in Dutch.
    let (cookie, csrf, _) = console_admin(&app, "onderzoek@zuidstad.nl");
    let team = team.to_string();
    let r = app.post_form(
        "/admin/users",
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("email", "tweede@zuidstad.nl"),
            ("role", "team_lead"),
            ("team_ids", &team),
            ("password", "welkom123"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(
        r.body
            .contains("staat op de lijst van veelgebruikte wachtwoorden"),
        "{}",
        r.body
    );
    let r = app.post_form(
        &format!("/admin/users/{id}"),
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("role", "team_lead"),
            ("team_ids", &team),
            ("password", "abcdefgh"),
        ],
    );
    assert_eq!(r.status, 422);
    assert!(r.body.contains("Dit wachtwoord is een reeks"), "{}", r.body);
    // The demo's passwords still pass: the demo loads and signs in.
    let demo = spawn_app();
    load_demo(&demo);
    demo.login_session(
        klantspiegel::demo::ADMIN_EMAIL,
        klantspiegel::demo::ADMIN_PASSWORD,
    );
}

#[test]
fn the_last_admin_can_be_neither_demoted_nor_deleted() {
    let app = spawn_app();
    let team = app.create_team("Balie");
    let (cookie, csrf, me) = console_admin(&app, "onderzoek@zuidstad.nl");
    // Through the API: demoting the only admin was 200 before.
    let r = app.patch(
        &format!("/api/v1/users/{me}"),
        serde_json::json!({"role": "team_lead", "team_ids": [team]}),
    );
    assert_eq!(r.error(409).0, "last_admin");
    assert!(r.body.contains("this is the last admin"), "{}", r.body);
    // The admin token deletes users, but not the last admin.
    let r = app.delete(&format!("/api/v1/users/{me}"));
    assert_eq!(r.error(409).0, "last_admin");
    // Through the console, in Dutch.
    let team_s = team.to_string();
    let r = app.post_form(
        &format!("/admin/users/{me}"),
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("role", "team_lead"),
            ("team_ids", &team_s),
        ],
    );
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("Dit is de laatste beheerder"), "{}", r.body);
    let users = app.get("/api/v1/users").json();
    assert_eq!(users[0]["role"], "admin");
    // With a second admin, one of them may go.
    let r = app.post(
        "/api/v1/users",
        serde_json::json!({"email": "tweede@zuidstad.nl", "role": "admin", "password": "fiets-molen-tulp-7"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let second = r.json()["id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/users/{me}"),
        serde_json::json!({"role": "team_lead", "team_ids": [team]}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // Now the second is the last one.
    let r = app.delete(&format!("/api/v1/users/{second}"));
    assert_eq!(r.error(409).0, "last_admin");
    // A team lead can always go.
    let r = app.delete(&format!("/api/v1/users/{me}"));
    assert_eq!(r.status, 204);
}

#[test]
fn a_link_to_logout_does_not_log_out_only_the_button_does() {
    let app = spawn_app();
    let (cookie, csrf, _) = console_admin(&app, "onderzoek@zuidstad.nl");
    let signed_in = || app.get_public("/admin", &[("Cookie", &cookie)]).status == 200;
    // Before the fix, GET /logout ended the session (303 to /login).
    let r = app.get_public("/logout", &[("Cookie", &cookie)]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.body.contains("Wilt u uitloggen?"), "{}", r.body);
    assert!(r.body.contains("<form method=\"post\" action=\"/logout\">"));
    assert!(r.body.contains(&format!("name=\"csrf\" value=\"{csrf}\"")));
    assert!(r.header("set-cookie").is_none());
    assert!(signed_in());
    // A form posted from elsewhere (no CSRF token) gets the same page, not a logout.
    let r = app.post_form("/logout", &[("Cookie", &cookie)], &[("csrf", "elders")]);
    assert_eq!(r.status, 200);
    assert!(signed_in());
    let r = app.post_form("/logout", &[("Cookie", &cookie)], &[]);
    assert_eq!(r.status, 200);
    assert!(signed_in());
    // The button: 303 to the login page, the session is gone.
    let r = app.post_form("/logout", &[("Cookie", &cookie)], &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/login"));
    assert!(!signed_in());
    // Without a session, /logout leads to the login page.
    let r = app.get_public("/logout", &[]);
    assert_eq!((r.status, r.header("location")), (303, Some("/login")));
}

/// An app that may queue e-mail (nothing listens on port 9: nothing is delivered).
fn mailing_app() -> TestApp {
    spawn_app_with(|s| {
        s.public_url = Some("https://enquete.example.nl".into());
        s.mail = Some(klantspiegel::config::MailSettings {
            smtp: klantspiegel::mail::SmtpUrl::parse("smtp://127.0.0.1:9").unwrap(),
            from: "noreply@example.nl".into(),
            rate_per_minute: 60,
            retry_base: std::time::Duration::from_secs(3600),
        });
    })
}

#[test]
fn a_semicolon_recipients_file_from_dutch_excel_is_accepted_and_says_so() {
    let app = mailing_app();
    let w = world(&app);
    let path = format!("/api/v1/surveys/{}/waves/{}/mailings", w.survey, w.wave);
    // What Dutch Excel saves: a byte-order mark, `;`, CRLF, a `,` inside a quoted cell.
    let csv = "\u{feff}email;team;audience;naam\r\n\
               a@example.nl;Klantenservice;customer;\"Jansen, A.\"\r\n\
               b@example.nl;Buitendienst;employee;\r\n";
    // Before the fix: 422, "the required column 'team' is missing".
    let r = app.post_raw(&path, "text/csv", csv.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    let v = r.json();
    assert_eq!(
        (v["recipients"].as_i64(), v["delimiter"].as_str()),
        (Some(2), Some(";"))
    );
    // A comma file says so too; the list of mailings does not repeat it.
    let r = app.post_raw(
        &path,
        "text/csv",
        b"email,team,audience\nc@example.nl,Klantenservice,customer\n",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(r.json()["delimiter"], ",");
    assert!(app.get(&path).json()[0].get("delimiter").is_none());

    // The console names the delimiter after an upload.
    let (cookie, csrf, _) = console_admin(&app, "onderzoek@zuidstad.nl");
    let page = format!("/admin/surveys/{}/waves/{}/mailings", w.survey, w.wave);
    let csv = "email;team;audience\nd@example.nl;Klantenservice;customer\n";
    let body = format!(
        "--B\r\nContent-Disposition: form-data; name=\"csrf\"\r\n\r\n{csrf}\r\n--B\r\nContent-Disposition: form-data; name=\"csv\"\r\n\r\n{csv}\r\n--B--\r\n"
    );
    let r = app.post_raw_public(
        &page,
        &[
            ("Cookie", &cookie),
            ("Content-Type", "multipart/form-data; boundary=B"),
        ],
        body.as_bytes(),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let shown = app.get_public(r.header("location").unwrap(), &[("Cookie", &cookie)]);
    assert!(
        shown
            .body
            .contains("Het bestand is gelezen met ; als scheidingsteken."),
        "{}",
        shown.body
    );
}

#[test]
fn names_with_control_or_bidi_override_characters_are_refused() {
    let app = spawn_app();
    let rlo = "Klant\u{202E}ecivres";
    // Before the fix the team was created (201) and shown reversed everywhere.
    let r = app.post("/api/v1/teams", serde_json::json!({ "name": rlo }));
    assert_eq!(
        r.error(422),
        ("validation_failed".into(), Some("name".into()))
    );
    assert!(r.body.contains("U+202E"), "{}", r.body);
    for bad in [
        "\u{2066}Balie\u{2069}",
        "Ba\u{200B}lie",
        "Balie\u{200F}",
        "Ba\tlie",
        "\u{FEFF}Balie",
    ] {
        let r = app.post("/api/v1/teams", serde_json::json!({ "name": bad }));
        assert_eq!(r.error(422).1.as_deref(), Some("name"), "{bad:?}");
    }
    assert_eq!(app.count("teams"), 0);
    let team = app.create_team("Balie");
    let r = app.patch(
        &format!("/api/v1/teams/{team}"),
        serde_json::json!({ "name": rlo }),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("name"));
    // Survey titles, dimension labels, the organisation and wave names.
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": rlo, "template": "mirror-default"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("title"));
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": "Werkdag", "dimensions": [{"key": "speed", "label_nl": "Snel\u{202D}heid"}]}),
    );
    assert_eq!(
        r.error(422).1.as_deref(),
        Some("dimensions[0].label_nl"),
        "{}",
        r.body
    );
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": "Werkdag", "dimensions": [{"key": "speed", "label_nl": "Snelheid", "label_en": "Spe\u{202E}ed"}]}),
    );
    assert_eq!(
        r.error(422).1.as_deref(),
        Some("dimensions[0].label_en"),
        "{}",
        r.body
    );
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": "Werkdag", "template": "mirror-default", "organisation": "Gemeente\u{202E}"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("organisation"));
    let s = app.create_default_survey()["id"].as_i64().unwrap();
    let r = app.patch(
        &format!("/api/v1/surveys/{s}"),
        serde_json::json!({ "title": rlo }),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("title"));
    let r = app.post(
        &format!("/api/v1/surveys/{s}/waves"),
        serde_json::json!({"name": "Voor\u{202E}jaar", "opens_at": "2026-01-01T00:00:00Z"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("name"));
    // Users' e-mail addresses.
    let r = app.post(
        "/api/v1/users",
        serde_json::json!({"email": "jan\u{202E}@example.nl", "role": "admin", "password": "fiets-molen-tulp-7"}),
    );
    assert_eq!(r.error(422).1.as_deref(), Some("email"));
    // Scripts, emoji and apostrophes stay welcome.
    for ok in [
        "'s-Hertogenbosch",
        "فريق الدعم",
        "👩\u{200D}💻 Ontwikkeling",
    ] {
        let r = app.post("/api/v1/teams", serde_json::json!({ "name": ok }));
        assert_eq!(r.status, 201, "{ok}: {}", r.body);
    }
    // The console says it in Dutch, next to the field.
    let (cookie, csrf, _) = console_admin(&app, "onderzoek@zuidstad.nl");
    let r = app.post_form(
        "/admin/teams",
        &[("Cookie", &cookie)],
        &[("csrf", &csrf), ("name", rlo)],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(
        r.body.contains(
            "Een naam mag geen stuurtekens of onzichtbare opmaaktekens bevatten; deze bevat U+202E"
        ),
        "{}",
        r.body
    );
}

/// The text lines of a PDF page as drawn: (font size, x, baseline y from the top). krilla
/// flips the page (`1 0 0 -1 0 H cm`) and places each run with `1 0 0 -1 x y Tm`, so y counts
/// from the top, as the layout does.
fn text_lines(pdf: &[u8], page: u32) -> Vec<(f32, f32, f32)> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let id = *doc.get_pages().get(&page).unwrap();
    let content = doc.get_and_decode_page_content(id).unwrap();
    let mut size = 0.0;
    let mut lines = Vec::new();
    for op in &content.operations {
        match op.operator.as_str() {
            "Tf" => size = op.operands[1].as_float().unwrap(),
            "Tm" => {
                let n: Vec<f32> = op.operands.iter().map(|o| o.as_float().unwrap()).collect();
                lines.push((size, n[4], n[5]));
            }
            _ => {}
        }
    }
    lines
}

#[test]
fn a_long_right_to_left_title_with_emoji_wraps_on_the_cover_above_the_footnote() {
    let app = spawn_app();
    let hebrew = "סקר שביעות רצון לקוחות 😀🎉 של המחלקה הדרומית ";
    let title: String = hebrew.chars().cycle().take(200).collect();
    let arabic = "بلدية المدينة الكبرى 🚀 قسم خدمة العملاء ";
    let organisation: String = arabic.chars().cycle().take(200).collect();
    let team: String = "Klantenservice 🤝 Noord-Brabant "
        .chars()
        .cycle()
        .take(100)
        .collect();
    let t = app.create_team(team.trim());
    let r = app.post(
        "/api/v1/surveys",
        serde_json::json!({"title": title.trim(), "organisation": organisation.trim(),
            "template": "mirror-default"}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let s = r.json()["id"].as_i64().unwrap();
    let wave: String = "Voorjaarsmeting 🌷 ".chars().cycle().take(100).collect();
    let w = app.create_wave(s, wave.trim(), "2026-01-01T00:00:00Z");
    let d = app.download(
        &format!("/api/v1/surveys/{s}/workshop.pdf?wave_id={w}&team_id={t}"),
        Auth::Admin,
    );
    assert_eq!(d.status, 200, "{}", String::from_utf8_lossy(&d.bytes));
    let lines = text_lines(&d.bytes, 1);
    // The footnote: the 9 pt lines at the bottom of the cover.
    let footnote: Vec<&(f32, f32, f32)> = lines
        .iter()
        .filter(|(size, _, y)| *size == 9.0 && *y > 700.0)
        .collect();
    assert!(!footnote.is_empty(), "{lines:?}");
    let footnote_top = footnote
        .iter()
        .map(|(s, _, y)| y - s)
        .fold(f32::MAX, f32::min);
    // Every other line ends (baseline plus descent) above the footnote's first line begins.
    for (size, x, y) in lines.iter().filter(|l| !footnote.contains(l)) {
        assert!(
            y + 0.25 * size < footnote_top,
            "a {size} pt line at y = {y} runs into the footnote (from {footnote_top}): {lines:?}"
        );
        assert!(*x >= 48.0 && *x < 547.0, "{x}");
    }
    // The names wrap into several lines each, and the longest end in "…".
    let at = |pt: f32| {
        let mut ys: Vec<i64> = lines
            .iter()
            .filter(|(s, _, _)| *s == pt)
            .map(|(_, _, y)| (*y * 10.0) as i64)
            .collect();
        ys.dedup();
        ys.len()
    };
    assert_eq!((at(26.0), at(20.0)), (3, 3), "{lines:?}");
    // Emoji the bundled font cannot draw are replaced visibly, the scripts stay.
    let doc = lopdf::Document::load_mem(&d.bytes).unwrap();
    let text = doc.extract_text(&[1]).unwrap();
    assert!(text.contains('\u{FFFD}'), "{text}");
    assert!(text.contains('…'), "{text}");
    assert!(text.contains("שביעות") || text.contains("תועיבש"), "{text}");
}
