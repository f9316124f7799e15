//! The one serializer of an event as listed (a timeline, a search, an export,
//! a document's events): [`EventItem`] and [`render`].
//!
//! The store keeps each event's list item as the text [`render`] produces
//! (`store::items`, installed by [`install`]), and a page read from the
//! tables goes through [`EventItem::from_view`] too: there is one place that
//! decides how an event looks on the wire.

use chrono::{Datelike, NaiveDate, NaiveDateTime};
use serde::Serialize;
use utoipa::ToSchema;

use crate::store::events_read::EventView;

/// Makes the store keep list items as [`render`] writes them; call once per
/// process before writing (the binary and the server do).
pub fn install() {
    crate::store::items::install_renderer(render);
}

/// The stored text of an event's list item: its [`EventItem`] as JSON.
pub fn render(view: EventView) -> String {
    serde_json::to_string(&EventItem::from_view(view)).expect("an event item always serializes")
}

/// A timestamp as the API writes it: RFC 3339, UTC, seconds, `Z`.
///
/// Written by hand: chrono's `format` parses its pattern at every call, a
/// visible cost when a page holds a hundred timestamps.
///
/// ```
/// let at = chrono::NaiveDate::from_ymd_opt(2026, 1, 23).unwrap().and_hms_opt(14, 5, 0).unwrap();
/// assert_eq!(riskline::api::item::timestamp(at), "2026-01-23T14:05:00Z");
/// ```
pub fn timestamp(at: NaiveDateTime) -> String {
    use chrono::Timelike;
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year(),
        at.month(),
        at.day(),
        at.hour(),
        at.minute(),
        at.second()
    )
}

/// A company an event involves, with its role.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventCompanyDto {
    /// The company's ticker today, upper case.
    pub ticker: String,
    /// The ticker it traded under on the event's date (`FB` for Meta Platforms in
    /// 2021), from the built-in company history; null when undated or when its own
    /// shares did not trade that day.
    pub ticker_then: Option<String>,
    /// The company's registered name.
    pub name: String,
    /// defendant | plaintiff | regulated | operator | affected | party
    pub role: String,
}

/// A party that is not a listed company.
#[derive(Debug, Clone, Serialize, serde::Deserialize, ToSchema)]
pub struct PartyDto {
    /// The party's name as written in the source.
    pub name: String,
    /// Its role, e.g. `plaintiff`; null when not stated.
    #[serde(default)]
    pub role: Option<String>,
}

/// The first evidence of an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FirstEvidenceDto {
    /// Snippet of the first mention of the event.
    pub text: String,
    /// Id of the document it comes from (see `GET /documents/{id}`).
    pub document_id: i64,
    /// That document's title; null when it has none.
    pub title: Option<String>,
    /// That document's http(s) URL; null when it has none.
    pub url: Option<String>,
}

/// An event as listed in a timeline or a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventItem {
    /// Event id (see `GET /events/{id}`).
    pub id: i64,
    /// lawsuit | regulatory_action | service_halt
    pub kind: String,
    /// What happened, one word of the action vocabulary, e.g. `filed`, `fine`, `settled`.
    pub action: String,
    /// Status of this step, e.g. `filed`, `settled`; null when not stated.
    pub status: Option<String>,
    /// The first event of the thread (the event itself if first).
    pub thread_id: i64,
    /// Latest status of the whole thread (this step's own status when the thread has none yet); null when unknown.
    pub thread_status: Option<String>,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` after `date_precision`; null when undated.
    pub occurred_on: Option<String>,
    /// day | month | year; null when undated.
    pub date_precision: Option<String>,
    /// Listed companies involved, with their roles.
    pub companies: Vec<EventCompanyDto>,
    /// Parties that are not listed companies.
    pub parties: Vec<PartyDto>,
    /// The court or agency acting, e.g. `SEC`; null when not named.
    pub authority: Option<String>,
    /// Jurisdiction code such as `US`, `US-CA` or `EU`; null when unknown.
    pub jurisdiction: Option<String>,
    /// Sum of money involved, in units of `currency`; null when none was stated.
    pub amount: Option<f64>,
    /// ISO 4217 code of `amount`, e.g. `USD`; null with no amount.
    pub currency: Option<String>,
    /// The amount in whole US dollars: extracted for USD amounts only (no conversion), or set by an analyst; null otherwise.
    pub amount_usd: Option<i64>,
    /// One-sentence summary of the event.
    pub summary: String,
    /// How sure the extractor is, 0 to 1; 1 for manual events.
    pub confidence: f64,
    /// unreviewed | confirmed | rejected
    pub review_state: String,
    /// extracted | manual
    pub origin: String,
    /// Tag names, in alphabetical order.
    pub tags: Vec<String>,
    /// Number of distinct documents that mention the event.
    pub document_count: i64,
    /// The event's first mention; null for an event without evidence.
    pub first_evidence: Option<FirstEvidenceDto>,
    /// When the event was stored (RFC 3339, UTC).
    pub created_at: String,
    /// When the event last changed (RFC 3339, UTC).
    pub updated_at: String,
}

impl EventItem {
    /// The list item of a view.
    pub fn from_view(view: EventView) -> EventItem {
        let EventView {
            event,
            companies,
            tags,
            first_evidence,
            retracted_at: _,
        } = view;
        let thread_id = crate::store::events_read::thread_key(&event);
        let (id, event) = (event.id, event.fields);
        let parties: Vec<PartyDto> = serde_json::from_str(&event.parties).unwrap_or_default();
        EventItem {
            thread_id,
            thread_status: event.thread_status.or_else(|| event.status.clone()),
            occurred_on: event
                .occurred_on
                .map(|d| format_event_date(d, event.date_precision.as_deref())),
            id,
            kind: event.kind,
            action: event.action,
            status: event.status,
            date_precision: event.date_precision,
            companies: companies
                .into_iter()
                .map(|c| EventCompanyDto {
                    ticker_then: event
                        .occurred_on
                        .and_then(|d| crate::registry::history::builtin().ticker_on(&c.ticker, d)),
                    ticker: c.ticker,
                    name: c.name,
                    role: c.role,
                })
                .collect(),
            parties,
            authority: event.authority,
            jurisdiction: event.jurisdiction,
            amount: event.amount,
            currency: event.currency,
            amount_usd: event.amount_usd,
            summary: event.summary,
            confidence: event.confidence,
            review_state: event.review_state,
            origin: event.origin,
            tags,
            document_count: event.document_count,
            first_evidence: first_evidence.map(|e| FirstEvidenceDto {
                text: e.text,
                document_id: e.document_id,
                title: e.title,
                url: e.url,
            }),
            created_at: timestamp(event.created_at),
            updated_at: timestamp(event.updated_at),
        }
    }
}

/// Writes a stored date at its precision: `2026-01-23`, `2026-01` or `2026`.
pub fn format_event_date(day: NaiveDate, precision: Option<&str>) -> String {
    match precision {
        Some("month") => format!("{:04}-{:02}", day.year(), day.month()),
        Some("year") => format!("{:04}", day.year()),
        _ => format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day()),
    }
}
