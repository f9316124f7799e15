-- Analysts' tags, the audit trail of changes, and API keys.
CREATE TABLE tags (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);

CREATE TABLE event_tags (
    event_id BIGINT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
    tag_id BIGINT NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    PRIMARY KEY (event_id, tag_id)
);
CREATE INDEX event_tags_tag_id ON event_tags (tag_id);

-- No foreign key on event_id: the history of an event outlives the event.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY,
    event_id BIGINT,
    entity TEXT NOT NULL,
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT,
    at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX audit_log_event_id_at ON audit_log (event_id, at);

CREATE TABLE api_keys (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE CHECK (name <> ''),
    role TEXT NOT NULL CHECK (role IN ('reader', 'analyst', 'admin')),
    -- sha256 of the secret, lower-case hex; the secret itself is never stored.
    key_hash TEXT NOT NULL UNIQUE CHECK (length(key_hash) = 64),
    -- The first characters of the secret, to recognise a key in listings.
    prefix TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    revoked_at TIMESTAMP,
    last_used_at TIMESTAMP
);
