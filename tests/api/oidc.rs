//! Issue 27: signing in with the organisation's account (OpenID Connect), against a real
//! OpenID provider process, never a mock: oidc-provider from the npm registry
//! (tests/fixtures/oidc; `npm ci` there installs it). The provider's own sign-in and consent
//! pages are plain HTML forms, so an HTTP client with a cookie jar (`Browser` below) plays the
//! person's browser through the whole authorization-code flow. tests/fixtures/oidc/README.md
//! tells how each refusal is produced with the real provider.
//!
//! Without node or the installed fixture these tests say so and pass as skipped;
//! `KLANTSPIEGEL_REQUIRE_OIDC=1` (CI) makes that a failure.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use base64::Engine;
use openidconnect::url::Url;
use serde_json::{json, Value};
use sha2::Digest;

use crate::helpers::*;
use klantspiegel::config::{OidcSettings, SignInSettings};
use klantspiegel::oidc::{Identity, OidcError};

const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/oidc");
const CLIENT_ID: &str = "klantspiegel";
const CLIENT_SECRET: &str = "klantspiegel-secret";
const OTHER_ID: &str = "other-app";
const OTHER_SECRET: &str = "other-app-secret";
const OTHER_REDIRECT: &str = "http://127.0.0.1:9/other-app/callback";
const PASSWORD: &str = "een-goed-wachtwoord";

// ---------- the real provider ----------

/// True when node and the installed fixture are here; otherwise says why (and fails under
/// KLANTSPIEGEL_REQUIRE_OIDC).
fn provider_available() -> bool {
    let installed = Path::new(FIXTURE)
        .join("node_modules/oidc-provider/package.json")
        .exists();
    let node = Command::new("node")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if installed && node {
        return true;
    }
    let why = if node {
        format!("oidc-provider is not installed: run `npm ci` in {FIXTURE}")
    } else {
        "node is not installed (the OpenID provider is a Node.js program)".to_string()
    };
    if std::env::var_os("KLANTSPIEGEL_REQUIRE_OIDC").is_some() {
        panic!("KLANTSPIEGEL_REQUIRE_OIDC is set: {why}");
    }
    eprintln!("SKIPPED: no OpenID provider for the sign-in tests: {why}");
    false
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn random_hex(n: usize) -> String {
    let mut b = vec![0u8; n];
    getrandom::fill(&mut b).unwrap();
    b.iter().map(|x| format!("{x:02x}")).collect()
}

#[derive(Default, Clone, Copy)]
struct IdpOptions {
    /// Seconds the provider's clock is shifted by.
    clock_offset: i64,
    /// The e-mail in the ID token itself (else only at the userinfo endpoint).
    claims_in_id_token: bool,
    /// The provider takes the client secret only in the form body (client_secret_post).
    secret_in_body: bool,
}

/// `node provider.mjs` on a free loopback port; killed when dropped.
struct Idp {
    child: Child,
    issuer: String,
    log: PathBuf,
    secret_in_body: bool,
}

impl Idp {
    fn start(redirect_uri: &str, opts: IdpOptions) -> Idp {
        let port = free_port();
        let dir = std::env::temp_dir().join("klantspiegel-tests");
        std::fs::create_dir_all(&dir).unwrap();
        let log = dir.join(format!("oidc-provider-{}.log", random_hex(6)));
        let mut cmd = Command::new("node");
        cmd.current_dir(FIXTURE)
            .arg("provider.mjs")
            .args(["--port", &port.to_string()])
            .args(["--redirect-uri", redirect_uri])
            .arg(format!("--clock-offset={}", opts.clock_offset));
        if opts.claims_in_id_token {
            cmd.arg("--claims-in-id-token");
        }
        if opts.secret_in_body {
            cmd.args(["--client-auth", "post"]);
        }
        let mut child = cmd
            .stdout(Stdio::piped())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .expect("node provider.mjs");
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut idp = Idp {
            child,
            issuer: String::new(),
            log,
            secret_in_body: opts.secret_in_body,
        };
        let ready = rx
            .recv_timeout(Duration::from_secs(30))
            .unwrap_or_else(|_| {
                panic!(
                    "the OpenID provider did not start: {}",
                    std::fs::read_to_string(&idp.log).unwrap_or_default()
                )
            });
        idp.issuer = ready
            .strip_prefix("ready ")
            .unwrap_or_else(|| panic!("unexpected first line: {ready}"))
            .to_string();
        assert_eq!(idp.issuer, format!("http://127.0.0.1:{port}"));
        idp
    }

    /// The provider's own refusals so far ("refused EVENT error: detail" lines).
    fn refusals(&self) -> Vec<String> {
        self.log_lines("refused ")
    }

    /// The provider's log lines that start with `prefix`.
    fn log_lines(&self, prefix: &str) -> Vec<String> {
        std::fs::read_to_string(&self.log)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.starts_with(prefix))
            .map(str::to_string)
            .collect()
    }
}

impl Drop for Idp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_file(&self.log);
    }
}

/// The app (on a port known in advance, its public URL) and its provider.
struct Setup {
    app: TestApp,
    idp: Idp,
    public_url: String,
}

impl Setup {
    fn oidc_settings(&self) -> OidcSettings {
        settings_for(&self.idp.issuer, None)
    }

