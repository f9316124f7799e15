//! Connections to either backend: the URL, the connection enum, and the pool's
//! connection manager.
//!
//! The backend is chosen from the URL scheme here rather than by diesel's
//! `MultiConnection::establish`, which tries each backend in turn and hides the
//! real error (a PostgreSQL that is down would surface as "invalid connection url"
//! after the pool's timeout).

use std::fmt;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::r2d2::{CustomizeConnection, ManageConnection, R2D2Connection};
use diesel::sqlite::SqliteConnection;
use diesel::{Connection, ConnectionError};

/// A connection to either database. Query code is written once against this type;
/// the few statements that differ per backend live in [`crate::store::backend`].
#[derive(diesel::MultiConnection)]
pub enum DbConnection {
    /// A connection to a SQLite file.
    Sqlite(SqliteConnection),
    /// A connection to a PostgreSQL server.
    Pg(PgConnection),
}

/// Which database engine a URL designates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Backend {
    /// The embedded default: one file, WAL mode.
    Sqlite,
    /// PostgreSQL, for deployments with several processes.
    Postgres,
}

impl Backend {
    /// A short lower-case name, for messages and logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

impl fmt::Display for Backend {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How long a new PostgreSQL connection may take before libpq gives up, unless
/// the URL says otherwise. Keeps an unreachable host from hanging a command.
const PG_CONNECT_TIMEOUT_SECS: u32 = 5;

/// How long a SQLite statement waits for another writer's lock before failing.
const SQLITE_BUSY_TIMEOUT_MS: u32 = 5_000;

/// A parsed database URL: the backend and what its driver is given.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    backend: Backend,
    /// What the driver receives: a file name or `file:` URI for SQLite, the
    /// libpq URI (with a connect timeout) for PostgreSQL.
    target: String,
    /// The URL as given, with any password replaced, for messages.
    shown: String,
}

impl fmt::Debug for DatabaseUrl {
    // The target may hold a password: never print it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("backend", &self.backend)
            .field("url", &self.shown)
            .finish()
    }
}

impl DatabaseUrl {
    /// Parses a database URL.
    ///
    /// - `postgres://...` or `postgresql://...`: PostgreSQL;
    /// - `sqlite://PATH`, `file:...` or a plain path: SQLite.
    ///
    /// ```
    /// use riskline::store::{Backend, DatabaseUrl};
    /// assert_eq!(DatabaseUrl::parse("riskline.db").unwrap().backend(), Backend::Sqlite);
    /// let pg = DatabaseUrl::parse("postgres://u:secret@db/x").unwrap();
    /// assert_eq!(pg.backend(), Backend::Postgres);
    /// assert_eq!(pg.to_string(), "postgres://u:***@db/x");
    /// ```
    pub fn parse(url: &str) -> Result<DatabaseUrl, String> {
        let url = url.trim();
        let shown = redact(url);
        if url.is_empty() {
            return Err("the database URL is empty".to_string());
        }
        let scheme = url
            .split_once("://")
            .map(|(scheme, _)| scheme.to_ascii_lowercase());
        match scheme.as_deref() {
            Some("postgres" | "postgresql") => Ok(DatabaseUrl {
                backend: Backend::Postgres,
                target: with_connect_timeout(url),
                shown,
            }),
            Some("sqlite") => {
                let path = &url["sqlite://".len()..];
                if path.is_empty() {
                    return Err(format!("{shown}: sqlite:// needs a file path"));
                }
                Ok(DatabaseUrl {
                    backend: Backend::Sqlite,
                    target: path.to_string(),
                    shown,
                })
            }
            Some(other) => Err(format!(
                "{shown}: unsupported database URL scheme {other:?} \
                 (use a file path or sqlite://PATH for SQLite, postgres://... for PostgreSQL)"
            )),
            None if url == ":memory:" || url.contains("mode=memory") => Err(format!(
                "{shown}: in-memory SQLite is not supported (each pooled connection would see \
                 its own empty database); use a file path"
            )),
            None => Ok(DatabaseUrl {
                backend: Backend::Sqlite,
                target: url.to_string(),
                shown,
            }),
        }
    }

