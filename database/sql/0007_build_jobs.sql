-- Magnetiq migration 7: the build queue (docs/schema.md, D24).

-- D24: build requests, taken by one runner at a time (`magnetiq worker`). A request that arrives
-- while another waits is merged into it (its reasons appended, `full` if either asked), so edits
-- made during a build become one next build. A job records how it went: the counts, the build's
-- log and errors (JSON, each naming the row at fault), and the deploy step's outcome and output.
CREATE TABLE build_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'running', 'done', 'failed')),
    full_build BOOLEAN NOT NULL DEFAULT 0,
    reasons TEXT NOT NULL DEFAULT '[]',
    requested_by INTEGER REFERENCES admin_users(id) ON DELETE SET NULL,
    requested_at DATETIME NOT NULL,
    started_at DATETIME,
    finished_at DATETIME,
    progress TEXT,
    summary TEXT,
    errors TEXT,
    deploy_status TEXT CHECK (deploy_status IN ('done', 'failed')),
    deploy_log TEXT
);
CREATE INDEX idx_build_jobs_status ON build_jobs(status, id);
