//! The `klantspiegel` command line.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

use klantspiegel::app;
use klantspiegel::app::accounts::Principal;
use klantspiegel::config::{self, Settings};
use klantspiegel::domain::{Role, Scope, SurveyId, TeamId, WaveId};
use klantspiegel::error::AppError;
use klantspiegel::i18n::Lang;
use klantspiegel::report;
use klantspiegel::startup::Application;
use klantspiegel::store::{self, AnyConnection};

mod pack_command;

#[derive(Parser)]
#[command(
    name = "klantspiegel",
    version,
    about = "Klantspiegel: the customer mirror for service teams"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct DbArg {
    /// Database URL (sqlite://FILE or postgres://…); default: $DATABASE_URL, else sqlite://klantspiegel.db
    #[arg(long = "database", value_name = "URL", global = true)]
    database: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve HTTP.
    Serve {
        /// Address to listen on.
        #[arg(long, value_name = "ADDR", default_value = config::DEFAULT_BIND)]
        bind: String,
        /// Load the demo organisation first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// The address respondents reach this server at, e.g. https://enquete.example.nl:
        /// every invitation link starts with it (default: KLANTSPIEGEL_PUBLIC_URL; without
        /// either, links are relative: /r/TOKEN).
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        #[command(flatten)]
        db: DbArg,
    },
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
    /// Print the comparison report (of the latest wave unless --wave or --all-waves).
    Report {
        #[arg(long)]
        survey: SurveyId,
        /// The wave; default: the latest, as on the web report.
        #[arg(long, conflicts_with = "all_waves")]
        wave: Option<WaveId>,
        /// Pool all waves instead of showing the latest.
        #[arg(long)]
        all_waves: bool,
        #[arg(long)]
        team: Option<TeamId>,
        #[arg(long, value_enum, default_value = "table")]
        format: ReportFormat,
        /// Language of labels and verdicts.
        #[arg(long, value_enum, default_value = "nl")]
        lang: LangArg,
        #[command(flatten)]
        db: DbArg,
    },
    /// Import responses from a CSV file (all or nothing).
    Import {
        #[arg(long)]
        survey: SurveyId,
        #[arg(long)]
        wave: WaveId,
        /// The CSV file (SPEC's format).
        file: std::path::PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Render one chart as SVG or PNG (by the file's extension).
    Chart {
        #[arg(long)]
        survey: SurveyId,
        /// mirror, gaps, distribution, trend, expectations or quadrant
        #[arg(long)]
        kind: String,
        /// The wave; default: the latest, as on the web report (trend: always every wave).
        #[arg(long, conflicts_with = "all_waves")]
        wave: Option<WaveId>,
        /// Pool all waves instead of showing the latest.
        #[arg(long)]
        all_waves: bool,
        #[arg(long)]
        team: Option<TeamId>,
        #[arg(long, value_enum, default_value = "nl")]
        lang: LangArg,
        #[arg(long, default_value_t = 1280)]
        width: u32,
        #[arg(long, default_value_t = 720)]
        height: u32,
        #[arg(long, value_name = "FILE.svg|FILE.png")]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
    /// Write the workshop pack (PDF): cover, summary, a page per dimension, the actions.
    Pack(pack_command::PackArgs),
    /// Regenerate the chart gallery (every kind from the demo data) into a folder.
    Gallery {
        #[arg(long, default_value = "charts")]
        out: std::path::PathBuf,
    },
    /// Post N submissions over HTTP with C connections; print throughput and latency, and check
    /// that every acknowledged submission is stored. Needs KLANTSPIEGEL_ADMIN_TOKEN.
    Loadtest {
        /// The server, e.g. http://127.0.0.1:8080
        #[arg(long, default_value = "http://127.0.0.1:8080")]
        url: String,
        #[arg(long, default_value_t = 10_000)]
        submissions: usize,
        #[arg(long, default_value_t = 32)]
        concurrency: usize,
        /// Measure the ceiling instead: an in-process handler that parses the same JSON and stores nothing.
        #[arg(long)]
        bare: bool,
        /// A live workshop instead: N phones (200) guess eight dimensions (docs/performance.md);
        /// with --events-url the facilitator listens on that (second) instance.
        #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "200", conflicts_with = "bare")]
        live: Option<usize>,
        #[arg(long, requires = "live")]
        events_url: Option<String>,
    },
    /// Load the demo organisation into an empty database.
    Demo {
        #[command(flatten)]
        db: DbArg,
    },
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Export responses as CSV.
    Export {
        #[arg(long)]
        survey: SurveyId,
        #[arg(long)]
        wave: Option<WaveId>,
        #[arg(long, value_name = "FILE.csv")]
        out: std::path::PathBuf,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Create a user; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long, value_enum)]
        role: RoleArg,
        /// A team the team lead may see (repeatable).
        #[arg(long = "team")]
        teams: Vec<TeamId>,
        #[command(flatten)]
        db: DbArg,
    },
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    Admin,
    #[value(name = "team_lead")]
    TeamLead,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum ReportFormat {
    Table,
    Json,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum LangArg {
    Nl,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Nl => Lang::Nl,
            LangArg::En => Lang::En,
        }
    }
}

/// A failure with its exit code: 2 for bad usage or input, 1 for anything else.
struct Failure {
    code: u8,
    message: String,
}

impl Failure {
    fn usage(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
    fn other(e: impl std::fmt::Display) -> Failure {
        Failure {
            code: 1,
            message: e.to_string(),
        }
    }
}

fn database(db: &DbArg) -> Result<store::DatabaseUrl, Failure> {
    config::database_url(db.database.as_deref()).map_err(Failure::usage)
}

/// Opens the database and applies pending migrations.
fn open(db: &DbArg) -> Result<AnyConnection, Failure> {
    let mut conn = store::connect(&database(db)?).map_err(Failure::other)?;
    store::run_migrations(&mut conn).map_err(Failure::other)?;
    Ok(conn)
}

impl From<AppError> for Failure {
    fn from(e: AppError) -> Failure {
        match &e {
            AppError::ImportRejected { rows, .. } => {
                let mut text = e.message(Lang::En);
                for r in rows {
                    let col = r
                        .column
                        .as_deref()
                        .map(|c| format!(", column {c}"))
                        .unwrap_or_default();
                    text.push_str(&format!(
                        "\n  line {}{col}: {}",
                        r.line,
                        r.message(Lang::En)
                    ));
                }
                Failure::usage(text)
            }
            // Bad input (a 4xx): exit 2, naming the field where there is one.
            AppError::Refused { code, field } if (400..500).contains(&code.status()) => match field
            {
                Some(f) => Failure::usage(format!("{f}: {code}")),
                None => Failure::usage(code.to_string()),
            },
            AppError::Internal(inner) => Failure::other(format!("{inner:#}")),
            AppError::Refused { code, .. } => Failure::other(code.to_string()),
        }
    }
}

fn with_conn<T>(
    db: &DbArg,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, AppError>,
) -> Result<T, Failure> {
    let mut conn = open(db)?;
    f(&mut conn).map_err(Failure::from)
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve {
            bind,
            demo,
            public_url,
            db,
        } => {
            let settings = Settings::load(config::Flags {
                database: db.database.as_deref(),
                bind: Some(&bind),
                public_url: public_url.as_deref(),
            })
            .map_err(|problems| Failure::usage(problems.to_string()))?;
            let admin_token = settings.admin_token.is_some();
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).map_err(Failure::other)?;
                let base = format!("http://{}", bind_display(&bind, app.port()));
                if demo {
                    let mut conn = app.pool().get().map_err(Failure::other)?;
                    println!(
                        "{}",
                        klantspiegel::demo::start_message(&mut conn, &base, admin_token)?
                    );
                }
                // Ctrl-C is handled from here on, before the line that says so.
                let server = app.run_until_stopped().map_err(Failure::other)?;
                println!("Klantspiegel listening on {base}  (stop with Ctrl-C: requests in flight finish first)");
                server.await.map_err(Failure::other)
            })
        }
        Command::Migrate { db } => {
            let url = database(&db)?;
            let mut conn = store::connect(&url).map_err(Failure::other)?;
            let n = store::run_migrations(&mut conn).map_err(Failure::other)?;
            println!("{n} migration(s) applied");
            Ok(())
        }
        Command::Report {
            survey,
            wave,
            all_waves,
            team,
            format,
            lang,
            db,
        } => {
            let lang = Lang::from(lang);
            let report = with_conn(&db, |conn| {
                let scope =
                    Scope::new(survey, wave_or_latest(conn, survey, wave, all_waves)?, team);
                app::reports::comparison(conn, &Principal::admin_token(), scope, lang)
            })?;
            match format {
                ReportFormat::Json => println!(
                    "{}",
                    serde_json::to_string(&report).map_err(Failure::other)?
                ),
                ReportFormat::Table => print!("{}", report::table(&report, lang)),
            }
            Ok(())
        }
        Command::Import {
            survey,
            wave,
            file,
            db,
        } => {
            let data = std::fs::read(&file)
                .map_err(|e| Failure::usage(format!("cannot read {}: {e}", file.display())))?;
            let bar = indicatif::ProgressBar::new(0);
            bar.set_style(
                indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} responses")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            let outcome = with_conn(&db, |conn| {
                app::csv::import_csv(conn, survey, wave, &data, &mut |done, total| {
                    bar.set_length(total);
                    bar.set_position(done);
                })
            });
            bar.finish_and_clear();
            let outcome = outcome?;
            println!("{} response(s) imported", outcome.imported);
            if !outcome.duplicates.is_empty() {
                println!(
                    "{} duplicate respondent(s) skipped: {}",
                    outcome.duplicates.len(),
                    outcome.duplicates.join(", ")
                );
            }
            Ok(())
        }
        Command::Chart {
            survey,
            kind,
            wave,
            all_waves,
            team,
            lang,
            width,
            height,
            out,
            db,
        } => {
            let out_name = out.to_string_lossy().to_string();
            let format = app::charts::ChartFormat::from_path(&out_name).ok_or_else(|| {
                Failure::usage(format!(
                    "--out {out_name}: the file must end in .svg or .png"
                ))
            })?;
            let kind = klantspiegel::charts::ChartKind::parse(&kind).ok_or_else(|| {
                Failure::usage(format!(
                    "--kind {kind}: use mirror, gaps, distribution, trend, expectations or quadrant"
                ))
            })?;
            let bytes = with_conn(&db, |conn| {
                // The trend chart always shows every wave.
                let wave_id = if kind.needs_trend() {
                    wave
                } else {
                    wave_or_latest(conn, survey, wave, all_waves)?
                };
                let req = app::charts::ChartRequest {
                    scope: Scope::new(survey, wave_id, team),
                    kind,
                    lang: lang.into(),
                    size: (width, height),
                    format,
                    dimension: None,
                };
                app::charts::chart(conn, &Principal::admin_token(), req)
            })?;
            write_out(&out, &bytes)
        }
        Command::Pack(args) => pack_command::run(args),
        Command::Gallery { out } => {
            std::fs::create_dir_all(&out).map_err(Failure::other)?;
            let files = klantspiegel::gallery::render().map_err(Failure::other)?;
            for (name, bytes) in &files {
                std::fs::write(out.join(name), bytes).map_err(Failure::other)?;
            }
            println!("{} chart(s) written to {}", files.len(), out.display());
            Ok(())
        }
        Command::Loadtest {
            url,
            submissions,
            concurrency,
            bare,
            live,
            events_url,
        } => {
            if concurrency == 0 || submissions == 0 {
                return Err(Failure::usage(
                    "--submissions and --concurrency must be at least 1",
                ));
            }
            if bare {
                let out = klantspiegel::loadtest::run_bare(submissions, concurrency)
                    .map_err(Failure::other)?;
                println!(
                    "{}",
                    out.report("bare actix-web handler (parse JSON, store nothing)")
                );
                return Ok(());
            }
            let addr = url
                .strip_prefix("http://")
                .ok_or_else(|| {
                    Failure::usage(format!("--url {url}: only http:// URLs are supported"))
                })?
                .trim_end_matches('/')
                .to_string();
            if let Some(phones) = live {
                let out = klantspiegel::loadtest::live::command(&url, events_url, phones);
                return out.map(|r| println!("{r}")).map_err(Failure::other);
            }
            let opts = klantspiegel::loadtest::Options {
                addr,
                admin_token: config::client_admin_token(),
                submissions,
                concurrency,
            };
            let out = klantspiegel::loadtest::run(&opts).map_err(Failure::other)?;
            println!("{}", out.report("klantspiegel"));
            if out.stored != Some(out.acknowledged as u64) {
                return Err(Failure::other(
                    "the number stored differs from the number acknowledged",
                ));
            }
            Ok(())
        }
        Command::Demo { db } => {
            let info = with_conn(&db, klantspiegel::demo::load)?;
            println!("Demo loaded. After `klantspiegel serve` (same --database):");
            print!(
                "{}",
                klantspiegel::demo::banner(
                    &info,
                    &format!("http://{}", config::DEFAULT_BIND),
                    config::client_admin_token().is_some()
                )
            );
            Ok(())
        }
        Command::User {
            action:
                UserAction::Add {
                    email,
                    role,
                    teams,
                    db,
                },
        } => add_user(&email, role, &teams, &db),
        Command::Export {
            survey,
            wave,
            out,
            db,
        } => {
            let csv = with_conn(&db, |conn| app::csv::export_csv(conn, survey, wave))?;
            write_out(&out, csv.as_ref())
        }
    }
}

