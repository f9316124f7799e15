//! The analyst web page: three static assets compiled into the binary and served at `/`.
//!
//! The page is plain HTML, CSS and JavaScript modules with no build step; it talks only to
//! the public `/api/v1` routes. Assets are revalidated on every load (`Cache-Control:
//! no-cache`) against a strong ETag derived from their content, so a new binary is picked up
//! at once while an unchanged page costs a `304`.
//!
//! ```
//! let app = actix_web::App::new().configure(riskline::api::web::configure);
//! # drop(app);
//! ```

use std::sync::LazyLock;

use actix_web::http::header::{self, EntityTag, IfNoneMatch};
use actix_web::{web, HttpMessage, HttpRequest, HttpResponse};
use sha2::{Digest, Sha256};

/// Only same-origin scripts, styles and API calls; the favicon is an empty `data:` URL.
const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
     base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// One embedded file with its content type and validator.
struct Asset {
    body: &'static str,
    content_type: &'static str,
    etag: EntityTag,
}

impl Asset {
    fn new(body: &'static str, content_type: &'static str) -> Self {
        let digest = Sha256::digest(body.as_bytes());
        let etag = EntityTag::new_strong(hex::encode(&digest[..12]));
        Asset {
            body,
            content_type,
            etag,
        }
    }

    /// The asset, or `304 Not Modified` when the client's `If-None-Match` already names it.
    fn respond(&self, req: &HttpRequest) -> HttpResponse {
        let fresh = match req.get_header::<IfNoneMatch>() {
            Some(IfNoneMatch::Any) => true,
            Some(IfNoneMatch::Items(tags)) => tags.iter().any(|tag| tag.weak_eq(&self.etag)),
            None => false,
        };
        let mut response = if fresh {
            HttpResponse::NotModified()
        } else {
            HttpResponse::Ok()
        };
        response
            .insert_header(header::ETag(self.etag.clone()))
            .insert_header((header::CACHE_CONTROL, "no-cache"))
            .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"));
        if fresh {
            return response.finish();
        }
        if self.content_type.starts_with("text/html") {
            response
                .insert_header((header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY))
                .insert_header((header::REFERRER_POLICY, "no-referrer"));
        }
        response
            .insert_header((header::CONTENT_TYPE, self.content_type))
            .body(self.body)
    }
}

static INDEX: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_str!("../../web/index.html"),
        "text/html; charset=utf-8",
    )
});
static APP: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_str!("../../web/app.js"),
        "text/javascript; charset=utf-8",
    )
});
static STYLE: LazyLock<Asset> = LazyLock::new(|| {
    Asset::new(
        include_str!("../../web/style.css"),
        "text/css; charset=utf-8",
    )
});

async fn index(req: HttpRequest) -> HttpResponse {
    INDEX.respond(&req)
}

async fn app(req: HttpRequest) -> HttpResponse {
    APP.respond(&req)
}

async fn style(req: HttpRequest) -> HttpResponse {
    STYLE.respond(&req)
}

/// Registers `/`, `/app.js` and `/style.css` (GET and HEAD); needs no API key.
///
/// Each resource is named after its path, the label the request metrics use.
pub fn configure(cfg: &mut web::ServiceConfig) {
    fn asset<F, R>(path: &'static str, handler: F) -> actix_web::Resource
    where
        F: actix_web::Handler<(HttpRequest,), Output = R> + Clone,
        R: actix_web::Responder + 'static,
    {
        web::resource(path)
            .name(path)
            .route(web::get().to(handler.clone()))
            .route(web::head().to(handler))
    }
    cfg.service(asset("/", index))
        .service(asset("/index.html", index))
        .service(asset("/app.js", app))
        .service(asset("/style.css", style));
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::http::StatusCode;
    use actix_web::{test, App};

    async fn get(path: &str, if_none_match: Option<&str>) -> actix_web::dev::ServiceResponse {
        let app = test::init_service(App::new().configure(configure)).await;
        let mut req = test::TestRequest::get().uri(path);
        if let Some(tag) = if_none_match {
            req = req.insert_header((header::IF_NONE_MATCH, tag));
        }
        test::call_service(&app, req.to_request()).await
    }

    fn header_of(resp: &actix_web::dev::ServiceResponse, name: header::HeaderName) -> String {
        resp.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    #[actix_web::test]
    async fn each_asset_is_served_with_its_content_type_and_a_validator() {
        for (path, kind, marker) in [
            ("/", "text/html", "<script type=\"module\" src=\"/app.js\">"),
            ("/app.js", "text/javascript", "/api/v1"),
            ("/style.css", "text/css", "@media"),
        ] {
            let resp = get(path, None).await;
            assert_eq!(resp.status(), StatusCode::OK, "{path}");
            assert!(
                header_of(&resp, header::CONTENT_TYPE).starts_with(kind),
                "{path}"
            );
            assert_eq!(
                header_of(&resp, header::CACHE_CONTROL),
                "no-cache",
                "{path}"
            );
            assert!(header_of(&resp, header::ETAG).starts_with('"'), "{path}");
            let body = test::read_body(resp).await;
            let body = std::str::from_utf8(&body).expect("utf-8 asset");
            assert!(body.contains(marker), "{path} lacks {marker}");
        }
    }

    #[actix_web::test]
    async fn a_matching_etag_gets_not_modified_and_a_stale_one_the_body() {
        let first = get("/app.js", None).await;
        let etag = header_of(&first, header::ETAG);

        let again = get("/app.js", Some(&etag)).await;
        assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
        assert!(test::read_body(again).await.is_empty());

        let weak = get("/app.js", Some(&format!("\"nope\", W/{etag}"))).await;
        assert_eq!(weak.status(), StatusCode::NOT_MODIFIED);

        let stale = get("/app.js", Some("\"0123\"")).await;
        assert_eq!(stale.status(), StatusCode::OK);
        assert!(!test::read_body(stale).await.is_empty());
    }

    #[actix_web::test]
    async fn assets_differ_in_their_etags_and_the_page_has_a_content_policy() {
        let page = get("/", None).await;
        let script = get("/app.js", None).await;
        assert_ne!(
            header_of(&page, header::ETAG),
            header_of(&script, header::ETAG)
        );
        assert!(header_of(&page, header::CONTENT_SECURITY_POLICY).contains("script-src 'self'"));
        assert_eq!(
            get("/missing.js", None).await.status(),
            StatusCode::NOT_FOUND
        );
    }

    #[actix_web::test]
    async fn head_answers_like_get() {
        let app = test::init_service(App::new().configure(configure)).await;
        let req = test::TestRequest::default()
            .method(actix_web::http::Method::HEAD)
            .uri("/style.css")
            .to_request();
        let resp = test::call_service(&app, req).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert!(header_of(&resp, header::CONTENT_TYPE).starts_with("text/css"));
    }
}
