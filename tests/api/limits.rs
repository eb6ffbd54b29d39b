//! Issue 28, items 2–5: fair login limits, one reminder round per cool-down, heavy work
//! bounded apart from submissions and `/healthz`, and a dashboard that stays small and cuts
//! off readers that take it too slowly. Each test reproduces the break through HTTP.

use serde_json::json;

use crate::helpers::*;

/// Creates users through the API (an admin and team leads need a team).
fn add_user(app: &TestApp, email: &str, role: &str, team: i64) {
    let teams = if role == "admin" { vec![] } else { vec![team] };
    let r = app.post(
        "/api/v1/users",
        json!({"email": email, "role": role, "team_ids": teams, "password": PASSWORD}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
}

const PASSWORD: &str = "Zomer-Avond-Fietsen-42";

/// One sign-in through the login form, optionally as forwarded by a proxy (`X-Forwarded-For`)
/// and in a language: the response (303 on success).
fn login_via(app: &TestApp, email: &str, password: &str, extra: &[(&str, &str)]) -> Resp {
    let page = app.get_public("/login", extra);
    assert_eq!(page.status, 200);
    let start = page.body.find("name=\"csrf\" value=\"").unwrap() + 19;
    let csrf = page.body[start..].split('"').next().unwrap().to_string();
    let form = page
        .headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .filter_map(|(_, v)| v.split(';').next())
        .find_map(|kv| kv.strip_prefix("ks_login=").map(str::to_string))
        .unwrap();
    let cookie = format!("ks_login={form}");
    let mut headers = vec![("Cookie", cookie.as_str())];
    headers.extend_from_slice(extra);
    app.post_form(
        "/login",
        &headers,
        &[
            ("email", email),
            ("password", password),
            ("csrf", &csrf),
            ("next", "/dashboard"),
        ],
    )
}

#[test]
fn twenty_two_correct_logins_from_one_address_all_succeed() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "lead@example.nl", "team_lead", team);
    // Before the fix, the 21st sign-in from one address (a whole office behind one NAT or the
    // TLS proxy) was answered 429, the admin's included.
    let statuses: Vec<u16> = (0..22)
        .map(|_| login_via(&app, "lead@example.nl", PASSWORD, &[]).status)
        .collect();
    assert_eq!(statuses, vec![303; 22]);
    add_user(&app, "admin@example.nl", "admin", team);
    assert_eq!(
        login_via(&app, "admin@example.nl", PASSWORD, &[]).status,
        303
    );
}

#[test]
fn wrong_passwords_for_one_account_lock_out_neither_others_nor_the_admin() {
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "a@example.nl", "team_lead", team);
    add_user(&app, "b@example.nl", "team_lead", team);
    add_user(&app, "admin@example.nl", "admin", team);
    let mut statuses = Vec::new();
    for _ in 0..25 {
        let r = login_via(&app, "a@example.nl", "fout-wachtwoord", &[]);
        if r.status == 429 {
            let wait: u64 = r.header("retry-after").unwrap().parse().unwrap();
            assert!((290..=300).contains(&wait), "{wait}");
            // The page says when, in the reader's language.
            assert!(
                r.body.contains("Probeer het over 5 minuten opnieuw, na "),
                "{}",
                r.body
            );
        }
        statuses.push(r.status);
    }
    assert_eq!(&statuses[..20], &[401; 20]);
    assert_eq!(&statuses[20..], &[429; 5]);
    // The right password for A waits too, and says so in English to an English reader.
    let r = login_via(&app, "a@example.nl", PASSWORD, &[("Accept-Language", "en")]);
    assert_eq!(r.status, 429);
    assert!(
        r.body.contains("Please try again in 5 minutes, after "),
        "{}",
        r.body
    );
    // B and the admin, from the same address, sign in.
    assert_eq!(login_via(&app, "b@example.nl", PASSWORD, &[]).status, 303);
    assert_eq!(
        login_via(&app, "admin@example.nl", PASSWORD, &[]).status,
        303
    );
}

#[test]
fn one_address_trying_many_accounts_meets_the_address_limit_and_forged_headers_do_not_help() {
    use klantspiegel::app::accounts::{LOGIN_ADDRESS_LIMIT, LOGIN_LIMIT};
    let app = spawn_app();
    let team = app.create_team("Klantenservice");
    add_user(&app, "admin@example.nl", "admin", team);
    // Spread over accounts, each below its own limit; the header is not believed (no proxy
    // is trusted), so every attempt counts against 127.0.0.1.
    let per_account = LOGIN_LIMIT - 1;
    let mut wrong = 0;
    let mut i = 0;
    while wrong < LOGIN_ADDRESS_LIMIT {
        let forged = format!("198.51.100.{}", i % 200);
        let email = format!("guess{}@example.nl", i / per_account);
        let r = login_via(
            &app,
            &email,
            "fout",
            &[("X-Forwarded-For", forged.as_str())],
        );
        assert_eq!(r.status, 401, "attempt {}", wrong + 1);
        wrong += 1;
        i += 1;
    }
    let r = login_via(&app, "admin@example.nl", PASSWORD, &[]);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
}

#[test]
fn behind_a_trusted_proxy_each_client_is_counted_by_its_forwarded_address() {
    use klantspiegel::app::accounts::LOGIN_ADDRESS_LIMIT;
    use klantspiegel::config::Cidr;
    let app = spawn_app_with(|s| {
        s.trusted_proxies = vec![Cidr::parse("127.0.0.0/8").unwrap()];
    });
    let team = app.create_team("Klantenservice");
    add_user(&app, "admin@example.nl", "admin", team);
    // One attacker (203.0.113.66, behind the proxy) guesses 100 accounts…
    for n in 0..LOGIN_ADDRESS_LIMIT {
        let r = login_via(
            &app,
            &format!("guess{n}@example.nl"),
            "fout",
            // A forged left-most hop is ignored: the proxy appended the real one.
            &[("X-Forwarded-For", "192.0.2.1, 203.0.113.66")],
        );
        assert_eq!(r.status, 401);
    }
    let r = login_via(
        &app,
        "admin@example.nl",
        PASSWORD,
        &[("X-Forwarded-For", "203.0.113.66")],
    );
    assert_eq!(r.status, 429);
    // …while the admin behind the same proxy, from another address, signs in.
    let r = login_via(
        &app,
        "admin@example.nl",
        PASSWORD,
        &[("X-Forwarded-For", "203.0.113.7")],
    );
    assert_eq!(r.status, 303, "{}", r.body);
}
