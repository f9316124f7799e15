//! Companies listed by ticker, and one company by id.

#[allow(clippy::wildcard_imports)]
use super::*;

/// Companies by ticker after `after`, at most `limit` (for listing without a query).
pub fn companies_page(
    conn: &mut DbConnection,
    after: Option<&str>,
    limit: i64,
) -> StoreResult<Vec<crate::store::models::CompanyRow>> {
    let mut query = companies::table
        .select(crate::store::models::CompanyRow::as_select())
        .order(companies::ticker)
        .limit(limit)
        .into_boxed::<Db>();
    if let Some(after) = after {
        query = query.filter(companies::ticker.gt(after.to_string()));
    }
    Ok(query.load(conn)?)
}

/// The company with this id, or `None`.
pub fn company(
    conn: &mut DbConnection,
    id: i64,
) -> StoreResult<Option<crate::store::models::CompanyRow>> {
    Ok(companies::table
        .find(id)
        .select(crate::store::models::CompanyRow::as_select())
        .first(conn)
        .optional()?)
}
