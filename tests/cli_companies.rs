//! `riskline companies` and database URLs, through the binary, on both backends.

mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use common::{on_both_backends, registry_snapshot, shared_file, TestDb};
use riskline::registry;
use riskline::store::companies;

const HEADER: &str = "ticker,name,cik,exchange,aliases,former_tickers\n";

/// A small registry in the project's CSV format.
const SAMPLE: &str = "\
AAPL,Apple Inc.,320193,Nasdaq,short:Apple,
APLE,Apple Hospitality REIT Inc.,1418121,NYSE,,
BAB,Big Apple Bagels Corp,,,,
PNPL,Pineapple Corp,,,,
META,\"Meta Platforms, Inc.\",1326801,Nasdaq,short:Meta;former:Facebook;brand:Instagram,FB
BRK.B,Berkshire Hathaway Inc.,1067983,NYSE,short:Berkshire,
";

fn write(dir: &Path, name: &str, content: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, content).unwrap();
    path
}

/// The import summary as `(inserted, updated, unchanged, aliases added)`.
fn summary(stdout: &str) -> (usize, usize, usize, usize) {
    let field = |label: &str| -> usize {
        stdout
            .lines()
            .find_map(|l| l.trim().strip_prefix(label))
            .unwrap_or_else(|| panic!("no {label:?} in:\n{stdout}"))
            .trim()
            .parse()
            .unwrap()
    };
    (
        field("inserted:"),
        field("updated:"),
        field("unchanged:"),
        field("aliases added:"),
    )
}

fn import(db: &TestDb, file: &Path) -> (usize, usize, usize, usize) {
    summary(&db.run_ok(&["companies", "import", file.to_str().unwrap()]))
}

fn tickers_of(db: &TestDb) -> Vec<String> {
    let store = db.store();
    let mut conn = store.conn().unwrap();
    companies::list(&mut conn, None)
        .unwrap()
        .into_iter()
        .map(|c| c.fields.ticker)
        .collect()
}

fn builtin_tickers() -> HashSet<String> {
    registry::builtin()
        .iter()
        .map(|r| r.ticker.clone())
        .collect()
}

#[test]
fn the_sec_exchange_list_imports_with_the_right_counts() {
    let Some(file) = shared_file("data/sec/company_tickers_exchange.json") else {
        return;
    };
    // Expected counts come from the file itself.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let rows = json["data"].as_array().unwrap();
    let file_tickers: HashSet<String> = rows
        .iter()
        .map(|r| registry::normalize_ticker(r[2].as_str().unwrap()).unwrap())
        .collect();
    assert!(file_tickers.len() > 5_000 && file_tickers.len() <= rows.len());
    let builtin = builtin_tickers();
    assert!(!builtin.is_empty());
    let new_to_builtin = file_tickers.difference(&builtin).count();
    let all: HashSet<&String> = file_tickers.union(&builtin).collect();

    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        let out = db.run(&["companies", "import", file.to_str().unwrap()]);
        assert!(out.success, "{}", out.stderr);
        assert!(
            out.stderr.contains(&format!(
                "loaded the built-in registry: {} companies",
                builtin.len()
            )),
            "{}",
            out.stderr
        );
        let (inserted, updated, unchanged, aliases) = summary(&out.stdout);
        assert_eq!(inserted, new_to_builtin, "on {}", db.backend);
        assert_eq!(inserted + updated + unchanged, file_tickers.len());
        assert!(aliases >= inserted, "every new company has its legal name");
        assert_eq!(tickers_of(db).len(), all.len());

        let show = db.run_ok(&["companies", "show", "jpm"]);
        assert!(show.contains("ticker:    JPM"), "{show}");
        assert!(show.contains("JPMorgan Chase"), "{show}");
        assert!(show.contains("19617"), "{show}");
    });
}

#[test]
fn reimporting_the_same_registry_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = vec![write(
        dir.path(),
        "sample.csv",
        &format!("{HEADER}{SAMPLE}"),
    )];
    files.extend(shared_file("data/sec/company_tickers_exchange.json"));
    files.extend(shared_file("data/sec/company_tickers.json"));
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        for file in &files {
            let (inserted, updated, unchanged, _) = import(db, file);
            assert!(inserted + updated + unchanged > 0);
            let before = registry_snapshot(&db.store());
            let again = import(db, file);
            assert_eq!(
                again,
                (0, 0, inserted + updated + unchanged, 0),
                "on {}: {}",
                db.backend,
                file.display()
            );
            assert!(
                before == registry_snapshot(&db.store()),
                "on {}: re-importing {} changed rows",
                db.backend,
                file.display()
            );
        }
    });
}

