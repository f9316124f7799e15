//! A generated corpus of news-like documents, for the interrupted-ingest test and
//! the ingest benchmark (`benches/ingest.rs` includes this file).
//!
//! Document `i` is made from templates: an event (company × kind × date ×
//! amount, chosen by a hash of the event number), one of three phrasings of it,
//! a headline, a `Published:` line and paragraphs of market commentary that
//! report nothing. About one document in four reports an event of a recent
//! earlier document in other words, so that merging has work to do. Nothing is
//! held in memory: each document is built when asked for.

#![allow(dead_code)]

use std::fmt::Write as _;

/// Companies of the built-in registry, as news names them.
pub const COMPANIES: [&str; 40] = [
    "Apple Inc.",
    "Microsoft",
    "Amazon",
    "Alphabet",
    "Meta Platforms",
    "Tesla",
    "Boeing",
    "JPMorgan Chase",
    "Bank of America",
    "Wells Fargo",
    "Goldman Sachs",
    "Citigroup",
    "Exxon Mobil",
    "Chevron",
    "Pfizer",
    "Johnson & Johnson",
    "Walmart",
    "Ford Motor",
    "General Motors",
    "Delta Air Lines",
    "United Airlines",
    "AT&T",
    "Verizon",
    "Netflix",
    "Uber",
    "Intel",
    "Nvidia",
    "Visa",
    "Mastercard",
    "Coca-Cola",
    "PepsiCo",
    "Starbucks",
    "3M",
    "Norfolk Southern",
    "Union Pacific",
    "UnitedHealth",
    "CVS Health",
    "Comcast",
    "Home Depot",
    "Costco",
];

const PLAINTIFFS: [&str; 6] = [
    "a group of shareholders",
    "a former employee",
    "the attorney general of Texas",
    "a pension fund",
    "a consumer advocacy group",
    "a rival supplier",
];

const AGENCIES: [&str; 5] = [
    "the Securities and Exchange Commission",
    "the Federal Trade Commission",
    "the Consumer Financial Protection Bureau",
    "the Justice Department",
    "the Environmental Protection Agency",
];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const COMMENTARY: [&str; 8] = [
    "Stocks ended the session mixed as investors weighed fresh economic data against comments from central bank officials about the path of interest rates.",
    "Trading volumes were lighter than average, with many portfolio managers waiting for the next round of quarterly earnings before adjusting positions.",
    "Bond yields edged higher in the afternoon, and the dollar gained against most major currencies after a stronger than expected report on retail sales.",
    "Analysts said the broader market remained sensitive to signs of slowing growth, although corporate profits have so far held up better than many had expected.",
    "Energy shares tracked the price of crude oil, which swung in a narrow range as traders assessed supply forecasts from producers and government agencies.",
    "Technology stocks have led the market for much of the year, and some strategists warned that valuations now leave little room for disappointment.",
    "Smaller companies outperformed large ones for a second straight week, a shift that some investors read as growing confidence in the domestic economy.",
    "Economists expect hiring to slow in the coming months, but they said household spending should stay firm as long as wages keep rising faster than prices.",
];

/// A document of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// A file name that sorts in corpus order.
    pub name: String,
    pub text: String,
}

fn mix(mut x: u64) -> u64 {
    // splitmix64: a fixed, well-spread hash of the event number.
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// Days since 1 January 2012 as (year, month 1..=12, day).
fn civil(days: u64) -> (u64, usize, u64) {
    let lengths = |year: u64| -> [u64; 12] {
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ]
    };
    let (mut year, mut left) = (2012, days);
    loop {
        let total: u64 = lengths(year).iter().sum();
        if left < total {
            break;
        }
        left -= total;
        year += 1;
    }
    let mut month = 0;
    for (m, len) in lengths(year).iter().enumerate() {
        if left < *len {
            month = m;
            break;
        }
        left -= len;
    }
    (year, month + 1, left + 1)
}

/// The event number document `i` reports: its own, or for about one document in
/// four, that of one of the two documents before it.
pub fn event_of(i: usize) -> usize {
    if i % 4 == 3 {
        i - 1 - (i / 4) % 2
    } else {
        i
    }
}

