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
    /// The events of this page, newest first.
    pub items: Vec<EventItem>,
    /// Pass as `cursor` for the next page; null on the last page.
    pub next_cursor: Option<String>,
}

/// The list item of a view, its evidence link checked.
pub fn event_item(view: EventView) -> EventItem {
    clean_item(EventItem::from_view(view))
}

impl EventPage {
    /// A page of the list items of `items`, with the cursor of `next` encoded.
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
    /// Id of the document the mention is in (see `GET /documents/{id}`).
    pub document_id: i64,
    /// The document's title; null when it has none.
    pub title: Option<String>,
    /// The document's http(s) URL; null when it has none or it is not http(s).
    pub url: Option<String>,
    /// The document's publication time (RFC 3339, UTC); null when unknown.
    pub published_at: Option<String>,
    /// Byte offsets into the document's text.
    pub start: i64,
    /// Byte offset where the evidence ends in the document's text (exclusive).
    pub end: i64,
    /// The evidence snippet.
    pub text: String,
    /// The extraction rule that produced the mention, e.g. `lawsuit.sue_active`.
    pub rule: String,
    /// Why this mention was merged into the event; null when it created the event.
    pub merge_reason: Option<String>,
    /// The matching score of that merge, 0 to 1; null when it created the event.
    pub merge_score: Option<f64>,
}

impl From<Evidence> for EvidenceDto {
    fn from(e: Evidence) -> Self {
        let (id, mention) = (e.mention.id, e.mention.fields);
        EvidenceDto {
            id,
            document_id: mention.document_id,
            title: e.title,
            url: web_link(e.url),
            published_at: e.published_at.map(timestamp),
            start: mention.start_offset,
            end: mention.end_offset,
            text: mention.snippet,
            rule: mention.rule,
            merge_reason: mention.merge_reason,
            merge_score: mention.merge_score,
        }
    }
}

/// One step of an event's thread.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ThreadStepDto {
    /// Event id of the step.
    pub id: i64,
    /// The step's action, e.g. `filed`, `settled`.
    pub action: String,
    /// The step's own status; null when not stated.
    pub status: Option<String>,
    /// The step's date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY` after its precision; null when undated.
    pub occurred_on: Option<String>,
    /// Why it joined the thread (`continues event 12: ...`, `linked by alice to event
    /// 12`), or `stands alone: ...` for a later step whose earlier one is not on record;
    /// null for the first step.
    pub reason: Option<String>,
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
            reason: s.reason,
        }
    }
}

/// One change in the audit trail.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AuditEntryDto {
    /// Entry id.
    pub id: i64,
    /// When the change was made (RFC 3339, UTC).
    pub at: String,
    /// The name of the key that made the change.
    pub actor: String,
    /// review | correct | create | tag | untag | split
    pub action: String,
    /// What was changed: event | event_tag | company | api_key
    pub entity: String,
    /// The changed fields before the change; null for a creation.
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    /// The changed fields after the change.
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
}

impl From<AuditEntryRow> for AuditEntryDto {
    fn from(row: AuditEntryRow) -> Self {
        let parse = |text: Option<String>| text.and_then(|t| serde_json::from_str(&t).ok());
        AuditEntryDto {
            id: row.id,
            at: timestamp(row.fields.at),
            actor: row.fields.actor,
            action: row.fields.action,
            entity: row.fields.entity,
            before: parse(row.fields.before_json),
            after: parse(row.fields.after_json),
        }
    }
}

/// The audit entries of an event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryPage {
    /// The entries, oldest first.
    pub items: Vec<AuditEntryDto>,
    /// Always null: the history comes in one page.
    pub next_cursor: Option<String>,
}

/// Everything about one event.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct EventDetailDto {
    /// The event as listed.
    #[serde(flatten)]
    pub event: EventItem,
    /// The reviewer's note; null when none was left.
    pub review_note: Option<String>,
    /// Names of the fields an analyst corrected; later ingests leave them as they are.
    pub corrected_fields: Vec<String>,
    /// When an analyst retracted the event (RFC 3339, UTC); null while it
    /// stands. A retracted event is in no timeline, search or feed.
    pub retracted_at: Option<String>,
    /// Every mention of the event, in the order they were found.
    pub evidence: Vec<EvidenceDto>,
    /// The steps of the event's thread, oldest first, the event included.
    pub thread: Vec<ThreadStepDto>,
    /// The event's audit trail, oldest first.
    pub history: Vec<AuditEntryDto>,
}

