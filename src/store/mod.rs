//! Persistence: one connection type over SQLite and PostgreSQL, an r2d2 pool, embedded
//! migrations, and one file per aggregate. Store functions take `&mut AnyConnection` so
//! they compose inside one transaction.
//!
//! Lookups by a unique key use `get_result`, not `first`: diesel's `first` adds a `LIMIT` that
//! SQLite prepares anew on every call (18 µs instead of 3 µs for the token lookup).

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::r2d2;
use diesel_migrations::{embed_migrations, EmbeddedMigrations, MigrationHarness};
use std::time::Duration;

pub mod actions;
pub mod audit;
pub mod cache;
pub mod health;
pub mod history;
pub mod invitations;
pub mod live;
pub mod mailings;
pub mod oidc;
pub mod packed;
pub mod recount;
pub mod responses;
pub mod schema;
pub mod sessions;
pub mod sql_types;
pub mod summaries;
pub mod surveys;
pub mod teams;
pub mod users;

/// Declares a table's row and the row that inserts one from one list of fields: `..` in the
/// row stands for the inserted row's fields, between what the row adds before them (its id)
/// and after them (what the database fills in).
macro_rules! row_and_new {
    (
        $(#[$row_attr:meta])*
        pub struct $row:ident {
            $($(#[$pre_attr:meta])* pub $pre:ident: $pre_ty:ty,)*
            ..
            $(, $(#[$post_attr:meta])* pub $post:ident: $post_ty:ty)* $(,)?
        }
        $(#[$new_attr:meta])*
        pub struct $new:ident {
            $($(#[$attr:meta])* pub $field:ident: $ty:ty,)*
        }
    ) => {
        $(#[$row_attr])*
        pub struct $row {
            $($(#[$pre_attr])* pub $pre: $pre_ty,)*
            $($(#[$attr])* pub $field: $ty,)*
            $($(#[$post_attr])* pub $post: $post_ty,)*
        }

        $(#[$new_attr])*
        pub struct $new {
            $($(#[$attr])* pub $field: $ty,)*
        }
    };
}
pub(crate) use row_and_new;

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

/// One connection type for both backends. SQLite is last: it accepts any string as a path.
#[derive(diesel::MultiConnection)]
pub enum AnyConnection {
    Postgresql(diesel::PgConnection),
    Sqlite(diesel::SqliteConnection),
}

/// How long a pooled SQLite connection waits for another writer's lock (the CLI's imports and
/// the pages' writes; the submission writer waits less, see `ingest`).
pub const SQLITE_BUSY_TIMEOUT: &str = "PRAGMA busy_timeout = 10000";
/// How much of a SQLite file is read through a memory map (the rest by read calls).
const SQLITE_MMAP_BYTES: u64 = 256 << 20;
/// How long a request waits for a pooled connection before it is answered 503, unless
/// `KLANTSPIEGEL_POOL_WAIT_MS` says otherwise: when the database server is down, r2d2 keeps
/// trying to connect until this passes.
pub const POOL_WAIT: Duration = Duration::from_millis(1500);
/// How long libpq tries to reach the server (added to PostgreSQL URLs that do not set it).
const PG_CONNECT_TIMEOUT_SECS: u32 = 2;

pub type Pool = r2d2::Pool<ConnectionManager>;
pub type PooledConn = r2d2::PooledConnection<ConnectionManager>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Where the database lives, parsed from a URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    pub backend: Backend,
    /// The string handed to the driver: a file path for SQLite, the URL for PostgreSQL.
    pub target: String,
}

impl DatabaseUrl {
    /// `postgres://…` / `postgresql://…` selects PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or
    /// a bare path selects an SQLite file.
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("the database URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DatabaseUrl {
                backend: Backend::Postgres,
                target: url.to_string(),
            });
        }
        let path = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
            .unwrap_or(url);
        if path.is_empty() {
            return Err(format!("the SQLite URL '{url}' names no file"));
        }
        if path.contains("://") {
            return Err(format!(
                "unsupported database URL '{url}': use sqlite://FILE or postgres://…"
            ));
        }
        Ok(DatabaseUrl {
            backend: Backend::Sqlite,
            target: path.to_string(),
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot connect to the database: {0}")]
    Connection(#[from] diesel::ConnectionError),
    #[error("cannot set up the SQLite connection: {0}")]
    Setup(#[from] diesel::result::Error),
}

/// Picks the backend from the URL scheme, so the real connection error is kept and a
/// failing connection fails fast (MultiConnection's own `establish` hides it).
#[derive(Debug, Clone)]
pub struct ConnectionManager {
    url: DatabaseUrl,
}

impl ConnectionManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnectionManager { url }
    }

    pub fn connect(&self) -> Result<AnyConnection, ConnectError> {
        match self.url.backend {
            Backend::Postgres => Ok(AnyConnection::Postgresql(diesel::PgConnection::establish(
                &with_connect_timeout(&self.url.target),
            )?)),
            Backend::Sqlite => {
                let mut conn = diesel::SqliteConnection::establish(&self.url.target)?;
                // busy_timeout first, so switching to WAL on a fresh file waits instead of failing.
                // secure_delete: what is deleted or overwritten (a closed wave's e-mail
                // addresses) is zeroed in the pages, not left in free space.
                // mmap_size: pages are read from the operating system's cache in place instead
                // of copied by a read call each (a report reading a large scope's answers spent
                // a quarter of its time copying); SQLite still writes with write calls.
                conn.batch_execute(&format!(
                    "{SQLITE_BUSY_TIMEOUT}; PRAGMA journal_mode = WAL; \
                     PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; \
                     PRAGMA secure_delete = ON; PRAGMA mmap_size = {SQLITE_MMAP_BYTES};"
                ))?;
                Ok(AnyConnection::Sqlite(conn))
            }
        }
    }
}

impl r2d2::ManageConnection for ConnectionManager {
    type Connection = AnyConnection;
    type Error = ConnectError;

    fn connect(&self) -> Result<AnyConnection, ConnectError> {
        ConnectionManager::connect(self)
    }

    fn is_valid(&self, conn: &mut AnyConnection) -> Result<(), ConnectError> {
        conn.batch_execute("SELECT 1").map_err(ConnectError::Setup)
    }

    fn has_broken(&self, _conn: &mut AnyConnection) -> bool {
        false
    }
}

/// A PostgreSQL URL with libpq's `connect_timeout`, unless it sets one: an unreachable host
/// then fails in seconds instead of the operating system's minutes.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={PG_CONNECT_TIMEOUT_SECS}")
}

/// Builds the pool; a request waits up to `wait` for a connection. Fails fast with the
/// driver's own message when the database cannot be reached.
pub fn build_pool(url: &DatabaseUrl, max_size: u32, wait: Duration) -> anyhow::Result<Pool> {
    let manager = ConnectionManager::new(url.clone());
    // Try once directly: r2d2 would otherwise retry until its timeout and lose the message.
    manager.connect()?;
    let pool = r2d2::Pool::builder()
        .max_size(max_size)
        .min_idle(Some(1))
        .connection_timeout(wait)
        .build(manager)?;
    Ok(pool)
}

/// One connection without a pool, for a command that does one thing and ends (the CLI):
/// it waits as long as the driver does (libpq's `connect_timeout`), not the pool's
/// request-sized wait, and reports the driver's own message.
pub fn connect(url: &DatabaseUrl) -> anyhow::Result<AnyConnection> {
    Ok(ConnectionManager::new(url.clone()).connect()?)
}

/// Applies pending migrations for the connection's backend; returns how many were applied.
pub fn run_migrations(conn: &mut AnyConnection) -> anyhow::Result<usize> {
    let applied = match conn {
        AnyConnection::Postgresql(c) => c
            .run_pending_migrations(POSTGRES_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
            .len(),
        AnyConnection::Sqlite(c) => c
            .run_pending_migrations(SQLITE_MIGRATIONS)
            .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?
            .len(),
    };
    Ok(applied)
}

pub fn backend(conn: &AnyConnection) -> Backend {
    match conn {
        AnyConnection::Postgresql(_) => Backend::Postgres,
        AnyConnection::Sqlite(_) => Backend::Sqlite,
    }
}

/// Runs `f` in one write transaction. On SQLite the transaction starts with
/// `BEGIN IMMEDIATE`, so concurrent writers wait on the busy timeout instead of failing
/// when a reader upgrades to a writer. Called inside a transaction (or nested `transaction`
/// calls inside `f`), it becomes a savepoint.
pub fn write_tx<T, E>(
    conn: &mut AnyConnection,
    f: impl FnOnce(&mut AnyConnection) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match conn {
        AnyConnection::Postgresql(_) => conn.transaction(f),
        AnyConnection::Sqlite(inner) => {
            // Already inside a transaction (a group commit): a savepoint, so only this part
            // rolls back on failure.
            let depth = AnsiTransactionManager::transaction_manager_status_mut(inner)
                .transaction_depth()?;
            if depth.is_some() {
                return conn.transaction(f);
            }
            AnsiTransactionManager::begin_transaction_sql(inner, "BEGIN IMMEDIATE")?;
            let result = f(conn);
            match conn {
                AnyConnection::Sqlite(inner) => finish_sqlite(inner, result),
                AnyConnection::Postgresql(_) => result,
            }
        }
    }
}

fn finish_sqlite<T, E>(inner: &mut diesel::SqliteConnection, result: Result<T, E>) -> Result<T, E>
where
    E: From<diesel::result::Error>,
{
    match result {
        Ok(value) => match AnsiTransactionManager::commit_transaction(inner) {
            Ok(()) => Ok(value),
            Err(e) => {
                let _ = AnsiTransactionManager::rollback_transaction(inner);
                Err(e.into())
            }
        },
        Err(e) => {
            AnsiTransactionManager::rollback_transaction(inner)?;
            Err(e)
        }
    }
}

/// The current instant in UTC, as stored (microsecond precision, so both backends agree).
pub fn now() -> chrono::NaiveDateTime {
    let now = chrono::Utc::now().naive_utc();
    chrono::Timelike::with_nanosecond(&now, now.and_utc().timestamp_subsec_micros() * 1000)
        .unwrap_or(now)
}

/// Which database a connection reads: the SQLite file, or PostgreSQL's database with the
/// server's address and port. None for a SQLite database in memory (every one is new). A
/// process-wide cache keys on it, so two databases in one process (the tests) never mix.
pub fn database_identity(conn: &mut AnyConnection) -> QueryResult<Option<String>> {
    #[derive(QueryableByName)]
    struct Identity {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let (backend, sql) = match conn {
        AnyConnection::Sqlite(_) => (
            "sqlite",
            "SELECT file AS name FROM pragma_database_list WHERE name = 'main'",
        ),
        AnyConnection::Postgresql(_) => (
            "postgres",
            // The database's oid too: a database dropped and made again under its name is
            // another database.
            "SELECT current_database() || '#' || \
             (SELECT oid FROM pg_database WHERE datname = current_database())::text || '@' || \
             COALESCE(host(inet_server_addr()), 'socket') || ':' || current_setting('port') \
             AS name",
        ),
    };
    let rows: Vec<Identity> = diesel::sql_query(sql).load(conn)?;
    Ok(rows
        .into_iter()
        .next()
        .filter(|r| !r.name.is_empty())
        .map(|r| format!("{backend}:{}", r.name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_select_backends() {
        let u = DatabaseUrl::parse("sqlite://klantspiegel.db").unwrap();
        assert_eq!(
            (u.backend, u.target.as_str()),
            (Backend::Sqlite, "klantspiegel.db")
        );
        let u = DatabaseUrl::parse("sqlite:///tmp/x.db").unwrap();
        assert_eq!(u.target, "/tmp/x.db");
        let u = DatabaseUrl::parse("postgres://postgres@127.0.0.1:5432/k").unwrap();
        assert_eq!(u.backend, Backend::Postgres);
        assert!(DatabaseUrl::parse("mysql://x").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }
}
