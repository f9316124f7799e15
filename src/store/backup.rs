//! Backups of a SQLite database, and restoring one, with SQLite's online backup API.
//!
//! [`backup`] copies a database that other connections may be writing (a `serve`, an
//! `ingest`) into a new file. The copy is made by one `sqlite3_backup_step(-1)` call:
//! it holds a read transaction on the source for the whole copy, so under WAL (the
//! mode riskline always sets) the copy is the database as it was at one instant —
//! the last committed transaction before the copy began — while writers go on
//! committing beside it. (Copying in several smaller steps would release that read
//! transaction between steps, and SQLite restarts such a backup from the first page
//! whenever another connection commits meanwhile; under a steady ingest it might
//! never finish.)
//!
//! The copy is written to a temporary file beside the destination, switched to a
//! rollback journal so that it is one self-contained file (no `-wal` beside it),
//! checked with `PRAGMA integrity_check` and `PRAGMA foreign_key_check`, and only
//! then moved to its name. A failed backup leaves nothing behind and never touches
//! an existing file at the destination unless asked to replace it.
//!
//! [`restore`] checks a backup the same way before it reads it, then copies it into
//! the target database: into a new file moved into place when the target does not
//! exist, or, with `overwrite`, over the existing database in one write transaction
//! of it (readers see the old contents or the new, never a mixture).
//!
//! ```no_run
//! use std::path::Path;
//! use riskline::store::backup;
//! let copy = backup::backup(Path::new("riskline.db"), Path::new("copy.db"), false)?;
//! println!("{} documents, {} events", copy.documents, copy.events);
//! # Ok::<(), riskline::store::backup::BackupError>(())
//! ```

use std::ffi::{c_int, CStr, CString};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::ptr;
use std::time::Duration;

use libsqlite3_sys as ffi;

/// Tables a riskline database has; a file without them is not one.
const REQUIRED_TABLES: [&str; 4] = ["companies", "documents", "events", "event_mentions"];

/// How many problems `PRAGMA integrity_check` reports at most.
const INTEGRITY_PROBLEMS_SHOWN: u32 = 10;

/// How long a connection waits for another connection's lock.
const BUSY_TIMEOUT_MS: c_int = 5_000;

/// How often, and how long apart, a backup step that found the source or the
/// destination locked is tried again (about a minute in all).
const BUSY_RETRIES: u32 = 600;
const BUSY_PAUSE: Duration = Duration::from_millis(100);

/// What can go wrong in a backup or a restore.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Occurs when the database to copy from does not exist.
    #[error("there is no database at {}", .0.display())]
    Missing(PathBuf),
    /// Occurs when the destination exists and replacing it was not asked for.
    #[error("{} exists already", .0.display())]
    Exists(PathBuf),
    /// Occurs when the source and the destination are the same file.
    #[error("{} is the database itself; choose another file", .0.display())]
    SameFile(PathBuf),
    /// Occurs when a file is not a SQLite database at all.
    #[error("{} is not a SQLite database", .0.display())]
    NotSqlite(PathBuf),
    /// Occurs when a SQLite file lacks the tables of a riskline database.
    #[error("{} is a SQLite database but not a riskline one (it has no {missing} table)", .path.display())]
    NotRiskline {
        /// The file checked.
        path: PathBuf,
        /// The first riskline table found missing.
        missing: &'static str,
    },
    /// Occurs when a file fails SQLite's integrity or foreign-key check.
    #[error("{} is damaged: {}", .path.display(), .problems.join("; "))]
    Damaged {
        /// The file checked.
        path: PathBuf,
        /// What the integrity and foreign-key checks reported, one problem per entry.
        problems: Vec<String>,
    },
    /// Occurs when SQLite reports an error.
    #[error("{context}: {message}")]
    Sqlite {
        /// What was being done, e.g. `leaving WAL mode`.
        context: String,
        /// SQLite's error message, or what went wrong.
        message: String,
    },
    /// Occurs when a file cannot be read, written, moved or removed.
    #[error("{context}: {error}")]
    Io {
        /// What was being done, e.g. `writing FILE`.
        context: String,
        /// The underlying I/O error.
        error: io::Error,
    },
}

fn io_error(context: impl Into<String>) -> impl FnOnce(io::Error) -> BackupError {
    let context = context.into();
    move |error| BackupError::Io { context, error }
}

/// What a checked database file holds: its size, and the rows of the main tables.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Inspection {
    /// The file checked.
    pub path: PathBuf,
    /// Number of pages of the database.
    pub pages: u64,
    /// Size of one page in bytes.
    pub page_size: u64,
    /// Rows in `companies`.
    pub companies: u64,
    /// Rows in `documents`.
    pub documents: u64,
    /// Rows in `events`.
    pub events: u64,
    /// Rows in `event_mentions`.
    pub mentions: u64,
}

