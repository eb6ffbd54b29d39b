//! Issue 17 over HTTP: the workshop gives nothing away before the reveal, keeps a slide
//! revealed when an action is recorded, offers no form a team lead cannot use; the action list
//! changes from the report page; charts and questionnaires say what they show.

use serde_json::Value;

use crate::helpers::*;

fn csrf_of(page: &str) -> String {
    let start = page.find("name=\"csrf\" value=\"").unwrap() + 19;
    page[start..].split('"').next().unwrap().to_string()
}

/// The HTML of one slide section.
fn slide(page: &str, n: usize) -> &str {
    let start = page
        .find(&format!("id=\"slide-{n}\""))
        .unwrap_or_else(|| panic!("no slide {n}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").unwrap()]
}

fn admin_session(app: &TestApp) -> String {
    app.login_session(
        klantspiegel::demo::ADMIN_EMAIL,
        klantspiegel::demo::ADMIN_PASSWORD,
    )
}

#[test]
fn before_the_reveal_the_customers_score_is_not_in_the_page_and_a_recorded_action_keeps_the_slide_revealed(
) {
    let app = spawn_app();
    load_demo(&app);
    let admin = admin_session(&app);
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
        .json();
    let base = "/surveys/1/workshop?wave_id=2&team_id=1";

    let page = app.get_with_session(base, &admin);
    assert_eq!(page.status, 200);
    assert!(
        !page.body.contains("customer-score"),
        "a score before the reveal"
    );
    assert!(
        !page.body.contains("Kloof gedicht?"),
        "a gap line before the reveal"
    );
    assert!(
        !page.body.contains("distribution.svg"),
        "a chart before the reveal"
    );

    // Slides follow the survey's order of dimensions (never priority, which would rank the
    // blind spots). Revealing slide 2 puts slide 2's answer, and only that, in the page.
    let survey = app.get("/api/v1/surveys/1").json();
    let key_at = |i: usize| survey["dimensions"][i]["key"].as_str().unwrap().to_string();
    let page = app.get_with_session(&format!("{base}&revealed=2"), &admin);
    assert_eq!(page.body.matches("class=\"big customer-score\"").count(), 1);
    let d = report["dimensions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["key"] == key_at(1).as_str())
        .unwrap();
    assert!(slide(&page.body, 2).contains(&format!("data-key=\"{}\"", key_at(1))));
    let mean = format!("{:.1}", d["customer"]["mean"].as_f64().unwrap()).replace('.', ",");
    assert!(
        slide(&page.body, 2).contains(&format!("customer-score\">{mean}<")),
        "{}",
        slide(&page.body, 2)
    );
    assert!(!slide(&page.body, 1).contains("customer-score"));
    // Numbers out of range or not numbers are ignored.
    let page = app.get_with_session(&format!("{base}&revealed=0,2,99,x"), &admin);
    assert_eq!(page.body.matches("class=\"big customer-score\"").count(), 1);
    // The print view shows the slides as they stand: nothing before a reveal, every slide
    // once all are revealed.
    let page = app.get_with_session(&format!("{base}&print=1"), &admin);
    assert_eq!(page.body.matches("class=\"big customer-score\"").count(), 0);
    assert!(page.body.contains("data-print-now"));
    let page = app.get_with_session(&format!("{base}&revealed=all&print=1"), &admin);
    assert_eq!(page.body.matches("class=\"big customer-score\"").count(), 8);

    // Recording an action on slide 3 with slides 1 and 3 revealed comes back to slide 3, both
    // still revealed, the confirmation inside slide 3's form.
    let page = app.get_with_session(&format!("{base}&revealed=1,3"), &admin);
    let key = key_at(2);
    let key = key.as_str();
    let r = app.post_form(
        "/surveys/1/workshop/actions?lang=nl",
        &[("Cookie", &format!("ks_session={admin}"))],
        &[
            ("csrf", &csrf_of(&page.body)),
            ("dimension_key", key),
            ("wave_id", "2"),
            ("team_id", "1"),
            ("slide", "3"),
            ("revealed", "1,3"),
            ("decision", "investigate"),
            ("description", "Navragen bij vijf klanten"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let location = r.header("location").unwrap().to_string();
    assert!(
        location.ends_with("&revealed=1,3&recorded=3#slide-3"),
        "{location}"
    );
    let back = app.get_with_session(location.split('#').next().unwrap(), &admin);
    let three = slide(&back.body, 3);
    assert!(three.contains("customer-score"));
    let form_at = three.find("class=\"action-form").unwrap();
    let notice_at = three.find("De actie is vastgelegd.").unwrap();
    assert!(notice_at > form_at, "the confirmation stands by the form");
    assert!(three.contains("data-focus"));
    assert!(slide(&back.body, 1).contains("customer-score"));
    assert!(!slide(&back.body, 2).contains("customer-score"));
    assert!(!slide(&back.body, 1).contains("De actie is vastgelegd."));
}

#[test]
fn a_team_lead_has_no_action_form_in_the_organisation_workshop_and_changes_only_their_actions() {
    let app = spawn_app();
    load_demo(&app);
    let lead = app.login_session(
        klantspiegel::demo::LEAD_EMAIL,
        klantspiegel::demo::LEAD_PASSWORD,
    );
    let org = app.get_with_session("/surveys/1/workshop?wave_id=2", &lead);
    assert_eq!(org.status, 200);
    assert!(
        !org.body.contains("class=\"action-form"),
        "a form the lead cannot use"
    );
    assert_eq!(
        org.body
            .matches("Acties voor de hele organisatie legt een beheerder vast")
            .count(),
        8
    );
    let team = app.get_with_session("/surveys/1/workshop?wave_id=2&team_id=1", &lead);
    assert_eq!(team.body.matches("class=\"action-form").count(), 8);

    // The report's action list: a form for each of the lead's team actions.
    let actions = app.get("/api/v1/surveys/1/actions").json();
    let all: Vec<&Value> = actions.as_array().unwrap().iter().collect();
    let own: Vec<&&Value> = all.iter().filter(|a| a["team_id"] == 1).collect();
    let report = app.get_with_session("/surveys/1?wave_id=2&team_id=1", &lead);
    assert_eq!(
        report.body.matches("class=\"action-edit\"").count(),
        own.len(),
        "forms for the lead's own actions only"
    );
    let id = own[0]["id"].as_i64().unwrap();
    let csrf = csrf_of(&report.body);
    let cookie = format!("ks_session={lead}");
    let r = app.post_form(
        &format!("/surveys/1/actions/{id}?lang=nl"),
        &[("Cookie", &cookie)],
        &[
            ("csrf", &csrf),
            ("status", "dropped"),
            (
                "description",
                "Niet meer nodig: opgelost door de nieuwe planner",
            ),
            ("owner", ""),
            ("due_date", ""),
            ("wave_id", "2"),
            ("team_id", "1"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(
        r.header("location"),
        Some(format!("/surveys/1?wave_id=2&team_id=1&lang=nl&updated={id}#action-{id}").as_str())
    );
    let after = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    let changed = after
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap();
    assert_eq!(changed["status"], "dropped");
    assert_eq!(
        changed["description"],
        "Niet meer nodig: opgelost door de nieuwe planner"
    );
    assert!(changed["owner"].is_null() && changed["due_date"].is_null());
    let page = app.get_with_session(
        &format!("/surveys/1?wave_id=2&team_id=1&updated={id}"),
        &lead,
    );
    assert!(page.body.contains("De actie is bijgewerkt."));

    // Without the form's CSRF token nothing changes; another team's action is refused.
    let r = app.post_form(
        &format!("/surveys/1/actions/{id}"),
        &[("Cookie", &cookie)],
        &[("csrf", "wrong"), ("status", "open")],
    );
    assert_eq!(r.status, 403);
    let other = all.iter().find(|a| a["team_id"] == 2).unwrap();
    let r = app.post_form(
        &format!("/surveys/1/actions/{}", other["id"]),
        &[("Cookie", &cookie)],
        &[("csrf", &csrf), ("status", "done")],
    );
    assert_eq!(r.status, 403);
    let still = app.get("/api/v1/surveys/1/actions?team_id=1").json();
    assert_eq!(
        still
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()["status"],
        "dropped"
    );
}

#[test]
fn charts_carry_a_title_and_description_in_the_pages_language_and_pages_say_them_in_words() {
    let app = spawn_app();
    load_demo(&app);
    let report = app
        .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1&lang=en")
        .json();
    for (lang, title) in [
        ("nl", "Spiegel: hoe zien medewerkers en klanten de service?"),
        (
            "en",
            "Mirror: how do employees and customers see the service?",
        ),
    ] {
        let svg = app
            .get(&format!(
                "/api/v1/surveys/1/charts/mirror.svg?wave_id=2&team_id=1&lang={lang}"
            ))
            .body;
        assert!(
            svg.contains(&format!("<title id=\"chart-title\">{title}</title>")),
            "{}",
            &svg[..400]
        );
        let desc = &svg[svg.find("<desc").unwrap()..svg.find("</desc>").unwrap()];
        let nl = app
            .get("/api/v1/surveys/1/comparison?wave_id=2&team_id=1")
            .json();
        let labels = if lang == "en" { &report } else { &nl };
        for d in labels["dimensions"].as_array().unwrap() {
            assert!(desc.contains(d["label"].as_str().unwrap()), "{desc}");
        }
    }
    // The report page: every chart has a text alternative in words.
    let admin = admin_session(&app);
    let page = app.get_with_session("/surveys/1?wave_id=2&team_id=1&lang=en", &admin);
    assert_eq!(page.body.matches("<figure class=\"chart\"").count(), 6);
    assert_eq!(page.body.matches("This chart in words").count(), 6);
    assert!(page
        .body
        .contains("alt=\"Mirror: how do employees and customers see the service?\""));
    let first = &report["dimensions"][0];
    assert!(page
        .body
        .contains(&format!("1. {}: ", first["label"].as_str().unwrap())));
    // Every printed page names survey, team and wave: an @page margin box from a print style
    // sheet the page links with its own text.
    let link = "<link rel=\"stylesheet\" media=\"print\" href=\"/static/print-header.css?text=\
                Klantspiegel%202026%20%C2%B7%20Klantenservice%20%C2%B7%20Najaar%202026\">";
    assert!(page.body.contains(link), "{}", &page.body[..800]);
    let css = app.get_public(
        "/static/print-header.css?text=Klantspiegel%202026%20%C2%B7%20Klantenservice%20%C2%B7%20Najaar%202026",
        &[],
    );
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(css.body.starts_with(
        "@page { @top-left { content: \"Klantspiegel 2026 · Klantenservice · Najaar 2026\";"
    ));
}

#[test]
fn each_questionnaire_fieldset_names_its_dimension_and_statement() {
    let app = spawn_app();
    let w = world(&app);
    let token = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 1)
        .remove(0);
    let page = app.get_public(&format!("/r/{token}"), &[]);
    let survey = app.get(&format!("/api/v1/surveys/{}", w.survey)).json();
    let legends: Vec<&str> = page
        .body
        .split("<legend>")
        .skip(1)
        .map(|s| &s[..s.find("</legend>").unwrap()])
        .collect();
    let dims = survey["dimensions"].as_array().unwrap();
    for d in dims {
        let label = d["label_nl"].as_str().unwrap();
        let statement = d["customer_statement_nl"].as_str().unwrap();
        let named = legends
            .iter()
            .filter(|l| l.contains(label) && l.contains(statement))
            .count();
        assert!(named >= 1, "no legend names {label}: {legends:?}");
    }
}
