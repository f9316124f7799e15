//! Analysts' and admins' writes: reviews and corrections of events, manual
//! events, splitting a wrong merge, and adding a company.
//!
//! Each write runs in one write transaction together with its audit entry. A
//! corrected field is added to `events.corrected_fields`, which ingestion reads
//! to never overwrite an analyst's correction.
//!
//! ```no_run
//! use riskline::store::{review::{self, EventPatch}, models::ReviewState, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! let patch = EventPatch { review_state: Some(ReviewState::Confirmed), ..EventPatch::default() };
//! let after = review::patch(&mut conn, 42, &patch, "alice")?;
//! assert_eq!(after.fields.review_state, "confirmed");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::backend::{insert_event_companies, write_transaction};
use super::models::{
    AliasKind, DatePrecision, DocumentFormat, EventChanges, EventKind, EventRow, NewDocument,
    NewEvent, NewEventCompany, NewEventMention, Origin, ReviewState, Role, SourceKind, Status,
};
use super::schema::{companies, documents, event_companies, event_mentions, events};
use super::{audit, companies as company_store, now, DbConnection};
use super::{StoreError, StoreResult};
use crate::registry::{self, CompanyRecord};

/// An edit of an event. `None` leaves a field as it is; for nullable fields
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventPatch {
    /// New review state (`events.review_state`); not a correction.
    pub review_state: Option<ReviewState>,
    /// New reviewer's note, or `Some(None)` to clear it (`events.review_note`); not a correction.
    pub review_note: Option<Option<String>>,
    /// Corrected kind of event (`events.kind`).
    pub kind: Option<EventKind>,
    /// Corrected action word, e.g. `fine` (`events.action`); the caller checks it against the domain's vocabulary.
    pub action: Option<String>,
    /// Corrected status, or `Some(None)` to clear it (`events.status`).
    pub status: Option<Option<Status>>,
    /// A new date with its precision, or `Some(None)` to clear the date.
    pub occurred_on: Option<Option<(NaiveDate, DatePrecision)>>,
    /// A new precision of the stored date (ignored when `occurred_on` is given).
    pub date_precision: Option<DatePrecision>,
    /// Corrected amount in whole US dollars, or `Some(None)` to clear it (`events.amount_usd` only; `amount` and `currency` are left as they are).
    pub amount_usd: Option<Option<i64>>,
    /// Corrected court or agency, or `Some(None)` to clear it (`events.authority`).
    pub authority: Option<Option<String>>,
    /// Corrected jurisdiction code such as `US-CA`, or `Some(None)` to clear it (`events.jurisdiction`).
    pub jurisdiction: Option<Option<String>>,
    /// Corrected one-sentence summary (`events.summary`).
    pub summary: Option<String>,
    /// An analyst's thread: `Some(Some(id))` joins the thread of event `id` (with the
    /// steps that continue this one), `Some(None)` takes the event out of its thread.
    /// Locked against later ingests like any correction (`thread_id`).
    pub thread: Option<Option<i64>>,
}

impl EventPatch {
    /// Whether the patch changes anything at all.
    pub fn is_empty(&self) -> bool {
        *self == EventPatch::default()
    }
}

/// The editable fields of an event as JSON, for the audit trail.
pub fn event_json(row: &EventRow) -> Value {
    let row = &row.fields;
    json!({
        "kind": row.kind, "action": row.action, "status": row.status,
        "occurred_on": row.occurred_on, "date_precision": row.date_precision,
        "amount_usd": row.amount_usd, "authority": row.authority,
        "jurisdiction": row.jurisdiction, "summary": row.summary,
        "review_state": row.review_state, "review_note": row.review_note,
        "thread_id": row.thread_id, "thread_status": row.thread_status,
        "origin": row.origin,
    })
}

/// The names of the fields an analyst corrected.
pub fn corrected_fields(row: &EventRow) -> Vec<String> {
    serde_json::from_str(&row.fields.corrected_fields).unwrap_or_default()
}

fn load_event(conn: &mut DbConnection, id: i64) -> StoreResult<EventRow> {
    events::table
        .find(id)
        .select(EventRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| StoreError::NotFound(format!("no event {id}")))
}

