//! Issue 16: invitations and reminders by e-mail, against a real SMTP server process (aiosmtpd,
//! `python3 -m pip install aiosmtpd`) writing a Maildir that the tests read. Never a mock.

use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::helpers::*;
use klantspiegel::config::MailSettings;
use klantspiegel::mail::SmtpUrl;

// ---------- a real SMTP server ----------

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub fn temp_dir(what: &str) -> PathBuf {
    let mut b = [0u8; 6];
    getrandom::fill(&mut b).unwrap();
    let name: String = b.iter().map(|x| format!("{x:02x}")).collect();
    std::env::temp_dir()
        .join("klantspiegel-tests")
        .join(format!("{what}-{name}"))
}

/// `python3 -m aiosmtpd` on a free port; killed when dropped.
pub struct Smtp {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Smtp {
    pub fn start(class: &str, args: &[&str], dir: PathBuf) -> Smtp {
        let port = free_port();
        let child = Command::new("python3")
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                class,
            ])
            .args(args)
            .env(
                "PYTHONPATH",
                concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/smtp"),
            )
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("python3 -m aiosmtpd (install it: python3 -m pip install aiosmtpd)");
        let smtp = Smtp { child, port, dir };
        let until = Instant::now() + Duration::from_secs(15);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                Instant::now() < until,
                "aiosmtpd did not start on port {port} (python3 -m pip install aiosmtpd)"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        smtp
    }

    /// Keeps every message in a Maildir.
    pub fn mailbox() -> Smtp {
        let dir = temp_dir("maildir");
        let d = dir.display().to_string();
        Smtp::start("aiosmtpd.handlers.Mailbox", &[&d], dir)
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn mails(&self) -> Vec<Mail> {
        let Ok(entries) = std::fs::read_dir(self.dir.join("new")) else {
            return vec![];
        };
        let mut mails: Vec<Mail> = entries
            .filter_map(|e| std::fs::read(e.ok()?.path()).ok())
            .map(|raw| Mail::parse(&String::from_utf8_lossy(&raw)))
            .collect();
        mails.sort_by(|a, b| a.message_id.cmp(&b.message_id));
        mails
    }

    /// Waits until `n` messages arrived (and a little longer, to catch any extra one).
    pub fn wait_for(&self, n: usize, secs: u64) -> Vec<Mail> {
        let until = Instant::now() + Duration::from_secs(secs);
        loop {
            let got = self.mails().len();
            if got >= n {
                std::thread::sleep(Duration::from_millis(700));
                return self.mails();
            }
            assert!(
                Instant::now() < until,
                "{got} of {n} mails arrived in {secs} s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One received message, as the Maildir holds it.
#[derive(Debug, Clone)]
pub struct Mail {
    /// The envelope recipient (aiosmtpd's X-RcptTo).
    pub rcpt: String,
    pub subject: String,
    pub message_id: String,
    pub list_unsubscribe: String,
    pub body: String,
}

impl Mail {
    fn parse(raw: &str) -> Mail {
        let raw = raw.replace("\r\n", "\n");
        let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
        let mut headers: BTreeMap<String, String> = BTreeMap::new();
        let mut last = String::new();
        for line in head.lines() {
            if line.starts_with([' ', '\t']) {
                if let Some(v) = headers.get_mut(&last) {
                    v.push(' ');
                    v.push_str(line.trim());
                }
            } else if let Some((k, v)) = line.split_once(':') {
                last = k.trim().to_ascii_lowercase();
                headers.insert(last.clone(), v.trim().to_string());
            }
        }
        let h = |k: &str| headers.get(k).cloned().unwrap_or_default();
        Mail {
            rcpt: h("x-rcptto"),
            subject: h("subject"),
            message_id: h("message-id"),
            list_unsubscribe: h("list-unsubscribe"),
            body: body.to_string(),
        }
    }

    /// The first URL in the body containing `marker` (`/r/` or `/o/`).
    fn link(&self, marker: &str) -> String {
        self.body
            .split_whitespace()
            .find(|w| w.starts_with("http") && w.contains(marker))
            .unwrap_or_else(|| panic!("no {marker} link in: {}", self.body))
            .to_string()
    }

    pub fn token(&self) -> String {
        let link = self.link("/r/");
        let t = link.split("/r/").nth(1).unwrap();
        t.split('?').next().unwrap().to_string()
    }
}

// ---------- the app, set up to mail ----------

fn mail_settings(smtp_url: &str, rate: u32) -> MailSettings {
    MailSettings {
        smtp: SmtpUrl::parse(smtp_url).unwrap(),
        from: "Klantspiegel <noreply@klantspiegel.test>".into(),
        rate_per_minute: rate,
        retry_base: Duration::from_secs(1),
    }
}

/// The app with a public URL (its own address) and mail through `smtp_url`.
pub fn mail_app(smtp_url: &str, rate: u32) -> TestApp {
    let port = free_port();
    let url = smtp_url.to_string();
    spawn_app_with(move |s| {
        s.bind = format!("127.0.0.1:{port}");
        s.public_url = Some(format!("http://127.0.0.1:{port}"));
        s.mail = Some(mail_settings(&url, rate));
    })
}

pub fn addresses(prefix: &str, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| format!("{prefix}{i:02}@example.nl"))
        .collect()
}

pub fn csv_of(addresses: &[String], team: &str, audience: &str) -> String {
    let mut csv = String::from("email,team,audience,lang\n");
    for a in addresses {
        csv.push_str(&format!("{a},{team},{audience},nl\n"));
    }
    csv
}

pub fn mailings_path(w: &World) -> String {
    format!("/api/v1/surveys/{}/waves/{}/mailings", w.survey, w.wave)
}

/// Polls a mailing until `done` holds for its counts.
pub fn wait_counts(app: &TestApp, path: &str, secs: u64, done: impl Fn(&Value) -> bool) -> Value {
    let until = Instant::now() + Duration::from_secs(secs);
    loop {
        let v = app.get(path).json();
        if done(&v) {
            return v;
        }
        assert!(Instant::now() < until, "not done in {secs} s: {v}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

pub fn customer_answer(token: &str) -> Value {
    json!({"token": token, "ratings": {"keeping_agreements": {"perceived": 7, "expected": 8}}, "nps": 8})
}

/// No answer of the API holds an address or a token.
fn assert_no_address(body: &str) {
    assert!(!body.contains('@'), "an address in: {body}");
}

// ---------- the tests ----------

#[test]
fn twenty_invitations_arrive_with_working_links_and_a_reminder_reaches_the_fifteen_who_did_not_answer(
) {
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let to = addresses("klant", 20);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Klantenservice", "customer").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_no_address(&r.body);
    let created = r.json();
    assert_eq!(created["recipients"], 20);
    assert_eq!(
        created["queued"].as_i64().unwrap() + created["sent"].as_i64().unwrap(),
        20
    );
    let mailing = format!("{}/{}", mailings_path(&w), created["id"]);

    let mails = smtp.wait_for(20, 60);
    assert_eq!(mails.len(), 20);
    let rcpts: BTreeSet<String> = mails.iter().map(|m| m.rcpt.clone()).collect();
    assert_eq!(rcpts, to.iter().cloned().collect::<BTreeSet<_>>());
    let links: BTreeSet<String> = mails.iter().map(|m| m.link("/r/")).collect();
    assert_eq!(links.len(), 20, "distinct links");
    for m in &mails {
        assert_eq!(
            m.subject,
            // The customers' default; without an organisation text, the survey's title.
            "Hoe tevreden bent u over Klantspiegel 2026?"
        );
        assert!(m.link("/r/").starts_with(&format!("{}/r/", app.address)));
        let opt_out = m.link("/o/");
        assert_eq!(m.list_unsubscribe, format!("<{opt_out}>"));
        assert!(m
            .body
            .contains("De vragenlijst sluit op (nog geen sluitingsdatum)."));
    }
    // A link works: the questionnaire answers.
    let first = mails[0].link("/r/");
    let page = agent().get(&first).call().unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.into_string().unwrap().contains("<form"));

    // Five answer; a reminder goes to exactly the other fifteen.
    let answered: BTreeSet<String> = mails[..5].iter().map(|m| m.rcpt.clone()).collect();
    for m in &mails[..5] {
        let r = app.post_public("/api/v1/responses", customer_answer(&m.token()));
        assert_eq!(r.status, 201, "{}", r.body);
    }
    let r = app.post(&format!("{mailing}/reminders"), json!({}));
    assert_eq!(r.status, 202, "{}", r.body);
    assert_eq!(r.json(), json!({"reminders_queued": 15}));
    let all = smtp.wait_for(35, 60);
    assert_eq!(all.len(), 35);
    let reminders: Vec<&Mail> = all
        .iter()
        .filter(|m| m.subject.starts_with("Herinnering: "))
        .collect();
    let reminded: BTreeSet<String> = reminders.iter().map(|m| m.rcpt.clone()).collect();
    assert_eq!(reminders.len(), 15);
    assert_eq!(
        reminded,
        rcpts
            .difference(&answered)
            .cloned()
            .collect::<BTreeSet<_>>()
    );
    // A reminder carries the same personal link as the invitation.
    for m in &reminders {
        let invitation = mails.iter().find(|i| i.rcpt == m.rcpt).unwrap();
        assert_eq!(m.link("/r/"), invitation.link("/r/"));
    }
    let mut counts = wait_counts(&app, &mailing, 30, |v| v["queued"] == 0);
    // The round's time and when the next is allowed (the cool-down, 24 h by default).
    let stamp = |k: &str| {
        chrono::NaiveDateTime::parse_from_str(counts[k].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S%.f")
            .unwrap()
    };
    assert_eq!(
        stamp("next_reminder_at") - stamp("reminded_at"),
        chrono::Duration::hours(24)
    );
    let full = counts.clone();
    counts.as_object_mut().unwrap().remove("reminded_at");
    counts.as_object_mut().unwrap().remove("next_reminder_at");
    assert_eq!(
        counts,
        json!({
            "id": created["id"], "wave_id": w.wave, "recipients": 20,
            "queued": 0, "sent": 20, "failed": 0, "opted_out": 0, "reminders_sent": 15,
            "cancelled": 0, "addresses_deleted": false, "failures": [],
        })
    );
    // Asked again, only those still not answering (all fifteen) would be reminded.
    let list = app.get(&mailings_path(&w));
    assert_eq!(list.status, 200);
    assert_eq!(list.json(), json!([full]));
    assert_no_address(&list.body);
}

#[test]
fn bad_rows_are_all_listed_and_nothing_is_queued() {
    let app = mail_app("smtp://127.0.0.1:9", 60);
    let w = world(&app);
    let csv = "email,team,audience\n\
               goed@example.nl,Klantenservice,customer\n\
               geen-adres,Klantenservice,customer\n\
               ander@example.nl,Onbekend team,employee\n\
               GOED@example.nl,Buitendienst,employee\n\
               derde@example.nl,Buitendienst,klant\n";
    let r = app.post_raw(&mailings_path(&w), "text/csv", csv.as_bytes());
    assert_eq!(r.error(422).0, "import_rejected");
    assert_no_address(&r.body);
    let rows: Vec<(i64, String)> = r.json()["rows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["line"].as_i64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        rows,
        vec![
            (3, "email".to_string()),
            (4, "team".to_string()),
            (5, "email".to_string()),
            (6, "audience".to_string()),
        ]
    );
    assert_eq!(
        r.json()["rows"][2]["message"],
        "the same address as on line 2"
    );
    for table in ["mailings", "mail_recipients", "outbox", "invitations"] {
        assert_eq!(app.count(table), 0, "{table}");
    }
    // Unknown survey or wave: 404.
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/waves/999/mailings", w.survey),
        "text/csv",
        b"email,team,audience\n",
    );
    assert_eq!(r.error(404).0, "not_found");
}

#[test]
fn without_a_public_url_or_an_smtp_server_nothing_is_queued() {
    let csv = "email,team,audience\na@example.nl,Klantenservice,customer\n";
    let app = spawn_app_with(|s| s.mail = Some(mail_settings("smtp://127.0.0.1:9", 60)));
    let w = world(&app);
    let r = app.post_raw(&mailings_path(&w), "text/csv", csv.as_bytes());
    assert_eq!(
        r.error(422),
        (
            "validation_failed".to_string(),
            Some("public_url".to_string())
        )
    );
    let app = spawn_app_with(|s| s.public_url = Some("https://enquete.example.nl".into()));
    let w = world(&app);
    let r = app.post_raw(&mailings_path(&w), "text/csv", csv.as_bytes());
    assert_eq!(
        r.error(422),
        (
            "validation_failed".to_string(),
            Some("smtp_url".to_string())
        )
    );
    assert_eq!(app.count("outbox"), 0);
    // Only admins.
    let r = app.get_as(&mailings_path(&w), None);
    assert_eq!(r.status, 401);
}

#[test]
fn a_refusing_server_fails_the_mail_with_its_answer_and_a_busy_one_is_tried_again() {
    let refusing = Smtp::start(
        "ks_smtp.Refuse",
        &["550 5.1.1 Mailbox unavailable"],
        temp_dir("unused"),
    );
    let app = mail_app(&refusing.url(), 6000);
    let w = world(&app);
    let to = addresses("weg", 2);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Klantenservice", "customer").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mailing = format!("{}/{}", mailings_path(&w), r.json()["id"]);
    let counts = wait_counts(&app, &mailing, 30, |v| v["failed"] == 2);
    assert_eq!(counts["sent"], 0);
    assert_eq!(counts["queued"], 0);
    assert_eq!(
        counts["failures"],
        json!([{"answer": "550 5.1.1 Mailbox unavailable", "count": 2}])
    );

    // 451 twice, then accepted: sent on the third attempt, after waits of 1 s and 2 s.
    let dir = temp_dir("flaky");
    let d = dir.display().to_string();
    let flaky = Smtp::start("ks_smtp.FlakyMailbox", &[&d, "2"], dir);
    let app = mail_app(&flaky.url(), 6000);
    let w = world(&app);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&addresses("later", 1), "Klantenservice", "customer").as_bytes(),
    );
    let mailing = format!("{}/{}", mailings_path(&w), r.json()["id"]);
    let busy = wait_counts(&app, &mailing, 10, |v| v["queued"] == 1 && v["sent"] == 0);
    assert_eq!(busy["failed"], 0);
    let counts = wait_counts(&app, &mailing, 30, |v| v["sent"] == 1);
    assert_eq!(
        (counts["queued"].clone(), counts["failed"].clone()),
        (json!(0), json!(0))
    );
    assert_eq!(flaky.wait_for(1, 5).len(), 1);
    assert_eq!(outbox_attempts(&app), vec![3]);
}

fn outbox_attempts(app: &TestApp) -> Vec<i32> {
    use diesel::prelude::*;
    use klantspiegel::store::schema::outbox;
    outbox::table
        .select(outbox::attempts)
        .order(outbox::id.asc())
        .load(&mut *app.conn())
        .unwrap()
}

#[test]
fn an_opt_out_stops_reminders_and_the_page_speaks_the_recipients_language() {
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let csv = "email,team,audience,lang\n\
               nl@example.nl,Klantenservice,customer,nl\n\
               en@example.nl,Klantenservice,customer,en\n\
               blijft@example.nl,Klantenservice,customer,nl\n";
    let r = app.post_raw(&mailings_path(&w), "text/csv", csv.as_bytes());
    let mailing = format!("{}/{}", mailings_path(&w), r.json()["id"]);
    let mails = smtp.wait_for(3, 30);
    let en = mails.iter().find(|m| m.rcpt == "en@example.nl").unwrap();
    assert_eq!(en.subject, "How satisfied are you with Klantspiegel 2026?");
    assert!(en.link("/r/").ends_with("?lang=en"));
    let opt_out = en.link("/o/");
    let path = opt_out.trim_start_matches(&app.address).to_string();
    // Opening the link only asks; a scanner that follows links opts no one out.
    let page = app.get_public(&path, &[]);
    assert_eq!(page.status, 200);
    assert!(
        page.body.contains(
            "Would you rather receive no more e-mail about the questionnaire ‘Klantspiegel 2026’?"
        ),
        "{}",
        page.body
    );
    assert!(page.body.contains(&format!("action=\"{path}?lang=en\"")));
    assert_eq!(app.get(&mailing).json()["opted_out"], 0);
    let done = app.post_form(&path, &[], &[("List-Unsubscribe", "One-Click")]);
    assert_eq!(done.status, 200);
    assert!(done.body.contains("You have opted out"), "{}", done.body);
    let again = app.get_public(&format!("{path}?lang=nl"), &[]);
    assert!(
        again.body.contains(
            "U bent afgemeld: u krijgt over de vragenlijst ‘Klantspiegel 2026’ geen e-mail meer."
        ),
        "{}",
        again.body
    );
    let unknown = app.get_public("/o/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", &[]);
    assert_eq!(unknown.status, 404);
    assert!(unknown.body.contains("niet (meer) geldig"));

    let r = app.post(&format!("{mailing}/reminders"), json!({}));
    assert_eq!(r.json(), json!({"reminders_queued": 2}));
    let all = smtp.wait_for(5, 30);
    let reminded: BTreeSet<&str> = all
        .iter()
        .filter(|m| m.subject.starts_with("Herinnering: "))
        .map(|m| m.rcpt.as_str())
        .collect();
    assert_eq!(
        reminded,
        BTreeSet::from(["nl@example.nl", "blijft@example.nl"])
    );
    let counts = wait_counts(&app, &mailing, 30, |v| v["queued"] == 0);
    assert_eq!(
        (
            counts["opted_out"].clone(),
            counts["reminders_sent"].clone()
        ),
        (json!(1), json!(2))
    );
    // A later mailing in the same wave does not write to the address that opted out.
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        b"email,team,audience\nEN@example.nl,Klantenservice,customer\n",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    assert_eq!(
        (r.json()["queued"].clone(), r.json()["opted_out"].clone()),
        (json!(0), json!(1))
    );
}

#[test]
fn templates_are_the_surveys_own_checked_and_previewed() {
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let s = w.survey;
    let list = app
        .get(&format!("/api/v1/surveys/{s}/mail-templates"))
        .json();
    // Four defaults: per language, employees and customers.
    let said: Vec<(String, String, bool)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["lang"].as_str().unwrap().to_string(),
                t["audience"].as_str().unwrap().to_string(),
                t["custom"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        said,
        [
            ("nl".into(), "employee".into(), false),
            ("nl".into(), "customer".into(), false),
            ("en".into(), "employee".into(), false),
            ("en".into(), "customer".into(), false),
        ]
    );
    assert_eq!(
        list[3]["subject"],
        "How satisfied are you with {organisation}?"
    );
    assert_eq!(
        list[0]["subject"],
        "Hoe goed is onze dienstverlening? Uw oordeel voor {organisation}"
    );
    let bad = app.put(
        &format!("/api/v1/surveys/{s}/mail-templates/nl"),
        json!({"subject": "Hoi {naam}", "body": "{link}"}),
    );
    assert_eq!(
        bad.error(422),
        ("validation_failed".into(), Some("subject".into()))
    );
    let bad = app.put(
        &format!("/api/v1/surveys/{s}/mail-templates/nl"),
        json!({"subject": "Hoi", "body": "Geen link"}),
    );
    assert_eq!(
        bad.error(422),
        ("validation_failed".into(), Some("body".into()))
    );
    let ok = app.put(
        &format!("/api/v1/surveys/{s}/mail-templates/nl"),
        json!({"subject": "Enquete {organisation}", "body": "Beste klant,\n\nKlik: {link}\nTot {closes_at}."}),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
    // Without `audience`: both audiences' templates, employees first.
    let changed = ok.json();
    assert_eq!(changed.as_array().unwrap().len(), 2);
    assert_eq!(changed[0]["audience"], "employee");
    assert_eq!(changed[1]["custom"], true);
    let wave = app.post(
        &format!("/api/v1/surveys/{s}/waves"),
        json!({"name": "Najaar", "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2099-11-30T17:00:00Z"}),
    );
    let wave_id = wave.json()["id"].as_i64().unwrap();
    let preview = app.get(&format!(
        "/api/v1/surveys/{s}/mail-preview?lang=nl&kind=reminder&wave_id={wave_id}"
    ));
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert_eq!(
        preview.json(),
        json!({
            "subject": "Herinnering: Enquete Klantspiegel 2026",
            "body": format!("Misschien is het u ontschoten: uw antwoorden zijn nog van harte welkom.\n\n\
                Beste klant,\n\nKlik: {a}/r/PERSONAL-LINK\nTot 30 november 2099 om 18:00 (Nederlandse tijd).\n\n-- \n\
                Liever geen e-mail meer over deze vragenlijst? Meld u af: {a}/o/OPT-OUT-LINK\n", a = app.address),
        })
    );
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/waves/{wave_id}/mailings"),
        "text/csv",
        b"email,team,audience\nklant@example.nl,Klantenservice,customer\n",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mail = smtp.wait_for(1, 30).remove(0);
    assert_eq!(mail.subject, "Enquete Klantspiegel 2026");
    assert!(
        mail.body
            .starts_with("Beste klant,\n\nKlik: http://127.0.0.1:"),
        "{}",
        mail.body
    );
    // 17:00 UTC is 18:00 in Amsterdam in November (CET), the zone named.
    assert!(mail
        .body
        .contains("Tot 30 november 2099 om 18:00 (Nederlandse tijd)."));
    // Back to the default.
    let reset = app.delete(&format!("/api/v1/surveys/{s}/mail-templates/nl"));
    assert_eq!(reset.json()[0]["custom"], false);
    assert_eq!(reset.json()[1]["custom"], false);
    let r = app.get(&format!("/api/v1/surveys/{s}/mail-preview?lang=xx"));
    assert_eq!(r.error(422).1.as_deref(), Some("lang"));
}

#[test]
fn closing_the_wave_deletes_every_address_from_the_database_files() {
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let closes = chrono::Utc::now() + chrono::Duration::seconds(8);
    let wave = app.post(
        &format!("/api/v1/surveys/{}/waves", w.survey),
        json!({"name": "Kort", "opens_at": "2026-01-01T00:00:00Z", "closes_at": closes.to_rfc3339()}),
    );
    let wave_id = wave.json()["id"].as_i64().unwrap();
    let to = addresses("privacy.geheim", 20);
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/waves/{wave_id}/mailings", w.survey),
        "text/csv",
        csv_of(&to, "Klantenservice", "employee").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mailing = format!(
        "/api/v1/surveys/{}/waves/{wave_id}/mailings/{}",
        w.survey,
        r.json()["id"]
    );
    let mails = smtp.wait_for(20, 30);
    let tokens: Vec<String> = mails.iter().map(Mail::token).collect();
    // While the wave is open the addresses are there (in the files, too, for SQLite).
    assert_eq!(stored_addresses(&app), 20);
    if let Some(path) = app.db_url.strip_prefix("sqlite://") {
        assert!(
            files_hold(path, "privacy.geheim"),
            "the search would find an address"
        );
    }
    // Within a minute of closing (here: the next look, every 5 s), they are gone; counts stay.
    let counts = wait_counts(&app, &mailing, 60, |v| v["addresses_deleted"] == true);
    assert_eq!(
        (counts["sent"].clone(), counts["recipients"].clone()),
        (json!(20), json!(20))
    );
    assert_eq!(stored_addresses(&app), 0);
    if let Some(path) = app.db_url.strip_prefix("sqlite://") {
        // The bytes themselves: neither the main file nor the WAL holds an address or a token.
        let until = Instant::now() + Duration::from_secs(30);
        while files_hold(path, "privacy.geheim") || tokens.iter().any(|t| files_hold(path, t)) {
            assert!(
                Instant::now() < until,
                "an address or token is still in {path}(-wal)"
            );
            std::thread::sleep(Duration::from_millis(500));
        }
    }
    // A closed wave takes no reminders.
    let r = app.post(&format!("{mailing}/reminders"), json!({}));
    assert_eq!(r.error(409).0, "wave_closed");
}

/// Whether the SQLite file or its WAL holds `needle`, byte for byte.
fn files_hold(path: &str, needle: &str) -> bool {
    ["", "-wal"].iter().any(|suffix| {
        let bytes = std::fs::read(format!("{path}{suffix}")).unwrap_or_default();
        bytes.windows(needle.len()).any(|w| w == needle.as_bytes())
    })
}

/// Addresses still stored, counted in SQL.
fn stored_addresses(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use klantspiegel::store::schema::mail_recipients;
    mail_recipients::table
        .filter(mail_recipients::email.is_not_null())
        .count()
        .get_result(&mut *app.conn())
        .unwrap()
}

#[test]
fn two_instances_on_one_database_send_each_mail_once() {
    let smtp = Smtp::mailbox();
    let first = mail_app(&smtp.url(), 600);
    let url = smtp.url();
    let public_url = first.address.clone();
    let second = spawn_app_on_with(&first, move |s| {
        s.public_url = Some(public_url);
        s.mail = Some(mail_settings(&url, 600));
    });
    let w = world(&first);
    let to = addresses("samen", 40);
    let r = first.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Buitendienst", "employee").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mails = smtp.wait_for(40, 60);
    assert_eq!(mails.len(), 40, "no mail twice");
    let rcpts: BTreeSet<String> = mails.iter().map(|m| m.rcpt.clone()).collect();
    assert_eq!(rcpts.len(), 40);
    let by_instance = claimers(&first);
    assert_eq!(by_instance.values().sum::<i64>(), 40);
    assert_eq!(by_instance.len(), 2, "both instances sent: {by_instance:?}");
    drop(second);
}

/// How many sent e-mails each instance claimed.
fn claimers(app: &TestApp) -> BTreeMap<String, i64> {
    use diesel::prelude::*;
    use klantspiegel::store::schema::outbox;
    let rows: Vec<Option<String>> = outbox::table
        .select(outbox::claimed_by)
        .load(&mut *app.conn())
        .unwrap();
    let mut out = BTreeMap::new();
    for r in rows {
        *out.entry(r.unwrap_or_default()).or_insert(0) += 1;
    }
    out
}

// ---------- the server as a process, killed mid-send ----------

struct Server {
    child: Child,
    address: String,
}

impl Server {
    fn start(db_url: &str, port: u16, smtp_url: &str) -> Server {
        let child = Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
            .args([
                "serve",
                "--bind",
                &format!("127.0.0.1:{port}"),
                "--database",
                db_url,
            ])
            .env_remove("DATABASE_URL")
            .env("KLANTSPIEGEL_ADMIN_TOKEN", ADMIN_TOKEN)
            .env("KLANTSPIEGEL_SMTP_URL", smtp_url)
            .env(
                "KLANTSPIEGEL_MAIL_FROM",
                "Klantspiegel <noreply@klantspiegel.test>",
            )
            .env(
                "KLANTSPIEGEL_PUBLIC_URL",
                format!("http://127.0.0.1:{port}"),
            )
            .env("KLANTSPIEGEL_MAIL_RATE", "300")
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let address = format!("http://127.0.0.1:{port}");
        let until = Instant::now() + Duration::from_secs(20);
        while agent().get(&format!("{address}/healthz")).call().is_err() {
            assert!(Instant::now() < until, "the server did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Server { child, address }
    }

    fn call(&self, method: &str, path: &str, body: Option<(&str, &[u8])>) -> Value {
        let req = agent()
            .request(method, &format!("{}{path}", self.address))
            .set("Authorization", &format!("Bearer {ADMIN_TOKEN}"));
        let resp = match body {
            Some((ct, b)) => req.set("Content-Type", ct).send_bytes(b),
            None => req.call(),
        }
        .unwrap_or_else(|e| panic!("{method} {path}: {e}"));
        serde_json::from_str(&resp.into_string().unwrap()).unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// "Once", as docs/deployment.md defines it: every address receives its mail, under one
/// Message-ID; a second hand-over (only possible for the one mail in flight at the kill) carries
/// the same Message-ID, so the receiving side sees one message.
#[test]
fn a_mailing_of_fifty_survives_kill_9_mid_send_and_every_address_gets_its_mail_once() {
    let smtp = Smtp::mailbox();
    let (db_url, pg) = fresh_database();
    let port = free_port();
    let mut server = Server::start(&db_url, port, &smtp.url());
    let json_body = |v: Value| v.to_string().into_bytes();
    let team = server.call(
        "POST",
        "/api/v1/teams",
        Some(("application/json", &json_body(json!({"name": "Balie"})))),
    );
    assert_eq!(team["name"], "Balie");
    let survey = server.call(
        "POST",
        "/api/v1/surveys",
        Some((
            "application/json",
            &json_body(json!({"title": "Klantspiegel", "template": "mirror-default"})),
        )),
    );
    let s = survey["id"].as_i64().unwrap();
    let wave = server.call(
        "POST",
        &format!("/api/v1/surveys/{s}/waves"),
        Some((
            "application/json",
            &json_body(json!({"name": "W", "opens_at": "2026-01-01T00:00:00Z"})),
        )),
    );
    let wv = wave["id"].as_i64().unwrap();
    let to = addresses("vijftig", 50);
    let created = server.call(
        "POST",
        &format!("/api/v1/surveys/{s}/waves/{wv}/mailings"),
        Some(("text/csv", csv_of(&to, "Balie", "customer").as_bytes())),
    );
    let mailing = format!("/api/v1/surveys/{s}/waves/{wv}/mailings/{}", created["id"]);
    // Kill -9 once a dozen mails are out, mid-send.
    smtp.wait_for(12, 60);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    let before = smtp.mails().len();
    assert!(
        before < 50,
        "the kill came too late to test anything ({before} sent)"
    );
    let server = Server::start(&db_url, port, &smtp.url());
    let until = Instant::now() + Duration::from_secs(90);
    let counts = loop {
        let c = server.call("GET", &mailing, None);
        if c["queued"] == 0 {
            break c;
        }
        assert!(Instant::now() < until, "not all sent: {c}");
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(
        (counts["sent"].clone(), counts["failed"].clone()),
        (json!(50), json!(0))
    );
    let mails = smtp.wait_for(50, 10);
    let mut ids_per_address: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for m in &mails {
        ids_per_address
            .entry(m.rcpt.clone())
            .or_default()
            .insert(m.message_id.clone());
    }
    assert_eq!(ids_per_address.len(), 50, "every address got its mail");
    assert!(
        ids_per_address.values().all(|ids| ids.len() == 1),
        "one Message-ID per address"
    );
    // At most the one mail in flight at the kill was handed over twice.
    assert!(mails.len() <= 51, "{} deliveries", mails.len());
    drop(server);
    drop_database(&db_url, pg);
}

#[test]
fn a_malformed_smtp_url_stops_the_server_at_start_up() {
    let (db_url, pg) = fresh_database();
    for (url, says) in [
        (
            "smtp://mail.example.nl:poort",
            "KLANTSPIEGEL_SMTP_URL is malformed: 'poort' is not a port number",
        ),
        (
            "mail.example.nl",
            "KLANTSPIEGEL_SMTP_URL is malformed: no scheme",
        ),
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_klantspiegel"))
            .args(["serve", "--bind", "127.0.0.1:0", "--database", &db_url])
            .env("KLANTSPIEGEL_SMTP_URL", url)
            .env("KLANTSPIEGEL_MAIL_FROM", "noreply@example.nl")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(says), "{err}");
    }
    drop_database(&db_url, pg);
}

/// A multipart/form-data body of text fields (as a browser sends a form with a file input).
pub fn multipart(fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "----klantspiegeltest";
    let mut body = String::new();
    for (name, value) in fields {
        let file = if *name == "file" {
            "; filename=\"ontvangers.csv\"\r\nContent-Type: text/csv"
        } else {
            ""
        };
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"{file}\r\n\r\n{value}\r\n"
        ));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (
        format!("multipart/form-data; boundary={boundary}"),
        body.into_bytes(),
    )
}

/// An admin's session on `app`: (cookie header, csrf).
pub fn admin_session(app: &TestApp) -> (String, String) {
    let (email, password) = ("beheer@example.nl", "een-lang-wachtwoord");
    let out = cli(
        app,
        &["user", "add", "--email", email, "--role", "admin"],
        Some(&format!("{password}\n")),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (cookie, csrf) = crate::team_leads::session(app, email, password);
    (format!("ks_session={cookie}"), csrf)
}

fn upload(app: &TestApp, path: &str, cookie: &str, fields: &[(&str, &str)]) -> Resp {
    let (content_type, body) = multipart(fields);
    app.post_raw_public(
        path,
        &[("Cookie", cookie), ("Content-Type", &content_type)],
        &body,
    )
}

#[test]
fn the_wave_page_uploads_shows_the_refused_addresses_with_the_answer_and_reminds() {
    let refusing = Smtp::start(
        "ks_smtp.Refuse",
        &["550 5.1.1 Mailbox unavailable"],
        temp_dir("unused"),
    );
    let app = mail_app(&refusing.url(), 6000);
    let w = world(&app);
    let (cookie, csrf) = admin_session(&app);
    let page = format!("/admin/surveys/{}/waves/{}", w.survey, w.wave);
    let r = app.get_public(&format!("{page}?lang=en"), &[("Cookie", &cookie)]);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r
        .body
        .contains("No e-mail has been sent for this wave yet."));
    assert!(
        r.body
            .contains("<a href=\"#mailing\">Invitations by e-mail</a>"),
        "in the page's own navigation"
    );
    // The old mailings page leads to the wave page; without a session, to the login page.
    let old = format!("{page}/mailings");
    let r = app.get_public(&old, &[("Cookie", &cookie)]);
    assert_eq!(
        (r.status, r.header("location")),
        (303, Some(format!("{page}?lang=nl#monitor").as_str()))
    );
    assert_eq!(app.get_public(&old, &[]).status, 303);
    assert!(app
        .get_public(&old, &[])
        .header("location")
        .unwrap()
        .starts_with("/login?next="));

    // Bad rows: every one listed in the page's language, nothing queued, the text kept.
    let bad = "email,team,audience\nweg00@example.nl,Klantenservice,customer\nweg00@example,Nergens,customer\n";
    let r = upload(
        &app,
        &format!("{old}?lang=en"),
        &cookie,
        &[("csrf", &csrf), ("csv", bad)],
    );
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r
        .body
        .contains("Nothing was sent. Please correct these rows:"));
    assert!(
        r.body
            .contains("Line 3, column team: &#39;Nergens&#39; is not a team"),
        "{}",
        r.body
    );
    assert!(
        r.body
            .contains(">email,team,audience\nweg00@example.nl,Klantenservice,customer\n"),
        "what was pasted is kept: {}",
        r.body
    );
    assert_eq!(app.count("outbox"), 0);

    // A file upload: queued, then refused by the server for good.
    let good = csv_of(&addresses("weg", 2), "Klantenservice", "customer");
    let r = upload(
        &app,
        &format!("{old}?lang=en"),
        &cookie,
        &[("csrf", &csrf), ("file", &good)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("{page}?lang=en&queued=2&sep=comma#mailing").as_str())
    );
    let id = app.get(&mailings_path(&w)).json()[0]["id"].clone();
    wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["failed"] == 2
    });
    let r = app.get_public(&format!("{page}?lang=en"), &[("Cookie", &cookie)]);
    for shown in [
        "<td class=\"address\">weg00@example.nl</td>",
        "<td class=\"address\">weg01@example.nl</td>",
        "<code class=\"answer\">550 5.1.1 Mailbox unavailable</code>",
        "<dd class=\"failed\">2</dd>",
    ] {
        assert!(r.body.contains(shown), "{shown}: {}", r.body);
    }
    // Refused mails are not invited: the response rate has nothing to divide by.
    let rates = app.get(&format!(
        "/api/v1/surveys/{}/response-rates?wave_id={}",
        w.survey, w.wave
    ));
    assert_eq!(
        rates.json()["rows"],
        json!([{"team_id": w.teams[0], "audience": "customer", "invited": 0, "answered": 0,
                "rate": null, "link_uses": 0, "failed": 2}])
    );

    // Reminders: a redirect after the POST, in the language of the form.
    let r = app.post_form(
        &format!("{old}/{id}/reminders?lang=nl"),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303);
    let location = r.header("location").unwrap().to_string();
    assert!(location.ends_with("reminded=0#mailing"), "{location}");
    let r = app.get_public(&location, &[("Cookie", &cookie)]);
    assert!(
        r.body.contains("0 herinnering(en) in de wachtrij."),
        "{}",
        r.body
    );

    // Retry: both queued again (and refused again by this server).
    let r = app.post_form(
        &format!("{old}/{id}/retry?lang=en"),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("retried=2"));
    wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["failed"] == 2 && v["queued"] == 0
    });

    // A wrong CSRF token changes nothing.
    let r = upload(
        &app,
        &format!("{old}?lang=en"),
        &cookie,
        &[("csrf", "fout"), ("csv", &good)],
    );
    assert_eq!(r.status, 403);
    assert_eq!(app.count("mailings"), 1);
}

#[test]
fn a_refused_address_is_not_invited_until_a_retry_gets_through() {
    let dir = temp_dir("maildir");
    let d = dir.display().to_string();
    let smtp = Smtp::start("ks_smtp.RefuseOnce", &[&d, "vol01@example.nl"], dir);
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let (cookie, csrf) = admin_session(&app);
    let page = format!("/admin/surveys/{}/waves/{}", w.survey, w.wave);
    let rates = || {
        app.get(&format!(
            "/api/v1/surveys/{}/response-rates?wave_id={}",
            w.survey, w.wave
        ))
        .json()["rows"][0]
            .clone()
    };
    let csv = csv_of(&addresses("vol", 3), "Klantenservice", "customer");
    let r = upload(
        &app,
        &format!("{page}/mailings"),
        &cookie,
        &[("csrf", &csrf), ("csv", &csv)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let id = app.get(&mailings_path(&w)).json()[0]["id"].clone();
    let counts = wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["sent"].as_i64().unwrap() + v["failed"].as_i64().unwrap() == 3
    });
    assert_eq!(
        (counts["sent"].clone(), counts["failed"].clone()),
        (json!(2), json!(1))
    );
    let row = rates();
    assert_eq!(
        (row["invited"].clone(), row["failed"].clone()),
        (json!(2), json!(1))
    );
    let page_body = app.get_public(&page, &[("Cookie", &cookie)]).body;
    assert!(
        page_body.contains("<code class=\"answer\">550 5.2.2 Mailbox full</code>"),
        "{page_body}"
    );
    // The monitor says the same: 2 invited, 1 failed.
    assert!(page_body.contains("data-label=\"Uitgenodigd\">2</td><td class=\"num\" data-label=\"Beantwoord\">0</td><td class=\"num\" data-label=\"Respons\">0%</td><td class=\"num\" data-label=\"Via teamlinks\">0</td><td class=\"num\" data-label=\"Mislukt\">1</td>"), "{page_body}");

    // One retry, of that mail: it gets through, and counts as invited.
    let mail_id = {
        let start = page_body.find("name=\"mail_id\" value=\"").unwrap() + 22;
        page_body[start..].split('"').next().unwrap().to_string()
    };
    let r = app.post_form(
        &format!("{page}/mailings/{id}/retry"),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf), ("mail_id", &mail_id)],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert!(r.header("location").unwrap().contains("retried=1"));
    let counts = wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["sent"] == 3
    });
    assert_eq!(counts["failed"], 0);
    let row = rates();
    assert_eq!(
        (row["invited"].clone(), row["failed"].clone()),
        (json!(3), json!(0))
    );
    let got: BTreeSet<String> = smtp
        .wait_for(3, 30)
        .iter()
        .map(|m| m.rcpt.clone())
        .collect();
    assert_eq!(
        got,
        addresses("vol", 3).into_iter().collect::<BTreeSet<_>>()
    );
}

