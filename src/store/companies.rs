//! The company registry in the database: import, look-up, listing and search.
//!
//! Registry files are parsed by [`crate::registry`]; this module writes the
//! records in one transaction. An import compares the records with the stored
//! rows in memory and writes only the differences, in batches: a re-import of
//! the same file writes nothing, and a 10 000-company SEC list takes a handful
//! of statements rather than a few per company.
//!
//! ```no_run
//! use riskline::store::{companies, Store};
//! let store = Store::open_and_migrate("riskline.db")?;
//! let mut conn = store.conn()?;
//! companies::ensure_builtin(&mut conn)?;
//! let jpm = companies::find_by_ticker(&mut conn, "jpm")?;
//! # Ok::<(), riskline::store::StoreError>(())
//! ```

use std::collections::{HashMap, HashSet};

use diesel::dsl::exists;
use diesel::prelude::*;
use diesel::sql_types::Text;

use super::backend::{insert_aliases, upsert_companies, write_transaction};
use super::models::{AliasKind, CompanyAliasRow, CompanyRow, NewCompany, NewCompanyAlias};
use super::schema::{companies, company_aliases};
use super::StoreResult;
use super::{now, DbConnection};
use crate::registry::{self, CompanyRecord};

#[diesel::declare_sql_function]
extern "SQL" {
    /// SQL `lower(text)`, the same on both backends for ASCII.
    fn lower(x: Text) -> Text;
}

/// What an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ImportSummary {
    /// Companies whose ticker was not in the database.
    pub inserted: usize,
    /// Companies whose name, CIK or exchange changed.
    pub updated: usize,
    /// Companies already stored as the file has them.
    pub unchanged: usize,
    /// Aliases (including former tickers) that were new.
    pub aliases_added: usize,
}

impl ImportSummary {
    /// Companies in the imported records, after merging repeated tickers.
    pub fn companies(&self) -> usize {
        self.inserted + self.updated + self.unchanged
    }
}

