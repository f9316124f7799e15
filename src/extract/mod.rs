#![cfg_attr(not(test), deny(clippy::string_slice))]
//! The extraction pipeline: document in, events out. No database, no HTTP.
//!
//! Rule-based information extraction in stages, each adding annotations over byte spans of
//! the normalised text; later stages read them and nothing is re-scanned for the same
//! purpose:
//!
//! 1. **Normalize** ([`normalize`]): raw document + format -> text, sections, metadata
//!    (publication date, filer of a filing).
//! 2. **Segment** ([`text`]): tokens, sentences and paragraphs with byte spans; robust to
//!    "Inc.", "U.S.", "v.", "No. 5", "Jan. 10", "$1.5 billion"; a line without final
//!    punctuation (a headline) is its own sentence.
//! 3. **Mentions**: companies ([`companies`]: one Aho-Corasick automaton over all registry
//!    aliases, word boundaries, case checks, context checks for names that are common
//!    words, explicit tickers), authorities ([`authorities`]: courts, juries, agencies,
//!    legislatures, with jurisdictions), money ([`money`]), dates ([`dates`], resolved
//!    against the publication date and earlier dates), and referring phrases ([`coref`]:
//!    "the company", "the bank", "It", and "we" / "the Company" for a filer).
//! 4. **Triggers** ([`triggers`]): words and phrases that can signal an event, with a
//!    candidate kind and action ([`triggers::lexicon`], data in `lexicon/triggers.tsv`),
//!    kept only in their event sense ([`triggers::sense`], [`triggers::halt`]).
//! 5. **Modality** ([`mod@triggers::modality`]): negation, hedging, threats, plans, requests,
//!    denied or unconfirmed reports: only facts go on.
//! 6. **Arguments** ([`args`]), one finder each: roles ([`args::roles`]: local patterns in
//!    active and passive voice, "against X", "X's permits", "by X", then the nearest
//!    company, then earlier sentences), parties that are not listed companies
//!    ([`args::parties`]), the authority ([`args::authority`]), the kind, action and
//!    status ([`args::kind`]: the authority decides ambiguous triggers, a court's order
//!    is a lawsuit ruling, an agency's a regulatory action), the amount
//!    ([`args::amount`]) and the date ([`args::date`]). Between the finders, [`gates`]
//!    drop readings that make no event (procedural steps, generic suits, ...).
//! 7. **Events** ([`assemble`]): one candidate event per surviving trigger, with evidence,
//!    confidence and a summary ([`summary`]).
//! 8. **Merge** ([`merge`]): the mentions of one event within the document become one
//!    (same kind, shared ticker, compatible roles, action and date).
//!
//! Word lists are data, one file per lexicon, in `lexicon/` ([`lexicon`]). [`view`] holds
//! what stages 1-3 found, as the later stages read it.
//!
//! What is deliberately *not* an event: threats and plans, hypotheticals and risk-factor
//! language, proposed legislation, denials, figurative uses ("followed suit"), launches and
//! resumptions, stock drops and analysts' opinions, dividend suspensions and layoffs, and
//! **trading halts of a stock** (exchange volatility pauses, LULD halts, exchange glitches):
//! those stop trading in the shares, not a service of the company, so they are never
//! service halts.
//!
//! ```
//! use riskline::extract::{Extractor, Format, Kind};
//! use riskline::registry::CompanyRecord;
//! let gm = CompanyRecord::new("GM".into(), "General Motors Co", None, None);
//! let ex = Extractor::new(&[gm]);
//! let out = ex.extract("General Motors halted its driverless service on Monday.", Format::Text,
//!     chrono::NaiveDate::from_ymd_opt(2026, 1, 23));
//! assert_eq!(out.events[0].kind, Kind::ServiceHalt);
//! assert_eq!(out.events[0].tickers, vec!["GM"]);
//! ```

pub mod args;
pub mod assemble;
pub mod authorities;
pub mod companies;
pub mod coref;
pub mod dates;
pub mod gates;
pub mod guard;
pub mod lexicon;
pub mod merge;
pub mod money;
pub mod normalize;
pub mod span;
pub mod summary;
pub mod text;
pub mod triggers;
pub mod types;
pub mod view;

use std::sync::LazyLock;

pub use normalize::{Filer, Format, Normalized, Section};
pub use types::{CompanyRef, Event, Evidence, Kind, Party, Role};

use companies::{CompanyIndex, Mention};

/// The extractor: the company index with its alias automaton, built once and shared
/// (it is `Send + Sync`).
#[derive(Debug)]
pub struct Extractor {
    index: CompanyIndex,
    /// Companies as they were on a day: a mention is linked to the listed company it
    /// stood for on the document's date ([`crate::registry::history`]).
    history: crate::registry::history::History,
}

/// The result of extracting one raw document: the normalised document (evidence offsets
/// are byte offsets into `document.text`) and its events.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Extraction {
    /// The document as normalised: its clean text, title, date and sections.
    pub document: Normalized,
    /// The events found, repeated mentions of one event merged.
    pub events: Vec<Event>,
}

