//! A small HTTP/1.1 server on 127.0.0.1 for the watcher's tests: it answers each
//! request with what the test's handler returns, and logs every request (path,
//! time, User-Agent, validators) so that tests can count what the poller did.
//! Each connection is served in a thread of its own and closed after one answer.

// Each test crate uses a part of these helpers.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A request as the server saw it.
#[derive(Debug, Clone)]
pub struct Hit {
    pub path: String,
    pub at: Instant,
    pub user_agent: Option<String>,
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
}

/// What to answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before the body (a slow server).
    pub delay: Duration,
    /// Announce this Content-Length instead of the body's (a truncated answer).
    pub announced_len: Option<usize>,
}

impl Answer {
    pub fn ok(content_type: &str, body: impl Into<Vec<u8>>) -> Answer {
        Answer {
            status: 200,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
            delay: Duration::ZERO,
            announced_len: None,
        }
    }

    pub fn status(status: u16) -> Answer {
        Answer {
            status,
            headers: Vec::new(),
            body: Vec::new(),
            delay: Duration::ZERO,
            announced_len: None,
        }
    }

    pub fn redirect(location: &str) -> Answer {
        Answer::status(302).header("Location", location)
    }

    pub fn header(mut self, name: &str, value: &str) -> Answer {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn slow(mut self, delay: Duration) -> Answer {
        self.delay = delay;
        self
    }
}

type Handler = dyn Fn(&Hit) -> Answer + Send + Sync;

/// The server; stops when dropped.
pub struct TestHttp {
    pub base: String,
    hits: Arc<Mutex<Vec<Hit>>>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl TestHttp {
    /// Starts a server answering with `handler`.
    pub fn start(handler: impl Fn(&Hit) -> Answer + Send + Sync + 'static) -> TestHttp {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.set_nonblocking(true).expect("nonblocking");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let hits = Arc::new(Mutex::new(Vec::new()));
        let stop = Arc::new(AtomicBool::new(false));
        let handler: Arc<Handler> = Arc::new(handler);
        let (hits2, stop2) = (hits.clone(), stop.clone());
        let thread = std::thread::spawn(move || {
            while !stop2.load(Ordering::Relaxed) {
                match listener.accept() {
                    Ok((stream, _)) => {
                        let (hits, handler) = (hits2.clone(), handler.clone());
                        std::thread::spawn(move || serve(stream, &hits, &*handler));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        TestHttp {
            base,
            hits,
            stop,
            thread: Some(thread),
        }
    }

    /// `host:port`.
    pub fn authority(&self) -> &str {
        self.base.trim_start_matches("http://")
    }

    /// Every request so far.
    pub fn hits(&self) -> Vec<Hit> {
        self.hits.lock().unwrap().clone()
    }

    /// Requests so far whose path starts with `prefix`.
    pub fn hits_on(&self, prefix: &str) -> Vec<Hit> {
        self.hits()
            .into_iter()
            .filter(|h| h.path.starts_with(prefix))
            .collect()
    }
}

impl Drop for TestHttp {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn serve(stream: TcpStream, hits: &Mutex<Vec<Hit>>, handler: &Handler) {
    stream.set_nonblocking(false).ok();
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut hit = Hit {
        path,
        at: Instant::now(),
        user_agent: None,
        if_none_match: None,
        if_modified_since: None,
    };
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = Some(value.trim().to_string());
            match name.trim().to_ascii_lowercase().as_str() {
                "user-agent" => hit.user_agent = value,
                "if-none-match" => hit.if_none_match = value,
                "if-modified-since" => hit.if_modified_since = value,
                _ => {}
            }
        }
    }
    hits.lock().unwrap().push(hit.clone());
    let answer = handler(&hit);
    let mut out = stream;
    let mut head = format!("HTTP/1.1 {} X\r\nConnection: close\r\n", answer.status);
    for (name, value) in &answer.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let len = answer.announced_len.unwrap_or(answer.body.len());
    head.push_str(&format!("Content-Length: {len}\r\n\r\n"));
    if out.write_all(head.as_bytes()).is_err() {
        return;
    }
    if !answer.delay.is_zero() {
        out.flush().ok();
        std::thread::sleep(answer.delay);
    }
    let _ = out.write_all(&answer.body);
    let _ = out.flush();
}

/// An RSS feed of `(guid, title, text)` items, links under `base`.
pub fn rss(base: &str, items: &[(&str, &str, &str)]) -> String {
    let mut xml = String::from(
        "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel><title>Wire</title>\n",
    );
    for (guid, title, text) in items {
        xml.push_str(&format!(
            "<item><title>{title}</title><link>{base}/news/{guid}</link><guid>{guid}</guid>\
             <pubDate>Mon, 02 Mar 2026 14:00:00 GMT</pubDate><description>{text}</description></item>\n"
        ));
    }
    xml.push_str("</channel></rss>\n");
    xml
}
