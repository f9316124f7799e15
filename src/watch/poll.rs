//! One poll of one source: fetch, find the items not handled yet, ingest each
//! through [`crate::ingest::ingest_raw`], remember it, and sum up.

use std::collections::HashSet;

use chrono::NaiveDateTime;
use rand::Rng;

use super::edgar::{self, Filing};
use super::http::{FetchError, Fetched, Tally};
use super::{next_delay, Watcher};
use crate::extract::Format;
use crate::ingest::source::{self, RawDocument};
use crate::ingest::{self, feed, published, Failure, IngestError, IngestOutcome};
use crate::store::models::{DocumentFormat, SourceKind};
use crate::store::sources::{self, ItemStatus, NewSourceItem, PollRecord, SourceRow, SourceType};
use crate::store::{companies, now, StoreError};

/// A feed item whose text is shorter than this, in bytes, carries only a summary:
/// with `fetch_pages`, its page is fetched.
const SUMMARY_BYTES: usize = 1_000;

/// Why a poll stopped.
#[derive(Debug, thiserror::Error)]
pub(super) enum PollError {
    /// Occurs when a fetch fails in a way worth retrying later.
    #[error(transparent)]
    Fetch(#[from] FetchError),
    /// Occurs when an answer is not what the source should serve.
    #[error("{0}")]
    Malformed(String),
    /// Occurs when the database fails.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// `(ETag, Last-Modified)` of a complete answer.
type Validators = (Option<String>, Option<String>);

/// A poll in progress.
pub(super) struct Poll<'a> {
    watcher: &'a Watcher,
    source: &'a SourceRow,
    tally: Tally,
    record: PollRecord,
    failures: Vec<Failure>,
}

impl<'a> Poll<'a> {
    pub(super) fn new(watcher: &'a Watcher, source: &'a SourceRow) -> Poll<'a> {
        Poll {
            watcher,
            source,
            tally: Tally::default(),
            record: PollRecord::default(),
            failures: Vec::new(),
        }
    }

    /// Fetches and ingests; `Ok(None)` when nothing changed (`304`).
    pub(super) fn run(&mut self) -> Result<Option<Validators>, PollError> {
        match self.source.kind() {
            SourceType::Feed => self.feed(),
            SourceType::EdgarCompany => self.edgar_company(),
            SourceType::EdgarLatest => self.edgar_latest(),
        }
    }

    /// The outcome to write to the source, and the items that failed.
    pub(super) fn finish(
        mut self,
        result: Result<Option<Validators>, PollError>,
        polled_at: NaiveDateTime,
    ) -> (PollRecord, Vec<Failure>) {
        let interval = self.source.fields.interval_secs;
        let (delay, error, validators) = match result {
            Ok(validators) => (next_delay(interval, 0, None, 0.0), None, validators),
            Err(err) => {
                let retry_after = match &err {
                    PollError::Fetch(fetch) => fetch.retry_after(),
                    _ => None,
                };
                // A refusal of ours (no SEC User-Agent, a private address) is
                // fixed by configuration, not by time: no backoff.
                let failures = match &err {
                    PollError::Fetch(FetchError::Refused { .. }) => 0,
                    _ => self.source.fields.consecutive_failures + 1,
                };
                let jitter = rand::thread_rng().gen::<f64>();
                let delay = next_delay(interval, failures, retry_after, jitter);
                (delay, Some(err.to_string()), None)
            }
        };
        self.record.polled_at = polled_at;
        self.record.next_due_at = polled_at
            + chrono::Duration::from_std(delay).unwrap_or(chrono::Duration::seconds(interval));
        self.record.error = error;
        self.record.validators = validators;
        self.record.requests = self.tally.requests;
        self.record.bytes = self.tally.bytes;
        (self.record, self.failures)
    }

    /// GETs a URL, conditionally with the source's validators when `conditional`.
    fn get(&mut self, url: &str, conditional: bool) -> Result<Fetched, FetchError> {
        let fields = &self.source.fields;
        let validators = if conditional {
            (fields.etag.as_deref(), fields.last_modified.as_deref())
        } else {
            (None, None)
        };
        self.watcher.client.get(url, validators, &mut self.tally)
    }

