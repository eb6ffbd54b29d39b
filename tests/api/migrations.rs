//! Upgrading a database that holds data: a database at migration 1 with responses stored the
//! old way (one `ratings` row per answer) reaches the current schema with every answer packed
//! into its response in the order given, the summaries filled, and reports equal to a recount.

use diesel::connection::SimpleConnection;
use diesel_migrations::MigrationHarness;

use crate::helpers::{drop_database, fresh_database};
use klantspiegel::domain::{SurveyId, WaveId};
use klantspiegel::i18n::Lang;
use klantspiegel::store::{self, AnyConnection, DatabaseUrl};

const OLD_DATA: &str = "
INSERT INTO teams (id, name, created_at) VALUES (1, 'Balie', '2026-01-01 00:00:00');
INSERT INTO surveys (id, title, template, scale_min, scale_max, min_group_size, alpha, materiality,
    ask_predicted, ask_expected, ask_importance, ask_nps, created_at)
    VALUES (1, 'Oud', NULL, 1, 5, 1, 0.05, 0.5, TRUE, TRUE, FALSE, TRUE, '2026-01-01 00:00:00');
INSERT INTO dimensions (id, survey_id, key, label_nl, label_en, employee_statement_nl,
    employee_statement_en, customer_statement_nl, customer_statement_en, category, position)
    VALUES (1, 1, 'a', 'A', 'A', 'a', 'a', 'a', 'a', 'functional', 0),
           (2, 1, 'b', 'B', 'B', 'b', 'b', 'b', 'b', 'emotional', 1);
INSERT INTO waves (id, survey_id, name, opens_at, closes_at, created_at)
    VALUES (1, 1, 'W1', '2026-01-01 00:00:00', NULL, '2026-01-01 00:00:00');
INSERT INTO responses (id, survey_id, wave_id, team_id, audience, submitted_at, nps, comment, respondent)
    VALUES (1, 1, 1, 1, 'customer', '2026-01-02 00:00:00', 9, NULL, 'k1'),
           (2, 1, 1, 1, 'customer', '2026-01-02 00:00:00', NULL, NULL, 'k2'),
           (3, 1, 1, 1, 'employee', '2026-01-02 00:00:00', NULL, NULL, NULL),
           (4, 1, 1, 1, 'customer', '2026-01-02 00:00:00', 3, NULL, 'k4');
INSERT INTO ratings (id, response_id, survey_id, wave_id, team_id, dimension_id, kind, value) VALUES
    (1, 1, 1, 1, 1, 2, 'perceived', 4),
    (2, 1, 1, 1, 1, 2, 'expected', 5),
    (3, 1, 1, 1, 1, 1, 'perceived', 2),
    (4, 1, 1, 1, 1, 1, 'expected', NULL),
    (5, 2, 1, 1, 1, 1, 'perceived', 5),
    (6, 2, 1, 1, 1, 1, 'expected', 3),
    (7, 3, 1, 1, 1, 1, 'self', 4),
    (8, 3, 1, 1, 1, 1, 'predicted', 3),
    (9, 3, 1, 1, 1, 2, 'self', NULL);
";

#[test]
fn upgrading_packs_old_rating_rows_into_their_responses() {
    let (url, pg) = fresh_database();
    let manager = store::ConnectionManager::new(DatabaseUrl::parse(&url).unwrap());
    let mut conn = manager.connect().unwrap();
    match &mut conn {
        AnyConnection::Sqlite(c) => {
            c.run_next_migration(store::SQLITE_MIGRATIONS).unwrap();
        }
        AnyConnection::Postgresql(c) => {
            c.run_next_migration(store::POSTGRES_MIGRATIONS).unwrap();
        }
    }
    conn.batch_execute(OLD_DATA).unwrap();
    // Every migration after the first one applies.
    let later = {
        use diesel::migration::MigrationSource;
        match &conn {
            AnyConnection::Sqlite(_) => {
                MigrationSource::<diesel::sqlite::Sqlite>::migrations(&store::SQLITE_MIGRATIONS)
                    .unwrap()
                    .len()
            }
            AnyConnection::Postgresql(_) => {
                MigrationSource::<diesel::pg::Pg>::migrations(&store::POSTGRES_MIGRATIONS)
                    .unwrap()
                    .len()
            }
        }
    } - 1;
    assert!(later >= 6, "{later}");
    assert_eq!(store::run_migrations(&mut conn).unwrap(), later);

    let (responses, ratings) =
        store::responses::load_for_export(&mut conn, SurveyId(1), None).unwrap();
    assert_eq!(responses.len(), 4);
    let triples: Vec<(i64, i64, &str, Option<i32>)> = ratings
        .iter()
        .map(|r| {
            (
                r.response_id.get(),
                r.dimension_id.get(),
                r.kind.as_str(),
                r.value,
            )
        })
        .collect();
    assert_eq!(
        triples,
        vec![
            (1, 2, "perceived", Some(4)),
            (1, 2, "expected", Some(5)),
            (1, 1, "perceived", Some(2)),
            (1, 1, "expected", None),
            (2, 1, "perceived", Some(5)),
            (2, 1, "expected", Some(3)),
            (3, 1, "self", Some(4)),
            (3, 1, "predicted", Some(3)),
            (3, 2, "self", None),
        ]
    );
    // A response without answers packs to an empty list.
    assert_eq!(responses[3].answers, "[]");
    // The view unpacks the same rows.
    let rows: Vec<(i64, i64, String, Option<i32>)> = {
        use diesel::prelude::*;
        use store::schema::ratings::dsl as r;
        r::ratings
            .select((r::response_id, r::dimension_id, r::kind, r::value))
            .order((r::response_id, r::position))
            .load(&mut conn)
            .unwrap()
    };
    assert_eq!(rows.len(), 9);
    assert_eq!(rows[3], (1, 1, "expected".to_string(), None));

    let survey = store::surveys::find(&mut conn, SurveyId(1))
        .unwrap()
        .unwrap();
    let dims = store::surveys::dimensions_of(&mut conn, SurveyId(1)).unwrap();
    let scope = klantspiegel::domain::Scope::new(SurveyId(1), Some(WaveId(1)), None);
    let admin = klantspiegel::app::disclosure::Reader::admin();
    let input = |conn: &mut klantspiegel::store::AnyConnection, source| {
        klantspiegel::app::reports::report_input(
            conn,
            &survey,
            &dims,
            scope,
            Lang::Nl,
            &admin,
            source,
        )
        .unwrap()
    };
    let fast = input(&mut conn, klantspiegel::app::reports::Source::Summaries);
    let slow = input(&mut conn, klantspiegel::app::reports::Source::Recount);
    assert_eq!(fast, slow);
    // By hand: dimension a has one complete perceived/expected pair (5 - 3 = 2).
    let a = &fast.dimensions[0];
    assert_eq!((a.paired.n, a.paired.sum, a.paired.sum_sq), (1, 2, 4));
    assert_eq!(a.customer.n(), 2);
    assert_eq!(
        a.expected.as_ref().map(|h| (h.n(), h.dont_know)),
        Some((1, 1))
    );
    assert_eq!(
        (fast.respondents.customer, fast.respondents.employee),
        (3, 1)
    );
    // (Raw rows, past the summaries: only after the report checks.) The external respondent id stays unique per wave; web submissions (no id) do not collide.
    let dup = conn.batch_execute(
        "INSERT INTO responses (id, survey_id, wave_id, team_id, audience, submitted_at, respondent) \
         VALUES (10, 1, 1, 1, 'customer', '2026-01-03 00:00:00', 'k1')",
    );
    assert!(dup.is_err(), "a second k1 in wave 1 was stored");
    conn.batch_execute(
        "INSERT INTO responses (id, survey_id, wave_id, team_id, audience, submitted_at) \
         VALUES (11, 1, 1, 1, 'customer', '2026-01-03 00:00:00'), \
                (12, 1, 1, 1, 'customer', '2026-01-03 00:00:00')",
    )
    .unwrap();
    assert_eq!(store::responses::count_all(&mut conn).unwrap(), 6);
    drop(conn);
    drop_database(&url, pg);
}

