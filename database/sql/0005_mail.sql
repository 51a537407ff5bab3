-- Magnetiq migration 5: mail (docs/schema.md, D16, D17).

-- D16: the durable outbox. A message is queued in the same transaction as the lead or the change
-- that causes it, and sent by the worker (`magnetiq worker`). The row names what to send (kind,
-- language, the lead it is about); the worker renders it from the rows as they are at send time,
-- so an erased lead's mail is never sent. `dedupe_key` makes "at most once" a constraint
-- (reminders, notices); `claimed_until` lets a crashed worker's messages be taken up again.
CREATE TABLE mail_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    recipient TEXT NOT NULL,
    language TEXT NOT NULL,
    lead_table TEXT,
    lead_id INTEGER,
    payload TEXT NOT NULL DEFAULT '{}',
    dedupe_key TEXT,
    status TEXT NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'dropped')),
    send_after DATETIME NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claim TEXT,
    claimed_until DATETIME,
    last_error TEXT,
    message_id TEXT,
    subject TEXT,
    sent_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE UNIQUE INDEX uq_mail_outbox_dedupe ON mail_outbox(dedupe_key);
CREATE INDEX idx_mail_outbox_due ON mail_outbox(status, send_after);
CREATE INDEX idx_mail_outbox_lead ON mail_outbox(lead_table, lead_id);
CREATE INDEX idx_mail_outbox_recipient ON mail_outbox(recipient);

-- D17: addresses that asked for no more mail (one-click unsubscribe, RFC 8058). Every send but
-- the strictly transactional (a confirmation of what the person just did) honours it.
CREATE TABLE mail_suppressions (
    email TEXT PRIMARY KEY,
    reason TEXT NOT NULL,
    created_at DATETIME NOT NULL
);

-- D18: an admin's edit of a message's text, per kind (`name`) and language. The defaults ship as
-- files (mailer/templates/); a row here, when active, replaces one for one language. The HTML
-- part is made from the text, so `html_template` stays empty.
ALTER TABLE email_templates ADD COLUMN language TEXT;
CREATE UNIQUE INDEX uq_email_templates_name_language ON email_templates(name, language)
    WHERE deleted_at IS NULL;

-- D19: outgoing webhooks: where to post each event (a new lead, a status change), with the secret
-- that signs it, and one delivery row per event and endpoint, queued in the transaction of the
-- event and retried by the worker like mail. Deliveries for one lead go out in order.
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    is_active BOOLEAN NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES admin_users(id) ON DELETE SET NULL,
    created_at DATETIME NOT NULL
);
CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    webhook_id INTEGER NOT NULL REFERENCES webhooks(id) ON DELETE CASCADE,
    event TEXT NOT NULL,
    lead_table TEXT NOT NULL,
    lead_id INTEGER NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sending', 'delivered', 'failed')),
    send_after DATETIME NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    claim TEXT,
    claimed_until DATETIME,
    response_status INTEGER,
    last_error TEXT,
    delivered_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX idx_webhook_deliveries_due ON webhook_deliveries(status, send_after);
CREATE INDEX idx_webhook_deliveries_lead ON webhook_deliveries(webhook_id, lead_table, lead_id, id);
CREATE INDEX idx_webhook_deliveries_webhook ON webhook_deliveries(webhook_id);

-- D20: double opt-in for downloads (a setting): the time the reader confirmed their address.
ALTER TABLE whitepaper_downloads ADD COLUMN confirmed_at DATETIME;
