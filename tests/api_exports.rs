//! Exports over real HTTP, on SQLite and PostgreSQL: CSV parses back into the
//! events, iCalendar has one folded, escaped VEVENT per dated event, and the
//! Atom feed is well-formed XML with one entry per new event.

mod api_support;
mod common;

use api_support::{day, on_both_servers, seed_company, seed_event, Seed, TestServer};
use quick_xml::events::Event;

const TRICKY: &str = "Regulators fined GM, \"Cruise\"; it said: no\ncomment — naïve";

/// Events analysts entered: four of GM (one undated, one rejected), one of JPMorgan.
fn seed(server: &TestServer) {
    seed_company(server, "GM", "General Motors Company");
    seed_company(server, "JPM", "JPMorgan Chase & Co.");
    let mut tricky = Seed::lawsuit("GM", Some(day(2024, 5, 6)));
    tricky.summary = TRICKY.into();
    seed_event(server, &tricky);
    seed_event(server, &Seed::lawsuit("GM", Some(day(2023, 1, 2))));
    seed_event(server, &Seed::lawsuit("GM", None));
    let mut rejected = Seed::lawsuit("GM", Some(day(2022, 1, 2)));
    rejected.review = "rejected";
    seed_event(server, &rejected);
    seed_event(server, &Seed::lawsuit("JPM", Some(day(2026, 1, 23))));
}

#[test]
fn csv_exports_parse_back_into_the_events() {
    on_both_servers(seed, |server| {
        let resp = server.get(
            "/api/v1/companies/GM/timeline?format=csv",
            Some(&server.reader),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert!(
            resp.content_type.starts_with("text/csv"),
            "{}",
            resp.content_type
        );
        let mut reader = csv::Reader::from_reader(resp.body.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .unwrap()
            .iter()
            .map(str::to_string)
            .collect();
        assert_eq!(header[0], "id");
        assert!(header.contains(&"summary".to_string()) && header.contains(&"tickers".to_string()));
        let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(rows.len(), 4);
        let summary = header.iter().position(|h| h == "summary").unwrap();
        let tickers = header.iter().position(|h| h == "tickers").unwrap();
        assert_eq!(&rows[0][summary], TRICKY);
        assert_eq!(&rows[0][tickers], "GM");
        assert!(rows.iter().all(|r| r.len() == header.len()));
        assert!(resp.header("x-next-cursor").is_none());

        let page = server.get(
            "/api/v1/companies/GM/timeline?format=csv&limit=2",
            Some(&server.reader),
        );
        let cursor = page
            .header("x-next-cursor")
            .expect("next cursor header")
            .to_string();
        let rest = server.get(
            &format!("/api/v1/companies/GM/timeline?format=csv&limit=2&cursor={cursor}"),
            Some(&server.reader),
        );
        let count = |body: &str| csv::Reader::from_reader(body.as_bytes()).records().count();
        assert_eq!(count(&page.body) + count(&rest.body), 4);

        let search = server.get("/api/v1/events?format=csv&q=cruise", Some(&server.reader));
        assert_eq!(search.status, 200);
        assert_eq!(count(&search.body), 1);
    });
}

#[test]
fn the_calendar_has_one_folded_escaped_all_day_event_per_dated_event() {
    on_both_servers(seed, |server| {
        let resp = server.get("/api/v1/companies/gm/timeline.ics", Some(&server.reader));
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert!(resp.content_type.starts_with("text/calendar"));
        let body = &resp.body;
        assert!(body.starts_with("BEGIN:VCALENDAR\r\n"));
        assert!(body.ends_with("END:VCALENDAR\r\n"));
        assert!(!body.replace("\r\n", "").contains('\n'), "bare line feeds");
        for line in body.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line}", line.len());
        }
        let lines: Vec<&str> = body.split("\r\n").collect();
        let begins = lines.iter().filter(|l| **l == "BEGIN:VEVENT").count();
        let ends = lines.iter().filter(|l| **l == "END:VEVENT").count();
        // Dated and not rejected: two of the four GM events.
        assert_eq!((begins, ends), (2, 2), "{body}");
        let unfolded = body.replace("\r\n ", "");
        assert!(
            unfolded.contains("DTSTART;VALUE=DATE:20240506\r\n"),
            "{unfolded}"
        );
        assert!(unfolded.contains("DTEND;VALUE=DATE:20240507\r\n"));
        assert!(
            unfolded.contains("SUMMARY:[lawsuit filed] Regulators fined GM\\, \"Cruise\"\\; it said: no\\ncomment — naïve\r\n"),
            "{unfolded}"
        );
        assert_eq!(unfolded.matches("UID:event-").count(), 2);
    });
}

#[test]
fn the_atom_feed_is_well_formed_with_an_entry_per_new_event() {
    on_both_servers(seed, |server| {
        let resp = server.get(
            "/api/v1/feeds/events.atom?tickers=GM,jpm",
            Some(&server.reader),
        );
        assert_eq!(resp.status, 200, "{}", resp.body);
        assert!(resp.content_type.starts_with("application/atom+xml"));
        let mut reader = quick_xml::Reader::from_str(&resp.body);
        let mut path: Vec<String> = Vec::new();
        let (mut entries, mut ids, mut titles, mut feed_ns) = (0, Vec::new(), Vec::new(), None);
        loop {
            match reader.read_event().expect("well-formed XML") {
                Event::Start(e) => {
                    let name = String::from_utf8(e.name().as_ref().to_vec()).unwrap();
                    if name == "feed" {
                        feed_ns = e
                            .try_get_attribute("xmlns")
                            .unwrap()
                            .map(|a| a.unescape_value().unwrap().to_string());
                    }
                    if name == "entry" {
                        entries += 1;
                    }
                    path.push(name);
                }
                Event::End(_) => {
                    path.pop();
                }
                Event::Text(t) => {
                    let text = t.unescape().unwrap().to_string();
                    match path.join("/").as_str() {
                        "feed/entry/id" => ids.push(text),
                        "feed/entry/title" => titles.push(text),
                        _ => {}
                    }
                }
                Event::Eof => break,
                _ => {}
            }
        }
        assert_eq!(feed_ns.as_deref(), Some("http://www.w3.org/2005/Atom"));
        assert_eq!(entries, 5);
        assert_eq!(ids.len(), 5);
        assert!(ids.iter().all(|id| id.starts_with("urn:riskline:event:")));
        assert!(titles.iter().any(|t| t.contains(TRICKY)), "{titles:?}");

        let only_jpm = server.get(
            "/api/v1/feeds/events.atom?tickers=JPM",
            Some(&server.reader),
        );
        assert_eq!(only_jpm.body.matches("<entry>").count(), 1);
    });
}