impl Inspection {
    /// The size of the database in bytes (pages times page size).
    pub fn bytes(&self) -> u64 {
        self.pages * self.page_size
    }
}

/// Copies the SQLite database at `source` into the new file `dest` and checks the copy
/// (see the module documentation); returns what the copy holds.
///
/// `dest` must not exist unless `overwrite` is set; it is never the source itself.
/// Any `-wal`, `-shm` or `-journal` file beside `dest` belongs to a former database
/// there and would be applied to the copy when it is opened, so those count as
/// existing too and are removed when `overwrite` is set.
pub fn backup(source: &Path, dest: &Path, overwrite: bool) -> Result<Inspection, BackupError> {
    if !source.is_file() {
        return Err(BackupError::Missing(source.to_path_buf()));
    }
    if same_file(source, dest) {
        return Err(BackupError::SameFile(dest.to_path_buf()));
    }
    check_destination(dest, overwrite)?;
    let temp = TempFile::beside(dest)?;
    {
        let from = Handle::open(source, ffi::SQLITE_OPEN_READWRITE, "opening the database")?;
        from.check_riskline(source)?;
        let to = Handle::open(
            temp.path(),
            ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE,
            "creating the backup file",
        )?;
        copy_pages(&from, &to, source, "copying the database")?;
    }
    {
        // Reopened: the header copied from a WAL source says WAL, which this
        // connection reads at open. Leaving WAL makes the copy one file.
        let to = Handle::open(
            temp.path(),
            ffi::SQLITE_OPEN_READWRITE,
            "reopening the copy",
        )?;
        let mode = to.query_text("PRAGMA journal_mode = DELETE", "leaving WAL mode")?;
        if mode.first().map(String::as_str) != Some("delete") {
            return Err(BackupError::Sqlite {
                context: "leaving WAL mode".into(),
                message: format!("the copy stayed in {mode:?} mode"),
            });
        }
    }
    let mut inspection = inspect_file(temp.path(), ffi::SQLITE_OPEN_READONLY)?;
    temp.place(dest, overwrite)?;
    inspection.path = dest.to_path_buf();
    Ok(inspection)
}

/// Checks a backup file and copies it into the SQLite database at `target`
/// (see the module documentation); returns what the target holds afterwards.
///
/// The backup is checked first ([`inspect`]); a damaged or foreign file changes
/// nothing. An existing `target` (or a `-wal` or `-journal` file beside it) is
/// replaced only when `overwrite` is set.
pub fn restore(backup: &Path, target: &Path, overwrite: bool) -> Result<Inspection, BackupError> {
    inspect(backup)?;
    if same_file(backup, target) {
        return Err(BackupError::SameFile(target.to_path_buf()));
    }
    check_destination(target, overwrite)?;
    let from = Handle::open(backup, ffi::SQLITE_OPEN_READONLY, "opening the backup")?;
    if target.is_file() {
        // A live database: the backup API replaces its contents in one write
        // transaction of the target, which its other connections see atomically.
        let to = Handle::open(target, ffi::SQLITE_OPEN_READWRITE, "opening the database")?;
        copy_pages(&from, &to, backup, "restoring into the database")
            .map_err(|e| explain_page_size(e, &from, &to))?;
        drop(to);
        return inspect_file(target, ffi::SQLITE_OPEN_READWRITE);
    }
    let temp = TempFile::beside(target)?;
    {
        let to = Handle::open(
            temp.path(),
            ffi::SQLITE_OPEN_READWRITE | ffi::SQLITE_OPEN_CREATE,
            "creating the database",
        )?;
        copy_pages(&from, &to, backup, "restoring into a new database")?;
    }
    inspect_file(temp.path(), ffi::SQLITE_OPEN_READONLY)?;
    temp.place(target, overwrite)?;
    inspect_file(target, ffi::SQLITE_OPEN_READWRITE)
}

/// Opens a database file read-only and checks it: a SQLite database with the
/// tables of riskline, passing `PRAGMA integrity_check` and `PRAGMA
/// foreign_key_check`; returns its size and row counts.
pub fn inspect(path: &Path) -> Result<Inspection, BackupError> {
    if !path.is_file() {
        return Err(BackupError::Missing(path.to_path_buf()));
    }
    inspect_file(path, ffi::SQLITE_OPEN_READONLY)
}

