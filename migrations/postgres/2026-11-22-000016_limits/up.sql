-- Issue 28.3: reminders at most once per cool-down (KLANTSPIEGEL_REMINDER_COOLDOWN_HOURS).
-- mailings.reminded_at: when the mailing's last round of reminders was queued. A round is
--   claimed by one conditional UPDATE (reminded_at unset or older than the cool-down) inside
--   the transaction that queues it: of two parallel requests, exactly one updates the row.
-- mail_recipients.reminded_at: when this address was last sent a reminder; an address gets
--   none while it is within the cool-down, whichever request asks.
ALTER TABLE mailings ADD COLUMN reminded_at TIMESTAMP;
ALTER TABLE mail_recipients ADD COLUMN reminded_at TIMESTAMP;
