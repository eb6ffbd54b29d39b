-- Invitations by e-mail, revision 3: a template per audience and language (four defaults:
-- employees are asked about their own service, customers about the service they got), and a
-- survey may replace each. A survey's template from before served both audiences: it becomes
-- the template of each.
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_pkey;
ALTER TABLE mail_templates ADD COLUMN audience TEXT NOT NULL DEFAULT 'customer';
INSERT INTO mail_templates (survey_id, lang, audience, subject, body, updated_at)
    SELECT survey_id, lang, 'employee', subject, body, updated_at FROM mail_templates;
ALTER TABLE mail_templates ALTER COLUMN audience DROP DEFAULT;
ALTER TABLE mail_templates ADD PRIMARY KEY (survey_id, lang, audience);
