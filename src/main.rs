//! The `klantspiegel` command line.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

use klantspiegel::config::{self, Settings};
use klantspiegel::startup::Application;
use klantspiegel::store;

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
        #[command(flatten)]
        db: DbArg,
    },
    /// Apply pending migrations and exit.
    Migrate {
        #[command(flatten)]
        db: DbArg,
    },
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

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Serve { bind, demo, db } => {
            let settings = Settings::new(database(&db)?, Some(&bind));
            actix_web::rt::System::new().block_on(async move {
                let app = Application::build(settings).map_err(Failure::other)?;
                let _ = demo;
                eprintln!(
                    "Klantspiegel listening on http://{}",
                    bind_display(&bind, app.port())
                );
                app.run().await.map_err(Failure::other)
            })
        }
        Command::Migrate { db } => {
            let url = database(&db)?;
            let pool = store::build_pool(&url, 1).map_err(Failure::other)?;
            let mut conn = pool.get().map_err(Failure::other)?;
            let n = store::run_migrations(&mut conn).map_err(Failure::other)?;
            println!("{n} migration(s) applied");
            Ok(())
        }
    }
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
    klantspiegel::telemetry::init();
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
