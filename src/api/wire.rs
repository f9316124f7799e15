//! The connection under the HTTP server: error answers that the HTTP layer
//! makes by itself get a problem+json body too.
//!
//! A few requests never reach the application: a request target over 64 KiB
//! (the URI type refuses it), a request head over 128 KiB or with more than 96
//! headers, a request line or header that is not HTTP, and a head that does not
//! arrive within the request timeout. actix-http answers those with `400`,
//! `431` or `408` and an empty body, then closes the connection. [`Guarded`]
//! wraps each accepted TCP stream and, when such an answer is written (an
//! error status, `content-length: 0`, no content type: the application's own
//! errors always have a problem body, see [`super::limits::as_problem`]),
//! writes the same status with a problem+json body instead. A `400` on a
//! connection whose first request line was over [`LONG_LINE_BYTES`] is
//! answered `414 URI Too Long`, which is what it was.
//!
//! After such an answer the client may still be sending what was refused; the
//! stream is then closed gently (write side first, then what arrives is read
//! and dropped for up to the disconnect timeout), so that the client reads the
//! answer rather than a connection reset.
//!
//! The stream also carries a [`BodyDeadline`]: set by the guard middleware when
//! a request with a body comes in, cleared when the body has been read to its
//! end. Past the deadline the stream reads as ended, and the connection closes.
//! This bounds what the application cannot: a chunked body that the handler
//! did not read (or stopped reading after a `408`) is otherwise drained by the
//! HTTP layer for as long as the client keeps sending it.

use std::cell::Cell;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::TcpStream;
use tokio::time::Sleep;

use super::error::Problem;
use super::limits::MAX_URI_BYTES;

/// A first request line longer than this is taken for a too-long URI when the
/// HTTP layer refuses the request.
pub const LONG_LINE_BYTES: usize = MAX_URI_BYTES;

/// The most bytes read and dropped while closing after an error answer.
const LINGER_BYTES: usize = 1 << 20;

/// When the body of the connection's current request must have arrived; `None`
/// while no body is awaited. Each request finds it in its connection data.
#[derive(Debug, Clone, Default)]
pub struct BodyDeadline(Rc<Cell<Option<Instant>>>);

impl BodyDeadline {
    /// Sets or clears the deadline.
    pub fn set(&self, at: Option<Instant>) {
        self.0.set(at);
    }

    /// The deadline, if one is set.
    pub fn get(&self) -> Option<Instant> {
        self.0.get()
    }
}

/// An accepted connection, watched as described in the [module docs](self).
#[derive(Debug)]
pub struct Guarded {
    /// The stream; taken when the connection is dropped after an error answer.
    inner: Option<TcpStream>,
    /// Bytes of the connection's first line read so far, while it lasts.
    first_line: Option<usize>,
    /// Whether the first line was longer than [`LONG_LINE_BYTES`].
    long_first_line: bool,
    /// The replacement answer, still to be written.
    pending: Vec<u8>,
    /// Whether an answer was replaced (the connection is closing).
    replaced: bool,
    /// How long to read and drop what the client still sends, when closing.
    linger: Duration,
    /// When the current request's body must have arrived.
    deadline: BodyDeadline,
    /// The timer of `deadline`, with the instant it is set for.
    timer: Option<(Instant, Pin<Box<Sleep>>)>,
}

impl Guarded {
    /// Wraps an accepted stream; `linger` bounds the gentle close.
    pub fn new(stream: TcpStream, linger: Duration) -> Guarded {
        Guarded {
            inner: Some(stream),
            first_line: Some(0),
            long_first_line: false,
            pending: Vec::new(),
            replaced: false,
            linger,
            deadline: BodyDeadline::default(),
            timer: None,
        }
    }

    /// The handle of this connection's body deadline.
    pub fn deadline(&self) -> BodyDeadline {
        self.deadline.clone()
    }

    /// Whether the body deadline has passed; if not, its timer wakes `cx` when it does.
    fn past_deadline(&mut self, cx: &mut Context<'_>) -> bool {
        let Some(at) = self.deadline.get() else {
            self.timer = None;
            return false;
        };
        if Instant::now() >= at {
            return true;
        }
        let timer = match &mut self.timer {
            Some((set_for, timer)) if *set_for == at => timer,
            slot => {
                let sleep = tokio::time::sleep_until(tokio::time::Instant::from_std(at));
                &mut slot.insert((at, Box::pin(sleep))).1
            }
        };
        timer.as_mut().poll(cx).is_ready()
    }

