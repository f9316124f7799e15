//! What keeps one client from wearing the server out: request-rate limits per
//! client address and per API key, caps on the size of a request's URI and
//! headers, and the guard middleware that also turns every error answer into
//! `application/problem+json`.
//!
//! The connection-level limits (how long the request head, an idle keep-alive
//! connection and a closing client may take, and how many connections a worker
//! holds) are settings of the HTTP server, applied in [`super::run`] from
//! [`super::ApiConfig`]; the time a request body may take is enforced where
//! bodies are read ([`super::body::read`]).
//!
//! Rate limits are token buckets kept in memory, one per client address (IPv6
//! addresses by their /64 network, which one host usually owns whole) and one
//! per API key: a bucket holds up to `burst` requests and refills at `per_second`.
//! A request finding its bucket empty is answered `429 Too Many Requests` with
//! `Retry-After` (whole seconds until a request would be let through). The
//! address is the TCP peer's: behind a reverse proxy every request comes from
//! the proxy, so there the per-address limit should be off or set for the
//! proxy's whole traffic.
//!
//! ```
//! use riskline::api::limits::{Rate, RateLimiter};
//! let limiter = RateLimiter::new(Rate { per_second: 0.5, burst: 2 });
//! assert!(limiter.check(7_i64).is_ok());
//! assert!(limiter.check(7_i64).is_ok());
//! let wait = limiter.check(7_i64).unwrap_err();
//! assert!(wait.as_secs_f64() > 1.0);
//! assert!(limiter.check(8_i64).is_ok(), "each key has its own bucket");
//! ```

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};

use super::error::{shown, Problem};
use super::wire::BodyDeadline;
use super::AppState;

/// The longest request target (path and query string) answered; longer ones get `414`.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The most header bytes (names and values) answered; more get `431`. Request
/// heads over 128 KiB are refused by the HTTP layer itself, with an empty `431`.
pub const MAX_HEADER_BYTES: usize = 32 * 1024;

/// Buckets kept per limiter at most. When full, buckets that have refilled
/// (their client has been quiet) are dropped; if none has, all are.
const MAX_BUCKETS: usize = 100_000;

/// A request rate: `per_second` on average, up to `burst` at once.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    /// Requests per second let through on average (more than 0).
    pub per_second: f64,
    /// Requests let through at once after a quiet spell (at least 1).
    pub burst: u32,
}

impl Rate {
    /// A rate with the given burst, or twice the rate (at least 1) when `None`.
    pub fn new(per_second: f64, burst: Option<u32>) -> Rate {
        let burst = burst.unwrap_or_else(|| (per_second * 2.0).ceil().min(1e9) as u32);
        Rate {
            per_second,
            burst: burst.max(1),
        }
    }
}

/// Parses a rate setting: a number of requests per second, or `0` / `off` for none.
///
/// ```
/// use riskline::api::limits::parse_rate;
/// assert_eq!(parse_rate("off"), Ok(None));
/// assert_eq!(parse_rate("0"), Ok(None));
/// assert_eq!(parse_rate("2.5"), Ok(Some(2.5)));
/// assert!(parse_rate("fast").is_err());
/// ```
pub fn parse_rate(text: &str) -> Result<Option<f64>, String> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("off") || text.eq_ignore_ascii_case("none") {
        return Ok(None);
    }
    match text.parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(rate) if rate.is_finite() && rate > 0.0 => Ok(Some(rate)),
        _ => Err(format!(
            "`{}` is not a rate (expected requests per second, e.g. 50 or 0.5, or `off`)",
            shown(text)
        )),
    }
}

#[derive(Debug, Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

/// Token buckets by key: who may make a request now, and how long others wait.
#[derive(Debug)]
pub struct RateLimiter<K> {
    rate: Rate,
    buckets: Mutex<HashMap<K, Bucket>>,
}