fn inspect_file(path: &Path, flags: c_int) -> Result<Inspection, BackupError> {
    let db = Handle::open(path, flags, "opening the database")?;
    check_file(&db, path).map_err(|e| match e {
        // SQLite stops at the first page it cannot read: a damaged file too.
        BackupError::Sqlite { message, .. } if db.last_code() & 0xff == ffi::SQLITE_CORRUPT => {
            BackupError::Damaged {
                path: path.to_path_buf(),
                problems: vec![message],
            }
        }
        other => other,
    })
}

fn check_file(db: &Handle, path: &Path) -> Result<Inspection, BackupError> {
    db.check_riskline(path)?;
    let checking = format!("checking {}", path.display());
    let problems = db.query_text(
        &format!("PRAGMA integrity_check({INTEGRITY_PROBLEMS_SHOWN})"),
        &checking,
    )?;
    if problems != ["ok"] {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems,
        });
    }
    let orphans = db.query_text(
        "SELECT \"table\" || ' row ' || coalesce(rowid, '?') || ' refers to a missing ' || parent \
         FROM pragma_foreign_key_check LIMIT 10",
        &checking,
    )?;
    if !orphans.is_empty() {
        return Err(BackupError::Damaged {
            path: path.to_path_buf(),
            problems: orphans,
        });
    }
    let count = |sql: &str| db.query_u64(sql, &checking);
    Ok(Inspection {
        path: path.to_path_buf(),
        pages: count("PRAGMA page_count")?,
        page_size: count("PRAGMA page_size")?,
        companies: count("SELECT count(*) FROM companies")?,
        documents: count("SELECT count(*) FROM documents")?,
        events: count("SELECT count(*) FROM events")?,
        mentions: count("SELECT count(*) FROM event_mentions")?,
    })
}

/// Copies every page of `from` into `to` in one step, trying again while either
/// is locked by another connection.
fn copy_pages(from: &Handle, to: &Handle, source: &Path, context: &str) -> Result<(), BackupError> {
    let main = c"main";
    // SAFETY: both handles are open connections owned by the caller and outlive the
    // backup object, which is finished below before this function returns.
    let copy = unsafe { ffi::sqlite3_backup_init(to.db, main.as_ptr(), from.db, main.as_ptr()) };
    if copy.is_null() {
        return Err(to.error(context));
    }
    let mut retries = 0;
    let step = loop {
        // SAFETY: `copy` is a live backup object (not finished yet).
        let rc = unsafe { ffi::sqlite3_backup_step(copy, -1) };
        let locked = rc == ffi::SQLITE_BUSY || rc == ffi::SQLITE_LOCKED;
        if locked && retries < BUSY_RETRIES {
            retries += 1;
            std::thread::sleep(BUSY_PAUSE);
            continue;
        }
        break rc;
    };
    // SAFETY: `copy` is live; finishing releases it, and it is not used again.
    let finish = unsafe { ffi::sqlite3_backup_finish(copy) };
    if step == ffi::SQLITE_NOTADB || from.last_code() == ffi::SQLITE_NOTADB {
        return Err(BackupError::NotSqlite(source.to_path_buf()));
    }
    if step != ffi::SQLITE_DONE {
        return Err(BackupError::Sqlite {
            context: context.to_string(),
            message: error_string(step),
        });
    }
    if finish != ffi::SQLITE_OK {
        return Err(to.error(context));
    }
    Ok(())
}

/// A restore into a WAL database cannot change its page size: say so plainly.
fn explain_page_size(error: BackupError, from: &Handle, to: &Handle) -> BackupError {
    let sizes = (
        from.query_u64("PRAGMA page_size", ""),
        to.query_u64("PRAGMA page_size", ""),
    );
    match sizes {
        (Ok(backup), Ok(target)) if backup != target => BackupError::Sqlite {
            context: "restoring into the database".into(),
            message: format!(
                "the backup has pages of {backup} bytes and the database pages of {target}; \
                 restore into a new file and move it into place while nothing uses the database"
            ),
        },
        _ => error,
    }
}

/// Fails unless `path` (and the journal files SQLite would read beside it) may be
/// written: absent, or present and `overwrite` set.
fn check_destination(path: &Path, overwrite: bool) -> Result<(), BackupError> {
    if path.is_dir() {
        return Err(BackupError::Io {
            context: format!("writing {}", path.display()),
            error: io::Error::other("it is a directory"),
        });
    }
    if overwrite {
        return Ok(());
    }
    for candidate in std::iter::once(path.to_path_buf()).chain(sidecars(path)) {
        if candidate.symlink_metadata().is_ok() {
            return Err(BackupError::Exists(candidate));
        }
    }
    Ok(())
}

