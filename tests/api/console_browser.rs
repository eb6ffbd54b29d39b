//! Issues 15 and 24 in a real browser: a researcher on an empty database sets up a study through
//! the console's pages alone — teams, a survey, a wave, links (shown once, kept through a
//! language switch), a poster, invitations by e-mail against a real SMTP server (aiosmtpd) that
//! refuses one address once, a retry, closing with a confirmation — in Dutch and in English, at
//! a laptop's and a phone's width, with axe-core on every page.

use crate::browser::Browser;
use crate::helpers::*;
use crate::mail::{mail_app, temp_dir, Smtp};

fn shoot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("KLANTSPIEGEL_SCREENSHOTS") {
        b.screenshot(&format!("{dir}/{name}.png"));
    }
}

/// Whether the page fits the window's width (no sideways scrolling of the page itself).
fn fits(b: &Browser) -> bool {
    b.script("return document.documentElement.scrollWidth <= window.innerWidth;") == true
}

/// Every console page of a wave at a laptop's and a phone's width: no sideways scrolling, and
/// axe-core finds nothing serious.
fn check_widths(b: &Browser, app: &TestApp, paths: &[&str]) {
    for (w, h) in [(1280, 900), (390, 844)] {
        b.set_window(w, h);
        for path in paths {
            b.goto(&app.url(path));
            let wide = b.script(
                "return [document.documentElement.scrollWidth].concat(Array.from(document.querySelectorAll('body *'))\
                 .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)\
                 .slice(-3).map(e => e.tagName + '.' + e.className + '#' + e.id));",
            );
            assert!(fits(b), "{path} at {w} px is too wide: {wide}");
            let name: String = path
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            shoot(b, &format!("console-{w}{name}"));
        }
    }
    b.set_window(1280, 900);
    for path in paths {
        b.goto(&app.url(path));
        b.assert_accessible(path);
    }
}

fn admin(app: &TestApp, email: &str) {
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
}

fn log_in(b: &Browser, app: &TestApp, email: &str, then: &str) {
    b.goto(&app.url(&format!("/login?next={then}")));
    b.type_into("#email", email);
    b.type_into("#password", "beheerder-wachtwoord");
    b.click("button[type=submit]");
    b.wait_for_url(then.split('?').next().unwrap());
}

fn select(b: &Browser, css: &str, value: &str) {
    b.script(&format!(
        "document.querySelector(\"{css}\").value = '{value}';"
    ));
}

fn text_of(b: &Browser, css: &str) -> String {
    b.script(&format!(
        "var e = document.querySelector(\"{css}\"); return e ? e.textContent.trim() : null;"
    ))
    .as_str()
    .unwrap_or_else(|| panic!("no {css}"))
    .to_string()
}

fn links_on_page(b: &Browser) -> Vec<String> {
    b.script("return Array.from(document.querySelectorAll('a.invitation-link')).map(a => a.href);")
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect()
}

/// Waits (up to `secs`) until the wave page, reloaded, holds `text`.
fn wait_on_reload(b: &Browser, url: &str, text: &str, secs: u64) {
    for _ in 0..secs * 2 {
        b.goto(url);
        if b.source().contains(text) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
    }
    panic!("{url} never showed {text:?}: {}", b.source());
}

