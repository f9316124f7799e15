//! `riskline watch` on EDGAR-like indexes and filings served in this process: a
//! company's submissions index (forms filtered), the latest-filings feed, full
//! submissions and a primary document when the submission is too large. The
//! poller names itself with the configured User-Agent, refuses SEC without one,
//! stays under ten requests a second, and adds a filer the registry does not
//! know from its submission header, so that "the Company" of its filings is it.

mod common;
mod watch_support;

use std::time::Duration;

use common::{on_both_backends, sql, TestDb};
use watch_support::{Answer, Hit, TestHttp};

const AGENT: &str = "Riskline Tests ops@riskline.example";

const ZENTRIX_CIK: i64 = 9_990_001;
const QUILLON_CIK: i64 = 9_990_002;

fn submission(accession: &str, cik: i64, name: &str, form: &str, body: &str) -> String {
    format!(
        "<SEC-DOCUMENT>{accession}.txt : 20260302\n<SEC-HEADER>{accession}.hdr.sgml : 20260302\n\
ACCESSION NUMBER:\t\t{accession}\nCONFORMED SUBMISSION TYPE:\t{form}\nPUBLIC DOCUMENT COUNT:\t\t1\n\
FILED AS OF DATE:\t\t20260302\n\nFILER:\n\n\tCOMPANY DATA:\t\n\t\tCOMPANY CONFORMED NAME:\t\t\t{name}\n\
\t\tCENTRAL INDEX KEY:\t\t\t{cik:010}\n\n\tFILING VALUES:\n\t\tFORM TYPE:\t\t{form}\n</SEC-HEADER>\n\
<DOCUMENT>\n<TYPE>{form}\n<SEQUENCE>1\n<FILENAME>doc.txt\n<TEXT>\n{body}\n</TEXT>\n</DOCUMENT>\n</SEC-DOCUMENT>\n"
    )
}

const SUIT: &str = "Item 8.01 Other Events.\n\nOn February 27, 2026, a shareholder filed a lawsuit against the Company in the United States District Court for the District of Delaware, alleging that the Company misled investors about its order backlog. The Company intends to defend itself vigorously.";
const FINE: &str = "Item 8.01 Other Events.\n\nOn February 20, 2026, the Environmental Protection Agency fined the Company $2.5 million for violations of the Clean Air Act at its plant in Ohio.";
const HALT: &str = "Item 7.01 Regulation FD Disclosure.\n\nOn March 1, 2026, the Company halted production at its Toledo plant after a fire.";

fn zentrix_index() -> String {
    serde_json::json!({
        "cik": ZENTRIX_CIK.to_string(), "name": "Zentrix Holdings Inc.", "tickers": ["ZTRX"],
        "filings": {"recent": {
            "accessionNumber": ["0009990001-26-000004", "0009990001-26-000003", "0009990001-26-000002", "0009990001-26-000001"],
            "form": ["10-Q", "4", "8-K", "8-K"],
            "primaryDocument": ["ztrx-10q.htm", "form4.xml", "ztrx-8k2.htm", "ztrx-8k1.htm"],
        }}
    })
    .to_string()
}

