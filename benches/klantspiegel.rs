//! `cargo bench -p klantspiegel-bench`: the engine on a full survey's summaries, the report over 1 M ratings
//! (10 M with KLANTSPIEGEL_BENCH_10M=1) on SQLite (and PostgreSQL with KLANTSPIEGEL_TEST_PG),
//! from the summary tables and (at 1 M) by a full GROUP BY recount, every chart kind as SVG and PNG,
//! and the writer's database work per group of submissions.
//! The generated databases are kept in target/bench-data and reused.

use criterion::{criterion_group, criterion_main, Criterion};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use std::path::PathBuf;
use std::time::Duration;

use klantspiegel::app;
use klantspiegel::app::accounts::Principal;
use klantspiegel::app::disclosure::Reader;
use klantspiegel::app::reports::Source;
use klantspiegel::charts::{self, ChartData, ChartKind};
use klantspiegel::domain::submission::{Answer, RawSubmission};
use klantspiegel::domain::{Audience, RatingKind, Scope, SurveyId, TeamId};
use klantspiegel::engine;
use klantspiegel::i18n::Lang;
use klantspiegel::store::responses::NewResponse;
use klantspiegel::store::{self, DatabaseUrl};

fn bench_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/bench-data");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Fills a fresh database with `ratings` ratings (16 per response) over 3 teams and 2 waves.
/// Returns the survey id. Also writes the ratings as CSV (for the DuckDB ceiling) when asked.
fn fill(conn: &mut store::AnyConnection, ratings: usize, csv: Option<&PathBuf>) -> SurveyId {
    store::run_migrations(conn).unwrap();
    if let Some(s) = store::surveys::list(conn).unwrap().first() {
        return s.id;
    }
    let info = klantspiegel::demo::load(conn).unwrap();
    let dims = store::surveys::dimensions_of(conn, info.survey_id).unwrap();
    let responses = ratings / 16;
    let mut rng = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut writer = csv.map(|p| {
        let mut w = std::io::BufWriter::new(std::fs::File::create(p).unwrap());
        std::io::Write::write_all(&mut w, b"wave_id,team_id,dimension_id,kind,value\n").unwrap();
        w
    });
    let mut done = 0;
    while done < responses {
        let n = (responses - done).min(20_000);
        let mut items = Vec::with_capacity(n);
        for k in 0..n {
            let i = done + k;
            let customer = i % 3 != 0;
            let wave_id = info.wave_ids[i % 2];
            let team_id = TeamId(1 + (i % 3) as i64);
            let kinds = if customer {
                [RatingKind::Perceived, RatingKind::Expected]
            } else {
                [RatingKind::SelfRating, RatingKind::Predicted]
            };
            let mut values = Vec::with_capacity(16);
            for d in &dims {
                for kind in kinds {
                    let v = (next() % 10) as i32 + 1;
                    let value = (next() % 20 != 0).then_some(v);
                    if let Some(w) = writer.as_mut() {
                        let cell = value.map(|v| v.to_string()).unwrap_or_default();
                        std::io::Write::write_all(
                            w,
                            format!("{wave_id},{team_id},{},{kind},{cell}\n", d.id).as_bytes(),
                        )
                        .unwrap();
                    }
                    values.push(Answer {
                        dimension_id: d.id,
                        kind,
                        value,
                    });
                }
            }
            items.push((
                NewResponse {
                    survey_id: info.survey_id,
                    wave_id,
                    team_id,
                    audience: if customer {
                        Audience::Customer
                    } else {
                        Audience::Employee
                    },
                    submitted_at: store::now(),
                    nps: customer.then(|| (next() % 11) as i32),
                    comment: None,
                    respondent: None,
                },
                values,
            ));
        }
        store::write_tx(conn, |c| {
            store::responses::insert_batch(c, &items, 1, &mut |_| {})
        })
        .unwrap();
        done += n;
    }
    info.survey_id
}

fn sqlite_db(ratings: usize) -> (store::Pool, SurveyId) {
    let path = bench_dir().join(format!("report-{ratings}.db"));
    let csv = bench_dir().join(format!("ratings-{ratings}.csv"));
    let url = DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap();
    let pool = store::build_pool(&url, 2, store::POOL_WAIT).unwrap();
    let sid = fill(
        &mut pool.get().unwrap(),
        ratings,
        (!csv.exists()).then_some(&csv),
    );
    (pool, sid)
}

