-- Magnetiq PostgreSQL step to version 9: as database/sql/0009_content_versions.sql (D26).
-- The build reads each content row's (id, updated_at) first; with these it reads only an index.
CREATE INDEX idx_pages_version ON pages(id, updated_at);
CREATE INDEX idx_webinars_version ON webinars(id, updated_at);
CREATE INDEX idx_whitepapers_version ON whitepapers(id, updated_at);