    /// The backend the URL designates.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Opens one connection, with the real driver error on failure.
    pub fn connect(&self) -> Result<DbConnection, ConnectionError> {
        match self.backend {
            Backend::Sqlite => SqliteConnection::establish(&self.target).map(DbConnection::Sqlite),
            Backend::Postgres => PgConnection::establish(&self.target).map(DbConnection::Pg),
        }
    }
}

impl fmt::Display for DatabaseUrl {
    /// The URL with its password, if any, replaced by `***`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.shown)
    }
}

/// Where the password of a URL's `user:pass@` part lies: the byte offsets of its
/// `:` and of the `@` after it.
pub fn password_span(url: &str) -> Option<(usize, usize)> {
    let start = url.find("://")? + 3;
    let authority_end = url[start..]
        .find(['/', '?'])
        .map_or(url.len(), |i| start + i);
    let at = url[start..authority_end].rfind('@')? + start;
    let colon = url[start..at].find(':')? + start;
    Some((colon, at))
}

/// Replaces the password of a URL (`user:pass@`, `password=...`) by `***`.
pub fn redact(url: &str) -> String {
    let mut out = url.to_string();
    if let Some((colon, at)) = password_span(url) {
        out = format!("{}***{}", &url[..=colon], &url[at..]);
    }
    if let Some(pos) = out.find("password=") {
        let value_start = pos + "password=".len();
        let value_end = out[value_start..]
            .find('&')
            .map_or(out.len(), |i| value_start + i);
        out.replace_range(value_start..value_end, "***");
    }
    out
}

/// Adds libpq's `connect_timeout` unless the URL sets one.
fn with_connect_timeout(url: &str) -> String {
    if url.contains("connect_timeout=") {
        return url.to_string();
    }
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}connect_timeout={PG_CONNECT_TIMEOUT_SECS}")
}

/// The pool's connection manager: connects to the backend of the URL, nothing else.
#[derive(Debug)]
pub struct Manager {
    url: DatabaseUrl,
}

impl Manager {
    /// A manager that connects to `url`.
    pub fn new(url: DatabaseUrl) -> Manager {
        Manager { url }
    }
}

impl ManageConnection for Manager {
    type Connection = DbConnection;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConnection, Self::Error> {
        self.url
            .connect()
            .map_err(diesel::r2d2::Error::ConnectionError)
    }

    fn is_valid(&self, conn: &mut DbConnection) -> Result<(), Self::Error> {
        conn.ping().map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, conn: &mut DbConnection) -> bool {
        std::thread::panicking() || conn.is_broken()
    }
}

/// The page size of new SQLite databases, in bytes.
pub const SQLITE_PAGE_SIZE: u32 = 16_384;

/// Settings of every new SQLite connection.
///
/// `page_size` comes first, as only a database without tables takes it;
/// `busy_timeout` next so that the following statements already wait for a
/// concurrent writer instead of failing with "database is locked"; WAL lets readers
/// run beside one writer; `synchronous = NORMAL` is durable enough under WAL;
/// foreign keys are off by default in SQLite; temporary data stays in memory. A
/// large page cache and memory-mapped reads serve the timeline queries from memory.
#[derive(Debug, Clone, Copy)]
pub struct SqliteSettings {
    /// How long a statement waits for a concurrent writer before failing with "database is locked" (default 5 s).
    pub busy_timeout: Duration,
    /// How many bytes of the file are read through memory mapping (`PRAGMA mmap_size`, default 256 MiB).
    pub mmap_size_bytes: u64,
    /// Size of the page cache in KiB (`PRAGMA cache_size`, default 64 MiB).
    pub cache_size_kib: u64,
}

impl Default for SqliteSettings {
    fn default() -> Self {
        SqliteSettings {
            busy_timeout: Duration::from_millis(u64::from(SQLITE_BUSY_TIMEOUT_MS)),
            mmap_size_bytes: 256 * 1024 * 1024,
            cache_size_kib: 64 * 1024,
        }
    }
}

