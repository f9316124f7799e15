//! What a user asks to follow, checked into a source row: the one place where
//! `riskline sources add`, `riskline watch --feed/--ticker` and
//! `POST /api/v1/sources` turn words into a [`NewSource`].

use crate::store::sources::{split_forms, NewSource, SourceType};
use crate::store::{companies, now, DbConnection, StoreError};

/// Default seconds between polls of a feed.
pub const FEED_INTERVAL_SECS: i64 = 900;
/// Default seconds between polls of a company's EDGAR filings.
pub const EDGAR_COMPANY_INTERVAL_SECS: i64 = 1_800;
/// Default seconds between polls of EDGAR's latest filings.
pub const EDGAR_LATEST_INTERVAL_SECS: i64 = 600;
/// The longest interval accepted: a week.
pub const MAX_INTERVAL_SECS: i64 = 7 * 86_400;
/// Forms kept from a company's filings unless told otherwise.
pub const DEFAULT_COMPANY_FORMS: &str = "8-K,10-K,10-Q";
/// Forms kept from the latest filings unless told otherwise.
pub const DEFAULT_LATEST_FORMS: &str = "8-K";

/// A source as asked for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceSpec {
    /// What it is; `None` is an error.
    pub kind: Option<SourceType>,
    /// Its name; derived from the address or company when absent.
    pub name: Option<String>,
    /// A feed's address (or an address replacing EDGAR's latest-filings feed).
    pub url: Option<String>,
    /// A company's ticker (EDGAR company sources).
    pub ticker: Option<String>,
    /// A company's CIK (EDGAR company sources).
    pub cik: Option<i64>,
    /// Form types to keep.
    pub forms: Vec<String>,
    /// Seconds between polls.
    pub interval_secs: Option<i64>,
    /// Whether summary-only feed items get their page fetched.
    pub fetch_pages: bool,
}

/// Why a spec cannot be a source.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    /// Occurs when a field is missing or wrong; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        /// The field at fault.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// Occurs when the database fails.
    #[error(transparent)]
    Store(#[from] StoreError),
}

fn invalid(field: &'static str, message: impl Into<String>) -> SpecError {
    SpecError::Invalid {
        field,
        message: message.into(),
    }
}

/// Parses an interval: seconds (`600`) or with a unit (`30s`, `15m`, `2h`, `1d`).
pub fn parse_interval(text: &str) -> Result<i64, String> {
    let t = text.trim();
    let (number, unit) = match t.find(|c: char| !c.is_ascii_digit()) {
        Some(i) => (
            t.get(..i).unwrap_or_default(),
            t.get(i..).unwrap_or_default(),
        ),
        None => (t, "s"),
    };
    let scale = match unit.trim() {
        "s" | "sec" | "secs" => 1,
        "m" | "min" => 60,
        "h" => 3_600,
        "d" => 86_400,
        _ => 0,
    };
    let secs = number
        .parse::<i64>()
        .ok()
        .and_then(|n| n.checked_mul(scale))
        .filter(|s| (1..=MAX_INTERVAL_SECS).contains(s));
    secs.ok_or_else(|| {
        format!("{t:?} is not an interval between 1 s and 7 d (e.g. 600, 30s, 15m, 2h)")
    })
}

fn check_url(url: &str) -> Result<String, SpecError> {
    let url = url.trim();
    let parsed = url::Url::parse(url).map_err(|e| invalid("url", format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid("url", "must be an http:// or https:// address"));
    }
    if url.len() > 2048 || url.chars().any(char::is_whitespace) {
        return Err(invalid(
            "url",
            "must be at most 2048 characters, without spaces",
        ));
    }
    Ok(url.to_string())
}

fn check_forms(forms: &[String], default: &str) -> Result<String, SpecError> {
    let forms: Vec<String> = forms.iter().flat_map(|f| split_forms(f)).collect();
    for form in &forms {
        let ok = form.len() <= 20
            && form
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'/' | b' '));
        if !ok {
            return Err(invalid(
                "forms",
                format!("{form:?} is not an SEC form type such as 8-K or 10-K"),
            ));
        }
    }
    Ok(if forms.is_empty() {
        default.to_string()
    } else {
        forms.join(",")
    })
}

