//! `riskline backup` and `riskline restore` through the real binary.
//!
//! SQLite: backups taken while an ingest writes are consistent snapshots; a restored
//! backup reads back row for row; existing files are replaced only with `--force`; a
//! damaged or foreign backup changes nothing. PostgreSQL: `riskline backup` (pg_dump)
//! and the documented pg_dump / pg_restore procedure give a database with the same rows.

mod common;
mod ingest_corpus;
mod ingest_support;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use common::{bin, registry_snapshot, TestDb};
use diesel::connection::SimpleConnection;
use diesel::Connection;
use ingest_support::*;
use tempfile::TempDir;

/// The number after `name: ` in a command's output.
fn figure(output: &str, name: &str) -> u64 {
    let prefix = format!("{name}: ");
    output
        .lines()
        .find_map(|line| line.strip_prefix(&prefix))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no {name:?} figure in:\n{output}"))
}

/// A fresh SQLite database with the demo corpus and an API key.
fn demo_database() -> TestDb {
    let db = TestDb::sqlite();
    ingest_ok(&db, &[&fixture("demo")]);
    db.run_ok(&["keys", "create", "--name", "ops", "--role", "reader"]);
    db
}

/// The rows every reader sees: documents, events, mentions, links, tags, the
/// registry, and what `companies list` and `keys list` print.
fn readable_state(db: &TestDb) -> String {
    let store = db.store();
    format!(
        "{:?}\n{:?}\n{}\n{}",
        snapshot(&store),
        registry_snapshot(&store),
        db.run_ok(&["companies", "list", "--limit", "0"]),
        db.run_ok(&["keys", "list"])
    )
}

#[test]
fn backups_taken_while_an_ingest_writes_are_consistent_snapshots() {
    const DOCUMENTS: usize = 3_000;
    let dir = TempDir::new().unwrap();
    let corpus = dir.path().join("corpus");
    ingest_corpus::write_files(&corpus, DOCUMENTS).unwrap();
    let corpus = path_str(&corpus);

    let source = TestDb::sqlite();
    // Migrate and load the registry first, so that the ingest's commits are batches of documents.
    source.run_ok(&["companies", "list", "--limit", "1"]);
    let store = source.store();
    let mut ingest = Command::new(bin())
        .args(["ingest", "--json", "--batch-documents", "25", &corpus])
        .env("DATABASE_URL", &source.url)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    assert!(
        wait_for(|| counts(&store)[0] > 0),
        "the ingest committed no batch"
    );

    // Backups one after the other while the ingest runs (at most five).
    let mut copies: Vec<(TestDb, u64)> = Vec::new();
    while copies.len() < 5 && ingest.try_wait().unwrap().is_none() {
        let copy = TestDb::sqlite();
        let out = source.run_ok(&["backup", &copy.url]);
        assert!(out.contains("integrity: ok"), "{out}");
        assert!(
            figure(&out, "size") > 0 && out.contains("pages of 16384 bytes"),
            "{out}"
        );
        copies.push((copy, figure(&out, "documents")));
    }
    let finished = ingest.wait_with_output().unwrap();
    assert!(
        finished.status.success(),
        "the ingest failed beside the backups: {}",
        String::from_utf8_lossy(&finished.stderr)
    );
    let total = counts(&store)[0] as u64;
    assert_eq!(total, DOCUMENTS as u64);
    let taken: Vec<u64> = copies.iter().map(|(_, documents)| *documents).collect();
    eprintln!("documents in the backups taken during the ingest: {taken:?} of {total}");
    assert!(
        copies.iter().any(|(_, documents)| *documents < total),
        "no backup was taken while the ingest was writing; the corpus is too small"
    );

    let mut previous = 0;
    for (copy, documents) in &copies {
        let copy_store = copy.store();
        let stored = counts(&copy_store);
        assert_eq!(
            stored[0] as u64, *documents,
            "the copy holds what was printed"
        );
        assert!(stored[0] as u64 >= previous, "later copies hold more");
        previous = stored[0] as u64;
        // Every event has its mentions, documents and links: no half-written batch.
        assert_consistent(copy);
    }
}

