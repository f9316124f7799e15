//! The events a run may merge new reports into, held in memory.
//!
//! Querying the database for candidates of every extracted event would cost a
//! round trip each; instead the events of a company are loaded once per run, the
//! first time a report names the company, and the events a run creates are added
//! as they are made. Entries are grouped by company, kind and [`Stage`], the
//! fields a match must share.
//!
//! The index is a cache of the database: at the start of every write transaction
//! it catches up with events other processes stored since (they take turns with
//! this one, see [`crate::store::backend::lock_ingest`]), and when a transaction
//! fails the caller clears it, since it may hold events that were rolled back.

use std::collections::{HashMap, HashSet};

use super::matching::{party_key, sorted_set, stored_date, stored_stage, Profile, Stage};
use crate::domain::Action;
use crate::store::events_write::{self, StoredEvent};
use crate::store::models::{EventKind, ReviewState};
use crate::store::{DbConnection, StoreResult};

/// A party as stored in `events.parties`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PartyEntry {
    pub name: String,
    pub role: String,
}

/// One event the index knows.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The database id; `None` while the event waits to be inserted with its batch.
    pub id: Option<i64>,
    pub profile: Profile,
    pub review: ReviewState,
    /// Fields an analyst corrected: ingestion leaves them as they are.
    pub corrected: Vec<String>,
    pub thread_root: Option<i64>,
    /// The fingerprint of the report that created the event: a report with the
    /// same fingerprint always merges into it; an event without companies is
    /// matched by it alone.
    pub fingerprint: String,
}

impl Entry {
    /// Whether ingestion may change `field` of this event.
    pub fn may_change(&self, field: &str) -> bool {
        self.review == ReviewState::Unreviewed && !self.corrected.iter().any(|f| f == field)
    }

    /// Builds an entry from a stored event.
    pub fn from_stored(event: &StoredEvent) -> Option<Entry> {
        let row = &event.row;
        let kind: EventKind = row.kind.parse().ok()?;
        let parties: Vec<PartyEntry> = serde_json::from_str(&row.parties).unwrap_or_default();
        Some(Entry {
            id: Some(row.id),
            profile: Profile {
                kind,
                stage: stored_stage(kind, &row.action, row.status.as_deref()),
                action: Action::read_stored(kind, &row.action),
                date: stored_date(row.occurred_on, row.date_precision.as_deref()),
                authority: row.authority.clone(),
                amount_usd: row.amount_usd,
                companies: sorted_set(event.companies.iter().map(|(id, _)| *id)),
                parties: sorted_set(parties.iter().map(|p| party_key(&p.name))),
                plaintiffs: sorted_set(
                    parties
                        .iter()
                        .filter(|p| p.role == "plaintiff")
                        .map(|p| party_key(&p.name)),
                ),
            },
            review: row.review_state.parse().unwrap_or(ReviewState::Unreviewed),
            corrected: serde_json::from_str(&row.corrected_fields).unwrap_or_default(),
            thread_root: row.thread_id,
            fingerprint: row.fingerprint.clone(),
        })
    }
}

type Bucket = (i64, EventKind, Stage);

/// The events of the companies seen so far in a run.
#[derive(Debug, Default)]
pub struct EventIndex {
    entries: Vec<Entry>,
    by_bucket: HashMap<Bucket, Vec<usize>>,
    /// Events without a company, by fingerprint.
    unlinked: HashMap<String, Vec<usize>>,
    by_id: HashMap<i64, usize>,
    loaded_companies: HashSet<i64>,
    loaded_fingerprints: HashSet<String>,
    /// The largest event id the index has accounted for.
    watermark: i64,
}

impl EventIndex {
    pub fn new() -> EventIndex {
        EventIndex::default()
    }

    /// Forgets everything (after a failed transaction).
    pub fn clear(&mut self) {
        *self = EventIndex::default();
    }

    pub fn entry(&self, at: usize) -> &Entry {
        &self.entries[at]
    }

    pub fn entry_mut(&mut self, at: usize) -> &mut Entry {
        &mut self.entries[at]
    }

    /// Moves every indexed event of the thread rooted at `old` to the thread rooted at `new`.
    pub fn retarget_thread(&mut self, old: i64, new: i64) {
        for entry in &mut self.entries {
            if entry.thread_root == Some(old) {
                entry.thread_root = Some(new);
            }
        }
    }

    /// Adds an event; returns its position.
    pub fn add(&mut self, entry: Entry) -> usize {
        let at = self.entries.len();
        if let Some(id) = entry.id {
            self.by_id.insert(id, at);
        }
        if entry.profile.companies.is_empty() {
            self.unlinked
                .entry(entry.fingerprint.clone())
                .or_default()
                .push(at);
        }
        for &company in &entry.profile.companies {
            self.by_bucket
                .entry((company, entry.profile.kind, entry.profile.stage))
                .or_default()
                .push(at);
        }
        self.entries.push(entry);
        at
    }

    /// Records the id an event received when inserted.
    pub fn set_id(&mut self, at: usize, id: i64) {
        self.entries[at].id = Some(id);
        self.by_id.insert(id, at);
        self.watermark = self.watermark.max(id);
    }

