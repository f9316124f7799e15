//! `riskline companies import-history` through the binary, on both backends: an SEC
//! submissions file (written for this test, for a made-up company) adds the company
//! with its former name, which then links an old article; a history table adds
//! periods; re-importing changes nothing; a bad file changes nothing.

mod common;

use std::path::{Path, PathBuf};

use common::{on_both_backends, sql, TestDb};
use riskline::extract::dates::Published;
use riskline::ingest::{ingest_one, DocumentInput};

const SUBMISSIONS: &str = r#"{
  "cik": "0009990001",
  "entityType": "operating",
  "name": "GLOBEX HOLDINGS CORP",
  "tickers": ["GLBX"],
  "exchanges": ["Nasdaq"],
  "formerNames": [
    {"name": "QUARTZWELL DYNAMICS INC", "from": "2001-02-03T00:00:00.000Z", "to": "2015-06-30T00:00:00.000Z"}
  ]
}"#;

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

fn history_rows(db: &TestDb) -> i64 {
    let store = db.store();
    let mut conn = store.conn().unwrap();
    sql::count(&mut conn, "company_history")
}

#[test]
fn submissions_add_a_company_with_its_former_name_and_periods_once() {
    on_both_backends(|db: &TestDb| {
        // PostgreSQL is shared and migrated on purpose; SQLite would migrate itself.
        db.run_ok(&["migrate"]);
        let dir = tempfile::tempdir().unwrap();
        let file = write(dir.path(), "CIK0009990001.json", SUBMISSIONS);
        let file = file.to_str().unwrap();
        let out = db.run_ok(&["companies", "import-history", file]);
        assert!(
            out.contains("GLBX: GLOBEX HOLDINGS CORP (2 name periods, 1 former names), added"),
            "on {}: {out}",
            db.backend
        );
        assert_eq!(history_rows(db), 2);
        let again = db.run_ok(&["companies", "import-history", file]);
        assert!(!again.contains("added"), "{again}");
        assert_eq!(
            history_rows(db),
            2,
            "on {}: re-importing duplicates",
            db.backend
        );

        let shown = db.run_ok(&["companies", "show", "GLBX"]);
        assert!(shown.contains("Quartzwell Dynamics"), "{shown}");

        // An article of the old name's time links to the company.
        let store = db.migrated_store();
        let outcome = ingest_one(
            &store,
            DocumentInput {
                text: Some(
                    "Quartzwell Dynamics Inc. was sued by a group of its former engineers in federal court on Monday over unpaid overtime."
                        .into(),
                ),
                published_at: Some(Published::day(chrono::NaiveDate::from_ymd_opt(2009, 4, 6).unwrap()).into()),
                ..DocumentInput::default()
            },
        )
        .unwrap();
        assert_eq!(outcome.event_ids.len(), 1, "on {}: {outcome:?}", db.backend);
        let mut conn = store.conn().unwrap();
        let tickers = sql::texts(
            &mut conn,
            &format!(
                "SELECT c.ticker AS t FROM event_companies l JOIN companies c ON c.id = l.company_id \
                 WHERE l.event_id = {}",
                outcome.event_ids[0]
            ),
        );
        assert_eq!(tickers, [Some("GLBX".to_string())]);
    });
}

#[test]
fn a_history_table_adds_periods_and_a_bad_file_changes_nothing() {
    on_both_backends(|db: &TestDb| {
        // PostgreSQL is shared and migrated on purpose; SQLite would migrate itself.
        db.run_ok(&["migrate"]);
        let dir = tempfile::tempdir().unwrap();
        let table = write(
            dir.path(),
            "history.tsv",
            "# a rename\nAAL\tname\tAMR Corporation\t\t2013-12-09\trenamed\nNOPE\tlisted\t\t2001-01-01\t\t\n",
        );
        let out = db.run_ok(&["companies", "import-history", table.to_str().unwrap()]);
        assert!(
            out.contains("1 of 2 periods stored"),
            "on {}: {out}",
            db.backend
        );
        assert_eq!(history_rows(db), 1);

        let bad = write(
            dir.path(),
            "bad.tsv",
            "AAL\tlisted\t\t\t\t\nAAL\tcolour\tred\t\t\t\n",
        );
        let run = db.run(&[
            "companies",
            "import-history",
            table.to_str().unwrap(),
            bad.to_str().unwrap(),
        ]);
        assert!(!run.success);
        assert!(run.stderr.contains("bad.tsv: entry 2"), "{}", run.stderr);
        assert_eq!(history_rows(db), 1, "on {}: a bad file wrote", db.backend);
    });
}
