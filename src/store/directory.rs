//! The company directory: every company of the database with its tickers,
//! former tickers and other names, read in one place for everyone.
//!
//! Ingestion builds its extractor and ticker map from a [`Companies`] snapshot
//! (rebuilt only when [`stamp`] says the companies changed); the API keeps a
//! [`Directory`] in memory so that a timeline request does not spend a query on
//! resolving its ticker, and asks it for close matches of an unknown one.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::models::AliasKind;
use super::schema::{companies, company_aliases};
use super::{DbConnection, StoreResult};

/// Another name of a company, with its stored kind (`name`, `brand`, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryAlias {
    /// The name as written (`company_aliases.alias`).
    pub text: String,
    /// Its kind as stored, e.g. `legal_name`, `brand` (`company_aliases.kind`).
    pub kind: String,
}

/// One company as the directory knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectoryEntry {
    /// Database id of the company (`companies.id`).
    pub id: i64,
    /// Current ticker, upper case (`companies.ticker`).
    pub ticker: String,
    /// Registered name (`companies.name`).
    pub name: String,
    /// SEC Central Index Key (`companies.cik`); `None` when not known.
    pub cik: Option<i64>,
    /// Listing exchange such as `NYSE` (`companies.exchange`); `None` when not known.
    pub exchange: Option<String>,
    /// Other names, in the order they were stored (former tickers apart).
    pub aliases: Vec<DirectoryAlias>,
    /// Former tickers, in the order they were stored, as stored.
    pub former_tickers: Vec<String>,
}

/// The companies at one moment, with tickers and former tickers indexed.
#[derive(Debug, Default, Clone)]
pub struct Companies {
    entries: Vec<DirectoryEntry>,
    by_ticker: HashMap<String, i64>,
    by_former: HashMap<String, i64>,
    /// `(company id, former ticker)` in the order they were stored.
    formers: Vec<(i64, String)>,
}

impl Companies {
    fn from_entries(entries: Vec<DirectoryEntry>) -> Companies {
        let mut companies = Companies::default();
        for entry in entries {
            companies.index(&entry);
            companies.entries.push(entry);
        }
        companies
    }

    fn index(&mut self, entry: &DirectoryEntry) {
        self.by_ticker.insert(entry.ticker.clone(), entry.id);
        for former in &entry.former_tickers {
            if let Some(t) = crate::registry::normalize_ticker(former) {
                self.by_former.entry(t).or_insert(entry.id);
            }
        }
    }

    /// Every former ticker as stored, with its company, in the order stored.
    pub fn former_tickers(&self) -> &[(i64, String)] {
        &self.formers
    }

    /// Every company, in id order (companies remembered later at the end).
    pub fn entries(&self) -> &[DirectoryEntry] {
        &self.entries
    }

    /// The company id of a ticker (normalized: any case, `.` or `-`), current
    /// tickers before former ones.
    pub fn lookup(&self, normalized: &str) -> Option<i64> {
        self.by_ticker
            .get(normalized)
            .or_else(|| self.by_former.get(normalized))
            .copied()
    }

    /// Tickers close to `query`: same prefix, a name starting with it, or a
    /// small edit distance; best first, at most `n`.
    pub fn suggestions(&self, query: &str, n: usize) -> Vec<String> {
        let upper = query.trim().to_ascii_uppercase();
        let lower = query.trim().to_lowercase();
        if upper.is_empty() {
            return Vec::new();
        }
        let allowed = if upper.chars().count() <= 3 { 1 } else { 2 };
        let mut scored: Vec<(usize, &str)> = Vec::new();
        for entry in &self.entries {
            let distance = edit_distance(&upper, &entry.ticker);
            let score = if entry.ticker.starts_with(&upper) || upper.starts_with(&entry.ticker) {
                Some(distance.min(allowed))
            } else if distance <= allowed {
                Some(distance)
            } else if lower.chars().count() >= 3 && entry.name.to_lowercase().starts_with(&lower) {
                Some(allowed + 1)
            } else {
                None
            };
            if let Some(score) = score {
                scored.push((score, &entry.ticker));
            }
        }
        scored.sort_by(|a, b| (a.0, a.1.len(), a.1).cmp(&(b.0, b.1.len(), b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, t)| t.to_string())
            .collect()
    }
}

/// Reads every company with its aliases and former tickers.
pub fn read(conn: &mut DbConnection) -> StoreResult<Companies> {
    type CompanyFields = (i64, String, String, Option<i64>, Option<String>);
    let rows: Vec<CompanyFields> = companies::table
        .select((
            companies::id,
            companies::ticker,
            companies::name,
            companies::cik,
            companies::exchange,
        ))
        .order(companies::id.asc())
        .load(conn)?;
    let aliases: Vec<(i64, String, String)> = company_aliases::table
        .select((
            company_aliases::company_id,
            company_aliases::alias,
            company_aliases::kind,
        ))
        .order(company_aliases::id.asc())
        .load(conn)?;
    let mut entries: Vec<DirectoryEntry> = Vec::with_capacity(rows.len());
    let mut position: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
    for (id, ticker, name, cik, exchange) in rows {
        position.insert(id, entries.len());
        entries.push(DirectoryEntry {
            id,
            ticker,
            name,
            cik,
            exchange,
            aliases: Vec::new(),
            former_tickers: Vec::new(),
        });
    }
    // Former tickers in the order they were stored: the first company to have
    // had a ticker keeps it.
    let mut formers: Vec<(i64, String)> = Vec::new();
    for (company_id, text, kind) in aliases {
        let Some(entry) = position.get(&company_id).and_then(|&i| entries.get_mut(i)) else {
            continue;
        };
        if kind == AliasKind::FormerTicker.as_str() {
            formers.push((company_id, text.clone()));
            entry.former_tickers.push(text);
        } else {
            entry.aliases.push(DirectoryAlias { text, kind });
        }
    }
    let mut companies = Companies::from_entries(entries);
    companies.by_former.clear();
    for (id, text) in &formers {
        if let Some(t) = crate::registry::normalize_ticker(text) {
            companies.by_former.entry(t).or_insert(*id);
        }
    }
    companies.formers = formers;
    Ok(companies)
}

/// What identifies a state of the companies in the database: equal stamps,
/// equal directories.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    companies: i64,
    last_company_change: Option<NaiveDateTime>,
    aliases: i64,
    last_alias: Option<i64>,
}