#[test]
fn a_failed_mail_stays_failed_after_the_wave_closes_and_its_address_is_erased() {
    let refusing = Smtp::start(
        "ks_smtp.Refuse",
        &["550 5.1.1 No such user"],
        temp_dir("unused"),
    );
    let app = mail_app(&refusing.url(), 6000);
    let w = world(&app);
    let csv = csv_of(&addresses("nee", 2), "Klantenservice", "customer");
    let r = app.post_raw(&mailings_path(&w), "text/csv", csv.as_bytes());
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].clone();
    wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["failed"] == 2
    });
    let path = format!(
        "/api/v1/surveys/{}/response-rates?wave_id={}",
        w.survey, w.wave
    );
    let before = app.get(&path).json()["rows"].clone();
    assert_eq!(
        (before[0]["invited"].clone(), before[0]["failed"].clone()),
        (json!(0), json!(2))
    );
    let r = app.patch(
        &format!("/api/v1/surveys/{}/waves/{}", w.survey, w.wave),
        json!({"closes_at": "2026-02-01T00:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    wait_counts(&app, &format!("{}/{id}", mailings_path(&w)), 30, |v| {
        v["addresses_deleted"] == true
    });
    assert_eq!(
        app.get(&path).json()["rows"],
        before,
        "the counts stay once the addresses are gone"
    );
}

