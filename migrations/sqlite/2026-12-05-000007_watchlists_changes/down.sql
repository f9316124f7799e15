DROP TABLE dispatch_cursor;
DROP TABLE deliveries;
DROP TABLE webhooks;
DROP TABLE changes;
DROP TABLE watchlist_companies;
DROP TABLE watchlists;
ALTER TABLE events DROP COLUMN retracted_at;
ALTER TABLE api_keys DROP COLUMN team;
