//! Issue 24 and the workshop rule of issue 23 in real Chromium: the questionnaire, the report,
//! the dashboard and the workshop fit a 390 px phone and a 1280 px desktop without horizontal
//! scroll and stay clean under axe-core; a refused questionnaire keeps its answers; before any
//! reveal neither the workshop's whole DOM nor its print view says what customers scored, which
//! dimension is a blind spot or hidden strength, or the priority order. Ignored unless asked for
//! (`cargo test --test api -- --ignored browser`), like the other browser tests.

use serde_json::{json, Value};

use crate::browser::Browser;
use crate::helpers::*;

fn log_in(b: &Browser, app: &TestApp, email: &str, password: &str) {
    b.goto(&app.url("/login"));
    b.type_into("#email", email);
    b.type_into("#password", password);
    b.click("button[type=submit]");
    b.wait_for_url("/dashboard");
}

/// The page's width against the window's: no horizontal scroll.
fn assert_no_horizontal_scroll(b: &Browser, what: &str, width: u32) {
    let v = b.script(
        "return [document.documentElement.scrollWidth, window.innerWidth, \
         document.body.scrollWidth];",
    );
    let (scroll, inner, body) = (
        v[0].as_i64().unwrap(),
        v[1].as_i64().unwrap(),
        v[2].as_i64().unwrap(),
    );
    assert!(
        inner <= width as i64 && inner > 300,
        "{what}: window {inner}"
    );
    assert!(
        scroll <= inner && body <= inner,
        "{what} at {width} px scrolls sideways: {scroll} / {body} > {inner}"
    );
}

