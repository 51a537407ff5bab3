-- Magnetiq migration 4: the studio's needs beyond the spec (docs/schema.md, D14, D15).

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

-- D15: every save of content in the studio is a revision: who, when, and the row's editable
-- columns after the save (JSON), so an editor can see what changed and bring a version back.
CREATE TABLE revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    table_name TEXT NOT NULL,
    row_id INTEGER NOT NULL,
    actor_id INTEGER REFERENCES admin_users(id) ON DELETE SET NULL,
    actor_label TEXT NOT NULL,
    note TEXT,
    data TEXT NOT NULL,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX idx_revisions_row ON revisions(table_name, row_id, id);
CREATE INDEX idx_revisions_actor ON revisions(actor_id);
