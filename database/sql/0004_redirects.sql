-- Magnetiq migration 4: the studio's needs beyond the spec (docs/schema.md, D14).

-- D14: the old addresses of published pages whose slug changed, so links and bookmarks keep
-- working: the build writes a redirect page at each old address. A slug a live page takes again
-- is removed from here (the page wins).
CREATE TABLE page_redirects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    old_slug TEXT NOT NULL,
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE UNIQUE INDEX uq_page_redirects_old_slug ON page_redirects(old_slug);
CREATE INDEX idx_page_redirects_page ON page_redirects(page_id);
