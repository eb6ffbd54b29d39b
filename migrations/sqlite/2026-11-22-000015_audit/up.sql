-- The audit log (issue 27): who did what, to which object, with what outcome. Append-only:
-- no route changes or deletes an entry; only the retention purge (KLANTSPIEGEL_AUDIT_DAYS)
-- deletes old ones, and logs that it did. The actor and the object's name are copied in, so an
-- entry reads the same after the user or the object it names is deleted (no foreign keys).
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    actor_user_id BIGINT,
    action TEXT NOT NULL,
    object_type TEXT NOT NULL,
    object_id BIGINT,
    object_name TEXT,
    outcome TEXT NOT NULL,
    detail TEXT
);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_actor ON audit_log (actor, id);
CREATE INDEX audit_log_action ON audit_log (action, id);
