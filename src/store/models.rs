//! Rows, insert forms and update forms of every table, and the enumerations the
//! schema's CHECK constraints allow.
//!
//! Each table has an `XxxRow` (what a select returns), a `NewXxx` (what an insert
//! takes) and, where rows are edited, an `XxxChanges`. Enumerated columns are
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
pub use crate::domain::{
    AliasKind, DatePrecision, EventKind, Role as CompanyRole, Status as EventStatus, UnknownValue,
};

text_enum! {
    /// `documents.source_kind`.
    SourceKind ("source kind") {
        News => "news",
        Filing => "filing",
        PressRelease => "press_release",
        Court => "court",
        Feed => "feed",
        Other => "other",
    }
}

text_enum! {
    /// `documents.format`: how the raw content was written.
    DocumentFormat ("document format") {
        Text => "text",
        Html => "html",
        Edgar => "edgar",
        Jsonl => "jsonl",
        Rss => "rss",
        Atom => "atom",
    }
}

text_enum! {
    /// `events.review_state`.
    ReviewState ("review state") {
        Unreviewed => "unreviewed",
        Confirmed => "confirmed",
        Rejected => "rejected",
    }
}

text_enum! {
    /// `events.origin`: found by the extractor or entered by an analyst.
    Origin ("event origin") {
        Extracted => "extracted",
        Manual => "manual",
    }
}

text_enum! {
    /// `api_keys.role`: what a key may do.
    KeyRole ("key role") {
        Reader => "reader",
        Analyst => "analyst",
        Admin => "admin",
    }
}

// ---------------------------------------------------------------- companies

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = companies)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct CompanyRow {
    pub id: i64,
    pub ticker: String,
    pub name: String,
    pub cik: Option<i64>,
    pub exchange: Option<String>,
    pub parent_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = companies, treat_none_as_default_value = false)]
pub struct NewCompany {
    pub ticker: String,
    pub name: String,
    pub cik: Option<i64>,
    pub exchange: Option<String>,
    pub parent_id: Option<i64>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// The registry fields of a company; `None` stores NULL.
#[derive(Debug, Clone, PartialEq, AsChangeset)]
#[diesel(table_name = companies, treat_none_as_null = true)]
pub struct CompanyChanges {
    pub name: String,
    pub cik: Option<i64>,
    pub exchange: Option<String>,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = company_aliases, belongs_to(CompanyRow, foreign_key = company_id))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct CompanyAliasRow {
    pub id: i64,
    pub company_id: i64,
    pub alias: String,
    pub alias_norm: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = company_aliases, treat_none_as_default_value = false)]
pub struct NewCompanyAlias {
    pub company_id: i64,
    pub alias: String,
    pub alias_norm: String,
    pub kind: String,
    pub created_at: NaiveDateTime,
}

// ---------------------------------------------------------------- documents

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = documents)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct DocumentRow {
    pub id: i64,
    pub source_kind: String,
    pub format: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub content_hash: String,
    pub byte_len: i64,
    pub text: String,
    pub filer_cik: Option<i64>,
    pub form_type: Option<String>,
    pub ingested_at: NaiveDateTime,
    /// `month` or `year` for a partial publication date (see [`NewDocument`]).
    pub published_precision: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = documents, treat_none_as_default_value = false)]
pub struct NewDocument {
    pub source_kind: String,
    pub format: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    /// `month` or `year` when the source stated only that much of `published_at`;
    /// `None` when it stated the day or the time.
    pub published_precision: Option<String>,
    pub content_hash: String,
    pub byte_len: i64,
    pub text: String,
    pub filer_cik: Option<i64>,
    pub form_type: Option<String>,
    pub ingested_at: NaiveDateTime,
}

// ---------------------------------------------------------------- events

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = events)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventRow {
    pub id: i64,
    pub kind: String,
    pub action: String,
    pub status: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub date_precision: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub amount_usd: Option<i64>,
    pub authority: Option<String>,
    pub jurisdiction: Option<String>,
    /// JSON: `[{"name", "role"}]` of parties that are not listed companies.
    pub parties: String,
    pub summary: String,
    pub confidence: f64,
    pub review_state: String,
    pub review_note: Option<String>,
    /// JSON: names of the fields an analyst corrected.
    pub corrected_fields: String,
    pub origin: String,
    pub fingerprint: String,
    pub thread_id: Option<i64>,
    pub thread_status: Option<String>,
    pub document_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = events, treat_none_as_default_value = false)]
