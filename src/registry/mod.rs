#![cfg_attr(not(test), deny(clippy::string_slice))]
//! The company registry: listed companies, their tickers and the names people write.
//!
//! Records come from three sources in the same shape:
//! - the built-in registry (`fixtures/companies.csv`, compiled into the binary),
//! - SEC's `company_tickers.json` (`{"0": {"cik_str", "ticker", "title"}, ...}`),
//! - SEC's `company_tickers_exchange.json` (`{"fields": [...], "data": [[cik, name, ticker, exchange], ...]}`),
//! - the project's CSV format (`ticker,name,cik,exchange,aliases,former_tickers`).
//!
//! This module is pure: it parses and normalises, it never touches a database.
//! Both the extractor (`crate::extract`) and the store (`riskline companies import`)
//! build on it.
//!
//! ```
//! let records = riskline::registry::builtin();
//! assert!(records.iter().any(|r| r.ticker == "JPM"));
//! ```

use std::path::Path;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

pub mod history;
pub mod names;
pub mod sec;
pub mod words;

pub use names::{base_name, recase};

/// The built-in registry, as shipped in the repository.
pub const BUILTIN_CSV: &str = include_str!("../../fixtures/companies.csv");

/// One listed company and the names that designate it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CompanyRecord {
    /// Today's US ticker, upper case (`BRK-B`).
    pub ticker: String,
    /// Legal name as registered (`JPMorgan Chase & Co.`).
    pub name: String,
    /// SEC Central Index Key, if known.
    pub cik: Option<i64>,
    /// Listing exchange (`NYSE`, `Nasdaq`, ...), if known.
    pub exchange: Option<String>,
    /// Names that designate the company, derived and declared, without duplicates.
    pub aliases: Vec<Alias>,
    /// Tickers the company traded under before.
    pub former_tickers: Vec<String>,
}

/// A name that designates a company.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    /// The name as written, e.g. `Cruise`.
    pub text: String,
    /// How the name designates the company (legal name, brand, subsidiary, ...).
    pub kind: AliasKind,
}

pub use crate::domain::AliasKind;
use crate::domain::Ticker;

/// A registry file that could not be read.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// Occurs when the file cannot be read from disk.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file, as given.
        path: String,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// Occurs when the content is neither SEC JSON nor the project's CSV.
    #[error("{path}: unrecognised registry format (expected SEC company_tickers JSON or CSV with header ticker,name,cik,exchange,aliases,former_tickers)")]
    UnknownFormat {
        /// The file, as given.
        path: String,
    },
    /// Occurs when one entry is malformed; `entry` names it (JSON key, or CSV line number).
    #[error("{path}: entry {entry}: {message}")]
    Entry {
        /// The file, as given.
        path: String,
        /// The JSON key or the CSV line number of the entry.
        entry: String,
        /// What is wrong with it.
        message: String,
    },
}

/// Parses a ticker (see [`Ticker::parse`]): upper case letters, digits and `-`, 1 to
/// 12 characters; class separators are normalised to a dash (`BRK.B` -> `BRK-B`).
pub fn normalize_ticker(raw: &str) -> Option<String> {
    Ticker::parse(raw).ok().map(String::from)
}

impl CompanyRecord {
    /// A record with the legal name and its derived aliases.
    pub fn new(ticker: String, name: &str, cik: Option<i64>, exchange: Option<String>) -> Self {
        let mut rec = CompanyRecord {
            ticker,
            name: recase(&names::clean(name)),
            cik,
            exchange,
            aliases: Vec::new(),
            former_tickers: Vec::new(),
        };
        let (aliases, by_initials) = names::derive(name, &rec.ticker);
        let last = aliases.len().saturating_sub(1);
        for (i, alias) in aliases.iter().enumerate() {
            // "AMD" for Advanced Micro Devices: the name news writes, not a legal one.
            let kind = if by_initials && i == last {
                AliasKind::ShortName
            } else {
                AliasKind::LegalName
            };
            rec.push_alias(alias, kind);
        }
        rec
    }

