//! Migrations up, down and up again through `riskline migrate`, and the check
//! constraints, on both backends (every table read back through its model is a
//! unit test of `store`, which alone sees the tables).

mod common;

use common::{new_company, new_event, on_both_backends, TestDb};
use diesel::prelude::*;
use riskline::store::backend;
use riskline::store::models::*;
use riskline::store::{now, Backend, DbConnection};

/// The migration names, from the SQLite tree; the PostgreSQL tree must match.
fn migration_names() -> Vec<String> {
    let names = |backend: &str| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations/").to_string() + backend;
        let mut names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e}"))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    };
    let sqlite = names("sqlite");
    assert_eq!(
        sqlite,
        names("postgres"),
        "both trees hold the same migrations"
    );
    assert!(!sqlite.is_empty());
    sqlite
}

fn status_lines(db: &TestDb) -> Vec<String> {
    db.run_ok(&["migrate", "status"])
        .lines()
        .filter(|l| l.starts_with("applied") || l.starts_with("pending"))
        .map(str::to_string)
        .collect()
}

fn expect_status(db: &TestDb, names: &[String], applied: usize) {
    let expected: Vec<String> = names
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let mark = if i < applied { "applied" } else { "pending" };
            format!("{mark}  {n}")
        })
        .collect();
    assert_eq!(status_lines(db), expected, "on {}", db.backend);
}

fn companies_table_exists(db: &TestDb) -> bool {
    let store = db.store();
    let mut conn = store.conn().unwrap();
    riskline::store::companies::count(&mut conn).is_ok()
}

#[test]
fn migrations_run_revert_all_and_run_again() {
    let names = migration_names();
    on_both_backends(|db| {
        expect_status(db, &names, 0);
        let out = db.run_ok(&["migrate"]);
        assert!(
            out.contains(&format!("applied {} migration(s)", names.len())),
            "{out}"
        );
        expect_status(db, &names, names.len());
        assert!(db.run_ok(&["migrate", "run"]).contains("up to date"));

        let out = db.run_ok(&["migrate", "revert"]);
        assert!(
            out.contains(&format!("reverted {}", names[names.len() - 1])),
            "{out}"
        );
        expect_status(db, &names, names.len() - 1);

        let out = db.run_ok(&["migrate", "revert", "--all"]);
        assert!(
            out.contains(&format!("reverted {} migration(s)", names.len() - 1)),
            "{out}"
        );
        expect_status(db, &names, 0);
        assert!(
            !companies_table_exists(db),
            "on {}: down left a table",
            db.backend
        );
        assert!(db
            .run_ok(&["migrate", "revert"])
            .contains("nothing to revert"));

        db.run_ok(&["migrate"]);
        expect_status(db, &names, names.len());
        assert!(companies_table_exists(db));
    });
}

#[test]
fn check_constraints_accept_exactly_the_enumerated_values() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        let mut conn = store.conn().unwrap();
        let conn = &mut *conn;
        let event = |kind: &str, status: Option<&str>, review: &str, confidence: f64| NewEvent {
            kind: kind.into(),
            status: status.map(str::to_string),
            review_state: review.into(),
            confidence,
            ..new_event("f")
        };
        let insert = |conn: &mut DbConnection, e: NewEvent| backend::insert_events(conn, &[e]);
        for kind in EventKind::ALL {
            insert(conn, event(kind.as_str(), None, "unreviewed", 1.0)).unwrap();
        }
        for status in Status::ALL {
            insert(
                conn,
                event("lawsuit", Some(status.as_str()), "unreviewed", 0.0),
            )
            .unwrap();
        }
        for state in ReviewState::ALL {
            insert(conn, event("lawsuit", None, state.as_str(), 0.5)).unwrap();
        }
        assert!(insert(conn, event("merger", None, "unreviewed", 0.5)).is_err());
        assert!(insert(conn, event("lawsuit", Some("rumoured"), "unreviewed", 0.5)).is_err());
        assert!(insert(conn, event("lawsuit", None, "approved", 0.5)).is_err());
        assert!(insert(conn, event("lawsuit", None, "unreviewed", 1.5)).is_err());
        let expected = EventKind::ALL.len() + Status::ALL.len() + ReviewState::ALL.len();
        let count = common::sql::count(conn, "events");
        assert_eq!(count, i64::try_from(expected).unwrap());

        let at = now();
        let company_id =
            backend::upsert_companies(conn, &[new_company("X", "X Corp")]).unwrap()[0].0;
        let alias = |kind: &str| NewCompanyAlias {
            company_id,
            alias: format!("X {kind}"),
            alias_norm: format!("x {kind}"),
            kind: kind.into(),
            created_at: at,
        };
        for kind in AliasKind::ALL {
            backend::insert_aliases(conn, &[alias(kind.as_str())]).unwrap();
        }
        assert!(backend::insert_aliases(conn, &[alias("nickname")]).is_err());
        // Tickers are stored upper case: a lower-case one is a bug upstream.
        assert!(backend::upsert_companies(conn, &[new_company("jpm", "JPMorgan")]).is_err());
    });
}

#[test]
fn sqlite_connections_use_wal_foreign_keys_and_a_busy_timeout() {
    #[derive(QueryableByName)]
    struct Value {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        value: i64,
    }
    #[derive(QueryableByName)]
    struct Mmap {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        mmap_size: i64,
    }
    #[derive(QueryableByName)]
    struct Mode {
        #[diesel(sql_type = diesel::sql_types::Text)]
        journal_mode: String,
    }
    let db = TestDb::sqlite();
    assert_eq!(db.backend, Backend::Sqlite);
    let store = db.store();
    let mut conn = store.conn().unwrap();
    let DbConnection::Sqlite(conn) = &mut *conn else {
        panic!("a file path opens SQLite");
    };
    let pragma = |conn: &mut diesel::SqliteConnection, name: &str| -> i64 {
        diesel::sql_query(format!("SELECT (SELECT * FROM pragma_{name}) AS value"))
            .get_result::<Value>(conn)
            .unwrap()
            .value
    };
    let mode: Mode = diesel::sql_query("PRAGMA journal_mode")
        .get_result(conn)
        .unwrap();
    assert_eq!(mode.journal_mode, "wal");
    assert_eq!(pragma(conn, "foreign_keys"), 1);
    assert_eq!(pragma(conn, "synchronous"), 1, "NORMAL");
    assert!(pragma(conn, "busy_timeout") >= 1000);
    assert!(
        pragma(conn, "cache_size") <= -65536,
        "a cache of 64 MiB or more"
    );
    let mmap: Mmap = diesel::sql_query("PRAGMA mmap_size")
        .get_result(conn)
        .unwrap();
    assert!(mmap.mmap_size >= 256 * 1024 * 1024, "{}", mmap.mmap_size);
}
