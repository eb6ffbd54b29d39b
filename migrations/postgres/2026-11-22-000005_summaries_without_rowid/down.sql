-- SQLite only (its summary tables become WITHOUT ROWID); PostgreSQL tables are heaps with a
-- primary-key index already. Kept so both backends have the same migration versions.
SELECT 1;
