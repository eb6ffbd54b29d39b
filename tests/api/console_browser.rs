//! Issue 15 in a real browser: a researcher on an empty database sets up a study through the
//! console's pages alone, answers one personal link as a customer, and sees it counted.

use crate::browser::Browser;
use crate::helpers::*;

fn shoot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("KLANTSPIEGEL_SCREENSHOTS") {
        b.screenshot(&format!("{dir}/{name}.png"));
    }
}

/// Whether the page fits the window's width (no sideways scrolling of the page itself).
fn fits(b: &Browser) -> bool {
    b.script("return document.documentElement.scrollWidth <= window.innerWidth;") == true
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn a_researcher_runs_a_study_from_an_empty_database_in_the_browser() {
    let b = Browser::start();
    let app = spawn_app();
    let out = cli(
        &app,
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
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    b.goto(&app.url("/login"));
    b.type_into("#email", "onderzoek@zuidstad.nl");
    b.type_into("#password", "beheerder-wachtwoord");
    b.click("button[type=submit]");
    b.wait_for_url("/dashboard");
    // The dashboard leads an admin into the console, which names the next step.
    b.click(".console-link a");
    b.wait_for_url("/admin");
    b.wait_for_text("Maak eerst de teams aan");
    shoot(&b, "console-empty");

    // Teams: an empty name is refused next to the field; then the team is added.
    b.click(".next-step a");
    b.wait_for_url("/admin/teams");
    b.click("form.row-form button[type=submit]");
    // The browser's own check (required) keeps an empty form from being sent.
    assert_eq!(app.count("teams"), 0);
    // Generic selectors on purpose: the first field and button of a page are its main action.
    b.type_into("input[name=name]", "Balie");
    b.click("button[type=submit]");
    b.wait_for_text("Opgeslagen.");
    assert_eq!(app.count("teams"), 1);

    // The survey: the default dimensions, the organisation's name, scale labels.
    b.goto(&app.url("/admin"));
    b.wait_for_text("Stel het onderzoek op");
    b.click(".next-step a");
    b.wait_for_url("/admin/surveys/new");
    b.type_into("input[name=title]", "Klantspiegel Balie");
    b.type_into("#organisation", "Gemeente Zuidstad");
    b.type_into("#scale_low_nl", "zeer slecht");
    b.type_into("#scale_high_nl", "uitstekend");
    shoot(&b, "console-survey");
    b.click("button[type=submit]");
    b.wait_for_url("/admin/surveys/1");
    b.wait_for_text("Meting toevoegen");

    // A wave opening now (an empty opening time is now).
    b.type_into("input[name=name]", "Voorjaar");
    b.click("button[type=submit]");
    b.wait_for_url("/admin/surveys/1/waves/1");
    b.wait_for_text("Persoonlijke links");
    shoot(&b, "console-wave");

    // Personal links, shown once.
    b.click("button[type=submit]");
    b.wait_for_text("Nieuwe links");
    let links = b.script(
        "return Array.from(document.querySelectorAll('a.invitation-link')).map(a => a.href);",
    );
    let links: Vec<String> = links
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap().to_string())
        .collect();
    assert_eq!(links.len(), 10);
    assert!(links[0].starts_with(&app.url("/r/")), "{}", links[0]);
    shoot(&b, "console-links");

    // A customer answers one link.
    b.click("a.invitation-link");
    b.wait_for_text("Gemeente Zuidstad");
    assert!(b.source().contains("10 = uitstekend"));
    b.click("input[name='r.keeping_agreements.perceived'][value='6'] + span");
    b.click("input[name='r.speed.perceived'][value='9'] + span");
    b.click("button[type=submit]");
    b.wait_for_text("Hartelijk dank");
    assert_eq!(app.count("responses"), 1);

    // Counted on the wave page: 1 of 10 personal links answered.
    b.goto(&app.url("/admin/surveys/1/waves/1"));
    let row = b.script(
        "var r = document.querySelector(\"#monitor tr[data-team='1'][data-audience='customer']\"); \
         return r ? Array.from(r.cells).map(c => c.textContent.trim()) : null;",
    );
    assert_eq!(
        row,
        serde_json::json!(["Balie", "Klanten", "1", "10", "1", "10%", "0"])
    );
    // And on the overview, which now says the wave is running.
    b.goto(&app.url("/admin"));
    b.wait_for_text("De meting loopt");
    let total = b.script("return document.querySelector('.responses-total').textContent;");
    assert_eq!(total, "1");

    // A tablet's width: the console's pages fit without sideways scrolling.
    b.set_window(800, 1100);
    for path in [
        "/admin",
        "/admin/teams",
        "/admin/surveys/1",
        "/admin/surveys/1/waves/1",
    ] {
        b.goto(&app.url(path));
        assert!(fits(&b), "{path} is wider than a tablet");
    }
    shoot(&b, "console-tablet");
}
