//! Exports: CSV pages of events, a company's timeline as iCalendar (RFC 5545),
//! and an Atom 1.0 feed of new events.
//!
//! CSV files are opened in spreadsheets, which run a cell starting with `=`,
//! `+`, `-` or `@` (or a tab or carriage return before one) as a formula. Such a
//! cell is written with a leading `'`, which spreadsheets show as text
//! ([`csv_cell`]); a cell that is a plain number (`-12.5`, `3e6`) is left as it
//! is, so that amounts and scores stay numbers. Links in every export pass
//! [`links::web_link`]: only http(s) URLs are written.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use quick_xml::events::{BytesDecl, BytesEnd, BytesStart, BytesText, Event};
use quick_xml::Writer;

use super::auth::Caller;
use super::dto::{event_item, timestamp, EventItem};
use super::error::{Invalid, Problem, ReadError};
use super::links;
use super::params::{encode_cursor, Params};
use super::AppState;
use crate::store::events_read::{self, Cursor, EventView};
use crate::store::now;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/feeds/events.atom")
            .name("/api/v1/feeds/events.atom")
            .route(web::get().to(atom)),
    );
}

/// The columns of a CSV export, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "id",
    "occurred_on",
    "date_precision",
    "kind",
    "action",
    "status",
    "thread_id",
    "thread_status",
    "tickers",
    "companies",
    "parties",
    "authority",
    "jurisdiction",
    "amount",
    "currency",
    "amount_usd",
    "summary",
    "confidence",
    "review_state",
    "origin",
    "tags",
    "document_count",
    "evidence_url",
    "evidence_title",
    "created_at",
    "updated_at",
];

/// A cell as written to CSV: text a spreadsheet would run as a formula gets a
/// leading `'` (`=SUM(A1)` becomes `'=SUM(A1)`, `-1+2` becomes `'-1+2`); plain
/// numbers (`-12.5`) and other text are left as they are.
pub fn csv_cell(text: String) -> String {
    let risky = matches!(
        text.as_bytes().first(),
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r')
    );
    if risky && !is_plain_number(&text) {
        format!("'{text}")
    } else {
        text
    }
}

/// Whether `text` is a decimal number such as `-12`, `+0.5` or `-3e6`.
fn is_plain_number(text: &str) -> bool {
    text.bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
        && text.bytes().any(|b| b.is_ascii_digit())
        && text.parse::<f64>().is_ok_and(f64::is_finite)
}

fn csv_row(item: &EventItem) -> Vec<String> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<f64>| v.map(plain_number).unwrap_or_default();
    vec![
        item.id.to_string(),
        opt(&item.occurred_on),
        opt(&item.date_precision),
        item.kind.clone(),
        item.action.clone(),
        opt(&item.status),
        item.thread_id.to_string(),
        opt(&item.thread_status),
        item.companies
            .iter()
            .map(|c| c.ticker.as_str())
            .collect::<Vec<_>>()
            .join(";"),
        item.companies
            .iter()
            .map(|c| format!("{} ({})", c.name, c.role))
            .collect::<Vec<_>>()
            .join("; "),
        item.parties
            .iter()
            .map(|p| match &p.role {
                Some(role) => format!("{} ({role})", p.name),
                None => p.name.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
        opt(&item.authority),
        opt(&item.jurisdiction),
        num(item.amount),
        opt(&item.currency),
        item.amount_usd.map(|a| a.to_string()).unwrap_or_default(),
        item.summary.clone(),
        plain_number(item.confidence),
        item.review_state.clone(),
        item.origin.clone(),
        item.tags.join(";"),
        item.document_count.to_string(),
        item.first_evidence
            .as_ref()
            .and_then(|e| e.url.clone())
            .unwrap_or_default(),
        item.first_evidence
            .as_ref()
            .and_then(|e| e.title.clone())
            .unwrap_or_default(),
        item.created_at.clone(),
        item.updated_at.clone(),
    ]
    .into_iter()
    .map(csv_cell)
    .collect()
}

/// A number as people write it: at most six decimals, no trailing zeros, so
/// that binary noise (`0.7000000000000001`) does not reach a spreadsheet:
/// `0.7`, `5000000000`, `-12.25`.
pub fn plain_number(x: f64) -> String {
    let text = format!("{x:.6}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    match text {
        "-0" | "" => "0".to_string(),
        t => t.to_string(),
    }
}

/// Writes events as CSV (header row, RFC 4180 quoting).
pub fn csv_bytes(items: Vec<EventView>) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    writer.write_record(CSV_COLUMNS)?;
    for view in items {
        writer.write_record(csv_row(&event_item(view)))?;
    }
    writer
        .into_inner()
        .map_err(|e| csv::Error::from(e.into_error()))
}