    /// Adds a declared alias (a registry file's `short:`, `brand:` ...): like
    /// [`CompanyRecord::push_alias`], but a derived legal-name alias of the same text
    /// takes the declared kind, so that a name written by hand is known as such.
    pub fn declare_alias(&mut self, text: &str, kind: AliasKind) {
        let text = text.trim();
        if let Some(a) = self
            .aliases
            .iter_mut()
            .find(|a| a.text.eq_ignore_ascii_case(text))
        {
            if a.kind == AliasKind::LegalName && kind != AliasKind::LegalName {
                a.kind = kind;
            }
            return;
        }
        self.push_alias(text, kind);
    }

    /// Adds an alias unless the same text (ignoring case) is already there.
    pub fn push_alias(&mut self, text: &str, kind: AliasKind) {
        let text = text.trim();
        if text.is_empty()
            || self
                .aliases
                .iter()
                .any(|a| a.text.eq_ignore_ascii_case(text))
        {
            return;
        }
        self.aliases.push(Alias {
            text: text.to_string(),
            kind,
        });
    }
}

/// Parses registry content; the format is recognised from the content itself.
/// `path` is only used in error messages.
pub fn parse(path: &str, content: &str) -> Result<Vec<CompanyRecord>, RegistryError> {
    let trimmed = content.trim_start_matches('\u{feff}').trim_start();
    if trimmed.starts_with('{') {
        sec::parse_json(path, trimmed).map(|entries| sec::records(&entries))
    } else if trimmed
        .lines()
        .next()
        .is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("ticker,name"))
    {
        parse_csv(path, trimmed)
    } else {
        Err(RegistryError::UnknownFormat {
            path: path.to_string(),
        })
    }
}

/// Reads and parses a registry file.
pub fn load_file(path: &Path) -> Result<Vec<CompanyRecord>, RegistryError> {
    let shown = path.display().to_string();
    let content = std::fs::read_to_string(path).map_err(|source| RegistryError::Io {
        path: shown.clone(),
        source,
    })?;
    parse(&shown, &content)
}

/// The generated list of every SEC-listed company (`riskline companies build-registry`).
pub const BUILTIN_SEC: &str = include_str!("../../fixtures/registry/sec-companies.tsv");

/// The built-in registry, parsed once: the curated companies of
/// `fixtures/companies.csv` (with their hand-written aliases), then every other company
/// of SEC's list (`fixtures/registry/sec-companies.tsv`) with the names the rules of
/// [`names`] derive.
pub fn builtin() -> &'static [CompanyRecord] {
    static RECORDS: LazyLock<Vec<CompanyRecord>> = LazyLock::new(|| {
        // Both files are checked by tests; a broken built-in file is a programming error.
        let curated = parse("fixtures/companies.csv", BUILTIN_CSV).unwrap_or_default();
        let sec = sec::parse_compact("fixtures/registry/sec-companies.tsv", BUILTIN_SEC)
            .unwrap_or_default();
        combine(curated, &sec)
    });
    &RECORDS
}

/// The curated records followed by SEC's other companies. Curated entries win: a
/// curated ticker keeps its names and only takes a missing CIK or exchange from SEC
/// (when the CIKs do not disagree); SEC's further tickers of a curated company, and
/// of any company, carry no names, so that a name finds the main listing.
pub fn combine(mut curated: Vec<CompanyRecord>, sec: &[sec::SecEntry]) -> Vec<CompanyRecord> {
    let mut by_ticker: std::collections::HashMap<String, usize> = curated
        .iter()
        .enumerate()
        .map(|(i, r)| (r.ticker.clone(), i))
        .collect();
    let mut named_ciks: std::collections::HashSet<i64> =
        curated.iter().filter_map(|r| r.cik).collect();
    for e in sec {
        if let Some(&i) = by_ticker.get(&e.ticker) {
            let have = &mut curated[i];
            if have.cik.map_or(true, |c| Some(c) == e.cik) {
                have.cik = have.cik.or(e.cik);
                named_ciks.extend(e.cik);
                if have.exchange.is_none() {
                    have.exchange.clone_from(&e.exchange);
                }
            }
            continue;
        }
        let named = e.cik.map_or(true, |c| named_ciks.insert(c));
        by_ticker.insert(e.ticker.clone(), curated.len());
        curated.push(sec::record(e, named));
    }
    curated
}