/// Applies a review and corrections to an event; returns the row after.
pub fn patch(
    conn: &mut DbConnection,
    id: i64,
    patch: &EventPatch,
    actor: &str,
) -> StoreResult<EventRow> {
    write_transaction(conn, |conn| {
        let before = load_event(conn, id)?;
        let mut changes = EventChanges::default();
        let mut corrected: BTreeSet<String> = corrected_fields(&before).into_iter().collect();
        let mut edited: Vec<&'static str> = Vec::new();

        if let Some(state) = patch.review_state {
            changes.review_state = Some(state.as_str().to_string());
            edited.push("review_state");
        }
        if let Some(note) = &patch.review_note {
            changes.review_note = Some(note.clone());
            edited.push("review_note");
        }
        let mut correct = |name: &'static str, edited: &mut Vec<&'static str>| {
            corrected.insert(name.to_string());
            edited.push(name);
        };
        if let Some(kind) = patch.kind {
            changes.kind = Some(kind.as_str().to_string());
            correct("kind", &mut edited);
        }
        if let Some(action) = &patch.action {
            changes.action = Some(action.clone());
            correct("action", &mut edited);
        }
        if let Some(status) = patch.status {
            changes.status = Some(status.map(|s| s.as_str().to_string()));
            correct("status", &mut edited);
        }
        let mut new_date = None;
        if let Some(date) = patch.occurred_on {
            changes.occurred_on = Some(date.map(|(d, _)| d));
            changes.date_precision = Some(date.map(|(_, p)| p.as_str().to_string()));
            new_date = Some(date.map(|(d, _)| d));
            correct("occurred_on", &mut edited);
            correct("date_precision", &mut edited);
        } else if let Some(precision) = patch.date_precision {
            if before.fields.occurred_on.is_none() {
                return Err(StoreError::InvalidValue {
                    field: "date_precision".to_string(),
                    detail: "the event has no date to give a precision to".to_string(),
                });
            }
            changes.date_precision = Some(Some(precision.as_str().to_string()));
            correct("date_precision", &mut edited);
        }
        if let Some(amount) = patch.amount_usd {
            changes.amount_usd = Some(amount);
            correct("amount_usd", &mut edited);
        }
        if let Some(authority) = &patch.authority {
            changes.authority = Some(authority.clone());
            correct("authority", &mut edited);
        }
        if let Some(jurisdiction) = &patch.jurisdiction {
            changes.jurisdiction = Some(jurisdiction.clone());
            correct("jurisdiction", &mut edited);
        }
        if let Some(summary) = &patch.summary {
            changes.summary = Some(summary.clone());
            correct("summary", &mut edited);
        }
        let mut rethread: Option<(i64, String)> = None;
        if let Some(target) = patch.thread {
            let (root, reason) = thread_target(conn, &before, target, actor)?;
            changes.thread_id = Some(root);
            rethread = Some((root.unwrap_or(id), reason));
            correct("thread_id", &mut edited);
        }
        let corrections = edited
            .iter()
            .any(|f| !matches!(*f, "review_state" | "review_note"));
        if corrections {
            changes.corrected_fields = Some(serde_json::to_string(&corrected).unwrap_or_default());
        }
        if changes_nothing(&before, &changes) {
            // Confirming a confirmed event with the same note, say: no write, no audit entry.
            return Ok(before);
        }
        changes.updated_at = Some(now());
        diesel::update(events::table.find(id))
            .set(&changes)
            .execute(conn)?;
        if let Some(day) = new_date {
            diesel::update(event_companies::table.filter(event_companies::event_id.eq(id)))
                .set(event_companies::occurred_on.eq(day))
                .execute(conn)?;
        }
        if let Some((root, reason)) = &rethread {
            // The steps that continue this one come along.
            diesel::update(
                events::table
                    .filter(events::thread_id.eq(id))
                    .filter(events::id.ne(id)),
            )
            .set(events::thread_id.eq(*root))
            .execute(conn)?;
            diesel::update(events::table.find(id))
                .set(events::thread_reason.eq(reason))
                .execute(conn)?;
            refresh_thread_status(conn, *root)?;
        }
        if patch.status.is_some()
            || patch.occurred_on.is_some()
            || patch.review_state.is_some()
            || rethread.is_some()
        {
            refresh_thread_status(conn, before.fields.thread_id.unwrap_or(before.id))?;
        }
        let after = load_event(conn, id)?;

        let (before_json, after_json) = (event_json(&before), event_json(&after));
        let pick = |all: &Value| -> Value {
            let mut out = Map::new();
            for field in &edited {
                if let Some(value) = all.get(*field) {
                    out.insert((*field).to_string(), value.clone());
                }
            }
            Value::Object(out)
        };
        let action = if corrections { "correct" } else { "review" };
        audit::record(
            conn,
            Some(id),
            "event",
            action,
            actor,
            Some(&pick(&before_json)),
            Some(&pick(&after_json)),
        )?;
        Ok(after)
    })
}