#[test]
fn a_backup_is_one_file_and_a_restore_reads_back_the_same_rows() {
    let db = demo_database();
    let before = readable_state(&db);
    let dir = TempDir::new().unwrap();
    let backup = dir.path().join("riskline-backup.db");
    let out = db.run_ok(&["backup", &path_str(&backup)]);
    let [documents, events, mentions] = counts(&db.store())[..3] else {
        unreachable!()
    };
    assert_eq!(figure(&out, "documents"), documents as u64, "{out}");
    assert_eq!(figure(&out, "events"), events as u64, "{out}");
    assert_eq!(figure(&out, "mentions"), mentions as u64, "{out}");
    assert_eq!(
        figure(&out, "size"),
        std::fs::metadata(&backup).unwrap().len() / 16_384,
        "{out}"
    );
    // No journal beside the backup: the file alone is the backup.
    let files: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(files, ["riskline-backup.db"]);

    let restored = TestDb::sqlite();
    let out = restored.run_ok(&["restore", &path_str(&backup)]);
    assert!(out.contains("integrity: ok"), "{out}");
    assert_eq!(figure(&out, "events"), events as u64, "{out}");
    assert_eq!(readable_state(&restored), before);
    assert_eq!(readable_state(&db), before, "the source is unchanged");
    assert_consistent(&restored);
    // The restored database takes new documents like any other.
    let summary = ingest_ok(&restored, &[&fixture("ingest/thread")]);
    assert_eq!(summary["documents"]["failed"], 0, "{summary}");
}

#[test]
fn existing_files_are_replaced_only_with_force() {
    let db = demo_database();
    let dir = TempDir::new().unwrap();
    let backup = dir.path().join("backup.db");
    std::fs::write(&backup, "an older file").unwrap();

    let out = db.run(&["backup", &path_str(&backup)]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("exists already; add --force"),
        "{}",
        out.stderr
    );
    assert_eq!(std::fs::read(&backup).unwrap(), b"an older file");
    db.run_ok(&["backup", "--force", &path_str(&backup)]);

    // The target of a restore: another database, left alone without --force.
    let other = TestDb::sqlite();
    ingest_ok(&other, &[&fixture("ingest/same-suit")]);
    let other_before = readable_state(&other);
    let out = other.run(&["restore", &path_str(&backup)]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("exists already; add --force"),
        "{}",
        out.stderr
    );
    assert_eq!(readable_state(&other), other_before);
    let out = other.run_ok(&["restore", "--force", &path_str(&backup)]);
    assert!(out.contains("integrity: ok"), "{out}");
    assert_eq!(readable_state(&other), readable_state(&db));

    // A journal left by a former database at the target would be applied to the
    // restored file: it counts as an existing database.
    let fresh = dir.path().join("fresh.db");
    std::fs::write(dir.path().join("fresh.db-wal"), "stale").unwrap();
    let out = common::run(&path_str(&fresh), &["restore", &path_str(&backup)]);
    assert!(!out.success);
    assert!(out.stderr.contains("fresh.db-wal exists"), "{}", out.stderr);
    assert!(!fresh.exists());
    common::run(
        &path_str(&fresh),
        &["restore", "--force", &path_str(&backup)],
    );
    assert!(fresh.exists() && !dir.path().join("fresh.db-wal").exists());

    // Never the database onto itself.
    let out = db.run(&["backup", "--force", &db.url]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("is the database itself"),
        "{}",
        out.stderr
    );
}

/// Runs `riskline restore BACKUP` into a new database; returns its stderr after
/// checking that it failed and created nothing.
fn failed_restore(backup: &Path) -> String {
    let dir = TempDir::new().unwrap();
    let target = dir.path().join("restored.db");
    let out = common::run(&path_str(&target), &["restore", &path_str(backup)]);
    assert!(!out.success, "restore of {} succeeded", backup.display());
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    let left: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(left.is_empty(), "a failed restore left {left:?}");
    out.stderr
}

