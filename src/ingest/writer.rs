//! Writing a batch of prepared documents with their events, in one transaction.
//!
//! For each new document, in order, each extracted report either merges into a
//! known event (the best match of [`super::matching::score`]; one mention per
//! document, with the merge's reason and score) or creates an event. Merging
//! fills in what the known event lacks (a finer date, an amount, an authority,
//! parties, companies) but never a field an analyst corrected, and nothing at
//! all of an event an analyst reviewed. New events that continue an earlier
//! event (a settlement after a suit) join its thread, and every event of a
//! thread carries the status of its latest step.
//!
//! Either all of a batch is stored or none of it: a process killed mid-way
//! leaves the database as the last committed batch left it.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};

use super::index::{Entry, EventIndex, PartyEntry};
use super::matching::{
    anchor_score, latest, party_key, score, stored_date, stored_stage, Match, Stage, Step,
};
use super::prepare::{PreparedDoc, Report};
use super::registry::Registry;
use crate::store::backend::{self, write_transaction};
use crate::store::changes::{self, ChangeKind};
use crate::store::events_read::{self, EventView};
use crate::store::events_write::{self, MatchRow, StoredEvent, ThreadStep};
use crate::store::models::DocumentRow;
use crate::store::models::{
    EventChanges, EventKind, NewDocument, NewEvent, NewEventCompany, NewEventMention, Origin,
    ReviewState,
};
use crate::store::{documents, now, DbConnection, StoreError};

/// The actor of the changes ingestion makes, in the changes feed.
const INGEST_ACTOR: &str = "ingest";

/// What happened to one document.
#[derive(Debug, Clone, PartialEq)]
pub struct DocOutcome {
    pub name: String,
    pub input_bytes: u64,
    pub document_id: i64,
    /// `false` when the document was stored already (same content hash).
    pub created: bool,
    /// The events the document reports (created or merged into), in id order.
    pub event_ids: Vec<i64>,
    pub events_created: usize,
    pub events_merged: usize,
    /// Known events whose fields, companies or thread changed.
    pub events_updated: usize,
}

/// What [`Writer::write_one`] stored, read back inside its transaction.
#[derive(Debug, Clone)]
pub struct Written {
    /// What happened to the document.
    pub outcome: DocOutcome,
    /// The stored document.
    pub document: DocumentRow,
    /// Every event the document gives evidence for, in id order.
    pub event_ids: Vec<i64>,
    /// The views of the events of this write, in the order of `outcome.event_ids`.
    pub events: Vec<EventView>,
}

/// Why a batch transaction was abandoned.
#[derive(Debug)]
enum BatchError {
    Db(StoreError),
    /// An event the index held was deleted meanwhile: reload and try again.
    Stale,
}

impl From<StoreError> for BatchError {
    fn from(e: StoreError) -> Self {
        BatchError::Db(e)
    }
}

/// How many times a batch is tried again after finding the index stale.
const STALE_RETRIES: usize = 3;

/// Writes batches of documents for one run (or one API request), keeping the
/// index of known events between batches.
pub struct Writer<'r> {
    registry: &'r Registry,
    index: EventIndex,
    /// Whether outcomes of known documents list their events (a query each).
    list_known_events: bool,
}