#[test]
fn a_malformed_registry_is_refused_naming_the_entry_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let good = write(dir.path(), "good.csv", &format!("{HEADER}{SAMPLE}"));
    // Valid changes and new companies before the bad line: none may be written.
    let bad_csv = write(
        dir.path(),
        "bad.csv",
        &format!(
            "{HEADER}AAPL,Apple Computer Inc.,320193,Nasdaq,,\nNEW,New Co,,,,\nJ P M,Bad Ticker,,,,\nZZZ,Zed,,,,\n"
        ),
    );
    let bad_json = shared_file("data/sec/company_tickers_exchange.json").map(|file| {
        let mut json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(file).unwrap()).unwrap();
        let rows = json["data"].as_array_mut().unwrap();
        let middle = rows.len() / 2;
        rows[middle][2] = serde_json::Value::Null;
        (
            write(dir.path(), "bad.json", &json.to_string()),
            format!("data[{middle}]"),
        )
    });
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        import(db, &good);
        let before = registry_snapshot(&db.store());

        let out = db.run(&["companies", "import", bad_csv.to_str().unwrap()]);
        assert!(!out.success);
        assert!(out.stderr.contains("line 4"), "{}", out.stderr);
        assert!(out.stderr.contains("\"J P M\""), "{}", out.stderr);
        assert!(
            before == registry_snapshot(&db.store()),
            "on {}",
            db.backend
        );

        if let Some((bad_json, entry)) = &bad_json {
            let out = db.run(&["companies", "import", bad_json.to_str().unwrap()]);
            assert!(!out.success);
            assert!(out.stderr.contains(entry.as_str()), "{}", out.stderr);
            assert!(out.stderr.contains("ticker"), "{}", out.stderr);
            assert!(
                before == registry_snapshot(&db.store()),
                "on {}",
                db.backend
            );
        }

        let out = db.run(&[
            "companies",
            "import",
            dir.path().join("missing.csv").to_str().unwrap(),
        ]);
        assert!(!out.success);
        assert!(out.stderr.contains("missing.csv"), "{}", out.stderr);
    });
}

#[test]
fn an_import_refused_on_a_new_database_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.csv", &format!("{HEADER}X,,,,,\n"));
    let db = TestDb::sqlite();
    let out = db.run(&["companies", "import", bad.to_str().unwrap()]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("line 2: name is empty"),
        "{}",
        out.stderr
    );
    assert!(!Path::new(&db.url).exists(), "no database file was created");
}

#[test]
fn a_reimport_updates_changed_companies_and_keeps_what_the_file_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let first = write(dir.path(), "a.csv", &format!("{HEADER}{SAMPLE}"));
    // AAPL: only letter case and punctuation differ, no exchange given: unchanged.
    // META: renamed, no CIK given: updated, CIK kept. New alias for BAB.
    let second = write(
        dir.path(),
        "b.csv",
        &format!(
            "{HEADER}AAPL,APPLE INC,,,,\nMETA,Meta Platforms Holdings,,,,\nBAB,Big Apple Bagels Corp,,,brand:BAB Bagels,\n"
        ),
    );
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        import(db, &first);
        let (inserted, updated, unchanged, aliases) = import(db, &second);
        assert_eq!(
            (inserted, updated, unchanged),
            (0, 1, 2),
            "on {}",
            db.backend
        );
        // META's new legal name and its base name, AAPL's SEC spelling, BAB's brand.
        assert!(aliases >= 3, "{aliases}");
        let apple = db.run_ok(&["companies", "show", "AAPL"]);
        assert!(apple.contains("name:      Apple Inc."), "{apple}");
        assert!(apple.contains("exchange:  Nasdaq"), "{apple}");
        let meta = db.run_ok(&["companies", "show", "META"]);
        assert!(
            meta.contains("name:      Meta Platforms Holdings"),
            "{meta}"
        );
        assert!(meta.contains("cik:       1326801"), "{meta}");
        assert!(
            meta.contains("Facebook"),
            "aliases are never removed: {meta}"
        );
    });
}

#[test]
fn companies_show_accepts_any_case_and_former_tickers() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "sample.csv", &format!("{HEADER}{SAMPLE}"));
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        import(db, &file);
        let meta = db.run_ok(&["companies", "show", "fb"]);
        assert!(meta.contains("ticker:    META"), "{meta}");
        assert!(meta.contains("former tickers: FB"), "{meta}");
        assert!(meta.contains("former_name:"), "{meta}");
        assert!(meta.contains("brand:       Instagram"), "{meta}");
        let brk = db.run_ok(&["companies", "show", "brk.b"]);
        assert!(brk.contains("ticker:    BRK-B"), "{brk}");
        let out = db.run(&["companies", "show", "ZZZZ"]);
        assert!(!out.success);
        assert!(
            out.stderr.contains("no company with ticker \"ZZZZ\""),
            "{}",
            out.stderr
        );
    });
}