impl Extractor {
    /// Builds an extractor over registry records.
    pub fn new(records: &[crate::registry::CompanyRecord]) -> Extractor {
        Extractor {
            index: CompanyIndex::new(records),
            history: crate::registry::history::builtin().clone(),
        }
    }

    /// This extractor with more company history (imported periods) beside the
    /// built-in table.
    #[must_use]
    pub fn with_history(
        mut self,
        periods: impl IntoIterator<Item = crate::registry::history::Period>,
    ) -> Extractor {
        self.history.extend(periods);
        self
    }

    /// The extractor over the built-in registry, built on first use.
    pub fn builtin() -> &'static Extractor {
        static BUILTIN: LazyLock<Extractor> =
            LazyLock::new(|| Extractor::new(crate::registry::builtin()));
        &BUILTIN
    }

    /// The company index (for callers that need names of tickers).
    pub fn companies(&self) -> &CompanyIndex {
        &self.index
    }

    /// Normalises a raw document and extracts its events. `published_at` overrides the
    /// date found in the document.
    pub fn extract(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<chrono::NaiveDate>,
    ) -> Extraction {
        self.extract_at(raw, format, published_at.map(dates::Published::day))
    }

    /// [`Extractor::extract`] with a publication date known to a precision
    /// (`2021-10`): dates worked out from it are no more precise than it.
    pub fn extract_at(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<dates::Published>,
    ) -> Extraction {
        self.extract_from(raw, format, published_at, None)
    }

    /// [`Extractor::extract_at`] for a document whose address (URL, path or
    /// origin) is known: a filing that does not state its filer gets the one its
    /// EDGAR address names (see [`normalize::filer_hint`]), so "the Company" and
    /// "we" resolve.
    pub fn extract_from(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<dates::Published>,
        origin: Option<&str>,
    ) -> Extraction {
        #[cfg(feature = "fault-injection")]
        if raw.contains("riskline-fault-injection: panic") {
            panic!("fault injected for a test");
        }
        let mut document = normalize::normalize(raw, format);
        if document.filer.is_none() {
            document.filer = origin.and_then(|o| self.filer_of(o));
        }
        let events = self.extract_normalized_at(&document, published_at);
        Extraction { document, events }
    }

    /// The registry company an address names as a filer, as a [`Filer`].
    fn filer_of(&self, origin: &str) -> Option<Filer> {
        let idx = match normalize::filer_hint(origin)? {
            normalize::FilerHint::Cik(cik) => self.index.by_cik(cik),
            normalize::FilerHint::Ticker(t) => self.index.by_ticker(&t),
        }?;
        let company = self.index.company(idx);
        Some(Filer {
            name: company.name.clone(),
            cik: company.cik,
            form_type: None,
            filed_on: None,
        })
    }

    /// [`Extractor::extract_from`], contained like [`Extractor::try_extract`].
    pub fn try_extract_from(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<dates::Published>,
        origin: Option<&str>,
    ) -> Result<Extraction, guard::InternalError> {
        guard::contain(|| self.extract_from(raw, format, published_at, origin))
    }

    /// [`Extractor::extract`], contained: a bug that panics on this document becomes an
    /// [`guard::InternalError`] for it alone (see [`guard`]). Batches, servers and
    /// every command call this one.
    pub fn try_extract(
        &self,
        raw: &str,
        format: Format,
        published_at: Option<dates::Published>,
    ) -> Result<Extraction, guard::InternalError> {
        self.try_extract_from(raw, format, published_at, None)
    }

    /// Extracts the events of an already normalised document.
    pub fn extract_normalized(
        &self,
        doc: &Normalized,
        published_at: Option<chrono::NaiveDate>,
    ) -> Vec<Event> {
        self.extract_normalized_at(doc, published_at.map(dates::Published::day))
    }

    /// [`Extractor::extract_normalized`] with a publication date known to a precision.
    pub fn extract_normalized_at(
        &self,
        doc: &Normalized,
        published_at: Option<dates::Published>,
    ) -> Vec<Event> {
        let published_at = published_at.or(doc.published_at.map(dates::Published::day));
        let published = published_at.map(|p| p.date);
        let seg = text::Segmented::new(&doc.text);
        let named = self.index.find(&seg);
        let filer = doc.filer.as_ref().and_then(|f| {
            f.cik
                .and_then(|c| self.index.by_cik(c))
                .or_else(|| self.index.by_name(&f.name))
        });
        let refs = coref::resolve(&seg, &self.index, &named, filer);
        let mut mentions: Vec<(Mention, bool)> = named.iter().map(|m| (*m, false)).collect();
        // References that overlap no named mention and no reference taken before join
        // them. Named mentions are in text order and short, the references taken are
        // disjoint: both tests are binary searches, not scans of the document.
        let overlaps_named = |start: usize, end: usize| {
            let hi = named.partition_point(|m| m.start < end);
            named[..hi]
                .iter()
                .rev()
                .take_while(|m| m.start + 512 > start)
                .any(|m| m.end > start)
        };
        let mut taken: std::collections::BTreeMap<usize, usize> = Default::default();
        for r in refs {
            let (start, end) = (r.mention.start, r.mention.end);
            let overlaps_taken = taken
                .range(..end)
                .next_back()
                .is_some_and(|(_, &e)| e > start);
            if !overlaps_taken && !overlaps_named(start, end) {
                taken.insert(start, end);
                mentions.push((r.mention, r.weak));
            }
        }
        mentions.sort_by_key(|(m, _)| m.start);
        let authorities = authorities::find_authorities(&doc.text);
        let amounts = money::find_amounts(&doc.text);
        let date_exprs = dates::find_dates(&doc.text);
        let resolved = dates::resolve_all_at(&doc.text, &date_exprs, published_at);
        let skip: Vec<(usize, usize)> = doc
            .sections
            .iter()
            .filter(|s| {
                let n = s.name.to_ascii_lowercase();
                n.contains("risk") || n.contains("forward-looking") || n.contains("forward_looking")
            })
            .map(|s| (s.start, s.end))
            .chain(heading_skips(&doc.text))
            .collect();
        let filing = doc.filer.is_some()
            || matches!(doc.format, Format::Edgar)
            || looks_like_filing(&doc.text);
        let dominant =
            coref::dominant(&named).and_then(|c| named.iter().find(|m| m.company == c).copied());
        let view = view::DocView {
            dominant,
            seg: &seg,
            index: &self.index,
            mentions: &mentions,
            authorities: &authorities,
            amounts: &amounts,
            dates: &resolved,
            published,
            published_precision: published_at.map_or(dates::Precision::Day, |p| p.precision),
            skip: &skip,
            filing,
        };
        let mut events = assemble::extract_events(&view);
        if let Some(day) = published {
            self.link_as_of(&mut events, day);
        }
        events
    }

    /// Links each event's companies to the listed companies they stood for on `day`
    /// (the document's date): Philip Morris in 2001 is Altria's (MO), Activision
    /// Blizzard after October 2023 Microsoft's. A company this extractor does not know
    /// is never linked to.
    fn link_as_of(&self, events: &mut [Event], day: chrono::NaiveDate) {
        if self.history.is_empty() {
            return;
        }
        let then = |ticker: &crate::domain::Ticker| -> Option<(crate::domain::Ticker, String)> {
            let owner = self.history.owner_on(ticker.as_str(), day);
            if owner == ticker.as_str() {
                return None;
            }
            let idx = self.index.by_ticker(&owner)?;
            let t = crate::domain::Ticker::parse(&owner).ok()?;
            Some((t, self.index.company(idx).name.clone()))
        };
        for event in events.iter_mut() {
            let mut changed = false;
            for c in &mut event.companies {
                if let Some((t, name)) = then(&c.ticker) {
                    c.ticker = t;
                    c.name = name;
                    changed = true;
                }
            }
            if !changed {
                continue;
            }
            let mut seen = std::collections::HashSet::new();
            event.companies.retain(|c| seen.insert(c.ticker.clone()));
            let mut tickers: Vec<crate::domain::Ticker> = Vec::with_capacity(event.tickers.len());
            for t in &event.tickers {
                let t = then(t).map_or_else(|| t.clone(), |(t, _)| t);
                if !tickers.contains(&t) {
                    tickers.push(t);
                }
            }
            event.tickers = tickers;
        }
    }
}