impl<'r> Writer<'r> {
    pub fn new(registry: &'r Registry, list_known_events: bool) -> Writer<'r> {
        Writer {
            registry,
            index: EventIndex::new(),
            list_known_events,
        }
    }

    /// Stores the documents and their events in one transaction; returns what
    /// happened to each, in order. On error nothing is stored.
    pub fn write(
        &mut self,
        conn: &mut DbConnection,
        docs: &[PreparedDoc],
    ) -> Result<Vec<DocOutcome>, StoreError> {
        self.transact(conn, |writer, conn| writer.write_batch(conn, docs))
    }

    /// Stores one document like [`Writer::write`] and reads back, in the same
    /// transaction, the stored document and the views of its events: a caller that
    /// answers with them shows exactly what this write left, whatever other writers do
    /// next.
    pub fn write_one(
        &mut self,
        conn: &mut DbConnection,
        doc: &PreparedDoc,
    ) -> Result<Written, StoreError> {
        self.transact(conn, |writer, conn| {
            let outcome = writer
                .write_batch(conn, std::slice::from_ref(doc))?
                .pop()
                .ok_or_else(|| {
                    StoreError::NotFound("the writer reported no outcome".to_string())
                })?;
            let (document, event_ids) = events_read::document(conn, outcome.document_id)?
                .ok_or_else(|| StoreError::NotFound(format!("document {}", outcome.document_id)))?;
            let events = events_read::load_views(conn, &outcome.event_ids)?;
            Ok(Written {
                outcome,
                document,
                event_ids,
                events,
            })
        })
    }

    /// Runs `work` in a write transaction, again when an event the index held was
    /// deleted meanwhile (a few times), clearing the index after any failure.
    fn transact<T>(
        &mut self,
        conn: &mut DbConnection,
        mut work: impl FnMut(&mut Self, &mut DbConnection) -> Result<T, BatchError>,
    ) -> Result<T, StoreError> {
        let mut attempt = 0;
        loop {
            let result = write_transaction(conn, |conn| work(self, conn));
            match result {
                Ok(done) => return Ok(done),
                Err(error) => {
                    // The index may hold events of the rolled-back transaction.
                    self.index.clear();
                    match error {
                        BatchError::Stale if attempt < STALE_RETRIES => attempt += 1,
                        BatchError::Stale => return Err(StoreError::kept_changing()),
                        BatchError::Db(e) => return Err(e),
                    }
                }
            }
        }
    }

    fn write_batch(
        &mut self,
        conn: &mut DbConnection,
        docs: &[PreparedDoc],
    ) -> Result<Vec<DocOutcome>, BatchError> {
        backend::lock_ingest(conn)?;
        self.index.catch_up(conn)?;
        let at = now();

        // Documents: which are new, stored once each.
        let hashes: Vec<&str> = docs
            .iter()
            .map(|d| d.document.content_hash.as_str())
            .collect();
        let mut stored = documents::find_by_hashes(conn, &hashes)?;
        let mut fresh: Vec<usize> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, hash) in hashes.iter().enumerate() {
            if !stored.contains_key(*hash) && seen.insert(hash) {
                fresh.push(i);
            }
        }
        let rows: Vec<NewDocument> = fresh.iter().map(|&i| docs[i].document.clone()).collect();
        let inserted: HashMap<String, i64> = backend::insert_documents(conn, &rows)?
            .into_iter()
            .map(|(id, hash)| (hash, id))
            .collect();
        let mut new_docs: Vec<(usize, i64)> = Vec::with_capacity(fresh.len());
        for &i in &fresh {
            match inserted.get(hashes[i]) {
                Some(&id) => new_docs.push((i, id)),
                None => return Err(BatchError::Stale),
            }
        }
        for (hash, id) in &inserted {
            stored.entry(hash.clone()).or_insert(*id);
        }

        // Events: the candidates of every company named, then each report in order.
        let reports = || new_docs.iter().flat_map(|&(i, _)| docs[i].reports.iter());
        self.index.load(
            conn,
            reports().flat_map(|r| r.profile.companies.iter().copied()),
            reports()
                .filter(|r| r.profile.companies.is_empty())
                .map(|r| r.fingerprint.clone()),
        )?;
        let mut plan = Plan::default();
        for &(i, document_id) in &new_docs {
            for report in &docs[i].reports {
                plan.place(&mut self.index, self.registry, report, i, document_id, at);
            }
        }

        let created = self.insert_new_events(conn, &mut plan, at)?;
        self.update_known_events(conn, &mut plan, at)?;
        self.insert_links_and_mentions(conn, &plan)?;
        self.link_threads(conn, &mut plan, &created, at)?;
        self.record_changes(conn, &plan)?;

        // Outcomes, in input order.
        let mut outcomes = Vec::with_capacity(docs.len());
        let fresh_ids: HashMap<usize, i64> = new_docs.iter().copied().collect();
        let mut events_of: HashMap<i64, Vec<i64>> = HashMap::new();
        for (i, doc) in docs.iter().enumerate() {
            let hash = doc.document.content_hash.as_str();
            let document_id = stored.get(hash).copied().unwrap_or_default();
            let mut outcome = DocOutcome {
                name: doc.name.clone(),
                input_bytes: doc.input_bytes,
                document_id,
                created: fresh_ids.get(&i) == Some(&document_id),
                event_ids: Vec::new(),
                events_created: 0,
                events_merged: 0,
                events_updated: 0,
            };
            if outcome.created {
                let tally = plan.tallies.remove(&i).unwrap_or_default();
                let mut ids: Vec<i64> = tally
                    .entries
                    .iter()
                    .filter_map(|&e| self.index.entry(e).id)
                    .collect();
                ids.sort_unstable();
                ids.dedup();
                outcome.events_created = tally.created;
                outcome.events_merged = tally.merged;
                outcome.events_updated = tally.updated.len();
                events_of.insert(document_id, ids.clone());
                outcome.event_ids = ids;
            } else if let Some(ids) = events_of.get(&document_id) {
                outcome.event_ids = ids.clone();
            } else if self.list_known_events {
                outcome.event_ids = documents::event_ids(conn, document_id)?;
            }
            outcomes.push(outcome);
        }
        Ok(outcomes)
    }

