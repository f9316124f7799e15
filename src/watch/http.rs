//! The poller's HTTP client: one `ureq` agent with the manners a polite robot
//! needs.
//!
//! - **Conditional GET**: `If-None-Match` / `If-Modified-Since` from the stored
//!   validators; a `304` is [`Fetched::NotModified`].
//! - **Time bounds**: a connect timeout, a read timeout per read, and the whole
//!   body bounded to four read timeouts (a server dripping one byte a second
//!   cannot hold the poller).
//! - **Size cap**: a `Content-Length` over the cap is refused before reading, and
//!   reading stops one byte past it (the cap applies to the unpacked body).
//! - **Redirects**: followed by hand, at most [`HttpConfig::max_redirects`], each
//!   hop checked and rate-limited like a first request; only `http`/`https`.
//! - **Addresses**: host names resolving to loopback, private, link-local or
//!   otherwise non-public addresses are refused unless
//!   [`HttpConfig::allow_private`] (a feed must not make the server fetch its own
//!   network). The check sits in the resolver, so redirects pass it too.
//! - **Per-host rate**: requests to one host are spaced by the host's interval
//!   (SEC's hosts together: [`SEC_MIN_INTERVAL`], at most 10 a second); a `429`
//!   or `503` with `Retry-After` blocks the host (all of SEC for SEC's) until then
//!   ([`FetchError::HostBlocked`]).
//! - **SEC**: no request goes to an SEC host without the configured User-Agent
//!   naming the operator and a contact address.
//!
//! `ureq` 2 was chosen because the project already used it (the SEC registry
//! import): it is blocking (the poller is a plain thread), speaks TLS through
//! rustls with the webpki roots (no OpenSSL to build or link), and has connect,
//! read and overall timeouts and a pluggable resolver.

use std::collections::HashMap;
use std::io::Read;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// The most SEC allows: 10 requests a second, so one every 100 ms.
pub const SEC_MIN_INTERVAL: Duration = Duration::from_millis(100);

/// The clock every SEC host shares.
const SEC_CLOCK: &str = "sec.gov";

/// How the client behaves.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// The User-Agent for hosts other than SEC's.
    pub user_agent: String,
    /// The User-Agent for SEC (operator name and contact address); `None` refuses SEC.
    pub sec_user_agent: Option<String>,
    /// Hosts that get SEC's rules besides `sec.gov` and its subdomains (a mirror, a test server).
    pub sec_hosts: Vec<String>,
    /// Time to connect.
    pub connect_timeout: Duration,
    /// Time for each read; the whole exchange may take four times this.
    pub read_timeout: Duration,
    /// The largest body read, in bytes.
    pub max_bytes: u64,
    /// Redirects followed at most.
    pub max_redirects: u32,
    /// Whether loopback and private addresses may be fetched (tests, intranets).
    pub allow_private: bool,
    /// The least time between two requests to one host other than SEC's.
    pub host_interval: Duration,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            user_agent: format!("riskline/{}", env!("CARGO_PKG_VERSION")),
            sec_user_agent: None,
            sec_hosts: Vec::new(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(20),
            max_bytes: crate::ingest::MAX_DOCUMENT_BYTES,
            max_redirects: 5,
            allow_private: false,
            host_interval: Duration::from_millis(500),
        }
    }
}

/// Why a fetch failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// Occurs when a URL is not one the poller may fetch (scheme, address, no SEC User-Agent).
    #[error("refused to fetch {url}: {reason}")]
    Refused {
        /// The URL.
        url: String,
        /// Why.
        reason: String,
    },
    /// Occurs when the server answers an error status.
    #[error("{url} answered {status}{}", retry_note(.retry_after))]
    Status {
        /// The URL.
        url: String,
        /// The HTTP status.
        status: u16,
        /// The wait its `Retry-After` asks for.
        retry_after: Option<Duration>,
    },
    /// Occurs when a host asked to be left alone until a moment not yet come.
    #[error("{host} asked to wait {} s more", .wait.as_secs())]
    HostBlocked {
        /// The host.
        host: String,
        /// How long yet.
        wait: Duration,
    },
    /// Occurs when the connection fails or times out.
    #[error("cannot fetch {url}: {detail}")]
    Transport {
        /// The URL.
        url: String,
        /// The transport's words.
        detail: String,
    },
    /// Occurs when the body is larger than the cap.
    #[error("{url} is larger than {max} bytes; not read")]
    TooLarge {
        /// The URL.
        url: String,
        /// The cap.
        max: u64,
    },
    /// Occurs when redirects do not end within the limit.
    #[error("{url}: more than {max} redirects")]
    TooManyRedirects {
        /// The first URL.
        url: String,
        /// The limit.
        max: u32,
    },
}