impl<K: Hash + Eq + Copy> RateLimiter<K> {
    /// A limiter letting each key through at `rate`.
    pub fn new(rate: Rate) -> RateLimiter<K> {
        RateLimiter {
            rate,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// The rate this limiter applies.
    pub fn rate(&self) -> Rate {
        self.rate
    }

    /// Takes one request from `key`'s bucket, or says how long until one is there.
    pub fn check(&self, key: K) -> Result<(), Duration> {
        let now = Instant::now();
        let burst = f64::from(self.rate.burst);
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() >= MAX_BUCKETS && !buckets.contains_key(&key) {
            let per_second = self.rate.per_second;
            buckets.retain(|_, b| {
                b.tokens + now.duration_since(b.at).as_secs_f64() * per_second < burst
            });
            if buckets.len() >= MAX_BUCKETS {
                buckets.clear();
            }
        }
        let bucket = buckets.entry(key).or_insert(Bucket {
            tokens: burst,
            at: now,
        });
        let refill = now.duration_since(bucket.at).as_secs_f64() * self.rate.per_second;
        bucket.tokens = (bucket.tokens + refill).min(burst);
        bucket.at = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let wait = (1.0 - bucket.tokens) / self.rate.per_second;
            Err(Duration::from_secs_f64(wait.clamp(0.0, 1e9)))
        }
    }
}

/// The limits of one running server, kept in [`AppState`].
#[derive(Debug)]
pub struct Limits {
    /// Requests per client address, if limited.
    pub per_ip: Option<RateLimiter<IpAddr>>,
    /// Requests per API key (by key id), if limited.
    pub per_key: Option<RateLimiter<i64>>,
    /// How long a request body may take to arrive.
    pub body_timeout: Duration,
}

impl Limits {
    /// The limits of `config`.
    pub fn new(config: &super::ApiConfig) -> Limits {
        Limits {
            per_ip: config.rate_limit_per_ip.map(RateLimiter::new),
            per_key: config.rate_limit_per_key.map(RateLimiter::new),
            body_timeout: config.body_timeout,
        }
    }
}

/// The bucket key of a client address: IPv4 as it is, IPv6 by its /64 network.
pub fn client_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let network = u128::from(v6) & !((1u128 << 64) - 1);
                IpAddr::V6(Ipv6Addr::from(network))
            }
        },
    }
}

/// The `429` answer: problem+json with `Retry-After` in whole seconds (at least 1).
pub fn too_many_requests(wait: Duration, what: &str) -> HttpResponse {
    let seconds = wait.as_secs_f64().ceil().max(1.0) as u64;
    let mut response = Problem::new(
        StatusCode::TOO_MANY_REQUESTS,
        format!("too many requests {what}; retry in {seconds} s"),
    )
    .response();
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    response
}

/// How much longer than the body timeout the connection waits for a body
/// nobody reads, so that a handler reading it answers `408` first.
const DEADLINE_GRACE: Duration = Duration::from_secs(1);

/// Whether the request announces a body.
fn has_body(req: &ServiceRequest) -> bool {
    let headers = req.headers();
    headers.contains_key(header::TRANSFER_ENCODING)
        || headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.trim() != "0")
}

/// A request body that clears the connection's body deadline once read to its end.
struct ClearOnEnd {
    inner: actix_web::dev::Payload,
    deadline: BodyDeadline,
}

impl futures_util::Stream for ClearOnEnd {
    type Item = Result<web::Bytes, actix_web::error::PayloadError>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let next = std::pin::Pin::new(&mut self.inner).poll_next(cx);
        if let std::task::Poll::Ready(None) = next {
            self.deadline.set(None);
        }
        next
    }
}

/// Bytes of the request's headers, names and values.
fn header_bytes(req: &ServiceRequest) -> usize {
    req.headers()
        .iter()
        .map(|(name, value)| name.as_str().len() + value.len() + 4)
        .sum()
}

/// The middleware: refuses over-long URIs and headers and clients over their
/// rate, then makes sure any error answer has a problem+json body.
pub async fn guard(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let target = req.uri().path_and_query().map_or(0, |pq| pq.as_str().len());
    if target > MAX_URI_BYTES {
        let problem = Problem::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "the request URI has {target} bytes; the limit is {MAX_URI_BYTES} \
                 (send long inputs in a request body)"
            ),
        );
        return Ok(req.into_response(problem.response()));
    }
    let headers = header_bytes(&req);
    if headers > MAX_HEADER_BYTES {
        let problem = Problem::new(
            StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
            format!("the request headers have {headers} bytes; the limit is {MAX_HEADER_BYTES}"),
        );
        return Ok(req.into_response(problem.response()));
    }
    let mut body_timeout = None;
    if let Some(state) = req.app_data::<web::Data<AppState>>() {
        if let (Some(limiter), Some(peer)) = (&state.limits.per_ip, req.peer_addr()) {
            if let Err(wait) = limiter.check(client_key(peer.ip())) {
                let response = too_many_requests(wait, "from this address");
                return Ok(req.into_response(response));
            }
        }
        body_timeout = Some(state.limits.body_timeout);
    }
    if let (Some(timeout), Some(deadline)) = (body_timeout, req.conn_data::<BodyDeadline>()) {
        let deadline = deadline.clone();
        if has_body(&req) {
            // The handler's own timeout answers `408` first; this one closes a
            // connection whose body nobody reads.
            deadline.set(Some(Instant::now() + timeout + DEADLINE_GRACE));
            let payload = actix_web::HttpMessage::take_payload(&mut req);
            req.set_payload(actix_web::dev::Payload::Stream {
                payload: Box::pin(ClearOnEnd {
                    inner: payload,
                    deadline,
                }),
            });
        } else {
            deadline.set(None);
        }
    }
    // Handlers' errors come back as responses; an `Err` here is passed on as it is
    // (the request cannot be kept for it: routing needs the only reference).
    let response = next.call(req).await?.map_into_boxed_body();
    Ok(as_problem(response))
}