/// The stamp of the companies as they are now (two small aggregate queries).
pub fn stamp(conn: &mut DbConnection) -> StoreResult<Stamp> {
    let (companies, last_company_change) = companies::table
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(companies::updated_at),
        ))
        .get_result(conn)?;
    let (aliases, last_alias) = company_aliases::table
        .select((
            diesel::dsl::count_star(),
            diesel::dsl::max(company_aliases::id),
        ))
        .get_result(conn)?;
    Ok(Stamp {
        companies,
        last_company_change,
        aliases,
        last_alias,
    })
}

/// A name for the database a connection reaches (its file, or database, host
/// and port), for caches kept per database; empty when it cannot be told.
pub fn database_key(conn: &mut DbConnection) -> String {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = diesel::sql_types::Text)]
        name: String,
    }
    let query = match conn {
        DbConnection::Sqlite(_) => {
            "SELECT file AS name FROM pragma_database_list WHERE name = 'main'"
        }
        DbConnection::Pg(_) => {
            "SELECT current_database() || '@' || coalesce(inet_server_addr()::text, '') || ':' \
             || coalesce(inet_server_port()::text, '') AS name"
        }
    };
    diesel::sql_query(query)
        .get_result::<Name>(conn)
        .map(|n| n.name)
        .unwrap_or_default()
}

/// The companies kept in memory, shared by threads: read once, read again
/// after a company write, added to when a company is found in the database.
#[derive(Debug, Default)]
pub struct Directory {
    data: RwLock<Arc<Companies>>,
}

impl Directory {
    /// Loads every company.
    pub fn load(conn: &mut DbConnection) -> StoreResult<Directory> {
        let directory = Directory::default();
        directory.reload(conn)?;
        Ok(directory)
    }

    /// Reads the companies again (after a company write).
    pub fn reload(&self, conn: &mut DbConnection) -> StoreResult<()> {
        let companies = read(conn)?;
        let mut slot = self.data.write().unwrap_or_else(|e| e.into_inner());
        *slot = Arc::new(companies);
        Ok(())
    }

    /// The companies as they are now in memory.
    pub fn snapshot(&self) -> Arc<Companies> {
        self.data.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// See [`Companies::lookup`].
    pub fn lookup(&self, normalized: &str) -> Option<i64> {
        self.snapshot().lookup(normalized)
    }

    /// See [`Companies::suggestions`].
    pub fn suggestions(&self, query: &str, n: usize) -> Vec<String> {
        self.snapshot().suggestions(query, n)
    }

    /// Adds a company found in the database under `alias` (its ticker, or a
    /// former ticker, normalized).
    pub fn remember(&self, alias: &str, id: i64, ticker: &str, name: &str) {
        let mut slot = self.data.write().unwrap_or_else(|e| e.into_inner());
        let mut data = Companies::clone(&slot);
        if alias == ticker {
            data.by_ticker.insert(ticker.to_string(), id);
        } else {
            data.by_former.insert(alias.to_string(), id);
        }
        if !data.entries.iter().any(|e| e.id == id) {
            data.entries.push(DirectoryEntry {
                id,
                ticker: ticker.to_string(),
                name: name.to_string(),
                cik: None,
                exchange: None,
                aliases: Vec::new(),
                former_tickers: Vec::new(),
            });
        }
        *slot = Arc::new(data);
    }
}

/// Levenshtein distance between two strings, by characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("JPM", "JPM"), 0);
        assert_eq!(edit_distance("JPN", "JPM"), 1);
        assert_eq!(edit_distance("JP", "JPM"), 1);
        assert_eq!(edit_distance("GOOGL", "GOOG"), 1);
        assert_eq!(edit_distance("", "ABC"), 3);
    }

    fn entry(id: i64, ticker: &str, name: &str, former: &[&str]) -> DirectoryEntry {
        DirectoryEntry {
            id,
            ticker: ticker.to_string(),
            name: name.to_string(),
            cik: None,
            exchange: None,
            aliases: Vec::new(),
            former_tickers: former.iter().map(|t| t.to_string()).collect(),
        }
    }

    #[test]
    fn current_tickers_come_before_former_ones_and_misses_get_suggestions() {
        let companies = Companies::from_entries(vec![
            entry(1, "META", "Meta Platforms", &["FB"]),
            entry(2, "FB", "Another FB", &[]),
            entry(3, "JPM", "JPMorgan Chase", &[]),
        ]);
        assert_eq!(companies.lookup("FB"), Some(2));
        assert_eq!(companies.lookup("META"), Some(1));
        assert_eq!(companies.lookup("XYZ"), None);
        assert_eq!(companies.suggestions("JPN", 5), vec!["JPM".to_string()]);
        let directory = Directory::default();
        directory.remember("BRK-B", 9, "BRK-B", "Berkshire");
        assert_eq!(directory.lookup("BRK-B"), Some(9));
    }
}
