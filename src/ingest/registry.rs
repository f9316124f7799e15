//! The extractor over the companies of the database.
//!
//! The extractor must find the companies the database knows, imported ones
//! included, and nothing else; so it is built from the `companies` and
//! `company_aliases` tables. Building it takes a while, so one is kept per
//! process and rebuilt only when the registry in the database changes (another
//! count of companies or aliases, a later `updated_at`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::extract::Extractor;
use crate::registry::{Alias, AliasKind, CompanyRecord};
use crate::store::models::AliasKind as StoredAliasKind;
use crate::store::schema::{companies, company_aliases};
use crate::store::DbConnection;

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

/// What identifies a state of the registry in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    companies: i64,
    last_company_change: Option<NaiveDateTime>,
    aliases: i64,
    last_alias: Option<i64>,
}

fn stamp(conn: &mut DbConnection) -> QueryResult<Stamp> {
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

fn load(conn: &mut DbConnection) -> QueryResult<Registry> {
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
    let mut records: Vec<CompanyRecord> = Vec::with_capacity(rows.len());
    let mut position: HashMap<i64, usize> = HashMap::with_capacity(rows.len());
    let mut company_ids = HashMap::with_capacity(rows.len());
    let mut tickers = HashMap::with_capacity(rows.len());
    for (id, ticker, name, cik, exchange) in rows {
        position.insert(id, records.len());
        company_ids.insert(ticker.clone(), id);
        tickers.insert(id, ticker.clone());
        records.push(CompanyRecord {
            ticker,
            name,
            cik,
            exchange,
            aliases: Vec::new(),
            former_tickers: Vec::new(),
        });
    }
    for (company_id, alias, kind) in aliases {
        let Some(record) = position.get(&company_id).and_then(|&i| records.get_mut(i)) else {
            continue;
        };
        if kind == StoredAliasKind::FormerTicker.as_str() {
            company_ids
                .entry(alias.to_ascii_uppercase())
                .or_insert(company_id);
            record.former_tickers.push(alias);
        } else if let Some(kind) = AliasKind::parse(&kind) {
            record.aliases.push(Alias { text: alias, kind });
        }
    }
    Ok(Registry {
        extractor: Extractor::new(&records),
        company_ids,
        tickers,
    })
}

/// The registry of the database, from the process's cache when the database has
/// not changed since it was built.
pub fn current(conn: &mut DbConnection) -> QueryResult<Arc<Registry>> {
    static CACHE: Mutex<Vec<(String, Stamp, Arc<Registry>)>> = Mutex::new(Vec::new());
    // Each database (a server may hold several stores in tests) has its own entry.
    let key = database_key(conn);
    let stamp = stamp(conn)?;
    if let Ok(cache) = CACHE.lock() {
        if let Some((_, _, registry)) = cache.iter().find(|(k, s, _)| *k == key && *s == stamp) {
            return Ok(Arc::clone(registry));
        }
    }
    let registry = Arc::new(load(conn)?);
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

/// A name for the database a connection reaches.
fn database_key(conn: &mut DbConnection) -> String {
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