/// The thread an analyst puts `event` in: the root of event `target`'s thread
/// (`Some(root)`), or none when `target` is `None` (the event stands alone); with the
/// reason stored beside it.
fn thread_target(
    conn: &mut DbConnection,
    event: &EventRow,
    target: Option<i64>,
    actor: &str,
) -> StoreResult<(Option<i64>, String)> {
    let invalid = |detail: String| StoreError::InvalidValue {
        field: "thread".to_string(),
        detail,
    };
    let Some(other) = target else {
        let continued: i64 = events::table
            .filter(events::thread_id.eq(event.id))
            .filter(events::id.ne(event.id))
            .count()
            .get_result(conn)?;
        if continued > 0 {
            return Err(invalid(format!(
                "event {} starts a thread that {continued} later step(s) continue: unlink those instead",
                event.id
            )));
        }
        return Ok((None, format!("unlinked by {actor}: stands alone")));
    };
    if other == event.id {
        return Err(invalid("an event cannot continue itself".to_string()));
    }
    let Some(anchor) = events::table
        .find(other)
        .select(EventRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Err(invalid(format!("there is no event {other}")));
    };
    if anchor.fields.kind != event.fields.kind {
        return Err(invalid(format!(
            "event {other} is a {}, this one a {}: a thread holds one kind of story",
            anchor.fields.kind, event.fields.kind
        )));
    }
    let root = anchor.fields.thread_id.unwrap_or(other);
    if root == event.id {
        return Err(invalid(format!(
            "event {other} already continues this event's thread"
        )));
    }
    Ok((Some(root), format!("linked by {actor} to event {other}")))
}

/// Whether `changes` would leave the stored event as it is (every field set holds the
/// value it has, and the corrected fields are the same set); `updated_at` is not compared.
fn changes_nothing(before: &EventRow, changes: &EventChanges) -> bool {
    fn same<T: PartialEq>(new: &Option<T>, old: &T) -> bool {
        new.as_ref().map_or(true, |new| new == old)
    }
    let EventChanges {
        kind,
        action,
        status,
        occurred_on,
        date_precision,
        amount,
        currency,
        amount_usd,
        authority,
        jurisdiction,
        parties,
        summary,
        confidence,
        review_state,
        review_note,
        corrected_fields: corrected,
        thread_id,
        thread_status,
        document_count,
        updated_at: _,
    } = changes;
    let same_corrections = corrected.as_ref().map_or(true, |json| {
        serde_json::from_str::<BTreeSet<String>>(json).ok()
            == Some(corrected_fields(before).into_iter().collect())
    });
    same(kind, &before.fields.kind)
        && same(action, &before.fields.action)
        && same(status, &before.fields.status)
        && same(occurred_on, &before.fields.occurred_on)
        && same(date_precision, &before.fields.date_precision)
        && same(amount, &before.fields.amount)
        && same(currency, &before.fields.currency)
        && same(amount_usd, &before.fields.amount_usd)
        && same(authority, &before.fields.authority)
        && same(jurisdiction, &before.fields.jurisdiction)
        && same(parties, &before.fields.parties)
        && same(summary, &before.fields.summary)
        && same(confidence, &before.fields.confidence)
        && same(review_state, &before.fields.review_state)
        && same(review_note, &before.fields.review_note)
        && same(thread_id, &before.fields.thread_id)
        && same(thread_status, &before.fields.thread_status)
        && same(document_count, &before.fields.document_count)
        && same_corrections
}