fn entry_err(path: &str, entry: impl Into<String>, message: impl Into<String>) -> RegistryError {
    RegistryError::Entry {
        path: path.to_string(),
        entry: entry.into(),
        message: message.into(),
    }
}

fn parse_csv(path: &str, content: &str) -> Result<Vec<CompanyRecord>, RegistryError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(content.as_bytes());
    let headers = reader
        .headers()
        .map_err(|e| entry_err(path, "line 1", format!("bad header: {e}")))?
        .clone();
    let col = |name: &str| headers.iter().position(|h| h.eq_ignore_ascii_case(name));
    let (Some(ti), Some(ni)) = (col("ticker"), col("name")) else {
        return Err(entry_err(
            path,
            "line 1",
            "header must contain ticker and name",
        ));
    };
    let (ci, ei, ai, fi) = (
        col("cik"),
        col("exchange"),
        col("aliases"),
        col("former_tickers"),
    );
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let line = i + 2;
        let entry = format!("line {line}");
        let row = row.map_err(|e| entry_err(path, &entry, e.to_string()))?;
        let get = |idx: Option<usize>| idx.and_then(|i| row.get(i)).unwrap_or("").trim();
        let raw_ticker = get(Some(ti));
        let ticker = normalize_ticker(raw_ticker).ok_or_else(|| {
            entry_err(
                path,
                &entry,
                format!("ticker {raw_ticker:?} is not a valid ticker"),
            )
        })?;
        let name = get(Some(ni));
        if name.is_empty() {
            return Err(entry_err(path, &entry, "name is empty"));
        }
        let cik = sec::parse_cik(
            path,
            &entry,
            &serde_json::Value::String(get(ci).to_string()),
        )?;
        let exchange = Some(get(ei).to_string()).filter(|s| !s.is_empty());
        let mut rec = CompanyRecord::new(ticker, name, cik, exchange);
        rec.name = name.to_string();
        for part in get(ai).split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let (kind, text) = part.split_once(':').ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!("alias {part:?} must be written kind:text"),
                )
            })?;
            let kind = AliasKind::parse(kind).ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!(
                        "alias kind {kind:?} is not one of short, brand, subsidiary, former, legal"
                    ),
                )
            })?;
            rec.declare_alias(text, kind);
        }
        for t in get(fi).split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let t = normalize_ticker(t).ok_or_else(|| {
                entry_err(
                    path,
                    &entry,
                    format!("former ticker {t:?} is not a valid ticker"),
                )
            })?;
            if !rec.former_tickers.contains(&t) {
                rec.former_tickers.push(t);
            }
        }
        out.push(rec);
    }
    Ok(out)
}