/// Issue 24: employees are asked about their own service and customers about the service they
/// got, each in their language; `{organisation}` is the survey's organisation text;
/// `{closes_at}` is Amsterdam time with the zone named; a survey's own template for one
/// audience leaves the other audience's default alone.
#[test]
fn employees_and_customers_get_their_own_mail_naming_the_organisation_and_dutch_time() {
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let s = w.survey;
    let r = app.patch(
        &format!("/api/v1/surveys/{s}"),
        json!({"organisation": "Gemeente Zandvoort"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    // 31 January 2027, 16:00 UTC: 17:00 in Amsterdam (winter time).
    let wave = app.post(
        &format!("/api/v1/surveys/{s}/waves"),
        json!({"name": "Winter", "opens_at": "2026-01-01T00:00:00Z", "closes_at": "2027-01-31T16:00:00Z"}),
    );
    let wave_id = wave.json()["id"].as_i64().unwrap();
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/waves/{wave_id}/mailings"),
        "text/csv",
        b"email,team,audience,lang\n\
          medewerker@example.nl,Klantenservice,employee,nl\n\
          klant@example.nl,Klantenservice,customer,nl\n\
          employee@example.nl,Klantenservice,employee,en\n\
          customer@example.nl,Klantenservice,customer,en\n",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mails = smtp.wait_for(4, 60);
    let to = |rcpt: &str| mails.iter().find(|m| m.rcpt == rcpt).unwrap();
    let m = to("medewerker@example.nl");
    assert_eq!(
        m.subject,
        "Hoe goed is onze dienstverlening? Uw oordeel voor Gemeente Zandvoort"
    );
    assert!(m.body.starts_with(
        "Beste collega,\n\nGemeente Zandvoort vraagt u hoe goed onze dienstverlening aan klanten \
         is: eerst uw eigen oordeel, daarna uw inschatting van het cijfer dat klanten ons geven."
    ), "{}", m.body);
    assert!(m
        .body
        .contains("De vragenlijst sluit op 31 januari 2027 om 17:00 (Nederlandse tijd)."));
    assert!(!m.body.contains("hoe u de dienstverlening ervaart"));
    let m = to("klant@example.nl");
    assert_eq!(m.subject, "Hoe tevreden bent u over Gemeente Zandvoort?");
    assert!(m.body.starts_with(
        "Goedendag,\n\nGemeente Zandvoort wil graag weten hoe u de dienstverlening ervaart die u \
         van ons kreeg."
    ), "{}", m.body);
    let m = to("employee@example.nl");
    assert_eq!(
        m.subject,
        "How good is our service? Your view for Gemeente Zandvoort"
    );
    assert!(m
        .body
        .contains("first your own view, then your guess of the rating customers give us"));
    assert!(m
        .body
        .contains("The questionnaire closes on 31 January 2027 at 17:00 (Netherlands time)."));
    let m = to("customer@example.nl");
    assert_eq!(m.subject, "How satisfied are you with Gemeente Zandvoort?");
    assert!(m
        .body
        .contains("how you experienced the service you got from us"));

    // The survey's own Dutch template for employees only: customers keep their default.
    let r = app.put(
        &format!("/api/v1/surveys/{s}/mail-templates/nl?audience=employee"),
        json!({"subject": "Collega's: {organisation}", "body": "Vul in: {link}\nTot {closes_at}."}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.json().as_array().unwrap().len(), 1);
    assert_eq!(r.json()[0]["audience"], "employee");
    let list = app
        .get(&format!("/api/v1/surveys/{s}/mail-templates"))
        .json();
    assert_eq!(list[0]["custom"], true);
    assert_eq!(list[1]["custom"], false);
    let preview = |audience: &str| {
        app.get(&format!(
            "/api/v1/surveys/{s}/mail-preview?lang=nl&audience={audience}&wave_id={wave_id}"
        ))
        .json()
    };
    assert_eq!(
        preview("employee")["subject"],
        "Collega's: Gemeente Zandvoort"
    );
    assert!(preview("employee")["body"]
        .as_str()
        .unwrap()
        .contains("Tot 31 januari 2027 om 17:00 (Nederlandse tijd)."));
    assert_eq!(
        preview("customer")["subject"],
        "Hoe tevreden bent u over Gemeente Zandvoort?"
    );
    let bad = app.get(&format!(
        "/api/v1/surveys/{s}/mail-preview?audience=manager"
    ));
    assert_eq!(bad.error(422).1.as_deref(), Some("audience"));
    let r = app.post_raw(
        &format!("/api/v1/surveys/{s}/waves/{wave_id}/mailings"),
        "text/csv",
        b"email,team,audience,lang\n\
          tweede.medewerker@example.nl,Klantenservice,employee,nl\n\
          tweede.klant@example.nl,Klantenservice,customer,nl\n",
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let mails = smtp.wait_for(6, 60);
    let m = mails
        .iter()
        .find(|m| m.rcpt == "tweede.medewerker@example.nl")
        .unwrap();
    assert_eq!(m.subject, "Collega's: Gemeente Zandvoort");
    let m = mails
        .iter()
        .find(|m| m.rcpt == "tweede.klant@example.nl")
        .unwrap();
    assert_eq!(m.subject, "Hoe tevreden bent u over Gemeente Zandvoort?");

    // The opt-out page names the survey.
    let opt_out = m.link("/o/");
    let page = agent().get(&opt_out).call().unwrap().into_string().unwrap();
    assert!(
        page.contains(
            "Wilt u geen e-mail meer ontvangen over de vragenlijst ‘Klantspiegel 2026’ van \
             Gemeente Zandvoort?"
        ),
        "{page}"
    );
    let page = agent()
        .get(&format!("{opt_out}?lang=en"))
        .call()
        .unwrap()
        .into_string()
        .unwrap();
    assert!(page.contains(
        "Would you rather receive no more e-mail about the questionnaire ‘Klantspiegel 2026’ of \
         Gemeente Zandvoort?"
    ));
}

#[test]
fn a_mailing_and_its_reminders_are_in_the_audit_log_without_an_address_or_a_link() {
    use klantspiegel::store::audit::{list, Filter};
    let smtp = Smtp::mailbox();
    let app = mail_app(&smtp.url(), 6000);
    let w = world(&app);
    let to = addresses("auditklant", 3);
    let r = app.post_raw(
        &mailings_path(&w),
        "text/csv",
        csv_of(&to, "Klantenservice", "customer").as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let id = r.json()["id"].as_i64().unwrap();
    let mails = smtp.wait_for(3, 60);
    let r = app.post(&format!("{}/{id}/reminders", mailings_path(&w)), json!({}));
    assert_eq!(r.status, 202, "{}", r.body);

    let mut all = list(
        &mut app.conn(),
        &Filter {
            limit: 1000,
            ..Filter::default()
        },
    )
    .unwrap();
    all.reverse();
    let mailing: Vec<(&str, &str, Option<i64>, Option<&str>)> = all
        .iter()
        .filter(|r| r.action.starts_with("mailing."))
        .map(|r| {
            (
                r.actor.as_str(),
                r.action.as_str(),
                r.object_id,
                r.detail.as_deref(),
            )
        })
        .collect();
    let wave = w.wave;
    assert_eq!(
        mailing,
        vec![
            (
                "admin-token",
                "mailing.create",
                Some(id),
                Some(format!("3 recipient(s), 3 e-mail(s) queued, wave {wave}").as_str())
            ),
            (
                "admin-token",
                "mailing.remind",
                Some(id),
                Some(format!("3 reminder(s), wave {wave}, survey {}", w.survey).as_str())
            ),
        ]
    );
    let text = format!("{all:?}");
    for m in &mails {
        assert!(!text.contains(&m.rcpt), "{} is in the log", m.rcpt);
        assert!(!text.contains(&m.token()), "a link's token is in the log");
    }
    assert!(!text.contains("auditklant"));
}
