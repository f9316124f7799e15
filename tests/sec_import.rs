//! `riskline companies import --from-sec` through the real binary, without the network:
//! it refuses to ask SEC without a User-Agent naming a contact, says so clearly when the
//! server cannot be reached, stops waiting after --timeout, refuses an answer over the
//! size cap, and imports SEC's format from a local HTTP server started here, which also
//! checks the User-Agent it was sent.

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::thread::JoinHandle;

use common::TestDb;

const AGENT: &str = "Riskline Tests ops@tests.example";

/// SEC's `company_tickers_exchange.json` layout, with companies made up for the test.
const SEC_LIST: &str = r#"{"fields":["cik","name","ticker","exchange"],"data":[
[9990001,"ZEPHYR QUILL ANALYTICS INC","ZQAX","Nasdaq"],
[9990002,"MARROWBONE SHIPPING CO","MRWB","NYSE"],
[9990003,"TINDERLEAF HOLDINGS CORP","TNDL",null]]}"#;

/// Reads one request head from `stream`; returns it.
fn read_head(stream: &TcpStream) -> String {
    let mut reader = BufReader::new(stream);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
            return head;
        }
        head.push_str(&line);
    }
}

/// A one-request HTTP server on 127.0.0.1: answers with what `answer` writes; the
/// thread returns the request head it got.
fn serve_once(
    answer: impl FnOnce(&mut TcpStream) + Send + 'static,
) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!(
        "http://{}/files/company_tickers_exchange.json",
        listener.local_addr().unwrap()
    );
    let handle = std::thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let head = read_head(&stream);
        answer(&mut stream);
        head
    });
    (url, handle)
}