    /// Adds the batch's events to the changes feed: those it created, and the
    /// known events it merged reports into.
    fn record_changes(&self, conn: &mut DbConnection, plan: &Plan<'_>) -> Result<(), BatchError> {
        let mut created: Vec<i64> = plan.created_ids.iter().copied().collect();
        created.sort_unstable();
        let mut merged: Vec<i64> = plan
            .known
            .iter()
            .filter_map(|k| self.index.entry(k.entry).id)
            .filter(|id| !plan.created_ids.contains(id))
            .collect();
        merged.sort_unstable();
        merged.dedup();
        changes::record_events(conn, ChangeKind::EventCreated, &created, INGEST_ACTOR)?;
        changes::record_events(conn, ChangeKind::EventMerged, &merged, INGEST_ACTOR)?;
        Ok(())
    }

    /// Inserts the events the batch creates; returns their positions in the
    /// index, in order of creation.
    fn insert_new_events(
        &mut self,
        conn: &mut DbConnection,
        plan: &mut Plan<'_>,
        at: NaiveDateTime,
    ) -> Result<Vec<usize>, BatchError> {
        let rows: Vec<NewEvent> = plan.pending.iter().map(|p| p.row(at)).collect();
        let ids = backend::insert_events(conn, &rows)?;
        let mut created = Vec::with_capacity(ids.len());
        for ((pending, id), row) in plan.pending.iter().zip(ids).zip(&rows) {
            self.index.set_id(pending.entry, id);
            // Later batches match against the event as stored, with what every
            // report of this batch added (authority, amount, parties), as a later
            // run loading it from the database would: not against its first report.
            let stored = StoredEvent {
                row: stored_row(id, row),
                companies: pending
                    .companies
                    .iter()
                    .map(|&(company, _)| (company, String::new()))
                    .collect(),
            };
            if let Some(entry) = Entry::from_stored(&stored) {
                self.index.refresh(pending.entry, entry);
            }
            plan.created_ids.insert(id);
            created.push(pending.entry);
        }
        Ok(created)
    }

    /// Adds the batch's reports to events stored before it: document counts,
    /// the fields they lack, new companies.
    fn update_known_events(
        &mut self,
        conn: &mut DbConnection,
        plan: &mut Plan<'_>,
        at: NaiveDateTime,
    ) -> Result<(), BatchError> {
        if plan.known.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = plan
            .known
            .iter()
            .filter_map(|k| self.index.entry(k.entry).id)
            .collect();
        // Read the events again, locked: an analyst may have corrected one since
        // the index loaded it.
        if backend::lock_events(conn, &ids)?.len() != ids.len() {
            return Err(BatchError::Stale);
        }
        let fresh: HashMap<i64, StoredEvent> = events_write::load_by_ids(conn, &ids)?
            .into_iter()
            .map(|e| (e.row.id, e))
            .collect();
        let mut count_only: BTreeMap<i64, Vec<i64>> = BTreeMap::new();
        for known in &plan.known {
            let Some(id) = self.index.entry(known.entry).id else {
                continue;
            };
            let Some(event) = fresh.get(&id) else {
                return Err(BatchError::Stale);
            };
            let current = Entry::from_stored(event).ok_or(BatchError::Stale)?;
            let may = |field: &str| current.may_change(field);
            let before = Fields::from_row(&event.row);
            let mut fields = before.clone();
            let mut linked: Vec<i64> = event.companies.iter().map(|(c, _)| *c).collect();
            let mut changed = false;
            for report in &known.reports {
                fields.absorb(report, &may);
                if may("companies") && may("tickers") {
                    for &(company, role) in &report.companies {
                        if !linked.contains(&company) {
                            linked.push(company);
                            plan.links.push(NewEventCompany {
                                event_id: id,
                                company_id: company,
                                role: role.as_str().to_string(),
                                occurred_on: None,
                            });
                            changed = true;
                        }
                    }
                }
            }
            let mut changes = fields.changes_from(&before);
            if changes == EventChanges::default() {
                // Most reports only add a document: counted below, several events at once.
                count_only.entry(known.documents).or_default().push(id);
            } else {
                changed = true;
                changes.document_count = Some(event.row.document_count + known.documents);
                changes.updated_at = Some(at);
                events_write::update(conn, id, &changes)?;
            }
            for link in plan.links.iter_mut().filter(|l| l.event_id == id) {
                link.occurred_on = fields.occurred_on;
            }
            if fields.occurred_on != before.occurred_on {
                events_write::sync_company_dates(conn, id, fields.occurred_on)?;
            }
            if changed {
                plan.tallies
                    .entry(known.first_doc)
                    .or_default()
                    .updated
                    .insert(id);
            }
            let mut row = event.row.clone();
            fields.apply_to(&mut row);
            let refreshed = StoredEvent {
                row,
                companies: linked.iter().map(|&c| (c, String::new())).collect(),
            };
            if let Some(entry) = Entry::from_stored(&refreshed) {
                self.index.refresh(known.entry, entry);
            }
        }
        for (documents, ids) in count_only {
            events_write::add_documents(conn, &ids, documents, at)?;
        }
        Ok(())
    }