fn check_name(name: Option<&str>, derived: String) -> Result<String, SpecError> {
    let name = name.map(str::trim).filter(|n| !n.is_empty());
    let name = name.map_or(derived, str::to_string);
    if name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(invalid(
            "name",
            "must be at most 200 characters, without control characters",
        ));
    }
    Ok(name)
}

/// Checks a spec against the database (a ticker must name a known company with a
/// CIK) and makes the row to insert.
pub fn to_new_source(conn: &mut DbConnection, spec: &SourceSpec) -> Result<NewSource, SpecError> {
    let kind = spec.kind.ok_or_else(|| {
        invalid(
            "kind",
            "one of feed, edgar_company or edgar_latest is required",
        )
    })?;
    let default_interval = match kind {
        SourceType::Feed => FEED_INTERVAL_SECS,
        SourceType::EdgarCompany => EDGAR_COMPANY_INTERVAL_SECS,
        SourceType::EdgarLatest => EDGAR_LATEST_INTERVAL_SECS,
    };
    let interval = spec.interval_secs.unwrap_or(default_interval);
    if !(1..=MAX_INTERVAL_SECS).contains(&interval) {
        return Err(invalid(
            "interval_secs",
            "must be between 1 and 604800 seconds",
        ));
    }
    let mut row = NewSource::new("", kind, interval, now());
    row.fetch_pages = spec.fetch_pages;
    let url = spec.url.as_deref().map(check_url).transpose()?;
    let derived = match kind {
        SourceType::Feed => {
            let url = url.ok_or_else(|| invalid("url", "a feed needs its address"))?;
            let shown = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
            let derived = format!("feed:{}", shown.chars().take(120).collect::<String>());
            row.url = Some(url);
            derived
        }
        SourceType::EdgarCompany => {
            let (cik, ticker) = company_of(conn, spec)?;
            row.cik = Some(cik);
            row.forms = check_forms(&spec.forms, DEFAULT_COMPANY_FORMS)?;
            row.url = url;
            let derived = match &ticker {
                Some(t) => format!("edgar:{t}"),
                None => format!("edgar:CIK{cik}"),
            };
            row.ticker = ticker;
            derived
        }
        SourceType::EdgarLatest => {
            row.forms = check_forms(&spec.forms, DEFAULT_LATEST_FORMS)?;
            row.url = url;
            format!("edgar-latest:{}", row.forms)
        }
    };
    row.name = check_name(spec.name.as_deref(), derived)?;
    Ok(row)
}

/// The CIK (and ticker) of an EDGAR company source: given, or found by ticker.
fn company_of(
    conn: &mut DbConnection,
    spec: &SourceSpec,
) -> Result<(i64, Option<String>), SpecError> {
    let ticker = match spec.ticker.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => Some(
            crate::registry::normalize_ticker(t)
                .ok_or_else(|| invalid("ticker", format!("{t:?} is not a ticker")))?,
        ),
        _ => None,
    };
    if let Some(cik) = spec.cik {
        if cik <= 0 || cik > 9_999_999_999 {
            return Err(invalid(
                "cik",
                "must be a positive number of at most 10 digits",
            ));
        }
        return Ok((cik, ticker));
    }
    let ticker = ticker.ok_or_else(|| invalid("ticker", "give a ticker or a CIK"))?;
    // A new database knows no companies until its first ingest: load the built-in
    // registry, as ingestion would, so that a ticker finds its CIK.
    companies::ensure_builtin(conn)?;
    let company = companies::find_by_ticker(conn, &ticker)?.ok_or_else(|| {
        invalid(
            "ticker",
            format!("no company with ticker {ticker}; give its CIK"),
        )
    })?;
    let cik = company.fields.cik.ok_or_else(|| {
        invalid(
            "ticker",
            format!("the registry has no CIK for {ticker}; give its CIK"),
        )
    })?;
    Ok((cik, Some(company.fields.ticker)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_take_units() {
        assert_eq!(parse_interval("600"), Ok(600));
        assert_eq!(parse_interval("15m"), Ok(900));
        assert_eq!(parse_interval(" 2h "), Ok(7_200));
        assert_eq!(parse_interval("1d"), Ok(86_400));
        for bad in ["0", "8d", "soon", "-5", "5x", ""] {
            assert!(parse_interval(bad).is_err(), "{bad}");
        }
    }
}