fn ok_json(body: &'static str) -> impl FnOnce(&mut TcpStream) + Send + 'static {
    move |stream| {
        let _ = write!(
            stream,
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
    }
}

fn import_args(url: &str) -> Vec<&str> {
    vec!["companies", "import", "--from-sec", "--sec-url", url]
}

#[test]
fn without_a_user_agent_naming_a_contact_nothing_is_asked() {
    let db = TestDb::sqlite();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let url = format!("http://{}/list.json", listener.local_addr().unwrap());
    for agent in [
        None,
        Some("   "),
        Some("riskline"),
        Some("ops@tests.example"),
    ] {
        let mut args = import_args(&url);
        if let Some(agent) = agent {
            args.extend(["--user-agent", agent]);
        }
        let out = db.run(&args);
        assert_eq!(out.code, Some(2), "{agent:?}: {out:?}");
        for needed in [
            "--user-agent",
            "RISKLINE_SEC_USER_AGENT",
            "e-mail address",
            "companies import FILE",
        ] {
            assert!(
                out.stderr.contains(needed),
                "{agent:?}: {needed} in {}",
                out.stderr
            );
        }
    }
    assert!(
        listener.accept().is_err(),
        "no request was made without a User-Agent"
    );
    assert!(!Path::new(&db.url).exists(), "the database was not touched");
}

#[test]
fn the_list_is_imported_from_a_server_with_the_user_agent_given() {
    let db = TestDb::sqlite();
    let (url, server) = serve_once(ok_json(SEC_LIST));
    let mut args = import_args(&url);
    args.extend(["--user-agent", AGENT]);
    let out = db.run(&args);
    assert!(out.success, "{out:?}");
    let head = server.join().unwrap();
    assert!(
        head.starts_with("GET /files/company_tickers_exchange.json HTTP/1.1"),
        "{head}"
    );
    assert!(
        head.lines()
            .any(|l| l.eq_ignore_ascii_case(&format!("user-agent: {AGENT}"))),
        "the User-Agent is sent as given: {head}"
    );
    assert!(
        out.stdout.contains("imported 3 companies"),
        "{}",
        out.stdout
    );
    assert!(out.stdout.contains(&url), "{}", out.stdout);
    let shown = db.run_ok(&["companies", "show", "MRWB"]);
    assert!(
        shown.contains("9990002") && shown.contains("NYSE"),
        "{shown}"
    );

    // The variable does as the flag.
    let (url, server) = serve_once(ok_json(SEC_LIST));
    let out = std::process::Command::new(common::bin())
        .args(import_args(&url))
        .env("DATABASE_URL", &db.url)
        .env("RISKLINE_SEC_USER_AGENT", "Env Example team@env.example")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("unchanged:     3"));
    let head = server.join().unwrap().to_ascii_lowercase();
    assert!(
        head.contains("user-agent: env example team@env.example"),
        "{head}"
    );
}

#[test]
fn offline_the_error_says_the_server_cannot_be_reached_and_what_to_do() {
    let db = TestDb::sqlite();
    // A port that was just free: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/list.json");
    let mut args = import_args(&url);
    args.extend(["--user-agent", AGENT]);
    let out = db.run(&args);
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr
            .contains(&format!("cannot reach 127.0.0.1:{port}")),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("check the network"), "{}", out.stderr);
    assert!(
        out.stderr.contains("companies import FILE"),
        "{}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);

    let unknown = db.run(&[
        "companies",
        "import",
        "--from-sec",
        "--user-agent",
        AGENT,
        "--sec-url",
        "http://no-such-host.invalid/list.json",
    ]);
    assert_eq!(unknown.code, Some(1));
    assert!(
        unknown.stderr.contains("cannot reach no-such-host.invalid"),
        "{}",
        unknown.stderr
    );
}

#[test]
fn a_server_that_never_answers_is_given_up_after_the_timeout() {
    let db = TestDb::sqlite();
    let (release, hold) = std::sync::mpsc::channel::<()>();
    let (url, server) = serve_once(move |_| {
        // Keeps the connection open, silent, until the client has given up.
        let _ = hold.recv();
    });
    let mut args = import_args(&url);
    args.extend(["--user-agent", AGENT, "--timeout", "1"]);
    let out = db.run(&args);
    release.send(()).unwrap();
    server.join().unwrap();
    assert_eq!(out.code, Some(1), "{out:?}");
    assert!(
        out.stderr.contains("did not answer within 1 s"),
        "{}",
        out.stderr
    );
}

#[test]
fn error_answers_and_oversized_or_foreign_bodies_are_refused_and_change_nothing() {
    let db = TestDb::sqlite();
    let (url, server) = serve_once(ok_json(SEC_LIST));
    db.run_ok(&[
        "companies",
        "import",
        "--from-sec",
        "--user-agent",
        AGENT,
        "--sec-url",
        &url,
    ]);
    server.join().unwrap();
    let before = common::registry_snapshot(&db.store());
    let attempt = |answer: Box<dyn FnOnce(&mut TcpStream) + Send>| {
        let (url, server) = serve_once(answer);
        let out = db.run(&[
            "companies",
            "import",
            "--from-sec",
            "--user-agent",
            AGENT,
            "--sec-url",
            &url,
        ]);
        server.join().unwrap();
        assert_eq!(out.code, Some(1), "{out:?}");
        out.stderr
    };

    let forbidden = attempt(Box::new(|s: &mut TcpStream| {
        let _ = s
            .write_all(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    }));
    assert!(forbidden.contains("answered 403"), "{forbidden}");
    assert!(forbidden.contains("User-Agent"), "{forbidden}");

    let declared = attempt(Box::new(|s: &mut TcpStream| {
        let _ = s.write_all(
            b"HTTP/1.1 200 OK\r\nContent-Length: 900000000\r\nConnection: close\r\n\r\n{",
        );
    }));
    assert!(declared.contains("larger than 32 MiB"), "{declared}");

    let streamed = attempt(Box::new(|s: &mut TcpStream| {
        // No length given: the body runs until the connection closes, past the cap.
        let _ = s.write_all(b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n");
        let chunk = vec![b' '; 1024 * 1024];
        for _ in 0..40 {
            if s.write_all(&chunk).is_err() {
                break;
            }
        }
    }));
    assert!(streamed.contains("larger than 32 MiB"), "{streamed}");

    let page = attempt(Box::new(ok_json(
        "<html><body>Service unavailable</body></html>",
    )));
    assert!(
        page.contains("did not answer SEC's list of tickers"),
        "{page}"
    );

    assert_eq!(
        common::registry_snapshot(&db.store()),
        before,
        "the registry is unchanged"
    );
}
