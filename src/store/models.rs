//! Rows, insert forms and update forms of every table, and the enumerations the
//! schema's CHECK constraints allow.
//!
//! Each table has a `NewXxx`, its columns but the id: what an insert takes; an
//! `XxxRow`, what a select returns: the id with the `NewXxx` embedded
//! (`row.fields`), so each column is declared once; and, where rows are edited,
//! an `XxxChanges`. (`event_tags` has no id: its row is its insert form.) Enumerated columns are
//! `String` in rows (diesel maps them the same way on both backends); the enums
//! below name the allowed values and convert both ways, so callers validate input
//! before it reaches a CHECK constraint.
//!
//! Insert forms set `treat_none_as_default_value = false`: `None` is stored as
//! NULL, which SQLite's batch inserts require and which is what a `None` means here.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{
    api_keys, audit_log, companies, company_aliases, documents, event_companies, event_mentions,
    event_tags, events, tags,
};

use crate::domain::text_enum;
pub use crate::domain::{AliasKind, DatePrecision, EventKind, Role, Status, UnknownValue};

text_enum! {
    /// `documents.source_kind`.
    SourceKind ("source kind") {
        /// A news article.
        News => "news",
        /// A regulatory filing, such as an SEC EDGAR submission.
        Filing => "filing",
        /// A company's or an agency's press release.
        PressRelease => "press_release",
        /// A court document: complaint, order, opinion.
        Court => "court",
        /// An item of an RSS or Atom feed.
        Feed => "feed",
        /// Anything else, including the evidence an analyst types for a manual event.
        Other => "other",
    }
}

text_enum! {
    /// `documents.format`: how the raw content was written.
    DocumentFormat ("document format") {
        /// Plain text.
        Text => "text",
        /// An HTML page.
        Html => "html",
        /// An SEC EDGAR submission file (SGML header and documents).
        Edgar => "edgar",
        /// One line of a JSONL batch.
        Jsonl => "jsonl",
        /// An RSS feed.
        Rss => "rss",
        /// An Atom feed.
        Atom => "atom",
    }
}

text_enum! {
    /// `events.review_state`.
    ReviewState ("review state") {
        /// No analyst has looked at the event yet (the default).
        Unreviewed => "unreviewed",
        /// An analyst confirmed the event.
        Confirmed => "confirmed",
        /// An analyst rejected the event; it stays stored but is left out of risk summaries.
        Rejected => "rejected",
    }
}

text_enum! {
    /// `events.origin`: found by the extractor or entered by an analyst.
    Origin ("event origin") {
        /// Found in a document by the extractor.
        Extracted => "extracted",
        /// Entered by an analyst through the API.
        Manual => "manual",
    }
}

text_enum! {
    /// `api_keys.role`: what a key may do.
    KeyRole ("key role") {
        /// May make every `GET` request.
        Reader => "reader",
        /// A reader who may also tag, review, correct, split and add events and documents.
        Analyst => "analyst",
        /// An analyst who may also add companies and manage keys.
        Admin => "admin",
    }
}

// ---------------------------------------------------------------- companies

/// A listed company's columns (`companies` without its id): what an insert
/// takes and what [`CompanyRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = companies, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewCompany {
    /// Ticker symbol, upper case and unique (`companies.ticker`), e.g. `BRK-B`.
    pub ticker: String,
    /// Registered company name (`companies.name`), never empty.
    pub name: String,
    /// SEC Central Index Key (`companies.cik`); `None` when not known.
    pub cik: Option<i64>,
    /// Listing exchange such as `NYSE` or `Nasdaq` (`companies.exchange`); `None` when not known.
    pub exchange: Option<String>,
    /// Listed parent company, for a subsidiary listed on its own (`companies.parent_id`); `None` for none.
    pub parent_id: Option<i64>,
    /// When the row was inserted, UTC (`companies.created_at`).
    pub created_at: NaiveDateTime,
    /// When the registry fields last changed, UTC (`companies.updated_at`).
    pub updated_at: NaiveDateTime,
}

/// A listed company as stored (`companies`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = companies)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct CompanyRow {
    /// Database id of the company (`companies.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewCompany,
}

