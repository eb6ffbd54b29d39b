//! Property-based fuzzing of the two parsers that take hostile input: the CSV importer and the
//! submission validator. Bounded case counts, so this runs in every `cargo test` (and in CI).

use proptest::prelude::*;
use serde_json::{json, Value};

use klantspiegel::csvio::{self, ImportContext};
use klantspiegel::domain::submission::{RawSubmission, Rules};
use klantspiegel::domain::{Audience, DimensionId, SurveyId, TeamId};
use klantspiegel::store::surveys::{Dimension, Survey};
use klantspiegel::store::teams::Team;

use crate::helpers::*;

fn survey() -> Survey {
    Survey {
        id: SurveyId(1),
        title: "t".into(),
        template: None,
        scale_min: 1,
        scale_max: 10,
        min_group_size: 5,
        alpha: 0.05,
        materiality: 0.45,
        ask_predicted: true,
        ask_expected: true,
        ask_importance: false,
        ask_nps: true,
        created_at: chrono::NaiveDateTime::default(),
        texts: Default::default(),
        comment_min_group_size: 10,
        revision: 0,
    }
}

fn dims() -> Vec<Dimension> {
    ["speed", "expertise"]
        .iter()
        .enumerate()
        .map(|(i, k)| Dimension {
            id: DimensionId(i as i64 + 1),
            survey_id: SurveyId(1),
            key: k.to_string(),
            label_nl: k.to_string(),
            label_en: k.to_string(),
            employee_statement_nl: String::new(),
            employee_statement_en: String::new(),
            customer_statement_nl: String::new(),
            customer_statement_en: String::new(),
            category: klantspiegel::domain::CategoryKind::Functional,
            position: i as i32 + 1,
        })
        .collect()
}

fn teams() -> Vec<Team> {
    vec![Team {
        id: TeamId(1),
        name: "Klantenservice".into(),
        created_at: chrono::NaiveDateTime::default(),
    }]
}

fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("dk".to_string()),
        Just("n.v.t.".to_string()),
        (-3i64..14).prop_map(|v| v.to_string()),
        "[=+@\"',;\\n a-z0-9éë<>-]{0,12}",
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (-1e6f64..1e6).prop_map(Value::from),
        "[a-z_.<>\"]{0,10}".prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, .. ProptestConfig::default() })]

    /// Arbitrary bytes never panic the importer; they parse or name their problems by line.
    #[test]
    fn csv_importer_never_panics_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let (s, d, t) = (survey(), dims(), teams());
        let ctx = ImportContext { survey: &s, dimensions: &d, teams: &t };
        if let Err(rows) = csvio::parse(&bytes, &ctx) {
            prop_assert!(!rows.is_empty());
            prop_assert!(rows.iter().all(|r| r.line >= 1 && !r.message(klantspiegel::i18n::Lang::Nl).is_empty()));
        }
    }

    /// CSV-shaped input with hostile cells: either every row is valid or errors name line and column.
    #[test]
    fn csv_importer_validates_every_cell(rows in prop::collection::vec((prop_oneof![Just("employee"), Just("customer"), Just("klant")], prop_oneof![Just("Klantenservice"), Just("Onbekend")], cell(), cell(), cell()), 0..8)) {
        let mut text = String::from("audience,team,nps,speed,speed.expected\n");
        for (a, t, n, s1, s2) in &rows {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.write_record([*a, *t, n.as_str(), s1.as_str(), s2.as_str()]).unwrap();
            text.push_str(&String::from_utf8(w.into_inner().unwrap()).unwrap());
        }
        let (s, d, t) = (survey(), dims(), teams());
        let ctx = ImportContext { survey: &s, dimensions: &d, teams: &t };
        match csvio::parse(text.as_bytes(), &ctx) {
            Ok(parsed) => {
                for p in parsed {
                    prop_assert!(p.ratings.iter().all(|r| r.value.is_none_or(|v| (1..=10).contains(&v))));
                }
            }
            Err(errs) => prop_assert!(errs.iter().all(|e| e.line >= 2)),
        }
    }

    /// The submission validator accepts only well-formed ratings, never panics.
    #[test]
    fn submission_validator_never_panics(ratings in json_value(), nps in json_value(), employee in any::<bool>()) {
        let sub: Result<RawSubmission, _> = serde_json::from_value(json!({"ratings": ratings, "nps": nps}));
        if let Ok(sub) = sub {
            let audience = if employee { Audience::Employee } else { Audience::Customer };
            let (s, d) = (survey(), dims());
            let rules = Rules {
                audience,
                scale: s.scale(),
                asks: &|kind| s.asks(kind),
                dimension: &|key: &str| d.iter().find(|x| x.key == key).map(|x| x.id),
            };
            if let Ok(v) = sub.validate(&rules) {
                prop_assert!(!v.answers.is_empty());
                prop_assert!(v.answers.iter().all(|r| r.value.is_none_or(|x| (1..=10).contains(&x))));
                prop_assert!(v.nps.is_none_or(|n| (0..=10).contains(&n)));
            }
        }
    }
}

/// Random bodies over HTTP: never a 5xx, and nothing stored that was not acknowledged with
/// 201 (the single-use token allows at most one).
#[test]
fn hostile_submission_bodies_never_cause_5xx() {
    let app = spawn_app();
    let w = world(&app);
    let t = app
        .invite(w.survey, w.wave, w.teams[0], "customer", 1, 1)
        .remove(0);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
        cases: 64,
        ..ProptestConfig::default()
    });
    let created = std::cell::Cell::new(0usize);
    runner
        .run(&(json_value(), json_value()), |(ratings, nps)| {
            let body = json!({"token": t, "ratings": ratings, "nps": nps, "comment": "x"});
            let r = app.post_public("/api/v1/responses", body);
            prop_assert!(r.status < 500, "{}: {}", r.status, r.body);
            if r.status == 201 {
                created.set(created.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    assert!(
        created.get() <= 1,
        "a single-use token was used {} times",
        created.get()
    );
    assert_eq!(app.count("responses"), created.get() as i64);
    assert_eq!(app.count("response_counts"), created.get() as i64);
    let r = app.post_raw("/api/v1/responses", "application/json", b"\xff\xfe{]");
    assert!(r.status == 400, "{}", r.status);
}