    fn insert_links_and_mentions(
        &self,
        conn: &mut DbConnection,
        plan: &Plan<'_>,
    ) -> Result<(), BatchError> {
        let mut links = plan.links.clone();
        for pending in &plan.pending {
            let Some(id) = self.index.entry(pending.entry).id else {
                continue;
            };
            for &(company, role) in &pending.companies {
                links.push(NewEventCompany {
                    event_id: id,
                    company_id: company,
                    role: role.as_str().to_string(),
                    occurred_on: pending.fields.occurred_on,
                });
            }
        }
        backend::insert_new_event_companies(conn, &links)?;
        let mentions: Vec<NewEventMention> = plan
            .mentions
            .iter()
            .filter_map(|m| {
                Some(NewEventMention {
                    event_id: self.index.entry(m.entry).id?,
                    document_id: m.document_id,
                    start_offset: m.report.evidence.start,
                    end_offset: m.report.evidence.end,
                    snippet: m.report.evidence.snippet.clone(),
                    rule: m.report.evidence.rule.clone(),
                    merge_reason: m.merged.as_ref().map(|x| x.reason.clone()),
                    merge_score: m.merged.as_ref().map(|x| x.score),
                    created_at: m.at,
                })
            })
            .collect();
        backend::insert_new_event_mentions(conn, &mentions)?;
        Ok(())
    }

    /// The earlier event that the event at `step` continues, if any.
    fn best_anchor(&self, step: usize) -> Option<usize> {
        let entry = self.index.entry(step);
        let stages: &[Stage] = match entry.profile.kind {
            EventKind::Lawsuit => &[
                Stage::Opened,
                Stage::Ruled,
                Stage::Appealed,
                Stage::Reversed,
            ],
            EventKind::RegulatoryAction => &[Stage::Imposed],
            EventKind::ServiceHalt => &[Stage::Halted],
        };
        self.index
            .candidates(&entry.profile, &entry.fingerprint, stages)
            .into_iter()
            .filter(|&at| at != step)
            .filter_map(|at| {
                let anchor = self.index.entry(at);
                if anchor.id.is_none() || anchor.review == ReviewState::Rejected {
                    return None;
                }
                let fit = anchor_score(&entry.profile, &anchor.profile)?;
                let date = anchor
                    .profile
                    .date
                    .map(|d| d.date)
                    .unwrap_or(NaiveDate::MIN);
                // Ties go to the older event, by id (see `place`).
                Some(((fit, date, std::cmp::Reverse(anchor.id)), at))
            })
            .max_by_key(|(key, _)| *key)
            .map(|(_, at)| at)
    }

