//! Routes about the service itself: health, metrics, ping, who am I, OpenAPI.

use std::time::{Duration, Instant};

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};

use super::auth::Caller;
use super::dto::{Health, Pong, WhoAmI};
use super::{json, AppState};
use crate::store::events_read;

/// How long `/metrics` reuses its event and document counts.
const TOTALS_TTL: Duration = Duration::from_secs(15);

pub fn configure_api(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/whoami")
            .name("/api/v1/whoami")
            .route(web::get().to(whoami)),
    )
    .service(
        web::resource("/openapi.json")
            .name("/api/v1/openapi.json")
            .route(web::get().to(openapi)),
    )
    .configure(super::exports::configure);
}

pub fn configure_root(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/healthz")
            .name("/healthz")
            .route(web::get().to(healthz)),
    )
    .service(
        web::resource("/metrics")
            .name("/metrics")
            .route(web::get().to(metrics)),
    )
    .service(
        web::resource("/ping")
            .name("/ping")
            .route(web::get().to(ping)),
    );
}

/// The name and role of the calling key.
#[utoipa::path(get, path = "/api/v1/whoami", tag = "meta",
    responses((status = 200, body = WhoAmI), (status = 401, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn whoami(caller: Caller) -> HttpResponse {
    json(
        StatusCode::OK,
        &WhoAmI {
            name: caller.name,
            role: caller.role.as_str().to_string(),
            team: caller.team,
        },
    )
}

/// This document.
#[utoipa::path(get, path = "/api/v1/openapi.json", tag = "meta",
    responses((status = 200, description = "OpenAPI 3 document", content_type = "application/json")))]
pub(crate) async fn openapi() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(super::openapi::json())
}

/// Whether the service and its database answer; `503` when the database does not.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses((status = 200, body = Health), (status = 503, body = Health)))]
pub(crate) async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let check = state
        .db
        .blocking(|conn| crate::store::migrations::pending(conn).map(|_| ()))
        .await;
    match check {
        Ok(()) => json(
            StatusCode::OK,
            &Health {
                status: "ok".to_string(),
                database: "ok".to_string(),
            },
        ),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unavailable");
            json(
                StatusCode::SERVICE_UNAVAILABLE,
                &Health {
                    status: "degraded".to_string(),
                    database: "unavailable".to_string(),
                },
            )
        }
    }
}

/// Prometheus metrics: requests by route and status, latency histogram, totals.
#[utoipa::path(get, path = "/metrics", tag = "meta",
    responses((status = 200, description = "Prometheus text format", content_type = "text/plain")))]
pub(crate) async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let cached = *state.totals.lock().unwrap_or_else(|e| e.into_inner());
    let totals = match cached {
        Some((at, totals)) if at.elapsed() < TOTALS_TTL => Some(totals),
        _ => {
            let fresh = state.db.blocking(events_read::totals).await;
            match fresh {
                Ok(totals) => {
                    *state.totals.lock().unwrap_or_else(|e| e.into_inner()) =
                        Some((Instant::now(), totals));
                    Some(totals)
                }
                Err(err) => {
                    tracing::warn!(error = %err, "metrics: totals unavailable");
                    cached.map(|c| c.1)
                }
            }
        }
    };
    let mut text = state.metrics.render(totals);
    // The sources' counters live in the database: every poller's progress shows,
    // whichever process polls.
    match state.db.blocking(crate::store::sources::list).await {
        Ok(rows) => text.push_str(&super::metrics::render_sources(&rows)),
        Err(err) => tracing::warn!(error = %err, "metrics: sources unavailable"),
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4; charset=utf-8")
        .body(text)
}

/// A JSON answer that touches no database: the baseline of the benchmark.
#[utoipa::path(get, path = "/ping", tag = "meta", responses((status = 200, body = Pong)))]
pub(crate) async fn ping() -> HttpResponse {
    json(
        StatusCode::OK,
        &Pong {
            status: "ok".to_string(),
        },
    )
}
