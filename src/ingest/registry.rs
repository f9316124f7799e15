//! The extractor over the companies of the database.
//!
//! The extractor must find the companies the database knows, imported ones
//! included, and nothing else; so it is built from the store's company
//! directory ([`crate::store::directory`]). Building it takes a while, so one is
//! kept per process and rebuilt only when the directory's stamp changes
//! (another count of companies or aliases, a later `updated_at`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::extract::Extractor;
use crate::registry::{Alias, AliasKind, CompanyRecord};
use crate::store::directory::{self, Companies, Stamp};
use crate::store::{DbConnection, StoreResult};

/// The companies of the database as the extractor and the writer need them.
pub struct Registry {
    pub extractor: Extractor,
    /// Company id by ticker, former tickers included.
    pub company_ids: HashMap<String, i64>,
    /// Ticker by company id.
    pub tickers: HashMap<i64, String>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry")
            .field("companies", &self.tickers.len())
            .finish()
    }
}

impl Registry {
    /// The id of the company with this ticker.
    pub fn company_id(&self, ticker: &str) -> Option<i64> {
        self.company_ids.get(ticker).copied().or_else(|| {
            crate::registry::normalize_ticker(ticker)
                .and_then(|t| self.company_ids.get(&t).copied())
        })
    }

    /// The ticker of a company id, for messages.
    pub fn ticker(&self, id: i64) -> String {
        self.tickers
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("company {id}"))
    }
}

fn build(companies: &Companies, history: Vec<crate::registry::history::Period>) -> Registry {
    let entries = companies.entries();
    let mut records: Vec<CompanyRecord> = Vec::with_capacity(entries.len());
    let mut company_ids = HashMap::with_capacity(entries.len());
    let mut tickers = HashMap::with_capacity(entries.len());
    for entry in entries {
        company_ids.insert(entry.ticker.clone(), entry.id);
        tickers.insert(entry.id, entry.ticker.clone());
    }
    for (id, former) in companies.former_tickers() {
        company_ids
            .entry(former.to_ascii_uppercase())
            .or_insert(*id);
    }
    for entry in entries {
        records.push(CompanyRecord {
            ticker: entry.ticker.clone(),
            name: entry.name.clone(),
            cik: entry.cik,
            exchange: entry.exchange.clone(),
            aliases: entry
                .aliases
                .iter()
                .filter_map(|a| {
                    AliasKind::parse(&a.kind).map(|kind| Alias {
                        text: a.text.clone(),
                        kind,
                    })
                })
                .collect(),
            former_tickers: entry.former_tickers.clone(),
        });
    }
    Registry {
        extractor: Extractor::new(&records).with_history(history),
        company_ids,
        tickers,
    }
}

/// The registry of the database, from the process's cache when the database has
/// not changed since it was built.
pub fn current(conn: &mut DbConnection) -> StoreResult<Arc<Registry>> {
    static CACHE: Mutex<Vec<(String, Stamp, Arc<Registry>)>> = Mutex::new(Vec::new());
    // Each database (a server may hold several stores in tests) has its own entry.
    let key = directory::database_key(conn);
    let stamp = directory::stamp(conn)?;
    if let Ok(cache) = CACHE.lock() {
        if let Some((_, _, registry)) = cache.iter().find(|(k, s, _)| *k == key && *s == stamp) {
            return Ok(Arc::clone(registry));
        }
    }
    let history = crate::store::history::all(conn)?;
    let registry = Arc::new(build(&directory::read(conn)?, history));
    if let Ok(mut cache) = CACHE.lock() {
        cache.retain(|(k, _, _)| *k != key);
        // A few databases at most: drop the oldest beyond that.
        if cache.len() >= 4 {
            cache.remove(0);
        }
        cache.push((key, stamp, Arc::clone(&registry)));
    }
    Ok(registry)
}
