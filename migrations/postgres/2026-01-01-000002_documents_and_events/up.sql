-- Documents as ingested, the events found in them, and the evidence linking both.
CREATE TABLE documents (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_kind TEXT NOT NULL CHECK (source_kind IN ('news', 'filing', 'press_release', 'court', 'feed', 'other')),
    format TEXT NOT NULL CHECK (format IN ('text', 'html', 'edgar', 'jsonl', 'rss', 'atom')),
    url TEXT,
    title TEXT,
    published_at TIMESTAMP,
    -- sha256 of the raw content, lower-case hex: re-ingesting the same bytes is a no-op.
    content_hash TEXT NOT NULL UNIQUE CHECK (length(content_hash) = 64),
    byte_len BIGINT NOT NULL CHECK (byte_len >= 0),
    -- Normalized text; evidence offsets point into it.
    text TEXT NOT NULL,
    filer_cik BIGINT,
    form_type TEXT,
    ingested_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX documents_published_at ON documents (published_at);
CREATE INDEX documents_url ON documents (url);

CREATE TABLE events (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('lawsuit', 'regulatory_action', 'service_halt')),
    action TEXT NOT NULL CHECK (action <> ''),
    status TEXT CHECK (status IS NULL OR status IN ('announced', 'filed', 'pending', 'ongoing', 'ruled', 'settled', 'dismissed', 'appealed', 'withdrawn', 'resolved', 'lifted', 'resumed', 'closed')),
    occurred_on DATE,
    date_precision TEXT CHECK (date_precision IS NULL OR date_precision IN ('day', 'month', 'year')),
    amount DOUBLE PRECISION,
    currency TEXT,
    amount_usd BIGINT CHECK (amount_usd IS NULL OR amount_usd >= 0),
    authority TEXT,
    jurisdiction TEXT,
    -- JSON array of parties that are not listed companies: [{"name", "role"}].
    parties TEXT NOT NULL DEFAULT '[]',
    summary TEXT NOT NULL,
    confidence DOUBLE PRECISION NOT NULL CHECK (confidence >= 0 AND confidence <= 1),
    review_state TEXT NOT NULL DEFAULT 'unreviewed' CHECK (review_state IN ('unreviewed', 'confirmed', 'rejected')),
    review_note TEXT,
    -- JSON array of field names an analyst corrected; extraction never overwrites them.
    corrected_fields TEXT NOT NULL DEFAULT '[]',
    origin TEXT NOT NULL DEFAULT 'extracted' CHECK (origin IN ('extracted', 'manual')),
    fingerprint TEXT NOT NULL,
    -- The first event of the thread this one belongs to (the lawsuit a settlement ends).
    thread_id BIGINT REFERENCES events (id) ON DELETE SET NULL,
    -- Latest status of the whole thread, copied onto each of its events.
    thread_status TEXT CHECK (thread_status IS NULL OR thread_status IN ('announced', 'filed', 'pending', 'ongoing', 'ruled', 'settled', 'dismissed', 'appealed', 'withdrawn', 'resolved', 'lifted', 'resumed', 'closed')),
    -- Distinct documents with a mention of this event (kept by ingest).
    document_count BIGINT NOT NULL DEFAULT 0 CHECK (document_count >= 0),
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    CHECK (date_precision IS NULL OR occurred_on IS NOT NULL)
);
CREATE INDEX events_occurred_on ON events (occurred_on DESC, id DESC);
CREATE INDEX events_kind ON events (kind);
CREATE INDEX events_fingerprint ON events (fingerprint);
CREATE INDEX events_thread_id ON events (thread_id);

CREATE TABLE event_companies (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- No cascade: a company with events is not deleted by accident.
    company_id BIGINT NOT NULL REFERENCES companies (id),
    role TEXT NOT NULL CHECK (role IN ('defendant', 'plaintiff', 'regulated', 'operator', 'affected', 'party')),
    -- Copy of events.occurred_on so that the timeline is one index range scan.
    occurred_on DATE,
    UNIQUE (event_id, company_id, role)
);
CREATE INDEX event_companies_timeline ON event_companies (company_id, occurred_on DESC, event_id DESC);

CREATE TABLE event_mentions (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    -- No cascade: evidence is not dropped by deleting its document.
    document_id BIGINT NOT NULL REFERENCES documents (id),
    -- Byte offsets into documents.text.
    start_offset BIGINT NOT NULL CHECK (start_offset >= 0),
    end_offset BIGINT NOT NULL CHECK (end_offset >= start_offset),
    snippet TEXT NOT NULL,
    -- The extraction pattern that produced the mention.
    rule TEXT NOT NULL,
    -- How the mention was merged into an existing event, so that an analyst can undo it.
    merge_reason TEXT,
    merge_score DOUBLE PRECISION,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    UNIQUE (event_id, document_id, start_offset)
);
CREATE INDEX event_mentions_document_id ON event_mentions (document_id);