    /// GETs a URL as UTF-8 text; `None` on `304`.
    fn get_text(
        &mut self,
        url: &str,
        conditional: bool,
    ) -> Result<Option<(String, Validators)>, PollError> {
        match self.get(url, conditional)? {
            Fetched::NotModified => {
                self.record.not_modified = true;
                Ok(None)
            }
            Fetched::Body(body) => {
                let text = source::utf8(body.bytes)
                    .map_err(|e| PollError::Malformed(format!("{url}: {e}")))?;
                Ok(Some((text, (body.etag, body.last_modified))))
            }
        }
    }

    // ------------------------------------------------------------ feeds

    fn feed(&mut self) -> Result<Option<Validators>, PollError> {
        let url = self.source.fields.url.clone().unwrap_or_default();
        let Some((text, validators)) = self.get_text(&url, true)? else {
            return Ok(None);
        };
        let parsed = feed::parse(&text).map_err(|e| PollError::Malformed(format!("{url}: {e}")))?;
        let keys: Vec<String> = parsed.entries.iter().map(entry_key).collect();
        let seen = self.seen(&keys)?;
        for (entry, key) in parsed.entries.iter().zip(keys) {
            if !seen.contains(&key) {
                self.feed_item(entry, key, parsed.kind)?;
            }
        }
        if let Some(cut) = parsed.cut {
            // Validators are not kept: the next poll reads the whole feed again.
            self.record.items_failed += 1;
            self.failures.push(Failure {
                name: format!("{url}#{}", parsed.entries.len() + 1),
                reason: cut.clone(),
            });
            return Err(PollError::Malformed(format!("{url}: {cut}")));
        }
        Ok(Some(validators))
    }

    fn feed_item(
        &mut self,
        entry: &feed::Entry,
        key: String,
        container: DocumentFormat,
    ) -> Result<(), PollError> {
        let link = entry.link.clone().filter(|l| is_web(l));
        let Some((content, format)) = feed::as_document(entry) else {
            return self.item_failed(key, link, "feed item without title or text".to_string());
        };
        let mut raw = RawDocument {
            name: format!("{} {}", self.source.fields.name, key),
            input_bytes: content.len() as u64,
            content,
            format,
            container,
            url: link.clone(),
            origin: None,
            title: source::non_empty(entry.title.clone()),
            published_at: entry.published_at.map(published::Stated::exact),
            source: None,
        };
        let summary_only = entry.body.as_ref().map_or(0, String::len) < SUMMARY_BYTES;
        if self.source.fields.fetch_pages && summary_only {
            if let Some(link) = &link {
                match self.page(link)? {
                    Ok(page) => {
                        raw.input_bytes = page.len() as u64;
                        raw.content = page;
                        raw.format = Format::Html;
                        raw.container = DocumentFormat::Html;
                        raw.source = Some(SourceKind::News);
                    }
                    Err(reason) => return self.item_failed(key, Some(link.clone()), reason),
                }
            }
        }
        self.ingest(key, raw)
    }

    /// An article page as text; the inner error is the item's own failure
    /// (gone, too large, not text), the outer one stops the poll (retry later).
    fn page(&mut self, url: &str) -> Result<Result<String, String>, PollError> {
        match self.get(url, false) {
            Ok(Fetched::Body(body)) => Ok(source::utf8(body.bytes)),
            Ok(Fetched::NotModified) => Ok(Err(format!("{url} answered 304 to a plain GET"))),
            Err(err) => item_failure(err).map(Err),
        }
    }

    // ------------------------------------------------------------ EDGAR

    fn edgar_company(&mut self) -> Result<Option<Validators>, PollError> {
        let fields = &self.source.fields;
        let cik = fields.cik.unwrap_or_default();
        let urls = self.watcher.config.edgar.clone();
        let url = fields.url.clone().unwrap_or_else(|| urls.submissions(cik));
        let ticker = fields.ticker.clone();
        let Some((text, validators)) = self.get_text(&url, true)? else {
            return Ok(None);
        };
        let index = edgar::parse_submissions(&text, cik)
            .map_err(|e| PollError::Malformed(format!("{url}: {e}")))?;
        if let Some(name) = &index.name {
            let hint = index.tickers.first().cloned().or(ticker);
            self.ensure_filer(index.cik, name, hint.as_deref())?;
        }
        let forms = self.source.forms();
        let wanted: Vec<Filing> = index
            .filings
            .into_iter()
            .filter(|f| edgar::form_wanted(&f.form, &forms))
            .take(self.watcher.config.max_filings_per_poll)
            .collect();
        // A company's history beyond its newest filings is not fetched.
        self.filings(wanted)?;
        Ok(Some(validators))
    }