/// The files SQLite keeps beside a database: `-wal`, `-shm`, `-journal`.
fn sidecars(path: &Path) -> [PathBuf; 3] {
    ["-wal", "-shm", "-journal"].map(|suffix| {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        PathBuf::from(name)
    })
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (fs::canonicalize(a), fs::canonicalize(b)) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}

/// A file being written beside its final name; removed (with its journals) unless placed.
struct TempFile {
    path: PathBuf,
    placed: bool,
}

impl TempFile {
    fn beside(dest: &Path) -> Result<TempFile, BackupError> {
        let name = dest.file_name().ok_or_else(|| BackupError::Io {
            context: format!("writing {}", dest.display()),
            error: io::Error::new(io::ErrorKind::InvalidInput, "the path names no file"),
        })?;
        let dir = match dest.parent() {
            Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
            _ => PathBuf::from("."),
        };
        if !dir.is_dir() {
            return Err(BackupError::Io {
                context: format!("writing {}", dest.display()),
                error: io::Error::new(io::ErrorKind::NotFound, "its directory does not exist"),
            });
        }
        let mut temp_name = std::ffi::OsString::from(".");
        temp_name.push(name);
        temp_name.push(format!(".partial-{}", std::process::id()));
        let temp = TempFile {
            path: dir.join(temp_name),
            placed: false,
        };
        temp.remove_all();
        Ok(temp)
    }

    fn path(&self) -> &Path {
        &self.path
    }

    fn remove_all(&self) {
        for path in std::iter::once(self.path.clone()).chain(sidecars(&self.path)) {
            let _ = fs::remove_file(path);
        }
    }

    /// Moves the file to `dest`. Without `overwrite` a file that appeared at `dest`
    /// meanwhile is kept (a hard link fails on it); with it, the journals of the
    /// former database there go first, so that none is applied to the new file.
    fn place(mut self, dest: &Path, overwrite: bool) -> Result<(), BackupError> {
        let moving = format!("moving the new file to {}", dest.display());
        if overwrite {
            for sidecar in sidecars(dest) {
                match fs::remove_file(&sidecar) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => {
                        return Err(io_error(format!("removing {}", sidecar.display()))(e))
                    }
                    _ => {}
                }
            }
            fs::rename(&self.path, dest).map_err(io_error(moving))?;
        } else {
            match fs::hard_link(&self.path, dest) {
                Ok(()) => {
                    let _ = fs::remove_file(&self.path);
                }
                Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                    return Err(BackupError::Exists(dest.to_path_buf()));
                }
                // A file system without hard links: the check made before the copy stands.
                Err(_) => fs::rename(&self.path, dest).map_err(io_error(moving))?,
            }
        }
        self.placed = true;
        if let Some(dir) = dest.parent().filter(|d| !d.as_os_str().is_empty()) {
            // The new name is durable once its directory is synced.
            if let Ok(dir) = fs::File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.placed {
            self.remove_all();
        }
    }
}

/// One raw SQLite connection, closed when dropped.
struct Handle {
    db: *mut ffi::sqlite3,
}

