-- Magnetiq migration 9: the content's version is read from indexes (docs/schema.md, D26).

-- Every build and every `watch` tick first reads (id, updated_at) of each content row
-- (database.builds.content_version). SQLite keeps updated_at after the JSON bodies, in the
-- rows' overflow pages, so reading it read every body: 0.16 s at 10,000 pages, against 0.016 s
-- from these covering indexes. Small rows (media files, settings) need none.
CREATE INDEX idx_pages_version ON pages(id, updated_at);
CREATE INDEX idx_webinars_version ON webinars(id, updated_at);
CREATE INDEX idx_whitepapers_version ON whitepapers(id, updated_at);
