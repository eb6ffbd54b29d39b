//! Issue 17 in a real browser: the workshop's keys, the organisation-wide workshop of a team
//! lead, the action list changed in the browser, and axe-core on every page. Ignored unless
//! asked for, like the other browser tests (`cargo test --test api -- --ignored browser`).

use serde_json::Value;

use crate::browser::Browser;
use crate::helpers::*;

fn log_in(b: &Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/login"));
    b.type_into("#email", email);
    b.type_into("#password", password);
    b.click("button[type=submit]");
    b.wait_for_url("/dashboard");
}

fn current(b: &Browser) -> Value {
    b.script("var s=document.querySelector('.slide.current'); return s ? s.id : null;")
}

fn revealed_here(b: &Browser) -> bool {
    !b.script("return document.querySelector('.slide.current .customer-score');")
        .is_null()
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn space_presses_the_focused_button_the_org_workshop_has_no_form_for_a_lead_and_actions_change_in_the_browser(
) {
    let b = Browser::start();
    let app = spawn_app();
    load_demo(&app);
    log_in(
        &b,
        &app,
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );

    b.goto(&app.url("/surveys/1/workshop?wave_id=2&team_id=1#slide-1"));
    assert_eq!(current(&b), "slide-1");
    // Space on the focused "next" button moves on; it does not reveal.
    b.script("document.querySelector('[data-next]').focus();");
    b.press(" ");
    assert_eq!(current(&b), "slide-2");
    assert!(!revealed_here(&b));
    assert!(!b.current_url().contains("revealed="));
    // Space on the focused "reveal" button reveals this slide.
    b.script("document.querySelector('.slide.current [data-reveal]').focus();");
    b.press(" ");
    b.wait_for_url("revealed=2");
    assert_eq!(current(&b), "slide-2");
    assert!(revealed_here(&b));
    // With no control focused, Space reveals too.
    b.script("if (document.activeElement) { document.activeElement.blur(); }");
    b.press("\u{E014}");
    assert_eq!(current(&b), "slide-3");
    b.press(" ");
    b.wait_for_url("revealed=2%2C3");
    assert_eq!(current(&b), "slide-3");
    assert!(revealed_here(&b));
    // Going back: slide 2 is still revealed.
    b.press("\u{E012}");
    assert!(revealed_here(&b));

    // The organisation-wide workshop: a team lead cannot record organisation actions, so
    // there is no form to fill in and lose.
    b.goto(&app.url("/surveys/1/workshop?wave_id=2#slide-1"));
    assert_eq!(
        b.script("return document.querySelectorAll('form.action-form').length;"),
        0
    );
    b.wait_for_text("Acties voor de hele organisatie legt een beheerder vast");

    // The action list on the report: the lead's team actions have a form, organisation ones not.
    let actions = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    let own: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["team_id"] == 1)
        .collect();
    assert!(!own.is_empty());
    b.goto(&app.url("/surveys/1?wave_id=2&team_id=1"));
    assert_eq!(
        b.script("return document.querySelectorAll('form.action-edit').length;"),
        own.len()
    );
    let id = own[0]["id"].as_i64().unwrap();
    let new_status = if own[0]["status"] == "dropped" {
        "done"
    } else {
        "dropped"
    };
    b.click(&format!("#action-{id} details summary"));
    b.script(&format!(
        "document.querySelector('#action-{id} select[name=status]').value = '{new_status}';"
    ));
    let owner = format!("#action-{id} input[name=owner]");
    b.script(&format!("document.querySelector('{owner}').value = '';"));
    b.type_into(&owner, "Samira");
    b.click(&format!(
        "#action-{id} form.action-edit button[type=submit]"
    ));
    b.wait_for_url(&format!("updated={id}"));
    b.wait_for_text("De actie is bijgewerkt");
    let after = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    let changed = after
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap();
    assert_eq!(changed["status"], new_status);
    assert_eq!(changed["owner"], "Samira");
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn axe_core_finds_no_serious_or_critical_violation_on_any_page() {
    let b = Browser::start();
    let app = spawn_app();
    load_demo(&app);
    // The questionnaires of both audiences, in both languages (an open wave of the demo).
    let survey = app.get("/api/v1/surveys/1").json();
    let open = survey["waves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["closes_at"].is_null())
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    for audience in ["employee", "customer"] {
        let token = app.invite(1, open, 1, audience, 1, 1).remove(0);
        b.goto(&app.url(&format!("/r/{token}")));
        b.assert_accessible(&format!("questionnaire ({audience}, nl)"));
        b.goto(&app.url(&format!("/r/{token}?lang=en")));
        b.assert_accessible(&format!("questionnaire ({audience}, en)"));
    }
    b.goto(&app.url("/login"));
    b.assert_accessible("login");
    log_in(
        &b,
        &app,
        klantspiegel::demo::ADMIN_EMAIL,
        klantspiegel::demo::ADMIN_PASSWORD,
    );
    b.assert_accessible("dashboard");
    for (name, path) in [
        ("report", "/surveys/1?wave_id=2&team_id=1"),
        ("report (organisation, en)", "/surveys/1?wave_id=2&lang=en"),
        (
            "workshop agenda",
            "/surveys/1/workshop?wave_id=2&team_id=1#slide-0",
        ),
        (
            "workshop slide",
            "/surveys/1/workshop?wave_id=2&team_id=1#slide-1",
        ),
        (
            "workshop revealed",
            "/surveys/1/workshop?wave_id=2&team_id=1&revealed=1#slide-1",
        ),
    ] {
        b.goto(&app.url(path));
        b.assert_accessible(name);
    }
    // The check itself: an image without a text alternative is a critical violation.
    b.script("document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"/static/app.css\">');");
    let found = b.axe_serious();
    assert!(
        found.iter().any(|v| v.starts_with("image-alt")),
        "axe-core did not report an image without alt: {found:?}"
    );
}
