ALTER TABLE mail_recipients DROP COLUMN reminded_at;
ALTER TABLE mailings DROP COLUMN reminded_at;