/// A CSV page, offered as a file to save; the next page's cursor, if any, is
/// in `X-Next-Cursor`. With `bom`, the body starts with a UTF-8 byte order mark
/// (spreadsheets then read names with accents right).
pub fn csv_response(items: Vec<EventView>, next: Option<Cursor>, bom: bool) -> HttpResponse {
    match csv_bytes(items) {
        Ok(mut body) => {
            if bom {
                body.splice(0..0, [0xEF, 0xBB, 0xBF]);
            }
            let mut builder = HttpResponse::Ok();
            builder.content_type("text/csv; charset=utf-8; header=present");
            builder.insert_header((
                "Content-Disposition",
                "attachment; filename=\"riskline-events.csv\"",
            ));
            if let Some(next) = next {
                builder.insert_header(("X-Next-Cursor", encode_cursor(&next)));
            }
            builder.body(body)
        }
        Err(err) => super::error::unexpected_problem(&anyhow::Error::new(err)).response(),
    }
}

/// Escapes a TEXT value of iCalendar: backslash, semicolon, comma, newlines.
fn ics_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Appends a content line folded at 75 octets (never inside a UTF-8 character),
/// continuation lines starting with a space, each ending in CRLF.
fn ics_line(out: &mut String, line: &str) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// Dated events as an iCalendar document named `name`, one all-day VEVENT
/// each; an event dated to the month or year spans it, and says so.
pub fn icalendar(name: &str, events: &[EventView]) -> String {
    let mut out = String::new();
    let stamp = now().format("%Y%m%dT%H%M%SZ").to_string();
    ics_line(&mut out, "BEGIN:VCALENDAR");
    ics_line(&mut out, "VERSION:2.0");
    ics_line(&mut out, "PRODID:-//riskline//risk timeline//EN");
    ics_line(&mut out, "CALSCALE:GREGORIAN");
    ics_line(
        &mut out,
        &format!(
            "X-WR-CALNAME:{}",
            ics_text(&format!("{name} risk timeline"))
        ),
    );
    for view in events {
        let (id, event) = (view.event.id, &view.event.fields);
        let Some(day) = event.occurred_on else {
            continue;
        };
        // A date known to the month or year spans that month or year: shown on
        // the 1st alone, it would claim a day nobody stated.
        let (end, known) = match event.date_precision.as_deref() {
            Some("month") => (
                day.checked_add_months(chrono::Months::new(1)),
                format!("sometime in {}", day.format("%B %Y")),
            ),
            Some("year") => (
                day.checked_add_months(chrono::Months::new(12)),
                format!("sometime in {}", day.format("%Y")),
            ),
            _ => (day.succ_opt(), String::new()),
        };
        let next_day = end.unwrap_or(day);
        ics_line(&mut out, "BEGIN:VEVENT");
        ics_line(&mut out, &format!("UID:event-{id}@riskline"));
        ics_line(&mut out, &format!("DTSTAMP:{stamp}"));
        ics_line(
            &mut out,
            &format!("DTSTART;VALUE=DATE:{}", day.format("%Y%m%d")),
        );
        ics_line(
            &mut out,
            &format!("DTEND;VALUE=DATE:{}", next_day.format("%Y%m%d")),
        );
        ics_line(
            &mut out,
            &format!(
                "SUMMARY:{}",
                ics_text(&if known.is_empty() {
                    format!("[{} {}] {}", event.kind, event.action, event.summary)
                } else {
                    format!(
                        "[{} {}, {known}] {}",
                        event.kind, event.action, event.summary
                    )
                })
            ),
        );
        let mut description = format!(
            "{}\nKind: {}, action: {}, status: {}\nConfidence: {:.2}, review: {}",
            event.summary,
            event.kind,
            event.action,
            event
                .thread_status
                .as_deref()
                .or(event.status.as_deref())
                .unwrap_or("unknown"),
            event.confidence,
            event.review_state
        );
        if !known.is_empty() {
            description.push_str(&format!("\nDate: {known} (the day is not known)"));
        }
        if let Some(authority) = &event.authority {
            description.push_str(&format!("\nAuthority: {authority}"));
        }
        if let Some(amount) = event.amount_usd {
            description.push_str(&format!("\nAmount: ${amount}"));
        }
        ics_line(&mut out, &format!("DESCRIPTION:{}", ics_text(&description)));
        ics_line(&mut out, &format!("CATEGORIES:{}", ics_text(&event.kind)));
        let url = view.first_evidence.as_ref().and_then(|e| e.url.clone());
        if let Some(url) = links::web_link(url) {
            ics_line(&mut out, &format!("URL:{url}"));
        }
        ics_line(
            &mut out,
            &format!(
                "LAST-MODIFIED:{}",
                event.updated_at.format("%Y%m%dT%H%M%SZ")
            ),
        );
        ics_line(&mut out, "END:VEVENT");
    }
    ics_line(&mut out, "END:VCALENDAR");
    out
}

