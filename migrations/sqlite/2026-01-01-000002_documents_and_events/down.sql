DROP TABLE event_mentions;
DROP TABLE event_companies;
DROP TABLE events;
DROP TABLE documents;