/// Merges records by ticker: later records add aliases and fill missing fields of earlier ones.
pub fn merge(base: &mut Vec<CompanyRecord>, extra: Vec<CompanyRecord>) {
    let mut index: std::collections::HashMap<String, usize> = base
        .iter()
        .enumerate()
        .map(|(i, r)| (r.ticker.clone(), i))
        .collect();
    for rec in extra {
        match index.get(&rec.ticker) {
            Some(&i) => {
                let have = &mut base[i];
                if have.cik.is_none() {
                    have.cik = rec.cik;
                }
                if have.exchange.is_none() {
                    have.exchange = rec.exchange;
                }
                for a in rec.aliases {
                    have.push_alias(&a.text, a.kind);
                }
                for t in rec.former_tickers {
                    if !have.former_tickers.contains(&t) {
                        have.former_tickers.push(t);
                    }
                }
            }
            None => {
                index.insert(rec.ticker.clone(), base.len());
                base.push(rec);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn initials_that_are_the_ticker_become_an_alias() {
        let ea = CompanyRecord::new("EA".into(), "Electronic Arts Inc.", None, None);
        assert!(ea.aliases.iter().any(|a| a.text == "EA"));
        let amd = CompanyRecord::new("AMD".into(), "ADVANCED MICRO DEVICES INC", None, None);
        assert!(amd.aliases.iter().any(|a| a.text == "AMD"));
        let jnj = CompanyRecord::new("JNJ".into(), "Johnson & Johnson", None, None);
        assert!(!jnj.aliases.iter().any(|a| a.text == "JNJ"));
    }

    #[test]
    fn sec_titles_become_readable_aliases() {
        assert_eq!(
            base_name("JPMORGAN CHASE & CO").as_deref(),
            Some("JPMorgan Chase")
        );
        assert_eq!(base_name("Apple Inc.").as_deref(), Some("Apple"));
        assert_eq!(
            base_name("GENERAL MOTORS CO").as_deref(),
            Some("General Motors")
        );
        assert_eq!(
            base_name("Meta Platforms, Inc.").as_deref(),
            Some("Meta Platforms")
        );
        assert_eq!(
            base_name("EXXON MOBIL CORP").as_deref(),
            Some("Exxon Mobil")
        );
        assert_eq!(base_name("Shell plc").as_deref(), Some("Shell"));
        assert_eq!(
            base_name("Goldman Sachs Group Inc").as_deref(),
            Some("Goldman Sachs")
        );
        assert_eq!(
            base_name("BERKSHIRE HATHAWAY INC /DE/").as_deref(),
            Some("Berkshire Hathaway")
        );
    }

    #[test]
    fn the_builtin_registry_parses_and_covers_large_companies() {
        let recs = parse("fixtures/companies.csv", BUILTIN_CSV).unwrap();
        assert!(recs.len() > 500, "only {} companies", recs.len());
        let mut seen = std::collections::HashSet::new();
        for r in &recs {
            assert!(
                seen.insert(r.ticker.clone()),
                "duplicate ticker {}",
                r.ticker
            );
        }
        let gm = recs.iter().find(|r| r.ticker == "GM").unwrap();
        assert!(gm
            .aliases
            .iter()
            .any(|a| a.text == "Cruise" && a.kind == AliasKind::Subsidiary));
        let meta = recs.iter().find(|r| r.ticker == "META").unwrap();
        assert!(meta.former_tickers.contains(&"FB".to_string()));
    }

    #[test]
    fn the_builtin_registry_holds_every_sec_company_and_the_curated_names() {
        let recs = builtin();
        assert!(recs.len() >= 9_000, "only {} companies", recs.len());
        let find = |t: &str| recs.iter().find(|r| r.ticker == t);
        // Curated entries win: their names and hand-written aliases are kept.
        let gm = find("GM").unwrap();
        assert!(gm
            .aliases
            .iter()
            .any(|a| a.text == "Cruise" && a.kind == AliasKind::Subsidiary));
        let meta = find("META").unwrap();
        assert_eq!(meta.name, "Meta Platforms, Inc.");
        assert!(meta.former_tickers.contains(&"FB".to_string()));
        // Small and mid caps come from SEC's list, with names derived by rule.
        let has = |t: &str, alias: &str| {
            find(t).is_some_and(|r| r.aliases.iter().any(|a| a.text == alias))
        };
        assert!(has("MTEX", "Mannatech"));
        assert!(has("SLVM", "Sylvamo"));
        assert!(has("TILE", "Interface"));
        assert!(has("OPY", "Oppenheimer"));
        assert!(has("KBR", "KBR"));
        // A further ticker of a company (a preferred share) carries no name.
        let pref = find("JPM-PC").unwrap();
        assert!(pref.aliases.is_empty() && pref.cik == Some(19617));
        let mut seen = std::collections::HashSet::new();
        assert!(recs.iter().all(|r| seen.insert(r.ticker.clone())));
    }

    #[test]
    fn combining_keeps_curated_names_and_names_only_the_main_listing() {
        let curated = parse(
            "c.csv",
            "ticker,name,cik,exchange,aliases,former_tickers\nACME,Acme Widgets Inc.,,,short:Acme,\n",
        )
        .unwrap();
        let sec = vec![
            sec::SecEntry {
                cik: Some(7),
                name: "ACME WIDGET HOLDINGS CORP".into(),
                ticker: "ACME".into(),
                exchange: Some("NYSE".into()),
            },
            sec::SecEntry {
                cik: Some(7),
                name: "ACME WIDGET HOLDINGS CORP".into(),
                ticker: "ACME-PA".into(),
                exchange: Some("NYSE".into()),
            },
            sec::SecEntry {
                cik: Some(8),
                name: "ZEPHYRINE TOOLS INC".into(),
                ticker: "ZPHT".into(),
                exchange: None,
            },
        ];
        let recs = combine(curated, &sec);
        assert_eq!(recs.len(), 3);
        assert_eq!(recs[0].name, "Acme Widgets Inc.");
        assert_eq!(
            (recs[0].cik, recs[0].exchange.as_deref()),
            (Some(7), Some("NYSE"))
        );
        assert!(!recs[0].aliases.iter().any(|a| a.text.contains("Holdings")));
        assert!(recs[1].aliases.is_empty());
        assert!(recs[2].aliases.iter().any(|a| a.text == "Zephyrine Tools"));
        // A curated ticker whose CIK disagrees takes nothing from SEC.
        let curated = parse(
            "c.csv",
            "ticker,name,cik,exchange,aliases,former_tickers\nACME,Acme Widgets Inc.,99,,,\n",
        )
        .unwrap();
        let recs = combine(curated, &sec);
        assert_eq!((recs[0].cik, recs[0].exchange.as_deref()), (Some(99), None));
    }

    #[test]
    fn declared_aliases_take_their_kind_over_derived_ones() {
        let csv = "ticker,name,cik,exchange,aliases,former_tickers\nCAT,Caterpillar Inc.,,,short:Caterpillar,\n";
        let rec = &parse("c.csv", csv).unwrap()[0];
        let cat = rec
            .aliases
            .iter()
            .find(|a| a.text == "Caterpillar")
            .unwrap();
        assert_eq!(cat.kind, AliasKind::ShortName);
    }

    #[test]
    fn tickers_are_normalised_or_refused() {
        assert_eq!(normalize_ticker(" brk.b ").as_deref(), Some("BRK-B"));
        assert_eq!(normalize_ticker("JPM").as_deref(), Some("JPM"));
        assert!(normalize_ticker("").is_none());
        assert!(normalize_ticker("J P M").is_none());
    }

    #[test]
    fn sec_exchange_json_parses_and_names_a_bad_entry() {
        let ok = r#"{"fields":["cik","name","ticker","exchange"],"data":[[19617,"JPMORGAN CHASE & CO","JPM","NYSE"]]}"#;
        let recs = parse("x.json", ok).unwrap();
        assert_eq!(recs[0].ticker, "JPM");
        assert_eq!(recs[0].cik, Some(19617));
        assert!(recs[0].aliases.iter().any(|a| a.text == "JPMorgan Chase"));
        let bad = r#"{"fields":["cik","name","ticker","exchange"],"data":[[1,"A","A","NYSE"],["x","B",null,"NYSE"]]}"#;
        let err = parse("x.json", bad).unwrap_err().to_string();
        assert!(err.contains("data[1]"), "{err}");
    }

    #[test]
    fn csv_aliases_need_a_known_kind() {
        let ok = "ticker,name,cik,exchange,aliases,former_tickers\nMETA,\"Meta Platforms, Inc.\",1326801,Nasdaq,short:Meta;former:Facebook;brand:Instagram,FB\n";
        let recs = parse("c.csv", ok).unwrap();
        assert_eq!(recs[0].former_tickers, vec!["FB"]);
        assert!(recs[0]
            .aliases
            .iter()
            .any(|a| a.text == "Facebook" && a.kind == AliasKind::FormerName));
        let bad = "ticker,name,cik,exchange,aliases,former_tickers\nX,Xco,,NYSE,nick:Ex,\n";
        let err = parse("c.csv", bad).unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("nick"), "{err}");
    }
}