/// Migration 000013: a survey's own mail template from before served both audiences; after the
/// upgrade it is the template of each, and the defaults still apply where none was set.
#[test]
fn a_mail_template_from_before_becomes_the_template_of_both_audiences() {
    use diesel::migration::{Migration, MigrationSource};
    let (url, pg) = fresh_database();
    let manager = store::ConnectionManager::new(DatabaseUrl::parse(&url).unwrap());
    let mut conn = manager.connect().unwrap();
    let mine = |name: String| name.starts_with("2026-11-22-000013");
    // Every migration before the audience column.
    loop {
        let next = match &mut conn {
            AnyConnection::Sqlite(c) => {
                let mut all = MigrationSource::<diesel::sqlite::Sqlite>::migrations(
                    &store::SQLITE_MIGRATIONS,
                )
                .unwrap();
                let done = c.applied_migrations().unwrap();
                all.retain(|m| !done.contains(&m.name().version().as_owned()));
                all.sort_by_key(|m| m.name().version().as_owned());
                let name = all[0].name().to_string();
                if mine(name) {
                    break;
                }
                c.run_next_migration(store::SQLITE_MIGRATIONS).map(|_| ())
            }
            AnyConnection::Postgresql(c) => {
                let mut all =
                    MigrationSource::<diesel::pg::Pg>::migrations(&store::POSTGRES_MIGRATIONS)
                        .unwrap();
                let done = c.applied_migrations().unwrap();
                all.retain(|m| !done.contains(&m.name().version().as_owned()));
                all.sort_by_key(|m| m.name().version().as_owned());
                let name = all[0].name().to_string();
                if mine(name) {
                    break;
                }
                c.run_next_migration(store::POSTGRES_MIGRATIONS).map(|_| ())
            }
        };
        next.unwrap();
    }
    conn.batch_execute(
        "INSERT INTO surveys (id, title, template, scale_min, scale_max, min_group_size, alpha,
             materiality, ask_predicted, ask_expected, ask_importance, ask_nps, created_at)
             VALUES (1, 'Oud', NULL, 1, 5, 5, 0.05, 0.5, TRUE, TRUE, FALSE, TRUE,
             '2026-01-01 00:00:00');
         INSERT INTO mail_templates (survey_id, lang, subject, body, updated_at)
             VALUES (1, 'nl', 'Eigen onderwerp', 'Eigen tekst {link}', '2026-01-01 00:00:00');",
    )
    .unwrap();
    store::run_migrations(&mut conn).unwrap();
    let mut rows = store::mailings::templates_of(&mut conn, SurveyId(1)).unwrap();
    rows.sort_by_key(|t| t.audience.as_str());
    let got: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|t| (t.lang.as_str(), t.audience.as_str(), t.subject.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            ("nl", "customer", "Eigen onderwerp"),
            ("nl", "employee", "Eigen onderwerp")
        ]
    );
    let views = klantspiegel::app::mailings::templates(&mut conn, SurveyId(1)).unwrap();
    let custom: Vec<bool> = views.iter().map(|v| v.custom).collect();
    assert_eq!(custom, [true, true, false, false]);
    drop(conn);
    drop_database(&url, pg);
}