/// The report after one new response in the scope (the kept answers of the scope read before
/// are read on from the last id): an admin watching a wave fill. On a copy of the database, so
/// the kept one does not grow.
fn after_new_answers(
    group: &mut criterion::BenchmarkGroup<criterion::measurement::WallTime>,
    name: &str,
    sid: SurveyId,
) {
    let copy = bench_dir().join("report-copy.db");
    let _ = std::fs::remove_file(&copy);
    std::fs::copy(bench_dir().join("report-1000000.db"), &copy).unwrap();
    let url = DatabaseUrl::parse(&format!("sqlite://{}", copy.display())).unwrap();
    let pool = store::build_pool(&url, 2, store::POOL_WAIT).unwrap();
    let mut conn = pool.get().unwrap();
    let scope = Scope::new(sid, None, None);
    let dims = store::surveys::dimensions_of(&mut conn, sid).unwrap();
    let wave_id = store::surveys::waves_of(&mut conn, sid).unwrap()[0].id;
    let admin = Principal::admin_token();
    app::reports::comparison(&mut conn, &admin, scope, Lang::Nl).unwrap();
    let mut value = 0;
    group.bench_function(format!("{name}/summaries-after-one-new"), |b| {
        b.iter_batched(
            || {
                value = value % 10 + 1;
                let answers: Vec<Answer> = dims
                    .iter()
                    .map(|d| Answer {
                        dimension_id: d.id,
                        kind: RatingKind::Perceived,
                        value: Some(value),
                    })
                    .collect();
                let item = NewResponse {
                    survey_id: sid,
                    wave_id,
                    team_id: TeamId(1),
                    audience: Audience::Customer,
                    submitted_at: store::now(),
                    nps: Some(value),
                    comment: None,
                    respondent: None,
                };
                let mut writer = pool.get().unwrap();
                store::write_tx(&mut writer, |c| {
                    store::responses::insert_batch(c, &[(item, answers)], 1, &mut |_| {})
                })
                .unwrap();
            },
            |()| app::reports::comparison(&mut conn, &admin, scope, Lang::Nl).unwrap(),
            criterion::BatchSize::PerIteration,
        )
    });
}

fn pg_db(server: &str, ratings: usize) -> (store::Pool, SurveyId) {
    let name = format!("ks_bench_{ratings}");
    let mut admin = diesel::PgConnection::establish(server).unwrap();
    let _ = admin.batch_execute(&format!("CREATE DATABASE {name}"));
    let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(server);
    let url = DatabaseUrl::parse(&format!("{base}/{name}")).unwrap();
    let pool = store::build_pool(&url, 2, store::POOL_WAIT).unwrap();
    let sid = fill(&mut pool.get().unwrap(), ratings, None);
    (pool, sid)
}

fn report_benches(c: &mut Criterion) {
    let mut sizes = vec![1_000_000usize];
    if std::env::var("KLANTSPIEGEL_BENCH_10M").is_ok_and(|v| v == "1") {
        sizes.push(10_000_000);
    }
    let mut dbs: Vec<(String, store::Pool, SurveyId)> = Vec::new();
    for &n in &sizes {
        let (pool, sid) = sqlite_db(n);
        dbs.push((format!("sqlite/{}M", n / 1_000_000), pool, sid));
        if let Ok(server) = std::env::var("KLANTSPIEGEL_TEST_PG") {
            let (pool, sid) = pg_db(&server, n);
            dbs.push((format!("postgres/{}M", n / 1_000_000), pool, sid));
        }
    }
    let mut group = c.benchmark_group("report");
    group
        .sample_size(20)
        .measurement_time(Duration::from_secs(5));
    for (name, pool, sid) in &dbs {
        let mut conn = pool.get().unwrap();
        let scope = Scope::new(*sid, None, None);
        group.bench_function(format!("{name}/summaries"), |b| {
            let admin = Principal::admin_token();
            b.iter(|| app::reports::comparison(&mut conn, &admin, scope, Lang::Nl).unwrap())
        });
        // The same report when no answers are kept: it reads and unpacks every response of
        // the scope for the knowledge score's jackknife (the first report after a start, or
        // after the scope's responses changed).
        group.bench_function(format!("{name}/summaries-cold"), |b| {
            let admin = Principal::admin_token();
            b.iter(|| {
                app::reports::forget_kept_answers();
                app::reports::comparison(&mut conn, &admin, scope, Lang::Nl).unwrap()
            })
        });
        if name == "sqlite/1M" {
            after_new_answers(&mut group, name, *sid);
        }
        if name.contains("10M") {
            // The recount unpacks every answer (tens of seconds a sample at 10 M); it is the
            // proof's path, not the report's, and 1 M shows how it scales.
            continue;
        }
        let survey = store::surveys::find(&mut conn, *sid).unwrap().unwrap();
        let dims = store::surveys::dimensions_of(&mut conn, *sid).unwrap();
        group.bench_function(format!("{name}/full-recount"), |b| {
            b.iter(|| {
                let input = app::reports::report_input(
                    &mut conn,
                    &survey,
                    &dims,
                    scope,
                    Lang::Nl,
                    &Reader::admin(),
                    Source::Recount,
                )
                .unwrap();
                engine::compare(&input)
            })
        });
    }
    group.finish();
}

