//! Request metrics in the Prometheus text format: counts and a latency
//! histogram per route and status.
//!
//! Each route is labelled by its pattern (`/api/v1/companies/{ticker}/timeline`,
//! the resource name), never by the concrete path, so the number of series stays
//! small. Recording takes a read lock and a few atomic additions.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;

use super::AppState;

/// Upper bounds of the latency buckets, in seconds.
pub const BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

#[derive(Debug, Default)]
struct Series {
    /// One counter per bucket plus the last for `+Inf`, not cumulative.
    buckets: [AtomicU64; 14],
    count: AtomicU64,
    sum_micros: AtomicU64,
}

/// Per-route, per-status request counts and latencies.
#[derive(Debug, Default)]
pub struct Metrics {
    series: RwLock<HashMap<(String, String, u16), Arc<Series>>>,
}

impl Metrics {
    /// Records one request.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        let series = {
            let map = self.series.read().unwrap_or_else(|e| e.into_inner());
            map.iter()
                .find(|((m, r, s), _)| *s == status && m == method && r == route)
                .map(|(_, series)| series.clone())
        };
        let series = match series {
            Some(series) => series,
            None => {
                let mut map = self.series.write().unwrap_or_else(|e| e.into_inner());
                map.entry((method.to_string(), route.to_string(), status))
                    .or_default()
                    .clone()
            }
        };
        let bucket = BUCKETS
            .iter()
            .position(|bound| seconds <= *bound)
            .unwrap_or(BUCKETS.len());
        series.buckets[bucket].fetch_add(1, Ordering::Relaxed);
        series.count.fetch_add(1, Ordering::Relaxed);
        let micros = (seconds * 1e6).round();
        let micros = if micros.is_finite() && micros > 0.0 {
            micros as u64
        } else {
            0
        };
        series.sum_micros.fetch_add(micros, Ordering::Relaxed);
    }

    /// The metrics as Prometheus text, with the given event and document totals.
    pub fn render(&self, totals: Option<(i64, i64)>) -> String {
        let mut out = String::new();
        let map = self.series.read().unwrap_or_else(|e| e.into_inner());
        let mut keys: Vec<&(String, String, u16)> = map.keys().collect();
        keys.sort();
        let _ = writeln!(
            out,
            "# HELP riskline_http_requests_total HTTP requests by route and status."
        );
        let _ = writeln!(out, "# TYPE riskline_http_requests_total counter");
        for key in &keys {
            if let Some(series) = map.get(*key) {
                let _ = writeln!(
                    out,
                    "riskline_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}",
                    key.0,
                    escape(&key.1),
                    key.2,
                    series.count.load(Ordering::Relaxed)
                );
            }
        }
        let _ = writeln!(
            out,
            "# HELP riskline_http_request_duration_seconds Time to answer, by route and status."
        );
        let _ = writeln!(
            out,
            "# TYPE riskline_http_request_duration_seconds histogram"
        );
        for key in &keys {
            let Some(series) = map.get(*key) else {
                continue;
            };
            let labels = format!(
                "method=\"{}\",route=\"{}\",status=\"{}\"",
                key.0,
                escape(&key.1),
                key.2
            );
            let mut cumulative = 0;
            for (i, bound) in BUCKETS.iter().enumerate() {
                cumulative += series.buckets[i].load(Ordering::Relaxed);
                let _ = writeln!(
                    out,
                    "riskline_http_request_duration_seconds_bucket{{{labels},le=\"{bound}\"}} {cumulative}"
                );
            }
            cumulative += series.buckets[BUCKETS.len()].load(Ordering::Relaxed);
            let _ = writeln!(
                out,
                "riskline_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {cumulative}"
            );
            let sum = series.sum_micros.load(Ordering::Relaxed) as f64 / 1e6;
            let _ = writeln!(
                out,
                "riskline_http_request_duration_seconds_sum{{{labels}}} {sum}"
            );
            let _ = writeln!(
                out,
                "riskline_http_request_duration_seconds_count{{{labels}}} {}",
                series.count.load(Ordering::Relaxed)
            );
        }
        if let Some((events, documents)) = totals {
            let _ = writeln!(out, "# HELP riskline_events Events stored.");
            let _ = writeln!(out, "# TYPE riskline_events gauge");
            let _ = writeln!(out, "riskline_events {events}");
            let _ = writeln!(out, "# HELP riskline_documents Documents stored.");
            let _ = writeln!(out, "# TYPE riskline_documents gauge");
            let _ = writeln!(out, "riskline_documents {documents}");
        }
        out
    }
}