    fn edgar_latest(&mut self) -> Result<Option<Validators>, PollError> {
        let forms = self.source.forms();
        let urls = self.watcher.config.edgar.clone();
        let url = self
            .source
            .fields
            .url
            .clone()
            .unwrap_or_else(|| urls.latest(&forms));
        let Some((text, validators)) = self.get_text(&url, true)? else {
            return Ok(None);
        };
        let parsed = feed::parse(&text).map_err(|e| PollError::Malformed(format!("{url}: {e}")))?;
        let wanted: Vec<Filing> = parsed
            .entries
            .iter()
            .filter_map(|e| edgar::filing_of_entry(e.title.as_deref(), e.link.as_deref()?))
            .filter(|f| edgar::form_wanted(&f.form, &forms))
            .collect();
        let complete = self.filings(wanted)?;
        if let Some(cut) = parsed.cut {
            return Err(PollError::Malformed(format!("{url}: {cut}")));
        }
        // Filings left for the next poll must not hide behind a 304.
        Ok(Some(if complete { validators } else { (None, None) }))
    }

    /// Ingests the filings not handled yet, oldest first (`filings` is newest first).
    /// At most [`super::WatchConfig::max_filings_per_poll`] of them, the newest;
    /// `false` when more were left for the next poll.
    fn filings(&mut self, filings: Vec<Filing>) -> Result<bool, PollError> {
        let keys: Vec<String> = filings.iter().map(|f| f.accession.clone()).collect();
        let seen = self.seen(&keys)?;
        let mut unseen: Vec<Filing> = filings
            .into_iter()
            .filter(|f| !seen.contains(&f.accession))
            .collect();
        let max = self.watcher.config.max_filings_per_poll;
        let complete = unseen.len() <= max;
        unseen.truncate(max);
        unseen.reverse();
        for filing in unseen {
            self.filing(&filing)?;
        }
        Ok(complete)
    }

    /// Fetches one filing (its full submission; its primary document when the
    /// submission is over the size cap) and ingests it.
    fn filing(&mut self, filing: &Filing) -> Result<(), PollError> {
        let urls = self.watcher.config.edgar.clone();
        let key = filing.accession.clone();
        let full = urls.full_submission(filing);
        let (url, text, format) = match self.get(&full, false) {
            Ok(Fetched::Body(body)) => (full, source::utf8(body.bytes), Format::Edgar),
            Err(FetchError::TooLarge { .. }) if filing.primary_document.is_some() => {
                let primary = urls.primary_document(filing).unwrap_or_default();
                match self.page(&primary)? {
                    Ok(text) => (primary, Ok(text), Format::Html),
                    Err(reason) => return self.item_failed(key, Some(primary), reason),
                }
            }
            Ok(Fetched::NotModified) => {
                let reason = format!("{full} answered 304 to a plain GET");
                return self.item_failed(key, Some(full), reason);
            }
            Err(err) => {
                let reason = item_failure(err)?;
                return self.item_failed(key, Some(full), reason);
            }
        };
        let content = match text {
            Ok(content) => content,
            Err(reason) => return self.item_failed(key, Some(url), reason),
        };
        if format == Format::Edgar {
            if let Some(filer) = header_filer(&content) {
                self.ensure_filer(filer.0, &filer.1, None)?;
            }
        }
        let raw = RawDocument {
            name: format!("{} {}", self.source.fields.name, key),
            input_bytes: content.len() as u64,
            content,
            format,
            container: source::container_format(format),
            url: Some(url),
            origin: None,
            title: None,
            published_at: None,
            source: Some(SourceKind::Filing),
        };
        self.ingest(key, raw)
    }

    fn ensure_filer(
        &mut self,
        cik: i64,
        name: &str,
        ticker: Option<&str>,
    ) -> Result<(), PollError> {
        let mut conn = self.watcher.store.conn()?;
        if let Some(added) = companies::ensure_filer(&mut conn, cik, name, ticker)? {
            tracing::info!(cik, ticker = %added, name, "added a filer the registry did not know");
        }
        Ok(())
    }

    // ------------------------------------------------------------ items