fn engine_bench(c: &mut Criterion) {
    let (pool, sid) = sqlite_db(1_000_000);
    let mut conn = pool.get().unwrap();
    let survey = store::surveys::find(&mut conn, sid).unwrap().unwrap();
    let dims = store::surveys::dimensions_of(&mut conn, sid).unwrap();
    let scope = Scope::new(sid, None, None);
    let mut input = app::reports::report_input(
        &mut conn,
        &survey,
        &dims,
        scope,
        Lang::Nl,
        &Reader::admin(),
        Source::Summaries,
    )
    .unwrap();
    // The figures computed, not the memo of an earlier report.
    input.knowledge_memo = None;
    c.bench_function(
        "engine/compare (8 dimensions, 1M ratings summarised)",
        |b| b.iter(|| engine::compare(&input)),
    );
}

/// The knowledge figures with their jackknife: 2 000 employees and 20 000 customers answering
/// all 8 dimensions (synthetic; O(respondents × dimensions)).
fn knowledge_bench(c: &mut Criterion) {
    use engine::{
        CustomerAnswer, CustomerAnswers, EmployeeAnswer, EmployeeAnswers, KnowledgeAnswers,
        KnowledgeDimension,
    };
    let dims = [KnowledgeDimension {
        in_d: true,
        self_shown: true,
    }; 8];
    let rating = |i: usize, k: usize, salt: usize| ((i * 7 + k * 3 + salt) % 10) as i32 + 1;
    let answers = KnowledgeAnswers {
        employees: (0..2_000)
            .map(|i| EmployeeAnswers {
                answers: (0..8)
                    .map(|k| EmployeeAnswer {
                        dimension: k,
                        self_rating: Some(rating(i, k, 1)),
                        predicted: Some(rating(i, k, 4)),
                    })
                    .collect(),
            })
            .collect(),
        customers: (0..20_000)
            .map(|i| CustomerAnswers {
                answers: (0..8)
                    .map(|k| CustomerAnswer {
                        dimension: k,
                        perceived: rating(i, k * k, 2),
                    })
                    .collect(),
            })
            .collect(),
    };
    c.bench_function(
        "engine/knowledge (8 dimensions, 2 000 employees, 20 000 customers, jackknife)",
        |b| b.iter(|| engine::knowledge(&dims, &answers, 9)),
    );
}

fn chart_benches(c: &mut Criterion) {
    let (pool, sid) = sqlite_db(1_000_000);
    let mut conn = pool.get().unwrap();
    let scope = Scope::new(sid, None, None);
    let admin = Principal::admin_token();
    let comparison = app::reports::comparison(&mut conn, &admin, scope, Lang::Nl).unwrap();
    let trend = app::reports::trend(&mut conn, &admin, sid, None, Lang::Nl).unwrap();
    let mut group = c.benchmark_group("charts");
    group.sample_size(20);
    for kind in ChartKind::ALL {
        let data = if kind.needs_trend() {
            ChartData::Trend(&trend)
        } else {
            ChartData::Comparison(&comparison)
        };
        group.bench_function(format!("{}/svg", kind.as_str()), |b| {
            b.iter(|| charts::render_svg(kind, data, Lang::Nl, charts::DEFAULT_SIZE).unwrap())
        });
        group.bench_function(format!("{}/png", kind.as_str()), |b| {
            b.iter(|| charts::render_png(kind, data, Lang::Nl, charts::DEFAULT_SIZE).unwrap())
        });
    }
    group.finish();
}

