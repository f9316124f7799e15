//! Company timelines and event search: keyset scans in newest-first order, and the
//! batched reads that turn a page of keys into event views.

#[allow(clippy::wildcard_imports)]
use super::*;

// ------------------------------------------------------------------ keyset scans

/// Which part of the newest-first order a scan reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    Dated,
    Undated,
}

/// Adds the filters on kind, action, review state and confidence to a boxed
/// query, on the columns of that name of `$table` (`events`, or `timeline_items`,
/// which copies them).
macro_rules! filter_event_columns {
    ($query:ident, $filter:expr, $table:ident) => {{
        let filter: &EventFilter = $filter;
        if !filter.kinds.is_empty() {
            let kinds: Vec<&str> = filter.kinds.iter().map(|k| k.as_str()).collect();
            $query = $query.filter($table::kind.eq_any(kinds));
        }
        if !filter.actions.is_empty() {
            $query = $query.filter($table::action.eq_any(filter.actions.clone()));
        }
        if !filter.review.is_empty() {
            let states: Vec<&str> = filter.review.iter().map(|r| r.as_str()).collect();
            $query = $query.filter($table::review_state.eq_any(states));
        }
        if let Some(min) = filter.min_confidence {
            $query = $query.filter($table::confidence.ge(min));
        }
    }};
}
pub(crate) use filter_event_columns;

/// Adds the filters on `events` columns to a boxed query whose FROM has `events`.
macro_rules! filter_events {
    ($query:ident, $filter:expr) => {{
        let filter: &EventFilter = $filter;
        filter_event_columns!($query, filter, events);
        if let Some(tag) = &filter.tag {
            $query = $query.filter(
                events::id.eq_any(
                    event_tags::table
                        .inner_join(tags::table)
                        .filter(tags::name.eq(tag.clone()))
                        .select(event_tags::event_id),
                ),
            );
        }
        if let Some(text) = &filter.text {
            let pattern = like_pattern(text);
            $query = $query.filter(
                lower(events::summary)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower_opt(events::authority)
                        .like(pattern.clone())
                        .escape('\\')
                        .assume_not_null())
                    .or(lower(events::parties).like(pattern).escape('\\')),
            );
        }
    }};
}

/// Adds the keyset position, the date range and the order of one phase.
macro_rules! keyset {
    ($query:ident, $date:expr, $id:expr, $phase:expr, $after:expr, $filter:expr) => {{
        let filter: &EventFilter = $filter;
        let after: Option<Cursor> = $after;
        match $phase {
            Phase::Dated => {
                $query = $query.filter($date.is_not_null());
                if let Some(from) = filter.from {
                    $query = $query.filter($date.ge(from));
                }
                if let Some(to) = filter.to {
                    $query = $query.filter($date.le(to));
                }
                if let Some(Cursor {
                    occurred_on: Some(day),
                    id,
                }) = after
                {
                    // The first condition alone is an index bound; both together are the position.
                    $query = $query
                        .filter($date.le(day))
                        .filter($date.lt(day).or($id.lt(id)));
                }
                $query = $query.order(($date.desc(), $id.desc()));
            }
            Phase::Undated => {
                $query = $query.filter($date.is_null());
                if let Some(Cursor {
                    occurred_on: None,
                    id,
                }) = after
                {
                    $query = $query.filter($id.lt(id));
                }
                $query = $query.order($id.desc());
            }
        }
    }};
}

/// Up to `n` `(event id, date)` keys of one phase of a company's timeline.
/// An event with several roles has several rows; callers deduplicate.
fn scan_company(
    conn: &mut DbConnection,
    company_id: i64,
    filter: &EventFilter,
    phase: Phase,
    after: Option<Cursor>,
    n: i64,
) -> StoreResult<Vec<(i64, Option<NaiveDate>)>> {
    if filter.touches_events() {
        let mut query = event_companies::table
            .inner_join(events::table)
            .filter(event_companies::company_id.eq(company_id))
            .select((event_companies::event_id, event_companies::occurred_on))
            .into_boxed::<Db>();
        filter_events!(query, filter);
        keyset!(
            query,
            event_companies::occurred_on,
            event_companies::event_id,
            phase,
            after,
            filter
        );
        Ok(query.limit(n).load(conn)?)
    } else {
        let mut query = event_companies::table
            .filter(event_companies::company_id.eq(company_id))
            .select((event_companies::event_id, event_companies::occurred_on))
            .into_boxed::<Db>();
        keyset!(
            query,
            event_companies::occurred_on,
            event_companies::event_id,
            phase,
            after,
            filter
        );
        Ok(query.limit(n).load(conn)?)
    }
}