/// Entries in a feed.
const FEED_ENTRIES: i64 = 50;

fn element(
    writer: &mut Writer<Vec<u8>>,
    name: &str,
    attributes: &[(&str, &str)],
    text: Option<&str>,
) -> std::io::Result<()> {
    let mut start = BytesStart::new(name);
    for (key, value) in attributes {
        start.push_attribute((*key, *value));
    }
    match text {
        Some(text) => {
            writer.write_event(Event::Start(start))?;
            writer.write_event(Event::Text(BytesText::new(text)))?;
            writer.write_event(Event::End(BytesEnd::new(name)))?;
        }
        None => writer.write_event(Event::Empty(start))?,
    }
    Ok(())
}

/// The page of an event on the web page under `base` (`https://host`): the
/// timeline of its first company, the event open.
pub fn event_page(base: &str, view: &EventView) -> String {
    let ticker = view.companies.first().map_or("", |c| c.ticker.as_str());
    format!("{base}/#/{ticker}/{}", view.event.id)
}

/// Writes an Atom 1.0 feed of events; each entry links to the event's page
/// under `base` (`rel="alternate"`) and to its evidence (`rel="related"`).
pub fn atom_feed(
    base: &str,
    self_url: &str,
    title: &str,
    events: &[EventView],
) -> std::io::Result<Vec<u8>> {
    let mut writer = Writer::new(Vec::new());
    writer.write_event(Event::Decl(BytesDecl::new("1.0", Some("utf-8"), None)))?;
    let mut feed = BytesStart::new("feed");
    feed.push_attribute(("xmlns", "http://www.w3.org/2005/Atom"));
    writer.write_event(Event::Start(feed))?;
    element(
        &mut writer,
        "id",
        &[],
        Some(&format!("urn:riskline:feed:{self_url}")),
    )?;
    element(&mut writer, "title", &[], Some(title))?;
    let updated = events
        .iter()
        .map(|v| v.event.fields.updated_at)
        .max()
        .unwrap_or_else(now);
    element(&mut writer, "updated", &[], Some(&timestamp(updated)))?;
    element(
        &mut writer,
        "link",
        &[("rel", "self"), ("href", self_url)],
        None,
    )?;
    writer.write_event(Event::Start(BytesStart::new("author")))?;
    element(&mut writer, "name", &[], Some("riskline"))?;
    writer.write_event(Event::End(BytesEnd::new("author")))?;
    element(&mut writer, "generator", &[], Some("riskline"))?;
    for view in events {
        let (id, event) = (view.event.id, &view.event.fields);
        let tickers: Vec<&str> = view.companies.iter().map(|c| c.ticker.as_str()).collect();
        writer.write_event(Event::Start(BytesStart::new("entry")))?;
        element(
            &mut writer,
            "id",
            &[],
            Some(&format!("urn:riskline:event:{id}")),
        )?;
        element(
            &mut writer,
            "title",
            &[],
            Some(&format!("{}: {}", tickers.join(", "), event.summary)),
        )?;
        element(
            &mut writer,
            "updated",
            &[],
            Some(&timestamp(event.updated_at)),
        )?;
        element(
            &mut writer,
            "published",
            &[],
            Some(&timestamp(event.created_at)),
        )?;
        element(
            &mut writer,
            "link",
            &[
                ("rel", "alternate"),
                ("type", "text/html"),
                ("href", &event_page(base, view)),
            ],
            None,
        )?;
        let url = view.first_evidence.as_ref().and_then(|e| e.url.clone());
        if let Some(url) = links::web_link(url) {
            let title = view
                .first_evidence
                .as_ref()
                .and_then(|e| e.title.clone())
                .unwrap_or_else(|| "evidence".to_string());
            element(
                &mut writer,
                "link",
                &[("rel", "related"), ("href", &url), ("title", &title)],
                None,
            )?;
        }
        element(
            &mut writer,
            "category",
            &[("term", event.kind.as_str())],
            None,
        )?;
        let date = event
            .occurred_on
            .map(|d| d.to_string())
            .unwrap_or_else(|| "undated".to_string());
        let mut summary = format!(
            "{} ({} {}, {date})",
            event.summary, event.kind, event.action
        );
        if let Some(evidence) = &view.first_evidence {
            summary.push_str(&format!(" — \"{}\"", evidence.text));
        }
        element(&mut writer, "summary", &[("type", "text")], Some(&summary))?;
        writer.write_event(Event::End(BytesEnd::new("entry")))?;
    }
    writer.write_event(Event::End(BytesEnd::new("feed")))?;
    Ok(writer.into_inner())
}