    /// Where the provider returns to (the app's redirect URI).
    fn callback(&self) -> String {
        format!("{}/auth/oidc/callback", self.public_url)
    }

    /// A real ID token of this provider for the app's client, got by hand (the code flow run
    /// by the test itself).
    fn app_id_token(&self, account: &str, nonce: &str) -> String {
        let client = (CLIENT_ID, CLIENT_SECRET, self.callback());
        let tokens = tokens_for(&self.idp, (client.0, client.1, &client.2), account, nonce);
        tokens["id_token"].as_str().unwrap().to_string()
    }

    /// The app's own ID-token checks (`oidc::Provider::verify_id_token`) on a token.
    fn verify(&self, jwt: &str, nonce: &str) -> Result<Identity, OidcError> {
        klantspiegel::oidc::Provider::new(&self.oidc_settings(), &self.public_url)
            .unwrap()
            .verify_id_token(jwt, nonce)
    }
}

fn settings_for(issuer: &str, email_claim: Option<&str>) -> OidcSettings {
    OidcSettings {
        issuer: issuer.to_string(),
        client_id: CLIENT_ID.into(),
        client_secret: CLIENT_SECRET.into(),
        email_claim: email_claim.map(str::to_string),
    }
}

/// A provider and an app that signs in through it; None (skipped) without node or the fixture.
fn setup_with(opts: IdpOptions, configure: impl FnOnce(&mut SignInSettings)) -> Option<Setup> {
    if !provider_available() {
        return None;
    }
    let port = free_port();
    let public_url = format!("http://127.0.0.1:{port}");
    let idp = Idp::start(&format!("{public_url}/auth/oidc/callback"), opts);
    let mut sign_in = SignInSettings {
        password_login: true,
        oidc: Some(settings_for(&idp.issuer, None)),
    };
    configure(&mut sign_in);
    let url = public_url.clone();
    let app = spawn_app_with(move |s| {
        s.bind = format!("127.0.0.1:{port}");
        s.public_url = Some(url);
        s.sign_in = sign_in;
    });
    Some(Setup {
        app,
        idp,
        public_url,
    })
}

fn setup() -> Option<Setup> {
    setup_with(IdpOptions::default(), |_| {})
}

