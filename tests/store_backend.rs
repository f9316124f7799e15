//! The per-backend statements of `store::backend`, on both databases.

mod common;

use common::{new_company as company, new_event as event, on_both_backends, sql};
use riskline::store::backend::{self, BATCH_ROWS};
use riskline::store::models::*;
use riskline::store::{companies, now, snapshot, DbConnection, StoreError};

fn insert_event(conn: &mut DbConnection, fingerprint: &str) -> i64 {
    backend::insert_events(conn, &[event(fingerprint)]).unwrap()[0]
}

fn insert_document(conn: &mut DbConnection) -> i64 {
    let at = now();
    backend::insert_documents(
        conn,
        &[NewDocument {
            source_kind: SourceKind::News.to_string(),
            format: DocumentFormat::Text.to_string(),
            url: None,
            title: None,
            published_at: None,
            published_precision: None,
            content_hash: "0".repeat(64),
            byte_len: 5,
            text: "hello".into(),
            filer_cik: None,
            form_type: None,
            ingested_at: at,
        }],
    )
    .unwrap()[0]
        .0
}

#[test]
fn upserting_companies_inserts_new_tickers_and_updates_existing_ones() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        let mut conn = store.conn().unwrap();
        let conn = &mut *conn;
        // More rows than one statement takes, so that chunking is exercised.
        let rows: Vec<NewCompany> = (0..BATCH_ROWS + 7)
            .map(|i| company(&format!("T{i}"), &format!("Company {i}")))
            .collect();
        let written = backend::upsert_companies(conn, &rows).unwrap();
        assert_eq!(written.len(), rows.len());
        let first_ids: std::collections::HashMap<String, i64> =
            written.into_iter().map(|(id, t)| (t, id)).collect();

        let mut changed = company("T3", "Company Three");
        changed.cik = Some(42);
        changed.exchange = Some("NYSE".into());
        let written = backend::upsert_companies(conn, &[changed.clone()]).unwrap();
        assert_eq!(written, vec![(first_ids["T3"], "T3".to_string())]);
        let row: CompanyRow = companies::find_by_ticker(conn, "T3").unwrap().unwrap();
        assert_eq!(
            (row.fields.name, row.fields.cik, row.fields.exchange),
            ("Company Three".into(), Some(42), Some("NYSE".into()))
        );
        let count = sql::count(conn, "companies");
        assert_eq!(count, i64::try_from(rows.len()).unwrap());
    });
}

#[test]
fn batch_inserts_skip_rows_that_exist() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        let mut conn = store.conn().unwrap();
        let conn = &mut *conn;
        let at = now();
        let company_id =
            backend::upsert_companies(conn, &[company("ACME", "Acme Corp")]).unwrap()[0].0;

        let aliases: Vec<NewCompanyAlias> = (0..BATCH_ROWS * 2 + 3)
            .map(|i| NewCompanyAlias {
                company_id,
                alias: format!("Acme {i}"),
                alias_norm: format!("acme {i}"),
                kind: AliasKind::Brand.to_string(),
                created_at: at,
            })
            .collect();
        assert_eq!(backend::insert_aliases(conn, &aliases[..10]).unwrap(), 10);
        assert_eq!(
            backend::insert_aliases(conn, &aliases).unwrap(),
            aliases.len() - 10
        );
        assert_eq!(backend::insert_aliases(conn, &aliases).unwrap(), 0);

        let event_id = insert_event(conn, "fp");
        let document_id = insert_document(conn);
        let links = [Role::Defendant, Role::Regulated].map(|role| NewEventCompany {
            event_id,
            company_id,
            role: role.to_string(),
            occurred_on: None,
        });
        assert_eq!(backend::insert_event_companies(conn, &links).unwrap(), 2);
        assert_eq!(backend::insert_event_companies(conn, &links).unwrap(), 0);

        let mentions: Vec<NewEventMention> = [0, 10, 0]
            .into_iter()
            .map(|start| NewEventMention {
                event_id,
                document_id,
                start_offset: start,
                end_offset: start + 5,
                snippet: "hello".into(),
                rule: "test".into(),
                merge_reason: None,
                merge_score: None,
                created_at: at,
            })
            .collect();
        assert_eq!(
            backend::insert_event_mentions(conn, &mentions).unwrap(),
            2,
            "the repeated start offset is skipped within one batch too"
        );
        assert_eq!(backend::insert_event_mentions(conn, &mentions).unwrap(), 0);

        let new_tags = ["watch", "legal", "watch"].map(|name| NewTag {
            name: name.into(),
            created_at: at,
        });
        assert_eq!(backend::insert_tags(conn, &new_tags).unwrap(), 2);
        assert_eq!(backend::insert_tags(conn, &new_tags).unwrap(), 0);
        let tag_ids = sql::numbers(conn, "SELECT id AS n FROM tags ORDER BY name");
        let event_tags: Vec<NewEventTag> = tag_ids
            .iter()
            .map(|&tag_id| NewEventTag {
                event_id,
                tag_id,
                created_by: "analyst".into(),
                created_at: at,
            })
            .collect();
        assert_eq!(backend::insert_event_tags(conn, &event_tags).unwrap(), 2);
        assert_eq!(backend::insert_event_tags(conn, &event_tags).unwrap(), 0);
        let tagged = sql::count(conn, "event_tags");
        assert_eq!(tagged, 2);
    });
}