pub struct NewEvent {
    pub kind: String,
    pub action: String,
    pub status: Option<String>,
    pub occurred_on: Option<NaiveDate>,
    pub date_precision: Option<String>,
    pub amount: Option<f64>,
    pub currency: Option<String>,
    pub amount_usd: Option<i64>,
    pub authority: Option<String>,
    pub jurisdiction: Option<String>,
    pub parties: String,
    pub summary: String,
    pub confidence: f64,
    pub review_state: String,
    pub review_note: Option<String>,
    pub corrected_fields: String,
    pub origin: String,
    pub fingerprint: String,
    pub thread_id: Option<i64>,
    pub thread_status: Option<String>,
    pub document_count: i64,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An edit of an event: `None` leaves a column as it is; for nullable columns
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, AsChangeset)]
#[diesel(table_name = events)]
pub struct EventChanges {
    pub kind: Option<String>,
    pub action: Option<String>,
    pub status: Option<Option<String>>,
    pub occurred_on: Option<Option<NaiveDate>>,
    pub date_precision: Option<Option<String>>,
    pub amount: Option<Option<f64>>,
    pub currency: Option<Option<String>>,
    pub amount_usd: Option<Option<i64>>,
    pub authority: Option<Option<String>>,
    pub jurisdiction: Option<Option<String>>,
    pub parties: Option<String>,
    pub summary: Option<String>,
    pub confidence: Option<f64>,
    pub review_state: Option<String>,
    pub review_note: Option<Option<String>>,
    pub corrected_fields: Option<String>,
    pub thread_id: Option<Option<i64>>,
    pub thread_status: Option<Option<String>>,
    pub document_count: Option<i64>,
    pub updated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = event_companies, belongs_to(EventRow, foreign_key = event_id))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventCompanyRow {
    pub id: i64,
    pub event_id: i64,
    pub company_id: i64,
    pub role: String,
    pub occurred_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = event_companies, treat_none_as_default_value = false)]
pub struct NewEventCompany {
    pub event_id: i64,
    pub company_id: i64,
    pub role: String,
    pub occurred_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = event_mentions, belongs_to(EventRow, foreign_key = event_id))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventMentionRow {
    pub id: i64,
    pub event_id: i64,
    pub document_id: i64,
    pub start_offset: i64,
    pub end_offset: i64,
    pub snippet: String,
    pub rule: String,
    pub merge_reason: Option<String>,
    pub merge_score: Option<f64>,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = event_mentions, treat_none_as_default_value = false)]
pub struct NewEventMention {
    pub event_id: i64,
    pub document_id: i64,
    pub start_offset: i64,
    pub end_offset: i64,
    pub snippet: String,
    pub rule: String,
    pub merge_reason: Option<String>,
    pub merge_score: Option<f64>,
    pub created_at: NaiveDateTime,
}

// ---------------------------------------------------------------- tags

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = tags)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct TagRow {
    pub id: i64,
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = tags, treat_none_as_default_value = false)]
pub struct NewTag {
    pub name: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable, Associations)]
#[diesel(table_name = event_tags, primary_key(event_id, tag_id))]
#[diesel(belongs_to(EventRow, foreign_key = event_id), belongs_to(TagRow, foreign_key = tag_id))]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct EventTagRow {
    pub event_id: i64,
    pub tag_id: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = event_tags, treat_none_as_default_value = false)]
pub struct NewEventTag {
    pub event_id: i64,
    pub tag_id: i64,
    pub created_by: String,
    pub created_at: NaiveDateTime,
}

// ---------------------------------------------------------------- audit, keys

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = audit_log)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct AuditEntryRow {
    pub id: i64,
    pub event_id: Option<i64>,
    /// What was changed: `event`, `event_tag`, `company`, `api_key`, ...
    pub entity: String,
    pub action: String,
    pub actor: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = audit_log, treat_none_as_default_value = false)]
pub struct NewAuditEntry {
    pub event_id: Option<i64>,
    pub entity: String,
    pub action: String,
    pub actor: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Identifiable)]
#[diesel(table_name = api_keys)]
#[diesel(check_for_backend(diesel::sqlite::Sqlite, diesel::pg::Pg))]
pub struct ApiKeyRow {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub key_hash: String,
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, PartialEq, Insertable)]
#[diesel(table_name = api_keys, treat_none_as_default_value = false)]
pub struct NewApiKey {
    pub name: String,
    pub role: String,
    pub key_hash: String,
    pub prefix: String,
    pub created_at: NaiveDateTime,
    pub revoked_at: Option<NaiveDateTime>,
    pub last_used_at: Option<NaiveDateTime>,
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
            serde_json::to_string(&CompanyRole::Defendant).unwrap(),
            "\"defendant\""
        );
    }
}
