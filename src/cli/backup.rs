//! `riskline backup` and `riskline restore`: copies of the database (docs/backup.md).
//!
//! On SQLite both use SQLite's online backup API ([`crate::store::backup`]): a backup
//! is consistent while `serve` or `ingest` write, and is checked before it is kept. On
//! PostgreSQL, `backup` runs `pg_dump` (custom format) on a snapshot it also counts the
//! rows of, so the figures printed are those of the dump; `restore` is left to
//! `pg_restore` into a new database, whose commands it prints.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

use anyhow::{bail, Context};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text};

use crate::store::backup::{self, BackupError, Inspection};
use crate::store::{Backend, DatabaseUrl, DbConnection};

/// Arguments of `riskline backup`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
SQLite: the copy is made with SQLite's online backup API and is the database as it was at \
one instant, even while `serve` or `ingest` write to it. It is written beside PATH, checked \
(PRAGMA integrity_check and foreign_key_check) and only then given its name.

PostgreSQL: runs `pg_dump --format=custom` (it must be on PATH) and prints the row counts of \
the snapshot it dumped; restore with `pg_restore` into a new database (docs/backup.md).")]
pub struct BackupArgs {
    #[command(flatten)]
    database: super::Database,
    /// The file to write.
    #[arg(value_name = "PATH")]
    path: PathBuf,
    /// Replace PATH if it exists.
    #[arg(long)]
    force: bool,
}

/// Arguments of `riskline restore`.
#[derive(Debug, clap::Args)]
#[command(after_help = "\
The backup is checked first (PRAGMA integrity_check and foreign_key_check); a damaged file \
changes nothing. Without --force, restore writes only a database that does not exist yet. \
With --force an existing database is replaced in one transaction; stop `serve` and `ingest` \
first, as they keep some of it in memory.

PostgreSQL databases are restored with `pg_restore` into a new database (docs/backup.md).")]
pub struct RestoreArgs {
    #[command(flatten)]
    database: super::Database,
    /// A backup written by `riskline backup` (or any riskline SQLite database).
    #[arg(value_name = "BACKUP")]
    backup: PathBuf,
    /// Replace the database if it exists.
    #[arg(long)]
    force: bool,
}

/// Runs `riskline backup PATH`.
pub fn run_backup(args: BackupArgs) -> anyhow::Result<ExitCode> {
    let url = args.database.url();
    let parsed = DatabaseUrl::parse(&url).map_err(|e| anyhow::anyhow!("{e}"))?;
    match parsed.backend() {
        Backend::Sqlite => {
            let source = sqlite_file(&url);
            let copy = backup::backup(&source, &args.path, args.force)
                .map_err(|e| explain(e, "replace it"))?;
            println!("backup: {} (of {})", copy.path.display(), source.display());
            print_inspection(&copy);
        }
        Backend::Postgres => pg_dump(&url, &parsed, &args.path, args.force)?,
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs `riskline restore BACKUP`.
pub fn run_restore(args: RestoreArgs) -> anyhow::Result<ExitCode> {
    let url = args.database.url();
    let parsed = DatabaseUrl::parse(&url).map_err(|e| anyhow::anyhow!("{e}"))?;
    if parsed.backend() == Backend::Postgres {
        bail!(
            "{parsed} is a PostgreSQL database: restore a dump made by `riskline backup` or \
             `pg_dump --format=custom` with pg_restore, into a new database:\n  \
             createdb riskline_restored\n  \
             pg_restore --single-transaction --exit-on-error --no-owner \
             --dbname=postgres://USER@HOST/riskline_restored {}\n\
             then point DATABASE_URL at it (see docs/backup.md)",
            args.backup.display()
        );
    }
    let target = sqlite_file(&url);
    let restored = backup::restore(&args.backup, &target, args.force)
        .map_err(|e| explain(e, "replace the database"))?;
    println!(
        "restored: {} (from {})",
        target.display(),
        args.backup.display()
    );
    print_inspection(&restored);
    Ok(ExitCode::SUCCESS)
}

fn print_inspection(copy: &Inspection) {
    println!(
        "size: {} pages of {} bytes ({} bytes)",
        copy.pages,
        copy.page_size,
        copy.bytes()
    );
    println!("integrity: ok");
    println!("companies: {}", copy.companies);
    println!("documents: {}", copy.documents);
    println!("events: {}", copy.events);
    println!("mentions: {}", copy.mentions);
}

/// The error, with the option that overrides it when there is one.
fn explain(error: BackupError, what_force_does: &str) -> anyhow::Error {
    match error {
        BackupError::Exists(_) => anyhow::anyhow!("{error}; add --force to {what_force_does}"),
        other => other.into(),
    }
}

/// The file of a SQLite database URL: a path, `sqlite://PATH` or `file:PATH?...`.
fn sqlite_file(url: &str) -> PathBuf {
    let url = url.trim();
    let path = match url.split_once("://") {
        Some((scheme, rest)) if scheme.eq_ignore_ascii_case("sqlite") => rest,
        _ => url,
    };
    let path = match path.strip_prefix("file:") {
        Some(rest) => rest.split(['?', '#']).next().unwrap_or(rest),
        None => path,
    };
    PathBuf::from(path)
}

#[derive(QueryableByName)]
struct Snapshot {
    #[diesel(sql_type = Text)]
    id: String,
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = BigInt)]
    companies: i64,
    #[diesel(sql_type = BigInt)]
    documents: i64,
    #[diesel(sql_type = BigInt)]
    events: i64,
    #[diesel(sql_type = BigInt)]
    mentions: i64,
}

