//! The OpenAPI 3 document, generated from the handlers' annotations.

use std::sync::OnceLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{
    changes, companies, documents, dto, error, events, exports, meta, sources, watchlists,
};

struct BearerKeys;

impl Modify for BearerKeys {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "An API key from `riskline keys create`: `Authorization: Bearer KEY`",
                    ))
                    .build(),
            ),
        );
    }
}

/// Declares the errors any route may answer, so that clients expect them:
/// `401` on routes that need a key, `429` (rate limits), `500` and `503` (the
/// database down) on all, each a problem document.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{content::Content, Ref, ResponseBuilder};
        let problem = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/problem+json",
                    Content::new(Some(Ref::from_schema_name("Problem"))),
                )
                .build()
        };
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let keyed = operation.security.as_ref().is_some_and(|s| !s.is_empty());
                let responses = &mut operation.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses
                        .entry(status.to_string())
                        .or_insert_with(|| problem(description).into());
                };
                if keyed {
                    add("401", "no key, or an unknown or revoked key");
                }
                add("429", "too many requests (see `Retry-After`)");
                add("500", "an unexpected failure");
                add("503", "the database is unavailable");
            }
        }
    }
}

/// The API's description.
#[derive(OpenApi)]
#[openapi(
    info(title = "riskline", description = "Lawsuits, regulatory actions and service halts of listed companies, as per-company risk timelines."),
    paths(
        companies::list, companies::show, companies::timeline, companies::calendar, companies::create,
        events::search, events::show, events::history, events::patch, events::create_manual,
        events::split, events::add_tag, events::remove_tag, events::list_tags,
        documents::show,
        documents::create,
        sources::list, sources::show, sources::create, sources::remove, sources::items,
        exports::atom, exports::watchlist_atom, exports::watchlist_calendar,
        watchlists::list, watchlists::create, watchlists::show, watchlists::replace, watchlists::delete,
        watchlists::timeline, watchlists::risk, watchlists::new_feed_token, watchlists::revoke_feed_token,
        watchlists::list_webhooks, watchlists::create_webhook, watchlists::delete_webhook,
        watchlists::list_deliveries, watchlists::replay_delivery,
        changes::feed, changes::export, changes::retract,
        meta::whoami, meta::openapi, meta::healthz, meta::metrics, meta::ping,
    ),
    components(schemas(
        error::Problem, dto::EventItem, dto::EventPage, dto::EventDetailDto, dto::EvidenceDto,
        dto::ThreadStepDto, dto::AuditEntryDto, dto::HistoryPage, dto::EventTagsDto,
        dto::TagCountDto, dto::TagPage, dto::CompanyDto, dto::HistoryDto, dto::CompanyHit, dto::CompanyPage,
        dto::RiskDto, dto::KindCountsDto, dto::AliasDto, dto::DocumentDto, dto::WhoAmI,
        dto::Health, dto::Pong, dto::EventCompanyDto, dto::PartyDto, dto::FirstEvidenceDto,
        companies::CompanyBody, companies::AliasBody, events::PatchBody, events::ManualEventBody,
        events::CompanyRoleBody, events::SplitBody,
        sources::SourceDto, sources::SourcePage, sources::SourceBody, sources::SourceItemDto,
        sources::SourceItemPage,
        watchlists::WatchlistDto, watchlists::WatchlistCompanyDto, watchlists::WatchlistPage,
        watchlists::WatchlistBody, watchlists::WatchlistRiskDto, watchlists::FeedTokenDto,
        watchlists::WebhookDto, watchlists::WebhookPage, watchlists::WebhookBody,
        watchlists::DeliveryDto, watchlists::DeliveryPage,
        changes::ChangeDto, changes::ChangePage, changes::ChangeCompanyDto, changes::RetractBody,
    )),
    modifiers(&BearerKeys, &CommonErrors),
)]
pub struct ApiDoc;

/// The document as JSON, made once.
pub fn json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .to_json()
            .unwrap_or_else(|_| "{}".to_string())
    })
}
