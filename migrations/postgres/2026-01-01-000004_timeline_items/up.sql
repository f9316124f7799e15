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

-- One function for the tables whose rows carry the event id.
CREATE FUNCTION mark_items_stale() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_TABLE_NAME = 'events' THEN
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO stale_items (event_id) VALUES (NEW.id) ON CONFLICT DO NOTHING;
        ELSE
            INSERT INTO stale_items (event_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
        END IF;
    ELSE
        IF TG_OP <> 'INSERT' THEN
            INSERT INTO stale_items (event_id) VALUES (OLD.event_id) ON CONFLICT DO NOTHING;
        END IF;
        IF TG_OP <> 'DELETE' THEN
            INSERT INTO stale_items (event_id) VALUES (NEW.event_id) ON CONFLICT DO NOTHING;
        END IF;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER events_stale AFTER INSERT OR UPDATE OR DELETE ON events
FOR EACH ROW EXECUTE FUNCTION mark_items_stale();
CREATE TRIGGER event_companies_stale AFTER INSERT OR UPDATE OR DELETE ON event_companies
FOR EACH ROW EXECUTE FUNCTION mark_items_stale();
CREATE TRIGGER event_mentions_stale AFTER INSERT OR UPDATE OR DELETE ON event_mentions
FOR EACH ROW EXECUTE FUNCTION mark_items_stale();
CREATE TRIGGER event_tags_stale AFTER INSERT OR DELETE ON event_tags
FOR EACH ROW EXECUTE FUNCTION mark_items_stale();

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
