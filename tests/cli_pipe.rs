//! A closed standard output ends a command quietly: `riskline ... | head -1` gives no
//! panic message and no crash status; `serve` outlives clients that hang up.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::os::unix::process::ExitStatusExt;
use std::process::{Child, Command, ExitStatus, Stdio};

use common::{bin, TestDb};

/// Fails unless the run ended quietly: success, or SIGPIPE's own end, and no panic.
fn assert_quiet(args: &[&str], status: ExitStatus, stderr: &str) {
    assert!(
        !stderr.contains("panicked"),
        "riskline {args:?} panicked: {stderr}"
    );
    assert_ne!(status.code(), Some(101), "riskline {args:?}: {stderr}");
    assert!(
        status.success() || status.signal() == Some(libc::SIGPIPE),
        "riskline {args:?} ended with {status}: {stderr}"
    );
}

fn spawn(db: &TestDb, args: &[&str]) -> Child {
    Command::new(bin())
        .args(args)
        .env("DATABASE_URL", &db.url)
        .env_remove("RISKLINE_LOG")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", bin()))
}

/// Runs a command whose standard output is closed before it writes anything.
fn with_stdout_closed(db: &TestDb, args: &[&str]) -> (ExitStatus, String) {
    let mut child = spawn(db, args);
    // The only reading end of the pipe: every write of the command now fails.
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn commands_writing_to_a_closed_pipe_end_quietly() {
    let db = TestDb::sqlite();
    db.run_ok(&["companies", "list", "--limit", "1"]);
    let backup = format!("{}.copy", db.url);
    let extract_input = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/ingest/thread/1-suit.txt"
    );
    let commands: [&[&str]; 8] = [
        &["companies", "list", "--limit", "0"],
        &["keys", "create", "--name", "piped", "--role", "reader"],
        &["keys", "list"],
        &["migrate", "status"],
        &["extract", extract_input],
        &["backup", &backup],
        &["--help"],
        &["companies", "--help"],
    ];
    for args in commands {
        let (status, stderr) = with_stdout_closed(&db, args);
        assert_quiet(args, status, &stderr);
        // Without a reader the command cannot have finished its output.
        assert_eq!(
            status.signal(),
            Some(libc::SIGPIPE),
            "riskline {args:?} ended with {status}: {stderr}"
        );
    }
}

#[test]
fn a_reader_that_stops_after_the_first_line_ends_the_listing_quietly() {
    let db = TestDb::sqlite();
    let args = ["companies", "list", "--limit", "0"];
    let mut child = spawn(&db, &args);
    let mut first = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    assert!(!first.trim().is_empty(), "no first line");
    // The reader is gone (as `head -1` exits); the listing of every company goes on writing.
    let out = child.wait_with_output().unwrap();
    assert_quiet(&args, out.status, &String::from_utf8_lossy(&out.stderr));
}

/// Asks for the web page's script many times over one connection, reads the start of
/// the first answer and hangs up with a reset: the server's next writes on that
/// socket fail (with SIGPIPE, were it not ignored).
fn hang_up_while_answered(addr: &str) {
    use std::os::fd::AsRawFd;
    let mut stream = TcpStream::connect(addr).unwrap();
    let request = format!("GET /app.js HTTP/1.1\r\nHost: {addr}\r\n\r\n");
    stream.write_all(request.repeat(200).as_bytes()).unwrap();
    let mut start = [0u8; 4096];
    stream.read_exact(&mut start).unwrap();
    assert!(
        start.starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&start[..200])
    );
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a `linger` of the size given.
    let set = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            std::ptr::addr_of!(linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    assert_eq!(set, 0, "SO_LINGER");
    // Closed with a zero linger time: a reset instead of an orderly end.
    drop(stream);
}

/// A `riskline serve` on `127.0.0.1:0` whose standard output nobody reads after the
/// first line; returns the process and its address.
fn serve_with_stdout_closed(db: &TestDb, extra: &[&str]) -> (Child, String) {
    let mut args = vec!["serve", "--bind", "127.0.0.1:0", "--workers", "2"];
    args.extend_from_slice(extra);
    let mut child = spawn(db, &args);
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on http://")
        .unwrap_or_else(|| panic!("first line: {line}"))
        .to_string();
    drop(stdout);
    (child, addr)
}

/// Whether `GET /ping` answers 200.
fn pings(addr: &str) -> bool {
    let Ok(mut stream) = TcpStream::connect(addr) else {
        return false;
    };
    let request = format!("GET /ping HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    let mut answer = String::new();
    stream.write_all(request.as_bytes()).is_ok()
        && stream.read_to_string(&mut answer).is_ok()
        && answer.starts_with("HTTP/1.1 200")
}

#[test]
fn serve_outlives_clients_that_hang_up() {
    let db = TestDb::sqlite();
    // 20 x 200 pipelined requests from one address: the rate limit is not under test.
    let (mut child, addr) = serve_with_stdout_closed(&db, &["--rate-limit-per-ip", "off"]);
    for _ in 0..20 {
        hang_up_while_answered(&addr);
    }
    assert!(
        pings(&addr),
        "serve stopped answering after clients hung up"
    );
    assert!(child.try_wait().unwrap().is_none(), "serve ended");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn serve_outlives_a_closed_stdout() {
    // `serve --demo` prints the analyst key once the demo corpus is in, after the
    // first line: into a pipe whose reader is gone (`serve --demo | head -1`).
    let db = TestDb::sqlite();
    let (mut child, addr) = serve_with_stdout_closed(&db, &["--demo"]);
    let mut key_made = false;
    for _ in 0..6_000 {
        let listed = common::run(&db.url, &["keys", "list"]);
        if listed.stdout.contains("demo-analyst") {
            key_made = true;
            break;
        }
        assert!(child.try_wait().unwrap().is_none(), "serve ended");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(key_made, "the demo key never appeared");
    // The key is printed right after it is stored: the server must live on.
    for _ in 0..50 {
        assert!(
            pings(&addr),
            "serve stopped answering after printing into a closed pipe"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    assert!(child.try_wait().unwrap().is_none(), "serve ended");
    child.kill().unwrap();
    let out = child.wait_with_output().unwrap();
    // Quietly: no thread may panic on the closed pipe either.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