/// ` (retry after N s)` when the server said, for messages.
fn retry_note(wait: &Option<Duration>) -> String {
    wait.map(|d| format!(" (retry after {} s)", d.as_secs()))
        .unwrap_or_default()
}

impl FetchError {
    /// How long the source should wait before the next try, when the server said.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            FetchError::HostBlocked { wait, .. } => Some(*wait),
            _ => None,
        }
    }
}

/// A successful answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// `304 Not Modified`.
    NotModified,
    /// A body.
    Body(Body),
}

/// A body with what the poller keeps of its headers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Body {
    /// The bytes, at most the cap.
    pub bytes: Vec<u8>,
    /// The URL that answered, after redirects.
    pub url: String,
    /// Its `ETag`.
    pub etag: Option<String>,
    /// Its `Last-Modified`.
    pub last_modified: Option<String>,
}

/// Requests made and bytes read, for a source's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Requests sent (redirect hops included).
    pub requests: i64,
    /// Body bytes read.
    pub bytes: i64,
}

/// The client: an agent, the rules, and the per-host clocks.
pub struct Client {
    config: HttpConfig,
    agent: ureq::Agent,
    hosts: Mutex<HashMap<String, HostClock>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.config)
            .finish()
    }
}

/// When a host may next be asked, and until when it asked to be left alone.
#[derive(Debug, Clone, Copy)]
struct HostClock {
    next: Instant,
    blocked_until: Option<Instant>,
}

impl Client {
    /// A client with `config`.
    pub fn new(config: HttpConfig) -> Client {
        let allow_private = config.allow_private;
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(config.connect_timeout)
            .timeout_read(config.read_timeout)
            .timeout_write(config.read_timeout)
            // No overall `timeout`: in ureq it would replace the read timeout; the
            // whole answer is bounded while reading the body instead.
            .redirects(0)
            .resolver(move |netloc: &str| resolve(netloc, allow_private))
            .build();
        Client {
            config,
            agent,
            hosts: Mutex::new(HashMap::new()),
        }
    }

    /// The configuration.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    /// Whether a URL's host gets SEC's rules: `sec.gov`, its subdomains, and the
    /// configured [`HttpConfig::sec_hosts`] (each `host` or `host:port`).
    pub fn is_sec(&self, url: &url::Url) -> bool {
        let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
        let key = host_key(url);
        host == "sec.gov"
            || host.ends_with(".sec.gov")
            || self
                .config
                .sec_hosts
                .iter()
                .any(|h| h.eq_ignore_ascii_case(&host) || h.eq_ignore_ascii_case(&key))
    }

    /// GETs `url`, conditionally when `validators` (`ETag`, `Last-Modified`) are
    /// given, following redirects; counts what it does in `tally`.
    pub fn get(
        &self,
        url: &str,
        validators: (Option<&str>, Option<&str>),
        tally: &mut Tally,
    ) -> Result<Fetched, FetchError> {
        let mut current = url.to_string();
        for _ in 0..=self.config.max_redirects {
            let parsed = check_url(&current)?;
            let agent_name = self.user_agent_for(&current, &parsed)?;
            // SEC's hosts (www, data, efts ...) share one clock: ten a second in all.
            let (host, interval) = if self.is_sec(&parsed) {
                (SEC_CLOCK.to_string(), SEC_MIN_INTERVAL)
            } else {
                (host_key(&parsed), self.config.host_interval)
            };
            self.wait_turn(&host, interval)?;
            tally.requests += 1;
            let mut request = self.agent.get(&current).set("User-Agent", &agent_name).set(
                "Accept",
                "application/atom+xml, application/rss+xml, application/xml, text/xml, \
                     application/json, text/html;q=0.9, text/plain;q=0.8, */*;q=0.5",
            );
            if let Some(etag) = validators.0 {
                request = request.set("If-None-Match", etag);
            }
            if let Some(date) = validators.1 {
                request = request.set("If-Modified-Since", date);
            }
            let response = match request.call() {
                Ok(response) => response,
                Err(ureq::Error::Status(status, response)) => {
                    return Err(self.status_error(&current, &host, status, &response))
                }
                Err(ureq::Error::Transport(err)) => {
                    return Err(FetchError::Transport {
                        url: current,
                        detail: err.to_string(),
                    })
                }
            };
            match response.status() {
                304 => return Ok(Fetched::NotModified),
                300..=399 => {
                    current = redirect_target(&parsed, &current, &response)?;
                    continue;
                }
                _ => return self.read_body(&current, response, tally).map(Fetched::Body),
            }
        }
        Err(FetchError::TooManyRedirects {
            url: url.to_string(),
            max: self.config.max_redirects,
        })
    }