fn edgar_server() -> TestHttp {
    TestHttp::start(|hit: &Hit| {
        let path = hit.path.as_str();
        let z = "/Archives/edgar/data/9990001/";
        if path == "/submissions/CIK0009990001.json" {
            if hit.if_none_match.as_deref() == Some("\"idx-1\"") {
                return Answer::status(304);
            }
            return Answer::ok("application/json", zentrix_index()).header("ETag", "\"idx-1\"");
        }
        if path.starts_with("/cgi-bin/browse-edgar") {
            let link =
                "/Archives/edgar/data/9990002/000999000226000001/0009990002-26-000001-index.htm";
            let atom = format!(
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Latest Filings</title>\
                 <entry><title>8-K - QUILLON MARINE CORP ({QUILLON_CIK:010}) (Filer)</title>\
                 <link rel=\"alternate\" type=\"text/html\" href=\"https://www.sec.gov{link}\"/>\
                 <id>urn:tag:sec.gov,2008:accession-number=0009990002-26-000001</id>\
                 <updated>2026-03-02T16:00:00-05:00</updated></entry>\
                 <entry><title>8-K - ORVANE LABS INC (0009990003) (Filer)</title>\
                 <link rel=\"alternate\" href=\"https://www.sec.gov/Archives/edgar/data/9990003/000999000326000001/0009990003-26-000001-index.htm\"/>\
                 <id>urn:x:3</id></entry>\
                 <entry><title>4 - SOMEONE (0009990009) (Reporting)</title>\
                 <link rel=\"alternate\" href=\"https://www.sec.gov/Archives/edgar/data/9990009/000999000926000001/0009990009-26-000001-index.htm\"/>\
                 <id>urn:x:2</id></entry></feed>"
            );
            if hit.if_none_match.as_deref() == Some("\"latest-1\"") {
                return Answer::status(304);
            }
            return Answer::ok("application/atom+xml", atom).header("ETag", "\"latest-1\"");
        }
        let answer = match path.strip_prefix(z) {
            Some("000999000126000001/0009990001-26-000001.txt") => {
                submission("0009990001-26-000001", ZENTRIX_CIK, "ZENTRIX HOLDINGS INC", "8-K", SUIT)
            }
            Some("000999000126000002/0009990001-26-000002.txt") => {
                submission("0009990001-26-000002", ZENTRIX_CIK, "ZENTRIX HOLDINGS INC", "8-K", FINE)
            }
            Some("000999000126000004/0009990001-26-000004.txt") => {
                // A quarterly report with exhibits over the size cap.
                let mut big = submission("0009990001-26-000004", ZENTRIX_CIK, "ZENTRIX HOLDINGS INC", "10-Q", HALT);
                big.push_str("<DOCUMENT>\n<TYPE>GRAPHIC\n<TEXT>\nbegin 644 x.jpg\n");
                big.push_str(&"M".repeat(400_000));
                big
            }
            Some("000999000126000004/ztrx-10q.htm") => format!(
                "<html><head><title>Zentrix Holdings 10-Q</title></head><body><p>{HALT}</p></body></html>"
            ),
            _ => {
                if path == "/Archives/edgar/data/9990002/000999000226000001/0009990002-26-000001.txt" {
                    submission("0009990002-26-000001", QUILLON_CIK, "QUILLON MARINE CORP", "8-K", FINE)
                } else if path
                    == "/Archives/edgar/data/9990003/000999000326000001/0009990003-26-000001.txt"
                {
                    submission("0009990003-26-000001", 9_990_003, "ORVANE LABS INC", "8-K", HALT)
                } else {
                    return Answer::status(404);
                }
            }
        };
        Answer::ok("text/plain", answer)
    })
}

fn sec_args(server: &TestHttp) -> Vec<String> {
    sec_args_split(server, server)
}

/// The arguments of a pass with EDGAR's data host and archives host apart.
fn sec_args_split(data: &TestHttp, www: &TestHttp) -> Vec<String> {
    vec![
        "watch".into(),
        "--once".into(),
        "--allow-private-addresses".into(),
        "--sec-data-url".into(),
        data.base.clone(),
        "--sec-www-url".into(),
        www.base.clone(),
        "--max-bytes".into(),
        "300000".into(),
    ]
}

fn run(db: &TestDb, args: &[String], agent: Option<&str>) -> common::Run {
    let mut cmd = std::process::Command::new(common::bin());
    cmd.args(args)
        .env("DATABASE_URL", &db.url)
        .env_remove("RISKLINE_LOG")
        .env_remove("RISKLINE_SEC_USER_AGENT");
    if let Some(agent) = agent {
        cmd.env("RISKLINE_SEC_USER_AGENT", agent);
    }
    cmd.output().expect("riskline runs").into()
}

