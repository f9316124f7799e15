//! Article-body extraction on whole news pages: generated pages of every layout
//! (with decoy headlines in their furniture), then the real pages of the shared
//! data set.

use std::collections::BTreeSet;
use std::path::PathBuf;

use riskline::eval::page::{wrap, Layout, DECOY_COMPANIES, STANDFIRSTS};
use riskline::extract::normalize::{normalize, Format};
use riskline::extract::Extractor;

const STORY: &str = "Harbor Mills closes river terminal after barge strike\n\nHarbor Mills said on Thursday it had closed its river terminal in Cairo, Illinois, after a barge struck the loading pier, and that shipments would resume next week.\n\nThe company said no one was injured. Inspectors from the port authority were on site on Friday.\nA spokesman declined to say how much the repairs would cost.\n\nGrain traders said the closure would delay about forty cargoes bound for the Gulf coast.\n\nLast year a shareholder sued Harbor Mills over its river contracts; that case is pending.";

fn id_for(layout: Layout) -> String {
    (0..500)
        .map(|i| format!("page-{i}"))
        .find(|id| wrap(id, STORY, None, &[]).layout == layout)
        .expect("some id picks every layout")
}

#[test]
fn every_layout_keeps_the_story_and_drops_the_furniture() {
    for layout in Layout::ALL {
        let id = id_for(layout);
        let page = wrap(&id, STORY, Some("2024-05-02"), &[]);
        let doc = normalize(&page.html, Format::Html);
        let t = &doc.text;
        let name = layout.as_str();
        for para in STORY.split("\n\n") {
            assert!(t.contains(para), "{name}: lost {para:?} from\n{t}");
        }
        for (company, _) in DECOY_COMPANIES {
            assert!(
                !t.contains(company),
                "{name}: kept decoy {company:?} in\n{t}"
            );
        }
        for standfirst in STANDFIRSTS {
            assert!(
                !t.contains(standfirst),
                "{name}: kept teaser summary {standfirst:?} in\n{t}"
            );
        }
        for furniture in [
            "h ago",
            "cookies",
            "Most read",
            "Morning Briefing",
            "All rights reserved",
            "Advertisement",
            "Facebook",
            "Markets",
            "Staff Reporter",
        ] {
            assert!(!t.contains(furniture), "{name}: kept {furniture:?} in\n{t}");
        }
        assert!(
            t.starts_with("Harbor Mills closes river terminal after barge strike\n\n"),
            "{name}: {t}"
        );
        assert_eq!(
            doc.published_at,
            chrono::NaiveDate::from_ymd_opt(2024, 5, 2),
            "{name}"
        );
    }
}

#[test]
fn a_page_gives_the_same_events_as_its_clean_text() {
    let ex = Extractor::builtin();
    let text = "Kessler Freight halts rail service after bridge collapse\n\nWalmart sued Kessler Freight on Monday in federal court in Arkansas, saying the carrier broke a delivery contract.\n\nThe retailer is seeking $12 million in damages. Kessler Freight did not respond to a request for comment.";
    let tickers = |events: &[riskline::extract::Event]| -> BTreeSet<(String, String)> {
        events
            .iter()
            .flat_map(|e| {
                e.tickers
                    .iter()
                    .map(move |t| (e.kind.as_str().to_string(), t.to_string()))
            })
            .collect()
    };
    let clean = tickers(&ex.extract(text, Format::Text, None).events);
    assert!(!clean.is_empty(), "the story itself has an event");
    for layout in Layout::ALL {
        let id = (0..500)
            .map(|i| format!("ev-{i}"))
            .find(|id| wrap(id, text, None, &["WMT"]).layout == layout)
            .expect("layout");
        let page = wrap(&id, text, None, &["WMT"]);
        let got = tickers(&ex.extract(&page.html, Format::Html, None).events);
        assert_eq!(got, clean, "{}", layout.as_str());
    }
}

/// The shared data directory, or `None` (after saying so) when this checkout has none.
fn shared_html() -> Option<PathBuf> {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/html"));
    if dir.is_dir() {
        Some(dir)
    } else {
        println!("skipped: ../shared/data/html not found");
        None
    }
}

/// Every real page: prints what the normaliser keeps (run with `--nocapture` to
/// read it) and checks that no furniture heading or teaser line survives.
#[test]
fn real_pages_keep_no_menus_teasers_or_footers() {
    let Some(dir) = shared_html() else { return };
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    let furniture = regex::Regex::new(
        r"(?im)^(?:related(?: (?:stories|articles|links|content))?|more from\b.*|most (?:read|popular|viewed)|trending(?: now)?|you may also like|recommended(?: for you)?|sponsored(?: content| stories)?|advertisement|follow us\b.*|share this\b.*|sign up\b.*|subscribe\b.*|all rights reserved.*|©.*|copyright\b.*|privacy policy|terms of (?:use|service))\s*$",
    )
    .expect("pattern");
    let mut problems = Vec::new();
    for path in names {
        let bytes = std::fs::read(&path).expect("readable");
        let raw = String::from_utf8_lossy(&bytes);
        let doc = normalize(&raw, Format::Html);
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        println!(
            "===== {name}: {} chars kept of {}",
            doc.text.len(),
            raw.len()
        );
        println!("{}", doc.text);
        for m in furniture.find_iter(&doc.text) {
            problems.push(format!("{name}: kept furniture line {:?}", m.as_str()));
        }
        let events = Extractor::builtin()
            .extract(&raw, Format::Html, None)
            .events;
        if !events.is_empty() {
            problems.push(format!("{name}: events {events:?}"));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