/// A Klantspiegel admin with this e-mail (and a password); returns the user's id.
fn add_user(app: &TestApp, email: &str) -> i64 {
    let r = app.post(
        "/api/v1/users",
        json!({"email": email, "role": "admin", "password": PASSWORD}),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    r.json()["id"].as_i64().unwrap()
}

fn bindings(app: &TestApp) -> Vec<(String, String, i64)> {
    use diesel::sql_types::{BigInt, Text};
    use diesel::RunQueryDsl;
    #[derive(diesel::QueryableByName)]
    struct Row {
        #[diesel(sql_type = Text)]
        issuer: String,
        #[diesel(sql_type = Text)]
        subject: String,
        #[diesel(sql_type = BigInt)]
        user_id: i64,
    }
    let rows: Vec<Row> =
        diesel::sql_query("SELECT issuer, subject, user_id FROM oidc_identities ORDER BY subject")
            .load(&mut *app.conn())
            .unwrap();
    rows.into_iter()
        .map(|r| (r.issuer, r.subject, r.user_id))
        .collect()
}

// ---------- a browser without a browser: HTTP with a cookie jar ----------

struct Page {
    status: u16,
    location: Option<String>,
    set_cookies: Vec<String>,
    body: String,
}

impl Page {
    /// The value a Set-Cookie of this response gives `name` (None when unset or removed).
    fn cookie(&self, name: &str) -> Option<String> {
        self.set_cookies
            .iter()
            .filter_map(|c| c.split(';').next())
            .filter_map(|kv| kv.split_once('='))
            .find(|(k, _)| k.trim() == name)
            .map(|(_, v)| v.to_string())
            .filter(|v| !v.is_empty())
    }

    fn set_cookie_header(&self, name: &str) -> Option<&str> {
        self.set_cookies
            .iter()
            .find(|c| c.starts_with(&format!("{name}=")))
            .map(String::as_str)
    }

    /// The refusal page's reason (`data-reason`).
    fn reason(&self) -> Option<String> {
        let at = self.body.find("data-reason=\"")? + 13;
        Some(self.body[at..].split('"').next()?.to_string())
    }
}

/// Cookies per host by name (paths and expiry aside: enough for one app and one provider on
/// 127.0.0.1, whose cookie names differ); no redirect is followed by itself.
struct Browser {
    agent: ureq::Agent,
    jar: HashMap<String, HashMap<String, String>>,
}

impl Browser {
    fn new() -> Browser {
        Browser {
            agent: ureq::AgentBuilder::new().redirects(0).build(),
            jar: HashMap::new(),
        }
    }

    /// Cookies belong to a host, whatever its port (as in browsers, RFC 6265 8.5).
    fn origin(url: &Url) -> String {
        url.host_str().unwrap().to_string()
    }

    fn send(&mut self, url: &str, form: Option<&[(&str, &str)]>) -> Page {
        let parsed = Url::parse(url).unwrap_or_else(|e| panic!("{url}: {e}"));
        let origin = Self::origin(&parsed);
        let mut req = self
            .agent
            .request(if form.is_some() { "POST" } else { "GET" }, url);
        if let Some(cookies) = self.jar.get(&origin).filter(|c| !c.is_empty()) {
            let header: Vec<String> = cookies.iter().map(|(k, v)| format!("{k}={v}")).collect();
            req = req.set("Cookie", &header.join("; "));
        }
        let resp = match form {
            Some(fields) => req.send_form(fields),
            None => req.call(),
        };
        let resp = match resp {
            Ok(r) | Err(ureq::Error::Status(_, r)) => r,
            Err(e) => panic!("{url}: {e}"),
        };
        let set_cookies: Vec<String> = resp
            .all("set-cookie")
            .into_iter()
            .map(str::to_string)
            .collect();
        let jar = self.jar.entry(origin).or_default();
        for c in &set_cookies {
            let Some((name, value)) = c.split(';').next().and_then(|kv| kv.split_once('=')) else {
                continue;
            };
            let lower = c.to_ascii_lowercase();
            if value.is_empty() || lower.contains("max-age=0") || lower.contains("1970") {
                jar.remove(name.trim());
            } else {
                jar.insert(name.trim().to_string(), value.to_string());
            }
        }
        let location = resp
            .header("location")
            .map(|l| parsed.join(l).unwrap().to_string());
        Page {
            status: resp.status(),
            location,
            set_cookies,
            body: resp.into_string().unwrap_or_default(),
        }
    }

    fn get(&mut self, url: &str) -> Page {
        self.send(url, None)
    }

    fn post(&mut self, url: &str, fields: &[(&str, &str)]) -> Page {
        self.send(url, Some(fields))
    }

    fn has_cookie(&self, url: &str, name: &str) -> bool {
        let origin = Self::origin(&Url::parse(url).unwrap());
        self.jar.get(&origin).is_some_and(|c| c.contains_key(name))
    }
}

/// The `action` of the page's form.
fn form_action(body: &str) -> String {
    let at = body.find("action=\"").expect("a form") + 8;
    body[at..].split('"').next().unwrap().replace("&amp;", "&")
}

/// Plays the person at the provider from `url` (its /auth with a request): follows its
/// redirects, signs in as `account` on its sign-in form, confirms its consent form, and
/// returns the address it sends the browser back to (starting with `back`), not followed.
fn at_provider(b: &mut Browser, url: &str, account: &str, back: &str) -> String {
    let mut url = url.to_string();
    for _ in 0..16 {
        if url.starts_with(back) {
            return url;
        }
        let page = b.get(&url);
        if let Some(next) = page.location {
            url = next;
            continue;
        }
        assert_eq!(page.status, 200, "{url}: {}", page.body);
        let action = form_action(&page.body);
        let answer = if page.body.contains(r#"name="prompt" value="login""#) {
            b.post(
                &action,
                &[
                    ("prompt", "login"),
                    ("login", account),
                    ("password", "not checked"),
                ],
            )
        } else if page.body.contains(r#"name="prompt" value="consent""#) {
            b.post(&action, &[("prompt", "consent")])
        } else {
            panic!("an unexpected page at the provider: {}", page.body)
        };
        url = answer
            .location
            .unwrap_or_else(|| panic!("no redirect after the form: {}", answer.body));
    }
    panic!("the provider never sent the browser back to {back}");
}

/// GET /auth/oidc/login?{query} at the app: the provider's address it sends the browser to.
fn start_at_app(b: &mut Browser, s: &Setup, query: &str) -> String {
    let page = b.get(&s.app.url(&format!("/auth/oidc/login?{query}")));
    assert_eq!(page.status, 303, "{}", page.body);
    let to = page.location.clone().unwrap();
    assert!(
        to.starts_with(&format!("{}/auth?", s.idp.issuer)),
        "the app sends the browser to its provider: {to}"
    );
    assert!(page.cookie("ks_oidc").is_some(), "the browser is bound");
    let header = page.set_cookie_header("ks_oidc").unwrap();
    assert!(header.contains("SameSite=Lax") && header.contains("HttpOnly"));
    to
}

/// A whole sign-in up to the provider's return: the callback URL (not yet followed).
fn to_callback(b: &mut Browser, s: &Setup, account: &str) -> String {
    let to = start_at_app(b, s, "next=%2Fdashboard");
    at_provider(b, &to, account, &s.callback())
}

/// A whole sign-in: the app's answer to the provider's return.
fn through(b: &mut Browser, s: &Setup, account: &str) -> Page {
    let back = to_callback(b, s, account);
    b.get(&back)
}

/// Replaces (or adds) one query parameter of a URL.
fn with_param(url: &str, name: &str, value: &str) -> String {
    let mut u = Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = u
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .filter(|(k, _)| k != name)
        .collect();
    u.query_pairs_mut()
        .clear()
        .extend_pairs(pairs)
        .append_pair(name, value);
    u.to_string()
}

fn param(url: &str, name: &str) -> String {
    Url::parse(url)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| panic!("no {name} in {url}"))
}

/// Asserts a refusal page (status and `data-reason`) and that no one was signed in.
fn assert_refused(s: &Setup, page: &Page, status: u16, reason: &str) {
    assert_eq!(page.status, status, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some(reason), "{}", page.body);
    assert_no_session(s, page);
}

