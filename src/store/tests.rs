//! Unit tests of the store that need its tables: every table read back
//! through its model, on SQLite and (with `TEST_DATABASE_URL`) PostgreSQL.

use chrono::NaiveDate;
use diesel::prelude::*;

use super::models::*;
use super::schema::*;
use super::{now, DbConnection, Store};

/// Inserts one row into every table and reads each back through its model.
#[expect(
    clippy::too_many_lines,
    reason = "one row for each table, written out so a failure names the table"
)]
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
        (
            row.fields.ticker,
            row.fields.name,
            row.fields.cik,
            row.fields.exchange,
            row.fields.created_at
        ),
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
        (row.fields.company_id, row.fields.alias, row.fields.kind),
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
        (
            row.fields.content_hash,
            row.fields.published_at,
            row.fields.byte_len,
            row.fields.text
        ),
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
        status: Some(Status::Announced.to_string()),
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
        thread_status: Some(Some(Status::Announced.to_string())),
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
    assert_eq!(row.fields.occurred_on, occurred_on);
    assert_eq!(row.fields.amount, Some(1.5e6));
    assert_eq!(row.fields.confidence, 0.875);
    assert_eq!(row.fields.thread_id, Some(event_id));
    assert_eq!(
        row.fields.updated_at, at,
        "timestamps keep microseconds on both backends"
    );

    diesel::insert_into(event_companies::table)
        .values(&NewEventCompany {
            event_id,
            company_id,
            role: Role::Operator.to_string(),
            occurred_on,
        })
        .execute(conn)
        .unwrap();
    let row: EventCompanyRow = event_companies::table
        .select(EventCompanyRow::as_select())
        .first(conn)
        .unwrap();
    assert_eq!(
        (
            row.fields.event_id,
            row.fields.company_id,
            row.fields.occurred_on
        ),
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
        (
            row.fields.document_id,
            row.fields.end_offset,
            row.fields.merge_score
        ),
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
    assert_eq!((row.id, row.fields.name.as_str()), (tag_id, "watchlist"));
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
    assert_eq!((row.fields.event_id, row.fields.at), (Some(event_id), at));

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
    assert_eq!(
        (row.fields.role.as_str(), row.fields.revoked_at),
        ("analyst", None)
    );

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
fn every_table_loads_through_its_model_on_sqlite() {
    let dir = tempfile::TempDir::new().unwrap();
    let store = Store::open_and_migrate(&dir.path().join("t.db").display().to_string()).unwrap();
    every_model_round_trips(&mut store.conn().unwrap());
}

/// A fresh PostgreSQL database on the server of `TEST_DATABASE_URL`, dropped at the end.
#[test]
fn every_table_loads_through_its_model_on_postgres() {
    let server = std::env::var("TEST_DATABASE_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_string());
    let mut admin = match diesel::PgConnection::establish(&server) {
        Ok(admin) => admin,
        Err(e) if std::env::var_os("CI").is_some() => panic!("PostgreSQL not reachable: {e}"),
        Err(e) => {
            eprintln!("skipped: PostgreSQL not reachable ({e})");
            return;
        }
    };
    let name = format!("riskline_store_unit_{}", std::process::id());
    diesel::sql_query(format!("DROP DATABASE IF EXISTS \"{name}\""))
        .execute(&mut admin)
        .unwrap();
    diesel::sql_query(format!("CREATE DATABASE \"{name}\""))
        .execute(&mut admin)
        .unwrap();
    let base = server
        .rsplit_once('/')
        .map_or(server.as_str(), |(base, _)| base);
    let url = format!("{base}/{name}");
    let result = std::panic::catch_unwind(|| {
        let store = Store::open(&url).unwrap();
        store.migrate().unwrap();
        every_model_round_trips(&mut store.conn().unwrap());
    });
    diesel::sql_query(format!("DROP DATABASE \"{name}\" WITH (FORCE)"))
        .execute(&mut admin)
        .unwrap();
    if let Err(panic) = result {
        std::panic::resume_unwind(panic);
    }
}
