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