/// The registry fields of a company; `None` stores NULL.
#[derive(Debug, Clone, PartialEq, AsChangeset)]
#[diesel(table_name = companies, treat_none_as_null = true)]
pub struct CompanyChanges {
    /// Registered company name (`companies.name`), never empty.
    pub name: String,
    /// SEC Central Index Key (`companies.cik`); `None` when not known.
    pub cik: Option<i64>,
    /// Listing exchange such as `NYSE` or `Nasdaq` (`companies.exchange`); `None` when not known.
    pub exchange: Option<String>,
    /// When the registry fields last changed, UTC (`companies.updated_at`).
    pub updated_at: NaiveDateTime,
}

/// A company alias's columns (`company_aliases` without its id): what an
/// insert takes and what [`CompanyAliasRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = company_aliases, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewCompanyAlias {
    /// The company the name designates (`company_aliases.company_id`, cascades on delete).
    pub company_id: i64,
    /// The name as written (`company_aliases.alias`).
    pub alias: String,
    /// The name lower-cased with whitespace collapsed: what search and matching compare (`company_aliases.alias_norm`).
    pub alias_norm: String,
    /// How the name is written, one of [`AliasKind`] (`legal_name`, `short_name`, `brand`, `subsidiary`, `former_name`, `former_ticker`).
    pub kind: String,
    /// When the alias was inserted, UTC (`company_aliases.created_at`).
    pub created_at: NaiveDateTime,
}

/// A name that designates a company, as stored (`company_aliases`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = company_aliases)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct CompanyAliasRow {
    /// Database id of the alias (`company_aliases.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewCompanyAlias,
}

// ---------------------------------------------------------------- documents

/// A document's columns (`documents` without its id): what an insert takes
/// and what [`DocumentRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = documents, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewDocument {
    /// Where the document comes from, one of [`SourceKind`] (`documents.source_kind`).
    pub source_kind: String,
    /// How the raw content was written, one of [`DocumentFormat`] (`documents.format`).
    pub format: String,
    /// Address the document was fetched from or cites (`documents.url`); `None` when its source gave none.
    pub url: Option<String>,
    /// Headline or title (`documents.title`); `None` when the source gave none.
    pub title: Option<String>,
    /// Publication time, UTC (`documents.published_at`); `None` when unknown. For a partial date, the first moment of the period.
    pub published_at: Option<NaiveDateTime>,
    /// `month` or `year` when the source stated only that much of `published_at`
    /// (`documents.published_precision`); `None` when it stated the day or the time.
    pub published_precision: Option<String>,
    /// sha256 of the raw content, 64 lower-case hex digits, unique: re-ingesting the same bytes is a no-op (`documents.content_hash`).
    pub content_hash: String,
    /// Length of the raw content in bytes (`documents.byte_len`).
    pub byte_len: i64,
    /// Normalized text; mention offsets are byte offsets into it (`documents.text`).
    pub text: String,
    /// CIK of the filer of an SEC filing (`documents.filer_cik`); `None` for other documents.
    pub filer_cik: Option<i64>,
    /// SEC form type of a filing, e.g. `8-K` (`documents.form_type`); `None` for other documents.
    pub form_type: Option<String>,
    /// When the document was stored, UTC (`documents.ingested_at`).
    pub ingested_at: NaiveDateTime,
}

/// An ingested document as stored (`documents`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct DocumentRow {
    /// Database id of the document (`documents.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewDocument,
}

// ---------------------------------------------------------------- events