    /// Adds companies to an event's profile, and the event to their buckets.
    pub fn add_companies(&mut self, at: usize, companies: &[i64]) {
        let entry = &mut self.entries[at];
        let mut added = Vec::new();
        for &company in companies {
            if entry.profile.companies.binary_search(&company).is_err() {
                added.push(company);
            }
        }
        if added.is_empty() {
            return;
        }
        entry.profile.companies.extend(added.iter().copied());
        entry.profile.companies.sort_unstable();
        let key = (entry.profile.kind, entry.profile.stage);
        for company in added {
            self.by_bucket
                .entry((company, key.0, key.1))
                .or_default()
                .push(at);
        }
    }

    /// Replaces an event's entry with what the database holds now.
    pub fn refresh(&mut self, at: usize, fresh: Entry) {
        let old = &self.entries[at];
        let regroup = old.profile.kind != fresh.profile.kind
            || old.profile.stage != fresh.profile.stage
            || old.profile.companies != fresh.profile.companies;
        if regroup {
            for &company in &old.profile.companies {
                if let Some(list) =
                    self.by_bucket
                        .get_mut(&(company, old.profile.kind, old.profile.stage))
                {
                    list.retain(|&i| i != at);
                }
            }
            for &company in &fresh.profile.companies {
                self.by_bucket
                    .entry((company, fresh.profile.kind, fresh.profile.stage))
                    .or_default()
                    .push(at);
            }
        }
        self.entries[at] = fresh;
    }

    /// Positions of the events that share a company, the kind and one of `stages`
    /// with `profile`; for an event without companies, those of the same
    /// fingerprint. Each once, in order of position.
    pub fn candidates(&self, profile: &Profile, fingerprint: &str, stages: &[Stage]) -> Vec<usize> {
        let mut found: Vec<usize> = if profile.companies.is_empty() {
            self.unlinked.get(fingerprint).cloned().unwrap_or_default()
        } else {
            let mut found = Vec::new();
            for &company in &profile.companies {
                for &stage in stages {
                    if let Some(list) = self.by_bucket.get(&(company, profile.kind, stage)) {
                        found.extend_from_slice(list);
                    }
                }
            }
            found
        };
        found.sort_unstable();
        found.dedup();
        found
    }

    /// Loads the stored events of the companies and fingerprints not loaded yet.
    pub fn load(
        &mut self,
        conn: &mut DbConnection,
        companies: impl IntoIterator<Item = i64>,
        unlinked_fingerprints: impl IntoIterator<Item = String>,
    ) -> StoreResult<()> {
        if self.watermark == 0 && self.loaded_companies.is_empty() {
            self.watermark = events_write::max_id(conn)?.unwrap_or(0);
        }
        let companies: Vec<i64> = sorted_set(
            companies
                .into_iter()
                .filter(|c| !self.loaded_companies.contains(c)),
        );
        if !companies.is_empty() {
            let stored = events_write::load_for_companies(conn, &companies)?;
            self.loaded_companies.extend(companies.iter().copied());
            self.absorb(stored);
        }
        let fingerprints: Vec<String> = sorted_set(
            unlinked_fingerprints
                .into_iter()
                .filter(|f| !self.loaded_fingerprints.contains(f)),
        );
        if !fingerprints.is_empty() {
            let refs: Vec<&str> = fingerprints.iter().map(String::as_str).collect();
            let stored = events_write::load_unlinked_by_fingerprints(conn, &refs)?;
            self.loaded_fingerprints.extend(fingerprints);
            self.absorb(stored);
        }
        Ok(())
    }

    /// Adds stored events not indexed yet.
    fn absorb(&mut self, stored: Vec<StoredEvent>) {
        for event in stored {
            if self.by_id.contains_key(&event.row.id) {
                continue;
            }
            if let Some(entry) = Entry::from_stored(&event) {
                self.add(entry);
            }
        }
    }

    /// Takes in the events other writers stored since the index last looked, for
    /// the companies and fingerprints it has loaded.
    ///
    /// Events are found by id above the last one seen; ingestion writers take
    /// turns, so none commits an id below that later. (A manual event entered
    /// through the API during a run may be missed by this run's matching.)
    pub fn catch_up(&mut self, conn: &mut DbConnection) -> StoreResult<()> {
        if self.loaded_companies.is_empty() && self.loaded_fingerprints.is_empty() {
            return Ok(());
        }
        let ids = events_write::ids_after(conn, self.watermark)?;
        let Some(&last) = ids.last() else {
            return Ok(());
        };
        let ids: Vec<i64> = ids
            .into_iter()
            .filter(|id| !self.by_id.contains_key(id))
            .collect();
        let stored = events_write::load_by_ids(conn, &ids)?;
        let relevant: Vec<StoredEvent> = stored
            .into_iter()
            .filter(|e| {
                if e.companies.is_empty() {
                    self.loaded_fingerprints.contains(&e.row.fingerprint)
                } else {
                    e.companies
                        .iter()
                        .any(|(c, _)| self.loaded_companies.contains(c))
                }
            })
            .collect();
        self.absorb(relevant);
        self.watermark = self.watermark.max(last);
        Ok(())
    }
}
