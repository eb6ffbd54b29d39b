-- Back to invitations that reference teams (revoked invitations of deleted teams are dropped)
-- and surveys without texts.
CREATE TABLE invitations_old (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    wave_id INTEGER NOT NULL REFERENCES waves(id) ON DELETE CASCADE,
    team_id INTEGER NOT NULL REFERENCES teams(id),
    audience TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    max_uses INTEGER NOT NULL,
    uses INTEGER NOT NULL DEFAULT 0,
    expires_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    CHECK (uses <= max_uses)
);
INSERT INTO invitations_old (id, survey_id, wave_id, team_id, audience, token_hash, max_uses,
    uses, expires_at, created_at)
    SELECT id, survey_id, wave_id, team_id, audience, token_hash, max_uses, uses, expires_at,
        created_at FROM invitations WHERE team_id IN (SELECT id FROM teams);
DROP TABLE invitations;
ALTER TABLE invitations_old RENAME TO invitations;
CREATE INDEX invitations_wave ON invitations (wave_id, team_id, audience);

ALTER TABLE surveys DROP COLUMN revision;
ALTER TABLE surveys DROP COLUMN comment_min_group_size;
ALTER TABLE surveys DROP COLUMN scale_high_en;
ALTER TABLE surveys DROP COLUMN scale_low_en;
ALTER TABLE surveys DROP COLUMN scale_high_nl;
ALTER TABLE surveys DROP COLUMN scale_low_nl;
ALTER TABLE surveys DROP COLUMN privacy_statement_en;
ALTER TABLE surveys DROP COLUMN privacy_statement_nl;
ALTER TABLE surveys DROP COLUMN introduction_en;
ALTER TABLE surveys DROP COLUMN introduction_nl;
ALTER TABLE surveys DROP COLUMN contact;
ALTER TABLE surveys DROP COLUMN organisation;