#[test]
fn a_companys_filings_are_fetched_politely_and_its_filer_is_added() {
    on_both_backends(|db| {
        // EDGAR's two hosts, apart as SEC has them: they share SEC's limit.
        let data = edgar_server();
        let server = edgar_server();
        db.run_ok(&["migrate"]);
        let cik = ZENTRIX_CIK.to_string();
        db.run_ok(&["sources", "add", "--cik", &cik, "--name", "zentrix"]);

        // Without a User-Agent, SEC is not asked at all.
        let refused = run(db, &sec_args_split(&data, &server), None);
        assert_eq!(refused.code, Some(1), "{}", refused.stdout);
        assert!(
            refused.stdout.contains("RISKLINE_SEC_USER_AGENT"),
            "{}",
            refused.stdout
        );
        assert!(server.hits().is_empty() && data.hits().is_empty());

        // With one: the index, two 8-Ks and the 10-Q (its full submission too
        // large, its primary document instead); the Form 4 is not wanted.
        let done = run(db, &sec_args_split(&data, &server), Some(AGENT));
        assert!(done.success, "{}\n{}", done.stdout, done.stderr);
        assert_eq!(data.hits().len(), 1, "the index comes from the data host");
        let mut hits = data.hits();
        hits.extend(server.hits());
        hits.sort_by_key(|h| h.at);
        assert_eq!(
            hits.len(),
            5,
            "{:#?}",
            hits.iter().map(|h| &h.path).collect::<Vec<_>>()
        );
        assert!(hits.iter().all(|h| h.user_agent.as_deref() == Some(AGENT)));
        assert!(!hits.iter().any(|h| h.path.contains("000999000126000003")));
        // At most ten a second, across both hosts: the requests are spaced by about
        // 100 ms (the server's clock reads them with a few ms of jitter).
        for pair in hits.windows(2) {
            let gap = pair[1].at - pair[0].at;
            assert!(gap >= Duration::from_millis(60), "requests {gap:?} apart");
        }
        let span = hits[hits.len() - 1].at - hits[0].at;
        assert!(span >= Duration::from_millis(360), "5 requests in {span:?}");

        let store = db.store();
        let mut conn = store.conn().unwrap();
        let ticker = sql::texts(
            &mut conn,
            &format!("SELECT ticker AS t FROM companies WHERE cik = {ZENTRIX_CIK}"),
        );
        assert_eq!(ticker, [Some("ZTRX".to_string())]);
        assert_eq!(sql::count(&mut conn, "documents"), 3);
        let filers = sql::number(
            &mut conn,
            &format!("SELECT count(*) AS n FROM documents WHERE filer_cik = {ZENTRIX_CIK}"),
        );
        assert!(filers >= 2, "the submissions name their filer: {filers}");
        let linked = sql::number(
            &mut conn,
            "SELECT count(DISTINCT ec.event_id) AS n FROM event_companies ec \
             JOIN companies c ON c.id = ec.company_id WHERE c.ticker = 'ZTRX'",
        );
        assert!(linked >= 2, "'the Company' is the filer: {linked} events");

        // Again: the index is not modified; nothing is fetched but it.
        let again = run(db, &sec_args_split(&data, &server), Some(AGENT));
        assert!(again.success, "{}", again.stdout);
        assert_eq!(data.hits().len() + server.hits().len(), 6);
        assert_eq!(sql::count(&mut conn, "documents"), 3);
    });
}

#[test]
fn the_latest_filings_feed_brings_filers_unknown_to_the_registry() {
    let db = TestDb::sqlite();
    let server = edgar_server();
    db.run_ok(&["migrate"]);
    db.run_ok(&["sources", "add", "--edgar-latest", "--forms", "8-K"]);
    // One filing a poll: the newest first, the other at the next poll (its feed
    // read again in full, not hidden behind a 304).
    let mut args = sec_args(&server);
    args.extend(["--max-filings".to_string(), "1".to_string()]);
    let done = run(&db, &args, Some(AGENT));
    assert!(done.success, "{}\n{}", done.stdout, done.stderr);
    let store = db.store();
    let mut conn = store.conn().unwrap();
    assert_eq!(sql::count(&mut conn, "documents"), 1);
    let done = run(&db, &args, Some(AGENT));
    assert!(done.success, "{}\n{}", done.stdout, done.stderr);
    assert_eq!(sql::count(&mut conn, "documents"), 2);
    let feed_hits = server.hits_on("/cgi-bin/");
    assert_eq!(feed_hits[1].if_none_match, None, "{feed_hits:?}");
    // All done: now the feed is asked conditionally.
    let done = run(&db, &args, Some(AGENT));
    assert!(done.success, "{}\n{}", done.stdout, done.stderr);
    assert_eq!(
        server.hits_on("/cgi-bin/")[2].if_none_match.as_deref(),
        Some("\"latest-1\"")
    );
    assert_eq!(sql::count(&mut conn, "documents"), 2);
    let ticker = sql::texts(
        &mut conn,
        &format!("SELECT ticker AS t FROM companies WHERE cik = {QUILLON_CIK}"),
    );
    assert_eq!(ticker, [Some("CIK9990002".to_string())]);
    let linked = sql::number(
        &mut conn,
        "SELECT count(*) AS n FROM event_companies ec JOIN companies c ON c.id = ec.company_id \
         WHERE c.ticker = 'CIK9990002'",
    );
    assert!(linked >= 1, "the fine is the filer's");
    // The Form 4 of the feed was never fetched.
    assert!(server.hits_on("/Archives/edgar/data/9990009").is_empty());
}