/// Asserts that a callback signed no one in: no session cookie, no session row.
fn assert_no_session(s: &Setup, page: &Page) {
    assert!(
        page.cookie("ks_session").is_none(),
        "no session cookie: {:?}",
        page.set_cookies
    );
    assert_eq!(s.app.count("sessions"), 0);
}

/// As another application at the same provider (or as Klantspiegel's client, by hand): the
/// whole code flow with PKCE for `account`, then the token endpoint's answer.
fn tokens_for(idp: &Idp, client: (&str, &str, &str), account: &str, nonce: &str) -> Value {
    let (code, verifier) = code_for(idp, client.0, client.2, account, nonce);
    let (status, tokens) = redeem(idp, client, &code, &verifier);
    assert_eq!(status, 200, "{tokens}");
    tokens
}

/// The code flow with PKCE for `account`, run by the test as client `client_id`: the code the
/// provider returns (not redeemed) and the PKCE verifier it needs.
fn code_for(
    idp: &Idp,
    client_id: &str,
    redirect: &str,
    account: &str,
    nonce: &str,
) -> (String, String) {
    let verifier = random_hex(32);
    let challenge = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(sha2::Sha256::digest(verifier.as_bytes()));
    let auth = Url::parse_with_params(
        &format!("{}/auth", idp.issuer),
        &[
            ("client_id", client_id),
            ("response_type", "code"),
            ("scope", "openid email"),
            ("redirect_uri", redirect),
            ("state", "by-hand"),
            ("nonce", nonce),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .unwrap();
    let mut b = Browser::new();
    let back = at_provider(&mut b, auth.as_str(), account, redirect);
    (param(&back, "code"), verifier)
}

/// The token endpoint's answer to a code: (status, body).
fn redeem(idp: &Idp, client: (&str, &str, &str), code: &str, verifier: &str) -> (u16, Value) {
    let (id, secret, redirect) = client;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{id}:{secret}"));
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", redirect),
        ("code_verifier", verifier),
    ];
    let mut req = ureq::post(&format!("{}/token", idp.issuer));
    if idp.secret_in_body {
        form.extend([("client_id", id), ("client_secret", secret)]);
    } else {
        req = req.set("Authorization", &format!("Basic {basic}"));
    }
    let resp = req.send_form(&form);
    let resp = match resp {
        Ok(r) | Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("token endpoint: {e}"),
    };
    (resp.status(), resp.into_json().unwrap())
}

// ---------- signing in ----------

#[test]
fn a_known_user_with_a_verified_email_gets_a_session_and_the_dashboard() {
    let Some(s) = setup() else { return };
    let anna = add_user(&s.app, "anna@example.nl");
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    // The provider's authorization response names itself (RFC 9207), which the app checks.
    assert_eq!(param(&back, "iss"), s.idp.issuer);
    let page = b.get(&back);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some(&*s.app.url("/dashboard")));
    let session = page.cookie("ks_session").expect("a session cookie");
    let header = page.set_cookie_header("ks_session").unwrap();
    assert!(header.contains("HttpOnly") && header.contains("SameSite=Lax"));
    assert!(
        !b.has_cookie(&s.public_url, "ks_oidc"),
        "the binding is spent"
    );
    assert_eq!(s.app.count("sessions"), 1);
    // The same session as a password login: the dashboard, with the user's name in it.
    let dash = b.get(&s.app.url("/dashboard"));
    assert_eq!(dash.status, 200, "{}", dash.body);
    assert!(dash.body.contains("anna@example.nl"), "{}", dash.body);
    let me = s.app.get_with_session("/dashboard", &session);
    assert_eq!(me.status, 200);
    assert_eq!(
        s.idp.log_lines("redeemed "),
        vec!["redeemed client_auth=basic"]
    );
    // Bound to the provider's iss + sub; the e-mail came from userinfo (this provider keeps
    // scope claims out of the ID token in the code flow).
    assert_eq!(
        bindings(&s.app),
        vec![(s.idp.issuer.clone(), "anna".to_string(), anna)]
    );
    assert!(s.idp.refusals().is_empty(), "{:?}", s.idp.refusals());
    // This provider's ID tokens (code flow) carry no e-mail: it came from userinfo.
    let jwt = s.app_id_token("anna", "n");
    let claims = payload(&jwt);
    assert_eq!(claims["sub"], "anna");
    assert!(claims.get("email").is_none(), "{claims}");
    // Deleting the user deletes the binding (another admin first: the last admin stays).
    add_user(&s.app, "tweede@example.nl");
    assert_eq!(s.app.delete(&format!("/api/v1/users/{anna}")).status, 204);
    assert!(bindings(&s.app).is_empty());
    let mut b = Browser::new();
    let page = through(&mut b, &s, "anna");
    assert_eq!(page.reason().as_deref(), Some("unknown_account"));
}

