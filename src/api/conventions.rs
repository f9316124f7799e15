//! Conventions every list answer follows beside its body: a `Link` header to
//! the next page (RFC 8288), an `ETag` with `If-None-Match` (a client polling a
//! timeline that did not change gets `304` and no body), and the request id.
//!
//! Every answer carries `X-Request-Id`: the client's own when it sent a sane one
//! (1 to 64 of letters, digits, `.`, `_`, `-`), a new random one otherwise. The
//! access log line has it too, so that a client's report finds the log line.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

/// The id of a request: its `X-Request-Id` when sane, a new one otherwise.
pub fn request_id(value: Option<&HeaderValue>) -> String {
    let given = value.and_then(|v| v.to_str().ok()).filter(|v| {
        (1..=64).contains(&v.len())
            && v.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
    });
    match given {
        Some(id) => id.to_string(),
        None => {
            let mut bytes = [0u8; 8];
            rand::thread_rng().fill_bytes(&mut bytes);
            hex::encode(bytes)
        }
    }
}

/// The URL of the next page: this request's with `cursor` set to `next`.
fn next_url(req: &HttpRequest, next: &str) -> String {
    let info = req.connection_info();
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(req.query_string()).unwrap_or_default();
    let mut kept: Vec<(String, String)> =
        pairs.into_iter().filter(|(k, _)| k != "cursor").collect();
    kept.push(("cursor".to_string(), next.to_string()));
    let query = serde_urlencoded::to_string(&kept).unwrap_or_default();
    format!("{}://{}{}?{query}", info.scheme(), info.host(), req.path())
}

/// A page answer: `body` with `content_type`, a `Link` to the next page when
/// there is one, and a strong `ETag` of the body; `304` without a body when
/// the client's `If-None-Match` names it.
pub fn page(
    req: &HttpRequest,
    content_type: &str,
    body: Vec<u8>,
    next: Option<&str>,
) -> HttpResponse {
    let tag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let matches = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim() == "*"
                || v.split(',')
                    .any(|t| t.trim().trim_start_matches("W/") == tag)
        });
    let mut answer = if matches {
        HttpResponse::build(StatusCode::NOT_MODIFIED)
    } else {
        HttpResponse::Ok()
    };
    answer.insert_header((header::ETAG, tag.clone()));
    if let Some(next) = next {
        answer.insert_header((
            header::LINK,
            format!("<{}>; rel=\"next\"", next_url(req, next)),
        ));
    }
    if matches {
        return answer.finish();
    }
    answer.content_type(content_type.to_string()).body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sane_request_id_is_kept_and_anything_else_replaced() {
        let kept = HeaderValue::from_static("abc-123_x.y");
        assert_eq!(request_id(Some(&kept)), "abc-123_x.y");
        let odd = HeaderValue::from_static("no spaces please");
        let made = request_id(Some(&odd));
        assert_eq!(made.len(), 16);
        assert_ne!(made, request_id(None));
    }
}