    fn stream(&mut self) -> io::Result<&mut TcpStream> {
        self.inner
            .as_mut()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotConnected, "connection closed"))
    }

    /// Writes what is left of the replacement answer.
    fn drive(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.pending.is_empty() {
            let pending = std::mem::take(&mut self.pending);
            let written = match Pin::new(self.stream()?).poll_write(cx, &pending) {
                Poll::Ready(Ok(n)) => n,
                Poll::Ready(Err(err)) => return Poll::Ready(Err(err)),
                Poll::Pending => {
                    self.pending = pending;
                    return Poll::Pending;
                }
            };
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.pending = pending[written..].to_vec();
        }
        Poll::Ready(Ok(()))
    }

    /// Follows the connection's first line in what was just read.
    fn watch(&mut self, read: &[u8]) {
        if let Some(seen) = self.first_line {
            let (len, ended) = match read.iter().position(|b| *b == b'\n') {
                Some(end) => (end, true),
                None => (read.len(), false),
            };
            let seen = seen + len;
            if seen > LONG_LINE_BYTES {
                self.long_first_line = true;
            }
            self.first_line = (!ended && !self.long_first_line).then_some(seen);
        }
    }
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.past_deadline(cx) {
            // Read as the end of the stream: the HTTP layer closes the connection.
            return Poll::Ready(Ok(()));
        }
        let before = buf.filled().len();
        ready!(Pin::new(this.stream()?).poll_read(cx, buf))?;
        if this.first_line.is_some() {
            this.watch(&buf.filled()[before..]);
        }
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        ready!(this.drive(cx))?;
        if let Some(answer) = problem_answer(buf, this.long_first_line) {
            this.pending = answer;
            this.replaced = true;
            if let Poll::Ready(Err(err)) = this.drive(cx) {
                return Poll::Ready(Err(err));
            }
            // The rest is written on the next write, flush or shutdown.
            return Poll::Ready(Ok(buf.len()));
        }
        Pin::new(this.stream()?).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drive(cx))?;
        Pin::new(this.stream()?).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        ready!(this.drive(cx))?;
        Pin::new(this.stream()?).poll_shutdown(cx)
    }
}

impl Drop for Guarded {
    fn drop(&mut self) {
        if !self.replaced {
            return;
        }
        let (Some(mut stream), Ok(runtime)) =
            (self.inner.take(), tokio::runtime::Handle::try_current())
        else {
            return;
        };
        let pending = std::mem::take(&mut self.pending);
        let linger = self.linger;
        runtime.spawn(async move {
            let close = async {
                if !pending.is_empty() {
                    stream.write_all(&pending).await?;
                }
                stream.shutdown().await?;
                let mut scratch = [0u8; 8192];
                let mut dropped = 0;
                while dropped < LINGER_BYTES {
                    match stream.read(&mut scratch).await? {
                        0 => break,
                        n => dropped += n,
                    }
                }
                Ok::<_, io::Error>(())
            };
            let _ = tokio::time::timeout(linger.max(Duration::from_millis(100)), close).await;
        });
    }
}