/// Newest events as an Atom feed, of the companies in `tickers` or of all.
#[utoipa::path(get, path = "/api/v1/feeds/events.atom", tag = "exports", operation_id = "events_atom",
    params(("tickers" = Option<String>, Query, description = "comma-separated tickers; all companies when absent")),
    responses((status = 200, content_type = "application/atom+xml", body = String),
              (status = 404, body = super::error::Problem)),
    security(("bearer" = [])))]
pub(crate) async fn atom(
    state: web::Data<AppState>,
    _caller: Caller,
    req: HttpRequest,
) -> Result<HttpResponse, ReadError> {
    let params = Params::parse(req.query_string(), &["tickers"])?;
    let mut company_ids = Vec::new();
    let mut names = Vec::new();
    if let Some(tickers) = params.get("tickers") {
        for ticker in tickers.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            if names.len() >= 100 {
                return Err(Invalid::param("tickers", "at most 100 tickers").into());
            }
            company_ids.push(state.company_id(ticker).await?);
            names.push(ticker.to_ascii_uppercase());
        }
    }
    let events = state
        .db
        .blocking(move |conn| events_read::newest(conn, &company_ids, FEED_ENTRIES))
        .await?;
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let self_url = format!("{base}{}", req.uri());
    let title = if names.is_empty() {
        "riskline: new events".to_string()
    } else {
        format!("riskline: new events of {}", names.join(", "))
    };
    match atom_feed(&base, &self_url, &title, &events) {
        Ok(body) => Ok(HttpResponse::Ok()
            .content_type("application/atom+xml; charset=utf-8")
            .body(body)),
        Err(err) => {
            tracing::error!(error = %err, "cannot write the feed");
            Ok(Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").response())
        }
    }
}

/// Routes outside `/api/v1`: the watchlist feeds at capability URLs.
pub fn configure_root(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/feeds/{token}/watchlist.atom")
            .name("/feeds/{token}/watchlist.atom")
            .route(web::get().to(watchlist_atom)),
    )
    .service(
        web::resource("/feeds/{token}/watchlist.ics")
            .name("/feeds/{token}/watchlist.ics")
            .route(web::get().to(watchlist_calendar)),
    );
}

/// The watchlist whose feed token is `token`, or a `404` (also for a revoked
/// token: nothing tells a guess from a revoked token).
async fn feed_watchlist(
    state: &AppState,
    token: &str,
) -> Result<crate::store::watchlists::Watchlist, ReadError> {
    let gone = || ReadError::NotFound("no feed at this address (revoked or never made)".into());
    if !token.starts_with("rf_") || token.len() > 100 {
        return Err(gone());
    }
    let hash = crate::store::keys::hash_secret(token);
    state
        .db
        .read(move |conn| crate::store::watchlists::by_feed_token(conn, &hash))
        .await?
        .ok_or_else(gone)
}

/// A watchlist's newest events (by date) as an Atom feed, at its capability URL:
/// the token in the path is the only credential (feed readers send no header).
#[utoipa::path(get, path = "/feeds/{token}/watchlist.atom", tag = "exports", operation_id = "watchlist_atom",
    params(("token" = String, Path, description = "the watchlist's feed token (POST /api/v1/watchlists/{id}/feed-token)")),
    responses((status = 200, content_type = "application/atom+xml", body = String),
              (status = 404, description = "no feed at this address (revoked or never made)", body = super::error::Problem)))]