/// An event's columns (`events` without its id): what an insert takes and
/// what [`EventRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = events, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewEvent {
    /// Kind of event, one of [`EventKind`] (`events.kind`): `lawsuit`, `regulatory_action`, `service_halt`.
    pub kind: String,
    /// What happened, one word of [`crate::domain::Action`] such as `fine` or `settled` (`events.action`).
    pub action: String,
    /// Where the event stands, one of [`Status`] (`events.status`); `None` when not stated.
    pub status: Option<String>,
    /// Date of the event (`events.occurred_on`); for month or year precision the first day of the period; `None` when undated.
    pub occurred_on: Option<NaiveDate>,
    /// How much of `occurred_on` is known: `day`, `month` or `year` (`events.date_precision`); `None` exactly when undated.
    pub date_precision: Option<String>,
    /// Sum of money involved, in units of `currency` (`events.amount`); `None` when none was stated.
    pub amount: Option<f64>,
    /// ISO 4217 code of `amount`, e.g. `USD` (`events.currency`); `None` with no amount.
    pub currency: Option<String>,
    /// The amount in whole US dollars, never negative (`events.amount_usd`): extraction sets it for USD amounts only (no conversion); analysts may correct it.
    pub amount_usd: Option<i64>,
    /// The court or agency acting, e.g. `SEC` (`events.authority`); `None` when not named.
    pub authority: Option<String>,
    /// Where the event happens in law: `US`, `US-CA`, `EU` (`events.jurisdiction`); `None` when unknown.
    pub jurisdiction: Option<String>,
    /// JSON array `[{"name", "role"}]` of parties that are not listed companies (`events.parties`), `[]` for none.
    pub parties: String,
    /// One-sentence summary shown in timelines (`events.summary`).
    pub summary: String,
    /// How sure the extractor is, 0 to 1 (`events.confidence`); 1 for manual events.
    pub confidence: f64,
    /// Analyst review, one of [`ReviewState`] (`events.review_state`): `unreviewed`, `confirmed`, `rejected`.
    pub review_state: String,
    /// The reviewer's note (`events.review_note`); `None` when none was left.
    pub review_note: Option<String>,
    /// JSON array of the field names an analyst corrected; re-extraction never overwrites them (`events.corrected_fields`).
    pub corrected_fields: String,
    /// Who created the event, one of [`Origin`] (`events.origin`): `extracted` or `manual`.
    pub origin: String,
    /// Digest of what identifies the event (kind, step, subjects, authority, date); reports with an equal fingerprint merge (`events.fingerprint`).
    pub fingerprint: String,
    /// First event of the thread this one continues, e.g. the lawsuit a settlement ends (`events.thread_id`); `None` when it starts its own.
    pub thread_id: Option<i64>,
    /// Latest status of the whole thread, copied onto each of its events (`events.thread_status`); `None` outside threads.
    pub thread_status: Option<String>,
    /// Number of distinct documents that mention the event, kept by ingest (`events.document_count`).
    pub document_count: i64,
    /// When the event was stored, UTC (`events.created_at`).
    pub created_at: NaiveDateTime,
    /// When the event last changed, UTC (`events.updated_at`).
    pub updated_at: NaiveDateTime,
}

/// An event as stored (`events`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventRow {
    /// Database id of the event (`events.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewEvent,
}