/// Document `i` of the corpus.
pub fn document(i: usize) -> Doc {
    let e = event_of(i);
    let h = mix(e as u64);
    let company = COMPANIES[(h % COMPANIES.len() as u64) as usize];
    let kind = (h >> 8) % 5;
    // Events spread over about 27 years: two of one company and kind rarely fall
    // within days of each other.
    let day = (e as u64) / 2 + (h >> 16) % 3;
    let (year, month, dom) = civil(day);
    let published = civil(day + 1 + (i as u64 % 2));
    let date = format!("{} {dom}, {year}", MONTHS[month - 1]);
    let amount = 10 + (h >> 24) % 890;
    let plaintiff = PLAINTIFFS[((h >> 32) % PLAINTIFFS.len() as u64) as usize];
    let agency = AGENCIES[((h >> 40) % AGENCIES.len() as u64) as usize];
    let phrasing = (i + (h >> 48) as usize) % 3;

    let (headline, lead) = match (kind, phrasing) {
        (0, 0) => (
            format!("{company} Sued Over Business Practices"),
            format!("{plaintiff} sued {company} on {date} in federal court, seeking ${amount} million in damages over what the complaint calls misleading business practices."),
        ),
        (0, 1) => (
            format!("Lawsuit Targets {company}"),
            format!("{company} was sued on {date} by {plaintiff}, who accused the company of breaching its contracts and asked for ${amount} million in damages."),
        ),
        (0, _) => (
            format!("{company} Faces New Lawsuit"),
            format!("A lawsuit filed against {company} on {date} by {plaintiff} seeks ${amount} million, alleging the company concealed problems from its customers."),
        ),
        (1, 0) => (
            format!("{company} Settles Lawsuit"),
            format!("{company} agreed on {date} to pay ${amount} million to settle a lawsuit brought by {plaintiff}."),
        ),
        (1, 1) => (
            format!("{company} Reaches ${amount} Million Settlement"),
            format!("{company} settled a lawsuit with {plaintiff} on {date}, agreeing to pay ${amount} million without admitting wrongdoing."),
        ),
        (1, _) => (
            format!("{company} to Pay ${amount} Million in Settlement"),
            format!("On {date}, {company} agreed to a ${amount} million settlement of the lawsuit brought by {plaintiff}."),
        ),
        (2, 0) => (
            format!("Regulators Fine {company}"),
            format!("{agency} fined {company} ${amount} million on {date} over failures in its compliance controls."),
        ),
        (2, 1) => (
            format!("{company} Hit With ${amount} Million Penalty"),
            format!("{company} was fined ${amount} million by {agency} on {date} for violating record-keeping rules."),
        ),
        (2, _) => (
            format!("{company} Penalized by Regulators"),
            format!("On {date}, {agency} said it had fined {company} ${amount} million for inadequate compliance controls."),
        ),
        (3, 0) => (
            format!("Regulators Open Probe Into {company}"),
            format!("{agency} opened an investigation into {company} on {date} over its sales practices."),
        ),
        (3, 1) => (
            format!("{company} Under Investigation"),
            format!("{company} said on {date} that {agency} had launched an investigation into its sales practices."),
        ),
        (3, _) => (
            format!("Probe of {company} Announced"),
            format!("On {date}, {agency} began investigating {company} over how it marketed its products."),
        ),
        (_, 0) => (
            format!("{company} Halts Online Service After Outage"),
            format!("{company} halted its online ordering service on {date} after a software failure knocked its systems offline."),
        ),
        (_, 1) => (
            format!("{company} Suspends Service"),
            format!("{company} suspended its online ordering service on {date} following a software failure."),
        ),
        (_, _) => (
            format!("Outage Forces {company} to Halt Service"),
            format!("A software failure forced {company} to halt its online ordering service on {date}."),
        ),
    };
    let lead = capitalized(&lead);
    let mut text = String::with_capacity(2048);
    let _ = write!(
        text,
        "{headline}\nPublished: {}-{:02}-{:02}\n\n{lead}\n\n",
        published.0, published.1, published.2
    );
    let paragraphs = 3 + (h >> 56) % 4;
    for p in 0..paragraphs {
        let line = COMMENTARY[((i as u64 + p * 3) % COMMENTARY.len() as u64) as usize];
        let _ = write!(text, "{line}\n\n");
    }
    Doc {
        name: format!("{i:06}.txt"),
        text,
    }
}

fn capitalized(sentence: &str) -> String {
    let mut chars = sentence.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes documents `0..n` as files into `dir`.
pub fn write_files(dir: &std::path::Path, n: usize) -> std::io::Result<u64> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = 0;
    for i in 0..n {
        let doc = document(i);
        bytes += doc.text.len() as u64;
        std::fs::write(dir.join(&doc.name), doc.text)?;
    }
    Ok(bytes)
}