impl From<EventDetail> for EventDetailDto {
    fn from(detail: EventDetail) -> Self {
        let review_note = detail.view.event.fields.review_note.clone();
        let corrected_fields = crate::store::review::corrected_fields(&detail.view.event);
        let retracted_at = detail.view.retracted_at.map(super::item::timestamp);
        EventDetailDto {
            retracted_at,
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
    /// The event id.
    pub event_id: i64,
    /// Its tag names after the change, in alphabetical order.
    pub tags: Vec<String>,
}

/// A tag and how many events carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagCountDto {
    /// Tag name.
    pub name: String,
    /// Number of events carrying it.
    pub event_count: i64,
}

/// Every tag.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TagPage {
    /// Every tag with its event count.
    pub items: Vec<TagCountDto>,
    /// Always null: tags come in one page.
    pub next_cursor: Option<String>,
}

/// An alias of a company.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AliasDto {
    /// The name as written.
    pub alias: String,
    /// legal_name | short_name | brand | subsidiary | former_name | former_ticker
    pub kind: String,
}

/// Events counted by kind.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KindCountsDto {
    /// Number of lawsuits.
    pub lawsuit: i64,
    /// Number of regulatory actions.
    pub regulatory_action: i64,
    /// Number of service halts.
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
    /// Events by kind dated within the last 30 days up to `as_of`.
    pub events_30d: KindCountsDto,
    /// Events by kind dated within the last 90 days up to `as_of`.
    pub events_90d: KindCountsDto,
    /// Events by kind dated within the last 365 days up to `as_of`.
    pub events_365d: KindCountsDto,
    /// Lawsuit threads not yet settled, dismissed, ruled on, withdrawn or closed.
    pub open_lawsuits: i64,
    /// Sum of `amount_usd` of filed lawsuits, in whole US dollars.
    pub damages_sought_usd: i64,
    /// Sum of `amount_usd` of fines, in whole US dollars.
    pub fines_usd: i64,
    /// Bans, suspensions and revocations not yet lifted or ended.
    pub active_bans: i64,
    /// Service halts not yet resumed or ended.
    pub active_halts: i64,
    /// The first item of the company's timeline; null when it has no events.
    pub latest_event: Option<EventItem>,
}

impl RiskDto {
    /// The summary as the API writes it, its windows ending on `as_of`.
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
    /// Company id.
    pub id: i64,
    /// Ticker symbol, upper case.
    pub ticker: String,
    /// Registered name.
    pub name: String,
    /// SEC Central Index Key; null when not known.
    pub cik: Option<i64>,
    /// Listing exchange such as `NYSE`; null when not known.
    pub exchange: Option<String>,
    /// Other names of the company, by kind then name.
    pub aliases: Vec<AliasDto>,
    /// Whether its own shares trade today (false for a company acquired, taken
    /// private or failed, kept with its last ticker).
    pub listed: bool,
    /// Its history: periods it was listed, owned by another company, named or
    /// ticketed otherwise, from the built-in table and imports.
    pub history: Vec<HistoryDto>,
    /// The company's risk summary.
    pub risk: RiskDto,
}

/// One period of a company's history.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HistoryDto {
    /// listed | parent | ticker | name | exchange
    pub field: String,
    /// The name, ticker or exchange; the owner's ticker for `parent`; empty for `listed`.
    pub value: String,
    /// First day, inclusive (`YYYY-MM-DD`); null when open.
    pub from: Option<String>,
    /// Day it ended, exclusive; null when it still holds.
    pub to: Option<String>,
    /// A short note on the fact; null when none.
    pub note: Option<String>,
}

impl From<&crate::registry::history::Period> for HistoryDto {
    fn from(p: &crate::registry::history::Period) -> HistoryDto {
        HistoryDto {
            field: p.field.as_str().to_string(),
            value: p.value.clone(),
            from: p.from.map(|d| d.to_string()),
            to: p.to.map(|d| d.to_string()),
            note: p.note.clone(),
        }
    }
}