#[test]
#[ignore = "needs chromium + chromedriver and aiosmtpd: see README"]
fn a_researcher_runs_a_study_from_an_empty_database_in_the_browser() {
    let b = Browser::start();
    let dir = temp_dir("maildir");
    let d = dir.display().to_string();
    let smtp = Smtp::start("ks_smtp.RefuseOnce", &[&d, "vol@zuidstad.nl"], dir);
    let app = mail_app(&smtp.url(), 6000);
    admin(&app, "onderzoek@zuidstad.nl");
    log_in(&b, &app, "onderzoek@zuidstad.nl", "/dashboard");
    // The dashboard leads an admin into the console, which names the next step.
    b.click(".console-link a");
    b.wait_for_url("/admin");
    b.wait_for_text("Maak eerst de teams aan");
    b.assert_accessible("/admin (empty)");
    shoot(&b, "console-empty");

    // Teams: the browser's own check keeps an empty name from being sent; two teams added.
    b.click(".next-step a");
    b.wait_for_url("/admin/teams");
    b.click("form.row-form button[type=submit]");
    assert_eq!(app.count("teams"), 0);
    for (i, name) in ["Balie", "Backoffice"].into_iter().enumerate() {
        b.type_into("#team-name", name);
        b.click("form.row-form button[type=submit]");
        // The new team's row (the page before it already says "Opgeslagen." after the first).
        b.wait_for_text(&format!("id=\"team-{}\"", i + 1));
        b.wait_for_text("Opgeslagen.");
    }
    assert_eq!(app.count("teams"), 2);
    // Deleting asks first, says what cannot be undone, and "Annuleren" keeps the team.
    b.click("#team-2 a.danger");
    b.wait_for_text("Team 'Backoffice' verwijderen?");
    assert!(b.source().contains("Dit kan niet ongedaan worden gemaakt"));
    b.assert_accessible("/admin/teams/2/delete");
    b.click(".confirm-form a.button");
    b.wait_for_url("/admin/teams");
    assert_eq!(app.count("teams"), 2);
    b.click("#team-2 a.danger");
    b.wait_for_text("Ja, team verwijderen");
    b.click(".confirm-form button.danger");
    b.wait_for_text("Verwijderd.");
    assert_eq!(app.count("teams"), 1);

    // The survey: the default dimensions, the organisation's name, scale labels.
    b.goto(&app.url("/admin"));
    b.click(".next-step a");
    b.wait_for_url("/admin/surveys/new");
    b.type_into("input[name=title]", "Klantspiegel Balie");
    b.type_into("#organisation", "Gemeente Zuidstad");
    b.type_into("#scale_low_nl", "zeer slecht");
    b.type_into("#scale_high_nl", "uitstekend");
    b.click(".survey-form button.primary");
    b.wait_for_url("/admin/surveys/1");
    b.wait_for_text("Meting toevoegen");

    // A wave opening now (an empty opening time is now), closing on a date typed in Dutch time.
    b.type_into("#wave-name", "Voorjaar");
    select(&b, "#wave-closes", "2099-06-30T17:00");
    b.click(".wave-form button[type=submit]");
    b.wait_for_url("/admin/surveys/1/waves/1");
    b.wait_for_text("Persoonlijke links");
    assert_eq!(
        text_of(&b, ".facts div:nth-child(2) dd"),
        "2099-06-30 17:00 CEST"
    );
    let stored = app.get("/api/v1/surveys/1").json()["waves"][0]["closes_at"].clone();
    assert_eq!(stored, "2099-06-30T15:00:00Z");
    shoot(&b, "console-wave");

    // Personal links: no team is chosen for you; without one, the error sits at the field.
    assert_eq!(
        b.script("return document.querySelector('#links-team').value;"),
        ""
    );
    b.script("document.querySelector('#links-team').removeAttribute('required');");
    b.click(".links-form button.primary");
    b.wait_for_text("Kies een team.");
    assert_eq!(app.count("invitations"), 0);
    select(&b, "#links-team", "1");
    b.click(".links-form button.primary");
    b.wait_for_text("Nieuwe links");
    let links = links_on_page(&b);
    assert_eq!(links.len(), 10);
    assert!(links[0].starts_with(&app.url("/r/")), "{}", links[0]);
    b.assert_accessible("links page");
    shoot(&b, "console-links");
    // The language link shows the same links in English: nothing lost, nothing new made.
    b.click("form.lang-form button");
    b.wait_for_text("New links");
    assert_eq!(links_on_page(&b), links);
    assert_eq!(app.count("invitations"), 10);
    b.click("form.lang-form button");
    b.wait_for_text("Nieuwe links");
    assert_eq!(links_on_page(&b), links);

    // A customer answers one link.
    b.click("a.invitation-link");
    b.wait_for_text("Gemeente Zuidstad");
    b.click("input[name='r.keeping_agreements.perceived'][value='6'] + span");
    b.click("input[name='r.speed.perceived'][value='9'] + span");
    b.click("button[type=submit]");
    b.wait_for_text("Hartelijk dank");
    assert_eq!(app.count("responses"), 1);

    // A team link on a poster: the QR code has a name, the poster downloads to print again.
    let wave = app.url("/admin/surveys/1/waves/1");
    b.goto(&wave);
    select(&b, "#tl-team", "1");
    b.click(".team-link-form button.primary");
    b.wait_for_text("Uw mening telt");
    assert_eq!(
        b.script("return document.querySelector('.qr img').alt;"),
        "QR-code met de link naar de vragenlijst voor team Balie"
    );
    assert_eq!(
        b.script("return document.querySelector('.qr img').naturalWidth > 0;"),
        true
    );
    b.assert_accessible("poster");
    shoot(&b, "console-poster");

    // E-mail: three addresses, one refused by the mail server (once).
    b.goto(&format!("{wave}#mailing"));
    b.script(
        "document.querySelector('#recipients-csv').value = \
         'email,team,audience\\nja@zuidstad.nl,Balie,customer\\nvol@zuidstad.nl,Balie,customer\\nook@zuidstad.nl,Balie,employee\\n';",
    );
    b.click(".recipients-form button.primary");
    b.wait_for_text("3 uitnodiging(en) staan in de wachtrij");
    wait_on_reload(&b, &wave, "550 5.2.2 Mailbox full", 30);
    assert_eq!(text_of(&b, "td.address"), "vol@zuidstad.nl");
    assert_eq!(text_of(&b, "dd.failed"), "1");
    // Not counted as invited: 10 links + 1 mail for Balie's customers, 1 employee. The page
    // reads the monitor before the mail list: a failure committed between the two reads shows
    // in the list one load before the monitor (seen once on PostgreSQL in CI), so wait for it.
    let monitor = "return Array.from(document.querySelector(\"#monitor tr[data-team='1'][data-audience='customer']\").cells).map(c => c.textContent.trim());";
    let want = serde_json::json!(["Balie", "Klanten", "1", "11", "1", "9%", "0", "1"]);
    let mut row = b.script(monitor);
    for _ in 0..60 {
        if row == want {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        b.goto(&wave);
        row = b.script(monitor);
    }
    assert_eq!(row, want);
    b.assert_accessible("wave page with a refused mail");
    shoot(&b, "console-mail-refused");
    b.script("document.querySelector('#mailing').scrollIntoView();");
    shoot(&b, "console-mailing");
    b.click("table.failed-mails button");
    b.wait_for_text("1 e-mail(s) worden opnieuw verstuurd.");
    wait_on_reload(&b, &wave, "<dd class=\"sent\">3</dd>", 30);
    assert_eq!(text_of(&b, "dd.failed"), "0");
    let got: std::collections::BTreeSet<String> = smtp
        .wait_for(3, 30)
        .iter()
        .map(|m| m.rcpt.clone())
        .collect();
    assert!(got.contains("vol@zuidstad.nl"), "{got:?}");
    // Reminders: after the POST a redirect; the count says none were due twice.
    b.click(".remind-form button");
    b.wait_for_url("reminded=");
    b.wait_for_text("herinnering(en) in de wachtrij.");

    // A tablet, a laptop and a phone: the console's pages fit and axe stays clean.
    check_widths(
        &b,
        &app,
        &[
            "/admin",
            "/admin/teams",
            "/admin/users",
            "/admin/surveys/1",
            "/admin/surveys/1/waves/1",
            "/admin/audit",
            "/admin/audit?lang=en&action=team.create",
        ],
    );

    // Closing asks first; after it, the invitations say so and none can be revoked.
    b.goto(&wave);
    b.click("a.close-link");
    b.wait_for_text("Meting 'Voorjaar' nu sluiten?");
    assert!(b.source().contains("Dit kan niet ongedaan worden gemaakt"));
    b.assert_accessible("close confirmation");
    shoot(&b, "console-close-confirm");
    b.click(".confirm-form button.danger");
    b.wait_for_text("De meting is gesloten.");
    assert_eq!(
        b.script("return document.querySelectorAll('#invitations form').length;"),
        0
    );
    assert_eq!(text_of(&b, ".invitation-status"), "meting gesloten");
    // The overview: newest first, labelled, with status and "1 klant".
    b.goto(&app.url("/admin"));
    b.wait_for_text("Bespreek de uitkomsten");
    assert_eq!(text_of(&b, ".wave-block .status"), "gesloten");
    assert!(
        b.source().contains("(0 medewerkers · 1 klant)"),
        "{}",
        b.source()
    );
    shoot(&b, "console-closed");
}

#[test]
#[ignore = "needs chromium + chromedriver and aiosmtpd: see README"]
fn a_researcher_works_in_english_edits_the_mail_and_sends_a_test_to_herself() {
    let b = Browser::start();
    let dir = temp_dir("maildir");
    let d = dir.display().to_string();
    let smtp = Smtp::start("aiosmtpd.handlers.Mailbox", &[&d], dir);
    let app = mail_app(&smtp.url(), 6000);
    admin(&app, "research@zuidstad.nl");
    let team = app.create_team("Front desk");
    let survey = app.create_default_survey()["id"].as_i64().unwrap();
    let wave = app.create_wave(survey, "Spring", "2026-01-01T00:00:00Z");
    let page = format!("/admin/surveys/{survey}/waves/{wave}?lang=en");
    log_in(&b, &app, "research@zuidstad.nl", &page);
    b.wait_for_text("Invitations by e-mail");
    assert_eq!(
        text_of(&b, ".facts div:nth-child(1) dd"),
        "2026-01-01 01:00 CET"
    );

    // A text without {link} is refused next to its field, with what was typed kept.
    b.script(
        "document.querySelector('#body-en-customer').value = 'Dear customer, please answer.';",
    );
    b.script(
        "document.querySelector('#subject-en-customer').value = 'Your view on the front desk';",
    );
    b.click("#template-en-customer button.primary");
    b.wait_for_text("ust contain {link}");
    assert_eq!(
        b.script("return document.querySelector('#body-en-customer').value;"),
        "Dear customer, please answer."
    );
    assert_eq!(
        b.script(
            "return document.querySelector('#subject-en-customer').getAttribute('aria-invalid');"
        ),
        serde_json::Value::Null
    );
    b.assert_accessible("refused mail text");
    b.script(
        "document.querySelector('#body-en-customer').value = 'Dear customer,\\n\\nplease answer: {link}\\n\\nIt closes {closes_at}.';",
    );
    b.click("#template-en-customer button.primary");
    b.wait_for_text("Saved.");
    // The preview in English, as a customer gets it.
    assert_eq!(
        text_of(&b, ".preview-subject"),
        "Your view on the front desk"
    );
    assert!(text_of(&b, ".preview-body").contains("please answer: http://"));
    // A test mail to herself.
    select(&b, "#test-lang", "en");
    b.click(".test-form button");
    b.wait_for_text("The test mail was sent to your own address.");
    let mails = smtp.wait_for(1, 30);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].rcpt, "research@zuidstad.nl");
    assert_eq!(mails[0].subject, "Your view on the front desk");
    assert_eq!(app.count("outbox"), 0, "a test mail is no invitation");

    // Personal links in English, then back to Dutch on the same page.
    b.goto(&app.url(&page));
    select(&b, "#links-team", &team.to_string());
    b.script("document.querySelector('#links-count').value = '3';");
    b.click(".links-form button.primary");
    b.wait_for_text("New links: Front desk · Customers");
    let links = links_on_page(&b);
    assert_eq!(links.len(), 3);
    b.click("form.lang-form button");
    b.wait_for_text("Nieuwe links");
    assert_eq!(links_on_page(&b), links);

    // An import with a half grade says so, in English, next to the line.
    b.goto(&app.url(&page));
    let csv_path =
        std::env::temp_dir().join(format!("ks-import-{wave}-{}.csv", std::process::id()));
    std::fs::write(
        &csv_path,
        "audience,team,speed\ncustomer,Front desk,\"8,5\"\n",
    )
    .unwrap();
    b.type_into("#import-file", &csv_path.display().to_string());
    b.click("#import button.primary");
    b.wait_for_text("half grades such as 8,5 are not possible");
    let _ = std::fs::remove_file(&csv_path);
    b.assert_accessible("refused import");
    check_widths(&b, &app, &["/admin?lang=en", &page]);
}