#[test]
fn damaged_or_foreign_backups_change_nothing() {
    let dir = TempDir::new().unwrap();
    let text = dir.path().join("notes.txt");
    std::fs::write(&text, "not a database ".repeat(400)).unwrap();
    let err = failed_restore(&text);
    assert!(err.contains("notes.txt is not a SQLite database"), "{err}");

    let err = failed_restore(&dir.path().join("missing.db"));
    assert!(err.contains("there is no database at"), "{err}");

    let foreign = dir.path().join("foreign.db");
    let mut conn = diesel::SqliteConnection::establish(&path_str(&foreign)).unwrap();
    conn.batch_execute("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('x')")
        .unwrap();
    drop(conn);
    let err = failed_restore(&foreign);
    assert!(err.contains("not a riskline one"), "{err}");

    // A backup with one page of its tables overwritten: the check finds it.
    let db = demo_database();
    let backup = dir.path().join("backup.db");
    db.run_ok(&["backup", &path_str(&backup)]);
    let mut bytes = std::fs::read(&backup).unwrap();
    let pages = bytes.len() / 16_384;
    assert!(pages > 10, "{pages} pages");
    let middle = pages / 2 * 16_384;
    bytes[middle..middle + 16_384].fill(0x5a);
    std::fs::write(&backup, bytes).unwrap();
    let err = failed_restore(&backup);
    eprintln!("a damaged backup: {err}");
    assert!(err.contains("backup.db is damaged"), "{err}");

    // Backing up a database that does not exist creates nothing.
    let out = common::run(
        &path_str(&dir.path().join("none.db")),
        &["backup", &path_str(&dir.path().join("copy.db"))],
    );
    assert!(!out.success);
    assert!(
        out.stderr.contains("there is no database at"),
        "{}",
        out.stderr
    );
    assert!(!dir.path().join("none.db").exists() && !dir.path().join("copy.db").exists());
}

/// Whether `tool` runs; outside CI a missing tool skips the test with a note.
fn have(tool: &str) -> bool {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|out| out.status.success());
    if !found {
        if std::env::var_os("CI").is_some() {
            panic!("{tool} is not on PATH, and CI is set");
        }
        eprintln!("skipped: {tool} is not on PATH");
    }
    found
}

/// Restores a custom-format dump into `db` as docs/backup.md says.
fn pg_restore(dump: &Path, db: &TestDb) {
    let out = Command::new("pg_restore")
        .args([
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--dbname",
            &db.url,
        ])
        .arg(dump)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg_restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn postgres_dumps_restore_into_a_new_database_with_the_same_rows() {
    let Some(db) = TestDb::postgres() else { return };
    if !have("pg_dump") || !have("pg_restore") {
        return;
    }
    migrate(&db);
    ingest_ok(&db, &[&fixture("demo")]);
    db.run_ok(&["keys", "create", "--name", "ops", "--role", "reader"]);
    let before = readable_state(&db);
    let [documents, events, mentions, _] = counts(&db.store());
    let dir = TempDir::new().unwrap();

    // `riskline backup` runs pg_dump and counts the snapshot it dumped.
    let dump = dir.path().join("riskline.dump");
    let out = db.run_ok(&["backup", &path_str(&dump)]);
    assert_eq!(figure(&out, "documents"), documents as u64, "{out}");
    assert_eq!(figure(&out, "events"), events as u64, "{out}");
    assert_eq!(figure(&out, "mentions"), mentions as u64, "{out}");
    let again = db.run(&["backup", &path_str(&dump)]);
    assert!(!again.success && again.stderr.contains("exists already"));

    let restored = TestDb::postgres().expect("a second database");
    pg_restore(&dump, &restored);
    assert_eq!(readable_state(&restored), before);
    assert_consistent(&restored);

    // pg_dump run by hand, as documented, gives the same.
    let by_hand = dir.path().join("by-hand.dump");
    let out = Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&by_hand)
        .arg(&db.url)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let third = TestDb::postgres().expect("a third database");
    pg_restore(&by_hand, &third);
    assert_eq!(readable_state(&third), before);

    // The restored database is complete: its migrations are applied and its
    // identity sequences continue after the restored rows.
    let status = restored.run_ok(&["migrate", "status"]);
    assert!(status.contains(" applied, 0 pending"), "{status}");
    let summary = ingest_ok(&restored, &[&fixture("ingest/thread")]);
    assert_eq!(summary["documents"]["failed"], 0, "{summary}");

    // `riskline restore` does not write into PostgreSQL; it says how to.
    let out = db.run(&["restore", &path_str(&dump)]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("pg_restore --single-transaction"),
        "{}",
        out.stderr
    );
    assert_eq!(readable_state(&db), before);
}