/// The day a risk summary stands on (today when unreadable).
fn risk_day(risk: &RiskDto) -> NaiveDate {
    risk.as_of
        .parse()
        .unwrap_or_else(|_| chrono::Utc::now().date_naive())
}

impl CompanyDto {
    /// The company of `row` with its aliases and risk summary.
    pub fn new(row: CompanyRow, aliases: Vec<CompanyAliasRow>, risk: RiskDto) -> CompanyDto {
        CompanyDto::with_history(row, aliases, &[], risk)
    }

    /// [`CompanyDto::new`] with the company's stored history beside the built-in one.
    pub fn with_history(
        row: CompanyRow,
        aliases: Vec<CompanyAliasRow>,
        stored: &[crate::registry::history::Period],
        risk: RiskDto,
    ) -> CompanyDto {
        let builtin = crate::registry::history::builtin();
        let mut history: Vec<HistoryDto> = builtin
            .periods(&row.fields.ticker)
            .iter()
            .chain(stored)
            .map(HistoryDto::from)
            .collect();
        history.sort_by(|a, b| (&a.from, &a.field).cmp(&(&b.from, &b.field)));
        let mut all = builtin.clone();
        all.extend(stored.iter().cloned());
        let listed = all.listed_on(&row.fields.ticker, risk_day(&risk));
        CompanyDto {
            listed,
            history,
            id: row.id,
            ticker: row.fields.ticker,
            name: row.fields.name,
            cik: row.fields.cik,
            exchange: row.fields.exchange,
            aliases: aliases
                .into_iter()
                .map(|a| AliasDto {
                    alias: a.fields.alias,
                    kind: a.fields.kind,
                })
                .collect(),
            risk,
        }
    }
}

/// A company found by a search.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyHit {
    /// Company id.
    pub id: i64,
    /// Ticker symbol, upper case.
    pub ticker: String,
    /// Registered name.
    pub name: String,
    /// Listing exchange such as `NYSE`; null when not known.
    pub exchange: Option<String>,
    /// The ticker, name or alias that matched (the ticker when listing).
    pub matched: String,
}

/// Companies found by a search, or listed by ticker.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CompanyPage {
    /// Best matches first for a search, by ticker for a listing.
    pub items: Vec<CompanyHit>,
    /// Pass as `cursor` for the next page; null on the last page and for a search.
    pub next_cursor: Option<String>,
}

/// A stored document.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentDto {
    /// Document id.
    pub id: i64,
    /// news | filing | press_release | court | feed | other
    pub source_kind: String,
    /// text | html | edgar | jsonl | rss | atom
    pub format: String,
    /// The http(s) URL the document came from; null when it has none or it is not http(s).
    pub url: Option<String>,
    /// Title or headline; null when it has none.
    pub title: Option<String>,
    /// Publication time (RFC 3339, UTC); null when unknown.
    pub published_at: Option<String>,
    /// SHA-256 of the raw content, 64 lower-case hex digits.
    pub content_hash: String,
    /// When the document was stored (RFC 3339, UTC).
    pub ingested_at: String,
    /// The normalized text; evidence offsets point into it.
    pub text: String,
    /// Ids of the events it gives evidence for, ascending.
    pub event_ids: Vec<i64>,
}

impl DocumentDto {
    /// The document of `row` with the ids of its events.
    pub fn new(row: DocumentRow, event_ids: Vec<i64>) -> DocumentDto {
        DocumentDto {
            id: row.id,
            source_kind: row.fields.source_kind,
            format: row.fields.format,
            url: web_link(row.fields.url),
            title: row.fields.title,
            published_at: row.fields.published_at.map(timestamp),
            content_hash: row.fields.content_hash,
            ingested_at: timestamp(row.fields.ingested_at),
            text: row.fields.text,
            event_ids,
        }
    }
}

/// Who the key belongs to.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WhoAmI {
    /// The key's name.
    pub name: String,
    /// reader | analyst | admin
    pub role: String,
    /// The key's team: whose watchlists it sees.
    pub team: String,
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
    /// Always `ok`.
    pub status: String,
}