fn add_user(email: &str, role: RoleArg, teams: &[TeamId], db: &DbArg) -> Result<(), Failure> {
    use std::io::BufRead;
    let role = match role {
        RoleArg::Admin => Role::Admin,
        RoleArg::TeamLead => Role::TeamLead,
    };
    if role == Role::TeamLead && teams.is_empty() {
        return Err(Failure::usage("a team_lead needs at least one --team ID"));
    }
    let mut password = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut password)
        .map_err(|e| Failure::usage(format!("cannot read the password from stdin: {e}")))?;
    let password = password.trim_end_matches(['\r', '\n']).to_string();
    let user = with_conn(db, move |conn| {
        app::accounts::add_user(conn, email, role, teams, &password)
    })?;
    println!("user {} created ({})", user.email, user.role);
    Ok(())
}

/// The wave a report or chart shows: the one named, else the latest (as the web report does),
/// else, with `--all-waves`, every wave pooled. Says on stderr which wave it chose.
fn wave_or_latest(
    conn: &mut AnyConnection,
    survey: SurveyId,
    wave: Option<WaveId>,
    all_waves: bool,
) -> Result<Option<WaveId>, AppError> {
    if wave.is_some() || all_waves {
        return Ok(wave);
    }
    // The same default as the web report (the latest wave with answers).
    let latest = app::reports::default_wave(conn, &Principal::admin_token(), survey)?;
    if let Some(w) = latest.and_then(|id| store::surveys::find_wave(conn, id).ok().flatten()) {
        eprintln!(
            "wave {} ({}), the latest with answers; --wave ID for another, --all-waves for all",
            w.id, w.name
        );
    }
    Ok(latest)
}

/// Writes a command's output file and says so on stdout.
fn write_out(path: &std::path::Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes)
        .map_err(|e| Failure::other(format!("cannot write {}: {e}", path.display())))?;
    println!("wrote {} ({} bytes)", path.display(), bytes.len());
    Ok(())
}

fn bind_display(bind: &str, port: u16) -> String {
    let host = bind.rsplit_once(':').map(|(h, _)| h).unwrap_or(bind);
    let host = if host == "0.0.0.0" || host.is_empty() {
        "127.0.0.1"
    } else {
        host
    };
    format!("{host}:{port}")
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    // The server logs a line per request: batched off the HTTP workers. Dropped at the end of
    // main, the guard writes the last lines.
    let log = klantspiegel::telemetry::init(match cli.command {
        Command::Serve { .. } => klantspiegel::telemetry::Output::Batched,
        _ => klantspiegel::telemetry::Output::Direct,
    });
    let outcome = run(cli);
    drop(log);
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