/// Copies the status of a thread's latest step (not rejected) onto every step
/// as `thread_status`.
pub fn refresh_thread_status(conn: &mut DbConnection, key: i64) -> StoreResult<()> {
    let steps: Vec<(i64, Option<NaiveDate>, Option<String>, String)> = events::table
        .filter(events::id.eq(key).or(events::thread_id.eq(key)))
        .select((
            events::id,
            events::occurred_on,
            events::status,
            events::review_state,
        ))
        .load(conn)?;
    let latest = steps
        .iter()
        .filter(|s| s.3 != ReviewState::Rejected.as_str())
        .max_by_key(|s| (s.1.is_some(), s.1, s.0));
    let status = latest.and_then(|s| s.2.clone());
    let ids: Vec<i64> = steps.iter().map(|s| s.0).collect();
    diesel::update(events::table.filter(events::id.eq_any(ids)))
        .set(events::thread_status.eq(status))
        .execute(conn)?;
    Ok(())
}

/// An event entered by an analyst.
#[derive(Debug, Clone, PartialEq)]
pub struct ManualEvent {
    /// Kind of event.
    pub kind: EventKind,
    /// What happened, one action word such as `fine` (`events.action`).
    pub action: String,
    /// Where the event stands; `None` when not stated.
    pub status: Option<Status>,
    /// Date of the event; the first day of the period for month or year precision.
    pub occurred_on: NaiveDate,
    /// How much of `occurred_on` is known.
    pub date_precision: DatePrecision,
    /// Company ids with their roles; at least one.
    pub companies: Vec<(i64, Role)>,
    /// One-sentence summary shown in timelines.
    pub summary: String,
    /// Where the analyst read it; stored as a document so it shows as evidence.
    pub evidence_url: String,
    /// Sum involved in whole US dollars (stored as `amount` with currency `USD`); `None` for none.
    pub amount_usd: Option<i64>,
    /// The court or agency acting; `None` when not named.
    pub authority: Option<String>,
    /// Jurisdiction code such as `US`, `US-CA`, `EU`; `None` when unknown.
    pub jurisdiction: Option<String>,
}

/// Stores a manual event (confirmed, confidence 1) with its evidence; returns its id.
pub fn create_manual(
    conn: &mut DbConnection,
    manual: &ManualEvent,
    actor: &str,
) -> StoreResult<i64> {
    write_transaction(conn, |conn| {
        let at = now();
        let text = format!("{}\n\nSource: {}", manual.summary, manual.evidence_url);
        let hash = hex::encode(Sha256::digest(format!("manual\n{text}").as_bytes()));
        let existing: Option<i64> = documents::table
            .filter(documents::content_hash.eq(&hash))
            .select(documents::id)
            .first(conn)
            .optional()?;
        let document_id = match existing {
            Some(id) => id,
            None => diesel::insert_into(documents::table)
                .values(&NewDocument {
                    source_kind: SourceKind::Other.as_str().to_string(),
                    format: DocumentFormat::Text.as_str().to_string(),
                    url: Some(manual.evidence_url.clone()),
                    title: Some(format!("Entered by {actor}")),
                    published_at: None,
                    published_precision: None,
                    content_hash: hash.clone(),
                    byte_len: i64::try_from(text.len()).unwrap_or(i64::MAX),
                    text: text.clone(),
                    filer_cik: None,
                    form_type: None,
                    ingested_at: at,
                })
                .returning(documents::id)
                .get_result(conn)?,
        };
        let new = NewEvent {
            kind: manual.kind.as_str().to_string(),
            action: manual.action.clone(),
            status: manual.status.map(|s| s.as_str().to_string()),
            occurred_on: Some(manual.occurred_on),
            date_precision: Some(manual.date_precision.as_str().to_string()),
            amount: manual.amount_usd.map(|a| a as f64),
            currency: manual.amount_usd.map(|_| "USD".to_string()),
            amount_usd: manual.amount_usd,
            authority: manual.authority.clone(),
            jurisdiction: manual.jurisdiction.clone(),
            parties: "[]".to_string(),
            summary: manual.summary.clone(),
            confidence: 1.0,
            review_state: ReviewState::Confirmed.as_str().to_string(),
            review_note: None,
            corrected_fields: "[]".to_string(),
            origin: Origin::Manual.as_str().to_string(),
            fingerprint: format!("manual:{hash}"),
            thread_id: None,
            thread_status: manual.status.map(|s| s.as_str().to_string()),
            document_count: 1,
            created_at: at,
            updated_at: at,
        };
        let id: i64 = diesel::insert_into(events::table)
            .values(&new)
            .returning(events::id)
            .get_result(conn)?;
        let links: Vec<NewEventCompany> = manual
            .companies
            .iter()
            .map(|(company_id, role)| NewEventCompany {
                event_id: id,
                company_id: *company_id,
                role: role.as_str().to_string(),
                occurred_on: Some(manual.occurred_on),
            })
            .collect();
        insert_event_companies(conn, &links)?;
        let snippet_end = i64::try_from(manual.summary.len()).unwrap_or(i64::MAX);
        diesel::insert_into(event_mentions::table)
            .values(&NewEventMention {
                event_id: id,
                document_id,
                start_offset: 0,
                end_offset: snippet_end,
                snippet: manual.summary.clone(),
                rule: "manual".to_string(),
                merge_reason: None,
                merge_score: None,
                created_at: at,
            })
            .execute(conn)?;
        let row = load_event(conn, id)?;
        let mut after = event_json(&row);
        after["evidence_url"] = json!(manual.evidence_url);
        audit::record(conn, Some(id), "event", "create", actor, None, Some(&after))?;
        Ok(id)
    })
}