    /// Links each event the batch created into its thread, then brings the
    /// status of every thread touched up to date.
    fn link_threads(
        &mut self,
        conn: &mut DbConnection,
        plan: &mut Plan<'_>,
        created: &[usize],
        at: NaiveDateTime,
    ) -> Result<(), BatchError> {
        // The thread each moved event joins, written together at the end.
        let mut moves: BTreeMap<i64, i64> = BTreeMap::new();
        // Why each step joined its thread, or that it stands alone.
        let mut reasons: BTreeMap<i64, String> = BTreeMap::new();
        // Roots of the threads touched, with the document that touched them first.
        let mut roots: Vec<(i64, usize)> = Vec::new();
        for (n, &step) in created.iter().enumerate() {
            let doc = plan.pending[n].doc;
            let Some(step_id) = self.index.entry(step).id else {
                continue;
            };
            let stage_of_step = self.index.entry(step).profile.stage;
            // A continuation joins the thread of the step it continues.
            if !stage_of_step.is_opening() {
                let anchor = self
                    .best_anchor(step)
                    .and_then(|a| self.index.entry(a).id.map(|id| (a, id)));
                if anchor.is_none() {
                    reasons.insert(step_id, STANDS_ALONE.to_string());
                }
                if let Some((anchor, anchor_id)) = anchor {
                    let anchor_entry = self.index.entry(anchor);
                    reasons.insert(
                        step_id,
                        thread_reason(
                            &self.index.entry(step).profile,
                            &anchor_entry.profile,
                            anchor_id,
                        ),
                    );
                    let root = anchor_entry.thread_root.unwrap_or(anchor_id);
                    // An anchor that continues this very event (same day) would make a cycle.
                    if root != step_id {
                        if anchor_entry.thread_root.is_none() {
                            moves.insert(anchor_id, root);
                            plan.touched(doc, anchor_id);
                        }
                        // Events that already continue this one come along.
                        if self.index.entry(step).thread_root == Some(step_id) {
                            rehome(&mut moves, &mut self.index, step_id, root);
                        }
                        moves.insert(step_id, root);
                        self.index.entry_mut(anchor).thread_root = Some(root);
                        self.index.entry_mut(step).thread_root = Some(root);
                        roots.push((root, doc));
                    }
                }
            }
            if stage_of_step.is_terminal() {
                continue;
            }
            // Continuations stored before this step (documents read out of order)
            // join its thread.
            let profile = self.index.entry(step).profile.clone();
            let fingerprint = self.index.entry(step).fingerprint.clone();
            let later = [
                Stage::Ruled,
                Stage::Appealed,
                Stage::Reversed,
                Stage::Settled,
                Stage::Dismissed,
                Stage::Withdrawn,
                Stage::Lifted,
                Stage::Closed,
                Stage::Resumed,
            ];
            for orphan in self.index.candidates(&profile, &fingerprint, &later) {
                let entry = self.index.entry(orphan);
                let Some(orphan_id) = entry.id else { continue };
                let root = self.index.entry(step).thread_root.unwrap_or(step_id);
                // Cheap tests first: most continuations of a company belong to
                // other threads, or to none within reach of this step.
                // An analyst's link or unlink holds against later ingests.
                if orphan == step
                    || orphan_id == root
                    || entry.corrected.iter().any(|f| f == "thread_id")
                    || entry.thread_root.is_some_and(|r| r != orphan_id)
                    || anchor_score(&entry.profile, &profile).is_none()
                    || self.best_anchor(orphan) != Some(step)
                {
                    continue;
                }
                // The orphan may root a thread of its own (an appeal of its
                // ruling): all of it moves.
                let mut members = vec![orphan_id];
                if entry.thread_root == Some(orphan_id) {
                    members.extend(events_write::thread_member_ids(conn, orphan_id)?);
                }
                reasons.insert(orphan_id, thread_reason(&entry.profile, &profile, step_id));
                rehome(&mut moves, &mut self.index, orphan_id, root);
                for member in members {
                    moves.insert(member, root);
                    plan.touched(doc, member);
                }
                moves.insert(step_id, root);
                self.index.entry_mut(orphan).thread_root = Some(root);
                self.index.entry_mut(step).thread_root = Some(root);
                roots.push((root, doc));
            }
        }
        events_write::set_thread_reasons(conn, &reasons)?;
        if roots.is_empty() {
            return Ok(());
        }
        let moves: Vec<(i64, i64)> = moves.into_iter().collect();
        backend::set_thread_ids(conn, &moves, at)?;

        // Every event of a touched thread carries the status of its latest step.
        let root_ids: Vec<i64> = roots.iter().map(|(r, _)| *r).collect();
        let mut threads: BTreeMap<i64, Vec<ThreadStep>> = BTreeMap::new();
        for step in events_write::thread_steps(conn, &root_ids)? {
            threads
                .entry(step.thread_id.unwrap_or(step.id))
                .or_default()
                .push(step);
        }
        let mut stale: BTreeMap<String, Vec<(i64, usize)>> = BTreeMap::new();
        for (root, steps) in &threads {
            let doc = roots
                .iter()
                .find(|(r, _)| r == root)
                .map_or(roots[0].1, |(_, d)| *d);
            let kinds: Vec<EventKind> = steps
                .iter()
                .map(|s| s.kind.parse().unwrap_or(EventKind::Lawsuit))
                .collect();
            let order: Vec<Step> = steps
                .iter()
                .zip(&kinds)
                .map(|(s, &kind)| Step {
                    stage: stored_stage(kind, &s.action, s.status.as_deref()),
                    date: stored_date(s.occurred_on, s.date_precision.as_deref()),
                    id: s.id,
                })
                .collect();
            let Some(last) = latest(&order) else { continue };
            let status = steps[last]
                .status
                .clone()
                .unwrap_or_else(|| order[last].stage.status(kinds[last]).to_string());
            for s in steps {
                if s.thread_status.as_deref() != Some(status.as_str())
                    && !s.corrected_fields.contains("\"thread_status\"")
                {
                    stale.entry(status.clone()).or_default().push((s.id, doc));
                }
            }
        }
        for (status, events) in stale {
            let ids: Vec<i64> = events.iter().map(|(id, _)| *id).collect();
            events_write::set_thread_status(conn, &ids, &status, at)?;
            for (id, doc) in events {
                plan.touched(doc, id);
            }
        }
        Ok(())
    }
}

/// The reason stored for a later step that found no earlier step of its story.
pub const STANDS_ALONE: &str = "stands alone: no earlier step of its story on record";