/// Byte ranges under headings of hypothetical prose in plain text ("Item 1A. Risk
/// Factors", "Forward-Looking Statements", "Cautionary Note Regarding ..."): from the
/// heading to the next "Item N" heading or the end. Sections found by the normaliser
/// cover the same ground for HTML and EDGAR documents; this covers text cut from them.
fn heading_skips(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut open: Option<usize> = None;
    let mut pos = 0;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let t = line.trim();
        if t.is_empty() || t.len() > 90 {
            continue;
        }
        let low = t.trim_end_matches('.').to_ascii_lowercase();
        let item_heading = low.starts_with("item ")
            && span::from(&low, 5)
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit());
        let body = if item_heading {
            low.split_once(['.', ':', '-'])
                .map_or("", |(_, b)| b)
                .trim()
                .to_string()
        } else {
            low.clone()
        };
        let hypothetical = body == "risk factors"
            || body.starts_with("forward-looking statements")
            || body.starts_with("cautionary note")
            || body.starts_with("cautionary statement")
            || body.starts_with("special note regarding forward-looking");
        if hypothetical {
            open.get_or_insert(start);
        } else if item_heading {
            if let Some(s) = open.take() {
                out.push((s, start));
            }
        }
    }
    if let Some(s) = open {
        out.push((s, text.len()));
    }
    out
}

/// Filing prose: "the Company", "we" with legal-proceedings vocabulary, form names.
fn looks_like_filing(text: &str) -> bool {
    let cues = [
        "the Company",
        "Form 10-K",
        "Form 10-Q",
        "FORM 8-K",
        "Form 8-K",
        "Legal Proceedings",
        "LEGAL PROCEEDINGS",
        "Registrant",
        "we dispute",
        "We dispute",
        "our business",
        "putative class action",
    ];
    cues.iter().filter(|c| text.contains(*c)).count() >= 1
}