/// An open wave of the demo (its third), for questionnaires that can still be answered.
fn open_wave(app: &TestApp) -> i64 {
    let survey = app.get("/api/v1/surveys/1").json();
    survey["waves"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["closes_at"].is_null())
        .unwrap()["id"]
        .as_i64()
        .unwrap()
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn browser_the_pages_fit_a_phone_and_a_desktop_and_axe_stays_clean() {
    let b = Browser::start();
    let app = spawn_app();
    load_demo(&app);
    let wave = open_wave(&app);
    let customer = app.invite(1, wave, 1, "customer", 1, 1).remove(0);
    let employee = app.invite(1, wave, 1, "employee", 1, 1).remove(0);
    let public = [
        format!("/r/{customer}"),
        format!("/r/{customer}?lang=en"),
        format!("/r/{employee}"),
    ];
    let signed_in = [
        "/dashboard",
        "/dashboard?lang=en",
        "/surveys/1?wave_id=2&team_id=1",
        "/surveys/1?wave_id=2",
        "/surveys/1?wave_id=1&team_id=3&lang=en",
        "/surveys/1/workshop?wave_id=2&team_id=1",
        "/surveys/1/workshop?wave_id=2&team_id=1&revealed=1,4#slide-4",
        "/surveys/1/workshop?wave_id=2&team_id=1&revealed=all#slide-9",
    ];
    log_in(
        &b,
        &app,
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    for width in [390, 1280] {
        b.set_window(width, 900);
        for path in public.iter().map(String::as_str).chain(signed_in) {
            b.goto(&app.url(path));
            assert_no_horizontal_scroll(&b, path, width);
            b.assert_accessible(&format!("{path} at {width} px"));
        }
        // The report's edit form of an action is whole: inside the page, not cut off.
        b.goto(&app.url("/surveys/1?wave_id=2&team_id=1"));
        b.script("document.querySelector('.actions details').open = true;");
        let edge = b.script(
            "var f = document.querySelector('.actions details form.action-edit'); \
             var r = f.getBoundingClientRect(); \
             var s = f.querySelector('button[type=submit]').getBoundingClientRect(); \
             return [r.left, r.right, s.right, document.documentElement.clientWidth, \
                     document.querySelectorAll('table table, .print-frame table table').length];",
        );
        let client = edge[3].as_f64().unwrap();
        assert!(edge[0].as_f64().unwrap() >= 0.0, "{edge}");
        assert!(edge[1].as_f64().unwrap() <= client, "{edge}");
        assert!(edge[2].as_f64().unwrap() <= client, "{edge}");
        assert_eq!(edge[4], 0, "a table nested in a table");
        assert_no_horizontal_scroll(&b, "report with an open edit form", width);
    }

    // Printed, every page of the report names survey, team and wave: the header repeats (a CSS
    // table's header group, no table element around the report).
    b.set_window(1280, 900);
    b.goto(&app.url("/surveys/1?wave_id=2&team_id=1"));
    let pdf = b.print_pdf();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    assert!(pages.len() >= 3, "{} pages", pages.len());
    let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    for p in &pages {
        let text = doc.extract_text(&[*p]).unwrap_or_default();
        assert!(
            squeeze(&text).contains(&squeeze("Klantspiegel 2026 · Klantenservice · Najaar 2026")),
            "page {p} has no header: {text}"
        );
    }

    // On the phone, the 1–10 scale is one row with its anchors under its ends (the NPS too).
    b.set_window(390, 900);
    b.goto(&app.url(&format!("/r/{customer}")));
    for fieldset in ["#q-speed-perceived", "#q-nps"] {
        let v = b.script(&format!(
            "var f = document.querySelector('{fieldset}'); \
             var boxes = Array.from(f.querySelectorAll('.scale .opt > span')).map(function (s) \
               {{ return s.getBoundingClientRect(); }}); \
             var ends = f.querySelectorAll('.ends span'); \
             var lo = ends[0].getBoundingClientRect(), hi = ends[1].getBoundingClientRect(); \
             var tops = boxes.map(function (r) {{ return Math.round(r.top); }}); \
             return [Math.min.apply(null, tops), Math.max.apply(null, tops), \
                     boxes[0].left, lo.left, boxes[boxes.length - 1].right, hi.right, \
                     boxes.length, Math.min.apply(null, boxes.map(function (r) {{ return r.width; }})), \
                     Math.min.apply(null, boxes.map(function (r) {{ return r.height; }})), \
                     ends[0].innerText, ends[1].innerText];"
        ));
        let n = |i: usize| v[i].as_f64().unwrap();
        assert_eq!(n(0), n(1), "{fieldset}: the scale wraps: {v}");
        assert!(
            (n(2) - n(3)).abs() <= 2.0,
            "{fieldset}: low anchor not under the low end: {v}"
        );
        assert!(
            (n(4) - n(5)).abs() <= 2.0,
            "{fieldset}: high anchor not under the high end: {v}"
        );
        assert!(
            n(7) >= 24.0 && n(8) >= 44.0,
            "{fieldset}: targets too small: {v}"
        );
        let (lo, hi) = (v[9].as_str().unwrap(), v[10].as_str().unwrap());
        match fieldset {
            "#q-nps" => {
                assert_eq!(n(6), 11.0);
                assert_eq!(
                    (lo, hi),
                    ("0 = zeer onwaarschijnlijk", "10 = zeer waarschijnlijk")
                );
            }
            _ => {
                assert_eq!(n(6), 10.0);
                assert_eq!((lo, hi), ("1 = zeer slecht", "10 = uitstekend"));
            }
        }
    }
    // By keyboard: Tab reaches the scale, the arrow keys choose within it.
    b.script(
        "document.querySelector(\"input[name='r.customer_focus.perceived'][value='1']\").focus();",
    );
    b.press("\u{E014}");
    b.press("\u{E014}");
    assert_eq!(
        b.script("return document.activeElement.name + '=' + document.activeElement.value + ':' + document.activeElement.checked;"),
        "r.customer_focus.perceived=3:true"
    );
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn browser_a_refused_questionnaire_keeps_its_answers_and_the_fixed_one_is_stored() {
    let b = Browser::start();
    let app = spawn_app();
    let w = world(&app);
    let token = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 1)
        .remove(0);
    b.set_window(390, 900);
    b.goto(&app.url(&format!("/r/{token}")));
    b.click("input[name='r.keeping_agreements.perceived'][value='6'] + span");
    b.click("input[name='r.keeping_agreements.expected'][value='8'] + span");
    b.click("input[name='r.speed.perceived'][value='dk'] + span");
    b.click("input[name='nps'][value='9'] + span");
    b.type_into("#comment", "Vriendelijk, maar te laat.");
    // A value the server refuses (as a tampered or stale form would send).
    b.script(
        "var e = document.querySelector(\"input[name='r.friendliness.perceived'][value='10']\"); \
         e.value = '12'; e.checked = true;",
    );
    b.click("button[type=submit]");
    b.wait_for_text("12 ligt buiten de schaal 1–10.");
    assert_eq!(app.count("responses"), 0);
    let checked = b.script(
        "return Array.from(document.querySelectorAll('input[type=radio]:checked'))\
         .map(function (e) { return e.name + '=' + e.value; });",
    );
    assert_eq!(
        checked,
        json!([
            "r.keeping_agreements.perceived=6",
            "r.keeping_agreements.expected=8",
            "r.speed.perceived=dk",
            "nps=9"
        ])
    );
    assert_eq!(
        b.script("return document.querySelector('#comment').value;"),
        "Vriendelijk, maar te laat."
    );
    // The error stands inside the question it is about, and that question says so to a
    // screen reader.
    assert_eq!(
        b.script(
            "var e = Array.from(document.querySelectorAll('.field-error'))\
             .find(function (p) { return p.innerText.indexOf('12 ligt') === 0; }); \
             var f = e.closest('fieldset'); \
             return [f.id, f.getAttribute('aria-describedby'), e.id];"
        ),
        json!([
            "q-friendliness-perceived",
            "err-q-friendliness-perceived",
            "err-q-friendliness-perceived"
        ])
    );
    assert_no_horizontal_scroll(&b, "the refused questionnaire", 390);
    b.assert_accessible("the refused questionnaire");
    // Fix the one answer and send: stored as answered, with the kept comment.
    b.click("input[name='r.friendliness.perceived'][value='10'] + span");
    b.click("button[type=submit]");
    b.wait_for_text("Hartelijk dank");
    assert_eq!(app.count("responses"), 1);
    let export = app
        .get(&format!(
            "/api/v1/surveys/{}/export.csv?wave_id={}",
            w.survey, w.wave
        ))
        .body;
    assert!(export.contains("Vriendelijk, maar te laat."), "{export}");
}

/// The words and marks that would give away, before a reveal, what customers scored, which
/// dimension is a blind spot or hidden strength, or the priority order.
const GIVEAWAYS: &[&str] = &[
    "blinde vlek",
    "verborgen kracht",
    "op één lijn",
    "nog onduidelijk",
    "omvang onzeker",
    "niet te vergelijken",
    "prioriteit",
    "priority",
    "customer-score",
    "distribution.svg",
    "oordelen hoger",
    "oordelen lager",
    "samengevat",
    "class=\"tag",
];

/// Every number with a decimal comma in a text.
fn decimals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    for i in 1..chars.len().saturating_sub(1) {
        if chars[i] == ',' && chars[i - 1].is_ascii_digit() && chars[i + 1].is_ascii_digit() {
            out.push(format!("{}{}{}", chars[i - 1], ',', chars[i + 1]));
        }
    }
    out
}

/// Checks a text of the workshop before any reveal: no giveaway, and no number but the
/// employees' own means (each exactly once per slide it belongs to).
fn assert_gives_nothing_away(text: &str, what: &str, employee_means: &[String]) {
    let lower = text.to_lowercase();
    for g in GIVEAWAYS {
        assert!(!lower.contains(g), "{what}: {g:?} before the reveal");
    }
    let mut numbers = decimals(text);
    for m in employee_means {
        let at = numbers
            .iter()
            .position(|n| n == m)
            .unwrap_or_else(|| panic!("{what}: the employees' {m} is missing: {numbers:?}"));
        numbers.remove(at);
    }
    assert!(
        numbers.is_empty(),
        "{what}: numbers before the reveal: {numbers:?}"
    );
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn browser_before_any_reveal_the_workshop_dom_and_print_view_say_nothing_of_the_customers() {
    let b = Browser::start();
    let app = spawn_app();
    load_demo(&app);
    let survey = app.get("/api/v1/surveys/1").json();
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
        .json();
    let keys: Vec<String> = survey["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap().to_string())
        .collect();
    let means: Vec<String> = keys
        .iter()
        .map(|k| {
            let d = report["dimensions"]
                .as_array()
                .unwrap()
                .iter()
                .find(|d| d["key"] == k.as_str())
                .unwrap();
            format!("{:.1}", d["employee"]["mean"].as_f64().unwrap()).replace('.', ",")
        })
        .collect();
    // The priority order is not the survey order here, so following it would show.
    let by_priority: Vec<&str> = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["key"].as_str().unwrap())
        .collect();
    assert_ne!(by_priority, keys);
    log_in(
        &b,
        &app,
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let base = "/surveys/1/workshop?wave_id=2&team_id=1";
    b.goto(&app.url(base));
    // The whole DOM (hidden slides included) and everything the page says.
    let html = b
        .script("return document.documentElement.outerHTML;")
        .as_str()
        .unwrap()
        .to_string();
    let text = b
        .script("return document.body.textContent;")
        .as_str()
        .unwrap()
        .to_string();
    for g in GIVEAWAYS {
        assert!(!html.to_lowercase().contains(g), "DOM: {g:?}");
    }
    assert_gives_nothing_away(&text, "the DOM's text", &means);
    let order = b.script(
        "return Array.from(document.querySelectorAll('.slide[data-key]'))\
         .map(function (s) { return s.dataset.key; });",
    );
    assert_eq!(order, json!(keys), "slides in survey position");
    let agenda = b.script(
        "return Array.from(document.querySelectorAll('.agenda li')).map(function (l) { return l.innerText; });",
    );
    let labels: Vec<&str> = survey["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["label_nl"].as_str().unwrap())
        .collect();
    assert_eq!(agenda, json!(labels));
    // Every slide in turn, as the room sees it.
    for i in 1..=keys.len() {
        b.press("\u{E014}");
        let shown = b
            .script("return document.querySelector('.slide.current').innerText;")
            .as_str()
            .unwrap()
            .to_string();
        assert_gives_nothing_away(&shown, &format!("slide {i}"), &means[i - 1..i]);
    }
    assert_eq!(
        b.script("return document.querySelectorAll('.slide').length;"),
        keys.len() + 1,
        "a closing slide before the reveals"
    );

    // The print view: the page with print styles, and the printed PDF.
    b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"}));
    let printed = b
        .script("return document.body.innerText;")
        .as_str()
        .unwrap()
        .to_string();
    for l in &labels {
        assert!(printed.contains(l), "the print view lacks {l}");
    }
    assert_gives_nothing_away(&printed, "the print styles", &means);
    let pdf = b.print_pdf();
    let doc = lopdf::Document::load_mem(&pdf).unwrap();
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let pdf_text = doc.extract_text(&pages).unwrap_or_default();
    assert!(
        pdf_text.contains("Agenda") && pdf_text.contains(labels[0]),
        "the PDF's text: {pdf_text}"
    );
    assert_gives_nothing_away(&pdf_text, "the printed PDF", &means);
    b.cdp("Emulation.setEmulatedMedia", json!({"media": ""}));
    // The print link carries the reveals so far (none), and its page gives nothing away.
    let print_link = b.script(
        "return Array.from(document.querySelectorAll('a')).find(function (a) \
         { return a.innerText === 'Afdrukken'; }).getAttribute('href');",
    );
    assert_eq!(print_link, json!(format!("{base}&lang=nl&print=1")));
    let page = app.get_with_session(
        print_link.as_str().unwrap(),
        &app.login_session(
            klantspiegel::demo::LEAD_EMAIL,
            klantspiegel::demo::LEAD_PASSWORD,
        ),
    );
    assert!(page.body.contains("data-print-now"));
    for g in GIVEAWAYS {
        assert!(!page.body.to_lowercase().contains(g), "print page: {g:?}");
    }

    // One reveal shows that slide's customers and nothing of the others.
    b.goto(&app.url(&format!("{base}#slide-1")));
    b.press("r");
    b.wait_for_url("revealed=1");
    let others = b
        .script(
            "return Array.from(document.querySelectorAll('.slide[data-key]')).slice(1)\
             .map(function (s) { return s.textContent; }).join(' ');",
        )
        .as_str()
        .unwrap()
        .to_string();
    assert_gives_nothing_away(&others, "the unrevealed slides", &means[1..]);
    let first: Value =
        b.script("return document.querySelector('#slide-1 .customer-score').innerText;");
    let d = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == keys[0].as_str())
        .unwrap();
    assert_eq!(
        first,
        format!("{:.1}", d["customer"]["mean"].as_f64().unwrap()).replace('.', ",")
    );
}