/// An error answer with an empty or plain-text body gets a problem+json body
/// instead; other answers pass as they are.
pub fn as_problem(response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let status = response.status();
    if !(status.is_client_error() || status.is_server_error()) {
        return response;
    }
    // Bodies made on purpose (problems, the JSON of `/healthz`) stay; empty
    // bodies and the plain-text ones of the framework's own errors are replaced.
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let empty = matches!(
        response.response().body().size(),
        actix_web::body::BodySize::None | actix_web::body::BodySize::Sized(0)
    );
    if !empty && !content_type.is_empty() && !content_type.starts_with("text/plain") {
        return response;
    }
    let (request, old) = response.into_parts();
    let path: Cow<str> = shown(request.path());
    let detail = match status {
        StatusCode::METHOD_NOT_ALLOWED => {
            format!("method {} is not allowed on {path}", request.method())
        }
        StatusCode::NOT_FOUND => format!("no route {} {path}", request.method()),
        StatusCode::PAYLOAD_TOO_LARGE => "the request body is too large".to_string(),
        StatusCode::URI_TOO_LONG => "the request URI is too long".to_string(),
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => {
            "the request headers are too large".to_string()
        }
        StatusCode::REQUEST_TIMEOUT => "the request did not arrive in time".to_string(),
        StatusCode::BAD_REQUEST => "the request is malformed".to_string(),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            "the request body's content type is not accepted here".to_string()
        }
        s if s.is_server_error() => "internal error".to_string(),
        s => s
            .canonical_reason()
            .unwrap_or("the request cannot be answered")
            .to_lowercase(),
    };
    let mut fresh = Problem::new(status, detail).response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE
            && name != header::CONTENT_LENGTH
            && !fresh.headers().contains_key(name)
        {
            fresh.headers_mut().append(name.clone(), value.clone());
        }
    }
    if old.head().connection_type() == actix_web::http::ConnectionType::Close {
        fresh
            .head_mut()
            .set_connection_type(actix_web::http::ConnectionType::Close);
    }
    ServiceResponse::new(request, fresh)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_refills_at_its_rate_up_to_its_burst() {
        let limiter = RateLimiter::new(Rate::new(1000.0, Some(3)));
        for _ in 0..3 {
            assert!(limiter.check(1_i64).is_ok());
        }
        // At 1000/s one request is back within milliseconds; ask until it is.
        let mut refilled = false;
        for _ in 0..1000 {
            if limiter.check(1_i64).is_ok() {
                refilled = true;
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        assert!(refilled);
    }

    #[test]
    fn the_wait_names_the_time_to_the_next_request() {
        let limiter = RateLimiter::new(Rate::new(0.25, Some(1)));
        assert!(limiter.check(1_i64).is_ok());
        let wait = limiter.check(1_i64).unwrap_err();
        assert!(wait > Duration::from_secs(3) && wait <= Duration::from_secs(4));
        assert_eq!(Rate::new(0.25, None).burst, 1);
        assert_eq!(Rate::new(50.0, None).burst, 100);
    }

    #[test]
    fn ipv6_clients_share_the_bucket_of_their_network() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(client_key(mapped), "192.0.2.7".parse::<IpAddr>().unwrap());
    }

    #[test]
    fn rates_parse_and_off_disables() {
        assert_eq!(parse_rate("OFF"), Ok(None));
        assert_eq!(parse_rate(" 10 "), Ok(Some(10.0)));
        for bad in ["-1", "NaN", "inf", "ten", ""] {
            let err = parse_rate(bad).unwrap_err();
            assert!(err.contains("not a rate"), "{err}");
        }
    }
}
