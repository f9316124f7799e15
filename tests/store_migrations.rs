//! Migrations up, down and up again through `riskline migrate`, and every table
//! read back through its diesel model, on both backends.

mod common;

use chrono::NaiveDate;
use common::{new_company, new_event, on_both_backends, TestDb};
use diesel::prelude::*;
use riskline::store::models::*;
use riskline::store::schema::*;
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
    companies::table
        .count()
        .get_result::<i64>(&mut *conn)
        .is_ok()
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

/// Inserts one row into every table and reads each back through its model.
fn every_model_round_trips(conn: &mut DbConnection) {
    let at = now();
    let company = NewCompany {
        ticker: "GM".into(),
        name: "General Motors Company".into(),
        cik: Some(1467858),
        exchange: Some("NYSE".into()),
        parent_id: None,
        created_at: at,
        updated_at: at,
    };
    let company_id: i64 = diesel::insert_into(companies::table)
        .values(&company)
        .returning(companies::id)
        .get_result(conn)
        .unwrap();
    let row: CompanyRow = companies::table
        .select(CompanyRow::as_select())
        .find(company_id)
        .first(conn)
        .unwrap();
    assert_eq!(
        (row.ticker, row.name, row.cik, row.exchange, row.created_at),
        (
            company.ticker,
            company.name,
            company.cik,
            company.exchange,
            at
        )
    );

    let alias = NewCompanyAlias {
        company_id,
        alias: "Cruise".into(),
        alias_norm: "cruise".into(),
        kind: AliasKind::Subsidiary.to_string(),
        created_at: at,
    };
    diesel::insert_into(company_aliases::table)
        .values(&alias)
        .execute(conn)
        .unwrap();
    let row: CompanyAliasRow = company_aliases::table
        .select(CompanyAliasRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!(
        (row.company_id, row.alias, row.kind),
        (company_id, alias.alias, alias.kind)
    );

    let document = NewDocument {
        source_kind: SourceKind::News.to_string(),
        format: DocumentFormat::Html.to_string(),
        url: Some("https://example.com/gm".into()),
        title: Some("GM halts Cruise".into()),
        published_at: Some(at),
        published_precision: None,
        content_hash: "ab".repeat(32),
        byte_len: 1234,
        text: "GM halted its Cruise driverless service nationwide.".into(),
        filer_cik: None,
        form_type: None,
        ingested_at: at,
    };
    let document_id: i64 = diesel::insert_into(documents::table)
        .values(&document)
        .returning(documents::id)
        .get_result(conn)
        .unwrap();
    let row: DocumentRow = documents::table
        .select(DocumentRow::as_select())
        .find(document_id)
        .first(conn)
        .unwrap();
    assert_eq!(
        (row.content_hash, row.published_at, row.byte_len, row.text),
        (
            document.content_hash,
            document.published_at,
            1234,
            document.text
        )
    );

    let occurred_on = NaiveDate::from_ymd_opt(2023, 11, 6);
    let event = NewEvent {
        kind: EventKind::ServiceHalt.to_string(),
        action: "halt".into(),
        status: Some(EventStatus::Announced.to_string()),
        occurred_on,
        date_precision: Some(DatePrecision::Day.to_string()),
        amount: Some(1.5e6),
        currency: Some("USD".into()),
        amount_usd: Some(1_500_000),
        authority: None,
        jurisdiction: Some("US".into()),
        parties: "[]".into(),
        summary: "GM halted Cruise nationwide".into(),
        confidence: 0.875,
        review_state: ReviewState::Unreviewed.to_string(),
        review_note: None,
        corrected_fields: "[]".into(),
        origin: Origin::Extracted.to_string(),
        fingerprint: "service_halt|GM|2023-11".into(),
        thread_id: None,
        thread_status: None,
        document_count: 1,
        created_at: at,
        updated_at: at,
    };
    let event_id: i64 = diesel::insert_into(events::table)
        .values(&event)
        .returning(events::id)
        .get_result(conn)
        .unwrap();
    let changes = EventChanges {
        thread_id: Some(Some(event_id)),
        thread_status: Some(Some(EventStatus::Announced.to_string())),
        ..Default::default()
    };
    diesel::update(events::table.find(event_id))
        .set(&changes)
        .execute(conn)
        .unwrap();
    let row: EventRow = events::table
        .select(EventRow::as_select())
        .find(event_id)
        .first(conn)
        .unwrap();
    assert_eq!(row.occurred_on, occurred_on);
    assert_eq!(row.amount, Some(1.5e6));
    assert_eq!(row.confidence, 0.875);
    assert_eq!(row.thread_id, Some(event_id));
    assert_eq!(
        row.updated_at, at,
        "timestamps keep microseconds on both backends"
    );

    diesel::insert_into(event_companies::table)
        .values(&NewEventCompany {
            event_id,
            company_id,
            role: CompanyRole::Operator.to_string(),
            occurred_on,
        })
        .execute(conn)
        .unwrap();
    let row: EventCompanyRow = event_companies::table
        .select(EventCompanyRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!(
        (row.event_id, row.company_id, row.occurred_on),
        (event_id, company_id, occurred_on)
    );

    diesel::insert_into(event_mentions::table)
        .values(&NewEventMention {
            event_id,
            document_id,
            start_offset: 0,
            end_offset: 51,
            snippet: "GM halted its Cruise driverless service nationwide.".into(),
            rule: "halt.subject_verb".into(),
            merge_reason: Some("same fingerprint".into()),
            merge_score: Some(0.5),
            created_at: at,
        })
        .execute(conn)
        .unwrap();
    let row: EventMentionRow = event_mentions::table
        .select(EventMentionRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!(
        (row.document_id, row.end_offset, row.merge_score),
        (document_id, 51, Some(0.5))
    );

    let tag_id: i64 = diesel::insert_into(tags::table)
        .values(&NewTag {
            name: "watchlist".into(),
            created_at: at,
        })
        .returning(tags::id)
        .get_result(conn)
        .unwrap();
    let row: TagRow = tags::table.select(TagRow::as_select()).first(conn).unwrap();
    assert_eq!((row.id, row.name.as_str()), (tag_id, "watchlist"));
    diesel::insert_into(event_tags::table)
        .values(&NewEventTag {
            event_id,
            tag_id,
            created_by: "analyst".into(),
            created_at: at,
        })
        .execute(conn)
        .unwrap();
    let row: EventTagRow = event_tags::table
        .select(EventTagRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!((row.event_id, row.tag_id), (event_id, tag_id));

    diesel::insert_into(audit_log::table)
        .values(&NewAuditEntry {
            event_id: Some(event_id),
            entity: "event".into(),
            action: "review".into(),
            actor: "analyst".into(),
            before_json: Some("{}".into()),
            after_json: Some(r#"{"review_state":"confirmed"}"#.into()),
            at,
        })
        .execute(conn)
        .unwrap();
    let row: AuditEntryRow = audit_log::table
        .select(AuditEntryRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!((row.event_id, row.at), (Some(event_id), at));

    diesel::insert_into(api_keys::table)
        .values(&NewApiKey {
            name: "ci".into(),
            role: KeyRole::Analyst.to_string(),
            key_hash: "cd".repeat(32),
            prefix: "rl_abcd".into(),
            created_at: at,
            revoked_at: None,
            last_used_at: None,
        })
        .execute(conn)
        .unwrap();
    let row: ApiKeyRow = api_keys::table
        .select(ApiKeyRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!((row.role.as_str(), row.revoked_at), ("analyst", None));

    // Ownership cascades: deleting the event removes its links, evidence and tags,
    // and keeps its history.
    diesel::delete(events::table.find(event_id))
        .execute(conn)
        .unwrap();
    let left: (i64, i64, i64, i64) = (
        event_companies::table.count().get_result(conn).unwrap(),
        event_mentions::table.count().get_result(conn).unwrap(),
        event_tags::table.count().get_result(conn).unwrap(),
        audit_log::table.count().get_result(conn).unwrap(),
    );
    assert_eq!(left, (0, 0, 0, 1));
}

#[test]
fn every_table_loads_through_its_model() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        every_model_round_trips(&mut store.conn().unwrap());
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
        let insert = |conn: &mut DbConnection, e: NewEvent| {
            diesel::insert_into(events::table).values(&e).execute(conn)
        };
        for kind in EventKind::ALL {
            insert(conn, event(kind.as_str(), None, "unreviewed", 1.0)).unwrap();
        }
        for status in EventStatus::ALL {
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
        let expected = EventKind::ALL.len() + EventStatus::ALL.len() + ReviewState::ALL.len();
        let count: i64 = events::table.count().get_result(conn).unwrap();
        assert_eq!(count, i64::try_from(expected).unwrap());

        let at = now();
        let company_id: i64 = diesel::insert_into(companies::table)
            .values(&new_company("X", "X Corp"))
            .returning(companies::id)
            .get_result(conn)
            .unwrap();
        let alias = |kind: &str| NewCompanyAlias {
            company_id,
            alias: format!("X {kind}"),
            alias_norm: format!("x {kind}"),
            kind: kind.into(),
            created_at: at,
        };
        for kind in AliasKind::ALL {
            diesel::insert_into(company_aliases::table)
                .values(&alias(kind.as_str()))
                .execute(conn)
                .unwrap();
        }
        assert!(diesel::insert_into(company_aliases::table)
            .values(&alias("nickname"))
            .execute(conn)
            .is_err());
        // Tickers are stored upper case: a lower-case one is a bug upstream.
        assert!(diesel::insert_into(companies::table)
            .values(&new_company("jpm", "JPMorgan"))
            .execute(conn)
            .is_err());
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
