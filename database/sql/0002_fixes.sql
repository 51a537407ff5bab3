-- Magnetiq's corrections to the v2 spec. Every change here is listed, with its reason, in
-- docs/schema.md; the schema parity test fails on any difference that is not listed there.

-- D1: pages.slug loses its table-level UNIQUE so that the spec's partial index
-- idx_pages_slug (unique among rows not soft-deleted) can free the slug of a deleted page.
-- D3: the external-content pages_fts on raw JSON is replaced (below), so drop it first.
DROP TRIGGER IF EXISTS pages_ai;
DROP TRIGGER IF EXISTS pages_ad;
DROP TRIGGER IF EXISTS pages_au;
DROP TABLE IF EXISTS pages_fts;

CREATE TABLE pages_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    slug TEXT NOT NULL,

    -- Multilingual content stored as JSON
    title TEXT NOT NULL, -- JSON: {"en": "Title", "de": "Titel"}
    content TEXT NOT NULL, -- JSON: {"en": "Content", "de": "Inhalt"}
    excerpt TEXT, -- JSON: {"en": "Excerpt", "de": "Auszug"}
    meta_description TEXT, -- JSON for SEO descriptions

    -- Page Configuration
    template TEXT DEFAULT 'default',
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
    is_featured BOOLEAN DEFAULT 0,
    sort_order INTEGER DEFAULT 0,

    -- SEO & Marketing
    seo_title TEXT, -- JSON for SEO titles
    seo_keywords TEXT, -- JSON for SEO keywords
    canonical_url TEXT,

    -- Publishing
    published_at DATETIME,
    author_id INTEGER,

    -- Timestamps
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    deleted_at DATETIME,

    FOREIGN KEY (author_id) REFERENCES admin_users(id)
);
INSERT INTO pages_rebuilt (
    id, slug, title, content, excerpt, meta_description, template, status, is_featured,
    sort_order, seo_title, seo_keywords, canonical_url, published_at, author_id, created_at,
    updated_at, deleted_at)
SELECT
    id, slug, title, content, excerpt, meta_description, template, status, is_featured,
    sort_order, seo_title, seo_keywords, canonical_url, published_at, author_id, created_at,
    updated_at, deleted_at
FROM pages;
DROP TABLE pages;
ALTER TABLE pages_rebuilt RENAME TO pages;
CREATE UNIQUE INDEX idx_pages_slug ON pages(slug) WHERE deleted_at IS NULL;
CREATE INDEX idx_pages_status ON pages(status);
CREATE INDEX idx_pages_published ON pages(published_at);
CREATE INDEX idx_pages_author ON pages(author_id);
CREATE INDEX idx_pages_featured ON pages(is_featured);

-- D3: one full-text row per page and language, with the text of that language only.
-- pages_fts_source is the single definition of what is indexed: the triggers copy from it and
-- `db check` compares the index with it.
CREATE VIEW pages_fts_source AS
SELECT
    p.id AS page_id,
    lang.key AS lang,
    CASE WHEN json_valid(p.title) THEN json_extract(p.title, '$."' || lang.key || '"') END AS title,
    CASE WHEN json_valid(p.content) THEN json_extract(p.content, '$."' || lang.key || '"') END AS content,
    CASE WHEN json_valid(p.excerpt) THEN json_extract(p.excerpt, '$."' || lang.key || '"') END AS excerpt
FROM pages AS p,
    json_each(json_patch(
        CASE WHEN json_valid(p.content) AND json_type(p.content) = 'object' THEN p.content ELSE '{}' END,
        CASE WHEN json_valid(p.title) AND json_type(p.title) = 'object' THEN p.title ELSE '{}' END
    )) AS lang
WHERE lang.key NOT GLOB '*"*';

