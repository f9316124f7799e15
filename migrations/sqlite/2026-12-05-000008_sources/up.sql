-- Live sources that `riskline watch` polls: RSS/Atom feeds, the EDGAR filings of one
-- company, and EDGAR's latest filings. Each row keeps what the poller needs to ask
-- politely (ETag, Last-Modified, when it is due next), what it saw last (errors,
-- counters) and who polls it now (a lease: owner and expiry, so that several
-- processes on one database poll each source once, and a crashed one's lease lapses).
CREATE TABLE sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    kind TEXT NOT NULL CHECK (kind IN ('feed', 'edgar_company', 'edgar_latest')),
    url TEXT,
    cik BIGINT CHECK (cik > 0),
    ticker TEXT,
    -- SEC form types to keep, comma-separated (e.g. '8-K,10-K'); '' keeps every form.
    forms TEXT NOT NULL DEFAULT '',
    -- Whether a feed item that carries only a summary gets its article page fetched.
    fetch_pages BOOLEAN NOT NULL DEFAULT 0,
    interval_secs BIGINT NOT NULL CHECK (interval_secs > 0),
    enabled BOOLEAN NOT NULL DEFAULT 1,
    etag TEXT,
    last_modified TEXT,
    next_due_at TIMESTAMP NOT NULL,
    last_polled_at TIMESTAMP,
    last_success_at TIMESTAMP,
    last_error TEXT,
    consecutive_failures BIGINT NOT NULL DEFAULT 0,
    polls BIGINT NOT NULL DEFAULT 0,
    not_modified BIGINT NOT NULL DEFAULT 0,
    requests BIGINT NOT NULL DEFAULT 0,
    bytes_fetched BIGINT NOT NULL DEFAULT 0,
    items_new BIGINT NOT NULL DEFAULT 0,
    items_known BIGINT NOT NULL DEFAULT 0,
    items_failed BIGINT NOT NULL DEFAULT 0,
    errors BIGINT NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'feed' AND url IS NOT NULL)
        OR (kind = 'edgar_company' AND cik IS NOT NULL)
        OR kind = 'edgar_latest')
);
CREATE INDEX sources_next_due_at ON sources (next_due_at);

-- Every item a source has handed over, once: by the feed's id, the item's URL or a
-- filing's accession number (`item_key`), with the document it became or why it
-- could not be stored. A restarted poller skips what is here.
CREATE TABLE source_items (
    id INTEGER PRIMARY KEY,
    source_id BIGINT NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
    item_key TEXT NOT NULL CHECK (item_key <> ''),
    url TEXT,
    content_hash TEXT,
    document_id BIGINT REFERENCES documents (id) ON DELETE SET NULL,
    status TEXT NOT NULL CHECK (status IN ('stored', 'known', 'failed')),
    error TEXT,
    seen_at TIMESTAMP NOT NULL,
    UNIQUE (source_id, item_key)
);
CREATE INDEX source_items_document_id ON source_items (document_id);