/// Up to `n` `(event id, date)` keys of one phase of the timelines of several
/// companies together. An event of several of them (or with several roles) has
/// several rows, next to each other in this order; callers deduplicate.
fn scan_companies(
    conn: &mut DbConnection,
    company_ids: &[i64],
    filter: &EventFilter,
    phase: Phase,
    after: Option<Cursor>,
    n: i64,
) -> StoreResult<Vec<(i64, Option<NaiveDate>)>> {
    let mut query = event_companies::table
        .inner_join(events::table)
        .filter(event_companies::company_id.eq_any(company_ids.to_vec()))
        .select((event_companies::event_id, event_companies::occurred_on))
        .into_boxed::<Db>();
    filter_events!(query, filter);
    keyset!(
        query,
        event_companies::occurred_on,
        event_companies::event_id,
        phase,
        after,
        filter
    );
    Ok(query.limit(n).load(conn)?)
}

/// Up to `n` `(event id, date)` keys of one phase of all events.
fn scan_all(
    conn: &mut DbConnection,
    filter: &EventFilter,
    phase: Phase,
    after: Option<Cursor>,
    n: i64,
) -> StoreResult<Vec<(i64, Option<NaiveDate>)>> {
    let mut query = events::table
        .select((events::id, events::occurred_on))
        .into_boxed::<Db>();
    filter_events!(query, filter);
    keyset!(query, events::occurred_on, events::id, phase, after, filter);
    Ok(query.limit(n).load(conn)?)
}

/// The keys of one page: runs the dated phase, then the undated one, until
/// `limit` distinct events are found; says where the next page starts.
fn page_keys(
    limit: usize,
    after: Option<Cursor>,
    allows_undated: bool,
    mut scan: impl FnMut(Phase, Option<Cursor>, i64) -> StoreResult<Vec<(i64, Option<NaiveDate>)>>,
) -> StoreResult<Page<Cursor>> {
    let phases: &[Phase] = match after {
        Some(Cursor {
            occurred_on: None, ..
        }) => &[Phase::Undated],
        _ if allows_undated => &[Phase::Dated, Phase::Undated],
        _ => &[Phase::Dated],
    };
    let mut items: Vec<Cursor> = Vec::with_capacity(limit);
    for &phase in phases {
        // A dated cursor says nothing about where the undated phase starts.
        let mut position = match (phase, after) {
            (
                Phase::Undated,
                Some(Cursor {
                    occurred_on: Some(_),
                    ..
                }),
            ) => None,
            _ => after,
        };
        loop {
            // One row more than needed tells whether a next page exists.
            let fetch = limit - items.len() + 1;
            let rows = scan(phase, position, i64::try_from(fetch).unwrap_or(i64::MAX))?;
            let full = rows.len() == fetch;
            for (id, occurred_on) in rows {
                let key = Cursor { occurred_on, id };
                if items.last() == Some(&key) {
                    // The same event under another role.
                    continue;
                }
                if items.len() == limit {
                    let next = items.last().copied();
                    return Ok(Page { items, next });
                }
                items.push(key);
            }
            if !full {
                break;
            }
            // Repeated rows filled the fetch: read on after the last event.
            position = items.last().copied().or(position);
        }
    }
    Ok(Page { items, next: None })
}

