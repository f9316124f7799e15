//! What goes on the wire: response types, built from the store's views.
//!
//! Rows never go out as they are: these types fix the JSON of `docs/api.md`
//! (snake_case, RFC 3339 UTC timestamps with `Z`, event dates at their
//! precision, lists as `{"items", "next_cursor"}`), so tables can change
//! without the API changing.
//!
//! Every URL given out passes [`super::links::web_link`]: a stored URL that is
//! not http(s) comes out as `null`.

use chrono::NaiveDate;
use serde::Serialize;
use utoipa::ToSchema;

pub use super::item::{timestamp, EventCompanyDto, EventItem, FirstEvidenceDto, PartyDto};
use super::links::{clean_item, web_link};
use super::params::{encode_cursor, format_event_date};
use crate::store::events_read::{
    Cursor, EventDetail, EventView, Evidence, KindCounts, RiskSummary, ThreadStep,
};
use crate::store::models::{AuditEntryRow, CompanyAliasRow, CompanyRow, DocumentRow};

/// A page of events.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventPage {
    pub items: Vec<EventItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The list item of a view, its evidence link checked.
pub fn event_item(view: EventView) -> EventItem {
    clean_item(EventItem::from_view(view))
}

impl EventPage {
    pub fn new(items: Vec<EventView>, next: Option<Cursor>) -> EventPage {
        EventPage {
            items: items.into_iter().map(event_item).collect(),
            next_cursor: next.as_ref().map(encode_cursor),
        }
    }
}

/// One piece of evidence of an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EvidenceDto {
    /// The mention id (what `POST /events/{id}/split` takes).
    pub id: i64,
    pub document_id: i64,
    pub title: Option<String>,
    pub url: Option<String>,
    pub published_at: Option<String>,
    /// Byte offsets into the document's text.
    pub start: i64,
    pub end: i64,
    pub text: String,
    pub rule: String,
    pub merge_reason: Option<String>,
    pub merge_score: Option<f64>,
}

impl From<Evidence> for EvidenceDto {
    fn from(e: Evidence) -> Self {
        EvidenceDto {
            id: e.mention_id,
            document_id: e.document_id,
            title: e.title,
            url: web_link(e.url),
            published_at: e.published_at.map(timestamp),
            start: e.start,
            end: e.end,
            text: e.text,
            rule: e.rule,
            merge_reason: e.merge_reason,
            merge_score: e.merge_score,
        }
    }
}

/// One step of an event's thread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadStepDto {
    pub id: i64,
    pub action: String,
    pub status: Option<String>,
    pub occurred_on: Option<String>,
}

impl From<ThreadStep> for ThreadStepDto {
    fn from(s: ThreadStep) -> Self {
        ThreadStepDto {
            id: s.id,
            action: s.action,
            status: s.status,
            occurred_on: s
                .occurred_on
                .map(|d| format_event_date(d, s.date_precision.as_deref())),
        }
    }
}

/// One change in the audit trail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryDto {
    pub id: i64,
    pub at: String,
    /// The name of the key that made the change.
    pub actor: String,
    /// review | correct | create | tag | untag | split
    pub action: String,
    pub entity: String,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntryRow> for AuditEntryDto {
    fn from(row: AuditEntryRow) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditEntryDto {
            id: row.id,
            at: timestamp(row.at),
            actor: row.actor,
            action: row.action,
            entity: row.entity,
            before: parse(row.before_json),
            after: parse(row.after_json),
        }
    }
}

/// The audit entries of an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryPage {
    pub items: Vec<AuditEntryDto>,
    pub next_cursor: Option<String>,
}

/// Everything about one event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDetailDto {
    #[serde(flatten)]
    pub event: EventItem,
    pub review_note: Option<String>,
    pub corrected_fields: Vec<String>,
    pub evidence: Vec<EvidenceDto>,
    pub thread: Vec<ThreadStepDto>,
    pub history: Vec<AuditEntryDto>,
}

impl From<EventDetail> for EventDetailDto {
    fn from(detail: EventDetail) -> Self {
        let review_note = detail.view.event.review_note.clone();
        let corrected_fields = crate::store::review::corrected_fields(&detail.view.event);
        EventDetailDto {
            event: event_item(detail.view),
            review_note,
            corrected_fields,
            evidence: detail.evidence.into_iter().map(EvidenceDto::from).collect(),
            thread: detail.thread.into_iter().map(ThreadStepDto::from).collect(),
            history: detail
                .history
                .into_iter()
                .map(AuditEntryDto::from)
                .collect(),
        }
    }
}

