//! Issue 17: the workshop pack (PDF) and the report workbook (XLSX), through the API and the
//! CLI, under the same access and anonymity rules as the comparison.

use serde_json::Value;

use crate::helpers::*;

/// The text of each page (lopdf reads the fonts' ToUnicode maps).
fn pages_text(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).expect("a PDF lopdf can read");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    pages
        .iter()
        .map(|p| doc.extract_text(&[*p]).unwrap_or_default())
        .collect()
}

/// Spaces and line breaks vary with the extractor; compare text with them taken out.
fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn contains(page: &str, text: &str) -> bool {
    squeeze(page).contains(&squeeze(text))
}

/// Every embedded font file (the subset DejaVu faces).
fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut names = Vec::new();
    for obj in doc.objects.values() {
        if let Ok(d) = obj.as_dict() {
            let is_descriptor = d
                .get(b"Type")
                .and_then(|t| t.as_name())
                .is_ok_and(|n| n == b"FontDescriptor");
            if is_descriptor && d.get(b"FontFile2").is_ok() {
                let name = d.get(b"FontName").and_then(|n| n.as_name()).unwrap();
                names.push(String::from_utf8_lossy(name).to_string());
            }
        }
    }
    names.sort();
    names
}

fn name_of(list: &Value, id: i64) -> String {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == id)
        .unwrap_or_else(|| panic!("{id} in {list}"))["name"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_pack_has_a_cover_a_summary_a_page_per_dimension_in_priority_order_and_the_actions() {
    let app = spawn_app();
    load_demo(&app);
    let path = "/api/v1/surveys/1/workshop.pdf?wave_id=2&team_id=1";
    let first = app.download(path, Auth::Admin);
    assert_eq!(
        first.status,
        200,
        "{}",
        String::from_utf8_lossy(&first.bytes)
    );
    assert_eq!(first.content_type, "application/pdf");
    assert!(first.bytes.starts_with(b"%PDF-"));

    let pages = pages_text(&first.bytes);
    assert_eq!(
        pages.len(),
        12,
        "cover, summary, quadrant, 8 dimensions, actions"
    );
    let team = name_of(&app.get("/api/v1/teams").json(), 1);
    let survey = app.get("/api/v1/surveys/1").json();
    let wave = name_of(&survey["waves"], 2);
    assert!(contains(&pages[0], survey["title"].as_str().unwrap()));
    assert!(contains(&pages[0], &team), "{}", pages[0]);
    assert!(contains(&pages[0], &wave), "{}", pages[0]);
    // Every page after the cover names survey, team and wave in its header.
    for p in &pages[1..] {
        assert!(contains(p, &format!("{team} · {wave}")), "{p}");
    }

    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
        .json();
    let dims = report["dimensions"].as_array().unwrap();
    assert_eq!(dims.len(), 8);
    assert!(contains(&pages[1], "Samenvatting"));
    for d in dims.iter().filter(|d| d["verdict"] == "blind_spot") {
        assert!(contains(&pages[1], d["label"].as_str().unwrap()));
    }
    for (i, d) in dims.iter().enumerate() {
        let page = &pages[3 + i];
        let heading = format!("{}. {}", d["priority"], d["label"].as_str().unwrap());
        assert!(contains(page, &heading), "page {}: {page}", i + 4);
        // The numbers: the employees' and customers' means as the report has them.
        let mean = |g: &str| format!("{:.2}", d[g]["mean"].as_f64().unwrap()).replace('.', ",");
        assert!(contains(page, &mean("employee")), "{page}");
        assert!(contains(page, &mean("customer")), "{page}");
        assert!(contains(
            page,
            "Verwachtingen bijstellen of de dienstverlening verbeteren?"
        ));
        assert!(contains(page, "Wat gaan we doen, wie, wanneer?"));
        // The charts are vectors with real text: the distribution chart's title.
        assert!(contains(page, "Verdeling van de scores"), "{page}");
    }
    // The demo's actions: on their dimension's page and on the last page.
    let actions = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    let actions = actions.as_array().unwrap();
    assert!(!actions.is_empty());
    for a in actions {
        let text = a["description"].as_str().unwrap();
        assert!(contains(&pages[11], text), "{}", pages[11]);
        let i = dims
            .iter()
            .position(|d| d["key"] == a["dimension_key"])
            .unwrap();
        let first_words: String = text
            .split_whitespace()
            .take(4)
            .collect::<Vec<_>>()
            .join(" ");
        assert!(contains(&pages[3 + i], &first_words), "{}", pages[3 + i]);
    }
    assert!(contains(&pages[11], "Alle acties"));
    // Revision 3: the summary says how well the team knew its customers, in words as the
    // report's knowledge figures have them; the next page is the mirror quadrant; every action
    // says what it did.
    assert!(contains(&pages[1], "Hoe goed kenden wij onze klanten?"));
    let k = &report["knowledge"];
    let pct = format!("{:.0} %", 100.0 * k["accuracy"].as_f64().unwrap());
    assert!(contains(&pages[1], &pct), "{pct} {}", pages[1]);
    assert!(
        contains(&pages[2], "Belang tegen klantoordeel"),
        "{}",
        pages[2]
    );
    assert!(contains(&pages[2], "Concentreer hier"), "{}", pages[2]);
    assert!(contains(&pages[11], "Effect:"), "{}", pages[11]);

    // The bundled font, subset and embedded, in its three faces.
    let fonts = embedded_fonts(&first.bytes);
    assert_eq!(fonts.len(), 3, "{fonts:?}");
    assert!(fonts.iter().all(|f| f.contains("+DejaVuSans")), "{fonts:?}");

    // The same bytes twice, and from the CLI.
    let second = app.download(path, Auth::Admin);
    assert!(first.bytes == second.bytes, "two downloads differ");
    let file = std::env::temp_dir().join(format!("ks-pack-{}.pdf", std::process::id()));
    let out = cli(
        &app,
        &[
            "pack",
            "--survey",
            "1",
            "--wave",
            "2",
            "--team",
            "1",
            "--out",
            file.to_str().unwrap(),
        ],
        None,
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout(&out).contains(file.to_str().unwrap()),
        "{}",
        stdout(&out)
    );
    let from_cli = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    assert!(
        from_cli == first.bytes,
        "the CLI's pack differs from the API's"
    );

    // The cover names the survey's organisation once it has one.
    let r = app.patch(
        "/api/v1/surveys/1",
        serde_json::json!({"organisation": "Gemeente Zuidstad"}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let cover = &pages_text(&app.download(path, Auth::Admin).bytes)[0];
    assert!(contains(cover, "Gemeente Zuidstad"), "{cover}");

    // English.
    let en = app.download(&format!("{path}&lang=en"), Auth::Admin);
    let en_pages = pages_text(&en.bytes);
    assert_eq!(en_pages.len(), 12);
    assert!(contains(&en_pages[1], "Summary"));
    assert!(contains(
        &en_pages[1],
        "How well did we know our customers?"
    ));
    assert!(contains(
        &en_pages[3],
        "Manage expectations, or improve the service?"
    ));
}

#[test]
fn a_team_lead_gets_their_team_and_the_organisation_but_403_for_another_team() {
    let app = spawn_app();
    load_demo(&app);
    let lead = app.login_session(
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let own = app.download(
        "/api/v1/surveys/1/workshop.pdf?wave_id=2&team_id=1",
        Auth::Session(&lead),
    );
    assert_eq!(own.status, 200);
    assert_eq!(pages_text(&own.bytes).len(), 12);
    let other = app.download(
        "/api/v1/surveys/1/workshop.pdf?wave_id=2&team_id=2",
        Auth::Session(&lead),
    );
    assert_eq!(other.status, 403);
    let body: Value = serde_json::from_slice(&other.bytes).unwrap();
    assert_eq!(body["error"]["code"], "forbidden", "{body}");
    let xlsx = app.download(
        "/api/v1/surveys/1/report.xlsx?wave_id=2&team_id=2",
        Auth::Session(&lead),
    );
    assert_eq!(xlsx.status, 403);
    // Without credentials: 401.
    let anonymous = app.get_public("/api/v1/surveys/1/workshop.pdf?wave_id=2", &[]);
    assert_eq!(anonymous.status, 401);
    // A wave of another survey, or no such survey: 404.
    assert_eq!(
        app.download("/api/v1/surveys/9/workshop.pdf", Auth::Admin)
            .status,
        404
    );
}

/// One survey with one open wave and six employees and six customers in team 1.
fn open_wave_with_answers(app: &TestApp) -> World {
    let w = world(app);
    let keys = [
        "customer_focus",
        "expertise",
        "flexibility",
        "keeping_agreements",
        "complaint_handling",
        "friendliness",
        "problem_resolution",
        "speed",
    ];
    let mut csv = format!("audience,team,{}\n", keys.join(","));
    for (i, audience) in ["employee", "customer"].iter().enumerate() {
        for r in 0..6 {
            let values: Vec<String> = (0..keys.len())
                .map(|k| (((r + k) % 3) + 6 - 2 * i).to_string())
                .collect();
            csv.push_str(&format!("{audience},Klantenservice,{}\n", values.join(",")));
        }
    }
    let r = app.post_raw(
        &format!("/api/v1/surveys/{}/import?wave_id={}", w.survey, w.wave),
        "text/csv",
        csv.as_bytes(),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    w
}

#[test]
fn while_a_wave_is_open_a_team_leads_pack_and_workbook_hold_counts_only() {
    let app = spawn_app();
    let w = open_wave_with_answers(&app);
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "lead@example.nl",
            "--role",
            "team_lead",
            "--team",
        ],
        None,
    );
    assert!(!out.status.success(), "--team needs a value");
    let team = w.teams[0].to_string();
    let out = cli(
        &app,
        &[
            "user",
            "add",
            "--email",
            "lead@example.nl",
            "--role",
            "team_lead",
            "--team",
            &team,
        ],
        Some("lange-wachtwoordzin\n"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lead = app.login_session("lead@example.nl", "lange-wachtwoordzin");
    let path = format!(
        "/api/v1/surveys/{}/workshop.pdf?wave_id={}&team_id={}",
        w.survey, w.wave, w.teams[0]
    );

    // The admin's interim pack shows the means (and says they are interim) ...
    let admin = pages_text(&app.download(&path, Auth::Admin).bytes);
    let report = app
        .get(&format!(
            "/api/v1/surveys/{}/comparison?wave_id={}&team_id={}",
            w.survey, w.wave, w.teams[0]
        ))
        .json();
    let d = &report["dimensions"][0];
    let mean = format!("{:.2}", d["customer"]["mean"].as_f64().unwrap()).replace('.', ",");
    assert!(contains(&admin[3], &mean), "{}", admin[3]);
    assert!(contains(&admin[0], "Tussenstand"));

    // ... the team lead's holds the counts, never a mean.
    let download = app.download(&path, Auth::Session(&lead));
    assert_eq!(download.status, 200);
    let pages = pages_text(&download.bytes);
    assert_eq!(pages.len(), 12);
    assert!(
        contains(&pages[0], "alleen het aantal antwoorden"),
        "{}",
        pages[0]
    );
    let all = pages.join("\n");
    for d in report["dimensions"].as_array().unwrap() {
        for g in ["employee", "customer"] {
            let m = format!("{:.2}", d[g]["mean"].as_f64().unwrap()).replace('.', ",");
            assert!(!contains(&all, &m), "the team lead's pack shows {m}");
        }
    }
    assert!(contains(&pages[3], "6"), "{}", pages[3]);

    // The workbook, too: counts as numbers, no means.
    let xlsx = app.download(
        &format!(
            "/api/v1/surveys/{}/report.xlsx?wave_id={}&team_id={}",
            w.survey, w.wave, w.teams[0]
        ),
        Auth::Session(&lead),
    );
    assert_eq!(xlsx.status, 200);
    let sheet = first_sheet(&xlsx.bytes);
    let col = |name: &str| column(&sheet, name);
    assert_eq!(sheet.len(), 9);
    for row in &sheet[1..] {
        assert_eq!(row[col("employee.n")], Cell::Number(6.0));
        assert_eq!(row[col("employee.mean")], Cell::Empty);
        assert_eq!(row[col("customer.mean")], Cell::Empty);
        assert_eq!(row[col("gap.value")], Cell::Empty);
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Cell {
    Empty,
    Number(f64),
    Text(String),
}

fn sheets(bytes: &[u8]) -> Vec<(String, Vec<Vec<Cell>>)> {
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let names = book.sheet_names().to_vec();
    names
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            let rows = range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|c| match c {
                            Data::Empty => Cell::Empty,
                            Data::Float(f) => Cell::Number(*f),
                            Data::Int(i) => Cell::Number(*i as f64),
                            Data::String(s) => Cell::Text(s.clone()),
                            Data::Bool(b) => Cell::Text(b.to_string()),
                            other => Cell::Text(other.to_string()),
                        })
                        .collect()
                })
                .collect();
            (name, rows)
        })
        .collect()
}

fn first_sheet(bytes: &[u8]) -> Vec<Vec<Cell>> {
    sheets(bytes).remove(0).1
}

/// The column of a JSON field (`customer.mean`): the sheet's headers are words in the reader's
/// language (Dutch here, the default).
fn column(sheet: &[Vec<Cell>], name: &str) -> usize {
    let words = klantspiegel::i18n::workbook::column(klantspiegel::i18n::Lang::Nl, name);
    sheet[0]
        .iter()
        .position(|c| *c == Cell::Text(words.clone()))
        .unwrap_or_else(|| panic!("no column {words} ({name}): {:?}", sheet[0]))
}

/// Every JSON field a comparison sheet has a column for.
fn json_fields() -> Vec<String> {
    let mut out = Vec::new();
    for b in ["employee", "predicted", "customer", "expected"] {
        for f in ["n", "dont_know", "mean", "sd"] {
            out.push(format!("{b}.{f}"));
        }
    }
    for b in ["gap", "prediction_gap"] {
        for f in [
            "value",
            "se",
            "df",
            "ci95_low",
            "ci95_high",
            "p_value",
            "p_adjusted",
            "hedges_g",
            "mdd",
        ] {
            out.push(format!("{b}.{f}"));
        }
    }
    for f in [
        "value",
        "ci95_low",
        "ci95_high",
        "p_value",
        "p_adjusted",
        "n",
        "pairs_left_out",
    ] {
        out.push(format!("expectation_gap.{f}"));
    }
    for f in [
        "value",
        "se",
        "df",
        "ci95_low",
        "ci95_high",
        "p_value",
        "teams_used",
        "teams_left_out",
        "composition_warning",
    ] {
        out.push(format!("stratified_gap.{f}"));
    }
    for f in ["value", "ci95_low", "ci95_high", "n"] {
        out.push(format!("importance.{f}"));
    }
    out
}

/// A verdict as the workbook says it (SPEC "Words for verdicts (revision 3)"), by hand.
fn verdict_words(d: &Value, alpha: f64) -> &'static str {
    match d["verdict"].as_str().unwrap() {
        "blind_spot" => "blinde vlek",
        "hidden_strength" => "verborgen kracht",
        "aligned" => "op één lijn",
        "insufficient_data" => "niet te vergelijken",
        _ if d["gap"]["p_adjusted"].as_f64().unwrap() < alpha => {
            if d["gap"]["value"].as_f64().unwrap() > 0.0 {
                "medewerkers hoger, omvang onzeker"
            } else {
                "medewerkers lager, omvang onzeker"
            }
        }
        _ => "nog onduidelijk",
    }
}

/// Compares a sheet with the JSON report: every number of every dimension, by column.
fn assert_sheet_matches(sheet: &[Vec<Cell>], report: &Value) {
    let dims = report["dimensions"].as_array().unwrap();
    let alpha = report["alpha"].as_f64().unwrap();
    assert_eq!(
        sheet.len(),
        dims.len() + 1,
        "a header and a row per dimension"
    );
    // No header is a JSON field name.
    for h in &sheet[0] {
        let Cell::Text(h) = h else { continue };
        assert!(!h.contains('_'), "a header like an API key: {h}");
    }
    let mut compared = 0;
    for (r, d) in dims.iter().enumerate() {
        let row = &sheet[r + 1];
        assert_eq!(
            row[column(sheet, "key")],
            Cell::Text(d["key"].as_str().unwrap().into())
        );
        assert_eq!(
            row[column(sheet, "verdict")],
            Cell::Text(verdict_words(d, alpha).into())
        );
        for name in json_fields() {
            let i = column(sheet, &name);
            let (block, field) = name.split_once('.').unwrap();
            let json = match field {
                "ci95_low" => &d[block]["ci95"][0],
                "ci95_high" => &d[block]["ci95"][1],
                f => &d[block][f],
            };
            match (json, &row[i]) {
                (Value::Number(n), Cell::Number(x)) => {
                    // Exact but for the last bit of a double (the XLSX holds decimal text).
                    let n = n.as_f64().unwrap();
                    assert!(
                        (n - x).abs() <= 1e-12 * n.abs().max(1.0),
                        "{name} of {}: {n} in JSON, {x} in the sheet",
                        d["key"]
                    );
                    compared += 1;
                }
                (Value::Null, Cell::Empty) => {}
                (Value::Bool(b), Cell::Text(t)) => {
                    assert_eq!(if *b { "ja" } else { "nee" }, t.as_str())
                }
                (j, c) => panic!("{name} of {}: JSON {j} but cell {c:?}", d["key"]),
            }
        }
    }
    assert!(
        compared >= dims.len() * 15,
        "only {compared} numbers compared"
    );
}

#[test]
fn the_workbook_holds_the_comparison_per_scope_with_the_json_reports_numbers() {
    let app = spawn_app();
    load_demo(&app);
    let d = app.download("/api/v1/surveys/1/report.xlsx?wave_id=2", Auth::Admin);
    assert_eq!(d.status, 200);
    assert_eq!(
        d.content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let book = sheets(&d.bytes);
    let names: Vec<&str> = book.iter().map(|(n, _)| n.as_str()).collect();
    // The organisation first, then every team by name, then the about sheet.
    assert_eq!(
        names,
        [
            "Hele organisatie",
            "Backoffice",
            "Buitendienst",
            "Klantenservice",
            "Klantkennis",
            "Acties",
            "Over dit rapport"
        ]
    );
    let org = app.get("/api/v1/surveys/1/comparison?wave_id=2").json();
    // Revision 3: the knowledge sheet holds each scope's knowledge figures as the JSON has
    // them (the organisation first), and in words.
    let knowledge = &book[4].1;
    assert_eq!(knowledge.len(), 1 + 4, "a header and a row per scope");
    assert_eq!(knowledge[1][0], Cell::Text("Hele organisatie".into()));
    for field in ["accuracy", "mae", "bias", "dimensions_used"] {
        let i = column(knowledge, &format!("knowledge.{field}"));
        match (&org["knowledge"][field], &knowledge[1][i]) {
            (Value::Number(n), Cell::Number(x)) => {
                assert!((n.as_f64().unwrap() - x).abs() < 1e-12, "{field}")
            }
            (Value::Null, Cell::Empty) => {}
            (j, c) => panic!("knowledge.{field}: {j} in JSON, {c:?} in the sheet"),
        }
    }
    let words = &knowledge[1][column(knowledge, "in_words")];
    let Cell::Text(words) = words else {
        panic!("{words:?}")
    };
    assert!(
        words.starts_with("Het team voorspelde")
            || words.starts_with("Te weinig aspecten")
            || words.starts_with("Hoe goed het team zijn klanten kent"),
        "{words}"
    );
    // The actions sheet: every action of the organisation with its effect in words.
    let actions = app.get("/api/v1/surveys/1/actions").json();
    let listed = &book[5].1;
    assert_eq!(listed.len(), 1 + actions.as_array().unwrap().len());
    let i = column(listed, "in_words");
    for row in &listed[1..] {
        assert!(
            matches!(&row[i], Cell::Text(t) if t.starts_with("kloof") || t.starts_with("geen") || t.starts_with("effect")),
            "{:?}",
            row[i]
        );
    }
    assert_sheet_matches(&book[0].1, &org);
    let teams = app.get("/api/v1/teams").json();
    for (name, sheet) in &book[1..4] {
        let team = teams
            .as_array()
            .unwrap()
            .iter()
            .find(|t| t["name"] == name.as_str())
            .unwrap();
        let report = app
            .get(&format!(
                "/api/v1/surveys/1/comparison?wave_id=2&team_id={}",
                team["id"]
            ))
            .json();
        assert_sheet_matches(sheet, &report);
    }
    // The about sheet: one row per scope with its respondents.
    let about = &book[6].1;
    let col = column(about, "respondents.customer");
    assert_eq!(
        about[1][col],
        Cell::Number(org["respondents"]["customer"].as_f64().unwrap())
    );

    // One team: its sheet first and only.
    let one = app.download(
        "/api/v1/surveys/1/report.xlsx?wave_id=2&team_id=2",
        Auth::Admin,
    );
    let book = sheets(&one.bytes);
    assert_eq!(book.len(), 4, "the team, knowledge, actions, about");
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=2")
        .json();
    assert_sheet_matches(&book[0].1, &report);

    // A team lead's organisation workbook: the organisation and their own team only.
    let lead = app.login_session(
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let mine = app.download(
        "/api/v1/surveys/1/report.xlsx?wave_id=2",
        Auth::Session(&lead),
    );
    assert_eq!(mine.status, 200);
    let names: Vec<String> = sheets(&mine.bytes).into_iter().map(|(n, _)| n).collect();
    assert_eq!(
        names,
        [
            "Hele organisatie",
            "Klantenservice",
            "Klantkennis",
            "Acties",
            "Over dit rapport"
        ]
    );
}

/// Issue 24: the team lead's workbook speaks the reader's language — headers in words, verdicts
/// in words with the gap, the materiality and the Holm-adjusted p.
#[test]
fn the_team_leads_workbook_has_headers_and_verdicts_in_words() {
    let app = spawn_app();
    load_demo(&app);
    let lead = app.login_session(
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
        .json();
    for (lang, headers, verdict, conclusion) in [
        (
            "nl",
            [
                "Prioriteit",
                "Sleutel",
                "Aspect",
                "Oordeel",
                "Wat dit betekent",
                "Medewerkers (eigen oordeel): aantal",
            ],
            "blinde vlek",
            "Medewerkers oordelen hoger dan klanten (+{gap}), een verschil van minstens de \
             drempel van 0,9: een blinde vlek. (p (Holm) {p})",
        ),
        (
            "en",
            [
                "Priority",
                "Key",
                "Dimension",
                "Verdict",
                "What this means",
                "Employees (own rating): count",
            ],
            "blind spot",
            "Employees rate higher than customers (+{gap}), a difference of at least the \
             threshold of 0.9: a blind spot. (p (Holm) {p})",
        ),
    ] {
        let d = app.download(
            &format!("/api/v1/surveys/1/report.xlsx?wave_id=2&team_id=1&lang={lang}"),
            Auth::Session(&lead),
        );
        assert_eq!(d.status, 200);
        let sheet = first_sheet(&d.bytes);
        let head: Vec<Cell> = headers.iter().map(|h| Cell::Text(h.to_string())).collect();
        assert_eq!(sheet[0][..6], head[..], "{lang}");
        let said = |h: &str| sheet[0].contains(&Cell::Text(h.into()));
        match lang {
            "nl" => {
                assert!(said("Klanten (oordeel): gemiddelde"));
                assert!(said("Verschil medewerkers − klanten: p (Holm)"));
                assert!(said("Verschil medewerkers − klanten: p (ongecorrigeerd)"));
            }
            _ => {
                assert!(said("Customers (rating): mean"));
                assert!(said("Gap employees − customers: p (Holm)"));
            }
        }
        // A blind spot of the report, in words.
        let (i, blind) = report["dimensions"]
            .as_array()
            .unwrap()
            .iter()
            .enumerate()
            .find(|(_, d)| d["verdict"] == "blind_spot")
            .unwrap();
        let gap = blind["gap"]["value"].as_f64().unwrap();
        let p = blind["gap"]["p_adjusted"].as_f64().unwrap();
        let sep = if lang == "nl" { "," } else { "." };
        let p = if p < 0.001 {
            format!("< 0{sep}001")
        } else {
            format!("= {p:.3}").replace('.', sep)
        };
        let expected = conclusion
            .replace("{gap}", &format!("{gap:.2}").replace('.', sep))
            .replace("{p}", &p);
        let row = &sheet[i + 1];
        assert_eq!(row[3], Cell::Text(verdict.into()));
        assert_eq!(row[4], Cell::Text(expected), "{lang}");
    }
}
