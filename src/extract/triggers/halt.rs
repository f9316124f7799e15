//! Word-sense checks of halt triggers: a service of the company stops ("halted its
//! driverless service", "grounded its fleet", "closed DVD.com"), not trading in its
//! shares, a dividend, a buyback, a stock price ("closed down 39%") or a perk.

use super::Near;
use crate::extract::lexicon::{HALT_OBJECTS, NOT_HALT_OBJECTS};

/// The sense of suspend / halt / pause / stop / shut down / close / discontinue / ground /
/// idle.
pub fn halt_sense(n: &Near<'_>, lemma: &str) -> bool {
    let Near {
        seg, k, tok_start, ..
    } = *n;
    let window: Vec<&str> = n.window(8);
    let before: Vec<&str> = (tok_start.max(k.saturating_sub(6))..k)
        .map(|j| seg.low(j))
        .collect();
    if !service_object(&window, &before) {
        return false;
    }
    match lemma {
        "stop" => stop(n, &window),
        "close" => close(n, &window),
        "shut down" => n.n0 == "down" || window.first() == Some(&"down"),
        "ground" => {
            // "grounded its fleet", "grounding of ... aircraft"; not "on the ground".
            n.w != "grounds"
                && window.iter().any(|x| {
                    matches!(
                        *x,
                        "fleet"
                            | "plane"
                            | "jet"
                            | "planes"
                            | "aircraft"
                            | "jets"
                            | "flights"
                            | "max"
                            | "airplanes"
                            | "its"
                            | "of"
                    )
                })
        }
        "idle" => {
            let Near { w, prev, .. } = *n;
            prev == "stay" || prev == "remain" || prev == "sit" || w == "idled"
        }
        _ => {
            // halt / pause / suspend: a service object, or an object owned by the subject.
            let Near { w, prev, .. } = *n;
            window
                .iter()
                .take(7)
                .any(|x| HALT_OBJECTS.contains(x) || matches!(*x, "its" | "their" | "all"))
                || matches!(prev, "production" | "service" | "sales" | "operations")
                || (w.ends_with('s') && !w.ends_with("ss") && window.is_empty())
        }
    }
}

/// False when what stops is third-party goods, stock trading, a dividend, a buyback or
/// hiring rather than a service: `window` holds the words after the trigger, `before` up
/// to six words before it.
fn service_object(window: &[&str], before: &[&str]) -> bool {
    // Retailers dropping third-party goods are not halts of their own products.
    if window.iter().take(6).any(|x| {
        matches!(
            *x,
            "merchandise"
                | "items"
                | "listings"
                | "third-party"
                | "dividend"
                | "dividends"
                | "buyback"
                | "buybacks"
        )
    }) {
        return false;
    }
    // Stock trading halts, dividends, buybacks, hiring: never service halts.
    let object_region: Vec<&str> = window.iter().take(5).copied().collect();
    if object_region.iter().any(|x| NOT_HALT_OBJECTS.contains(x)) {
        // ... unless a real object comes first ("stopped selling shares"? rare).
        let first_good = object_region
            .iter()
            .position(|x| HALT_OBJECTS.contains(x) && *x != "trading");
        let first_bad = object_region
            .iter()
            .position(|x| NOT_HALT_OBJECTS.contains(x));
        if first_good.map_or(true, |g| first_bad.is_some_and(|b| b < g)) {
            return false;
        }
    }
    if before.iter().any(|x| {
        matches!(
            *x,
            "trading" | "shares" | "stock" | "stocks" | "dividend" | "dividends"
        )
    }) && !window
        .iter()
        .any(|x| HALT_OBJECTS.contains(x) && *x != "trading")
    {
        return false;
    }
    !(window.iter().take(3).any(|x| *x == "trading")
        || before.iter().rev().take(3).any(|x| *x == "trading"))
}

/// "stopped selling/building/production", not "stop using" / "stop short of".
fn stop(n: &Near<'_>, window: &[&str]) -> bool {
    let Near { w, n0, .. } = *n;
    if matches!(n0, "short" | "using" | "by" | "at" | "in" | "to") {
        return false;
    }
    matches!(
        w,
        "stopped" | "stops" | "stop" | "stopping" | "ceased" | "ceases" | "cease" | "ceasing"
    ) && (window
        .iter()
        .take(4)
        .any(|x| HALT_OBJECTS.contains(x) || x.ends_with("ing") && *x != "using"))
}

