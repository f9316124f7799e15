//! EDGAR's addresses and indexes: a company's submissions index
//! (`data.sec.gov/submissions/CIK##########.json`), the latest-filings Atom feed
//! (`www.sec.gov/cgi-bin/browse-edgar?action=getcurrent`), and the full
//! submission file of a filing (`/Archives/edgar/data/CIK/ACCESSION/ACCESSION.txt`),
//! whose SGML header names the filer by CIK.

use serde::Deserialize;

/// Where EDGAR is: its two hosts, replaceable for a mirror or a test server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EdgarUrls {
    /// The host of the submissions indexes, `https://data.sec.gov`.
    pub data: String,
    /// The host of the archives and the latest-filings feed, `https://www.sec.gov`.
    pub www: String,
}

impl Default for EdgarUrls {
    fn default() -> Self {
        EdgarUrls {
            data: "https://data.sec.gov".to_string(),
            www: "https://www.sec.gov".to_string(),
        }
    }
}

impl EdgarUrls {
    /// The submissions index of a company.
    pub fn submissions(&self, cik: i64) -> String {
        format!(
            "{}/submissions/CIK{cik:010}.json",
            self.data.trim_end_matches('/')
        )
    }

    /// The full submission file of a filing (header and every document).
    pub fn full_submission(&self, filing: &Filing) -> String {
        format!(
            "{}/Archives/edgar/data/{}/{}/{}.txt",
            self.www.trim_end_matches('/'),
            filing.cik,
            filing.accession.replace('-', ""),
            filing.accession
        )
    }

    /// The primary document of a filing, when the index names it.
    pub fn primary_document(&self, filing: &Filing) -> Option<String> {
        let doc = filing.primary_document.as_deref()?;
        Some(format!(
            "{}/Archives/edgar/data/{}/{}/{doc}",
            self.www.trim_end_matches('/'),
            filing.cik,
            filing.accession.replace('-', ""),
        ))
    }

    /// The latest-filings feed, of one form type when `forms` names exactly one.
    pub fn latest(&self, forms: &[String]) -> String {
        let form = match forms {
            [one] => one.as_str(),
            _ => "",
        };
        let form: String = form
            .chars()
            .map(|c| if c == ' ' { '+' } else { c })
            .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '/' | '+'))
            .collect();
        format!(
            "{}/cgi-bin/browse-edgar?action=getcurrent&type={form}&company=&dateb=&owner=include&start=0&count=100&output=atom",
            self.www.trim_end_matches('/')
        )
    }
}

/// One filing of an index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// The filer's CIK.
    pub cik: i64,
    /// The accession number, `0000320193-24-000123`.
    pub accession: String,
    /// The form type, `8-K`.
    pub form: String,
    /// The primary document's file name, when known.
    pub primary_document: Option<String>,
}

/// What a company's submissions index says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submissions {
    /// The company's CIK.
    pub cik: i64,
    /// Its name as EDGAR has it.
    pub name: Option<String>,
    /// Its tickers, main one first.
    pub tickers: Vec<String>,
    /// Its recent filings, newest first.
    pub filings: Vec<Filing>,
}

#[derive(Debug, Deserialize)]
struct RawSubmissions {
    cik: Option<serde_json::Value>,
    name: Option<String>,
    #[serde(default)]
    tickers: Vec<String>,
    filings: Option<RawFilings>,
}