/// The tags of an event after a change.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventTagsDto {
    pub event_id: i64,
    pub tags: Vec<String>,
}

/// A tag and how many events carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagCountDto {
    pub name: String,
    pub event_count: i64,
}

/// Every tag.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagPage {
    pub items: Vec<TagCountDto>,
    pub next_cursor: Option<String>,
}

/// An alias of a company.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AliasDto {
    pub alias: String,
    /// legal_name | short_name | brand | subsidiary | former_name | former_ticker
    pub kind: String,
}

/// Events counted by kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCountsDto {
    pub lawsuit: i64,
    pub regulatory_action: i64,
    pub service_halt: i64,
}

impl From<KindCounts> for KindCountsDto {
    fn from(k: KindCounts) -> Self {
        KindCountsDto {
            lawsuit: k.lawsuit,
            regulatory_action: k.regulatory_action,
            service_halt: k.service_halt,
        }
    }
}

/// A company's risk at a glance (definitions in `docs/api.md`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskDto {
    /// The day the windows end on (UTC).
    pub as_of: String,
    pub events_30d: KindCountsDto,
    pub events_90d: KindCountsDto,
    pub events_365d: KindCountsDto,
    pub open_lawsuits: i64,
    pub damages_sought_usd: i64,
    pub fines_usd: i64,
    pub active_bans: i64,
    pub active_halts: i64,
    pub latest_event: Option<EventItem>,
}

impl RiskDto {
    pub fn new(risk: RiskSummary, as_of: NaiveDate) -> RiskDto {
        RiskDto {
            as_of: as_of.to_string(),
            events_30d: risk.events_30d.into(),
            events_90d: risk.events_90d.into(),
            events_365d: risk.events_365d.into(),
            open_lawsuits: risk.open_lawsuits,
            damages_sought_usd: risk.damages_sought_usd,
            fines_usd: risk.fines_usd,
            active_bans: risk.active_bans,
            active_halts: risk.active_halts,
            latest_event: risk.latest_event.map(event_item),
        }
    }
}

/// A company with its aliases and risk summary.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyDto {
    pub id: i64,
    pub ticker: String,
    pub name: String,
    pub cik: Option<i64>,
    pub exchange: Option<String>,
    pub aliases: Vec<AliasDto>,
    pub risk: RiskDto,
}

impl CompanyDto {
    pub fn new(row: CompanyRow, aliases: Vec<CompanyAliasRow>, risk: RiskDto) -> CompanyDto {
        CompanyDto {
            id: row.id,
            ticker: row.ticker,
            name: row.name,
            cik: row.cik,
            exchange: row.exchange,
            aliases: aliases
                .into_iter()
                .map(|a| AliasDto {
                    alias: a.alias,
                    kind: a.kind,
                })
                .collect(),
            risk,
        }
    }
}

/// A company found by a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyHit {
    pub id: i64,
    pub ticker: String,
    pub name: String,
    pub exchange: Option<String>,
    /// The ticker, name or alias that matched (the ticker when listing).
    pub matched: String,
}

/// Companies found by a search, or listed by ticker.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyPage {
    pub items: Vec<CompanyHit>,
    pub next_cursor: Option<String>,
}

/// A stored document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: i64,
    /// news | filing | press_release | court | feed | other
    pub source_kind: String,
    pub format: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published_at: Option<String>,
    pub content_hash: String,
    pub ingested_at: String,
    /// The normalized text; evidence offsets point into it.
    pub text: String,
    pub event_ids: Vec<i64>,
}

impl DocumentDto {
    pub fn new(row: DocumentRow, event_ids: Vec<i64>) -> DocumentDto {
        DocumentDto {
            id: row.id,
            source_kind: row.source_kind,
            format: row.format,
            url: web_link(row.url),
            title: row.title,
            published_at: row.published_at.map(timestamp),
            content_hash: row.content_hash,
            ingested_at: timestamp(row.ingested_at),
            text: row.text,
            event_ids,
        }
    }
}

/// Who the key belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhoAmI {
    pub name: String,
    /// reader | analyst | admin
    pub role: String,
}

/// The health of the service.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Health {
    /// ok | degraded
    pub status: String,
    /// ok | unavailable
    pub database: String,
}

/// The answer of `/ping`.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Pong {
    pub status: String,
}