    fn seen(&mut self, keys: &[String]) -> Result<HashSet<String>, PollError> {
        let mut conn = self.watcher.store.conn()?;
        Ok(sources::seen_keys(&mut conn, self.source.id, keys)?)
    }

    /// Ingests a document and remembers its item.
    fn ingest(&mut self, key: String, raw: RawDocument) -> Result<(), PollError> {
        let url = raw.url.clone();
        let hash = ingest::content_hash(&raw.content);
        match ingest::ingest_raw(&self.watcher.store, raw) {
            Ok(outcome) => self.item_done(key, url, hash, &outcome),
            Err(IngestError::Store(err)) if !err.is_refusal() => Err(err.into()),
            Err(err) => self.item_failed(key, url, err.to_string()),
        }
    }

    fn item_done(
        &mut self,
        key: String,
        url: Option<String>,
        hash: String,
        outcome: &IngestOutcome,
    ) -> Result<(), PollError> {
        let status = if outcome.created {
            self.record.items_new += 1;
            ItemStatus::Stored
        } else {
            self.record.items_known += 1;
            ItemStatus::Known
        };
        self.remember(NewSourceItem {
            source_id: self.source.id,
            item_key: key,
            url,
            content_hash: Some(hash),
            document_id: Some(outcome.document_id),
            status: status.as_str().to_string(),
            error: None,
            seen_at: now(),
        })
    }

    fn item_failed(
        &mut self,
        key: String,
        url: Option<String>,
        reason: String,
    ) -> Result<(), PollError> {
        tracing::warn!(source = %self.source.fields.name, item = %key, reason = %reason, "item not stored");
        self.record.items_failed += 1;
        self.failures.push(Failure {
            name: format!("{} {}", self.source.fields.name, key),
            reason: reason.clone(),
        });
        self.remember(NewSourceItem {
            source_id: self.source.id,
            item_key: key,
            url,
            content_hash: None,
            document_id: None,
            status: ItemStatus::Failed.as_str().to_string(),
            error: Some(reason),
            seen_at: now(),
        })
    }

    /// Records an item and renews the lease (a long poll keeps its source).
    fn remember(&mut self, item: NewSourceItem) -> Result<(), PollError> {
        let mut conn = self.watcher.store.conn()?;
        sources::record_item(&mut conn, &item)?;
        let until = now() + chrono::Duration::seconds(self.watcher.config.lease_secs);
        sources::renew_lease(&mut conn, self.source.id, &self.watcher.config.owner, until)?;
        Ok(())
    }
}

/// A fetch error as an item's own failure, `Ok(reason)` (the page is gone,
/// refused, too large), or as the poll's, `Err` (the server is busy or
/// unreachable: the poll stops and the item is tried again later).
fn item_failure(err: FetchError) -> Result<String, PollError> {
    match &err {
        FetchError::Status {
            status: 400..=428 | 430..=499,
            ..
        } => Ok(err.to_string()),
        FetchError::TooLarge { .. }
        | FetchError::Refused { .. }
        | FetchError::TooManyRedirects { .. } => Ok(err.to_string()),
        _ => Err(err.into()),
    }
}

/// An item's key: the feed's id, else its link, else the hash of its content.
fn entry_key(entry: &feed::Entry) -> String {
    let key = entry
        .id
        .clone()
        .or_else(|| entry.link.clone())
        .unwrap_or_else(|| {
            let content = feed::as_document(entry).map(|(c, _)| c).unwrap_or_default();
            format!("sha256:{}", ingest::content_hash(&content))
        });
    // Keys are compared, not shown: a very long one is kept by its hash.
    if key.len() > 512 {
        format!("sha256:{}", ingest::content_hash(&key))
    } else {
        key
    }
}

fn is_web(link: &str) -> bool {
    let lower = link.trim().to_ascii_lowercase();
    (lower.starts_with("http://") || lower.starts_with("https://"))
        && !link.trim().chars().any(char::is_whitespace)
}

/// The filer's CIK and name from an EDGAR submission's SGML header.
fn header_filer(content: &str) -> Option<(i64, String)> {
    let tag = ["</SEC-HEADER>", "</IMS-HEADER>"]
        .into_iter()
        .find_map(|tag| content.find(tag).map(|at| at + tag.len()))?;
    let header = content.get(..tag)?;
    let normalized = crate::extract::normalize::normalize(header, Format::Edgar);
    let filer = normalized.filer?;
    Some((filer.cik?, filer.name))
}