/// The form of an alias that search and matching compare: lower case, with
/// runs of whitespace collapsed to one space.
///
/// ```
/// assert_eq!(riskline::store::companies::normalize_alias("  JPMorgan   Chase "), "jpmorgan chase");
/// ```
pub fn normalize_alias(text: &str) -> String {
    text.split_whitespace()
        .map(str::to_lowercase)
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether two names differ only in letter case or punctuation. SEC writes many
/// titles in capitals without punctuation and the registry re-cases them by rule,
/// so such a difference says nothing about the company: the stored spelling,
/// perhaps written by hand, is kept.
fn same_name(a: &str, b: &str) -> bool {
    let key = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    key(a) == key(b)
}

/// Every alias of a record as `(text, kind)`, former tickers included.
fn record_aliases(record: &CompanyRecord) -> impl Iterator<Item = (&str, AliasKind)> {
    record
        .aliases
        .iter()
        .map(|a| (a.text.as_str(), a.kind))
        .chain(
            record
                .former_tickers
                .iter()
                .map(|t| (t.as_str(), AliasKind::FormerTicker)),
        )
}

/// Writes registry records: inserts new companies, updates those whose name, CIK
/// or exchange changed, adds missing aliases; all in one write transaction.
///
/// A field the records leave empty (a CIK, an exchange) keeps its stored value,
/// and aliases are never removed: a registry file adds knowledge, it does not
/// erase what another source or an analyst put there. Records repeating a
/// ticker are merged first.
pub fn import(conn: &mut DbConnection, records: &[CompanyRecord]) -> StoreResult<ImportSummary> {
    let mut merged = Vec::with_capacity(records.len());
    registry::merge(&mut merged, records.to_vec());
    write_transaction(conn, |conn| import_merged(conn, &merged))
}

fn import_merged(conn: &mut DbConnection, records: &[CompanyRecord]) -> StoreResult<ImportSummary> {
    let at = now();
    let stored: HashMap<String, CompanyRow> = companies::table
        .select(CompanyRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.fields.ticker.clone(), row))
        .collect();

    let mut summary = ImportSummary::default();
    let mut ids: HashMap<&str, i64> = HashMap::with_capacity(records.len());
    let mut writes = Vec::new();
    for record in records {
        let Some(row) = stored.get(&record.ticker) else {
            summary.inserted += 1;
            writes.push(NewCompany {
                ticker: record.ticker.clone(),
                name: record.name.clone(),
                cik: record.cik,
                exchange: record.exchange.clone(),
                parent_id: None,
                created_at: at,
                updated_at: at,
            });
            continue;
        };
        ids.insert(&record.ticker, row.id);
        let row = &row.fields;
        let name = if same_name(&row.name, &record.name) {
            &row.name
        } else {
            &record.name
        };
        let cik = record.cik.or(row.cik);
        let exchange = record.exchange.as_ref().or(row.exchange.as_ref());
        if *name == row.name && cik == row.cik && exchange == row.exchange.as_ref() {
            summary.unchanged += 1;
            continue;
        }
        summary.updated += 1;
        writes.push(NewCompany {
            ticker: record.ticker.clone(),
            name: name.clone(),
            cik,
            exchange: exchange.cloned(),
            parent_id: row.parent_id,
            created_at: row.created_at,
            updated_at: at,
        });
    }
    let written = upsert_companies(conn, &writes)?;
    let written: HashMap<String, i64> = written.into_iter().map(|(id, t)| (t, id)).collect();
    for record in records {
        if let Some(id) = written.get(&record.ticker) {
            ids.insert(&record.ticker, *id);
        }
    }

    let mut known: HashSet<(i64, String, String)> = company_aliases::table
        .select((
            company_aliases::company_id,
            company_aliases::alias_norm,
            company_aliases::kind,
        ))
        .load::<(i64, String, String)>(conn)?
        .into_iter()
        .collect();
    let mut new_aliases = Vec::new();
    for record in records {
        let Some(&company_id) = ids.get(record.ticker.as_str()) else {
            continue;
        };
        for (text, kind) in record_aliases(record) {
            let norm = normalize_alias(text);
            if norm.is_empty() || !known.insert((company_id, norm.clone(), kind.as_str().into())) {
                continue;
            }
            new_aliases.push(NewCompanyAlias {
                company_id,
                alias: text.trim().to_string(),
                alias_norm: norm,
                kind: kind.as_str().to_string(),
                created_at: at,
            });
        }
    }
    summary.aliases_added = insert_aliases(conn, &new_aliases)?;
    Ok(summary)
}

/// Loads the built-in registry when the companies table is empty, so that a new
/// database knows the listed companies without an import; returns what was
/// written, or `None` when companies were there already.
pub fn ensure_builtin(conn: &mut DbConnection) -> StoreResult<Option<ImportSummary>> {
    let any: bool =
        diesel::select(exists(companies::table.select(companies::id))).get_result(conn)?;
    if any {
        return Ok(None);
    }
    // Checked again inside the write transaction: two processes starting on an
    // empty database would otherwise both load it (harmless, but counted twice).
    write_transaction(conn, |conn| {
        let any: bool =
            diesel::select(exists(companies::table.select(companies::id))).get_result(conn)?;
        if any {
            return Ok(None);
        }
        import(conn, registry::builtin()).map(Some)
    })
}

/// Companies in ticker order, at most `limit` of them.
pub fn list(conn: &mut DbConnection, limit: Option<i64>) -> StoreResult<Vec<CompanyRow>> {
    let query = companies::table
        .select(CompanyRow::as_select())
        .order(companies::ticker.asc());
    match limit {
        Some(n) => Ok(query.limit(n).load(conn)?),
        None => Ok(query.load(conn)?),
    }
}

/// How many companies are stored.
pub fn count(conn: &mut DbConnection) -> StoreResult<i64> {
    Ok(companies::table.count().get_result(conn)?)
}

