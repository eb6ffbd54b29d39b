-- Invitations by e-mail (SPEC "Invitations by e-mail (revision 2)").
--
-- mail_templates: a survey's own subject and body per language (absent: the defaults in i18n).
-- mailings: one uploaded list of recipients for one wave; its counts outlive the addresses.
-- mail_recipients: one row per address. `email` and `token` (the plain invitation token, for
--   the link in a reminder) are kept only while the wave is open: when it closes they are set
--   to NULL (with SQLite's secure_delete, then a WAL checkpoint) and only the counts remain.
--   No index holds an address. `opt_out_hash` is the SHA-256 of the opt-out link's token.
-- outbox: one row per e-mail to send. It holds no address and no text: the message is made
--   from the recipient's row when it is sent. status: queued → sending (claimed_by, claimed_at)
--   → sent | failed | cancelled; a temporary refusal puts it back to queued at next_attempt_at.
-- mail_workers: each sending instance's heartbeat, so a row left in `sending` by an instance
--   that died is taken back, and never one of an instance that is still sending.
CREATE TABLE mail_templates (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (survey_id, lang)
);

CREATE TABLE mailings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    recipients INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    addresses_deleted_at TIMESTAMP
);
CREATE INDEX mailings_wave ON mailings (wave_id);

CREATE TABLE mail_recipients (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mailing_id INTEGER NOT NULL REFERENCES mailings(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL,
    audience TEXT NOT NULL,
    lang TEXT NOT NULL,
    email TEXT,
    token TEXT,
    invitation_id INTEGER,
    opt_out_hash TEXT UNIQUE,
    opted_out BOOLEAN NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX mail_recipients_mailing ON mail_recipients (mailing_id);

CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    mailing_id INTEGER NOT NULL REFERENCES mailings(id) ON DELETE CASCADE,
    recipient_id INTEGER NOT NULL REFERENCES mail_recipients(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TIMESTAMP NOT NULL,
    claimed_by TEXT,
    claimed_at TIMESTAMP,
    sent_at TIMESTAMP,
    last_error TEXT,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX outbox_mailing ON outbox (mailing_id, kind, status);
CREATE INDEX outbox_recipient ON outbox (recipient_id);

CREATE TABLE mail_workers (
    instance TEXT PRIMARY KEY NOT NULL,
    seen_at TIMESTAMP NOT NULL
);