#[derive(Debug)]
enum TestError {
    Db(StoreError),
    Refused,
}

impl From<StoreError> for TestError {
    fn from(e: StoreError) -> Self {
        TestError::Db(e)
    }
}

#[test]
fn a_failed_write_transaction_leaves_nothing_behind() {
    on_both_backends(|db| {
        let store = db.migrated_store();
        let mut conn = store.conn().unwrap();
        let conn = &mut *conn;
        let result: Result<(), TestError> = backend::write_transaction(conn, |conn| {
            insert_event(conn, "kept?");
            Err(TestError::Refused)
        });
        assert!(matches!(result, Err(TestError::Refused)));
        let count = sql::count(conn, "events");
        assert_eq!(count, 0, "on {}: the insert was rolled back", db.backend);

        // Nested: the inner failure rolls back to its savepoint only.
        let result: Result<(), TestError> = backend::write_transaction(conn, |conn| {
            insert_event(conn, "outer");
            let inner: Result<(), TestError> = backend::write_transaction(conn, |conn| {
                insert_event(conn, "inner");
                Err(TestError::Refused)
            });
            assert!(inner.is_err());
            Ok(())
        });
        assert!(result.is_ok());
        let kept: Vec<String> = snapshot::read(conn)
            .unwrap()
            .events
            .into_iter()
            .map(|e| e.fields.fingerprint)
            .collect();
        assert_eq!(kept, vec!["outer".to_string()]);

        // A database error inside the closure also rolls back and is returned.
        let result: Result<(), TestError> = backend::write_transaction(conn, |conn| {
            insert_event(conn, "second");
            let mut bad = event("bad");
            bad.kind = "merger".into();
            backend::insert_events(conn, &[bad])?;
            Ok(())
        });
        assert!(
            matches!(result, Err(TestError::Db(StoreError::Refused(_)))),
            "{result:?}"
        );
        let count = sql::count(conn, "events");
        assert_eq!(count, 1);
    });
}

#[test]
fn two_sqlite_writers_queue_instead_of_failing() {
    let db = common::TestDb::sqlite();
    let store = db.migrated_store();
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let store = store.clone();
            std::thread::spawn(move || {
                let mut conn = store.conn().unwrap();
                for i in 0..25 {
                    // Read then write in one transaction: with a deferred BEGIN the
                    // lock upgrade would fail with "database is locked".
                    let result: Result<(), StoreError> =
                        backend::write_transaction(&mut conn, |conn| {
                            let _ = sql::count(conn, "events");
                            backend::insert_events(conn, &[event(&format!("{t}-{i}"))])?;
                            Ok(())
                        });
                    result.unwrap();
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    let mut conn = store.conn().unwrap();
    let count = sql::count(&mut conn, "events");
    assert_eq!(count, 100);
}