/// An edit of an event: `None` leaves a column as it is; for nullable columns
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = events)]
pub struct EventChanges {
    /// Kind of event, one of [`EventKind`] (`events.kind`): `lawsuit`, `regulatory_action`, `service_halt`.
    pub kind: Option<String>,
    /// What happened, one word of [`crate::domain::Action`] such as `fine` or `settled` (`events.action`).
    pub action: Option<String>,
    /// Where the event stands, one of [`Status`] (`events.status`); `None` when not stated.
    pub status: Option<Option<String>>,
    /// Date of the event (`events.occurred_on`); for month or year precision the first day of the period; `None` when undated.
    pub occurred_on: Option<Option<NaiveDate>>,
    /// How much of `occurred_on` is known: `day`, `month` or `year` (`events.date_precision`); `None` exactly when undated.
    pub date_precision: Option<Option<String>>,
    /// Sum of money involved, in units of `currency` (`events.amount`); `None` when none was stated.
    pub amount: Option<Option<f64>>,
    /// ISO 4217 code of `amount`, e.g. `USD` (`events.currency`); `None` with no amount.
    pub currency: Option<Option<String>>,
    /// The amount in whole US dollars, never negative (`events.amount_usd`): extraction sets it for USD amounts only (no conversion); analysts may correct it.
    pub amount_usd: Option<Option<i64>>,
    /// The court or agency acting, e.g. `SEC` (`events.authority`); `None` when not named.
    pub authority: Option<Option<String>>,
    /// Where the event happens in law: `US`, `US-CA`, `EU` (`events.jurisdiction`); `None` when unknown.
    pub jurisdiction: Option<Option<String>>,
    /// JSON array `[{"name", "role"}]` of parties that are not listed companies (`events.parties`), `[]` for none.
    pub parties: Option<String>,
    /// One-sentence summary shown in timelines (`events.summary`).
    pub summary: Option<String>,
    /// How sure the extractor is, 0 to 1 (`events.confidence`); 1 for manual events.
    pub confidence: Option<f64>,
    /// Analyst review, one of [`ReviewState`] (`events.review_state`): `unreviewed`, `confirmed`, `rejected`.
    pub review_state: Option<String>,
    /// The reviewer's note (`events.review_note`); `None` when none was left.
    pub review_note: Option<Option<String>>,
    /// JSON array of the field names an analyst corrected; re-extraction never overwrites them (`events.corrected_fields`).
    pub corrected_fields: Option<String>,
    /// First event of the thread this one continues, e.g. the lawsuit a settlement ends (`events.thread_id`); `None` when it starts its own.
    pub thread_id: Option<Option<i64>>,
    /// Latest status of the whole thread, copied onto each of its events (`events.thread_status`); `None` outside threads.
    pub thread_status: Option<Option<String>>,
    /// Number of distinct documents that mention the event, kept by ingest (`events.document_count`).
    pub document_count: Option<i64>,
    /// When the event last changed, UTC (`events.updated_at`).
    pub updated_at: Option<NaiveDateTime>,
}

/// An event-company link's columns (`event_companies` without its id): what
/// an insert takes and what [`EventCompanyRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = event_companies, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewEventCompany {
    /// The event (`event_companies.event_id`, cascades on delete).
    pub event_id: i64,
    /// The listed company taking part (`event_companies.company_id`).
    pub company_id: i64,
    /// How the company takes part, one of [`Role`] (`event_companies.role`), e.g. `defendant`.
    pub role: String,
    /// Copy of the event's `occurred_on`, so that a timeline is one index range scan (`event_companies.occurred_on`).
    pub occurred_on: Option<NaiveDate>,
}

/// A listed company taking part in an event (`event_companies`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_companies)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventCompanyRow {
    /// Database id of the link (`event_companies.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewEventCompany,
}

/// A mention's columns (`event_mentions` without its id): what an insert takes
/// and what [`EventMentionRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = event_mentions, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewEventMention {
    /// The event the mention is evidence of (`event_mentions.event_id`, cascades on delete).
    pub event_id: i64,
    /// The document the mention is in (`event_mentions.document_id`).
    pub document_id: i64,
    /// Byte offset where the evidence starts in `documents.text` (`event_mentions.start_offset`).
    pub start_offset: i64,
    /// Byte offset where the evidence ends (exclusive) in `documents.text` (`event_mentions.end_offset`).
    pub end_offset: i64,
    /// The evidence text as shown to readers (`event_mentions.snippet`).
    pub snippet: String,
    /// The extraction rule (trigger and pattern) that produced the mention (`event_mentions.rule`).
    pub rule: String,
    /// Why the mention was merged into an existing event, so an analyst can undo it (`event_mentions.merge_reason`); `None` when it created the event.
    pub merge_reason: Option<String>,
    /// Matching score in `[0, 1]` of that merge (`event_mentions.merge_score`); `None` when it created the event.
    pub merge_score: Option<f64>,
    /// When the mention was stored, UTC (`event_mentions.created_at`).
    pub created_at: NaiveDateTime,
}

/// A passage of a document that is evidence of an event (`event_mentions`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = event_mentions)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventMentionRow {
    /// Database id of the mention (`event_mentions.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewEventMention,
}

// ---------------------------------------------------------------- tags

/// A tag's columns (`tags` without its id): what an insert takes and what
/// [`TagRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = tags, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewTag {
    /// Tag name, unique and never empty (`tags.name`).
    pub name: String,
    /// When the tag was first used, UTC (`tags.created_at`).
    pub created_at: NaiveDateTime,
}

/// An analyst's tag (`tags`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tags)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct TagRow {
    /// Database id of the tag (`tags.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewTag,
}

