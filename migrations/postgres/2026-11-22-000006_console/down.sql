DROP INDEX IF EXISTS invitations_survey;
ALTER TABLE invitations DROP COLUMN revoked;
DELETE FROM invitations WHERE team_id NOT IN (SELECT id FROM teams);
ALTER TABLE invitations ADD CONSTRAINT invitations_team_id_fkey FOREIGN KEY (team_id) REFERENCES teams(id);
ALTER TABLE surveys
    DROP COLUMN revision,
    DROP COLUMN comment_min_group_size,
    DROP COLUMN scale_high_en,
    DROP COLUMN scale_low_en,
    DROP COLUMN scale_high_nl,
    DROP COLUMN scale_low_nl,
    DROP COLUMN privacy_statement_en,
    DROP COLUMN privacy_statement_nl,
    DROP COLUMN introduction_en,
    DROP COLUMN introduction_nl,
    DROP COLUMN contact,
    DROP COLUMN organisation;