/// The claims of a JWT, unchecked (to look at what the provider put in).
fn payload(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(part)
        .unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[test]
fn after_the_first_sign_in_iss_and_sub_alone_identify_the_user() {
    let Some(s) = setup_with(
        IdpOptions {
            claims_in_id_token: true,
            ..Default::default()
        },
        |_| {},
    ) else {
        return;
    };
    let anna = add_user(&s.app, "anna@example.nl");
    // This provider puts the e-mail into the ID token itself (no userinfo needed).
    let jwt = s.app_id_token("anna", "n");
    let claims = payload(&jwt);
    assert_eq!(claims["email"], "anna@example.nl");
    assert_eq!(claims["email_verified"], true);
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    assert_eq!(b.get(&back).status, 303);
    // Anna's address changes in Klantspiegel (the provider still says anna@example.nl): the
    // binding, not the address, signs her in.
    use diesel::RunQueryDsl;
    diesel::sql_query("UPDATE users SET email = 'anna.de.vries@example.nl'")
        .execute(&mut *s.app.conn())
        .unwrap();
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let page = b.get(&back);
    assert_eq!(page.status, 303, "{}", page.body);
    let dash = b.get(&s.app.url("/dashboard"));
    assert!(
        dash.body.contains("anna.de.vries@example.nl"),
        "{}",
        dash.body
    );
    assert_eq!(s.app.count("sessions"), 2);
    assert_eq!(bindings(&s.app).len(), 1);
    assert_eq!(bindings(&s.app)[0].2, anna);
    // Another account at the provider that now carries Anna's old, verified address does not
    // take her account over: she is bound to her own subject.
    diesel::sql_query("UPDATE users SET email = 'anna@example.nl'")
        .execute(&mut *s.app.conn())
        .unwrap();
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna-new");
    let page = b.get(&back);
    assert_eq!(page.status, 403, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some("bound_elsewhere"));
    assert!(page.cookie("ks_session").is_none());
    assert_eq!(s.app.count("sessions"), 2);
    assert_eq!(bindings(&s.app).len(), 1);
}

#[test]
fn a_provider_that_takes_the_secret_only_in_the_body_signs_in_too() {
    let Some(s) = setup_with(
        IdpOptions {
            secret_in_body: true,
            ..Default::default()
        },
        |_| {},
    ) else {
        return;
    };
    let discovery: Value = ureq::get(&format!(
        "{}/.well-known/openid-configuration",
        s.idp.issuer
    ))
    .call()
    .unwrap()
    .into_json()
    .unwrap();
    assert_eq!(
        discovery["token_endpoint_auth_methods_supported"],
        json!(["client_secret_post"])
    );
    add_user(&s.app, "anna@example.nl");
    let mut b = Browser::new();
    let page = through(&mut b, &s, "anna");
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(page.cookie("ks_session").is_some());
    assert!(s.idp.refusals().is_empty(), "{:?}", s.idp.refusals());
    // oidc-provider would take a Basic header too: its log shows how the app sent the secret.
    assert_eq!(
        s.idp.log_lines("redeemed "),
        vec!["redeemed client_auth=post"]
    );
}

#[test]
fn next_is_followed_on_this_site_only() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let callback = s.callback();
    for (next, expected) in [
        ("%2Fsurveys%2F1%3Flang%3Den", "/surveys/1?lang=en"),
        ("%2F%2Fevil.example%2F", "/dashboard"),
        ("https%3A%2F%2Fevil.example%2F", "/dashboard"),
    ] {
        let mut b = Browser::new();
        let to = start_at_app(&mut b, &s, &format!("next={next}"));
        let back = at_provider(&mut b, &to, "anna", &callback);
        let page = b.get(&back);
        assert_eq!(page.status, 303, "{}", page.body);
        assert_eq!(
            page.location.as_deref(),
            Some(&*s.app.url(expected)),
            "next={next}"
        );
    }
}

#[test]
fn an_unknown_account_gets_a_page_in_its_language_and_no_session() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let callback = s.callback();
    for (lang, text) in [
        (
            "nl",
            "Uw organisatie-account is niet bekend in Klantspiegel",
        ),
        (
            "en",
            "Your organisation account is not known to Klantspiegel",
        ),
    ] {
        let mut b = Browser::new();
        let to = start_at_app(&mut b, &s, &format!("next=%2Fdashboard&lang={lang}"));
        let back = at_provider(&mut b, &to, "nobody", &callback);
        let page = b.get(&back);
        assert_eq!(page.status, 403, "{}", page.body);
        assert_eq!(page.reason().as_deref(), Some("unknown_account"));
        assert!(page.body.contains(text), "{}", page.body);
        assert!(page.body.contains(&format!("<html lang=\"{lang}\">")));
        assert_no_session(&s, &page);
    }
    assert!(bindings(&s.app).is_empty());
}

#[test]
fn an_unverified_email_gets_a_page_and_no_session() {
    let Some(s) = setup() else { return };
    // Bert is a Klantspiegel user, but the provider has not verified his address.
    add_user(&s.app, "bert@example.nl");
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "bert");
    let page = b.get(&back);
    assert_eq!(page.status, 403, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some("unverified_email"));
    assert!(
        page.body
            .contains("Uw organisatie heeft het e-mailadres van dit account niet bevestigd"),
        "{}",
        page.body
    );
    assert_no_session(&s, &page);
    assert!(bindings(&s.app).is_empty());
}

