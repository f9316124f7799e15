ALTER TABLE documents DROP COLUMN published_precision;