/// The replacement of an empty error answer of the HTTP layer (the whole of
/// `written`, a response head alone), or `None` when `written` is anything else.
pub fn problem_answer(written: &[u8], long_first_line: bool) -> Option<Vec<u8>> {
    let version = written.get(..9)?;
    if version != b"HTTP/1.1 " && version != b"HTTP/1.0 " {
        return None;
    }
    let code = match written.get(9..13)? {
        b"400 " => 400,
        b"408 " => 408,
        b"431 " => 431,
        _ => return None,
    };
    let end = written.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    if end != written.len() {
        return None;
    }
    let head = std::str::from_utf8(written).ok()?;
    let mut kept = Vec::new();
    let mut empty = false;
    for line in head.split("\r\n").skip(1).filter(|l| !l.is_empty()) {
        let (name, value) = line.split_once(':')?;
        let name = name.trim();
        if name.eq_ignore_ascii_case("content-length") {
            if value.trim() != "0" {
                return None;
            }
            empty = true;
        } else if name.eq_ignore_ascii_case("content-type")
            || name.eq_ignore_ascii_case("transfer-encoding")
        {
            return None;
        } else if !name.eq_ignore_ascii_case("connection") {
            kept.push(line);
        }
    }
    if !empty {
        return None;
    }
    let (status, detail) = match code {
        400 if long_first_line => (
            StatusCode::URI_TOO_LONG,
            format!(
                "the request URI is longer than the limit of {MAX_URI_BYTES} bytes \
                 (send long inputs in a request body)"
            ),
        ),
        400 => (
            StatusCode::BAD_REQUEST,
            "the request is not well-formed HTTP/1.1 (its request line or a header \
             cannot be read)"
                .to_string(),
        ),
        408 => (
            StatusCode::REQUEST_TIMEOUT,
            "the request line and headers did not arrive in time".to_string(),
        ),
        _ => (
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            "the request head is too large (at most 128 KiB and 96 headers)".to_string(),
        ),
    };
    let body = serde_json::to_vec(&Problem::new(status, detail)).ok()?;
    let mut answer = format!(
        "{}{} {}\r\n",
        std::str::from_utf8(version).ok()?,
        status.as_u16(),
        status.canonical_reason().unwrap_or("Error")
    );
    for line in kept {
        answer.push_str(line);
        answer.push_str("\r\n");
    }
    answer.push_str(&format!(
        "content-type: application/problem+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
        body.len()
    ));
    let mut answer = answer.into_bytes();
    answer.extend_from_slice(&body);
    Some(answer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8]) -> String {
        String::from_utf8(bytes.to_vec()).unwrap()
    }

    #[test]
    fn empty_error_answers_get_a_problem_body() {
        let head = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: Fri, 04 Dec 2026 18:00:00 GMT\r\n\r\n";
        let answer = text(&problem_answer(head, false).unwrap());
        assert!(
            answer.starts_with("HTTP/1.1 400 Bad Request\r\n"),
            "{answer}"
        );
        assert!(answer.contains("content-type: application/problem+json\r\n"));
        assert!(answer.contains("date: Fri, 04 Dec 2026"));
        assert_eq!(answer.matches("connection: close").count(), 1);
        let (head, body) = answer.split_once("\r\n\r\n").unwrap();
        let problem: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(problem["status"], 400);
        assert!(head.contains(&format!("content-length: {}", body.len())));

        let long = text(
            &problem_answer(
                b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\n",
                true,
            )
            .unwrap(),
        );
        assert!(long.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{long}");
        let big = text(
            &problem_answer(
                b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\n",
                false,
            )
            .unwrap(),
        );
        assert!(big.contains("\"status\":431"), "{big}");
        let slow = text(
            &problem_answer(
                b"HTTP/1.1 408 Request Timeout\r\ncontent-length: 0\r\n\r\n",
                false,
            )
            .unwrap(),
        );
        assert!(slow.contains("\"status\":408"), "{slow}");
    }

    #[test]
    fn other_answers_pass_as_they_are() {
        for written in [
            &b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"[..],
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\ncontent-type: application/problem+json\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nHTTP/1.1 200 OK\r\n",
            b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n",
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n",
            b"{\"x\": 1}",
        ] {
            assert_eq!(problem_answer(written, false), None, "{}", text(written));
        }
    }

    #[test]
    fn the_first_line_is_measured_across_reads() {
        let fresh = || Guarded {
            inner: None,
            first_line: Some(0),
            long_first_line: false,
            pending: Vec::new(),
            replaced: false,
            linger: Duration::ZERO,
            deadline: BodyDeadline::default(),
            timer: None,
        };
        let mut long = fresh();
        long.watch(&vec![b'a'; LONG_LINE_BYTES - 10]);
        assert!(!long.long_first_line);
        long.watch(b"0123456789\r\n");
        assert!(long.long_first_line);

        let mut short = fresh();
        short.watch(b"GET / HTTP/1.1\r\nX: ");
        short.watch(&vec![b'a'; LONG_LINE_BYTES * 2]);
        assert!(!short.long_first_line, "only the first line counts");
    }
}
