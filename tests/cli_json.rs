//! `--json` of the listing commands through the real binary, on both backends:
//! `keys list`, `companies list` and `companies search` print what their text form
//! shows, as JSON a script can read.

mod common;

use common::{on_both_backends, TestDb};
use serde_json::Value;

fn json_of(db: &TestDb, args: &[&str]) -> Value {
    let out = db.run_ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}):\n{out}"))
}

/// A registry of three companies in the project's CSV format, imported into `db`
/// (migrated first: PostgreSQL is migrated by `riskline migrate` only).
fn import_sample(db: &TestDb) {
    db.run_ok(&["migrate"]);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("sample.csv");
    std::fs::write(
        &file,
        "ticker,name,cik,exchange,aliases,former_tickers\n\
         ZQA,Zephyr Quill Analytics Inc.,1234567,Nasdaq,short:Zephyr Quill,\n\
         ZQB,Zephyr Quarry Builders Corp,,NYSE,,\n\
         ZQC,Quillon Cartography Ltd,,,brand:Mapwise,\n",
    )
    .unwrap();
    db.run_ok(&["companies", "import", file.to_str().unwrap()]);
}

#[test]
fn companies_list_json_has_every_row_the_text_form_shows() {
    on_both_backends(|db| {
        import_sample(db);
        let text = db.run_ok(&["companies", "list", "--limit", "0"]);
        let listed = json_of(db, &["companies", "list", "--limit", "0", "--json"]);
        let rows = listed.as_array().expect("an array");
        assert_eq!(rows.len(), text.lines().count(), "{}", db.backend);
        let zqa = rows
            .iter()
            .find(|r| r["ticker"] == "ZQA")
            .expect("ZQA listed");
        assert_eq!(
            *zqa,
            serde_json::json!({"ticker": "ZQA", "name": "Zephyr Quill Analytics Inc.",
                               "cik": 1234567, "exchange": "Nasdaq"})
        );
        let zqc = rows.iter().find(|r| r["ticker"] == "ZQC").unwrap();
        assert!(zqc["cik"].is_null() && zqc["exchange"].is_null(), "{zqc}");
        let tickers: Vec<&str> = rows.iter().filter_map(|r| r["ticker"].as_str()).collect();
        let mut sorted = tickers.clone();
        sorted.sort_unstable();
        assert_eq!(tickers, sorted, "ticker order, as the text form");
        let two = json_of(db, &["companies", "list", "--limit", "2", "--json"]);
        assert_eq!(two.as_array().map(Vec::len), Some(2));
    });
}

#[test]
fn companies_search_json_names_what_matched_and_an_empty_search_fails() {
    on_both_backends(|db| {
        import_sample(db);
        let found = json_of(db, &["companies", "search", "mapwise", "--json"]);
        let first = &found[0];
        assert_eq!(first["ticker"], "ZQC", "{found}");
        assert_eq!(first["name"], "Quillon Cartography Ltd");
        assert_eq!(first["matched"], "Mapwise");
        let quill = json_of(db, &["companies", "search", "zephyr", "--json"]);
        let tickers: Vec<&str> = quill
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|r| r["ticker"].as_str())
            .collect();
        assert!(
            tickers.contains(&"ZQA") && tickers.contains(&"ZQB"),
            "{quill}"
        );

        let none = db.run(&["companies", "search", "xyzzy-plugh", "--json"]);
        assert_eq!(none.code, Some(1));
        assert_eq!(
            serde_json::from_str::<Value>(&none.stdout).ok(),
            Some(serde_json::json!([]))
        );
    });
}

#[test]
fn keys_list_json_shows_names_roles_and_times_but_no_secret() {
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        assert_eq!(
            json_of(db, &["keys", "list", "--json"]),
            serde_json::json!([])
        );
        let created = db.run_ok(&["keys", "create", "--name", "ops-bot", "--role", "admin"]);
        let secret = created
            .lines()
            .next()
            .unwrap()
            .strip_prefix("key: ")
            .unwrap();
        db.run_ok(&["keys", "create", "--name", "viewer", "--role", "reader"]);
        db.run_ok(&["keys", "revoke", "viewer"]);
        let out = db.run_ok(&["keys", "list", "--json"]);
        assert!(!out.contains(secret), "the secret is never listed");
        let listed: Value = serde_json::from_str(&out).unwrap();
        let rows = listed.as_array().expect("an array");
        assert_eq!(rows.len(), 2, "{out}");
        let by_name = |name: &str| rows.iter().find(|r| r["name"] == name).unwrap();
        let admin = by_name("ops-bot");
        assert_eq!(admin["role"], "admin");
        assert!(
            secret.starts_with(admin["prefix"].as_str().unwrap()),
            "{out}"
        );
        assert!(admin["revoked_at"].is_null() && admin["last_used_at"].is_null());
        let created_at = admin["created_at"].as_str().unwrap();
        assert!(
            chrono::DateTime::parse_from_rfc3339(created_at).is_ok(),
            "{created_at}"
        );
        let viewer = by_name("viewer");
        assert_eq!(viewer["role"], "reader");
        assert!(viewer["revoked_at"].is_string(), "{out}");
    });
}