#[test]
fn a_trusted_claim_signs_in_an_account_without_an_email_claim() {
    // Like Entra ID: Carla's provider account has no `email`, her address is the
    // preferred_username. Only a configuration that trusts that claim signs her in.
    let Some(s) = setup() else { return };
    add_user(&s.app, "carla@example.nl");
    let mut b = Browser::new();
    let page = through(&mut b, &s, "carla");
    assert_eq!(page.reason().as_deref(), Some("unknown_account"));
    assert_no_session(&s, &page);
    drop(s);

    let Some(s) = setup_with(IdpOptions::default(), |si| {
        if let Some(o) = si.oidc.as_mut() {
            o.email_claim = Some("preferred_username".into());
        }
    }) else {
        return;
    };
    let carla = add_user(&s.app, "carla@example.nl");
    let mut b = Browser::new();
    let page = through(&mut b, &s, "carla");
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(page.cookie("ks_session").is_some());
    assert_eq!(bindings(&s.app)[0].2, carla);
}

// ---------- refusals ----------

#[test]
fn a_tampered_state_gets_no_session() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let state = param(&back, "state");
    let mut flipped = state.clone();
    let last = flipped.pop().unwrap();
    flipped.push(if last == 'A' { 'B' } else { 'A' });
    let page = b.get(&with_param(&back, "state", &flipped));
    assert_refused(&s, &page, 400, "not_started");
    // No state at all is refused the same way.
    let page = b.get(&s.app.url(&format!(
        "/auth/oidc/callback?code={}",
        param(&back, "code")
    )));
    assert_eq!(page.reason().as_deref(), Some("not_started"));
    assert_no_session(&s, &page);
    // The refusals were the state's: the untouched return signs in.
    let mut b2 = Browser::new();
    let back2 = to_callback(&mut b2, &s, "anna");
    assert_eq!(b2.get(&back2).status, 303);
    assert_eq!(s.app.count("sessions"), 1);
}

#[test]
fn a_state_started_in_another_browser_gets_no_session() {
    // Login CSRF: the victim's browser is sent to the callback of a sign-in the attacker
    // started. The state is genuine, but the victim's browser lacks the attacker's cookie.
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let mut attacker = Browser::new();
    let back = to_callback(&mut attacker, &s, "anna");
    let mut victim = Browser::new();
    let page = victim.get(&back);
    assert_refused(&s, &page, 400, "not_started");
    // One try spends the state: not even the right browser can use it afterwards.
    let page = attacker.get(&back);
    assert_eq!(page.reason().as_deref(), Some("not_started"));
    assert_no_session(&s, &page);
}

#[test]
fn a_wrong_nonce_gets_no_session() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let mut b = Browser::new();
    let to = start_at_app(&mut b, &s, "next=%2Fdashboard");
    // The authorization request is altered on its way to the provider: the provider puts the
    // nonce it was given into the ID token, which is not the one the app keeps.
    let tampered = with_param(&to, "nonce", "a-nonce-the-app-never-made");
    let back = at_provider(&mut b, &tampered, "anna", &s.callback());
    let page = b.get(&back);
    assert_refused(&s, &page, 400, "failed");
    assert!(bindings(&s.app).is_empty());
    // The provider saw nothing wrong: the refusal is the app's nonce check.
    assert!(s.idp.refusals().is_empty(), "{:?}", s.idp.refusals());

    // The check itself, on a real ID token of the same provider.
    let jwt = s.app_id_token("anna", "nonce-one");
    let err = s.verify(&jwt, "nonce-two").unwrap_err();
    assert!(err.to_string().contains("Invalid nonce"), "{err}");
    let ok = s.verify(&jwt, "nonce-one").unwrap();
    assert_eq!(
        (ok.issuer.as_str(), ok.subject.as_str()),
        (&*s.idp.issuer, "anna")
    );
}

#[test]
fn a_replayed_code_gets_no_session() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let callback = s.callback();
    let mut b = Browser::new();
    let first = to_callback(&mut b, &s, "anna");
    assert_eq!(b.get(&first).status, 303);
    assert_eq!(s.app.count("sessions"), 1);
    // The same return again: its state was spent by the first.
    let page = b.get(&first);
    assert_eq!(page.status, 400, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some("not_started"));
    assert_eq!(s.app.count("sessions"), 1);
    // The spent code under a fresh, genuine state of the same browser: the app redeems it with
    // this sign-in's PKCE verifier, and the provider refuses it: the code was issued for
    // another verifier's challenge (PKCE stops an injected code before its use is looked at).
    let to = start_at_app(&mut b, &s, "next=%2Fdashboard");
    let fresh = at_provider(&mut b, &to, "anna", &callback);
    let replay = with_param(&fresh, "code", &param(&first, "code"));
    let page = b.get(&replay);
    assert_eq!(page.status, 400, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some("failed"));
    assert!(page.cookie("ks_session").is_none());
    assert_eq!(s.app.count("sessions"), 1);
    let refusals = s.idp.refusals();
    assert_eq!(
        refusals,
        vec!["refused grant.error invalid_grant: code_verifier does not match code_challenge"]
    );
    // Redeemed a second time with its own verifier (by hand, as the app's client), the
    // provider refuses the code as used: neither way does a code serve twice.
    let by_hand = (CLIENT_ID, CLIENT_SECRET, callback.as_str());
    let (code, verifier) = code_for(&s.idp, CLIENT_ID, &callback, "anna", "n");
    let (status, tokens) = redeem(&s.idp, by_hand, &code, &verifier);
    assert_eq!(status, 200, "{tokens}");
    assert!(tokens["id_token"].is_string());
    let (status, again) = redeem(&s.idp, by_hand, &code, &verifier);
    assert_eq!(status, 400, "{again}");
    assert_eq!(again["error"], "invalid_grant");
    assert!(
        s.idp
            .refusals()
            .iter()
            .any(|l| l.contains("authorization code already consumed")),
        "{:?}",
        s.idp.refusals()
    );
}

