//! The web page at `/`. A placeholder until the page itself is merged.

use actix_web::{web, HttpResponse};

/// Serves the page at `/`.
pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("/").name("/").route(web::get().to(page)));
}

async fn page() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .body(
            "<!doctype html><html><head><meta charset=\"utf-8\"><title>riskline</title></head>\
             <body><h1>riskline</h1><p>The API is at <a href=\"/api/v1/openapi.json\">/api/v1</a>.</p>\
             </body></html>",
        )
}
