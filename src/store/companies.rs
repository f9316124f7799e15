//! The company registry in the database.

use diesel::prelude::*;

use super::models::CompanyRow;
use super::schema::companies;
use super::DbConnection;

/// Companies in ticker order, at most `limit` of them.
pub fn list(conn: &mut DbConnection, limit: Option<i64>) -> QueryResult<Vec<CompanyRow>> {
    let query = companies::table
        .select(CompanyRow::as_select())
        .order(companies::ticker.asc());
    match limit {
        Some(n) => query.limit(n).load(conn),
        None => query.load(conn),
    }
}