    /// The User-Agent for a URL; SEC without a configured one is refused.
    fn user_agent_for(&self, url: &str, parsed: &url::Url) -> Result<String, FetchError> {
        if !self.is_sec(parsed) {
            return Ok(self.config.user_agent.clone());
        }
        self.config
            .sec_user_agent
            .clone()
            .ok_or_else(|| FetchError::Refused {
                url: url.to_string(),
                reason: format!(
                    "SEC asks every automated client to name its operator and a contact \
                     address; set {} or --user-agent \"Your Company you@example.com\"",
                    crate::cli::sec::USER_AGENT_ENV
                ),
            })
    }

    /// Waits for the host's turn; fails at once when the host asked for a long pause.
    fn wait_turn(&self, host: &str, interval: Duration) -> Result<(), FetchError> {
        let now = Instant::now();
        let slot = {
            let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
            let clock = hosts.entry(host.to_string()).or_insert(HostClock {
                next: now,
                blocked_until: None,
            });
            if let Some(until) = clock.blocked_until.filter(|u| *u > now) {
                return Err(FetchError::HostBlocked {
                    host: host.to_string(),
                    wait: until - now,
                });
            }
            let slot = clock.next.max(now);
            clock.next = slot + interval;
            slot
        };
        let wait = slot.saturating_duration_since(now);
        if !wait.is_zero() {
            std::thread::sleep(wait);
        }
        Ok(())
    }

    /// The error of a status answer; a `429` or `503` with `Retry-After` blocks the host.
    fn status_error(
        &self,
        url: &str,
        host: &str,
        status: u16,
        response: &ureq::Response,
    ) -> FetchError {
        let retry_after = response.header("Retry-After").and_then(parse_retry_after);
        if matches!(status, 429 | 503) {
            if let Some(wait) = retry_after {
                let mut hosts = self.hosts.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let clock = hosts.entry(host.to_string()).or_insert(HostClock {
                    next: now,
                    blocked_until: None,
                });
                clock.blocked_until = Some(now + wait);
            }
        }
        FetchError::Status {
            url: url.to_string(),
            status,
            retry_after,
        }
    }

    fn read_body(
        &self,
        url: &str,
        response: ureq::Response,
        tally: &mut Tally,
    ) -> Result<Body, FetchError> {
        let max = self.config.max_bytes;
        let too_large = || FetchError::TooLarge {
            url: url.to_string(),
            max,
        };
        let declared = response
            .header("Content-Length")
            .and_then(|v| v.trim().parse::<u64>().ok());
        if declared.is_some_and(|n| n > max) {
            return Err(too_large());
        }
        let etag = response.header("ETag").map(str::to_string);
        let last_modified = response.header("Last-Modified").map(str::to_string);
        let final_url = response.get_url().to_string();
        let overall = self.config.read_timeout.saturating_mul(4);
        let read = read_until(response.into_reader(), max + 1, Instant::now() + overall);
        let bytes = match read {
            Ok(bytes) => bytes,
            Err((partial, detail)) => {
                tally.bytes += i64::try_from(partial).unwrap_or(i64::MAX);
                return Err(FetchError::Transport {
                    url: url.to_string(),
                    detail: format!("reading the answer: {detail}"),
                });
            }
        };
        tally.bytes += i64::try_from(bytes.len()).unwrap_or(i64::MAX);
        if bytes.len() as u64 > max {
            return Err(too_large());
        }
        Ok(Body {
            bytes,
            url: final_url,
            etag,
            last_modified,
        })
    }
}

/// Reads at most `limit` bytes, failing when the answer is still coming at
/// `deadline` (a server that drips a byte at a time within the read timeout).
/// The error holds the bytes read and the reason.
fn read_until(
    mut reader: impl Read,
    limit: u64,
    deadline: Instant,
) -> Result<Vec<u8>, (usize, String)> {
    let mut bytes = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        if Instant::now() > deadline {
            return Err((
                bytes.len(),
                "the answer took too long (timed out)".to_string(),
            ));
        }
        let room = usize::try_from(limit.saturating_sub(bytes.len() as u64))
            .unwrap_or(usize::MAX)
            .min(chunk.len());
        if room == 0 {
            return Ok(bytes);
        }
        match reader.read(&mut chunk[..room]) {
            Ok(0) => return Ok(bytes),
            Ok(n) => bytes.extend_from_slice(&chunk[..n]),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err((bytes.len(), e.to_string())),
        }
    }
}