/// Moves the mentions `mention_ids` of event `id` to a new event (undoing a wrong
/// merge); the new event copies the fields and companies of the old one and
/// starts its own thread. Returns the new event's id.
pub fn split(
    conn: &mut DbConnection,
    id: i64,
    mention_ids: &[i64],
    actor: &str,
) -> StoreResult<i64> {
    write_transaction(conn, |conn| {
        let original = load_event(conn, id)?;
        let all: Vec<i64> = event_mentions::table
            .filter(event_mentions::event_id.eq(id))
            .order(event_mentions::id)
            .select(event_mentions::id)
            .load(conn)?;
        let moving: BTreeSet<i64> = mention_ids.iter().copied().collect();
        let foreign: Vec<i64> = moving
            .iter()
            .copied()
            .filter(|m| !all.contains(m))
            .collect();
        if !foreign.is_empty() {
            return Err(StoreError::InvalidValue {
                field: "mention_ids".to_string(),
                detail: format!("mention(s) {foreign:?} are not evidence of this event"),
            });
        }
        let staying: Vec<i64> = all
            .iter()
            .copied()
            .filter(|m| !moving.contains(m))
            .collect();
        if staying.is_empty() {
            return Err(StoreError::InvalidValue {
                field: "mention_ids".to_string(),
                detail: "a split must leave at least one mention with the event".to_string(),
            });
        }
        let at = now();
        let first_moved = moving.iter().next().copied().unwrap_or_default();
        let new = NewEvent {
            review_state: ReviewState::Unreviewed.as_str().to_string(),
            review_note: None,
            fingerprint: format!("{}#split-{first_moved}", original.fields.fingerprint),
            thread_id: None,
            thread_status: original.fields.status.clone(),
            document_count: 0,
            created_at: at,
            updated_at: at,
            ..original.fields
        };
        let new_id: i64 = diesel::insert_into(events::table)
            .values(&new)
            .returning(events::id)
            .get_result(conn)?;
        let links: Vec<NewEventCompany> = event_companies::table
            .filter(event_companies::event_id.eq(id))
            .select((
                event_companies::company_id,
                event_companies::role,
                event_companies::occurred_on,
            ))
            .load::<(i64, String, Option<NaiveDate>)>(conn)?
            .into_iter()
            .map(|(company_id, role, occurred_on)| NewEventCompany {
                event_id: new_id,
                company_id,
                role,
                occurred_on,
            })
            .collect();
        insert_event_companies(conn, &links)?;
        let moving: Vec<i64> = moving.into_iter().collect();
        diesel::update(event_mentions::table.filter(event_mentions::id.eq_any(&moving)))
            .set((
                event_mentions::event_id.eq(new_id),
                event_mentions::merge_reason.eq(None::<String>),
                event_mentions::merge_score.eq(None::<f64>),
            ))
            .execute(conn)?;
        for event_id in [id, new_id] {
            let documents: i64 = event_mentions::table
                .filter(event_mentions::event_id.eq(event_id))
                .select(diesel::dsl::count(event_mentions::document_id).aggregate_distinct())
                .first(conn)?;
            diesel::update(events::table.find(event_id))
                .set((
                    events::document_count.eq(documents),
                    events::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        audit::record(
            conn,
            Some(id),
            "event",
            "split",
            actor,
            Some(&json!({ "mention_ids": all })),
            Some(&json!({ "mention_ids": staying, "split_into": new_id })),
        )?;
        let row = load_event(conn, new_id)?;
        let mut after = event_json(&row);
        after["split_from"] = json!(id);
        after["mention_ids"] = json!(moving);
        audit::record(
            conn,
            Some(new_id),
            "event",
            "create",
            actor,
            None,
            Some(&after),
        )?;
        Ok(new_id)
    })
}

/// A company to add by hand.
#[derive(Debug, Clone, PartialEq)]
pub struct NewCompanyInput {
    /// Already normalized (see [`registry::normalize_ticker`]).
    pub ticker: String,
    /// Registered company name.
    pub name: String,
    /// SEC Central Index Key; `None` when not known.
    pub cik: Option<i64>,
    /// Listing exchange such as `NYSE`; `None` when not known.
    pub exchange: Option<String>,
    /// Further names of the company with their kinds, stored in `company_aliases`.
    pub aliases: Vec<(String, AliasKind)>,
}

/// Adds a company with its aliases; returns its id. Fails with
/// [`StoreError::Conflict`] when the ticker is taken.
pub fn create_company(
    conn: &mut DbConnection,
    input: &NewCompanyInput,
    actor: &str,
) -> StoreResult<i64> {
    write_transaction(conn, |conn| {
        let taken: bool = diesel::select(diesel::dsl::exists(
            companies::table.filter(companies::ticker.eq(&input.ticker)),
        ))
        .get_result(conn)?;
        if taken {
            return Err(StoreError::Conflict(format!(
                "a company with ticker {} exists",
                input.ticker
            )));
        }
        let mut record = CompanyRecord::new(
            input.ticker.clone(),
            &input.name,
            input.cik,
            input.exchange.clone(),
        );
        // The name as given, not re-cased: an admin typed it.
        record.name = input.name.trim().to_string();
        for (alias, kind) in &input.aliases {
            let kind = match kind {
                AliasKind::LegalName => registry::AliasKind::LegalName,
                AliasKind::ShortName => registry::AliasKind::ShortName,
                AliasKind::Brand => registry::AliasKind::Brand,
                AliasKind::Subsidiary => registry::AliasKind::Subsidiary,
                AliasKind::FormerName => registry::AliasKind::FormerName,
                AliasKind::FormerTicker => {
                    record.former_tickers.push(alias.clone());
                    continue;
                }
            };
            record.push_alias(alias, kind);
        }
        company_store::import(conn, &[record])?;
        let id: i64 = companies::table
            .filter(companies::ticker.eq(&input.ticker))
            .select(companies::id)
            .first(conn)?;
        let aliases: Vec<Value> = input
            .aliases
            .iter()
            .map(|(alias, kind)| json!({ "alias": alias, "kind": kind.as_str() }))
            .collect();
        audit::record(
            conn,
            None,
            "company",
            "create",
            actor,
            None,
            Some(&json!({
                "id": id, "ticker": input.ticker, "name": input.name,
                "cik": input.cik, "exchange": input.exchange, "aliases": aliases,
            })),
        )?;
        Ok(id)
    })
}

/// Retracts an event (a soft delete): it leaves timelines, searches and feeds,
/// stays readable by id with its history, and the changes feed reports it.
/// `reason` goes to the audit trail. Returns `false` when it was retracted
/// already (nothing changes then).
pub fn retract(
    conn: &mut DbConnection,
    id: i64,
    reason: Option<&str>,
    actor: &str,
) -> StoreResult<bool> {
    write_transaction(conn, |conn| {
        let before: Option<Option<chrono::NaiveDateTime>> = events::table
            .find(id)
            .select(events::retracted_at)
            .first(conn)
            .optional()?;
        match before {
            None => Err(StoreError::NotFound(format!("no event {id}"))),
            Some(Some(_)) => Ok(false),
            Some(None) => {
                let at = now();
                diesel::update(events::table.find(id))
                    .set((events::retracted_at.eq(at), events::updated_at.eq(at)))
                    .execute(conn)?;
                audit::record(
                    conn,
                    Some(id),
                    "event",
                    "retract",
                    actor,
                    Some(&json!({ "retracted": false })),
                    Some(&json!({ "retracted": true, "reason": reason })),
                )?;
                Ok(true)
            }
        }
    })
}
