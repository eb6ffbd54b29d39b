//! Real-browser tests: Debian's chromium driven through chromedriver (WebDriver over HTTP).
//! Marked `#[ignore]`, so plain `cargo test` lists them as ignored; run them with
//! `cargo test --test api -- --ignored browser` (`.ci/run` does). When they run they need the
//! driver (`KLANTSPIEGEL_CHROMEDRIVER`, else /usr/bin/chromedriver) and fail without it; with
//! `KLANTSPIEGEL_REQUIRE_BROWSER` set, a missing driver also fails plain `cargo test`.

use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};

use crate::helpers::*;

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub struct Browser {
    driver: Child,
    base: String,
    session: String,
    profile: std::path::PathBuf,
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn call(method: &str, url: &str, body: Option<Value>) -> Value {
    let req = agent().request(method, url);
    let resp = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let resp = match resp {
        Ok(r) => r,
        Err(ureq::Error::Status(code, r)) => panic!(
            "webdriver {method} {url}: {code} {}",
            r.into_string().unwrap_or_default()
        ),
        Err(e) => panic!("webdriver {method} {url}: {e}"),
    };
    resp.into_json::<Value>().unwrap()["value"].clone()
}

const NO_DRIVER: &str = "no ChromeDriver: install Debian's chromium and chromium-driver \
     (apt-get install -y chromium chromium-driver) or set KLANTSPIEGEL_CHROMEDRIVER; see README";

/// The ChromeDriver to use: `KLANTSPIEGEL_CHROMEDRIVER`, else Debian's, if installed.
fn driver_path() -> Option<String> {
    match std::env::var("KLANTSPIEGEL_CHROMEDRIVER") {
        Ok(p) if !p.is_empty() => Some(p),
        _ => {
            let debian = "/usr/bin/chromedriver";
            std::path::Path::new(debian)
                .exists()
                .then(|| debian.to_string())
        }
    }
}

/// CI sets KLANTSPIEGEL_REQUIRE_BROWSER: then plain `cargo test` fails at once when the ignored
/// browser tests could not run.
#[test]
fn a_required_browser_is_installed() {
    if std::env::var_os("KLANTSPIEGEL_REQUIRE_BROWSER").is_some() {
        let path =
            driver_path().unwrap_or_else(|| panic!("KLANTSPIEGEL_REQUIRE_BROWSER: {NO_DRIVER}"));
        assert!(
            std::path::Path::new(&path).exists(),
            "KLANTSPIEGEL_CHROMEDRIVER={path} does not exist"
        );
    }
}

impl Browser {
    /// Starts chromedriver and a headless Chromium; panics without a driver (a browser test that
    /// was asked for never passes without running).
    pub fn start() -> Browser {
        let driver_path = driver_path().unwrap_or_else(|| panic!("{NO_DRIVER}"));
        let port = free_port();
        let driver = Command::new(&driver_path)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {driver_path}: {e}"));
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if agent().get(&format!("{base}/status")).call().is_ok() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!("ks-chrome-{port}"));
        let binary =
            std::env::var("KLANTSPIEGEL_CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": binary,
            // A Dutch browser, as most respondents have: the pages pick NL from Accept-Language.
            "prefs": {"intl.accept_languages": "nl-NL,nl"},
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-quic",
                     "--window-size=1280,900", format!("--user-data-dir={}", profile.display())]
        }}}});
        let v = call("POST", &format!("{base}/session"), Some(caps));
        let session = v["sessionId"]
            .as_str()
            .expect("a WebDriver session")
            .to_string();
        Browser {
            driver,
            base,
            session,
            profile,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    pub fn goto(&self, url: &str) {
        call("POST", &self.url("/url"), Some(json!({"url": url})));
    }

    pub fn current_url(&self) -> String {
        call("GET", &self.url("/url"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn source(&self) -> String {
        call("GET", &self.url("/source"), None)
            .as_str()
            .unwrap()
            .to_string()
    }

    pub fn find(&self, css: &str) -> String {
        let v = call(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css}: {v}"))
            .to_string()
    }

    pub fn click(&self, css: &str) {
        let id = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{id}/value")),
            Some(json!({"text": text})),
        );
    }

    /// Presses one key (WebDriver key codes, e.g. "\u{E014}" for →).
    pub fn press(&self, key: &str) {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}]}]});
        call("POST", &self.url("/actions"), Some(actions));
    }

    /// Waits (up to 10 s) until the page source contains `text`; returns the source.
    pub fn wait_for_text(&self, text: &str) -> String {
        let mut source = String::new();
        for _ in 0..100 {
            source = self.source();
            if source.contains(text) {
                return source;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!(
            "the page never showed {text:?}: {} {source}",
            self.current_url()
        );
    }

    /// Waits (up to 10 s) until the URL contains `part`.
    pub fn wait_for_url(&self, part: &str) -> String {
        for _ in 0..100 {
            let url = self.current_url();
            if url.contains(part) {
                return url;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("the URL never contained {part:?}: {}", self.current_url());
    }

    /// Resizes the window (e.g. to a tablet's width).
    pub fn set_window(&self, width: u32, height: u32) {
        call(
            "POST",
            &self.url("/window/rect"),
            Some(json!({"width": width, "height": height})),
        );
    }

    pub fn script(&self, js: &str) -> Value {
        call(
            "POST",
            &self.url("/execute/sync"),
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Runs an async script (its last argument is the callback) and returns what it passed.
    pub fn script_async(&self, js: &str) -> Value {
        call(
            "POST",
            &self.url("/execute/async"),
            Some(json!({"script": js, "args": []})),
        )
    }

    /// Runs axe-core (vendored in tests/fixtures/axe) on the current page; returns the
    /// serious and critical violations as "rule: target …" lines.
    pub fn axe_serious(&self) -> Vec<String> {
        const AXE: &str = include_str!("../fixtures/axe/axe.min.js");
        call(
            "POST",
            &self.url("/timeouts"),
            Some(json!({"script": 60000})),
        );
        self.script(&format!("{AXE}\n;return true;"));
        let v = self.script_async(
            "var done = arguments[arguments.length - 1];\n\
             axe.run(document, {resultTypes: ['violations']}).then(function (r) {\n\
               done(r.violations.filter(function (v) { return v.impact === 'serious' || v.impact === 'critical'; })\n\
                 .map(function (v) { return v.id + ': ' + v.nodes.map(function (n) { return n.target.join(' '); }).join(' | '); }));\n\
             }, function (e) { done(['axe failed: ' + e]); });",
        );
        v.as_array()
            .unwrap_or_else(|| panic!("axe answered {v}"))
            .iter()
            .map(|x| x.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Asserts that axe-core finds no serious or critical violation on the current page.
    pub fn assert_accessible(&self, page: &str) {
        let found = self.axe_serious();
        assert!(found.is_empty(), "{page}: axe-core found {found:#?}");
    }

    /// Runs a Chrome DevTools command through ChromeDriver (e.g. `Emulation.setEmulatedMedia`).
    pub fn cdp(&self, cmd: &str, params: Value) -> Value {
        call(
            "POST",
            &self.url("/goog/cdp/execute"),
            Some(json!({"cmd": cmd, "params": params})),
        )
    }

    /// The current page printed to PDF by the browser (WebDriver "Print Page"), A4.
    pub fn print_pdf(&self) -> Vec<u8> {
        use base64::Engine;
        let v = call(
            "POST",
            &self.url("/print"),
            Some(json!({"page": {"width": 21.0, "height": 29.7}})),
        );
        base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap()
    }

    #[allow(dead_code)]
    pub fn screenshot(&self, path: &str) {
        use base64::Engine;
        let v = call("GET", &self.url("/screenshot"), None);
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(v.as_str().unwrap())
            .unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = agent()
            .delete(&format!("{}/session/{}", self.base, self.session))
            .call();
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn shoot(b: &Browser, name: &str) {
    if let Ok(dir) = std::env::var("KLANTSPIEGEL_SCREENSHOTS") {
        b.screenshot(&format!("{dir}/{name}.png"));
    }
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn a_customer_fills_in_the_questionnaire_in_dutch_and_in_english() {
    let b = Browser::start();
    let app = spawn_app();
    let w = world(&app);
    let tokens = app.invite(w.survey, w.wave, w.teams[0], "customer", 2, 1);

    b.goto(&app.url(&format!("/r/{}", tokens[0])));
    assert!(
        b.source().contains("Nakomen van afspraken"),
        "{} {}",
        b.current_url(),
        b.source()
    );
    shoot(&b, "questionnaire-nl");
    // Radio buttons are styled labels: click the label's visible box.
    b.click("input[name='r.keeping_agreements.perceived'][value='6'] + span");
    b.click("input[name='r.keeping_agreements.expected'][value='8'] + span");
    b.click("input[name='r.speed.perceived'][value='dk'] + span");
    b.click("input[name='nps'][value='9'] + span");
    b.type_into("#comment", "Vriendelijk, maar <b>te laat</b>.");
    b.click("button[type=submit]");
    b.wait_for_text("Hartelijk dank");
    shoot(&b, "thanks-nl");
    assert_eq!(app.count("responses"), 1);
    assert_eq!(app.count("ratings"), 3);

    b.goto(&app.url(&format!("/r/{}?lang=en", tokens[1])));
    assert!(b.source().contains("Keeping agreements"));
    b.click("input[name='r.friendliness.perceived'][value='9'] + span");
    b.click("button[type=submit]");
    b.wait_for_text("Thank you");
    assert_eq!(app.count("responses"), 2);
}

#[test]
#[ignore = "needs chromium + chromedriver: see README"]
fn a_team_lead_runs_the_workshop_with_the_keyboard_and_records_an_action() {
    let b = Browser::start();
    let app = spawn_app();
    let out = cli(&app, &["demo"], None);
    assert!(out.status.success());
    // A second team lead, for Buitendienst (team 2) only.
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "lead2@example.nl",
            "--role",
            "team_lead",
            "--team",
            "2",
        ],
        Some("tweede-wachtwoord\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    b.goto(&app.url("/login"));
    b.type_into("#email", klantspiegel::demo::LEAD_EMAIL);
    b.type_into("#password", klantspiegel::demo::LEAD_PASSWORD);
    b.click("button[type=submit]");
    b.wait_for_url("/dashboard");
    b.wait_for_text("Klantenservice");

    b.goto(&app.url("/surveys/1/workshop?wave_id=2&team_id=1"));
    shoot(&b, "workshop-agenda");
    let visible = |b: &Browser| {
        b.script("var s=document.querySelector('.slide.current'); return s ? s.id : null;")
    };
    assert_eq!(visible(&b), "slide-0");
    // The first dimension slide (the survey's first dimension: never priority order, which
    // would rank the blind spots before anyone guessed) comes after the agenda.
    b.press("\u{E014}");
    assert_eq!(visible(&b), "slide-1");
    let first_key = b.script("return document.querySelector('.slide.current').dataset.key;");
    let survey = app.get("/api/v1/surveys/1").json();
    assert_eq!(first_key, survey["dimensions"][0]["key"]);
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
        .json();
    let first = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == first_key)
        .unwrap()
        .clone();
    let api = json!({"dimensions": [first]});
    // Guess first: until revealed, the customers' score is nowhere in the page, not even
    // hidden, and the "gap closed?" lines of earlier actions do not give the gap away.
    let customer = api["dimensions"][0]["customer"]["mean"].as_f64().unwrap();
    let shown = format!("{customer:.1}").replace('.', ",");
    let page_text = |b: &Browser| {
        b.script("return document.body.innerText;")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(
        b.script("return document.querySelector('.slide.current .customer-score');")
            .is_null(),
        "the customers' score is in the DOM before the reveal"
    );
    let current_text = |b: &Browser| {
        b.script("return document.querySelector('.slide.current').innerText;")
            .as_str()
            .unwrap()
            .to_string()
    };
    assert!(!current_text(&b).contains(&shown), "{}", current_text(&b));
    assert!(
        !b.source().contains("Kloof gedicht?"),
        "gap lines before any reveal"
    );
    shoot(&b, "workshop-guess");
    b.press("r");
    b.wait_for_url("revealed=1");
    assert_eq!(visible(&b), "slide-1");
    let score = b.script(
        "var e = document.querySelector('.slide.current .customer-score'); \
         return e && e.offsetParent !== null ? e.innerText : null;",
    );
    assert_eq!(score, shown.as_str(), "{}", page_text(&b));
    shoot(&b, "workshop-revealed");
    b.press("\u{E014}");
    assert_eq!(visible(&b), "slide-2");
    assert!(
        b.script("return document.querySelector('.slide.current .customer-score');")
            .is_null(),
        "slide 2 was not revealed"
    );
    b.press("\u{E012}");
    assert_eq!(visible(&b), "slide-1");

    b.click(".slide.current input[name=decision][value=improve_service] + span");
    b.type_into(
        ".slide.current textarea[name=description]",
        "Terugbelafspraken in het klantsysteem zetten",
    );
    b.type_into(".slide.current input[name=owner]", "Fatima");
    b.click(".slide.current .action-form button[type=submit]");
    let url = b.wait_for_url("recorded=1");
    assert!(
        url.contains("revealed=1") && url.ends_with("#slide-1"),
        "{url}"
    );
    b.wait_for_text("De actie is vastgelegd");
    // Still on the same slide, still revealed, the confirmation by the form and focused.
    assert_eq!(visible(&b), "slide-1");
    assert_eq!(
        b.script("return document.activeElement.innerText;"),
        "De actie is vastgelegd."
    );
    assert_eq!(
        b.script("return document.activeElement.closest('.slide').id;"),
        "slide-1"
    );
    assert_eq!(
        b.script("return document.querySelector('.slide.current .customer-score').innerText;"),
        shown.as_str()
    );
    let actions = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    let recorded: Vec<&Value> = actions
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["owner"] == "Fatima")
        .collect();
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0]["dimension_key"], api["dimensions"][0]["key"]);
    assert_eq!(recorded[0]["decision"], "improve_service");

    b.goto(&app.url("/surveys/1?wave_id=2&team_id=1"));
    assert!(b
        .source()
        .contains("Terugbelafspraken in het klantsysteem zetten"));
    shoot(&b, "report");

    // The second team lead is refused the first one's team.
    // A link to /logout asks; the button logs out.
    b.goto(&app.url("/logout"));
    b.click("#logout button[type=submit]");
    b.wait_for_url("/login");
    b.type_into("#email", "lead2@example.nl");
    b.type_into("#password", "tweede-wachtwoord");
    b.click("button[type=submit]");
    b.wait_for_url("/dashboard");
    b.goto(&app.url("/surveys/1/workshop?wave_id=2&team_id=1"));
    b.wait_for_text("U hebt geen toegang tot dit team");
    let status = b.script(
        "return fetch('/api/v1/surveys/1/charts/mirror.svg?team_id=1').then(r => r.status);",
    );
    assert_eq!(status, 403);
}