/// Parses an `http`/`https` URL; anything else is refused.
fn check_url(text: &str) -> Result<url::Url, FetchError> {
    let refuse = |reason: &str| FetchError::Refused {
        url: text.to_string(),
        reason: reason.to_string(),
    };
    let parsed = url::Url::parse(text).map_err(|e| refuse(&format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(refuse("only http and https URLs are fetched"));
    }
    if parsed.host_str().map_or(true, str::is_empty) {
        return Err(refuse("the URL has no host"));
    }
    Ok(parsed)
}

/// The key of a host's clock: host and port.
fn host_key(url: &url::Url) -> String {
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    match url.port() {
        Some(port) => format!("{host}:{port}"),
        None => host,
    }
}

/// Where a redirect points, resolved against the URL that answered it.
fn redirect_target(
    base: &url::Url,
    url: &str,
    response: &ureq::Response,
) -> Result<String, FetchError> {
    let location = response
        .header("Location")
        .ok_or_else(|| FetchError::Transport {
            url: url.to_string(),
            detail: format!("a {} redirect without Location", response.status()),
        })?;
    base.join(location)
        .map(|u| u.to_string())
        .map_err(|e| FetchError::Refused {
            url: url.to_string(),
            reason: format!("its redirect to {location:?} is not a URL ({e})"),
        })
}

/// `Retry-After` as a wait: seconds, or an HTTP date; at most a day.
pub fn parse_retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    let wait = if let Ok(secs) = value.parse::<u64>() {
        Duration::from_secs(secs)
    } else {
        let at = chrono::DateTime::parse_from_rfc2822(value).ok()?;
        let secs = (at.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_seconds();
        Duration::from_secs(u64::try_from(secs).unwrap_or(0))
    };
    Some(wait.min(Duration::from_secs(86_400)))
}

/// Resolves `host:port`, keeping only public addresses unless `allow_private`.
fn resolve(netloc: &str, allow_private: bool) -> std::io::Result<Vec<SocketAddr>> {
    let all: Vec<SocketAddr> = netloc.to_socket_addrs()?.collect();
    if allow_private {
        return Ok(all);
    }
    let public: Vec<SocketAddr> = all.iter().copied().filter(|a| is_public(a.ip())).collect();
    if public.is_empty() && !all.is_empty() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            format!(
                "{netloc} resolves to a loopback or private address only; \
                 allow those with --allow-private-addresses"
            ),
        ));
    }
    Ok(public)
}

/// Whether an address is on the public internet.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_unspecified()
                || v4.is_broadcast()
                || v4.is_documentation()
                || v4.is_multicast()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (18..20).contains(&b)))
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_loopback_addresses_are_not_public() {
        for ip in [
            "127.0.0.1",
            "10.1.2.3",
            "192.168.0.1",
            "172.16.5.5",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(!is_public(ip.parse().unwrap()), "{ip}");
        }
        for ip in ["8.8.8.8", "162.159.1.1", "2606:4700::1111"] {
            assert!(is_public(ip.parse().unwrap()), "{ip}");
        }
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        assert_eq!(parse_retry_after(" 7 "), Some(Duration::from_secs(7)));
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(
            parse_retry_after("999999999"),
            Some(Duration::from_secs(86_400))
        );
        assert_eq!(parse_retry_after("soon"), None);
    }

    #[test]
    fn only_web_urls_are_fetched_and_sec_needs_a_user_agent() {
        let client = Client::new(HttpConfig::default());
        let mut tally = Tally::default();
        for url in ["file:///etc/passwd", "ftp://x.example/", "not a url"] {
            let err = client.get(url, (None, None), &mut tally).unwrap_err();
            assert!(matches!(err, FetchError::Refused { .. }), "{url}: {err}");
        }
        let err = client
            .get("https://www.sec.gov/x", (None, None), &mut tally)
            .unwrap_err();
        assert!(err.to_string().contains("RISKLINE_SEC_USER_AGENT"), "{err}");
        assert_eq!(tally.requests, 0);
        let err = client
            .get("http://127.0.0.1:9/feed", (None, None), &mut tally)
            .unwrap_err();
        assert!(err.to_string().contains("private"), "{err}");
    }
}