/// "closed down 39%" or "closed at": stock prices; "close DVD.com" is a halt.
fn close(n: &Near<'_>, window: &[&str]) -> bool {
    let Near {
        seg,
        k,
        tok_end,
        n0,
        prev,
        ..
    } = *n;
    if matches!(
        n0,
        "down"
            | "up"
            | "at"
            | "higher"
            | "lower"
            | "out"
            | "the"
            | "to"
            | "in"
            | "on"
            | "its"
            | "a"
    ) && !window.iter().any(|x| {
        matches!(
            *x,
            "service"
                | "services"
                | "plant"
                | "plants"
                | "stores"
                | "factory"
                | "operations"
                | "business"
        )
    }) {
        return false;
    }
    if prev == "stock" || prev == "shares" {
        return false;
    }
    // Needs a service-like object or a capitalised product name next.
    let next_cap = k + 1 < tok_end
        && seg
            .tok(k + 1)
            .chars()
            .next()
            .is_some_and(|c| c.is_uppercase());
    // The object may carry a place in commas ("its Sturgis, Michigan, plant").
    next_cap
        || window.iter().filter(|x| **x != ",").take(5).any(|x| {
            matches!(
                *x,
                "service"
                    | "services"
                    | "plant"
                    | "plants"
                    | "stores"
                    | "factory"
                    | "factories"
                    | "operations"
                    | "business"
                    | "mine"
                    | "refinery"
            )
        })
}

/// "cancelled flights", "canceled orders", "scrapped a third of its flights": a
/// cancelled service.
pub fn cancel(n: &Near<'_>) -> bool {
    n.window(7).iter().any(|x| {
        matches!(
            *x,
            "flights"
                | "flight"
                | "departures"
                | "trips"
                | "orders"
                | "service"
                | "services"
                | "production"
                | "shipments"
                | "sailings"
                | "cruises"
                | "trains"
        )
    })
}

/// Own products pulled from sale: "removed the Quarter Pounder from the menu".
pub fn remove(n: &Near<'_>) -> bool {
    let window: Vec<&str> = n.window(14);
    window.contains(&"from")
        && window.iter().any(|x| {
            matches!(
                *x,
                "menu"
                    | "menus"
                    | "sale"
                    | "shelves"
                    | "stores"
                    | "website"
                    | "market"
                    | "restaurants"
            )
        })
        && !window.iter().any(|x| {
            NOT_HALT_OBJECTS.contains(x)
                || matches!(
                    *x,
                    "game" | "games" | "app" | "apps" | "content" | "posts" | "videos" | "accounts"
                )
        })
}

/// "pulled the product from stores", "pulled its permits"; not "pulled back".
pub fn pull(n: &Near<'_>) -> bool {
    let window: Vec<&str> = n.window(12);
    (window.contains(&"from")
        || window.contains(&"out")
        || window
            .iter()
            .any(|x| matches!(*x, "permit" | "permits" | "license" | "licenses")))
        && !window.iter().any(|x| {
            NOT_HALT_OBJECTS.contains(x)
                || matches!(
                    *x,
                    "game"
                        | "games"
                        | "app"
                        | "apps"
                        | "content"
                        | "plug"
                        | "back"
                        | "ahead"
                        | "away"
                )
        })
}

/// Leaving a market: "exited Russia", "withdrew from China".
pub fn exit(n: &Near<'_>) -> bool {
    let Near { w, n0, .. } = *n;
    let window: Vec<&str> = n.window(5);
    window.iter().any(|x| {
        matches!(
            *x,
            "market"
                | "country"
                | "russia"
                | "china"
                | "europe"
                | "business"
                | "region"
                | "markets"
        )
    }) || (w == "withdrew" || w == "withdraws") && n0 == "from"
}

/// Restrictions an act can lift ("lifted the ban", "rescinded the order", "the
/// suspension was lifted"); "lifted its forecast", "lifted shares" are not.
const RESTRICTIONS: &[&str] = &[
    "ban",
    "bans",
    "suspension",
    "suspensions",
    "grounding",
    "order",
    "orders",
    "injunction",
    "restriction",
    "restrictions",
    "moratorium",
    "embargo",
    "prohibition",
    "halt",
    "freeze",
    "stay",
    "sanctions",
    "curbs",
    "blacklisting",
    "revocation",
    "recall",
];

