//! Later steps of a story as the extractor reads them: a ban lifted, a permit
//! reinstated, a service resumed, a ruling reversed on appeal, an inquiry closed. Each
//! is one step of its own kind and action, and never a new ban or halt; the texts were
//! written for this test.

use riskline::domain::Action;
use riskline::extract::{Event, Extractor, Format, Kind};

fn events(text: &str) -> Vec<Event> {
    Extractor::builtin()
        .extract(
            text,
            Format::Text,
            chrono::NaiveDate::from_ymd_opt(2024, 5, 10),
        )
        .events
}

fn steps(text: &str) -> Vec<(Kind, Action, Vec<String>)> {
    events(text)
        .into_iter()
        .map(|e| {
            let tickers = e.tickers.iter().map(|t| t.to_string()).collect();
            (e.kind, e.action, tickers)
        })
        .collect()
}

fn one(kind: Kind, action: Action, ticker: &str) -> Vec<(Kind, Action, Vec<String>)> {
    vec![(kind, action, vec![ticker.to_string()])]
}

#[test]
fn a_lifted_ban_is_one_lifting_and_no_second_ban() {
    assert_eq!(
        steps("The Federal Aviation Administration lifted its ban on Boeing's 737 MAX flights on Wednesday."),
        one(Kind::RegulatoryAction, Action::Lifted, "BA")
    );
    assert_eq!(
        steps("The ban on Boeing's 737 MAX flights was lifted by the Federal Aviation Administration on Tuesday."),
        one(Kind::RegulatoryAction, Action::Lifted, "BA")
    );
}

#[test]
fn a_permit_reinstated_by_its_agency_lifts_the_suspension() {
    let found =
        steps("The California DMV reinstated Cruise's driverless testing permit on Monday.");
    assert_eq!(found, one(Kind::RegulatoryAction, Action::Lifted, "GM"));
}

#[test]
fn a_resumed_service_is_a_resumption_and_never_a_halt() {
    assert_eq!(
        steps("Boeing resumed deliveries of its 787 Dreamliner jets on Monday."),
        one(Kind::ServiceHalt, Action::Resumption, "BA")
    );
    let grounded =
        steps("Alaska Airlines returned its grounded Boeing 737 MAX 9 jets to service on Friday.");
    assert!(
        grounded
            .iter()
            .all(|(_, action, _)| *action == Action::Resumption),
        "{grounded:?}"
    );
}

#[test]
fn an_outage_and_its_end_in_one_sentence_are_two_steps() {
    let found = steps(
        "Verizon said it had restored its wireless network on Thursday after an outage that began before dawn.",
    );
    let actions: Vec<Action> = found.iter().map(|(_, a, _)| *a).collect();
    assert!(actions.contains(&Action::Outage), "{found:?}");
    assert!(actions.contains(&Action::Resumption), "{found:?}");
    assert!(found.iter().all(|(k, _, _)| *k == Kind::ServiceHalt));
}

#[test]
fn a_reversal_on_appeal_is_its_own_step_and_not_a_new_dismissal() {
    let found = steps(
        "A federal appeals court on Friday overturned the dismissal of the shareholder lawsuit against Boeing.",
    );
    assert_eq!(found, one(Kind::Lawsuit, Action::Reversed, "BA"));
}

#[test]
fn an_inquiry_closed_without_action_ends_it() {
    let found =
        steps("The SEC closed its investigation into Tesla without recommending any action.");
    assert_eq!(found, one(Kind::RegulatoryAction, Action::Closed, "TSLA"));
}

#[test]
fn resumed_trading_plans_and_lifted_shares_are_no_events() {
    for text in [
        "Trading in Boeing shares resumed after a brief halt on Tuesday.",
        "Tesla said it will resume production at the plant next week.",
        "Strong results lifted Boeing shares 3% on Tuesday.",
        "Boeing restored its full-year delivery forecast on Wednesday.",
    ] {
        assert!(steps(text).is_empty(), "{text}: {:?}", steps(text));
    }
}

#[test]
fn a_court_suspending_a_ban_rules_and_a_return_ending_a_halt_is_only_the_return() {
    assert_eq!(
        steps("A federal appeals court on Wednesday suspended the import ban on Boeing's jets."),
        one(Kind::Lawsuit, Action::Ruled, "BA")
    );
    assert_eq!(
        steps("Alaska Airlines returned its first Boeing 737-9 to passenger service on Friday, ending a three-week absence that forced it to cancel thousands of flights."),
        one(Kind::ServiceHalt, Action::Resumption, "ALK")
    );
}

#[test]
fn a_resumption_in_the_background_of_another_story_is_no_step() {
    assert!(
        steps("General Motors had only recently resumed testing in a handful of cities.")
            .is_empty()
    );
    assert_eq!(
        steps("Verizon said it had restored service to all customers by Thursday afternoon."),
        one(Kind::ServiceHalt, Action::Resumption, "VZ")
    );
}

#[test]
fn a_halt_reported_before_its_restoration_stays_a_halt() {
    let found = steps("Verizon's network went dark for hours on Thursday before the carrier restored service to its customers.");
    let actions: Vec<Action> = found.iter().map(|(_, a, _)| *a).collect();
    assert!(actions.contains(&Action::Resumption), "{found:?}");
    assert!(actions.contains(&Action::Outage), "{found:?}");
}
