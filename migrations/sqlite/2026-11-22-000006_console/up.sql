-- The console: a survey's questionnaire texts and comment threshold, a revision that tells
-- every instance when its cached copy of a survey is stale, and invitations that can be
-- revoked. A team without responses can be deleted while its (revoked) invitations stay, so
-- invitations no longer reference teams: the table is rebuilt without that foreign key.
ALTER TABLE surveys ADD COLUMN organisation TEXT;
ALTER TABLE surveys ADD COLUMN contact TEXT;
ALTER TABLE surveys ADD COLUMN introduction_nl TEXT;
ALTER TABLE surveys ADD COLUMN introduction_en TEXT;
ALTER TABLE surveys ADD COLUMN privacy_statement_nl TEXT;
ALTER TABLE surveys ADD COLUMN privacy_statement_en TEXT;
ALTER TABLE surveys ADD COLUMN scale_low_nl TEXT;
ALTER TABLE surveys ADD COLUMN scale_high_nl TEXT;
ALTER TABLE surveys ADD COLUMN scale_low_en TEXT;
ALTER TABLE surveys ADD COLUMN scale_high_en TEXT;
ALTER TABLE surveys ADD COLUMN comment_min_group_size INTEGER NOT NULL DEFAULT 10;
ALTER TABLE surveys ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

CREATE TABLE invitations_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL,
    audience TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    revoked BOOLEAN NOT NULL DEFAULT 0,
    CHECK (uses <= max_uses)
);
INSERT INTO invitations_new (id, survey_id, wave_id, team_id, audience, token_hash, max_uses,
    uses, expires_at, created_at, revoked)
    SELECT id, survey_id, wave_id, team_id, audience, token_hash, max_uses, uses, expires_at,
        created_at, 0 FROM invitations;
DROP TABLE invitations;
ALTER TABLE invitations_new RENAME TO invitations;
CREATE INDEX invitations_wave ON invitations (wave_id, team_id, audience);
CREATE INDEX invitations_survey ON invitations (survey_id, wave_id);