#[test]
fn an_expired_id_token_gets_no_session() {
    // The provider's clock is two hours behind: every ID token it signs (valid one hour)
    // expired an hour ago by the app's clock.
    let Some(s) = setup_with(
        IdpOptions {
            clock_offset: -7200,
            ..Default::default()
        },
        |_| {},
    ) else {
        return;
    };
    add_user(&s.app, "anna@example.nl");
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let page = b.get(&back);
    assert_refused(&s, &page, 400, "failed");
    assert!(bindings(&s.app).is_empty());
    assert!(s.idp.refusals().is_empty(), "{:?}", s.idp.refusals());
    // The check that refused it, on a token of this provider.
    let jwt = s.app_id_token("anna", "n");
    let err = s.verify(&jwt, "n").unwrap_err();
    assert!(err.to_string().contains("Expired"), "{err}");
}

#[test]
fn a_wrong_audience_gets_no_session() {
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    // Another application at the same provider gets a code (and tokens) for Anna.
    let tokens = tokens_for(
        &s.idp,
        (OTHER_ID, OTHER_SECRET, OTHER_REDIRECT),
        "anna",
        "other-nonce",
    );
    let (other_code, _) = code_for(&s.idp, OTHER_ID, OTHER_REDIRECT, "anna", "y");
    // Its code is slipped into a genuine sign-in of the app: the app redeems it as its own
    // client, and the provider refuses a code issued to another client.
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let page = b.get(&with_param(&back, "code", &other_code));
    assert_refused(&s, &page, 400, "failed");
    assert_eq!(
        s.idp.refusals(),
        vec!["refused grant.error invalid_grant: client mismatch"]
    );
    // Its ID token, genuine and signed by the same provider, names the other client as its
    // audience: the app's audience check refuses it.
    let err = s
        .verify(tokens["id_token"].as_str().unwrap(), "other-nonce")
        .unwrap_err();
    assert!(err.to_string().contains("Invalid audiences"), "{err}");
}

// ---------- the login page and password sign-in ----------

#[test]
fn the_login_page_offers_the_organisation_sign_in() {
    let Some(s) = setup() else { return };
    let nl = s.app.get_public("/login?next=%2Fsurveys%2F2", &[]);
    assert!(
        nl.body.contains("Inloggen met uw organisatie-account"),
        "{}",
        nl.body
    );
    // askama writes the `&` as `&#38;`.
    assert!(
        nl.body
            .contains("href=\"/auth/oidc/login?next=/surveys/2&#38;lang=nl\""),
        "{}",
        nl.body
    );
    assert!(nl.body.contains("name=\"password\""));
    let en = s.app.get_public("/login?lang=en", &[]);
    assert!(
        en.body.contains("Sign in with your organisation account"),
        "{}",
        en.body
    );
    // Without a provider: no such button, and no such routes.
    let plain = spawn_app();
    let page = plain.get_public("/login", &[]);
    assert!(!page.body.contains("organisatie-account"));
    assert_eq!(plain.get_public("/auth/oidc/login", &[]).status, 404);
    assert_eq!(
        plain
            .get_public("/auth/oidc/callback?state=x&code=y", &[])
            .status,
        404
    );
}

