-- Back to one template per language: the customers' one (the words the old default used).
DELETE FROM mail_templates WHERE audience <> 'customer';
ALTER TABLE mail_templates DROP CONSTRAINT mail_templates_pkey;
ALTER TABLE mail_templates DROP COLUMN audience;
ALTER TABLE mail_templates ADD PRIMARY KEY (survey_id, lang);
