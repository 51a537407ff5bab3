-- Magnetiq migration 3: what the capture service needs beyond the spec (docs/schema.md, D11–D12).

-- D11: one stored answer per Idempotency-Key (or per fingerprint of a plain form post), written
-- in the same transaction as the lead, so a retried or double-clicked submission is stored once.
CREATE TABLE idempotency_keys (
    key TEXT PRIMARY KEY,
    endpoint TEXT NOT NULL,
    status_code INTEGER NOT NULL,
    response TEXT NOT NULL, -- JSON body of the first answer
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_idempotency_keys_created ON idempotency_keys(created_at);

-- D12: the admin dashboard asks "page views in this date range, by day / page / referrer /
-- UTM source"; this covering index answers all four without touching the table.
CREATE INDEX idx_analytics_events_dashboard
    ON analytics_events(event_type, created_at, page_path, referrer, utm_source);

-- D10: a random identity per database, so that build caches never mix two databases' rows.
INSERT INTO system_settings (key, value, description, type) VALUES
('instance_id', lower(hex(randomblob(16))), 'Random identity of this database (build caches key on it)', 'string');

-- D13: what the build asks on every run: "which pages are published, in navigation order, at
-- which version?" Covered by this index, the answer never reads the bodies (which SQLite keeps
-- in overflow pages before the columns the question needs).
CREATE INDEX idx_pages_build ON pages(sort_order, slug, id, published_at, updated_at, status, deleted_at)
    WHERE status = 'published' AND deleted_at IS NULL;