pub(crate) async fn watchlist_atom(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let list = feed_watchlist(&state, &path).await?;
    let filter = list.narrow(events_read::EventFilter {
        review: vec![
            crate::store::models::ReviewState::Unreviewed,
            crate::store::models::ReviewState::Confirmed,
        ],
        ..events_read::EventFilter::default()
    });
    let ids = list.company_ids();
    let limit = usize::try_from(FEED_ENTRIES).unwrap_or(50);
    let events = match filter {
        Some(filter) => {
            state
                .db
                .read(move |conn| events_read::search_companies(conn, &ids, &filter, None, limit))
                .await?
                .items
        }
        None => Vec::new(),
    };
    let info = req.connection_info();
    let base = format!("{}://{}", info.scheme(), info.host());
    let self_url = format!("{base}{}", req.uri().path());
    let title = format!("riskline: {}", list.name);
    match atom_feed(&base, &self_url, &title, &events) {
        Ok(body) => Ok(HttpResponse::Ok()
            .content_type("application/atom+xml; charset=utf-8")
            .body(body)),
        Err(err) => {
            tracing::error!(error = %err, "cannot write the feed");
            Ok(Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error").response())
        }
    }
}

/// Dated calendar entries of a watchlist at most.
const WATCHLIST_CALENDAR_LIMIT: usize = 5_000;

/// A watchlist's dated events (not rejected) as iCalendar, at its capability URL.
#[utoipa::path(get, path = "/feeds/{token}/watchlist.ics", tag = "exports", operation_id = "watchlist_calendar",
    params(("token" = String, Path, description = "the watchlist's feed token")),
    responses((status = 200, content_type = "text/calendar", body = String),
              (status = 404, description = "no feed at this address (revoked or never made)", body = super::error::Problem)))]
pub(crate) async fn watchlist_calendar(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ReadError> {
    Params::parse(req.query_string(), &[])?;
    let list = feed_watchlist(&state, &path).await?;
    let filter = list.narrow(events_read::EventFilter {
        review: vec![
            crate::store::models::ReviewState::Unreviewed,
            crate::store::models::ReviewState::Confirmed,
        ],
        // Any date: leaves undated events out.
        from: chrono::NaiveDate::from_ymd_opt(1, 1, 1),
        ..events_read::EventFilter::default()
    });
    let ids = list.company_ids();
    let events = match filter {
        Some(filter) => {
            state
                .db
                .blocking(move |conn| {
                    events_read::search_companies(
                        conn,
                        &ids,
                        &filter,
                        None,
                        WATCHLIST_CALENDAR_LIMIT,
                    )
                })
                .await?
                .items
        }
        None => Vec::new(),
    };
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .body(icalendar(&list.name, &events)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_without_binary_noise() {
        assert_eq!(plain_number(0.7000000000000001), "0.7");
        assert_eq!(plain_number(5_000_000_000.0), "5000000000");
        assert_eq!(plain_number(-12.25), "-12.25");
        assert_eq!(plain_number(-0.0000001), "0");
        assert_eq!(plain_number(1.0), "1");
    }

    #[test]
    fn formula_cells_are_neutralised_and_numbers_kept() {
        for (cell, written) in [
            (
                "=HYPERLINK(\"http://x\",\"y\")",
                "'=HYPERLINK(\"http://x\",\"y\")",
            ),
            ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
            ("\t=1", "'\t=1"),
            ("\r=1", "'\r=1"),
            ("-", "'-"),
            ("-inf", "'-inf"),
            ("-12.5", "-12.5"),
            ("+3", "+3"),
            ("-3e6", "-3e6"),
            ("0.9", "0.9"),
            ("plain = text", "plain = text"),
            ("", ""),
        ] {
            assert_eq!(csv_cell(cell.to_string()), written, "{cell:?}");
        }
    }

    #[test]
    fn icalendar_text_is_escaped_and_lines_fold_at_75_octets() {
        assert_eq!(ics_text("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
        let mut out = String::new();
        let long = format!("SUMMARY:{}", "é".repeat(60));
        ics_line(&mut out, &long);
        for line in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded.trim_end(), long);
    }
}