#[test]
fn companies_search_puts_the_best_match_first() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "sample.csv", &format!("{HEADER}{SAMPLE}"));
    let first_column = |out: &str| -> Vec<String> {
        out.lines()
            .map(|l| l.split_whitespace().next().unwrap_or("").to_string())
            .collect()
    };
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        import(db, &file);
        // Exact name, then prefix, then word, then substring (the built-in registry
        // holds other "Apple" and "Pineapple" companies; the order is what counts).
        let out = db.run_ok(&["companies", "search", "APPLE"]);
        let found = first_column(&out);
        let at = |t: &str| found.iter().position(|f| f == t).unwrap_or(usize::MAX);
        assert_eq!(found[0], "AAPL", "{out}");
        assert!(at("APLE") < at("BAB") && at("BAB") < at("PNPL"), "{out}");
        assert!(at("PNPL") < usize::MAX, "{out}");
        let out = db.run_ok(&["companies", "search", "instagram"]);
        assert_eq!(first_column(&out)[0], "META", "{out}");
        let out = db.run_ok(&["companies", "search", "pnpl"]);
        assert_eq!(first_column(&out)[0], "PNPL", "{out}");
        let out = db.run_ok(&["companies", "search", "apple", "--limit", "2"]);
        let two = first_column(&out);
        assert_eq!(two.len(), 2, "{out}");
        assert_eq!(two[0], "AAPL", "{out}");
        // The second is a name that starts with the word.
        let second_name = out.lines().nth(1).and_then(|l| l.split_whitespace().nth(1));
        assert_eq!(second_name, Some("Apple"), "{out}");
        // Wildcards are plain characters.
        let out = db.run(&["companies", "search", "%"]);
        assert!(!out.success, "{}", out.stdout);
        assert!(out.stderr.contains("no company matches"), "{}", out.stderr);
    });
}

#[test]
fn a_new_database_knows_the_builtin_registry() {
    let builtin = builtin_tickers();
    on_both_backends(|db| {
        db.run_ok(&["migrate"]);
        let out = db.run_ok(&["companies", "list", "--limit", "0"]);
        let listed: HashSet<String> = out
            .lines()
            .filter_map(|l| l.split_whitespace().next())
            .map(str::to_string)
            .collect();
        assert_eq!(listed, builtin, "on {}", db.backend);
        // Loaded once: a second command finds the companies there.
        let again = db.run(&["companies", "list"]);
        assert!(
            !again.stderr.contains("loaded the built-in"),
            "{}",
            again.stderr
        );
        let store = db.store();
        let mut conn = store.conn().unwrap();
        let aliases: i64 = common::sql::count(&mut conn, "company_aliases");
        assert!(aliases > 0);
    });
}

#[test]
fn the_embedded_default_needs_no_setup_step() {
    let db = TestDb::sqlite();
    // No `riskline migrate`: SQLite is migrated on first use.
    let out = db.run_ok(&["companies", "list"]);
    assert!(!out.is_empty());
    assert!(db.run_ok(&["migrate", "status"]).contains("0 pending"));
}

#[test]
fn an_unmigrated_postgres_database_asks_for_riskline_migrate() {
    let Some(db) = TestDb::postgres() else { return };
    let out = db.run(&["companies", "list"]);
    assert!(!out.success);
    assert!(
        out.stderr.contains("run `riskline migrate`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("2026-01-01-000001_companies"),
        "{}",
        out.stderr
    );
}

#[test]
fn an_unreachable_postgres_url_fails_with_the_drivers_message() {
    for args in [&["migrate"][..], &["companies", "list"][..]] {
        let out = common::run("postgres://postgres:hunter2@127.0.0.1:1/x", args);
        assert!(!out.success);
        assert!(
            out.stderr
                .contains("cannot connect to postgres://postgres:***@127.0.0.1:1/x: "),
            "{}",
            out.stderr
        );
        // libpq's own words name the host and port it tried.
        assert!(out.stderr.contains("127.0.0.1"), "{}", out.stderr);
        assert!(out.stderr.contains("port 1 failed"), "{}", out.stderr);
        assert!(!out.stderr.contains("hunter2"), "{}", out.stderr);
    }
}

#[test]
fn an_unsupported_database_url_is_refused_by_name() {
    let out = common::run("mysql://root@127.0.0.1/x", &["migrate"]);
    assert!(!out.success);
    assert!(
        out.stderr
            .contains("unsupported database URL scheme \"mysql\""),
        "{}",
        out.stderr
    );
    let out = common::run(":memory:", &["migrate"]);
    assert!(!out.success);
    assert!(out.stderr.contains("in-memory SQLite"), "{}", out.stderr);
}

#[test]
fn a_sqlite_url_may_carry_the_sqlite_scheme() {
    let db = TestDb::sqlite();
    let url = format!("sqlite://{}", db.url);
    let out = common::run(&url, &["migrate"]);
    assert!(out.success, "{}", out.stderr);
    assert!(
        Path::new(&db.url).is_file(),
        "the file behind sqlite:// is used"
    );
}
