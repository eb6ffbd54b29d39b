-- Back to one template per language: the customers' one (the words the old default used).
CREATE TABLE mail_templates_by_lang (
    survey_id INTEGER NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    lang TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    PRIMARY KEY (survey_id, lang)
);
INSERT INTO mail_templates_by_lang (survey_id, lang, subject, body, updated_at)
    SELECT survey_id, lang, subject, body, updated_at FROM mail_templates WHERE audience = 'customer';
DROP TABLE mail_templates;
ALTER TABLE mail_templates_by_lang RENAME TO mail_templates;
