DROP TABLE source_items;
DROP TABLE sources;
