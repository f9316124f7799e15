-- The timeline as it is read: one row per (company, event) holding the event's
-- list item as JSON, so that a page is one index range scan. Derived data:
-- rebuilt from the other tables (src/store/items.rs).
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
    confidence DOUBLE PRECISION NOT NULL,
    item TEXT NOT NULL,
    PRIMARY KEY (company_id, sort_day, event_id)
);
CREATE INDEX timeline_items_event_id ON timeline_items (event_id);

-- Events whose timeline items must be rebuilt. Triggers fill it on every change
-- a list item shows; the transaction that made the change rebuilds the items and
-- empties it before committing. Readers use the items only while it is empty.
CREATE TABLE stale_items (event_id BIGINT PRIMARY KEY);
-- A queue: every write transaction inserts and deletes its rows, and readers ask
-- whether it is empty, which walks past dead index entries until a vacuum.
-- Vacuum it after every thousand dead rows rather than a share of its size.
ALTER TABLE stale_items SET (
    autovacuum_vacuum_threshold = 1000,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_cost_delay = 0
);

-- Statement-level triggers with transition tables: one INSERT ... SELECT per
-- statement rather than a function call per row (batch inserts of ingest).
CREATE FUNCTION stale_events_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stale_items (event_id) SELECT DISTINCT id FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION stale_events_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stale_items (event_id) SELECT DISTINCT id FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION stale_links_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stale_items (event_id) SELECT DISTINCT event_id FROM new_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION stale_links_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stale_items (event_id) SELECT DISTINCT event_id FROM old_rows ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;
CREATE FUNCTION stale_links_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO stale_items (event_id)
    SELECT event_id FROM new_rows UNION SELECT event_id FROM old_rows
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END $$;

CREATE TRIGGER events_stale_insert AFTER INSERT ON events
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_events_new();
CREATE TRIGGER events_stale_update AFTER UPDATE ON events
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_events_new();
CREATE TRIGGER events_stale_delete AFTER DELETE ON events
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_events_old();

CREATE TRIGGER event_companies_stale_insert AFTER INSERT ON event_companies
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_new();
CREATE TRIGGER event_companies_stale_update AFTER UPDATE ON event_companies
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION stale_links_both();
CREATE TRIGGER event_companies_stale_delete AFTER DELETE ON event_companies
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_old();

CREATE TRIGGER event_mentions_stale_insert AFTER INSERT ON event_mentions
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_new();
CREATE TRIGGER event_mentions_stale_update AFTER UPDATE ON event_mentions
REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
FOR EACH STATEMENT EXECUTE FUNCTION stale_links_both();
CREATE TRIGGER event_mentions_stale_delete AFTER DELETE ON event_mentions
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_old();

CREATE TRIGGER event_tags_stale_insert AFTER INSERT ON event_tags
REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_new();
CREATE TRIGGER event_tags_stale_delete AFTER DELETE ON event_tags
REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION stale_links_old();

-- Renamed companies, documents and tags: every event that shows them.
CREATE FUNCTION mark_items_stale_via() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'companies' THEN
        INSERT INTO stale_items (event_id)
        SELECT event_id FROM event_companies WHERE company_id = NEW.id ON CONFLICT DO NOTHING;
    ELSIF TG_TABLE_NAME = 'documents' THEN
        INSERT INTO stale_items (event_id)
        SELECT event_id FROM event_mentions WHERE document_id = NEW.id ON CONFLICT DO NOTHING;
    ELSE
        INSERT INTO stale_items (event_id)
        SELECT event_id FROM event_tags WHERE tag_id = NEW.id ON CONFLICT DO NOTHING;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER companies_stale AFTER UPDATE OF ticker, name ON companies
FOR EACH ROW WHEN (OLD.ticker IS DISTINCT FROM NEW.ticker OR OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION mark_items_stale_via();
CREATE TRIGGER documents_stale AFTER UPDATE OF title, url ON documents
FOR EACH ROW WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.url IS DISTINCT FROM NEW.url)
EXECUTE FUNCTION mark_items_stale_via();
CREATE TRIGGER tags_stale AFTER UPDATE OF name ON tags
FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name)
EXECUTE FUNCTION mark_items_stale_via();

-- Existing events get their items when the migration is followed up
-- (Store::migrate rebuilds stale items in batches).
INSERT INTO stale_items (event_id) SELECT id FROM events;