#[test]
fn with_password_login_off_a_posted_password_signs_no_one_in() {
    let Some(s) = setup_with(IdpOptions::default(), |si| si.password_login = false) else {
        return;
    };
    add_user(&s.app, "anna@example.nl");
    let page = s.app.get_public("/login", &[]);
    assert!(page.body.contains("Inloggen met uw organisatie-account"));
    assert!(!page.body.contains("name=\"password\""), "{}", page.body);
    // A correct password with a valid form token (as the form would have sent it).
    let mut b = Browser::new();
    let form = b.get(&s.app.url("/login"));
    let at = form.body.find("name=\"csrf\" value=\"");
    assert!(at.is_none(), "no password form, no form token");
    let token = form.cookie("ks_login").unwrap();
    let r = s.app.post_form(
        "/login",
        &[("Cookie", &format!("ks_login={token}"))],
        &[
            ("email", "anna@example.nl"),
            ("password", PASSWORD),
            ("csrf", &token),
            ("next", "/dashboard"),
        ],
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert!(
        r.body.contains("Inloggen met een wachtwoord staat uit"),
        "{}",
        r.body
    );
    assert!(r
        .header("set-cookie")
        .is_none_or(|c| !c.contains("ks_session=")));
    assert_eq!(s.app.count("sessions"), 0);
    // The admin bearer token stays.
    assert_eq!(s.app.get("/api/v1/users").status, 200);
    // And the organisation's sign-in works.
    let mut b = Browser::new();
    let page = through(&mut b, &s, "anna");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(s.app.count("sessions"), 1);
}

#[test]
fn the_provider_may_return_to_another_instance() {
    // Two instances behind one public address share the database: the sign-in started on the
    // first is finished by the second, once.
    let Some(s) = setup() else { return };
    add_user(&s.app, "anna@example.nl");
    let public = s.public_url.clone();
    let settings = s.oidc_settings();
    let second = spawn_app_on_with(&s.app, move |c| {
        c.bind = "127.0.0.1:0".into();
        c.public_url = Some(public);
        c.sign_in = SignInSettings {
            password_login: true,
            oidc: Some(settings),
        };
    });
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let to_second = back.replacen(&s.public_url, &second.address, 1);
    assert_ne!(to_second, back);
    let page = b.get(&to_second);
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(page.cookie("ks_session").is_some());
    // The first instance finds the sign-in spent.
    let page = b.get(&back);
    assert_eq!(page.reason().as_deref(), Some("not_started"));
    assert_eq!(s.app.count("sessions"), 1);
}

#[test]
fn starting_sign_ins_is_limited_per_address() {
    let Some(s) = setup() else { return };
    let limit = klantspiegel::app::sign_in::START_LIMIT;
    for i in 0..limit {
        let r = s.app.get_public("/auth/oidc/login", &[]);
        assert_eq!(r.status, 303, "start {i}: {}", r.body);
    }
    assert_eq!(s.app.count("oidc_logins"), i64::from(limit));
    let r = s.app.get_public("/auth/oidc/login", &[]);
    assert_eq!(r.status, 429, "{}", r.body);
    assert!(r.header("retry-after").is_some());
    assert_eq!(s.app.count("oidc_logins"), i64::from(limit));
}

#[test]
fn an_unreachable_provider_gets_a_page_and_password_sign_in_still_works() {
    // No process listens on the issuer's port.
    let port = free_port();
    let public = format!("http://127.0.0.1:{port}");
    let issuer = format!("http://127.0.0.1:{}", free_port());
    let url = public.clone();
    let app = spawn_app_with(move |s| {
        s.bind = format!("127.0.0.1:{port}");
        s.public_url = Some(url);
        s.sign_in.oidc = Some(settings_for(&issuer, None));
    });
    let r = app.get_public("/auth/oidc/login?lang=en", &[]);
    assert_eq!(r.status, 503, "{}", r.body);
    assert!(r.body.contains("data-reason=\"unavailable\""), "{}", r.body);
    assert!(
        r.body
            .contains("Your organisation&#39;s sign-in service cannot be reached now"),
        "{}",
        r.body
    );
    assert_eq!(app.count("oidc_logins"), 0);
    let id = app.post(
        "/api/v1/users",
        json!({"email": "anna@example.nl", "role": "admin", "password": PASSWORD}),
    );
    assert_eq!(id.status, 201, "{}", id.body);
    let session = app.login_session("anna@example.nl", PASSWORD);
    assert_eq!(app.get_with_session("/dashboard", &session).status, 200);
}

// ---------- the audit log ----------

#[test]
fn sign_ins_through_the_provider_and_their_refusals_are_in_the_audit_log() {
    use klantspiegel::store::audit::{list, Filter};
    let Some(s) = setup() else { return };
    let anna = add_user(&s.app, "anna@example.nl");
    add_user(&s.app, "bert@example.nl");
    let mut b = Browser::new();
    assert_eq!(through(&mut b, &s, "anna").status, 303);
    let mut b = Browser::new();
    let page = through(&mut b, &s, "nobody");
    assert_eq!(page.reason().as_deref(), Some("unknown_account"));
    let mut b = Browser::new();
    let page = through(&mut b, &s, "bert");
    assert_eq!(page.reason().as_deref(), Some("unverified_email"));
    let mut b = Browser::new();
    let back = to_callback(&mut b, &s, "anna");
    let page = b.get(&with_param(&back, "state", "tampered"));
    assert_eq!(page.status, 400, "{}", page.body);
    assert_eq!(page.reason().as_deref(), Some("not_started"));

    let mut all = list(
        &mut s.app.conn(),
        &Filter {
            action: Some("sign_in".into()),
            limit: 100,
            ..Filter::default()
        },
    )
    .unwrap();
    all.reverse();
    let seen: Vec<(&str, Option<i64>, &str, Option<&str>)> = all
        .iter()
        .map(|r| {
            (
                r.actor.as_str(),
                r.actor_user_id,
                r.outcome.as_str(),
                r.detail.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![
            ("anna@example.nl", Some(anna), "ok", Some("oidc")),
            ("anonymous", None, "refused", Some("oidc: unknown_account")),
            ("anonymous", None, "refused", Some("oidc: unverified_email")),
            ("anonymous", None, "failed", Some("oidc: not_started")),
        ]
    );
    // Nothing the provider sent (codes, states, subjects) is in the log.
    let text = format!("{all:?}");
    for secret in [param(&back, "code"), param(&back, "state"), "nobody".into()] {
        assert!(!text.contains(&secret), "{secret} is in the log");
    }
}