/// Why `step` continues `anchor` (event `anchor_id`), for the analyst.
pub(crate) fn thread_reason(
    step: &crate::ingest::matching::Profile,
    anchor: &crate::ingest::matching::Profile,
    anchor_id: i64,
) -> String {
    let mut out = format!(
        "continues event {anchor_id}: {} {:?} after {:?}",
        step.kind, step.stage, anchor.stage
    );
    if let (Some(a), Some(_)) = (&anchor.authority, &step.authority) {
        out.push_str(&format!("; authority {a}"));
    }
    if let (Some(s), Some(a)) = (step.date, anchor.date) {
        out.push_str(&format!("; {} day(s) later", (s.date - a.date).num_days()));
    }
    out
}

/// Moves the thread rooted at `from`, as far as this batch and the index know
/// it, to the thread rooted at `to`.
fn rehome(moves: &mut BTreeMap<i64, i64>, index: &mut EventIndex, from: i64, to: i64) {
    for root in moves.values_mut() {
        if *root == from {
            *root = to;
        }
    }
    index.retarget_thread(from, to);
}

/// The columns of an event that later reports may fill in.
#[derive(Debug, Clone, PartialEq)]
struct Fields {
    occurred_on: Option<NaiveDate>,
    date_precision: Option<String>,
    status: Option<String>,
    amount: Option<f64>,
    currency: Option<String>,
    amount_usd: Option<i64>,
    authority: Option<String>,
    jurisdiction: Option<String>,
    parties: Vec<PartyEntry>,
    confidence: f64,
}

impl Fields {
    fn from_report(report: &Report) -> Fields {
        Fields {
            occurred_on: report.profile.date.map(|d| d.date),
            date_precision: report
                .profile
                .date
                .map(|d| d.precision.as_str().to_string()),
            status: Some(report.status.as_str().to_string()),
            amount: report.money.map(|m| m.amount()),
            currency: report.money.map(|m| m.currency().to_string()),
            amount_usd: report.profile.amount_usd,
            authority: report.profile.authority.clone(),
            jurisdiction: report.jurisdiction.as_ref().map(|j| j.to_string()),
            parties: report.parties.clone(),
            confidence: report.confidence.value(),
        }
    }

    fn from_row(row: &MatchRow) -> Fields {
        Fields {
            occurred_on: row.occurred_on,
            date_precision: row.date_precision.clone(),
            status: row.status.clone(),
            amount: row.amount,
            currency: row.currency.clone(),
            amount_usd: row.amount_usd,
            authority: row.authority.clone(),
            jurisdiction: row.jurisdiction.clone(),
            parties: serde_json::from_str(&row.parties).unwrap_or_default(),
            confidence: row.confidence,
        }
    }

    /// Takes from a report what these fields lack, where `may` allows.
    fn absorb(&mut self, report: &Report, may: &dyn Fn(&str) -> bool) {
        let current = stored_date(self.occurred_on, self.date_precision.as_deref());
        if let Some(date) = report.profile.date {
            let better = current.map_or(true, |c| date.refines(c));
            if better && may("occurred_on") && may("date_precision") {
                self.occurred_on = Some(date.date);
                self.date_precision = Some(date.precision.as_str().to_string());
            }
        }
        if self.status.is_none() && may("status") {
            self.status = Some(report.status.as_str().to_string());
        }
        let has_amount = report.money.is_some() || report.profile.amount_usd.is_some();
        if self.amount.is_none()
            && self.amount_usd.is_none()
            && has_amount
            && may("amount")
            && may("amount_usd")
            && may("currency")
        {
            self.amount = report.money.map(|m| m.amount());
            self.currency = report.money.map(|m| m.currency().to_string());
            self.amount_usd = report.profile.amount_usd;
        }
        if self.authority.is_none() && may("authority") {
            self.authority = report.profile.authority.clone();
        }
        if self.jurisdiction.is_none() && may("jurisdiction") {
            self.jurisdiction = report.jurisdiction.as_ref().map(|j| j.to_string());
        }
        if may("parties") {
            for party in &report.parties {
                let key = party_key(&party.name);
                if !self.parties.iter().any(|p| party_key(&p.name) == key) {
                    self.parties.push(party.clone());
                }
            }
        }
        if may("confidence") && report.confidence.value() > self.confidence {
            self.confidence = report.confidence.value();
        }
    }