/// A page of a company's timeline, newest first (see the module documentation).
pub fn timeline(
    conn: &mut DbConnection,
    company_id: i64,
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<EventView>> {
    let keys = page_keys(
        limit,
        after,
        filter.allows_undated(),
        |phase, position, n| scan_company(conn, company_id, filter, phase, position, n),
    )?;
    hydrate_page(conn, keys)
}

/// A page of events matching `filter`, across companies, or of the companies in
/// `company_ids` when given (an event of several of them counts once).
pub fn search(
    conn: &mut DbConnection,
    company_id: Option<i64>,
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<EventView>> {
    let keys = match company_id {
        Some(company_id) => page_keys(
            limit,
            after,
            filter.allows_undated(),
            |phase, position, n| scan_company(conn, company_id, filter, phase, position, n),
        )?,
        None => page_keys(
            limit,
            after,
            filter.allows_undated(),
            |phase, position, n| scan_all(conn, filter, phase, position, n),
        )?,
    };
    hydrate_page(conn, keys)
}

/// A page of the combined timeline of several companies (a watchlist, or
/// `tickers=` of a search), newest first; an event of several of them counts
/// once. The order and cursor are those of [`timeline`].
pub fn search_companies(
    conn: &mut DbConnection,
    company_ids: &[i64],
    filter: &EventFilter,
    after: Option<Cursor>,
    limit: usize,
) -> StoreResult<Page<EventView>> {
    if company_ids.is_empty() {
        return Ok(Page {
            items: Vec::new(),
            next: None,
        });
    }
    let keys = page_keys(
        limit,
        after,
        filter.allows_undated(),
        |phase, position, n| scan_companies(conn, company_ids, filter, phase, position, n),
    )?;
    hydrate_page(conn, keys)
}

/// The views of a page's keys; retracted events are left out (the page may
/// be shorter than asked, its cursor is still where the next one starts).
fn hydrate_page(conn: &mut DbConnection, keys: Page<Cursor>) -> StoreResult<Page<EventView>> {
    let ids: Vec<i64> = keys.items.iter().map(|k| k.id).collect();
    let mut items = load_views(conn, &ids)?;
    items.retain(|view| view.retracted_at.is_none());
    Ok(Page {
        items,
        next: keys.next,
    })
}

/// The events of `ids` with their companies, tags and first evidence, in the order
/// of `ids`; ids that do not exist are left out.
pub fn load_views(conn: &mut DbConnection, ids: &[i64]) -> StoreResult<Vec<EventView>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: HashMap<i64, EventRow> = events::table
        .filter(ids_in(events::id, ids))
        .select(EventRow::as_select())
        .load(conn)?
        .into_iter()
        .map(|row| (row.id, row))
        .collect();

    let mut companies_of: HashMap<i64, Vec<EventCompany>> = HashMap::new();
    let links: Vec<(i64, i64, String, String, String)> = event_companies::table
        .inner_join(companies::table)
        .filter(ids_in(event_companies::event_id, ids))
        .order((event_companies::event_id, event_companies::id))
        .select((
            event_companies::event_id,
            companies::id,
            companies::ticker,
            companies::name,
            event_companies::role,
        ))
        .load(conn)?;
    for (event_id, company_id, ticker, name, role) in links {
        companies_of
            .entry(event_id)
            .or_default()
            .push(EventCompany {
                company_id,
                ticker,
                name,
                role,
            });
    }

    let mut tags_of: HashMap<i64, Vec<String>> = HashMap::new();
    let tag_rows: Vec<(i64, String)> = event_tags::table
        .inner_join(tags::table)
        .filter(ids_in(event_tags::event_id, ids))
        .order((event_tags::event_id, tags::name))
        .select((event_tags::event_id, tags::name))
        .load(conn)?;
    for (event_id, name) in tag_rows {
        tags_of.entry(event_id).or_default().push(name);
    }

    let others = diesel::alias!(event_mentions as others);
    let first_ids = others
        .filter(ids_in(others.field(event_mentions::event_id), ids))
        .group_by(others.field(event_mentions::event_id))
        .select(min(others.field(event_mentions::id)).assume_not_null());
    type FirstRow = (i64, i64, String, i64, Option<String>, Option<String>);
    let firsts: Vec<FirstRow> = event_mentions::table
        .inner_join(documents::table)
        .filter(event_mentions::id.eq_any(first_ids))
        .select((
            event_mentions::event_id,
            event_mentions::id,
            event_mentions::snippet,
            documents::id,
            documents::title,
            documents::url,
        ))
        .load(conn)?;
    let mut first_of: HashMap<i64, FirstEvidence> = firsts
        .into_iter()
        .map(|(event_id, mention_id, text, document_id, title, url)| {
            (
                event_id,
                FirstEvidence {
                    mention_id,
                    text,
                    document_id,
                    title,
                    url,
                },
            )
        })
        .collect();

    let retracted: HashMap<i64, NaiveDateTime> = events::table
        .filter(ids_in(events::id, ids))
        .filter(events::retracted_at.is_not_null())
        .select((events::id, events::retracted_at.assume_not_null()))
        .load(conn)?
        .into_iter()
        .collect();

    Ok(ids
        .iter()
        .filter_map(|id| {
            rows.remove(id).map(|event| EventView {
                companies: companies_of.remove(id).unwrap_or_default(),
                tags: tags_of.remove(id).unwrap_or_default(),
                first_evidence: first_of.remove(id),
                retracted_at: retracted.get(id).copied(),
                event,
            })
        })
        .collect())
}

/// A LIKE pattern matching `text` anywhere, lower case, with wildcards escaped.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