#[derive(Debug, Deserialize)]
struct RawFilings {
    recent: Option<RawRecent>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawRecent {
    #[serde(default)]
    accession_number: Vec<String>,
    #[serde(default)]
    form: Vec<String>,
    #[serde(default)]
    primary_document: Vec<String>,
}

/// Parses a submissions index; `cik` is the one asked for, used when the index omits it.
pub fn parse_submissions(json: &str, cik: i64) -> Result<Submissions, String> {
    let raw: RawSubmissions =
        serde_json::from_str(json).map_err(|e| format!("not an EDGAR submissions index: {e}"))?;
    let cik = match raw.cik {
        Some(serde_json::Value::String(s)) => s.trim().parse().unwrap_or(cik),
        Some(serde_json::Value::Number(n)) => n.as_i64().unwrap_or(cik),
        _ => cik,
    };
    let recent = raw
        .filings
        .and_then(|f| f.recent)
        .ok_or("the submissions index has no filings.recent")?;
    if recent.form.len() != recent.accession_number.len() {
        return Err("the submissions index's lists differ in length".to_string());
    }
    let filings = recent
        .accession_number
        .into_iter()
        .zip(recent.form)
        .enumerate()
        .filter(|(_, (accession, _))| is_accession(accession))
        .map(|(i, (accession, form))| Filing {
            cik,
            accession,
            form: form.trim().to_ascii_uppercase(),
            primary_document: recent
                .primary_document
                .get(i)
                .filter(|d| is_file_name(d))
                .cloned(),
        })
        .collect();
    Ok(Submissions {
        cik,
        name: raw.name.filter(|n| !n.trim().is_empty()),
        tickers: raw.tickers,
        filings,
    })
}

/// Whether a text is an accession number, `0000320193-24-000123`.
pub fn is_accession(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    parts.len() == 3
        && [10, 2, 6]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether a text is a plain file name (no path, no query).
fn is_file_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 200
        && text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

/// The filing a latest-filings entry points to: CIK and accession from its link
/// (`.../Archives/edgar/data/320193/000032019324000123/0000320193-24-000123-index.htm`),
/// the form from its title (`8-K - APPLE INC (0000320193) (Filer)`).
pub fn filing_of_entry(title: Option<&str>, link: &str) -> Option<Filing> {
    let path = link.split(['?', '#']).next()?;
    let mut parts = path.split('/').skip_while(|p| *p != "data").skip(1);
    let cik: i64 = parts.next()?.parse().ok()?;
    parts.next()?;
    let file = parts.next()?;
    let accession = file.get(..20)?;
    if !is_accession(accession) {
        return None;
    }
    let form = title
        .and_then(|t| t.split(" - ").next())
        .map(|f| f.trim().to_ascii_uppercase())
        .unwrap_or_default();
    Some(Filing {
        cik,
        accession: accession.to_string(),
        form,
        primary_document: None,
    })
}

/// Whether a form passes a filter (empty keeps all). `8-K` keeps `8-K` and its
/// amendment `8-K/A`.
pub fn form_wanted(form: &str, forms: &[String]) -> bool {
    forms.is_empty()
        || forms.iter().any(|f| {
            form.eq_ignore_ascii_case(f)
                || form
                    .strip_suffix("/A")
                    .is_some_and(|base| base.eq_ignore_ascii_case(f))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_submissions_index_lists_its_filings() {
        let json = r#"{"cik": "320193", "name": "Apple Inc.", "tickers": ["AAPL"],
          "filings": {"recent": {"accessionNumber": ["0000320193-24-000123", "bad"],
          "form": ["8-k", "4"], "primaryDocument": ["aapl-20240801.htm", "x.xml"]}}}"#;
        let s = parse_submissions(json, 1).unwrap();
        assert_eq!(s.cik, 320193);
        assert_eq!(s.tickers, ["AAPL"]);
        assert_eq!(s.filings.len(), 1);
        assert_eq!(s.filings[0].form, "8-K");
        let urls = EdgarUrls::default();
        assert_eq!(
            urls.full_submission(&s.filings[0]),
            "https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/0000320193-24-000123.txt"
        );
        assert_eq!(
            urls.submissions(320193),
            "https://data.sec.gov/submissions/CIK0000320193.json"
        );
        assert!(parse_submissions("[]", 1).is_err());
    }

    #[test]
    fn latest_entries_name_their_filing() {
        let f = filing_of_entry(
            Some("8-K - APPLE INC (0000320193) (Filer)"),
            "https://www.sec.gov/Archives/edgar/data/320193/000032019324000123/0000320193-24-000123-index.htm",
        )
        .unwrap();
        assert_eq!(
            (f.cik, f.accession.as_str(), f.form.as_str()),
            (320193, "0000320193-24-000123", "8-K")
        );
        assert!(filing_of_entry(None, "https://www.sec.gov/x").is_none());
        assert!(form_wanted("8-K/A", &["8-K".into()]));
        assert!(!form_wanted("10-K", &["8-K".into()]));
        assert!(form_wanted("4", &[]));
    }
}