impl SqliteSettings {
    /// The statements to run on a new connection, one each, in order.
    pub fn statements(&self) -> [String; 8] {
        [
            // Only a new database takes it (before its first table): 16 KiB pages
            // hold a timeline page of stored items in a few pages instead of a
            // dozen (src/store/items.rs), and make batch commits fewer, larger writes.
            format!("PRAGMA page_size = {SQLITE_PAGE_SIZE}"),
            format!("PRAGMA busy_timeout = {}", self.busy_timeout.as_millis()),
            "PRAGMA journal_mode = WAL".to_string(),
            "PRAGMA synchronous = NORMAL".to_string(),
            "PRAGMA foreign_keys = ON".to_string(),
            format!("PRAGMA mmap_size = {}", self.mmap_size_bytes),
            // A negative cache_size is in KiB rather than pages.
            format!("PRAGMA cache_size = -{}", self.cache_size_kib),
            // Statement journals (the undo of one statement inside a larger
            // transaction, written by every multi-row insert or update there) in
            // memory rather than in temporary files, where a profile of an ingest
            // found a tenth of the writer's time.
            "PRAGMA temp_store = MEMORY".to_string(),
        ]
    }
}

impl CustomizeConnection<DbConnection, diesel::r2d2::Error> for SqliteSettings {
    fn on_acquire(&self, conn: &mut DbConnection) -> Result<(), diesel::r2d2::Error> {
        if let DbConnection::Sqlite(conn) = conn {
            for statement in self.statements() {
                conn.batch_execute(&statement)
                    .map_err(diesel::r2d2::Error::QueryError)?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_scheme_chooses_the_backend() {
        let cases = [
            ("riskline.db", Backend::Sqlite, "riskline.db"),
            ("sqlite:///tmp/x.db", Backend::Sqlite, "/tmp/x.db"),
            ("sqlite://x.db", Backend::Sqlite, "x.db"),
            ("file:x.db?mode=rwc", Backend::Sqlite, "file:x.db?mode=rwc"),
            (
                "postgres://u@h/db",
                Backend::Postgres,
                "postgres://u@h/db?connect_timeout=5",
            ),
            (
                "postgresql://u@h/db?sslmode=disable",
                Backend::Postgres,
                "postgresql://u@h/db?sslmode=disable&connect_timeout=5",
            ),
            (
                "postgres://u@h/db?connect_timeout=1",
                Backend::Postgres,
                "postgres://u@h/db?connect_timeout=1",
            ),
        ];
        for (url, backend, target) in cases {
            let parsed = DatabaseUrl::parse(url).unwrap();
            assert_eq!(parsed.backend(), backend, "{url}");
            assert_eq!(parsed.target, target, "{url}");
        }
    }

    #[test]
    fn unknown_schemes_and_memory_databases_are_refused() {
        let err = DatabaseUrl::parse("mysql://root@h/db").unwrap_err();
        assert!(
            err.contains("unsupported database URL scheme \"mysql\""),
            "{err}"
        );
        let err = DatabaseUrl::parse(":memory:").unwrap_err();
        assert!(err.contains("in-memory"), "{err}");
        assert!(DatabaseUrl::parse("  ").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn passwords_never_show() {
        assert_eq!(
            redact("postgres://me:s3cret@db:5432/x"),
            "postgres://me:***@db:5432/x"
        );
        assert_eq!(
            redact("postgres://db/x?user=me&password=s3cret&sslmode=require"),
            "postgres://db/x?user=me&password=***&sslmode=require"
        );
        assert_eq!(redact("postgres://me@db/x"), "postgres://me@db/x");
        assert_eq!(redact("riskline.db"), "riskline.db");
        let parsed = DatabaseUrl::parse("postgres://me:s3cret@db/x").unwrap();
        assert!(!format!("{parsed:?} {parsed}").contains("s3cret"));
    }
}
