//! Companies' histories in the database (`company_history`): periods imported from
//! SEC's submissions or a history table, read back for the extractor and the API.
//!
//! The built-in table ([`crate::registry::history::builtin`]) is compiled in and not
//! stored; [`all`] is what the database adds to it. A period names its company by the
//! company's ticker in the registry format and by `company_id` here.

use diesel::prelude::*;

use super::backend::write_transaction;
use super::schema::{companies, company_history};
use super::{now, DbConnection, StoreResult};
use crate::registry::history::{Field, Period};

/// Where stored periods come from (`company_history.source`).
pub const SOURCES: [&str; 3] = ["builtin", "sec", "analyst"];

/// Stores `periods` from `source` (one of [`SOURCES`]): each company's periods of
/// that source are replaced by the new ones, so a re-import changes nothing. Periods
/// of companies the database does not know are skipped; returns how many were stored.
pub fn replace(conn: &mut DbConnection, source: &str, periods: &[Period]) -> StoreResult<usize> {
    write_transaction(conn, |conn| {
        let mut cleared: Vec<i64> = Vec::new();
        let mut stored = 0;
        let at = now();
        for p in periods {
            let Some(company_id) = companies::table
                .filter(companies::ticker.eq(&p.company))
                .select(companies::id)
                .first::<i64>(conn)
                .optional()?
            else {
                continue;
            };
            if !cleared.contains(&company_id) {
                diesel::delete(
                    company_history::table
                        .filter(company_history::company_id.eq(company_id))
                        .filter(company_history::source.eq(source)),
                )
                .execute(conn)?;
                cleared.push(company_id);
            }
            diesel::insert_into(company_history::table)
                .values((
                    company_history::company_id.eq(company_id),
                    company_history::field.eq(p.field.as_str()),
                    company_history::value.eq(&p.value),
                    company_history::valid_from.eq(p.from),
                    company_history::valid_to.eq(p.to),
                    company_history::source.eq(source),
                    company_history::note.eq(p.note.as_deref()),
                    company_history::created_at.eq(at),
                ))
                .execute(conn)?;
            stored += 1;
        }
        // The extractor of ingestion is rebuilt when the companies change.
        if !cleared.is_empty() {
            diesel::update(companies::table.filter(companies::id.eq_any(&cleared)))
                .set(companies::updated_at.eq(at))
                .execute(conn)?;
        }
        Ok(stored)
    })
}

type HistoryRow = (
    String,
    String,
    String,
    Option<chrono::NaiveDate>,
    Option<chrono::NaiveDate>,
    Option<String>,
);

fn period((company, field, value, from, to, note): HistoryRow) -> Option<Period> {
    Some(Period {
        company,
        field: Field::parse(&field)?,
        value,
        from,
        to,
        note,
    })
}

/// Every stored period, keyed by its company's ticker.
pub fn all(conn: &mut DbConnection) -> StoreResult<Vec<Period>> {
    let rows: Vec<HistoryRow> = company_history::table
        .inner_join(companies::table)
        .select((
            companies::ticker,
            company_history::field,
            company_history::value,
            company_history::valid_from,
            company_history::valid_to,
            company_history::note,
        ))
        .order(company_history::id)
        .load(conn)?;
    Ok(rows.into_iter().filter_map(period).collect())
}

/// The stored periods of one company.
pub fn of_company(conn: &mut DbConnection, company_id: i64) -> StoreResult<Vec<Period>> {
    let rows: Vec<HistoryRow> = company_history::table
        .inner_join(companies::table)
        .filter(company_history::company_id.eq(company_id))
        .select((
            companies::ticker,
            company_history::field,
            company_history::value,
            company_history::valid_from,
            company_history::valid_to,
            company_history::note,
        ))
        .order(company_history::id)
        .load(conn)?;
    Ok(rows.into_iter().filter_map(period).collect())
}

/// What an import of SEC's submissions of one company did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubmissionsImport {
    /// The company's ticker in the database.
    pub ticker: String,
    /// Whether the company was new to the database.
    pub created: bool,
    /// Name periods stored.
    pub periods: usize,
}

/// Imports one company's SEC submissions: the company is found by CIK, else by its
/// first ticker, else created (when SEC lists a ticker); its former names become
/// former-name aliases (so mentions of them link) and name periods (source `sec`).
/// `None` when the company is unknown and SEC lists no ticker for it.
pub fn import_submissions(
    conn: &mut DbConnection,
    sub: &crate::registry::history::Submissions,
) -> StoreResult<Option<SubmissionsImport>> {
    use crate::registry::{recase, AliasKind, CompanyRecord};
    let by_cik: Option<(String, String, Option<String>)> = companies::table
        .filter(companies::cik.eq(sub.cik))
        .select((companies::ticker, companies::name, companies::exchange))
        .order(companies::id)
        .first(conn)
        .optional()?;
    let by_ticker = match (&by_cik, sub.tickers.first()) {
        (None, Some(t)) => companies::table
            .filter(companies::ticker.eq(t))
            .select((companies::ticker, companies::name, companies::exchange))
            .first(conn)
            .optional()?,
        _ => None,
    };
    let known = by_cik.or(by_ticker);
    let created = known.is_none();
    let (ticker, name, exchange) = match known {
        Some(k) => k,
        None => match sub.tickers.first() {
            Some(t) => (
                t.clone(),
                recase(&sub.name),
                sub.exchanges.first().cloned().filter(|e| !e.is_empty()),
            ),
            None => return Ok(None),
        },
    };
    let mut record = CompanyRecord::new(ticker.clone(), &name, Some(sub.cik), exchange);
    for (former, _, _) in &sub.former_names {
        record.push_alias(&recase(former), AliasKind::FormerName);
    }
    super::companies::import(conn, &[record])?;
    let periods = replace(conn, "sec", &sub.name_periods(&ticker))?;
    Ok(Some(SubmissionsImport {
        ticker,
        created,
        periods,
    }))
}
