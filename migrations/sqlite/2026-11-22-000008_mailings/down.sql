DROP TABLE mail_workers;
DROP TABLE outbox;
DROP TABLE mail_recipients;
DROP TABLE mailings;
DROP TABLE mail_templates;
