//! The OpenAPI 3 document, generated from the handlers' annotations.

use std::sync::OnceLock;

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::{companies, documents, dto, error, events, exports, meta};

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
        exports::atom,
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
    )),
    modifiers(&BearerKeys),
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