impl Handle {
    /// Opens `path` as a plain file name (no URI parsing) with `flags`.
    fn open(path: &Path, flags: c_int, context: &str) -> Result<Handle, BackupError> {
        let context = format!("{context} {}", path.display());
        let name = path
            .to_str()
            .and_then(|s| CString::new(s).ok())
            .ok_or_else(|| BackupError::Sqlite {
                context: context.clone(),
                message: "the path is not valid UTF-8 text".into(),
            })?;
        let mut db = ptr::null_mut();
        // SAFETY: `name` is a NUL-terminated string that outlives the call, and `db`
        // receives a connection handle (possibly non-null on error, closed below).
        let rc = unsafe { ffi::sqlite3_open_v2(name.as_ptr(), &mut db, flags, ptr::null()) };
        let handle = Handle { db };
        if rc != ffi::SQLITE_OK {
            return Err(if db.is_null() {
                BackupError::Sqlite {
                    context,
                    message: error_string(rc),
                }
            } else {
                handle.error(&context)
            });
        }
        // SAFETY: `db` is an open connection.
        unsafe { ffi::sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS) };
        Ok(handle)
    }

    fn last_code(&self) -> c_int {
        // SAFETY: `self.db` is an open connection.
        unsafe { ffi::sqlite3_errcode(self.db) }
    }

    /// The connection's last error, with `context`.
    fn error(&self, context: &str) -> BackupError {
        // SAFETY: `self.db` is an open connection; the message is copied before any
        // other call on it.
        let message = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(self.db)) }
            .to_string_lossy()
            .into_owned();
        BackupError::Sqlite {
            context: context.to_string(),
            message,
        }
    }

    /// Fails unless the file is a SQLite database with the tables of riskline.
    fn check_riskline(&self, path: &Path) -> Result<(), BackupError> {
        let tables = self
            .query_text(
                "SELECT name FROM sqlite_master WHERE type = 'table'",
                &format!("reading {}", path.display()),
            )
            .map_err(|e| {
                if self.last_code() == ffi::SQLITE_NOTADB {
                    BackupError::NotSqlite(path.to_path_buf())
                } else {
                    e
                }
            })?;
        match REQUIRED_TABLES
            .into_iter()
            .find(|t| !tables.iter().any(|have| have == t))
        {
            Some(missing) => Err(BackupError::NotRiskline {
                path: path.to_path_buf(),
                missing,
            }),
            None => Ok(()),
        }
    }

    /// The first column of every row of `sql`, as text (NULL as an empty string).
    fn query_text(&self, sql: &str, context: &str) -> Result<Vec<String>, BackupError> {
        let sql = CString::new(sql).expect("statements hold no NUL");
        let mut stmt = ptr::null_mut();
        // SAFETY: `sql` is NUL-terminated and outlives the call; `stmt` receives the
        // prepared statement, finalized below.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(self.db, sql.as_ptr(), -1, &mut stmt, ptr::null_mut())
        };
        if rc != ffi::SQLITE_OK {
            return Err(self.error(context));
        }
        let mut rows = Vec::new();
        let outcome = loop {
            // SAFETY: `stmt` is a prepared statement of this connection.
            match unsafe { ffi::sqlite3_step(stmt) } {
                ffi::SQLITE_ROW => {
                    // SAFETY: the row is current; the text is copied before the next step.
                    let text = unsafe { ffi::sqlite3_column_text(stmt, 0) };
                    rows.push(if text.is_null() {
                        String::new()
                    } else {
                        // SAFETY: SQLite returns a NUL-terminated string for a current row.
                        unsafe { CStr::from_ptr(text.cast()) }
                            .to_string_lossy()
                            .into_owned()
                    });
                }
                ffi::SQLITE_DONE => break Ok(rows),
                _ => break Err(self.error(context)),
            }
        };
        // SAFETY: `stmt` is finalized once and not used afterwards.
        unsafe { ffi::sqlite3_finalize(stmt) };
        outcome
    }

    /// The single number `sql` yields.
    fn query_u64(&self, sql: &str, context: &str) -> Result<u64, BackupError> {
        let rows = self.query_text(sql, context)?;
        rows.first()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| BackupError::Sqlite {
                context: context.to_string(),
                message: format!("{sql} gave {rows:?}, not a number"),
            })
    }
}

impl Drop for Handle {
    fn drop(&mut self) {
        // SAFETY: the handle is closed once; every statement and backup object of
        // it was finalized before, so the close succeeds.
        unsafe { ffi::sqlite3_close(self.db) };
    }
}

/// SQLite's English text for a result code.
fn error_string(rc: c_int) -> String {
    // SAFETY: sqlite3_errstr returns a static NUL-terminated string for any code.
    unsafe { CStr::from_ptr(ffi::sqlite3_errstr(rc)) }
        .to_string_lossy()
        .into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecars_are_named_after_the_database() {
        let [wal, shm, journal] = sidecars(Path::new("/tmp/x.db"));
        assert_eq!(wal, Path::new("/tmp/x.db-wal"));
        assert_eq!(shm, Path::new("/tmp/x.db-shm"));
        assert_eq!(journal, Path::new("/tmp/x.db-journal"));
    }

    #[test]
    fn a_journal_left_beside_the_destination_counts_as_existing() {
        let dir = tempfile::TempDir::new().unwrap();
        let dest = dir.path().join("copy.db");
        assert!(check_destination(&dest, false).is_ok());
        fs::write(dir.path().join("copy.db-wal"), b"old").unwrap();
        let err = check_destination(&dest, false).unwrap_err();
        assert!(err.to_string().contains("copy.db-wal exists"), "{err}");
        assert!(check_destination(&dest, true).is_ok());
    }

    #[test]
    fn a_file_that_is_not_a_database_is_named_as_such() {
        let dir = tempfile::TempDir::new().unwrap();
        let path = dir.path().join("notes.txt");
        fs::write(
            &path,
            "not a database, just some words that fill a page ".repeat(100),
        )
        .unwrap();
        let err = inspect(&path).unwrap_err();
        assert!(matches!(err, BackupError::NotSqlite(_)), "{err}");
        assert!(
            err.to_string().ends_with("is not a SQLite database"),
            "{err}"
        );
    }
}
