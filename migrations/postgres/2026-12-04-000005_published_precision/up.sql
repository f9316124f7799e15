-- How much of a document's publication date its source stated: 'month' or 'year'
-- for partial dates such as 2021-10 or 2021 (published_at then holds the first
-- moment of that period); NULL when the day or the time was stated.
ALTER TABLE documents ADD COLUMN published_precision TEXT;