/// The writer's work for one group of 16 customer submissions (token lookup, validation,
/// token use, insert, summaries, commit with fsync) on a fresh database per backend. The HTTP
/// side is measured by `klantspiegel loadtest`; this isolates the database part.
fn ingest_benches(c: &mut Criterion) {
    const GROUP: usize = 16;
    let mut sinks: Vec<(String, klantspiegel::ingest::Sink, Vec<String>)> = Vec::new();
    let path = bench_dir().join("ingest.db");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let mut urls = vec![DatabaseUrl::parse(&format!("sqlite://{}", path.display())).unwrap()];
    if let Ok(server) = std::env::var("KLANTSPIEGEL_TEST_PG") {
        let mut admin = diesel::PgConnection::establish(&server).unwrap();
        let _ = admin.batch_execute("DROP DATABASE IF EXISTS ks_bench_ingest WITH (FORCE)");
        admin
            .batch_execute("CREATE DATABASE ks_bench_ingest")
            .unwrap();
        let base = server.rsplit_once('/').map(|(b, _)| b).unwrap_or(&server);
        urls.push(DatabaseUrl::parse(&format!("{base}/ks_bench_ingest")).unwrap());
    }
    for url in urls {
        let pool = store::build_pool(&url, 2, store::POOL_WAIT).unwrap();
        let mut conn = pool.get().unwrap();
        store::run_migrations(&mut conn).unwrap();
        let info = klantspiegel::demo::load(&mut conn).unwrap();
        // A wave of its own that is always open (the demo's waves close).
        let wave = store::surveys::create_wave(
            &mut conn,
            store::surveys::NewWave {
                survey_id: info.survey_id,
                name: "Bench".into(),
                opens_at: chrono::NaiveDate::from_ymd_opt(2020, 1, 1)
                    .unwrap()
                    .and_hms_opt(0, 0, 0)
                    .unwrap(),
                closes_at: None,
                created_at: store::now(),
            },
        )
        .unwrap();
        let tokens: Vec<String> = (0..GROUP).map(|i| format!("bench-token-{i}")).collect();
        let rows: Vec<store::invitations::NewInvitation> = tokens
            .iter()
            .map(|t| store::invitations::NewInvitation {
                survey_id: info.survey_id,
                wave_id: wave.id,
                team_id: TeamId(1),
                audience: Audience::Customer,
                token_hash: store::invitations::hash_token(t),
                max_uses: i32::MAX,
                uses: 0,
                expires_at: None,
                created_at: store::now(),
            })
            .collect();
        store::invitations::insert_many(&mut conn, &rows).unwrap();
        drop(conn);
        let name = match url.backend {
            store::Backend::Sqlite => "sqlite",
            store::Backend::Postgres => "postgres",
        };
        let sink = klantspiegel::ingest::Sink::open(pool, &url).unwrap();
        sinks.push((name.to_string(), sink, tokens));
    }
    let cache = store::cache::Cache::default();
    let mut group = c.benchmark_group("ingest");
    group.sample_size(20);
    group.throughput(criterion::Throughput::Elements(GROUP as u64));
    for (name, sink, tokens) in &mut sinks {
        let mut i = 0;
        group.bench_function(format!("{name}/group of {GROUP} submissions"), |b| {
            b.iter(|| {
                let jobs: Vec<(String, RawSubmission)> = tokens
                    .iter()
                    .map(|t| {
                        i += 1;
                        let body = klantspiegel::loadtest::submission(t, i);
                        let sub: RawSubmission = serde_json::from_str(&body).unwrap();
                        (t.clone(), sub)
                    })
                    .collect();
                let out = sink.store_group(&cache, &jobs).unwrap();
                assert!(out.iter().all(|r| r.is_ok()), "{:?}", out.first());
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    engine_bench,
    knowledge_bench,
    report_benches,
    chart_benches,
    ingest_benches
);
criterion_main!(benches);