CREATE VIRTUAL TABLE pages_fts USING fts5(
    title, content, excerpt, page_id UNINDEXED, lang UNINDEXED,
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER pages_ai AFTER INSERT ON pages BEGIN
    INSERT INTO pages_fts (title, content, excerpt, page_id, lang)
    SELECT title, content, excerpt, page_id, lang FROM pages_fts_source WHERE page_id = new.id;
END;

CREATE TRIGGER pages_ad AFTER DELETE ON pages BEGIN
    DELETE FROM pages_fts WHERE page_id = old.id;
END;

CREATE TRIGGER pages_au AFTER UPDATE OF title, content, excerpt ON pages BEGIN
    DELETE FROM pages_fts WHERE page_id = old.id;
    INSERT INTO pages_fts (title, content, excerpt, page_id, lang)
    SELECT title, content, excerpt, page_id, lang FROM pages_fts_source WHERE page_id = new.id;
END;

INSERT INTO pages_fts (title, content, excerpt, page_id, lang)
SELECT title, content, excerpt, page_id, lang FROM pages_fts_source;

-- D4: indexes that duplicate the automatic index of a UNIQUE column.
DROP INDEX idx_system_settings_key;
DROP INDEX idx_admin_users_email;
DROP INDEX idx_user_sessions_token;
DROP INDEX idx_webinars_slug;
DROP INDEX idx_whitepapers_slug;

-- D2: updated_at follows every update unless the statement sets it itself, in milliseconds and
-- strictly increasing, so (id, updated_at) identifies a row version: the incremental build
-- re-reads only rows whose pair changed. The trigger's own update changes updated_at, so it
-- never re-fires itself, even where recursive_triggers is on.
CREATE TRIGGER admin_users_updated_at AFTER UPDATE ON admin_users
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE admin_users SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER pages_updated_at AFTER UPDATE ON pages
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE pages SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER media_files_updated_at AFTER UPDATE ON media_files
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE media_files SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER webinars_updated_at AFTER UPDATE ON webinars
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE webinars SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER whitepapers_updated_at AFTER UPDATE ON whitepapers
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE whitepapers SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER bookings_updated_at AFTER UPDATE ON bookings
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE bookings SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER system_settings_updated_at AFTER UPDATE ON system_settings
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE system_settings SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER social_accounts_updated_at AFTER UPDATE ON social_accounts
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE social_accounts SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER social_content_updated_at AFTER UPDATE ON social_content
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE social_content SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER social_engagement_updated_at AFTER UPDATE ON social_engagement
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE social_engagement SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER email_campaigns_updated_at AFTER UPDATE ON email_campaigns
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE email_campaigns SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;
CREATE TRIGGER email_templates_updated_at AFTER UPDATE ON email_templates
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE email_templates SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;

-- D5: the audit trail the spec's design principles ask for.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_id INTEGER,
    actor_label TEXT NOT NULL, -- the actor's email at the time, or 'cli'; survives a purge
    action TEXT NOT NULL, -- e.g. auth.sign_in, leads.export, booking.status
    target_table TEXT,
    target_id INTEGER,
    details TEXT, -- JSON
    ip_address TEXT,
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    FOREIGN KEY (actor_id) REFERENCES admin_users(id) ON DELETE SET NULL
);
CREATE INDEX idx_audit_log_created ON audit_log(created_at);
CREATE INDEX idx_audit_log_actor ON audit_log(actor_id);
CREATE INDEX idx_audit_log_action ON audit_log(action);

-- D6: social_engagement.social_content_id had no foreign key.
CREATE TABLE social_engagement_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,

    -- Content Reference
    social_content_id INTEGER NOT NULL,
    platform TEXT NOT NULL,
    platform_post_id TEXT NOT NULL,

    -- Engagement Metrics (Platform-Specific)
    engagement_data TEXT NOT NULL, -- JSON with platform-specific metrics

    -- Audience Insights
    audience_data TEXT, -- JSON with demographic data (when available)

    -- Performance Scoring
    engagement_rate REAL DEFAULT 0.0,
    viral_score INTEGER DEFAULT 0, -- Algorithm-calculated virality score

    -- Data Collection
    data_collected_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    -- Timestamps
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,

    FOREIGN KEY (social_content_id) REFERENCES social_content(id) ON DELETE CASCADE
);
INSERT INTO social_engagement_rebuilt
SELECT id, social_content_id, platform, platform_post_id, engagement_data, audience_data,
    engagement_rate, viral_score, data_collected_at, created_at, updated_at
FROM social_engagement;
DROP TABLE social_engagement;
ALTER TABLE social_engagement_rebuilt RENAME TO social_engagement;
CREATE INDEX idx_social_engagement_content ON social_engagement(social_content_id);
CREATE INDEX idx_social_engagement_platform ON social_engagement(platform);
CREATE INDEX idx_social_engagement_platform_post ON social_engagement(platform_post_id);
CREATE INDEX idx_social_engagement_rate ON social_engagement(engagement_rate);
CREATE INDEX idx_social_engagement_collected ON social_engagement(data_collected_at);
CREATE TRIGGER social_engagement_updated_at AFTER UPDATE ON social_engagement
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE social_engagement SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;