/// The company with this ticker, in any case and with `.` or `-` as class
/// separator, or else the company that traded under it before.
pub fn find_by_ticker(conn: &mut DbConnection, ticker: &str) -> StoreResult<Option<CompanyRow>> {
    let Some(ticker) = registry::normalize_ticker(ticker) else {
        return Ok(None);
    };
    let current = companies::table
        .filter(companies::ticker.eq(&ticker))
        .select(CompanyRow::as_select())
        .first(conn)
        .optional()?;
    if current.is_some() {
        return Ok(current);
    }
    Ok(companies::table
        .inner_join(company_aliases::table)
        .filter(company_aliases::kind.eq(AliasKind::FormerTicker.as_str()))
        .filter(company_aliases::alias_norm.eq(normalize_alias(&ticker)))
        .order(companies::id.asc())
        .select(CompanyRow::as_select())
        .first(conn)
        .optional()?)
}

/// The aliases of a company, by kind then alias.
pub fn aliases(conn: &mut DbConnection, company_id: i64) -> StoreResult<Vec<CompanyAliasRow>> {
    Ok(company_aliases::table
        .filter(company_aliases::company_id.eq(company_id))
        .order((company_aliases::kind.asc(), company_aliases::id.asc()))
        .select(CompanyAliasRow::as_select())
        .load(conn)?)
}

/// A company found by [`search`], with what matched.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchHit {
    /// The company found.
    pub company: CompanyRow,
    /// The ticker, name or alias that matched best.
    pub matched: String,
    /// How it matched; smaller is better.
    pub rank: MatchRank,
}

/// How well a text matched, best first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchRank {
    /// The query is the ticker.
    Ticker,
    /// The query is the name or an alias.
    Exact,
    /// The ticker starts with the query.
    TickerPrefix,
    /// The name or an alias starts with the query.
    Prefix,
    /// A word of the name or an alias starts with the query.
    WordPrefix,
    /// The query occurs somewhere in the ticker, the name or an alias.
    Substring,
}

fn rank_text(norm: &str, query: &str) -> MatchRank {
    if norm == query {
        MatchRank::Exact
    } else if norm.starts_with(query) {
        MatchRank::Prefix
    } else if norm
        .match_indices(query)
        .any(|(i, _)| norm[..i].ends_with(|c: char| !c.is_alphanumeric()))
    {
        MatchRank::WordPrefix
    } else {
        MatchRank::Substring
    }
}

fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Companies whose ticker, name or an alias contains `text`, ignoring case; best
/// matches first (ticker, exact name, prefix, word, substring), then shorter
/// matched names, then tickers in order. At most `limit` hits.
pub fn search(conn: &mut DbConnection, text: &str, limit: usize) -> StoreResult<Vec<SearchHit>> {
    let query = normalize_alias(text);
    if query.is_empty() || limit == 0 {
        return Ok(Vec::new());
    }
    let query_ticker = query.to_uppercase();
    let pattern = like_pattern(&query);

    // Best (rank, matched text) per company id.
    let mut best: HashMap<i64, (MatchRank, String)> = HashMap::new();
    let mut offer = |id: i64, rank: MatchRank, matched: String| {
        let candidate = (rank, matched);
        let better =
            |have: &(MatchRank, String)| (candidate.0, candidate.1.len()) < (have.0, have.1.len());
        match best.get(&id) {
            Some(have) if !better(have) => {}
            _ => {
                best.insert(id, candidate);
            }
        }
    };

    let by_company: Vec<(i64, String, String)> = companies::table
        .filter(
            companies::ticker
                .like(like_pattern(&query_ticker))
                .escape('\\')
                .or(lower(companies::name).like(&pattern).escape('\\')),
        )
        .select((companies::id, companies::ticker, companies::name))
        .load(conn)?;
    for (id, ticker, name) in by_company {
        if ticker == query_ticker {
            offer(id, MatchRank::Ticker, ticker);
            continue;
        }
        if ticker.starts_with(&query_ticker) {
            offer(id, MatchRank::TickerPrefix, ticker.clone());
        } else if ticker.contains(&query_ticker) {
            offer(id, MatchRank::Substring, ticker.clone());
        }
        let norm = normalize_alias(&name);
        if norm.contains(&query) {
            offer(id, rank_text(&norm, &query), name);
        }
    }
    let by_alias: Vec<(i64, String, String)> = company_aliases::table
        .filter(company_aliases::alias_norm.like(&pattern).escape('\\'))
        .select((
            company_aliases::company_id,
            company_aliases::alias,
            company_aliases::alias_norm,
        ))
        .load(conn)?;
    for (id, alias, norm) in by_alias {
        offer(id, rank_text(&norm, &query), alias);
    }

    let mut ranked: Vec<(i64, MatchRank, String)> = best
        .into_iter()
        .map(|(id, (rank, matched))| (id, rank, matched))
        .collect();
    ranked.sort_by(|a, b| (a.1, a.2.len(), &a.2).cmp(&(b.1, b.2.len(), &b.2)));
    ranked.truncate(limit);

    let ids: Vec<i64> = ranked.iter().map(|r| r.0).collect();
    let mut rows: HashMap<i64, CompanyRow> = companies::table
        .filter(companies::id.eq_any(&ids))
        .select(CompanyRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();
    Ok(ranked
        .into_iter()
        .filter_map(|(id, rank, matched)| {
            rows.remove(&id).map(|company| SearchHit {
                company,
                matched,
                rank,
            })
        })
        .collect())
}

/// Adds the filer of an SEC filing when no company has its CIK: under `ticker`
/// when given and free, else under `CIK` and the number (`CIK320193`), with the
/// name as EDGAR writes it and the aliases derived from it. Returns the ticker
/// it was added under; `None` when a company with that CIK exists (nothing changes)
/// or no ticker can be made.
///
/// So that "we" and "the Company" of a filing by a company the registry does not
/// know still resolve to its filer, and its events land on a timeline.
pub fn ensure_filer(
    conn: &mut DbConnection,
    cik: i64,
    name: &str,
    ticker: Option<&str>,
) -> StoreResult<Option<String>> {
    if cik <= 0 || name.trim().is_empty() {
        return Ok(None);
    }
    let known: bool =
        diesel::select(exists(companies::table.filter(companies::cik.eq(cik)))).get_result(conn)?;
    if known {
        return Ok(None);
    }
    let candidates = ticker
        .and_then(registry::normalize_ticker)
        .into_iter()
        .chain(registry::normalize_ticker(&format!("CIK{cik}")));
    for candidate in candidates {
        let taken: bool = diesel::select(exists(
            companies::table.filter(companies::ticker.eq(&candidate)),
        ))
        .get_result(conn)?;
        if !taken {
            let record = CompanyRecord::new(candidate.clone(), name, Some(cik), None);
            import(conn, &[record])?;
            return Ok(Some(candidate));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_differing_only_in_case_or_punctuation_are_the_same() {
        assert!(same_name("JPMorgan Chase & Co.", "Jpmorgan Chase & Co"));
        assert!(!same_name("Facebook, Inc.", "Meta Platforms, Inc."));
    }

    #[test]
    fn matches_rank_exact_before_prefix_before_word_before_substring() {
        assert_eq!(rank_text("apple", "apple"), MatchRank::Exact);
        assert_eq!(rank_text("apple inc.", "apple"), MatchRank::Prefix);
        assert_eq!(rank_text("big apple co", "apple"), MatchRank::WordPrefix);
        assert_eq!(rank_text("pineapple", "apple"), MatchRank::Substring);
        assert!(MatchRank::Ticker < MatchRank::Exact && MatchRank::Prefix < MatchRank::Substring);
    }

    #[test]
    fn like_patterns_escape_wildcards() {
        assert_eq!(like_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }
}