/// A tag on an event (`event_tags`): the table has no id of its own, so the
/// row is also what an insert takes ([`NewEventTag`]).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Insertable)]
#[diesel(table_name = event_tags, primary_key(event_id, tag_id))]
#[diesel(treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventTagRow {
    /// The tagged event (`event_tags.event_id`, cascades on delete).
    pub event_id: i64,
    /// The tag (`event_tags.tag_id`, cascades on delete).
    pub tag_id: i64,
    /// Name of the API key that added the tag (`event_tags.created_by`).
    pub created_by: String,
    /// When the tag was added, UTC (`event_tags.created_at`).
    pub created_at: NaiveDateTime,
}

/// A tag link to insert into `event_tags`: the same columns as [`EventTagRow`].
pub type NewEventTag = EventTagRow;

// ---------------------------------------------------------------- audit, keys

/// An audit entry's columns (`audit_log` without its id): what an insert takes
/// and what [`AuditEntryRow`] holds beside the id.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewAuditEntry {
    /// The event concerned (`audit_log.event_id`, no foreign key: the history outlives the event); `None` for changes to other entities.
    pub event_id: Option<i64>,
    /// What was changed: `event`, `event_tag`, `company`, `api_key` (`audit_log.entity`).
    pub entity: String,
    /// How it was changed: `review`, `correct`, `create`, `tag`, `untag`, `split`, `revoke` (`audit_log.action`).
    pub action: String,
    /// Name of the API key that made the change, or `cli` for key changes made on the command line (`audit_log.actor`).
    pub actor: String,
    /// JSON of the changed state before the change (`audit_log.before_json`); `None` for a creation.
    pub before_json: Option<String>,
    /// JSON of the changed state after the change (`audit_log.after_json`); every write sets it.
    pub after_json: Option<String>,
    /// When the change was made, UTC (`audit_log.at`).
    pub at: NaiveDateTime,
}

/// One entry of the audit trail (`audit_log`).
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = audit_log)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct AuditEntryRow {
    /// Database id of the entry (`audit_log.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewAuditEntry,
}

/// An API key's columns (`api_keys` without its id): what an insert takes and
/// what [`ApiKeyRow`] holds beside the id; the hash, never the secret.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = api_keys, treat_none_as_default_value = false)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct NewApiKey {
    /// Unique name of the key, recorded as the actor of its changes (`api_keys.name`).
    pub name: String,
    /// What the key may do, one of [`KeyRole`] (`api_keys.role`): `reader`, `analyst`, `admin`.
    pub role: String,
    /// sha256 of the secret, 64 lower-case hex digits; the secret itself is never stored (`api_keys.key_hash`).
    pub key_hash: String,
    /// First characters of the secret, to recognise the key in listings (`api_keys.prefix`).
    pub prefix: String,
    /// When the key was created, UTC (`api_keys.created_at`).
    pub created_at: NaiveDateTime,
    /// When the key was revoked, UTC (`api_keys.revoked_at`); `None` while it is valid.
    pub revoked_at: Option<NaiveDateTime>,
    /// When the key last authenticated a request, UTC, kept to within a minute (`api_keys.last_used_at`); `None` if never.
    pub last_used_at: Option<NaiveDateTime>,
}

/// An API key as stored (`api_keys`); holds the hash, never the secret.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_keys)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ApiKeyRow {
    /// Database id of the key (`api_keys.id`).
    pub id: i64,
    /// Its other columns.
    #[diesel(embed)]
    pub fields: NewApiKey,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enumerations_read_back_what_they_write() {
        for kind in EventKind::ALL {
            assert_eq!(kind.as_str().parse::<EventKind>(), Ok(*kind));
        }
        let err = "merger".parse::<EventKind>().unwrap_err().to_string();
        assert!(
            err.contains("\"merger\" is not a valid event kind"),
            "{err}"
        );
        assert!(
            err.contains("lawsuit, regulatory_action, service_halt"),
            "{err}"
        );
        assert_eq!(
            serde_json::to_string(&Role::Defendant).unwrap(),
            "\"defendant\""
        );
    }
}