    /// The changes that turn `before` into these fields.
    fn changes_from(&self, before: &Fields) -> EventChanges {
        fn diff<T: Clone + PartialEq>(new: &T, old: &T) -> Option<T> {
            (new != old).then(|| new.clone())
        }
        EventChanges {
            occurred_on: diff(&self.occurred_on, &before.occurred_on),
            date_precision: diff(&self.date_precision, &before.date_precision),
            status: diff(&self.status, &before.status),
            amount: diff(&self.amount, &before.amount),
            currency: diff(&self.currency, &before.currency),
            amount_usd: diff(&self.amount_usd, &before.amount_usd),
            authority: diff(&self.authority, &before.authority),
            jurisdiction: diff(&self.jurisdiction, &before.jurisdiction),
            parties: diff(&self.parties, &before.parties).map(|p| parties_json(&p)),
            confidence: diff(&self.confidence, &before.confidence),
            ..EventChanges::default()
        }
    }

    fn apply_to(&self, row: &mut MatchRow) {
        row.occurred_on = self.occurred_on;
        row.date_precision = self.date_precision.clone();
        row.status = self.status.clone();
        row.amount = self.amount;
        row.currency = self.currency.clone();
        row.amount_usd = self.amount_usd;
        row.authority = self.authority.clone();
        row.jurisdiction = self.jurisdiction.clone();
        row.parties = parties_json(&self.parties);
        row.confidence = self.confidence;
    }
}

/// The row of a new event as the database now holds it.
fn stored_row(id: i64, row: &NewEvent) -> MatchRow {
    MatchRow {
        id,
        kind: row.kind.clone(),
        action: row.action.clone(),
        status: row.status.clone(),
        occurred_on: row.occurred_on,
        date_precision: row.date_precision.clone(),
        amount: row.amount,
        currency: row.currency.clone(),
        amount_usd: row.amount_usd,
        authority: row.authority.clone(),
        jurisdiction: row.jurisdiction.clone(),
        parties: row.parties.clone(),
        confidence: row.confidence,
        review_state: row.review_state.clone(),
        corrected_fields: row.corrected_fields.clone(),
        fingerprint: row.fingerprint.clone(),
        thread_id: row.thread_id,
        thread_status: row.thread_status.clone(),
        document_count: row.document_count,
    }
}

fn parties_json(parties: &[PartyEntry]) -> String {
    serde_json::to_string(parties).unwrap_or_else(|_| "[]".to_string())
}

/// An event the batch creates.
struct Pending<'a> {
    entry: usize,
    /// The document that reported it first.
    doc: usize,
    report: &'a Report,
    fields: Fields,
    companies: Vec<(i64, crate::store::models::Role)>,
    /// Distinct documents of the batch that report it.
    documents: i64,
}

impl Pending<'_> {
    fn row(&self, at: NaiveDateTime) -> NewEvent {
        let r = self.report;
        NewEvent {
            kind: r.profile.kind.as_str().to_string(),
            action: r.profile.action.as_str().to_string(),
            status: self.fields.status.clone(),
            occurred_on: self.fields.occurred_on,
            date_precision: self.fields.date_precision.clone(),
            amount: self.fields.amount,
            currency: self.fields.currency.clone(),
            amount_usd: self.fields.amount_usd,
            authority: self.fields.authority.clone(),
            jurisdiction: self.fields.jurisdiction.clone(),
            parties: parties_json(&self.fields.parties),
            summary: r.summary.clone(),
            confidence: self.fields.confidence,
            review_state: ReviewState::Unreviewed.as_str().to_string(),
            review_note: None,
            corrected_fields: "[]".to_string(),
            origin: Origin::Extracted.as_str().to_string(),
            fingerprint: r.fingerprint.clone(),
            thread_id: None,
            // A thread of one step so far.
            thread_status: self.fields.status.clone(),
            document_count: self.documents,
            created_at: at,
            updated_at: at,
        }
    }
}

/// Reports of the batch that merge into an event stored before it.
struct Known<'a> {
    entry: usize,
    first_doc: usize,
    reports: Vec<&'a Report>,
    /// Distinct documents of the batch that report it.
    documents: i64,
}

/// A mention to insert.
struct PendingMention<'a> {
    entry: usize,
    document_id: i64,
    report: &'a Report,
    merged: Option<Match>,
    at: NaiveDateTime,
}

/// What one document did.
#[derive(Debug, Default)]
struct Tally {
    entries: Vec<usize>,
    created: usize,
    merged: usize,
    /// Events stored before the batch that this document changed.
    updated: HashSet<i64>,
}

/// The writes a batch will make, worked out report by report.
#[derive(Default)]
struct Plan<'a> {
    pending: Vec<Pending<'a>>,
    pending_of: HashMap<usize, usize>,
    known: Vec<Known<'a>>,
    known_of: HashMap<usize, usize>,
    mentions: Vec<PendingMention<'a>>,
    mentioned: HashSet<(usize, i64)>,
    links: Vec<NewEventCompany>,
    tallies: HashMap<usize, Tally>,
    created_ids: HashSet<i64>,
}

