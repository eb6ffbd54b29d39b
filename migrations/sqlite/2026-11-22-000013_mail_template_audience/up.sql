-- Invitations by e-mail, revision 3: a template per audience and language (four defaults:
-- employees are asked about their own service, customers about the service they got), and a
-- survey may replace each. A survey's template from before served both audiences: it becomes
-- the template of each.
CREATE TABLE mail_templates_by_audience (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    audience TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (survey_id, lang, audience)
);
INSERT INTO mail_templates_by_audience (survey_id, lang, audience, subject, body, updated_at)
    SELECT survey_id, lang, 'employee', subject, body, updated_at FROM mail_templates;
INSERT INTO mail_templates_by_audience (survey_id, lang, audience, subject, body, updated_at)
    SELECT survey_id, lang, 'customer', subject, body, updated_at FROM mail_templates;
DROP TABLE mail_templates;
ALTER TABLE mail_templates_by_audience RENAME TO mail_templates;
