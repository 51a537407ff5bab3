-- Magnetiq migration 6: marketing consent and campaigns (docs/schema.md, D21–D23).

-- D21: the wording of the forms' marketing-consent checkbox, kept for every version: a consent is
-- only worth what the person was shown. Saving a changed wording in the studio adds a version;
-- the setting `marketing_consent_version` names the one the forms show (none: no checkbox).
CREATE TABLE consent_wordings (
    version INTEGER NOT NULL,
    language TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at DATETIME NOT NULL,
    PRIMARY KEY (version, language)
);

-- D22: a person's consent to marketing mail, given by ticking that checkbox on a form: the
-- address, the wording's version and language, the lead it came with, and when. Campaigns go
-- only to addresses with a consent here and no suppression (D17); a privacy erase deletes it.
CREATE TABLE marketing_consents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    version INTEGER NOT NULL,
    language TEXT NOT NULL,
    lead_table TEXT NOT NULL,
    lead_id INTEGER NOT NULL,
    given_at DATETIME NOT NULL,
    FOREIGN KEY (version, language) REFERENCES consent_wordings(version, language)
);
CREATE INDEX idx_marketing_consents_email ON marketing_consents(email, language);

-- D23: a campaign is written in one language and goes to the people of its segment who gave
-- consent in that language; each of its messages is an outbox row marked with the campaign, so
-- the counters follow the outbox and the campaign is sent when none of its rows is left to send.
ALTER TABLE email_campaigns ADD COLUMN language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE mail_outbox ADD COLUMN campaign_id INTEGER REFERENCES email_campaigns(id);
CREATE INDEX idx_mail_outbox_campaign ON mail_outbox(campaign_id, status);
