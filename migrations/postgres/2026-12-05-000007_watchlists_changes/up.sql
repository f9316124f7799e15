-- Watchlists, the changes feed, retraction, and webhook subscriptions with their
-- outbox of deliveries.

-- The team a key belongs to: a watchlist is shared by the keys of its team.
ALTER TABLE api_keys ADD COLUMN team TEXT NOT NULL DEFAULT 'default' CHECK (team <> '');

-- A retracted event is withdrawn by an analyst (soft delete): it leaves timelines,
-- searches and feeds, stays readable by id, and the changes feed reports it.
ALTER TABLE events ADD COLUMN retracted_at TIMESTAMP;

CREATE TABLE watchlists (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    team TEXT NOT NULL CHECK (team <> ''),
    name TEXT NOT NULL CHECK (name <> ''),
    -- Filters of the watchlist's timeline: JSON arrays (empty: all), a lower bound.
    kinds TEXT NOT NULL DEFAULT '[]',
    actions TEXT NOT NULL DEFAULT '[]',
    min_confidence DOUBLE PRECISION CHECK (min_confidence IS NULL OR (min_confidence >= 0 AND min_confidence <= 1)),
    -- sha256 of the read-only token of its feed URLs; NULL: no feed URL.
    feed_token_hash TEXT UNIQUE CHECK (feed_token_hash IS NULL OR length(feed_token_hash) = 64),
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    updated_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    UNIQUE (team, name)
);

CREATE TABLE watchlist_companies (
    watchlist_id BIGINT NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
    -- No cascade: a company on a watchlist is not deleted by accident.
    company_id BIGINT NOT NULL REFERENCES companies (id),
    PRIMARY KEY (watchlist_id, company_id)
);
CREATE INDEX watchlist_companies_company_id ON watchlist_companies (company_id);

-- Every change a consumer may want to follow, in the order readers take them:
-- by the writing transaction's id (`txid`), then by `id`. A reader only takes
-- changes of transactions older than every transaction still running
-- (pg_snapshot_xmin), so a change that commits late is never behind its cursor.
CREATE TABLE changes (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    txid BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    kind TEXT NOT NULL CHECK (kind IN ('event_created', 'event_updated', 'event_merged', 'event_split',
        'event_reviewed', 'event_tagged', 'event_untagged', 'event_retracted', 'company_added')),
    -- No foreign keys: the feed outlives what it reports.
    event_id BIGINT,
    company_id BIGINT,
    actor TEXT NOT NULL,
    at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX changes_position ON changes (txid, id);

CREATE TABLE webhooks (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    watchlist_id BIGINT NOT NULL REFERENCES watchlists (id) ON DELETE CASCADE,
    url TEXT NOT NULL CHECK (url <> ''),
    -- The shared secret of the signatures; sent once at creation.
    secret TEXT NOT NULL CHECK (length(secret) >= 16),
    -- JSON array of change kinds to send (empty: all).
    change_kinds TEXT NOT NULL DEFAULT '[]',
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE INDEX webhooks_watchlist_id ON webhooks (watchlist_id);

-- The outbox: one row per change and subscription, made in a transaction of its
-- own by the dispatcher, sent and retried by the delivery workers.
CREATE TABLE deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    webhook_id BIGINT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    change_id BIGINT NOT NULL,
    idempotency_key TEXT NOT NULL UNIQUE,
    payload TEXT NOT NULL,
    state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts BIGINT NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at TIMESTAMP NOT NULL,
    -- Retries stop a day after this (the first attempt, or the last replay).
    retry_from TIMESTAMP NOT NULL,
    -- A worker sending it holds it until then; another one may take it after.
    leased_until TIMESTAMP,
    last_status BIGINT,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
    delivered_at TIMESTAMP,
    UNIQUE (webhook_id, change_id)
);
CREATE INDEX deliveries_due ON deliveries (state, next_attempt_at);

-- Where the dispatcher stands in the changes feed: one row.
CREATE TABLE dispatch_cursor (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    txid BIGINT NOT NULL,
    change_id BIGINT NOT NULL
);
INSERT INTO dispatch_cursor (id, txid, change_id) VALUES (1, 0, 0);
