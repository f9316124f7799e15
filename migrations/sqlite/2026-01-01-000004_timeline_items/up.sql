-- The timeline as it is read: one row per (company, event) holding the event's
-- list item as JSON, clustered in timeline order, so that a page is one range
-- scan. Derived data: rebuilt from the other tables (src/store/items.rs).
--
-- sort_day is the event's date as days from 0001-01-01 (day 1), 0 when undated:
-- newest first puts dated events first and undated ones after them.
CREATE TABLE timeline_items (
    company_id BIGINT NOT NULL,
    sort_day BIGINT NOT NULL,
    event_id BIGINT NOT NULL,
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    review_state TEXT NOT NULL,
    confidence DOUBLE NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (company_id, sort_day, event_id)
) WITHOUT ROWID;
CREATE INDEX timeline_items_event_id ON timeline_items (event_id);

-- Events whose timeline items must be rebuilt. Triggers fill it on every change
-- a list item shows; the transaction that made the change rebuilds the items and
-- empties it before committing. Readers use the items only while it is empty.
CREATE TABLE stale_items (event_id INTEGER PRIMARY KEY);

CREATE TRIGGER events_stale_insert AFTER INSERT ON events
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.id); END;
CREATE TRIGGER events_stale_update AFTER UPDATE ON events
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.id); END;
CREATE TRIGGER events_stale_delete AFTER DELETE ON events
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.id); END;

CREATE TRIGGER event_companies_stale_insert AFTER INSERT ON event_companies
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.event_id); END;
CREATE TRIGGER event_companies_stale_update AFTER UPDATE ON event_companies
BEGIN
    INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.event_id);
    INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.event_id);
END;
CREATE TRIGGER event_companies_stale_delete AFTER DELETE ON event_companies
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.event_id); END;

CREATE TRIGGER event_mentions_stale_insert AFTER INSERT ON event_mentions
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.event_id); END;
CREATE TRIGGER event_mentions_stale_update AFTER UPDATE ON event_mentions
BEGIN
    INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.event_id);
    INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.event_id);
END;
CREATE TRIGGER event_mentions_stale_delete AFTER DELETE ON event_mentions
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.event_id); END;

CREATE TRIGGER event_tags_stale_insert AFTER INSERT ON event_tags
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (NEW.event_id); END;
CREATE TRIGGER event_tags_stale_delete AFTER DELETE ON event_tags
BEGIN INSERT OR IGNORE INTO stale_items (event_id) VALUES (OLD.event_id); END;

CREATE TRIGGER companies_stale_update AFTER UPDATE OF ticker, name ON companies
WHEN OLD.ticker IS NOT NEW.ticker OR OLD.name IS NOT NEW.name
BEGIN
    INSERT OR IGNORE INTO stale_items (event_id)
    SELECT event_id FROM event_companies WHERE company_id = NEW.id;
END;

CREATE TRIGGER documents_stale_update AFTER UPDATE OF title, url ON documents
WHEN OLD.title IS NOT NEW.title OR OLD.url IS NOT NEW.url
BEGIN
    INSERT OR IGNORE INTO stale_items (event_id)
    SELECT event_id FROM event_mentions WHERE document_id = NEW.id;
END;

CREATE TRIGGER tags_stale_update AFTER UPDATE OF name ON tags
BEGIN
    INSERT OR IGNORE INTO stale_items (event_id)
    SELECT event_id FROM event_tags WHERE tag_id = NEW.id;
END;

-- Existing events get their items when the migration is followed up
-- (Store::migrate rebuilds stale items in batches).
INSERT INTO stale_items (event_id) SELECT id FROM events;
