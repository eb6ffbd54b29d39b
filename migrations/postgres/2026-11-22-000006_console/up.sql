-- The console: a survey's questionnaire texts and comment threshold, a revision that tells
-- every instance when its cached copy of a survey is stale, and invitations that can be
-- revoked. A team without responses can be deleted while its (revoked) invitations stay, so
-- invitations no longer reference teams.
ALTER TABLE surveys
    ADD COLUMN organisation TEXT,
    ADD COLUMN contact TEXT,
    ADD COLUMN introduction_nl TEXT,
    ADD COLUMN introduction_en TEXT,
    ADD COLUMN privacy_statement_nl TEXT,
    ADD COLUMN privacy_statement_en TEXT,
    ADD COLUMN scale_low_nl TEXT,
    ADD COLUMN scale_high_nl TEXT,
    ADD COLUMN scale_low_en TEXT,
    ADD COLUMN scale_high_en TEXT,
    ADD COLUMN comment_min_group_size INTEGER NOT NULL DEFAULT 10,
    ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;

ALTER TABLE invitations DROP CONSTRAINT IF EXISTS invitations_team_id_fkey;
ALTER TABLE invitations ADD COLUMN revoked BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX invitations_survey ON invitations (survey_id, wave_id);