impl<'a> Plan<'a> {
    /// Records that `doc` changed the stored event `id` (not one the batch created).
    fn touched(&mut self, doc: usize, id: i64) {
        if !self.created_ids.contains(&id) {
            self.tallies.entry(doc).or_default().updated.insert(id);
        }
    }

    /// Merges a report into the best-matching known event, or creates one.
    fn place(
        &mut self,
        index: &mut EventIndex,
        registry: &Registry,
        report: &'a Report,
        doc: usize,
        document_id: i64,
        at: NaiveDateTime,
    ) {
        let profile = &report.profile;
        let unlinked = profile.companies.is_empty();
        let ticker = |id: i64| registry.ticker(id);
        let best = index
            .candidates(profile, &report.fingerprint, &[profile.stage])
            .into_iter()
            .filter_map(|pos| {
                let entry = index.entry(pos);
                let same = entry.fingerprint == report.fingerprint
                    && entry.profile.companies.is_empty() == unlinked;
                let found = if same {
                    // The same kind, step, subjects, authority and date: the same
                    // event, however little else the reports say (a near-copy of a
                    // document must never make a second one).
                    Some(Match {
                        score: 1.0,
                        reason: format!(
                            "{} {:?}: same companies or parties, authority and date",
                            profile.kind, profile.stage
                        ),
                    })
                } else if unlinked {
                    None
                } else {
                    score(profile, &entry.profile, &ticker)
                };
                found.map(|m| (pos, m))
            })
            // Equal scores go to the oldest event: stored ones by id, then those of
            // this batch in order of creation. (Not by position in the index, which
            // depends on what this process loaded when: a rerun after an
            // interruption would merge otherwise than an uninterrupted run.)
            .max_by(|(a, x), (b, y)| {
                let age = |at: usize| (index.entry(at).id.unwrap_or(i64::MAX), at);
                x.score.total_cmp(&y.score).then(age(*b).cmp(&age(*a)))
            });

        let new_mention = |plan: &mut Plan<'a>, entry: usize, merged: Option<Match>| -> bool {
            if !plan.mentioned.insert((entry, document_id)) {
                return false;
            }
            plan.mentions.push(PendingMention {
                entry,
                document_id,
                report,
                merged,
                at,
            });
            true
        };

        tracing::debug!(
            doc = doc,
            kind = %profile.kind,
            action = %profile.action,
            companies = ?profile.companies,
            best = ?best.as_ref().map(|(at, m)| (index.entry(*at).id, m.score)),
            "placing report"
        );
        let tally_entry;
        match best {
            Some((entry, found)) => {
                let first_of_doc = new_mention(self, entry, Some(found));
                if let Some(&n) = self.pending_of.get(&entry) {
                    let pending = &mut self.pending[n];
                    pending.fields.absorb(report, &|_| true);
                    for &(company, role) in &report.companies {
                        if !pending.companies.iter().any(|(c, _)| *c == company) {
                            pending.companies.push((company, role));
                        }
                    }
                    if first_of_doc {
                        pending.documents += 1;
                    }
                } else {
                    let n = match self.known_of.get(&entry) {
                        Some(&n) => n,
                        None => {
                            self.known.push(Known {
                                entry,
                                first_doc: doc,
                                reports: Vec::new(),
                                documents: 0,
                            });
                            self.known_of.insert(entry, self.known.len() - 1);
                            self.known.len() - 1
                        }
                    };
                    let known = &mut self.known[n];
                    known.reports.push(report);
                    if first_of_doc {
                        known.documents += 1;
                    }
                }
                // Later reports of the batch match against what the event now says.
                let may_grow = index.entry(entry).may_change("companies");
                if may_grow {
                    index.add_companies(entry, &profile.companies);
                }
                let current = index.entry(entry);
                let refine = profile.date.is_some_and(|d| {
                    current.profile.date.map_or(true, |c| d.refines(c))
                        && current.may_change("occurred_on")
                });
                if refine {
                    index.entry_mut(entry).profile.date = profile.date;
                }
                let tally = self.tallies.entry(doc).or_default();
                tally.merged += 1;
                tally_entry = entry;
            }
            None => {
                let entry = index.add(Entry {
                    id: None,
                    profile: profile.clone(),
                    review: ReviewState::Unreviewed,
                    corrected: Vec::new(),
                    thread_root: None,
                    fingerprint: report.fingerprint.clone(),
                });
                self.pending_of.insert(entry, self.pending.len());
                self.pending.push(Pending {
                    entry,
                    doc,
                    report,
                    fields: Fields::from_report(report),
                    companies: report.companies.clone(),
                    documents: 1,
                });
                new_mention(self, entry, None);
                self.tallies.entry(doc).or_default().created += 1;
                tally_entry = entry;
            }
        }
        self.tallies
            .entry(doc)
            .or_default()
            .entries
            .push(tally_entry);
    }
}