-- D7: email_campaigns.template_id had no foreign key.
CREATE TABLE email_campaigns_rebuilt (
    id INTEGER PRIMARY KEY AUTOINCREMENT,

    -- Campaign Information
    name TEXT NOT NULL,
    subject TEXT NOT NULL,
    preheader TEXT,

    -- Content
    html_content TEXT,
    text_content TEXT,
    template_id INTEGER,

    -- Recipients
    recipient_type TEXT NOT NULL DEFAULT 'list' CHECK (recipient_type IN ('list', 'segment', 'individual')),
    recipient_config TEXT, -- JSON: recipient selection criteria

    -- Scheduling
    send_at DATETIME,

    -- Status
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'scheduled', 'sending', 'sent', 'failed')),

    -- Analytics
    total_recipients INTEGER DEFAULT 0,
    emails_sent INTEGER DEFAULT 0,
    emails_delivered INTEGER DEFAULT 0,
    emails_bounced INTEGER DEFAULT 0,
    opens_total INTEGER DEFAULT 0,
    clicks_total INTEGER DEFAULT 0,
    unsubscribes INTEGER DEFAULT 0,

    -- Management
    created_by INTEGER NOT NULL,

    -- Timestamps
    created_at DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    updated_at DATETIME DEFAULT CURRENT_TIMESTAMP,
    sent_at DATETIME,
    deleted_at DATETIME,

    FOREIGN KEY (created_by) REFERENCES admin_users(id),
    FOREIGN KEY (template_id) REFERENCES email_templates(id)
);
INSERT INTO email_campaigns_rebuilt
SELECT id, name, subject, preheader, html_content, text_content, template_id, recipient_type,
    recipient_config, send_at, status, total_recipients, emails_sent, emails_delivered,
    emails_bounced, opens_total, clicks_total, unsubscribes, created_by, created_at, updated_at,
    sent_at, deleted_at
FROM email_campaigns;
DROP TABLE email_campaigns;
ALTER TABLE email_campaigns_rebuilt RENAME TO email_campaigns;
CREATE INDEX idx_email_campaigns_status ON email_campaigns(status);
CREATE INDEX idx_email_campaigns_send_at ON email_campaigns(send_at);
CREATE INDEX idx_email_campaigns_created_by ON email_campaigns(created_by);
CREATE TRIGGER email_campaigns_updated_at AFTER UPDATE ON email_campaigns
WHEN new.updated_at IS old.updated_at BEGIN
    UPDATE email_campaigns SET updated_at = max(strftime('%Y-%m-%d %H:%M:%f', 'now'),
        coalesce(strftime('%Y-%m-%d %H:%M:%f', old.updated_at, '+0.001 seconds'), ''))
    WHERE id = new.id;
END;

-- D8: foreign-key columns the spec left without an index (joins, and the parent-side checks
-- that `db maintain` runs before it purges a soft-deleted row).
CREATE INDEX idx_email_campaigns_template ON email_campaigns(template_id);
CREATE INDEX idx_whitepapers_file ON whitepapers(file_id);
CREATE INDEX idx_whitepapers_thumbnail ON whitepapers(thumbnail_id);
CREATE INDEX idx_whitepapers_author ON whitepapers(author_id);
CREATE INDEX idx_webinars_presentation_file ON webinars(presentation_file_id);
CREATE INDEX idx_webinars_presenter_avatar ON webinars(presenter_avatar_id);
CREATE INDEX idx_analytics_events_user ON analytics_events(user_id);

-- D9: one registration per email and webinar, so a repeated registration is idempotent.
CREATE UNIQUE INDEX uq_webinar_registrations_webinar_email
    ON webinar_registrations(webinar_id, email);

-- D10: settings the static build and the capture service need.
INSERT INTO system_settings (key, value, description, type) VALUES
('site_url', 'http://localhost:8000', 'Public address of the static site, for canonical URLs and the sitemap', 'string'),
('capture_url', 'http://localhost:8001', 'Public address of the capture service that the forms post to', 'string'),
('translation_fallback', 'fallback', 'Missing translation: fallback (show the default language) or omit', 'string');