/// What to do without `pg_dump`.
const PG_PROCEDURE: &str = "back up a PostgreSQL database with\n  \
    pg_dump --format=custom --file=riskline.dump \"$DATABASE_URL\"\n\
    and restore it into a new database with\n  \
    pg_restore --single-transaction --exit-on-error --no-owner --dbname=NEW_DATABASE_URL riskline.dump\n\
    (see docs/backup.md)";

/// Dumps a PostgreSQL database with `pg_dump --format=custom` into `path`.
///
/// A repeatable-read transaction exports its snapshot to `pg_dump` and counts the
/// rows in it, so the counts printed are those of the dump. The dump is written
/// beside `path`, listed by `pg_restore --list` to check it is readable, then moved.
fn pg_dump(url: &str, parsed: &DatabaseUrl, path: &Path, force: bool) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!("{} is a directory; give a file name", path.display());
    }
    if !force && path.symlink_metadata().is_ok() {
        bail!(
            "{} exists already; add --force to replace it",
            path.display()
        );
    }
    match Command::new("pg_dump").arg("--version").output() {
        Ok(out) if out.status.success() => {}
        Ok(_) | Err(_) => bail!("pg_dump was not found on PATH (or does not run); {PG_PROCEDURE}"),
    }
    let mut conn = parsed
        .connect()
        .with_context(|| format!("cannot connect to {parsed}"))?;
    let DbConnection::Pg(pg) = &mut conn else {
        bail!("{parsed} is not a PostgreSQL database");
    };
    pg.batch_execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        .context("starting the snapshot")?;
    let snapshot = diesel::sql_query("SELECT pg_export_snapshot() AS id")
        .get_result::<Snapshot>(pg)
        .context("exporting the snapshot")?;
    let counts = diesel::sql_query(
        "SELECT (SELECT count(*) FROM companies) AS companies, \
                (SELECT count(*) FROM documents) AS documents, \
                (SELECT count(*) FROM events) AS events, \
                (SELECT count(*) FROM event_mentions) AS mentions",
    )
    .get_result::<Counts>(pg)
    .with_context(|| format!("{parsed} does not look like a riskline database"))?;

    let temp = partial_path(path)?;
    let (conn_url, password) = without_password(url);
    let mut dump = Command::new("pg_dump");
    dump.args(["--format=custom", "--snapshot", &snapshot.id, "--file"])
        .arg(&temp)
        .arg("--dbname")
        .arg(&conn_url)
        .stdin(Stdio::null());
    if let Some(password) = password {
        dump.env("PGPASSWORD", password);
    }
    if std::env::var_os("PGCONNECT_TIMEOUT").is_none() {
        dump.env("PGCONNECT_TIMEOUT", "5");
    }
    let out = dump.output().context("running pg_dump")?;
    // The snapshot is needed no longer.
    let _ = pg.batch_execute("ROLLBACK");
    let cleanup = || {
        let _ = fs::remove_file(&temp);
    };
    if !out.status.success() {
        cleanup();
        bail!(
            "pg_dump failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    let list = Command::new("pg_restore")
        .arg("--list")
        .arg(&temp)
        .stdin(Stdio::null())
        .output();
    let tables = match list {
        Ok(list) if list.status.success() => String::from_utf8_lossy(&list.stdout)
            .lines()
            .filter(|line| line.contains(" TABLE DATA "))
            .count()
            .to_string(),
        Ok(list) => {
            cleanup();
            bail!(
                "the dump pg_dump wrote cannot be read back by pg_restore --list: {}",
                String::from_utf8_lossy(&list.stderr).trim()
            );
        }
        Err(_) => "not checked (pg_restore is not on PATH)".to_string(),
    };
    let bytes = fs::metadata(&temp).map(|m| m.len()).unwrap_or(0);
    let placed = if force {
        fs::rename(&temp, path)
    } else {
        fs::hard_link(&temp, path).and_then(|()| fs::remove_file(&temp))
    };
    if let Err(e) = placed {
        cleanup();
        if e.kind() == io::ErrorKind::AlreadyExists {
            bail!(
                "{} exists already; add --force to replace it",
                path.display()
            );
        }
        return Err(e).with_context(|| format!("moving the dump to {}", path.display()));
    }
    println!(
        "backup: {} (pg_dump custom format, of {parsed})",
        path.display()
    );
    println!("size: {bytes} bytes");
    println!("tables with data: {tables}");
    println!("companies: {}", counts.companies);
    println!("documents: {}", counts.documents);
    println!("events: {}", counts.events);
    println!("mentions: {}", counts.mentions);
    println!(
        "restore with: pg_restore --single-transaction --exit-on-error --no-owner \
         --dbname=NEW_DATABASE_URL {}",
        path.display()
    );
    Ok(())
}

/// A name beside `path` for the file being written.
fn partial_path(path: &Path) -> anyhow::Result<PathBuf> {
    let name = path
        .file_name()
        .with_context(|| format!("{} names no file", path.display()))?;
    let mut partial = std::ffi::OsString::from(".");
    partial.push(name);
    partial.push(format!(".partial-{}", std::process::id()));
    Ok(path.with_file_name(partial))
}

/// The URL without its password, and the password (percent-decoded), so that the
/// password reaches `pg_dump` through its environment rather than its command line.
fn without_password(url: &str) -> (String, Option<String>) {
    let mut url = url.to_string();
    let mut password = None;
    if let Some((colon, at)) = crate::store::password_span(&url) {
        password = Some(percent_decode(&url[colon + 1..at]));
        url.replace_range(colon..at, "");
    }
    if let Some(query_start) = url.find('?') {
        let (base, query) = url.split_at(query_start);
        let mut kept = Vec::new();
        for pair in query[1..].split('&') {
            match pair.strip_prefix("password=") {
                Some(value) => password = Some(percent_decode(value)),
                None => kept.push(pair),
            }
        }
        url = if kept.is_empty() {
            base.to_string()
        } else {
            format!("{base}?{}", kept.join("&"))
        };
    }
    (url, password)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_name_their_file() {
        assert_eq!(sqlite_file("riskline.db"), Path::new("riskline.db"));
        assert_eq!(sqlite_file("sqlite:///tmp/x.db"), Path::new("/tmp/x.db"));
        assert_eq!(sqlite_file("file:x.db?mode=rwc"), Path::new("x.db"));
    }

    #[test]
    fn the_password_leaves_the_url() {
        assert_eq!(
            without_password("postgres://me:p%40ss@db:5432/x?sslmode=disable"),
            (
                "postgres://me@db:5432/x?sslmode=disable".to_string(),
                Some("p@ss".to_string())
            )
        );
        assert_eq!(
            without_password("postgres://db/x?user=me&password=s3cret"),
            ("postgres://db/x?user=me".to_string(), Some("s3cret".into()))
        );
        assert_eq!(
            without_password("postgres://me@db/x"),
            ("postgres://me@db/x".to_string(), None)
        );
    }
}
