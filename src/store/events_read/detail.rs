//! One event in full (evidence, thread, history), a document with its events, and
//! small reads for feeds and the metrics page.

#[allow(clippy::wildcard_imports)]
use super::*;

/// One event with its evidence, thread and history, or `None` if there is no such event.
pub fn detail(conn: &mut DbConnection, id: i64) -> StoreResult<Option<EventDetail>> {
    let Some(view) = load_views(conn, &[id])?.pop() else {
        return Ok(None);
    };
    let evidence = event_mentions::table
        .inner_join(documents::table)
        .filter(event_mentions::event_id.eq(id))
        .order(event_mentions::id)
        .select(Evidence::as_select())
        .load(conn)?;
    let thread = thread_steps(conn, thread_key(&view.event))?;
    let history = history(conn, id)?;
    Ok(Some(EventDetail {
        view,
        evidence,
        thread,
        history,
    }))
}

/// The steps of the thread whose first event is `key`, oldest first; undated last.
pub fn thread_steps(conn: &mut DbConnection, key: i64) -> StoreResult<Vec<ThreadStep>> {
    let mut steps: Vec<ThreadStep> = events::table
        .filter(events::id.eq(key).or(events::thread_id.eq(key)))
        .select((
            events::id,
            events::action,
            events::status,
            events::occurred_on,
            events::date_precision,
            events::thread_reason,
        ))
        .load::<(
            i64,
            String,
            Option<String>,
            Option<NaiveDate>,
            Option<String>,
            Option<String>,
        )>(conn)?
        .into_iter()
        .map(
            |(id, action, status, occurred_on, date_precision, reason)| ThreadStep {
                id,
                action,
                status,
                occurred_on,
                date_precision,
                reason,
            },
        )
        .collect();
    steps.sort_by_key(|s| (s.occurred_on.is_none(), s.occurred_on, s.id));
    Ok(steps)
}

/// The audit entries of an event, oldest first.
pub fn history(conn: &mut DbConnection, event_id: i64) -> StoreResult<Vec<AuditEntryRow>> {
    Ok(audit_log::table
        .filter(audit_log::event_id.eq(event_id))
        .order((audit_log::at, audit_log::id))
        .select(AuditEntryRow::as_select())
        .load(conn)?)
}

/// Whether an event exists.
pub fn exists(conn: &mut DbConnection, id: i64) -> StoreResult<bool> {
    Ok(
        diesel::select(diesel::dsl::exists(events::table.filter(events::id.eq(id))))
            .get_result(conn)?,
    )
}

/// A document and the ids of the events it gives evidence for, or `None`.
pub fn document(conn: &mut DbConnection, id: i64) -> StoreResult<Option<(DocumentRow, Vec<i64>)>> {
    let Some(row) = documents::table
        .find(id)
        .select(DocumentRow::as_select())
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let event_ids = event_mentions::table
        .filter(event_mentions::document_id.eq(id))
        .select(event_mentions::event_id)
        .distinct()
        .order(event_mentions::event_id)
        .load(conn)?;
    Ok(Some((row, event_ids)))
}

/// The newest events of the given companies (all companies when empty), by
/// creation: what a feed of new events shows.
pub fn newest(
    conn: &mut DbConnection,
    company_ids: &[i64],
    limit: i64,
) -> StoreResult<Vec<EventView>> {
    let mut query = events::table
        .select(events::id)
        .filter(events::retracted_at.is_null())
        .order(events::id.desc())
        .limit(limit)
        .into_boxed::<Db>();
    if !company_ids.is_empty() {
        query = query.filter(
            events::id.eq_any(
                event_companies::table
                    .filter(event_companies::company_id.eq_any(company_ids.to_vec()))
                    .select(event_companies::event_id),
            ),
        );
    }
    let ids: Vec<i64> = query.load(conn)?;
    load_views(conn, &ids)
}

/// All dated events of a company that are not rejected, newest first, at most `limit`.
pub fn dated_for_company(
    conn: &mut DbConnection,
    company_id: i64,
    limit: usize,
) -> StoreResult<Vec<EventView>> {
    let filter = EventFilter {
        review: vec![ReviewState::Unreviewed, ReviewState::Confirmed],
        // Any date: leaves undated events out.
        from: NaiveDate::from_ymd_opt(1, 1, 1),
        ..EventFilter::default()
    };
    Ok(timeline(conn, company_id, &filter, None, limit)?.items)
}

/// Counts of events and documents, for metrics.
pub fn totals(conn: &mut DbConnection) -> StoreResult<(i64, i64)> {
    let events: i64 = events::table.select(count_star()).get_result(conn)?;
    let documents: i64 = documents::table.select(count_star()).get_result(conn)?;
    Ok((events, documents))
}

/// Tags with the number of events carrying each, by name.
pub fn tag_counts(conn: &mut DbConnection) -> StoreResult<Vec<(String, i64)>> {
    Ok(tags::table
        .left_join(event_tags::table)
        .group_by((tags::id, tags::name))
        .order(tags::name)
        .select((
            tags::name,
            diesel::dsl::count(event_tags::event_id.nullable()),
        ))
        .load(conn)?)
}

/// The newest `updated_at` among all events, for caching feeds.
pub fn last_update(conn: &mut DbConnection) -> StoreResult<Option<NaiveDateTime>> {
    Ok(events::table
        .select(max(events::updated_at))
        .get_result(conn)?)
}