/// The counters and state of live sources (`riskline watch`), one series per
/// source, labelled by its name and kind.
pub fn render_sources(rows: &[crate::store::sources::SourceRow]) -> String {
    type Pick = fn(&crate::store::sources::NewSource) -> i64;
    let series: [(&str, &str, &str, Pick); 11] = [
        (
            "riskline_source_polls_total",
            "counter",
            "Polls of a source.",
            |f| f.polls,
        ),
        (
            "riskline_source_not_modified_total",
            "counter",
            "Polls answered 304 Not Modified.",
            |f| f.not_modified,
        ),
        (
            "riskline_source_errors_total",
            "counter",
            "Polls that failed.",
            |f| f.errors,
        ),
        (
            "riskline_source_requests_total",
            "counter",
            "HTTP requests made for a source.",
            |f| f.requests,
        ),
        (
            "riskline_source_bytes_total",
            "counter",
            "Bytes fetched for a source.",
            |f| f.bytes_fetched,
        ),
        (
            "riskline_source_items_new_total",
            "counter",
            "Items stored as new documents.",
            |f| f.items_new,
        ),
        (
            "riskline_source_items_known_total",
            "counter",
            "Items whose content was stored before.",
            |f| f.items_known,
        ),
        (
            "riskline_source_items_failed_total",
            "counter",
            "Items that could not be stored.",
            |f| f.items_failed,
        ),
        (
            "riskline_source_consecutive_failures",
            "gauge",
            "Polls failed in a row.",
            |f| f.consecutive_failures,
        ),
        (
            "riskline_source_up",
            "gauge",
            "1 when the last poll succeeded (or none was made), else 0.",
            |f| i64::from(f.last_error.is_none()),
        ),
        (
            "riskline_source_last_success_timestamp_seconds",
            "gauge",
            "When a poll last succeeded (Unix time; 0: never).",
            |f| f.last_success_at.map_or(0, |t| t.and_utc().timestamp()),
        ),
    ];
    let mut out = String::new();
    if rows.is_empty() {
        return out;
    }
    for (name, kind, help, pick) in series {
        let _ = writeln!(out, "# HELP {name} {help}");
        let _ = writeln!(out, "# TYPE {name} {kind}");
        for row in rows {
            let _ = writeln!(
                out,
                "{name}{{source=\"{}\",kind=\"{}\"}} {}",
                escape(&row.fields.name),
                escape(&row.fields.kind),
                pick(&row.fields)
            );
        }
    }
    out
}

fn escape(label: &str) -> String {
    label
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// The target of the access log: one `info` line per answered request.
pub const ACCESS_LOG: &str = "riskline::access";

/// The middleware: times every request, records it under its route and writes its
/// access log line (method, path without the query, status, milliseconds taken).
pub async fn record(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let started = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let (method, path) = (req.method().clone(), req.path().to_string());
    let id = super::conventions::request_id(req.headers().get(super::conventions::REQUEST_ID));
    let result = next.call(req).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = match &result {
        Ok(response) => response.status(),
        Err(err) => err.as_response_error().status_code(),
    };
    tracing::info!(
        target: ACCESS_LOG,
        method = %method,
        path = %path,
        status = status.as_u16(),
        duration_ms = (seconds * 1e6).round() / 1e3,
        request.id = %id,
        "request"
    );
    let mut response = result?;
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(&id) {
        response.headers_mut().insert(
            actix_web::http::header::HeaderName::from_static(super::conventions::REQUEST_ID),
            value,
        );
    }
    if let Some(state) = state {
        let request = response.request();
        let route = request.match_name().unwrap_or("unmatched");
        state
            .metrics
            .observe(method.as_str(), route, status.as_u16(), seconds);
    }
    Ok(response)
}