/// "lift" and "rescind" in their legal sense: a restriction is its object (within five
/// words after), or the subject of a passive ("the ban was lifted").
pub fn lift(n: &Near<'_>) -> bool {
    let Near {
        seg, k, tok_start, ..
    } = *n;
    if n.window(5).iter().any(|x| RESTRICTIONS.contains(x)) {
        return true;
    }
    let before: Vec<&str> = (tok_start.max(k.saturating_sub(10))..k)
        .map(|j| seg.low(j))
        .collect();
    before.iter().any(|x| RESTRICTIONS.contains(x))
        && before.iter().any(|x| super::is_be(x))
        && !before
            .iter()
            .any(|x| matches!(*x, "pause" | "pauses" | "trading"))
}

/// "resume", "restore" and "reopen" as a halted service back: a service object after
/// the verb ("resumed deliveries", "restored its network", "reopened the plant") or as
/// its subject ("production resumed", "service was restored"); never trading in a
/// stock, dividends or talks, and never a plan ("will resume", "expects to reopen").
pub fn resume(n: &Near<'_>) -> bool {
    let Near {
        seg, k, tok_start, ..
    } = *n;
    let window: Vec<&str> = n.window(6);
    let before: Vec<&str> = (tok_start.max(k.saturating_sub(4))..k)
        .map(|j| seg.low(j))
        .collect();
    let planned = before.iter().rev().take(3).any(|x| {
        matches!(
            *x,
            "will"
                | "would"
                | "to"
                | "could"
                | "may"
                | "might"
                | "can"
                | "plans"
                | "expects"
                | "hopes"
                | "aims"
                | "until"
                | "if"
        )
    });
    let not_service = |x: &&str| {
        NOT_HALT_OBJECTS.contains(x)
            || matches!(
                *x,
                "trading"
                    | "confidence"
                    | "growth"
                    | "order"
                    | "calm"
                    | "relations"
                    | "ties"
                    | "case"
                    | "investigation"
                    | "hearing"
                    | "trial"
                    | "profitability"
            )
    };
    let service = |x: &&str| {
        HALT_OBJECTS.contains(x)
            || matches!(
                *x,
                "network"
                    | "networks"
                    | "access"
                    | "connectivity"
                    | "power"
                    | "systems"
                    | "system"
                    | "app"
                    | "apps"
                    | "website"
                    | "site"
                    | "stores"
                    | "store"
                    | "factory"
                    | "factories"
                    | "plants"
                    | "mine"
                    | "refinery"
                    | "pipeline"
                    | "line"
                    | "trains"
                    | "flying"
                    | "functionality"
                    | "platform"
            )
    };
    // "had only recently resumed testing": a past step in the background of another
    // story, unless someone reports it ("said it had restored service").
    let sentence: Vec<&str> = (tok_start..k).map(|j| seg.low(j)).collect();
    let pluperfect = before.iter().rev().take(3).any(|x| *x == "had")
        && !sentence.iter().any(|x| {
            matches!(
                *x,
                "said" | "says" | "announced" | "confirmed" | "reported" | "added"
            )
        });
    let after = window.iter().take(5);
    !planned
        && !pluperfect
        && !window.iter().take(4).any(not_service)
        && !before.iter().any(not_service)
        && (after.clone().any(service) || before.iter().any(service))
}

#[cfg(test)]
mod tests {
    use super::super::tests::lemmas;

    #[test]
    fn services_halt_and_shares_do_not() {
        assert_eq!(lemmas("The carrier halted all flights."), vec!["halt"]);
        assert!(lemmas("The exchange halted trading in the shares.").is_empty());
        assert!(lemmas("The lender suspended its dividend.").is_empty());
        assert!(lemmas("Shares closed down 4% on Friday.").is_empty());
    }

    #[test]
    fn closing_needs_a_service_or_a_name() {
        assert_eq!(
            lemmas("The chain will close Bloomsbury Books."),
            vec!["close"]
        );
        assert_eq!(lemmas("It will close two plants."), vec!["close"]);
        assert_eq!(
            lemmas("Acme closed its Dayton, Ohio, plant in May."),
            vec!["close"]
        );
        assert!(lemmas("People should stop using the heater.").is_empty());
    }

    #[test]
    fn exits_and_recalls_of_products() {
        assert_eq!(lemmas("The grocer exited the market in May."), vec!["exit"]);
        assert_eq!(
            lemmas("The brewer removed the lager from shelves."),
            vec!["remove"]
        );
    }
}
